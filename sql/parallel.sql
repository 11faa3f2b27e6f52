--
-- parallel: compact_ts_agg in a parallel plan -- partial aggregates in the
-- workers, serialized, deserialized and combined in the leader -- gives the
-- serial result byte for byte.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- four series of 50,000 points, in random order; timestamps unique across
-- series too (the s microseconds), so duplicates cannot make the order of
-- points depend on which worker read them;
-- rows with NULLs (skipped); a series of a single point
SELECT setseed(0.9);
CREATE TABLE par (s int, ts timestamptz, v float8);
INSERT INTO par
SELECT s, '2020-01-01'::timestamptz + i * interval '1 s' + (random() * 999)::int * interval '1 ms' + s * interval '1 us',
	   s * 100 + sin(i / 1000.0) + random()
FROM generate_series(1, 4) s, generate_series(1, 50000) i
ORDER BY random();
INSERT INTO par VALUES (1, NULL, 1), (2, '2020-01-01', NULL), (5, '2021-01-01', 42);
-- the same points of series 1 in time order
CREATE TABLE par_sorted AS SELECT * FROM par WHERE s = 1 AND ts IS NOT NULL ORDER BY ts;
ANALYZE par, par_sorted;

-- ---------------------------------------------------------------------
-- Serial results
-- ---------------------------------------------------------------------

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT compact_ts_agg(ts, v) FROM par;
-- what each parallel query below must reproduce: key 0 the whole table, 1..5
-- the groups, -1 the sorted table, -2..-6 the groups with the lossless codec,
-- 10 the table with a max_error of 0.001 (a float8), 11 with 'quant12', 12
-- with chronos.default_codec = 'max_error=0.01'
CREATE TABLE serial (k int, x compact_ts);
INSERT INTO serial SELECT 0, compact_ts_agg(ts, v) FROM par;
INSERT INTO serial SELECT s, compact_ts_agg(ts, v) FROM par GROUP BY s;
INSERT INTO serial SELECT -1, compact_ts_agg(ts, v) FROM par_sorted;
INSERT INTO serial SELECT -1 - s, compact_ts_agg(ts, v, 'lossless') FROM par GROUP BY s;
INSERT INTO serial SELECT 10, compact_ts_agg(ts, v, 0.001::float8) FROM par;
INSERT INTO serial SELECT 11, compact_ts_agg(ts, v, 'quant12') FROM par;
SET chronos.default_codec = 'max_error=0.01';
INSERT INTO serial SELECT 12, compact_ts_agg(ts, v) FROM par;
RESET chronos.default_codec;
SELECT k, codec(x), max_error(x) FROM serial WHERE k >= 10 ORDER BY k;
SELECT length(x) FROM serial WHERE k = 0;

-- ---------------------------------------------------------------------
-- Forced parallel plans
-- ---------------------------------------------------------------------

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;

-- the whole table
EXPLAIN (COSTS OFF) SELECT compact_ts_agg(ts, v) FROM par;
SELECT compact_ts_agg(ts, v) = (SELECT x FROM serial WHERE k = 0) AS same_as_serial,
	   length(compact_ts_agg(ts, v))
FROM par;

-- grouped, including the single-point group
EXPLAIN (COSTS OFF)
SELECT s, compact_ts_agg(ts, v) FROM par GROUP BY s;
SELECT count(*) AS groups, count(*) FILTER (WHERE g.x = serial.x) AS same_as_serial
FROM (SELECT s, compact_ts_agg(ts, v) AS x FROM par GROUP BY s) g JOIN serial ON serial.k = g.s;
SELECT s, length(x), first_time(x), last_time(x), max_error(x) < 1e-4 AS small_error
FROM (SELECT s, compact_ts_agg(ts, v) AS x FROM par GROUP BY s) g ORDER BY s;

-- input in time order: the partial states may be sorted already
EXPLAIN (COSTS OFF) SELECT compact_ts_agg(ts, v) FROM par_sorted;
SELECT compact_ts_agg(ts, v) = (SELECT x FROM serial WHERE k = -1) AS same_as_serial
FROM par_sorted;
-- and the same series from the shuffled table
SELECT compact_ts_agg(ts, v) = (SELECT x FROM serial WHERE k = -1) AS same_as_sorted
FROM par WHERE s = 1;

-- no rows in any worker: NULL
SELECT compact_ts_agg(ts, v) IS NULL AS is_null FROM par WHERE s = 999;

-- with a codec: the codec travels with the serialized partial states
EXPLAIN (COSTS OFF) SELECT s, compact_ts_agg(ts, v, 'lossless') FROM par GROUP BY s;
SELECT count(*) AS groups, count(*) FILTER (WHERE g.x = serial.x) AS same_as_serial,
	   max(max_error(g.x)) AS lossless_error
FROM (SELECT s, compact_ts_agg(ts, v, 'lossless') AS x FROM par GROUP BY s) g
	 JOIN serial ON serial.k = -1 - g.s;
-- a bound (a float8 in the serialized state) and a width
EXPLAIN (COSTS OFF) SELECT compact_ts_agg(ts, v, 0.001::float8) FROM par;
SELECT compact_ts_agg(ts, v, 0.001::float8) = (SELECT x FROM serial WHERE k = 10) AS bound_same,
	   compact_ts_agg(ts, v, 'quant12') = (SELECT x FROM serial WHERE k = 11) AS width_same
FROM par;
-- chronos.default_codec reaches the workers
SET chronos.default_codec = 'max_error=0.01';
EXPLAIN (COSTS OFF) SELECT compact_ts_agg(ts, v) FROM par;
SELECT compact_ts_agg(ts, v) = (SELECT x FROM serial WHERE k = 12) AS default_codec_same FROM par;
RESET chronos.default_codec;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE par, par_sorted, serial;
