# test/bench/rows_cache.sh
#	The cache rows of the benchmark (issue 12), sourced by run.sh inside
#	the cluster: they use its q, measure_pair, emit and fmt.  Their data
#	(cache_load, on first use) is a series of CACHE_POINTS points (10
#	million unless BENCH_CACHE_POINTS says otherwise, in both modes: a point
#	every 10 s, a slow wave plus noise of up to 100 with two decimals, no
#	random numbers, about 1.7 bytes a point stored) as rows, cache_raw
#	(ts, v), and as one stored value, cache_big (the loader of a "stored"
#	entry reads it, through TOAST).
#
#	14  chronos_cache_get alone, a hit against a miss (the latencies of the
#	    get itself); the whole value, a hit against reading the stored value
#	    (PostgreSQL's way: the row, its TOAST chunks), and a miss against
#	    the same read
#	15  a loader that builds the value with compact_ts_agg over the rows:
#	    a hit against running that query
#	16  preload: chronos_cache_get after chronos_cache_preload against a
#	    cold chronos_cache_get, and the preload itself against the cold get
#
#	Rows 15 and 16 run on one core (max_parallel_workers_per_gather = 0)
#	on both sides: the aggregate is faster serially here, and a parallel
#	compact_ts_agg of 10 million rows can pass chronos.max_memory_mb in its
#	combine step.
#
#	Where a statement must use the whole value it ends in compact_ts_hash(),
#	which reads every byte (hash_any, a few ms for 17 MB) on both sides: a
#	header-only function (length, max_value) would let PostgreSQL's side read
#	one TOAST chunk, and compare a full copy with a slice.
#
# IDENTIFICATION
#	test/bench/rows_cache.sh

CACHE_POINTS=${BENCH_CACHE_POINTS:-10000000}
CACHE_STORED="SELECT data FROM cache_big"
CACHE_AGG="SELECT compact_ts_agg(ts, v) FROM cache_raw"
CACHE_ONE_CORE="SET max_parallel_workers_per_gather = 0;"

# cache_get KEY LOADER [USE]: the statement that gets the value of KEY and
# uses all of it (USE "alone": only gets it)
cache_get()
{
	if [ "${3:-}" = alone ]; then
		echo "SELECT chronos_cache_get('$1', \$\$$2\$\$) IS NOT NULL"
	else
		echo "SELECT compact_ts_hash(chronos_cache_get('$1', \$\$$2\$\$))"
	fi
}

# cache_load: the rows and the stored value, once (each row runs in a
# subshell, so the check is in the database)
cache_load()
{
	[ "$(q -c "SELECT to_regclass('cache_big') IS NOT NULL")" = t ] && return 0
	log "building the cache rows' series ($CACHE_POINTS points)"
	q <<-EOF >/dev/null
		SET client_min_messages = warning;
		CREATE TABLE cache_raw AS
		SELECT '2024-01-01'::timestamptz + i * interval '10 s' AS ts,
			   round((100 + 20 * sin(i / 50000.0))::numeric + ((i * 2654435761) % 10000) / 100.0, 2)::float8 AS v
		FROM generate_series(0::bigint, $CACHE_POINTS - 1) i;
		CREATE TABLE cache_big (data compact_ts NOT NULL);
		INSERT INTO cache_big SELECT compact_ts_agg(ts, v) FROM cache_raw;
		VACUUM (ANALYZE) cache_raw, cache_big;
	EOF
}

# cache_size: "N points, M MB stored"
cache_size()
{
	q -c "SELECT length(data) || ' points, ' || pg_size_pretty(pg_column_size(data)::bigint) || ' stored' FROM cache_big"
}

# cache_row ID TEST NOTE: measure_pair with the caller's SQL_A, SQL_B, PREP_*,
# SETUP and NOWARM, and its line of the table, in ms
cache_row()
{
	measure_pair
	emit "$1" "cache: $2" "$MED_A" "$MED_B" ms lower "$3"
}

CACHE_READ="SELECT compact_ts_hash(data) FROM cache_big"

# 14. The whole value: a hit (and a miss) against reading it from its table
row_cache_hit()
{
	cache_load
	SQL_A=$(cache_get big "$CACHE_STORED" alone) SQL_B=$(cache_get big "$CACHE_STORED" alone) \
	PREP_B="SELECT chronos_cache_clear();" INNER=1 \
		cache_row 14 "get alone, hit vs miss (loader: the stored value)" \
		"$(cache_size); the hit is a lookup and the caller's copy; the miss runs $CACHE_STORED (reads the TOAST chunks into the caller's copy) and copies it into the cache"
	SQL_A=$(cache_get big "$CACHE_STORED") SQL_B=$CACHE_READ INNER=5 \
		cache_row 14 "whole value, hit vs reading the stored value" \
		"$(cache_size); the hit copies the cached value out (the caller's copy, counted); PostgreSQL reads the row and its TOAST chunks"
	SQL_A=$(cache_get big "$CACHE_STORED") PREP_A="SELECT chronos_cache_clear();" SQL_B=$CACHE_READ \
		cache_row 14 "whole value, miss vs reading the stored value" \
		"the miss runs the loader ($CACHE_STORED), keeps a copy and returns another: the cost of a miss over the read it wraps"
}

# 15. An aggregating loader: a hit against running it
row_cache_aggregate()
{
	cache_load
	SETUP=$CACHE_ONE_CORE SQL_A=$(cache_get agg "$CACHE_AGG") \
	SQL_B="SELECT compact_ts_hash(compact_ts_agg(ts, v)) FROM cache_raw" \
		cache_row 15 "hit vs running the loader (compact_ts_agg of the rows)" \
		"$CACHE_POINTS rows; loader: $CACHE_AGG; one core each"
}

# 16. Preload: what it saves the later get, and what it costs itself.  Both
# sides start from an empty cache (PREP, untimed).
row_cache_preload()
{
	local clear="SELECT chronos_cache_clear();"
	local preload="SELECT chronos_cache_preload('agg', \$\$$CACHE_AGG\$\$)"
	cache_load
	SETUP=$CACHE_ONE_CORE NOWARM=1 PREP_A="$clear $preload;" PREP_B=$clear \
	SQL_A=$(cache_get agg "$CACHE_AGG") SQL_B=$(cache_get agg "$CACHE_AGG") \
		cache_row 16 "get after preload vs a cold get" \
		"aggregating loader of row 15: what a preload saves the later chronos_cache_get"
	SETUP=$CACHE_ONE_CORE NOWARM=1 PREP_A=$clear PREP_B=$clear \
	SQL_A=$preload SQL_B=$(cache_get agg "$CACHE_AGG") \
		cache_row 16 "the preload itself vs a cold get" \
		"preload is synchronous: it runs the loader now, in the session (target about 1x; no copy for the caller)"
}
