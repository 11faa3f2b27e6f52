--
-- compact_ts_build: compact_ts(timestamptz[], float8[]) and
-- compact_ts_agg(timestamptz, float8); round trips of random series of many
-- shapes and sizes (up to 1,000,000 points), proving every point is within
-- max_error; the codecs quant16 (the default) and lossless.  (Every codec,
-- chronos.default_codec and the max_error forms: codec.sql.)
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- ---------------------------------------------------------------------
-- compact_ts(timestamptz[], float8[])
-- ---------------------------------------------------------------------

-- two empty arrays: the empty series
SELECT compact_ts('{}', '{}');
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00']::timestamptz[], ARRAY[1.5]);
-- any order: sorted by time
SELECT compact_ts(ARRAY['2020-01-01 00:00:20+00', '2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[],
				  ARRAY[3, 1, 2]);
-- duplicate timestamps are all kept, in the arrays' order
SELECT * FROM unnest(compact_ts(
	ARRAY['2020-01-01 00:00:10+00', '2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00',
		  '2020-01-01 00:00:10+00', '2020-01-01 00:00:00+00']::timestamptz[],
	ARRAY[10, 20, 30, 40, 50]));
-- +-infinity timestamps, -0, extreme values: no short decimals, so
-- quantized on the block's range [-1e308, 1e-300] (-0 comes back as its
-- max, 1e-300, within max_error) and printed as base64
SELECT left(x::text, 7) AS form, u.*, max_error(x)
FROM (SELECT compact_ts(ARRAY['infinity', '-infinity', '2020-01-01 00:00:00+00']::timestamptz[],
						ARRAY['-0', 1e-300, -1e308]::float8[]) AS x) s, unnest(x) u;
-- arrays with other lower bounds are paired by position
SELECT compact_ts('[0:1]={"2020-01-01 00:00:00+00","2020-01-01 00:00:10+00"}'::timestamptz[],
				  '[5:6]={1,2}'::float8[]);
-- STRICT: a NULL array gives NULL
SELECT compact_ts(NULL, ARRAY[1.0]) IS NULL AS is_null;
-- a TOASTed (compressed) input array works too
CREATE TABLE build_arrays AS
SELECT array_agg('2020-01-01'::timestamptz + i * interval '1 s' ORDER BY i) AS t,
	   array_agg((i % 7)::float8 ORDER BY i) AS v
FROM generate_series(1, 100000) i;
SELECT pg_column_size(t) < 100000 * 8 AS t_compressed, length(compact_ts(t, v)),
	   compact_ts(t, v) =
	   compact_ts(t::text::timestamptz[], v::text::float8[]) AS same
FROM build_arrays;
DROP TABLE build_arrays;

-- errors: NULL elements (22004, naming the position)
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00', NULL, '2020-01-01 00:00:10+00']::timestamptz[], ARRAY[1, 2, 3]);
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[], ARRAY[1, NULL]);
SELECT compact_ts('[0:1]={"2020-01-01 00:00:00+00",NULL}'::timestamptz[], ARRAY[1, 2]);
-- errors: lengths differ, several dimensions (22023)
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00']::timestamptz[], ARRAY[1, 2]);
SELECT compact_ts('{}', ARRAY[1]);
SELECT compact_ts(ARRAY[['2020-01-01 00:00:00+00'], ['2020-01-01 00:00:10+00']]::timestamptz[], ARRAY[1, 2]);
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[], ARRAY[[1], [2]]);
-- errors: NaN and infinite values (22023, naming the position), for the
-- default codec, quant16, as for every lossy one (lossless stores them:
-- codec.sql)
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[], ARRAY[1, 'NaN']::float8[]);
SELECT compact_ts(ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[], ARRAY['Infinity', 1]::float8[]);
SELECT compact_ts(ARRAY['infinity']::timestamptz[], ARRAY['-Infinity'::float8]);

-- ---------------------------------------------------------------------
-- compact_ts_agg(timestamptz, float8)
-- ---------------------------------------------------------------------

CREATE TABLE readings (sensor text, ts timestamptz, v float8);
INSERT INTO readings VALUES
	('a', '2020-01-01 00:00:20+00', 3),
	('a', '2020-01-01 00:00:00+00', 1),
	('a', NULL, 100),
	('a', '2020-01-01 00:00:10+00', NULL),
	('a', '2020-01-01 00:00:10+00', 2),
	('b', '2020-01-01 00:00:00+00', 5),
	('c', NULL, 1),
	('c', '2020-01-01 00:00:00+00', NULL);

-- rows with a NULL timestamp or value are skipped; a group with no complete
-- row gives NULL
SELECT sensor, compact_ts_agg(ts, v) FROM readings GROUP BY sensor ORDER BY sensor;
-- no rows at all: NULL
SELECT compact_ts_agg(ts, v) IS NULL AS is_null FROM readings WHERE false;
-- FILTER, and ORDER BY inside the aggregate (input already sorted)
SELECT compact_ts_agg(ts, v) FILTER (WHERE v > 1) FROM readings WHERE sensor = 'a';
SELECT compact_ts_agg(ts, v ORDER BY ts DESC) FROM readings WHERE sensor = 'a';
-- the same aggregate twice shares one transition state: both results right
SELECT compact_ts_agg(ts, v), length(compact_ts_agg(ts, v)) FROM readings WHERE sensor = 'a';
-- NaN and infinite values (a lossy codec)
SELECT compact_ts_agg(ts, v) FROM (VALUES ('2020-01-01 00:00:00+00'::timestamptz, 1.0::float8),
									   ('2020-01-01 00:00:10+00', 'NaN')) r(ts, v);
SELECT compact_ts_agg(ts, v) FROM (VALUES ('2020-01-01 00:00:00+00'::timestamptz, '-Infinity'::float8)) r(ts, v);

-- as a window function the final function runs once per row, on a state
-- that keeps growing: running series over input that is not in time order
SELECT i, compact_ts_agg(ts, v) OVER (ORDER BY i)
FROM (VALUES (1, '2020-01-01 00:00:30+00'::timestamptz, 3.0::float8),
			 (2, '2020-01-01 00:00:10+00', 1),
			 (3, '2020-01-01 00:00:20+00', 2),
			 (4, '2020-01-01 00:00:10+00', 4),
			 (5, '2020-01-01 00:00:00+00', 0)) r(i, ts, v)
ORDER BY i;
-- and with a moving frame (the aggregate restarts for each row)
SELECT i, compact_ts_agg(ts, v) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '2020-01-01 00:00:30+00'::timestamptz, 3.0::float8),
			 (2, '2020-01-01 00:00:10+00', 1),
			 (3, '2020-01-01 00:00:20+00', 2)) r(i, ts, v)
ORDER BY i;

DROP TABLE readings;

-- ---------------------------------------------------------------------
-- Round trips of many shapes
-- ---------------------------------------------------------------------

-- shapes(shape, i, ts, v): i is the input order.  Timestamps may repeat;
-- unnest then returns equal timestamps in input order, so the k-th point
-- of unnest is the k-th input row ordered by (ts, i).
CREATE TABLE shapes (shape text, i int, ts timestamptz, v float8);
SELECT setseed(0.42);
INSERT INTO shapes
-- a regular series: one point a second
SELECT 'regular', i, '2020-01-01'::timestamptz + i * interval '1 s', random() * 100
FROM generate_series(1, 5000) i
UNION ALL
-- irregular gaps of 1 microsecond to 1 second, a random walk
SELECT 'irregular', i, '2020-01-01'::timestamptz + (sum((random() * 1000000)::int + 1) OVER w) * interval '1 us',
	   sum(random() - 0.5) OVER w
FROM generate_series(1, 5000) i WINDOW w AS (ORDER BY i)
UNION ALL
-- every timestamp three times, values all different
SELECT 'duplicates', i, '2020-01-01'::timestamptz + (i / 3) * interval '1 min', i
FROM generate_series(1, 3000) i
UNION ALL
-- one value throughout (every block constant)
SELECT 'constant', i, '2020-01-01'::timestamptz + i * interval '10 s', 42.5
FROM generate_series(1, 3000) i
UNION ALL
-- values that are all zero, some of them -0 (a float8: the numeric -0.0
-- is 0)
SELECT 'zeros', i, '2020-01-01'::timestamptz + i * interval '10 s', CASE WHEN i % 2 = 0 THEN '-0'::float8 ELSE 0.0 END
FROM generate_series(1, 2000) i
UNION ALL
-- a long random walk
SELECT 'random_walk', i, '2020-01-01'::timestamptz + i * interval '1 min', sum(random() - 0.5) OVER (ORDER BY i)
FROM generate_series(1, 100000) i
UNION ALL
-- rounded to 2 decimals, like many real sensors
SELECT 'rounded', i, '2020-01-01'::timestamptz + i * interval '10 s', round((random() * 1000)::numeric, 2)::float8
FROM generate_series(1, 20000) i
UNION ALL
-- huge magnitudes of both signs
SELECT 'extreme', i, '2020-01-01'::timestamptz + i * interval '1 s',
	   CASE WHEN i % 50 = 0 THEN 1.7976931348623157e308 WHEN i % 50 = 1 THEN -1.7976931348623157e308
			ELSE (random() * 2 - 1) * 1e308 END
FROM generate_series(1, 5000) i
UNION ALL
-- tiny magnitudes, down to denormals
SELECT 'tiny', i, '2020-01-01'::timestamptz + i * interval '1 s',
	   CASE WHEN i % 100 = 0 THEN 5e-324 ELSE random() * 1e-300 END
FROM generate_series(1, 5000) i
UNION ALL
-- magnitudes spread from 1e-300 to 1e300 in one series
SELECT 'magnitudes', i, '2020-01-01'::timestamptz + i * interval '1 s',
	   (random() - 0.5) * 10 ^ (random() * 600 - 300)
FROM generate_series(1, 5000) i
UNION ALL
-- a range far smaller than the values: 1 + [0, 1e-12)
SELECT 'tiny_range', i, '2020-01-01'::timestamptz + i * interval '1 s', 1 + random() * 1e-12
FROM generate_series(1, 5000) i
UNION ALL
-- big jumps in time: steps of a microsecond up to thousands of years,
-- starting at the beginning of time and ending at infinity
SELECT 'big_jumps', i,
	   CASE WHEN i = 1 THEN '-infinity'::timestamptz WHEN i = 2 THEN '4714-11-24 00:00:00+00 BC'
			WHEN i = 2000 THEN '294276-12-31 23:59:59.999999+00' WHEN i = 2001 THEN 'infinity'
			ELSE '4714-11-24 00:00:00+00 BC'::timestamptz + i * interval '100 years'
				 + (random() * 1000)::int * interval '1 us' END,
	   random()
FROM generate_series(1, 2001) i
UNION ALL
-- one point; two points at the same time
SELECT 'one_point', 1, '2020-01-01 00:00:00+00', 7
UNION ALL
SELECT 'same_time', i, '2020-01-01 00:00:00+00', i FROM generate_series(1, 2) i
UNION ALL
-- sizes around format 2's quantization group (1024 points, format 1's
-- block) and around its largest block (16,384 points)
SELECT 'n' || n, i, '2020-01-01'::timestamptz + i * interval '1 s', random()
FROM (VALUES (1023), (1024), (1025), (2048), (2049), (16384), (16385)) s(n), generate_series(1, n) i;

-- the input in a random order, so that the constructors have to sort
CREATE TABLE shapes_shuffled AS SELECT * FROM shapes ORDER BY random();

-- each shape built both ways: by the array constructor (arrays in input
-- order) and by the aggregate over the shuffled rows with ORDER BY i; the
-- aggregate over the shuffled rows without ORDER BY must agree as well
-- wherever timestamps are unique
CREATE TABLE built AS
SELECT shape,
	   compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i)) AS x,
	   compact_ts_agg(ts, v ORDER BY i) AS x_agg,
	   compact_ts_agg(ts, v) AS x_unordered,
	   count(DISTINCT ts) = count(*) AS unique_ts
FROM shapes_shuffled GROUP BY shape;

-- exact: the shapes quant16 stores exactly, as that is not larger: decimal
-- or constant data, and tiny_range (its values lie within some 4,500 ulps
-- of 1).  Not 'rounded': its 2-decimal values span 100,000 hundredths, more
-- than quant16's 65,535 steps, so quantizing them is smaller.
SELECT shape, length(x), max_error(x) = 0 AS exact,
	   x = x_agg AS agg_same,
	   NOT unique_ts OR x = x_unordered AS unordered_same,
	   x::text::compact_ts = x AS text_same,
	   compact_ts_from_bytea(compact_ts_to_bytea(x)) = x AS bytes_same,
	   (compression_stats(x)).compressed_size
FROM built ORDER BY shape;

-- every point: the k-th point of unnest is the k-th input point by (ts, i),
-- with the same timestamp and a value within max_error; the largest
-- difference is max_error exactly (it is measured, not estimated)
CREATE FUNCTION check_points(x compact_ts, name text) RETURNS TABLE (
	points bigint, ts_equal boolean, within_error boolean, error_is_max boolean)
LANGUAGE sql AS $$
	WITH u AS (SELECT k, ts, value FROM unnest(x) WITH ORDINALITY AS u(ts, value, k)),
		 s AS (SELECT row_number() OVER (ORDER BY ts, i) AS k, ts, v FROM shapes WHERE shape = name)
	SELECT count(*), bool_and(u.ts = s.ts), bool_and(abs(u.value - s.v) <= max_error(x)),
		   coalesce(max(abs(u.value - s.v)), 0) = max_error(x)
	FROM u FULL JOIN s USING (k)
$$;
SELECT shape, c.* FROM built, LATERAL check_points(x, shape) c ORDER BY shape;

-- the header's summaries are those of the values as given: min and max
-- exact, the sum within rounding of the exact (numeric) sum.  When the true
-- sum is beyond double precision, sum_value and avg_value raise 22003 like
-- sum(float8) (tested below).  (float8::text::numeric and back, because
-- float8::numeric keeps only 15 digits.)
SELECT b.shape,
	   min_value(x) = s.min_v AS min_exact, max_value(x) = s.max_v AS max_exact,
	   first_time(x) = s.first_ts AS first_ok, last_time(x) = s.last_ts AS last_ok,
	   time_range(x) = tstzrange(s.first_ts, s.last_ts, '[]') AS range_ok,
	   CASE WHEN abs(s.exact_sum) > 1.7976931348623157e308 THEN NULL
			ELSE abs(sum_value(x)::text::numeric - s.exact_sum) <= s.abs_sum * 1e-15 END AS sum_ok,
	   CASE WHEN abs(s.exact_sum) > 1.7976931348623157e308 THEN NULL
			ELSE avg_value(x) = sum_value(x) / length(x) END AS avg_ok
FROM built b JOIN (SELECT shape, min(v) AS min_v, max(v) AS max_v, min(ts) AS first_ts, max(ts) AS last_ts,
						  sum(v::text::numeric) AS exact_sum, sum(abs(v::text::numeric)) AS abs_sum
				   FROM shapes GROUP BY shape) s USING (shape)
ORDER BY shape;

-- extreme: the true sum is beyond double precision: sum_value and
-- avg_value raise 22003 like sum(float8) and avg(float8) on the same rows
SELECT (SELECT round(sum(v::text::numeric) / 1e308, 3) FROM shapes WHERE shape = 'extreme') AS true_sum_in_1e308;
\set VERBOSITY default
SELECT sum_value(x) FROM built WHERE shape = 'extreme';
SELECT avg_value(x) FROM built WHERE shape = 'extreme';
SELECT sum(v) FROM shapes WHERE shape = 'extreme';
-- a sum that only passes through huge partial sums is exact
SELECT sum_value(compact_ts(ARRAY['2020-01-01', '2020-01-02', '2020-01-03']::timestamptz[],
							ARRAY[1.7e308, 1.7e308, -1.7e308])) AS partial_overflow_sum;

-- timestamps() and value_array() hold what unnest returns
SELECT shape,
	   timestamps(x) = (SELECT array_agg(ts ORDER BY k) FROM unnest(x) WITH ORDINALITY u(ts, value, k)) AS ts_ok,
	   value_array(x) = (SELECT array_agg(value ORDER BY k) FROM unnest(x) WITH ORDINALITY u(ts, value, k)) AS values_ok
FROM built ORDER BY shape;

-- the value of -0 reads back as 0 (quant16; lossless keeps it: codec.sql)
SELECT DISTINCT value::text FROM built, unnest(x) WHERE shape = 'zeros';

-- big_jumps: the ends of time survive
SELECT first_time(x), last_time(x), time_range(x), (timestamps(x))[2], (timestamps(x))[2000]
FROM built WHERE shape = 'big_jumps';

DROP TABLE built, shapes_shuffled;

-- ---------------------------------------------------------------------
-- Codecs: quant16 (default) and lossless (gorilla)
-- ---------------------------------------------------------------------

-- values that are no short decimals (unrounded random()), so that quant16
-- has to quantize them (it would store 2-decimal values from 0 to 100,
-- 10,000 hundredths, exactly)
SELECT setseed(0.3);
CREATE TABLE lossless_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '10 s' AS ts, random() * 100 AS v
FROM generate_series(1, 5000) i;
INSERT INTO lossless_src VALUES (5001, '2020-01-02', 1e308), (5002, '2020-01-03', -1e-300),
	(5003, '2020-01-04', 5e-324), (5004, '2020-01-05', '-0'), (5005, '2020-01-05', 0.1);
CREATE TABLE lossless AS
SELECT compact_ts_agg(ts, v, 'lossless') AS x, compact_ts_agg(ts, v, 'GORILLA') AS g,
	   compact_ts_agg(ts, v) AS q, compact_ts_agg(ts, v, 'quant16') AS q2
FROM lossless_src;
-- lossless keeps every value bit for bit (-0 included: compare the bits,
-- since -0 = 0), so max_error is 0; 'gorilla' names lossless; the default
-- is quant16, which quantizes (only the ends of each 1,024-point group's
-- range come back exactly)
SELECT max_error(x) AS lossless_error, max_error(q) > 0 AS quant16_error,
	   x = g AS lossless_is_gorilla, codec(x), codec(g),
	   q = q2 AS default_is_quant16, codec(q),
	   (SELECT count(*) FILTER (WHERE float8send(u.value) = float8send(s.v) AND u.ts = s.ts)
		FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN lossless_src s ON s.i = u.k) AS exact_points,
	   (SELECT count(*) FILTER (WHERE float8send(u.value) = float8send(s.v))
		FROM unnest(q) WITH ORDINALITY u(ts, value, k) JOIN lossless_src s ON s.i = u.k) AS quant16_exact_points
FROM lossless;
-- the summaries are those of the values as given, whatever the codec
SELECT min_value(x) = o.min_v AND min_value(q) = o.min_v AS same_min,
	   max_value(x) = o.max_v AND max_value(q) = o.max_v AS same_max,
	   sum_value(x) = sum_value(q) AS same_sum,
	   abs(sum_value(x)::text::numeric - o.exact_sum) <= 1e-15 * o.abs_sum AS sum_exact,
	   length(x) = o.n AND length(q) = o.n AS same_length
FROM lossless, (SELECT min(v) AS min_v, max(v) AS max_v, count(*) AS n, sum(v::text::numeric) AS exact_sum,
					   sum(abs(v::text::numeric)) AS abs_sum FROM lossless_src) o;
-- text and array constructor round trips give the same bytes
SELECT x::text::compact_ts = x AS text_same,
	   left(x::text, 9) AS literal_starts
FROM lossless;
SELECT compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), 'lossless') =
	   (SELECT x FROM lossless) AS constructor_same
FROM lossless_src;
SELECT compact_ts(ARRAY['2020-01-01 00:00+00', '2020-01-02 00:00+00']::timestamptz[],
				  ARRAY[0.1, 0.2], 'lossless')::text AS small_lossless;
SELECT compact_ts(ARRAY['2020-01-01 00:00+00', '2020-01-02 00:00+00']::timestamptz[],
				  ARRAY[7, 7], 'lossless')::text AS constant_lossless;
-- bad codecs
SELECT compact_ts(ARRAY['2020-01-01']::timestamptz[], ARRAY[1.0], 'zip');
SELECT compact_ts(ARRAY['2020-01-01']::timestamptz[], ARRAY[1.0], '');
SELECT compact_ts_agg(ts, v, 'zip') FROM lossless_src;
-- a NULL codec is an error in both, 22004 (issue 8: the three-argument
-- compact_ts is not STRICT from 1.1 on); NULL arrays still give NULL
SELECT compact_ts(ARRAY['2020-01-01']::timestamptz[], ARRAY[1.0], NULL);
SELECT compact_ts(NULL, NULL, NULL);
SELECT compact_ts_agg(ts, v, NULL) FROM lossless_src;
-- even on a row the aggregate skips for its NULL value
SELECT compact_ts_agg(ts, v, NULL) FROM (VALUES ('2020-01-01'::timestamptz, NULL::float8)) r(ts, v);
SELECT compact_ts(NULL, ARRAY[1.0], 'quant16') IS NULL AS null_array,
	   compact_ts(ARRAY['2020-01-01']::timestamptz[], NULL, 'lossless') IS NULL AS null_values;
SELECT compact_ts_agg(ts, v, NULL) IS NULL AS no_rows FROM lossless_src WHERE false;
-- the forms without a codec read chronos.default_codec: STABLE; those with
-- one are IMMUTABLE
SELECT oid::regprocedure AS function, proisstrict, provolatile
FROM pg_proc WHERE proname IN ('compact_ts', 'compact_ts_agg_transfn') ORDER BY 1::text;
SELECT compact_ts_agg(ts, v, CASE WHEN i < 10 THEN 'quant16' ELSE 'lossless' END) FROM lossless_src;
-- a codec per group is fine
SELECT i % 2 AS grp, max_error(compact_ts_agg(ts, v, CASE WHEN i % 2 = 0 THEN 'lossless' ELSE 'quant16' END)) = 0 AS exact
FROM lossless_src GROUP BY 1 ORDER BY 1;
DROP TABLE lossless, lossless_src;

-- ---------------------------------------------------------------------
-- 1,000,000 points
-- ---------------------------------------------------------------------

SELECT setseed(0.7);
DELETE FROM shapes;
-- irregular timestamps (jitter of up to 0.5 s), a random walk, shuffled
INSERT INTO shapes
SELECT 'million', i, '2020-01-01'::timestamptz + i * interval '1 s' + (random() * 500000)::int * interval '1 us',
	   sum(random() - 0.5) OVER (ORDER BY i)
FROM generate_series(1, 1000000) i
ORDER BY random();
CREATE TABLE built AS SELECT compact_ts_agg(ts, v) AS x FROM shapes;
SELECT length(x), (compression_stats(x)).points, max_error(x) < 0.001 AS small_error,
	   compression_ratio(x) < 0.5 AS compressed
FROM built;
SELECT c.* FROM built, LATERAL check_points(x, 'million') c;
-- the array constructor and the text form (base64: quantized, and above
-- 100,000 points) agree byte for byte
SELECT compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i)) =
	   (SELECT x FROM built) AS constructor_same
FROM shapes;
SELECT x::text::compact_ts = x AS text_same FROM built;
SELECT cardinality(timestamps(x)), cardinality(value_array(x)) FROM built;

DROP TABLE built, shapes;
DROP FUNCTION check_points(compact_ts, text);

-- arrays that keep a NULL bitmap with no NULL left (their NULL elements
-- updated): the points are the arrays' elements
CREATE TEMP TABLE arr (t timestamptz[], v float8[]);
INSERT INTO arr VALUES (ARRAY['2000-01-01', '2000-01-02', NULL]::timestamptz[], ARRAY[1, 2, NULL]::float8[]);
UPDATE arr SET t[3] = '2000-01-03', v[3] = 3;
SELECT compact_ts(t, v, 'lossless') FROM arr;
SELECT array_agg(u.ts ORDER BY u.ts) = (SELECT t FROM arr) AS same_times,
	   array_agg(u.value ORDER BY u.ts) = (SELECT v FROM arr) AS same_values
FROM arr, unnest(compact_ts(t, v)) u;
DROP TABLE arr;
