--
-- copy: compact_ts through COPY files in binary, text and CSV format, and
-- what binary COPY FROM (compact_ts_recv) does with corrupt bytes.  The
-- server writes and reads the files (the regression role is a superuser).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE TABLE copy_src (id int, x compact_ts);
INSERT INTO copy_src VALUES
	(1, '{}'),
	(2, '{2020-01-01 00:00:00+00 => 1.5}'),
	(3, '{-infinity => 1, 2020-01-01 00:00:00+00 => 2, infinity => 3}'),
	(4, '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2; gorilla(sum=0.6,error=0): 2020-01-01 00:00:20+00 => 0.1, 2020-01-01 00:00:30+00 => 0.2, 2020-01-01 00:00:40+00 => 0.3}'),
	(5, NULL);
SELECT setseed(0.3);
-- series of 10 to 100,000 points; the largest are TOASTed
INSERT INTO copy_src
SELECT 10 + n, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s' + (random() * 999)::int * interval '1 ms',
							  sum_v)
FROM generate_series(1, 5) n,
	 LATERAL (SELECT i, sum(random() - 0.5) OVER (ORDER BY i) AS sum_v
			  FROM generate_series(1, (10 ^ n)::int) i) w
GROUP BY n;
-- and one of 150,000 points, whose text form is base64
INSERT INTO copy_src
SELECT 20, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i / 50.0))
FROM generate_series(1, 150000) i;
SELECT id, length(x), pg_column_size(x), left(x::text, 7) AS text_starts
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
-- the block's index entry claims a payload running far past the value
SELECT copy_corrupt(poke(b, 64 + 4, 'ffffff7f')) FROM copy_base;
COPY copy_dst FROM '/tmp/chronos_raw.bin' WITH (FORMAT binary);
-- a flipped byte in the last block's payload
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
DROP TABLE copy_src, copy_dst, copy_raw, copy_base;
DROP FUNCTION poke(bytea, int, text), copy_corrupt(bytea);
