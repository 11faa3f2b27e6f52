#!/bin/bash
#
# test/memory_sessions.sh
#	chronos.max_memory_mb across several concurrent sessions (issue 4).
#
#	Runs inside an existing cluster (PGHOST, PGPORT, PGUSER, ... set, as
#	pg_virtualenv does; test/run_tests.sh calls it as
#	"bash test/memory_sessions.sh" with the extension installed).  It makes
#	its own database, starts several psql sessions at once, each with its
#	own chronos.max_memory_mb, and has each build a compact_ts with
#	compact_ts_agg over a few million points: some over their limit (they
#	must fail with SQLSTATE 53400), some within (they must succeed).  One
#	more session is cancelled in the middle of a large aggregate.  While
#	every session is still connected and idle, the script reads the
#	backend's peak resident memory (VmHWM in /proc/<pid>/status; it must
#	be able to read other users' /proc, e.g. run as root) and checks, per
#	session:
#
#	  - the outcome (error 53400 or success, 57014 for the cancelled one);
#	  - chronos_memory_stats().peak_memory_mb <= chronos.max_memory_mb, and
#	    for a successful build, >= 16 bytes per point (the accounting is not
#	    vacuous);
#	  - used_memory_mb is back to 0 after the statement, failed or not;
#	  - VmHWM(backend) - VmHWM(idle backend) <= limit + OVERHEAD_MB, and
#	    <= chronos peak + OVERHEAD_MB;
#	  - for the cancelled session, that the aggregate was under way;
#	  - chronos.log_memory: the session that sets it logs its operation's
#	    peak, the others log nothing.
#
#	OVERHEAD_MB is PostgreSQL's own memory for the same statement, which
#	chronos does not account: the executor, the aggregate's input rows, the
#	finished value as the executor copies it, allocator slack around
#	chronos's buffers, and the shared memory pages the backend touches.
#	The sessions read generate_series() in the select list, which streams
#	rows; in FROM it would first fill a tuplestore of up to work_mem (4 MB
#	more).  JIT is off in every session: the first JIT-compiled query maps
#	LLVM, 50-75 MB of shared library pages that VmHWM counts but that are
#	neither chronos's memory nor private to the backend.  Measured on
#	PostgreSQL 15 / x86-64 (see the README, "Memory limits"): a backend
#	grows by its chronos peak plus 2-4 MB (by less than its chronos peak
#	when a doubled array is not filled: reserved pages that are never
#	touched are not resident).  The checks allow OVERHEAD_MB = 16, against
#	both the limit and the chronos peak: the second one shows that chronos
#	accounts for all the memory that grows with the data.
#
#	Output: one "ok N - ..." or "not ok N - ..." line per check, a "1..N"
#	plan, exit status non-zero when any check failed.
#
# IDENTIFICATION
#	test/memory_sessions.sh

set -uo pipefail

OVERHEAD_MB=${OVERHEAD_MB:-16}
DB=chronos_memory_sessions
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)

# session table: name, chronos.max_memory_mb, points, expected SQLSTATE
# ("00000" = success).  The costs behind the choices: compact_ts_agg over
# time-ordered input reserves 16 bytes per point in an array that doubles
# (from 65536 points), then the encoded value: 1 million points need 18 MB,
# 3 million 70 MB (a 64 MB array).  Shuffled input also needs a 16-byte
# sort buffer per point: 2 million shuffled points need 66 MB.
SESSIONS=(
	"s16   16    3000000  ordered   53400"
	"s32   32    3000000  ordered   53400"
	"s64   64    1000000  ordered   00000"
	"s128  128   2000000  shuffled  00000"
	"s256  256   3000000  ordered   00000"
)

WORK=$(mktemp -d /tmp/chronos_memory_sessions.XXXXXX)
TMP=$WORK
DBS=("$DB")

# q, check, le, db_cleanup (and ok / not_ok)
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
# start_session, send, sessions_cleanup
. "$(dirname "${BASH_SOURCE[0]}")/lib/sessions.sh"

vmhwm_kb()
{
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

trap sessions_cleanup EXIT

# wait_results COUNT SECONDS: wait until results holds COUNT rows
wait_results()
{
	local want=$1 deadline=$((SECONDS + $2)) have
	while [ "$SECONDS" -lt "$deadline" ]; do
		have=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM results" 2>/dev/null)
		[ "${have:-0}" -ge "$want" ] && return 0
		sleep 0.2
	done
	return 1
}

# ---------------------------------------------------------------------
# set-up
# ---------------------------------------------------------------------
if [ ! -r /proc/self/status ]; then
	echo "Bail out! /proc is not readable"
	exit 1
fi

dropdb --if-exists "$DB" >/dev/null 2>&1
if ! createdb "$DB" || ! "${PSQL[@]}" -d "$DB" <<'EOF'
CREATE EXTENSION chronos;
CREATE TABLE results (
	session text PRIMARY KEY,
	pid int,
	limit_mb int,
	points bigint,
	sqlstate text,
	used_before float8,
	used_after float8,
	peak_mb float8
);
-- run_build(session, points): compact_ts_agg over points points, in its own
-- subtransaction; records the outcome and this backend's chronos figures.
-- generate_series in the select list streams its rows (ProjectSet); in FROM
-- it would first materialize them all (a work_mem tuplestore), and a cancel
-- would hit that instead of the aggregate.
CREATE FUNCTION run_build(session text, npoints bigint, shuffled boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	state text := '00000';
	before float8;
	len int;
BEGIN
	PERFORM chronos_memory_reset_peak();
	SELECT used_memory_mb INTO before FROM chronos_memory_stats();
	BEGIN
		-- shuffled: g * 7919 mod npoints permutes 0 .. npoints - 1 (7919 is
		-- a prime that divides none of the sizes used here)
		SELECT length(compact_ts_agg(ts, v)) INTO len
		FROM (SELECT '2020-01-01 00:00:00+00'::timestamptz
					 + (CASE WHEN shuffled THEN (g * 7919) % npoints ELSE g END)
					   * interval '10 s' AS ts,
					 round((100 * sin(g / 1000.0))::numeric, 2)::float8 AS v
			  FROM (SELECT generate_series(1, npoints) AS g) gs) s;
		IF len <> npoints THEN
			state := 'WRONG';
		END IF;
	EXCEPTION
		WHEN query_canceled THEN
			state := '57014';
		WHEN OTHERS THEN
			state := SQLSTATE;
	END;
	INSERT INTO results
	SELECT session, pg_backend_pid(),
		   (SELECT setting::int FROM pg_settings WHERE name = 'chronos.max_memory_mb'),
		   npoints, state, before, used_memory_mb, peak_memory_mb
	FROM chronos_memory_stats();
END $$;
EOF
then
	echo "Bail out! cannot create database $DB with extension chronos"
	exit 1
fi

# ---------------------------------------------------------------------
# an idle backend, for the baseline
# ---------------------------------------------------------------------
start_session idle
send idle "SELECT * FROM chronos_memory_stats();"
send idle "INSERT INTO results (session, pid) VALUES ('idle', pg_backend_pid());"

# a backend that runs the same query shape without chronos (for the log)
start_session plain
send plain "SELECT * FROM chronos_memory_stats();"
send plain "SELECT count(*) FROM (SELECT '2020-01-01 00:00:00+00'::timestamptz + g * interval '10 s' AS ts, round((100 * sin(g / 1000.0))::numeric, 2)::float8 AS v FROM (SELECT generate_series(1, 3000000) AS g) gs) s;"
send plain "INSERT INTO results (session, pid) VALUES ('plain', pg_backend_pid());"

# ---------------------------------------------------------------------
# the sessions, all at once
# ---------------------------------------------------------------------
for spec in "${SESSIONS[@]}"; do
	read -r name limit points order expect <<<"$spec"
	start_session "$name"
	send "$name" "SET chronos.max_memory_mb = $limit;"
	if [ "$name" = s256 ]; then
		# this one also logs its reservations and peak
		send "$name" "SET chronos.log_memory = on;"
		send "$name" "SET client_min_messages = log;"
	fi
	send "$name" "SELECT run_build('$name', $points, $([ "$order" = shuffled ] && echo true || echo false));"
done

# a session cancelled in the middle of a large aggregate
start_session cancel
send cancel "SET chronos.max_memory_mb = 2048;"
send cancel "SELECT set_config('application_name', 'chronos_cancel_me', false);"
send cancel "SELECT run_build('cancel', 30000000, false);"

# cancel it once it has been busy for a while
cancelled=0
deadline=$((SECONDS + 120))
while [ "$SECONDS" -lt "$deadline" ]; do
	r=$("${PSQL[@]}" -d "$DB" -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'chronos_cancel_me' AND state = 'active'
		AND now() - query_start > interval '1.5 s'" 2>/dev/null)
	if [ "$r" = t ]; then
		cancelled=1
		break
	fi
	sleep 0.2
done
check "the cancel session was cancelled while building" [ "$cancelled" = 1 ]

if ! wait_results $((${#SESSIONS[@]} + 3)) 300; then
	not_ok "every session reported within 300 s"
	for f in "$WORK"/*.err; do
		sed "s/^/# $(basename "$f" .err): /" "$f"
	done
	echo "1..$n"
	exit 1
fi
ok "every session reported"

# ---------------------------------------------------------------------
# measure while every backend is still connected
# ---------------------------------------------------------------------
idle_pid=$("${PSQL[@]}" -d "$DB" -c "SELECT pid FROM results WHERE session = 'idle'")
idle_kb=$(vmhwm_kb "$idle_pid")
plain_pid=$("${PSQL[@]}" -d "$DB" -c "SELECT pid FROM results WHERE session = 'plain'")
plain_kb=$(vmhwm_kb "$plain_pid")
check "VmHWM of the idle backend is readable (${idle_kb:-?} kB)" [ -n "$idle_kb" ]
if [ -z "$idle_kb" ]; then
	echo "1..$n"
	exit 1
fi
echo "# idle backend VmHWM ${idle_kb} kB; plain count(*) over 3M generated rows adds $(((${plain_kb:-0} - idle_kb) / 1024)) MB"

for spec in "${SESSIONS[@]}" "cancel 2048 30000000 ordered 57014"; do
	read -r name limit points order expect <<<"$spec"
	IFS='|' read -r pid state used_before used_after peak <<<"$("${PSQL[@]}" -d "$DB" -c \
		"SELECT pid, sqlstate, used_before, used_after, peak_mb FROM results WHERE session = '$name'")"
	kb=$(vmhwm_kb "$pid")
	extra_mb=$(awk -v a="${kb:-0}" -v b="$idle_kb" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
	echo "# $name: limit ${limit} MB, ${points} points ($order), SQLSTATE $state, chronos peak ${peak} MB, VmHWM ${kb} kB (+${extra_mb} MB over idle)"

	check "$name: SQLSTATE $expect (got $state)" [ "$state" = "$expect" ]
	check "$name: chronos peak ${peak} MB <= limit ${limit} MB" le "$peak" "$limit"
	check "$name: used_memory_mb back to ${used_before} after the statement (${used_after})" \
		[ "$used_after" = "$used_before" ]
	if [ "$expect" = 00000 ]; then
		check "$name: peak ${peak} MB covers 16 bytes per point" \
			le "$(awk -v p="$points" 'BEGIN { print 16 * p / 1048576 }')" "$peak"
	fi
	check "$name: backend VmHWM +${extra_mb} MB <= limit ${limit} MB + ${OVERHEAD_MB} MB overhead" \
		le "$extra_mb" $((limit + OVERHEAD_MB))
	# stronger: chronos accounts for all the memory that grows with the
	# data, so the backend grows by at most chronos's own peak + overhead
	check "$name: backend VmHWM +${extra_mb} MB <= chronos peak ${peak} MB + ${OVERHEAD_MB} MB overhead" \
		le "$extra_mb" "$(awk -v p="$peak" -v o="$OVERHEAD_MB" 'BEGIN { print p + o }')"
	if [ "$name" = cancel ]; then
		check "cancel: the aggregate was under way when cancelled (chronos peak ${peak} MB > 0)" \
			bash -c "awk -v p='$peak' 'BEGIN { exit !(p > 0) }'"
	fi
done

# the session with chronos.log_memory on logged its operation's peak
check "s256: chronos.log_memory logs the operation's peak" \
	grep -q 'LOG:  chronos operation ".*", peak [0-9]* bytes\|LOG:  chronos operation ".*" .*peak [0-9]* bytes' "$WORK/s256.out"
check "s16: no log line without chronos.log_memory" \
	bash -c "! grep -q 'chronos operation' '$WORK/s16.out'"

echo "1..$n"
[ "$failed" -eq 0 ]
