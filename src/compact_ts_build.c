/*-------------------------------------------------------------------------
 *
 * compact_ts_build.c
 *	  Building compact_ts values: compact_ts(timestamptz[], float8[]) and the
 *	  aggregate compact_ts_agg(timestamptz, float8).
 *
 * Both constructors collect (timestamp, value) points into one array and
 * hand it to the encoder entry of compact_ts.c (chronos_sort_points, a
 * stable merge sort skipped when the input is already sorted, then
 * chronos_encode_points, which sizes the encoding exactly and lets the
 * codec write it).  Duplicate timestamps are all kept, in input order: that
 * is what the stable sort is for.
 *
 * Aggregate state.  The transition state is a growable array of points in
 * the "chronos aggregate" operation (memory.h) that every state under the
 * same aggregate context shares: a HashAggregate keeps a state per group,
 * and a group of a few points should cost a few hundred bytes, not a memory
 * context.  The array starts at AGG_INITIAL_POINTS points and doubles when
 * full (chronos_grow), so the memory limit is checked once per doubling
 * rather than per point, and the states' memory is freed with the
 * aggregate context: at the end of the group (or of the query, for a
 * HashAggregate), or on an ERROR.  The state remembers whether its points
 * are in time order, so the final function sorts only when it must.  The
 * final function sorts in place and marks the state sorted; the state
 * stays valid, so PostgreSQL may call the final function again (window
 * aggregates, shared transition states) and may even go on adding rows.
 *
 * Parallel aggregation.  The serialized state is a bytea holding a 16-byte
 * header (the point count as an int64, the codec as one byte, 7 zero
 * bytes) followed by the points as they lie in memory (int64 timestamp,
 * float8 value, native byte order; serialization never leaves the
 * cluster).  The deserializer checks that the length matches the count,
 * that the codec is known and that every value is finite, and recomputes
 * sortedness.  It runs in the per-input-tuple context, so it builds its
 * state there; the combine function copies such a state into the aggregate
 * context when it has none of its own yet.
 *
 * Rows with a NULL timestamp or value are skipped by the aggregate (the SQL
 * aggregate convention), which is why its transition function is not
 * STRICT; the array constructor rejects NULL elements instead, naming their
 * position.  NaN and infinite values are rejected by both, except with the
 * 'lossless' codec, which stores them bit for bit.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_build.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "compact_ts.h"

PG_FUNCTION_INFO_V1(compact_ts_from_arrays);
PG_FUNCTION_INFO_V1(compact_ts_agg_transfn);
PG_FUNCTION_INFO_V1(compact_ts_agg_combinefn);
PG_FUNCTION_INFO_V1(compact_ts_agg_serialfn);
PG_FUNCTION_INFO_V1(compact_ts_agg_deserialfn);
PG_FUNCTION_INFO_V1(compact_ts_agg_finalfn);

/*
 * First capacity of an aggregate state, in points (128 bytes): a
 * HashAggregate keeps one state per group, and many groups hold a few
 * points each.
 */
#define AGG_INITIAL_POINTS	8

/*
 * Header of the serialized aggregate state: the point count (int64); the
 * codec's kind and bits (one byte each) and 6 zero bytes; its bound
 * (float8).  The points that follow stay 8-byte aligned.
 */
#define AGG_SERIAL_HEADER	(3 * sizeof(int64))

/* Most points a serialized state (one bytea) can hold. */
#define AGG_SERIAL_MAX_POINTS \
	((MaxAllocSize - VARHDRSZ - AGG_SERIAL_HEADER) / sizeof(cts_point))

/*
 * Aggregate transition state.  Lives in its op's context; pts was
 * allocated with chronos_alloc and holds capacity points.
 */
typedef struct CtsAggState
{
	ChronosMemOp *op;
	cts_point  *pts;
	size_t		npoints;
	size_t		capacity;
	bool		sorted;			/* pts[0..npoints) is in time order */
	ChronosCodec codec;			/* named or chronos.default_codec's */
} CtsAggState;


/* ----------------------------------------------------------------
 *		Helpers
 * ----------------------------------------------------------------
 */

/*
 * report_encode_failure
 *		A codec status the constructors cannot cause (they sort, and check
 *		values themselves): an internal error.
 */
pg_noreturn static void
report_encode_failure(cts_status status)
{
	elog(ERROR, "compact_ts encoder failed: %s", cts_strerror(status));
}

/*
 * null_codec_error
 *		A NULL codec argument, to compact_ts() or compact_ts_agg(): 22004.
 */
pg_noreturn static void
null_codec_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("compact_ts codec must not be NULL"),
			 errhint("Pass a codec name ('quant16', 'lossless', 'max_error=0.01', ...) or a max_error, or use the form without a codec.")));
}

/*
 * codec_arg
 *		The codec of argument argno: a name (text) or, for the max_error
 *		forms, a bound in value units (float8, finite and > 0, else 22023).
 *		Without the argument, chronos.default_codec's.  NULL: 22004.
 */
static void
codec_arg(FunctionCallInfo fcinfo, int argno, ChronosCodec *codec)
{
	Oid			type;

	if (PG_NARGS() <= argno)
	{
		chronos_codec_default(codec);
		return;
	}
	if (PG_ARGISNULL(argno))
		null_codec_error();
	type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	if (type == FLOAT8OID)
	{
		double		b = PG_GETARG_FLOAT8(argno);

		if (!(b > 0) || !isfinite(b))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_error must be a positive finite number"),
					 errdetail("The max_error given was %g.", b)));
		codec->kind = CTS_CODEC2_BOUND;
		codec->bits = 0;
		codec->bound = b;
		return;
	}
	chronos_codec_from_text(PG_GETARG_TEXT_PP(argno), codec);
}

static bool
codec_equal(const ChronosCodec *a, const ChronosCodec *b)
{
	return a->kind == b->kind && a->bits == b->bits &&
		memcmp(&a->bound, &b->bound, sizeof(double)) == 0;
}

/*
 * encode_or_report
 *		chronos_encode_series, reporting a non-finite value it found (the
 *		callers check values themselves, so that is the only data error).
 */
static CompactTs *
encode_or_report(ChronosMemOp *op, const cts_point *pts, size_t n,
				 const ChronosCodec *codec)
{
	cts_status	st;
	size_t		bad = 0;
	CompactTs  *result = chronos_encode_series(op, pts, n, codec, (uint32) chronos_block_points,
											   &st, &bad);

	if (result == NULL)
	{
		if (st == CTS_ERR_NONFINITE && bad < n)
			chronos_report_nonfinite(pts[bad].value, pts[bad].ts, "An input value");
		report_encode_failure(st);
	}
	return result;
}


/* ----------------------------------------------------------------
 *		compact_ts(timestamptz[], float8[])
 * ----------------------------------------------------------------
 */

/*
 * first_null
 *		0-based position of the first NULL element of a 1-D array that has
 *		a null bitmap, or -1.
 */
static int
first_null(ArrayType *arr, int n)
{
	bits8	   *bitmap = ARR_NULLBITMAP(arr);
	int			i;

	if (bitmap == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((bitmap[i / 8] & (1 << (i % 8))) == 0)
			return i;
	return -1;
}

/*
 * check_array
 *		One-dimensional (or empty), of the expected type; returns the
 *		number of elements.  what names the array in messages.
 */
static int
check_array(ArrayType *arr, Oid elemtype, const char *what)
{
	int			nitems;
	int			null_at;

	if (ARR_ELEMTYPE(arr) != elemtype)
		elog(ERROR, "%s array has element type %u, expected %u",
			 what, ARR_ELEMTYPE(arr), elemtype);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s array must be one-dimensional", what),
				 errdetail("The %s array has %d dimensions.", what, ARR_NDIM(arr))));
	nitems = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));

	null_at = first_null(arr, nitems);
	if (null_at >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("compact_ts cannot store NULL %ss", what),
				 errdetail("Element %d of the %s array is NULL.", null_at + 1, what),
				 errhint("Remove the NULL elements, or build the series with compact_ts_agg(), which skips NULLs.")));
	return nitems;
}

/*
 * compact_ts(timestamptz[], float8[]) -> compact_ts
 * compact_ts(timestamptz[], float8[], codec text) -> compact_ts
 *
 * Pairs the two arrays element by element.  Both must be one-dimensional
 * (or empty) and of the same length, without NULLs; values must be finite.
 * Points are sorted by time, stably, so duplicate timestamps keep the order
 * of the arrays.  Two empty arrays give the empty series.  A NULL array
 * gives NULL; a NULL codec is an error (22004), as in compact_ts_agg (the
 * three-argument form is not STRICT from 1.1 on, so that it can say so).
 *
 * The result lives in a "chronos encode" op under the caller's context; the
 * point array is freed before returning.
 */
Datum
compact_ts_from_arrays(PG_FUNCTION_ARGS)
{
	ArrayType  *ts_arr;
	ArrayType  *v_arr;
	int			n_ts;
	int			n_v;
	const TimestampTz *tsv;
	const float8 *vv;
	ChronosMemOp *op;
	cts_point  *pts = NULL;
	CompactTs  *result;
	int			i;
	ChronosCodec codec;

	codec_arg(fcinfo, 2, &codec);
	/* STRICT in 1.0; from 1.1 the three-argument form checks itself */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();

	op = chronos_op_begin(CurrentMemoryContext, "chronos encode",
						  CHRONOS_MEM_WORK);
	ts_arr = (ArrayType *) chronos_detoast_datum(op, PG_GETARG_DATUM(0), false,
												 "input array");
	v_arr = (ArrayType *) chronos_detoast_datum(op, PG_GETARG_DATUM(1), false,
												"input array");

	n_ts = check_array(ts_arr, TIMESTAMPTZOID, "timestamp");
	n_v = check_array(v_arr, FLOAT8OID, "value");
	if (n_ts != n_v)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("timestamp and value arrays have different lengths"),
				 errdetail("The timestamp array has %d elements, the value array %d.",
						   n_ts, n_v)));

	/*
	 * No NULLs, fixed-width 8-byte elements: the data is a plain C array
	 * (ARR_DATA_PTR, without its signed/unsigned mix that -Wextra warns
	 * about).  An array may keep a NULL bitmap with no NULL left in it (an
	 * UPDATE of its NULL elements): its data then starts at dataoffset.
	 */
	tsv = (const TimestampTz *) ((const char *) ts_arr +
								 (ARR_HASNULL(ts_arr) ? (Size) ts_arr->dataoffset :
								  (Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(ts_arr))));
	vv = (const float8 *) ((const char *) v_arr +
						   (ARR_HASNULL(v_arr) ? (Size) v_arr->dataoffset :
							(Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(v_arr))));

	if (n_ts > 0)
		pts = (cts_point *) chronos_alloc(op, (Size) n_ts * sizeof(cts_point),
										  "points");
	for (i = 0; i < n_ts; i++)
	{
		if (!isfinite(vv[i]) && codec.kind != CTS_CODEC2_LOSSLESS)
		{
			char	   *what = psprintf("Element %d of the value array", i + 1);

			chronos_report_nonfinite(vv[i], tsv[i], what);
		}
		pts[i].ts = tsv[i];
		pts[i].value = vv[i];
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	chronos_sort_points(op, pts, n_ts);
	result = encode_or_report(op, pts, n_ts, &codec);
	chronos_free(op, pts);
	chronos_free_datum(op, PG_GETARG_DATUM(0), (struct varlena *) ts_arr);
	chronos_free_datum(op, PG_GETARG_DATUM(1), (struct varlena *) v_arr);

	PG_RETURN_COMPACT_TS_P(result);
}


/* ----------------------------------------------------------------
 *		compact_ts_agg(timestamptz, float8)
 * ----------------------------------------------------------------
 */

/*
 * agg_state_create
 *		A new, empty state with room for capacity points, in the "chronos
 *		aggregate" op that every state under parent shares (one per
 *		aggregate context, so that a HashAggregate's groups do not cost a
 *		memory context each; see memory.c).
 */
static CtsAggState *
agg_state_create(MemoryContext parent, size_t capacity)
{
	ChronosMemOp *op;
	CtsAggState *state;

	op = chronos_op_shared(parent, "chronos aggregate", CHRONOS_MEM_WORK);
	state = (CtsAggState *) chronos_alloc0(op, sizeof(CtsAggState),
										   "aggregate state");
	state->op = op;
	state->capacity = Max(capacity, 1);
	state->pts = (cts_point *) chronos_alloc(op,
											 state->capacity * sizeof(cts_point),
											 "aggregate state");
	state->npoints = 0;
	state->sorted = true;
	return state;
}

/*
 * agg_state_reserve
 *		Make room for need points, doubling the capacity.
 */
static void
agg_state_reserve(CtsAggState *state, size_t need)
{
	if (need > CTS_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("series has more than %u points, the most one compact_ts value can hold",
						CTS_MAX_POINTS),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, e.g. by grouping on the point's position divided by the chunk size.",
						 chronos_chunk_size)));
	chronos_grow(state->op, (void **) &state->pts, &state->capacity,
				 sizeof(cts_point), need, CTS_MAX_POINTS, "aggregate state");
}

/*
 * agg_state_append
 *		Append pts[0..n) to state, keeping track of sortedness.
 */
static void
agg_state_append(CtsAggState *state, const cts_point *pts, size_t n,
				 bool sorted)
{
	if (n == 0)
		return;
	agg_state_reserve(state, state->npoints + n);
	if (!sorted ||
		(state->npoints > 0 && pts[0].ts < state->pts[state->npoints - 1].ts))
		state->sorted = false;
	memcpy(state->pts + state->npoints, pts, n * sizeof(cts_point));
	state->npoints += n;
}

/*
 * compact_ts_agg_transfn(internal, timestamptz, float8) -> internal
 * compact_ts_agg_transfn(internal, timestamptz, float8, text) -> internal
 *
 * Not STRICT: a row whose timestamp or value is NULL is skipped here, and
 * the state is created on the first row that is not.  The codec, when
 * given, must be the same on every row of a group; a NULL codec is an
 * error (22004) on any row, skipped or not.
 */
Datum
compact_ts_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	CtsAggState *state;
	TimestampTz ts;
	float8		value;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "compact_ts_agg_transfn called in non-aggregate context");

	state = PG_ARGISNULL(0) ? NULL : (CtsAggState *) PG_GETARG_POINTER(0);
	/* a NULL codec is an error on any row, as in compact_ts() */
	if (PG_NARGS() > 3 && PG_ARGISNULL(3))
		null_codec_error();
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}

	ts = PG_GETARG_TIMESTAMPTZ(1);
	value = PG_GETARG_FLOAT8(2);

	if (state == NULL)
	{
		state = agg_state_create(aggcontext, AGG_INITIAL_POINTS);
		codec_arg(fcinfo, 3, &state->codec);
	}
	else if (PG_NARGS() > 3)
	{
		ChronosCodec c;

		codec_arg(fcinfo, 3, &c);
		if (!codec_equal(&c, &state->codec))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("compact_ts_agg codec must be the same for all rows of a group")));
	}
	if (!isfinite(value) && state->codec.kind != CTS_CODEC2_LOSSLESS)
		chronos_report_nonfinite(value, ts, "An input value");
	if (state->npoints == state->capacity)
		agg_state_reserve(state, state->npoints + 1);
	if (state->npoints > 0 && ts < state->pts[state->npoints - 1].ts)
		state->sorted = false;
	state->pts[state->npoints].ts = ts;
	state->pts[state->npoints].value = value;
	state->npoints++;

	PG_RETURN_POINTER(state);
}

/*
 * compact_ts_agg_combinefn(internal, internal) -> internal
 *
 * Appends the second state's points to the first.  Either may be NULL (a
 * worker that saw no rows for the group).  When the first is NULL, the
 * second is copied into a new state in the aggregate context: it may live
 * in a shorter-lived context (the deserializer's).
 */
Datum
compact_ts_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	CtsAggState *state1;
	CtsAggState *state2;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "compact_ts_agg_combinefn called in non-aggregate context");

	state1 = PG_ARGISNULL(0) ? NULL : (CtsAggState *) PG_GETARG_POINTER(0);
	state2 = PG_ARGISNULL(1) ? NULL : (CtsAggState *) PG_GETARG_POINTER(1);

	if (state2 == NULL || state2->npoints == 0)
	{
		if (state1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state1);
	}
	if (state1 == NULL)
	{
		state1 = agg_state_create(aggcontext, state2->npoints);
		state1->sorted = state2->sorted;
		state1->codec = state2->codec;
	}
	else if (!codec_equal(&state1->codec, &state2->codec))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("compact_ts_agg codec must be the same for all rows of a group")));
	agg_state_append(state1, state2->pts, state2->npoints, state2->sorted);

	PG_RETURN_POINTER(state1);
}

/*
 * compact_ts_agg_serialfn(internal) -> bytea
 *
 * The point count, then the points (see the file header).  The bytea is
 * allocated in a "chronos aggregate" op under the caller's context.
 */
Datum
compact_ts_agg_serialfn(PG_FUNCTION_ARGS)
{
	CtsAggState *state = (CtsAggState *) PG_GETARG_POINTER(0);
	ChronosMemOp *op;
	int64		count = (int64) state->npoints;
	Size		size;
	bytea	   *result;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "compact_ts_agg_serialfn called in non-aggregate context");

	if (state->npoints > AGG_SERIAL_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts_agg state of %zu points is too large to pass between parallel processes",
						state->npoints),
				 errdetail("A serialized state is limited to %zu points.",
						   (Size) AGG_SERIAL_MAX_POINTS),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, or SET max_parallel_workers_per_gather = 0.",
						 chronos_chunk_size)));
	size = AGG_SERIAL_HEADER + state->npoints * sizeof(cts_point);

	op = chronos_op_begin(CurrentMemoryContext, "chronos aggregate",
						  CHRONOS_MEM_WORK);
	result = (bytea *) chronos_alloc(op, VARHDRSZ + size, "serialized aggregate state");
	SET_VARSIZE(result, VARHDRSZ + size);
	memset(VARDATA(result), 0, AGG_SERIAL_HEADER);
	memcpy(VARDATA(result), &count, sizeof(count));
	VARDATA(result)[sizeof(int64)] = (char) state->codec.kind;
	VARDATA(result)[sizeof(int64) + 1] = (char) state->codec.bits;
	memcpy(VARDATA(result) + 2 * sizeof(int64), &state->codec.bound, sizeof(double));
	if (state->npoints > 0)
		memcpy(VARDATA(result) + AGG_SERIAL_HEADER, state->pts,
			   state->npoints * sizeof(cts_point));

	PG_RETURN_BYTEA_P(result);
}

/*
 * compact_ts_agg_deserialfn(bytea, internal) -> internal
 *
 * Checks that the length matches the count and that every value is
 * finite; the new state lives in the current (per-input-tuple) context.
 */
Datum
compact_ts_agg_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *raw = PG_GETARG_BYTEA_PP(0);
	const char *data = VARDATA_ANY(raw);
	size_t		len = VARSIZE_ANY_EXHDR(raw);
	int64		count;
	CtsAggState *state;
	size_t		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "compact_ts_agg_deserialfn called in non-aggregate context");

	if (len < AGG_SERIAL_HEADER)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid compact_ts_agg state"),
				 errdetail("The serialized state has %zu bytes, fewer than its %zu-byte header.",
						   len, AGG_SERIAL_HEADER)));
	memcpy(&count, data, sizeof(count));
	if (count < 0 || count > (int64) CTS_MAX_POINTS ||
		len - AGG_SERIAL_HEADER != (size_t) count * sizeof(cts_point))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid compact_ts_agg state"),
				 errdetail("The serialized state declares " INT64_FORMAT " points but has %zu bytes.",
						   count, len)));

	{
		ChronosCodec c;
		char		name[CHRONOS_CODEC_NAME_LEN];

		c.kind = (uint8) data[sizeof(int64)];
		c.bits = (uint8) data[sizeof(int64) + 1];
		memcpy(&c.bound, data + 2 * sizeof(int64), sizeof(double));
		chronos_codec_name(&c, name);
		if (!chronos_codec_parse(name, strlen(name), &c) ||
			c.kind != (uint8) data[sizeof(int64)])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("invalid compact_ts_agg state"),
					 errdetail("The serialized state names an unknown codec (%d, %d).",
							   (int) (uint8) data[sizeof(int64)],
							   (int) (uint8) data[sizeof(int64) + 1])));
		state = agg_state_create(CurrentMemoryContext, (size_t) count);
		state->codec = c;
	}
	if (count > 0)
		memcpy(state->pts, data + AGG_SERIAL_HEADER, (size_t) count * sizeof(cts_point));
	state->npoints = (size_t) count;
	for (i = 0; i < state->npoints; i++)
	{
		if (!isfinite(state->pts[i].value) && state->codec.kind != CTS_CODEC2_LOSSLESS)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("invalid compact_ts_agg state"),
					 errdetail("Point %zu of the serialized state is not finite.", i + 1)));
		if (i > 0 && state->pts[i].ts < state->pts[i - 1].ts)
			state->sorted = false;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	PG_RETURN_POINTER(state);
}

/*
 * compact_ts_agg_finalfn(internal) -> compact_ts
 *
 * NULL when no row had both a timestamp and a value.  Sorts the state in
 * place if it is not sorted yet (then marks it sorted, so a repeated call
 * does not sort again) and encodes it.  The state stays valid.  The result
 * lives in a "chronos encode" op under the caller's context.
 */
Datum
compact_ts_agg_finalfn(PG_FUNCTION_ARGS)
{
	CtsAggState *state;
	ChronosMemOp *op;
	CompactTs  *result;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "compact_ts_agg_finalfn called in non-aggregate context");

	state = PG_ARGISNULL(0) ? NULL : (CtsAggState *) PG_GETARG_POINTER(0);
	if (state == NULL || state->npoints == 0)
		PG_RETURN_NULL();

	if (!state->sorted)
	{
		chronos_sort_points(state->op, state->pts, state->npoints);
		state->sorted = true;
	}

	op = chronos_op_begin(CurrentMemoryContext, "chronos encode",
						  CHRONOS_MEM_WORK);
	result = encode_or_report(op, state->pts, state->npoints, &state->codec);

	PG_RETURN_COMPACT_TS_P(result);
}
