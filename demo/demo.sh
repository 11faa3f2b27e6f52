#!/bin/bash
#
# demo/demo.sh
#	What "make demo" runs: install what is missing, build and install
#	chronos, then load the sample series of data/ into a throwaway cluster
#	(pg_virtualenv) and show what chronos does with them (demo/demo.sql).
#	Run as root on Debian 12; needs no terminal.
#
# IDENTIFICATION
#	demo/demo.sh

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
fi

echo "== installing what is missing (tools/install-deps.sh)"
bash tools/install-deps.sh </dev/null

echo "== building and installing chronos"
buildlog=$(mktemp -t chronos-demo-build.XXXXXX)
trap 'rm -f "$buildlog"' EXIT
if ! make -j"$(nproc 2>/dev/null || echo 2)" </dev/null >"$buildlog" 2>&1 ||
	! $SUDO make install </dev/null >>"$buildlog" 2>&1; then
	cat "$buildlog" >&2
	echo "demo: build or install failed" >&2
	exit 1
fi
echo "   ok: $(pg_config --pkglibdir)/chronos.so"

echo "== starting a throwaway PostgreSQL 15 cluster (pg_virtualenv) and running demo/demo.sql"
# -t: the cluster lives in a temporary directory and is dropped afterwards
pg_virtualenv -t -v 15 \
	psql -X -v ON_ERROR_STOP=1 --pset=pager=off -f demo/demo.sql </dev/null
