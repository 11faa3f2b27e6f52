#!/bin/bash
#
# test/bench/run.sh [quick|full]
#	The chronos benchmark, what "make bench" runs (BENCH_MODE=quick|full,
#	default quick).  Every row compares chronos with PostgreSQL's own way of
#	doing the same job, both measured in the same run and cluster.
#
#	From a fresh clone after the README's set-up, as root (or with
#	passwordless sudo), without a terminal:
#	  1. tools/install-deps.sh (if present): installs what is missing
#	  2. make; make install; builds test/bench/gen and codec_bench, and two
#	     private builds of chronos.so for row 8 (with and without memory
#	     accounting) under test/build/bench/
#	  3. in a throwaway cluster (pg_virtualenv -t): loads the sample data
#	     and the generated set (seeded: the same data every run), runs every
#	     row of the registry, prints one table, and writes
#	       test/bench/results/bench-<mode>-<UTC time>.{csv,json,md}
#	       test/bench/results/bytes-<mode>-<UTC time>.csv  (row 1, per series)
#	       test/bench/results/latest.{csv,json,md}, latest_bytes.csv
#	                                                   (copies of this run)
#	     test/bench/results/ is git-ignored.
#
#	quick: generated set of 20 series x 50,000 points, 3 repetitions
#	       (well under two minutes on 2 cores once built);
#	full:  100 series x 100,000 points, 5 repetitions (the published table).
#	Sizes can be overridden: BENCH_SERIES, BENCH_POINTS, BENCH_REPS.
#	BENCH_ROWS="row_build row_read_from": run only those rows (the data is
#	still loaded); such a run is saved as bench-<mode>-partial-<time>.* and
#	leaves latest.* alone.
#
# Timing
#	SQL rows: clock_timestamp() read by the same session just before and
#	just after the timed statement (so a round trip to the server, well under
#	a millisecond, is included), with a warm cache: every statement runs once
#	untimed first (the builds of row 2 instead start each run after a
#	CHECKPOINT), and the chronos and PostgreSQL statements alternate, REPS
#	times each, in one session.  The median is reported.  The codec row (7)
#	is the thread's CPU time in C.  Memory (row 6): VmHWM from
#	/proc/<backend pid>/status, read while the session is still open, and
#	the largest RssAnon sampled every 20 ms (sampler.sh), one fresh session
#	per measurement.  Row 8 compares two builds of the same code: the
#	backend's CPU time (/proc/<pid>/schedstat), which the other work on a
#	shared machine disturbs less than the wall clock.
#
# Ratio
#	"x" is chronos's advantage: PostgreSQL's time / bytes / memory divided by
#	chronos's (for rates, chronos's rate divided by PostgreSQL's).  Above 1:
#	chronos is better; below 1: PostgreSQL is.
#
# Adding a row
#	Write a function row_<name> that measures with measure_pair (two SQL
#	statements timed alternately), measure_mem (peak backend memory) or
#	anything else, and reports with emit; then add its name to ROWS below.
#	A row that fails is reported as a failed row; the others still run.
#
# IDENTIFICATION
#	test/bench/run.sh

set -euo pipefail

MODE=${1:-${BENCH_MODE:-quick}}
[ -n "$MODE" ] || MODE=quick
case "$MODE" in
	quick)
		NSERIES=${BENCH_SERIES:-20}
		NPOINTS=${BENCH_POINTS:-50000}
		REPS=${BENCH_REPS:-3}
		LONG_POINTS=${BENCH_LONG_POINTS:-10000000}
		;;
	full)
		NSERIES=${BENCH_SERIES:-100}
		NPOINTS=${BENCH_POINTS:-100000}
		REPS=${BENCH_REPS:-5}
		LONG_POINTS=${BENCH_LONG_POINTS:-50000000}
		;;
	*)
		echo "usage: $0 [quick|full]" >&2
		exit 2
		;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/test/bench
BUILD=$ROOT/test/build/bench
RESULTS=$BENCH/results
cd "$ROOT"

# The registry: the rows, in the order they run and print.
ROWS=(
	row_bytes_sample			# 1  bytes per point, sample data (total; per series in latest_bytes.csv)
	row_bytes_generated			# 1  bytes per point, generated set, rounded and unrounded
	row_build					# 2  compact_ts_agg vs INSERT into the plain table
	row_build_arrays			# 2b compact_ts_agg vs array_agg into the arrays table
	row_read_from				# 3  unnest in FROM vs plain seq scan
	row_read_select				# 3b unnest in the select list (streams) vs plain
	row_read_one_core			# 3c FROM unnest vs plain, one core each
	row_read_select_one_core	# 3d the select list, one core each
	row_read_function_scan		# 3e FROM unnest with the function scan (1.0's plan)
	row_aggregate				# 4  header-only sum/avg/min/max vs plain aggregate
	row_aggregate_unnest		# 4b the same aggregate over decoded points
	row_range					# 5  one hour of one series vs the PK index
	row_mem_build				# 6  peak backend memory, build
	row_mem_read				# 6  peak backend memory, read
	row_codec					# 7  the codec alone, in C
	row_accounting				# 8  memory accounting on vs off
	row_lazy_scale				# 9  the same query on 1M and on 50M points (rows_lazy.sh)
	row_lazy_slice				# 10 one hour: slice vs the PK index
	row_lazy_aggregate			# 11 a day and a month: range_stats vs plain aggregate
	row_lazy_buckets			# 12 buckets of a month at 1 hour vs GROUP BY date_trunc
	row_lazy_append				# 13 append 1,000 points to 10M vs re-aggregate
	row_cache_hit				# 14 a cache hit (and a miss) vs reading the stored value (rows_cache.sh)
	row_cache_aggregate			# 15 a cache hit vs running an aggregating loader
	row_cache_preload			# 16 get after preload vs a cold get; the preload itself
	row_stream_import			# 17 chronos_import_csv vs COPY: MB/s, rows/s, VmHWM, temp bytes (rows_stream.sh)
	row_stream_method			# 18 the import, mmap vs pread windows
	row_stream_read				# 19 chronos_read_csv vs file_fdw
)

log()
{
	echo "bench: $*" >&2
}

die()
{
	echo "bench: $*" >&2
	exit 1
}

###########################################################################
# Outside the cluster: dependencies, builds, then re-run inside a throwaway
# cluster.
###########################################################################

# build_variant NAME OPTFLAGS: a private build of chronos.so from a copy of
# the sources, reused while the sources and flags are unchanged.
build_variant()
{
	local name=$1 flags=$2 dir key
	dir=$BUILD/variant-$name
	key=$( (
		echo "$flags"
		pg_config --version
		cat Makefile chronos.control chronos--*.sql 2>/dev/null
		find src -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z | xargs -0 cat
	) | sha256sum | cut -d' ' -f1)
	if [ -f "$dir/chronos.so" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -R Makefile src "$dir/"
	cp chronos.control chronos--*.sql "$dir/" 2>/dev/null || true
	# the copy brings the main build's objects along: clean them first, or
	# make would link them instead of compiling with OPTFLAGS
	if ! make -C "$dir" clean </dev/null >"$dir/build.log" 2>&1 ||
		! make -C "$dir" -j"$(nproc 2>/dev/null || echo 2)" OPTFLAGS="$flags" \
		</dev/null >>"$dir/build.log" 2>&1; then
		cat "$dir/build.log" >&2
		die "private build '$name' failed"
	fi
	if [ -n "$flags" ] && ! grep -q -e "$flags.*memory\.c\|memory\.c.*$flags" "$dir/build.log"; then
		die "private build '$name': src/memory.c was not compiled with $flags (see $dir/build.log)"
	fi
	echo "$key" >"$dir/key"
}

outside()
{
	local SUDO="" started libdir rc

	started=$(date +%s)
	if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
		SUDO="sudo -n"
	fi
	if [ -f tools/install-deps.sh ]; then
		log "installing what is missing (tools/install-deps.sh)"
		bash tools/install-deps.sh </dev/null >&2
	fi

	mkdir -p "$BUILD" "$RESULTS"
	log "building and installing chronos"
	if ! make -j"$(nproc 2>/dev/null || echo 2)" </dev/null >"$BUILD/make.log" 2>&1 ||
		! $SUDO make install </dev/null >>"$BUILD/make.log" 2>&1; then
		cat "$BUILD/make.log" >&2
		die "build or install failed"
	fi

	log "building the generator and the codec benchmark"
	cc -std=c99 -O2 -Wall -Wextra -o "$BUILD/gen" "$BENCH/gen.c" -lm
	cc -std=c99 -O2 -Wall -Wextra -ffp-contract=off -Isrc/codec -o "$BUILD/codec_bench" \
		"$BENCH/codec_bench.c" src/codec/[a-z]*.c -lm

	# Row 8: two private builds of the same sources, with and without memory
	# accounting.  The cluster loads them from a private directory by path
	# (run.sh points the extension's functions at one or the other), so the
	# installed chronos.so is never replaced under anybody's feet.
	libdir=$(mktemp -d /tmp/chronos-bench.XXXXXX)
	chmod 755 "$libdir"
	if grep -q CHRONOS_NO_MEMORY_ACCOUNTING src/memory.c 2>/dev/null; then
		log "building chronos.so with and without memory accounting (row 8)"
		build_variant acct ""
		build_variant noacct "-DCHRONOS_NO_MEMORY_ACCOUNTING"
		mkdir -p "$libdir/acct" "$libdir/noacct"
		cp "$BUILD/variant-acct/chronos.so" "$libdir/acct/chronos.so"
		cp "$BUILD/variant-noacct/chronos.so" "$libdir/noacct/chronos.so"
		chmod -R a+rX "$libdir"
	else
		log "src/memory.c has no CHRONOS_NO_MEMORY_ACCOUNTING switch: row 8 is skipped"
	fi

	log "starting a throwaway cluster (pg_virtualenv -t)"
	set +e
	CHRONOS_BENCH_INSIDE=1 CHRONOS_BENCH_LIBDIR=$libdir CHRONOS_BENCH_STARTED=$started \
		pg_virtualenv -t -v 15 bash "$BENCH/run.sh" "$MODE" </dev/null
	rc=$?
	set -e
	rm -rf "$libdir"
	exit $rc
}

if [ "${CHRONOS_BENCH_INSIDE:-}" != 1 ]; then
	outside
fi

# rows 9-13 (lazy reads)
. "$BENCH/rows_lazy.sh"
# rows 14-16 (the cache)
. "$BENCH/rows_cache.sh"
# rows 17-19 (streaming CSV files)
. "$BENCH/rows_stream.sh"

###########################################################################
# Inside the cluster.
###########################################################################

DB=chronos_bench
LIBDIR=${CHRONOS_BENCH_LIBDIR:-}
GEN=$BUILD/gen
CODEC_BENCH=$BUILD/codec_bench
TOTAL=$((NSERIES * NPOINTS))
WORK=$(mktemp -d /tmp/chronos-bench-run.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/rows.tsv			# id, test, chronos, reference, unit, better, note
: >"$OUT"

# psql as the benchmark uses it: no psqlrc, quiet, unaligned, tuples only
q()
{
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" "$@"
}

# median of the numbers on stdin, one per line
median()
{
	sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.6g\n", a[(NR + 1) / 2]; else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# emit ID TEST CHRONOS REFERENCE UNIT BETTER NOTE
#	One line of the table.  BETTER is "lower" or "higher" (which way is
#	better for UNIT) and sets the ratio's direction; "none": no ratio.
#	CHRONOS or REFERENCE may be "-" (not measured).
emit()
{
	local note=${7:-}
	note=${note//$'\t'/ }
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$note" >>"$OUT"
}

# measure_pair: times two statements alternately in one session.
#	SQL_A, SQL_B      the statements (A: chronos, B: PostgreSQL's way)
#	PREP_A, PREP_B    untimed SQL before each run of A / B (e.g. TRUNCATE)
#	SETUP             session SQL run once first (SET ...)
#	INNER             run each timed statement INNER times in a row per
#	                  repetition, for statements of a few milliseconds
#	                  (the time is divided by INNER); default 1
#	NOWARM            1: no untimed warm-up run (statements that take long
#	                  and read what the set-up has just read anyway)
#	Sets MED_A, MED_B: median milliseconds per statement.
measure_pair()
{
	local inner=${INNER:-1} script=$WORK/pair.sql outp=$WORK/pair.out r i
	{
		echo '\timing off'
		echo '\o /dev/null'
		echo "SET TimeZone = 'UTC';"
		echo "${SETUP:-}"
		if [ "${NOWARM:-0}" != 1 ]; then
			echo "${PREP_A:-}"
			echo "$SQL_A;"
			echo "${PREP_B:-}"
			echo "$SQL_B;"
		fi
		for ((r = 0; r < REPS; r++)); do
			for side in A B; do
				if [ $side = A ]; then
					echo "${PREP_A:-}"
				else
					echo "${PREP_B:-}"
				fi
				echo 'SELECT clock_timestamp() AS t0 \gset'
				for ((i = 0; i < inner; i++)); do
					if [ $side = A ]; then echo "$SQL_A;"; else echo "$SQL_B;"; fi
				done
				echo "SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 / $inner AS ms \\gset"
				echo "\\echo $side :ms"
			done
		done
	} >"$script"
	q -f "$script" >"$outp"
	MED_A=$(awk '$1 == "A" { print $2 }' "$outp" | median)
	MED_B=$(awk '$1 == "B" { print $2 }' "$outp" | median)
}

# measure_mem SQL [PREP]: runs SQL in a fresh session with
#	chronos.max_memory_mb = 64 and no parallel workers (their memory would
#	not show in the backend's figures), and reads /proc/<pid>/status of the
#	backend before the session ends; test/bench/sampler.sh samples the
#	backend's RssAnon meanwhile.  Runs MEM_REPS times (default 1: a peak
#	varies little).  Sets (medians, MB):
#	  MEM_HWM   VmHWM: peak resident memory, shared buffers touched included
#	  MEM_SHM   RssShmem at the end: the shared memory the backend touched
#	  MEM_ANON  peak RssAnon, sampled every 20 ms: the backend's private memory
#	  MEM_BASE  VmHWM right after connecting
measure_mem()
{
	local sql=$1 prep=${2:-} script=$WORK/mem.sql outp=$WORK/mem.out r waited
	: >"$outp"
	for ((r = 0; r < ${MEM_REPS:-1}; r++)); do
		rm -f "$WORK/anon" "$WORK/anon.stop"
		cat >"$script" <<-EOF
			\\timing off
			\\o /dev/null
			SET TimeZone = 'UTC';
			SET max_parallel_workers_per_gather = 0;
			SET chronos.max_memory_mb = 64;
			$prep
			SELECT pg_backend_pid() AS pid \\gset
			\\setenv BENCH_PID :pid
			\\! awk '\$1 == "VmHWM:" { print "BASE", \$2 }' /proc/\$BENCH_PID/status
			\\! bash "$BENCH/sampler.sh" \$BENCH_PID "$WORK/anon" "$WORK/anon.stop" </dev/null >/dev/null 2>&1 &
			$sql;
			\\! touch "$WORK/anon.stop"; awk '\$1 == "VmHWM:" || \$1 == "RssShmem:" { print \$1, \$2 }' /proc/\$BENCH_PID/status
		EOF
		q -f "$script" >>"$outp"
		for ((waited = 0; waited < 100; waited++)); do
			[ -f "$WORK/anon" ] && break
			sleep 0.05
		done
		echo "ANON $(cat "$WORK/anon" 2>/dev/null || echo nan)" >>"$outp"
	done
	MEM_HWM=$(awk '$1 == "VmHWM:" { print $2 / 1024 }' "$outp" | median)
	MEM_SHM=$(awk '$1 == "RssShmem:" { print $2 / 1024 }' "$outp" | median)
	MEM_ANON=$(awk '$1 == "ANON" { print $2 / 1024 }' "$outp" | median)
	MEM_BASE=$(awk '$1 == "BASE" { print $2 / 1024 }' "$outp" | median)
}

# use_library PATH: point the extension's C functions at PATH (a private
# build, row 8) or back at '$libdir/chronos'.  New sessions load that file.
use_library()
{
	q -v lib="$1" <<-'EOF'
		UPDATE pg_catalog.pg_proc SET probin = :'lib'
		WHERE probin IS NOT NULL
		  AND oid IN (SELECT objid FROM pg_catalog.pg_depend
					  WHERE classid = 'pg_catalog.pg_proc'::regclass
						AND refclassid = 'pg_catalog.pg_extension'::regclass
						AND refobjid = (SELECT oid FROM pg_catalog.pg_extension
										WHERE extname = 'chronos')
						AND deptype = 'e');
	EOF
}

# workers SQL: "parallel, N workers" if the plan of SQL uses parallel
# workers, else "no parallel workers"
workers()
{
	local n
	n=$(q -c "EXPLAIN $1" | awk '/Workers Planned:/ { if ($NF > m) m = $NF } END { print m + 0 }')
	if [ "$n" -gt 0 ]; then echo "PostgreSQL: parallel, $n workers"; else echo "no parallel workers"; fi
}

# temp_mb SQL: MB of temporary files SQL writes (EXPLAIN ANALYZE, BUFFERS)
temp_mb()
{
	# the first "Buffers:" line is the top node's: the whole plan's total
	q -c "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) $1" |
		awk '/Buffers:/ && !done {
				done = 1
				if (match($0, /temp[^,]*written=[0-9]+/)) {
					s = substr($0, RSTART, RLENGTH); sub(/.*written=/, "", s); w = s
				}
			}
			END { printf "%.1f\n", w * 8192 / 1048576 }'
}

# fmt NUMBER: a readable number for the table
fmt()
{
	awk -v x="$1" 'BEGIN {
		if (x == "-" || x == "" || x == "nan") { print "-"; exit }
		a = x < 0 ? -x : x
		if (a >= 1000) printf "%.0f\n", x
		else if (a >= 100) printf "%.1f\n", x
		else if (a >= 1) printf "%.2f\n", x
		else if (a == 0) print "0"
		else printf "%.3g\n", x
	}'
}

have_lossless()
{
	[ "$(q -c "SELECT to_regprocedure('compact_ts_agg(timestamptz,float8,text)') IS NOT NULL")" = t ]
}

###########################################################################
# The rows
###########################################################################

# bytes_rows LABEL POINTS HEAP PK ARR Q16 LOSSLESS NOTE: the four lines of
# row 1 for one data set, from pg_total_relation_size figures (LOSSLESS "-"
# when the codec argument does not exist yet)
bytes_rows()
{
	local label=$1 n=$2 heap=$3 pk=$4 arr=$5 q16=$6 lossless=$7 note=$8
	per() { awk -v b="$1" -v n="$n" 'BEGIN { print b / n }'; }
	emit 1 "bytes/pt $label: compact_ts vs heap+PK" "$(per "$q16")" "$(per "$pk")" "B/pt" lower \
		"$note; heap without index: $(fmt "$(per "$heap")") B/pt"
	emit 1 "bytes/pt $label: compact_ts vs arrays" "$(per "$q16")" "$(per "$arr")" "B/pt" lower \
		"arrays: one row per series, timestamptz[] + float8[], TOASTed, pglz where it helps"
	if [ "$lossless" != - ]; then
		emit 1 "bytes/pt $label: compact_ts lossless vs heap+PK" "$(per "$lossless")" "$(per "$pk")" \
			"B/pt" lower "compact_ts_agg(ts, v, 'lossless')"
		emit 1 "bytes/pt $label: compact_ts lossless vs arrays" "$(per "$lossless")" "$(per "$arr")" \
			"B/pt" lower "compact_ts_agg(ts, v, 'lossless')"
	else
		emit 1 "bytes/pt $label: compact_ts lossless vs heap+PK" - "$(per "$pk")" "B/pt" lower \
			"not measured: compact_ts_agg(ts, v, codec) does not exist yet"
	fi
}

# 1. Bytes per point: all sample series together (per series: latest_bytes.csv)
row_bytes_sample()
{
	local pts heap pk arr q16 lossless
	pts=$(q -c "SELECT count(*) FROM s_heap")
	read -r heap pk arr q16 lossless < <(q -F ' ' -c "
		SELECT pg_total_relation_size('s_heap'), pg_total_relation_size('s_pk'),
			pg_total_relation_size('s_arr'), pg_total_relation_size('s_q16'),
			coalesce(pg_total_relation_size(to_regclass('s_lossless'))::text, '-')")
	bytes_rows sample "$pts" "$heap" "$pk" "$arr" "$q16" "$lossless" \
		"$(q -c "SELECT count(*) FROM sample_series") series, $pts points, all in one table per form"
	# the per-series detail: the stored size of each series' values
	q -F ',' -v lossless="$(have_lossless && echo true || echo false)" <<-'EOF' >>"$WORK/bytes.csv"
		SELECT 'sample', '"' || s.name || '"', s.points,
			round(pg_column_size(c.data)::numeric / s.points, 2),
		\if :lossless
			(SELECT round(pg_column_size(l.data)::numeric / s.points, 2)
			 FROM s_lossless l WHERE l.series = s.id),
		\else
			NULL,
		\endif
			round((pg_column_size(a.ts) + pg_column_size(a.value))::numeric / s.points, 2)
		FROM sample_series s JOIN s_q16 c ON c.series = s.id JOIN s_arr a ON a.series = s.id
		ORDER BY s.id;
	EOF
}

# 1. Bytes per point: the generated set, rounded and unrounded
row_bytes_generated()
{
	local suffix label heap pk arr q16 lossless
	for suffix in "" _raw; do
		if [ -z "$suffix" ]; then label="rounded"; else label="unrounded"; fi
		read -r heap pk arr q16 lossless < <(q -F ' ' -c "
			SELECT pg_total_relation_size('plain_heap'), pg_total_relation_size('plain_pk'),
				pg_total_relation_size('arr${suffix}'), pg_total_relation_size('cts_q16${suffix}'),
				coalesce(pg_total_relation_size(to_regclass('cts_lossless${suffix}'))::text, '-')")
		bytes_rows "generated $label" "$TOTAL" "$heap" "$pk" "$arr" "$q16" "$lossless" \
			"$NSERIES x $NPOINTS points$([ -n "$suffix" ] && echo "; plain tables as rounded (float8 is fixed-width)")"
		q -F ',' -v lossless="$([ "$lossless" != - ] && echo true || echo false)" <<-EOF >>"$WORK/bytes.csv"
			SELECT 'generated', '"$label ($NSERIES x $NPOINTS)"', $TOTAL,
				(SELECT round(sum(pg_column_size(data))::numeric / $TOTAL, 2) FROM cts_q16${suffix}),
			\\if :lossless
				(SELECT round(sum(pg_column_size(data))::numeric / $TOTAL, 2) FROM cts_lossless${suffix}),
			\\else
				NULL,
			\\endif
				(SELECT round(sum(pg_column_size(ts) + pg_column_size(value))::numeric / $TOTAL, 2)
				 FROM arr${suffix});
		EOF
	done
}

# 2. Build: compact_ts_agg over the generated set vs PostgreSQL's way of
# storing the same rows.  build_pair SQL_B PREP_B LABEL NOTE times the
# compact_ts build against SQL_B and reports seconds.
build_pair()
{
	SQL_A="INSERT INTO build_cts SELECT series, compact_ts_agg(ts, v2) FROM gen GROUP BY series" \
	PREP_A="TRUNCATE build_cts; CHECKPOINT;" \
	SQL_B="$1" PREP_B="$2" \
	NOWARM=1 measure_pair
	emit 2 "$3" \
		"$(awk -v t="$MED_A" 'BEGIN { print t / 1000 }')" "$(awk -v t="$MED_B" 'BEGIN { print t / 1000 }')" \
		s lower "$4"
}

row_build()
{
	build_pair "INSERT INTO build_plain SELECT series, ts, v2 FROM gen" \
		"TRUNCATE build_plain; CHECKPOINT;" \
		"build: compact_ts_agg vs INSERT into plain+PK" \
		"$TOTAL points from a staging table; a CHECKPOINT before each run"
}

row_build_arrays()
{
	build_pair "INSERT INTO build_arr SELECT series, array_agg(ts ORDER BY ts), array_agg(v2 ORDER BY ts) FROM gen GROUP BY series" \
		"TRUNCATE build_arr; CHECKPOINT;" \
		"build: compact_ts_agg vs array_agg into arrays" \
		"the same; arrays as in row 1 (one row per series)"
}

# 3. Read every point
READ_NOTE="count(ts) + sum(value) of every point"
SQL_A_READ="SELECT count(u.ts), sum(u.value) FROM cts_q16 t, unnest(t.data) u"
SQL_A_SELECT="SELECT count((u).ts), sum((u).value) FROM (SELECT unnest(data) AS u FROM cts_q16) s"
SQL_B_READ="SELECT count(ts), sum(value) FROM plain_pk"

# read_row TEST SETUP SQL_A NOTE: one line of row 3, SQL_A against the
# plain table's sequential scan, in million rows/s
read_row()
{
	SETUP=$2 SQL_A=$3 SQL_B=$SQL_B_READ measure_pair
	emit 3 "$1" \
		"$(awk -v t="$MED_A" -v n="$TOTAL" 'BEGIN { print n / t / 1000 }')" \
		"$(awk -v t="$MED_B" -v n="$TOTAL" 'BEGIN { print n / t / 1000 }')" Mrows/s higher \
		"$READ_NOTE; $(fmt "$MED_A") ms vs $(fmt "$MED_B") ms; $4"
}

ONE_CORE="SET max_parallel_workers_per_gather = 0;"

row_read_from()
{
	read_row "read all: FROM unnest(data) vs plain seq scan" "" "$SQL_A_READ" \
		"unnest in FROM is chronos's scan node (Custom Scan ChronosUnnest: blocks decoded into the executor's slots, nothing materialized, temp files written: $(temp_mb "$SQL_A_READ") MB); $(workers "$SQL_B_READ")"
}

row_read_select()
{
	read_row "read all: SELECT unnest(data) vs plain seq scan" "" "$SQL_A_SELECT" \
		"unnest in the select list streams (ProjectSet); $(workers "$SQL_B_READ")"
}

row_read_one_core()
{
	read_row "read all, one core each: FROM unnest(data) vs plain" "$ONE_CORE" "$SQL_A_READ" \
		"max_parallel_workers_per_gather = 0; target >= 1x"
}

row_read_select_one_core()
{
	read_row "read all, one core each: SELECT unnest(data) vs plain" "$ONE_CORE" "$SQL_A_SELECT" \
		"a value-per-call SRF (a composite datum per point) under ProjectSet"
}

row_read_function_scan()
{
	read_row "read all, one core each: FROM unnest, function scan vs plain" \
		"$ONE_CORE SET chronos.enable_unnest_scan = off;" "$SQL_A_READ" \
		"chronos.enable_unnest_scan = off: PostgreSQL's Function Scan materializes each series in a tuplestore (1.0's plan)"
}

# 4. Aggregates over every point
row_aggregate()
{
	SQL_A="SELECT sum(sum_value(data)), sum(sum_value(data)) / sum(length(data)), min(min_value(data)), max(max_value(data)) FROM cts_q16" \
	SQL_B="SELECT sum(value), avg(value), min(value), max(value) FROM plain_pk" \
	INNER=5 measure_pair
	emit 4 "sum/avg/min/max: header-only functions vs plain aggregate" "$MED_A" "$MED_B" ms lower \
		"compact_ts: sum_value, length, min_value, max_value per series (no decoding); $(workers "SELECT sum(value), avg(value), min(value), max(value) FROM plain_pk")"
}

row_aggregate_unnest()
{
	SQL_A="SELECT sum((u).value), avg((u).value), min((u).value), max((u).value) FROM (SELECT unnest(data) AS u FROM cts_q16) s" \
	SQL_B="SELECT sum(value), avg(value), min(value), max(value) FROM plain_pk" \
	measure_pair
	emit 4 "sum/avg/min/max: over SELECT unnest(data) vs plain aggregate" "$MED_A" "$MED_B" ms lower \
		"every point decoded; $(workers "SELECT sum(value), avg(value), min(value), max(value) FROM plain_pk")"
}

# 5. One hour out of one long series
row_range()
{
	local from to
	from=$(q -c "SELECT timestamptz '2024-01-01 00:00:00+00' + interval '10 s' * ($NPOINTS / 2)")
	to=$(q -c "SELECT timestamptz '$from' + interval '1 hour'")
	SQL_A="SELECT count(u.ts), sum(u.value) FROM cts_q16 t, unnest(t.data) u WHERE t.series = 1 AND u.ts >= '$from' AND u.ts < '$to'" \
	SQL_B="SELECT count(ts), sum(value) FROM plain_pk WHERE series = 1 AND ts >= '$from' AND ts < '$to'" \
	INNER=10 measure_pair
	emit 5 "range: 1 hour of 1 series, unnest + WHERE vs PK index" "$MED_A" "$MED_B" ms lower \
		"360 of $NPOINTS points; the scan node fetches and decodes only the blocks the WHERE on ts leaves (header, index group, one block)"
}

# 6. Peak backend memory at chronos.max_memory_mb = 64
# mem_rows JOB SQL_A PREP_A SQL_B PREP_B NOTE: the two lines of row 6 for a job
mem_rows()
{
	local job=$1 a a_shm a_anon b b_shm b_anon base
	measure_mem "$2" "$3"
	a=$MEM_HWM a_shm=$MEM_SHM a_anon=$MEM_ANON base=$MEM_BASE
	measure_mem "$4" "$5"
	b=$MEM_HWM b_shm=$MEM_SHM b_anon=$MEM_ANON
	emit 6 "peak memory (VmHWM), $job" "$a" "$b" MB lower \
		"chronos.max_memory_mb = 64, no parallel workers; VmHWM counts shared buffers touched (RssShmem $(fmt "$a_shm") vs $(fmt "$b_shm") MB); fresh backend $(fmt "$base") MB"
	emit 6 "peak private memory (RssAnon), $job" "$a_anon" "$b_anon" MB lower \
		"the same runs: largest RssAnon sampled every 20 ms; $6"
}

row_mem_build()
{
	mem_rows "build: compact_ts_agg vs INSERT" \
		"INSERT INTO build_cts SELECT series, compact_ts_agg(ts, v2) FROM gen GROUP BY series" \
		"TRUNCATE build_cts;" \
		"INSERT INTO build_plain SELECT series, ts, v2 FROM gen" "TRUNCATE build_plain;" \
		"compact_ts plan: $(q -c "EXPLAIN INSERT INTO build_cts SELECT series, compact_ts_agg(ts, v2) FROM gen GROUP BY series" | grep -o -m1 -E 'HashAggregate|GroupAggregate')"
}

row_mem_read()
{
	mem_rows "read all: FROM unnest vs plain" \
		"SELECT count(u.ts), sum(u.value) FROM cts_q16 t, unnest(t.data) u" "" \
		"SELECT count(ts), sum(value) FROM plain_pk" "" \
		"unnest in FROM materializes each series (work_mem $(q -c "SHOW work_mem"))"
}

# 7. The codec alone, in C (no PostgreSQL to compare with)
row_codec()
{
	local data codec op rate bpp err
	"$CODEC_BENCH" "$NSERIES" "$NPOINTS" "$REPS" >"$WORK/codec.out"
	while IFS=$'\t' read -r data codec op rate bpp err; do
		[ "$data" = rounded ] || continue
		emit 7 "codec in C, $codec: $op" "$(awk -v r="$rate" 'BEGIN { print r / 1e6 }')" - \
			"Mpts/s" none "per core, rounded set; $bpp B/pt, max_error $err"
	done <"$WORK/codec.out"
	cp "$WORK/codec.out" "$WORK/codec.tsv"
}

# 8. Memory accounting: the same sources built with and without it
row_accounting()
{
	local r v ms
	local SMALL_SERIES=$(( NSERIES < 10 ? NSERIES : 10 ))
	if [ -z "$LIBDIR" ] || [ ! -f "$LIBDIR/acct/chronos.so" ]; then
		emit 8 "memory accounting on vs off" - - - none \
			"skipped: no build with CHRONOS_NO_MEMORY_ACCOUNTING (src/memory.c lacks the switch)"
		return 0
	fi
	local enc="SELECT sum(length(x)) FROM (SELECT compact_ts_agg(ts, v2) AS x FROM gen GROUP BY series) s"
	local dec="SELECT count(u.ts), sum(u.value) FROM cts_q16 t, unnest(t.data) u"
	local small="SELECT count(x) FROM (SELECT compact_ts_agg(ts, v2) AS x FROM gen WHERE series <= $SMALL_SERIES GROUP BY series, date_trunc('hour', ts)) s"
	local small_pts=$((SMALL_SERIES * NPOINTS))
	: >"$WORK/acct.out"
	# one fresh session per run, which runs each statement twice (the
	# faster counts); the two libraries alternate, in the order ABBA so
	# neither always goes first; one untimed round first, then REPS + 2
	# runs each, since the difference is small
	for ((r = -1; r < REPS + 2; r++)); do
		for v in $( ((r % 2)) && echo noacct acct || echo acct noacct); do
			use_library "$LIBDIR/$v/chronos.so"
			# each statement: the backend's CPU time (/proc/<pid>/schedstat,
			# ns on the CPU) before and after it
			ms=$(q <<-EOF
				\\timing off
				\\o /dev/null
				SELECT length(data) FROM cts_q16 LIMIT 1;
				SELECT pg_backend_pid() AS pid \\gset
				\\setenv BENCH_PID :pid
				\\! grep -q "$LIBDIR/$v/chronos.so" /proc/\$BENCH_PID/maps || echo WRONG_LIBRARY
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$enc;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$dec;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$small;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$enc;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$dec;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
				$small;
				\\! cut -d' ' -f1 /proc/\$BENCH_PID/schedstat
			EOF
			)
			case "$ms" in
				*WRONG_LIBRARY*)
					use_library '$libdir/chronos'
					die "row 8: the backend did not load $LIBDIR/$v/chronos.so" ;;
			esac
			# each statement ran twice in the session: keep the faster run
			ms=$(echo "$ms" | awk 'NR > 1 { d[NR - 1] = ($1 - prev) / 1e6 } { prev = $1 }
				END { for (i = 1; i <= 3; i++) printf "%s ", (d[i] < d[i + 3] ? d[i] : d[i + 3]); print "" }')
			[ "$r" -ge 0 ] && echo "$v $ms" >>"$WORK/acct.out"
		done
	done
	use_library '$libdir/chronos'
	local col on off label n notes=()
	for col in 2 3 4; do
		on=$(awk -v c=$col '$1 == "acct" { print $c }' "$WORK/acct.out" | median)
		off=$(awk -v c=$col '$1 == "noacct" { print $c }' "$WORK/acct.out" | median)
		case $col in
			2)
				label="encode (compact_ts_agg)" n=$TOTAL
				notes=("reference: the same sources built with -DCHRONOS_NO_MEMORY_ACCOUNTING; backend CPU time (schedstat), a fresh session per run (best of 2 statements), median of $((REPS + 2)) runs each; $NSERIES values; differences of a few % are noise")
				;;
			3)
				label="decode (FROM unnest)" n=$TOTAL
				notes=("count + sum of every point")
				;;
			4)
				label="encode, one value per hour" n=$small_pts
				notes=("$(q -c "SELECT count(DISTINCT (series, date_trunc('hour', ts))) FROM gen WHERE series <= $SMALL_SERIES") values of 360 points: the per-operation cost")
				;;
		esac
		emit 8 "accounting on vs off: $label" \
			"$(awk -v t="$on" -v n="$n" 'BEGIN { print n / t / 1000 }')" \
			"$(awk -v t="$off" -v n="$n" 'BEGIN { print n / t / 1000 }')" Mpts/s higher \
			"${notes[0]}"
	done
}

###########################################################################
# Main (inside the cluster)
###########################################################################

inside()
{
	local fn stamp lossless t0 nproc model ram pgver date_utc settings
	t0=$(date +%s)
	mkdir -p "$RESULTS"
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
	q -c "CREATE EXTENSION chronos" >/dev/null

	if have_lossless; then lossless=true; else lossless=false; fi
	log "loading the sample data"
	q -v lossless=$lossless -f "$BENCH/sql/sample.sql" >/dev/null

	log "generating $NSERIES x $NPOINTS points (seeded) and loading them"
	q -c "CREATE TABLE gen (series int NOT NULL, ts timestamptz NOT NULL, v2 float8 NOT NULL, vr float8 NOT NULL)"
	"$GEN" "$NSERIES" "$NPOINTS" | q -c "COPY gen FROM STDIN"
	log "building the stored forms (plain, arrays, compact_ts)"
	q -v lossless=$lossless -f "$BENCH/sql/generated.sql" >/dev/null
	lazy_load
	log "data ready after $(($(date +%s) - t0)) s"

	echo 'set,series,points,compact_ts,compact_ts_lossless,arrays' >"$WORK/bytes.csv"

	for fn in "${ROWS[@]}"; do
		if [ -n "${BENCH_ROWS:-}" ] && ! [[ " $BENCH_ROWS " == *" $fn "* ]]; then
			continue
		fi
		log "$fn"
		if ! (set -euo pipefail; "$fn") 2>"$WORK/row.err"; then
			cat "$WORK/row.err" >&2
			emit "?" "$fn FAILED" - - - none \
				"$( (grep -m1 -E 'ERROR|error|rror:' "$WORK/row.err" || tail -n 1 "$WORK/row.err") | cut -c1-200)"
		fi
	done

	# the machine and the server
	nproc=$(nproc)
	model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	ram=$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)
	pgver=$(q -c "SHOW server_version")
	date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
	load="load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	settings=$(q -F ' ' -c "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_wal_size', 'synchronous_commit')")
	stamp=$(date -u '+%Y%m%dT%H%M%SZ')
	# a run of some rows only (BENCH_ROWS) is kept, but is not "latest"
	local kind=$MODE
	[ -n "${BENCH_ROWS:-}" ] && kind=$MODE-partial

	# CSV
	{
		echo "row,test,chronos,reference,unit,better,chronos_advantage,note"
		awk -F'\t' -v OFS=',' '
			function q(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
			{
				ratio = ""
				if ($3 != "-" && $4 != "-" && $3 + 0 != 0 && $4 + 0 != 0) {
					if ($6 == "lower") ratio = sprintf("%.3f", $4 / $3)
					else if ($6 == "higher") ratio = sprintf("%.3f", $3 / $4)
				}
				print $1, q($2), $3, $4, $5, $6, ratio, q($7)
			}' "$OUT"
	} >"$RESULTS/bench-$kind-$stamp.csv"
	cp "$WORK/bytes.csv" "$RESULTS/bytes-$kind-$stamp.csv"

	# JSON
	awk -F'\t' -v mode="$MODE" -v date="$date_utc" -v nproc="$nproc" -v model="$model" -v ram="$ram" \
		-v pgver="$pgver" -v load="$load" -v nseries="$NSERIES" -v npoints="$NPOINTS" -v reps="$REPS" -v settings="$settings" '
		function j(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
		function n(s) { return (s == "-" || s == "") ? "null" : s + 0 }
		BEGIN {
			printf "{\n  \"mode\": %s, \"date\": %s,\n", j(mode), j(date)
			printf "  \"machine\": {\"nproc\": %d, \"model\": %s, \"ram\": %s, \"load\": %s},\n", nproc, j(model), j(ram), j(load)
			printf "  \"postgresql\": %s, \"settings\": %s,\n", j(pgver), j(settings)
			printf "  \"generated\": {\"series\": %d, \"points_per_series\": %d}, \"repetitions\": %d,\n", nseries, npoints, reps
			printf "  \"rows\": ["
			sep = "\n"
		}
		{
			ratio = "null"
			if ($3 != "-" && $4 != "-" && $3 + 0 != 0 && $4 + 0 != 0) {
				if ($6 == "lower") ratio = sprintf("%.3f", $4 / $3)
				else if ($6 == "higher") ratio = sprintf("%.3f", $3 / $4)
			}
			printf "%s    {\"row\": %s, \"test\": %s, \"chronos\": %s, \"reference\": %s, \"unit\": %s, \"better\": %s, \"chronos_advantage\": %s, \"note\": %s}", \
				sep, j($1), j($2), n($3), n($4), j($5), j($6), ratio, j($7)
			sep = ",\n"
		}
		END { printf "\n  ]\n}\n" }' "$OUT" >"$RESULTS/bench-$kind-$stamp.json"


	# the table, on stdout and as Markdown in the results
	print_table | tee "$RESULTS/bench-$kind-$stamp.md"
	echo
	if [ -z "${BENCH_ROWS:-}" ]; then
		cp "$RESULTS/bench-$kind-$stamp.csv" "$RESULTS/latest.csv"
		cp "$RESULTS/bench-$kind-$stamp.json" "$RESULTS/latest.json"
		cp "$RESULTS/bench-$kind-$stamp.md" "$RESULTS/latest.md"
		cp "$RESULTS/bytes-$kind-$stamp.csv" "$RESULTS/latest_bytes.csv"
		echo "results: $RESULTS/bench-$kind-$stamp.{csv,json,md}, latest.{csv,json,md}, latest_bytes.csv"
	else
		echo "results (some rows only, latest.* unchanged): $RESULTS/bench-$kind-$stamp.{csv,json,md}"
	fi
	echo "total time: $(($(date +%s) - ${CHRONOS_BENCH_STARTED:-$t0})) s"
}

print_table()
{
	echo
	echo "chronos benchmark, $MODE mode: generated set $NSERIES series x $NPOINTS points, $REPS repetitions, median"
	echo "machine: $nproc cores, $model, $ram RAM; PostgreSQL $pgver; $date_utc; $load"
	echo "server: $settings"
	echo "x = chronos's advantage (PostgreSQL's time, bytes or memory / chronos's; rates: chronos's / PostgreSQL's); > 1: chronos better"
	echo
	awk -F'\t' '
		function f(x,   a) {
			if (x == "-" || x == "") return "-"
			a = x < 0 ? -x : x
			if (a >= 1000) return sprintf("%.0f", x)
			if (a >= 100) return sprintf("%.1f", x)
			if (a >= 1) return sprintf("%.2f", x)
			if (a == 0) return "0"
			return sprintf("%.3g", x)
		}
		{
			ratio = "-"
			if ($3 != "-" && $4 != "-" && $3 + 0 != 0 && $4 + 0 != 0) {
				if ($6 == "lower") r = $4 / $3
				else if ($6 == "higher") r = $3 / $4
				if ($6 == "lower" || $6 == "higher")
					ratio = sprintf(r >= 100 ? "%.0fx" : r >= 0.1 ? "%.2fx" : "%.3fx", r)
			}
			printf "| %-3s | %-62s | %10s | %10s | %-7s | %8s | %s |\n", $1, $2, f($3), f($4), $5, ratio, $7
		}
		BEGIN {
			printf "| %-3s | %-62s | %10s | %10s | %-7s | %8s | %s |\n", "#", "test", "chronos", "PostgreSQL", "unit", "x", "note"
			printf "|-----|----------------------------------------------------------------|-----------:|-----------:|---------|---------:|------|\n"
		}' "$OUT"
	echo
	echo "Bytes per point of the stored values, per series: pg_column_size of the series' compact_ts value"
	echo "(default codec, and lossless), and of its timestamptz[] + float8[] arrays (pglz-compressed where"
	echo "that helps), divided by its points.  A plain table costs the same per point whatever the series:"
	echo "$(q -c "SELECT round(pg_total_relation_size('plain_heap')::numeric / $TOTAL, 2)") B/pt without index,"\
		"$(q -c "SELECT round(pg_total_relation_size('plain_pk')::numeric / $TOTAL, 2)") B/pt with the primary key (row 1)."
	echo
	awk -F, 'NR == 1 {
			printf "| %-9s | %-34s | %9s | %10s | %19s | %7s |\n", $1, $2, $3, $4, $5, $6
			printf "|-----------|------------------------------------|----------:|-----------:|--------------------:|--------:|\n"
			next
		}
		{ gsub(/"/, "", $2); printf "| %-9s | %-34s | %9s | %10s | %19s | %7s |\n", $1, $2, $3, $4, $5, $6 }' "$WORK/bytes.csv"
}

inside
