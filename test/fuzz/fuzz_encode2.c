/*-------------------------------------------------------------------------
 *
 * fuzz_encode2.c
 *	  libFuzzer target for the format 2 encoder, checked by a full round
 *	  trip through the oracle of testutil2.h with the original points.
 *
 * Input layout (every byte string is a valid input; missing bytes are 0):
 *	  byte 0   codec: bits 0-1 (0 quant, 1 bound, 2 lossless, 3 quant), bits
 *	           2-6 the width (quant, 1..32) or the bound's exponent (bound:
 *	           10^(e - 16)), bit 7: blocks of 1..256 points (byte 1) instead
 *	           of the default
 *	  byte 1   block points when bit 7 of byte 0 is set
 *	  byte 2   timestamp mode (0 regular 1 s, 1 u8 deltas, 2 u16 deltas
 *	           times a day, 3 raw sorted i64) and value mode (bits 4-6:
 *	           0 raw f64 bits, 1 i8 / 10, 2 i16 / 100, 3 random walk of i8
 *	           steps / 100, 4 edge values, 5 a base plus u8 ulps, 6 f32
 *	           bits, 7 u8 * 1e-300)
 *	  then points until the input ends (at most 100,000).
 *
 * Checks: the lossy codecs refuse non-finite values with CTS_ERR_NONFINITE
 * at the first; otherwise encoding succeeds and the oracle passes.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_encode2.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"
#include "testutil2.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ2_MAX_POINTS 100000

typedef struct rd
{
	const uint8_t *p;
	size_t		left;
} rd;

static uint64_t
take2(rd *r, int nbytes)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < nbytes; i++)
	{
		uint8_t		b = 0;

		if (r->left)
		{
			b = *r->p++;
			r->left--;
		}
		v |= (uint64_t) b << (8 * i);
	}
	return v;
}

static int
cmp_ts(const void *a, const void *b)
{
	int64_t		x = ((const cts_point *) a)->ts,
				y = ((const cts_point *) b)->ts;

	return x < y ? -1 : x > y;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double edges[] = {0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 4.9e-324,
	2.2250738585072014e-308, 0.1, 0.3, 1e15, 123456.789, 1e-300, 65535.0};
	rd			r = {data, size};
	uint8_t		b0 = (uint8_t) take2(&r, 1);
	uint8_t		b1 = (uint8_t) take2(&r, 1);
	uint8_t		b2 = (uint8_t) take2(&r, 1);
	cts_encode2_opts o;
	cts_point  *p;
	size_t		n = 0;
	int			tmode = b2 & 3;
	int			vmode = (b2 >> 4) & 7;
	int64_t		t = 0;
	double		walk = 0;
	size_t		first_bad = SIZE_MAX;
	size_t		len,
				bad = 0;
	cts_status	st;
	uint8_t    *buf;
	int			param = (b0 >> 2) & 31;

	fz_init();
	memset(&o, 0, sizeof(o));
	switch (b0 & 3)
	{
		case 1:
			o.codec = CTS_CODEC2_BOUND;
			o.bound = pow(10.0, (double) param - 16.0);
			break;
		case 2:
			o.codec = CTS_CODEC2_LOSSLESS;
			break;
		default:
			o.codec = CTS_CODEC2_QUANT;
			o.bits = (uint8_t) (param + 1);
			break;
	}
	if (b0 & 0x80)
		o.block_points = (uint32_t) b1 + 1;

	p = (cts_point *) malloc(FZ2_MAX_POINTS * sizeof(cts_point));
	while (r.left > 0 && n < FZ2_MAX_POINTS)
	{
		double		v;

		switch (tmode)
		{
			case 0:
				t += 1000000;
				break;
			case 1:
				t += (int64_t) take2(&r, 1);
				break;
			case 2:
				t += (int64_t) take2(&r, 2) * INT64_C(86400000000);
				break;
			default:
				t = (int64_t) take2(&r, 8);
				break;
		}
		switch (vmode)
		{
			case 0:
				v = tu_bits2d(take2(&r, 8));
				break;
			case 1:
				v = (double) (int8_t) take2(&r, 1) / 10;
				break;
			case 2:
				v = (double) (int16_t) take2(&r, 2) / 100;
				break;
			case 3:
				walk += (double) (int8_t) take2(&r, 1);
				v = walk / 100;
				break;
			case 4:
				v = edges[take2(&r, 1) % (sizeof(edges) / sizeof(edges[0]))];
				break;
			case 5:
				v = tu_bits2d(tu_d2bits(1234.5678) + take2(&r, 1));
				break;
			case 6:
				{
					uint32_t	u = (uint32_t) take2(&r, 4);
					float		f;

					memcpy(&f, &u, sizeof(f));
					v = (double) f;
					break;
				}
			default:
				v = (double) take2(&r, 1) * 1e-300;
				break;
		}
		p[n].ts = t;
		p[n].value = v;
		n++;
	}
	if (tmode == 3)
		qsort(p, n, sizeof(cts_point), cmp_ts);
	if (o.codec != CTS_CODEC2_LOSSLESS)
	{
		size_t		i;

		for (i = 0; i < n; i++)
			if (!isfinite(p[i].value))
			{
				first_bad = i;
				break;
			}
	}
	buf = tu2_encode(p, n, &o, &len, &st, &bad);
	if (first_bad != SIZE_MAX)
		FZ_CHECK(buf == NULL && st == CTS_ERR_NONFINITE && bad == first_bad,
				 "non-finite value %zu: encoder says %s at %zu", first_bad,
				 tu_status_name(st), bad);
	else
	{
		tu2_expect	ex;

		FZ_CHECK(buf != NULL, "encoding %zu points fails: %s", n, tu_status_name(st));
		ex.pts = p;
		ex.n = n;
		ex.opts = o;
		FZ_CHECK(tu2_check_value("fuzz_encode2", buf, len, &ex), "oracle failed");
	}
	free(buf);
	free(p);
	return 0;
}
