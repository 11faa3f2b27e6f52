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

/*
 * cts_quant_decode
 *		Value of code in a grid of L steps over [lo, hi] (finite, lo < hi).
 */
double
cts_quant_decode(double lo, double hi, uint64_t L, uint64_t code)
{
	double		t;
	double		range;
	double		v;

	if (code == 0)
		return lo;
	if (code >= L)
		return hi;
	t = (double) code / (double) L;
	range = hi - lo;
	if (isfinite(range))
		v = lo + range * t;
	else
		v = lo * (1.0 - t) + hi * t;
	if (v > hi)
		v = hi;
	if (v < lo)
		v = lo;
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

/* a grid's decoder: code -> value */
typedef double (*grid_decode_fn) (const void *grid, uint64_t code);

/*
 * canonical_code
 *		The smallest of the codes nearest to v (lo < v < hi) on a monotone
 *		grid of L steps, starting from the estimate c0.
 */
static inline uint64_t
canonical_code(grid_decode_fn decode, const void *grid, uint64_t L,
			   double c0d, double v)
{
	uint64_t	c0;
	uint64_t	best;
	double		bestd;
	int			k;

	if (!(c0d >= 0))
		c0d = 0;
	if (c0d > (double) L)
		c0d = (double) L;
	c0 = (uint64_t) c0d;

	/* nearest of c0-1, c0, c0+1; ties go to the smaller code */
	best = c0;
	bestd = dist(decode(grid, c0), v);
	for (k = -1; k <= 1; k += 2)
	{
		uint64_t	c;
		double		d;

		if ((k < 0 && c0 == 0) || (k > 0 && c0 >= L))
			continue;
		c = k < 0 ? c0 - 1 : c0 + 1;
		d = dist(decode(grid, c), v);
		if (d < bestd || (d == bestd && c < best))
		{
			best = c;
			bestd = d;
		}
	}
	return best;
}

/*
 * walk_down
 *		The smallest code with the same decoded value as best.  decode is
 *		monotone, so the codes sharing a value form a run: binary search for
 *		its start (a range a few ulps wide has runs thousands of codes long).
 */
static inline uint64_t
walk_down(grid_decode_fn decode, const void *grid, uint64_t best)
{
	if (best > 0)
	{
		double		w = decode(grid, best);

		if (decode(grid, best - 1) == w)
		{
			uint64_t	a = 0;		/* decode(a) may equal w */
			uint64_t	b = best - 1;	/* decode(b) == w */

			while (a < b)
			{
				uint64_t	mid = a + (b - a) / 2;

				if (decode(grid, mid) == w)
					b = mid;
				else
					a = mid + 1;
			}
			best = b;
		}
	}
	return best;
}

typedef struct div_grid
{
	double		lo,
				hi;
	uint64_t	L;
} div_grid;

static double
div_grid_decode(const void *g, uint64_t code)
{
	const div_grid *d = (const div_grid *) g;

	return cts_quant_decode(d->lo, d->hi, d->L, code);
}

/*
 * cts_quant_encode
 *		Canonical code of v in format 1's grid of L (1 .. 2^52) steps over
 *		[lo, hi] (v outside is clamped): the smallest of the codes nearest
 *		to v.
 */
uint64_t
cts_quant_encode(double lo, double hi, uint64_t L, double v)
{
	div_grid	g = {lo, hi, L};
	double		t;
	double		range;

	if (!(hi > lo) || !(v > lo))
		return 0;
	if (v >= hi)
		return walk_down(div_grid_decode, &g, L);
	range = hi - lo;
	if (isfinite(range))
		t = (v - lo) / range;
	else
		t = (v / 2 - lo / 2) / (hi / 2 - lo / 2);
	return walk_down(div_grid_decode, &g,
					 canonical_code(div_grid_decode, &g, L,
									nearbyint(t * (double) L), v));
}

/*
 * cts_grid_init
 *		Format 2's grid of L steps over [lo, hi] (finite, lo < hi): the step
 *		is computed once, and code c decodes to lo + c * step (or, when hi -
 *		lo overflows, (lo / 2 + c * step / 2) * 2), with c = L exactly hi,
 *		clamped to [lo, hi], -0.0 as 0.0.  Monotone in c, so the canonical
 *		search works as for format 1.
 */
void
cts_grid_init(cts_grid *g, double lo, double hi, uint64_t L)
{
	double		range = hi - lo;

	g->lo = lo;
	g->hi = hi;
	g->L = L;
	g->halved = !isfinite(range);
	g->step = g->halved ? (hi / 2 - lo / 2) / (double) L : range / (double) L;
	g->injective = cts_grid_injective(g);
}

static double
grid_decode_cb(const void *g, uint64_t code)
{
	return cts_grid_decode((const cts_grid *) g, code);
}

/*
 * cts_grid_encode
 *		Canonical code of v (clamped to [lo, hi]) on grid g.
 */
uint64_t
cts_grid_encode(const cts_grid *g, double v)
{
	double		t;

	if (!(g->hi > g->lo) || !(v > g->lo))
		return 0;
	if (v >= g->hi)
		return walk_down(grid_decode_cb, g, g->L);
	t = g->halved ? (v / 2 - g->lo / 2) / g->step : (v - g->lo) / g->step;
	if (g->injective && t < (double) g->L - 1)
	{
		/*
		 * Steps far above the rounding of the decoder: unless v is within a
		 * hair of a midpoint, the nearest code is the rounded one, and it is
		 * the only code of its value.
		 */
		double		c0 = nearbyint(t);

		if (fabs(t - c0) < 0.499 && c0 >= 0)
			return (uint64_t) c0;
	}
	return walk_down(grid_decode_cb, g,
					 canonical_code(grid_decode_cb, g, g->L, nearbyint(t), v));
}

/*
 * cts_quant16_decode, cts_quant16_encode
 *		Format 1's quant16: the grid of 65535 steps.
 */
double
cts_quant16_decode(double min, double max, uint16_t code)
{
	return cts_quant_decode(min, max, CTS_QUANT16_LEVELS, code);
}

uint16_t
cts_quant16_encode(double min, double max, double v)
{
	return (uint16_t) cts_quant_encode(min, max, CTS_QUANT16_LEVELS, v);
}

/*
 * cts_quant_injective
 *		Whether every code of a grid of L steps over [min, max] decodes to a
 *		different value, so that every code is canonical and readers need not
 *		check each one.
 *
 * True when the grid step is well above the spacing of doubles near the
 * block's values; a conservative test (false only costs a check per code).
 */
int
cts_quant_injective(double min, double max, uint64_t L)
{
	double		range = max - min;
	double		maxabs = fmax(fabs(min), fabs(max));

	if (!isfinite(range))
		return (double) L < 0x1p50;	/* step ~ 1e308 / L: far above any ulp */
	return range / (double) L > 8.0 * maxabs * DBL_EPSILON &&
		range / (double) L > 1e-300;
}

int
cts_quant16_injective(double min, double max)
{
	return cts_quant_injective(min, max, CTS_QUANT16_LEVELS);
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
