-- test/bench/sql/lazy.sql
--	The data of the lazy-read rows (9-13, test/bench/rows_lazy.sh), built
--	in SQL from a deterministic expression (no random numbers: the same
--	points every run).  Not timed.  psql variable :long_points is the
--	length of the long series (quick: 10 million, full: 50 million),
--	:blocks the block sizes of the other layouts of the 1M series
--	(LAZY_BLOCKS, rows_lazy.sh; "1024" unless asked).
--
--	  lazy_series ('1M', 'long')  one row each, one value each: a series of
--	                              1,000,000 points and one of :long_points,
--	                              both from 2024-01-01, a point every 10 s
--	                              (1M points: 115 days), values with two
--	                              decimals (stored exactly)
--	  lazy_series ('1M/1024')     the 1M series again in blocks of 1,024
--	                              points (chronos.block_points = 1024), and
--	                              so on for every size in :blocks
--	  lazy_plain                  the 1M series' rows as a plain table with
--	                              PRIMARY KEY (series, ts), series = 1, with
--	                              three other series beside it, so that the
--	                              index holds more than the one series
--	  lazy_app_0                  a 10-million-point series (the long one's
--	                              first 10M points) for the append row, copied
--	                              into lazy_app_a / lazy_app_b before each run
--	  lazy_new                    the 1,000 points appended to it
--
--	The long series is built from segments of a million points joined with
--	||, which copies their blocks: one compact_ts_agg of 50 million points
--	would hold them all in its state (800 MB, more than chronos.max_memory_mb).

SET client_min_messages = warning;
SET TimeZone = 'UTC';
SELECT set_config('lazy.long_points', :'long_points', false);

-- point i of series s
CREATE FUNCTION lazy_value(i bigint, s int) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN round((100 + 10 * s + 20 * sin(i / 50000.0) + 3 * sin(i / 777.0)
				  + ((i * 2654435761) % 1000) / 1000.0) * 100) / 100;

CREATE TABLE lazy_series (name text PRIMARY KEY, data compact_ts NOT NULL);
INSERT INTO lazy_series
SELECT '1M', compact_ts_agg('2024-01-01'::timestamptz + i * interval '10 s', lazy_value(i, 1))
FROM generate_series(0::bigint, 999999) i;
SELECT set_config('lazy.blocks', :'blocks', false);
DO $$
DECLARE
	b text;
BEGIN
	FOREACH b IN ARRAY string_to_array(current_setting('lazy.blocks'), ' ') LOOP
		PERFORM set_config('chronos.block_points', b, true);
		INSERT INTO lazy_series
		SELECT '1M/' || b, compact_ts_agg('2024-01-01'::timestamptz + i * interval '10 s', lazy_value(i, 1))
		FROM generate_series(0::bigint, 999999) i;
	END LOOP;
END $$;
RESET chronos.block_points;

DO $$
DECLARE
	n bigint := current_setting('lazy.long_points')::bigint;
	seg bigint := 1000000;
	v compact_ts := '{}';
	k bigint;
BEGIN
	FOR k IN 0 .. (n - 1) / seg LOOP
		v := v || (SELECT compact_ts_agg('2024-01-01'::timestamptz + i * interval '10 s', lazy_value(i, 1))
				   FROM generate_series(k * seg, least((k + 1) * seg, n) - 1) i);
	END LOOP;
	INSERT INTO lazy_series VALUES ('long', v);
END $$;

CREATE TABLE lazy_plain (series int, ts timestamptz, value float8 NOT NULL, PRIMARY KEY (series, ts));
INSERT INTO lazy_plain
SELECT s, '2024-01-01'::timestamptz + i * interval '10 s', lazy_value(i, s)
FROM generate_series(1, 4) s, generate_series(0::bigint, 999999) i
ORDER BY s, i;

CREATE TABLE lazy_app_0 (id int PRIMARY KEY, data compact_ts NOT NULL);
INSERT INTO lazy_app_0
SELECT 1, slice(data, tstzrange('2024-01-01', '2024-01-01'::timestamptz + 10000000 * interval '10 s'))
FROM lazy_series WHERE name = 'long';
CREATE TABLE lazy_app_a (LIKE lazy_app_0 INCLUDING ALL);
CREATE TABLE lazy_app_b (LIKE lazy_app_0 INCLUDING ALL);
CREATE TABLE lazy_new (data compact_ts NOT NULL);
INSERT INTO lazy_new
SELECT compact_ts_agg('2030-01-01'::timestamptz + i * interval '10 s', lazy_value(i, 2))
FROM generate_series(0, 999) i;

VACUUM (ANALYZE);
CHECKPOINT;
