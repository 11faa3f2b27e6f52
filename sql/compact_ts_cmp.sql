--
-- compact_ts_cmp: the operators =, <>, <, <=, >, >=, the btree and hash
-- operator classes, and what they make possible: DISTINCT, GROUP BY, UNION,
-- IS DISTINCT FROM, hash and merge joins, hash indexes, btree indexes on
-- small values (and the error on large ones).  Each is checked against the
-- stored bytes (compact_ts_to_bytea), which define equality and the last key
-- of the order.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- values of many shapes, some twice (id + 100), some TOASTed
CREATE TABLE cmp_values (id int, x compact_ts);
INSERT INTO cmp_values VALUES
	(1, '{}'),
	(2, '{2020-01-01 00:00:00+00 => 1}'),
	(3, '{2020-01-01 00:00:00+00 => 2}'),
	(4, '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'),
	(5, '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:20+00 => 2}'),
	(6, '{2019-12-31 00:00:00+00 => 1, 2020-01-01 00:00:20+00 => 2}'),
	(7, '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 5, 2020-01-01 00:00:20+00 => 2}'),
	(8, '{-infinity => 1, infinity => 2}'),
	(9, '{infinity => 0}'),
	(10, '{-infinity => 0}'),
	-- the same points with another codec: another value
	(11, compact_ts(ARRAY['2020-01-01 00:00:00+00', '2020-01-01 00:00:10+00']::timestamptz[],
					ARRAY[1, 2], 'lossless')),
	-- same header fields for the order (first, last, length), other bytes
	(12, '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 3}');
-- large values, stored out of line: 200,000 points; 13 and 14 have the same
-- header fields (lossless, the same multiset of values, so the same exact
-- sum, min and max) and differ only in two swapped values in the middle of
-- one block.  Unrounded random values, so that they stay large (format 2
-- stores a lossless i % 100 in a few kB).
SELECT setseed(0.125);
CREATE TABLE cmp_src AS
SELECT i, '2020-01-01'::timestamptz + i * interval '1 s' AS ts, random() AS v
FROM generate_series(1, 200000) i;
INSERT INTO cmp_values SELECT 13, compact_ts_agg(ts, v, 'lossless') FROM cmp_src;
INSERT INTO cmp_values
SELECT 14, compact_ts_agg(ts, CASE i WHEN 150001 THEN (SELECT v FROM cmp_src WHERE i = 150002)
									 WHEN 150002 THEN (SELECT v FROM cmp_src WHERE i = 150001) ELSE v END, 'lossless')
FROM cmp_src;
INSERT INTO cmp_values
SELECT 15, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i / 100.0))
FROM generate_series(1, 200000) i;
-- copies: a value read back from its text, its bytes, or computed again
INSERT INTO cmp_values SELECT id + 100, x::text::compact_ts FROM cmp_values WHERE id IN (1, 4, 8, 11);
INSERT INTO cmp_values SELECT 113, compact_ts_from_bytea(compact_ts_to_bytea(x)) FROM cmp_values WHERE id = 13;
INSERT INTO cmp_values SELECT 115, compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i / 100.0))
FROM generate_series(1, 200000) i;
-- 13 and 14: the same header fields, even the same 80 header bytes (their
-- checksums too: the swap changes one block's payload and its checksum,
-- not the directory or the block index), but different bytes
SELECT first_time(a.x) = first_time(b.x) AND last_time(a.x) = last_time(b.x) AND length(a.x) = length(b.x)
	   AND sum_value(a.x) = sum_value(b.x) AND min_value(a.x) = min_value(b.x)
	   AND max_value(a.x) = max_value(b.x) AS same_header_fields,
	   substr(a.b, 1, 80) = substr(b.b, 1, 80) AS same_header_bytes,
	   a.b = b.b AS same_bytes,
	   pg_column_size(a.x) > 1000000 AS toasted
FROM (SELECT x, compact_ts_to_bytea(x) AS b FROM cmp_values WHERE id = 13) a,
	 (SELECT x, compact_ts_to_bytea(x) AS b FROM cmp_values WHERE id = 14) b;

-- ---------------------------------------------------------------------
-- = and <> are byte equality, on every pair
-- ---------------------------------------------------------------------

SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE a.x = b.x) AS equal,
	   count(*) FILTER (WHERE (a.x = b.x) IS DISTINCT FROM
							  (compact_ts_to_bytea(a.x) = compact_ts_to_bytea(b.x))) AS eq_wrong,
	   count(*) FILTER (WHERE (a.x <> b.x) IS DISTINCT FROM NOT (a.x = b.x)) AS ne_wrong
FROM cmp_values a, cmp_values b;
-- the equal pairs, other than each value with itself
SELECT a.id, b.id FROM cmp_values a, cmp_values b
WHERE a.x = b.x AND a.id < b.id ORDER BY 1, 2;
-- a value with a short varlena header (stored inline in a table) equals the
-- same value with a 4-byte header (computed)
SELECT x = '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}'::compact_ts AS short_eq_long,
	   compact_ts_hash(x) = compact_ts_hash('{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2}')
		   AS same_hash
FROM cmp_values WHERE id = 4;
-- NULL
SELECT NULL::compact_ts = '{}' AS eq_null, '{}'::compact_ts <> NULL AS ne_null;
-- the bytes name the format and the codec, so the same points are other
-- values with another codec or in format 1, even the empty series
SELECT a, b, a = b AS equal
FROM (VALUES ('{}'::compact_ts, 'quant16:{}'::compact_ts), ('{}', 'lossless:{}'), ('{}', 'quant12:{}'),
			 ('{}', compact_ts_from_bytea(decode('01' || repeat('00', 63), 'hex'))),
			 ('{2020-01-01 00:00:00+00 => 1}', 'lossless:{2020-01-01 00:00:00+00 => 1}'),
			 ('{2020-01-01 00:00:00+00 => 1}', '{quant16(sum=1,error=0): 2020-01-01 00:00:00+00 => 1}')) v(a, b);

-- ---------------------------------------------------------------------
-- The order: the empty series first, then first time, last time, length,
-- and the bytes (memcmp, a prefix first)
-- ---------------------------------------------------------------------

SELECT id, length(x), first_time(x), last_time(x) FROM cmp_values ORDER BY x, id;
-- exactly the documented keys, spelled out with the accessors and bytea's
-- own order (which is memcmp, a prefix first)
SELECT (SELECT array_agg(id ORDER BY x, id) FROM cmp_values) =
	   (SELECT array_agg(id ORDER BY length(x) > 0, first_time(x), last_time(x), length(x),
								  compact_ts_to_bytea(x), id) FROM cmp_values) AS documented_order;
-- every pair: the operators agree with compact_ts_cmp, which is antisymmetric
-- and 0 exactly for equal values
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE compact_ts_cmp(a.x, b.x) <> -compact_ts_cmp(b.x, a.x)) AS not_antisymmetric,
	   count(*) FILTER (WHERE (compact_ts_cmp(a.x, b.x) = 0) <> (a.x = b.x)) AS zero_not_equal,
	   count(*) FILTER (WHERE (a.x < b.x) <> (compact_ts_cmp(a.x, b.x) < 0)
						   OR (a.x <= b.x) <> (compact_ts_cmp(a.x, b.x) <= 0)
						   OR (a.x > b.x) <> (compact_ts_cmp(a.x, b.x) > 0)
						   OR (a.x >= b.x) <> (compact_ts_cmp(a.x, b.x) >= 0)) AS operators_wrong,
	   count(*) FILTER (WHERE compact_ts_cmp(a.x, b.x) NOT IN (-1, 0, 1)) AS not_normalized
FROM cmp_values a, cmp_values b;
-- transitive on every triple
SELECT count(*) AS violations
FROM cmp_values a, cmp_values b, cmp_values c
WHERE a.x <= b.x AND b.x <= c.x AND NOT a.x <= c.x;
-- min and max through ORDER BY ... LIMIT, and comparisons with constants
SELECT (SELECT id FROM cmp_values ORDER BY x LIMIT 1) AS smallest,
	   (SELECT id FROM cmp_values ORDER BY x DESC, id DESC LIMIT 1) AS largest,
	   '{}'::compact_ts < '{-infinity => 0}' AS empty_first,
	   '{2020-01-01 00:00:00+00 => 9}'::compact_ts < '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:00+00 => 1}'
		   AS shorter_first;
-- the order reads only headers unless they tie: a corrupt header is an
-- error, as for the accessors (= and hashing look at bytes only)
CREATE CAST (bytea AS compact_ts) WITHOUT FUNCTION;
SELECT '\x0200'::bytea::compact_ts < '{}' AS lt;
SELECT '\x0200'::bytea::compact_ts = '{}' AS eq, '\x0200'::bytea::compact_ts = '\x0200'::bytea::compact_ts AS eq_self;
DROP CAST (bytea AS compact_ts);

-- ---------------------------------------------------------------------
-- Hashing
-- ---------------------------------------------------------------------

-- equal values hash alike; the 64-bit hash with seed 0 agrees with the
-- 32-bit one in its low 32 bits (PostgreSQL's rule for hash opclasses);
-- other seeds give other hashes
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE a.x = b.x AND compact_ts_hash(a.x) <> compact_ts_hash(b.x)) AS equal_but_different_hash,
	   count(*) FILTER (WHERE a.x = b.x AND compact_ts_hash_extended(a.x, 7) <> compact_ts_hash_extended(b.x, 7))
		   AS equal_but_different_hash64,
	   count(DISTINCT compact_ts_hash(a.x)) AS distinct_hashes
FROM cmp_values a, cmp_values b;
SELECT count(*) AS values,
	   count(*) FILTER (WHERE (compact_ts_hash_extended(x, 0) & 4294967295) =
						   (compact_ts_hash(x)::bigint & 4294967295)) AS low_bits_agree,
	   count(*) FILTER (WHERE compact_ts_hash_extended(x, 0) <> compact_ts_hash_extended(x, 1)) AS seed_matters
FROM cmp_values;

-- ---------------------------------------------------------------------
-- DISTINCT, GROUP BY, UNION, INTERSECT, EXCEPT, IS DISTINCT FROM
-- ---------------------------------------------------------------------

SELECT count(*) AS rows, count(DISTINCT x) AS distinct_values,
	   (SELECT count(*) FROM (SELECT DISTINCT compact_ts_to_bytea(x) FROM cmp_values) s) AS distinct_bytes
FROM cmp_values;
-- GROUP BY, hashed and sorted
SET enable_hashagg = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT x, count(*) FROM cmp_values GROUP BY x;
SELECT min(id), count(*) FROM cmp_values GROUP BY x HAVING count(*) > 1 ORDER BY 1;
RESET enable_sort;
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT x, count(*) FROM cmp_values GROUP BY x;
SELECT min(id), count(*) FROM cmp_values GROUP BY x HAVING count(*) > 1 ORDER BY 1;
RESET enable_hashagg;
-- DISTINCT and UNION
SELECT count(*) FROM (SELECT DISTINCT x FROM cmp_values) s;
SELECT count(*) FROM (SELECT x FROM cmp_values WHERE id < 100 UNION SELECT x FROM cmp_values WHERE id > 100) s;
SELECT count(*) FROM (SELECT x FROM cmp_values WHERE id < 100 INTERSECT SELECT x FROM cmp_values WHERE id > 100) s;
SELECT count(*) FROM (SELECT x FROM cmp_values WHERE id < 100 EXCEPT SELECT x FROM cmp_values WHERE id > 100) s;
-- IS DISTINCT FROM, with NULLs
SELECT a, b, a IS DISTINCT FROM b AS distinct_from, a IS NOT DISTINCT FROM b AS not_distinct
FROM (VALUES (NULL::compact_ts, NULL::compact_ts), ('{}', NULL), ('{}', '{}'),
			 ('{}', '{2020-01-01 00:00:00+00 => 1}')) v(a, b);
-- a value TOASTed in a table against the same value computed in the query
SELECT x IS NOT DISTINCT FROM (SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i / 100.0))
							   FROM generate_series(1, 200000) i) AS same
FROM cmp_values WHERE id = 15;

-- ---------------------------------------------------------------------
-- Joins: hash join (HASHES) and merge join (MERGES, the btree order)
-- ---------------------------------------------------------------------

CREATE TABLE cmp_other AS SELECT id + 1000 AS id, x FROM cmp_values WHERE id IN (1, 3, 8, 13, 14, 115);
ANALYZE cmp_values, cmp_other;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM cmp_values a JOIN cmp_other b ON a.x = b.x;
SELECT a.id, b.id FROM cmp_values a JOIN cmp_other b ON a.x = b.x ORDER BY 1, 2;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM cmp_values a JOIN cmp_other b ON a.x = b.x;
SELECT a.id, b.id FROM cmp_values a JOIN cmp_other b ON a.x = b.x ORDER BY 1, 2;
RESET enable_hashjoin;
RESET enable_nestloop;

-- ---------------------------------------------------------------------
-- Indexes: hash for values of any size, btree for small values
-- ---------------------------------------------------------------------

CREATE INDEX cmp_values_hash ON cmp_values USING hash (x);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM cmp_values WHERE x = '{}';
SELECT id FROM cmp_values WHERE x = '{}' ORDER BY id;
-- a large value, looked up with a value computed in the query
SELECT id FROM cmp_values
WHERE x = (SELECT compact_ts_agg(ts, v, 'lossless') FROM cmp_src)
ORDER BY id;
RESET enable_seqscan;
RESET enable_bitmapscan;
DROP INDEX cmp_values_hash;

-- btree on small values: index scans in both directions, ranges, uniqueness
CREATE TABLE cmp_small AS SELECT id, x FROM cmp_values WHERE pg_column_size(x) < 2000;
CREATE INDEX cmp_small_btree ON cmp_small (x);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM cmp_small WHERE x = '{2020-01-01 00:00:00+00 => 1}';
SELECT id FROM cmp_small WHERE x = '{2020-01-01 00:00:00+00 => 1}';
EXPLAIN (COSTS OFF) SELECT id FROM cmp_small ORDER BY x DESC LIMIT 3;
SELECT id FROM cmp_small ORDER BY x DESC, id LIMIT 3;
SELECT array_agg(id ORDER BY id) FROM cmp_small
WHERE x >= '{2020-01-01 00:00:00+00 => 1}' AND x < '{2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:20+00 => 2}';
RESET enable_seqscan;
RESET enable_bitmapscan;
CREATE UNIQUE INDEX cmp_small_unique ON cmp_small (x);
DELETE FROM cmp_small WHERE id > 100;
CREATE UNIQUE INDEX cmp_small_unique ON cmp_small (x);
INSERT INTO cmp_small VALUES (999, '{}');
DROP TABLE cmp_small;

-- a btree entry holds at most about a third of a page: a larger value
-- cannot be indexed (PostgreSQL's own errors, for a value of 1,500 points,
-- about 3 kB, and one of 200,000); a hash index can (above)
CREATE TABLE cmp_medium AS
SELECT compact_ts_agg('2020-01-01'::timestamptz + i * interval '1 s', sin(i)) AS x
FROM generate_series(1, 1500) i;
SELECT pg_column_size(x) BETWEEN 2704 AND 8191 AS between_limits FROM cmp_medium;
\set VERBOSITY terse
CREATE INDEX cmp_medium_btree ON cmp_medium (x);
CREATE INDEX cmp_values_btree ON cmp_values (x);
\set VERBOSITY default
CREATE INDEX cmp_medium_hash ON cmp_medium USING hash (x);
DROP TABLE cmp_medium;

DROP TABLE cmp_values, cmp_other, cmp_src;
