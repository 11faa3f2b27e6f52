--
-- memory: chronos's memory manager (src/memory.c, issue 4).
--
-- The settings and their bounds; chronos_memory_stats() on a fresh backend;
-- chronos.max_memory_mb hit and respected by the aggregate, the array
-- constructor, unnest, text output and text input of a large value (readable
-- and base64); the
-- error's SQLSTATE, detail and hint; the accounting after an ERROR, a
-- ROLLBACK TO SAVEPOINT and a cancel (statement_timeout); SET taking effect
-- at the next reservation; chronos_memory_reset_peak();
-- chronos_optimal_chunk_size() (its rule, its bounds, and a chunk of the
-- size it suggests really fitting); chronos_memory_contexts() and
-- pg_backend_memory_contexts during a live operation.
--
-- Megabyte figures depend on the allocator and on how the glue grows its
-- buffers, so most checks print booleans; exact numbers appear only where
-- chronos defines them.
--
-- pg_regress loads chronos (--load-extension=chronos).
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set VERBOSITY default
\pset null '(null)'

-- try(statement): runs it and returns its SQLSTATE, message, hint and
-- detail (digits masked as N: the byte counts depend on buffer growth), and
-- whether the detail's figures are consistent with a limit error:
-- requested + used > limit, used <= limit, and limit = chronos.max_memory_mb.
-- Each call runs in a subtransaction (the EXCEPTION block).
CREATE FUNCTION try(stmt text,
	OUT state text, OUT message text, OUT hint text, OUT detail text,
	OUT figures_consistent boolean)
	LANGUAGE plpgsql AS $$
DECLARE
	d text;
	m text[];
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		d = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	detail := regexp_replace(d, '[0-9]+', 'N', 'g');
	m := regexp_match(d, 'requested ([0-9]+) bytes .* uses ([0-9]+) bytes of its ([0-9]+)-byte limit');
	figures_consistent := m IS NOT NULL
		AND m[1]::numeric + m[2]::numeric > m[3]::numeric
		AND m[2]::numeric <= m[3]::numeric
		AND m[3]::numeric = (SELECT setting::numeric * 1048576 FROM pg_settings
							 WHERE name = 'chronos.max_memory_mb');
END $$;

-- ---------------------------------------------------------------------
-- Statistics and contexts on a fresh backend.  The first call loads the
-- library, which defines the settings (before that, SET chronos.* only
-- makes placeholders that nothing checks).
-- ---------------------------------------------------------------------

SELECT * FROM chronos_memory_stats();
SELECT name, parent, kind, reserved_bytes, total_bytes > 0 AS has_memory
FROM chronos_memory_contexts();
-- PostgreSQL's view lists it too (its columns differ between versions: 18
-- shows a path instead of the parent)
SELECT name FROM pg_backend_memory_contexts WHERE name = 'chronos';

-- ---------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------

-- (the settings of the memory manager; the others are tested with their
-- components, chronos.default_codec in codec.sql)
SELECT name, setting, unit, context, vartype, boot_val, min_val, max_val
FROM pg_settings
WHERE name IN ('chronos.max_memory_mb', 'chronos.chunk_size', 'chronos.cache_size_mb', 'chronos.log_memory')
ORDER BY name;

-- try_set(name, value): the setting after SET name = value, or the error's
-- SQLSTATE (PostgreSQL's wording of a range error differs between versions)
CREATE FUNCTION try_set(name text, value text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config(name, value, false);
	RETURN current_setting(name);
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE;
END $$;

-- chronos.max_memory_mb: 1 .. 1048576 MB, units accepted
SELECT v, try_set('chronos.max_memory_mb', v)
FROM unnest(ARRAY['0', '1', '1048576', '1048577', '2GB', '512kB', '-1']) v;
RESET chronos.max_memory_mb;

-- chronos.chunk_size: 100 .. 100000000 points
SELECT v, try_set('chronos.chunk_size', v)
FROM unnest(ARRAY['99', '100', '100000000', '100000001']) v;
RESET chronos.chunk_size;

-- chronos.cache_size_mb: 0 .. 1048576 MB
SELECT v, try_set('chronos.cache_size_mb', v)
FROM unnest(ARRAY['-1', '0', '1048576', '1048577']) v;
RESET chronos.cache_size_mb;

-- chronos.log_memory writes to the server log: superuser only, like log_*
CREATE ROLE regress_chronos_memory;
SET ROLE regress_chronos_memory;
SET chronos.log_memory = on;
SET chronos.max_memory_mb = 64;		-- any user may set the limit
RESET chronos.max_memory_mb;
RESET ROLE;
DROP ROLE regress_chronos_memory;
SET chronos.log_memory = on;
RESET chronos.log_memory;

-- the prefix is reserved: a misspelt setting is an error, not a new variable
SET chronos.max_memory = 64;

-- ---------------------------------------------------------------------
-- Within the limit (the default, 512 MB)
-- ---------------------------------------------------------------------

-- one million points, 10 s apart with a jitter of up to a second, random
-- values with one decimal: stored exactly (so 100,000 of them print in the
-- readable form), in some 2 bytes a point (format 2 stores a smooth series
-- in far less, and the limits below need a value of a few MB)
SELECT setseed(0.5);
CREATE TEMP TABLE pts AS
SELECT '2020-01-01 00:00:00+00'::timestamptz + g * interval '10 s' + (random() * 999)::int * interval '1 ms' AS ts,
	   round((random() * 10)::numeric, 1)::float8 AS v
FROM generate_series(1, 1000000) g;

-- the aggregate: the peak covers at least the 16-byte points, and
-- everything is given back at the end of the statement
SELECT chronos_memory_reset_peak();
CREATE TEMP TABLE big AS SELECT compact_ts_agg(ts, v) AS x FROM pts;
SELECT length(x), max_error(x) FROM big;
-- the tests below assume the value takes between 1 and 3 MB
SELECT pg_column_size(x) AS value_bytes FROM big \gset
SELECT :value_bytes > 1048576 AS over_1mb, :value_bytes < 3 * 1048576 AS under_3mb;
SELECT used_memory_mb = 0 AS released,
	   peak_memory_mb >= 16 * 1000000 / 1048576.0 AS peak_covers_points,
	   peak_memory_mb <= 512 AS within_limit,
	   memory_efficiency = 0 AS efficiency_is_used_over_peak
FROM chronos_memory_stats();

-- unsorted input also needs the sort buffer: a higher peak
SELECT peak_memory_mb AS sorted_peak FROM chronos_memory_stats() \gset
SELECT chronos_memory_reset_peak();
SELECT length(compact_ts_agg(ts, v)) FROM (SELECT * FROM pts ORDER BY v, ts DESC) s;
SELECT used_memory_mb = 0 AS released,
	   peak_memory_mb > :sorted_peak AS sort_buffer_counted,
	   peak_memory_mb >= 32 * 1000000 / 1048576.0 AS peak_covers_points_and_sort
FROM chronos_memory_stats();

-- the array constructor, unnest, text output, text input
SELECT chronos_memory_reset_peak();
SELECT length(compact_ts(array_agg(ts ORDER BY ts), array_agg(v ORDER BY ts))) FROM pts;
SELECT count(*), min(ts), max(ts) FROM big, unnest(x);
-- (1,000,000 points print as base64; the first 100,000 in the readable form)
CREATE TEMP TABLE mid AS
SELECT compact_ts_agg(ts, v) AS x FROM (SELECT * FROM pts ORDER BY ts LIMIT 100000) s;
CREATE TEMP TABLE big_text AS SELECT x::text AS t FROM big;
CREATE TEMP TABLE mid_text AS SELECT x::text AS t FROM mid;
SELECT left(t, 7) AS big_starts, length(t::compact_ts) FROM big_text;
SELECT left(t, 9) AS mid_starts, length(t::compact_ts) FROM mid_text;
SELECT used_memory_mb = 0 AS released,
	   peak_memory_mb <= 512 AS within_limit
FROM chronos_memory_stats();

-- ---------------------------------------------------------------------
-- Over the limit: SQLSTATE 53400, detail and hint
-- ---------------------------------------------------------------------

SET chronos.max_memory_mb = 1;

-- a top-level failure: the statement's operations are freed with it, and
-- the accounting with them
-- (terse: the detail's byte counts depend on how the state grows; try()
-- below shows the detail with its figures checked)
SELECT used_memory_mb AS used_before FROM chronos_memory_stats() \gset
\set VERBOSITY terse
SELECT length(compact_ts_agg(ts, v)) FROM pts;
\set VERBOSITY default
\echo :LAST_ERROR_SQLSTATE
SELECT used_memory_mb = :used_before AS used_restored FROM chronos_memory_stats();

\x on
-- the aggregate
SELECT * FROM try('SELECT compact_ts_agg(ts, v) FROM pts');
-- the array constructor
SELECT * FROM try('SELECT compact_ts(array_agg(ts), array_agg(v)) FROM pts');
-- unnest of a large value (it no longer fits)
SELECT * FROM try('SELECT count(*) FROM big, unnest(x)');
SELECT * FROM try('SELECT count(*) FROM (SELECT (unnest(x)).ts FROM big) s');
-- timestamps() and value_array()
SELECT * FROM try('SELECT timestamps(x) FROM big');
-- text output and text input of a large value: base64 and readable
SELECT * FROM try('SELECT length(x::text) FROM big');
SELECT * FROM try('SELECT length(t::compact_ts) FROM big_text');
SELECT * FROM try('SELECT length(x::text) FROM mid');
SELECT * FROM try('SELECT length(t::compact_ts) FROM mid_text');
\x off
SELECT used_memory_mb = 0 AS released FROM chronos_memory_stats();

-- header-only accessors read the header (80 bytes; 64 in format 1) and
-- reserve nothing: they still work
SELECT length(x), first_time(x), last_time(x) FROM big;

-- ---------------------------------------------------------------------
-- SET takes effect at the next reservation
-- ---------------------------------------------------------------------

-- 4 MB: the value fits for unnest, the 16 MB aggregate state does not
SET chronos.max_memory_mb = 4;
SELECT chronos_memory_reset_peak();
SELECT count(*) FROM big, unnest(x);
SELECT peak_memory_mb * 1048576 >= :value_bytes AND peak_memory_mb <= 4 AS unnest_within_4mb
FROM chronos_memory_stats();
SELECT state FROM try('SELECT compact_ts_agg(ts, v) FROM pts');
SET chronos.max_memory_mb = 64;
SELECT length(compact_ts_agg(ts, v)) FROM pts;
-- the base64 text of 1,000,000 points needs the value and its text, exactly
-- 4/3 of its size: 4 MB is too little, 8 MB enough; the readable text of
-- 100,000 points (about 3.5 MB, and the points are decoded and encoded
-- again to check that the text reads back) needs more than 4 MB as well
SET chronos.max_memory_mb = 4;
SELECT state FROM try('SELECT length(x::text) FROM big');
SELECT state FROM try('SELECT length(x::text) FROM mid');
SET chronos.max_memory_mb = 8;
SELECT chronos_memory_reset_peak();
SELECT length(x::text) = 7 + 4 * ceil(:value_bytes / 3.0) AS exact_base64_length FROM big;
SELECT peak_memory_mb * 1048576 >= :value_bytes * 7 / 3.0 AS value_and_text_counted
FROM chronos_memory_stats();
SET chronos.max_memory_mb = 16;
SELECT length(x::text) > 3000000 AS long_text FROM mid;

-- SET LOCAL lasts until the end of the transaction
BEGIN;
SET LOCAL chronos.max_memory_mb = 1;
SELECT available_memory_mb FROM chronos_memory_stats();
COMMIT;
SELECT available_memory_mb FROM chronos_memory_stats();
RESET chronos.max_memory_mb;

-- ---------------------------------------------------------------------
-- A live operation: a cursor over unnest keeps its "chronos decode" op
-- between fetches.  A failed statement inside a savepoint gives back only
-- its own bytes; the session and the cursor go on.
-- ---------------------------------------------------------------------

BEGIN;
DECLARE c CURSOR FOR SELECT (unnest(x)).ts FROM big;
FETCH 2 FROM c;
SELECT used_memory_mb * 1048576 >= :value_bytes AS value_reserved
FROM chronos_memory_stats();
SELECT name, parent, kind, reserved_bytes >= :value_bytes AS holds_value,
	   total_bytes >= reserved_bytes AS allocated
FROM chronos_memory_contexts() ORDER BY name;
SELECT name FROM pg_backend_memory_contexts
WHERE name LIKE 'chronos%' ORDER BY name;
SELECT used_memory_mb AS used_before FROM chronos_memory_stats() \gset

-- the peak restarts from what is in use now
SELECT chronos_memory_reset_peak();
SELECT peak_memory_mb = used_memory_mb AS peak_is_used,
	   memory_efficiency = 1 AS efficiency_one
FROM chronos_memory_stats();

SET LOCAL chronos.max_memory_mb = 8;
SAVEPOINT s;
\set VERBOSITY terse
SELECT length(compact_ts_agg(ts, v)) FROM pts;
\set VERBOSITY default
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
SELECT used_memory_mb = :used_before AS cursor_bytes_kept,
	   peak_memory_mb <= 8 AS peak_within_limit
FROM chronos_memory_stats();
FETCH 2 FROM c;

-- lowering the limit below what is in use frees nothing, the next
-- reservation fails, and available_memory_mb is 0, never negative
SET LOCAL chronos.max_memory_mb = 1;
FETCH 1 FROM c;
SELECT available_memory_mb, used_memory_mb > 1 AS over_limit
FROM chronos_memory_stats();
SELECT state FROM try('SELECT count(*) FROM big, unnest(x)');
-- with nothing left, the chunk size is the minimum, 1024 points
SELECT chronos_optimal_chunk_size(1000000);
CLOSE c;
SELECT used_memory_mb = 0 AS released FROM chronos_memory_stats();
COMMIT;

-- ---------------------------------------------------------------------
-- A cancelled statement (statement_timeout) gives its bytes back too.
-- 30 million input rows take seconds; the timeout fires mid-aggregate.
-- ---------------------------------------------------------------------

SET statement_timeout = '500ms';
SELECT length(compact_ts_agg(ts + k * interval '1 ms', v))
FROM pts, generate_series(1, 30) k;
RESET statement_timeout;
SELECT used_memory_mb = 0 AS released FROM chronos_memory_stats();

-- ---------------------------------------------------------------------
-- chronos_optimal_chunk_size: min(dataset, (limit - used) / 2 / 64 bytes,
-- in whole 1024-point blocks), at least min(dataset, 1024), at most
-- 100000000
-- ---------------------------------------------------------------------

SELECT chronos_optimal_chunk_size(50000000) AS default_limit,	-- 512 MB / 2 / 64
	   chronos_optimal_chunk_size(4194305) AS just_above_fit,
	   chronos_optimal_chunk_size(4194303) AS just_below_fit,
	   chronos_optimal_chunk_size(1000) AS small,
	   chronos_optimal_chunk_size(1) AS one;
SET chronos.max_memory_mb = 1;
SELECT chronos_optimal_chunk_size(50000000) AS one_mb;			-- 8192
SET chronos.max_memory_mb = 1048576;
SELECT chronos_optimal_chunk_size(1000000000000) AS capped;		-- 100000000
-- the result can be SET as chronos.chunk_size
SELECT set_config('chronos.chunk_size', chronos_optimal_chunk_size(1000000000000)::text, false);
RESET chronos.chunk_size;
-- bad input
SELECT chronos_optimal_chunk_size(0);
SELECT chronos_optimal_chunk_size(-1);
SELECT chronos_optimal_chunk_size(NULL);

-- a chunk of the suggested size fits, even unsorted (sort buffer
-- included), and uses at most half of the limit
SET chronos.max_memory_mb = 8;
SELECT chronos_optimal_chunk_size(1000000) AS n \gset
SELECT :n AS suggested;
SELECT chronos_memory_reset_peak();
SELECT length(compact_ts_agg(ts, v))
FROM (SELECT * FROM pts ORDER BY ts LIMIT :n) s0;
SELECT length(compact_ts_agg(ts, v))
FROM (SELECT * FROM (SELECT * FROM pts ORDER BY ts LIMIT :n) s ORDER BY v DESC) s1;
SELECT peak_memory_mb <= 4 AS within_half_of_limit FROM chronos_memory_stats();
RESET chronos.max_memory_mb;

DROP FUNCTION try(text), try_set(text, text);
