--
-- copy: compact_ts through COPY files in binary, text and CSV format, and
-- what binary COPY FROM (compact_ts_recv) does with corrupt bytes.  The
-- server writes and reads the files (the regression role is a superuser).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- every text form: readable format 2 ('codec:{...}': exact data), base64
-- (quantized data, a NaN with a payload, more than 100,000 points),
-- format 1's canonical form and format 1's empty series (base64)
CREATE TABLE copy_src (id int, x compact_ts);
INSERT INTO copy_src VALUES
	(1, '{}'),
	(2, '{2020-01-01 00:00:00+00 => 1.5}'),
	(3, '{-infinity => 1, 2020-01-01 00:00:00+00 => 2, infinity => 3}'),
	(4, '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2; gorilla(sum=0.6,error=0): 2020-01-01 00:00:20+00 => 0.1, 2020-01-01 00:00:30+00 => 0.2, 2020-01-01 00:00:40+00 => 0.3}'),
	(5, NULL),
	(6, 'lossless:{2020-01-01 00:00:00+00 => NaN, 2020-01-01 00:00:10+00 => -0, 2020-01-01 00:00:20+00 => -Infinity, 2020-01-01 00:00:30+00 => 0.1}'),
	(7, compact_ts_from_bytea(decode('01' || repeat('00', 63), 'hex')));
-- a NaN with a payload (0x7ff8000000000001, which only float8recv makes:
-- 8 bytes of a bytea, copied in binary into a float8 column): lossless
-- keeps it, the readable text could not (it prints base64)
CREATE TABLE copy_nan (v float8);
COPY (SELECT '\x7ff8000000000001'::bytea) TO '/tmp/chronos_nan.bin' WITH (FORMAT binary);
COPY copy_nan FROM '/tmp/chronos_nan.bin' WITH (FORMAT binary);
SELECT float8send(v) FROM copy_nan;
INSERT INTO copy_src
SELECT 8, compact_ts_agg('2020-01-01 00:00:00+00'::timestamptz + i * interval '1 s', CASE i WHEN 1 THEN v ELSE i END, 'lossless')
FROM copy_nan, generate_series(1, 3) i;
SELECT setseed(0.3);
-- random walks of 10 to 100,000 points, unrounded (quantized, so their text
-- is base64) and rounded to 2 decimals (stored exactly: readable text); the
-- largest are TOASTed
INSERT INTO copy_src
SELECT 10 * r + n, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s' + (random() * 999)::int * interval '1 ms',
								  CASE r WHEN 1 THEN sum_v ELSE round(sum_v::numeric, 2)::float8 END)
FROM generate_series(1, 2) r, generate_series(1, 5) n,
	 LATERAL (SELECT i, sum(random() - 0.5) OVER (ORDER BY i) AS sum_v
			  FROM generate_series(1, (10 ^ n)::int) i) w
GROUP BY r, n;
-- and one of 150,000 points, whose text form is base64
INSERT INTO copy_src
SELECT 30, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i / 50.0))
FROM generate_series(1, 150000) i;
SELECT id, length(x), pg_column_size(x), codec(x), left(x::text, 9) AS text_starts
FROM copy_src ORDER BY id;

CREATE TABLE copy_dst (LIKE copy_src);

-- rows equal to copy_src, byte for byte (= is byte equality; NULL equal to NULL)
CREATE VIEW copy_check AS
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE s.x IS NOT DISTINCT FROM d.x) AS identical
FROM copy_src s FULL JOIN copy_dst d USING (id);

-- ---------------------------------------------------------------------
-- Binary: compact_ts_send / compact_ts_recv
-- ---------------------------------------------------------------------

COPY copy_src TO '/tmp/chronos_copy.bin' WITH (FORMAT binary);
COPY copy_dst FROM '/tmp/chronos_copy.bin' WITH (FORMAT binary);
SELECT * FROM copy_check;

-- ---------------------------------------------------------------------
-- Text and CSV: compact_ts_out / compact_ts_in
-- ---------------------------------------------------------------------

TRUNCATE copy_dst;
COPY copy_src TO '/tmp/chronos_copy.txt';
COPY copy_dst FROM '/tmp/chronos_copy.txt';
SELECT * FROM copy_check;

TRUNCATE copy_dst;
COPY copy_src TO '/tmp/chronos_copy.csv' WITH (FORMAT csv, HEADER);
COPY copy_dst FROM '/tmp/chronos_copy.csv' WITH (FORMAT csv, HEADER);
SELECT * FROM copy_check;

-- the text form is independent of the session's settings on both ends
TRUNCATE copy_dst;
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Pacific/Chatham';
SET extra_float_digits = -5;
COPY copy_src TO '/tmp/chronos_copy.txt';
RESET extra_float_digits;
SET DateStyle = 'German';
SET TimeZone = 'America/Caracas';
COPY copy_dst FROM '/tmp/chronos_copy.txt';
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';
SELECT * FROM copy_check;

-- ---------------------------------------------------------------------
-- The binary form is the raw bytes: a bytea column copies into compact_ts
-- ---------------------------------------------------------------------

CREATE TABLE copy_raw (id int, b bytea);
INSERT INTO copy_raw SELECT id, compact_ts_to_bytea(x) FROM copy_src;
COPY copy_raw TO '/tmp/chronos_raw.bin' WITH (FORMAT binary);
TRUNCATE copy_dst;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
SELECT * FROM copy_check;

-- ---------------------------------------------------------------------
-- Corrupt bytes: binary COPY FROM validates every value, XX001
-- ---------------------------------------------------------------------

CREATE FUNCTION poke(b bytea, off int, hex text) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT overlay(b placing decode(hex, 'hex') from off + 1) $$;

-- each case: one good row, then the bad one
CREATE FUNCTION copy_corrupt(bad bytea) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE copy_raw;
	INSERT INTO copy_raw SELECT 1, compact_ts_to_bytea(x) FROM copy_src WHERE id = 2;
	INSERT INTO copy_raw VALUES (2, bad);
	COPY copy_raw TO '/tmp/chronos_raw.bin' WITH (FORMAT binary);
END $$;
CREATE TABLE copy_base AS SELECT compact_ts_to_bytea(x) AS b FROM copy_src WHERE id = 13;
TRUNCATE copy_dst;

-- a value cut short
SELECT copy_corrupt(substr(b, 1, length(b) - 1)) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- trailing garbage in the field
SELECT copy_corrupt(b || '\xdeadbeef'::bytea) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- an empty field
SELECT copy_corrupt('') FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- the first block's index entry (format 2: at 104) claims a payload
-- running far past the value: the index's checksum finds it first
SELECT copy_corrupt(poke(b, 104 + 4, 'ffffff7f')) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- the same in a format 1 value (index entry at 64, no checksums)
SELECT copy_corrupt(poke(compact_ts_to_bytea(x), 64 + 4, 'ffffff7f')) FROM copy_src WHERE id = 4;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- a flipped byte in the last block's payload: its checksum
SELECT copy_corrupt(poke(b, length(b) - 3, 'ff')) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- an unknown format version
SELECT copy_corrupt(poke(b, 0, '07')) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- nothing was loaded
SELECT count(*) FROM copy_dst;

-- and the good value alone loads
SELECT copy_corrupt(b) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
SELECT id, length(x), compact_ts_to_bytea(x) = (SELECT b FROM copy_base) AS identical
FROM copy_dst WHERE id = 2;

DROP VIEW copy_check;
DROP TABLE copy_src, copy_dst, copy_raw, copy_base, copy_nan;
DROP FUNCTION poke(bytea, int, text), copy_corrupt(bytea);
