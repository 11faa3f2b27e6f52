--
-- codec: the codecs of format 2 and how a user picks one.  Codec names
-- (compact_ts(ts[], v[], codec), compact_ts_agg(ts, v, codec), the
-- 'codec:{...}' literal, chronos.default_codec); codec(); the max_error
-- float8 forms and their bound; widths 1 to 32; lossless with NaN,
-- infinities, -0 and NaN payloads; sum/avg/min/max of such series against
-- PostgreSQL's own aggregates; the text round trip of every codec;
-- decimals stored exactly; series of several blocks.
--
-- Every check compares against the original rows (the tables *_src), not
-- against another function of the same value.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY default

-- the SQLSTATE, message and detail of a statement's error, or 'ok'
CREATE FUNCTION try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || coalesce(' (' || nullif(detail, '') || ')', '');
END $$;

-- three points that are no short decimals, so that every lossy codec has
-- to quantize them
CREATE TABLE codec_three (i int, ts timestamptz, v float8);
INSERT INTO codec_three VALUES
	(1, '2020-01-01 00:00:00+00', 1 / 3.0), (2, '2020-01-01 00:00:10+00', sin(1)), (3, '2020-01-01 00:00:20+00', 2 / 3.0);

-- ---------------------------------------------------------------------
-- Codec names: case-insensitive, surrounding spaces allowed; codec()
-- gives the canonical name
-- ---------------------------------------------------------------------

SELECT n AS name, codec(compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), n)),
	   codec(compact_ts_agg(ts, v, n))
FROM codec_three,
	 unnest(ARRAY['quant16', 'QUANT16', ' quant16 ', E'\tQuant16\n', 'quant1', 'quant8', 'quant12',
				  'quant24', 'quant32', 'quant9', 'max_error=0.01', 'MAX_ERROR=0.5', 'max_error = 0.01',
				  'max_error=1e-3', 'max_error=0.0100', 'max_error=1e308', 'max_error=5e-324',
				  'lossless', 'LOSSLESS', 'gorilla', 'Gorilla']) WITH ORDINALITY n(n, k)
GROUP BY n, k ORDER BY k;

-- anything else is 22023, in both constructors
SELECT n AS name, try(format('SELECT compact_ts(array_agg(ts), array_agg(v), %L) FROM codec_three', n)) AS compact_ts,
	   try(format('SELECT compact_ts_agg(ts, v, %L) FROM codec_three', n)) AS compact_ts_agg
FROM unnest(ARRAY['quant0', 'quant33', 'quant07', 'quant016', 'quant', 'quant 16', 'quant-1', 'quant16x',
				  'quant4294967312', 'max_error=0', 'max_error=-1', 'max_error=-0', 'max_error=NaN',
				  'max_error=Infinity', 'max_error=1e999', 'max_error=1e-400', 'max_error=abc',
				  'max_error=', 'max_error', 'max_error=0.01x', 'max_error:0.01', 'lossy', 'zip',
				  '', ' ']) WITH ORDINALITY n(n, k)
ORDER BY k;
-- the whole error, with its hint
SELECT compact_ts(array_agg(ts), array_agg(v), 'quant0') FROM codec_three;
SELECT compact_ts_agg(ts, v, 'max_error=abc') FROM codec_three;

-- codec() of every kind: format 2 values, empty ones, format 1 values (made
-- from 1.0's canonical form) and the format 1 empty series
SELECT k, codec(x), length(x) FROM (VALUES
	(1, '{}'::compact_ts),
	(2, 'lossless:{}'),
	(3, 'quant12:{}'),
	(4, 'max_error=0.25:{}'),
	(5, 'quant16:{2020-01-01 00:00:00+00 => 1}'),
	(6, 'quant1:{2020-01-01 00:00:00+00 => 1}'),
	(7, 'quant32:{2020-01-01 00:00:00+00 => 1}'),
	(8, 'max_error=0.01:{2020-01-01 00:00:00+00 => 1}'),
	(9, 'gorilla:{2020-01-01 00:00:00+00 => 1}'),
	(10, '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
	(11, '{gorilla(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
	(12, '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1; gorilla(sum=2,error=0): 2020-01-01 00:00:10+00 => 2}'),
	(13, compact_ts_from_bytea(decode('01' || repeat('00', 63), 'hex')))) v(k, x)
ORDER BY k;
SELECT codec(NULL::compact_ts) IS NULL AS strict;

-- ---------------------------------------------------------------------
-- The literal's codec prefix: 'codec:{...}'
-- ---------------------------------------------------------------------

-- any codec name, case and spaces as above; the text of the points is
-- encoded with it
SELECT t, codec(t::compact_ts), max_error(t::compact_ts) > 0 AS quantized
FROM unnest(ARRAY['lossless:{2020-01-01 00:00:00+00 => 0.3333333333333333}',
				  'quant12:{2020-01-01 00:00:00+00 => 0.3333333333333333, 2020-01-01 00:00:10+00 => 0.1, 2020-01-01 00:00:20+00 => 1}',
				  ' QUANT12 : {2020-01-01 00:00:00+00 => 0.3333333333333333, 2020-01-01 00:00:10+00 => 0.1, 2020-01-01 00:00:20+00 => 1}',
				  'max_error=0.5:{2020-01-01 00:00:00+00 => 0.3333333333333333, 2020-01-01 00:00:10+00 => 0.1, 2020-01-01 00:00:20+00 => 1}',
				  'gorilla:{2020-01-01 00:00:00+00 => 1}',
				  'lossless:{}']) WITH ORDINALITY t(t, k)
ORDER BY k;
-- the same points as the constructor with that codec gives
SELECT 'quant12:{2020-01-01 00:00:00+00 => 0.3333333333333333, 2020-01-01 00:00:10+00 => 0.8414709848078965, 2020-01-01 00:00:20+00 => 0.6666666666666666}'::compact_ts =
	   compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), 'quant12') AS same_as_constructor
FROM codec_three;
-- an unknown prefix: 22P02, saying so
SELECT 'zip:{2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT 'quant0:{2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT 'max_error=0:{2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT ':{2020-01-01 00:00:00+00 => 1}'::compact_ts;
-- a prefix and 1.0's canonical form (block headers, format 1): 22P02
SELECT 'quant16:{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT 'gorilla:{gorilla(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
-- a prefix without its "{": read as a literal without a prefix
SELECT 'lossless:'::compact_ts;
SELECT 'lossless: 2020-01-01 => 1'::compact_ts;
-- all of them 22P02
SELECT t, try(format('SELECT %L::compact_ts', t))
FROM unnest(ARRAY['zip:{}', 'quant33:{}', 'max_error=-1:{}', 'lossy:{2020-01-01 => 1}',
				  'lossless:{lossless(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}', 'lossless:']) WITH ORDINALITY t(t, k)
ORDER BY k;

-- ---------------------------------------------------------------------
-- chronos.default_codec
-- ---------------------------------------------------------------------

SELECT name, setting, boot_val, context, vartype FROM pg_settings WHERE name = 'chronos.default_codec';
SHOW chronos.default_codec;
-- any codec name is a valid setting (kept as written), anything else is
-- refused with 22023
SELECT v, try(format('SET chronos.default_codec = %L', v)) AS result, current_setting('chronos.default_codec') AS now
FROM unnest(ARRAY['lossless', 'QUANT8', 'max_error=0.001', 'gorilla', 'quant33', 'max_error=0', 'zip', '']) WITH ORDINALITY v(v, k)
ORDER BY k;
RESET chronos.default_codec;
SET chronos.default_codec = 'quant0';

-- it is the codec of compact_ts(ts, v), compact_ts_agg(ts, v) and of
-- literals without a prefix; never of an explicit codec, a prefix, 1.0's
-- canonical form or base64.  (The literals are read from a table, so that
-- they are converted when the query runs: see PREPARE below.)
CREATE TABLE codec_literals (k int, form text, t text);
INSERT INTO codec_literals VALUES
	(1, '{...}', '{2020-01-01 00:00:00+00 => 1}'),
	(2, '{}', '{}'),
	(3, 'quant16:{...}', 'quant16:{2020-01-01 00:00:00+00 => 1}'),
	(4, '{gorilla(...): ...}', '{gorilla(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
	(5, 'base64:... (quant12)', 'base64:' || translate(encode(compact_ts_to_bytea('quant12:{2020-01-01 00:00:00+00 => 1}'), 'base64'), E'\n', ''));
CREATE FUNCTION codecs_used() RETURNS TABLE (form text, codec text) LANGUAGE sql AS $$
	SELECT 'compact_ts(ts, v)', codec(compact_ts(array_agg(ts), array_agg(v))) FROM codec_three
	UNION ALL
	SELECT 'compact_ts_agg(ts, v)', codec(compact_ts_agg(ts, v)) FROM codec_three
	UNION ALL
	SELECT 'compact_ts(ts, v, ''quant16'')', codec(compact_ts(array_agg(ts), array_agg(v), 'quant16')) FROM codec_three
	UNION ALL
	SELECT 'compact_ts_agg(ts, v, 0.5)', codec(compact_ts_agg(ts, v, 0.5)) FROM codec_three
	UNION ALL
	(SELECT form, codec(t::compact_ts) FROM codec_literals ORDER BY k)
$$;
SELECT * FROM codecs_used();
SET chronos.default_codec = 'LOSSLESS';
SELECT * FROM codecs_used();
SET chronos.default_codec = 'max_error=0.001';
SELECT * FROM codecs_used();
-- with a lossless default, a literal without a prefix may hold NaN
SET chronos.default_codec = 'lossless';
SELECT '{2020-01-01 00:00:00+00 => NaN, 2020-01-01 00:00:10+00 => -Infinity}'::compact_ts;
RESET chronos.default_codec;
SELECT '{2020-01-01 00:00:00+00 => NaN, 2020-01-01 00:00:10+00 => -Infinity}'::compact_ts;
-- a literal in the query text is converted when the query is parsed, with
-- the setting of that moment (like 'now' in a timestamptz literal): a
-- prepared statement keeps it
PREPARE literal_codec AS SELECT codec('{}'::compact_ts) AS literal, codec(t::compact_ts) AS converted_at_run_time
FROM codec_literals WHERE k = 2;
SET chronos.default_codec = 'lossless';
EXECUTE literal_codec;
RESET chronos.default_codec;
DEALLOCATE literal_codec;
-- SET LOCAL lasts until the end of the transaction
BEGIN;
SET LOCAL chronos.default_codec = 'quant8';
SELECT codec('{}'::compact_ts);
COMMIT;
SELECT codec('{}'::compact_ts);
-- the forms that read it are STABLE, those with a codec IMMUTABLE
SELECT oid::regprocedure AS function, provolatile
FROM pg_proc WHERE proname IN ('compact_ts', 'compact_ts_agg_transfn', 'codec') ORDER BY 1::text;

-- ---------------------------------------------------------------------
-- A bound in value units: compact_ts(ts[], v[], max_error float8) and
-- compact_ts_agg(ts, v, max_error float8)
-- ---------------------------------------------------------------------

-- 10,000 points of an unrounded random walk plus a sine (no short
-- decimals), irregular timestamps
SELECT setseed(0.17);
CREATE TABLE bound_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '10 s' + (random() * 2000)::int * interval '1 ms' AS ts,
	   sum(random() - 0.5) OVER (ORDER BY i) + sin(i / 50.0) AS v
FROM generate_series(1, 10000) i;
ALTER TABLE bound_src ADD PRIMARY KEY (i);
CREATE TABLE bound_built AS
SELECT b, compact_ts_agg(ts, v, b) AS x,
	   (SELECT compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), b) FROM bound_src) AS x_arrays,
	   (SELECT compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), 'max_error=' || b::text) FROM bound_src) AS x_named
FROM bound_src, unnest(ARRAY[10, 1, 0.1, 0.01, 0.001, 1e-6, 1e-9]::float8[]) b
GROUP BY b;
-- every decoded value within the bound of its original row, max_error the
-- largest error exactly; both constructors and the codec name agree; a
-- smaller bound costs more bytes
SELECT b, codec(x), e.err <= b AS within_bound, e.err = max_error(x) AS error_is_max, e.ts_exact, e.points,
	   x = x_arrays AND x = x_named AS forms_agree, length(compact_ts_to_bytea(x)) AS bytes
FROM bound_built,
	 LATERAL (SELECT max(abs(u.value - s.v)) AS err, bool_and(u.ts = s.ts) AS ts_exact, count(*) AS points
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN bound_src s ON s.i = u.k) e
ORDER BY b DESC;
SELECT bool_and(a.bytes < b.bytes) AS smaller_bound_more_bytes
FROM (SELECT b, length(compact_ts_to_bytea(x)) AS bytes FROM bound_built) a
	 JOIN (SELECT b, length(compact_ts_to_bytea(x)) AS bytes FROM bound_built) b ON b.b < a.b AND b.b >= a.b / 10.1;
-- a bound larger than the whole range, and a bound on decimal data finer
-- than its decimals: exact (a bound of 0 is within any bound)
SELECT max_error(x) <= 1e6 AS within_bound, e.err <= 1e6 AS checked, length(compact_ts_to_bytea(x)) AS bytes
FROM (SELECT compact_ts_agg(ts, v, 1e6) AS x FROM bound_src) t,
	 LATERAL (SELECT max(abs(u.value - s.v)) AS err
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN bound_src s ON s.i = u.k) e;
SELECT max_error(x) AS error, e.exact
FROM (SELECT compact_ts_agg(ts, round(v::numeric, 2)::float8, 0.0001) AS x FROM bound_src) t,
	 LATERAL (SELECT bool_and(u.value = round(s.v::numeric, 2)::float8) AS exact
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN bound_src s ON s.i = u.k) e;
-- an unknown-typed literal is a codec name; a number is a bound
SELECT codec(compact_ts_agg(ts, v, '0.5')) FROM codec_three;
SELECT codec(compact_ts_agg(ts, v, 0.5)), codec(compact_ts(array_agg(ts), array_agg(v), 2)) FROM codec_three;
-- named arguments reach the function (an aggregate cannot take them)
SELECT codec(compact_ts(array_agg(ts), array_agg(v), max_error => 0.25)),
	   codec(compact_ts(array_agg(ts), array_agg(v), codec => 'quant8')) FROM codec_three;
-- a NULL bound: 22004, as a NULL codec
SELECT compact_ts(array_agg(ts), array_agg(v), NULL::float8) FROM codec_three;
SELECT compact_ts_agg(ts, v, NULL::float8) FROM codec_three;
SELECT try('SELECT compact_ts(array_agg(ts), array_agg(v), NULL::float8) FROM codec_three') AS compact_ts,
	   try('SELECT compact_ts_agg(ts, v, NULL::float8) FROM codec_three') AS compact_ts_agg;
-- a bound that is not a positive finite number: 22023
SELECT b, try(format('SELECT compact_ts(array_agg(ts), array_agg(v), %s::float8) FROM codec_three', quote_literal(b))) AS compact_ts,
	   try(format('SELECT compact_ts_agg(ts, v, %s::float8) FROM codec_three', quote_literal(b))) AS compact_ts_agg
FROM unnest(ARRAY['0', '-0', '-1', 'NaN', 'Infinity', '-Infinity']) WITH ORDINALITY b(b, k) ORDER BY k;
SELECT compact_ts(array_agg(ts), array_agg(v), 0::float8) FROM codec_three;
-- the smallest positive double is a bound like any other
SELECT codec(x), x::text::compact_ts = x AS text_round_trip
FROM (SELECT compact_ts_agg(ts, v, 5e-324) AS x FROM codec_three) s;
-- the bound is one per group of rows
SELECT compact_ts_agg(ts, v, CASE WHEN i < 3 THEN 0.5 ELSE 0.25 END) FROM codec_three;

-- ---------------------------------------------------------------------
-- Widths: quant1 to quant32
-- ---------------------------------------------------------------------

-- the error shrinks with the width; every point's error is at most half a
-- step of 2^w - 1 steps over the range of its group of 1,024 points (the
-- most format 1's quantizer could err, with 2^16 - 1 steps), and the size
-- grows
CREATE TABLE width_built AS
SELECT w, compact_ts_agg(ts, v, 'quant' || w) AS x
FROM bound_src, unnest(ARRAY[1, 2, 4, 8, 12, 16, 20, 24, 28, 32]) w
GROUP BY w;
SELECT w, codec(x), max_error(x), max_error(x) = e.err AS error_is_max, e.within_group_bound,
	   length(compact_ts_to_bytea(x)) AS bytes
FROM width_built,
	 LATERAL (SELECT max(g.err) AS err, bool_and(g.err <= g.half_step) AS within_group_bound
			  FROM (SELECT max(abs(u.value - s.v)) AS err, (max(s.v) - min(s.v)) / (2 ^ w - 1) / 2 AS half_step
					FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN bound_src s ON s.i = u.k
					GROUP BY (k - 1) / 1024) g) e
ORDER BY w;
SELECT bool_and(a.err > b.err) AS error_shrinks, bool_and(a.bytes < b.bytes) AS size_grows
FROM (SELECT w, max_error(x) AS err, length(compact_ts_to_bytea(x)) AS bytes FROM width_built) a
	 JOIN (SELECT w, max_error(x) AS err, length(compact_ts_to_bytea(x)) AS bytes FROM width_built) b
	 ON b.w = (SELECT min(w) FROM width_built WHERE w > a.w);
-- quant16 is the default
SELECT (SELECT x FROM width_built WHERE w = 16) = compact_ts_agg(ts, v) AS quant16_is_default FROM bound_src;

-- ---------------------------------------------------------------------
-- Lossless: every bit of every double
-- ---------------------------------------------------------------------

-- NaN payloads are made by float8recv only: 8 bytes of a bytea, copied in
-- binary into a float8 column
CREATE TABLE nan_bits (k int, b bytea);
INSERT INTO nan_bits VALUES (1, '\x7ff8000000000001'), (2, '\xfff8000000000000'), (3, '\x7ff0000000000001'),
	(4, '\x7fffffffffffffff'), (5, '\x7ff8000000000000');
\copy (SELECT b FROM nan_bits ORDER BY k) TO 'results/codec_nan.bin' WITH (FORMAT binary)
CREATE TABLE nan_values (v float8);
\copy nan_values FROM 'results/codec_nan.bin' WITH (FORMAT binary)
SELECT float8send(v) FROM nan_values;

-- every special double, subnormals, extremes, both zeros, and ordinary
-- values around them, in two blocks (16,384 points at most a block)
SELECT setseed(0.31);
CREATE TABLE lossless_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '1 s' AS ts,
	   CASE WHEN i % 1000 = 7 THEN (SELECT v FROM nan_values ORDER BY float8send(v) LIMIT 1 OFFSET (i / 1000) % 5)
			WHEN i % 1000 = 8 THEN 'Infinity'
			WHEN i % 1000 = 9 THEN '-Infinity'
			WHEN i % 1000 = 10 THEN '-0'
			WHEN i % 1000 = 11 THEN 0.0
			WHEN i % 1000 = 12 THEN 5e-324
			WHEN i % 1000 = 13 THEN -2.2250738585072009e-308
			WHEN i % 1000 = 14 THEN 1.7976931348623157e308
			WHEN i % 1000 = 15 THEN -1.7976931348623157e308
			ELSE (random() - 0.5) * 1000 END AS v
FROM generate_series(1, 20000) i;
ALTER TABLE lossless_src ADD PRIMARY KEY (i);
SELECT count(*) AS rows, count(DISTINCT float8send(v)) FILTER (WHERE v = 'NaN') AS nan_patterns,
	   count(*) FILTER (WHERE float8send(v) = '\x8000000000000000') AS minus_zeros
FROM lossless_src;
CREATE TABLE lossless_built AS
SELECT compact_ts_agg(ts, v, 'lossless') AS x,
	   (SELECT compact_ts(array_agg(ts ORDER BY i), array_agg(v ORDER BY i), 'lossless') FROM lossless_src) AS x_arrays
FROM lossless_src;
-- bit for bit: float8send of each decoded value is that of its original
SELECT codec(x), max_error(x), get_byte(compact_ts_to_bytea(x), 8) AS blocks, x = x_arrays AS arrays_same,
	   e.points, e.bit_exact
FROM lossless_built,
	 LATERAL (SELECT count(*) AS points,
					 count(*) FILTER (WHERE float8send(u.value) = float8send(s.v) AND u.ts = s.ts) AS bit_exact
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN lossless_src s ON s.i = u.k) e;
-- value_array() too; and the text and the bytes read back identically (the
-- text is base64: a NaN with a payload has no text of its own)
SELECT (SELECT array_agg(float8send(v) ORDER BY n) FROM unnest(value_array(x)) WITH ORDINALITY a(v, n)) =
	   (SELECT array_agg(float8send(v) ORDER BY i) FROM lossless_src) AS array_bit_exact,
	   left(x::text, 7) AS form, x::text::compact_ts = x AS text_round_trip,
	   compact_ts_from_bytea(compact_ts_to_bytea(x)) = x AS bytes_round_trip
FROM lossless_built;
-- without NaN payloads the text is readable and reads back identically
SELECT x, x::text::compact_ts = x AS text_round_trip
FROM (SELECT compact_ts_agg(ts, v, 'lossless') AS x
	  FROM lossless_src WHERE i % 1000 BETWEEN 8 AND 16 AND i < 1000) s;
SELECT x, float8send((value_array(x))[1]) AS first_bits, x::text::compact_ts = x AS text_round_trip
FROM (SELECT 'lossless:{2020-01-01 00:00:00+00 => NaN, 2020-01-01 00:00:10+00 => -0, 2020-01-01 00:00:20+00 => 0}'::compact_ts AS x) s;

-- the lossy codecs refuse NaN and infinities (22023) and store -0 as 0
SELECT c, try(format('SELECT compact_ts_agg(ts, v, %L) FROM lossless_src WHERE i = 7', c)) AS nan,
	   try(format('SELECT compact_ts(array_agg(ts), array_agg(v), %L) FROM lossless_src WHERE i = 8', c)) AS infinity,
	   try(format('SELECT %L::compact_ts', c || ':{2020-01-01 => -Infinity}')) AS literal
FROM unnest(ARRAY['quant16', 'quant8', 'quant32', 'max_error=0.01']) WITH ORDINALITY c(c, k) ORDER BY k;
SELECT compact_ts_agg(ts, v, 0.5) FROM lossless_src WHERE i = 7;
SELECT c, float8send((value_array(x))[1]) AS bits, max_error(x)
FROM (SELECT c, compact_ts_agg(ts, v, c) AS x FROM lossless_src,
			 unnest(ARRAY['quant16', 'quant8', 'max_error=0.01', 'lossless']) WITH ORDINALITY c(c, k)
	  WHERE i = 10 GROUP BY c, k ORDER BY k) s;

-- ---------------------------------------------------------------------
-- Summaries of series with NaN and infinities: what PostgreSQL's own
-- sum, avg, min and max give over the same rows (NaN = NaN in float8)
-- ---------------------------------------------------------------------

CREATE TABLE special_src (name text, i int, v float8);
INSERT INTO special_src VALUES
	('finite', 1, 1), ('finite', 2, -2.5), ('finite', 3, 4),
	('nan', 1, 1), ('nan', 2, 'NaN'), ('nan', 3, 3),
	('all nan', 1, 'NaN'), ('all nan', 2, 'NaN'),
	('+inf', 1, 1), ('+inf', 2, 'Infinity'), ('+inf', 3, 3),
	('-inf', 1, '-Infinity'), ('-inf', 2, 2),
	('both inf', 1, 'Infinity'), ('both inf', 2, 1), ('both inf', 3, '-Infinity'),
	('nan and inf', 1, 'Infinity'), ('nan and inf', 2, 'NaN'),
	('zeros', 1, '-0'), ('zeros', 2, 0.0),
	('huge and inf', 1, 1e308), ('huge and inf', 2, 'Infinity');
-- the same NaN in a block of its own: the header combines the blocks
INSERT INTO special_src SELECT 'two blocks', i, CASE i WHEN 17000 THEN 'NaN'::float8 WHEN 17001 THEN '-Infinity'::float8 ELSE i END
FROM generate_series(1, 20000) i;
SELECT x.name, min_value(x) = o.mn AS min_same, max_value(x) = o.mx AS max_same,
	   sum_value(x) = o.sm AS sum_same, avg_value(x) = o.av AS avg_same,
	   min_value(x), max_value(x), sum_value(x), avg_value(x)
FROM (SELECT name, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', v, 'lossless') AS x
	  FROM special_src GROUP BY name) x
	 JOIN (SELECT name, min(v) AS mn, max(v) AS mx, sum(v) AS sm, avg(v) AS av FROM special_src GROUP BY name) o
	 USING (name)
ORDER BY x.name;
-- a finite sum beyond double precision is an error, like sum(float8)
SELECT sum_value(compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', v, 'lossless'))
FROM (VALUES (1, 1e308::float8), (2, 1e308)) v(i, v);
SELECT sum(v) FROM (VALUES (1, 1e308::float8), (2, 1e308)) v(i, v);
-- the NaN of a summary is the canonical one, whatever NaN the series holds
SELECT float8send(min_value(x)), float8send(max_value(x)), float8send(sum_value(x))
FROM (SELECT compact_ts_agg(ts, v, 'lossless') AS x FROM lossless_src WHERE i = 7) s;

-- ---------------------------------------------------------------------
-- Text round trip, every codec: x::text::compact_ts = x.  Exact values
-- print as 'codec:{...}', quantized ones as base64.
-- ---------------------------------------------------------------------

CREATE TABLE trip (c text, data text, x compact_ts);
INSERT INTO trip
SELECT c, 'no decimals', compact_ts_agg(ts, v, c) FROM bound_src,
	   unnest(ARRAY['quant1', 'quant7', 'quant12', 'quant16', 'quant24', 'quant32', 'max_error=0.5',
					'max_error=0.001', 'max_error=1e-12', 'lossless']) c
WHERE i <= 3000 GROUP BY c;
INSERT INTO trip
SELECT c, 'two decimals', compact_ts_agg(ts, round(v::numeric, 2)::float8, c) FROM bound_src,
	   unnest(ARRAY['quant1', 'quant7', 'quant12', 'quant16', 'quant24', 'quant32', 'max_error=0.5',
					'max_error=0.001', 'max_error=1e-12', 'lossless']) c
WHERE i <= 3000 GROUP BY c;
SELECT c, data, substring(x::text FROM '^[^:]*:') AS starts, max_error(x) = 0 AS exact,
	   x::text::compact_ts = x AS text_round_trip, x::text::compact_ts::text = x::text AS same_text
FROM trip ORDER BY data, length(compact_ts_to_bytea(x)), c;
-- and under another default codec (the text names its own)
SET chronos.default_codec = 'quant8';
SELECT count(*) AS values, count(*) FILTER (WHERE x::text::compact_ts = x) AS identical FROM trip;
RESET chronos.default_codec;

-- ---------------------------------------------------------------------
-- Decimals: stored exactly by the lossy codecs (a bound of 0 is within any
-- bound) where that is not larger than quantizing.  With quant16: values
-- with one, two or three decimals, integers, repeats, and decimals with an
-- outlier (1/3, stored as an exception); not 'mixed decimals' (0 to 3
-- decimals up to 100: 100,000 thousandths, more than quant16's 65,535
-- steps).  quant8 and max_error=0.01 quantize whatever their coarser grid
-- stores in fewer bits; every value is then within their bound.
-- ---------------------------------------------------------------------

SELECT setseed(0.23);
CREATE TABLE decimal_src AS
SELECT d, i, '2020-01-01'::timestamptz + i * interval '1 min' AS ts,
	   CASE d WHEN 'one decimal' THEN round((20 + 5 * sin(i / 30.0) + random())::numeric, 1)
			  WHEN 'two decimals' THEN round((random() * 100)::numeric, 2)
			  WHEN 'three decimals' THEN round((random() * 10 - 5)::numeric, 3)
			  WHEN 'mixed decimals' THEN round((random() * 100)::numeric, i % 4)
			  WHEN 'integers' THEN round((random() * 50000)::numeric)
			  WHEN 'repeats' THEN (i / 100) % 3 * 1.25
			  WHEN 'with an outlier' THEN CASE WHEN i = 500 THEN 1 / 3.0 ELSE round((random() * 10)::numeric, 2) END
	   END::float8 AS v
FROM unnest(ARRAY['one decimal', 'two decimals', 'three decimals', 'mixed decimals', 'integers', 'repeats',
				  'with an outlier']) d,
	 generate_series(1, 5000) i;
ALTER TABLE decimal_src ADD PRIMARY KEY (d, i);
SELECT b.d, b.c, max_error(x) AS error, e.points, e.every_value_equal, e.err = max_error(x) AS error_is_max,
	   substring(x::text FROM '^[^:]*:') AS starts
FROM (SELECT d, c, compact_ts_agg(ts, v, c) AS x
	  FROM decimal_src, unnest(ARRAY['quant16', 'quant8', 'max_error=0.01']) c GROUP BY d, c) b,
	 LATERAL (SELECT count(*) AS points, bool_and(u.value = s.v) AS every_value_equal, max(abs(u.value - s.v)) AS err
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN decimal_src s ON s.d = b.d AND s.i = u.k) e
ORDER BY b.d, b.c;
-- not when quantizing is smaller: 2-decimal values spanning 100,000
-- hundredths and more are quantized by quant16, whose 65,535 steps are
-- within its bound
SELECT max_error(x) > 0 AS quantized, max_error(x) <= 1000 / 65535.0 / 2 AS within_bound
FROM (SELECT compact_ts_agg(ts, round((random() * 1000)::numeric, 2)::float8) AS x
	  FROM decimal_src WHERE d = 'two decimals') s;

-- ---------------------------------------------------------------------
-- Series of several blocks
-- ---------------------------------------------------------------------

-- 40,000 points: three blocks (at most 16,384 points each), every point
-- as it was (decimals) or within the error (not), the header's block count
-- at offset 8
SELECT setseed(0.41);
CREATE TABLE blocks_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '1 s' + (random() * 100)::int * interval '1 ms' AS ts,
	   round((random() * 100)::numeric, 1)::float8 AS d, random() * 100 AS r
FROM generate_series(1, 40000) i;
ALTER TABLE blocks_src ADD PRIMARY KEY (i);
SELECT c, get_byte(compact_ts_to_bytea(x), 8) AS blocks, e.points, e.ts_exact, e.err = max_error(x) AS error_is_max,
	   max_error(x) = 0 AS exact
FROM (SELECT c, compact_ts_agg(ts, d, c) AS x FROM blocks_src, unnest(ARRAY['quant16', 'lossless']) c GROUP BY c) b,
	 LATERAL (SELECT count(*) AS points, bool_and(u.ts = s.ts) AS ts_exact, max(abs(u.value - s.d)) AS err
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN blocks_src s ON s.i = u.k) e
ORDER BY c;
SELECT get_byte(compact_ts_to_bytea(x), 8) AS blocks, e.points, e.ts_exact, e.err = max_error(x) AS error_is_max,
	   max_error(x) > 0 AS quantized
FROM (SELECT compact_ts_agg(ts, r) AS x FROM blocks_src) b,
	 LATERAL (SELECT count(*) AS points, bool_and(u.ts = s.ts) AS ts_exact, max(abs(u.value - s.r)) AS err
			  FROM unnest(x) WITH ORDINALITY u(ts, value, k) JOIN blocks_src s ON s.i = u.k) e;
-- exactly one block, and one point more
SELECT n, get_byte(compact_ts_to_bytea(x), 8) AS blocks, length(x), max_error(x) = 0 AS exact
FROM (SELECT n, compact_ts_agg(ts, d) AS x FROM blocks_src, (VALUES (16384), (16385)) n(n)
	  WHERE i <= n GROUP BY n) s
ORDER BY n;

-- 200,000 points (13 blocks): compression_stats, the accessors and unnest
-- agree with the original rows and with each other
SELECT setseed(0.43);
CREATE TABLE big_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '1 s' AS ts, round((random() * 1000)::numeric, 1)::float8 AS v
FROM generate_series(1, 200000) i;
ALTER TABLE big_src ADD PRIMARY KEY (i);
CREATE TABLE big_built AS SELECT compact_ts_agg(ts, v) AS x FROM big_src;
SELECT (compression_stats(x)).points = (SELECT count(*) FROM unnest(x)) AS stats_points_unnest,
	   (compression_stats(x)).points = (SELECT count(*) FROM big_src) AS stats_points_rows,
	   (compression_stats(x)).original_size = 16 * (SELECT count(*) FROM big_src) AS original_size,
	   (compression_stats(x)).compressed_size = pg_column_size(x) AS compressed_size,
	   get_byte(compact_ts_to_bytea(x), 8) AS blocks,
	   min_value(x) = (SELECT min(v) FROM big_src) AS min_same, max_value(x) = (SELECT max(v) FROM big_src) AS max_same,
	   first_time(x) = (SELECT min(ts) FROM big_src) AS first_same, last_time(x) = (SELECT max(ts) FROM big_src) AS last_same,
	   abs(sum_value(x)::text::numeric - (SELECT sum(v::text::numeric) FROM big_src)) < 1e-6 AS sum_same,
	   max_error(x) = 0 AS exact
FROM big_built;
SELECT count(*) AS points, bool_and(u.ts = s.ts AND u.value = s.v) AS every_point_equal
FROM big_built, unnest(x) WITH ORDINALITY u(ts, value, k) JOIN big_src s ON s.i = u.k;

-- 1,100,000 points: 68 blocks, more than the 64 of one directory entry, so
-- two entries (the header at 0, the directory at 80, the index at 128, the
-- second group's index entries from 128 + 64 * 64)
CREATE TABLE groups_built AS
SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i % 1000 / 10.0) AS x
FROM generate_series(1, 1100000) i;
SELECT get_byte(b, 8) + 256 * get_byte(b, 9) AS blocks, length(x), (compression_stats(x)).points,
	   first_time(x), last_time(x), min_value(x), max_value(x), max_error(x),
	   x::text::compact_ts = x AS text_round_trip
FROM (SELECT x, compact_ts_to_bytea(x) AS b FROM groups_built) s;
SELECT count(*) AS points,
	   bool_and(ts = '2020-01-01'::timestamptz + k * interval '1 s' AND value = k % 1000 / 10.0) AS every_point_equal
FROM groups_built, unnest(x) WITH ORDINALITY u(ts, value, k);
-- a byte changed in the second directory entry, or in an index entry of
-- the second group: the checksums find it
SELECT try('SELECT length(compact_ts_from_bytea(set_byte(b, 104, get_byte(b, 104) # 1))) FROM (SELECT compact_ts_to_bytea(x) AS b FROM groups_built) s') AS directory_2,
	   try('SELECT length(compact_ts_from_bytea(set_byte(b, 128 + 64 * 65 + 16, get_byte(b, 128 + 64 * 65 + 16) # 1))) FROM (SELECT compact_ts_to_bytea(x) AS b FROM groups_built) s') AS index_65;

DROP TABLE codec_three, codec_literals, bound_src, bound_built, width_built, nan_bits, nan_values, lossless_src,
	lossless_built, special_src, trip, decimal_src, blocks_src, big_src, big_built, groups_built;
DROP FUNCTION try(text), codecs_used();
