#!/bin/bash
#
# test/memory_groups.sh
#	A HashAggregate with 100,000 small groups stays within
#	chronos.max_memory_mb (issue 8).
#
#	Every group of "GROUP BY g ... compact_ts_agg(ts, v)" has its own
#	aggregate state.  For a group of five points the points are the
#	smallest part of it: the state, the allocator's chunk headers and its
#	rounding cost more.  chronos counts what its memory contexts really
#	hold, and the groups of one aggregate share one context (memory.c), so
#	the sum over 100,000 groups cannot pass the limit while the accounting
#	says it has not.  (chronos 1.0 gave each state a context of its own and
#	counted only the points: 100,000 groups held 300 MB while it counted
#	98 MB, and PostgreSQL's HashAggregate, which walks its child contexts
#	after each new group, took 26 s instead of 1.)
#
#	Runs inside a cluster (PGHOST, PGPORT, ... set; test/run_tests.sh runs it
#	under pg_virtualenv or tools/pg-cluster.sh) as a superuser, since it
#	reads the backend's own /proc/self/status with pg_read_file() to get its
#	peak resident memory (VmHWM).  Each case runs in a fresh session:
#
#	  - work_mem = 1GB, so that the HashAggregate keeps every group in
#	    memory (with the default 4 MB it would spill its input to disk and
#	    hold only a few thousand groups at once), enable_sort = off so that
#	    it is a HashAggregate, no JIT, no parallel workers;
#	  - first the same GROUP BY without chronos (count(*)), so that the
#	    hash table of 100,000 groups and the table's shared buffers are in
#	    VmHWM already; then VmHWM is read;
#	  - then the chronos aggregate under chronos.max_memory_mb = LIMIT, and
#	    VmHWM is read again.
#
#	Checks per case: the outcome (53400 for a limit too small for 100,000
#	states, success for one large enough), chronos's peak within the
#	limit, the backend's growth within the limit + OVERHEAD_MB and within
#	chronos's peak + OVERHEAD_MB (chronos counts what grows with the
#	groups), and that the successful case counts at least the points, 16
#	bytes each (the accounting is not vacuous).  OVERHEAD_MB covers what
#	PostgreSQL adds beside the count(*) baseline: each group's transition
#	value slot, and the per-row work of returning the groups.
#
#	Output: "ok N - ..." / "not ok N - ..." lines and a "1..N" plan; exit
#	status non-zero when a check failed.  "#" lines give the figures.
#
# IDENTIFICATION
#	test/memory_groups.sh

set -uo pipefail

GROUPS_N=${GROUPS_N:-100000}
POINTS=${POINTS:-5}
OVERHEAD_MB=${OVERHEAD_MB:-16}
DB=chronos_memory_groups_$$
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB")

# case table: chronos.max_memory_mb, expected SQLSTATE ("00000" = success)
CASES=(
	"8    53400"
	"16   53400"
	"64   00000"
)

DBS=("$DB")
TMP=$(mktemp -d -t chronos-memory-groups.XXXXXX)
# q, check, le, db_cleanup (and ok / not_ok)
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
trap db_cleanup EXIT

if ! createdb "$DB" || ! "${PSQL[@]}" <<EOF
CREATE EXTENSION chronos;
CREATE TABLE grp (g int, ts timestamptz, v float8);
INSERT INTO grp
SELECT g, '2024-01-01'::timestamptz + p * interval '1 min', g + p / 10.0
FROM generate_series(1, $GROUPS_N) g, generate_series(1, $POINTS) p;
ANALYZE grp;
-- VmHWM of this backend, in kB
CREATE FUNCTION vmhwm_kb() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s*([0-9]+)'))[1]::bigint \$\$;
-- run_case(limit): the aggregate over every group; its SQLSTATE, how many
-- groups it built, chronos's peak (MB), and VmHWM before and after (kB)
CREATE FUNCTION run_case(lim int, OUT state text, OUT ngroups bigint, OUT peak_mb float8,
		OUT hwm_before bigint, OUT hwm_after bigint, OUT used_after float8)
LANGUAGE plpgsql AS \$\$
BEGIN
	PERFORM count(*) FROM (SELECT g, count(*) FROM grp GROUP BY g) s;
	hwm_before := vmhwm_kb();
	PERFORM set_config('chronos.max_memory_mb', lim::text, true);
	PERFORM chronos_memory_reset_peak();
	state := '00000';
	BEGIN
		SELECT count(*) INTO ngroups
		FROM (SELECT g, compact_ts_agg(ts, v) AS x FROM grp GROUP BY g) s
		WHERE length(x) = $POINTS;
	EXCEPTION WHEN OTHERS THEN
		state := SQLSTATE;
	END;
	hwm_after := vmhwm_kb();
	SELECT m.peak_memory_mb, m.used_memory_mb INTO peak_mb, used_after
	FROM chronos_memory_stats() m;
END \$\$;
EOF
then
	echo "Bail out! cannot create database $DB with extension chronos"
	exit 1
fi

SETTINGS="SET jit = off; SET work_mem = '1GB'; SET enable_sort = off;
	SET max_parallel_workers_per_gather = 0;"

plan=$("${PSQL[@]}" -c "$SETTINGS EXPLAIN (COSTS OFF) SELECT g, compact_ts_agg(ts, v) FROM grp GROUP BY g" 2>&1)
check "the plan is a HashAggregate" grep -q 'HashAggregate' <<<"$plan"
echo "# plan: $(tr '\n' ' ' <<<"$plan")"

for spec in "${CASES[@]}"; do
	read -r limit expect <<<"$spec"
	start=$SECONDS
	IFS='|' read -r state ngroups peak before after used <<<"$("${PSQL[@]}" -c "$SETTINGS SELECT * FROM run_case($limit)" 2>&1)"
	grow=$(awk -v a="${after:-0}" -v b="${before:-0}" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
	echo "# limit ${limit} MB: SQLSTATE ${state}, ${ngroups:-0} groups, chronos peak ${peak} MB, VmHWM ${before} -> ${after} kB (+${grow} MB), $((SECONDS - start)) s"

	check "limit $limit MB: SQLSTATE $expect (got $state)" [ "$state" = "$expect" ]
	check "limit $limit MB: chronos peak ${peak} MB <= limit" le "${peak:-999999}" "$limit"
	check "limit $limit MB: used_memory_mb back to 0 (${used})" [ "$used" = 0 ]
	check "limit $limit MB: backend VmHWM +${grow} MB <= limit + ${OVERHEAD_MB} MB" \
		le "$grow" $((limit + OVERHEAD_MB))
	check "limit $limit MB: backend VmHWM +${grow} MB <= chronos peak ${peak} MB + ${OVERHEAD_MB} MB" \
		le "$grow" "$(awk -v p="${peak:-0}" -v o="$OVERHEAD_MB" 'BEGIN { print p + o }')"
	if [ "$expect" = 00000 ]; then
		check "limit $limit MB: all $GROUPS_N groups built (${ngroups})" [ "$ngroups" = "$GROUPS_N" ]
		check "limit $limit MB: chronos peak ${peak} MB counts at least the points, 16 bytes each" \
			le "$(awk -v g="$GROUPS_N" -v p="$POINTS" 'BEGIN { print g * p * 16 / 1048576 }')" "$peak"
	fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
