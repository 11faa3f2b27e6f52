/*-------------------------------------------------------------------------
 *
 * enc2.c
 *	  The format 2 encoder: sorted points in, compact_ts bytes out.
 *
 * Design
 * ------
 * A series is cut into blocks of up to block_points points (16,384 by
 * default; the cut is balanced, in whole 1,024-point groups, so a
 * 20,000-point segment becomes 10,240 + 9,760 rather than 16,384 + 3,616).  Each block is
 * coded on its own and gets an index entry with its exact summaries; the
 * header and directory are derived from the entries at the end.  Nothing
 * needs the whole series in one piece but the input array, and a caller
 * can encode block by block (cts2_encode_block) into a small buffer.
 *
 * Within a block, timestamps and values are coded separately.
 *
 * Timestamps: a regular block is its step (the index already holds first
 * and last).  Otherwise the deltas are divided by their exact gcd (a daily
 * or monthly series has deltas in whole days) and coded as an integer
 * sequence, raw or as differences, whichever the proxy says is smaller.
 *
 * Values: the encoder finds the cheapest exact representation, and for the
 * lossy codecs compares it with quantization:
 *	CONST        one value;
 *	DECIMAL      values that are decimals with e digits (found on a sample,
 *	             as ALP does, then checked point by point: a value that is
 *	             not one becomes an exception stored as it is);
 *	FLOAT        lossless for any double: the bit patterns as order-
 *	             preserving integers;
 *	QUANT_GROUPS (width w) format 1's quantizer, 2^w - 1 steps over each
 *	             1,024-point group's own range;
 *	QUANT        one grid over the block with a step no coarser than the
 *	             finest group grid of QUANT_GROUPS (width w), or twice the
 *	             requested bound (bound b); a point whose decoded value would
 *	             break the bound in floating point is an exception.
 * The resulting integers (mantissas, codes, bit patterns) go through the
 * predictor that the proxy prefers -- delta, second difference, or seasonal
 * with the period of a day or a week of the block's step -- and the residuals
 * through the integer coder (iseq.c).  Candidates are compared by estimated
 * size; an exact candidate wins ties, so data that is exactly representable
 * is stored exactly whatever the codec.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/enc2.c
 *
 *-------------------------------------------------------------------------
 */
#include <float.h>

#include "iseq.h"
#include "v2.h"

/* exact powers of ten (all exact in a double up to 1e22) */
const double cts_pow10[CTS2_MAX_DECIMAL_E + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18
};

#define DECIMAL_SAMPLE	64
#define CTS2_ESTIMATE_POINTS 4096	/* points the candidates are compared on */
#define USEC_PER_DAY	INT64_C(86400000000)

/* scratch layout of one block (see cts_encode2_scratch_size) */
typedef struct enc_scratch
{
	int64_t    *xa;				/* the candidate integer sequence */
	int64_t    *r;				/* residuals */
	uint32_t   *exc;			/* exception positions */
	void	   *iseq;			/* cts_iseq_encode's scratch */
	size_t		iseq_len;
} enc_scratch;

static size_t
scratch_size_for(uint32_t bp)
{
	return 2 * sizeof(int64_t) * (size_t) bp + sizeof(uint32_t) * (size_t) bp +
		cts_iseq_scratch_size(bp) + 64;
}

static int
scratch_carve(void *scratch, size_t len, uint32_t n, enc_scratch *s)
{
	uint8_t    *p = (uint8_t *) scratch;
	size_t		need = scratch_size_for(n);

	if (scratch == NULL || len < need)
		return -1;
	/* 8-byte alignment for the int64 arrays */
	p = (uint8_t *) (((uintptr_t) p + 7) & ~(uintptr_t) 7);
	s->xa = (int64_t *) p;
	s->r = s->xa + n;
	s->exc = (uint32_t *) (s->r + n);
	s->iseq = (void *) (s->exc + n);
	s->iseq_len = len - (size_t) ((uint8_t *) s->iseq - (uint8_t *) scratch);
	return 0;
}

/* ----------------------------------------------------------------
 *		Options and layout
 * ----------------------------------------------------------------
 */

static cts_status
check_opts(const cts_encode2_opts *opts, cts_encode2_opts *o)
{
	if (opts)
		*o = *opts;
	else
		memset(o, 0, sizeof(*o));
	if (o->codec == 0)
		o->codec = CTS_CODEC2_QUANT;
	if (o->block_points == 0)
		o->block_points = CTS2_DEFAULT_BLOCK_POINTS;
	if (o->block_points > CTS_MAX_BLOCK_POINTS)
		return CTS_ERR_BAD_ARGUMENT;
	switch (o->codec)
	{
		case CTS_CODEC2_QUANT:
			if (o->bits == 0)
				o->bits = 16;
			if (o->bits > 32)
				return CTS_ERR_BAD_ARGUMENT;
			o->bound = 0;
			break;
		case CTS_CODEC2_BOUND:
			if (!(o->bound > 0) || !isfinite(o->bound))
				return CTS_ERR_BAD_ARGUMENT;
			o->bits = 0;
			break;
		case CTS_CODEC2_LOSSLESS:
			o->bits = 0;
			o->bound = 0;
			break;
		default:
			return CTS_ERR_BAD_ARGUMENT;
	}
	return CTS_OK;
}

/*
 * cts2_layout
 *		Number of blocks and points per block (all but the last) for n
 *		points: as few blocks as block_points allows, of equal size rounded
 *		up to whole 1,024-point groups.
 */
cts_status
cts2_layout(size_t n, const cts_encode2_opts *opts, uint32_t *nblocks,
			uint32_t *block_points)
{
	cts_encode2_opts o;
	cts_status	st = check_opts(opts, &o);
	size_t		nb;
	size_t		size;

	if (st != CTS_OK)
		return st;
	if (n > CTS_MAX_POINTS)
		return CTS_ERR_TOO_MANY_POINTS;
	if (n == 0)
	{
		*nblocks = 0;
		*block_points = o.block_points;
		return CTS_OK;
	}
	nb = (n + o.block_points - 1) / o.block_points;
	size = (n + nb - 1) / nb;
	if (o.block_points >= CTS2_QUANT_GROUP)
	{
		size = (size + CTS2_QUANT_GROUP - 1) / CTS2_QUANT_GROUP * CTS2_QUANT_GROUP;
		if (size > o.block_points)
			size = o.block_points;
	}
	nb = (n + size - 1) / size;
	*nblocks = (uint32_t) nb;
	*block_points = (uint32_t) size;
	return CTS_OK;
}

size_t
cts2_prefix_size(uint32_t nblocks)
{
	size_t		ndir = ((size_t) nblocks + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS;

	return CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * ndir +
		CTS2_INDEX_ENTRY_SIZE * (size_t) nblocks;
}

/*
 * cts2_block_bound
 *		Most bytes a block of n points can take: its timestamps at worst
 *		packed in 64 bits, its values at worst FLOAT packed in 64 bits (the
 *		encoder never keeps a candidate larger than that).
 */
size_t
cts2_block_bound(uint32_t n)
{
	return 4 + 10 + 10 + cts_pseq_bound(n) + 16 + cts_pseq_bound(n) + 64;
}

size_t
cts_encode2_bound(size_t n, const cts_encode2_opts *opts)
{
	uint32_t	nb,
				bp;
	size_t		total;

	if (cts2_layout(n, opts, &nb, &bp) != CTS_OK)
		return 0;
	if (nb == 0)
		return CTS2_HEADER_SIZE;
	total = cts2_prefix_size(nb) + (size_t) nb * cts2_block_bound(bp);
	return total;
}

size_t
cts_encode2_scratch_size(const cts_encode2_opts *opts)
{
	cts_encode2_opts o;

	if (check_opts(opts, &o) != CTS_OK)
		return 0;
	return scratch_size_for(o.block_points);
}

/* ----------------------------------------------------------------
 *		Summaries
 * ----------------------------------------------------------------
 */

/* the canonical NaN of summaries */
static inline double
canonical_nan(void)
{
	uint64_t	u = UINT64_C(0x7FF8000000000000);
	double		d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/*
 * Summaries of values (PostgreSQL's float8 order: NaN above everything)
 * into bi: min, max, sum of the finite ones, flags.
 */
void
cts2_block_summaries(const double *v, size_t stride, uint32_t n,
					 cts_block_info *bi)
{
	cts_sum_state st = CTS_SUM_INIT;
	int			have = 0;
	double		mn = 0,
				mx = 0;
	uint8_t		flags = 0;
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		double		x = *(const double *) (const void *) ((const char *) v + stride * i);

		if (isnan(x))
		{
			flags |= CTS_V_NAN;
			continue;
		}
		if (isinf(x))
			flags |= x > 0 ? CTS_V_POSINF : CTS_V_NEGINF;
		else
			cts_sum_add(&st, x);
		if (!have || x < mn)
			mn = x;
		if (!have || x > mx)
			mx = x;
		have = 1;
	}
	if (!have)
		mn = mx = canonical_nan();
	if (flags & CTS_V_NAN)
		mx = canonical_nan();
	bi->min = mn;
	bi->max = mx;
	bi->sum = cts_sum_result(&st);
	bi->flags = flags;
}

/* ----------------------------------------------------------------
 *		Timestamps
 * ----------------------------------------------------------------
 */

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0)
	{
		uint64_t	t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Code the timestamps of pts[0..n) at *pp; sets bi->tmode and, for a
 * regular block, *step.
 */
static cts_status
encode_timestamps2(const cts_point *pts, uint32_t n, enc_scratch *s,
				   uint8_t **pp, uint8_t *end, cts_block_info *bi,
				   uint64_t *step)
{
	uint64_t	d0;
	uint64_t	g = 0;
	uint32_t	i;
	int			regular = 1;
	int			pred;
	size_t		len;
	cts_status	st;

	*step = 0;
	d0 = n > 1 ? (uint64_t) pts[1].ts - (uint64_t) pts[0].ts : 0;
	for (i = 1; i < n; i++)
	{
		uint64_t	d = (uint64_t) pts[i].ts - (uint64_t) pts[i - 1].ts;

		if (d != d0)
			regular = 0;
		g = gcd64(g, d);
	}
	if (regular)
	{
		bi->tmode = CTS_T_REGULAR;
		*step = d0;
		return cts_put_varint_checked(pp, end, d0) == 0 ? CTS_OK :
			CTS_ERR_BUFFER_TOO_SMALL;
	}
	bi->tmode = CTS_T_DELTA;
	for (i = 1; i < n; i++)
		s->xa[i - 1] = (int64_t) (((uint64_t) pts[i].ts - (uint64_t) pts[i - 1].ts) / g);
	pred = cts_predict_proxy(s->xa, n - 1, CTS_P_DELTA, 0) <
		cts_predict_proxy(s->xa, n - 1, CTS_P_NONE, 0) ?
		CTS_P_DELTA : CTS_P_NONE;
	if (cts_put_varint_checked(pp, end, g) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	st = cts_pseq_encode(s->xa, n - 1, pred, 0, s->r, *pp, (size_t) (end - *pp),
						 &len, s->iseq, s->iseq_len);
	if (st != CTS_OK)
		return st;
	*pp += len;
	return CTS_OK;
}

/* ----------------------------------------------------------------
 *		Values
 * ----------------------------------------------------------------
 */

/* the value of point i as the codec stores it: -0.0 becomes 0.0 if lossy */
static inline double
value_at(const cts_point *pts, uint32_t i, int lossless)
{
	double		v = pts[i].value;

	return (!lossless && v == 0.0) ? 0.0 : v;
}

static inline uint64_t
dbits(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

/*
 * Round to the nearest integer, ties to even, for |x| < 2^52: exact double
 * arithmetic (no FMA contraction: -ffp-contract=off).
 */
static inline double
round_even(double x)
{
	const double magic = 6755399441055744.0;	/* 1.5 * 2^52 */

	if (x >= 0)
		return (x + magic) - magic;
	return -((-x + magic) - magic);
}

/*
 * Is v the decimal d / 10^e?  Sets *d.  The test is the decoder's formula,
 * so it is exact by construction.
 */
static inline int
decimal_of(double v, int e, int64_t *d)
{
	double		scaled = v * cts_pow10[e];
	double		r;

	if (!(fabs(scaled) < 0x1p52))
		return 0;
	r = round_even(scaled);
	if (!cts_same_double(r / cts_pow10[e], v))
		return 0;
	*d = (int64_t) r;
	return 1;
}

/*
 * The decimal exponent for a block, from a sample: the smallest e at which
 * the most sampled values are decimals; -1 if fewer than 3 in 4 are.
 */
static int
choose_exponent(const cts_point *pts, uint32_t n, int lossless)
{
	int			counts[CTS2_MAX_DECIMAL_E + 1] = {0};
	uint32_t	ns = n < DECIMAL_SAMPLE ? n : DECIMAL_SAMPLE;
	uint32_t	i;
	int			e;
	int			best = -1;
	int			bestc = 0;

	for (i = 0; i < ns; i++)
	{
		double		v = value_at(pts, (uint32_t) ((uint64_t) i * n / ns), lossless);
		int64_t		d;

		for (e = 0; e <= CTS2_MAX_DECIMAL_E; e++)
			if (decimal_of(v, e, &d))
			{
				/* a decimal with e digits is one with e + 1, ... too */
				int			f;

				for (f = e; f <= CTS2_MAX_DECIMAL_E; f++)
					counts[f]++;
				break;
			}
	}
	for (e = 0; e <= CTS2_MAX_DECIMAL_E; e++)
		if (counts[e] > bestc)
		{
			bestc = counts[e];
			best = e;
		}
	if (bestc * 4 < (int) ns * 3)
		return -1;
	return best;
}

/* periods worth trying for a seasonal predictor, from the timestamp step */
static int
seasonal_periods(const cts_block_info *bi, uint64_t step, uint32_t n,
				 uint32_t *periods)
{
	int			np = 0;

	if (bi->tmode != CTS_T_REGULAR || step == 0)
		return 0;
	if ((uint64_t) USEC_PER_DAY % step == 0 && USEC_PER_DAY / step < n)
		periods[np++] = (uint32_t) (USEC_PER_DAY / step);
	if ((uint64_t) (7 * USEC_PER_DAY) % step == 0 && 7 * USEC_PER_DAY / step < n)
		periods[np++] = (uint32_t) (7 * USEC_PER_DAY / step);
	return np;
}

/* a candidate coding of a block's values */
typedef struct vcand
{
	uint8_t		vmode;
	int			pred;
	uint32_t	P;
	double		est;			/* estimated bytes */
	int			e;				/* DECIMAL */
	double		lo,
				hi;				/* QUANT */
	uint64_t	L;				/* QUANT */
	int			w;				/* QUANT_GROUPS */
	uint32_t	nexc;
	double		max_error;
} vcand;

static double
exceptions_cost(const uint32_t *exc, uint32_t nexc)
{
	double		c = (double) cts_varint_size(nexc);
	uint32_t	i;

	for (i = 0; i < nexc; i++)
		c += 8.0 + (double) cts_varint_size(i == 0 ? exc[0] : exc[i] - exc[i - 1] - 1);
	return c;
}

/* estimate the coding of s->xa under its best predictor into c */
static void
estimate_sequence(enc_scratch *s, uint32_t n, const uint32_t *periods,
				  int np, vcand *c)
{
	size_t		m;

	c->pred = cts_choose_predictor(s->xa, n, periods, np, &c->P);
	m = cts_predict(s->xa, n, c->pred, c->P, s->r);
	c->est += cts_iseq_estimate(s->r, m, c->pred == CTS_P_NONE ?
								CTS_HINT_UNSIGNED : CTS_HINT_SIGNED) + 1 + 10;
}

/* DECIMAL with exponent e into s->xa / s->exc */
static void
build_decimal(const cts_point *pts, uint32_t n, int lossless, int e,
			  enc_scratch *s, vcand *c)
{
	uint32_t	i;
	int64_t		prev = 0;

	c->vmode = CTS_M_DECIMAL;
	c->e = e;
	c->nexc = 0;
	c->max_error = 0;
	for (i = 0; i < n; i++)
	{
		int64_t		d;

		if (decimal_of(value_at(pts, i, lossless), e, &d))
			prev = d;
		else
			s->exc[c->nexc++] = i;
		s->xa[i] = prev;
	}
	c->est = 1 + exceptions_cost(s->exc, c->nexc);
}

/* FLOAT into s->xa */
static void
build_float(const cts_point *pts, uint32_t n, int lossless, enc_scratch *s,
			vcand *c)
{
	uint32_t	i;

	c->vmode = CTS_M_FLOAT;
	c->nexc = 0;
	c->max_error = 0;
	for (i = 0; i < n; i++)
		s->xa[i] = cts2_float_to_ordered(value_at(pts, i, lossless));
	c->est = 0;
}

/* QUANT_GROUPS with width w into s->xa */
static void
build_quant_groups(const cts_point *pts, uint32_t n, int w, enc_scratch *s,
				   vcand *c)
{
	uint64_t	L = (UINT64_C(1) << w) - 1;
	uint32_t	g0;

	c->vmode = CTS_M_QUANT_GROUPS;
	c->w = w;
	c->nexc = 0;
	c->max_error = 0;
	for (g0 = 0; g0 < n; g0 += CTS2_QUANT_GROUP)
	{
		uint32_t	g1 = g0 + CTS2_QUANT_GROUP < n ? g0 + CTS2_QUANT_GROUP : n;
		double		mn = value_at(pts, g0, 0),
					mx = mn;
		uint32_t	i;
		cts_grid	grid;

		for (i = g0 + 1; i < g1; i++)
		{
			double		v = value_at(pts, i, 0);

			if (v < mn)
				mn = v;
			if (v > mx)
				mx = v;
		}
		if (mn < mx)
			cts_grid_init(&grid, mn, mx, L);
		for (i = g0; i < g1; i++)
		{
			double		v = value_at(pts, i, 0);
			uint64_t	q;
			double		err;

			if (!(mn < mx))
			{
				s->xa[i] = 0;
				continue;
			}
			q = cts_grid_encode(&grid, v);
			err = fabs(v - cts_grid_decode(&grid, q));
			if (err > c->max_error)
				c->max_error = err;
			s->xa[i] = (int64_t) q;
		}
	}
	c->est = 1 + 16.0 * ((n + CTS2_QUANT_GROUP - 1) / CTS2_QUANT_GROUP);
}

/*
 * The number of steps of a block grid over [lo, hi] for a step of at most
 * step; 0 if it would need more than 2^52.
 */
static uint64_t
grid_steps(double lo, double hi, double step)
{
	double		q;

	if (!(step > 0))
		return 0;
	q = (hi / 2 - lo / 2) / step * 2;
	q = ceil(q * (1 + 0x1p-40));
	if (!(q >= 1) || q > 0x1p52)
		return 0;
	return (uint64_t) q;
}

/* QUANT over [lo, hi] with L steps into s->xa / s->exc; bound 0: none */
static void
build_quant(const cts_point *pts, uint32_t n, double lo, double hi,
			uint64_t L, double bound, enc_scratch *s, vcand *c)
{
	uint32_t	i;
	int64_t		prev = 0;
	cts_grid	grid;

	c->vmode = CTS_M_QUANT;
	c->lo = lo;
	c->hi = hi;
	c->L = L;
	c->nexc = 0;
	c->max_error = 0;
	cts_grid_init(&grid, lo, hi, L);
	for (i = 0; i < n; i++)
	{
		double		v = value_at(pts, i, 0);
		uint64_t	q = cts_grid_encode(&grid, v);
		double		err = fabs(v - cts_grid_decode(&grid, q));

		if (bound > 0 && !(err <= bound))
			s->exc[c->nexc++] = i;
		else
		{
			if (err > c->max_error)
				c->max_error = err;
			prev = (int64_t) q;
		}
		s->xa[i] = prev;
	}
	c->est = 1 + (double) cts_varint_size(L) + exceptions_cost(s->exc, c->nexc);
}

/* keep candidate c if better than *best */
static void
keep_if_better(vcand *c, vcand *best, int *have)
{
	if (*have && !(c->est < best->est))
		return;
	*best = *c;
	*have = 1;
}

/* write the exceptions of c (positions in s->exc) */
static cts_status
write_exceptions(const cts_point *pts, const vcand *c, const enc_scratch *s,
				 int lossless, uint8_t **pp, uint8_t *end)
{
	uint32_t	i;

	if (cts_put_varint_checked(pp, end, c->nexc) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	for (i = 0; i < c->nexc; i++)
		if (cts_put_varint_checked(pp, end, i == 0 ? s->exc[0] :
								   s->exc[i] - s->exc[i - 1] - 1) != 0)
			return CTS_ERR_BUFFER_TOO_SMALL;
	if ((size_t) (end - *pp) < 8 * (size_t) c->nexc)
		return CTS_ERR_BUFFER_TOO_SMALL;
	for (i = 0; i < c->nexc; i++)
	{
		cts_put_f64(*pp, value_at(pts, s->exc[i], lossless));
		*pp += 8;
	}
	return CTS_OK;
}

/*
 * Choose and write the values of pts[0..n).  bi has the summaries already
 * (min/max of the values as stored); sets bi->vmode and bi->max_error.
 */
static cts_status
encode_values2(const cts_point *pts, uint32_t n, const cts_encode2_opts *o,
			   enc_scratch *s, uint64_t step, uint8_t **pp, uint8_t *end,
			   cts_block_info *bi)
{
	int			lossless = o->codec == CTS_CODEC2_LOSSLESS;
	uint32_t	ne = n < CTS2_ESTIMATE_POINTS ? n : CTS2_ESTIMATE_POINTS;
	uint32_t	periods[2];
	int			np = seasonal_periods(bi, step, n, periods);
	vcand		best;
	vcand		c;
	int			have = 0;
	int			e;
	uint32_t	i;
	int			constant = 1;
	uint64_t	b0 = dbits(value_at(pts, 0, lossless));
	size_t		len;
	cts_status	st;

	for (i = 1; i < n && constant; i++)
		if (dbits(value_at(pts, i, lossless)) != b0)
			constant = 0;
	if (constant)
	{
		bi->vmode = CTS_M_CONST;
		bi->max_error = 0;
		if ((size_t) (end - *pp) < 8)
			return CTS_ERR_BUFFER_TOO_SMALL;
		cts_put_u64(*pp, b0);
		*pp += 8;
		return CTS_OK;
	}

	memset(&best, 0, sizeof(best));
	memset(&c, 0, sizeof(c));

	/*
	 * Candidates are compared on the first CTS2_ESTIMATE_POINTS points (a
	 * block's data is much alike throughout); the winner is then built
	 * over the whole block.
	 */

	/* exact candidates: DECIMAL, FLOAT */
	e = choose_exponent(pts, n, lossless);
	if (e >= 0)
	{
		build_decimal(pts, ne, lossless, e, s, &c);
		if (c.nexc < ne / 2)
		{
			estimate_sequence(s, ne, periods, np, &c);
			keep_if_better(&c, &best, &have);
		}
	}
	if (lossless || !have)
	{
		/* the exact fallback, and the only other choice if lossless */
		build_float(pts, ne, lossless, s, &c);
		estimate_sequence(s, ne, periods, np, &c);
		keep_if_better(&c, &best, &have);
	}

	/* lossy candidates: they must be strictly smaller than an exact one */
	if (o->codec == CTS_CODEC2_QUANT)
	{
		double		finest = 0;
		uint64_t	L;
		uint32_t	g0;
		uint64_t	levels = (UINT64_C(1) << o->bits) - 1;

		build_quant_groups(pts, ne, o->bits, s, &c);
		estimate_sequence(s, ne, periods, np, &c);
		keep_if_better(&c, &best, &have);

		/* one grid, as fine as the finest group's */
		for (g0 = 0; g0 < n; g0 += CTS2_QUANT_GROUP)
		{
			uint32_t	g1 = g0 + CTS2_QUANT_GROUP < n ? g0 + CTS2_QUANT_GROUP : n;
			double		mn = value_at(pts, g0, 0),
						mx = mn;

			for (i = g0 + 1; i < g1; i++)
			{
				double		v = value_at(pts, i, 0);

				if (v < mn)
					mn = v;
				if (v > mx)
					mx = v;
			}
			if (mx > mn)
			{
				double		stepg = (mx / 2 - mn / 2) / (double) levels * 2;

				if (finest == 0 || stepg < finest)
					finest = stepg;
			}
		}
		L = grid_steps(bi->min, bi->max, finest);
		if (L > 0)
		{
			build_quant(pts, ne, bi->min, bi->max, L, 0, s, &c);
			estimate_sequence(s, ne, periods, np, &c);
			keep_if_better(&c, &best, &have);
		}
	}
	else if (o->codec == CTS_CODEC2_BOUND)
	{
		uint64_t	L = grid_steps(bi->min, bi->max, 2 * o->bound * (1 - 0x1p-30));

		if (L > 0)
		{
			build_quant(pts, ne, bi->min, bi->max, L, o->bound, s, &c);
			if (c.nexc < ne / 2)
			{
				estimate_sequence(s, ne, periods, np, &c);
				keep_if_better(&c, &best, &have);
			}
		}
	}

	/* build the winner over the whole block, and write it */
	switch (best.vmode)
	{
		case CTS_M_DECIMAL:
			build_decimal(pts, n, lossless, best.e, s, &c);
			if ((size_t) (end - *pp) < 1)
				return CTS_ERR_BUFFER_TOO_SMALL;
			*(*pp)++ = (uint8_t) best.e;
			break;
		case CTS_M_QUANT:
			build_quant(pts, n, best.lo, best.hi, best.L,
						o->codec == CTS_CODEC2_BOUND ? o->bound : 0, s, &c);
			if (cts_put_varint_checked(pp, end, best.L) != 0)
				return CTS_ERR_BUFFER_TOO_SMALL;
			break;
		case CTS_M_QUANT_GROUPS:
			{
				uint32_t	g0;

				if ((size_t) (end - *pp) < 1 + 16 * (size_t) ((n + CTS2_QUANT_GROUP - 1) / CTS2_QUANT_GROUP))
					return CTS_ERR_BUFFER_TOO_SMALL;
				build_quant_groups(pts, n, best.w, s, &c);
				*(*pp)++ = (uint8_t) best.w;
				for (g0 = 0; g0 < n; g0 += CTS2_QUANT_GROUP)
				{
					uint32_t	g1 = g0 + CTS2_QUANT_GROUP < n ? g0 + CTS2_QUANT_GROUP : n;
					double		mn = value_at(pts, g0, 0),
								mx = mn;

					for (i = g0 + 1; i < g1; i++)
					{
						double		v = value_at(pts, i, 0);

						if (v < mn)
							mn = v;
						if (v > mx)
							mx = v;
					}
					cts_put_f64(*pp, mn);
					cts_put_f64(*pp + 8, mx);
					*pp += 16;
				}
				c.nexc = 0;
				break;
			}
		default:
			build_float(pts, n, lossless, s, &c);
			break;
	}

	/*
	 * The mode was chosen on the first points; the predictor is chosen
	 * again on all of them, since the rest may move differently (a coarse
	 * grid whose codes are all 0 in the sample and alternate later).
	 */
	if (n > ne)
		best.pred = cts_choose_predictor(s->xa, n, periods, np, &best.P);
	st = cts_pseq_encode(s->xa, n, best.pred, best.P, s->r, *pp,
						 (size_t) (end - *pp), &len, s->iseq, s->iseq_len);
	if (st != CTS_OK)
		return st;
	*pp += len;
	if (best.vmode == CTS_M_DECIMAL || best.vmode == CTS_M_QUANT)
	{
		st = write_exceptions(pts, &c, s, lossless, pp, end);
		if (st != CTS_OK)
			return st;
	}
	bi->vmode = best.vmode;
	bi->max_error = c.max_error;
	return CTS_OK;
}

/* ----------------------------------------------------------------
 *		Blocks and values
 * ----------------------------------------------------------------
 */

/*
 * cts2_encode_block
 *		Code pts[0..n) (sorted; checked by the caller) as one block payload
 *		at out; fill bi but its offset.
 */
cts_status
cts2_encode_block(const cts_point *pts, uint32_t n,
				  const cts_encode2_opts *opts, void *scratch,
				  size_t scratch_len, uint8_t *out, size_t cap,
				  cts_block_info *bi, size_t *bad_index)
{
	cts_encode2_opts o;
	enc_scratch s;
	uint8_t    *p = out;
	uint8_t    *end = out + cap;
	uint64_t	step;
	cts_status	st;
	uint32_t	i;
	int			lossless;

	st = check_opts(opts, &o);
	if (st != CTS_OK)
		return st;
	if (n < 1 || n > CTS_MAX_BLOCK_POINTS || pts == NULL)
		return CTS_ERR_BAD_ARGUMENT;
	if (scratch_carve(scratch, scratch_len, n, &s) != 0)
		return CTS_ERR_BAD_ARGUMENT;
	lossless = o.codec == CTS_CODEC2_LOSSLESS;

	memset(bi, 0, sizeof(*bi));
	for (i = 0; i < n; i++)
	{
		if (!lossless && !isfinite(pts[i].value))
		{
			if (bad_index)
				*bad_index = i;
			return CTS_ERR_NONFINITE;
		}
		if (i > 0 && pts[i].ts < pts[i - 1].ts)
		{
			if (bad_index)
				*bad_index = i;
			return CTS_ERR_UNSORTED;
		}
	}
	bi->npoints = n;
	bi->first_ts = pts[0].ts;
	bi->last_ts = pts[n - 1].ts;
	if (lossless)
		cts2_block_summaries(&pts[0].value, sizeof(cts_point), n, bi);
	else
	{
		/* summaries of the values with -0.0 as 0.0 */
		cts_sum_state sum = CTS_SUM_INIT;
		double		mn = value_at(pts, 0, 0),
					mx = mn;

		for (i = 0; i < n; i++)
		{
			double		v = value_at(pts, i, 0);

			if (v < mn)
				mn = v;
			if (v > mx)
				mx = v;
			cts_sum_add(&sum, v);
		}
		bi->min = mn;
		bi->max = mx;
		bi->sum = cts_sum_result(&sum);
		bi->flags = 0;
	}

	if (cap < 4)
		return CTS_ERR_BUFFER_TOO_SMALL;
	p += 4;						/* the CRC, written last */
	st = encode_timestamps2(pts, n, &s, &p, end, bi, &step);
	if (st != CTS_OK)
		return st;
	st = encode_values2(pts, n, &o, &s, step, &p, end, bi);
	if (st != CTS_OK)
		return st;
	if ((size_t) (p - out) > UINT32_MAX)
		return CTS_ERR_TOO_MANY_POINTS;
	bi->length = (uint32_t) (p - out);
	cts_put_u32(out, cts_crc32c(0, out + 4, bi->length - 4));
	return CTS_OK;
}

/*
 * cts2_header_acc_add
 *		Fold a block's summaries into the header's (format2.h "Summaries").
 */
void
cts2_header_acc_add(cts2_header_acc *acc, const cts_block_info *bi)
{
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
	if (bi->max_error > acc->max_error)
		acc->max_error = bi->max_error;
	cts_sum_add(&acc->sum, bi->sum);
	acc->flags |= bi->flags;
	acc->npoints += bi->npoints;
	acc->nblocks++;
}

void
cts2_header_acc_result(const cts2_header_acc *acc, double *min, double *max,
					   double *sum)
{
	*min = acc->have_min ? acc->min : canonical_nan();
	*max = (acc->max_nan || !acc->have_max) ? canonical_nan() : acc->max;
	*sum = cts_sum_result(&acc->sum);
}

/*
 * write_dir_header
 *		With the nb index entries in place, write the directory and the
 *		header (summaries derived from the entries, checksums).
 */
static cts_status
write_dir_header(uint8_t *out, uint32_t nb, uint8_t codec, uint8_t bits,
				 double bound)
{
	uint32_t	ndir = (nb + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS;
	uint8_t    *dir = out + CTS2_HEADER_SIZE;
	uint8_t    *index = dir + CTS2_DIR_ENTRY_SIZE * (size_t) ndir;
	cts2_header_acc acc = CTS2_HEADER_ACC_INIT;
	cts_block_info first,
				last;
	uint32_t	i;
	uint32_t	g;
	uint8_t    *h = out;

	memset(&first, 0, sizeof(first));
	memset(&last, 0, sizeof(last));
	for (i = 0; i < nb; i++)
	{
		cts_block_info bi;

		cts2_get_entry(index + CTS2_INDEX_ENTRY_SIZE * (size_t) i, &bi);
		if (i > 0 && bi.first_ts < last.last_ts)
			return CTS_ERR_UNSORTED;
		if (i == 0)
			first = bi;
		last = bi;
		cts2_header_acc_add(&acc, &bi);
		if (acc.npoints > CTS_MAX_POINTS)
			return CTS_ERR_TOO_MANY_POINTS;
	}
	for (g = 0; g < ndir; g++)
	{
		uint32_t	b0 = g * CTS2_GROUP_BLOCKS;
		uint32_t	b1 = b0 + CTS2_GROUP_BLOCKS < nb ? b0 + CTS2_GROUP_BLOCKS : nb;
		uint8_t    *d = dir + CTS2_DIR_ENTRY_SIZE * (size_t) g;

		memset(d, 0, CTS2_DIR_ENTRY_SIZE);
		memcpy(d + CTS2_D_FIRST_TS, index + CTS2_INDEX_ENTRY_SIZE * (size_t) b0 + CTS2_B_FIRST_TS, 8);
		memcpy(d + CTS2_D_LAST_TS, index + CTS2_INDEX_ENTRY_SIZE * (size_t) (b1 - 1) + CTS2_B_LAST_TS, 8);
		cts_put_u32(d + CTS2_D_CRC,
					cts_crc32c(0, index + CTS2_INDEX_ENTRY_SIZE * (size_t) b0,
							   CTS2_INDEX_ENTRY_SIZE * (size_t) (b1 - b0)));
	}

	memset(h, 0, CTS2_HEADER_SIZE);
	h[CTS2_H_VERSION] = CTS_FORMAT_V2;
	h[CTS2_H_FLAGS] = acc.flags;
	h[CTS2_H_CODEC] = codec;
	h[CTS2_H_CODEC_BITS] = codec == CTS_CODEC2_QUANT ? bits : 0;
	cts_put_u32(h + CTS2_H_NPOINTS, (uint32_t) acc.npoints);
	cts_put_u32(h + CTS2_H_NBLOCKS, nb);
	if (nb > 0)
	{
		double		mn,
					mx,
					sum;

		cts2_header_acc_result(&acc, &mn, &mx, &sum);
		cts_put_u64(h + CTS2_H_FIRST_TS, (uint64_t) first.first_ts);
		cts_put_u64(h + CTS2_H_LAST_TS, (uint64_t) last.last_ts);
		cts_put_f64(h + CTS2_H_MIN, mn);
		cts_put_f64(h + CTS2_H_MAX, mx);
		cts_put_f64(h + CTS2_H_SUM, sum);
		cts_put_f64(h + CTS2_H_MAX_ERROR, acc.max_error);
	}
	cts_put_f64(h + CTS2_H_BOUND, codec == CTS_CODEC2_BOUND ? bound : 0.0);
	cts_put_u32(h + CTS2_H_DIR_CRC,
				cts_crc32c(0, dir, CTS2_DIR_ENTRY_SIZE * (size_t) ndir));
	cts_put_u32(h + CTS2_H_CRC, cts_crc32c(0, h, CTS2_HEADER_SIZE));
	return CTS_OK;
}

/*
 * cts2_write_prefix
 *		Header, directory and index for blocks[0..nblocks), whose payloads
 *		follow the prefix contiguously in this order (their offsets are set
 *		here).  codec is the value's codec (CTS_CODEC2_MIXED allowed).
 */
cts_status
cts2_write_prefix(cts_block_info *blocks, uint32_t nblocks, uint8_t codec,
				  uint8_t bits, double bound, uint8_t *out, size_t cap)
{
	uint32_t	ndir = (nblocks + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS;
	uint8_t    *index = out + CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) ndir;
	uint64_t	offset = 0;
	uint32_t	i;

	if (cap < cts2_prefix_size(nblocks))
		return CTS_ERR_BUFFER_TOO_SMALL;
	if (codec > CTS_CODEC2_LOSSLESS)
		return CTS_ERR_BAD_ARGUMENT;
	for (i = 0; i < nblocks; i++)
	{
		if (offset > UINT32_MAX)
			return CTS_ERR_TOO_MANY_POINTS;
		blocks[i].offset = (uint32_t) offset;
		offset += blocks[i].length;
		cts2_put_entry(index + CTS2_INDEX_ENTRY_SIZE * (size_t) i, &blocks[i]);
	}
	if (offset > UINT32_MAX)
		return CTS_ERR_TOO_MANY_POINTS;
	return write_dir_header(out, nblocks, codec, bits, bound);
}

/*
 * cts_encode2
 *		Encode pts[0..n) into out: each block straight to its place after
 *		the prefix (whose size the layout fixes) and its index entry to its
 *		slot, then the directory and header.
 */
cts_status
cts_encode2(const cts_point *pts, size_t n, const cts_encode2_opts *opts,
			void *scratch, size_t scratch_len,
			uint8_t *out, size_t cap, size_t *out_len, size_t *bad_index)
{
	cts_encode2_opts o;
	uint32_t	nb,
				bp;
	size_t		prefix;
	size_t		pos;
	uint32_t	b;
	uint8_t    *index;
	cts_status	st;

	st = check_opts(opts, &o);
	if (st != CTS_OK)
		return st;
	st = cts2_layout(n, &o, &nb, &bp);
	if (st != CTS_OK)
		return st;
	if (n > 0 && pts == NULL)
		return CTS_ERR_BAD_ARGUMENT;
	if (out == NULL)
		return CTS_ERR_BAD_ARGUMENT;
	prefix = cts2_prefix_size(nb);
	if (cap < prefix)
		return CTS_ERR_BUFFER_TOO_SMALL;
	index = out + CTS2_HEADER_SIZE +
		CTS2_DIR_ENTRY_SIZE * (size_t) ((nb + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS);

	pos = prefix;
	for (b = 0; b < nb; b++)
	{
		size_t		start = (size_t) b * bp;
		uint32_t	cnt = (uint32_t) ((n - start) < bp ? (n - start) : bp);
		cts_block_info bi;

		if (o.interrupt && o.interrupt(o.interrupt_arg))
			return CTS_ERR_INTERRUPTED;
		if (start > 0 && pts[start].ts < pts[start - 1].ts)
		{
			if (bad_index)
				*bad_index = start;
			return CTS_ERR_UNSORTED;
		}
		st = cts2_encode_block(pts + start, cnt, &o, scratch, scratch_len,
							   out + pos, cap - pos, &bi, bad_index);
		if (st != CTS_OK)
		{
			if (bad_index && (st == CTS_ERR_NONFINITE || st == CTS_ERR_UNSORTED))
				*bad_index += start;
			return st;
		}
		if (pos - prefix > UINT32_MAX)
			return CTS_ERR_TOO_MANY_POINTS;
		bi.offset = (uint32_t) (pos - prefix);
		cts2_put_entry(index + CTS2_INDEX_ENTRY_SIZE * (size_t) b, &bi);
		pos += bi.length;
	}
	if (pos - prefix > UINT32_MAX)
		return CTS_ERR_TOO_MANY_POINTS;
	st = write_dir_header(out, nb, o.codec, o.bits, o.bound);
	if (st != CTS_OK)
		return st;
	*out_len = pos;
	return CTS_OK;
}
