--
-- stream: the streaming file readers (src/stream.c, issue 10):
-- chronos_read_csv, chronos_import_csv, chronos_file_chunks, chronos_chunks.
--
-- The real files of data/ are read and imported and compared with COPY of
-- the same file into a plain table (every point present, values equal, or
-- within max_error for a lossy codec).  Small crafted files, written by
-- this test under results/ with printf, cover every rule: quotes, CRLF, BOM,
-- delimiters, missing cells, each malformed shape in both on_error modes,
-- each time format (and the ISO fast path against timestamptz_in in three
-- time zones), empty and special files, privileges, the arguments, and the
-- import's segments, order and codecs.
--
-- Messages name the file in their CONTEXT, which psql does not show here
-- (SHOW_CONTEXT never): paths differ between checkouts.  Errors whose
-- message holds a path go through try(), which replaces the directories
-- with <data>/ and <results>/.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set VERBOSITY default
\set SHOW_CONTEXT never
\pset null '(null)'
-- chronos's settings exist once the library is loaded
LOAD 'chronos';

\getenv abs_srcdir PG_ABS_SRCDIR
\getenv abs_builddir PG_ABS_BUILDDIR
\set data :abs_srcdir '/data/'
\set res :abs_builddir '/results/'
SELECT set_config('stream_test.data', :'data', false) IS NOT NULL AS data_set,
       set_config('stream_test.res', :'res', false) IS NOT NULL AS res_set;

-- mask(text): the directories replaced by <data>/ and <results>/
CREATE FUNCTION mask(t text) RETURNS text LANGUAGE sql AS $$
	SELECT replace(replace(t, current_setting('stream_test.data'), '<data>/'),
				   current_setting('stream_test.res'), '<results>/')
$$;

-- try(statement): its SQLSTATE, message, detail, hint and context, masked
CREATE FUNCTION try(stmt text,
	OUT state text, OUT message text, OUT detail text, OUT hint text, OUT context text)
	LANGUAGE plpgsql AS $$
DECLARE
	ctx text;
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
	message := mask(message);
	detail := mask(nullif(detail, ''));
	hint := nullif(hint, '');
	-- the first line: chronos's own context (PL/pgSQL's follows)
	context := mask(nullif(split_part(ctx, E'\n', 1), ''));
	IF context NOT LIKE 'chronos_%' THEN
		context := NULL;
	END IF;
END
$$;

-- ---------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------
SHOW chronos.stream_window_kb;
SHOW chronos.stream_method;
SELECT name, setting, unit, context, vartype, min_val, max_val, enumvals
FROM pg_settings WHERE name IN ('chronos.stream_window_kb', 'chronos.stream_method')
ORDER BY name;
SET chronos.stream_window_kb = 64;
SET chronos.stream_window_kb = '1GB';
SHOW chronos.stream_window_kb;
-- just past the bounds (SQLSTATE only: the wording differs between versions)
SELECT state FROM try('SET chronos.stream_window_kb = 63');
SELECT state FROM try('SET chronos.stream_window_kb = 1048577');
SET chronos.stream_method = 'mmap';
SELECT state FROM try('SET chronos.stream_method = ''read''');
RESET chronos.stream_window_kb;
RESET chronos.stream_method;

-- declarations: volatility, strictness, parallel safety, who may call
SELECT p.proname, p.provolatile, p.proisstrict, p.proparallel,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_may,
       has_function_privilege('pg_read_server_files', p.oid, 'EXECUTE') AS read_server_files_may
FROM pg_proc p
WHERE p.proname IN ('chronos_read_csv', 'chronos_import_csv', 'chronos_file_chunks', 'chronos_chunks')
ORDER BY p.proname;

-- ---------------------------------------------------------------------
-- The files of data/, against COPY of the same file
-- ---------------------------------------------------------------------

-- stocks.csv: a key column, 'Jan 1 2000' dates (timestamptz_in)
CREATE TABLE stocks (symbol text, date timestamptz, price float8);
\copy stocks FROM 'data/stocks.csv' WITH (FORMAT csv, HEADER)
SELECT * FROM chronos_read_csv(:'data' || 'stocks.csv', time_column => 'date', key_column => 'symbol')
LIMIT 3;
SELECT count(*) AS rows,
       (SELECT count(*) FROM stocks) AS copied,
       count(*) FILTER (WHERE (series, ts, value) NOT IN (SELECT symbol, date, price FROM stocks)) AS not_in_copy
FROM chronos_read_csv(:'data' || 'stocks.csv', time_column => 'date', key_column => 'symbol');
-- the time column defaults to the first column that is not the key
SELECT count(*) FROM chronos_read_csv(:'data' || 'stocks.csv', key_column => 'symbol');

-- imported, lossless: every point, equal; quant16: within max_error
CREATE TABLE stock_segments AS
SELECT * FROM chronos_import_csv(:'data' || 'stocks.csv', key_column => 'symbol', codec => 'lossless');
SELECT series, length(segment), first_time(segment), last_time(segment), codec(segment)
FROM stock_segments ORDER BY series;
SELECT count(*) AS points,
       count(*) FILTER (WHERE (s.series, u.ts, u.value) IN (SELECT symbol, date, price FROM stocks)) AS equal
FROM stock_segments s, unnest(s.segment) u;
SELECT s.series, length(s.segment) = (SELECT count(*) FROM stocks WHERE symbol = s.series) AS all_points,
       (SELECT bool_and(abs(u.value - p.price) <= max_error(s.segment))
        FROM (SELECT u.*, row_number() OVER (ORDER BY u.ts) AS rn FROM unnest(s.segment) u) u
        JOIN (SELECT p.*, row_number() OVER (ORDER BY p.date) AS rn FROM stocks p
              WHERE p.symbol = s.series) p ON p.rn = u.rn AND p.date = u.ts) AS within_max_error
FROM chronos_import_csv(:'data' || 'stocks.csv', key_column => 'symbol') s
ORDER BY s.series;

-- weather.csv: a key column, several value columns (series key/column), a
-- text column left out
CREATE TABLE weather (location text, date timestamptz, precipitation float8, temp_max float8,
                      temp_min float8, wind float8, weather text);
\copy weather FROM 'data/weather.csv' WITH (FORMAT csv, HEADER)
SELECT series, count(*), min(ts), max(ts), round(sum(value)::numeric, 6) AS sum
FROM chronos_read_csv(:'data' || 'weather.csv', time_column => 'date', key_column => 'location')
GROUP BY series ORDER BY series;
SELECT count(*) AS rows, count(*) FILTER (WHERE NOT EXISTS (
         SELECT 1 FROM weather w, LATERAL (VALUES ('precipitation', w.precipitation), ('temp_max', w.temp_max),
                                                   ('temp_min', w.temp_min), ('wind', w.wind)) v(col, val)
         WHERE w.location || '/' || v.col = r.series AND w.date = r.ts AND v.val = r.value)) AS not_in_copy
FROM chronos_read_csv(:'data' || 'weather.csv', key_column => 'location') r;
SELECT series, length(segment), max_error(segment) < 0.01 AS small_error
FROM chronos_import_csv(:'data' || 'weather.csv', key_column => 'location',
                        value_columns => ARRAY['temp_max', 'wind'], segment_size => 1000)
ORDER BY series, first_time(segment);

-- co2-concentration.csv: a column name with a space
CREATE TABLE co2 (date timestamptz, co2 float8, adjusted float8);
\copy co2 FROM 'data/co2-concentration.csv' WITH (FORMAT csv, HEADER)
SELECT series, count(*),
       count(*) FILTER (WHERE (ts, value) IN (SELECT date, CASE WHEN series = 'CO2' THEN co2 ELSE adjusted END FROM co2)) AS equal
FROM chronos_read_csv(:'data' || 'co2-concentration.csv') GROUP BY series ORDER BY series;
SELECT series, length(segment), first_time(segment), last_time(segment)
FROM chronos_import_csv(:'data' || 'co2-concentration.csv', value_columns => ARRAY['adjusted CO2'])
ORDER BY 1;

-- global-temp.csv: CRLF line ends, bare years (January 1 in the session time zone)
CREATE TABLE global_temp (year int, temp float8);
\copy global_temp FROM 'data/global-temp.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (ts, value) IN (SELECT make_timestamptz(year, 1, 1, 0, 0, 0), temp FROM global_temp)) AS equal
FROM chronos_read_csv(:'data' || 'global-temp.csv');
SET TimeZone = 'America/New_York';
SELECT min(ts), max(ts) FROM chronos_read_csv(:'data' || 'global-temp.csv');
SELECT count(*) FILTER (WHERE (ts, value) IN (SELECT make_timestamptz(year, 1, 1, 0, 0, 0), temp FROM global_temp)) AS equal
FROM chronos_read_csv(:'data' || 'global-temp.csv');
SET TimeZone = 'UTC';

-- github.csv: '2015/01/01 01:00:00'
CREATE TABLE github (time timestamptz, count float8);
\copy github FROM 'data/github.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (ts, value) IN (SELECT time, count FROM github)) AS equal
FROM chronos_read_csv(:'data' || 'github.csv');

-- sp500.csv ('Jan 1 2000'), iowa-electricity.csv (key), the hourly normals ('T')
CREATE TABLE sp500 (date timestamptz, price float8);
\copy sp500 FROM 'data/sp500.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS rows, count(*) FILTER (WHERE (ts, value) IN (SELECT date, price FROM sp500)) AS equal
FROM chronos_read_csv(:'data' || 'sp500.csv');
CREATE TABLE iowa (year timestamptz, source text, net_generation float8);
\copy iowa FROM 'data/iowa-electricity.csv' WITH (FORMAT csv, HEADER)
SELECT series, length(segment),
       (SELECT array_agg(u.value ORDER BY u.ts) FROM unnest(segment) u) =
       (SELECT array_agg(net_generation ORDER BY year) FROM iowa WHERE source = series) AS equal
FROM chronos_import_csv(:'data' || 'iowa-electricity.csv', time_column => 'year',
                        key_column => 'source', codec => 'lossless')
ORDER BY series;
CREATE TABLE normals (date timestamptz, pressure float8, temperature float8, wind float8);
\copy normals FROM 'data/seattle-weather-hourly-normals.csv' WITH (FORMAT csv, HEADER)
SELECT series, length(segment) AS points,
       (SELECT count(*) FROM normals) AS copied
FROM (SELECT series, compact_ts_agg(u.ts, u.value, 'lossless') AS segment
      FROM chronos_import_csv(:'data' || 'seattle-weather-hourly-normals.csv', codec => 'lossless') s,
           unnest(s.segment) u GROUP BY series) x
ORDER BY series;
SELECT count(*) AS points, count(*) FILTER (WHERE (u.ts, u.value) IN (SELECT date, temperature FROM normals)) AS equal
FROM chronos_import_csv(:'data' || 'seattle-weather-hourly-normals.csv',
                        value_columns => ARRAY['temperature'], codec => 'lossless') s, unnest(s.segment) u;

-- ---------------------------------------------------------------------
-- Crafted files: the tokenizer's rules
-- ---------------------------------------------------------------------

-- quotes: delimiters, doubled quotes and line breaks inside quoted fields
\! printf 'key,ts,v\n"a,b",2020-01-01,1\n"say ""hi""",2020-01-01,2\n"two\nlines",2020-01-01,"3"\n' > results/quotes.csv
SELECT series, ts, value FROM chronos_read_csv(:'res' || 'quotes.csv', key_column => 'key');
-- CRLF line ends, a UTF-8 byte order mark, a last line without a line end
\! printf '\357\273\277ts,v\r\n2020-01-01,1\r\n2020-01-02,2' > results/bom_crlf.csv
SELECT * FROM chronos_read_csv(:'res' || 'bom_crlf.csv');
-- another delimiter, no header (columns column1, column2, ...)
\! printf '2020-01-01;1.5;x\n2020-01-02;2.5;y\n' > results/semicolon.csv
SELECT * FROM chronos_read_csv(:'res' || 'semicolon.csv', header => false, delimiter => ';');
SELECT * FROM chronos_read_csv(:'res' || 'semicolon.csv', header => false, delimiter => ';',
                               time_column => 'column1', value_columns => ARRAY['column2']);
\! printf 'ts\tv\n2020-01-01\t7\n' > results/tab.csv
SELECT * FROM chronos_read_csv(:'res' || 'tab.csv', delimiter => E'\t');
-- blank lines are skipped (and counted); a line of spaces is a record
\! printf 'ts,v\n\n2020-01-01,1\n\r\n2020-01-02,2\n\n' > results/blank.csv
SELECT * FROM chronos_read_csv(:'res' || 'blank.csv');

-- missing cells (empty, NA, N/A, null, NaN) are skipped and counted in one
-- NOTICE, whose counts add up to the file's lines
\! printf 'ts,a,b\n2020-01-01,1,\n2020-01-02,NA,2\n2020-01-03,N/A,NaN\n2020-01-04,null,-nan\n\n2020-01-05, 5 ,6\n' > results/missing.csv
SELECT * FROM chronos_read_csv(:'res' || 'missing.csv');
SELECT series, length(segment) FROM chronos_import_csv(:'res' || 'missing.csv') ORDER BY 1;
-- a clean file reports the same at DEBUG1 only: no NOTICE here (DEBUG1 is
-- not shown, as the memory manager's DEBUG1 lines differ between versions)
SELECT count(*) FROM chronos_read_csv(:'res' || 'bom_crlf.csv');

-- ---------------------------------------------------------------------
-- Malformed lines: 22P02 with the line and its text; on_error => 'skip'
-- ---------------------------------------------------------------------
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,a"b\n2020-01-03,3\n' > results/bad_quote_in_field.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,"2"x\n2020-01-03,3\n' > results/bad_after_quote.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,2\r2020-01-03,3\n2020-01-04,4\n' > results/bad_lone_cr.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,2,2\n2020-01-03,3\n' > results/bad_too_many.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02\n2020-01-03,3\n' > results/bad_too_few.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,"2\n2020-01-03,3\n' > results/bad_unterminated.csv
\! printf 'ts,v\n2020-01-01,1\nyesterday-ish,2\n2020-01-03,3\n' > results/bad_time.csv
\! printf 'ts,v\n2020-01-01,1\n,2\n2020-01-03,3\n' > results/bad_empty_time.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,12abc\n2020-01-03,3\n' > results/bad_value.csv
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,1e400\n2020-01-03,3\n' > results/bad_range.csv
CREATE TABLE bad_files (name text);
INSERT INTO bad_files VALUES ('bad_quote_in_field'), ('bad_after_quote'), ('bad_lone_cr'),
	('bad_too_many'), ('bad_too_few'), ('bad_unterminated'), ('bad_time'), ('bad_empty_time'),
	('bad_value'), ('bad_range');
SELECT name, (t).*
FROM bad_files, LATERAL try(format('SELECT count(*) FROM chronos_read_csv(%L)',
                                   current_setting('stream_test.res') || name || '.csv')) t
ORDER BY name;
-- skipped: a WARNING each, then the counts
SELECT * FROM chronos_read_csv(:'res' || 'bad_quote_in_field.csv', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'bad_lone_cr.csv', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'bad_too_many.csv', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'bad_too_few.csv', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'bad_unterminated.csv', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'bad_time.csv', on_error => 'skip');
SELECT series, length(segment) FROM chronos_import_csv(:'res' || 'bad_value.csv', on_error => 'skip');
SELECT series, length(segment) FROM chronos_import_csv(:'res' || 'bad_range.csv', on_error => 'skip');
-- more than five skipped lines: five WARNINGs, all of them counted
\! (printf 'ts,v\n'; for i in 1 2 3 4 5 6 7 8; do printf '2020-01-0%s,x\n2020-01-0%s,%s\n' $i $i $i; done) > results/bad_many.csv
SELECT count(*) FROM chronos_read_csv(:'res' || 'bad_many.csv', value_columns => '{v}', on_error => 'skip');
-- a value column is one whose sampled cells are more often numbers than
-- other text: here v is not (as many x as numbers)
SELECT state, message FROM try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'bad_many.csv'));
-- a malformed header is an error even with 'skip'
\! printf 'ts,"v\n2020-01-01,1\n' > results/bad_header.csv
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, on_error => %L)',
                   :'res' || 'bad_header.csv', 'skip'))).*;

-- a NUL byte: not a text file; a line longer than the window
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,\000x\n' > results/binary.csv
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, on_error => %L)',
                   :'res' || 'binary.csv', 'skip'))).*;
\! (printf 'ts,v\n2020-01-01,1\n2020-01-02,0.'; head -c 70000 /dev/zero | tr '\0' 7; printf '\n') > results/long_line.csv
\! (printf 'ts,v\n2020-01-01,1\n2020-01-02,"'; head -c 70000 /dev/zero | tr '\0' 7; printf '\n') > results/long_quote.csv
SET chronos.stream_window_kb = 64;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'long_line.csv'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'long_quote.csv'))).*;
SET chronos.stream_window_kb = 128;
SELECT count(*), max(value) FROM chronos_read_csv(:'res' || 'long_line.csv');
RESET chronos.stream_window_kb;

-- records across window boundaries: the same rows through 64 kB windows,
-- both methods (multi-line quoted keys, CRLF, doubled quotes)
CREATE TABLE crafted AS
SELECT i, CASE WHEN i % 7 = 0 THEN E'k\n' || (i % 3) WHEN i % 5 = 0 THEN 'k"' || (i % 3) ELSE 'k' || (i % 3) END AS k,
       timestamptz '2020-01-01' + i * interval '1 minute' AS ts, i * 0.25 AS v
FROM generate_series(1, 20000) i;
\copy (SELECT k, ts, v FROM crafted ORDER BY i) TO 'results/windows.csv' WITH (FORMAT csv, HEADER)
SET chronos.stream_window_kb = 64;
SELECT count(*) AS rows,
       (SELECT count(*) FROM (SELECT * FROM chronos_read_csv(:'res' || 'windows.csv', key_column => 'k')
                              EXCEPT ALL SELECT k, ts, v FROM crafted) x) AS not_in_file
FROM chronos_read_csv(:'res' || 'windows.csv', key_column => 'k');
SET chronos.stream_method = 'mmap';
SELECT count(*) AS rows,
       (SELECT count(*) FROM (SELECT * FROM chronos_read_csv(:'res' || 'windows.csv', key_column => 'k')
                              EXCEPT ALL SELECT k, ts, v FROM crafted) x) AS not_in_file
FROM chronos_read_csv(:'res' || 'windows.csv', key_column => 'k');
SELECT count(*) AS segments, sum(length(segment)) AS points
FROM chronos_import_csv(:'res' || 'windows.csv', key_column => 'k', segment_size => 1000);
RESET chronos.stream_method;
RESET chronos.stream_window_kb;

-- ---------------------------------------------------------------------
-- Times
-- ---------------------------------------------------------------------

-- the ISO fast path gives exactly what timestamptz_in gives, in three time
-- zones (DST gaps and overlaps, leap days, zones, fractions; the shapes it
-- does not recognize go to timestamptz_in itself)
CREATE TABLE shapes AS
SELECT n::int AS id, t FROM unnest(ARRAY[
	'2024-02-29', '2000-02-29 23:59:59.999999', '2021-03-14 02:30:00', '2021-03-14 01:59:59',
	'2021-03-14 03:00:00', '2021-11-07 01:30:00', '2021-11-07 00:59:59.5', '2021-03-28 02:30:00',
	'2021-10-31 02:30:00', '2021-10-31 03:00:00', '1900-01-01 00:00:00', '1883-11-18 12:03:57',
	'0001-01-01 00:00:00', '9999-12-31 23:59:59.999999', '2020-01-01T10:20', '2020-01-01T10:20:30.5Z',
	'2020-01-01 10:20:30+05:30', '2020-01-01 10:20:30 +0530', '2020-01-01 10:20:30-08',
	'2020-01-01 10:20:30 UTC', '2020-01-01 10:20:30z', '2020/06/15 12:00:00', '2020/06/15',
	'  2020-06-15 12:00  ', '2020-06-15 12:00:00.1234567', '2020-06-15 24:00:00',
	'2020-06-15t12:00', '2020-06-15 12:00:00 Europe/Paris', '2020-06-15 12:00:00 EST',
	'June 15 2020 12:00', '15 Jun 2020', '2020-06-15 12:00:00+14', '2020-06-15 12:00:00-15:59',
	'epoch', '20200615T120000'
]) WITH ORDINALITY AS x(t, n);
\copy (SELECT t, id FROM shapes ORDER BY id) TO 'results/shapes.csv' WITH (FORMAT csv, HEADER)
SET TimeZone = 'America/New_York';
SELECT count(*) AS shapes, count(*) FILTER (WHERE r.ts = s.t::timestamptz) AS equal
FROM chronos_read_csv(:'res' || 'shapes.csv') r JOIN shapes s ON s.id = r.value;
SET TimeZone = 'Europe/Berlin';
SELECT count(*) AS shapes, count(*) FILTER (WHERE r.ts = s.t::timestamptz) AS equal
FROM chronos_read_csv(:'res' || 'shapes.csv') r JOIN shapes s ON s.id = r.value;
SET TimeZone = 'UTC';
SELECT count(*) AS shapes, count(*) FILTER (WHERE r.ts = s.t::timestamptz) AS equal
FROM chronos_read_csv(:'res' || 'shapes.csv') r JOIN shapes s ON s.id = r.value;
-- DateStyle decides ambiguous dates, as for timestamptz_in
\! printf 'ts,v\n01/02/2020,1\n' > results/mdy.csv
SET DateStyle = 'ISO, DMY';
SELECT ts FROM chronos_read_csv(:'res' || 'mdy.csv');
SET DateStyle = 'ISO, MDY';
SELECT ts FROM chronos_read_csv(:'res' || 'mdy.csv');
SET DateStyle = 'ISO, YMD';
-- a bare year is January 1 in the session time zone
\! printf 'year,v\n1999,1\n2000,2\n' > results/years.csv
SET TimeZone = 'Europe/Berlin';
SELECT ts, value FROM chronos_read_csv(:'res' || 'years.csv');
SET TimeZone = 'UTC';
-- epoch seconds and milliseconds, as to_timestamp()
\! printf 'ts,v\n0,1\n1577836800,2\n1577836800.5,3\n-1.25,4\n' > results/epoch_s.csv
\! printf 'ts,v\n0,1\n1577836800123,2\n-1,3\n1.5,4\n' > results/epoch_ms.csv
SELECT ts, value, ts = to_timestamp(x) AS as_to_timestamp
FROM chronos_read_csv(:'res' || 'epoch_s.csv', time_format => 'epoch_s') r,
     (VALUES (1, 0), (2, 1577836800), (3, 1577836800.5), (4, -1.25)) v(n, x)
WHERE v.n = r.value;
SELECT ts, value FROM chronos_read_csv(:'res' || 'epoch_ms.csv', time_format => 'epoch_ms');
\! printf 'ts,v\n1e300,1\nabc,2\n' > results/epoch_bad.csv
SELECT * FROM chronos_read_csv(:'res' || 'epoch_bad.csv', time_format => 'epoch_s', on_error => 'skip');
-- 'infinity' is a time timestamptz reads
\! printf 'ts,v\ninfinity,1\n-infinity,2\n' > results/infinite_times.csv
SELECT * FROM chronos_read_csv(:'res' || 'infinite_times.csv');
SELECT length(segment), first_time(segment), last_time(segment)
FROM chronos_import_csv(:'res' || 'infinite_times.csv');

-- ---------------------------------------------------------------------
-- Values
-- ---------------------------------------------------------------------
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,-0\n2020-01-03,1e-310\n2020-01-04,0x1p3\n2020-01-05,Infinity\n2020-01-06,-inf\n2020-01-07,1.7976931348623157e308\n' > results/values.csv
SELECT ts, value FROM chronos_read_csv(:'res' || 'values.csv');
-- infinite values cannot be stored by a lossy codec: an error, or skipped
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L)', :'res' || 'values.csv'))).*;
SELECT length(segment) FROM chronos_import_csv(:'res' || 'values.csv', on_error => 'skip');
SELECT u.* FROM chronos_import_csv(:'res' || 'values.csv', codec => 'lossless') s, unnest(s.segment) u;
-- a number longer than the fast parser takes goes to float8in
\! printf 'ts,v\n2020-01-01,0.%0300d1\n2020-01-02,1%0300d\n' 0 0 > results/long_number.csv
SELECT ts, value FROM chronos_read_csv(:'res' || 'long_number.csv');

-- ---------------------------------------------------------------------
-- The import: segments, order, memory
-- ---------------------------------------------------------------------

-- segment_size points per segment, in time order per series
\! (printf 'ts,a,b\n'; for i in $(seq 10 99); do printf '2020-01-01 00:%02d:%02d,%s,-%s\n' $((i / 60)) $((i % 60)) $i $i; done) > results/ninety.csv
SELECT series, length(segment), first_time(segment), last_time(segment), sum_value(segment)
FROM chronos_import_csv(:'res' || 'ninety.csv', segment_size => 40)
ORDER BY series, first_time(segment);
-- unsorted within what a buffer holds: sorted (duplicates kept, in file order)
\! printf 'ts,v\n2020-01-03,3\n2020-01-01,1\n2020-01-02,2\n2020-01-02,2.5\n2020-01-01,1.5\n' > results/unsorted.csv
SELECT u.* FROM chronos_import_csv(:'res' || 'unsorted.csv', codec => 'lossless') s, unnest(s.segment) u;
-- a little late across a segment boundary: the tail a full buffer keeps
-- back (segment_size / 16 points) takes it; without it, an error that says so
\! (printf 'ts,v\n'; for i in $(seq 1000 1099); do [ $i = 1065 ] || printf '2020-01-01 00:%02d:%02d,%s\n' $((i / 60 % 60)) $((i % 60)) $i; [ $i = 1090 ] && printf '2020-01-01 00:17:45,1065\n'; done) > results/late.csv
SELECT length(segment), first_time(segment), last_time(segment)
FROM chronos_import_csv(:'res' || 'late.csv', segment_size => 64) ORDER BY 2;
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L, segment_size => 16)',
                   :'res' || 'late.csv'))).*;
-- the codec, and chronos.default_codec
SELECT DISTINCT codec(segment) FROM chronos_import_csv(:'res' || 'ninety.csv', codec => 'quant8');
SET chronos.default_codec = 'lossless';
SELECT DISTINCT codec(segment) FROM chronos_import_csv(:'res' || 'ninety.csv');
RESET chronos.default_codec;
SET chronos.chunk_size = 100;
SELECT length(segment) FROM chronos_import_csv(:'res' || 'ninety.csv', value_columns => ARRAY['a']);
RESET chronos.chunk_size;

-- many series, a small memory limit: buffers write early, nothing is lost,
-- and the accounting is back where it was
CREATE TABLE many AS
SELECT 'sensor' || (i % 3000) AS k, timestamptz '2020-01-01' + (i / 3000) * interval '1 s' AS ts,
       (i % 1000) / 4.0 AS v
FROM generate_series(0, 299999) i;
\copy (SELECT k, ts, v FROM many ORDER BY ts, k) TO 'results/many.csv' WITH (FORMAT csv, HEADER)
SET chronos.max_memory_mb = 8;
SELECT chronos_memory_reset_peak();
SELECT count(*) AS segments, count(DISTINCT series) AS series, sum(length(segment)) AS points,
       count(*) > count(DISTINCT series) AS written_early
FROM chronos_import_csv(:'res' || 'many.csv', key_column => 'k');
SELECT used_memory_mb = 0 AS released, peak_memory_mb <= 8 AS within_limit FROM chronos_memory_stats();
CREATE TABLE many_imported AS
SELECT s.series, u.ts, u.value
FROM chronos_import_csv(:'res' || 'many.csv', key_column => 'k', codec => 'lossless') s, unnest(s.segment) u;
SELECT (SELECT count(*) FROM many_imported) AS points,
       (SELECT count(*) FROM (SELECT * FROM many_imported EXCEPT ALL SELECT * FROM many) x) AS not_in_file,
       (SELECT count(*) FROM (SELECT * FROM many EXCEPT ALL SELECT * FROM many_imported) x) AS not_imported;
RESET chronos.max_memory_mb;

-- an early end (LIMIT) and an error leave nothing behind
SELECT chronos_read_csv(:'res' || 'many.csv', key_column => 'k') LIMIT 2;
SELECT (chronos_import_csv(:'res' || 'many.csv', key_column => 'k', segment_size => 50)).series LIMIT 1;
SELECT used_memory_mb FROM chronos_memory_stats();
SELECT state FROM try(format('SELECT count(*) FROM chronos_import_csv(%L)', :'res' || 'values.csv'));
SELECT used_memory_mb FROM chronos_memory_stats();
SELECT count(*) AS progress_rows FROM pg_stat_progress_copy WHERE pid = pg_backend_pid();

-- ---------------------------------------------------------------------
-- Files that are not CSV text, and privileges
-- ---------------------------------------------------------------------
\! : > results/empty.csv
\! printf 'ts,v\n' > results/header_only.csv
\! printf '\n\n\r\n' > results/blank_only.csv
SELECT * FROM chronos_read_csv(:'res' || 'empty.csv');
SELECT * FROM chronos_import_csv(:'res' || 'empty.csv');
SELECT * FROM chronos_read_csv(:'res' || 'header_only.csv');
SELECT * FROM chronos_read_csv(:'res' || 'blank_only.csv');
\! rm -f results/fifo.csv; mkfifo results/fifo.csv
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'missing.file'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'fifo.csv'))).*;
SELECT (try('SELECT count(*) FROM chronos_read_csv(''/dev/null'')')).*;
SELECT (try('SELECT count(*) FROM chronos_read_csv(''data/stocks.csv'')')).*;
SELECT (try('SELECT count(*) FROM chronos_file_chunks(''relative.csv'')')).*;

CREATE ROLE regress_stream_nobody;
CREATE ROLE regress_stream_granted;
CREATE ROLE regress_stream_reader IN ROLE pg_read_server_files;
GRANT EXECUTE ON FUNCTION chronos_read_csv(text, text, text, text[], boolean, text, text, text)
	TO regress_stream_granted;
SET ROLE regress_stream_nobody;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', current_setting('stream_test.data') || 'sp500.csv'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L)', current_setting('stream_test.data') || 'sp500.csv'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_file_chunks(%L)', current_setting('stream_test.data') || 'sp500.csv'))).*;
RESET ROLE;
SET ROLE regress_stream_granted;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', current_setting('stream_test.data') || 'sp500.csv'))).*;
RESET ROLE;
SET ROLE regress_stream_reader;
SELECT count(*) FROM chronos_read_csv(:'data' || 'sp500.csv');
SELECT count(*) FROM chronos_import_csv(:'data' || 'sp500.csv');
SELECT count(*) FROM chronos_file_chunks(:'data' || 'sp500.csv');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION chronos_read_csv(text, text, text, text[], boolean, text, text, text)
	FROM regress_stream_granted;
DROP ROLE regress_stream_nobody, regress_stream_granted, regress_stream_reader;

-- text that is not valid in the database encoding (a database of our own,
-- so that its encoding is UTF8 whatever the cluster's)
\! printf 'k,ts,v\nok,2020-01-01,1\n\377bad,2020-01-01,2\nok,2020-01-02,3\n' > results/latin1_key.csv
\! printf 'ts,\377v\n2020-01-01,1\n' > results/latin1_header.csv
\set regress_db :DBNAME
CREATE DATABASE regress_stream_utf8 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c regress_stream_utf8
CREATE EXTENSION chronos;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\set SHOW_CONTEXT never
SELECT * FROM chronos_read_csv(:'res' || 'latin1_key.csv', key_column => 'k', on_error => 'skip');
SELECT series, length(segment) FROM chronos_import_csv(:'res' || 'latin1_key.csv', key_column => 'k', on_error => 'skip');
SELECT * FROM chronos_read_csv(:'res' || 'latin1_key.csv', key_column => 'k');
SELECT * FROM chronos_read_csv(:'res' || 'latin1_header.csv');
\c :regress_db
DROP DATABASE regress_stream_utf8;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;
SELECT set_config('stream_test.data', :'data', false) IS NOT NULL AS data_set,
       set_config('stream_test.res', :'res', false) IS NOT NULL AS res_set;

-- ---------------------------------------------------------------------
-- Arguments
-- ---------------------------------------------------------------------
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, time_column => %L)', :'data' || 'stocks.csv', 'when'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, time_column => %L, key_column => %L)', :'data' || 'stocks.csv', 'date', 'date'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, value_columns => %L)', :'data' || 'stocks.csv', '{symbol}'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, key_column => %L, time_column => %L, value_columns => %L)', :'data' || 'stocks.csv', 'symbol', 'date', '{price,price}'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, value_columns => %L)', :'data' || 'stocks.csv', '{}'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, value_columns => %L)', :'data' || 'stocks.csv', '{price,NULL}'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, value_columns => %L)', :'data' || 'stocks.csv', '{{price}}'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, key_column => %L)', :'data' || 'stocks.csv', 'date'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, delimiter => %L)', :'data' || 'stocks.csv', ';;'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, delimiter => %L)', :'data' || 'stocks.csv', '"'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, delimiter => %L)', :'data' || 'stocks.csv', 'é'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, time_format => %L)', :'data' || 'stocks.csv', 'iso'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, on_error => %L)', :'data' || 'stocks.csv', 'ignore'))).*;
SELECT (try('SELECT count(*) FROM chronos_read_csv(NULL)')).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L, header => NULL)', :'data' || 'stocks.csv'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L, segment_size => 0)', :'data' || 'stocks.csv'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L, segment_size => 100000001)', :'data' || 'stocks.csv'))).*;
SELECT count(*) FROM chronos_import_csv(:'data' || 'sp500.csv', segment_size => 1);
SELECT (try(format('SELECT count(*) FROM chronos_import_csv(%L, codec => %L)', :'data' || 'stocks.csv', 'zip'))).*;
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'semicolon.csv'))).*;
\! printf 'ts,a,a\n2020-01-01,1,2\n' > results/duplicate_names.csv
SELECT (try(format('SELECT count(*) FROM chronos_read_csv(%L)', :'res' || 'duplicate_names.csv'))).*;
SELECT * FROM chronos_read_csv(:'res' || 'duplicate_names.csv', header => false, time_column => 'column1',
                               value_columns => ARRAY['column3'], on_error => 'skip');

-- ---------------------------------------------------------------------
-- chronos_file_chunks
-- ---------------------------------------------------------------------
\! printf 'ts,v\n2020-01-01,1\n2020-01-02,22\n2020-01-03,333\nlast line without LF' > results/chunks.csv
SELECT * FROM chronos_file_chunks(:'res' || 'chunks.csv', 10);
SELECT * FROM chronos_file_chunks(:'res' || 'chunks.csv', 1);
SELECT * FROM chronos_file_chunks(:'res' || 'chunks.csv');
SELECT * FROM chronos_file_chunks(:'res' || 'empty.csv');
SELECT count(*), sum(bytes), sum(lines), max(first_line)
FROM chronos_file_chunks(:'data' || 'seattle-weather-hourly-normals.csv', 4096);
SET chronos.stream_window_kb = 64;
SET chronos.stream_method = 'mmap';
SELECT count(*), sum(bytes), sum(lines), max(first_line)
FROM chronos_file_chunks(:'data' || 'seattle-weather-hourly-normals.csv', 100000);
SELECT count(*), sum(bytes), sum(lines) FROM chronos_file_chunks(:'res' || 'long_line.csv', 10);
RESET chronos.stream_method;
RESET chronos.stream_window_kb;
-- every chunk starts where the one before ended, at a line start
SELECT bool_and(byte_offset = coalesce(prev_end, 0)) AS contiguous, bool_and(first_line = coalesce(prev_line, 1)) AS lines_follow
FROM (SELECT byte_offset, first_line, lag(byte_offset + bytes) OVER w AS prev_end, lag(first_line + lines) OVER w AS prev_line
      FROM chronos_file_chunks(:'data' || 'weather.csv', 3000) WINDOW w AS (ORDER BY chunk_no)) x;
SELECT (try(format('SELECT count(*) FROM chronos_file_chunks(%L, 0)', :'res' || 'chunks.csv'))).*;
SELECT count(*) FROM chronos_file_chunks(:'res' || 'chunks.csv', NULL);

-- ---------------------------------------------------------------------
-- chronos_chunks: a stored series chunk by chunk, against unnest
-- ---------------------------------------------------------------------
CREATE TABLE series_l AS
SELECT compact_ts_agg(timestamptz '2024-01-01' + i * interval '10 s', (i % 97) * 0.5 - 10, 'lossless') AS data
FROM generate_series(1, 5000) i;
SELECT n, count(*) AS chunks, sum(c.points) AS points,
       bool_and(c.sum = u.sum AND c.min = u.min AND c.max = u.max AND c.points = u.points
                AND c.first_time = u.first_time AND c.last_time = u.last_time AND c.avg = u.sum / u.points) AS equal
FROM (VALUES (1), (7), (1000), (1024), (1025), (4999), (5000), (100000)) v(n),
     series_l s,
     LATERAL chronos_chunks(s.data, v.n) c
     JOIN LATERAL (SELECT sum(x.value) AS sum, min(x.value) AS min, max(x.value) AS max, count(*) AS points,
                          min(x.ts) AS first_time, max(x.ts) AS last_time
                   FROM (SELECT u.*, (row_number() OVER (ORDER BY u.ts) - 1) / v.n + 1 AS chunk_no
                         FROM unnest(s.data) u) x
                   WHERE x.chunk_no = c.chunk_no) u ON true
GROUP BY n ORDER BY n;
SELECT * FROM chronos_chunks((SELECT segment FROM chronos_import_csv(:'data' || 'sp500.csv', codec => 'lossless')), 50);
-- NaN, infinities and overflow as sum/min/max/avg(float8) give them, against
-- GROUP BY on the same points (each chunk a different mix; NaN first and last)
CREATE TABLE special_pts(i int, v float8);
INSERT INTO special_pts VALUES
  (1, 'NaN'), (2, 1), (3, 2),                     -- chunk 1: NaN first
  (4, 1), (5, 'Infinity'), (6, 3),                -- chunk 2: +Infinity
  (7, '-Infinity'), (8, 'Infinity'), (9, 0),      -- chunk 3: both infinities
  (10, -5), (11, 2), (12, 'NaN'),                 -- chunk 4: NaN last
  (13, 'NaN'), (14, 'NaN'), (15, 'NaN'),          -- chunk 5: all NaN
  (16, '-Infinity'), (17, 4), (18, 5);            -- chunk 6: -Infinity
SELECT c.chunk_no, c.points, c.sum, c.min, c.max, c.avg,
       c.sum IS NOT DISTINCT FROM g.sum AND c.min IS NOT DISTINCT FROM g.min
       AND c.max IS NOT DISTINCT FROM g.max AND c.avg IS NOT DISTINCT FROM g.avg AS as_group_by
FROM chronos_chunks((SELECT compact_ts_agg(timestamptz '2024-01-01' + i * interval '1 s', v, 'lossless')
                     FROM special_pts), 3) c
JOIN (SELECT (i - 1) / 3 + 1 AS chunk_no, sum(v) AS sum, min(v) AS min, max(v) AS max, avg(v) AS avg
      FROM special_pts GROUP BY 1) g USING (chunk_no)
ORDER BY chunk_no;
-- a sum beyond double precision is an error, as sum(float8) raises it
SELECT state, message, detail FROM try($$SELECT sum FROM chronos_chunks((SELECT compact_ts_agg(timestamptz '2024-01-01' + i * interval '1 s',
                 1e308, 'lossless') FROM generate_series(1, 4) i), 2)$$);
SELECT state, message FROM try($$SELECT sum(v) FROM (VALUES (1e308::float8), (1e308)) x(v)$$);
-- large values whose sum stays finite sum as sum(float8) does
SELECT points, sum, min, max FROM chronos_chunks((SELECT compact_ts_agg(timestamptz '2024-01-01' + i * interval '1 s',
                 CASE WHEN i = 2 THEN -1e308 ELSE 1e308 END, 'lossless') FROM generate_series(1, 3) i), 3);
SELECT * FROM chronos_chunks('{}'::compact_ts, 10);
SELECT * FROM chronos_chunks(NULL, 10);
SELECT (try('SELECT count(*) FROM chronos_chunks(''{}''::compact_ts, 0)')).*;
