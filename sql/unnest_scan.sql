--
-- The scan node of unnest(compact_ts) in FROM (src/compact_ts_scan.c):
-- when the planner uses it, and that it returns exactly the rows of the
-- function scan it replaces (chronos.enable_unnest_scan = off).
--
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

CREATE TABLE s_rows AS
SELECT s AS series, '2024-01-01'::timestamptz + i * interval '1 min' AS ts,
	   round((s * 10 + 5 * sin(i / 300.0))::numeric, 2)::float8 AS v
FROM generate_series(1, 12) s, generate_series(0, 39999) i;
CREATE TABLE s_series (series int PRIMARY KEY, d compact_ts);
INSERT INTO s_series SELECT series, compact_ts_agg(ts, v) FROM s_rows GROUP BY series;
-- a lossless one with infinities, an empty one, a NULL one, a format 1 one
INSERT INTO s_series VALUES
	(13, compact_ts(ARRAY['-infinity', '2024-01-02', 'infinity']::timestamptz[], ARRAY[1, 'NaN', 3]::float8[], 'lossless')),
	(14, '{}'),
	(15, NULL),
	(16, '{quant16(sum=65536,error=0): 2024-01-01 00:00:00+00 => 0, 2024-01-01 00:01:00+00 => 1, 2024-01-01 00:02:00+00 => 65535}');
ANALYZE s_series;

-- ---------------------------------------------------------------------
-- Plans
-- ---------------------------------------------------------------------

-- unnest in FROM, LATERAL or alone, with conditions on ts
EXPLAIN (COSTS OFF) SELECT count(*) FROM s_series t, unnest(t.d) u;
EXPLAIN (COSTS OFF) SELECT * FROM unnest('{2024-01-01 00:00:00+00 => 1}'::compact_ts);
EXPLAIN (COSTS OFF)
SELECT u.ts, u.value FROM s_series t, unnest(t.d) u
WHERE t.series = 3 AND u.ts >= '2024-01-05' AND u.ts < '2024-01-05 01:00' AND u.value > 0;
-- the function scan where the node cannot stand in: the whole row,
-- WITH ORDINALITY, ROWS FROM with two functions, or switched off
EXPLAIN (COSTS OFF) SELECT u FROM s_series t, unnest(t.d) u;
EXPLAIN (COSTS OFF) SELECT * FROM s_series t, unnest(t.d) WITH ORDINALITY u;
EXPLAIN (COSTS OFF) SELECT * FROM s_series t, ROWS FROM (unnest(t.d), generate_series(1, 2)) u;
SET chronos.enable_unnest_scan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM s_series t, unnest(t.d) u;
RESET chronos.enable_unnest_scan;
-- lines of a query's plan that match a pattern (the same on every
-- version: EXPLAIN's other lines differ between them)
CREATE FUNCTION s_plan(q text, pattern text, run bool DEFAULT false) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (' ||
		CASE WHEN run THEN 'ANALYZE, TIMING OFF, SUMMARY OFF, BUFFERS OFF, ' ELSE '' END ||
		'COSTS ON) ' || q
	LOOP
		IF line ~ pattern THEN
			RETURN NEXT regexp_replace(trim(line), '^->  ', '');
		END IF;
	END LOOP;
END $$;
-- the support function gives a constant series' length as the estimate
SELECT substring(l FROM 'rows=[0-9]+') FROM s_plan(
	'SELECT * FROM unnest(''{2024-01-01 00:00:00+00 => 1, 2024-01-02 00:00:00+00 => 2}''::compact_ts)',
	'ChronosUnnest') l;

-- ---------------------------------------------------------------------
-- The same rows as the function scan
-- ---------------------------------------------------------------------

-- every query below runs with the node and without it; the two results
-- must be equal, as multisets of rows
CREATE FUNCTION s_same(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	with_node bigint;
	without_node bigint;
	differ bigint;
BEGIN
	SET LOCAL chronos.enable_unnest_scan = on;
	EXECUTE 'CREATE TEMP TABLE s_a AS ' || q;
	SET LOCAL chronos.enable_unnest_scan = off;
	EXECUTE 'CREATE TEMP TABLE s_b AS ' || q;
	SELECT count(*) INTO with_node FROM s_a;
	SELECT count(*) INTO without_node FROM s_b;
	SELECT count(*) INTO differ FROM ((TABLE s_a EXCEPT ALL TABLE s_b) UNION ALL (TABLE s_b EXCEPT ALL TABLE s_a)) x;
	DROP TABLE s_a, s_b;
	RESET chronos.enable_unnest_scan;
	RETURN format('%s rows, %s', with_node, CASE WHEN differ = 0 AND with_node = without_node THEN 'same' ELSE differ || ' differ' END);
END $$;

SELECT q, s_same(q) FROM (VALUES
	('SELECT t.series, u.ts, u.value FROM s_series t, unnest(t.d) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts >= ''2024-01-10'' AND u.ts < ''2024-01-11'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts > ''2024-01-10'' AND u.ts <= ''2024-01-11'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE ''2024-01-10'' < u.ts AND ''2024-01-11'' >= u.ts'),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts = ''2024-01-20 13:37'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < ''2024-01-01 00:05'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts >= ''2024-01-28 18:00'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts > ''infinity'' OR u.ts < ''-infinity'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts >= ''-infinity'' AND u.ts <= ''infinity'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts > ''infinity'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < ''-infinity'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < NULL::timestamptz'),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts >= ''2024-01-11'' AND u.ts < ''2024-01-10'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts BETWEEN ''2024-01-03'' AND ''2024-01-04'' AND u.value > t.series * 10'),
	-- a bound that depends on the outer row (a parameter of the scan)
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < ''2024-01-01''::timestamptz + t.series * interval ''1 hour'''),
	-- conditions the node does not use for blocks: other types, functions, OR
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts::date = ''2024-01-09'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < ''2024-01-01 01:00'' OR u.ts > ''2024-01-28 12:00'''),
	('SELECT t.series, u.* FROM s_series t, unnest(t.d) u WHERE u.ts < now()'),
	-- only one column, and none
	('SELECT u.value FROM s_series t, unnest(t.d) u WHERE t.series IN (1, 13, 16)'),
	('SELECT 1 AS one FROM s_series t, unnest(t.d) u WHERE t.series = 13'),
	-- constants, and a subquery's series
	('SELECT * FROM unnest(''{2024-01-01 00:00:00+00 => 1, 2024-01-02 00:00:00+00 => 2}''::compact_ts) WHERE ts > ''2024-01-01'''),
	('SELECT * FROM unnest((SELECT d FROM s_series WHERE series = 2)) u WHERE u.ts < ''2024-01-02'''),
	('SELECT * FROM unnest(NULL::compact_ts)'),
	-- a join on ts: the node on either side
	('SELECT a.ts, a.value, b.value AS other FROM s_series x, unnest(x.d) a JOIN s_series y ON y.series = 2 CROSS JOIN LATERAL unnest(y.d) b WHERE x.series = 1 AND a.ts = b.ts AND a.ts < ''2024-01-03''')
) q(q);

-- the rows come out in time order, as the function scan returns them
SELECT bool_and(ts >= prev) AS in_order, count(*)
FROM (SELECT ts, lag(ts, 1, '-infinity') OVER () AS prev FROM s_series t, unnest(t.d) u WHERE t.series = 4) s;

-- ---------------------------------------------------------------------
-- Blocks: those outside the bounds are not decoded
-- ---------------------------------------------------------------------

-- 40,000 points make three blocks; one hour is in one of them
SELECT * FROM s_plan($q$SELECT count(*) FROM s_series t, unnest(t.d) u
WHERE t.series <= 4 AND u.ts >= '2024-01-05' AND u.ts < '2024-01-05 01:00'$q$, 'Series Read|Blocks', true);
-- a bound from the outer row: per row its own blocks
SELECT * FROM s_plan($q$SELECT count(*) FROM s_series t, unnest(t.d) u
WHERE t.series <= 4 AND u.ts < '2024-01-01'::timestamptz + t.series * interval '1 hour'$q$, 'Series Read|Blocks', true);
-- no bounds: every block
SELECT * FROM s_plan($q$SELECT count(*) FROM s_series t, unnest(t.d) u WHERE t.series <= 4$q$, 'Series Read|Blocks', true);

-- ---------------------------------------------------------------------
-- unnest(slice(v, r)): the node reads v within r, without building the
-- slice; the rows are the slice's
-- ---------------------------------------------------------------------

SELECT * FROM s_plan($q$SELECT count(*) FROM s_series t,
	unnest(slice(t.d, tstzrange('2024-01-05', '2024-01-05 01:00'))) u WHERE t.series <= 4$q$,
	'Slice|Series|Blocks', true);
SELECT q, s_same(q) FROM (VALUES
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-05 01:00''))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-25'', ''(]''))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(NULL, ''2024-01-02''))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-27'', NULL))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(NULL, NULL))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, ''empty''::tstzrange)) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-05''))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05 00:00'', ''2024-01-05 00:00'', ''[]''))) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, NULL::tstzrange)) u'),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''-infinity'', ''infinity'', ''[]''))) u WHERE t.series IN (13, 14, 15, 16)'),
	-- with conditions on ts too: both bound the blocks
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-06''))) u WHERE u.ts >= ''2024-01-05 12:00'' AND u.ts < ''2024-01-07'''),
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-06''))) u WHERE u.ts > ''2024-01-06'''),
	-- a range from the outer row
	('SELECT t.series, u.* FROM s_series t, unnest(slice(t.d, tstzrange(''2024-01-01''::timestamptz + t.series * interval ''1 day'', ''2024-01-01''::timestamptz + t.series * interval ''1 day 1 hour''))) u'),
	-- a slice of a slice is read as the outer slice of a value
	('SELECT t.series, u.* FROM s_series t, unnest(slice(slice(t.d, tstzrange(''2024-01-03'', ''2024-01-09'')), tstzrange(''2024-01-08'', ''2024-01-10''))) u')
) q(q);

-- chronos.block_points: a layout of smaller blocks holds the same points;
-- a range decodes only the small blocks it cuts
SET chronos.block_points = 1024;
CREATE TABLE s_small AS SELECT series, compact_ts_agg(ts, v) AS d FROM s_rows WHERE series <= 2 GROUP BY series;
RESET chronos.block_points;
SELECT s.series, (SELECT count(*) FROM unnest(s.d)) AS points,
	   (SELECT count(*) FROM ((SELECT * FROM unnest(s.d) EXCEPT ALL SELECT * FROM unnest(t.d))
							  UNION ALL (SELECT * FROM unnest(t.d) EXCEPT ALL SELECT * FROM unnest(s.d))) x) AS differ,
	   pg_column_size(s.d) > pg_column_size(t.d) AS larger,
	   a.decoded_points AS decoded_small, b.decoded_points AS decoded_default,
	   a.points = r.n AND a.min = r.mn AND a.max = r.mx AND abs(a.sum - r.sm) < 1e-6 AS exact
FROM s_small s JOIN s_series t USING (series),
	 range_stats(s.d, tstzrange('2024-01-05', '2024-01-06')) a,
	 range_stats(t.d, tstzrange('2024-01-05', '2024-01-06')) b,
	 LATERAL (SELECT count(*), min(v), max(v), sum(v) FROM s_rows
			  WHERE series = s.series AND ts >= '2024-01-05' AND ts < '2024-01-06') r(n, mn, mx, sm)
ORDER BY 1;
SELECT * FROM s_plan($q$SELECT count(*) FROM s_small t, unnest(t.d) u
WHERE u.ts >= '2024-01-05' AND u.ts < '2024-01-05 01:00'$q$, 'Blocks', true);
-- its text form reads back as the same bytes
SELECT series, d::text::compact_ts = d AS same, left(d::text, 7) AS form FROM s_small ORDER BY 1;
SET chronos.block_points = 100;
SET chronos.block_points = 70000;
DROP TABLE s_small;

-- read-ahead: the blocks a bounded scan or a slice reads come in few TOAST
-- fetches (windows of consecutive payloads within an index group, the
-- first at most 16 kB, then twice as much), not one fetch per block; the
-- points and bytes are those of reading the value whole (slice of a value
-- in memory: slice(d, all) is not stored)
SET chronos.block_points = 256;
CREATE TABLE s_tiny AS SELECT series, compact_ts_agg(ts, v) AS d FROM s_rows WHERE series <= 2 GROUP BY series;
RESET chronos.block_points;
SELECT series, pg_column_size(d) AS stored_bytes FROM s_tiny ORDER BY 1;
-- a day: 1,440 points in 7 blocks, one window after the first fetch (which
-- holds the index entries of the first 91 blocks); eleven days: 63 blocks
-- in two index groups, a window in each and the second group's entries
-- (fetched once, to find where the range ends, and kept); twenty days: 114
-- blocks in three groups (the last group's entries fetched again)
SELECT * FROM s_plan($q$SELECT count(*) FROM s_tiny t,
	unnest(slice(t.d, tstzrange('2024-01-05', '2024-01-06'))) u WHERE t.series = 1$q$,
	'Blocks|TOAST', true);
SELECT * FROM s_plan($q$SELECT count(*) FROM s_tiny t,
	unnest(slice(t.d, tstzrange('2024-01-05', '2024-01-16'))) u WHERE t.series = 1$q$,
	'Blocks|TOAST', true);
SELECT * FROM s_plan($q$SELECT count(*) FROM s_tiny t,
	unnest(slice(t.d, tstzrange('2024-01-05', '2024-01-25'))) u WHERE t.series = 1$q$,
	'Blocks|TOAST', true);
-- open at the end: the last group's entries are not fetched to find where
-- the range ends (it ends with the series)
SELECT * FROM s_plan($q$SELECT count(*) FROM s_tiny t,
	unnest(slice(t.d, tstzrange('2024-01-05', NULL))) u WHERE t.series = 1$q$,
	'Blocks|TOAST', true);
-- stopped early: the first window only
SELECT * FROM s_plan($q$SELECT * FROM s_tiny t,
	unnest(slice(t.d, tstzrange('2024-01-05', '2024-01-25'))) u WHERE t.series = 1 LIMIT 3$q$,
	'Blocks|TOAST', true);
SELECT q, s_same(q) FROM (VALUES
	('SELECT t.series, u.* FROM s_tiny t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-25''))) u'),
	('SELECT t.series, u.* FROM s_tiny t, unnest(slice(t.d, tstzrange(''2024-01-01 04:15'', ''2024-01-01 04:17''))) u'),
	('SELECT t.series, u.* FROM s_tiny t, unnest(t.d) u WHERE u.ts > ''2024-01-03 05:00'' AND u.ts <= ''2024-01-28'''),
	('SELECT * FROM (SELECT t.series, u.* FROM s_tiny t, unnest(slice(t.d, tstzrange(''2024-01-05'', ''2024-01-25''))) u WHERE t.series = 2 LIMIT 5000) x')
) q(q);
SELECT t.series, r, slice(t.d, r) = slice(slice(t.d, tstzrange(NULL, NULL)), r) AS same_bytes,
	   length(slice(t.d, r)) AS points,
	   range_stats(t.d, r) = range_stats(slice(t.d, tstzrange(NULL, NULL)), r) AS same_stats
FROM s_tiny t, (VALUES (tstzrange('2024-01-05', '2024-01-25')),
					   (tstzrange('2024-01-05 00:30', '2024-01-05 08:30')),
					   (tstzrange('2024-01-01 04:15', '2024-01-01 04:17')),
					   (tstzrange('2024-01-27 12:00', NULL))) v(r)
ORDER BY 1, 2;
-- s_stats_exact(lo, hi): range_stats of series 1 over [lo, hi) against its rows
CREATE FUNCTION s_stats_exact(lo timestamptz, hi timestamptz,
	OUT exact bool, OUT points bigint, OUT decoded_points bigint) LANGUAGE sql AS $$
SELECT a.points = r.n AND a.min = r.mn AND a.max = r.mx AND abs(a.sum - r.sm) < 1e-9,
	   a.points, a.decoded_points
FROM s_tiny t, range_stats(t.d, tstzrange(lo, hi)) a,
	 LATERAL (SELECT count(*), min(v), max(v), sum(v) FROM s_rows
			  WHERE series = t.series AND ts >= lo AND ts < hi) r(n, mn, mx, sm)
WHERE t.series = 1
$$;
-- two blocks a short range cuts, across a block's end: exact from the rows
SELECT * FROM s_stats_exact('2024-01-01 04:10', '2024-01-01 04:20');
-- buckets and sparkline of a stored series read ahead too when most blocks
-- are cut (blocks of 256 minutes, buckets of an hour; 157 blocks, a few
-- descents of the TOAST index rather than one a block); the figures are
-- those of the value read whole
CREATE FUNCTION s_toast_index_hits() RETURNS bigint LANGUAGE sql AS $$
	SELECT pg_stat_clear_snapshot();
	SELECT tidx_blks_hit + tidx_blks_read FROM pg_statio_user_tables WHERE relname = 's_tiny'
$$;
SELECT pg_stat_force_next_flush();
SELECT s_toast_index_hits() AS hits_before \gset
SELECT count(*) AS buckets, sum(b.points) AS points FROM s_tiny t, buckets(t.d, '1 hour') b WHERE t.series = 1;
SELECT pg_stat_force_next_flush();
SELECT s_toast_index_hits() - :hits_before AS index_hits_lt_40 \gset
SELECT :index_hits_lt_40 < 40 AS few_fetches, :index_hits_lt_40 > 0 AS counted;
SELECT bool_and(a IS NOT DISTINCT FROM b) AS same_buckets, count(*) AS buckets
FROM (SELECT b AS a, row_number() OVER () AS n FROM s_tiny t, buckets(t.d, '1 hour') b WHERE t.series = 1) x
FULL JOIN (SELECT b, row_number() OVER () AS n FROM s_tiny t, buckets(slice(t.d, tstzrange(NULL, NULL)), '1 hour') b
		   WHERE t.series = 1) y USING (n);
SELECT sparkline(d, 100) = sparkline(slice(d, tstzrange(NULL, NULL)), 100) AS same_sparkline FROM s_tiny WHERE series = 1;
-- a range over a few blocks: its two edge blocks (1 and 4, of 256 minutes)
-- come in one fetch, as many descents of the TOAST index as a range inside
-- one block; exact against the rows
SELECT pg_stat_force_next_flush();
SELECT s_toast_index_hits() AS hits_before \gset
SELECT * FROM s_stats_exact('2024-01-01 05:00', '2024-01-01 20:00');
SELECT pg_stat_force_next_flush();
SELECT s_toast_index_hits() - :hits_before AS hits_edges \gset
SELECT points FROM s_tiny t, range_stats(t.d, tstzrange('2024-01-01 05:00', '2024-01-01 06:00')) a WHERE t.series = 1;
SELECT pg_stat_force_next_flush();
SELECT s_toast_index_hits() - :hits_before - :hits_edges AS hits_one \gset
SELECT :hits_edges = :hits_one AS edges_in_one_fetch, :hits_one > 0 AS counted;
DROP FUNCTION s_toast_index_hits(), s_stats_exact(timestamptz, timestamptz);
DROP TABLE s_tiny;

-- ---------------------------------------------------------------------
-- Early ends, rescans, cursors, prepared statements, parallel workers
-- ---------------------------------------------------------------------

SELECT t.series, u.ts, u.value FROM s_series t, unnest(t.d) u WHERE t.series = 5 LIMIT 3;
-- the node as the inner side of a nested loop, rescanned per outer row
SELECT g, count(*), min(u.ts), max(u.ts)
FROM generate_series(1, 4) g, s_series t, unnest(t.d) u
WHERE t.series = g AND u.ts < '2024-01-01'::timestamptz + g * interval '1 day'
GROUP BY g ORDER BY g;
-- a scrollable cursor gets a Material above the node
BEGIN;
DECLARE c SCROLL CURSOR FOR
	SELECT u.ts, u.value FROM s_series t, unnest(t.d) u WHERE t.series = 6 AND u.ts < '2024-01-01 00:05';
FETCH 2 FROM c;
FETCH BACKWARD 1 FROM c;
FETCH LAST FROM c;
COMMIT;
-- a parameter as the bound, in a generic plan
PREPARE p(timestamptz, timestamptz) AS
	SELECT count(*), sum(u.value) FROM s_series t, unnest(t.d) u WHERE t.series = 7 AND u.ts >= $1 AND u.ts < $2;
SET plan_cache_mode = force_generic_plan;
EXECUTE p('2024-01-10', '2024-01-11');
EXECUTE p('2024-01-11', '2024-01-10');
EXECUTE p(NULL, '2024-01-10');
RESET plan_cache_mode;
SELECT count(*), sum(v) FROM s_rows WHERE series = 7 AND ts >= '2024-01-10' AND ts < '2024-01-11';
DEALLOCATE p;

-- in parallel workers: the plan goes to them, and they read the same rows
CREATE TABLE s_many AS SELECT g AS id, d FROM s_series, generate_series(1, 40) g WHERE series = 8;
ANALYZE s_many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT count(*), sum(u.value) FROM s_many m, unnest(m.d) u WHERE u.ts < '2024-01-02';
SELECT count(*), round(sum(u.value)::numeric, 6) FROM s_many m, unnest(m.d) u WHERE u.ts < '2024-01-02';
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT 40 * count(*), 40 * sum(v) FROM s_rows WHERE series = 8 AND ts < '2024-01-02';

DROP FUNCTION s_same(text), s_plan(text, text, bool);
DROP TABLE s_rows, s_series, s_many;
