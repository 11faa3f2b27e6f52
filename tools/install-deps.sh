#!/bin/bash
#
# tools/install-deps.sh
#	Install what chronos needs to build, test and run its demo on Debian 12.
#
# Idempotent: each package is checked with dpkg-query first, so when everything
# is already there this takes well under a second and touches nothing.  Only
# the missing packages are installed, non-interactively; "apt-get update" runs
# once, and only when something has to be installed.
#
# Must run as root (or with passwordless sudo).  Needs no terminal.
#
#	postgresql-15             the server, pg_virtualenv (postgresql-common),
#	                          psql, pg_dump, pg_restore (postgresql-client-15)
#	postgresql-server-dev-15  pg_config, PGXS and the server headers
#	build-essential, gcc, make, libc6-dev
#	clang, libclang-rt-14-dev sanitizer unit tests (ASan/UBSan) and libFuzzer
#	libipc-run-perl           PostgreSQL TAP tests (PostgreSQL::Test::Utils)
#
# IDENTIFICATION
#	tools/install-deps.sh

set -euo pipefail

PACKAGES=(
	postgresql-15
	postgresql-server-dev-15
	build-essential
	gcc
	make
	libc6-dev
	clang
	libclang-rt-14-dev
	libipc-run-perl
)

# a package counts as present only when dpkg says "install ok installed"
# (dpkg -s alone also succeeds for removed packages whose config files remain)
installed()
{
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${PACKAGES[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PACKAGES[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO="sudo -n"
	else
		echo "install-deps: missing packages: ${missing[*]}" >&2
		echo "install-deps: run this script as root to install them" >&2
		exit 1
	fi
else
	SUDO=""
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=120
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

log=$(mktemp -t chronos-install-deps.XXXXXX)
trap 'rm -f "$log"' EXIT

# apt_get ARGS...: apt-get with a closed stdin (nothing can wait for an
# answer), retried for up to 10 minutes while another apt-get or dpkg holds
# its lock
apt_get()
{
	local tries=0
	while true; do
		if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" "$@" \
			</dev/null >"$log" 2>&1; then
			return 0
		fi
		if grep -q -E 'Could not get lock|Unable to lock|Unable to acquire' "$log" &&
			[ $tries -lt 40 ]; then
			tries=$((tries + 1))
			[ $tries -eq 1 ] && echo "install-deps: waiting for another apt-get/dpkg to finish"
			sleep 15
			continue
		fi
		cat "$log" >&2
		return 1
	done
}

if ! apt_get update; then
	echo "install-deps: apt-get update failed" >&2
	exit 1
fi
if ! apt_get install --no-install-recommends "${missing[@]}"; then
	echo "install-deps: apt-get install failed" >&2
	exit 1
fi

still=()
for p in "${missing[@]}"; do
	installed "$p" || still+=("$p")
done
if [ ${#still[@]} -ne 0 ]; then
	echo "install-deps: still missing after apt-get install: ${still[*]}" >&2
	exit 1
fi
echo "install-deps: installed ${#missing[@]} package(s)"
