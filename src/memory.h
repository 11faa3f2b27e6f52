/*-------------------------------------------------------------------------
 *
 * memory.h
 *	  chronos's memory manager: accounting, limit and statistics on top of
 *	  PostgreSQL memory contexts.
 *
 * Every allocation that grows with the data (aggregate state, decode and
 * sort buffers, text output, a detoasted value) goes through a
 * ChronosMemOp.  An operation owns a named child context of the caller's
 * context; what that context holds (its header, its blocks, the
 * allocator's rounding) counts against chronos.max_memory_mb for this
 * backend.  A reset callback on the context gives the bytes back, so the
 * accounting is right after an ERROR, a cancel or an early end of the
 * query, not only on the happy path.  The op remembers what it holds, so
 * callers never pass a size back: chronos_free(op, ptr).  Per-point work
 * never calls in here: grow buffers geometrically (chronos_grow).  The
 * cache's entries are ops too (CHRONOS_MEM_CACHE); when a request would
 * pass the limit, the cache is asked to give way (a reclaim hook) before
 * the request fails.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/memory.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_MEMORY_H
#define CHRONOS_MEMORY_H

#include "postgres.h"
#include "utils/memutils.h"

/* GUC variables (defined in memory.c) */
extern int	chronos_max_memory_mb;	/* chronos.max_memory_mb */
extern int	chronos_chunk_size;		/* chronos.chunk_size (points) */
extern int	chronos_cache_size_mb;	/* chronos.cache_size_mb */
extern bool chronos_log_memory;		/* chronos.log_memory */

/* What an operation's bytes count as in chronos_memory_stats(). */
typedef enum ChronosMemKind
{
	CHRONOS_MEM_WORK,			/* query-lifetime work memory */
	CHRONOS_MEM_CACHE			/* the per-backend cache */
} ChronosMemKind;

typedef struct ChronosMemOp ChronosMemOp;

/* Defines the GUCs; called from _PG_init. */
extern void chronos_memory_init(void);

/*
 * Begin an operation: creates a child context of parent named name (a
 * string constant, shown in pg_backend_memory_contexts and
 * chronos_memory_contexts()).  The op lives in that context and dies with
 * it; deleting or resetting parent ends it, releasing its bytes.  An op
 * may be moved under a longer-lived parent once it is complete
 * (MemoryContextSetParent on chronos_op_context): the cache builds an
 * entry under the caller's context, so that an error frees it, and keeps
 * it only when it is whole.
 */
extern ChronosMemOp *chronos_op_begin(MemoryContext parent, const char *name,
									  ChronosMemKind kind);

/*
 * The op named name under parent that every caller with the same parent
 * shares, begun on first use: the aggregate's groups share one per
 * aggregate context, instead of a context per group.
 */
extern ChronosMemOp *chronos_op_shared(MemoryContext parent, const char *name,
									   ChronosMemKind kind);

/* End an operation early: log its peak (chronos.log_memory), delete its context. */
extern void chronos_op_end(ChronosMemOp *op);
extern MemoryContext chronos_op_context(ChronosMemOp *op);
extern Size chronos_op_reserved(ChronosMemOp *op);

/*
 * Allocate in the op's context after checking the limit (huge allocations
 * allowed).  what names the purpose in the error detail ("aggregate
 * state").  Raises ERRCODE_CONFIGURATION_LIMIT_EXCEEDED if the allocation
 * would take chronos past chronos.max_memory_mb, and
 * ERRCODE_PROGRAM_LIMIT_EXCEEDED for a request no allocator could satisfy.
 */
extern void *chronos_alloc(ChronosMemOp *op, Size bytes, const char *what);
extern void *chronos_alloc0(ChronosMemOp *op, Size bytes, const char *what);
/* Grow or shrink a chronos_alloc'ed block (ptr NULL: allocate). */
extern void *chronos_realloc(ChronosMemOp *op, void *ptr, Size newbytes,
							 const char *what);
/* Free a chronos_alloc'ed block (ptr may be NULL). */
extern void chronos_free(ChronosMemOp *op, void *ptr);

/*
 * Make room for need elements of elemsize bytes in the array *ptr of
 * *capacity elements, doubling the capacity (at most maxelems, which need
 * must not pass).  *ptr may be NULL with *capacity 0.
 */
extern void chronos_grow(ChronosMemOp *op, void **ptr, size_t *capacity,
						 size_t elemsize, size_t need, size_t maxelems,
						 const char *what);

/*
 * The varlena behind datum, detoasted into the op's context (the limit is
 * checked first) when it is stored out of line or compressed (or is an
 * expanded object), else datum's own pointer.  packed: a short header may
 * stay (PG_DETOAST_DATUM_PACKED); otherwise the result has a 4-byte
 * header (PG_DETOAST_DATUM).  chronos_free_datum undoes it.
 */
extern struct varlena *chronos_detoast_datum(ChronosMemOp *op, Datum datum,
											 bool packed, const char *what);
extern void chronos_free_datum(ChronosMemOp *op, Datum datum,
							   struct varlena *value);

/*
 * Bytes [offset, offset + length) of the value behind datum, fetched alone
 * (PG_DETOAST_DATUM_SLICE) into the op's context after checking the limit.
 */
extern struct varlena *chronos_detoast_slice(ChronosMemOp *op, Datum datum,
											 Size offset, Size length,
											 const char *what);

/*
 * The cache gives way.  A reclaim hook, registered once by the cache
 * (cache.c), is asked to free at least bytes when a request would pass
 * chronos.max_memory_mb; it returns what it freed.  It must only free
 * (end CHRONOS_MEM_CACHE ops), never allocate through chronos nor raise an
 * error, and it may decline (free nothing) when it cannot free enough.
 */
typedef Size (*ChronosReclaimHook) (Size bytes);
extern void chronos_memory_set_reclaim_hook(ChronosReclaimHook hook);

/*
 * Whether a new op could take bytes more now (one allocation of bytes,
 * plus the op's context and a small allocation), after the reclaim hook
 * has given way if need be.  For work that can be skipped rather than
 * fail: the cache declines to keep a value when this says no.
 */
extern bool chronos_memory_fits(Size bytes);

/* Backend-wide figures, in bytes. */
extern Size chronos_memory_used(void);
extern Size chronos_memory_peak(void);
extern Size chronos_memory_limit(void);
extern Size chronos_memory_cache_used(void);

/* The long-lived "chronos" context (backend lifetime; parent of the cache). */
extern MemoryContext chronos_long_lived_context(void);

/*
 * Points per chunk so that a chunk of points costing bytes_per_point each
 * fits in what is left of the limit; see memory.c for the rule.
 */
extern int64 chronos_optimal_chunk_points(int64 dataset_points, Size bytes_per_point);

#endif							/* CHRONOS_MEMORY_H */
