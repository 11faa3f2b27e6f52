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
