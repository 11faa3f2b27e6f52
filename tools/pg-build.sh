#!/bin/bash
#
# tools/pg-build.sh MAJOR
#	Build PostgreSQL MAJOR (16, 17 or 18), which Debian 12 does not ship,
#	from the upstream tarball inside Debian's source package postgresql-MAJOR,
#	and install it under
#
#	    ${CHRONOS_PG_CACHE:-/var/cache/chronos}/pgMAJOR    (the --prefix)
#
#	The last line on stdout is the path of its pg_config; everything else
#	goes to stderr.  Extensions then build and test against it with
#
#	    make PG_CONFIG=/var/cache/chronos/pg18/bin/pg_config
#	    tools/pg-cluster.sh /var/cache/chronos/pg18/bin make installcheck
#
# Cached: a stamp file next to the prefix (pgMAJOR.stamp) records the Debian
# source version and the configure options.  When it matches, the script
# does nothing else (well under a second).  CHRONOS_PG_REFRESH=1 also asks
# Debian for the newest source version and rebuilds when it has changed.
#
# Cold build, as root, without a terminal:
#   1. installs the missing build dependencies from Debian 12 (dpkg-query
#      first, apt-get only for what is missing);
#   2. adds a temporary deb-src sources file (sid, trixie, trixie-security,
#      trixie-backports, bookworm-backports), runs "apt-get update" and
#      "apt-get source --download-only postgresql-MAJOR", then removes the
#      file and runs "apt-get update" again, so that the machine's apt stays
#      on Debian 12 (an EXIT trap removes it on failure too);
#   3. unpacks the .orig tarball (upstream source; the Debian packaging and
#      its patches are not used), configure, make -j$(nproc), plus
#      contrib/file_fdw, "make install" into a staging directory, checks that
#      pg_config, PGXS, the server headers and pg_regress are there, then
#      moves it to the prefix and writes the stamp;
#   4. removes the work directory (kept after a failure, for its build.log;
#      the next run removes it).
#
# Build: -O2 (PostgreSQL's default CFLAGS), no assertions, no debug symbols;
# zlib, lz4 (TOAST compression), ICU, readline, the system's tzdata (as
# Debian builds it).  CHRONOS_PG_CONFIGURE_EXTRA adds configure options
# (e.g. "--enable-debug --enable-cassert"); they are part of the stamp.
#
# Concurrency: one lock per major (CACHE/.pgMAJOR.lock) around the build and
# one for the apt phase (CACHE/.apt.lock), both with flock, so two runs at
# once wait for each other and the second one finds the stamp.
#
# Environment
#	CHRONOS_PG_CACHE            cache directory (default /var/cache/chronos)
#	CHRONOS_PG_SUITES           Debian suites to look in (default above)
#	CHRONOS_PG_CONFIGURE_EXTRA  more configure options
#	CHRONOS_PG_REFRESH=1        rebuild if Debian has a newer source version
#
# IDENTIFICATION
#	tools/pg-build.sh

set -euo pipefail

# stdout is only for the final pg_config path
exec 3>&1 1>&2

PROG=pg-build

say()
{
	echo "$PROG: $*"
}

die()
{
	echo "$PROG: error: $*" >&2
	exit 1
}

usage()
{
	echo "usage: tools/pg-build.sh MAJOR    (MAJOR: 16, 17 or 18)" >&2
	exit 2
}

[ $# -eq 1 ] || usage
case $1 in
	-h | --help) usage ;;
	16 | 17 | 18) MAJOR=$1 ;;
	*) die "unsupported PostgreSQL major version '$1' (16, 17 or 18)" ;;
esac

CACHE=${CHRONOS_PG_CACHE:-/var/cache/chronos}
PREFIX=$CACHE/pg$MAJOR
STAMP=$CACHE/pg$MAJOR.stamp
SRCPKG=postgresql-$MAJOR
SUITES=${CHRONOS_PG_SUITES:-sid trixie trixie-security trixie-backports bookworm-backports}
APT_SOURCES=/etc/apt/sources.list.d/chronos-pg-build.sources
# bump when the build itself changes in a way the options do not show
STAMP_FORMAT=1

CONFIGURE_OPTS=(
	--prefix="$PREFIX"
	--with-zlib
	--with-lz4
	--with-icu
	--with-readline
	--with-system-tzdata=/usr/share/zoneinfo
)
# shellcheck disable=SC2206 # word splitting wanted
[ -n "${CHRONOS_PG_CONFIGURE_EXTRA:-}" ] && CONFIGURE_OPTS+=($CHRONOS_PG_CONFIGURE_EXTRA)

BUILD_DEPS=(
	build-essential
	make
	bison
	flex
	perl
	pkg-config
	bzip2
	xz-utils
	zlib1g-dev
	liblz4-dev
	libicu-dev
	libreadline-dev
)

STAMP_CONFIGURE="configure=${CONFIGURE_OPTS[*]}"
STAMP_FORMAT_LINE="format=$STAMP_FORMAT"

# stamp_ok: the stamp matches this script's options and the install is there
stamp_ok()
{
	[ -f "$STAMP" ] && [ -x "$PREFIX/bin/pg_config" ] || return 1
	local line have_conf="" have_fmt=""
	while IFS= read -r line; do
		case $line in
			configure=*) have_conf=$line ;;
			format=*) have_fmt=$line ;;
		esac
	done <"$STAMP"
	[ "$have_conf" = "$STAMP_CONFIGURE" ] && [ "$have_fmt" = "$STAMP_FORMAT_LINE" ]
}

stamp_field()
{
	sed -n "s/^$1=//p" "$STAMP" 2>/dev/null | head -n 1
}

done_ok()
{
	echo "$PREFIX/bin/pg_config" >&3
	exit 0
}

# ---------------------------------------------------------------------
# A sources file left behind by a run that was killed with SIGKILL: remove
# it, unless a run holding the apt lock is using it right now.
# ---------------------------------------------------------------------
remove_stale_sources()
{
	[ -f "$APT_SOURCES" ] || return 0
	[ "$(id -u)" -eq 0 ] || return 0
	mkdir -p "$CACHE"
	(
		flock -n 8 || exit 0
		say "removing $APT_SOURCES left behind by an interrupted run"
		rm -f "$APT_SOURCES"
		DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=120 update \
			</dev/null >/dev/null 2>&1 || say "warning: apt-get update failed"
	) 8>"$CACHE/.apt.lock"
}

# ---------------------------------------------------------------------
# Fast path: already built with these options
# ---------------------------------------------------------------------
if [ "${CHRONOS_PG_REFRESH:-0}" != 1 ] && stamp_ok; then
	remove_stale_sources
	done_ok
fi

# ---------------------------------------------------------------------
# Cold path
# ---------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "PostgreSQL $MAJOR is not built in $PREFIX yet; run this script as root to build it"
for cmd in flock apt-get apt-cache dpkg-query tar; do
	command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found"
done

mkdir -p "$CACHE/work" || die "cannot create $CACHE/work"

exec 9>"$CACHE/.pg$MAJOR.lock"
if ! flock -n 9; then
	say "another pg-build.sh is building PostgreSQL $MAJOR; waiting for it"
	flock -w 3600 9 || die "timed out waiting for the lock $CACHE/.pg$MAJOR.lock"
fi
# it may have just finished the same build
if [ "${CHRONOS_PG_REFRESH:-0}" != 1 ] && stamp_ok; then
	remove_stale_sources
	done_ok
fi

START=$SECONDS
WORK=""
SOURCES_ADDED=0
BUILD_OK=0
LOG=""

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=120
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# apt_get ARGS...: apt-get with a closed stdin, its output in $WORK/apt.log
# (shown on failure), retried for up to 10 minutes while another apt-get or
# dpkg holds its lock
apt_get()
{
	local tries=0
	while true; do
		if apt-get "${APT_OPTS[@]}" "$@" </dev/null >"$WORK/apt.log" 2>&1; then
			return 0
		fi
		if grep -q -E 'Could not get lock|Unable to lock|Unable to acquire' "$WORK/apt.log" &&
			[ $tries -lt 40 ]; then
			tries=$((tries + 1))
			[ $tries -eq 1 ] && say "waiting for another apt-get/dpkg to finish"
			sleep 15
			continue
		fi
		sed 's/^/    /' "$WORK/apt.log" >&2
		return 1
	done
}

remove_sources()
{
	[ "$SOURCES_ADDED" -eq 1 ] || return 0
	rm -f "$APT_SOURCES"
	SOURCES_ADDED=0
	say "removed $APT_SOURCES; apt-get update (back to the Debian 12 sources only)"
	apt_get update || say "warning: apt-get update failed after removing $APT_SOURCES"
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	local rc=$?
	set +e
	remove_sources
	if [ "$BUILD_OK" -ne 1 ] && [ -n "$WORK" ] && [ -d "$WORK" ]; then
		if [ -n "$LOG" ] && [ -f "$LOG" ]; then
			echo "$PROG: last 40 lines of $LOG:" >&2
			tail -n 40 "$LOG" | sed 's/^/    /' >&2
			echo "$PROG: PostgreSQL $MAJOR build failed; work directory kept: $WORK" >&2
		else
			# nothing was built: nothing worth keeping
			rm -rf "$WORK"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# work directories of earlier, failed runs (the lock says nobody uses them)
rm -rf "$CACHE/work/pg$MAJOR".*
WORK=$(mktemp -d "$CACHE/work/pg$MAJOR.XXXXXX")
chmod 755 "$WORK"
mkdir "$WORK/dl" "$WORK/src"
# apt downloads as user _apt when it can write there
chown _apt "$WORK/dl" 2>/dev/null || true

installed()
{
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ---------------------------------------------------------------------
# 1-2. build dependencies and the source, under the apt lock
# ---------------------------------------------------------------------
exec 8>"$CACHE/.apt.lock"
if ! flock -n 8; then
	say "waiting for another pg-build.sh to finish with apt"
	flock -w 1800 8 || die "timed out waiting for the lock $CACHE/.apt.lock"
fi

missing=()
for p in "${BUILD_DEPS[@]}"; do
	installed "$p" || missing+=("$p")
done

# deb822; deb-src only, so no binary package can come from these suites
{
	echo "# temporary: added by chronos tools/pg-build.sh to fetch $SRCPKG, removed when it ends"
	main=() security=()
	for s in $SUITES; do
		case $s in
			*-security) security+=("$s") ;;
			*) main+=("$s") ;;
		esac
	done
	if [ ${#main[@]} -gt 0 ]; then
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\n' "${main[*]}"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
	fi
	if [ ${#security[@]} -gt 0 ]; then
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian-security\nSuites: %s\nComponents: main\n' "${security[*]}"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
	fi
} >"$WORK/chronos-pg-build.sources"
SOURCES_ADDED=1
cp "$WORK/chronos-pg-build.sources" "$APT_SOURCES"
say "added $APT_SOURCES (deb-src: $SUITES); apt-get update"
apt_get update || die "apt-get update failed"

if [ ${#missing[@]} -gt 0 ]; then
	say "installing build dependencies: ${missing[*]}"
	apt_get install --no-install-recommends "${missing[@]}" || die "apt-get install failed"
	still=()
	for p in "${missing[@]}"; do
		installed "$p" || still+=("$p")
	done
	[ ${#still[@]} -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
fi

# the newest version in those suites, and where it is
DEB_VERSION=$({ apt-cache showsrc --only-source "$SRCPKG" 2>/dev/null || true; } |
	sed -n 's/^Version: //p' | sort -V | tail -n 1)
if [ -z "$DEB_VERSION" ]; then
	apt_msg=$(cd "$WORK/dl" && { apt-get source --download-only "$SRCPKG" </dev/null 2>&1 || true; } |
		grep -E '^(E|W):' | tr '\n' ' ' | sed 's/ $//')
	die "no Debian source package $SRCPKG in any of: $SUITES (apt: ${apt_msg:-nothing found})"
fi
DEB_SUITE=$({ apt-cache madison "$SRCPKG" 2>/dev/null || true; } |
	awk -F'|' -v v="$DEB_VERSION" '$3 ~ /Sources/ { gsub(/ /, "", $2); if ($2 == v) { split($3, a, " "); sub(/\/.*/, "", a[2]); print a[2] } }' |
	sort -u | tr '\n' ' ' | sed 's/ $//')

if [ "${CHRONOS_PG_REFRESH:-0}" = 1 ] && stamp_ok &&
	[ "$(stamp_field source)" = "$SRCPKG $DEB_VERSION" ]; then
	say "PostgreSQL $MAJOR already built from $SRCPKG $DEB_VERSION, the newest in Debian"
	remove_sources
	BUILD_OK=1
	rm -rf "$WORK"
	done_ok
fi

say "downloading $SRCPKG $DEB_VERSION (${DEB_SUITE:-?})"
if ! (cd "$WORK/dl" && apt_get source --download-only "$SRCPKG=$DEB_VERSION"); then
	if grep -q -E '404 +Not Found' "$WORK/apt.log"; then
		die "apt-get source $SRCPKG=$DEB_VERSION failed: the index lists it, but the mirror answers 404 Not Found for its files"
	fi
	die "apt-get source $SRCPKG=$DEB_VERSION failed"
fi

remove_sources
flock -u 8
exec 8>&-

# ---------------------------------------------------------------------
# 3. build from the upstream tarball
# ---------------------------------------------------------------------
orig=""
for f in "$WORK/dl/${SRCPKG}_"*.orig.tar.*; do
	case $f in
		*.asc) ;;
		*) [ -f "$f" ] && orig=$f ;;
	esac
done
[ -n "$orig" ] || die "no ${SRCPKG}_*.orig.tar.* among the downloaded files: $(find "$WORK/dl" -mindepth 1 -printf "%f ")"
say "unpacking $(basename "$orig")"
tar -xf "$orig" -C "$WORK/src" || die "cannot unpack $orig"
srcdir=$(find "$WORK/src" -mindepth 1 -maxdepth 1 -type d -name 'postgresql-*' | head -n 1)
{ [ -n "$srcdir" ] && [ -x "$srcdir/configure" ]; } || die "no postgresql-*/configure in $orig"
UPSTREAM=${srcdir##*/postgresql-}
case $UPSTREAM in
	"$MAJOR".* | "$MAJOR"beta* | "$MAJOR"rc*) ;;
	*) die "$orig holds PostgreSQL $UPSTREAM, not $MAJOR" ;;
esac
rm -rf "$WORK/dl"

LOG=$WORK/build.log
JOBS=$(nproc 2>/dev/null || echo 2)
STAGE=$WORK/stage
TIMES=""

# step LABEL DESCRIPTION COMMAND...: run in the source tree, output to the log
step()
{
	local label=$1 desc=$2 t0=$SECONDS
	shift 2
	say "$desc"
	echo "=== $desc: $*" >>"$LOG"
	(cd "$srcdir" && "$@") </dev/null >>"$LOG" 2>&1 || die "$desc failed (log: $LOG)"
	echo "=== $desc: $((SECONDS - t0))s" >>"$LOG"
	TIMES+="${TIMES:+, }$label $((SECONDS - t0))s"
}

say "building PostgreSQL $UPSTREAM with make -j$JOBS (log: $LOG)"
step configure "configure ${CONFIGURE_OPTS[*]}" ./configure "${CONFIGURE_OPTS[@]}"
step make "make -j$JOBS" make -j"$JOBS"
step file_fdw "make contrib/file_fdw" make -j"$JOBS" -C contrib/file_fdw
step install "make install" make install DESTDIR="$STAGE"
step install_fdw "make install contrib/file_fdw" make -C contrib/file_fdw install DESTDIR="$STAGE"

# what extensions need, checked in the staging copy (pg_config finds its
# paths relative to its own location, so there it reports staging paths)
S=$STAGE$PREFIX
[ -x "$S/bin/pg_config" ] || die "make install did not install bin/pg_config"
pgxs=$("$S/bin/pg_config" --pgxs)
pkglib=$("$S/bin/pg_config" --pkglibdir)
incserver=$("$S/bin/pg_config" --includedir-server)
sharedir=$("$S/bin/pg_config" --sharedir)
for f in "$pgxs" "$(dirname "$pgxs")/../test/regress/pg_regress" "$incserver/postgres.h" \
	"$pkglib/file_fdw.so" "$sharedir/extension/file_fdw.control" \
	"$S/bin/postgres" "$S/bin/initdb" "$S/bin/pg_ctl" "$S/bin/psql" \
	"$S/bin/pg_dump" "$S/bin/pg_restore" "$S/bin/createdb" "$S/bin/dropdb"; do
	case $f in
		"$S"/*) ;;
		*) f=$STAGE$f ;;
	esac
	[ -e "$f" ] || die "make install did not install ${f#"$STAGE"}"
done
version=$("$S/bin/pg_config" --version)
case $version in
	"PostgreSQL $MAJOR".*) ;;
	*) die "the new pg_config says '$version', expected PostgreSQL $MAJOR.x" ;;
esac

# replace the install: the stamp goes first, so nobody trusts a half-moved prefix
rm -f "$STAMP"
rm -rf "$PREFIX"
mv "$S" "$PREFIX"
{
	echo "# written by tools/pg-build.sh; the build is redone when configure or format change"
	echo "source=$SRCPKG $DEB_VERSION"
	echo "suite=$DEB_SUITE"
	echo "upstream=$UPSTREAM"
	echo "$STAMP_FORMAT_LINE"
	echo "$STAMP_CONFIGURE"
	echo "built=$(date -u '+%Y-%m-%d %H:%M:%S UTC') in $((SECONDS - START))s with make -j$JOBS ($TIMES)"
} >"$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"

BUILD_OK=1
rm -rf "$WORK"
secs=$((SECONDS - START))
say "PostgreSQL $UPSTREAM ($SRCPKG $DEB_VERSION from ${DEB_SUITE:-?}) installed in $PREFIX" \
	"in $((secs / 60))m$((secs % 60))s ($(du -sh "$PREFIX" | cut -f1); $TIMES)"
done_ok
