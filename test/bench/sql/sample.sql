-- test/bench/sql/sample.sql
--	Loads every series of the sample data (data/*.csv, vega-datasets) and
--	stores it in each form row 1 compares.  Run by run.sh with psql from the
--	top directory of the repository (the \copy paths are relative to it).
--	psql variable :lossless is true when compact_ts_agg(ts, v, codec) exists.
--	The CSV conversions are those of demo/demo.sql (times without a zone
--	are UTC; nothing depends on DateStyle).
--
--	Tables:
--	  sample_points (series text, ts, value)  every point, staging
--	  sample_series (id, name, points)         one row per series
--	  s_heap, s_pk, s_arr, s_q16, s_lossless   all series in one table per
--	      form: pg_total_relation_size gives the totals of row 1, and
--	      pg_column_size of each series' values the per-series detail

SET client_min_messages = warning;
SET TimeZone = 'UTC';

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

CREATE TABLE sample_points (series text NOT NULL, ts timestamptz NOT NULL, value float8 NOT NULL);

INSERT INTO sample_points
SELECT 'seattle_hourly.' || c.col, h.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_seattle_hourly h,
	LATERAL (VALUES ('pressure', h.pressure), ('temperature', h.temperature),
					('wind', h.wind)) AS c(col, val);
INSERT INTO sample_points
SELECT 'seattle_daily.' || c.col, d.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_seattle_daily d,
	LATERAL (VALUES ('precipitation', d.precipitation), ('temp_max', d.temp_max),
					('temp_min', d.temp_min), ('wind', d.wind)) AS c(col, val);
INSERT INTO sample_points
SELECT 'weather.' || w.location || '.' || c.col, w.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_weather w,
	LATERAL (VALUES ('precipitation', w.precipitation), ('temp_max', w.temp_max),
					('temp_min', w.temp_min), ('wind', w.wind)) AS c(col, val);
INSERT INTO sample_points
SELECT 'co2.' || c.col, s.date::timestamp AT TIME ZONE 'UTC', c.val::float8
FROM st_co2 s,
	LATERAL (VALUES ('CO2', s.co2), ('adjusted CO2', s.adjusted_co2)) AS c(col, val);
INSERT INTO sample_points
SELECT 'github.count', to_timestamp(g.time, 'YYYY/MM/DD HH24:MI:SS'), g.count::float8
FROM st_github g;
INSERT INTO sample_points
SELECT 'stocks.' || s.symbol, to_date(s.date, 'Mon DD YYYY')::timestamp AT TIME ZONE 'UTC',
	s.price::float8
FROM st_stocks s;
INSERT INTO sample_points
SELECT 'sp500.price', to_date(s.date, 'Mon DD YYYY')::timestamp AT TIME ZONE 'UTC', s.price::float8
FROM st_sp500 s;
INSERT INTO sample_points
SELECT 'global_temp.temp', make_timestamptz(g.year::int, 1, 1, 0, 0, 0, 'UTC'), g.temp::float8
FROM st_global_temp g;
INSERT INTO sample_points
SELECT 'iowa.' || i.source, i.year::timestamp AT TIME ZONE 'UTC', i.net_generation::float8
FROM st_iowa i;

CREATE TABLE sample_series AS
SELECT (row_number() OVER (ORDER BY series))::int AS id, series AS name, count(*) AS points
FROM sample_points GROUP BY series;

-- all series together, one table per form (series as an int id, as in the
-- generated set)
CREATE TABLE s_heap (series int NOT NULL, ts timestamptz NOT NULL, value float8 NOT NULL);
INSERT INTO s_heap SELECT s.id, p.ts, p.value
FROM sample_points p JOIN sample_series s ON s.name = p.series ORDER BY s.id, p.ts;
CREATE TABLE s_pk (series int, ts timestamptz, value float8 NOT NULL, PRIMARY KEY (series, ts));
INSERT INTO s_pk SELECT * FROM s_heap ORDER BY series, ts;
CREATE TABLE s_arr (series int NOT NULL, ts timestamptz[] NOT NULL, value float8[] NOT NULL);
INSERT INTO s_arr SELECT series, array_agg(ts ORDER BY ts), array_agg(value ORDER BY ts)
FROM s_heap GROUP BY series ORDER BY series;
CREATE TABLE s_q16 (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO s_q16 SELECT series, compact_ts_agg(ts, value) FROM s_heap GROUP BY series ORDER BY series;
\if :lossless
CREATE TABLE s_lossless (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO s_lossless SELECT series, compact_ts_agg(ts, value, 'lossless')
FROM s_heap GROUP BY series ORDER BY series;
\endif

ANALYZE;
