/*-------------------------------------------------------------------------
 *
 * compact_ts_lazy.h
 *	  Lazy reads of a stored series: the header, the directory, the index
 *	  groups and the block payloads a query needs, fetched from TOAST
 *	  (src/compact_ts_lazy.c).  Used by the range functions
 *	  (compact_ts_range.c) and the unnest scan's time bounds
 *	  (compact_ts_scan.c).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_lazy.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_COMPACT_TS_LAZY_H
#define CHRONOS_COMPACT_TS_LAZY_H

#include "utils/rangetypes.h"

#include "compact_ts.h"

/*
 * A value read lazily: in "slice mode" (format 2, stored out of line
 * uncompressed) only the pieces asked for are fetched; otherwise the whole
 * value is detoasted once and read in place ("whole mode").
 */
typedef struct ChronosLazyValue
{
	ChronosMemOp *op;
	Datum		datum;
	cts_header	h;
	/* whole mode: the payload in memory */
	CompactTs  *whole_value;	/* the detoasted value (or the datum's own) */
	const uint8 *whole;
	size_t		len;
	/* slice mode (format 2 only) */
	size_t		stored;			/* the value's bytes (its varlena header not counted) */
	struct varlena *prefix;		/* header + directory */
	const uint8 *dir;
	uint32		group;			/* the group in group_entries, or UINT32_MAX */
	uint32		group_b0;
	uint32		group_nb;
	struct varlena *group_slice;	/* its fetched copy, or NULL */
	const uint8 *group_data;	/* its index entries (in group_slice or prefix) */
	/* the group loaded before it (a range's first and last), kept */
	uint32		spare;			/* or UINT32_MAX */
	uint32		spare_b0;
	uint32		spare_nb;
	struct varlena *spare_slice;
	const uint8 *spare_data;
	size_t		data_off;
	uint32		block;			/* the block chronos_lazy_block read last */
	uint32		block_offset;	/* its payload's offset (to know it again) */
	/* read-ahead (chronos_lazy_read_ahead): payloads fetched together */
	uint32		ahead_end;		/* blocks before it may be read ahead; 0: none */
	size_t		ahead_bytes;	/* the next window's size cap */
	struct varlena *window;		/* the bytes of the last window, or NULL */
	size_t		win_off;		/* their offset in the value */
	uint32		fetches;		/* TOAST fetches so far (header included) */
} ChronosLazyValue;

/* decode buffers for the largest block there can be */
typedef struct ChronosDecodeBufs
{
	int64	   *ts;
	double	   *values;
	uint32		cap;
} ChronosDecodeBufs;

extern bool chronos_range_bounds(TypeCacheEntry *typcache, RangeType *r,
								 int64 *lo, int64 *hi);
extern void chronos_lazy_open(ChronosLazyValue *lz, ChronosMemOp *op, Datum datum);
extern void chronos_lazy_release(ChronosLazyValue *lz);
extern void chronos_lazy_load_group(ChronosLazyValue *lz, uint32 b);
extern void chronos_lazy_block(ChronosLazyValue *lz, uint32 b, cts_block_info *bi);
extern void chronos_lazy_read_ahead(ChronosLazyValue *lz, uint32 end);
extern void chronos_lazy_read_ends(ChronosLazyValue *lz, uint32 b0, uint32 b1);
extern void chronos_lazy_find(ChronosLazyValue *lz, int64 lo, int64 hi,
							  uint32 *b0, uint32 *b1);
extern void chronos_lazy_decode(ChronosLazyValue *lz, const cts_block_info *bi,
								int64 *ts, double *values);
extern const uint8 *chronos_lazy_payload(ChronosLazyValue *lz, const cts_block_info *bi,
										 struct varlena **copy);
extern void chronos_bufs_ensure(ChronosMemOp *op, ChronosDecodeBufs *d, uint32 n);
extern void chronos_bufs_free(ChronosMemOp *op, ChronosDecodeBufs *d);
extern void chronos_lazy_decode_range(ChronosLazyValue *lz, const cts_block_info *bi,
									  int64 lo, int64 hi, ChronosDecodeBufs *d,
									  uint32 *j0, uint32 *j1);

#endif							/* CHRONOS_COMPACT_TS_LAZY_H */
