--
-- soft_errors: bad input that compact_ts_in reports without throwing on
-- PostgreSQL 16+ (pg_input_is_valid, pg_input_error_info), and the errors of
-- bad timestamps in a literal.
--
-- The expected output differs between versions, so this file has two:
-- soft_errors.out (16+) and soft_errors_1.out (15).  On 16+ a timestamp is
-- converted by one soft-error call of timestamptz_in, and the detail quotes
-- PostgreSQL's own message; 15 has no soft errors, checks a timestamp with
-- its date/time parser first ("is not valid"), raises "timestamp out of
-- range" and an unknown time zone as PostgreSQL's own errors, and has no
-- pg_input_is_valid.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY default

-- ---------------------------------------------------------------------
-- Bad timestamps: 22P02 with the point and its position
-- ---------------------------------------------------------------------

SELECT '{2020-02-30 => 1}'::compact_ts;
SELECT '{2020-01-01 25:00 => 1}'::compact_ts;
SELECT '{2020-01-01 00:00:00+00 => 1, tomorrowish => 2}'::compact_ts;
SELECT '{2020-01-01 00:00:00 Mars/Olympus => 1}'::compact_ts;
-- a non-ASCII character where a timestamp should start
SELECT '{2020-01-01 => 1, 2020-01-02 => 2, é2020-01-03 => 3}'::compact_ts;
-- out of timestamptz's range
SELECT '{2020-01-01 00:00:00+00 => 1, 300000-01-01 00:00:00+00 => 2}'::compact_ts;

-- ---------------------------------------------------------------------
-- pg_input_is_valid: false for every kind of bad input, never an error
-- ---------------------------------------------------------------------

CREATE TABLE soft_inputs (id int, what text, t text);
INSERT INTO soft_inputs VALUES
	(1, 'empty series', '{}'),
	(2, 'user form', '{2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}'),
	(3, 'canonical form', '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'),
	(4, 'base64 form', 'base64:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=='),
	(5, 'base64, format 2', 'base64:AgABEAAAAAAAAAAAes2u9QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
	(6, 'codec prefix', 'quant12:{2020-01-01 00:00:00+00 => 1.5}'),
	(7, 'NaN, lossless', 'lossless:{2020-01-01 00:00:00+00 => NaN, 2020-01-01 00:00:10+00 => -Infinity}'),
	(10, 'no braces', 'abc'),
	(11, 'missing value', '{2020-01-01 =>}'),
	(12, 'bad value', '{2020-01-01 => abc}'),
	(13, 'value out of range', '{2020-01-01 => 1e999}'),
	(14, 'bad timestamp', '{2020-02-30 => 1}'),
	(15, 'timestamp out of range', '{300000-01-01 => 1}'),
	(16, 'unknown time zone', '{2020-01-01 00:00:00 Mars/Olympus => 1}'),
	(17, 'NaN value', '{2020-01-01 => NaN}'),
	(18, 'infinite value', '{2020-01-01 => -Infinity}'),
	(19, 'bad block header', '{foo(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
	(20, 'value off the grid', '{quant16(sum=4.3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2, 2020-01-01 00:00:20+00 => 1.3}'),
	(21, 'implausible sum', '{quant16(sum=100,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'),
	(22, 'unsorted canonical', '{quant16(sum=3,error=0): 2020-01-01 00:00:10+00 => 1, 2020-01-01 00:00:00+00 => 2}'),
	(23, 'base64: bad character', 'base64:AQ!A'),
	(24, 'base64: bad length', 'base64:AQA'),
	(25, 'base64: unused bits', 'base64:AR=='),
	(26, 'base64: no bytes', 'base64:'),
	(27, 'base64: truncated value', 'base64:AQ=='),
	(28, 'unknown codec prefix', 'zip:{2020-01-01 => 1}'),
	(29, 'prefix and block headers', 'quant16:{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}'),
	(30, 'NaN, lossy prefix', 'quant8:{2020-01-01 => NaN}'),
	(31, 'base64: a checksum fails', 'base64:AgABEAEAAAABAAAANYi9TABgwoYHPgIAAGDChgc+AgAAAAAAAADwPwAAAAAAAPA/AAAAAAAA8D8AAAAAAAAAAAAAAAAAAAAAk3PotgAAAAAAYMKGBz4CAABgwoYHPgIA/+GRbQAAAAAAAAAADQAAAAEAAAAAAQEAAGDChgc+AgAAYMKGBz4CAAAAAAAAAPA/AAAAAAAA8D8AAAAAAADwPwAAAAAAAAAASDNwkQAAAAAAAADwPw==');
SELECT id, what, pg_input_is_valid(t, 'compact_ts') AS valid FROM soft_inputs ORDER BY id;
\x on
SELECT id, what, e.* FROM soft_inputs, LATERAL pg_input_error_info(t, 'compact_ts') e
WHERE id >= 10 ORDER BY id;
\x off

-- in a domain's check too, and through a cast in a query they are errors
CREATE DOMAIN soft_nonempty AS compact_ts CHECK (length(VALUE) > 0);
SELECT pg_input_is_valid('{}', 'soft_nonempty') AS empty_ok,
	   pg_input_is_valid('{2020-01-01 => 1}', 'soft_nonempty') AS one_ok,
	   pg_input_is_valid('{2020-01-01 => x}', 'soft_nonempty') AS bad_ok;
SELECT t::compact_ts FROM soft_inputs WHERE id = 17;
DROP DOMAIN soft_nonempty;

-- limits stay hard errors (like PostgreSQL's own types): a base64 value of
-- about 2 MB under chronos.max_memory_mb = 1
SELECT 'base64:' || translate(encode(compact_ts_to_bytea(x), 'base64'), E'\n', '') AS big
FROM (SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i)) AS x
	  FROM generate_series(1, 1000000) i) s \gset
\set VERBOSITY terse
SELECT pg_input_is_valid(:'big', 'compact_ts') AS big_valid;
SET chronos.max_memory_mb = 1;
SELECT pg_input_is_valid(:'big', 'compact_ts');
\set VERBOSITY default
RESET chronos.max_memory_mb;
-- nothing was left behind by the soft errors
SELECT used_memory_mb FROM chronos_memory_stats();

DROP TABLE soft_inputs;
