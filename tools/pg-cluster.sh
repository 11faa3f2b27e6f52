#!/bin/bash
#
# tools/pg-cluster.sh BINDIR [COMMAND [ARGS...]]
#	Run COMMAND against a throwaway PostgreSQL cluster of the server in
#	BINDIR (e.g. /var/cache/chronos/pg18/bin, built by tools/pg-build.sh),
#	like Debian's "pg_virtualenv -t" does for the packaged servers:
#
#	    tools/pg-cluster.sh /var/cache/chronos/pg18/bin make installcheck
#	    tools/pg-cluster.sh /var/cache/chronos/pg18/bin \
#	        bash test/run_tests.sh --in-cluster LOGDIR test/dump_restore.sh
#
#	  1. makes a temporary directory (mktemp -d) with the data directory, a
#	     private unix socket directory and the server log;
#	  2. initdb as the "postgres" OS user when run as root (the server
#	     refuses to run as root; runuser -u postgres), else as the caller:
#	     superuser role "postgres" with a random password, UTF8 and locale
#	     C.UTF-8 (CHRONOS_PG_LOCALE changes it), trust on the unix socket,
#	     scram-sha-256 on TCP;
#	  3. starts it with pg_ctl (core files enabled) listening on the socket
#	     directory and on localhost at a free TCP port, with what
#	     pg_virtualenv sets (fsync = off, its log_line_prefix, cluster_name)
#	     plus CHRONOS_PG_CLUSTER_CONF (postgresql.conf lines), and waits
#	     until it accepts connections;
#	  4. runs COMMAND (default: $SHELL) as the caller, in the caller's
#	     directory, with
#	         PATH=BINDIR:$PATH  PGHOST=<socket dir>  PGPORT  PGUSER=postgres
#	         PGDATABASE=postgres  PGPASSWORD  PG_CONFIG=BINDIR/pg_config
#	         PGVERSION=<major>
#	     so that psql, createdb, dropdb, pg_dump, pg_restore and
#	     "make installcheck" (pg_regress) reach the server with no options
#	     (PGHOSTADDR, PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR are unset);
#	  5. stops the server (immediate mode) and removes the directory, on any
#	     exit: HUP, INT or TERM are passed on to COMMAND as TERM first.
#
#	Exits with COMMAND's exit status (128 + N when this script got signal
#	N).  When it is not 0, the last 100 lines of the server log and a
#	backtrace of any core file (when gdb is installed) go to stderr, as
#	pg_virtualenv does.  Status 2 (and a message) when the cluster cannot
#	be set up.
#
#	The socket directory is reachable by the server user and the caller
#	only (mode 0750, group of the caller); the TCP port wants the password.
#
# IDENTIFICATION
#	tools/pg-cluster.sh

set -uo pipefail

PROG=pg-cluster

fail()
{
	echo "$PROG: error: $*" >&2
	exit 2
}

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
	echo "usage: tools/pg-cluster.sh BINDIR [COMMAND [ARGS...]]" >&2
	exit 2
fi

BINDIR=$1
shift
[ $# -gt 0 ] || set -- "${SHELL:-/bin/sh}"

[ -d "$BINDIR" ] || fail "$BINDIR: no such directory"
BINDIR=$(cd "$BINDIR" && pwd)
for b in postgres initdb pg_ctl psql; do
	[ -x "$BINDIR/$b" ] || fail "$BINDIR/$b not found (is BINDIR a PostgreSQL bin directory?)"
done

VERSION=$("$BINDIR/postgres" --version 2>/dev/null | sed -n 's/^postgres (PostgreSQL) \([0-9][0-9.]*\).*/\1/p')
[ -n "$VERSION" ] || fail "cannot tell the version of $BINDIR/postgres"
MAJOR=${VERSION%%.*}

# the OS user that runs initdb and the server
if [ "$(id -u)" -eq 0 ]; then
	SERVER_USER=postgres
	id "$SERVER_USER" >/dev/null 2>&1 || fail "OS user '$SERVER_USER' does not exist (the server cannot run as root)"
	as_server()
	{
		runuser -u "$SERVER_USER" -- "$@"
	}
else
	SERVER_USER=$(id -un)
	as_server()
	{
		"$@"
	}
fi

DIR=""
STARTED=0
CHILD=""

# ---------------------------------------------------------------------
# clean up on any exit
# ---------------------------------------------------------------------
stop_server()
{
	[ "$STARTED" -eq 1 ] || return 0
	STARTED=0
	(cd "$DIR" && as_server "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate -w -t 30 stop) \
		</dev/null >/dev/null 2>&1
	# still there (pg_ctl could not stop it): kill the postmaster
	local pid
	pid=$(head -n 1 "$DIR/data/postmaster.pid" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		sleep 1
	fi
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	local rc=$?
	stop_server
	if [ -n "$DIR" ] && [ -d "$DIR" ]; then
		rm -rf "$DIR"
	fi
	exit "$rc"
}
trap cleanup EXIT

# on_signal NAME NUMBER: pass TERM on to COMMAND (a command run in the
# background of a script ignores INT), wait up to 10 s for it, then exit
# shellcheck disable=SC2317 # called by the traps
on_signal()
{
	trap '' HUP INT TERM
	echo "$PROG: got SIG$1, stopping" >&2
	if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
		kill -TERM "$CHILD" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$CHILD" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$CHILD" 2>/dev/null
	fi
	exit $((128 + $2))
}
trap 'on_signal HUP 1' HUP
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM

# ---------------------------------------------------------------------
# 1-2. directory and initdb
# ---------------------------------------------------------------------
DIR=$(mktemp -d -t chronos-pg-cluster.XXXXXX) || fail "mktemp -d failed"
mkdir "$DIR/data" "$DIR/socket" || fail "cannot create directories in $DIR"
if [ "$(id -u)" -eq 0 ]; then
	chown "$SERVER_USER:$(id -g)" "$DIR" "$DIR/data" "$DIR/socket" || fail "chown $DIR failed"
fi
chmod 0750 "$DIR" "$DIR/socket"
chmod 0700 "$DIR/data"
SOCKET=$DIR/socket
LOG=$DIR/server.log
PGPASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
(umask 077 && echo "$PGPASSWORD" >"$DIR/pwfile")
[ "$(id -u)" -eq 0 ] && chown "$SERVER_USER" "$DIR/pwfile"

LOCALE=${CHRONOS_PG_LOCALE:-C.UTF-8}
if ! (cd "$DIR" && as_server "$BINDIR/initdb" -D "$DIR/data" --username=postgres \
	--pwfile="$DIR/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
	--encoding=UTF8 --locale="$LOCALE" --no-sync --no-instructions) \
	</dev/null >"$DIR/initdb.log" 2>&1; then
	sed 's/^/    /' "$DIR/initdb.log" >&2
	fail "initdb failed"
fi
rm -f "$DIR/pwfile"

{
	echo
	echo "# tools/pg-cluster.sh (as pg_virtualenv, plus the private socket)"
	echo "listen_addresses = 'localhost'"
	echo "unix_socket_directories = '$SOCKET'"
	echo "fsync = off"
	echo "log_line_prefix = '%m [%p] %q%u@%d '"
	echo "cluster_name = '$MAJOR/regress'"
	[ -n "${CHRONOS_PG_CLUSTER_CONF:-}" ] && printf '%s\n' "$CHRONOS_PG_CLUSTER_CONF"
} >>"$DIR/data/postgresql.conf"

# ---------------------------------------------------------------------
# 3. start on a free port
# ---------------------------------------------------------------------
port_in_use()
{
	if command -v ss >/dev/null 2>&1; then
		[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

PORT=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
	port=$((20000 + RANDOM % 30000))
	port_in_use "$port" && continue
	echo "port = $port" >>"$DIR/data/postgresql.conf"
	: >"$LOG"
	[ "$(id -u)" -eq 0 ] && chown "$SERVER_USER" "$LOG"
	STARTED=1
	if (cd "$DIR" && as_server "$BINDIR/pg_ctl" -D "$DIR/data" -l "$LOG" -w -t 120 -c start) \
		</dev/null >"$DIR/pg_ctl.log" 2>&1; then
		PORT=$port
		break
	fi
	stop_server
	# another process took the port in between: try another one
	if grep -q -E 'could not bind|Address already in use|could not create any TCP/IP sockets' "$LOG"; then
		continue
	fi
	sed 's/^/    /' "$DIR/pg_ctl.log" >&2
	echo "$PROG: server log:" >&2
	sed 's/^/    /' "$LOG" >&2
	fail "the server did not start (attempt $attempt)"
done
[ -n "$PORT" ] || fail "no free TCP port found in 10 attempts"

export PATH="$BINDIR:$PATH"
export PGHOST=$SOCKET
export PGPORT=$PORT
export PGUSER=postgres
export PGDATABASE=postgres
export PGPASSWORD
export PGVERSION=$MAJOR
if [ -x "$BINDIR/pg_config" ]; then
	export PG_CONFIG=$BINDIR/pg_config
else
	unset PG_CONFIG
fi
unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGSYSCONFDIR

# pg_ctl -w waited for "ready"; check that the caller gets in
ready=0
for _ in $(seq 60); do
	if psql -X -q -At -c 'SELECT 1' </dev/null >/dev/null 2>"$DIR/psql.err"; then
		ready=1
		break
	fi
	sleep 0.5
done
if [ "$ready" -ne 1 ]; then
	sed 's/^/    /' "$DIR/psql.err" >&2
	fail "the server started but $(id -un) cannot connect to it through $SOCKET"
fi
echo "$PROG: PostgreSQL $VERSION running in $DIR (socket $SOCKET, port $PORT)" >&2

# ---------------------------------------------------------------------
# 4. the command (in the background, so that a signal to this script is
# handled at once; stdin passed on explicitly)
# ---------------------------------------------------------------------
"$@" <&0 &
CHILD=$!
wait "$CHILD"
rc=$?
CHILD=""

if [ "$rc" -ne 0 ]; then
	{
		echo "*** $LOG (last 100 lines) ***"
		tail -n 100 "$LOG"
		if command -v gdb >/dev/null 2>&1; then
			for core in "$DIR"/data/core*; do
				[ -f "$core" ] || continue
				echo "*** $core ***"
				gdb -batch -ex "bt full" "$BINDIR/postgres" "$core" </dev/null 2>&1
			done
		fi
	} >&2
fi

exit "$rc"
