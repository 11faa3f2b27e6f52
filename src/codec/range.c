/*-------------------------------------------------------------------------
 *
 * range.c
 *	  Finding the blocks of a time range, and aggregating a range from
 *	  block summaries and decoded edge blocks.
 *
 * Both formats keep their blocks in time order with each block's first and
 * last timestamp in its index entry (and format 2's directory keeps them
 * per group of 64 entries), so the blocks that hold points of [lo, hi] are
 * one contiguous run found by two binary searches.  A reader of a long
 * series fetches the header and directory, the index group(s) the
 * directory names and those blocks' payloads: the bytes read depend on the
 * range, not on the length of the series.
 *
 * Aggregates over a range take a whole block's exact summaries (count,
 * min, max, sum of the original values) and decode only the blocks the
 * range cuts.  For such an edge block the points are the decoded ones: in a
 * lossy block each is within the block's max_error of its original, which
 * the accumulator reports, so a caller can say how exact the answer is.
 * NaN and infinities (lossless series) follow PostgreSQL's float8 rules:
 * NaN is larger than every number, the sum is NaN with a NaN or with both
 * infinities, +-Infinity with one of them.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/range.c
 *
 *-------------------------------------------------------------------------
 */
#include "codec_internal.h"

/*
 * cts_span_search
 *		Among n entries stride bytes apart, each with a first and a last
 *		timestamp (i64 at first_off and last_off), in time order, the run
 *		[*i0, *i1) of those that may hold a point of [lo, hi]: last >= lo and
 *		first <= hi.  Empty (i0 == i1) if none.
 */
void
cts_span_search(const uint8_t *base, uint32_t n, size_t stride,
				size_t first_off, size_t last_off, int64_t lo, int64_t hi,
				uint32_t *i0, uint32_t *i1)
{
	uint32_t	a = 0,
				b = n;

	/* first entry with last >= lo */
	while (a < b)
	{
		uint32_t	mid = a + (b - a) / 2;

		if (cts_get_i64(base + stride * mid + last_off) < lo)
			a = mid + 1;
		else
			b = mid;
	}
	*i0 = a;
	/* first entry with first > hi */
	b = n;
	while (a < b)
	{
		uint32_t	mid = a + (b - a) / 2;

		if (cts_get_i64(base + stride * mid + first_off) <= hi)
			a = mid + 1;
		else
			b = mid;
	}
	*i1 = a;
	if (*i1 < *i0 || lo > hi)
		*i1 = *i0;
}

/*
 * cts_point_search
 *		In ts[0..n) (non-decreasing), the run [*j0, *j1) of points in [lo, hi].
 */
void
cts_point_search(const int64_t *ts, uint32_t n, int64_t lo, int64_t hi,
				 uint32_t *j0, uint32_t *j1)
{
	uint32_t	a = 0,
				b = n;

	while (a < b)
	{
		uint32_t	mid = a + (b - a) / 2;

		if (ts[mid] < lo)
			a = mid + 1;
		else
			b = mid;
	}
	*j0 = a;
	*j1 = lo > hi ? a : a + cts_count_upto(ts + a, n - a, hi);
}

/*
 * cts_count_upto
 *		How many of ts[0..n) (non-decreasing) are at or before hi.
 */
uint32_t
cts_count_upto(const int64_t *ts, uint32_t n, int64_t hi)
{
	uint32_t	a = 0,
				b = n;

	while (a < b)
	{
		uint32_t	mid = a + (b - a) / 2;

		if (ts[mid] <= hi)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}


/*
 * cts_agg_init
 *		An empty range.
 */
void
cts_agg_init(cts_agg *acc)
{
	cts_sum_state z = CTS_SUM_INIT;

	memset(acc, 0, sizeof(*acc));
	acc->sum = z;
}

/*
 * cts_agg_block
 *		Add a whole block, from its summaries.
 */
void
cts_agg_block(cts_agg *acc, const cts_block_info *bi)
{
	acc->count += bi->npoints;
	acc->nblocks_whole++;
	if (!isnan(bi->min) && (!acc->have_min || bi->min < acc->min))
	{
		acc->min = bi->min;
		acc->have_min = 1;
	}
	if (isnan(bi->max))
		acc->max_nan = 1;
	else if (!acc->have_max || bi->max > acc->max)
	{
		acc->max = bi->max;
		acc->have_max = 1;
	}
	cts_sum_add(&acc->sum, bi->sum);
	acc->flags |= bi->flags & 0x07;

	/*
	 * A block's summaries are of its original values, exact whatever its
	 * error -- except a format 2 exact block that carries the bound of the
	 * lossy block its points were copied from (a slice's or an append's
	 * edge): its summaries are of the stored points, so its bound counts.
	 */
	if ((bi->vmode == CTS_M_CONST || bi->vmode == CTS_M_DECIMAL ||
		 bi->vmode == CTS_M_FLOAT) && bi->max_error > acc->max_error)
		acc->max_error = bi->max_error;
}

/*
 * cts_agg_points
 *		Add the decoded points v[j0..j1) of a block whose points lie within
 *		max_error of their originals.
 */
void
cts_agg_points(cts_agg *acc, const double *v, uint32_t j0, uint32_t j1,
			   double max_error)
{
	uint32_t	j;

	if (j1 <= j0)
		return;
	acc->count += j1 - j0;
	acc->npoints_decoded += j1 - j0;
	for (j = j0; j < j1; j++)
	{
		double		x = v[j];

		if (isnan(x))
		{
			acc->flags |= 0x01;
			acc->max_nan = 1;
			continue;
		}
		if (isinf(x))
			acc->flags |= x > 0 ? 0x02 : 0x04;
		else
			cts_sum_add(&acc->sum, x);
		if (!acc->have_min || x < acc->min)
		{
			acc->min = x;
			acc->have_min = 1;
		}
		if (!acc->have_max || x > acc->max)
		{
			acc->max = x;
			acc->have_max = 1;
		}
	}
	if (max_error > acc->max_error)
		acc->max_error = max_error;
}

/*
 * cts_agg_result
 *		The range's min, max and sum by PostgreSQL's float8 rules; *overflow
 *		is set when the finite values' sum is beyond double precision
 *		(PostgreSQL's sum(float8) raises an error then).  Meaningless when
 *		count is 0.
 */
void
cts_agg_result(const cts_agg *acc, double *min, double *max, double *sum,
			   int *overflow)
{
	uint64_t	nan = UINT64_C(0x7FF8000000000000);
	double		dnan;
	double		s = cts_sum_result(&acc->sum);

	memcpy(&dnan, &nan, sizeof(dnan));
	*min = acc->have_min ? acc->min : dnan;
	*max = (acc->max_nan || !acc->have_max) ? dnan : acc->max;
	*overflow = 0;
	if ((acc->flags & 0x01) || ((acc->flags & 0x06) == 0x06))
		*sum = dnan;
	else if (acc->flags & 0x02)
		*sum = INFINITY;
	else if (acc->flags & 0x04)
		*sum = -INFINITY;
	else
	{
		*sum = s;
		*overflow = !isfinite(s);
	}
}

/*
 * cts_block_count_until
 *		How many points of block bi are at or before hi, when its index
 *		entry alone tells (a format 2 block with a constant step); otherwise
 *		bi->npoints, which bounds it.  What a caller of
 *		cts2_decode_payload_until sizes its buffers by.
 */
uint32_t
cts_block_count_until(const cts_block_info *bi, int64_t hi)
{
	uint64_t	step;

	if (bi->codec != 0 || bi->tmode != CTS_T_REGULAR || hi >= bi->last_ts)
		return bi->npoints;
	if (hi < bi->first_ts)
		return 0;
	step = ((uint64_t) bi->last_ts - (uint64_t) bi->first_ts) / (bi->npoints - 1);
	if (step == 0)
		return bi->npoints;
	return (uint32_t) (((uint64_t) hi - (uint64_t) bi->first_ts) / step) + 1;
}
