/*-------------------------------------------------------------------------
 *
 * compact_ts_range.c
 *	  Queries that read only the blocks they need: slice, value_at, range
 *	  aggregates, buckets, sparkline; and append, which joins two series by
 *	  their blocks.
 *
 * Lazy reads
 * ----------
 * Every function here reads through a ChronosLazyValue
 * (src/compact_ts_lazy.c): a long series stored out of line costs the
 * header, the directory and the blocks a query needs, never the whole
 * value.
 *
 * Aggregates over a range
 * -----------------------
 * Blocks entirely inside the range contribute their exact summaries (count,
 * min, max and the sum of the original values), the one or two blocks the
 * range cuts are decoded.  Count, first and last times are always exact;
 * min, max and sum are exact for whole blocks and for exact (lossless or
 * decimal) edge blocks, and otherwise within the edge block's max_error per
 * point: the decoded value is all that is left of a quantized point.
 *
 * Building from blocks
 * --------------------
 * slice copies the blocks inside the range byte for byte and stores the
 * points of the edge blocks exactly as they decode (a lossless block mode,
 * carrying the source block's max_error), so nothing is quantized twice and
 * the slice's points are the original value's points.  append copies both
 * values' blocks when the second starts at or after the first ends
 * (nothing is decoded); when they overlap it merges the decoded points by
 * time (the first value's first at equal times) and stores them exactly
 * with the larger of the two error bounds.  Format 1 blocks cannot be
 * copied into a format 2 value: their points are stored exactly, with
 * their bounds, and sums become those of the stored points.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_range.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "compact_ts.h"
#include "compact_ts_lazy.h"

PG_FUNCTION_INFO_V1(compact_ts_slice);
PG_FUNCTION_INFO_V1(compact_ts_value_at);
PG_FUNCTION_INFO_V1(compact_ts_length_range);
PG_FUNCTION_INFO_V1(compact_ts_sum_range);
PG_FUNCTION_INFO_V1(compact_ts_avg_range);
PG_FUNCTION_INFO_V1(compact_ts_min_range);
PG_FUNCTION_INFO_V1(compact_ts_max_range);
PG_FUNCTION_INFO_V1(compact_ts_range_stats);
PG_FUNCTION_INFO_V1(compact_ts_buckets);
PG_FUNCTION_INFO_V1(compact_ts_sparkline);
PG_FUNCTION_INFO_V1(compact_ts_append);

/* most points per block when points are stored afresh */
#define RANGE_BLOCK_POINTS	((size_t) chronos_block_points)

/* widest sparkline */
#define SPARKLINE_MAX_WIDTH	1000

/* ----------------------------------------------------------------
 *		Ranges
 * ----------------------------------------------------------------
 */

/* the closed interval a tstzrange holds (chronos_range_bounds) */
static bool
range_bounds(FunctionCallInfo fcinfo, RangeType *r, int64 *lo, int64 *hi)
{
	return chronos_range_bounds(range_get_typcache(fcinfo, RangeTypeGetOid(r)), r, lo, hi);
}

/*
 * range_aggregate
 *		Aggregate the points of [lo, hi] into acc: whole blocks from their
 *		summaries, the blocks the range cuts decoded.
 */
static void
range_aggregate(ChronosLazyValue *lz, int64 lo, int64 hi, cts_agg *acc)
{
	uint32		b0,
				b1,
				b;
	ChronosDecodeBufs	d = {NULL, NULL, 0};

	cts_agg_init(acc);
	chronos_lazy_find(lz, lo, hi, &b0, &b1);
	/* the two edge blocks, cut: one fetch when they are close */
	chronos_lazy_read_ends(lz, b0, b1);
	for (b = b0; b < b1; b++)
	{
		cts_block_info bi;
		uint32		j0,
					j1;

		chronos_lazy_block(lz, b, &bi);
		if (bi.first_ts >= lo && bi.last_ts <= hi)
		{
			cts_agg_block(acc, &bi);
			continue;
		}
		chronos_lazy_decode_range(lz, &bi, lo, hi, &d, &j0, &j1);
		cts_agg_points(acc, d.values, j0, j1, bi.max_error);
	}
}

/*
 * range_call
 *		Aggregate argument 0 over the range in argument 1; false if the range
 *		is empty (the aggregate is then empty too).
 */
static bool
range_call(FunctionCallInfo fcinfo, cts_agg *acc)
{
	ChronosMemOp *op = chronos_op_begin(CurrentMemoryContext, "chronos range read",
										CHRONOS_MEM_WORK);
	ChronosLazyValue	lz;
	int64		lo,
				hi;
	bool		nonempty;

	cts_agg_init(acc);
	nonempty = range_bounds(fcinfo, PG_GETARG_RANGE_P(1), &lo, &hi);
	if (nonempty)
	{
		chronos_lazy_open(&lz, op, PG_GETARG_DATUM(0));
		range_aggregate(&lz, lo, hi, acc);
	}
	chronos_op_end(op);
	return acc->count > 0;
}

/*
 * length(compact_ts, tstzrange) -> integer
 *
 * The number of points in the range (exact).
 */
Datum
compact_ts_length_range(PG_FUNCTION_ARGS)
{
	cts_agg		acc;

	(void) range_call(fcinfo, &acc);
	PG_RETURN_INT32((int32) acc.count);
}

/*
 * sum_value(compact_ts, tstzrange) -> float8
 *
 * The sum of the values in the range, NULL if it holds none; whole blocks
 * contribute the exact sums of their original values.
 */
Datum
compact_ts_sum_range(PG_FUNCTION_ARGS)
{
	cts_agg		acc;
	double		mn,
				mx;

	if (!range_call(fcinfo, &acc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(chronos_agg_sum(&acc, &mn, &mx));
}

/*
 * avg_value(compact_ts, tstzrange) -> float8
 */
Datum
compact_ts_avg_range(PG_FUNCTION_ARGS)
{
	cts_agg		acc;
	double		mn,
				mx;

	if (!range_call(fcinfo, &acc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(chronos_agg_sum(&acc, &mn, &mx) / (double) acc.count);
}

/* the smallest (want_max false) or largest value of the range, or NULL */
static Datum
range_extreme(FunctionCallInfo fcinfo, bool want_max)
{
	cts_agg		acc;
	double		mn,
				mx,
				sum;
	int			overflow;

	if (!range_call(fcinfo, &acc))
		PG_RETURN_NULL();
	cts_agg_result(&acc, &mn, &mx, &sum, &overflow);
	PG_RETURN_FLOAT8(want_max ? mx : mn);
}

/*
 * min_value(compact_ts, tstzrange) -> float8
 */
Datum
compact_ts_min_range(PG_FUNCTION_ARGS)
{
	return range_extreme(fcinfo, false);
}

/*
 * max_value(compact_ts, tstzrange) -> float8
 */
Datum
compact_ts_max_range(PG_FUNCTION_ARGS)
{
	return range_extreme(fcinfo, true);
}

/*
 * range_stats(compact_ts, tstzrange) -> (points bigint, min float8,
 *		max float8, sum float8, avg float8, max_error float8,
 *		decoded_points bigint)
 *
 * All of the above in one read, with how exact they are: max_error is the
 * largest error of a point taken from a decoded lossy block (0: exact) and
 * decoded_points how many points came from blocks the range cuts.  An
 * empty range gives points 0 and NULLs.
 */
Datum
compact_ts_range_stats(PG_FUNCTION_ARGS)
{
	cts_agg		acc;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	double		mn,
				mx,
				sum;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	(void) range_call(fcinfo, &acc);
	values[0] = Int64GetDatum((int64) acc.count);
	if (acc.count > 0)
	{
		sum = chronos_agg_sum(&acc, &mn, &mx);
		values[1] = Float8GetDatum(mn);
		values[2] = Float8GetDatum(mx);
		values[3] = Float8GetDatum(sum);
		values[4] = Float8GetDatum(sum / (double) acc.count);
		/* whole blocks are exact: decoded lossy points carry an error */
		values[5] = Float8GetDatum(acc.max_error);
	}
	else
		nulls[1] = nulls[2] = nulls[3] = nulls[4] = nulls[5] = true;
	values[6] = Int64GetDatum((int64) acc.npoints_decoded);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ----------------------------------------------------------------
 *		value_at
 * ----------------------------------------------------------------
 */

/*
 * lazy_first_after
 *		The first block whose last timestamp is >= t (nblocks if none).
 */
static uint32
lazy_first_after(ChronosLazyValue *lz, int64 t)
{
	uint32		b0,
				b1;

	if (lz->h.npoints == 0 || t > lz->h.last_ts)
		return lz->h.nblocks;
	chronos_lazy_find(lz, t, t, &b0, &b1);
	if (b0 < b1)
		return b0;
	/* t falls between two blocks (or before the first): the next one */
	if (lz->whole != NULL)
	{
		size_t		index_off = lz->h.version == CTS_FORMAT_V2 ?
			CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) lz->h.ndir : CTS_HEADER_SIZE;

		cts_span_search(lz->whole + index_off, lz->h.nblocks, 64, 16, 24, t,
						PG_INT64_MAX, &b0, &b1);
		return b0;
	}
	else
	{
		uint32		g0,
					g1,
					a,
					z;

		cts_span_search(lz->dir, lz->h.ndir, CTS2_DIR_ENTRY_SIZE, CTS2_D_FIRST_TS,
						CTS2_D_LAST_TS, t, PG_INT64_MAX, &g0, &g1);
		if (g0 >= g1)
			return lz->h.nblocks;
		chronos_lazy_load_group(lz, g0 * CTS2_GROUP_BLOCKS);
		cts_span_search(lz->group_data, lz->group_nb,
						64, 16, 24, t, PG_INT64_MAX, &a, &z);
		return lz->group_b0 + a;
	}
}

/*
 * value_at(compact_ts, timestamptz, interpolate boolean DEFAULT false)
 *		-> float8
 *
 * The value of the point at ts (the first of several at the same time);
 * without a point there, NULL, or with interpolate the linear
 * interpolation between the points on either side (NULL outside the
 * series).  Reads the one or two blocks around ts.
 */
Datum
compact_ts_value_at(PG_FUNCTION_ARGS)
{
	int64		t = PG_GETARG_TIMESTAMPTZ(1);
	bool		interpolate = PG_NARGS() > 2 && PG_GETARG_BOOL(2);
	ChronosMemOp *op = chronos_op_begin(CurrentMemoryContext, "chronos range read",
										CHRONOS_MEM_WORK);
	ChronosLazyValue	lz;
	ChronosDecodeBufs	d = {NULL, NULL, 0};
	cts_block_info bi;
	uint32		b;
	uint32		j0,
				j1;
	bool		found = false;
	double		result = 0;
	int64		t1 = 0,
				t2 = 0;
	double		v1 = 0,
				v2 = 0;
	bool		have1 = false,
				have2 = false;

	chronos_lazy_open(&lz, op, PG_GETARG_DATUM(0));
	if (lz.h.npoints == 0 || t < lz.h.first_ts || t > lz.h.last_ts)
	{
		chronos_op_end(op);
		PG_RETURN_NULL();
	}
	b = lazy_first_after(&lz, t);
	if (b < lz.h.nblocks)
	{
		chronos_lazy_block(&lz, b, &bi);

		/*
		 * The points from t on: just t's, or, to interpolate, the rest of
		 * the block, whose first point after t is the one needed.
		 */
		chronos_lazy_decode_range(&lz, &bi, t, interpolate ? PG_INT64_MAX : t, &d, &j0, &j1);
		if (j0 < j1 && d.ts[j0] == t)
		{
			found = true;
			result = d.values[j0];
		}
		else if (j0 < j1)
		{
			/* j0: the first point after t */
			t2 = d.ts[j0];
			v2 = d.values[j0];
			have2 = true;
			if (j0 > 0)
			{
				t1 = d.ts[j0 - 1];
				v1 = d.values[j0 - 1];
				have1 = true;
			}
		}
	}
	if (!found && interpolate && have2 && !have1 && b > 0)
	{
		/* the point before t is the last of the previous block */
		chronos_lazy_block(&lz, b - 1, &bi);
		chronos_bufs_ensure(op, &d, bi.npoints);
		chronos_lazy_decode(&lz, &bi, d.ts, d.values);
		t1 = d.ts[bi.npoints - 1];
		v1 = d.values[bi.npoints - 1];
		have1 = true;
	}
	if (!found && interpolate && have1 && have2 && t2 > t1 &&
		!TIMESTAMP_NOT_FINITE(t1) && !TIMESTAMP_NOT_FINITE(t2))
	{
		/* in int128: the two points may be more than 2^63 us apart */
		double		f = (double) ((int128) t - t1) / (double) ((int128) t2 - t1);

		found = true;
		result = v1 + (v2 - v1) * f;
		/* finite neighbours whose difference overflows: weigh them */
		if (isinf(result) && isfinite(v1) && isfinite(v2))
			result = v1 * (1 - f) + v2 * f;
	}
	chronos_op_end(op);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}

/* ----------------------------------------------------------------
 *		Building values from blocks: slice and append
 * ----------------------------------------------------------------
 */

/* a value under construction: index entries and their payloads */
typedef struct BlockList
{
	ChronosMemOp *op;
	cts_block_info *infos;
	size_t		n;
	size_t		cap;
	uint8	   *payload;
	size_t		plen;
	size_t		pcap;
	/* points to be stored exactly, gathered until a block is full */
	cts_point  *pend;
	size_t		npend;
	size_t		pendcap;
	double		pend_error;		/* the largest carried bound among them */
	/* encoder workspace */
	uint8	   *scratch;
	size_t		scratch_len;
	uint8	   *blockbuf;
	size_t		blockcap;
	bool		lossless;		/* every block so far has max_error 0 */
} BlockList;

static void
bl_init(BlockList *bl, ChronosMemOp *op)
{
	memset(bl, 0, sizeof(*bl));
	bl->op = op;
	bl->lossless = true;
}

static void
bl_append_payload(BlockList *bl, const cts_block_info *bi, const uint8 *bytes)
{
	if (bl->n == bl->cap)
		chronos_grow(bl->op, (void **) &bl->infos, &bl->cap, sizeof(cts_block_info),
					 bl->n + 1, CTS_MAX_POINTS, "block index");
	if (bl->plen + bi->length > CTS_MAX_ENCODED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value would take more than the maximum %zu bytes",
						CTS_MAX_ENCODED),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, one row each.",
						 chronos_chunk_size)));
	if (bl->plen + bi->length > bl->pcap)
		chronos_grow(bl->op, (void **) &bl->payload, &bl->pcap, 1,
					 bl->plen + bi->length, CTS_MAX_ENCODED, "blocks");
	memcpy(bl->payload + bl->plen, bytes, bi->length);
	bl->plen += bi->length;
	bl->infos[bl->n++] = *bi;
	if (bi->max_error != 0)
		bl->lossless = false;
}

/* store the pending points exactly as one block, carrying their bound */
static void
bl_flush_pending(BlockList *bl)
{
	cts_encode2_opts o;
	cts_block_info bi;
	cts_status	st;
	size_t		bad;

	if (bl->npend == 0)
		return;
	memset(&o, 0, sizeof(o));
	o.codec = CTS_CODEC2_LOSSLESS;
	/* workspace for this many points: the edge of a short range is small */
	o.block_points = (uint32) bl->npend;
	if (bl->scratch_len < cts_encode2_scratch_size(&o))
	{
		chronos_free(bl->op, bl->scratch);
		chronos_free(bl->op, bl->blockbuf);
		bl->scratch_len = cts_encode2_scratch_size(&o);
		bl->scratch = (uint8 *) chronos_alloc(bl->op, bl->scratch_len, "encoder workspace");
		bl->blockcap = cts2_block_bound((uint32) bl->npend);
		bl->blockbuf = (uint8 *) chronos_alloc(bl->op, bl->blockcap, "encoder workspace");
	}
	st = cts2_encode_block(bl->pend, (uint32) bl->npend, &o, bl->scratch, bl->scratch_len,
						   bl->blockbuf, bl->blockcap, &bi, &bad);
	if (st != CTS_OK)
		elog(ERROR, "compact_ts encoder failed: %s", cts_strerror(st));
	bi.max_error = bl->pend_error;
	bl_append_payload(bl, &bi, bl->blockbuf);
	bl->npend = 0;
	bl->pend_error = 0;
}

/* add points to be stored exactly, with the bound they carry */
static void
bl_add_points(BlockList *bl, const int64 *ts, const double *values, uint32 n,
			  double carried)
{
	uint32		i;

	for (i = 0; i < n; i++)
	{
		if (bl->npend == RANGE_BLOCK_POINTS)
			bl_flush_pending(bl);
		if (bl->npend == bl->pendcap)
			chronos_grow(bl->op, (void **) &bl->pend, &bl->pendcap, sizeof(cts_point),
						 bl->npend + 1, RANGE_BLOCK_POINTS, "points");
		bl->pend[bl->npend].ts = ts[i];
		bl->pend[bl->npend].value = values[i];
		bl->npend++;
		if (carried > bl->pend_error)
			bl->pend_error = carried;
	}
}

/* add a block copied as it is */
static void
bl_add_block(BlockList *bl, const cts_block_info *bi, const uint8 *payload)
{
	bl_flush_pending(bl);
	bl_append_payload(bl, bi, payload);
}

/* the value the list makes, with codec (kind CTS_CODEC2_MIXED allowed) */
static CompactTs *
bl_finish(BlockList *bl, uint8 kind, uint8 bits, double bound)
{
	size_t		prefix;
	CompactTs  *result;
	cts_status	st;

	bl_flush_pending(bl);
	/* a lossless value's blocks are all exact with no error */
	if (kind == CTS_CODEC2_LOSSLESS && !bl->lossless)
		kind = CTS_CODEC2_MIXED;
	if (kind == CTS_CODEC2_MIXED)
		bits = 0, bound = 0;
	prefix = cts2_prefix_size((uint32) bl->n);
	if (prefix + bl->plen > CTS_MAX_ENCODED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value would take more than the maximum %zu bytes",
						CTS_MAX_ENCODED)));
	result = (CompactTs *) chronos_alloc(bl->op, VARHDRSZ + prefix + bl->plen,
										 "compact_ts value");
	SET_VARSIZE(result, VARHDRSZ + prefix + bl->plen);
	st = cts2_write_prefix(bl->infos, (uint32) bl->n, kind, bits, bound,
						   result->data, prefix);
	if (st != CTS_OK)
		elog(ERROR, "compact_ts assembly failed: %s", cts_strerror(st));
	if (bl->plen > 0)
		memcpy(result->data + prefix, bl->payload, bl->plen);
	/* the result lives in the op: keep nothing else */
	chronos_free(bl->op, bl->payload);
	chronos_free(bl->op, bl->infos);
	chronos_free(bl->op, bl->pend);
	chronos_free(bl->op, bl->scratch);
	chronos_free(bl->op, bl->blockbuf);
	memset(bl, 0, sizeof(*bl));
	return result;
}

/*
 * codec_fields
 *		The codec of a value, for a value built from its blocks: format 2's
 *		own; format 1's blocks all quant16 or all gorilla make quant16 or
 *		lossless, anything else mixed.
 */
static void
codec_fields(ChronosLazyValue *lz, uint8 *kind, uint8 *bits, double *bound)
{
	*bits = 0;
	*bound = 0;
	if (lz->h.version == CTS_FORMAT_V2)
	{
		*kind = lz->h.codec;
		*bits = lz->h.codec_bits;
		*bound = lz->h.codec_bound;
	}
	else
	{
		uint32		b;
		uint8		first = CTS_CODEC_QUANT16;
		bool		same = true;

		for (b = 0; b < lz->h.nblocks; b++)
		{
			cts_block_info bi;

			chronos_lazy_block(lz, b, &bi);
			if (b == 0)
				first = bi.codec;
			else if (bi.codec != first)
				same = false;
		}
		if (!same)
			*kind = CTS_CODEC2_MIXED;
		else if (first == CTS_CODEC_GORILLA)
			*kind = CTS_CODEC2_LOSSLESS;
		else
		{
			*kind = CTS_CODEC2_QUANT;
			*bits = 16;
		}
	}
}

/*
 * add_range
 *		Add the points of lz in [lo, hi] to bl: whole format 2 blocks copied,
 *		the others decoded and stored exactly.
 */
static void
add_range(BlockList *bl, ChronosLazyValue *lz, int64 lo, int64 hi, ChronosDecodeBufs *d)
{
	uint32		b0,
				b1,
				b;

	chronos_lazy_find(lz, lo, hi, &b0, &b1);
	/* every block's payload is read, copied or decoded */
	chronos_lazy_read_ahead(lz, b1);
	for (b = b0; b < b1; b++)
	{
		cts_block_info bi;
		uint32		j0,
					j1;

		chronos_lazy_block(lz, b, &bi);
		if (lz->h.version == CTS_FORMAT_V2 && bi.first_ts >= lo && bi.last_ts <= hi)
		{
			struct varlena *copy;
			const uint8 *payload = chronos_lazy_payload(lz, &bi, &copy);

			bl_add_block(bl, &bi, payload);
			if (copy)
				chronos_free(lz->op, copy);
			continue;
		}
		chronos_lazy_decode_range(lz, &bi, lo, hi, d, &j0, &j1);
		if (j1 > j0)
			bl_add_points(bl, d->ts + j0, d->values + j0, j1 - j0, bi.max_error);
	}
}

/*
 * slice(compact_ts, tstzrange) -> compact_ts
 *
 * The points of the range, as a new value: blocks inside the range are
 * copied byte for byte, the edge blocks' points stored exactly as they
 * decode, so every point and bound is the original value's.  An empty
 * range or one outside the series gives the empty series.
 */
Datum
compact_ts_slice(PG_FUNCTION_ARGS)
{
	ChronosMemOp *op = chronos_op_begin(CurrentMemoryContext, "chronos slice",
										CHRONOS_MEM_WORK);
	ChronosLazyValue	lz;
	BlockList	bl;
	ChronosDecodeBufs	d = {NULL, NULL, 0};
	int64		lo,
				hi;
	uint8		kind,
				bits;
	double		bound;

	chronos_lazy_open(&lz, op, PG_GETARG_DATUM(0));
	codec_fields(&lz, &kind, &bits, &bound);
	bl_init(&bl, op);
	if (range_bounds(fcinfo, PG_GETARG_RANGE_P(1), &lo, &hi))
		add_range(&bl, &lz, lo, hi, &d);
	chronos_bufs_free(op, &d);
	chronos_lazy_release(&lz);
	PG_RETURN_COMPACT_TS_P(bl_finish(&bl, kind, bits, bound));
}

/*
 * compact_ts || compact_ts -> compact_ts, append(compact_ts, compact_ts)
 *
 * a's points, then b's.  When b starts at or after a ends, both values'
 * blocks are copied and only the header, directory and index are written
 * anew: no point is decoded (format 1 blocks excepted, which are stored
 * exactly).  Otherwise the points are merged by time, a's first at equal
 * times, and stored exactly with the larger error bound.  The codec is
 * theirs if they share one, else mixed.
 */
Datum
compact_ts_append(PG_FUNCTION_ARGS)
{
	ChronosMemOp *op = chronos_op_begin(CurrentMemoryContext, "chronos append",
										CHRONOS_MEM_WORK);
	ChronosLazyValue	la,
				lb;
	BlockList	bl;
	ChronosDecodeBufs	d = {NULL, NULL, 0};
	uint8		ka,
				kb,
				bitsa,
				bitsb;
	double		bounda,
				boundb;
	uint8		kind;

	chronos_lazy_open(&la, op, PG_GETARG_DATUM(0));
	chronos_lazy_open(&lb, op, PG_GETARG_DATUM(1));
	codec_fields(&la, &ka, &bitsa, &bounda);
	codec_fields(&lb, &kb, &bitsb, &boundb);
	if (la.h.npoints == 0)
		ka = kb, bitsa = bitsb, bounda = boundb;
	if (lb.h.npoints == 0)
		kb = ka, bitsb = bitsa, boundb = bounda;
	kind = (ka == kb && bitsa == bitsb &&
			memcmp(&bounda, &boundb, sizeof(double)) == 0) ? ka : CTS_CODEC2_MIXED;

	bl_init(&bl, op);
	if (la.h.npoints == 0 || lb.h.npoints == 0 || lb.h.first_ts >= la.h.last_ts)
	{
		add_range(&bl, &la, PG_INT64_MIN, PG_INT64_MAX, &d);
		add_range(&bl, &lb, PG_INT64_MIN, PG_INT64_MAX, &d);
	}
	else
	{
		/* overlapping: merge the decoded points by time */
		ChronosBlockReader ra,
					rb;
		CompactTs  *va;
		CompactTs  *vb;
		uint32		ia = 0,
					ib = 0;
		bool		ha,
					hb;
		double		carried = Max(la.h.max_error, lb.h.max_error);

		/* what the lazy opens read goes before the values are read whole */
		chronos_lazy_release(&la);
		chronos_lazy_release(&lb);
		va = chronos_detoast(op, PG_GETARG_DATUM(0));
		vb = chronos_detoast(op, PG_GETARG_DATUM(1));

		chronos_reader_init(&ra, op, CTS_PAYLOAD(va), CTS_PAYLOAD_LEN(va), true);
		chronos_reader_init(&rb, op, CTS_PAYLOAD(vb), CTS_PAYLOAD_LEN(vb), true);
		ha = chronos_reader_next(&ra);
		hb = chronos_reader_next(&rb);
		while (ha || hb)
		{
			bool		take_a = ha && (!hb || ra.ts[ia] <= rb.ts[ib]);

			if (take_a)
			{
				bl_add_points(&bl, &ra.ts[ia], &ra.values[ia], 1, carried);
				if (++ia == ra.npoints)
				{
					ha = chronos_reader_next(&ra);
					ia = 0;
				}
			}
			else
			{
				bl_add_points(&bl, &rb.ts[ib], &rb.values[ib], 1, carried);
				if (++ib == rb.npoints)
				{
					hb = chronos_reader_next(&rb);
					ib = 0;
				}
			}
		}
		chronos_reader_free(&ra);
		chronos_reader_free(&rb);
		chronos_free_datum(op, PG_GETARG_DATUM(0), (struct varlena *) va);
		chronos_free_datum(op, PG_GETARG_DATUM(1), (struct varlena *) vb);
	}
	chronos_bufs_free(op, &d);
	chronos_lazy_release(&la);
	chronos_lazy_release(&lb);
	PG_RETURN_COMPACT_TS_P(bl_finish(&bl, kind, bitsa, bounda));
}

/* ----------------------------------------------------------------
 *		Buckets
 * ----------------------------------------------------------------
 */

/* one bucket's figures */
typedef struct Bucket
{
	int64		start;
	cts_agg		acc;
	int64		first;
	int64		last;
} Bucket;

/* cross-call state of buckets() */
typedef struct BucketsState
{
	ChronosMemOp *op;
	ChronosLazyValue	lz;
	ChronosDecodeBufs	d;
	int64		width;
	int64		origin;
	uint32		next_block;
	/* the decoded block being walked */
	cts_block_info bi;
	uint32		pos;			/* next point of it, or npoints when done */
	bool		in_block;
	/* the bucket being filled */
	bool		have;
	Bucket		cur;
} BucketsState;

/*
 * bucket_of
 *		date_bin(width, ts, origin): the start of ts's bucket, rounding down
 *		(also before the origin).  The infinities have buckets of their own.
 */
static int64
bucket_of(int64 ts, int64 width, int64 origin)
{
	int128		delta;
	int128		q;

	int128		start;

	if (TIMESTAMP_NOT_FINITE(ts))
		return ts;
	delta = (int128) ts - (int128) origin;
	/* date_bin's errors: the distance, then the bucket, out of range */
	if (delta > PG_INT64_MAX || delta < PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	q = delta / width;
	if (delta % width < 0)
		q--;
	start = (int128) origin + q * width;
	if (start > PG_INT64_MAX || start < PG_INT64_MIN ||
		!IS_VALID_TIMESTAMP((int64) start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return (int64) start;
}

static void
bucket_start(Bucket *bk, int64 start)
{
	bk->start = start;
	cts_agg_init(&bk->acc);
	bk->first = 0;
	bk->last = 0;
}

/*
 * buckets_next
 *		Fill st->cur with the next bucket; false when there is none.
 */
static bool
buckets_next(BucketsState *st)
{
	for (;;)
	{
		if (st->in_block && st->pos < st->bi.npoints)
		{
			int64		t = st->d.ts[st->pos];
			int64		bstart = bucket_of(t, st->width, st->origin);
			uint32		j = st->pos;

			if (st->have && bstart != st->cur.start)
				return true;	/* the bucket ended; the point starts the next */
			if (!st->have)
			{
				bucket_start(&st->cur, bstart);
				st->cur.first = t;
				st->have = true;
			}
			/* every point of this block in the same bucket */
			while (j < st->bi.npoints &&
				   (TIMESTAMP_NOT_FINITE(st->d.ts[j]) ? st->d.ts[j] == bstart :
					(!TIMESTAMP_NOT_FINITE(bstart) && st->d.ts[j] >= bstart &&
					 (uint64) st->d.ts[j] - (uint64) bstart < (uint64) st->width)))
				j++;
			/* the point at pos is in its own bucket: j moved on */
			if (j == st->pos)
				elog(ERROR, "buckets: point %u is not in its bucket", j);
			cts_agg_points(&st->cur.acc, st->d.values, st->pos, j, st->bi.max_error);
			st->cur.last = st->d.ts[j - 1];
			st->pos = j;
			continue;
		}
		st->in_block = false;
		if (st->next_block >= st->lz.h.nblocks)
			return st->have;
		chronos_lazy_block(&st->lz, st->next_block, &st->bi);
		st->next_block++;
		{
			int64		b0 = bucket_of(st->bi.first_ts, st->width, st->origin);
			int64		b1 = bucket_of(st->bi.last_ts, st->width, st->origin);

			if (b0 == b1)
			{
				/* the whole block in one bucket: its summaries */
				if (st->have && b0 != st->cur.start)
				{
					/* come back to this block with the next call */
					st->next_block--;
					return true;
				}
				if (!st->have)
				{
					bucket_start(&st->cur, b0);
					st->cur.first = st->bi.first_ts;
					st->have = true;
				}
				cts_agg_block(&st->cur.acc, &st->bi);
				st->cur.last = st->bi.last_ts;
				continue;
			}
		}
		chronos_bufs_ensure(st->op, &st->d, st->bi.npoints);
		chronos_lazy_decode(&st->lz, &st->bi, st->d.ts, st->d.values);
		st->pos = 0;
		st->in_block = true;
	}
}

/*
 * buckets(compact_ts, width interval, origin timestamptz DEFAULT
 *		'2000-01-01 00:00:00+00') -> TABLE(bucket timestamptz, points bigint,
 *		min float8, max float8, sum float8, avg float8,
 *		first_time timestamptz, last_time timestamptz)
 *
 * The series in buckets of width, aligned as date_bin(width, ts, origin)
 * aligns them; buckets without points are not returned.  A block lying in
 * one bucket contributes its exact summaries; a block spanning buckets is
 * decoded (when most are, their payloads are read ahead in windows).  Value
 * per call: in the select list it streams.
 */
Datum
compact_ts_buckets(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	BucketsState *st;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};
	double		mn,
				mx,
				sum;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		Interval   *width = PG_GETARG_INTERVAL_P(1);
		TimestampTz origin;
		int64		stride;
		TupleDesc	tupdesc;
		ChronosMemOp *op;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		/* date_bin's rules, checked in its order, with its errors */
		origin = PG_NARGS() > 2 ? PG_GETARG_TIMESTAMPTZ(2) : 0;
		if (TIMESTAMP_NOT_FINITE(origin))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("origin out of range")));
		if (CHRONOS_INTERVAL_NOT_FINITE(width))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("timestamps cannot be binned into infinite intervals")));
		if (width->month != 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("timestamps cannot be binned into intervals containing months or years")));
		if (pg_mul_s64_overflow(width->day, USECS_PER_DAY, &stride) ||
			pg_add_s64_overflow(stride, width->time, &stride))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range")));
		if (stride <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stride must be greater than zero")));
		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos buckets",
							  CHRONOS_MEM_WORK);
		st = (BucketsState *) chronos_alloc0(op, sizeof(BucketsState), "buckets state");
		st->op = op;
		st->width = stride;
		st->origin = origin;
		chronos_lazy_open(&st->lz, op, PG_GETARG_DATUM(0));

		/*
		 * Blocks spanning a quarter of a bucket or more (on average): most
		 * are cut by a bucket's edge and decoded, so their payloads come in
		 * windows, not one fetch each.
		 */
		if (st->lz.h.npoints > 0 &&
			!TIMESTAMP_NOT_FINITE(st->lz.h.first_ts) &&
			!TIMESTAMP_NOT_FINITE(st->lz.h.last_ts) &&
			(int128) st->lz.h.nblocks * stride <=
			4 * ((int128) st->lz.h.last_ts - (int128) st->lz.h.first_ts + 1))
			chronos_lazy_read_ahead(&st->lz, st->lz.h.nblocks);
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	st = (BucketsState *) funcctx->user_fctx;

	if (!buckets_next(st))
		SRF_RETURN_DONE(funcctx);

	sum = chronos_agg_sum(&st->cur.acc, &mn, &mx);
	values[0] = TimestampTzGetDatum(st->cur.start);
	values[1] = Int64GetDatum((int64) st->cur.acc.count);
	values[2] = Float8GetDatum(mn);
	values[3] = Float8GetDatum(mx);
	values[4] = Float8GetDatum(sum);
	values[5] = Float8GetDatum(sum / (double) st->cur.acc.count);
	values[6] = TimestampTzGetDatum(st->cur.first);
	values[7] = TimestampTzGetDatum(st->cur.last);
	st->have = false;
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
																values, nulls)));
}

/* ----------------------------------------------------------------
 *		Sparkline
 * ----------------------------------------------------------------
 */

/*
 * sparkline(compact_ts, width integer DEFAULT 40, range tstzrange DEFAULT
 *		NULL) -> text
 *
 * The shape of the series as width Unicode block characters (U+2581 ..
 * U+2588), one per equal stretch of time between the first and last point
 * (or of the range), each the average of its points, scaled between the
 * smallest and largest average; a stretch without points is a space, a
 * flat series the middle height.  Blocks within one stretch are read from
 * their summaries.  NULL for a NULL series; the empty series gives ''.
 */
Datum
compact_ts_sparkline(PG_FUNCTION_ARGS)
{
	static const char *const bars[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
	"\u2585", "\u2586", "\u2587", "\u2588"};
	int			width;
	ChronosMemOp *op;
	ChronosLazyValue	lz;
	int64		lo,
				hi;
	cts_agg    *accs;
	ChronosDecodeBufs	d = {NULL, NULL, 0};
	uint32		b0,
				b1,
				b;
	StringInfoData out;
	double		amin = 0,
				amax = 0;
	bool		any = false;
	int			k;
	int128		span;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	width = PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_INT32(1) : 40;
	if (width < 1 || width > SPARKLINE_MAX_WIDTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sparkline width must be between 1 and %d", SPARKLINE_MAX_WIDTH),
				 errdetail("The width given was %d.", width)));
	op = chronos_op_begin(CurrentMemoryContext, "chronos sparkline", CHRONOS_MEM_WORK);
	chronos_lazy_open(&lz, op, PG_GETARG_DATUM(0));
	if (lz.h.npoints == 0)
	{
		chronos_op_end(op);
		PG_RETURN_TEXT_P(cstring_to_text(""));
	}
	lo = lz.h.first_ts;
	hi = lz.h.last_ts;
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		int64		rlo,
					rhi;

		if (!range_bounds(fcinfo, PG_GETARG_RANGE_P(2), &rlo, &rhi))
		{
			chronos_op_end(op);
			PG_RETURN_TEXT_P(cstring_to_text(""));
		}
		/* an unbounded side follows the series */
		if (rlo != PG_INT64_MIN)
			lo = rlo;
		if (rhi != PG_INT64_MAX)
			hi = rhi;
	}
	/* infinite timestamps have no place on a time axis */
	if (TIMESTAMP_IS_NOBEGIN(lo))
		lo = PG_INT64_MIN + 1;
	if (TIMESTAMP_IS_NOEND(hi))
		hi = PG_INT64_MAX - 1;
	accs = (cts_agg *) chronos_alloc(op, sizeof(cts_agg) * width, "sparkline");
	for (k = 0; k < width; k++)
		cts_agg_init(&accs[k]);
	span = (int128) hi - (int128) lo + 1;

#define STRETCH(t) ((int) (((int128) (t) - (int128) lo) * width / span))

	if (lo <= hi)
	{
		chronos_lazy_find(&lz, lo, hi, &b0, &b1);
		/* few blocks to a stretch: most are cut and decoded, read ahead */
		if (b1 - b0 <= 4 * (uint32) width)
			chronos_lazy_read_ahead(&lz, b1);
		for (b = b0; b < b1; b++)
		{
			cts_block_info bi;
			uint32		j0,
						j1,
						j;

			chronos_lazy_block(&lz, b, &bi);
			if (bi.first_ts >= lo && bi.last_ts <= hi &&
				STRETCH(bi.first_ts) == STRETCH(bi.last_ts) &&
				!TIMESTAMP_NOT_FINITE(bi.first_ts) && !TIMESTAMP_NOT_FINITE(bi.last_ts))
			{
				cts_agg_block(&accs[STRETCH(bi.first_ts)], &bi);
				continue;
			}
			chronos_lazy_decode_range(&lz, &bi, lo, hi, &d, &j0, &j1);
			for (j = j0; j < j1; j++)
				cts_agg_points(&accs[STRETCH(d.ts[j])], d.values, j, j + 1, bi.max_error);
		}
	}
	/* averages, and their range */
	for (k = 0; k < width; k++)
	{
		double		mn,
					mx,
					sum;
		int			ovf;

		if (accs[k].count == 0)
			continue;
		cts_agg_result(&accs[k], &mn, &mx, &sum, &ovf);
		accs[k].min = sum / (double) accs[k].count;	/* reuse: the average */
		if (!isfinite(accs[k].min))
		{
			accs[k].count = 0;	/* NaN or infinite: no height to draw */
			continue;
		}
		if (!any || accs[k].min < amin)
			amin = accs[k].min;
		if (!any || accs[k].min > amax)
			amax = accs[k].min;
		any = true;
	}
	initStringInfo(&out);
	for (k = 0; k < width; k++)
	{
		int			level;

		if (accs[k].count == 0)
		{
			appendStringInfoChar(&out, ' ');
			continue;
		}
		if (amax > amin)
		{
			/* halved: a range wider than DBL_MAX does not overflow */
			double		f = (accs[k].min / 2 - amin / 2) / (amax / 2 - amin / 2);

			if (isnan(f))
				f = accs[k].min >= amax ? 1.0 : 0.0;

			level = (int) (f * 7.0 + 0.5);
			level = Max(0, Min(7, level));
		}
		else
			level = 3;
		appendStringInfoString(&out, bars[level]);
	}
#undef STRETCH
	chronos_op_end(op);
	PG_RETURN_TEXT_P(cstring_to_text(out.data));
}
