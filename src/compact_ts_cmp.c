/*-------------------------------------------------------------------------
 *
 * compact_ts_cmp.c
 *	  Equality, order and hashing of compact_ts: the functions behind the
 *	  operators =, <>, <, <=, >, >= and the btree and hash operator
 *	  classes, so that DISTINCT, GROUP BY, UNION, IS DISTINCT FROM, hash
 *	  and merge joins and hash indexes work on a column of series.
 *
 * Equality is byte equality of the codec buffer.  The encoding is
 * canonical (every value has exactly one encoding, and every reader
 * rejects any other), so two values are equal exactly when their bytes
 * are: the same points, the same codec per block, the same summaries.  The
 * varlena header is not part of it, so a value with a short header equals
 * the same value with a 4-byte one, and the hash functions hash the same
 * bytes.
 *
 * The order (for btree indexes, ORDER BY, merge joins) is total and
 * consistent with that equality:
 *
 *	 1. the empty series first, then by first_time;
 *	 2. then by last_time;
 *	 3. then by length (number of points);
 *	 4. then by the codec buffer, bytewise (memcmp), a prefix first.
 *
 * The first three keys come from the 64-byte header, which is fetched
 * alone (as the header-only accessors do), so ordering values that differ
 * in time range or length never reads a TOASTed value whole; only values
 * whose headers tie are fetched and compared byte by byte.  Equality
 * compares the sizes first (known without fetching), then the headers'
 * bytes, then the whole values.  Whole values are fetched into a
 * "chronos compare" memory operation, within chronos.max_memory_mb.
 *
 * Headers read for the order are checked (a corrupt header is
 * ERRCODE_DATA_CORRUPTED, as for the accessors); equality and hashing look
 * at bytes only and judge nothing.
 *
 * A btree index entry holds at most about a third of a page: indexing a
 * large value fails with PostgreSQL's "index row size ... exceeds btree
 * version 4 maximum" error.  A hash index stores only the hash, so it
 * serves equality lookups of values of any size.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_cmp.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "common/hashfn.h"

#include "compact_ts.h"

PG_FUNCTION_INFO_V1(compact_ts_eq);
PG_FUNCTION_INFO_V1(compact_ts_ne);
PG_FUNCTION_INFO_V1(compact_ts_lt);
PG_FUNCTION_INFO_V1(compact_ts_le);
PG_FUNCTION_INFO_V1(compact_ts_gt);
PG_FUNCTION_INFO_V1(compact_ts_ge);
PG_FUNCTION_INFO_V1(compact_ts_cmp);
PG_FUNCTION_INFO_V1(compact_ts_hash);
PG_FUNCTION_INFO_V1(compact_ts_hash_extended);

/*
 * Two values fetched whole for a comparison, and the op that holds the
 * copies (NULL while none was needed).
 */
typedef struct CtsPair
{
	ChronosMemOp *op;
	CompactTs  *a;
	CompactTs  *b;
} CtsPair;


/* ----------------------------------------------------------------
 *		Helpers
 * ----------------------------------------------------------------
 */

/*
 * is_inline
 *		Is the value behind datum in memory, uncompressed (a short header is
 *		fine)?  Such a value is compared in place.
 */
static inline bool
is_inline(Datum datum)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(datum);

	return !VARATT_IS_EXTERNAL(ptr) && !VARATT_IS_COMPRESSED(ptr);
}

/*
 * payload_size
 *		Length of the codec buffer behind datum, known without fetching it
 *		(toast_raw_datum_size counts a 4-byte header whatever the stored
 *		one).
 */
static inline Size
payload_size(Datum datum)
{
	return toast_raw_datum_size(datum) - VARHDRSZ;
}

/*
 * fetch_whole
 *		The whole value behind datum: in place if inline, else detoasted
 *		into pair->op (begun on first need).
 */
static CompactTs *
fetch_whole(CtsPair *pair, Datum datum)
{
	if (is_inline(datum))
		return (CompactTs *) DatumGetPointer(datum);
	if (pair->op == NULL)
		pair->op = chronos_op_begin(CurrentMemoryContext, "chronos compare",
									CHRONOS_MEM_WORK);
	return chronos_detoast(pair->op, datum);
}

/*
 * compare_bytes
 *		memcmp order of the two codec buffers, a prefix first; fetches both
 *		whole and frees the copies.
 */
static int
compare_bytes(Datum a, Datum b)
{
	CtsPair		pair = {NULL, NULL, NULL};
	size_t		la;
	size_t		lb;
	int			result;

	pair.a = fetch_whole(&pair, a);
	pair.b = fetch_whole(&pair, b);
	la = CTS_PAYLOAD_LEN(pair.a);
	lb = CTS_PAYLOAD_LEN(pair.b);
	result = memcmp(CTS_PAYLOAD(pair.a), CTS_PAYLOAD(pair.b), Min(la, lb));
	if (result == 0 && la != lb)
		result = la < lb ? -1 : 1;
	chronos_op_end(pair.op);
	return result;
}

/*
 * header_bytes_equal
 *		Are the first CTS_HEADER_SIZE bytes of the two values the same?  The
 *		values have the same size; what is not inline is fetched as a slice.
 */
static bool
header_bytes_equal(Datum a, Datum b, Size size)
{
	Size		n = Min(size, (Size) CTS_HEADER_SIZE);
	struct varlena *sa;
	struct varlena *sb;
	bool		result;

	sa = is_inline(a) ? (struct varlena *) DatumGetPointer(a) :
		PG_DETOAST_DATUM_SLICE(a, 0, n);
	sb = is_inline(b) ? (struct varlena *) DatumGetPointer(b) :
		PG_DETOAST_DATUM_SLICE(b, 0, n);
	result = VARSIZE_ANY_EXHDR(sa) >= n && VARSIZE_ANY_EXHDR(sb) >= n &&
		memcmp(VARDATA_ANY(sa), VARDATA_ANY(sb), n) == 0;
	if ((Pointer) sa != DatumGetPointer(a))
		pfree(sa);
	if ((Pointer) sb != DatumGetPointer(b))
		pfree(sb);
	return result;
}

/*
 * values_equal
 *		Byte equality of the two codec buffers (see the file header).
 */
static bool
values_equal(Datum a, Datum b)
{
	Size		size = payload_size(a);

	if (size != payload_size(b))
		return false;
	if (!(is_inline(a) && is_inline(b)) && !header_bytes_equal(a, b, size))
		return false;
	return compare_bytes(a, b) == 0;
}

/*
 * values_cmp
 *		The total order of the file header: <0, 0 or >0.
 */
static int
values_cmp(Datum a, Datum b)
{
	cts_header	ha;
	cts_header	hb;

	chronos_fetch_header(a, &ha);
	chronos_fetch_header(b, &hb);

	/* the empty series first (its stored first_ts is 0, not a time) */
	if ((ha.npoints == 0) != (hb.npoints == 0))
		return ha.npoints == 0 ? -1 : 1;
	if (ha.npoints > 0)
	{
		if (ha.first_ts != hb.first_ts)
			return ha.first_ts < hb.first_ts ? -1 : 1;
		if (ha.last_ts != hb.last_ts)
			return ha.last_ts < hb.last_ts ? -1 : 1;
	}
	if (ha.npoints != hb.npoints)
		return ha.npoints < hb.npoints ? -1 : 1;
	return compare_bytes(a, b);
}


/* ----------------------------------------------------------------
 *		SQL-callable functions
 * ----------------------------------------------------------------
 */

/*
 * compact_ts_eq(compact_ts, compact_ts) -> boolean   (operator =)
 *
 * True when the two values hold the same bytes, that is the same series.
 */
Datum
compact_ts_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(values_equal(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

/*
 * compact_ts_ne(compact_ts, compact_ts) -> boolean   (operator <>)
 */
Datum
compact_ts_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!values_equal(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

/*
 * compact_ts_lt(compact_ts, compact_ts) -> boolean   (operator <)
 */
Datum
compact_ts_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(values_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) < 0);
}

/*
 * compact_ts_le(compact_ts, compact_ts) -> boolean   (operator <=)
 */
Datum
compact_ts_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(values_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) <= 0);
}

/*
 * compact_ts_gt(compact_ts, compact_ts) -> boolean   (operator >)
 */
Datum
compact_ts_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(values_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) > 0);
}

/*
 * compact_ts_ge(compact_ts, compact_ts) -> boolean   (operator >=)
 */
Datum
compact_ts_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(values_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)) >= 0);
}

/*
 * compact_ts_cmp(compact_ts, compact_ts) -> integer
 *
 * -1, 0 or 1: the btree support function, in the order of the file header.
 */
Datum
compact_ts_cmp(PG_FUNCTION_ARGS)
{
	int			c = values_cmp(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

/*
 * compact_ts_hash(compact_ts) -> integer
 *
 * hash_any over the codec buffer: equal values hash alike, whatever their
 * varlena header or storage.
 */
Datum
compact_ts_hash(PG_FUNCTION_ARGS)
{
	CtsPair		pair = {NULL, NULL, NULL};
	CompactTs  *value = fetch_whole(&pair, PG_GETARG_DATUM(0));
	Datum		result;

	result = hash_any(CTS_PAYLOAD(value), (int) CTS_PAYLOAD_LEN(value));
	chronos_op_end(pair.op);
	PG_RETURN_DATUM(result);
}

/*
 * compact_ts_hash_extended(compact_ts, seed bigint) -> bigint
 *
 * The 64-bit hash with a seed (hash_any_extended), for hash partitioning
 * and the hash opclass's second support function; with seed 0 its low 32
 * bits equal compact_ts_hash.
 */
Datum
compact_ts_hash_extended(PG_FUNCTION_ARGS)
{
	CtsPair		pair = {NULL, NULL, NULL};
	CompactTs  *value = fetch_whole(&pair, PG_GETARG_DATUM(0));
	Datum		result;

	result = hash_any_extended(CTS_PAYLOAD(value), (int) CTS_PAYLOAD_LEN(value),
							   (uint64) PG_GETARG_INT64(1));
	chronos_op_end(pair.op);
	PG_RETURN_DATUM(result);
}
