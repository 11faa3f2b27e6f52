-- demo/demo.sql
--	What "make demo" shows: the sample series of data/ loaded into compact_ts
--	values, their sizes against a plain (ts timestamptz, value float8) table,
--	and a few queries.  Run by demo/demo.sh with psql from the top directory
--	of the repository (the \copy paths are relative to it), in a throwaway
--	database:  psql -X -v ON_ERROR_STOP=1 -f demo/demo.sql

\set QUIET on
\set ON_ERROR_STOP on
\pset footer off
\pset null '(null)'
SET client_min_messages = warning;
-- the CSV times have no zone: they are read as UTC, and shown in UTC
SET TimeZone = 'UTC';

\echo
\echo '== 1. Loading the sample data (data/*.csv, vega-datasets 3.2.1, BSD-3-Clause) =='
\echo

-- staging tables: the CSV columns as text, converted below
CREATE TEMP TABLE st_seattle_hourly (date text, pressure text, temperature text, wind text);
CREATE TEMP TABLE st_seattle_daily (date text, precipitation text, temp_max text, temp_min text,
									wind text, weather text);
CREATE TEMP TABLE st_weather (location text, date text, precipitation text, temp_max text,
							  temp_min text, wind text, weather text);
CREATE TEMP TABLE st_co2 (date text, co2 text, adjusted_co2 text);
CREATE TEMP TABLE st_github (time text, count text);
CREATE TEMP TABLE st_stocks (symbol text, date text, price text);
CREATE TEMP TABLE st_sp500 (date text, price text);
CREATE TEMP TABLE st_global_temp (year text, temp text);
CREATE TEMP TABLE st_iowa (year text, source text, net_generation text);

\copy st_seattle_hourly FROM 'data/seattle-weather-hourly-normals.csv' WITH (FORMAT csv, HEADER true)
\copy st_seattle_daily FROM 'data/seattle-weather.csv' WITH (FORMAT csv, HEADER true)
\copy st_weather FROM 'data/weather.csv' WITH (FORMAT csv, HEADER true)
\copy st_co2 FROM 'data/co2-concentration.csv' WITH (FORMAT csv, HEADER true)
\copy st_github FROM 'data/github.csv' WITH (FORMAT csv, HEADER true)
\copy st_stocks FROM 'data/stocks.csv' WITH (FORMAT csv, HEADER true)
\copy st_sp500 FROM 'data/sp500.csv' WITH (FORMAT csv, HEADER true)
\copy st_global_temp FROM 'data/global-temp.csv' WITH (FORMAT csv, HEADER true)
\copy st_iowa FROM 'data/iowa-electricity.csv' WITH (FORMAT csv, HEADER true)

-- Every point of every series, in PostgreSQL's own types.  The odd time
-- formats are converted explicitly, so nothing depends on DateStyle:
--	'2010-01-01T01:00:00', '2012-01-01'  ISO, read as UTC
--	'2015/01/01 01:00:00'                to_timestamp with a pattern (in the
--	                                     session's TimeZone, UTC: set above)
--	'Jan 1 2000'                         to_date with a pattern
--	1880                                 an integer year: 1 January, UTC
CREATE TABLE points (series text NOT NULL, ts timestamptz NOT NULL, value float8 NOT NULL);

INSERT INTO points
SELECT 'seattle_hourly.' || c.col, h.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_seattle_hourly h,
	LATERAL (VALUES ('pressure', h.pressure), ('temperature', h.temperature),
					('wind', h.wind)) AS c(col, val);

INSERT INTO points
SELECT 'seattle_daily.' || c.col, d.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_seattle_daily d,
	LATERAL (VALUES ('precipitation', d.precipitation), ('temp_max', d.temp_max),
					('temp_min', d.temp_min), ('wind', d.wind)) AS c(col, val);

INSERT INTO points
SELECT 'weather.' || w.location || '.' || c.col, w.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_weather w,
	LATERAL (VALUES ('precipitation', w.precipitation), ('temp_max', w.temp_max),
					('temp_min', w.temp_min), ('wind', w.wind)) AS c(col, val);

INSERT INTO points
SELECT 'co2.' || c.col, s.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_co2 s,
	LATERAL (VALUES ('CO2', s.co2), ('adjusted CO2', s.adjusted_co2)) AS c(col, val);

INSERT INTO points
SELECT 'github.count', to_timestamp(g.time, 'YYYY/MM/DD HH24:MI:SS'), g.count::float8
FROM st_github g;

INSERT INTO points
SELECT 'stocks.' || s.symbol, to_date(s.date, 'Mon DD YYYY')::timestamp AT TIME ZONE 'UTC',
	s.price::float8
FROM st_stocks s;

INSERT INTO points
SELECT 'sp500.price', to_date(s.date, 'Mon DD YYYY')::timestamp AT TIME ZONE 'UTC', s.price::float8
FROM st_sp500 s;

INSERT INTO points
SELECT 'global_temp.temp', make_timestamptz(g.year::int, 1, 1, 0, 0, 0, 'UTC'), g.temp::float8
FROM st_global_temp g;

INSERT INTO points
SELECT 'iowa.' || i.source, i.year::timestamp AT TIME ZONE 'UTC', i.net_generation::float8
FROM st_iowa i;

ANALYZE points;

SELECT count(DISTINCT series) AS series, count(*) AS points,
	min(ts) AS earliest, max(ts) AS latest
FROM points;

\echo
\echo '== 2. One compact_ts per series: compact_ts_agg(ts, value) ... GROUP BY series =='
\echo

CREATE EXTENSION chronos;

CREATE TABLE series (
	id		serial PRIMARY KEY,
	name	text UNIQUE NOT NULL,
	data	compact_ts NOT NULL
);

INSERT INTO series (name, data)
SELECT series, compact_ts_agg(ts, value)
FROM points
GROUP BY series
ORDER BY series;

\echo 'INSERT INTO series (name, data)'
\echo '  SELECT series, compact_ts_agg(ts, value) FROM points GROUP BY series;'
\echo

SELECT id, name, length(data) AS points, first_time(data), last_time(data),
	min_value(data), max_value(data)
FROM series ORDER BY id;

-- the same points as plain rows, one table per series, for the size comparison
CREATE SCHEMA plain;
SELECT format('CREATE TABLE plain.s%s (ts timestamptz, value float8)', id) FROM series ORDER BY id
\gexec
SELECT format('INSERT INTO plain.s%s SELECT ts, value FROM points WHERE series = %L ORDER BY ts',
			  id, name)
FROM series ORDER BY id
\gexec
-- one plain table holding everything, and the measured heap size of each
-- per-series table (its main fork: whole 8 kB pages)
CREATE TABLE plain.all_points AS SELECT ts, value FROM points ORDER BY series, ts;
CREATE TEMP TABLE plain_size (id int PRIMARY KEY, heap_bytes bigint);
SELECT format('INSERT INTO plain_size VALUES (%s, pg_relation_size(''plain.s%s''))', id, id)
FROM series ORDER BY id
\gexec

\echo
\echo '== 3. Size of each series: compact_ts against a plain (ts timestamptz, value float8) table =='
\echo
\echo '  cts bytes  : compression_stats(data).compressed_size, the whole stored compact_ts value'
\echo '               (varlena header included; what the series costs in its table or in TOAST)'
\echo '  cts B/pt   : cts bytes / points'
\echo '  plain bytes: pg_relation_size() of a table (ts timestamptz, value float8) holding the same'
\echo '               points, one row per point, no index: 8 kB heap pages, each row 24 B tuple'
\echo '               header + 16 B data + 4 B line pointer = 44 B, 185 rows per full page, so a'
\echo '               small series still pays for a whole page'
\echo '  plain B/pt : plain bytes / points     x smaller: plain bytes / cts bytes'
\echo '  max_error  : max_error(data), the bound on |stored value - original value|'
\echo '  observed   : the largest |unnest(data).value - original value| over all the points'
\echo

CREATE TEMP TABLE observed AS
SELECT s.id, o.*
FROM series s
	CROSS JOIN LATERAL (
		SELECT max(abs(u.value - p.value)) AS max_abs_error,
			count(*) FILTER (WHERE u.ts IS DISTINCT FROM p.ts) AS ts_mismatches,
			count(u.n) AS decoded,
			count(p.n) AS original
		FROM unnest(s.data) WITH ORDINALITY AS u(ts, value, n)
			FULL JOIN (SELECT q.ts, q.value, row_number() OVER (ORDER BY q.ts) AS n
					   FROM points q WHERE q.series = s.name) p ON p.n = u.n) o;

SELECT s.name AS series,
	st.points,
	st.compressed_size AS "cts bytes",
	round(st.compressed_size::numeric / nullif(st.points, 0), 2) AS "cts B/pt",
	ps.heap_bytes AS "plain bytes",
	round(ps.heap_bytes::numeric / nullif(st.points, 0), 1) AS "plain B/pt",
	round(ps.heap_bytes::numeric / st.compressed_size, 1) AS "x smaller",
	max_error(s.data)::numeric(20, 6) AS max_error,
	o.max_abs_error::numeric(20, 6) AS observed
FROM series s
	CROSS JOIN LATERAL compression_stats(s.data) st
	JOIN plain_size ps USING (id)
	JOIN observed o USING (id)
ORDER BY s.id;

SELECT count(*) AS series,
	sum(st.points) AS points,
	sum(st.compressed_size) AS "cts bytes",
	round(sum(st.compressed_size)::numeric / sum(st.points), 2) AS "cts B/pt",
	sum(ps.heap_bytes) AS "plain bytes (per-series tables)",
	round(sum(ps.heap_bytes)::numeric / sum(st.points), 1) AS "plain B/pt",
	round(sum(ps.heap_bytes)::numeric / sum(st.compressed_size), 1) AS "x smaller"
FROM series s
	CROSS JOIN LATERAL compression_stats(s.data) st
	JOIN plain_size ps USING (id);

\echo 'All points in one table each way (pg_total_relation_size: heap, TOAST and indexes):'
SELECT pg_size_pretty(pg_total_relation_size('series')) AS "series (a compact_ts per row, 2 indexes)",
	pg_size_pretty(pg_total_relation_size('plain.all_points')) AS "plain.all_points (one row per point, no index)";

\echo
\echo 'Every point decoded, timestamps exact, values within max_error:'
SELECT count(*) AS series,
	sum(o.decoded) AS points_decoded,
	sum(o.original) AS points_loaded,
	sum(o.ts_mismatches) AS timestamp_mismatches,
	count(*) FILTER (WHERE o.max_abs_error <= max_error(s.data)) AS series_within_bound
FROM observed o JOIN series s USING (id);

\echo
\echo '== 4. A few queries =='
\echo
\echo '-- the first 5 points of a series (unnest returns (ts, value) rows in time order)'
\echo 'SELECT * FROM unnest((SELECT data FROM series WHERE name = ''seattle_hourly.temperature'')) LIMIT 5;'
SELECT * FROM unnest((SELECT data FROM series WHERE name = 'seattle_hourly.temperature')) LIMIT 5;
\echo 'The same rows from the plain table:'
SELECT ts, value FROM points WHERE series = 'seattle_hourly.temperature' ORDER BY ts LIMIT 5;

\echo
\echo '-- min / max / avg: from the compact_ts block summaries (no decoding) and from the plain rows'
SELECT s.name AS series,
	min_value(s.data) AS cts_min, p.min AS plain_min,
	max_value(s.data) AS cts_max, p.max AS plain_max,
	round(avg_value(s.data)::numeric, 6) AS cts_avg,
	round(p.avg::numeric, 6) AS plain_avg,
	min_value(s.data) = p.min AND max_value(s.data) = p.max AS "min, max exact"
FROM series s
	JOIN (SELECT series, min(value), max(value), avg(value)
		  FROM points GROUP BY series) p ON p.series = s.name
WHERE s.name IN ('seattle_hourly.temperature', 'co2.CO2', 'github.count', 'stocks.GOOG',
				 'global_temp.temp', 'weather.New York.temp_min')
ORDER BY s.id;

\echo
\echo '-- the text literal of a tiny series: the first 4 points of sp500'
\echo '-- (its codec, then the points; values with two decimals are stored exactly)'
CREATE TEMP TABLE tiny AS
SELECT compact_ts_agg(ts, value) AS data
FROM (SELECT ts, value FROM points WHERE series = 'sp500.price' ORDER BY ts LIMIT 4) p;
SELECT data::text AS "sp500, 4 points" FROM tiny;
\echo '-- a literal casts back to the identical value'
SELECT data::text::compact_ts = data AS "in(out(x)) = x" FROM tiny;
\echo '-- a literal can also be written by hand, and is encoded afresh'
SELECT '{2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}'::compact_ts AS literal;

\echo
\echo '-- compression_stats(data): points, 16 B per point original, stored size, ratio'
SELECT s.name AS series, st.points, st.original_size, st.compressed_size, st.bytes_saved,
	round(st.compression_ratio::numeric, 4) AS compression_ratio
FROM series s CROSS JOIN LATERAL compression_stats(s.data) st
ORDER BY st.compression_ratio DESC, s.id;

\echo
\echo '-- time_range, and back to arrays: timestamps(data), value_array(data)'
SELECT name, time_range(data),
	(timestamps(data))[1:3] AS "timestamps(data)[1:3]",
	(value_array(data))[1:3] AS "value_array(data)[1:3]",
	cardinality(value_array(data)) AS cardinality
FROM series WHERE name = 'iowa.Renewables';

\echo
\echo '== 5. Ranges, buckets and shapes, read from the blocks they need =='
\echo
\echo '-- the shape of every series at a glance: sparkline(data, 40), one character per equal stretch'
\echo '-- of time, the height of its average (a space: no point in that stretch, as in the yearly series)'
SELECT name, length(data) AS points, sparkline(data, 40) FROM series ORDER BY id;

\echo
\echo '-- one month of the hourly Seattle temperatures: from the block summaries, against the plain rows'
SELECT 'compact_ts' AS source, st.points, st.min, st.max, round(st.avg::numeric, 4) AS avg, st.decoded_points
FROM series s, range_stats(s.data, tstzrange('2010-07-01', '2010-08-01')) st
WHERE s.name = 'seattle_hourly.temperature'
UNION ALL
SELECT 'plain rows', count(*), min(value), max(value), round(avg(value)::numeric, 4), NULL
FROM points WHERE series = 'seattle_hourly.temperature' AND ts >= '2010-07-01' AND ts < '2010-08-01';

\echo
\echo '-- a day in buckets of 6 hours (date_bin rules), and the value at a time'
SELECT b.bucket, b.points, b.min, b.max, round(b.avg::numeric, 2) AS avg
FROM series s, buckets(slice(s.data, tstzrange('2010-07-04', '2010-07-05')), '6 hours') b
WHERE s.name = 'seattle_hourly.temperature';
SELECT value_at(data, '2010-07-04 12:00+00') AS at_noon,
	   value_at(data, '2010-07-04 12:30+00') AS between_points,
	   value_at(data, '2010-07-04 12:30+00', interpolate => true) AS interpolated
FROM series WHERE name = 'seattle_hourly.temperature';

\echo
\echo '-- appending: the blocks of both are copied, nothing is decoded or re-quantized'
SELECT length(a || b) = length(a) + length(b) AS all_points,
	   sparkline(a || b, 24) AS joined, sparkline(a, 12) AS first_half, sparkline(b, 12) AS second_half
FROM (SELECT slice(data, tstzrange(NULL, '2010-07-01')) AS a, slice(data, tstzrange('2010-07-01', NULL)) AS b
	  FROM series WHERE name = 'seattle_hourly.temperature') s;

\echo
\echo '-- unnest in FROM runs as chronos''s scan node: points go straight to the executor, and blocks'
\echo '-- that a WHERE on ts rules out are not decoded (8,759 points are one block: nothing to skip here)'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)
SELECT count(*) FROM series s, unnest(s.data) u
WHERE s.name = 'seattle_hourly.temperature' AND u.ts >= '2010-07-04' AND u.ts < '2010-07-05';

\echo
\echo 'Done.  The cluster and everything in it is dropped now (pg_virtualenv).'
