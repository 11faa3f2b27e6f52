#!/bin/bash
#
# test/stream_large.sh
#	chronos_import_csv on a generated file of a few hundred MB with a small
#	memory limit (issue 10).
#
#	Runs inside an existing cluster (PGHOST, PGPORT, PGUSER, ... set, as
#	pg_virtualenv does; test/run_tests.sh calls it as
#	"bash test/stream_large.sh" with the extension installed), as a user
#	that may read other users' /proc (root).  It builds the seeded generator
#	(test/csv/gen_csv.c) into test/build/stream/, writes a long-format file
#	of STREAM_LARGE_MB (default 256) MB there (100 series, 1% missing cells,
#	0.1% rows late by a time step), and checks:
#
#	  - the import at chronos.max_memory_mb = 32 (pread, the default): the
#	    backend's VmHWM, read while the session is still open, stays within
#	    HWM_GOAL_MB (64, the issue's goal) and within its idle VmHWM plus
#	    the limit plus OVERHEAD_MB (16: PostgreSQL's own memory for the
#	    statement, see test/memory_sessions.sh); chronos's peak stays within
#	    the limit and its memory goes back to 0;
#	  - the counts: segments of at most chronos.chunk_size points, in time
#	    order per series, as many points as gen_csv wrote value cells minus
#	    missing ones; the NOTICE's line counts add up to the file's lines;
#	  - every value: the imported points against COPY of the same file into
#	    a plain table, each present and within its segment's max_error;
#	  - mmap windows give the very same segments, within the same limit;
#	  - the temporary files an import in FROM writes (the tuplestore of its
#	    output) are about the size of the segments, and an import in the
#	    select list writes none.
#
#	Output: "ok N - ..." / "not ok N - ..." lines, a "1..N" plan, exit
#	status non-zero when a check failed.  The generated file is removed at
#	the end (KEEP_TMP=1 keeps it).
#
# IDENTIFICATION
#	test/stream_large.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE_MB=${STREAM_LARGE_MB:-256}
HWM_GOAL_MB=${HWM_GOAL_MB:-64}
OVERHEAD_MB=${OVERHEAD_MB:-16}
LIMIT_MB=32
DB=chronos_stream_large
BUILD=$ROOT/test/build/stream
mkdir -p "$BUILD"
TMP=$(mktemp -d "$BUILD/large.XXXXXX")
DBS=("$DB")
chmod 755 "$TMP"

# q, check, le, db_cleanup (and ok / not_ok); build_gen_csv, gen_csv_file
. "$ROOT/test/lib/db.sh"
. "$ROOT/test/lib/gen_csv.sh"
trap db_cleanup EXIT

kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

if ! build_gen_csv "$BUILD" >"$TMP/gen.log" 2>&1; then
	not_ok "build test/csv/gen_csv.c"
	sed 's/^/#   /' "$TMP/gen.log"
	echo "1..$n"
	exit 1
fi
F=$TMP/readings.csv
gen_csv_file "$BUILD" "$F" -s 42 -n 100 -B "${SIZE_MB}M" -m 0.01 -o 0.001
ROWS=$GEN_ROWS CELLS=$GEN_CELLS MISSING=$GEN_MISSING LATE=$GEN_LATE BYTES=$GEN_BYTES
POINTS=$((CELLS - MISSING))
echo "# generated $F: $(kb_to_mb $((BYTES / 1024))) MB, $ROWS rows, $MISSING missing cells, $LATE late rows"

dropdb --if-exists "$DB" >/dev/null 2>&1
if ! createdb "$DB" || ! q "$DB" -c "CREATE EXTENSION chronos" \
	-c "CREATE TABLE segs (series text, segment compact_ts)" \
	-c "CREATE TABLE segs_mmap (series text, segment compact_ts)"; then
	echo "Bail out! cannot create database $DB with extension chronos"
	exit 1
fi

# import TABLE METHOD: the import at chronos.max_memory_mb = 32 in a fresh
# session; prints "idle_kb hwm_kb peak_mb used_mb" on the last line, the
# NOTICE in $TMP/TABLE.notice
import()
{
	local table=$1 method=$2
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" 2>"$TMP/$table.notice" <<-EOF
		SET jit = off;
		SET max_parallel_workers_per_gather = 0;
		SET chronos.max_memory_mb = $LIMIT_MB;
		SET chronos.stream_method = '$method';
		SET client_min_messages = notice;
		SELECT pg_backend_pid() AS pid \\gset
		\\setenv BACKEND :pid
		\\! awk '/^VmHWM:/ { printf "%s ", \$2 }' /proc/\$BACKEND/status
		SELECT chronos_memory_reset_peak() IS NULL AS reset \\gset
		INSERT INTO $table SELECT * FROM chronos_import_csv('$F', key_column => 'series');
		\\! awk '/^VmHWM:/ { printf "%s ", \$2 }' /proc/\$BACKEND/status
		SELECT peak_memory_mb || ' ' || used_memory_mb FROM chronos_memory_stats();
	EOF
}

# ---------------------------------------------------------------------
# the import, pread windows, within 32 MB
# ---------------------------------------------------------------------
start=$(date +%s.%N)
out=$(import segs pread)
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
read -r idle hwm peak used <<<"$(tail -n 1 <<<"$out")"
if [ $rc -eq 0 ] && [ -n "${used:-}" ]; then
	ok "import of $(kb_to_mb $((BYTES / 1024))) MB at chronos.max_memory_mb = $LIMIT_MB (pread) in $secs s ($(awk -v b="$BYTES" -v s="$secs" 'BEGIN { printf "%.0f", b / 1048576 / s }') MB/s)"
else
	not_ok "import at chronos.max_memory_mb = $LIMIT_MB failed"
	sed 's/^/#   /' "$TMP/segs.notice" <<<"$out" | head -n 20
	idle=0 hwm=0 peak=999 used=999
fi
echo "# VmHWM idle $(kb_to_mb "$idle") MB, after the import $(kb_to_mb "$hwm") MB; chronos peak $peak MB"
if le "$(kb_to_mb "$hwm")" "$HWM_GOAL_MB"; then
	ok "backend VmHWM $(kb_to_mb "$hwm") MB <= $HWM_GOAL_MB MB"
else
	not_ok "backend VmHWM $(kb_to_mb "$hwm") MB > $HWM_GOAL_MB MB"
fi
if le "$(kb_to_mb $((hwm - idle)))" $((LIMIT_MB + OVERHEAD_MB)); then
	ok "backend grew by $(kb_to_mb $((hwm - idle))) MB <= limit + $OVERHEAD_MB MB"
else
	not_ok "backend grew by $(kb_to_mb $((hwm - idle))) MB > limit + $OVERHEAD_MB MB"
fi
if le "$peak" "$LIMIT_MB" && [ "$used" = 0 ]; then
	ok "chronos peak $peak MB <= $LIMIT_MB MB, and back to 0 after the import"
else
	not_ok "chronos peak $peak MB (limit $LIMIT_MB MB), $used MB still used"
fi

# ---------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------
read -r nseg nseries npoints maxlen unordered < <(q "$DB" -F ' ' -c "
	SELECT count(*), count(DISTINCT series), sum(length(segment)), max(length(segment)),
		   (SELECT count(*) FROM (SELECT first_time(segment) < lag(last_time(segment)) OVER
									 (PARTITION BY series ORDER BY first_time(segment), last_time(segment)) AS bad
								  FROM segs) x WHERE bad)
	FROM segs")
chunk=$(q "$DB" -c "LOAD 'chronos'" -c "SHOW chronos.chunk_size")
if [ "$npoints" = "$POINTS" ] && [ "$nseries" = 100 ] && [ "$maxlen" -le "$chunk" ]; then
	ok "$nseg segments of at most $chunk points for 100 series, $npoints points = $CELLS cells - $MISSING missing"
else
	not_ok "segments: $nseg, series $nseries, points $npoints (want $POINTS), longest $maxlen"
fi
if [ "$unordered" = 0 ]; then
	ok "segments of each series do not overlap in time ($LATE rows late by one step were sorted in)"
else
	not_ok "$unordered segments overlap the one before them"
fi
want_notice="lines read: $((ROWS + 1)) = 1 header + 0 blank + $ROWS data + 0 skipped as malformed"
if grep -q -F "$want_notice" "$TMP/segs.notice" &&
	grep -q -F "cells: $CELLS = $POINTS points + $MISSING missing" "$TMP/segs.notice"; then
	ok "the NOTICE's counts add up: $((ROWS + 1)) lines, $CELLS cells"
else
	not_ok "the NOTICE's counts"
	sed 's/^/#   /' "$TMP/segs.notice" | head -n 5
fi

# ---------------------------------------------------------------------
# every value, against COPY of the same file
# ---------------------------------------------------------------------
if q "$DB" <<-EOF
	SET work_mem = '256MB';
	CREATE TABLE copied (series text, ts timestamptz, value text);
	COPY copied FROM '$F' WITH (FORMAT csv, HEADER);
	CREATE TABLE plain AS
		SELECT series, ts, value::float8 AS value FROM copied WHERE value NOT IN ('', 'NA');
	CREATE TABLE imported AS
		SELECT s.series, u.ts, u.value, max_error(s.segment) AS err FROM segs s, unnest(s.segment) u;
	ANALYZE plain;
	ANALYZE imported;
EOF
then
	read -r missing_pts extra_pts off worst < <(q "$DB" -F ' ' -c "
		SET work_mem = '256MB';
		SELECT count(*) FILTER (WHERE i.series IS NULL), count(*) FILTER (WHERE p.series IS NULL),
			   count(*) FILTER (WHERE abs(i.value - p.value) > i.err),
			   coalesce(max(abs(i.value - p.value)), 0)
		FROM plain p FULL JOIN imported i USING (series, ts)" | tail -n 1)
	if [ "$missing_pts" = 0 ] && [ "$extra_pts" = 0 ] && [ "$off" = 0 ]; then
		ok "every point of COPY's table imported, none more, each within its segment's max_error (largest difference $worst)"
	else
		not_ok "against COPY: $missing_pts points missing, $extra_pts extra, $off off by more than max_error"
	fi
else
	not_ok "COPY of the same file into a plain table"
fi

# ---------------------------------------------------------------------
# mmap windows: the same segments
# ---------------------------------------------------------------------
out=$(import segs_mmap mmap)
read -r idle hwm peak used <<<"$(tail -n 1 <<<"$out")"
same=$(q "$DB" -c "
	SELECT (SELECT count(*) FROM segs) = (SELECT count(*) FROM segs_mmap)
	   AND NOT EXISTS (SELECT series, segment FROM segs EXCEPT ALL SELECT series, segment FROM segs_mmap)")
if [ "$same" = t ] && le "${peak:-999}" "$LIMIT_MB"; then
	ok "mmap windows give the same segments (chronos peak $peak MB, VmHWM $(kb_to_mb "${hwm:-0}") MB)"
else
	not_ok "mmap windows: same segments $same, chronos peak ${peak:-?} MB"
	sed 's/^/#   /' "$TMP/segs_mmap.notice" | head -n 10
fi

# ---------------------------------------------------------------------
# temporary files: FROM materializes the segments, the select list does not
# ---------------------------------------------------------------------
temp_bytes()
{
	q "$DB" -c "SELECT pg_stat_force_next_flush()" >/dev/null 2>&1
	sleep 0.6
	q "$DB" -c "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()"
}
t0=$(temp_bytes)
q "$DB" -c "SELECT count(*) FROM chronos_import_csv('$F', key_column => 'series')" >/dev/null 2>&1
t1=$(temp_bytes)
q "$DB" -c "SELECT count(*) FROM (SELECT chronos_import_csv('$F', key_column => 'series') AS s) x" >/dev/null 2>&1
t2=$(temp_bytes)
seg_bytes=$(q "$DB" -c "SELECT sum(pg_column_size(segment)) FROM segs")
echo "# temporary files: in FROM $((t1 - t0)) bytes, in the select list $((t2 - t1)) bytes; segments $seg_bytes bytes"
if [ $((t2 - t1)) -eq 0 ] && [ $((t1 - t0)) -le $((seg_bytes * 2 + 8388608)) ]; then
	ok "temporary files: none in the select list, $(kb_to_mb $(((t1 - t0) / 1024))) MB in FROM (segments: $(kb_to_mb $((seg_bytes / 1024))) MB)"
else
	not_ok "temporary files: $((t2 - t1)) bytes in the select list, $((t1 - t0)) in FROM"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
