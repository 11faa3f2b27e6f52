/*-------------------------------------------------------------------------
 *
 * compact_ts_op.c
 *	  Questions about a compact_ts: header-only accessors and statistics,
 *	  unnest, and the conversions back to arrays.
 *
 * Two kinds of functions live here.
 *
 * Header-only: length, first_time, last_time, time_range, min_value,
 * max_value, sum_value, avg_value, max_error, compression_stats and
 * compression_ratio need nothing but the 64-byte header, which holds exact
 * summaries of the original values.  They fetch only the header
 * (chronos_fetch_header), so a TOASTed value (STORAGE external) costs one
 * TOAST chunk, not the whole value, and they check that header (it is all
 * they trust).  min, max, sum and avg are of the values as given, not of
 * the quantized ones, so they are exact even for lossy blocks.
 *
 * Decoding: unnest, timestamps and value_array check the header and the
 * whole block index first (ChronosBlockReader), then decode one block at a
 * time, validating each block before any of its points comes out.  unnest
 * is a value-per-call SRF holding one block's points, so it streams in the
 * select list; in FROM, PostgreSQL's FunctionScan materializes all its
 * rows into a tuplestore first (spilling to disk past work_mem).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_op.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/float.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "compact_ts.h"

PG_FUNCTION_INFO_V1(compact_ts_length);
PG_FUNCTION_INFO_V1(compact_ts_first_time);
PG_FUNCTION_INFO_V1(compact_ts_last_time);
PG_FUNCTION_INFO_V1(compact_ts_time_range);
PG_FUNCTION_INFO_V1(compact_ts_min_value);
PG_FUNCTION_INFO_V1(compact_ts_max_value);
PG_FUNCTION_INFO_V1(compact_ts_sum_value);
PG_FUNCTION_INFO_V1(compact_ts_avg_value);
PG_FUNCTION_INFO_V1(compact_ts_max_error);
PG_FUNCTION_INFO_V1(compact_ts_compression_stats);
PG_FUNCTION_INFO_V1(compact_ts_compression_ratio);
PG_FUNCTION_INFO_V1(compact_ts_codec);
PG_FUNCTION_INFO_V1(compact_ts_unnest);
PG_FUNCTION_INFO_V1(compact_ts_timestamps);
PG_FUNCTION_INFO_V1(compact_ts_value_array);

/* original_size of compression_stats: an int64 timestamp + a float8 value */
#define CTS_ORIGINAL_BYTES_PER_POINT	16

/* Cross-call state of unnest. */
typedef struct CtsUnnestState
{
	ChronosBlockReader reader;
	uint32		pos;			/* next point of the current block */
} CtsUnnestState;


/* ----------------------------------------------------------------
 *		Header-only accessors
 * ----------------------------------------------------------------
 */

/*
 * header_of_arg0
 *		Fetch and check the header of argument 0, reading only the header.
 */
static inline void
header_of_arg0(FunctionCallInfo fcinfo, cts_header *header)
{
	chronos_fetch_header(PG_GETARG_DATUM(0), header);
}

/*
 * length(compact_ts) -> integer
 *
 * The number of points.
 */
Datum
compact_ts_length(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	PG_RETURN_INT32((int32) h.npoints);
}

/*
 * first_time(compact_ts) -> timestamptz
 *
 * The earliest timestamp; NULL for the empty series.
 */
Datum
compact_ts_first_time(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(h.first_ts);
}

/*
 * last_time(compact_ts) -> timestamptz
 *
 * The latest timestamp; NULL for the empty series.
 */
Datum
compact_ts_last_time(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(h.last_ts);
}

/*
 * time_range(compact_ts) -> tstzrange
 *
 * '[first_time, last_time]', both ends inclusive; NULL for the empty
 * series.  The range's type cache entry is kept in fn_extra.
 */
Datum
compact_ts_time_range(PG_FUNCTION_ARGS)
{
	cts_header	h;
	TypeCacheEntry *typcache;
	RangeBound	lower;
	RangeBound	upper;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();

	typcache = (TypeCacheEntry *) fcinfo->flinfo->fn_extra;
	if (typcache == NULL)
	{
		typcache = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
		if (typcache->rngelemtype == NULL)
			elog(ERROR, "type %u is not a range type", TSTZRANGEOID);
		fcinfo->flinfo->fn_extra = typcache;
	}

	lower.val = TimestampTzGetDatum(h.first_ts);
	lower.infinite = false;
	lower.inclusive = true;
	lower.lower = true;
	upper.val = TimestampTzGetDatum(h.last_ts);
	upper.infinite = false;
	upper.inclusive = true;
	upper.lower = false;

	PG_RETURN_RANGE_P(chronos_make_range(typcache, &lower, &upper));
}

/*
 * min_value(compact_ts) -> float8
 *
 * The smallest value as given (exact, not quantized); NULL if empty.
 */
Datum
compact_ts_min_value(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(h.min);
}

/*
 * max_value(compact_ts) -> float8
 *
 * The largest value as given (exact, not quantized); NULL if empty.
 */
Datum
compact_ts_max_value(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(h.max);
}

/*
 * series_sum
 *		The sum of the series' values by sum(float8)'s rules: PostgreSQL's
 *		float overflow error if the finite values' sum is beyond double
 *		precision.
 *
 * The encoder's sum of the finite values overflows only when their true
 * sum is beyond double precision (it accumulates huge terms separately);
 * the header then holds +-Infinity, or NaN when blocks overflowed in
 * opposite directions.  PostgreSQL's own sum(float8) and avg(float8) raise
 * "value out of range: overflow" on the same data, so we do too rather
 * than return an infinity or a NaN that is not the answer.  A lossless
 * series may hold NaN or infinities themselves: then the sum is NaN (a NaN,
 * or both infinities) or the infinity, as sum(float8) gives.
 */
static double
series_sum(const cts_header *h)
{
	/* NaN and infinities of a lossless series, as sum(float8) treats them */
	if ((h->flags & CTS_V_NAN) ||
		((h->flags & CTS_V_POSINF) && (h->flags & CTS_V_NEGINF)))
		return get_float8_nan();
	if (h->flags & CTS_V_POSINF)
		return get_float8_infinity();
	if (h->flags & CTS_V_NEGINF)
		return -get_float8_infinity();
	if (!isfinite(h->sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow"),
				 errdetail("The sum of the series' %u values is beyond the range of type double precision.",
						   h->npoints)));
	return h->sum;
}

/*
 * sum_value(compact_ts) -> float8
 *
 * The compensated sum of the values as given; NULL if empty.  A sum beyond
 * the range of double precision raises 22003, like sum(float8).
 */
Datum
compact_ts_sum_value(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(series_sum(&h));
}

/*
 * avg_value(compact_ts) -> float8
 *
 * sum_value / length; NULL if empty; 22003 if the sum overflows, like
 * avg(float8).
 */
Datum
compact_ts_avg_value(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(series_sum(&h) / (double) h.npoints);
}

/*
 * max_error(compact_ts) -> float8
 *
 * The largest |value as given - value unnest returns| over all points, as
 * measured by the encoder; 0 for lossless blocks and the empty series.
 */
Datum
compact_ts_max_error(PG_FUNCTION_ARGS)
{
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	PG_RETURN_FLOAT8(h.max_error);
}

/*
 * compression_stats(compact_ts) -> (points bigint, original_size bigint,
 *		compressed_size bigint, bytes_saved bigint, compression_ratio float8)
 *
 * original_size is 16 bytes per point (an 8-byte timestamp and an 8-byte
 * value); compressed_size is the size the value takes where it is stored,
 * as pg_column_size() reports it (toast_datum_size): the codec buffer and
 * its varlena header, or, when the column's storage lets TOAST compress it
 * (SET STORAGE extended or main), its pglz or lz4 compressed size, not
 * counting TOAST's own chunk overhead; bytes_saved is original_size -
 * compressed_size (negative for tiny series); compression_ratio is
 * compressed_size / original_size, NULL for the empty series.
 */
Datum
compact_ts_compression_stats(PG_FUNCTION_ARGS)
{
	Size		stored = toast_datum_size(PG_GETARG_DATUM(0));
	cts_header	h;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int64		original;

	header_of_arg0(fcinfo, &h);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	original = (int64) h.npoints * CTS_ORIGINAL_BYTES_PER_POINT;
	values[0] = Int64GetDatum((int64) h.npoints);
	values[1] = Int64GetDatum(original);
	values[2] = Int64GetDatum((int64) stored);
	values[3] = Int64GetDatum(original - (int64) stored);
	if (h.npoints > 0)
		values[4] = Float8GetDatum((double) stored / (double) original);
	else
		nulls[4] = true;

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * compression_ratio(compact_ts) -> float8
 *
 * compression_stats(x).compression_ratio: the size as stored (as
 * pg_column_size() reports it) / 16 bytes per point; NULL for the empty
 * series.
 */
Datum
compact_ts_compression_ratio(PG_FUNCTION_ARGS)
{
	Size		stored = toast_datum_size(PG_GETARG_DATUM(0));
	cts_header	h;

	header_of_arg0(fcinfo, &h);
	if (h.npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) stored /
					 ((double) h.npoints * CTS_ORIGINAL_BYTES_PER_POINT));
}


/*
 * codec(compact_ts) -> text
 *
 * The codec the value was built with.  Format 2 keeps it in the header
 * (quant16, quantN, max_error=<bound>, lossless; mixed after an append of
 * values built with different codecs).  Format 1 (values written by 1.0)
 * names a codec per block: the header and index are read (not the
 * payloads) and the answer is quant16, gorilla, or mixed.
 */
Datum
compact_ts_codec(PG_FUNCTION_ARGS)
{
	Datum		datum = PG_GETARG_DATUM(0);
	cts_header	h;
	ChronosCodec codec;
	char		name[CHRONOS_CODEC_NAME_LEN];

	chronos_fetch_header(datum, &h);
	if (h.version == CTS_FORMAT_V2)
	{
		if (!chronos_codec_of_header(&h, &codec))
			PG_RETURN_TEXT_P(cstring_to_text("mixed"));
		chronos_codec_name(&codec, name);
		PG_RETURN_TEXT_P(cstring_to_text(name));
	}
	else
	{
		Size		n = CTS_HEADER_SIZE + (Size) CTS_INDEX_ENTRY_SIZE * h.nblocks;
		struct varlena *slice = PG_DETOAST_DATUM_SLICE(datum, 0, n);
		const uint8 *buf = (const uint8 *) VARDATA_ANY(slice);
		size_t		len = VARSIZE_ANY_EXHDR(slice);
		uint8		first = 0;
		bool		mixed = false;
		uint32		i;

		for (i = 0; i < h.nblocks; i++)
		{
			cts_block_info bi;
			cts_status	st = cts_read_block_info(buf, len, &h, i, &bi);

			if (st != CTS_OK)
				chronos_report_corrupt(st);
			if (i == 0)
				first = bi.codec;
			else if (bi.codec != first)
				mixed = true;
		}
		if (h.nblocks == 0)
			first = CTS_CODEC_QUANT16;
		PG_RETURN_TEXT_P(cstring_to_text(mixed ? "mixed" : cts_codec_name(first)));
	}
}


/* ----------------------------------------------------------------
 *		Decoding
 * ----------------------------------------------------------------
 */

/*
 * unnest(compact_ts) -> TABLE(ts timestamptz, value float8)
 *
 * The points in time order (equal timestamps in the order they were
 * given), value per call.  The first call checks the header and index and
 * keeps the value,
 * with one block's decode buffers, in a "chronos decode" op under the
 * multi-call context, so the op ends when the SRF does (also on an early
 * end such as LIMIT, and on ERROR).
 */
Datum
compact_ts_unnest(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	CtsUnnestState *state;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	HeapTuple	tuple;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		ChronosMemOp *op;
		CompactTs  *value;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);

		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos decode",
							  CHRONOS_MEM_WORK);
		/* the value (if fetched) and the state stay in the op until the end */
		value = chronos_detoast(op, PG_GETARG_DATUM(0));
		state = (CtsUnnestState *) MemoryContextAllocZero(chronos_op_context(op),
														  sizeof(CtsUnnestState));
		chronos_reader_init(&state->reader, op, CTS_PAYLOAD(value),
							CTS_PAYLOAD_LEN(value), true);
		funcctx->user_fctx = state;

		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	state = (CtsUnnestState *) funcctx->user_fctx;

	while (state->pos >= state->reader.npoints)
	{
		if (!chronos_reader_next(&state->reader))
			SRF_RETURN_DONE(funcctx);
		state->pos = 0;
	}

	values[0] = TimestampTzGetDatum(state->reader.ts[state->pos]);
	values[1] = Float8GetDatum(state->reader.values[state->pos]);
	state->pos++;

	tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/*
 * decode_to_array
 *		timestamps() and value_array(): all points' timestamps or values as
 *		a one-dimensional array without NULLs.
 *
 * The array is built in place, block by block, in a "chronos decode" op
 * under the caller's context that stays alive as long as the array; the
 * value's copy and the decode buffers are freed before returning.
 */
static ArrayType *
decode_to_array(Datum datum, bool want_values)
{
	ChronosMemOp *op;
	CompactTs  *value;
	ChronosBlockReader reader;
	Oid			elemtype = want_values ? FLOAT8OID : TIMESTAMPTZOID;
	uint32		n;
	Size		nbytes;
	ArrayType  *result;
	char	   *dst;

	op = chronos_op_begin(CurrentMemoryContext, "chronos decode",
						  CHRONOS_MEM_WORK);
	value = chronos_detoast(op, datum);
	chronos_reader_init(&reader, op, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value),
						want_values);

	n = reader.header.npoints;
	StaticAssertStmt(sizeof(TimestampTz) == 8 && sizeof(float8) == 8,
					 "8-byte elements expected");
	if ((Size) n > MaxArraySize ||
		(Size) n > (MaxAllocSize - ARR_OVERHEAD_NONULLS(1)) / 8)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("series of %u points is too large for one array", n),
				 errdetail("An array can hold at most %zu elements of 8 bytes.",
						   Min((Size) MaxArraySize,
							   (MaxAllocSize - ARR_OVERHEAD_NONULLS(1)) / 8)),
				 errhint("Use unnest(), or store the series as segments of chronos.chunk_size points.")));

	nbytes = ARR_OVERHEAD_NONULLS(1) + (Size) n * 8;
	result = (ArrayType *) chronos_alloc0(op, nbytes, "result array");
	SET_VARSIZE(result, nbytes);
	result->ndim = n > 0 ? 1 : 0;
	result->dataoffset = 0;
	result->elemtype = elemtype;
	if (n > 0)
	{
		ARR_DIMS(result)[0] = (int) n;
		ARR_LBOUND(result)[0] = 1;
	}
	else
	{
		/* an empty array has no dimensions */
		nbytes = ARR_OVERHEAD_NONULLS(0);
		SET_VARSIZE(result, nbytes);
	}

	dst = (char *) result + ARR_OVERHEAD_NONULLS(1);
	while (chronos_reader_next(&reader))
	{
		Size		bytes = (Size) reader.npoints * 8;

		memcpy(dst, want_values ? (const void *) reader.values :
			   (const void *) reader.ts, bytes);
		dst += bytes;
	}

	chronos_reader_free(&reader);
	chronos_detoast_free(op, datum, value);
	return result;
}

/*
 * timestamps(compact_ts) -> timestamptz[]
 *
 * All timestamps in time order; '{}' for the empty series.
 */
Datum
compact_ts_timestamps(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(decode_to_array(PG_GETARG_DATUM(0), false));
}

/*
 * value_array(compact_ts) -> float8[]
 *
 * All values, as unnest returns them (quantized), in time order; '{}' for
 * the empty series.
 */
Datum
compact_ts_value_array(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(decode_to_array(PG_GETARG_DATUM(0), true));
}
