#!/bin/bash
#
# test/stream_sessions.sh
#	The streaming import (issue 10) seen from other sessions and from the
#	shell: what one pg_regress session cannot show.
#
#	Runs inside an existing cluster (PGHOST, PGPORT, PGUSER, ... set, as
#	pg_virtualenv does; test/run_tests.sh calls it as
#	"bash test/stream_sessions.sh" with the extension installed), as a user
#	that may read the backends' /proc/PID (root).  It generates a CSV file
#	of 64 MB with the seeded generator (test/csv/gen_csv.c; 4 series) in
#	test/build/stream/, keeps two psql sessions open (A imports, B
#	watches), and checks:
#
#	  - a file truncated from the shell while A imports it, once A's
#	    progress shows bytes read: an ERROR 58030 "file ... changed size
#	    while it was being read", never a partial result, with
#	    chronos.stream_method = 'mmap' (truncated to 0 bytes, the SIGBUS
#	    guard turns the fault into the ERROR and says so in the detail;
#	    truncated a little ahead of the reader, inside its window) and
#	    'pread' (the same two cuts: a short read is the same ERROR).  After
#	    each, A and B are the same backends (their PIDs) and answer, the
#	    checkpointer is the same process (a backend dying on a signal would
#	    have made the postmaster restart it with every session), a new
#	    connection works;
#	  - pg_cancel_backend and statement_timeout stop an import (a file read
#	    again and again, for tens of seconds) within a second, with either
#	    method, and leave nothing behind: the file was in A's
#	    /proc/PID/fd (and, mmap, in /proc/PID/maps) while it ran and is in
#	    neither afterwards, and chronos_memory_stats() is back at its
#	    baseline; so does a LIMIT that stops chronos_read_csv early;
#	  - progress from B while A imports (slowed down: A sleeps 10 ms a
#	    segment, so that the import lasts seconds): pg_stat_progress_copy
#	    shows A as command 'COPY FROM', type 'FILE', bytes_total = the
#	    file's size, bytes_processed between 0 and the total and growing,
#	    tuples_processed (points read) growing; no row once it is done.
#
#	The slowed imports run chronos_import_csv in the select list (it
#	streams, DESIGN.md fact 1) under a filter that sleeps per segment, so
#	the truncation mostly lands while A sleeps with a window mapped (or
#	read) and the rest of the window unread.
#
#	Output: one "ok N - ..." or "not ok N - ..." line per check, a "1..N"
#	plan, exit status non-zero when any check failed.  KEEP_TMP=1 keeps the
#	files (in test/build/stream/sessions.*).
#
# IDENTIFICATION
#	test/stream_sessions.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DB=chronos_stream_sessions
BUILD=$ROOT/test/build/stream
mkdir -p "$BUILD"
WORK=$(mktemp -d "$BUILD/sessions.XXXXXX")
chmod 755 "$WORK"
TMP=$WORK
DBS=("$DB")
# a session that does not answer within a minute is gone
ASK_TIMEOUT=${ASK_TIMEOUT:-60}

# q, check, le, db_cleanup (and ok / not_ok); start_session, ask, submit,
# collect, finished; build_gen_csv, gen_csv_file
. "$ROOT/test/lib/db.sh"
. "$ROOT/test/lib/sessions.sh"
. "$ROOT/test/lib/gen_csv.sh"
trap sessions_cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

bail()
{
	echo "Bail out! $*"
	echo "1..$n"
	exit 1
}

# ---------------------------------------------------------------------
# set-up: the file, the database, the sessions
# ---------------------------------------------------------------------
[ -r /proc/self/status ] || bail "/proc is not readable"
build_gen_csv "$BUILD" >"$WORK/gen.log" 2>&1 || bail "cannot build test/csv/gen_csv.c: $(head -c 300 "$WORK/gen.log")"
SRC=$WORK/src.csv
gen_csv_file "$BUILD" "$SRC" -s 7 -n 4 -B 64M -m 0.01 || bail "gen_csv failed"
SRC_BYTES=$GEN_BYTES
PROG=$WORK/progress.csv
gen_csv_file "$BUILD" "$PROG" -s 8 -n 4 -B 12M || bail "gen_csv failed"
PROG_BYTES=$GEN_BYTES PROG_POINTS=$((GEN_CELLS - GEN_MISSING))
echo "# generated $SRC ($SRC_BYTES bytes) and $PROG ($PROG_BYTES bytes, $PROG_POINTS points)"

dropdb --if-exists "$DB" >/dev/null 2>&1
createdb "$DB" && q "$DB" -c "CREATE EXTENSION chronos" || bail "cannot create database $DB with extension chronos"

start_session A
start_session B
PID_A=$(ask A "SELECT pg_backend_pid();")
PID_B=$(ask B "SELECT pg_backend_pid();")
CKPT=$(ask B "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer';")
# loads chronos in A; what it counts at rest
BASE=$(ask A "SELECT used_memory_mb FROM chronos_memory_stats();")
[ -n "$PID_A" ] && [ -n "$PID_B" ] && [ -n "$CKPT" ] && [ -n "$BASE" ] || bail "sessions did not start"
echo "# session A: backend $PID_A, session B: backend $PID_B, checkpointer $CKPT, chronos at rest in A: $BASE MB"

# alive WHAT: A and B are the backends they were and answer, the
# checkpointer was not restarted, a new connection gets in
alive()
{
	local a b c fresh
	a=$(ask A "SELECT pg_backend_pid();")
	b=$(ask B "SELECT pg_backend_pid();")
	c=$(ask B "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer';")
	fresh=$(q "$DB" -c "SELECT 42" 2>&1)
	if [ "$a" = "$PID_A" ] && [ "$b" = "$PID_B" ] && [ "$c" = "$CKPT" ] && [ "$fresh" = 42 ]; then
		ok "$1: sessions A ($a) and B ($b) still connected, checkpointer $c not restarted, a new connection works"
	else
		not_ok "$1: A ${a:-gone} (was $PID_A), B ${b:-gone} (was $PID_B), checkpointer ${c:-?} (was $CKPT), new connection: $fresh"
		[ -n "$a" ] && [ -n "$b" ] || bail "a session is gone: the server restarted"
	fi
}

# holds FILE: A's backend has FILE open (fd) or mapped; prints "fd", "map"
holds()
{
	local what=""
	if find "/proc/$PID_A/fd" -maxdepth 1 -lname "$1" 2>/dev/null | grep -q .; then
		what="fd"
	fi
	if grep -q -F "$1" "/proc/$PID_A/maps" 2>/dev/null; then
		what="${what:+$what }map"
	fi
	echo "$what"
}

# holds_as FILE WANT: what A holds of FILE, looked at up to 20 times 50 ms
#	apart until it is WANT (an mmap import unmaps a window before it maps
#	the next, and a repeated import closes the file between two rows, so
#	one look may fall in between)
holds_as()
{
	local h i
	for ((i = 0; i < 20; i++)); do
		h=$(holds "$1")
		[ "$h" = "$2" ] && break
		sleep 0.05
	done
	echo "$h"
}

# nothing_left WHAT FILE: A neither holds FILE nor counts memory, and
# reports no progress
nothing_left()
{
	local h used prog
	h=$(holds "$2")
	used=$(ask A "SELECT used_memory_mb FROM chronos_memory_stats();")
	prog=$(ask B "SELECT count(*) FROM pg_stat_progress_copy WHERE pid = $PID_A;")
	if [ -z "$h" ] && [ "$used" = "$BASE" ] && [ "$prog" = 0 ]; then
		ok "$1: no fd to the file and no mapping of it in A, chronos memory back to $BASE MB, no progress row"
	else
		not_ok "$1: A still holds the file (${h:-nothing}), chronos memory $used MB (baseline $BASE), progress rows $prog"
	fi
}

# wait_progress: until A reports bytes read; prints them (empty: never)
wait_progress()
{
	local deadline=$((SECONDS + 30)) b
	while [ "$SECONDS" -lt "$deadline" ] && ! finished A; do
		b=$(ask B "SELECT bytes_processed FROM pg_stat_progress_copy WHERE pid = $PID_A AND bytes_processed > 0;")
		if [ -n "$b" ]; then
			echo "$b"
			return 0
		fi
		sleep 0.02
	done
	return 1
}

# slow_import FILE: the import in A's select list, 10 ms a segment of 1000 points
slow_import()
{
	submit A "SELECT count(*) FROM (SELECT chronos_import_csv('$1', key_column => 'series', segment_size => 1000) AS s) x
	WHERE pg_sleep(0.01) IS NOT NULL;
\\echo sqlstate=:SQLSTATE"
}

# ---------------------------------------------------------------------
# (a) the file truncated during an import
# ---------------------------------------------------------------------
# truncated METHOD CUT: CUT is "0" (to nothing) or "ahead" (half a window
# past the last window A started reading, so inside the window it reads)
truncated()
{
	local method=$1 cut=$2 f=$WORK/trunc_$1_$2.csv bytes size out desc
	desc="truncated ($cut) during an import, $method"
	cp "$SRC" "$f" && chmod 644 "$f"
	ask A "SET chronos.stream_method = '$method';" >/dev/null
	slow_import "$f"
	if ! bytes=$(wait_progress); then
		not_ok "$desc: the import did not report progress"
		collect A | sed 's/^/#   /' | head -n 5
		return
	fi
	if [ "$cut" = 0 ]; then
		size=0
	else
		size=$((bytes + 512 * 1024 + 777))
	fi
	truncate -s "$size" "$f"
	out=$(collect A)
	echo "# $desc: cut to $size bytes after $bytes bytes read"
	if grep -q -F "ERROR:  file \"$f\" changed size while it was being read" <<<"$out" &&
		grep -q -x "sqlstate=58030" <<<"$out" &&
		grep -q -F "DETAIL:  It had $SRC_BYTES bytes when reading started and has $size bytes now." <<<"$out" &&
		! grep -q -E '^[0-9]+$' <<<"$out"; then
		ok "$desc: ERROR 58030 \"changed size while it was being read\" with both sizes, no result"
	else
		not_ok "$desc: no ERROR 58030"
		sed 's/^/#   /' <<<"$out" | head -n 10
	fi
	if [ "$method" = mmap ] && [ "$cut" = 0 ]; then
		if grep -q -F "A memory-mapped page past its new end was read." <<<"$out"; then
			ok "$desc: the SIGBUS guard caught the read of a page the truncation removed"
		else
			not_ok "$desc: the error did not come from the SIGBUS guard"
			sed 's/^/#   /' <<<"$out" | head -n 10
		fi
	fi
	alive "$desc"
	nothing_left "$desc" "$f"
	rm -f "$f"
}

for method in mmap pread; do
	truncated "$method" 0
	truncated "$method" ahead
done

# ---------------------------------------------------------------------
# (b) cancel and statement_timeout stop an import at once
# ---------------------------------------------------------------------
# long_import: the whole file imported again for each of 1000 rows (about
# 0.3 s each): minutes, unless stopped
LONG="SELECT count(*) FROM (SELECT g, chronos_import_csv('$SRC', key_column => 'series') FROM generate_series(1, 1000) g) x;
\\echo sqlstate=:SQLSTATE"

for method in mmap pread; do
	ask A "SET chronos.stream_method = '$method';" >/dev/null

	# pg_cancel_backend from B
	submit A "$LONG"
	wait_progress >/dev/null
	sleep 0.3
	want=fd
	[ "$method" = mmap ] && want="fd map"
	h=$(holds_as "$SRC" "$want")
	check "cancel, $method: A holds the file while it imports ($h)" [ "$h" = "$want" ]
	t=$(now)
	ask B "SELECT pg_cancel_backend($PID_A);" >/dev/null
	out=$(ASK_TIMEOUT=10 collect A) || bail "cancel, $method: the import did not stop within 10 s"
	secs=$(since "$t")
	if grep -q -x "sqlstate=57014" <<<"$out" && grep -q -F "canceling statement due to user request" <<<"$out" &&
		le "$secs" 1; then
		ok "cancel, $method: pg_cancel_backend stopped the import in $secs s (57014)"
	else
		not_ok "cancel, $method: after $secs s: $(tr '\n' ' ' <<<"$out" | head -c 300)"
	fi
	alive "cancel, $method"
	nothing_left "cancel, $method" "$SRC"

	# statement_timeout
	ask A "SET statement_timeout = '1s';" >/dev/null
	t=$(now)
	submit A "$LONG"
	wait_progress >/dev/null
	h=$(holds_as "$SRC" "$want")
	out=$(ASK_TIMEOUT=10 collect A) || bail "statement_timeout, $method: the import did not stop within 10 s"
	secs=$(since "$t")
	ask A "RESET statement_timeout;" >/dev/null
	if grep -q -x "sqlstate=57014" <<<"$out" && grep -q -F "canceling statement due to statement timeout" <<<"$out" &&
		le 1 "$secs" && le "$secs" 2 && [ "$h" = "$want" ]; then
		ok "statement_timeout = 1s, $method: the import (holding the file: $h) stopped after $secs s (57014)"
	else
		not_ok "statement_timeout = 1s, $method: after $secs s, holding ${h:-nothing}: $(tr '\n' ' ' <<<"$out" | head -c 300)"
	fi
	nothing_left "statement_timeout, $method" "$SRC"
done

# a LIMIT that stops the reader early (in the select list, where it streams)
ask A "SET chronos.stream_method = 'mmap';" >/dev/null
t=$(now)
out=$(ask A "SELECT count(*) FROM (SELECT chronos_read_csv('$SRC', key_column => 'series') LIMIT 3) x;")
secs=$(since "$t")
check "LIMIT 3 over chronos_read_csv in the select list: 3 rows in $secs s" [ "$out" = 3 ]
nothing_left "LIMIT 3, mmap" "$SRC"
ask A "RESET chronos.stream_method;" >/dev/null

# ---------------------------------------------------------------------
# (c) progress from another session
# ---------------------------------------------------------------------
slow_import "$PROG"
samples=()
deadline=$((SECONDS + 60))
while ! finished A && [ "$SECONDS" -lt "$deadline" ]; do
	s=$(ask B "SELECT command, type, relid, bytes_processed, bytes_total, tuples_processed, tuples_excluded
		FROM pg_stat_progress_copy WHERE pid = $PID_A;")
	[ -n "$s" ] && samples+=("$s")
	sleep 0.2
done
out=$(collect A)
after=$(ask B "SELECT count(*) FROM pg_stat_progress_copy WHERE pid = $PID_A;")
echo "# ${#samples[@]} samples of pg_stat_progress_copy (command|type|relid|bytes_processed|bytes_total|tuples_processed|tuples_excluded):"
[ ${#samples[@]} -gt 0 ] && printf '#   %s\n' "${samples[0]}" "${samples[$((${#samples[@]} / 2))]}" "${samples[-1]}"
check "the slowed import of $PROG_BYTES bytes succeeded" grep -q -x "sqlstate=00000" <<<"$out"
# every sample: COPY FROM, FILE, relid 0, 0 < bytes < total = size, tuples
# within the file's points, nothing excluded, and never going back
bad=$(printf '%s\n' "${samples[@]}" | awk -F'|' -v size="$PROG_BYTES" -v pts="$PROG_POINTS" '
	$1 != "COPY FROM" || $2 != "FILE" || $3 != 0 || $5 != size || $4 < 0 || $4 > size ||
	$6 < 0 || $6 > pts || $7 != 0 || $4 < pb || $6 < pt { nbad++ }
	{ pb = $4; pt = $6 }
	END { print nbad + 0 }')
mid=$(printf '%s\n' "${samples[@]}" | awk -F'|' -v size="$PROG_BYTES" '$4 > 0 && $4 < size && $6 > 0' | wc -l)
grew=$(printf '%s\n' "${samples[@]}" | awk -F'|' 'NR == 1 { b = $4; t = $6 } END { print ($4 > b && $6 > t) ? "yes" : "no" }')
if [ ${#samples[@]} -ge 3 ] && [ "$bad" = 0 ] && [ "$mid" -ge 2 ] && [ "$grew" = yes ]; then
	ok "progress from B: ${#samples[@]} samples, COPY FROM / FILE, bytes_total = $PROG_BYTES, bytes_processed and tuples_processed grow ($mid samples part-way)"
else
	not_ok "progress from B: ${#samples[@]} samples, $bad inconsistent, $mid part-way, grew: $grew"
fi
check "no progress row for A once the import is done" [ "$after" = 0 ]

echo "1..$n"
[ "$failed" -eq 0 ]
