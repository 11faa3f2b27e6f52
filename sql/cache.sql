--
-- cache: the lazy loader and its per-backend cache (src/cache.c, issue 12):
-- chronos_cache_get, chronos_cache_preload, chronos_cache_evict,
-- chronos_cache_clear, chronos_cache_stats, chronos_cache_entries, and the
-- settings chronos.cache_size_mb and chronos.cache_max_age.
--
-- Misses and hits (the counters, the values against the table's), the
-- loader's rules (every wrong shape, a failing loader, a non-query), NULL,
-- LRU order under chronos.cache_size_mb, a value larger than the cap, the
-- cache giving way to work near chronos.max_memory_mb (and declining to keep
-- a value there), max_age and chronos.cache_max_age, two roles (one cannot
-- read the table), SECURITY DEFINER, aborted transactions, invalidation by
-- key, prefix and relation, clear, the accounting back to zero, and
-- DISCARD ALL.  What one session cannot show (other sessions, another
-- backend's staleness) is in test/cache_sessions.sh.
--
-- Each pg_regress file runs in a fresh backend, so the counters start at 0.
-- Byte counts depend on the allocator (and differ between PostgreSQL
-- versions), so they are compared, not printed, except where chronos
-- defines them.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set VERBOSITY default
\pset null '(null)'

-- try(statement): its SQLSTATE and message, or 00000
CREATE FUNCTION cache_try(stmt text, OUT state text, OUT message text)
	LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END $$;

-- the counters, without the bytes
CREATE VIEW cache_counters AS
	SELECT entries, hits, misses, evictions, memory_evictions, expired,
		   loads_failed, too_large, no_room
	FROM chronos_cache_stats();

-- series of known sizes: random values, so that each takes 2 bytes a point
-- (quant16)
SELECT setseed(0.25);
CREATE TABLE cache_series (name text PRIMARY KEY, data compact_ts);
INSERT INTO cache_series
SELECT 'plant-' || n,
	   compact_ts_agg('2024-01-01 00:00:00+00'::timestamptz + i * interval '10 s', random())
FROM generate_series(1, 6) n, generate_series(1, 150000) i
GROUP BY n;
INSERT INTO cache_series
SELECT 'huge', compact_ts_agg('2024-01-01 00:00:00+00'::timestamptz + i * interval '10 s', random())
FROM generate_series(1, 600000) i;
INSERT INTO cache_series
SELECT 'tiny', compact_ts(ARRAY['2024-01-01 00:00:00+00', '2024-01-01 00:00:10+00']::timestamptz[],
						  ARRAY[1.5, 2.5]);
-- the tests below rely on these sizes: plant-N 280 .. 330 kB (three fit in
-- 1 MB, four do not), huge 1.1 .. 1.3 MB
SELECT name, length(data),
	   pg_column_size(data) BETWEEN 280000 AND 330000 AS plant_size,
	   pg_column_size(data) BETWEEN 1150000 AND 1300000 AS huge_size
FROM cache_series ORDER BY name;

-- loader(name): the loader text of one series
CREATE FUNCTION loader(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT format('SELECT data FROM cache_series WHERE name = %L', name) $$;

-- ---------------------------------------------------------------------
-- Settings and a fresh backend
-- ---------------------------------------------------------------------

SELECT name, setting, unit, context, vartype, boot_val, min_val, max_val
FROM pg_settings
WHERE name IN ('chronos.cache_size_mb', 'chronos.cache_max_age')
ORDER BY name;
SET chronos.cache_max_age = '5min';
SHOW chronos.cache_max_age;
-- (PostgreSQL's wording of a range error differs between versions)
SELECT state FROM cache_try($$SET chronos.cache_max_age = -1$$);
RESET chronos.cache_max_age;

SELECT * FROM chronos_cache_stats();
SELECT count(*) FROM chronos_cache_entries();

-- every function reads or changes this backend's cache
SELECT proname, provolatile, proparallel, proisstrict
FROM pg_proc WHERE proname LIKE 'chronos\_cache\_%' ORDER BY proname;

-- ---------------------------------------------------------------------
-- Misses and hits
-- ---------------------------------------------------------------------

-- a miss runs the loader; the value is the table's
SELECT chronos_cache_get('plant-1', loader('plant-1')) = data AS same
FROM cache_series WHERE name = 'plant-1';
SELECT * FROM cache_counters;
-- a hit does not run it
SELECT chronos_cache_get('plant-1', loader('plant-1')) = data AS same
FROM cache_series WHERE name = 'plant-1';
SELECT length(chronos_cache_get('plant-1', loader('plant-1')));
SELECT * FROM cache_counters;
-- the same key with another loader text is another entry
SELECT length(chronos_cache_get('plant-1', 'SELECT data FROM cache_series WHERE name = ''plant-2'''));
SELECT * FROM cache_counters;
-- an aggregating loader: the value it built is cached
SELECT chronos_cache_get('agg', $$SELECT compact_ts_agg(ts, v) FROM (VALUES
	('2024-01-01 00:00:10+00'::timestamptz, 2.0::float8), ('2024-01-01 00:00:00+00', 1.0)) r(ts, v)$$)::text;
SELECT chronos_cache_get('agg', $$SELECT compact_ts_agg(ts, v) FROM (VALUES
	('2024-01-01 00:00:10+00'::timestamptz, 2.0::float8), ('2024-01-01 00:00:00+00', 1.0)) r(ts, v)$$)::text;
-- a value used twice in one statement: each call gets its own copy
SELECT a = b AS same, length(a) FROM (
	SELECT chronos_cache_get('plant-1', loader('plant-1')) a,
		   chronos_cache_get('plant-1', loader('plant-1')) b) s;

-- the entries, most recently used first; loader and relations as the
-- plan saw them; bytes cover the value
SELECT e.key, e.role = current_user::regrole AS my_role, e.loader, e.relations,
	   e.bytes > pg_column_size(s.data) AS covers_value, e.points, e.hits,
	   e.age < '1 minute' AS recent, e.last_used >= e.loaded_at AS used_after_load
FROM chronos_cache_entries() e
LEFT JOIN cache_series s ON s.name = e.key AND e.loader = loader(s.name);

-- the cache's memory is counted: stats bytes = cache_memory_mb = the sum
-- of the entries plus the index, and part of used_memory_mb
SELECT s.bytes = m.cache_memory_mb * 1048576 AS counted,
	   m.used_memory_mb >= m.cache_memory_mb AS in_used,
	   s.bytes > (SELECT sum(bytes) FROM chronos_cache_entries()) AS plus_index,
	   s.limit_bytes = 64 * 1048576 AS limit_is_default
FROM chronos_cache_stats() s, chronos_memory_stats() m;
SELECT name, kind, count(*) FROM chronos_memory_contexts()
WHERE name LIKE 'chronos cache%' GROUP BY name, kind ORDER BY name;

-- ---------------------------------------------------------------------
-- The loader's rules
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear();
-- one row with NULL: NULL, and cached as NULL
SELECT chronos_cache_get('none', 'SELECT NULL::compact_ts');
SELECT chronos_cache_get('none', 'SELECT NULL::compact_ts');
SELECT key, points, hits FROM chronos_cache_entries();
-- a scalar subquery gives NULL when no row matches
SELECT chronos_cache_get('missing', 'SELECT (SELECT data FROM cache_series WHERE name = ''nope'')');
-- a domain over compact_ts is a compact_ts
CREATE DOMAIN cache_dom AS compact_ts;
SELECT length(chronos_cache_get('dom', 'SELECT data::cache_dom FROM cache_series WHERE name = ''tiny'''));
SELECT * FROM cache_counters;

-- every other shape is an error, and caches nothing
SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series WHERE false');
SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series');
SELECT chronos_cache_get('bad', 'SELECT data, name FROM cache_series WHERE name = ''tiny''');
SELECT chronos_cache_get('bad', 'SELECT 42');
SELECT chronos_cache_get('bad', 'SELECT FROM cache_series');
-- only one read-only query
SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series WHERE name = ''tiny''; SELECT 1');
SELECT chronos_cache_get('bad', '');
SELECT chronos_cache_get('bad', 'INSERT INTO cache_series VALUES (''x'', NULL) RETURNING data');
SELECT chronos_cache_get('bad', 'WITH d AS (DELETE FROM cache_series WHERE false RETURNING data) SELECT data FROM d');
SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series WHERE name = ''tiny'' FOR UPDATE');
SELECT chronos_cache_get('bad', 'SELECT data INTO cache_copy FROM cache_series');
SELECT chronos_cache_get('bad', 'TRUNCATE cache_series');
-- the loader's own errors pass unchanged, with the key in the context
SELECT chronos_cache_get('bad', 'SELEC data');
SELECT chronos_cache_get('bad', 'SELECT data FROM no_such_table');
SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series WHERE name = ''tiny'' AND 1 / 0 = 1');
SELECT state, message FROM cache_try($$SELECT chronos_cache_get('bad', 'SELECT data FROM cache_series WHERE 1 / 0 = 1')$$);
-- nothing was cached; every failure counts as a miss and a failed load
SELECT count(*) FROM chronos_cache_entries() WHERE key = 'bad';
SELECT * FROM cache_counters;

-- bad arguments (no miss: the loader never runs)
SELECT chronos_cache_get(NULL, 'SELECT NULL::compact_ts');
SELECT chronos_cache_get('k', NULL);
SELECT chronos_cache_get('k', 'SELECT NULL::compact_ts', '-1 second');
SELECT chronos_cache_get('k', 'SELECT NULL::compact_ts', '1 day -25 hours');
SELECT chronos_cache_preload(NULL, 'SELECT NULL::compact_ts');

-- a loader may use the cache itself
SELECT length(chronos_cache_get('outer', format('SELECT chronos_cache_get(%L, %L)', 'tiny', loader('tiny'))));
SELECT key FROM chronos_cache_entries() ORDER BY key;

-- ---------------------------------------------------------------------
-- The cap: LRU order, a value larger than the cap
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear();
SELECT * FROM cache_counters;
SET chronos.cache_size_mb = 1;
-- three values of about 300 kB fit in 1 MB
SELECT count(chronos_cache_get('plant-' || n, loader('plant-' || n))) FROM generate_series(1, 3) n;
SELECT key FROM chronos_cache_entries();
-- touch plant-1: plant-2 is now the least recently used
SELECT length(chronos_cache_get('plant-1', loader('plant-1')));
SELECT key FROM chronos_cache_entries();
-- a fourth evicts plant-2 only
SELECT length(chronos_cache_get('plant-4', loader('plant-4')));
SELECT key FROM chronos_cache_entries();
SELECT entries, evictions, memory_evictions FROM cache_counters;
SELECT bytes <= limit_bytes AS within_cap FROM chronos_cache_stats();
-- a fifth and a sixth: the two least recently used go
SELECT count(chronos_cache_get('plant-' || n, loader('plant-' || n))) FROM generate_series(5, 6) n;
SELECT key FROM chronos_cache_entries();
SELECT entries, evictions FROM cache_counters;

-- larger than the cap: returned (the whole value), not cached, with a NOTICE
SELECT chronos_cache_get('huge', loader('huge')) = data AS same
FROM cache_series WHERE name = 'huge';
SELECT key FROM chronos_cache_entries();
SELECT entries, misses, too_large FROM cache_counters;
-- the next call loads it again
SELECT length(chronos_cache_get('huge', loader('huge')));
SELECT misses, too_large FROM cache_counters;

-- a lower cap takes effect at the next call
SET chronos.cache_size_mb = 0;
SELECT count(*) FROM chronos_cache_entries();
-- 0 disables the cache: every call loads, nothing is kept, no NOTICE
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT count(*) FROM chronos_cache_entries();
SELECT entries, bytes FROM chronos_cache_stats();
RESET chronos.cache_size_mb;

-- ---------------------------------------------------------------------
-- The cache gives way to work near chronos.max_memory_mb
-- ---------------------------------------------------------------------

SET chronos.max_memory_mb = 3;
SELECT count(chronos_cache_preload('plant-' || n, loader('plant-' || n))) FROM generate_series(1, 6) n;
-- six values of about 300 kB: about 1.8 MB of the 3 MB
SELECT entries AS entries_before, evictions AS evictions_before FROM chronos_cache_stats() \gset
SELECT :entries_before AS entries, bytes BETWEEN 1700000 AND 2000000 AS about_1_8mb
FROM chronos_cache_stats();
-- an array of 200,000 points needs 3.2 MB at once: more than the limit
-- even with an empty cache, so it fails, and the cache keeps every entry
SELECT state, message FROM cache_try($$
	SELECT length(compact_ts(array_agg(t ORDER BY t), array_agg(1.0::float8)))
	FROM generate_series('2024-01-01'::timestamptz, '2024-01-01'::timestamptz + 199999 * interval '1 s', '1 s') t$$);
SELECT entries = :entries_before AS cache_kept, memory_evictions FROM cache_counters;
-- 100,000 points need 1.6 MB: more than is left, less than the limit:
-- the cache gives way (least recently used first), and the build succeeds
SELECT length(compact_ts(array_agg(t ORDER BY t), array_agg(1.0::float8)))
FROM generate_series('2024-01-01'::timestamptz, '2024-01-01'::timestamptz + 99999 * interval '1 s', '1 s') t;
SELECT entries < :entries_before AS cache_shrank, memory_evictions > 0 AS gave_way,
	   evictions - :evictions_before = memory_evictions AS all_for_memory
FROM cache_counters;
-- least recently used first: plant-1 went, plant-6 stayed
SELECT bool_and(key <> 'plant-1') AS lru_went, bool_or(key = 'plant-6') AS mru_stayed
FROM chronos_cache_entries();
-- after the statement, chronos holds only the cache again
SELECT s.bytes = m.used_memory_mb * 1048576 AS only_cache
FROM chronos_cache_stats() s, chronos_memory_stats() m;

-- no room to keep a value: under a 4 MB limit, while an aggregate holds
-- 2 MB of points, the 1.2 MB value is returned (a copy for the caller
-- fits), but a second copy for the cache does not: not cached, a NOTICE
SELECT chronos_cache_clear() >= 0 AS cleared;
SET chronos.max_memory_mb = 4;
\set VERBOSITY terse
SELECT length(a), length(chronos_cache_get('huge', loader('huge')))
FROM (SELECT compact_ts_agg(t, 1.0) AS a
	  FROM generate_series('2024-01-01'::timestamptz, '2024-01-01'::timestamptz + 119999 * interval '1 s', '1 s') t) s;
\set VERBOSITY default
SELECT entries, no_room FROM cache_counters;
-- with the memory back, it is cached
SELECT length(chronos_cache_get('huge', loader('huge')));
SELECT entries FROM cache_counters;
RESET chronos.max_memory_mb;

-- ---------------------------------------------------------------------
-- Staleness: max_age and chronos.cache_max_age
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
SELECT length(chronos_cache_get('tiny', loader('tiny'), max_age => '1 second'));
-- fresh: a hit
SELECT length(chronos_cache_get('tiny', loader('tiny'), max_age => '1 second'));
SELECT hits, misses, expired FROM cache_counters;
SELECT pg_sleep(1.1);
-- older than 1 second: loaded again; without a bound, the same entry is a hit
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT length(chronos_cache_get('tiny', loader('tiny'), max_age => '1 second'));
SELECT hits, misses, expired FROM cache_counters;
SELECT age < '1 second' AS reloaded FROM chronos_cache_entries() WHERE key = 'tiny';
-- max_age => '0': load again now
SELECT length(chronos_cache_get('tiny', loader('tiny'), max_age => '0'));
SELECT hits, misses, expired FROM cache_counters;
-- the setting bounds every call that passes no max_age
SET chronos.cache_max_age = 1;
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT pg_sleep(1.1);
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT hits, misses, expired FROM cache_counters;
-- and max_age, when given, replaces it
SELECT pg_sleep(1.1);
SELECT length(chronos_cache_get('tiny', loader('tiny'), max_age => '1 hour'));
SELECT hits, misses, expired FROM cache_counters;
RESET chronos.cache_max_age;

-- the cache does not see a change to the table: the old value until the
-- entry is evicted (or older than max_age)
UPDATE cache_series SET data = (SELECT data FROM cache_series WHERE name = 'plant-1') WHERE name = 'tiny';
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT chronos_cache_evict(relation => 'cache_series');
SELECT length(chronos_cache_get('tiny', loader('tiny')));
UPDATE cache_series SET data = compact_ts(ARRAY['2024-01-01 00:00:00+00', '2024-01-01 00:00:10+00']::timestamptz[],
										  ARRAY[1.5, 2.5]) WHERE name = 'tiny';
SELECT chronos_cache_evict('tiny');

-- ---------------------------------------------------------------------
-- Transactions: an entry that may hold uncommitted data dies with it
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
-- loaded after a write of the same transaction: evicted at ROLLBACK
BEGIN;
UPDATE cache_series SET data = (SELECT data FROM cache_series WHERE name = 'plant-2') WHERE name = 'tiny';
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT key FROM chronos_cache_entries();
ROLLBACK;
SELECT count(*) FROM chronos_cache_entries();
SELECT length(chronos_cache_get('tiny', loader('tiny')));
-- ... and at ROLLBACK TO SAVEPOINT; what the transaction loaded before
-- writing anything stays
SELECT chronos_cache_clear() >= 0 AS cleared;
BEGIN;
SELECT length(chronos_cache_get('plant-1', loader('plant-1')));
SAVEPOINT s1;
UPDATE cache_series SET data = (SELECT data FROM cache_series WHERE name = 'plant-2') WHERE name = 'tiny';
SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT key FROM chronos_cache_entries();
ROLLBACK TO SAVEPOINT s1;
SELECT key FROM chronos_cache_entries();
SELECT length(chronos_cache_get('tiny', loader('tiny')));
COMMIT;
SELECT key FROM chronos_cache_entries();
-- committed: it stays
BEGIN;
UPDATE cache_series SET name = name WHERE name = 'plant-3';
SELECT length(chronos_cache_get('plant-3', loader('plant-3')));
COMMIT;
SELECT key FROM chronos_cache_entries();
-- a read-only transaction that fails keeps what it loaded
BEGIN;
SELECT length(chronos_cache_get('plant-4', loader('plant-4')));
SELECT 1 / 0;
ROLLBACK;
SELECT key FROM chronos_cache_entries();

-- ---------------------------------------------------------------------
-- Preload: synchronous
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
SELECT chronos_cache_preload('plant-5', loader('plant-5'));
SELECT chronos_cache_preload('plant-5', loader('plant-5'));
SELECT hits, misses FROM cache_counters;
-- the later get is a hit
SELECT chronos_cache_get('plant-5', loader('plant-5')) = data AS same
FROM cache_series WHERE name = 'plant-5';
SELECT hits, misses FROM cache_counters;
-- preload follows get's rules: a stale entry is loaded again, a bad
-- loader is an error, a value larger than the cap is not kept
SELECT chronos_cache_preload('plant-5', loader('plant-5'), '0');
SELECT chronos_cache_preload('bad', 'SELECT 1');
SET chronos.cache_size_mb = 1;
SELECT chronos_cache_preload('huge', loader('huge'));
RESET chronos.cache_size_mb;
SELECT key FROM chronos_cache_entries();

-- ---------------------------------------------------------------------
-- Parallel plans: the functions are PARALLEL RESTRICTED, so a parallel
-- query runs them in the leader, above the Gather (here with the loaders
-- running inside the leader's parallel mode)
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
SELECT hits AS hits_before, misses AS misses_before FROM cache_counters \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT count(*), sum(length(chronos_cache_get(name, loader(name)))) FROM cache_series;
SELECT count(*), sum(length(chronos_cache_get(name, loader(name)))) FROM cache_series;
SELECT count(*), sum(length(chronos_cache_get(name, loader(name)))) FROM cache_series;
SELECT entries, hits - :hits_before AS new_hits, misses - :misses_before AS new_misses
FROM cache_counters;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- ---------------------------------------------------------------------
-- Roles: an entry belongs to the role that loaded it
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
CREATE ROLE regress_cache_reader;
CREATE ROLE regress_cache_outsider;
CREATE TABLE cache_secret (name text PRIMARY KEY, data compact_ts);
INSERT INTO cache_secret SELECT name, data FROM cache_series WHERE name = 'tiny';
GRANT SELECT ON cache_secret TO regress_cache_reader;
SET ROLE regress_cache_reader;
SELECT length(chronos_cache_get('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny'''));
SELECT length(chronos_cache_get('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny'''));
-- the same key and loader as a role that cannot read the table: the
-- loader runs as that role and fails with the table's permission error
SET ROLE regress_cache_outsider;
SELECT length(chronos_cache_get('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny'''));
SELECT state FROM cache_try($$SELECT chronos_cache_preload('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny''')$$);
-- it sees that the entry exists, not its loader
SELECT key, role, loader, hits FROM chronos_cache_entries();
RESET ROLE;
-- the superuser has its own entry; it sees every loader
SELECT length(chronos_cache_get('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny'''));
SELECT key, role = current_user::regrole AS my_role,
	   CASE WHEN role = current_user::regrole THEN 'me' ELSE role::text END AS role, loader
FROM chronos_cache_entries() ORDER BY 2, 3;
-- a SECURITY DEFINER function runs as its owner, and so does its loader:
-- the outsider gets the reader's entry through the function
CREATE FUNCTION cache_secret_points() RETURNS integer LANGUAGE sql SECURITY DEFINER
	AS $$ SELECT length(chronos_cache_get('secret', 'SELECT data FROM cache_secret WHERE name = ''tiny''')) $$;
ALTER FUNCTION cache_secret_points() OWNER TO regress_cache_reader;
SET ROLE regress_cache_outsider;
SELECT cache_secret_points();
SELECT key, role, hits FROM chronos_cache_entries() WHERE role = 'regress_cache_reader'::regrole;
-- evicting a key drops it for every role
SELECT chronos_cache_evict('secret');
RESET ROLE;
SELECT count(*) FROM chronos_cache_entries();
DROP FUNCTION cache_secret_points();
DROP TABLE cache_secret;
DROP ROLE regress_cache_reader;
DROP ROLE regress_cache_outsider;

-- ---------------------------------------------------------------------
-- Invalidation: key, prefix, relation, clear; the accounting returns to 0
-- ---------------------------------------------------------------------

SELECT chronos_cache_clear() >= 0 AS cleared;
CREATE VIEW cache_view AS SELECT name, data FROM cache_series;
CREATE TABLE cache_other (name text, data compact_ts);
INSERT INTO cache_other SELECT name, data FROM cache_series WHERE name = 'tiny';
SELECT count(chronos_cache_get(k, l)) FROM (VALUES
	('plant-1', loader('plant-1')),
	('plant-2', loader('plant-2')),
	('plant-3', 'SELECT data FROM cache_view WHERE name = ''plant-3'''),
	('plant-30', 'SELECT data FROM cache_other'),
	('tiny', 'SELECT data FROM cache_other')) v(k, l);
SELECT key, relations FROM chronos_cache_entries() ORDER BY key;
SELECT chronos_cache_evict('plant-1');
SELECT chronos_cache_evict('plant-1');
SELECT chronos_cache_evict(prefix => 'plant-3');
SELECT key FROM chronos_cache_entries() ORDER BY key;
SELECT chronos_cache_evict(relation => 'cache_other');
SELECT key FROM chronos_cache_entries() ORDER BY key;
-- through a view: the view and the table it reads are both recorded
SELECT chronos_cache_get('plant-3', 'SELECT data FROM cache_view WHERE name = ''plant-3''') IS NOT NULL;
SELECT chronos_cache_evict(relation => 'cache_series');
SELECT key FROM chronos_cache_entries() ORDER BY key;
-- exactly one of key, prefix, relation
SELECT chronos_cache_evict();
SELECT chronos_cache_evict('a', prefix => 'b');
-- an empty prefix matches every key
SELECT count(chronos_cache_get('plant-' || n, loader('plant-' || n))) FROM generate_series(1, 2) n;
SELECT chronos_cache_evict(prefix => '');
-- clear drops every entry; the accounting is back to zero
SELECT count(chronos_cache_get('plant-' || n, loader('plant-' || n))) FROM generate_series(1, 4) n;
SELECT chronos_cache_clear();
SELECT chronos_cache_clear();
SELECT entries, bytes FROM chronos_cache_stats();
SELECT used_memory_mb, cache_memory_mb FROM chronos_memory_stats();
SELECT count(*) FROM chronos_memory_contexts() WHERE name LIKE 'chronos cache%';
DROP VIEW cache_view;
DROP TABLE cache_other;

-- ---------------------------------------------------------------------
-- DISCARD ALL empties the cache and resets its counters
-- ---------------------------------------------------------------------

SELECT length(chronos_cache_get('tiny', loader('tiny')));
SELECT entries > 0 AS has_entries, misses > 0 AS has_counts FROM cache_counters;
-- DISCARD PLANS, DISCARD TEMP, RESET ALL leave it alone
DISCARD PLANS;
DISCARD TEMP;
RESET ALL;
SELECT entries FROM cache_counters;
-- not in a transaction block: an error, nothing discarded
BEGIN;
DISCARD ALL;
ROLLBACK;
SELECT entries FROM cache_counters;
DISCARD ALL;
SELECT * FROM chronos_cache_stats();
SELECT used_memory_mb, cache_memory_mb FROM chronos_memory_stats();

DROP VIEW cache_counters;
DROP FUNCTION cache_try(text);
DROP FUNCTION loader(text);
DROP TABLE cache_series;
DROP DOMAIN cache_dom;
