/*-------------------------------------------------------------------------
 *
 * memory.c
 *	  chronos's memory manager: per-operation contexts, accounting against
 *	  chronos.max_memory_mb, statistics, and the SQL functions that report
 *	  them.
 *
 * Design
 * ------
 * chronos must never be the reason a backend runs out of memory, and it
 * must say no itself, with a clear error, before PostgreSQL's allocator or
 * the kernel has to.  Five ideas carry this file.
 *
 * 1. Operations own contexts.  Every piece of work whose memory grows with
 *	  the data (an aggregate's transition states, a decode buffer, the text
 *	  of a large value, a detoasted value, the cache) is a ChronosMemOp: a
 *	  named AllocSet context created under the caller's context, with the
 *	  op's own bookkeeping allocated inside it.  PostgreSQL frees that
 *	  context with its parent, so whatever ends the query (a normal end, an
 *	  ERROR, a cancel, ROLLBACK TO SAVEPOINT, a LIMIT that stops early)
 *	  frees the op's memory without any help from chronos.
 *
 * 2. The context is the size table.  An op counts what its context really
 *	  holds: the context's mem_allocated (MemoryContextMemAllocated without
 *	  recursion, O(1)), which includes the context's own header and first
 *	  block, every block after it, the allocator's chunk headers and its
 *	  rounding of small chunks to a power of two, and freed chunks the
 *	  context keeps for reuse.  Every chronos_alloc, chronos_realloc and
 *	  chronos_free ends by settling the op: its count becomes its context's
 *	  mem_allocated, and the backend's total moves by the difference.  So
 *	  callers never pass a size back (chronos_free(op, ptr)), no chunk needs
 *	  a size header, and no table is kept: the allocator already knows every
 *	  chunk's size, and what matters is what the context holds, not what
 *	  was asked for.  1.0 counted requested sizes, and a HashAggregate of
 *	  100,000 five-point groups held three times what it counted
 *	  (test/memory_groups.sh).
 *
 * 3. Check before, count after.  The limit is checked against an upper
 *	  bound of what an allocation can add, before PostgreSQL allocates
 *	  anything: a request of more than CHRONOS_SMALL_CHUNK_LIMIT bytes gets
 *	  a block of its own (the request plus block and chunk headers); a
 *	  smaller one at worst a new block of at most CHRONOS_OP_MAX_BLOCK
 *	  bytes, the largest block an op's context makes.  A request that
 *	  would cross the limit fails before a byte is allocated; one that
 *	  passes is counted exactly afterwards.  The backend is single-threaded,
 *	  so nothing can come between the check and the count.  Callers grow
 *	  buffers geometrically (chronos_grow), never per point, so the
 *	  accounting costs a few additions per buffer growth and nothing in the
 *	  per-point loops.
 *
 * 4. The accounting dies with the memory.  Each op registers a memory
 *	  context reset callback on its own context.  When the context goes
 *	  away, for whatever reason, the callback subtracts the op's count from
 *	  the backend's totals and unlinks the op from the list of live ops.
 *	  The invariant
 *
 *		used == sum of the counts of the live ops
 *		cache_used == the same sum over the live CHRONOS_MEM_CACHE ops
 *
 *	  therefore holds after any ERROR, not only on the happy path; assert
 *	  builds check it on every settle (check_accounting).
 *
 * 5. The cache gives way.  The per-backend cache (cache.c) keeps each entry
 *	  in a CHRONOS_MEM_CACHE op of its own, so its bytes are counted like
 *	  any other and leave exactly when the entry is evicted.  When a request
 *	  would cross the limit, check_limit first asks the reclaim hook the
 *	  cache registered (chronos_memory_set_reclaim_hook) to free at least
 *	  the excess, then checks again; only then does it raise 53400.  The
 *	  hook is a function pointer, so this file does not depend on cache.c;
 *	  it evicts least recently used entries, all or nothing: when even an
 *	  empty cache would not make room, it keeps its entries and the request
 *	  fails as it would have anyway.  The hook only frees (it ends ops), so
 *	  it cannot recurse into check_limit.  chronos_memory_fits() asks the
 *	  same question without raising, for work that can be skipped: the
 *	  cache declines to keep a value rather than fail the statement.
 *
 * Many small groups.  An aggregate keeps one state per group, and a
 * HashAggregate keeps every group's state until its end.  A context per
 * state would cost at least its 1 kB first block per group, and PostgreSQL's
 * HashAggregate measures its own memory by walking every child context of
 * its hash context after each new group, which is quadratic in the number
 * of contexts.  So the groups of one aggregate context share one op
 * (chronos_op_shared): one context holding every state, whose small chunks
 * come from shared blocks.  A group of five points then costs about 300
 * bytes, and they are all counted.
 *
 * What the limit covers.  chronos.max_memory_mb bounds what chronos's
 * operations hold in one process: work memory of all live operations plus
 * the cache (whose entries are given up first, idea 5).  It does not cover
 * PostgreSQL's own memory (executor state, the tuples an aggregate reads,
 * the hash table of a HashAggregate, catalog caches, the row a cache
 * loader returns through SPI), nor the malloc overhead around each block,
 * nor small fixed-size allocations chronos makes outside an op.  Those are a bounded,
 * data-independent overhead; test/memory_sessions.sh and
 * test/memory_groups.sh measure it and the README documents it.  The limit
 * is per process: a parallel query may use up to the limit in the leader
 * and in each worker.  A SET takes effect at the next allocation; lowering
 * the limit below what is already held frees nothing, but the next
 * allocation fails.
 *
 * Allocations may be larger than PostgreSQL's 1 GB palloc limit
 * (MCXT_ALLOC_HUGE, repalloc_huge): within chronos.max_memory_mb, chronos's
 * limit is the only one.  A request no allocator could satisfy (more than
 * MaxAllocHugeSize, or an overflowed size computation) is
 * ERRCODE_PROGRAM_LIMIT_EXCEEDED; a real allocation failure is still
 * ERRCODE_OUT_OF_MEMORY.  glibc grows the blocks it got from mmap with
 * mremap, so growing a large array does not briefly hold the old and the
 * new copy; the count matches what the process really holds.
 *
 * Rules for callers (all chronos code, present and future):
 *	- every allocation whose size grows with the data goes through an op:
 *	  chronos_alloc/chronos_realloc/chronos_grow/chronos_free, or
 *	  chronos_detoast_datum for a value PostgreSQL detoasts on chronos's
 *	  behalf;
 *	- grow arrays geometrically (chronos_grow), so a build of n points
 *	  makes O(log n) allocations;
 *	- put the op under the context whose lifetime matches the memory (the
 *	  aggregate context, the SRF's multi-call context, the per-call
 *	  context), and never reset an op's context: end the op instead; an op
 *	  whose memory must outlive its maker may be moved under a longer-lived
 *	  parent once it is complete (the cache builds an entry under the
 *	  caller's context, so that an error frees it, then keeps it);
 *	- small fixed-size allocations (a block's worth of buffers that never
 *	  grows) may use palloc, but count them if they could be many.
 *
 * Chunk sizes.  chronos_optimal_chunk_points() turns what is left of the
 * limit into a number of points per chunk; the rule is documented at the
 * function, and chronos_optimal_chunk_size() applies it with the cost of
 * building a compact_ts.
 *
 * Logging.  With chronos.log_memory every allocation that grows an op by
 * 1 MB or more and the peak of every operation, when it ends, are logged
 * at LOG; without it the same messages are emitted at DEBUG1.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/memory.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "codec/codec.h"
#include "compat.h"
#include "memory.h"

/*
 * Growth of an op of at least this many bytes is logged (at LOG with
 * chronos.log_memory, else at DEBUG1).
 */
#define CHRONOS_LOG_THRESHOLD	((Size) 1024 * 1024)

/*
 * An op's context: 1 kB first block (which also holds the context's header
 * and the op), blocks growing to at most 64 kB.  AllocSet gives a request
 * larger than 8 kB (its chunk limit with these sizes) a block of its own;
 * a smaller request is carved from a shared block, and at worst needs a
 * new one of at most CHRONOS_OP_MAX_BLOCK bytes.
 */
#define CHRONOS_OP_INIT_BLOCK		((Size) 1024)
#define CHRONOS_OP_MAX_BLOCK		((Size) 64 * 1024)
#define CHRONOS_SMALL_CHUNK_LIMIT	((Size) 8 * 1024)

/*
 * What a block of its own adds beyond the request, at most: the block's
 * and the chunk's headers (under 100 bytes on every version), with room
 * to spare.
 */
#define CHRONOS_BLOCK_OVERHEAD		((Size) 1024)

/*
 * Cost of building a compact_ts, in bytes per point, at the builder's peak
 * (compact_ts_build.c), as used by chronos_optimal_chunk_size():
 *	 32  the points, 16 bytes each (int64 timestamp, float8 value), in an
 *		 array that doubles when full, so up to twice the points
 *	 20  then the larger of what comes next, one after the other: the
 *		 stable sort's merge buffer (16 bytes per point, freed before
 *		 encoding) or the encoded value at worst (quant16: a 2-byte code and
 *		 a 10-byte timestamp varint; gorilla: 78 bits and the varint)
 *	----
 *	 52, rounded up to 64 for the block index (64 bytes per 1024 points),
 *	 allocator overhead and the array constructor, whose input arrays
 *	 (16 bytes per point) replace the growth slack.
 * Measured with 20 million points: 28.9 bytes per point for time-ordered
 * input, 42.8 for shuffled input.
 */
#define CHRONOS_BUILD_BYTES_PER_POINT	64

/*
 * Bounds of chronos_optimal_chunk_points(): never fewer points than one
 * codec block (smaller chunks waste index and header space and are not a
 * way to save memory), never more than chronos.chunk_size allows, so the
 * result can always be SET as chronos.chunk_size.
 */
#define CHRONOS_MIN_CHUNK_POINTS	((int64) CTS_DEFAULT_BLOCK_POINTS)
#define CHRONOS_MAX_CHUNK_POINTS	((int64) 100000000)

/* Share of what is left of the limit that one chunk may plan to use. */
#define CHRONOS_CHUNK_BUDGET_DIVISOR	2

/* GUC variables */
int			chronos_max_memory_mb = 512;
int			chronos_chunk_size = 10000;
int			chronos_cache_size_mb = 64;
bool		chronos_log_memory = false;

/*
 * An operation.  It lives in its own context (context), which it describes;
 * the reset callback (cb) on that context gives back what it counts.
 */
struct ChronosMemOp
{
	dlist_node	node;			/* in live_ops */
	MemoryContext context;		/* the op's context; the op lives in it */
	ChronosMemKind kind;
	bool		shared;			/* made by chronos_op_shared */
	bool		ended;			/* chronos_op_end was called */
	Size		reserved;		/* bytes counted now: the context's size at
								 * the last settle */
	Size		peak;			/* most bytes counted at once */
	MemoryContextCallback cb;
};

/* Backend-wide accounting (see the invariant in the file header). */
static Size used_bytes = 0;
static Size cache_bytes = 0;
static Size peak_bytes = 0;
static dlist_head live_ops = DLIST_STATIC_INIT(live_ops);

/* The long-lived "chronos" context, created on first use. */
static MemoryContext chronos_context = NULL;

/* The cache's reclaim hook (idea 5), and whether it is running. */
static ChronosReclaimHook reclaim_hook = NULL;
static bool reclaiming = false;

PG_FUNCTION_INFO_V1(chronos_memory_stats);
PG_FUNCTION_INFO_V1(chronos_memory_reset_peak);
PG_FUNCTION_INFO_V1(chronos_optimal_chunk_size);
PG_FUNCTION_INFO_V1(chronos_memory_contexts);

static void chronos_op_reset_callback(void *arg);
static bool make_room(Size bytes);

/*
 * check_accounting
 *		Assert the invariant between the backend totals and the live ops,
 *		and that op (if not NULL) counts exactly what its context holds.
 *
 * O(live ops), a handful (the groups of an aggregate share one op); assert
 * builds only.
 */
static void
check_accounting(ChronosMemOp *op)
{
#ifdef USE_ASSERT_CHECKING
	Size		sum = 0;
	Size		cache_sum = 0;
	dlist_iter	iter;

	dlist_foreach(iter, &live_ops)
	{
		ChronosMemOp *o = dlist_container(ChronosMemOp, node, iter.cur);

		Assert(o->reserved <= o->peak);
		sum += o->reserved;
		if (o->kind == CHRONOS_MEM_CACHE)
			cache_sum += o->reserved;
	}
	Assert(sum == used_bytes);
	Assert(cache_sum == cache_bytes);
	Assert(used_bytes <= peak_bytes);
	Assert(op == NULL ||
		   op->reserved == MemoryContextMemAllocated(op->context, false));
#endif
}

/*
 * mem_level
 *		Log level of chronos's memory messages: LOG when chronos.log_memory
 *		is on, DEBUG1 otherwise.
 */
static inline int
mem_level(void)
{
	return chronos_log_memory ? LOG : DEBUG1;
}

/*
 * bytes_to_mb
 *		Bytes as (fractional) megabytes, the unit of the SQL statistics.
 */
static inline float8
bytes_to_mb(Size bytes)
{
	return (float8) bytes / (1024.0 * 1024.0);
}

/*
 * chronos_memory_init
 *		Define chronos's memory settings.  Called once from _PG_init, before
 *		MarkGUCPrefixReserved("chronos").
 */
void
chronos_memory_init(void)
{
	DefineCustomIntVariable("chronos.max_memory_mb",
							"Limit on the memory chronos holds in one backend.",
							"Covers every allocation of chronos that grows with the data: "
							"aggregate states, decode and sort buffers, text output, "
							"detoasted values, and the memory contexts that hold them.  It "
							"is checked before the memory is allocated; a request that would "
							"cross it fails with SQLSTATE 53400.  Each process counts "
							"separately, so a parallel query may use this much in the leader "
							"and in each worker.  A change takes effect at the next "
							"allocation.",
							&chronos_max_memory_mb,
							512,
							1,
							1048576,
							PGC_USERSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("chronos.chunk_size",
							"Number of points per chunk when chronos splits large work into segments.",
							"Large series are stored as segments of this many points, one "
							"row each, so that no single value or buffer has to hold the "
							"whole series.  chronos_optimal_chunk_size() suggests a value "
							"that fits the current memory limit.",
							&chronos_chunk_size,
							10000,
							100,
							(int) CHRONOS_MAX_CHUNK_POINTS,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("chronos.cache_size_mb",
							"Memory the per-backend chronos cache may hold.",
							"0 disables the cache.  The cache's memory also counts against "
							"chronos.max_memory_mb.",
							&chronos_cache_size_mb,
							64,
							0,
							1048576,
							PGC_USERSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);

	/*
	 * PGC_SUSET like PostgreSQL's own log_* settings (log_temp_files): it
	 * writes to the server log, which an ordinary user should not be able to
	 * flood.
	 */
	DefineCustomBoolVariable("chronos.log_memory",
							 "Logs chronos allocations that grow an operation by 1 MB or more, and the peak of each operation.",
							 "Messages go to the server log at level LOG.  When off, the same "
							 "messages are emitted at DEBUG1.",
							 &chronos_log_memory,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
}

/*
 * chronos_long_lived_context
 *		The "chronos" context, a child of TopMemoryContext, for state that
 *		lives as long as the backend (the cache).  Created on first use.
 *
 * Memory allocated here directly is not accounted; allocations that grow
 * with the data belong to a CHRONOS_MEM_CACHE op created under it.
 */
MemoryContext
chronos_long_lived_context(void)
{
	if (chronos_context == NULL)
		chronos_context = AllocSetContextCreate(TopMemoryContext,
												"chronos",
												ALLOCSET_SMALL_SIZES);
	return chronos_context;
}


/*
 * check_limit
 *		Raise the memory-limit error unless bytes more fit under
 *		chronos.max_memory_mb now, once the cache has given way if it can
 *		(make_room, idea 5).
 *
 * name: the operation, for the message; bytes: an upper bound of what the
 * coming allocation adds (see the file header, idea 3); what: its purpose.
 *
 * ERRCODE_CONFIGURATION_LIMIT_EXCEEDED (53400) when used + bytes would pass
 * the limit, ERRCODE_PROGRAM_LIMIT_EXCEEDED (54000) for a request no
 * allocator could satisfy (usually an overflowed size computation).
 */
static void
check_limit(const char *name, Size bytes, const char *what)
{
	Size		limit = chronos_memory_limit();

	if (what == NULL)
		what = "data";

	if (bytes > MaxAllocHugeSize || used_bytes > MaxAllocHugeSize - bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chronos cannot allocate %zu bytes for %s", bytes, what),
				 errdetail("Operation \"%s\" requested more than the largest possible allocation (%zu bytes).",
						   name, (Size) MaxAllocHugeSize),
				 errhint("Process the data in segments of chronos.chunk_size points.")));

#ifdef CHRONOS_NO_MEMORY_ACCOUNTING
	/* benchmark build: measures what the accounting costs */
	return;
#endif

	if (!make_room(bytes))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("chronos memory limit exceeded (chronos.max_memory_mb = %d MB)",
						chronos_max_memory_mb),
				 cache_bytes == 0 ?
				 errdetail("Operation \"%s\" requested %zu bytes for %s; chronos already uses %zu bytes of its %zu-byte limit in this backend.",
						   name, bytes, what, used_bytes, limit) :
				 errdetail("Operation \"%s\" requested %zu bytes for %s; chronos already uses %zu bytes of its %zu-byte limit in this backend, %zu of them in the cache, which could not make room.",
						   name, bytes, what, used_bytes, limit, cache_bytes),
				 errhint("Raise chronos.max_memory_mb, or process the data in segments of chronos.chunk_size (now %d) points; chronos_optimal_chunk_size() suggests a size that fits.",
						 chronos_chunk_size)));
}

/*
 * make_room
 *		Whether bytes more fit under chronos.max_memory_mb now, after asking
 *		the reclaim hook (idea 5) to free the excess if they do not.
 *
 * The hook is not asked again while it runs (it only frees, so it should
 * never get here; the flag is a guard, reset however the hook ends).
 */
static bool
make_room(Size bytes)
{
	Size		limit = chronos_memory_limit();

	if (used_bytes + bytes <= limit)
		return true;
	if (reclaim_hook != NULL && !reclaiming)
	{
		reclaiming = true;
		PG_TRY();
		{
			reclaim_hook(used_bytes + bytes - limit);
		}
		PG_FINALLY();
		{
			reclaiming = false;
		}
		PG_END_TRY();
	}
	return used_bytes + bytes <= limit;
}

/*
 * chronos_memory_set_reclaim_hook
 *		Register the function asked to free memory before a request fails
 *		with the memory-limit error (the cache's, from chronos_cache_init).
 */
void
chronos_memory_set_reclaim_hook(ChronosReclaimHook hook)
{
	reclaim_hook = hook;
}

/*
 * alloc_bound
 *		An upper bound of what allocating bytes in an op's context can add
 *		to the context (see the file header, idea 3).
 */
static inline Size
alloc_bound(Size bytes)
{
	if (bytes <= CHRONOS_SMALL_CHUNK_LIMIT)
		return CHRONOS_OP_MAX_BLOCK;
	if (bytes > MaxAllocHugeSize)
		return bytes;			/* check_limit rejects it */
	return bytes + CHRONOS_BLOCK_OVERHEAD;
}

/*
 * settle
 *		Make op count what its context holds now, and move the backend's
 *		totals by the difference.  what names the purpose of the growth, for
 *		the log.
 *
 * Cannot fail (it only logs), so it is safe after any allocation.
 */
static void
settle(ChronosMemOp *op, const char *what)
{
	Size		now = MemoryContextMemAllocated(op->context, false);

#ifdef CHRONOS_NO_MEMORY_ACCOUNTING
	return;
#endif

	if (now >= op->reserved)
	{
		Size		grown = now - op->reserved;

		used_bytes += grown;
		if (op->kind == CHRONOS_MEM_CACHE)
			cache_bytes += grown;
		op->reserved = now;
		if (now > op->peak)
			op->peak = now;
		if (used_bytes > peak_bytes)
			peak_bytes = used_bytes;

		if (grown >= CHRONOS_LOG_THRESHOLD &&
			message_level_is_interesting(mem_level()))
			ereport(mem_level(),
					(errmsg("chronos operation \"%s\" grew by %zu bytes for %s",
							op->context->name, grown, what ? what : "data"),
					 errdetail("The operation holds %zu bytes; chronos uses %zu of %zu bytes in this backend.",
							   op->reserved, used_bytes, chronos_memory_limit()),
					 errhidestmt(true)));
	}
	else
	{
		Size		shrunk = op->reserved - now;

		Assert(used_bytes >= shrunk);
		used_bytes -= shrunk;
		if (op->kind == CHRONOS_MEM_CACHE)
			cache_bytes -= shrunk;
		op->reserved = now;
	}

	check_accounting(op);
}

/*
 * chronos_op_begin
 *		Begin an operation whose memory counts against chronos.max_memory_mb.
 *
 * parent: the context the op's memory lives under: the aggregate context
 *		for an aggregate's state, the per-query or per-call context for a
 *		function, chronos_long_lived_context() for the cache.  NULL means
 *		CurrentMemoryContext.
 * name: a string that outlives the op (a constant), shown as the context's
 *		name in pg_backend_memory_contexts and chronos_memory_contexts().
 *
 * Returns the op, allocated in its own new context (a child of parent).
 * The context's first block counts from the start.  The op ends when that
 * context is deleted: by chronos_op_end, or with its parent at the end of
 * the query or on an ERROR.  Callers must not reset the op's context
 * themselves: the op lives in it.
 */
ChronosMemOp *
chronos_op_begin(MemoryContext parent, const char *name, ChronosMemKind kind)
{
	MemoryContext context;
	ChronosMemOp *op;

	if (parent == NULL)
		parent = CurrentMemoryContext;
	Assert(MemoryContextIsValid(parent));
	Assert(name != NULL);
	Assert(kind == CHRONOS_MEM_WORK || kind == CHRONOS_MEM_CACHE);

	/* the context's first block holds its header and the op */
	check_limit(name, CHRONOS_OP_INIT_BLOCK + CHRONOS_BLOCK_OVERHEAD,
				"operation context");

	/*
	 * AllocSetContextCreateInternal rather than the AllocSetContextCreate
	 * macro: the macro insists on a literal, and the name is our caller's
	 * constant.
	 */
	context = AllocSetContextCreateInternal(parent, name, 0,
											CHRONOS_OP_INIT_BLOCK,
											CHRONOS_OP_MAX_BLOCK);

	op = (ChronosMemOp *) MemoryContextAllocZero(context, sizeof(ChronosMemOp));
	op->context = context;
	op->kind = kind;
	op->shared = false;
	op->ended = false;
	op->reserved = 0;
	op->peak = 0;
	op->cb.func = chronos_op_reset_callback;
	op->cb.arg = op;

	/* Nothing below can fail, so the op is never half-registered. */
	MemoryContextRegisterResetCallback(context, &op->cb);
	dlist_push_tail(&live_ops, &op->node);
	settle(op, "operation context");

	return op;
}

/*
 * chronos_op_shared
 *		The live op named name under parent made by an earlier call, or a
 *		new one (as chronos_op_begin) that later calls will share.
 *
 * name is compared by address (a constant).  The op ends with parent; do
 * not end it with chronos_op_end, others may use it.  The search runs from
 * the newest live op and there are a handful, so this is cheap enough to
 * call once per new group of an aggregate.
 */
ChronosMemOp *
chronos_op_shared(MemoryContext parent, const char *name, ChronosMemKind kind)
{
	dlist_iter	iter;
	ChronosMemOp *op;

	if (parent == NULL)
		parent = CurrentMemoryContext;

	dlist_reverse_foreach(iter, &live_ops)
	{
		op = dlist_container(ChronosMemOp, node, iter.cur);
		if (op->shared && !op->ended && op->context->parent == parent &&
			op->context->name == name && op->kind == kind)
			return op;
	}

	op = chronos_op_begin(parent, name, kind);
	op->shared = true;
	return op;
}

/*
 * chronos_op_reset_callback
 *		Memory context reset callback of an op's context: give what the op
 *		counts back to the backend and forget the op.
 *
 * Runs whenever the context goes away, including during transaction abort,
 * so it does nothing that can fail except emit a log message (which
 * PostgreSQL itself does during abort, for temporary files).  The op's
 * memory is still valid here: callbacks run before the context is freed.
 */
static void
chronos_op_reset_callback(void *arg)
{
	ChronosMemOp *op = (ChronosMemOp *) arg;

	Assert(used_bytes >= op->reserved);
	used_bytes -= op->reserved;
	if (op->kind == CHRONOS_MEM_CACHE)
	{
		Assert(cache_bytes >= op->reserved);
		cache_bytes -= op->reserved;
	}
	dlist_delete(&op->node);

	if (op->peak > 0 && message_level_is_interesting(mem_level()))
		ereport(mem_level(),
				(errmsg("chronos operation \"%s\" %s, peak %zu bytes",
						op->context->name,
						op->ended ? "ended" : "released by its context",
						op->peak),
				 errhidestmt(true)));

	op->reserved = 0;
	check_accounting(NULL);
}

/*
 * chronos_op_end
 *		End an operation before its parent context goes away: log its peak
 *		(chronos.log_memory, else DEBUG1) and free its context and every
 *		byte allocated in it.  op may be NULL (no-op).
 */
void
chronos_op_end(ChronosMemOp *op)
{
	if (op == NULL)
		return;
	Assert(!op->shared);
	op->ended = true;
	/* the reset callback gives the count back and logs the peak */
	MemoryContextDelete(op->context);
}

/*
 * chronos_op_context
 *		The op's context, for PostgreSQL allocations made on the op's behalf
 *		(they count at the op's next settle).
 */
MemoryContext
chronos_op_context(ChronosMemOp *op)
{
	Assert(op != NULL);
	return op->context;
}

/*
 * chronos_op_reserved
 *		Bytes the op counts now.
 */
Size
chronos_op_reserved(ChronosMemOp *op)
{
	Assert(op != NULL);
	return op->reserved;
}

/*
 * out_of_memory
 *		A real allocation failure within the limit: report like PostgreSQL
 *		does.
 */
pg_noreturn static void
out_of_memory(ChronosMemOp *op, Size bytes, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory"),
			 errdetail("Failed on request of size %zu for %s in memory context \"%s\".",
					   bytes, what ? what : "data", op->context->name)));
}

/*
 * chronos_alloc_flags
 *		Check the limit, allocate bytes in the op's context with flags
 *		(MCXT_ALLOC_ZERO or 0), huge allocations allowed, and count them.
 */
static void *
chronos_alloc_flags(ChronosMemOp *op, Size bytes, const char *what, int flags)
{
	void	   *ptr;

	Assert(op != NULL);
	check_limit(op->context->name, alloc_bound(bytes), what);
	ptr = MemoryContextAllocExtended(op->context, bytes,
									 flags | MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (ptr == NULL)
		out_of_memory(op, bytes, what);
	settle(op, what);
	return ptr;
}

/*
 * chronos_alloc
 *		Allocate bytes in the op's context, within the limit.
 *
 * Returns memory in the op's context; free it with chronos_free (or let it
 * go with the op).  Sizes past PostgreSQL's 1 GB palloc limit are allowed.
 */
void *
chronos_alloc(ChronosMemOp *op, Size bytes, const char *what)
{
	return chronos_alloc_flags(op, bytes, what, 0);
}

/*
 * chronos_alloc0
 *		As chronos_alloc, zero-filled.
 */
void *
chronos_alloc0(ChronosMemOp *op, Size bytes, const char *what)
{
	return chronos_alloc_flags(op, bytes, what, MCXT_ALLOC_ZERO);
}

/*
 * chronos_realloc
 *		Grow or shrink a block allocated with chronos_alloc.
 *
 * ptr: the block (NULL: allocate newbytes).
 *
 * A growth checks the limit against the whole new size first (a small
 * chunk that grows moves to a new one; a block of its own grows in place
 * or by mremap), so on a limit error the old block is untouched.  Returns
 * the (possibly moved) block, in the op's context.
 */
void *
chronos_realloc(ChronosMemOp *op, void *ptr, Size newbytes, const char *what)
{
	void	   *result;

	Assert(op != NULL);
	if (ptr == NULL)
		return chronos_alloc(op, newbytes, what);
	Assert(GetMemoryChunkContext(ptr) == op->context);

	if (newbytes + CHRONOS_BLOCK_OVERHEAD > GetMemoryChunkSpace(ptr))
		check_limit(op->context->name, alloc_bound(newbytes), what);
	result = repalloc_huge(ptr, newbytes);
	settle(op, what);
	return result;
}

/*
 * chronos_free
 *		Free a block allocated with chronos_alloc (ptr may be NULL).  What
 *		the op's context gives back stops counting.
 */
void
chronos_free(ChronosMemOp *op, void *ptr)
{
	Assert(op != NULL);
	if (ptr == NULL)
		return;
	Assert(GetMemoryChunkContext(ptr) == op->context);
	pfree(ptr);
	settle(op, NULL);
}

/*
 * chronos_grow
 *		Make room for need elements in the array *ptr, doubling.
 *
 * ptr, capacity: the array (allocated in op, or NULL) and its capacity in
 *		elements; both are updated.
 * elemsize: bytes per element.
 * need: elements wanted; at most maxelems (the caller reports its own
 *		limit first).
 * maxelems: the capacity never grows past this.
 *
 * The capacity doubles from what it is (8 when 0) until need fits, so an
 * array filled one element at a time is reallocated O(log n) times.
 */
void
chronos_grow(ChronosMemOp *op, void **ptr, size_t *capacity, size_t elemsize,
			 size_t need, size_t maxelems, const char *what)
{
	size_t		newcap;

	Assert(elemsize > 0);
	Assert(need <= maxelems);
	if (need <= *capacity)
		return;

	newcap = *capacity > 0 ? *capacity : 8;
	while (newcap < need)
		newcap = newcap > maxelems / 2 ? maxelems : newcap * 2;
	newcap = Min(newcap, maxelems);
	if (newcap > MaxAllocHugeSize / elemsize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chronos cannot allocate %zu elements of %zu bytes for %s",
						newcap, elemsize, what),
				 errdetail("Operation \"%s\" requested more than the largest possible allocation (%zu bytes).",
						   op->context->name, (Size) MaxAllocHugeSize),
				 errhint("Process the data in segments of chronos.chunk_size points.")));

	*ptr = chronos_realloc(op, *ptr, newcap * elemsize, what);
	*capacity = newcap;
}

/*
 * chronos_detoast_datum
 *		The varlena behind datum, whole, counted in op.
 *
 * packed: accept a short (1-byte) header (PG_DETOAST_DATUM_PACKED), else
 *		the result has a 4-byte header (PG_DETOAST_DATUM).
 * what: the purpose, for the error detail ("detoasted value").
 *
 * A value stored out of line or compressed, or an expanded object, is
 * copied into the op's context; the limit is checked against its size first
 * (plus its compressed size, which PostgreSQL fetches before it
 * decompresses), so a huge value fails with the memory-limit error instead
 * of being read first.  An inline value is used in place (with a short
 * header only when packed).  Release with chronos_free_datum.
 */
struct varlena *
chronos_detoast_datum(ChronosMemOp *op, Datum datum, bool packed,
					  const char *what)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(datum);
	MemoryContext oldcontext;
	struct varlena *result;
	Size		bound;

	if (!VARATT_IS_EXTENDED(ptr))
		return ptr;
	/* (a TOAST pointer has a 1-byte header too: VARATT_IS_SHORT alone won't do) */
	if (packed && !VARATT_IS_EXTERNAL(ptr) && !VARATT_IS_COMPRESSED(ptr))
		return ptr;

	bound = toast_raw_datum_size(datum);
	if (VARATT_IS_EXTERNAL_ONDISK(ptr))
	{
		/*
		 * Stored compressed (VARATT_EXTERNAL_IS_COMPRESSED, whose comparison
		 * -Wextra flags): the compressed bytes are fetched first.
		 */
		Size		stored = toast_datum_size(datum);

		if (stored < bound - VARHDRSZ)
			bound = add_size(bound, stored);
	}
	check_limit(op->context->name, alloc_bound(bound), what);

	oldcontext = MemoryContextSwitchTo(op->context);
	result = packed ? pg_detoast_datum_packed(ptr) : pg_detoast_datum(ptr);
	MemoryContextSwitchTo(oldcontext);
	settle(op, what);
	return result;
}

/*
 * chronos_detoast_slice
 *		Bytes [offset, offset + length) of the data of the varlena behind
 *		datum, as a new varlena in the op's context (PG_DETOAST_DATUM_SLICE;
 *		the limit is checked first).  Fewer bytes come back if the value is
 *		shorter.  Free it with chronos_free.
 */
struct varlena *
chronos_detoast_slice(ChronosMemOp *op, Datum datum, Size offset, Size length,
					  const char *what)
{
	MemoryContext oldcontext;
	struct varlena *result;

	check_limit(op->context->name, alloc_bound(add_size(length, VARHDRSZ)), what);
	oldcontext = MemoryContextSwitchTo(op->context);
	result = PG_DETOAST_DATUM_SLICE(datum, (int32) offset, (int32) length);
	MemoryContextSwitchTo(oldcontext);
	settle(op, what);
	return result;
}

/*
 * chronos_free_datum
 *		Undo chronos_detoast_datum: free value if it is a copy.
 */
void
chronos_free_datum(ChronosMemOp *op, Datum datum, struct varlena *value)
{
	if ((Pointer) value != DatumGetPointer(datum))
		chronos_free(op, value);
}

/*
 * chronos_memory_used
 *		Bytes counted now by all live ops of this backend (work and cache).
 */
Size
chronos_memory_used(void)
{
	return used_bytes;
}

/*
 * chronos_memory_peak
 *		Most bytes counted at once since the backend started or since
 *		chronos_memory_reset_peak().
 */
Size
chronos_memory_peak(void)
{
	return peak_bytes;
}

/*
 * chronos_memory_limit
 *		chronos.max_memory_mb in bytes, as it stands now.
 */
Size
chronos_memory_limit(void)
{
	return (Size) chronos_max_memory_mb * 1024 * 1024;
}

/*
 * chronos_memory_cache_used
 *		Bytes counted now by the cache (CHRONOS_MEM_CACHE ops); part of
 *		chronos_memory_used().
 */
Size
chronos_memory_cache_used(void)
{
	return cache_bytes;
}

/*
 * chronos_memory_fits
 *		Whether a new op could take bytes more now, without raising: what
 *		check_limit would demand for the op's context, one allocation of
 *		bytes and one small allocation, after the reclaim hook has given way
 *		if need be (idea 5).  A request no allocator could satisfy does not
 *		fit.
 */
bool
chronos_memory_fits(Size bytes)
{
	Size		overhead = CHRONOS_OP_INIT_BLOCK + 2 * CHRONOS_BLOCK_OVERHEAD +
		CHRONOS_OP_MAX_BLOCK;

	if (bytes > MaxAllocHugeSize - overhead)
		return false;
#ifdef CHRONOS_NO_MEMORY_ACCOUNTING
	return true;
#endif
	return make_room(bytes + overhead);
}

/*
 * chronos_optimal_chunk_points
 *		Points per chunk such that a chunk fits in what is left of the limit.
 *
 * dataset_points: the number of points to process (> 0).
 * bytes_per_point: what one point costs the operation at its peak.
 *
 * The rule:
 *
 *	 available = max(limit - used, 0)
 *	 fit       = available / 2 / bytes_per_point
 *	 points    = min(dataset_points, fit rounded down to a multiple of 1024)
 *	 points    = max(points, min(dataset_points, 1024))
 *	 points    = min(points, 100,000,000)
 *
 * Half of what is left, so the rest of the statement (the output value,
 * PostgreSQL's copy of it, a second op) has room too; whole codec blocks of
 * 1024 points; never fewer than one block unless the data set is smaller,
 * even when not even one block fits (a smaller chunk would not help: the
 * reservation then fails with the memory-limit error); never more than
 * chronos.chunk_size's maximum, so the result can be SET as
 * chronos.chunk_size.
 */
int64
chronos_optimal_chunk_points(int64 dataset_points, Size bytes_per_point)
{
	Size		limit = chronos_memory_limit();
	Size		available = limit > used_bytes ? limit - used_bytes : 0;
	int64		fit;
	int64		points;

	if (dataset_points <= 0)
		return 0;
	if (bytes_per_point == 0)
		bytes_per_point = 1;

	fit = (int64) (available / CHRONOS_CHUNK_BUDGET_DIVISOR / bytes_per_point);
	if (fit >= CHRONOS_MIN_CHUNK_POINTS)
		fit -= fit % CHRONOS_MIN_CHUNK_POINTS;

	points = Min(dataset_points, fit);
	points = Max(points, Min(dataset_points, CHRONOS_MIN_CHUNK_POINTS));
	points = Min(points, CHRONOS_MAX_CHUNK_POINTS);
	return points;
}

/*
 * chronos_memory_stats() -> (used_memory_mb float8, available_memory_mb
 *		float8, cache_memory_mb float8, peak_memory_mb float8,
 *		memory_efficiency float8)
 *
 * This backend's chronos memory in megabytes: counted now, left under
 * chronos.max_memory_mb (never negative), the cache's share of used, the
 * peak since start or chronos_memory_reset_peak(), and used / peak (1.0
 * when the peak is 0).  The result is a row in the caller's context.
 */
Datum
chronos_memory_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	Size		limit = chronos_memory_limit();

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = Float8GetDatum(bytes_to_mb(used_bytes));
	values[1] = Float8GetDatum(bytes_to_mb(limit > used_bytes ? limit - used_bytes : 0));
	values[2] = Float8GetDatum(bytes_to_mb(cache_bytes));
	values[3] = Float8GetDatum(bytes_to_mb(peak_bytes));
	values[4] = Float8GetDatum(peak_bytes == 0 ? 1.0 :
							   (float8) used_bytes / (float8) peak_bytes);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * chronos_memory_reset_peak() -> void
 *
 * Start a new peak measurement: the peak becomes what is counted now.
 */
Datum
chronos_memory_reset_peak(PG_FUNCTION_ARGS)
{
	peak_bytes = used_bytes;
	PG_RETURN_VOID();
}

/*
 * chronos_optimal_chunk_size(dataset_size bigint) -> bigint
 *
 * Points per chunk for building compact_ts values out of dataset_size
 * points, so that a chunk fits in what is left of chronos.max_memory_mb
 * now (chronos_optimal_chunk_points with CHRONOS_BUILD_BYTES_PER_POINT).
 * dataset_size must be positive.
 */
Datum
chronos_optimal_chunk_size(PG_FUNCTION_ARGS)
{
	int64		dataset_size = PG_GETARG_INT64(0);

	if (dataset_size <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dataset size must be positive"),
				 errdetail("The dataset size given was " INT64_FORMAT " points.",
						   dataset_size)));

	PG_RETURN_INT64(chronos_optimal_chunk_points(dataset_size,
												 CHRONOS_BUILD_BYTES_PER_POINT));
}

/*
 * chronos_memory_contexts() -> TABLE(name text, parent text, kind text,
 *		reserved_bytes bigint, total_bytes bigint)
 *
 * chronos's live contexts in this backend: the long-lived "chronos"
 * context (kind 'long-lived', created by this call if need be; its
 * reserved_bytes is 0, its ops have rows of their own) and one row per live
 * op (kind 'work' or 'cache') in the order they began.  reserved_bytes is
 * what the op counts against the limit: what its context held when chronos
 * last allocated or freed in it; total_bytes is what PostgreSQL has
 * allocated for the context and its children now
 * (MemoryContextMemAllocated).  The two are equal unless PostgreSQL has
 * allocated in the op's context since.  The rows are materialized in the
 * per-query context.
 */
Datum
chronos_memory_contexts(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext top = chronos_long_lived_context();
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	dlist_iter	iter;

	InitMaterializedSRF(fcinfo, 0);

	values[0] = CStringGetTextDatum(top->name);
	values[1] = CStringGetTextDatum(top->parent->name);
	values[2] = CStringGetTextDatum("long-lived");
	values[3] = Int64GetDatum(0);
	values[4] = Int64GetDatum((int64) MemoryContextMemAllocated(top, true));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);

	dlist_foreach(iter, &live_ops)
	{
		ChronosMemOp *op = dlist_container(ChronosMemOp, node, iter.cur);
		MemoryContext parent = op->context->parent;

		values[0] = CStringGetTextDatum(op->context->name);
		if (parent != NULL)
		{
			values[1] = CStringGetTextDatum(parent->name);
			nulls[1] = false;
		}
		else
			nulls[1] = true;
		values[2] = CStringGetTextDatum(op->kind == CHRONOS_MEM_CACHE ? "cache" : "work");
		values[3] = Int64GetDatum((int64) op->reserved);
		values[4] = Int64GetDatum((int64) MemoryContextMemAllocated(op->context, true));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}

	return (Datum) 0;
}
