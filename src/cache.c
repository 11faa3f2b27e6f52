/*-------------------------------------------------------------------------
 *
 * cache.c
 *	  The lazy loader: a per-backend cache of loaded compact_ts values,
 *	  capped in memory, that runs a loader query only on a miss
 *	  (chronos_cache_get, chronos_cache_preload), with invalidation
 *	  (chronos_cache_evict, chronos_cache_clear, DISCARD ALL) and
 *	  statistics (chronos_cache_stats, chronos_cache_entries).
 *
 * Design
 * ------
 * A dashboard that asks for the same series a hundred times should load it
 * once.  chronos_cache_get(key, loader) looks the entry up and, on a miss,
 * runs the loader (a query returning one compact_ts) through SPI, keeps a
 * copy of its result and returns another.  Six ideas carry this file.
 *
 * 1. Per backend, in the memory manager.  The cache lives in this process
 *	  (a backend has no threads, and a shared cache would need
 *	  shared_preload_libraries and a DSA area).  Each entry is a
 *	  CHRONOS_MEM_CACHE op of its own (memory.h) holding the entry, its key
 *	  and loader text and the whole detoasted value, so that its bytes count
 *	  in chronos_memory_stats() (cache_memory_mb and used_memory_mb) and go
 *	  back exactly when it is evicted.  The index (a simplehash of entry
 *	  pointers) is another cache op; when the last entry goes, the index
 *	  goes too, so an empty cache holds nothing at all.  An entry is built
 *	  under the caller's memory context and moved under the long-lived
 *	  "chronos" context only once it is complete and indexed: an error
 *	  half-way frees it with the caller's context.
 *
 * 2. The key includes the role.  An entry is found by (key, role,
 *	  loader text), where role is GetUserId(), the role whose privileges
 *	  the loader runs with (the current role: SET ROLE changes it, and so
 *	  does a SECURITY DEFINER function, which runs as its owner).  So no
 *	  role can get what another role's loader returned: a role that cannot
 *	  read the table misses and its loader fails with the table's own
 *	  permission error.  The key is the caller's label and the loader the
 *	  caller's SQL; what else the loader's result depends on (search_path,
 *	  settings used by row security policies) is not part of the key.
 *
 * 3. LRU under two bounds.  Entries form a list, most recently used
 *	  first.  After an insert, least recently used entries are evicted
 *	  until the cache holds at most chronos.cache_size_mb; a value that
 *	  cannot fit even alone is returned uncached, with a NOTICE.  The cache
 *	  also gives way to other work: memory.c asks cache_reclaim() to free
 *	  memory before a request fails with 53400, and it evicts LRU entries,
 *	  all or nothing (if an empty cache would not make room, it keeps its
 *	  entries: the request fails anyway).  Before keeping a value, the cache
 *	  asks chronos_memory_fits(); when there is no room even after giving
 *	  way, it declines (a NOTICE) rather than fail the statement.
 *
 * 4. The loader is a read-only query, run with the caller's privileges.
 *	  It is prepared with SPI and checked before it runs: exactly one
 *	  statement, a SELECT (or VALUES, TABLE) that modifies and locks
 *	  nothing, one column of type compact_ts.  It runs read-only (SPI's
 *	  read_only: with the calling statement's snapshot, no command counter
 *	  increment), fetching at most two rows: one row is the value (NULL
 *	  included, and cached as NULL); none or several is an error 21000.  A
 *	  loader that fails caches nothing, its error propagates unchanged, with
 *	  a context line naming the key.  The relations its plan depends on are
 *	  remembered, for chronos_cache_evict(relation => ...).
 *
 * 5. Staleness is bounded, not prevented.  The cache does not see later
 *	  changes to the tables a loader read (no invalidation message follows
 *	  an INSERT or UPDATE, and other backends' caches are out of reach).
 *	  An entry older than max_age (the argument, else chronos.cache_max_age)
 *	  is reloaded.  One thing is prevented: an entry loaded by a transaction
 *	  that has written (it may hold that transaction's uncommitted data) is
 *	  evicted if that transaction or subtransaction aborts.
 *
 * 6. A hit returns a copy.  The caller gets the value in its own memory
 *	  context (a work op), never a pointer into the cache: a later call in
 *	  the same statement may evict the entry while the result is still in
 *	  use.  While the copy is made the entry is pinned, so that the memory
 *	  the copy needs cannot evict it.  Preload is synchronous: it runs the
 *	  loader now, in this session; nothing loads in the background.
 *
 * Entries vanish at DISCARD ALL (a ProcessUtility hook: DISCARD ALL has no
 * hook of its own, and resets nothing a custom setting could see unless it
 * was SET), and chronos_cache_clear().
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/detoast.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "tcop/cmdtag.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "cache.h"
#include "compact_ts.h"
#include "memory.h"

/*
 * What an entry costs beyond its value and its own fields, at most: the
 * op's context with its first block (1 kB) and the header of the value's
 * block.  Used only to tell early that a value cannot fit under
 * chronos.cache_size_mb; the exact size is measured once the entry exists.
 */
#define CACHE_ENTRY_OVERHEAD	((Size) 4096)

/* GUC variable: chronos.cache_max_age, seconds (0: no limit) */
int			chronos_cache_max_age = 0;

/*
 * An entry.  It lives in its own op's context (op), with its strings and
 * relation list right after it, and the value in a chunk of its own.
 */
typedef struct CacheEntry
{
	dlist_node	lru_node;		/* in lru, most recently used first */
	dlist_node	pending_node;	/* in pending, while pending */
	ChronosMemOp *op;			/* owns the entry and its value */
	uint32		hash;			/* of (key, role, loader) */
	Oid			role;			/* GetUserId() when it was loaded */
	char	   *key;
	char	   *loader;
	Oid		   *relids;			/* the relations the loader's plan uses */
	int			nrelids;
	struct varlena *value;		/* whole, 4-byte header; NULL: SQL NULL */
	Size		bytes;			/* what the op holds */
	TimestampTz loaded_at;
	TimestampTz last_used;
	int64		hits;
	bool		pending;		/* loaded by a transaction that had written */
	SubTransactionId subid;		/* where, while pending */
} CacheEntry;

/* A slot of the index: simplehash wants a status field. */
typedef struct CacheSlot
{
	CacheEntry *entry;
	uint32		hash;
	char		status;
} CacheSlot;

static inline bool entry_equal(const CacheEntry *a, const CacheEntry *b);

#define SH_PREFIX		cachetab
#define SH_ELEMENT_TYPE	CacheSlot
#define SH_KEY_TYPE		CacheEntry *
#define SH_KEY			entry
#define SH_HASH_KEY(tb, key)	((key)->hash)
#define SH_EQUAL(tb, a, b)		entry_equal(a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)		((a)->hash)
#define SH_USE_NONDEFAULT_ALLOCATOR
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* Counters since the backend started or the last DISCARD ALL. */
typedef struct CacheStats
{
	int64		hits;
	int64		misses;
	int64		evictions;		/* LRU evictions, for either bound */
	int64		memory_evictions;	/* of those, for chronos.max_memory_mb */
	int64		expired;		/* entries older than max_age, reloaded */
	int64		loads_failed;
	int64		too_large;		/* not cached: larger than the cap */
	int64		no_room;		/* not cached: no room under the limit */
} CacheStats;

static cachetab_hash *index_tab = NULL;
static ChronosMemOp *index_op = NULL;
static dlist_head lru = DLIST_STATIC_INIT(lru);
static dlist_head pending = DLIST_STATIC_INIT(pending);
static CacheStats stats;

/*
 * index_busy: the index is being changed (an insert may grow it, and the
 * growth's allocation may ask cache_reclaim for memory, which must then not
 * touch the index).  pinned: the entry being copied out.  Both are reset
 * at (sub)transaction abort, in case an error left them set.
 */
static bool index_busy = false;
static CacheEntry *pinned = NULL;

static ProcessUtility_hook_type prev_ProcessUtility = NULL;

PG_FUNCTION_INFO_V1(chronos_cache_get);
PG_FUNCTION_INFO_V1(chronos_cache_preload);
PG_FUNCTION_INFO_V1(chronos_cache_evict);
PG_FUNCTION_INFO_V1(chronos_cache_clear);
PG_FUNCTION_INFO_V1(chronos_cache_stats);
PG_FUNCTION_INFO_V1(chronos_cache_entries);


/* ----------------------------------------------------------------
 *		The index and the list
 * ----------------------------------------------------------------
 */

/*
 * entry_equal
 *		Whether two entries have the same (key, role, loader).
 */
static inline bool
entry_equal(const CacheEntry *a, const CacheEntry *b)
{
	return a->role == b->role && strcmp(a->key, b->key) == 0 &&
		strcmp(a->loader, b->loader) == 0;
}

/*
 * cachetab_allocate, cachetab_free
 *		The index's memory, in the index op: counted like the entries.
 */
static inline void *
cachetab_allocate(cachetab_hash *tb, Size size)
{
	return chronos_alloc0((ChronosMemOp *) tb->private_data, size, "cache index");
}

static inline void
cachetab_free(cachetab_hash *tb, void *pointer)
{
	chronos_free((ChronosMemOp *) tb->private_data, pointer);
}

/*
 * entry_hash
 *		Hash of (key, role, loader).
 */
static uint32
entry_hash(const char *key, Oid role, const char *loader)
{
	uint32		h = hash_bytes((const unsigned char *) key, strlen(key));

	h = hash_combine(h, hash_bytes((const unsigned char *) loader, strlen(loader)));
	return hash_combine(h, hash_bytes_uint32((uint32) role));
}

/*
 * cache_lookup
 *		The entry for (key, role, loader), or NULL.
 */
static CacheEntry *
cache_lookup(const char *key, Oid role, const char *loader, uint32 hash)
{
	CacheEntry	probe;
	CacheSlot  *slot;

	if (index_tab == NULL)
		return NULL;
	probe.hash = hash;
	probe.role = role;
	probe.key = (char *) key;
	probe.loader = (char *) loader;
	slot = cachetab_lookup(index_tab, &probe);
	return slot != NULL ? slot->entry : NULL;
}

/*
 * cache_release_if_empty
 *		With no entry left, end the index op too, so that an empty cache
 *		holds no memory at all.
 */
static void
cache_release_if_empty(void)
{
	if (index_tab != NULL && index_tab->members == 0 && !index_busy)
	{
		chronos_op_end(index_op);
		index_op = NULL;
		index_tab = NULL;
	}
}

/*
 * entry_remove
 *		Drop an entry: out of the index and the lists, and its op ended
 *		(which gives its bytes back).  e is invalid afterwards.  Frees only,
 *		so it is safe in the reclaim hook and during abort.
 */
static void
entry_remove(CacheEntry *e)
{
	bool		deleted PG_USED_FOR_ASSERTS_ONLY;

	Assert(e != pinned);
	deleted = cachetab_delete(index_tab, e);
	Assert(deleted);
	dlist_delete(&e->lru_node);
	if (e->pending)
		dlist_delete(&e->pending_node);
	chronos_op_end(e->op);
}

/*
 * evict_lru
 *		Evict least recently used entries, never keep nor the pinned one,
 *		while the cache holds more than target bytes.  Returns the number
 *		evicted (counted in stats.evictions).
 *
 * What the cache holds is what the memory manager counts for its ops
 * (chronos_memory_cache_used), so a build with CHRONOS_NO_MEMORY_ACCOUNTING,
 * which counts nothing, never evicts: that build only measures what the
 * accounting costs.
 */
static int
evict_lru(Size target, CacheEntry *keep)
{
	dlist_node *node;
	int			n = 0;

	node = dlist_is_empty(&lru) ? NULL : dlist_tail_node(&lru);
	while (node != NULL && chronos_memory_cache_used() > target)
	{
		dlist_node *prev = dlist_has_prev(&lru, node) ? dlist_prev_node(&lru, node) : NULL;
		CacheEntry *e = dlist_container(CacheEntry, lru_node, node);

		if (e != keep && e != pinned)
		{
			entry_remove(e);
			n++;
		}
		node = prev;
	}
	stats.evictions += n;
	cache_release_if_empty();
	return n;
}

/*
 * cache_reclaim
 *		The memory manager's reclaim hook: free at least bytes by evicting
 *		least recently used entries, all or nothing.
 *
 * When evicting every entry that may go (all but the pinned one, and then
 * the index too) would not free bytes, nothing is evicted: the request
 * fails anyway, and the cache keeps what it has.  Declines while the index
 * is being changed.  Returns the bytes freed.  Frees only (memory.c relies
 * on it).
 */
static Size
cache_reclaim(Size bytes)
{
	Size		before = chronos_memory_cache_used();
	Size		evictable = 0;
	dlist_iter	iter;
	int			n;

	if (index_busy || index_tab == NULL)
		return 0;
	dlist_foreach(iter, &lru)
	{
		CacheEntry *e = dlist_container(CacheEntry, lru_node, iter.cur);

		if (e != pinned)
			evictable += e->bytes;
	}
	if (pinned == NULL)
		evictable += chronos_op_reserved(index_op);
	if (evictable < bytes)
		return 0;

	n = evict_lru(before - Min(before, bytes), NULL);
	stats.memory_evictions += n;
	return before - chronos_memory_cache_used();
}

/*
 * cache_cap
 *		chronos.cache_size_mb in bytes.
 */
static inline Size
cache_cap(void)
{
	return (Size) chronos_cache_size_mb * 1024 * 1024;
}

/*
 * cache_drop
 *		Drop every entry for which match(e, arg) holds (all when match is
 *		NULL).  Returns how many.
 */
static int
cache_drop(bool (*match) (const CacheEntry *e, const void *arg), const void *arg)
{
	dlist_mutable_iter iter;
	int			n = 0;

	dlist_foreach_modify(iter, &lru)
	{
		CacheEntry *e = dlist_container(CacheEntry, lru_node, iter.cur);

		if (e != pinned && (match == NULL || match(e, arg)))
		{
			entry_remove(e);
			n++;
		}
	}
	cache_release_if_empty();
	return n;
}


/* ----------------------------------------------------------------
 *		Loading
 * ----------------------------------------------------------------
 */

/* What the loader's error context callback shows. */
typedef struct LoaderContext
{
	const char *key;
} LoaderContext;

/*
 * loader_error_context
 *		Error context callback: the line "chronos cache loader for key ...".
 */
static void
loader_error_context(void *arg)
{
	LoaderContext *lc = (LoaderContext *) arg;

	errcontext("chronos cache loader for key \"%s\"", lc->key);
}

/*
 * compact_ts_type
 *		The OID of compact_ts: the type of that name in the schema of the
 *		calling function (the extension is relocatable, and search_path may
 *		not include its schema).
 */
static Oid
compact_ts_type(FunctionCallInfo fcinfo)
{
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			typid;

	typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							CStringGetDatum("compact_ts"), ObjectIdGetDatum(nsp));
	if (!OidIsValid(typid))
		elog(ERROR, "type compact_ts not found in the schema of chronos's functions");
	return typid;
}

/*
 * check_loader
 *		Refuse a prepared loader that is not one read-only query returning
 *		one compact_ts column, before it runs.
 */
static void
check_loader(SPIPlanPtr plan, Oid cts_type)
{
	List	   *sources = SPI_plan_get_plan_sources(plan);
	CachedPlanSource *ps;
	ListCell   *lc;
	TupleDesc	desc;
	Oid			coltype;

	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("chronos cache loader must be exactly one query"),
				 errdetail("The loader holds %d statements.", list_length(sources)),
				 errhint("Write the loader as one SELECT that returns a compact_ts.")));

	ps = (CachedPlanSource *) linitial(sources);
	if (ps->query_list == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("chronos cache loader must be a read-only query"),
				 errdetail("The loader's command is %s, which a rule rewrites to nothing.",
						   GetCommandTagName(ps->commandTag))));
	foreach(lc, ps->query_list)
	{
		Query	   *q = lfirst_node(Query, lc);

		if (q->commandType != CMD_SELECT || q->utilityStmt != NULL ||
			q->hasModifyingCTE || q->rowMarks != NIL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("chronos cache loader must be a read-only query"),
					 q->rowMarks != NIL ?
					 errdetail("The loader locks rows (FOR UPDATE or FOR SHARE).") :
					 q->hasModifyingCTE ?
					 errdetail("The loader modifies data in a WITH clause.") :
					 errdetail("The loader's command is %s.",
							   GetCommandTagName(q->utilityStmt != NULL ?
												 CreateCommandTag(q->utilityStmt) :
												 ps->commandTag)),
					 errhint("Write the loader as one SELECT that returns a compact_ts; it runs only on a miss.")));
	}

	desc = ps->resultDesc;
	if (desc == NULL || desc->natts != 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("chronos cache loader must return one column"),
				 errdetail("The loader returns %d columns.", desc == NULL ? 0 : desc->natts),
				 errhint("Write the loader as SELECT <a compact_ts expression> ...")));
	coltype = TupleDescAttr(desc, 0)->atttypid;
	if (getBaseType(coltype) != cts_type)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("chronos cache loader must return compact_ts, not %s",
						format_type_be(coltype)),
				 errhint("Build the value in the loader, e.g. SELECT compact_ts_agg(ts, value) FROM ...")));
}

/*
 * run_loader
 *		Run loader read-only through SPI and return its one value, whole
 *		and with a 4-byte header, in a new work op under caller (*isnull
 *		for NULL; then nothing is allocated).
 *
 * relids, nrelids: set to the relations the loader's plan depends on, in
 *		caller.
 *
 * Errors: the loader's own, unchanged (with a context line naming key);
 * 22023 for a loader that is not one read-only query; 42804 for a result
 * that is not one compact_ts column; 21000 for no row or several.
 */
static struct varlena *
run_loader(const char *key, const char *loader, Oid cts_type,
		   MemoryContext caller, bool *isnull, Oid **relids, int *nrelids)
{
	LoaderContext ctx = {key};
	ErrorContextCallback errcb;
	SPIPlanPtr	plan;
	CachedPlanSource *ps;
	struct varlena *result = NULL;
	ListCell   *lc;
	Datum		d;
	int			ret;

	errcb.callback = loader_error_context;
	errcb.arg = &ctx;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	if ((ret = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(ret));
	/* a parallel plan is allowed, as for a query the caller ran itself */
	plan = SPI_prepare_cursor(loader, 0, NULL, CURSOR_OPT_PARALLEL_OK);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare_cursor failed: %s", SPI_result_code_string(SPI_result));
	check_loader(plan, cts_type);

	/* each relation once (a view's OID comes once per reference to it) */
	ps = (CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan));
	*relids = (Oid *) MemoryContextAlloc(caller,
										 sizeof(Oid) * Max(list_length(ps->relationOids), 1));
	*nrelids = 0;
	foreach(lc, ps->relationOids)
	{
		Oid			relid = lfirst_oid(lc);
		int			i;

		for (i = 0; i < *nrelids && (*relids)[i] != relid; i++)
			;
		if (i == *nrelids)
			(*relids)[(*nrelids)++] = relid;
	}

	ret = SPI_execute_plan(plan, NULL, NULL, true, 2);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "chronos cache loader: SPI_execute_plan returned %s",
			 SPI_result_code_string(ret));
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 SPI_processed == 0 ?
				 errmsg("chronos cache loader returned no row") :
				 errmsg("chronos cache loader returned more than one row"),
				 SPI_processed == 0 ?
				 errhint("A loader returns one row; SELECT (subquery) gives NULL when there is none.") :
				 errhint("A loader returns one row: a WHERE clause on a unique key, or an aggregate.")));

	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull);
	if (!*isnull)
	{
		ChronosMemOp *op = chronos_op_begin(caller, "chronos cache value",
											CHRONOS_MEM_WORK);

		result = chronos_detoast_datum(op, d, false, "loaded value");
		if ((Pointer) result == DatumGetPointer(d))
		{
			/* inline in SPI's tuple, which SPI_finish frees: copy it */
			result = (struct varlena *) chronos_alloc(op, VARSIZE(d), "loaded value");
			memcpy(result, DatumGetPointer(d), VARSIZE(d));
		}
	}

	SPI_finish();
	error_context_stack = errcb.previous;
	return result;
}

/*
 * load_counted
 *		run_loader, counting a failure in stats.loads_failed (the error
 *		itself goes on unchanged).  *value, *isnull, *relids, *nrelids as
 *		run_loader returns and sets them.
 */
static void
load_counted(const char *key, const char *loader, Oid cts_type,
			 MemoryContext caller, struct varlena **value, bool *isnull,
			 Oid **relids, int *nrelids)
{
	PG_TRY();
	{
		*value = run_loader(key, loader, cts_type, caller, isnull, relids, nrelids);
	}
	PG_CATCH();
	{
		stats.loads_failed++;
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/*
 * cache_insert
 *		Keep a copy of value (NULL: SQL NULL) as the entry for (key, role,
 *		loader), most recently used, evicting least recently used entries
 *		to stay within chronos.cache_size_mb.  Returns the entry, or NULL
 *		when the value is not cached: the cache is off, the entry is larger
 *		than the cap, or there is no room under chronos.max_memory_mb (both
 *		with a NOTICE).
 */
static CacheEntry *
cache_insert(const char *key, Oid role, const char *loader, uint32 hash,
			 const struct varlena *value, const Oid *relids, int nrelids,
			 TimestampTz now)
{
	Size		cap = cache_cap();
	Size		keylen = strlen(key) + 1;
	Size		loaderlen = strlen(loader) + 1;
	Size		meta = MAXALIGN(sizeof(CacheEntry)) + MAXALIGN(keylen) +
		MAXALIGN(loaderlen) + sizeof(Oid) * nrelids;
	Size		vsize = value != NULL ? VARSIZE(value) : 0;
	ChronosMemOp *op;
	CacheEntry *e;
	char	   *p;
	bool		found;
	CacheSlot  *slot;

	if (cap == 0)
		return NULL;
	if (meta + vsize + CACHE_ENTRY_OVERHEAD > cap)
	{
		stats.too_large++;
		ereport(NOTICE,
				(errmsg("value for chronos cache key \"%s\" is not cached: it is larger than chronos.cache_size_mb",
						key),
				 errdetail("The entry would take about %zu bytes; chronos.cache_size_mb allows %zu bytes.",
						   meta + vsize + CACHE_ENTRY_OVERHEAD, cap),
				 errhint("Raise chronos.cache_size_mb, or cache the series in smaller segments.")));
		return NULL;
	}
	if (!chronos_memory_fits(meta + vsize))
	{
		stats.no_room++;
		ereport(NOTICE,
				(errmsg("value for chronos cache key \"%s\" is not cached: no room under chronos.max_memory_mb",
						key),
				 errdetail("The entry would take about %zu bytes; chronos uses %zu of its %zu-byte limit in this backend for other work.",
						   meta + vsize + CACHE_ENTRY_OVERHEAD,
						   chronos_memory_used(), chronos_memory_limit()),
				 errhint("Raise chronos.max_memory_mb.")));
		return NULL;
	}

	/* built under the caller's context: an error frees it (idea 1) */
	op = chronos_op_begin(CurrentMemoryContext, "chronos cache entry",
						  CHRONOS_MEM_CACHE);
	e = (CacheEntry *) chronos_alloc0(op, meta, "cache entry");
	p = (char *) e + MAXALIGN(sizeof(CacheEntry));
	e->key = memcpy(p, key, keylen);
	p += MAXALIGN(keylen);
	e->loader = memcpy(p, loader, loaderlen);
	p += MAXALIGN(loaderlen);
	e->relids = (Oid *) p;
	if (nrelids > 0)
		memcpy(e->relids, relids, sizeof(Oid) * nrelids);
	e->nrelids = nrelids;
	if (value != NULL)
	{
		e->value = (struct varlena *) chronos_alloc(op, vsize, "cached value");
		memcpy(e->value, value, vsize);
	}
	e->op = op;
	e->hash = hash;
	e->role = role;
	e->loaded_at = now;
	e->last_used = now;
	e->bytes = chronos_op_reserved(op);

	/* into the index: a growth may allocate, and must not evict meanwhile */
	if (index_tab == NULL)
	{
		/* like an entry, built under the caller's context until complete */
		ChronosMemOp *iop = chronos_op_begin(CurrentMemoryContext,
											 "chronos cache index",
											 CHRONOS_MEM_CACHE);
		cachetab_hash *tab = cachetab_create(chronos_op_context(iop), 16, iop);

		MemoryContextSetParent(chronos_op_context(iop), chronos_long_lived_context());
		index_op = iop;
		index_tab = tab;
	}
	index_busy = true;
	slot = cachetab_insert(index_tab, e, &found);
	index_busy = false;
	Assert(!found);
	slot->entry = e;

	/* complete: from now on the cache owns it */
	MemoryContextSetParent(chronos_op_context(op), chronos_long_lived_context());
	dlist_push_head(&lru, &e->lru_node);
	if (TransactionIdIsValid(GetTopTransactionIdIfAny()))
	{
		e->pending = true;
		e->subid = GetCurrentSubTransactionId();
		dlist_push_head(&pending, &e->pending_node);
	}

	evict_lru(cap, e);
	if (chronos_memory_cache_used() > cap)
	{
		Size		bytes = e->bytes;

		entry_remove(e);
		cache_release_if_empty();
		stats.too_large++;
		ereport(NOTICE,
				(errmsg("value for chronos cache key \"%s\" is not cached: it is larger than chronos.cache_size_mb",
						key),
				 errdetail("The entry takes %zu bytes; chronos.cache_size_mb allows %zu bytes.",
						   bytes, cap),
				 errhint("Raise chronos.cache_size_mb, or cache the series in smaller segments.")));
		return NULL;
	}
	return e;
}

/*
 * max_age_usecs
 *		The staleness bound of a call in microseconds: the max_age argument
 *		(argno) if given, else chronos.cache_max_age; -1 for no bound.
 *
 * A month counts 30 days and a day 24 hours (as interval comparison does);
 * an interval too large for int64 microseconds is no bound.  A negative
 * interval is an error.
 */
static int64
max_age_usecs(FunctionCallInfo fcinfo, int argno)
{
	Interval   *iv;
	int64		months,
				days,
				total;

	if (PG_ARGISNULL(argno))
		return chronos_cache_max_age > 0 ?
			(int64) chronos_cache_max_age * USECS_PER_SEC : -1;

	iv = PG_GETARG_INTERVAL_P(argno);
	if (pg_mul_s64_overflow((int64) iv->month, (int64) DAYS_PER_MONTH * USECS_PER_DAY, &months) ||
		pg_mul_s64_overflow((int64) iv->day, USECS_PER_DAY, &days) ||
		pg_add_s64_overflow(months, days, &total) ||
		pg_add_s64_overflow(total, iv->time, &total))
	{
		/* beyond int64: only its sign matters */
		double		approx = (double) iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
			(double) iv->day * USECS_PER_DAY + (double) iv->time;

		total = approx < 0 ? -1 : PG_INT64_MAX;
	}
	if (total < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_age must not be negative"),
				 errhint("Pass a positive interval, '0' to reload now, or NULL for chronos.cache_max_age.")));
	return total == PG_INT64_MAX ? -1 : total;
}

/*
 * text_arg
 *		Argument argno as a C string; NULL is an error naming what.
 */
static char *
text_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("chronos cache %s must not be NULL", what)));
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * copy_out
 *		A copy of e's value in a new work op under the current context,
 *		for the caller.  The entry is pinned meanwhile, so that the memory
 *		the copy needs cannot evict it (idea 6).
 */
static struct varlena *
copy_out(CacheEntry *e)
{
	ChronosMemOp *op;
	struct varlena *copy;

	pinned = e;
	op = chronos_op_begin(CurrentMemoryContext, "chronos cache value",
						  CHRONOS_MEM_WORK);
	copy = (struct varlena *) chronos_alloc(op, VARSIZE(e->value), "cached value");
	memcpy(copy, e->value, VARSIZE(e->value));
	pinned = NULL;
	return copy;
}

/*
 * cache_fetch
 *		What chronos_cache_get and chronos_cache_preload share: find the
 *		entry for (key, GetUserId(), loader) that is not older than max_age,
 *		or run the loader and cache its value.
 *
 * want_value: return the value (a copy in the current context); else
 *		return NULL and do not copy.
 * isnull: set when the value is SQL NULL.
 * loaded: set when the loader ran.
 */
static struct varlena *
cache_fetch(FunctionCallInfo fcinfo, bool want_value, bool *isnull, bool *loaded)
{
	char	   *key = text_arg(fcinfo, 0, "key");
	char	   *loader = text_arg(fcinfo, 1, "loader");
	int64		max_age = max_age_usecs(fcinfo, 2);
	Oid			role = GetUserId();
	uint32		hash = entry_hash(key, role, loader);
	TimestampTz now = GetCurrentTimestamp();
	MemoryContext caller = CurrentMemoryContext;
	CacheEntry *e;
	struct varlena *value;
	Oid		   *relids;
	int			nrelids;

	*isnull = false;
	*loaded = false;

	/* a lowered chronos.cache_size_mb takes effect here */
	if (chronos_memory_cache_used() > cache_cap())
		evict_lru(cache_cap(), NULL);

	e = cache_lookup(key, role, loader, hash);
	if (e != NULL && max_age >= 0 && now - e->loaded_at >= max_age)
	{
		stats.expired++;
		entry_remove(e);
		cache_release_if_empty();
		e = NULL;
	}
	if (e != NULL)
	{
		stats.hits++;
		e->hits++;
		e->last_used = now;
		dlist_move_head(&lru, &e->lru_node);
		*isnull = (e->value == NULL);
		return (want_value && e->value != NULL) ? copy_out(e) : NULL;
	}

	stats.misses++;
	*loaded = true;
	load_counted(key, loader, compact_ts_type(fcinfo), caller, &value, isnull,
				 &relids, &nrelids);

	/* the loader may have used the cache itself (a nested call) */
	e = cache_lookup(key, role, loader, hash);
	if (e != NULL)
		entry_remove(e);
	cache_insert(key, role, loader, hash, value, relids, nrelids,
				 GetCurrentTimestamp());
	return value;
}


/* ----------------------------------------------------------------
 *		SQL functions
 * ----------------------------------------------------------------
 */

/*
 * chronos_cache_get(key text, loader text, max_age interval DEFAULT NULL)
 *		-> compact_ts
 *
 * The value cached for (key, current role, loader), if not older than
 * max_age (NULL: chronos.cache_max_age); else the loader's value, run now
 * and cached.  The result is a copy in the caller's context (counted as
 * work memory).  NULL if the loader returned NULL.
 */
Datum
chronos_cache_get(PG_FUNCTION_ARGS)
{
	bool		isnull;
	bool		loaded;
	struct varlena *value = cache_fetch(fcinfo, true, &isnull, &loaded);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(value);
}

/*
 * chronos_cache_preload(key text, loader text, max_age interval DEFAULT
 *		NULL) -> boolean
 *
 * As chronos_cache_get, without returning the value: true if it ran the
 * loader (its value is then cached, unless a NOTICE said why not), false if
 * a fresh entry was cached already.  Synchronous: the loader runs now, in
 * this session.
 */
Datum
chronos_cache_preload(PG_FUNCTION_ARGS)
{
	bool		isnull;
	bool		loaded;

	(void) cache_fetch(fcinfo, false, &isnull, &loaded);
	PG_RETURN_BOOL(loaded);
}

/* matchers for cache_drop */
static bool
match_key(const CacheEntry *e, const void *arg)
{
	return strcmp(e->key, (const char *) arg) == 0;
}

static bool
match_prefix(const CacheEntry *e, const void *arg)
{
	const char *prefix = (const char *) arg;

	return strncmp(e->key, prefix, strlen(prefix)) == 0;
}

static bool
match_relation(const CacheEntry *e, const void *arg)
{
	Oid			relid = *(const Oid *) arg;

	for (int i = 0; i < e->nrelids; i++)
		if (e->relids[i] == relid)
			return true;
	return false;
}

/*
 * chronos_cache_evict(key text DEFAULT NULL, prefix text DEFAULT NULL,
 *		relation regclass DEFAULT NULL) -> integer
 *
 * Drop the entries of one key, of every key starting with prefix, or of
 * every loader whose plan read relation (directly or through a view), for
 * every role; exactly one of the three must be given.  Returns how many
 * entries were dropped.
 */
Datum
chronos_cache_evict(PG_FUNCTION_ARGS)
{
	int			given = !PG_ARGISNULL(0) + !PG_ARGISNULL(1) + !PG_ARGISNULL(2);
	int			n;

	if (given != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("exactly one of key, prefix and relation must be given"),
				 errdetail("%d of them were given.", given),
				 errhint("chronos_cache_clear() drops every entry.")));

	if (!PG_ARGISNULL(0))
		n = cache_drop(match_key, text_to_cstring(PG_GETARG_TEXT_PP(0)));
	else if (!PG_ARGISNULL(1))
		n = cache_drop(match_prefix, text_to_cstring(PG_GETARG_TEXT_PP(1)));
	else
	{
		Oid			relid = PG_GETARG_OID(2);

		n = cache_drop(match_relation, &relid);
	}
	PG_RETURN_INT32(n);
}

/*
 * chronos_cache_clear() -> integer
 *
 * Drop every entry; returns how many.  The counters stay.
 */
Datum
chronos_cache_clear(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cache_drop(NULL, NULL));
}

/*
 * chronos_cache_stats() -> (entries bigint, bytes bigint, limit_bytes bigint,
 *		hits bigint, misses bigint, evictions bigint, memory_evictions bigint,
 *		expired bigint, loads_failed bigint, too_large bigint, no_room bigint)
 *
 * One row: the entries now, the bytes the cache holds (its entries and its
 * index, as chronos_memory_stats().cache_memory_mb counts them),
 * chronos.cache_size_mb in bytes, and the counters since the backend
 * started or the last DISCARD ALL.  The row is in the caller's context.
 */
Datum
chronos_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[11];
	bool		nulls[11] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = Int64GetDatum(index_tab != NULL ? (int64) index_tab->members : 0);
	values[1] = Int64GetDatum((int64) chronos_memory_cache_used());
	values[2] = Int64GetDatum((int64) cache_cap());
	values[3] = Int64GetDatum(stats.hits);
	values[4] = Int64GetDatum(stats.misses);
	values[5] = Int64GetDatum(stats.evictions);
	values[6] = Int64GetDatum(stats.memory_evictions);
	values[7] = Int64GetDatum(stats.expired);
	values[8] = Int64GetDatum(stats.loads_failed);
	values[9] = Int64GetDatum(stats.too_large);
	values[10] = Int64GetDatum(stats.no_room);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * chronos_cache_entries() -> TABLE(key text, role regrole, loader text,
 *		relations regclass[], bytes bigint, points bigint, loaded_at
 *		timestamptz, age interval, hits bigint, last_used timestamptz)
 *
 * One row per entry, most recently used first.  loader is shown only to a
 * role that has the privileges of the entry's role (NULL otherwise);
 * points is NULL for a NULL value (or one whose header does not read).
 * The rows are materialized in the per-query context.
 */
Datum
chronos_cache_entries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimestampTz now = GetCurrentTimestamp();
	Oid			me = GetUserId();
	dlist_iter	iter;

	InitMaterializedSRF(fcinfo, 0);

	dlist_foreach(iter, &lru)
	{
		CacheEntry *e = dlist_container(CacheEntry, lru_node, iter.cur);
		Datum		values[10];
		bool		nulls[10] = {0};
		Datum	   *rels = palloc(sizeof(Datum) * Max(e->nrelids, 1));
		Interval   *age = palloc0(sizeof(Interval));
		cts_header	h;

		values[0] = CStringGetTextDatum(e->key);
		values[1] = ObjectIdGetDatum(e->role);
		if (has_privs_of_role(me, e->role))
			values[2] = CStringGetTextDatum(e->loader);
		else
			nulls[2] = true;
		for (int i = 0; i < e->nrelids; i++)
			rels[i] = ObjectIdGetDatum(e->relids[i]);
		values[3] = PointerGetDatum(construct_array(rels, e->nrelids, REGCLASSOID,
													sizeof(Oid), true, TYPALIGN_INT));
		values[4] = Int64GetDatum((int64) e->bytes);
		if (e->value != NULL &&
			cts_read_header(CTS_PAYLOAD(e->value), CTS_PAYLOAD_LEN(e->value), &h) == CTS_OK)
			values[5] = Int64GetDatum((int64) h.npoints);
		else
			nulls[5] = true;
		values[6] = TimestampTzGetDatum(e->loaded_at);
		age->time = now - e->loaded_at;
		values[7] = IntervalPGetDatum(age);
		values[8] = Int64GetDatum(e->hits);
		values[9] = TimestampTzGetDatum(e->last_used);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}


/* ----------------------------------------------------------------
 *		Transactions, DISCARD ALL, init
 * ----------------------------------------------------------------
 */

/*
 * drop_pending
 *		Evict the pending entries loaded at or below subtransaction subid
 *		(InvalidSubTransactionId: all), whose data may be uncommitted and
 *		is now rolled back.
 */
static void
drop_pending(SubTransactionId subid)
{
	dlist_mutable_iter iter;

	dlist_foreach_modify(iter, &pending)
	{
		CacheEntry *e = dlist_container(CacheEntry, pending_node, iter.cur);

		if (subid == InvalidSubTransactionId || e->subid >= subid)
			entry_remove(e);
	}
	cache_release_if_empty();
}

/*
 * cache_xact_callback
 *		At commit, pending entries become ordinary ones; at abort (and at
 *		PREPARE, whose outcome is decided elsewhere) they are evicted.  An
 *		abort also clears what an error may have left set.
 */
static void
cache_xact_callback(XactEvent event, void *arg)
{
	dlist_mutable_iter iter;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
			dlist_foreach_modify(iter, &pending)
			{
				CacheEntry *e = dlist_container(CacheEntry, pending_node, iter.cur);

				dlist_delete(&e->pending_node);
				e->pending = false;
			}
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			pinned = NULL;
			index_busy = false;
			drop_pending(InvalidSubTransactionId);
			break;
		default:
			break;
	}
}

/*
 * cache_subxact_callback
 *		A subtransaction that aborts takes the pending entries it (or a
 *		subtransaction under it) loaded with it.
 */
static void
cache_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		pinned = NULL;
		index_busy = false;
		drop_pending(mySubid);
	}
}

/*
 * cache_ProcessUtility
 *		ProcessUtility hook: after a DISCARD ALL has run, empty the cache
 *		and reset its counters, as for a new session.
 */
static void
cache_ProcessUtility(PlannedStmt *pstmt, const char *queryString,
					 bool readOnlyTree, ProcessUtilityContext context,
					 ParamListInfo params, QueryEnvironment *queryEnv,
					 DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *parsetree = pstmt->utilityStmt;
	bool		discard_all = IsA(parsetree, DiscardStmt) &&
		((DiscardStmt *) parsetree)->target == DISCARD_ALL;

	if (prev_ProcessUtility != NULL)
		prev_ProcessUtility(pstmt, queryString, readOnlyTree, context, params,
							queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);

	if (discard_all)
	{
		cache_drop(NULL, NULL);
		memset(&stats, 0, sizeof(stats));
	}
}

/*
 * chronos_cache_init
 *		Define chronos.cache_max_age and install the cache's hooks: the
 *		memory manager's reclaim hook, the transaction callbacks and the
 *		ProcessUtility hook (for DISCARD ALL).  Called once from _PG_init,
 *		before MarkGUCPrefixReserved("chronos").
 */
void
chronos_cache_init(void)
{
	DefineCustomIntVariable("chronos.cache_max_age",
							"Age after which a cached value is loaded again.",
							"An entry older than this is reloaded by chronos_cache_get and "
							"chronos_cache_preload, unless the call passes max_age.  0 "
							"means no limit: the cache does not see later changes to the "
							"tables a loader read.",
							&chronos_cache_max_age,
							0,
							0,
							INT_MAX,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	chronos_memory_set_reclaim_hook(cache_reclaim);
	RegisterXactCallback(cache_xact_callback, NULL);
	RegisterSubXactCallback(cache_subxact_callback, NULL);
	prev_ProcessUtility = ProcessUtility_hook;
	ProcessUtility_hook = cache_ProcessUtility;
}
