--
-- Range, point and bucket queries (src/compact_ts_range.c): slice,
-- value_at, length/sum/avg/min/max over a range, range_stats, buckets,
-- sparkline and append, always against the original rows.
--
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
SELECT setseed(0.42);

-- ---------------------------------------------------------------------
-- Data: the original rows, and series built from them three ways
-- ---------------------------------------------------------------------

-- 1,200,000 points every 10 s (139 days): 74 blocks, two directory groups,
-- stored out of line, so the range functions fetch slices of it.  Values
-- with two decimals are stored exactly; the unrounded ones are quantized.
CREATE TABLE r_rows AS
SELECT i, '2024-01-01'::timestamptz + i * interval '10 s' AS ts,
	   round((100 + 20 * sin(i / 5000.0) + (i % 7) * 0.01)::numeric, 2)::float8 AS v,
	   100 + 20 * sin(i / 5000.0) + (i % 7) / 3.0 AS u
FROM generate_series(0, 1199999) i;
CREATE TABLE r_series (name text PRIMARY KEY, d compact_ts);
INSERT INTO r_series SELECT 'exact', compact_ts_agg(ts, v) FROM r_rows;
INSERT INTO r_series SELECT 'quant', compact_ts_agg(ts, u) FROM r_rows;
INSERT INTO r_series SELECT 'lossless', compact_ts_agg(ts, u, 'lossless') FROM r_rows;
-- a small one, kept inline (read whole), and one in format 1 (1.0's
-- canonical literal, read whole: format 1 has no directory)
INSERT INTO r_series SELECT 'small', compact_ts_agg(ts, v) FROM r_rows WHERE i < 300;
INSERT INTO r_series VALUES ('format1',
	'{quant16(sum=65536,error=0): 2024-01-01 00:00:00+00 => 0, 2024-01-01 00:00:10+00 => 1, 2024-01-01 00:00:20+00 => 65535}');
SELECT name, length(d), codec(d), max_error(d) > 0 AS lossy,
	   pg_column_size(d) < 4 * length(d) AS compact
FROM r_series ORDER BY name;

-- the big values live in TOAST, uncompressed (STORAGE external)
SELECT name, pg_column_size(d) > 8000 AS out_of_line FROM r_series
WHERE name IN ('exact', 'quant', 'lossless') ORDER BY name;

-- ranges to test: whole blocks, cut blocks, block and group boundaries,
-- both bound kinds, unbounded sides, outside the series, empty
CREATE TABLE r_ranges (id int, r tstzrange);
INSERT INTO r_ranges VALUES
	(1, tstzrange('2024-01-10', '2024-01-11')),
	(2, tstzrange('2024-01-10 00:00:00', '2024-01-10 01:00:00', '[]')),
	(3, tstzrange('2024-01-10 00:00:00', '2024-01-10 01:00:00', '()')),
	(4, tstzrange(NULL, '2024-01-02')),
	(5, tstzrange('2024-05-01', NULL)),
	(6, tstzrange(NULL, NULL)),
	(7, tstzrange('2023-01-01', '2023-12-31')),
	(8, tstzrange('2025-01-01', '2025-02-01')),
	(9, 'empty'),
	(10, tstzrange('2024-01-01 00:00:00', '2024-01-01 00:00:00', '[]')),
	(11, tstzrange('2024-01-01 00:00:05', '2024-01-01 00:00:06', '[]')),
	-- the 16,384th point (a block boundary of the default layout ends
	-- near it) and a range across the first directory group's end
	(12, tstzrange('2024-01-02 21:30:00', '2024-01-02 23:30:00')),
	(13, tstzrange('2024-05-08', '2024-05-09'));
INSERT INTO r_ranges
SELECT 100 + k, tstzrange(t, t + (random() * 20)::int * interval '1 hour')
FROM (SELECT k, '2024-01-01'::timestamptz + (random() * 140 * 86400)::int * interval '1 s' AS t
	  FROM generate_series(1, 30) k) s;

-- ---------------------------------------------------------------------
-- Aggregates over a range, against the same aggregate over the rows
-- ---------------------------------------------------------------------

-- exact (decimal) and lossless series: every figure exactly as over the rows
SELECT s.name, count(*) AS ranges,
	   count(*) FILTER (WHERE length(s.d, x.r) = o.n) AS count_ok,
	   count(*) FILTER (WHERE min_value(s.d, x.r) IS NOT DISTINCT FROM o.mn
						AND max_value(s.d, x.r) IS NOT DISTINCT FROM o.mx) AS minmax_ok,
	   count(*) FILTER (WHERE sum_value(s.d, x.r) IS NOT DISTINCT FROM o.sm
						OR abs(sum_value(s.d, x.r) - o.sm) <= 1e-12 * abs(o.sm)) AS sum_ok,
	   count(*) FILTER (WHERE avg_value(s.d, x.r) IS NOT DISTINCT FROM o.av
						OR abs(avg_value(s.d, x.r) - o.av) <= 1e-12 * abs(o.av)) AS avg_ok
FROM r_series s, r_ranges x,
	LATERAL (SELECT count(*) AS n,
					min(CASE WHEN s.name = 'exact' THEN v ELSE u END) AS mn,
					max(CASE WHEN s.name = 'exact' THEN v ELSE u END) AS mx,
					sum(CASE WHEN s.name = 'exact' THEN v ELSE u END) AS sm,
					avg(CASE WHEN s.name = 'exact' THEN v ELSE u END) AS av
			 FROM r_rows WHERE x.r @> ts) o
WHERE s.name IN ('exact', 'lossless')
GROUP BY s.name ORDER BY s.name;

-- quantized: count exact; min, max and sum within what range_stats says
-- the figures may hold (max_error per decoded point), whole blocks exact
SELECT count(*) AS ranges,
	   count(*) FILTER (WHERE st.points = o.n) AS count_ok,
	   count(*) FILTER (WHERE o.n = 0 OR (abs(st.min - o.mn) <= st.max_error
										  AND abs(st.max - o.mx) <= st.max_error)) AS minmax_ok,
	   count(*) FILTER (WHERE o.n = 0 OR abs(st.sum - o.sm) <=
						st.decoded_points * st.max_error + 1e-9 * abs(o.sm)) AS sum_ok,
	   count(*) FILTER (WHERE st.max_error <= max_error(s.d)
						OR (st.points = 0 AND st.max_error IS NULL)) AS bound_ok,
	   count(*) FILTER (WHERE st.decoded_points < st.points) AS used_summaries
FROM r_series s, r_ranges x,
	LATERAL range_stats(s.d, x.r) st,
	LATERAL (SELECT count(*) AS n, min(u) AS mn, max(u) AS mx, sum(u) AS sm
			 FROM r_rows WHERE x.r @> ts) o
WHERE s.name = 'quant';

-- a whole block inside the range comes from its summaries: one day is
-- 8,640 points, fewer than a block, so a week shows it
SELECT (range_stats(d, tstzrange('2024-02-01', '2024-02-08'))).*
FROM r_series WHERE name = 'quant';
SELECT count(*), min(u), max(u), round(sum(u)::numeric, 2) AS sum FROM r_rows
WHERE ts >= '2024-02-01' AND ts < '2024-02-08';

-- the small (inline) and the format 1 values, read whole
SELECT name, length(d, tstzrange('2024-01-01 00:00:10', '2024-01-01 00:00:40', '[]')),
	   sum_value(d, tstzrange('2024-01-01 00:00:10', '2024-01-01 00:00:40', '[]')),
	   min_value(d, tstzrange(NULL, '2024-01-01 00:00:10', '[]')),
	   max_value(d, tstzrange('2024-01-01 00:00:10', NULL))
FROM r_series WHERE name IN ('small', 'format1') ORDER BY name;
SELECT sum(v), max(v) FROM r_rows WHERE i BETWEEN 1 AND 4;

-- an empty range, or one outside the series: no points, NULL figures
SELECT length(d, 'empty'), sum_value(d, 'empty'), min_value(d, tstzrange('2030-01-01', NULL)),
	   (range_stats(d, 'empty')).*
FROM r_series WHERE name = 'exact';
-- the empty series
SELECT length('{}'::compact_ts, tstzrange(NULL, NULL)), avg_value('{}'::compact_ts, tstzrange(NULL, NULL));
-- NULL in, NULL out
SELECT sum_value(NULL::compact_ts, tstzrange(NULL, NULL)), sum_value('{}'::compact_ts, NULL);

-- NaN and infinities of a lossless series follow sum(float8) and max(float8)
CREATE TABLE r_special AS
SELECT compact_ts(ARRAY['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']::timestamptz[],
				  ARRAY[1, 'Infinity', 'NaN', 2]::float8[], 'lossless') AS d;
SELECT sum_value(d, tstzrange('2024-01-01', '2024-01-02', '[]')) AS inf_sum,
	   max_value(d, tstzrange(NULL, NULL)) AS nan_max,
	   min_value(d, tstzrange(NULL, NULL)) AS min_ignores_nan,
	   sum_value(d, tstzrange('2024-01-03', NULL)) AS nan_sum,
	   avg_value(d, tstzrange('2024-01-04', NULL)) AS plain
FROM r_special;
SELECT sum(v), max(v), min(v) FROM unnest(ARRAY[1, 'Infinity', 'NaN', 2]::float8[]) v;

-- infinite bounds are bounds like any other; a reversed range cannot be
-- made (PostgreSQL's own error)
SELECT length(d, tstzrange('-infinity', 'infinity')) AS inf_both,
	   length(d, tstzrange('-infinity', '2024-01-02')) = length(d, tstzrange(NULL, '2024-01-02')) AS inf_lower,
	   length(d, tstzrange('2024-05-01', 'infinity', '[]')) = length(d, tstzrange('2024-05-01', NULL)) AS inf_upper
FROM r_series WHERE name = 'exact';
SELECT length(d, tstzrange('2024-02-01', '2024-01-01')) FROM r_series WHERE name = 'exact';
-- a series with one point, and points at -infinity / infinity
CREATE TABLE r_one AS SELECT compact_ts(ARRAY['2024-01-01 12:00']::timestamptz[], ARRAY[7.5]) AS d;
SELECT length(d, tstzrange('2024-01-01', '2024-01-02')) AS inside, length(d, tstzrange('2024-01-02', NULL)) AS outside,
	   length(d, tstzrange('2024-01-01 12:00', '2024-01-01 12:00', '[]')) AS at_it,
	   length(d, tstzrange('2024-01-01 12:00', '2024-01-01 13:00', '()')) AS excluded,
	   (range_stats(d, tstzrange(NULL, NULL))).*,
	   value_at(d, '2024-01-01 12:00') AS at, value_at(d, '2024-01-01 12:00:01', true) AS after,
	   slice(d, tstzrange(NULL, NULL)) = d AS slice_whole, sparkline(d, 3) AS spark
FROM r_one;
SELECT * FROM buckets((SELECT d FROM r_one), '1 day');
SELECT length(d, tstzrange('-infinity', '-infinity', '[]')) AS at_minus_inf,
	   length(d, tstzrange('infinity', 'infinity', '[]')) AS at_plus_inf,
	   length(d, tstzrange('-infinity', 'infinity')) AS minus_inf_to_inf,
	   value_at(d, '-infinity') AS v_minus_inf, value_at(d, 'infinity') AS v_plus_inf
FROM (SELECT compact_ts(ARRAY['-infinity', '2024-01-01', 'infinity']::timestamptz[], ARRAY[1, 2, 3]) AS d) s;

-- ---------------------------------------------------------------------
-- value_at
-- ---------------------------------------------------------------------

-- every probe against the rows: at a point, between points, outside
WITH probes AS (
	SELECT '2024-01-01'::timestamptz + (random() * 1200000 * 10)::bigint * interval '1 s' AS t
	FROM generate_series(1, 200)
)
SELECT count(*) AS probes,
	   count(*) FILTER (WHERE value_at(s.d, p.t) IS NOT DISTINCT FROM
						(SELECT v FROM r_rows WHERE ts = p.t)) AS exact_ok,
	   count(*) FILTER (WHERE value_at(s.d, p.t) IS NULL) AS between_points
FROM r_series s, probes p WHERE s.name = 'exact';

-- interpolation: halfway between two points is their mean (exact data)
SELECT value_at(d, '2024-01-05 00:00:05+00', interpolate => true) AS interpolated,
	   (SELECT avg(v) FROM r_rows WHERE ts IN ('2024-01-05 00:00:00+00', '2024-01-05 00:00:10+00')) AS mean,
	   value_at(d, '2024-01-05 00:00:05+00') AS not_a_point,
	   value_at(d, '2024-01-05 00:00:00+00', true) = (SELECT v FROM r_rows WHERE ts = '2024-01-05') AS at_point
FROM r_series WHERE name = 'exact';
-- across a block boundary: the point before is the last of the previous block
SELECT b.i, value_at(s.d, b.ts + interval '5 s', true) = (b.v + n.v) / 2 AS across
FROM r_series s, r_rows b, r_rows n
WHERE s.name = 'exact' AND b.i IN (10239, 16383, 20479) AND n.i = b.i + 1 ORDER BY b.i;
-- outside the series, and the ends
SELECT value_at(d, '2023-12-31 23:59:59+00', true), value_at(d, '2025-01-01', true),
	   value_at(d, '2024-01-01 00:00:00+00') = 100 AS first,
	   value_at(d, first_time(d)) IS NOT NULL AS at_first, value_at(d, last_time(d)) IS NOT NULL AS at_last
FROM r_series WHERE name = 'exact';
-- duplicate timestamps: the first of them
SELECT value_at(compact_ts(ARRAY['2024-01-01', '2024-01-01', '2024-01-02']::timestamptz[],
						   ARRAY[7, 8, 9]), '2024-01-01');
SELECT value_at('{}'::compact_ts, now()), value_at(NULL::compact_ts, now());

-- ---------------------------------------------------------------------
-- slice
-- ---------------------------------------------------------------------

-- the points of the range, and only those, exactly as the value held them
SELECT s.name, count(*) AS ranges,
	   count(*) FILTER (WHERE length(slice(s.d, x.r)) =
						(SELECT count(*) FROM r_rows WHERE x.r @> ts AND i < CASE s.name WHEN 'small' THEN 300 WHEN 'format1' THEN 3 ELSE 1200000 END)) AS length_ok,
	   count(*) FILTER (WHERE max_error(slice(s.d, x.r)) <= max_error(s.d)) AS bound_ok
FROM r_series s, r_ranges x GROUP BY s.name ORDER BY s.name;

-- one hour, point by point against the rows (exact data)
SELECT count(*) AS points, count(*) FILTER (WHERE o.v = p.value) AS equal
FROM r_series s, unnest(slice(s.d, tstzrange('2024-03-01 12:00', '2024-03-01 13:00'))) p
JOIN r_rows o ON o.ts = p.ts
WHERE s.name = 'exact';
-- quantized: the slice's points are the value's own points, not quantized again
SELECT count(*) AS points, bool_and(a.value = b.value) AS same_points
FROM r_series s,
	LATERAL (SELECT * FROM unnest(slice(s.d, tstzrange('2024-03-01', '2024-03-03')))) a
	JOIN LATERAL (SELECT * FROM unnest(s.d)) b ON b.ts = a.ts
WHERE s.name = 'quant';
-- summaries of a slice: whole blocks keep the originals' exact sums
SELECT abs(sum_value(slice(d, tstzrange('2024-02-01', '2024-03-01'))) -
		   (SELECT sum(u) FROM r_rows WHERE ts >= '2024-02-01' AND ts < '2024-03-01')) <=
	   length(d, tstzrange('2024-02-01', '2024-03-01')) * max_error(d) AS close
FROM r_series WHERE name = 'quant';
-- slices of slices, everything, nothing
SELECT slice(slice(d, tstzrange('2024-01-10', '2024-01-20')), tstzrange('2024-01-12', '2024-01-13')) =
	   slice(d, tstzrange('2024-01-12', '2024-01-13')) AS nested,
	   slice(d, tstzrange(NULL, NULL)) = d AS whole,
	   length(slice(d, 'empty')) AS empty, codec(slice(d, 'empty')) AS codec
FROM r_series WHERE name = 'exact';
SELECT codec(slice(d, tstzrange(NULL, NULL))), slice(d, tstzrange('2024-01-01 00:00:10', NULL))
FROM r_series WHERE name = 'format1';

-- ---------------------------------------------------------------------
-- buckets: the same figures as GROUP BY date_bin over the rows
-- ---------------------------------------------------------------------

SELECT w, origin, count(*) AS buckets,
	   count(*) FILTER (WHERE b.points = o.n AND b.min = o.mn AND b.max = o.mx
						AND b.first_time = o.f AND b.last_time = o.l) AS exact_ok,
	   count(*) FILTER (WHERE abs(b.sum - o.sm) <= 1e-9 * abs(o.sm)) AS sum_ok
FROM (VALUES (interval '1 hour', timestamptz '2000-01-01'),
			 (interval '1 day', timestamptz '2000-01-01'),
			 (interval '7 days 3 hours', timestamptz '2024-01-03 05:00'),
			 (interval '45 minutes', timestamptz '1999-12-31 23:50')) p(w, origin),
	r_series s,
	LATERAL buckets(s.d, p.w, p.origin) b
	JOIN LATERAL (SELECT date_bin(p.w, ts, p.origin) AS k, count(*) AS n, min(v) AS mn,
						 max(v) AS mx, sum(v) AS sm, min(ts) AS f, max(ts) AS l
				  FROM r_rows GROUP BY 1) o ON o.k = b.bucket
WHERE s.name = 'exact'
GROUP BY w, origin ORDER BY w, origin;
-- as many buckets as date_bin has groups (none missing, none extra)
SELECT (SELECT count(*) FROM r_series s, buckets(s.d, interval '1 hour') WHERE s.name = 'exact') =
	   (SELECT count(DISTINCT date_bin('1 hour', ts, '2000-01-01')) FROM r_rows) AS same_count;
-- empty buckets are not returned
SELECT * FROM buckets(compact_ts(ARRAY['2024-01-01 00:00', '2024-01-01 00:30', '2024-01-01 03:10']::timestamptz[],
								 ARRAY[1, 2, 3]), '1 hour');
-- quantized: counts and times exact, values within the bound
SELECT count(*) AS buckets, bool_and(b.points = o.n) AS counts,
	   bool_and(abs(b.min - o.mn) <= max_error(s.d) AND abs(b.max - o.mx) <= max_error(s.d)) AS minmax
FROM r_series s, buckets(s.d, interval '6 hours') b
	JOIN (SELECT date_bin('6 hours', ts, '2000-01-01') AS k, count(*) AS n, min(u) AS mn, max(u) AS mx
		  FROM r_rows GROUP BY 1) o ON o.k = b.bucket
WHERE s.name = 'quant';
-- date_bin's rules for the width and origin
SELECT * FROM buckets('{}'::compact_ts, '1 hour');
SELECT * FROM buckets('{}'::compact_ts, '1 month');
SELECT * FROM buckets('{}'::compact_ts, '0 s');
SELECT * FROM buckets('{}'::compact_ts, '-1 hour');
SELECT * FROM buckets('{}'::compact_ts, '1 hour', 'infinity');
SELECT date_bin('1 month', now(), '2000-01-01');
SELECT * FROM buckets('{}'::compact_ts, '200000000 days');
SELECT date_bin('200000000 days', now(), '2000-01-01');
SELECT date_bin('1 hour', now(), 'infinity');
-- +-infinity timestamps have buckets of their own
SELECT bucket, points FROM buckets(compact_ts(ARRAY['-infinity', '2024-01-01', 'infinity']::timestamptz[],
											  ARRAY[1, 2, 3]), '1 day');
-- the ends of timestamptz's range: buckets as date_bin gives them, or its
-- errors (a distance or a bucket start out of range), never a wrap
SELECT bucket, points, first_time, last_time
FROM buckets(compact_ts(ARRAY['4714-11-24 00:00:00+00 BC', '294276-12-31 00:00:00+00']::timestamptz[],
						ARRAY[1, 2]::float8[], 'lossless'), '1 day');
SELECT date_bin('1 day', t, '2000-01-01') AS bucket, count(*)
FROM unnest(ARRAY['4714-11-24 00:00:00+00 BC', '294276-12-31 00:00:00+00']::timestamptz[]) t GROUP BY 1 ORDER BY 1;
SELECT * FROM buckets(compact_ts(ARRAY['4714-11-24 00:00:00+00 BC', '2000-01-01']::timestamptz[],
								 ARRAY[1, 2]::float8[], 'lossless'),
					  '106751989 days 14 hours', '294276-12-31 00:00:00+00');
SELECT date_bin('106751989 days 14 hours', '4714-11-24 00:00:00+00 BC'::timestamptz, '294276-12-31 00:00:00+00');
SELECT * FROM buckets(compact_ts(ARRAY['4714-11-24 00:00:00+00 BC']::timestamptz[], ARRAY[1]::float8[]), '7 days');
SELECT date_bin('7 days', '4714-11-24 00:00:00+00 BC'::timestamptz, '2000-01-01');
-- interpolation between points more than 2^63 microseconds apart
SELECT round(value_at(compact_ts(ARRAY['4714-11-24 00:00:00+00 BC', '294276-12-31 00:00:00+00']::timestamptz[],
								 ARRAY[0, 1]::float8[], 'lossless'), '2000-01-01', true)::numeric, 6) AS interpolated,
	   round((extract(epoch FROM '2000-01-01'::timestamptz) - extract(epoch FROM '4714-11-24 00:00:00+00 BC'::timestamptz)) /
			 (extract(epoch FROM '294276-12-31 00:00:00+00'::timestamptz) - extract(epoch FROM '4714-11-24 00:00:00+00 BC'::timestamptz)), 6) AS expected;

-- ---------------------------------------------------------------------
-- sparkline
-- ---------------------------------------------------------------------

SELECT name, sparkline(d, 20) FROM r_series WHERE name IN ('exact', 'quant', 'lossless') ORDER BY name;
SELECT char_length(sparkline(d)) AS default_width, char_length(sparkline(d, 1000)) AS widest
FROM r_series WHERE name = 'exact';
-- a rising series climbs, a flat one sits in the middle, gaps are spaces
SELECT sparkline(compact_ts(array_agg(t ORDER BY t), array_agg(extract(epoch FROM t) ORDER BY t)), 8)
FROM generate_series('2024-01-01'::timestamptz, '2024-01-08', '1 hour') t;
SELECT sparkline(compact_ts(ARRAY['2024-01-01', '2024-01-02']::timestamptz[], ARRAY[5, 5]), 4);
SELECT sparkline(compact_ts(ARRAY['2024-01-01', '2024-01-10']::timestamptz[], ARRAY[1, 2]), 5);
-- a range of the series
SELECT sparkline(d, 10, tstzrange('2024-01-01', '2024-01-02')) FROM r_series WHERE name = 'exact';
SELECT sparkline(d, 10, 'empty') = '' AS empty_range FROM r_series WHERE name = 'exact';
SELECT sparkline('{}'::compact_ts), sparkline(NULL::compact_ts) IS NULL AS null_in;
SELECT sparkline('{}'::compact_ts, 0);
SELECT sparkline('{}'::compact_ts, 1001);

-- ---------------------------------------------------------------------
-- append: blocks copied when the second series starts after the first
-- ---------------------------------------------------------------------

-- two halves joined give the whole series back, byte for byte where the
-- halves end on block boundaries and point for point anyway
-- (the first block ends with point 16,384, at 2024-01-02 21:30:30)
SELECT cut, (a || b) = d AS same_bytes, length(a || b) = length(d) AS same_length,
	   max_error(a || b) = max_error(d) AS same_bound, codec(a || b),
	   (SELECT bool_and(x.ts = y.ts AND x.value = y.value)
		FROM (SELECT row_number() OVER () AS k, * FROM unnest(a || b)) x
		JOIN (SELECT row_number() OVER () AS k, * FROM unnest(d)) y USING (k)) AS same_points
FROM (SELECT cut, d, slice(d, tstzrange(NULL, cut)) AS a, slice(d, tstzrange(cut, NULL)) AS b
	  FROM r_series, (VALUES (timestamptz '2024-01-02 21:30:40'), ('2024-02-01')) c(cut)
	  WHERE name = 'quant') s ORDER BY cut;
SELECT count(*) AS points, bool_and(x.ts = y.ts AND x.value = y.value) AS same_points
FROM r_series s,
	LATERAL (SELECT row_number() OVER () AS k, * FROM unnest(slice(s.d, tstzrange(NULL, '2024-01-20')) ||
														slice(s.d, tstzrange('2024-01-20', '2024-01-25')))) x
	JOIN LATERAL (SELECT row_number() OVER () AS k, * FROM unnest(slice(s.d, tstzrange(NULL, '2024-01-25')))) y
	ON x.k = y.k
WHERE s.name = 'quant';
-- appending new rows to a stored series: no stored value changes
CREATE TABLE r_app AS SELECT d FROM r_series WHERE name = 'quant';
UPDATE r_app SET d = d || (SELECT compact_ts_agg(t, 1.5) FROM generate_series('2024-06-01'::timestamptz, '2024-06-01 01:00', '10 s') t);
SELECT length(a.d) - length(s.d) AS added, slice(a.d, tstzrange(NULL, last_time(s.d), '[]')) = s.d AS old_part_unchanged,
	   max_error(a.d) = max_error(s.d) AS same_bound, codec(a.d)
FROM r_app a, r_series s WHERE s.name = 'quant';
-- overlapping series are merged by time (the first's points first at
-- equal times), every point kept exactly
SELECT a || b, b || a
FROM (SELECT compact_ts(ARRAY['2024-01-01', '2024-01-03']::timestamptz[], ARRAY[1, 3]) AS a,
			 compact_ts(ARRAY['2024-01-02', '2024-01-03']::timestamptz[], ARRAY[2, 4]) AS b) s;
SELECT length(d || d) = 2 * length(d) AS all_kept, max_error(d || d) = max_error(d) AS bound,
	   min_value(d || d) = min_value(d) AS min
FROM r_series WHERE name = 'small';
-- codecs: the same one is kept, different ones give 'mixed'
SELECT codec(a || a), codec(a || b), codec(b || a), codec(a || '{}'), codec('{}' || b)
FROM (SELECT compact_ts(ARRAY['2024-01-01']::timestamptz[], ARRAY[1.5], 'quant12') AS a,
			 compact_ts(ARRAY['2024-01-02']::timestamptz[], ARRAY[2.5], 'lossless') AS b) s;
-- the empty series is the identity; format 1 values are stored afresh
SELECT (d || '{}') = d AS right_identity, ('{}' || d) = d AS left_identity
FROM r_series WHERE name = 'exact';
SELECT d || compact_ts(ARRAY['2024-01-01 00:00:30']::timestamptz[], ARRAY[4]), codec(d || d)
FROM r_series WHERE name = 'format1';
SELECT append(NULL, '{}'), append('{}', '{}');

DROP TABLE r_rows, r_series, r_ranges, r_special, r_app, r_one;

-- values near the ends of float8: interpolation and a sparkline's scale
-- do not overflow
SELECT value_at(compact_ts(ARRAY['2000-01-01', '2000-01-03']::timestamptz[], ARRAY[-1e308, 1e308]::float8[], 'lossless'),
				'2000-01-02', true) AS midway;
SELECT sparkline(compact_ts(ARRAY['2000-01-01', '2000-01-02', '2000-01-03']::timestamptz[],
							ARRAY[-1e308, 0, 1e308]::float8[], 'lossless'), 3) AS wide,
	   sparkline(compact_ts(ARRAY['2000-01-01', '2000-01-02', '2000-01-03']::timestamptz[],
							ARRAY[-1, 0, 1]::float8[], 'lossless'), 3) AS narrow;
