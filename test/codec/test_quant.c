/*-------------------------------------------------------------------------
 *
 * test_quant.c
 *	  Unit tests for src/codec/quant.c: the QUANT16 quantizer.
 *
 * What format.h fixes: code c decodes to min * (1 - c/65535) + max *
 * (c/65535) in double without contraction; code 0 is min and code 65535 is
 * max exactly; the quantizer is canonical (each code it produces is a fixed
 * point: quantize(decode(c)) == c).  The tests also hold it to the error
 * bound the brief states: half a quantization step, up to rounding.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/test_quant.c
 *
 *-------------------------------------------------------------------------
 */
#include "unit.h"

typedef struct range
{
	double		min;
	double		max;
} range;

/* a random block range of one of many shapes (min < max) */
static range
random_range(int kind)
{
	range		r;
	double		a,
				b;
	int			k;

	switch (kind % 10)
	{
		case 0:					/* ordinary */
			a = tu_randnorm() * 100;
			b = a + tu_randu() * 1000 + 1e-3;
			break;
		case 1:					/* any magnitude, relative width random */
			a = tu_randnorm() * pow(10, (double) ((int) tu_randn(600) - 300));
			b = a + fabs(a) * pow(10, -(double) tu_randn(17)) + tu_ulp(a);
			break;
		case 2:					/* a few ulps wide */
			a = tu_randnorm() * pow(10, (double) ((int) tu_randn(40) - 20));
			b = a;
			for (k = 1 + (int) tu_randn(40); k > 0; k--)
				b = nextafter(b, INFINITY);
			break;
		case 3:					/* huge, the width overflows double */
			a = -tu_randu() * DBL_MAX;
			b = tu_randu() * DBL_MAX;
			if (b - a < 1e300)
				b = 1e308;
			break;
		case 4:					/* the widest */
			a = -DBL_MAX;
			b = DBL_MAX;
			break;
		case 5:					/* tiny magnitudes */
			a = tu_randu() * 1e-300;
			b = a + tu_randu() * 1e-300 + 1e-310;
			break;
		case 6:					/* denormals */
			a = -(double) tu_randn(1000) * 4.9406564584124654e-324;
			b = (double) (1 + tu_randn(100000)) * 4.9406564584124654e-324;
			break;
		case 7:					/* mixed signs, symmetric */
			b = tu_randu() * 1e6 + 1;
			a = -b;
			break;
		case 8:					/* two random finite doubles */
			a = tu_rand_finite();
			b = tu_rand_finite();
			if (a > b)
			{
				double		t = a;

				a = b;
				b = t;
			}
			if (a == b)
				b = nextafter(a, INFINITY);
			if (isinf(b))
			{
				b = a;
				a = nextafter(b, -INFINITY);
			}
			break;
		default:				/* integer-valued */
			a = (double) ((int64_t) tu_randn(2000) - 1000);
			b = a + (double) (1 + tu_randn(100000));
			break;
	}
	r.min = tu_norm(a);
	r.max = tu_norm(b);
	return r;
}

/* the decode formula exactly as format.h writes it */
static double
spec_decode(double min, double max, unsigned c)
{
	volatile double t = (double) c / 65535.0;
	volatile double range = max - min;
	volatile double v;

	/* format.h: code 0 is min, 65535 max; else the lerp, clamped */
	if (c == 0)
		return min;
	if (c == 65535)
		return max;
	if (isfinite(range))
	{
		volatile double m = range * t;

		v = min + m;
	}
	else
	{
		volatile double one_minus_t = 1.0 - t;
		volatile double a = min * one_minus_t;
		volatile double b = max * t;

		v = a + b;
	}
	if (v > max)
		v = max;
	if (v < min)
		v = min;
	return v == 0.0 ? 0.0 : v;
}

/* the other reading of the formula: (65535 - c) / 65535 rounded once */
static double
alt_decode(double min, double max, unsigned c)
{
	volatile double t = (double) c / 65535.0;
	volatile double u = (double) (65535 - c) / 65535.0;
	volatile double a = min * u;
	volatile double b = max * t;

	return a + b;
}

static void
test_endpoints_exact(void)
{
	int			i,
				bad = 0;

	tu_seed(101);
	for (i = 0; i < 20000; i++)
	{
		range		r = random_range(i);

		/* decode(0) is min, decode(65535) max; and min, max quantize to codes
		 * decoding to them exactly (65535 itself only if no smaller code
		 * decodes to max: the canonical code need not be 65535) */
		if (tu_d2bits(cts_quant16_decode(r.min, r.max, 0)) != tu_d2bits(r.min) ||
			tu_d2bits(cts_quant16_decode(r.min, r.max, 65535)) != tu_d2bits(r.max) ||
			cts_quant16_encode(r.min, r.max, r.min) != 0 ||
			tu_d2bits(cts_quant16_decode(r.min, r.max,
										 cts_quant16_encode(r.min, r.max, r.max))) != tu_d2bits(r.max))
		{
			if (bad++ < 3)
				h_note("range [%.17g, %.17g]: decode(0)=%.17g decode(65535)=%.17g "
					   "encode(min)=%u encode(max)=%u", r.min, r.max,
					   cts_quant16_decode(r.min, r.max, 0),
					   cts_quant16_decode(r.min, r.max, 65535),
					   cts_quant16_encode(r.min, r.max, r.min),
					   cts_quant16_encode(r.min, r.max, r.max));
		}
	}
	CHECKF(bad == 0, "%d ranges where code 0 / 65535 are not min / max exactly", bad);
}

/* format.h's formula, bit for bit */
static void
test_decode_formula(void)
{
	int			i,
				bad = 0,
				alt_ok = 0;

	tu_seed(102);
	for (i = 0; i < 100000; i++)
	{
		range		r = random_range(i);
		unsigned	c = (unsigned) tu_randn(65536);
		double		got = cts_quant16_decode(r.min, r.max, (uint16_t) c);
		double		want = spec_decode(r.min, r.max, c);

		if (tu_d2bits(got) != tu_d2bits(want))
		{
			if (tu_d2bits(got) == tu_d2bits(alt_decode(r.min, r.max, c)))
				alt_ok++;
			if (bad++ < 3)
				h_note("decode(%.17g, %.17g, %u) = %.17g, format.h formula gives %.17g",
					   r.min, r.max, c, got, want);
		}
	}
	if (alt_ok)
		h_note("%d of the mismatches match (65535 - c) / 65535 instead of 1 - c/65535", alt_ok);
	if (bad)
	{
		int			k,
					lerp = 0;

		/* is it min + (max - min) * t instead? (the usual lerp) */
		tu_seed(102);
		for (k = 0; k < 2000; k++)
		{
			range		r = random_range(k);
			unsigned	c = 1 + (unsigned) tu_randn(65534);
			volatile double t = (double) c / 65535.0;
			volatile double w = r.max - r.min;
			volatile double m = w * t;
			double		lv = r.min + m;

			if (isfinite(w) && tu_d2bits(lv) == tu_d2bits(cts_quant16_decode(r.min, r.max, (uint16_t) c)))
				lerp++;
		}
		h_note("%d of 2000 random decodes equal min + (max - min) * (c/65535) instead", lerp);
	}
	CHECKF(bad == 0, "%d of 100000 decodes differ from min*(1-c/65535)+max*(c/65535)", bad);
}

/*
 * Canonical: for any code c, re-quantizing its decoded value gives a code
 * with the same decoded value, and that code is a fixed point.
 */
static void
test_canonical_random_codes(void)
{
	int			i,
				bad = 0,
				moved = 0;

	tu_seed(103);
	for (i = 0; i < 100000; i++)
	{
		range		r = random_range(i);
		uint16_t	c = (uint16_t) tu_randn(65536);
		double		d = cts_quant16_decode(r.min, r.max, c);
		uint16_t	c2 = cts_quant16_encode(r.min, r.max, d);
		double		d2 = cts_quant16_decode(r.min, r.max, c2);
		uint16_t	c3 = cts_quant16_encode(r.min, r.max, d2);

		if (c2 != c)
			moved++;
		if (tu_d2bits(d2) != tu_d2bits(d) || c3 != c2)
		{
			if (bad++ < 3)
				h_note("range [%.17g, %.17g] code %u -> %.17g -> code %u -> %.17g -> code %u",
					   r.min, r.max, c, d, c2, d2, c3);
		}
	}
	h_note("%d of 100000 random codes were not canonical (tiny ranges: several codes, one value)", moved);
	CHECKF(bad == 0, "%d codes whose decoded value does not re-quantize to the same value", bad);
}

/* every code of a few fixed ranges */
static void
test_canonical_exhaustive(void)
{
	static const range ranges[] = {
		{0.0, 1.0},
		{-1.0, 1.0},
		{-1e308, 1e308},
		{-DBL_MAX, DBL_MAX},
		{1e-300, 3e-300},
		{0.0, 4.9406564584124654e-324 * 7},
		{1.0, 1.0000000000000002},
		{1e15, 1e15 + 65535},
		{-273.15, 5778.0},
	};
	size_t		k;

	for (k = 0; k < sizeof ranges / sizeof ranges[0]; k++)
	{
		int			bad = 0,
					c;

		for (c = 0; c < 65536; c++)
		{
			double		d = cts_quant16_decode(ranges[k].min, ranges[k].max, (uint16_t) c);
			uint16_t	c2 = cts_quant16_encode(ranges[k].min, ranges[k].max, d);
			double		d2 = cts_quant16_decode(ranges[k].min, ranges[k].max, c2);

			if (tu_d2bits(d) != tu_d2bits(d2) ||
				cts_quant16_encode(ranges[k].min, ranges[k].max, d2) != c2 ||
				!isfinite(d))
				bad++;
		}
		CHECKF(bad == 0, "range [%.17g, %.17g]: %d codes not canonical", ranges[k].min,
			   ranges[k].max, bad);
	}
}

/*
 * Values: encode is canonical (decode∘encode idempotent), the error is at
 * most half a step (plus a few ulps of rounding), and the chosen code is a
 * nearest one.
 */
static void
test_values_error_bound(void)
{
	int			i,
				bad_canon = 0,
				bad_bound = 0,
				bad_near = 0,
				bad_range = 0;

	tu_seed(104);
	for (i = 0; i < 100000; i++)
	{
		range		r = random_range(i);
		double		v,
					d,
					err,
					step2,
					slack;
		uint16_t	c;

		/* a value in [min, max]: interpolate, or an endpoint, or a neighbour */
		switch (tu_randn(4))
		{
			case 0:
				v = r.min + (r.max / 2 - r.min / 2) * 2 * tu_randu();
				if (!isfinite(v))
					v = r.min / 2 + r.max / 2;
				break;
			case 1:
				v = r.min / 2 + r.max / 2;
				break;
			case 2:
				v = nextafter(r.max, -INFINITY);
				break;
			default:
				v = cts_quant16_decode(r.min, r.max, (uint16_t) tu_randn(65536));
				v = tu_randn(2) ? nextafter(v, INFINITY) : nextafter(v, -INFINITY);
				break;
		}
		if (v < r.min)
			v = r.min;
		if (v > r.max)
			v = r.max;
		v = tu_norm(v);
		c = cts_quant16_encode(r.min, r.max, v);
		d = cts_quant16_decode(r.min, r.max, c);
		if (cts_quant16_encode(r.min, r.max, d) != c)
		{
			if (bad_canon++ < 3)
				h_note("not idempotent: range [%.17g, %.17g] v=%.17g code %u -> %.17g -> code %u",
					   r.min, r.max, v, c, d, cts_quant16_encode(r.min, r.max, d));
		}
		if (!(d >= r.min && d <= r.max))
			bad_range++;
		err = fabs(v - d);
		step2 = (r.max / 65535 - r.min / 65535) * 0.5;
		slack = 4 * tu_ulp(fmax(fabs(r.min), fabs(r.max)));
		if (!(err <= step2 * (1 + 1e-9) + slack))
		{
			if (bad_bound++ < 3)
				h_note("range [%.17g, %.17g] v=%.17g code %u decodes to %.17g: error %.17g > half step %.17g",
					   r.min, r.max, v, c, d, err, step2);
		}
		/* nearest: no neighbouring code decodes closer (beyond rounding) */
		if ((c > 0 && fabs(v - cts_quant16_decode(r.min, r.max, (uint16_t) (c - 1))) + slack < err) ||
			(c < 65535 && fabs(v - cts_quant16_decode(r.min, r.max, (uint16_t) (c + 1))) + slack < err))
		{
			if (bad_near++ < 3)
				h_note("range [%.17g, %.17g] v=%.17g: code %u is not a nearest code",
					   r.min, r.max, v, c);
		}
	}
	CHECKF(bad_canon == 0, "%d values where decode(encode(v)) does not re-encode to the same code", bad_canon);
	CHECKF(bad_range == 0, "%d values decode outside [min, max]", bad_range);
	CHECKF(bad_bound == 0, "%d values with an error above half a step", bad_bound);
	CHECKF(bad_near == 0, "%d values not given a nearest code", bad_near);
}

/*
 * Codes a canonical quantizer produces for in-range values decode inside
 * [min, max], even where the formula itself can leave the range by an ulp
 * (tiny ranges): check the codes produced for many values of such ranges.
 */
static void
test_produced_codes_in_range(void)
{
	int			i,
				bad = 0,
				outside_formula = 0;

	tu_seed(105);
	for (i = 0; i < 20000; i++)
	{
		range		r = random_range(2);	/* a few ulps wide */
		double		v = r.min;
		int			k;

		for (k = 0; k < 64 && v <= r.max; k++, v = nextafter(v, INFINITY))
		{
			double		d = cts_quant16_decode(r.min, r.max, cts_quant16_encode(r.min, r.max, v));

			if (!(d >= r.min && d <= r.max))
				bad++;
		}
		for (k = 0; k < 8; k++)
		{
			double		d = cts_quant16_decode(r.min, r.max, (uint16_t) tu_randn(65536));

			if (!(d >= r.min && d <= r.max))
				outside_formula++;
		}
	}
	h_note("%d random codes of few-ulp ranges decode outside [min, max] "
		   "(such codes must never be produced or accepted)", outside_formula);
	CHECKF(bad == 0, "%d in-range values quantized to a code decoding outside [min, max]", bad);
}

/* the quantizer never produces a non-finite value, even for ±DBL_MAX */
static void
test_extreme_ranges(void)
{
	double		v;
	uint16_t	c;

	c = cts_quant16_encode(-DBL_MAX, DBL_MAX, 0.0);
	v = cts_quant16_decode(-DBL_MAX, DBL_MAX, c);
	CHECK(isfinite(v));
	CHECKF(fabs(v) <= DBL_MAX / 65535 * 1.0000001, "0 in [-DBL_MAX, DBL_MAX] -> code %u -> %.17g", c, v);
	CHECK(c == 32767 || c == 32768);
	c = cts_quant16_encode(-1e308, 1e308, 1e308);
	CHECK_EQ_U64(c, 65535);
	c = cts_quant16_encode(-1e308, 1e308, -1e308);
	CHECK_EQ_U64(c, 0);
	c = cts_quant16_encode(1e-300, 2e-300, 1.5e-300);
	v = cts_quant16_decode(1e-300, 2e-300, c);
	CHECK(fabs(v - 1.5e-300) <= 1e-300 / 65535);
	/* denormal range: every code finite, in range, and canonical */
	c = cts_quant16_encode(0.0, 1e-320, 5e-321);
	v = cts_quant16_decode(0.0, 1e-320, c);
	CHECK(v >= 0.0 && v <= 1e-320);
	CHECK_EQ_U64(cts_quant16_encode(0.0, 1e-320, v), c);
}

int
main(void)
{
	RUN(test_endpoints_exact);
	RUN(test_decode_formula);
	RUN(test_canonical_random_codes);
	RUN(test_canonical_exhaustive);
	RUN(test_values_error_bound);
	RUN(test_produced_codes_in_range);
	RUN(test_extreme_ranges);
	return h_done("test_quant");
}
