/*-------------------------------------------------------------------------
 *
 * codec_internal.h
 *	  Helpers shared by the codec's .c files: little-endian access, varints,
 *	  zigzag, compensated summation.  Not part of the API.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/codec_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_CODEC_INTERNAL_H
#define CTS_CODEC_INTERNAL_H

#include <math.h>
#include <string.h>

#include "codec.h"
#include "format.h"

static inline uint16_t
cts_get_u16(const uint8_t *p)
{
	return (uint16_t) (p[0] | (p[1] << 8));
}

static inline uint32_t
cts_get_u32(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) |
		((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static inline uint64_t
cts_get_u64(const uint8_t *p)
{
	return (uint64_t) cts_get_u32(p) | ((uint64_t) cts_get_u32(p + 4) << 32);
}

static inline int64_t
cts_get_i64(const uint8_t *p)
{
	return (int64_t) cts_get_u64(p);
}

static inline double
cts_get_f64(const uint8_t *p)
{
	uint64_t	u = cts_get_u64(p);
	double		d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static inline void
cts_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
}

static inline void
cts_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

static inline void
cts_put_u64(uint8_t *p, uint64_t v)
{
	cts_put_u32(p, (uint32_t) v);
	cts_put_u32(p + 4, (uint32_t) (v >> 32));
}

static inline void
cts_put_f64(uint8_t *p, double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof(u));
	cts_put_u64(p, u);
}

/* bit-exact identity of two doubles (so -0.0 != 0.0) */
static inline int
cts_same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

static inline int
cts_is_negative_zero(double d)
{
	return d == 0.0 && signbit(d);
}

/*
 * The header sum is NaN only when blocks overflowed in both directions; it
 * is then stored with these bits (see cts_sum_result).
 */
static inline int
cts_is_canonical_nan(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof(u));
	return u == UINT64_C(0x7FF8000000000000);
}

static inline uint64_t
cts_zigzag(uint64_t v)
{
	return (v << 1) ^ (uint64_t) (-(int64_t) (v >> 63));
}

static inline uint64_t
cts_unzigzag(uint64_t z)
{
	return (z >> 1) ^ (uint64_t) (-(int64_t) (z & 1));
}

static inline size_t
cts_varint_size(uint64_t v)
{
	size_t		n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

static inline uint8_t *
cts_put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return p;
}

/*
 * Read a varint from [*pp, end).  Returns 0 on success; -1 if it runs past
 * end, is longer than 10 bytes, overflows 64 bits, or is overlong.
 */
static inline int
cts_get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;
	int			shift = 0;

	for (;;)
	{
		uint8_t		b;

		if (p >= end)
			return -1;
		b = *p++;
		if (shift == 63 && (b & 0x7E) != 0)
			return -1;			/* more than 64 bits */
		v |= (uint64_t) (b & 0x7F) << shift;
		if ((b & 0x80) == 0)
		{
			/* canonical: no trailing zero groups (the writer never makes one) */
			if (b == 0 && shift > 0)
				return -1;
			break;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	*pp = p;
	*out = v;
	return 0;
}

/*
 * Compensated running sum that does not overflow before the true sum does.
 *
 * Neumaier's algorithm keeps the rounding error of each addition.  Terms of
 * magnitude 2^512 or more are added, scaled by 2^-512, into a second
 * accumulator, so that partial sums of values near +-DBL_MAX cannot overflow
 * when the final sum is representable; the result is +-Infinity only when
 * the true sum is beyond DBL_MAX.  Scaling by a power of two is exact.
 */
#define CTS_SUM_SPLIT_EXP	512

#define CTS_SUM_INIT {{0.0, 0.0}, {0.0, 0.0}, 0, 0}

static inline void
cts_neumaier_add(cts_neumaier *st, double x)
{
	double		t = st->s + x;

	if (fabs(st->s) >= fabs(x))
		st->c += (st->s - t) + x;
	else
		st->c += (x - t) + st->s;
	st->s = t;
}

static inline void
cts_sum_add(cts_sum_state *st, double x)
{
	if (isinf(x))
	{
		if (x > 0)
			st->pos_inf = 1;
		else
			st->neg_inf = 1;
	}
	else if (fabs(x) >= 0x1p512)
		cts_neumaier_add(&st->hi, ldexp(x, -CTS_SUM_SPLIT_EXP));
	else
		cts_neumaier_add(&st->lo, x);
}

/*
 * The sum.  Infinite terms (block sums that overflowed) dominate; both signs
 * give NaN, returned with canonical bits so that every platform stores the
 * same bytes.
 */
static inline double
cts_sum_result(const cts_sum_state *st)
{
	double		hi;
	double		lo;
	double		r;

	if (st->pos_inf && st->neg_inf)
	{
		uint64_t	u = UINT64_C(0x7FF8000000000000);

		memcpy(&r, &u, sizeof(r));
		return r;
	}
	if (st->pos_inf)
		return INFINITY;
	if (st->neg_inf)
		return -INFINITY;
	hi = st->hi.s + st->hi.c;
	lo = st->lo.s + st->lo.c;
	r = ldexp(hi, CTS_SUM_SPLIT_EXP) + lo;
	/* an exact zero is +0.0 whatever the order of the terms */
	return r == 0.0 ? 0.0 : r;
}

/*
 * The header's summaries, derived from the block index entries in order:
 * the encoder writes them, the validator recomputes and compares them.
 */
typedef struct cts_header_acc
{
	uint32_t	nblocks;
	double		min;
	double		max;
	double		max_error;
	cts_sum_state sum;
} cts_header_acc;

#define CTS_HEADER_ACC_INIT {0, 0.0, 0.0, 0.0, CTS_SUM_INIT}

static inline void
cts_header_acc_add(cts_header_acc *acc, const cts_block_info *bi)
{
	if (acc->nblocks == 0 || bi->min < acc->min)
		acc->min = bi->min;
	if (acc->nblocks == 0 || bi->max > acc->max)
		acc->max = bi->max;
	if (bi->max_error > acc->max_error)
		acc->max_error = bi->max_error;
	cts_sum_add(&acc->sum, bi->sum);
	acc->nblocks++;
}

/* the sum of magnitudes cts_summary_plausible wants: sum |v| * 2^-20 */
static inline void
cts_abs_sum_add(double *acc, double v)
{
	*acc += fabs(v) * 0x1p-20;	/* exact but for subnormals */
}

/*
 * Format 2's quantization grid (quant.c): L steps of a step computed once.
 */
typedef struct cts_grid
{
	double		lo;
	double		hi;
	double		step;
	uint64_t	L;
	int			halved;			/* hi - lo overflows: work in halves */
	int			injective;		/* every code decodes to its own value */
} cts_grid;

extern void cts_grid_init(cts_grid *g, double lo, double hi, uint64_t L);
extern uint64_t cts_grid_encode(const cts_grid *g, double v);

static inline double
cts_grid_decode(const cts_grid *g, uint64_t c)
{
	double		v;

	if (c >= g->L)
		return g->hi;
	if (g->halved)
		v = (g->lo / 2 + (double) c * g->step) * 2;
	else
		v = g->lo + (double) c * g->step;
	if (v > g->hi)
		v = g->hi;
	if (v < g->lo)
		v = g->lo;
	return v == 0.0 ? 0.0 : v;
}

/* whether every code of g decodes to a different value (conservative) */
static inline int
cts_grid_injective(const cts_grid *g)
{
	double		maxabs = fmax(fabs(g->lo), fabs(g->hi));
	double		step = g->halved ? 2 * g->step : g->step;

	return g->halved || (step > 8.0 * maxabs * 2.220446049250313e-16 && step > 1e-300);
}

/* shared between encoder and decoder */
extern int	cts_quant16_injective(double min, double max);
extern int	cts_quant_injective(double min, double max, uint64_t L);
extern uint32_t cts_crc32c(uint32_t crc, const uint8_t *p, size_t len);
extern int	cts_summary_plausible(uint32_t npoints, int exact,
								  double min, double max,
								  double sum, double max_error,
								  double decoded_sum, double decoded_abs_sum_scaled);

#endif							/* CTS_CODEC_INTERNAL_H */
