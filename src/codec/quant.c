/*-------------------------------------------------------------------------
 *
 * quant.c
 *	  The 16-bit quantizer and the compensated sum.
 *
 * A block's values are mapped onto 65536 codes spread evenly over the
 * block's own [min, max], so the error bound adapts to each block's range
 * (range preservation: min and max decode exactly).  Decoding is
 *
 *	  code == 0      -> min
 *	  code == 65535  -> max
 *	  otherwise      -> min + (max - min) * (code / 65535), clamped to max,
 *	                    or, when max - min overflows a double,
 *	                    min * (1 - t) + max * t
 *
 * The quantizer is canonical: it returns the smallest code among those whose
 * decoded value is nearest to v.  (Readers reject any other code: see
 * cts_quant16_canonical.)  Every code c it produces therefore
 * satisfies quantize(decode(c)) == c, which is what makes the text form
 * round-trip to identical bytes: the text lists decoded values and the
 * encoder re-derives the very same codes from them.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/quant.c
 *
 *-------------------------------------------------------------------------
 */
#include <float.h>

#include "codec_internal.h"

#define L ((double) CTS_QUANT16_LEVELS)

/*
 * cts_quant16_decode
 *		Value of code in a block with the given (finite, min < max) range.
 */
double
cts_quant16_decode(double min, double max, uint16_t code)
{
	double		t;
	double		range;
	double		v;

	if (code == 0)
		return min;
	if (code >= CTS_QUANT16_LEVELS)
		return max;
	t = (double) code / L;
	range = max - min;
	if (isfinite(range))
		v = min + range * t;
	else
		v = min * (1.0 - t) + max * t;
	if (v > max)
		v = max;
	if (v < min)
		v = min;
	return v == 0.0 ? 0.0 : v;
}

/* distance |a - b| that cannot overflow into a wrong ordering */
static inline double
dist(double a, double b)
{
	double		d = fabs(a - b);

	if (isinf(d))
		d = fabs(a / 2 - b / 2) * 2;	/* still inf only if truly huge */
	return d;
}

/*
 * cts_quant16_encode
 *		Canonical code of v in [min, max] (v outside is clamped).
 */
uint16_t
cts_quant16_encode(double min, double max, double v)
{
	double		t;
	double		range;
	long		c0;
	int			best;
	double		bestd;
	int			k;

	if (!(max > min) || !(v > min))
		return 0;
	if (v >= max)
	{
		best = CTS_QUANT16_LEVELS;
		goto walk_down;
	}

	range = max - min;
	if (isfinite(range))
		t = (v - min) / range;
	else
		t = (v / 2 - min / 2) / (max / 2 - min / 2);
	c0 = lround(t * L);
	if (c0 < 0)
		c0 = 0;
	if (c0 > CTS_QUANT16_LEVELS)
		c0 = CTS_QUANT16_LEVELS;

	/* nearest of c0-1, c0, c0+1; ties go to the smaller code */
	best = (int) c0;
	bestd = dist(cts_quant16_decode(min, max, (uint16_t) c0), v);
	for (k = -1; k <= 1; k += 2)
	{
		long		c = c0 + k;
		double		d;

		if (c < 0 || c > CTS_QUANT16_LEVELS)
			continue;
		d = dist(cts_quant16_decode(min, max, (uint16_t) c), v);
		if (d < bestd || (d == bestd && c < best))
		{
			best = (int) c;
			bestd = d;
		}
	}

walk_down:
	/*
	 * The smallest code with the same decoded value.  decode is monotone, so
	 * the codes sharing a value form a run: binary search for its start (a
	 * range a few ulps wide has runs thousands of codes long).
	 */
	if (best > 0)
	{
		double		w = cts_quant16_decode(min, max, (uint16_t) best);

		if (cts_quant16_decode(min, max, (uint16_t) (best - 1)) == w)
		{
			int			lo = 0;		/* decode(lo) may equal w */
			int			hi = best - 1;	/* decode(hi) == w */

			while (lo < hi)
			{
				int			mid = lo + (hi - lo) / 2;

				if (cts_quant16_decode(min, max, (uint16_t) mid) == w)
					hi = mid;
				else
					lo = mid + 1;
			}
			best = hi;
		}
	}
	return (uint16_t) best;
}

/*
 * cts_quant16_injective
 *		Whether every code of this block's grid decodes to a different value,
 *		so that every code is canonical and readers need not check each one.
 *
 * True when the grid step is well above the spacing of doubles near the
 * block's values; a conservative test (false only costs a check per code).
 */
int
cts_quant16_injective(double min, double max)
{
	double		range = max - min;
	double		maxabs = fmax(fabs(min), fabs(max));

	if (!isfinite(range))
		return 1;				/* step ~ 1e303: far above any ulp */
	return range / L > 8.0 * maxabs * DBL_EPSILON && range / L > 1e-300;
}

/*
 * cts_sum
 *		Neumaier-compensated sum of values[0..n); +-Infinity on overflow.
 */
double
cts_sum(const double *values, size_t n)
{
	cts_sum_state st = CTS_SUM_INIT;
	size_t		i;

	for (i = 0; i < n; i++)
		cts_sum_add(&st, values[i]);
	return cts_sum_result(&st);
}
