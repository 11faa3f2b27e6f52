--
-- compact_ts_op: accessors (header only), compression statistics, unnest,
-- timestamps() and value_array(); a TOASTed value; corrupt stored values.
-- Values of both formats: format 2, what chronos writes, and format 1
-- (written by 1.0; made here from its canonical literal, the '_f1' rows).
-- (Accessors of series with NaN and infinities, and codec(): codec.sql.)
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TABLE op_values (name text, x compact_ts);
INSERT INTO op_values VALUES
	('empty', '{}'),
	('one', '{2020-01-01 00:00:00+00 => 1.5}'),
	('three', '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:20+00 => 2.25}'),
	('decimals', '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5, 2020-01-01 00:00:20+00 => 2.25}'),
	('same_time', '{2020-01-01 00:00:00+00 => 2, 2020-01-01 00:00:00+00 => 1}'),
	('infinite', '{-infinity => 1, 2020-01-01 00:00:00+00 => 2, infinity => 3}'),
	('lossless', 'lossless:{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.2, 2020-01-01 00:00:20+00 => 0.3}'),
	('three_f1', '{quant16(sum=3.85,error=1.5259021897140457e-06): 2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5000015259021897, 2020-01-01 00:00:20+00 => 2.25}'),
	('lossless_f1', '{gorilla(sum=0.6,error=0): 2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.2, 2020-01-01 00:00:20+00 => 0.3}'),
	('null', NULL);

-- ---------------------------------------------------------------------
-- Accessors
-- ---------------------------------------------------------------------

SELECT name, length(x), first_time(x), last_time(x), time_range(x)
FROM op_values ORDER BY name;
-- min, max, sum and avg are of the values as given, not as quantized:
-- three's middle value, 1/3 (no short decimal), reads back as
-- 0.333319091796875, its sum is that of 0.1, 1/3 and 2.25; three_f1's
-- (format 1) reads back as 1.5000015259021897, its sum is 3.85.  Short
-- decimals (decimals, same_time, infinite) are stored exactly.
SELECT name, min_value(x), max_value(x), sum_value(x), avg_value(x), max_error(x)
FROM op_values ORDER BY name;
-- three against its original rows (the exact numeric sum; sum(float8)
-- adds without compensation and may be an ulp off); the sum of the decoded
-- values is another number
SELECT name, abs(sum_value(x)::text::numeric - o.s) < 1e-15 AS sum_of_given,
	   abs(avg_value(x)::text::numeric - o.s / 3) < 1e-15 AS avg_of_given,
	   sum_value(x) = (SELECT sum(value) FROM unnest(x)) AS is_sum_of_decoded
FROM op_values,
	 (SELECT sum(v::text::numeric) AS s FROM (VALUES (0.1::float8), (0.3333333333333333), (2.25)) v(v)) o
WHERE name = 'three';

-- 16 bytes a point against the stored size, as pg_column_size reports it
-- (here a short 1-byte varlena header: the values are stored inline)
SELECT name, (compression_stats(x)).*, compression_ratio(x),
	   (compression_stats(x)).compressed_size = pg_column_size(x) AS as_pg_column_size
FROM op_values ORDER BY name;
SELECT compression_stats(x) FROM op_values WHERE name = 'three';

-- ---------------------------------------------------------------------
-- Decoding
-- ---------------------------------------------------------------------

SELECT name, timestamps(x), value_array(x) FROM op_values ORDER BY name;
SELECT name, u.* FROM op_values, unnest(x) WITH ORDINALITY AS u ORDER BY name, u.ordinality;
-- in the select list
SELECT unnest(x) FROM op_values WHERE name = 'three';
SELECT (unnest(x)).value FROM op_values WHERE name = 'three';
-- the empty series: no rows, empty arrays
SELECT count(*) FROM op_values, unnest(x) WHERE name = 'empty';
SELECT cardinality(timestamps(x)), cardinality(value_array(x)), timestamps(x) = '{}' AS is_empty
FROM op_values WHERE name = 'empty';
-- an early end: LIMIT stops the SRF after a few rows of a large value
SELECT * FROM unnest((SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i)
					  FROM generate_series(1, 100000) i)) LIMIT 3;
SELECT unnest(compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i)) FROM generate_series(1, 100000) i LIMIT 2;
-- unnest crosses block boundaries in order (format 2: at most 16,384
-- points a block, so 40,000 points make three, the header's nblocks at
-- offset 8; format 1: a literal of three blocks of two codecs)
CREATE TABLE op_blocks AS
SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i) AS x FROM generate_series(1, 40000) i;
SELECT get_byte(compact_ts_to_bytea(x), 8) AS blocks, count(*),
	   bool_and(ts = '2020-01-01'::timestamptz + ordinality * interval '1 s') AS in_order,
	   bool_and(value = ordinality) AS values_exact,
	   min(ts) = '2020-01-01 00:00:01+00' AND max(ts) = '2020-01-01 00:00:01+00'::timestamptz + interval '39999 s' AS ends
FROM op_blocks, unnest(x) WITH ORDINALITY GROUP BY x;
DROP TABLE op_blocks;
SELECT count(*), bool_and(ts = '2020-01-01'::timestamptz + ordinality * interval '1 s') AS in_order,
	   bool_and(value = ordinality) AS values_exact
FROM unnest(('{quant16(sum=1,error=0): 2020-01-01 00:00:01+00 => 1; gorilla(sum=5,error=0): 2020-01-01 00:00:02+00 => 2, 2020-01-01 00:00:03+00 => 3; quant16(sum=4,error=0): 2020-01-01 00:00:04+00 => 4}')::compact_ts) WITH ORDINALITY;

-- ---------------------------------------------------------------------
-- A TOASTed value (STORAGE external: stored out of line, uncompressed)
-- ---------------------------------------------------------------------

CREATE TABLE op_big (id int, x compact_ts);
SELECT attstorage FROM pg_attribute WHERE attrelid = 'op_big'::regclass AND attname = 'x';
-- unrounded random values (quantized, some 2 bytes a point: a value of
-- about 400 kB); a smooth series would take far less
SELECT setseed(0.5);
CREATE TABLE op_big_src AS
SELECT k, '2020-01-01'::timestamptz + k * interval '10 s' AS ts, random() AS v
FROM generate_series(1, 200000) k;
INSERT INTO op_big SELECT 1, compact_ts_agg(ts, v) FROM op_big_src;
-- out of line and not compressed: what TOAST stores is the value's payload,
-- and compressed_size is that size, as pg_column_size reports it
SELECT pg_column_compression(x) IS NULL AS uncompressed,
	   pg_column_size(x) = (compression_stats(x)).compressed_size AS sizes_agree,
	   pg_column_size(x) = length(compact_ts_to_bytea(x)) AS payload_size,
	   pg_column_size(x) > 300000 AS large,
	   (SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'op_big') >= pg_column_size(x) AS in_toast_table,
	   length(x), first_time(x), last_time(x),
	   min_value(x) = (SELECT min(v) FROM op_big_src) AS min_exact,
	   max_value(x) = (SELECT max(v) FROM op_big_src) AS max_exact,
	   max_error(x) < 1e-4 AS small_error
FROM op_big;
SELECT count(*), max(abs(u.value - s.v)) = max(max_error(x)) AS error_is_max, bool_and(u.ts = s.ts) AS ts_equal
FROM op_big, unnest(x) WITH ORDINALITY AS u(ts, value, k) JOIN op_big_src s USING (k);

-- header-only accessors fetch one TOAST chunk, decoders the whole value:
-- count the buffers each touches
CREATE FUNCTION buffers_used(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || query INTO plan;
	RETURN (plan -> 0 -> 'Plan' ->> 'Shared Hit Blocks')::bigint +
		   (plan -> 0 -> 'Plan' ->> 'Shared Read Blocks')::bigint;
END $$;
SELECT buffers_used('SELECT length(x), first_time(x), min_value(x), sum_value(x) FROM op_big') < 10 AS header_few,
	   buffers_used('SELECT compression_stats(x), time_range(x), max_error(x) FROM op_big') < 10 AS stats_few,
	   buffers_used('SELECT max(value) FROM op_big, unnest(x)') > 40 AS unnest_all,
	   buffers_used('SELECT md5(compact_ts_to_bytea(x)) FROM op_big') > 40 AS bytes_all;

-- ---------------------------------------------------------------------
-- compressed_size is the size where the value is stored, whatever the
-- column's storage and compression (issue 8)
-- ---------------------------------------------------------------------

-- values that repeat every 10 points: their format 2 bytes repeat too, so
-- TOAST's compression shrinks them (3,000 points stay below its threshold
-- of about 2 kB, uncompressed; 20,000 and 200,000 are compressed)
CREATE TABLE op_storage (storage text, compression text, x compact_ts);
CREATE FUNCTION store(st text, comp text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE op_storage ALTER COLUMN x SET STORAGE %s', st);
	EXECUTE format('ALTER TABLE op_storage ALTER COLUMN x SET COMPRESSION %s', comp);
	INSERT INTO op_storage
	SELECT st, comp, compact_ts_agg('2020-01-01'::timestamptz + i * interval '10 s', i % 10)
	FROM (VALUES (3000), (20000), (200000)) s(n), generate_series(1, n) i
	GROUP BY n;
END $$;
SELECT store('external', 'pglz'), store('extended', 'pglz'), store('extended', 'lz4'),
	   store('main', 'pglz'), store('main', 'lz4');
SELECT storage, compression, length(x), pg_column_compression(x) AS compressed_with,
	   (compression_stats(x)).compressed_size = pg_column_size(x) AS as_pg_column_size,
	   pg_column_size(x) < length(compact_ts_to_bytea(x)) AS smaller_than_bytes,
	   compression_ratio(x) = pg_column_size(x)::float8 / (16 * length(x)) AS ratio_follows,
	   (compression_stats(x)).bytes_saved = 16 * length(x) - pg_column_size(x) AS saved_follows
FROM op_storage ORDER BY storage, compression, length(x);
-- the header-only accessors and the decoders read compressed values too
SELECT storage, compression, length(x), first_time(x), last_time(x), sum_value(x),
	   (SELECT sum(value) FROM unnest(x)) AS unnest_sum, x = (SELECT x FROM op_storage o
		WHERE o.storage = 'external' AND length(o.x) = length(op_storage.x)) AS same_value
FROM op_storage ORDER BY storage, compression, length(x);
DROP TABLE op_storage;
DROP FUNCTION store(text, text);

-- ---------------------------------------------------------------------
-- Corrupt stored values: validated before decoding, XX001, never a crash
-- ---------------------------------------------------------------------

-- a raw reinterpretation, to store bytes that never went through validation
CREATE CAST (bytea AS compact_ts) WITHOUT FUNCTION;

CREATE FUNCTION poke(b bytea, off int, hex text) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT overlay(b placing decode(hex, 'hex') from off + 1) $$;

-- b with the byte at 0-based offset off inverted
CREATE FUNCTION flip(b bytea, off int) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT set_byte(b, off, get_byte(b, off) # 255) $$;

-- format 1 (1.0's layout, format.h, from three_f1; no checksums) and
-- format 2 (format2.h, from three: an 80-byte header, the directory at 80,
-- the index entry at 104, the payload at 168).  A format 2 value with a
-- timestamp out of range cannot be made by poking (the checksums would
-- have to be recomputed): that check is shown on format 1.
CREATE TABLE op_corrupt (name text, x compact_ts);
INSERT INTO op_corrupt
SELECT 'f1 index cut off', substr(compact_ts_to_bytea(x), 1, 100)::compact_ts FROM op_values WHERE name = 'three_f1'
UNION ALL
SELECT 'f1 payload code', poke(compact_ts_to_bytea(x), 130, '0000')::compact_ts FROM op_values WHERE name = 'three_f1'
UNION ALL
SELECT 'f1 trailing byte', (compact_ts_to_bytea(x) || '\x00'::bytea)::compact_ts FROM op_values WHERE name = 'three_f1'
UNION ALL
SELECT 'f1 bad version', poke(compact_ts_to_bytea(x), 0, '03')::compact_ts FROM op_values WHERE name = 'three_f1'
UNION ALL
SELECT 'f1 too short', '\x01'::bytea::compact_ts
UNION ALL
-- one point at 294277-01-01 00:00:00+00, the first microsecond past the range
SELECT 'f1 bad timestamp', poke(poke(poke(poke(compact_ts_to_bytea('{quant16(sum=1.5,error=0): 2020-01-01 00:00:00+00 => 1.5}'),
		16, '00a0b2b35bffff7f'), 24, '00a0b2b35bffff7f'), 80, '00a0b2b35bffff7f'), 88, '00a0b2b35bffff7f')::compact_ts
UNION ALL
SELECT 'f2 index cut off', substr(compact_ts_to_bytea(x), 1, 150)::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 header byte', flip(compact_ts_to_bytea(x), 40)::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 index byte', flip(compact_ts_to_bytea(x), 140)::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 payload byte', flip(compact_ts_to_bytea(x), 175)::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 trailing byte', (compact_ts_to_bytea(x) || '\x00'::bytea)::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 bad version', poke(compact_ts_to_bytea(x), 0, '03')::compact_ts FROM op_values WHERE name = 'three'
UNION ALL
SELECT 'f2 too short', '\x02'::bytea::compact_ts
UNION ALL
-- a TOASTed value (format 2) whose last payload byte is off
SELECT 'f2 toasted, tail', flip(compact_ts_to_bytea(x), length(compact_ts_to_bytea(x)) - 1)::compact_ts
FROM op_big;

-- what each function makes of each value: header-only accessors check the
-- header they read (format 2: its checksum too), everything that decodes
-- checks the whole value first (format 2: every checksum); codec() reads
-- the header (format 1: and the index); compact_ts_to_bytea hands out the
-- stored bytes without judging them
CREATE FUNCTION try(expr text, name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
	detail text;
BEGIN
	EXECUTE 'SELECT (' || expr || ')::text FROM op_corrupt WHERE name = $1' INTO result USING name;
	RETURN coalesce(result, 'NULL');
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ': ' || SQLERRM || ' (' || detail || ')';
END $$;

SELECT name, f AS function, try(f, name) AS result
FROM (SELECT DISTINCT name FROM op_corrupt) c,
	 unnest(ARRAY['length(x)', 'first_time(x)', 'time_range(x)', 'sum_value(x)', 'max_error(x)', 'codec(x)',
				  '(compression_stats(x)).points', 'compression_ratio(x)',
				  '(SELECT count(*) FROM unnest(x))', 'cardinality(timestamps(x))',
				  'cardinality(value_array(x))', 'length(x::text)',
				  'length(compact_ts_to_bytea(x))',
				  'length(compact_ts_from_bytea(compact_ts_to_bytea(x)))']) f
ORDER BY name, f;

-- the corrupt value cannot leave through binary COPY and come back either:
-- see copy.sql

DROP CAST (bytea AS compact_ts);
DROP TABLE op_values, op_big, op_big_src, op_corrupt;
DROP FUNCTION buffers_used(text), poke(bytea, int, text), flip(bytea, int), try(text, text);
