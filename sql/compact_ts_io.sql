--
-- compact_ts_io: the text literal (user form, with or without a codec
-- prefix, and 1.0's canonical form), output that ignores session settings,
-- the base64 form of lossy and large values, the raw bytes (send/recv
-- through compact_ts_to_bytea / compact_ts_from_bytea), then a barrage of
-- malformed literals, malformed base64 and corrupt binary values of both
-- formats.
--
-- Every new value is format 2 (src/codec/format2.h).  It prints as
-- 'codec:{ts => v, ...}' when reading that text back gives the very same
-- bytes (exact or decimal data), otherwise as 'base64:' and its bytes.
-- Format 1 values (written by chronos 1.0, src/codec/format.h) stay
-- readable and print as 1.0 printed them, in the canonical form with block
-- headers '{quant16(sum=..,error=..): ...}', which is also the only
-- literal that makes a format 1 value.  Codec names and their behaviour
-- are tested in codec.sql.
-- (Errors of bad timestamps, whose details differ between PostgreSQL 15 and
-- 16+, and soft errors are in soft_errors.sql.)
--
-- pg_regress loads chronos (--load-extension=chronos).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY default

-- true if the text form reads back to the identical bytes
CREATE FUNCTION text_round_trip(x compact_ts) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT x::text::compact_ts = x $$;

-- true if the raw bytes read back to the identical bytes
CREATE FUNCTION bytes_round_trip(x compact_ts) RETURNS boolean
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT compact_ts_from_bytea(compact_ts_to_bytea(x)) = x $$;

-- ---------------------------------------------------------------------
-- Valid literals, user form
-- ---------------------------------------------------------------------

-- the empty series, with and without spaces
SELECT '{}'::compact_ts;
SELECT '  {   }  '::compact_ts;
SELECT length('{}'::compact_ts), text_round_trip('{}');

-- one point, two points, three: decimals with few digits are stored
-- exactly (error 0), so the value prints as it was written, after the
-- codec it was built with (chronos.default_codec, quant16)
SELECT '{2020-01-01 00:00:00+00 => 1.5}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5, 2020-01-01 00:00:20+00 => 2.25}'::compact_ts;

-- three points whose middle one is 1/3, no short decimal: it is quantized
-- (a block's min and max are kept exactly) and the error is reported; the
-- text is base64, since the printed points would be quantized again
SELECT x::text LIKE 'base64:%' AS is_base64, value_array(x), max_error(x),
	   abs((value_array(x))[2] - 0.3333333333333333) = max_error(x) AS middle_has_the_error
FROM (SELECT '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:20+00 => 2.25}'::compact_ts AS x) s;

-- any order: sorted by time, stably (equal timestamps keep the literal's order)
SELECT '{2020-01-01 00:00:20+00 => 3, 2020-01-01 00:00:00+00 => 1,
         2020-01-01 00:00:20+00 => 2, 2020-01-01 00:00:10+00 => 5,
         2020-01-01 00:00:20+00 => 4}'::compact_ts;

-- spacing is free; a timestamp may be double-quoted (then it may hold a
-- comma); every input style timestamptz accepts works; output is UTC
SELECT '{"January 8, 1999 04:05:06 PST"=>1,2020-06-01T12:00:00.5+02   =>   -2.5e3
	,	Sat Feb 29 12:00:00 2020 UTC => 7 }'::compact_ts;

-- a timestamp without a zone is read in the session's time zone
SET TimeZone = 'America/New_York';
SELECT '{2020-01-01 00:00:00 => 1}'::compact_ts;
SET TimeZone = 'UTC';

-- special timestamps: +-infinity are stored exactly, epoch is 1970
SELECT '{infinity => 2, -infinity => 1, epoch => 3}'::compact_ts;
SELECT length(x), first_time(x), last_time(x), time_range(x)
FROM (SELECT '{infinity => 2, -infinity => 1, epoch => 3}'::compact_ts AS x) s;

-- the ends of timestamptz's range, BC years and microseconds
SELECT '{4714-11-24 00:00:00+00 BC => 1, 294276-12-31 23:59:59.999999+00 => 2,
         0001-12-31 23:59:59.000001+00 BC => 3, 2000-01-01 00:00:00.000001+00 => 4}'::compact_ts;

-- -0 is stored as 0 (by the lossy codecs; lossless keeps it: codec.sql);
-- shortest exact values; extreme magnitudes; denormals
SELECT '{2020-01-01 00:00:00+00 => -0}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:01+00 => 0.1}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 1e308, 2020-01-01 00:00:01+00 => 1e308}'::compact_ts;
-- these are no short decimals: quantized within the block's range (whose
-- width overflows a double in the first), printed as base64
SELECT left(x::text, 7) AS form, value_array(x), max_error(x)
FROM (VALUES ('{2020-01-01 00:00:00+00 => 1e308, 2020-01-01 00:00:01+00 => -1.7976931348623157e308,
                2020-01-01 00:00:02+00 => 1.7976931348623157e308}'::compact_ts),
             ('{2020-01-01 00:00:00+00 => 1e-300, 2020-01-01 00:00:01+00 => 5e-324,
                2020-01-01 00:00:02+00 => 0}')) v(x);

-- ---------------------------------------------------------------------
-- Canonical form: what compact_ts_out prints reads back to identical bytes
-- ---------------------------------------------------------------------

-- every literal above, some multi-block series, values of other codecs
-- (3, 7, 8, 100+: quantized, so printed as base64) and format 1 values
-- (20+: in 1.0's canonical form; an empty one as base64, since '{}' would
-- read back as format 2)
CREATE TABLE io_values (id int, x compact_ts);
INSERT INTO io_values VALUES
	(1, '{}'),
	(2, '{2020-01-01 00:00:00+00 => 1.5}'),
	(3, '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:20+00 => 2.25}'),
	(4, '{2020-01-01 00:00:20+00 => 3, 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:20+00 => 2}'),
	(5, '{infinity => 2, -infinity => 1, epoch => 3}'),
	(6, '{4714-11-24 00:00:00+00 BC => 1, 294276-12-31 23:59:59.999999+00 => 2}'),
	(7, '{2020-01-01 00:00:00+00 => 1e308, 2020-01-01 00:00:01+00 => -1.7976931348623157e308, 2020-01-01 00:00:02+00 => 3}'),
	(8, '{2020-01-01 00:00:00+00 => 1e-300, 2020-01-01 00:00:01+00 => 5e-324, 2020-01-01 00:00:02+00 => 2e-300}'),
	(9, '{2020-01-01 00:00:00+00 => 1e308, 2020-01-01 00:00:01+00 => 1e308}'),
	(10, '{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5, 2020-01-01 00:00:20+00 => 2.25}'),
	(11, 'lossless:{2020-01-01 00:00:00+00 => -0, 2020-01-01 00:00:10+00 => NaN, 2020-01-01 00:00:20+00 => -Infinity, 2020-01-01 00:00:30+00 => 0.3333333333333333}'),
	(12, 'quant12:{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:20+00 => 2.25}'),
	(13, 'max_error=0.001:{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:20+00 => 2.25}'),
	(20, 'base64:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=='),
	(21, '{quant16(sum=3.85,error=1.5259021897140457e-06): 2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5000015259021897, 2020-01-01 00:00:20+00 => 2.25}'),
	(22, '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2; gorilla(sum=0.30000000000000004,error=0): 2020-01-01 00:00:20+00 => 0.1, 2020-01-01 00:00:30+00 => 0.2}');
SELECT setseed(0.25);
INSERT INTO io_values
SELECT 100 + n, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s' + (random() * 900)::int * interval '1 ms',
							   (random() - 0.5) * 10 ^ (n - 3))
FROM generate_series(1, 6) n, generate_series(1, 300 * n * n) i
GROUP BY n;
SELECT id, get_byte(compact_ts_to_bytea(x), 0) AS format, codec(x), left(x::text, 9) AS starts,
	   length(x), text_round_trip(x), bytes_round_trip(x),
	   x::text::compact_ts::text = x::text AS same_text
FROM io_values ORDER BY id;

-- a hand-written canonical literal (1.0's form, so a format 1 value): two
-- blocks, two codecs (gorilla is lossless); it prints as it was written
SELECT x, codec(x), get_byte(compact_ts_to_bytea(x), 0) AS format
FROM (SELECT '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2;
               gorilla(sum=6,error=0): 2020-01-01 00:00:20+00 => 1, 2020-01-01 00:00:30+00 => 2,
                                       2020-01-01 00:00:40+00 => 3}'::compact_ts AS x) s;
SELECT * FROM unnest('{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2; gorilla(sum=6,error=0): 2020-01-01 00:00:20+00 => 1, 2020-01-01 00:00:30+00 => 2, 2020-01-01 00:00:40+00 => 3}'::compact_ts);

-- format 1: the exact sum of the original values survives the canonical
-- form, even though the listed values are quantized (1.5 was stored as
-- 1.5000015259021897): the block header keeps it
SELECT x::text, sum_value(x), sum_value(x::text::compact_ts), max_error(x::text::compact_ts),
	   (SELECT sum(value) FROM unnest(x)) AS sum_of_listed
FROM io_values WHERE id = 21;
-- format 2: a quantized value prints as base64, so its text keeps
-- everything: the sum and error of the original values, and the points
SELECT sum_value(x) = 0.1 + 0.3333333333333333 + 2.25 AS exact_sum,
	   sum_value(x::text::compact_ts) = sum_value(x) AS same_sum,
	   max_error(x::text::compact_ts) = max_error(x) AS same_error,
	   value_array(x::text::compact_ts) = value_array(x) AS same_points
FROM io_values WHERE id = 3;

-- 1.0's canonical form: a block of exactly 65536 points (the most a block
-- holds) is accepted
SELECT length(('{quant16(sum=0,error=0): ' ||
	string_agg(format('%s => 0', '2020-01-01'::timestamptz + i * interval '1 s'), ', ') || '}')::compact_ts)
FROM generate_series(1, 65536) i;

-- ---------------------------------------------------------------------
-- Output does not depend on DateStyle, TimeZone or extra_float_digits
-- ---------------------------------------------------------------------

CREATE TABLE io_text AS SELECT id, x::text AS t FROM io_values;
SET DateStyle = 'SQL, DMY';
SET TimeZone = 'Asia/Kathmandu';
SET extra_float_digits = -15;
SELECT count(*) AS differing FROM io_values JOIN io_text USING (id) WHERE x::text <> t;
-- and the canonical form reads back under these settings too
SELECT count(*) AS differing FROM io_values JOIN io_text USING (id)
WHERE t::compact_ts <> x;
RESET extra_float_digits;
SET DateStyle = 'ISO, YMD';
SET TimeZone = 'UTC';

-- ---------------------------------------------------------------------
-- The base64 form: values of more than 100,000 points print as
-- 'base64:' || standard base64 of their bytes
-- ---------------------------------------------------------------------

-- the readable form up to 100,000 points, base64 from 100,001 on: the
-- choice depends on the value alone
CREATE TABLE io_big (n int, x compact_ts);
INSERT INTO io_big
SELECT n, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', (i % 1000) / 8.0)
FROM (VALUES (100000), (100001), (250000)) s(n), generate_series(1, n) i
GROUP BY n;
SELECT n, length(x), left(x::text, 24) AS starts,
	   length(x::text) AS text_length, length(compact_ts_to_bytea(x)) AS bytes
FROM io_big ORDER BY n;
-- base64 is exactly PostgreSQL's own encode(bytes, 'base64'), without its
-- line breaks: 4 characters per 3 bytes, padded
SELECT n, x::text = 'base64:' || translate(encode(compact_ts_to_bytea(x), 'base64'), E'\n', '') AS is_base64,
	   length(x::text) = 7 + 4 * ceil(length(compact_ts_to_bytea(x)) / 3.0) AS exact_length
FROM io_big WHERE n > 100000 ORDER BY n;
-- in(out(x)) = x, byte for byte, for both forms; the text reads back the same
SELECT n, x::text::compact_ts = x AS round_trip, x::text::compact_ts::text = x::text AS same_text
FROM io_big ORDER BY n;
-- the three possible paddings (bytes a multiple of 3, one more, two more)
SELECT length(compact_ts_to_bytea(x)) % 3 AS rest, right(x::text, 2) AS ends,
	   x::text::compact_ts = x AS round_trip
FROM (SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i % m) AS x
	  FROM (VALUES (6), (7), (12)) s(m), generate_series(1, 100001) i
	  GROUP BY m) v
ORDER BY 1;

-- base64 input of a small value gives the same value (which prints readable)
SELECT ('base64:' || encode(compact_ts_to_bytea(x), 'base64'))::text AS literal
FROM io_values WHERE id = 2 \gset
SELECT replace(:'literal', E'\n', '')::compact_ts;
SELECT replace(:'literal', E'\n', '')::compact_ts = x AS same FROM io_values WHERE id = 2;
-- every io_values value through base64
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE ('base64:' || translate(encode(compact_ts_to_bytea(x), 'base64'), E'\n', ''))::compact_ts = x) AS identical
FROM io_values;
-- the empty series (format 2, quant16); spaces around the text are fine
SELECT 'base64:AgABEAAAAAAAAAAAes2u9QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='::compact_ts;
SELECT '  base64:AgABEAAAAAAAAAAAes2u9QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=  '::compact_ts = '{}' AS same;
-- the empty series of format 1 is another value; it prints as base64, the
-- only text that reads back as it
SELECT x, length(x), codec(x), x = '{}' AS same_as_format_2, text_round_trip(x)
FROM (SELECT '  base64:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==  '::compact_ts AS x) s;

-- malformed base64: 22P02, saying where
SELECT 'base64:AQ!AAAAA'::compact_ts;						-- not in the alphabet
SELECT 'base64:AQ-_AAAA'::compact_ts;						-- base64url is not base64
SELECT 'base64:AQAA AAAA'::compact_ts;						-- a space inside
SELECT E'base64:AQAA\nAAAA'::compact_ts;					-- a line break (PostgreSQL's encode() makes them)
SELECT 'base64:AQAAé'::compact_ts;							-- not ASCII
SELECT 'base64:AQA'::compact_ts;							-- not a multiple of 4
SELECT 'base64:AQAAA'::compact_ts;
SELECT 'base64:AQ==AQAA'::compact_ts;						-- padding inside
SELECT 'base64:AQ=A'::compact_ts;
SELECT 'base64:A==='::compact_ts;							-- too much padding
SELECT 'base64:===='::compact_ts;
SELECT 'base64:AR=='::compact_ts;							-- unused bits set (canonical: AQ==)
SELECT 'base64:AQB='::compact_ts;							-- unused bits set (canonical: AQA=)
-- the base64 prefix is exact and lower case (unlike a codec prefix:
-- codec.sql); anything else is read as a literal
SELECT 'BASE64:AQ=='::compact_ts;
SELECT 'base64 AQ=='::compact_ts;
-- valid base64 of bytes that are no value: XX001, like compact_ts_recv
SELECT 'base64:'::compact_ts;								-- no bytes
SELECT 'base64:AQ=='::compact_ts;							-- a version byte alone
SELECT ('base64:' || translate(encode(overlay(compact_ts_to_bytea(x) placing '\x03'::bytea from 1), 'base64'), E'\n', ''))::compact_ts
FROM io_values WHERE id = 3;								-- unknown version
SELECT ('base64:' || translate(encode(compact_ts_to_bytea(x) || '\x00'::bytea, 'base64'), E'\n', ''))::compact_ts
FROM io_values WHERE id = 3;								-- a trailing byte
SELECT ('base64:' || translate(encode(substr(compact_ts_to_bytea(x), 1, length(compact_ts_to_bytea(x)) - 1), 'base64'), E'\n', ''))::compact_ts
FROM io_values WHERE id = 3;								-- the last byte missing
-- a large value with one payload byte changed, whose header is still fine:
-- the block's checksum finds it
SELECT ('base64:' || translate(encode(overlay(b placing '\xff'::bytea from length(b) - 2), 'base64'), E'\n', ''))::compact_ts
FROM (SELECT compact_ts_to_bytea(x) AS b FROM io_big WHERE n = 250000) s;
DROP TABLE io_big;

-- ---------------------------------------------------------------------
-- Raw bytes (the binary send/recv format)
-- ---------------------------------------------------------------------

-- format 2 (format2.h).  The empty series is a bare 80-byte header:
-- version 2, flags 0, codec 1 (quant) of 16 bits, no points, no blocks,
-- the header's CRC-32C at offset 12, everything else zero
SELECT compact_ts_to_bytea('{}');
-- one point: the header, one directory entry (24 bytes), one index entry
-- (64 bytes: offset 0, length 13, 1 point, flags 0, vmode 1 = CONST,
-- tmode 1 = REGULAR, then the summaries) and a 13-byte payload: its CRC,
-- the step (varint 0), the value's 8 bytes
SELECT encode(substr(b, 1, 80), 'hex') AS header, encode(substr(b, 81, 24), 'hex') AS directory,
	   encode(substr(b, 105, 64), 'hex') AS index_entry, encode(substr(b, 169), 'hex') AS payload,
	   length(b)
FROM (SELECT compact_ts_to_bytea('{2000-01-01 00:00:00.000001+00 => 1}') AS b) s;
-- the same point in format 1 (format.h, from 1.0's canonical form): a
-- 64-byte header, one index entry, an empty payload (constant block)
SELECT compact_ts_to_bytea('{quant16(sum=1,error=0): 2000-01-01 00:00:00.000001+00 => 1}');
SELECT id, length(compact_ts_to_bytea(x)) FROM io_values ORDER BY id;
-- the bytes read back, of either format
SELECT compact_ts_from_bytea('\x0200011000000000000000007acdaef500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000') = '{}' AS format_2_empty;
SELECT compact_ts_from_bytea('\x01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000');
SELECT compact_ts_from_bytea('\x0100000001000000010000000000000001000000000000000100000000000000000000000000f03f000000000000f03f000000000000f03f00000000000000000000000000000000010000000101000001000000000000000100000000000000000000000000f03f000000000000f03f000000000000f03f0000000000000000');

-- ---------------------------------------------------------------------
-- Malformed literals: 22P02, saying where
-- ---------------------------------------------------------------------

\set VERBOSITY default
SELECT ''::compact_ts;
SELECT '   '::compact_ts;
SELECT 'abc'::compact_ts;
SELECT '{'::compact_ts;
SELECT '}'::compact_ts;
SELECT '{,}'::compact_ts;
SELECT '{}}'::compact_ts;
SELECT '{} x'::compact_ts;
SELECT '{{2020-01-01 => 1}}'::compact_ts;
SELECT '{2020-01-01}'::compact_ts;
SELECT '{2020-01-01 =>}'::compact_ts;
SELECT '{2020-01-01 => }'::compact_ts;
SELECT '{=> 1}'::compact_ts;
SELECT '{2020-01-01 => 1'::compact_ts;
SELECT '{2020-01-01 => 1,}'::compact_ts;
SELECT '{2020-01-01 => 1,, 2020-01-02 => 2}'::compact_ts;
SELECT '{2020-01-01 => 1 2}'::compact_ts;
SELECT '{2020-01-01 => 1}x'::compact_ts;
SELECT '{2020-01-01 => 1} {}'::compact_ts;
SELECT '{2020-01-01 = 1}'::compact_ts;
SELECT '{2020-01-01 > 1}'::compact_ts;
SELECT '{2020-01-01 => => 1}'::compact_ts;
SELECT '{2020-01-01 => {1}}'::compact_ts;
SELECT '{"2020-01-01 => 1}'::compact_ts;
SELECT '{"" => 1}'::compact_ts;
SELECT '{2020-01-01 "x" => 1}'::compact_ts;
-- a timestamp token longer than any timestamp (bad timestamps: soft_errors.sql)
SELECT ('{' || repeat('2', 129) || ' => 1}')::compact_ts;
-- bad values
SELECT '{2020-01-01 => abc}'::compact_ts;
SELECT '{2020-01-01 => 1.2.3}'::compact_ts;
SELECT '{2020-01-01 => 1e999}'::compact_ts;
SELECT '{2020-01-01 => -1e999}'::compact_ts;
SELECT '{2020-01-01 => 1e-999}'::compact_ts;
SELECT '{2020-01-01 => 1;}'::compact_ts;
SELECT '{2020-01-01 => 1; 2020-01-02 => 2}'::compact_ts;
-- NaN and infinite values are not malformed, but refused: 22023
SELECT '{2020-01-01 00:00:00+00 => 1, 2020-01-02 00:00:00+00 => NaN}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => Infinity}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => -inf}'::compact_ts;
-- a long literal is quoted only in part
SELECT ('{' || string_agg(format('2020-01-01 00:00:%s+00 => %s', lpad(i::text, 2, '0'), i), ', ') || ', oops}')::compact_ts
FROM generate_series(10, 20) i;

-- ---------------------------------------------------------------------
-- Malformed canonical literals
-- ---------------------------------------------------------------------

-- structure of the block header
SELECT '{foo(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{Quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1 error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(total=1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,err=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum 1,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=abc,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=NaN,error=0): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=-1): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=Infinity): 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=0: 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=0) 2020-01-01 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=0):}'::compact_ts;
SELECT '{quant16(sum=1,error=0)}'::compact_ts;
-- blocks: separated by ';', every block has a header, or none has
SELECT '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1, quant16(sum=1,error=0): 2020-01-02 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1; 2020-01-02 00:00:00+00 => 1}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 1, quant16(sum=1,error=0): 2020-01-02 00:00:00+00 => 1}'::compact_ts;
SELECT '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1;}'::compact_ts;
-- contents that compact_ts could not have printed
-- (1.3 is not on the grid of a block whose min is 1 and max 2)
SELECT '{quant16(sum=4.3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2, 2020-01-01 00:00:20+00 => 1.3}'::compact_ts;
-- a sum far from the points
SELECT '{quant16(sum=100,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'::compact_ts;
-- an error bound larger than the block's range
SELECT '{quant16(sum=3,error=5): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'::compact_ts;
-- lossless blocks have error 0 and the exact sum
SELECT '{gorilla(sum=3.5,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'::compact_ts;
SELECT '{gorilla(sum=3,error=0.5): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'::compact_ts;
-- -0 sums are never printed
SELECT '{quant16(sum=-0,error=0): 2020-01-01 00:00:00+00 => 0}'::compact_ts;
-- points out of time order
SELECT '{quant16(sum=3,error=0): 2020-01-01 00:00:10+00 => 1, 2020-01-01 00:00:00+00 => 2}'::compact_ts;
SELECT '{quant16(sum=1,error=0): 2020-01-01 00:00:10+00 => 1; quant16(sum=2,error=0): 2020-01-01 00:00:00+00 => 2}'::compact_ts;
-- one past the largest block
SELECT length(('{quant16(sum=0,error=0): ' ||
	string_agg(format('%s => 0', '2020-01-01'::timestamptz + i * interval '1 s'), ', ') || '}')::compact_ts)
FROM generate_series(1, 65537) i;

-- ---------------------------------------------------------------------
-- Corrupt binary values: XX001, never a crash
-- ---------------------------------------------------------------------

-- overwrite bytes at a 0-based offset of the raw value
CREATE FUNCTION poke(b bytea, off int, hex text) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT overlay(b placing decode(hex, 'hex') from off + 1) $$;
-- a little-endian int64 as hex
CREATE FUNCTION le64(v bigint) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT string_agg(lpad(to_hex((v >> (8 * k)) & 255), 2, '0'), '' ORDER BY k)
		  FROM generate_series(0, 7) k $$;

-- ---- Format 1 (format.h): the layout chronos 1.0 wrote ----
-- Format 1 has no checksums: each field's own check finds a change.

-- the base value: three points in one quant16 block (payload at offset 128:
-- three 2-byte codes, then the timestamp tokens), written the way 1.0
-- printed it (its canonical form makes a format 1 value; 1.5 was quantized
-- to 1.5000015259021897)
CREATE TABLE io_raw AS
SELECT compact_ts_to_bytea('{quant16(sum=3.85,error=1.5259021897140457e-06): 2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 1.5000015259021897, 2020-01-01 00:00:30+00 => 2.25}') AS b;
SELECT b FROM io_raw;
SELECT compact_ts_from_bytea(b) FROM io_raw;

-- lengths
SELECT compact_ts_from_bytea('');
SELECT compact_ts_from_bytea(substr(b, 1, 63)) FROM io_raw;
SELECT compact_ts_from_bytea(substr(b, 1, 64)) FROM io_raw;
SELECT compact_ts_from_bytea(substr(b, 1, 127)) FROM io_raw;
SELECT compact_ts_from_bytea(substr(b, 1, length(b) - 1)) FROM io_raw;
SELECT compact_ts_from_bytea(b || '\x00'::bytea) FROM io_raw;
SELECT compact_ts_from_bytea(decode('01' || repeat('00', 63), 'hex') || '\x00'::bytea);
-- header fields
SELECT compact_ts_from_bytea(poke(b, 0, '03')) FROM io_raw;		-- version
SELECT compact_ts_from_bytea(poke(b, 0, '02')) FROM io_raw;		-- version: format 2, whose checks fail
SELECT compact_ts_from_bytea(poke(b, 0, '00')) FROM io_raw;		-- version
SELECT compact_ts_from_bytea(poke(b, 1, '01')) FROM io_raw;		-- flags
SELECT compact_ts_from_bytea(poke(b, 2, '0100')) FROM io_raw;	-- reserved
SELECT compact_ts_from_bytea(poke(b, 12, '01')) FROM io_raw;	-- reserved
SELECT compact_ts_from_bytea(poke(b, 4, '04')) FROM io_raw;		-- npoints
SELECT compact_ts_from_bytea(poke(b, 4, '00')) FROM io_raw;		-- npoints 0
SELECT compact_ts_from_bytea(poke(b, 4, 'ffffffff')) FROM io_raw;	-- npoints huge
SELECT compact_ts_from_bytea(poke(b, 8, '02')) FROM io_raw;		-- nblocks
SELECT compact_ts_from_bytea(poke(b, 8, 'ffffff7f')) FROM io_raw;	-- nblocks huge
SELECT compact_ts_from_bytea(poke(b, 16, '01')) FROM io_raw;	-- first_ts
SELECT compact_ts_from_bytea(poke(b, 24, '01')) FROM io_raw;	-- last_ts
SELECT compact_ts_from_bytea(poke(b, 32, '01')) FROM io_raw;	-- min
SELECT compact_ts_from_bytea(poke(b, 40, '01')) FROM io_raw;	-- max
SELECT compact_ts_from_bytea(poke(b, 48, '01')) FROM io_raw;	-- sum
SELECT compact_ts_from_bytea(poke(b, 56, '01')) FROM io_raw;	-- max_error
SELECT compact_ts_from_bytea(poke(b, 32, '000000000000f87f')) FROM io_raw;	-- min NaN
SELECT compact_ts_from_bytea(poke(b, 56, '0000000000000080')) FROM io_raw;	-- max_error -0
-- index entry fields
SELECT compact_ts_from_bytea(poke(b, 64, '01')) FROM io_raw;	-- offset
SELECT compact_ts_from_bytea(poke(b, 68, '01')) FROM io_raw;	-- length
SELECT compact_ts_from_bytea(poke(b, 68, 'ffffffff')) FROM io_raw;	-- length huge
SELECT compact_ts_from_bytea(poke(b, 72, '02')) FROM io_raw;	-- npoints
SELECT compact_ts_from_bytea(poke(b, 72, '00')) FROM io_raw;	-- npoints 0
SELECT compact_ts_from_bytea(poke(b, 76, '09')) FROM io_raw;	-- codec
SELECT compact_ts_from_bytea(poke(b, 76, '00')) FROM io_raw;	-- codec 0
SELECT compact_ts_from_bytea(poke(b, 77, '01')) FROM io_raw;	-- flags: constant, but min < max
SELECT compact_ts_from_bytea(poke(b, 77, '80')) FROM io_raw;	-- unknown flag
SELECT compact_ts_from_bytea(poke(b, 78, '01')) FROM io_raw;	-- reserved
SELECT compact_ts_from_bytea(poke(b, 80, '01')) FROM io_raw;	-- first_ts
SELECT compact_ts_from_bytea(poke(b, 88, '01')) FROM io_raw;	-- last_ts
SELECT compact_ts_from_bytea(poke(b, 96, '01')) FROM io_raw;	-- min
SELECT compact_ts_from_bytea(poke(b, 104, '01')) FROM io_raw;	-- max
SELECT compact_ts_from_bytea(poke(b, 112, '01')) FROM io_raw;	-- sum
SELECT compact_ts_from_bytea(poke(b, 120, '01')) FROM io_raw;	-- max_error
-- payload: a code, the timestamp tokens
SELECT compact_ts_from_bytea(poke(b, 130, '0000')) FROM io_raw;	-- middle code moved to min
SELECT compact_ts_from_bytea(poke(b, 128, 'ffff')) FROM io_raw;	-- first code moved to max
SELECT compact_ts_from_bytea(poke(b, length(b) - 1, '89')) FROM io_raw;	-- varint never ends
SELECT compact_ts_from_bytea(poke(b, 134, '00')) FROM io_raw;	-- zero run too long
SELECT compact_ts_from_bytea(poke(b, 137, '08')) FROM io_raw;	-- first delta changed
SELECT compact_ts_from_bytea(poke(b, length(b) - 1, '01')) FROM io_raw;	-- last delta changed
-- second delta-of-delta -30 s (zigzag varint ff8dce1c): the third point
-- would come 20 s before the second
SELECT compact_ts_from_bytea(poke(b, 138, 'ff8dce1c')) FROM io_raw;	-- backwards
-- values the codec accepts but whose timestamps lie outside timestamptz's
-- range [4714-11-24 BC, 294277-01-01): one point, header and index agree
CREATE FUNCTION one_point_at(us bigint) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT poke(poke(poke(poke(compact_ts_to_bytea('{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
			16, le64(us)), 24, le64(us)), 80, le64(us)), 88, le64(us)) $$;
-- the first and the last valid microsecond are fine, one more is not
SELECT compact_ts_from_bytea(one_point_at(-211813488000000000));
SELECT compact_ts_from_bytea(one_point_at(-211813488000000001));
SELECT compact_ts_from_bytea(one_point_at(9223371331199999999));
SELECT compact_ts_from_bytea(one_point_at(9223371331200000000));
-- just above -infinity and just below infinity
SELECT compact_ts_from_bytea(one_point_at(-9223372036854775807));
SELECT compact_ts_from_bytea(one_point_at(9223372036854775806));
-- from -infinity to infinity, the point in between is checked too (header
-- and index show only the ends): rewrite its delta-of-delta tokens (after
-- the three 2-byte codes at offset 128) so that it lands on -infinity + 1
-- microsecond, which is no valid timestamp: tokens 2 (dod +1) and 5 (dod -3),
-- block length 6 + 2 at offset 68
-- (1.0 quantized the middle value 2 to 1.9999847409781033)
SELECT compact_ts_from_bytea(b)
FROM (SELECT compact_ts_to_bytea('{quant16(sum=6,error=1.5259021896696368e-05): -infinity => 1, 2020-01-01 00:00:00+00 => 1.9999847409781033, infinity => 3}') AS b) s;
SELECT compact_ts_from_bytea(poke(substr(b, 1, 134) || '\x0205'::bytea, 68, '08000000'))
FROM (SELECT compact_ts_to_bytea('{quant16(sum=6,error=1.5259021896696368e-05): -infinity => 1, 2020-01-01 00:00:00+00 => 1.9999847409781033, infinity => 3}') AS b) s;

-- every single-byte change of the base value is either rejected as corrupt
-- or gives a valid value that reads back identically: never anything else
CREATE FUNCTION try_from_bytea(b bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN CASE WHEN text_round_trip(compact_ts_from_bytea(b)) THEN 'valid' ELSE 'mismatch' END;
EXCEPTION WHEN data_corrupted THEN
	RETURN 'corrupt';
END $$;
SELECT outcome, count(*)
FROM io_raw, generate_series(0, length(b) - 1) off, (VALUES ('00'), ('01'), ('80'), ('ff')) v(h),
	 LATERAL (SELECT try_from_bytea(poke(b, off, h)) AS outcome) t
GROUP BY outcome ORDER BY outcome;
-- and every truncation
SELECT outcome, count(*)
FROM io_raw, generate_series(0, length(b) - 1) len,
	 LATERAL (SELECT try_from_bytea(substr(b, 1, len)) AS outcome) t
GROUP BY outcome ORDER BY outcome;

-- format 1 values still decode, whatever else changed: points, length,
-- codec, summaries, the text and the bytes read back identically
SELECT u.*, length(x), codec(x), sum_value(x), max_error(x), text_round_trip(x), bytes_round_trip(x)
FROM (SELECT compact_ts_from_bytea(b) AS x FROM io_raw) s, unnest(x) u;
SELECT id, length(x), codec(x), (SELECT count(*) FROM unnest(x)) AS unnested,
	   text_round_trip(x), bytes_round_trip(x)
FROM io_values WHERE get_byte(compact_ts_to_bytea(x), 0) = 1 ORDER BY id;

-- ---- Format 2 (format2.h): CRC-32C over the header, the directory, each
-- group of index entries and each payload ----

-- the SQLSTATE and detail of reading b, or 'valid' if it reads back
-- identically (never anything else)
CREATE FUNCTION read_outcome(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	RETURN CASE WHEN text_round_trip(compact_ts_from_bytea(b)) THEN 'valid' ELSE 'mismatch' END;
EXCEPTION WHEN data_corrupted THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN 'XX001: ' || detail;
END $$;
-- b with the byte at 0-based offset off inverted
CREATE FUNCTION flip(b bytea, off int) RETURNS bytea
	LANGUAGE sql IMMUTABLE STRICT
	AS $$ SELECT set_byte(b, off, get_byte(b, off) # 255) $$;

-- the base values: three points in one block (irregular timestamps, a
-- quantized middle value), and 16,385 points in two blocks of 9,216 and
-- 7,169 (one directory entry): 80-byte header, directory at 80, index
-- entries at 104 and 168, payloads from 232
CREATE TABLE io_raw2 (name text, b bytea);
INSERT INTO io_raw2 VALUES
	('three', compact_ts_to_bytea('{2020-01-01 00:00:00+00 => 0.1, 2020-01-01 00:00:10+00 => 0.3333333333333333, 2020-01-01 00:00:30+00 => 2.25}')),
	('two_blocks', (SELECT compact_ts_to_bytea(compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', i % 100 / 10.0))
					FROM generate_series(1, 16385) i));
SELECT name, length(b), get_byte(b, 0) AS version, read_outcome(b),
	   (SELECT count(*) FROM unnest(compact_ts_from_bytea(b))) AS points
FROM io_raw2 ORDER BY name;
-- the two blocks' lengths, from their index entries
SELECT get_byte(b, 108) + 256 * get_byte(b, 109) AS length_0, get_byte(b, 172) + 256 * get_byte(b, 173) AS length_1
FROM io_raw2 WHERE name = 'two_blocks';

-- a change anywhere, in any field, is found by a checksum (the version
-- byte is read first)
SELECT region, field, off, read_outcome(flip(b, off))
FROM io_raw2,
	 (VALUES ('header', 'version', 0), ('header', 'flags', 1), ('header', 'codec', 2),
			 ('header', 'codec_bits', 3), ('header', 'npoints', 4), ('header', 'nblocks', 8),
			 ('header', 'header_crc', 12), ('header', 'first_ts', 16), ('header', 'last_ts', 24),
			 ('header', 'min', 32), ('header', 'max', 40), ('header', 'sum', 48),
			 ('header', 'max_error', 56), ('header', 'codec_bound', 64), ('header', 'dir_crc', 72),
			 ('header', 'reserved', 76),
			 ('directory', 'first_ts', 80), ('directory', 'last_ts', 88), ('directory', 'index_crc', 96),
			 ('directory', 'reserved', 100),
			 ('index 1', 'offset', 168), ('index 1', 'length', 172), ('index 1', 'npoints', 176),
			 ('index 1', 'flags', 180), ('index 1', 'vmode', 181), ('index 1', 'tmode', 182),
			 ('index 1', 'reserved', 183), ('index 1', 'first_ts', 184), ('index 1', 'last_ts', 192),
			 ('index 1', 'min', 200), ('index 1', 'max', 208), ('index 1', 'sum', 216),
			 ('index 1', 'max_error', 224),
			 ('payload 0', 'crc', 232), ('payload 0', 'first byte after it', 236),
			 ('payload 1', 'crc', -1), ('payload 1', 'last byte', -2)) f(region, field, o),
	 LATERAL (SELECT CASE WHEN o = -1 THEN 232 + get_byte(b, 108) + 256 * get_byte(b, 109)
						  WHEN o = -2 THEN length(b) - 1 ELSE o END AS off) x
WHERE name = 'two_blocks'
ORDER BY off;

-- every single-byte change of either value (to 00, 01, 80 or ff, where
-- that changes it) is rejected as corrupt, or would give a valid value
-- that reads back identically: never anything else.  With format 2 none is
-- valid (CRC-32C finds every change of up to 32 bits in a row; format 1
-- above let some through); a changed version byte is read as another
-- format, whose first check fails
SELECT name, outcome, count(*)
FROM io_raw2, generate_series(0, length(b) - 1) off, (VALUES (0), (1), (128), (255)) v(h),
	 LATERAL (SELECT read_outcome(set_byte(b, off, h)) AS outcome) t
WHERE get_byte(b, off) <> h
GROUP BY name, outcome ORDER BY name, outcome;
-- every truncation is rejected
SELECT name, outcome, count(*)
FROM io_raw2, generate_series(0, length(b) - 1) len,
	 LATERAL (SELECT read_outcome(substr(b, 1, len)) AS outcome) t
GROUP BY name, outcome ORDER BY name, outcome;
-- and so are trailing bytes, after a value or after the empty header
SELECT name, read_outcome(b || '\x00'::bytea) AS one_byte, read_outcome(b || '\x0000000000000000'::bytea) AS eight_bytes
FROM io_raw2 ORDER BY name;
SELECT read_outcome(compact_ts_to_bytea('{}') || '\x00'::bytea);
-- base64 of a corrupt value is no better
SELECT ('base64:' || translate(encode(flip(b, 250), 'base64'), E'\n', ''))::compact_ts
FROM io_raw2 WHERE name = 'two_blocks';

DROP TABLE io_values, io_text, io_raw, io_raw2;
DROP FUNCTION text_round_trip(compact_ts), bytes_round_trip(compact_ts),
	poke(bytea, int, text), le64(bigint), one_point_at(bigint), try_from_bytea(bytea),
	read_outcome(bytea), flip(bytea, int);
