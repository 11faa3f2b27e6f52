/* chronos--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION chronos UPDATE TO '1.1'" to load this file. \quit

-- From chronos 1.0 to 1.1.
--
-- Every object 1.1 adds or changes is in two scripts, kept in step:
--   chronos--1.1.sql        the full install of 1.1
--   chronos--1.0--1.1.sql   this one, ALTER EXTENSION chronos UPDATE from 1.0
-- Add a new 1.1 object to both (test/upgrade.sh checks that an updated 1.0
-- has exactly the objects and definitions of a fresh 1.1).  1.0's script is
-- released and never changes.

-- ---------------------------------------------------------------------
-- Changed in 1.1
-- ---------------------------------------------------------------------

-- compact_ts(ts[], v[], NULL) raises 22004 like compact_ts_agg(ts, v, NULL)
-- instead of returning NULL (STRICT); NULL arrays still give NULL.
ALTER FUNCTION compact_ts(timestamptz[], float8[], text) CALLED ON NULL INPUT;
COMMENT ON FUNCTION compact_ts(timestamptz[], float8[], text) IS
	'series from parallel arrays, with a codec: quant16 (default), lossless or gorilla (NULL is an error)';

-- text input reads the base64 form, text output prints it above 100,000
-- points; compressed_size is the size as stored
COMMENT ON FUNCTION compact_ts_in(cstring) IS
	'compact_ts input: ''{ts => value, ...}'', the canonical form with block headers, or ''base64:...''';
COMMENT ON FUNCTION compact_ts_out(compact_ts) IS
	'compact_ts output: the canonical form (base64 of the bytes above 100,000 points), which reads back to identical bytes';
COMMENT ON FUNCTION compression_stats(compact_ts) IS
	'points, original_size (16 bytes a point), compressed_size (bytes as stored, as pg_column_size reports), bytes_saved, compression_ratio';
COMMENT ON FUNCTION compression_ratio(compact_ts) IS
	'bytes as stored / (16 bytes a point); 0.125 means 12.5% of the original (NULL if empty)';

-- ---------------------------------------------------------------------
-- Equality, order and hashing (1.1)
-- ---------------------------------------------------------------------

-- Equality is byte equality of the stored codec buffer: the encoding is
-- canonical, so equal bytes mean the same series.  The order is total: the
-- empty series first, then by first time, last time, length, and the bytes
-- (src/compact_ts_cmp.c).  Not LEAKPROOF: a comparison may raise the memory
-- limit error, and the order functions reject a corrupt header.

CREATE FUNCTION compact_ts_eq(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_ne(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_lt(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_le(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_gt(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_ge(compact_ts, compact_ts) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_cmp(compact_ts, compact_ts) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_hash(compact_ts) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION compact_ts_hash_extended(compact_ts, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION compact_ts_eq(compact_ts, compact_ts) IS
	'implementation of the = operator: the two series have identical bytes';
COMMENT ON FUNCTION compact_ts_ne(compact_ts, compact_ts) IS
	'implementation of the <> operator';
COMMENT ON FUNCTION compact_ts_lt(compact_ts, compact_ts) IS
	'implementation of the < operator';
COMMENT ON FUNCTION compact_ts_le(compact_ts, compact_ts) IS
	'implementation of the <= operator';
COMMENT ON FUNCTION compact_ts_gt(compact_ts, compact_ts) IS
	'implementation of the > operator';
COMMENT ON FUNCTION compact_ts_ge(compact_ts, compact_ts) IS
	'implementation of the >= operator';
COMMENT ON FUNCTION compact_ts_cmp(compact_ts, compact_ts) IS
	'btree comparison: empty first, then first time, last time, length, bytes';
COMMENT ON FUNCTION compact_ts_hash(compact_ts) IS
	'hash of the stored bytes';
COMMENT ON FUNCTION compact_ts_hash_extended(compact_ts, bigint) IS
	'64-bit hash of the stored bytes, with a seed';

CREATE OPERATOR = (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_eq,
	COMMUTATOR = =,
	NEGATOR = <>,
	RESTRICT = eqsel,
	JOIN = eqjoinsel,
	HASHES,
	MERGES
);

CREATE OPERATOR <> (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_ne,
	COMMUTATOR = <>,
	NEGATOR = =,
	RESTRICT = neqsel,
	JOIN = neqjoinsel
);

CREATE OPERATOR < (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_lt,
	COMMUTATOR = >,
	NEGATOR = >=,
	RESTRICT = scalarltsel,
	JOIN = scalarltjoinsel
);

CREATE OPERATOR <= (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_le,
	COMMUTATOR = >=,
	NEGATOR = >,
	RESTRICT = scalarlesel,
	JOIN = scalarlejoinsel
);

CREATE OPERATOR > (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_gt,
	COMMUTATOR = <,
	NEGATOR = <=,
	RESTRICT = scalargtsel,
	JOIN = scalargtjoinsel
);

CREATE OPERATOR >= (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = compact_ts_ge,
	COMMUTATOR = <=,
	NEGATOR = <,
	RESTRICT = scalargesel,
	JOIN = scalargejoinsel
);

COMMENT ON OPERATOR = (compact_ts, compact_ts) IS
	'equal: the same series (identical bytes)';
COMMENT ON OPERATOR <> (compact_ts, compact_ts) IS
	'not equal';
COMMENT ON OPERATOR < (compact_ts, compact_ts) IS
	'less than, in the order of compact_ts_cmp';
COMMENT ON OPERATOR <= (compact_ts, compact_ts) IS
	'less than or equal, in the order of compact_ts_cmp';
COMMENT ON OPERATOR > (compact_ts, compact_ts) IS
	'greater than, in the order of compact_ts_cmp';
COMMENT ON OPERATOR >= (compact_ts, compact_ts) IS
	'greater than or equal, in the order of compact_ts_cmp';

-- btequalimage: equal values have identical bytes, so btree may
-- deduplicate.  A btree index entry holds at most about 2,700 bytes: index
-- large values with the hash opclass.
CREATE OPERATOR CLASS compact_ts_ops
	DEFAULT FOR TYPE compact_ts USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 compact_ts_cmp(compact_ts, compact_ts),
	FUNCTION 4 btequalimage(oid);

CREATE OPERATOR CLASS compact_ts_ops
	DEFAULT FOR TYPE compact_ts USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 compact_ts_hash(compact_ts),
	FUNCTION 2 compact_ts_hash_extended(compact_ts, bigint);

COMMENT ON OPERATOR FAMILY compact_ts_ops USING btree IS
	'compact_ts order: empty first, then first time, last time, length, bytes';
COMMENT ON OPERATOR CLASS compact_ts_ops USING btree IS
	'compact_ts order: empty first, then first time, last time, length, bytes';
COMMENT ON OPERATOR FAMILY compact_ts_ops USING hash IS
	'compact_ts equality by hash of the stored bytes (for values of any size)';
COMMENT ON OPERATOR CLASS compact_ts_ops USING hash IS
	'compact_ts equality by hash of the stored bytes (for values of any size)';

-- ---------------------------------------------------------------------
-- Format 2 and codecs (1.1)
-- ---------------------------------------------------------------------

-- Without a codec, the constructors use chronos.default_codec: STABLE.
ALTER FUNCTION compact_ts(timestamptz[], float8[]) STABLE;
ALTER FUNCTION compact_ts_agg_transfn(internal, timestamptz, float8) STABLE;
COMMENT ON FUNCTION compact_ts(timestamptz[], float8[]) IS
	'series from parallel arrays of timestamps and values (sorted by time, stably; NULL elements rejected), with chronos.default_codec';
COMMENT ON FUNCTION compact_ts(timestamptz[], float8[], text) IS
	'series from parallel arrays, with a codec: quant16 (default), quant1 .. quant32, max_error=<bound>, lossless (NULL is an error)';
COMMENT ON AGGREGATE compact_ts_agg(timestamptz, float8) IS
	'series from (timestamp, value) rows in any order, with chronos.default_codec; rows with a NULL are skipped, no rows give NULL';
COMMENT ON AGGREGATE compact_ts_agg(timestamptz, float8, text) IS
	'series from (timestamp, value) rows in any order, with a codec: quant16 (default), quant1 .. quant32, max_error=<bound>, lossless';

-- a bound in value units; not STRICT: a NULL bound is an error (22004)
CREATE FUNCTION compact_ts(timestamptz[], float8[], max_error float8) RETURNS compact_ts
	AS 'MODULE_PATHNAME', 'compact_ts_from_arrays'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compact_ts(timestamptz[], float8[], float8) IS
	'series from parallel arrays, every value within max_error of its original (stored exactly where that is as small)';

CREATE FUNCTION compact_ts_agg_transfn(internal, timestamptz, float8, float8)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'compact_ts_agg_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION compact_ts_agg_transfn(internal, timestamptz, float8, float8) IS
	'compact_ts_agg transition function with a bound in value units';

CREATE AGGREGATE compact_ts_agg(timestamptz, float8, max_error float8) (
	SFUNC = compact_ts_agg_transfn,
	STYPE = internal,
	FINALFUNC = compact_ts_agg_finalfn,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = compact_ts_agg_combinefn,
	SERIALFUNC = compact_ts_agg_serialfn,
	DESERIALFUNC = compact_ts_agg_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE compact_ts_agg(timestamptz, float8, float8) IS
	'series from (timestamp, value) rows in any order, every value within max_error of its original';

CREATE FUNCTION codec(compact_ts) RETURNS text
	AS 'MODULE_PATHNAME', 'compact_ts_codec'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION codec(compact_ts) IS
	'the codec a value was built with: quant16, quantN, max_error=<bound>, lossless; format 1 values: quant16, gorilla or mixed';

-- ---------------------------------------------------------------------
-- 1.1: range, point and bucket queries (src/compact_ts_range.c)
-- ---------------------------------------------------------------------
-- @@range@@
-- Lazy reads: these fetch the header, the directory, the index entries and
-- the blocks a query needs, not the whole value (src/compact_ts_range.c).

CREATE FUNCTION slice(compact_ts, tstzrange) RETURNS compact_ts
	AS 'MODULE_PATHNAME', 'compact_ts_slice'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION slice(compact_ts, tstzrange) IS
	'the points in the time range, as a series: blocks inside it copied, edge points kept as they are';

CREATE FUNCTION value_at(compact_ts, timestamptz, interpolate boolean DEFAULT false)
	RETURNS float8
	AS 'MODULE_PATHNAME', 'compact_ts_value_at'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION value_at(compact_ts, timestamptz, boolean) IS
	'the value at a time (NULL without a point there, or linearly interpolated with interpolate => true)';

CREATE FUNCTION length(compact_ts, tstzrange) RETURNS integer
	AS 'MODULE_PATHNAME', 'compact_ts_length_range'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sum_value(compact_ts, tstzrange) RETURNS float8
	AS 'MODULE_PATHNAME', 'compact_ts_sum_range'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION avg_value(compact_ts, tstzrange) RETURNS float8
	AS 'MODULE_PATHNAME', 'compact_ts_avg_range'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION min_value(compact_ts, tstzrange) RETURNS float8
	AS 'MODULE_PATHNAME', 'compact_ts_min_range'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION max_value(compact_ts, tstzrange) RETURNS float8
	AS 'MODULE_PATHNAME', 'compact_ts_max_range'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION length(compact_ts, tstzrange) IS
	'number of points in the time range (exact)';
COMMENT ON FUNCTION sum_value(compact_ts, tstzrange) IS
	'sum of the values in the time range: exact sums of whole blocks, decoded points of the blocks the range cuts (NULL if none)';
COMMENT ON FUNCTION avg_value(compact_ts, tstzrange) IS
	'average of the values in the time range (NULL if none)';
COMMENT ON FUNCTION min_value(compact_ts, tstzrange) IS
	'smallest value in the time range (NULL if none)';
COMMENT ON FUNCTION max_value(compact_ts, tstzrange) IS
	'largest value in the time range (NULL if none)';

CREATE FUNCTION range_stats(compact_ts, tstzrange,
		OUT points bigint,
		OUT min float8,
		OUT max float8,
		OUT sum float8,
		OUT avg float8,
		OUT max_error float8,
		OUT decoded_points bigint)
	RETURNS record
	AS 'MODULE_PATHNAME', 'compact_ts_range_stats'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION range_stats(compact_ts, tstzrange) IS
	'points, min, max, sum, avg of the time range in one read, with the largest error a figure may hold per point (0: exact) and the points taken from decoded edge blocks';

CREATE FUNCTION buckets(compact_ts, width interval,
		origin timestamptz DEFAULT '2000-01-01 00:00:00+00',
		OUT bucket timestamptz,
		OUT points bigint,
		OUT min float8,
		OUT max float8,
		OUT sum float8,
		OUT avg float8,
		OUT first_time timestamptz,
		OUT last_time timestamptz)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'compact_ts_buckets'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION buckets(compact_ts, interval, timestamptz) IS
	'the series in buckets aligned like date_bin(width, ts, origin): points, min, max, sum, avg, first and last time of each non-empty bucket';

-- not STRICT: the range may be NULL (the whole series); a NULL series gives NULL
CREATE FUNCTION sparkline(compact_ts, width integer DEFAULT 40,
		time_range tstzrange DEFAULT NULL)
	RETURNS text
	AS 'MODULE_PATHNAME', 'compact_ts_sparkline'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sparkline(compact_ts, integer, tstzrange) IS
	'the shape of the series: one block character per equal stretch of time, the height of its average';

CREATE FUNCTION append(compact_ts, compact_ts) RETURNS compact_ts
	AS 'MODULE_PATHNAME', 'compact_ts_append'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION append(compact_ts, compact_ts) IS
	'the points of both series: blocks copied when the second starts after the first ends, else merged by time';

CREATE OPERATOR || (
	LEFTARG = compact_ts,
	RIGHTARG = compact_ts,
	FUNCTION = append
);
COMMENT ON OPERATOR || (compact_ts, compact_ts) IS
	'append: the points of both series';

-- unnest in FROM is read by chronos's scan node (src/compact_ts_scan.c):
-- the support function loads the library while such a query is planned,
-- so the node's planner hook is in place (and gives the rows of a
-- constant series)
CREATE FUNCTION compact_ts_unnest_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'compact_ts_unnest_support'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
ALTER FUNCTION unnest(compact_ts) SUPPORT compact_ts_unnest_support;

-- ---------------------------------------------------------------------
-- 1.1: streaming import of files (src/stream.c)
-- ---------------------------------------------------------------------
-- @@stream@@
-- The file readers read server files: superuser or pg_read_server_files,
-- as COPY FROM 'file' (they check it themselves too). VOLATILE: the file can
-- change between calls. PARALLEL RESTRICTED: they report progress in this
-- backend's pg_stat_progress_copy entry and count memory in its manager, so
-- they run in the leader only. Not STRICT: the column arguments default to
-- NULL (NULL for path, header, delimiter, time_format or on_error is an error).
CREATE FUNCTION chronos_read_csv(
		path text,
		time_column text DEFAULT NULL,
		key_column text DEFAULT NULL,
		value_columns text[] DEFAULT NULL,
		header boolean DEFAULT true,
		delimiter text DEFAULT ',',
		time_format text DEFAULT 'auto',
		on_error text DEFAULT 'error')
	RETURNS TABLE (series text, ts timestamptz, value float8)
	AS 'MODULE_PATHNAME', 'chronos_read_csv'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_import_csv(
		path text,
		time_column text DEFAULT NULL,
		key_column text DEFAULT NULL,
		value_columns text[] DEFAULT NULL,
		header boolean DEFAULT true,
		delimiter text DEFAULT ',',
		time_format text DEFAULT 'auto',
		on_error text DEFAULT 'error',
		codec text DEFAULT NULL,
		segment_size integer DEFAULT NULL)
	RETURNS TABLE (series text, segment compact_ts)
	AS 'MODULE_PATHNAME', 'chronos_import_csv'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_file_chunks(path text, chunk_bytes integer DEFAULT 1048576)
	RETURNS TABLE (chunk_no bigint, byte_offset bigint, bytes bigint, lines bigint,
				   first_line bigint)
	AS 'MODULE_PATHNAME', 'chronos_file_chunks'
	LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;

CREATE FUNCTION chronos_chunks(data compact_ts, chunk_points integer)
	RETURNS TABLE (chunk_no bigint, first_time timestamptz, last_time timestamptz,
				   points bigint, sum float8, min float8, max float8, avg float8)
	AS 'MODULE_PATHNAME', 'compact_ts_chunks'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION chronos_read_csv(text, text, text, text[], boolean, text, text, text) IS
	'rows (series, ts, value) of a server CSV file, one per value cell, read through windows of chronos.stream_window_kb';
COMMENT ON FUNCTION chronos_import_csv(text, text, text, text[], boolean, text, text, text, text, integer) IS
	'a server CSV file as compact_ts segments of at most segment_size points per series, within chronos.max_memory_mb';
COMMENT ON FUNCTION chronos_file_chunks(text, integer) IS
	'a server file cut at line ends into chunks of at least chunk_bytes bytes: offset, bytes, lines, first line of each';
COMMENT ON FUNCTION chronos_chunks(compact_ts, integer) IS
	'a series walked in chunks of chunk_points points: time range, points, sum, min, max, avg of the decoded values';

REVOKE ALL ON FUNCTION chronos_read_csv(text, text, text, text[], boolean, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION chronos_import_csv(text, text, text, text[], boolean, text, text, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION chronos_file_chunks(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chronos_read_csv(text, text, text, text[], boolean, text, text, text) TO pg_read_server_files;
GRANT EXECUTE ON FUNCTION chronos_import_csv(text, text, text, text[], boolean, text, text, text, text, integer) TO pg_read_server_files;
GRANT EXECUTE ON FUNCTION chronos_file_chunks(text, integer) TO pg_read_server_files;

-- ---------------------------------------------------------------------
-- 1.1: the cache of loaded series (src/cache.c)
-- ---------------------------------------------------------------------
-- @@cache@@
-- The cache is per backend: every function reads or changes this backend's
-- cache, so all are VOLATILE and PARALLEL RESTRICTED (a parallel worker has a
-- cache of its own that dies with it, and its counters would be lost). Not
-- STRICT: max_age, key, prefix and relation default to NULL; a NULL key or
-- loader is an error (22004).
CREATE FUNCTION chronos_cache_get(key text, loader text, max_age interval DEFAULT NULL)
	RETURNS compact_ts
	AS 'MODULE_PATHNAME', 'chronos_cache_get'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_cache_preload(key text, loader text, max_age interval DEFAULT NULL)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'chronos_cache_preload'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_cache_evict(key text DEFAULT NULL, prefix text DEFAULT NULL,
		relation regclass DEFAULT NULL)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'chronos_cache_evict'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_cache_clear()
	RETURNS integer
	AS 'MODULE_PATHNAME', 'chronos_cache_clear'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_cache_stats(
		OUT entries bigint,
		OUT bytes bigint,
		OUT limit_bytes bigint,
		OUT hits bigint,
		OUT misses bigint,
		OUT evictions bigint,
		OUT memory_evictions bigint,
		OUT expired bigint,
		OUT loads_failed bigint,
		OUT too_large bigint,
		OUT no_room bigint)
	RETURNS record
	AS 'MODULE_PATHNAME', 'chronos_cache_stats'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

CREATE FUNCTION chronos_cache_entries()
	RETURNS TABLE (key text, role regrole, loader text, relations regclass[], bytes bigint,
				   points bigint, loaded_at timestamptz, age interval, hits bigint,
				   last_used timestamptz)
	AS 'MODULE_PATHNAME', 'chronos_cache_entries'
	LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION chronos_cache_get(text, text, interval) IS
	'the value cached in this backend for (key, current role, loader) if not older than max_age (NULL: chronos.cache_max_age); otherwise runs the loader, a read-only query returning one compact_ts, with the caller''s privileges and caches its value';
COMMENT ON FUNCTION chronos_cache_preload(text, text, interval) IS
	'synchronous: runs the loader now, in this session, so that a later chronos_cache_get in this session is a hit; nothing loads in the background and other sessions do not see it; true if the loader ran, false if a fresh entry was cached already';
COMMENT ON FUNCTION chronos_cache_evict(text, text, regclass) IS
	'drops this backend''s cache entries of one key, of every key with a prefix, or of every loader that read a relation (exactly one given), for all roles; returns how many';
COMMENT ON FUNCTION chronos_cache_clear() IS
	'drops every entry of this backend''s cache; returns how many';
COMMENT ON FUNCTION chronos_cache_stats() IS
	'this backend''s cache: entries, bytes held, chronos.cache_size_mb in bytes, hits, misses, evictions (of which for chronos.max_memory_mb), expired, failed loads, values too large or with no room to cache';
COMMENT ON FUNCTION chronos_cache_entries() IS
	'one row per entry of this backend''s cache, most recently used first: key, role, loader (if the current role has the privileges of that role), relations read, bytes, points, load time, age, hits, last use';
