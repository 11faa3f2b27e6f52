-- test/bench/sql/generated.sql
--	Builds every stored form of the generated set from the staging table
--	gen (series int, ts timestamptz, v2 float8, vr float8), which run.sh
--	fills from test/bench/gen (v2: the walk rounded to 2 decimals, vr: the
--	same walk unrounded).  Not timed: the tables are what rows 1 and 3-8
--	read.  psql variable :lossless is true when compact_ts_agg(ts, v, codec)
--	exists.
--
--	  plain_heap                    (series, ts, value), no index
--	  plain_pk                      the same + PRIMARY KEY (series, ts)
--	                                (rounded values only: float8 is fixed-width,
--	                                so the unrounded ones take the same space)
--	  arr / arr_raw                 one row per series: timestamptz[] + float8[]
--	                                (default storage: TOASTed, pglz-compressed
--	                                when that saves space)
--	  cts_q16 / cts_q16_raw         one row per series: compact_ts, default codec
--	  cts_lossless / cts_lossless_raw  the same with codec 'lossless'
--
--	The _raw tables hold the unrounded values.  Rows go in (series, ts)
--	order, as gen holds them.

SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TABLE plain_heap (series int NOT NULL, ts timestamptz NOT NULL, value float8 NOT NULL);
INSERT INTO plain_heap SELECT series, ts, v2 FROM gen ORDER BY series, ts;

CREATE TABLE plain_pk (series int, ts timestamptz, value float8 NOT NULL, PRIMARY KEY (series, ts));
INSERT INTO plain_pk SELECT series, ts, v2 FROM gen ORDER BY series, ts;

CREATE TABLE arr (series int NOT NULL, ts timestamptz[] NOT NULL, value float8[] NOT NULL);
INSERT INTO arr SELECT series, array_agg(ts ORDER BY ts), array_agg(v2 ORDER BY ts)
FROM gen GROUP BY series ORDER BY series;
CREATE TABLE arr_raw (series int NOT NULL, ts timestamptz[] NOT NULL, value float8[] NOT NULL);
INSERT INTO arr_raw SELECT series, array_agg(ts ORDER BY ts), array_agg(vr ORDER BY ts)
FROM gen GROUP BY series ORDER BY series;

CREATE TABLE cts_q16 (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO cts_q16 SELECT series, compact_ts_agg(ts, v2) FROM gen GROUP BY series ORDER BY series;
CREATE TABLE cts_q16_raw (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO cts_q16_raw SELECT series, compact_ts_agg(ts, vr) FROM gen GROUP BY series ORDER BY series;

\if :lossless
CREATE TABLE cts_lossless (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO cts_lossless SELECT series, compact_ts_agg(ts, v2, 'lossless')
FROM gen GROUP BY series ORDER BY series;
CREATE TABLE cts_lossless_raw (series int NOT NULL, data compact_ts NOT NULL);
INSERT INTO cts_lossless_raw SELECT series, compact_ts_agg(ts, vr, 'lossless')
FROM gen GROUP BY series ORDER BY series;
\endif

-- the targets of row 2 (build), emptied before every repetition
CREATE TABLE build_cts (series int NOT NULL, data compact_ts NOT NULL);
CREATE TABLE build_plain (series int, ts timestamptz, value float8 NOT NULL, PRIMARY KEY (series, ts));
CREATE TABLE build_arr (series int NOT NULL, ts timestamptz[] NOT NULL, value float8[] NOT NULL);

-- hint bits, visibility map and statistics: later reads write nothing
VACUUM (ANALYZE);
CHECKPOINT;
