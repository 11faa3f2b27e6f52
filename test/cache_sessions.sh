#!/bin/bash
#
# test/cache_sessions.sh
#	The per-backend cache (issue 12) across sessions, and its memory as the
#	kernel sees it: what one pg_regress session cannot show.
#
#	Runs inside an existing cluster (PGHOST, PGPORT, PGUSER, ... set, as
#	pg_virtualenv does; test/run_tests.sh calls it as
#	"bash test/cache_sessions.sh" with the extension installed).  It makes
#	its own database and keeps three psql sessions open at once (A, B, C),
#	each reading commands from a fifo, and checks:
#
#	  - another session does not see an entry: B has no entries while A
#	    has one, and B's chronos_cache_get of the same key and loader runs
#	    the loader (a miss in B's counters, none added to A's);
#	  - staleness across sessions: after B updates the table and commits, A
#	    still gets the old value (a hit), until max_age => '0' or
#	    chronos_cache_evict(relation => ...) makes it load again;
#	  - DISCARD ALL in A empties A's cache and leaves B's alone;
#	  - a hit is much faster than a miss whose loader aggregates 1 million
#	    rows (at least 10 times: measured ratios are in the hundreds);
#	  - memory as the kernel sees it: session C (chronos.cache_size_mb = 32)
#	    loads twenty values of about 4 MB each: the cache stays within
#	    32 MB, evicting as it goes; the backend's VmHWM grows by at most the
#	    cap plus two values (the caller's copy and the cache's, both
#	    counted) plus OVERHEAD_MB (PostgreSQL's own memory for the
#	    statement, as in test/memory_sessions.sh); and after
#	    chronos_cache_clear() chronos counts nothing.  VmHWM also counts the
#	    shared buffers a backend touches (RssShmem): C first reads every
#	    value once (77 MB of TOAST pages, which would otherwise show as
#	    growth), and the growth is measured from there.
#
#	Output: one "ok N - ..." or "not ok N - ..." line per check, a "1..N"
#	plan, exit status non-zero when any check failed.  Timings are printed
#	as "# " comments.
#
# IDENTIFICATION
#	test/cache_sessions.sh

set -uo pipefail

OVERHEAD_MB=${OVERHEAD_MB:-16}
DB=chronos_cache_sessions
PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)

WORK=$(mktemp -d /tmp/chronos_cache_sessions.XXXXXX)
TMP=$WORK
DBS=("$DB")

# q, check, le, db_cleanup (and ok / not_ok); start_session, ask
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/sessions.sh"
trap sessions_cleanup EXIT

# expect DESCRIPTION WANT GOT
expect()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   got:      $3"
	fi
}

vmhwm_kb()
{
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# ---------------------------------------------------------------------
# set-up
# ---------------------------------------------------------------------
dropdb --if-exists "$DB" >/dev/null 2>&1
if ! createdb "$DB" || ! "${PSQL[@]}" -d "$DB" <<'EOF'
CREATE EXTENSION chronos;
SELECT setseed(0.5);
CREATE TABLE series (name text PRIMARY KEY, data compact_ts);
INSERT INTO series
SELECT 'small', compact_ts(ARRAY['2024-01-01 00:00:00+00', '2024-01-01 00:00:10+00']::timestamptz[],
						   ARRAY[1.5, 2.5]);
-- twenty values of 2 million random points, about 4 MB each
INSERT INTO series
SELECT 'big-' || n, compact_ts_agg('2024-01-01'::timestamptz + i * interval '1 s', random())
FROM generate_series(1, 20) n, generate_series(1, 2000000) i
GROUP BY n;
-- the rows of one million points, for an aggregating loader
CREATE TABLE raw AS
SELECT '2024-01-01'::timestamptz + i * interval '10 s' AS ts, random() AS v
FROM generate_series(1, 1000000) i;
EOF
then
	echo "Bail out! cannot create database $DB with extension chronos"
	exit 1
fi

SMALL="SELECT data FROM series WHERE name = 'small'"
start_session A
start_session B
start_session C

# ---------------------------------------------------------------------
# another session does not see the cache
# ---------------------------------------------------------------------
ask A "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$));" >/dev/null
expect "session A: a miss, one entry" "1|0|1" \
	"$(ask A "SELECT entries || '|' || hits || '|' || misses FROM chronos_cache_stats();")"
expect "session B does not see A's entry" "0" \
	"$(ask B "SELECT count(*) FROM chronos_cache_entries();")"
ask B "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$));" >/dev/null
expect "session B: the same key and loader is a miss in B" "1|0|1" \
	"$(ask B "SELECT entries || '|' || hits || '|' || misses FROM chronos_cache_stats();")"
expect "session A's counters did not move" "1|0|1" \
	"$(ask A "SELECT entries || '|' || hits || '|' || misses FROM chronos_cache_stats();")"

# ---------------------------------------------------------------------
# staleness across sessions
# ---------------------------------------------------------------------
ask B "UPDATE series SET data = compact_ts(ARRAY['2024-01-01 00:00:00+00']::timestamptz[], ARRAY[9.0]) WHERE name = 'small';" >/dev/null
expect "after B's committed update, A still gets the cached value" "2" \
	"$(ask A "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$));")"
expect "... with max_age => '0' A loads the new one" "1" \
	"$(ask A "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$, max_age => '0'));")"
ask B "UPDATE series SET data = compact_ts(ARRAY['2024-01-01 00:00:00+00', '2024-01-01 00:00:10+00']::timestamptz[], ARRAY[1.5, 2.5]) WHERE name = 'small';" >/dev/null
expect "... and after another update, chronos_cache_evict(relation => 'series') in A" "1|2" \
	"$(ask A "SELECT chronos_cache_evict(relation => 'series') || '|' || length(chronos_cache_get('small', \$\$$SMALL\$\$));")"
expect "B's own entry is still B's old value" "2" \
	"$(ask B "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$));")"

# ---------------------------------------------------------------------
# DISCARD ALL
# ---------------------------------------------------------------------
ask A "DISCARD ALL;" >/dev/null
expect "DISCARD ALL empties A's cache and resets its counters" "0|0|0" \
	"$(ask A "SELECT entries || '|' || hits || '|' || misses FROM chronos_cache_stats();")"
expect "... and leaves B's alone" "1" \
	"$(ask B "SELECT entries FROM chronos_cache_stats();")"

# ---------------------------------------------------------------------
# a hit against a miss whose loader aggregates a million rows
# ---------------------------------------------------------------------
AGG="SELECT compact_ts_agg(ts, v) FROM raw"
times=$(ask A "
SELECT clock_timestamp() AS t0 \\gset
SELECT length(chronos_cache_get('agg', \$\$$AGG\$\$));
SELECT clock_timestamp() AS t1 \\gset
SELECT length(chronos_cache_get('agg', \$\$$AGG\$\$));
SELECT clock_timestamp() AS t2 \\gset
SELECT round(extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz)::numeric * 1000, 3)
	|| ' ' || round(extract(epoch FROM :'t2'::timestamptz - :'t1'::timestamptz)::numeric * 1000, 3);" | tail -n 1)
read -r miss_ms hit_ms <<<"$times"
echo "# 1,000,000 points, aggregating loader: miss ${miss_ms} ms, hit ${hit_ms} ms"
if awk -v m="$miss_ms" -v h="$hit_ms" 'BEGIN { exit !(m > 0 && h >= 0 && m >= 10 * h) }'; then
	ok "a hit is at least 10 times faster than the aggregating miss (${miss_ms} ms vs ${hit_ms} ms)"
else
	not_ok "a hit is at least 10 times faster than the aggregating miss (${miss_ms} ms vs ${hit_ms} ms)"
fi

# ---------------------------------------------------------------------
# the cap and the backend's memory
# ---------------------------------------------------------------------
pid_c=$(ask C "SELECT pg_backend_pid();")
value_mb=$(ask C "SELECT round(max(pg_column_size(data)) / 1048576.0, 2) FROM series WHERE name LIKE 'big-%';")
ask C "SELECT sum(octet_length(compact_ts_to_bytea(data))) FROM series;" >/dev/null
ask C "SELECT length(chronos_cache_get('small', \$\$$SMALL\$\$));" >/dev/null
base_kb=$(vmhwm_kb "$pid_c")
ask C "SET chronos.cache_size_mb = 32; SET chronos.max_memory_mb = 64;" >/dev/null
out=$(ask C "
SELECT count(length(chronos_cache_get(name, format('SELECT data FROM series WHERE name = %L', name))))
FROM series WHERE name LIKE 'big-%';
SELECT entries, round(bytes / 1048576.0, 2), evictions, round(cache_memory_mb::numeric, 2)
FROM chronos_cache_stats(), chronos_memory_stats();")
peak_kb=$(vmhwm_kb "$pid_c")
IFS='|' read -r entries cache_mb evictions cache_memory_mb <<<"$(echo "$out" | tail -n 1)"
grown_mb=$(awk -v a="$peak_kb" -v b="$base_kb" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
echo "# session C: twenty values of ${value_mb} MB under chronos.cache_size_mb = 32: $entries entries, $cache_mb MB, $evictions evictions; VmHWM grew by $grown_mb MB"
expect "session C loaded twenty values" "20" "$(echo "$out" | head -n 1)"
check "the cache stayed within 32 MB ($cache_mb MB, $entries entries)" le "$cache_mb" 32
check "it evicted as it went ($evictions evictions)" le 12 "$evictions"
expect "stats bytes = cache_memory_mb" "$cache_mb" "$cache_memory_mb"
limit_mb=$(awk -v v="$value_mb" -v o="$OVERHEAD_MB" 'BEGIN { print 32 + 2 * v + o }')
check "the backend grew by $grown_mb MB, at most the cap + two values + $OVERHEAD_MB MB ($limit_mb MB)" \
	le "$grown_mb" "$limit_mb"
expect "after chronos_cache_clear() chronos counts nothing" "0|0" \
	"$(ask C "SELECT chronos_cache_clear() >= 0 AS cleared \\gset
SELECT used_memory_mb || '|' || cache_memory_mb FROM chronos_memory_stats();")"

echo "1..$n"
[ "$failed" -eq 0 ]
