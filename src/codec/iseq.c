/*-------------------------------------------------------------------------
 *
 * iseq.c
 *	  Integer sequences of format 2: predictors and the entropy coder.
 *
 * Design
 * ------
 * Every number format 2 stores in bulk -- timestamp deltas, decimal
 * mantissas, quantization codes, the order-preserving integers of lossless
 * doubles -- is first turned into a sequence of int64 residuals by a
 * predictor (delta, second difference, or "same point of the previous
 * period plus the last step" for seasonal series), and the residuals are
 * then coded by one integer-sequence coder that picks the smallest of:
 *
 *	CONST	every residual is the same number (a regular series' timestamp
 *			deltas, a linear ramp under DELTA2): one varint, 0 bits a point.
 *	PACK	frame of reference: the minimum, then each value minus it in the
 *			exact bit width of the range.  The fastest to decode.
 *	ANS		entropy coding at the order-0 entropy of the residuals.  Each
 *			value v (zigzagged around a centre, or offset from the minimum) is
 *			split into a token and raw low bits, the scheme JPEG XL calls a
 *			hybrid integer: values below 2^s are tokens of their own; above,
 *			the token is the bit length and the k bits under the top bit, and
 *			the bits below are stored raw.  Tokens are coded with rANS
 *			(Duda; Giesen's interleaved form): four 32-bit states over one
 *			stream of 16-bit words, probabilities in 1/4096.  The frequency
 *			table travels with the sequence; s and k are chosen per sequence
 *			from one pass of histograms, so a Gaussian residual (a random
 *			walk) costs within a few hundredths of a bit of its entropy and a
 *			heavy-tailed one (precipitation) does not blow up the alphabet.
 *
 * Everything is exact modular int64 arithmetic, so any sequence round-trips.
 * The decoder validates as it goes and insists on the canonical form: the
 * table must be exactly the normalisation of the decoded tokens' counts,
 * the rANS states must end where the encoder started, padding is zero, a
 * PACK base is the minimum and its width exact.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/iseq.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>

#include "iseq.h"

#define ANS_SCALE_BITS	12
#define ANS_M			(1u << ANS_SCALE_BITS)
#define ANS_L			(1u << 15)		/* lower bound of a state: states stay below 2^31 */
#define ANS_STATES		8
#define ANS_MAX_S		10
#define ANS_MAX_K		5
#define ANS_MAX_TOKENS	((1 << ANS_MAX_S) + 64 * (1 << ANS_MAX_K))
#define ANS_MEDIAN_SAMPLE 255

/* ----------------------------------------------------------------
 *		Predictors
 * ----------------------------------------------------------------
 */

static inline int64_t
wrap_sub(int64_t a, int64_t b)
{
	return (int64_t) ((uint64_t) a - (uint64_t) b);
}

static inline int64_t
wrap_add(int64_t a, int64_t b)
{
	return (int64_t) ((uint64_t) a + (uint64_t) b);
}

/* residual of point i >= 1 (i == 0 only for NONE) */
static inline int64_t
residual_at(const int64_t *x, size_t i, int pred, uint32_t P)
{
	switch (pred)
	{
		case CTS_P_NONE:
			return x[i];
		case CTS_P_DELTA:
			return wrap_sub(x[i], x[i - 1]);
		case CTS_P_DELTA2:
			if (i == 1)
				return wrap_sub(x[1], x[0]);
			return wrap_sub(wrap_sub(x[i], x[i - 1]), wrap_sub(x[i - 1], x[i - 2]));
		default:				/* SEASONAL */
			if (i <= P)
				return wrap_sub(x[i], x[i - 1]);
			return wrap_sub(wrap_sub(x[i], x[i - 1]), wrap_sub(x[i - P], x[i - 1 - P]));
	}
}

/*
 * cts_predict
 *		Residuals of x under pred into r; returns their number.
 */
size_t
cts_predict(const int64_t *x, size_t n, int pred, uint32_t P, int64_t *r)
{
	size_t		i;

	if (pred == CTS_P_NONE)
	{
		memcpy(r, x, n * sizeof(int64_t));
		return n;
	}
	if (n == 0)
		return 0;
	switch (pred)
	{
		case CTS_P_DELTA:
			for (i = 1; i < n; i++)
				r[i - 1] = wrap_sub(x[i], x[i - 1]);
			break;
		default:
			for (i = 1; i < n; i++)
				r[i - 1] = residual_at(x, i, pred, P);
			break;
	}
	return n - 1;
}

/*
 * cts_unpredict
 *		Rebuild x[0..n) in place from x[0] and the residuals in x[1..n).
 */
void
cts_unpredict(int64_t *x, size_t n, int pred, uint32_t P)
{
	size_t		i;

	switch (pred)
	{
		case CTS_P_NONE:
			return;
		case CTS_P_DELTA:
			for (i = 1; i < n; i++)
				x[i] = wrap_add(x[i], x[i - 1]);
			return;
		case CTS_P_DELTA2:
			{
				int64_t		d = 0;

				for (i = 1; i < n; i++)
				{
					d = i == 1 ? x[1] : wrap_add(d, x[i]);
					x[i] = wrap_add(x[i - 1], d);
				}
				return;
			}
		default:
			for (i = 1; i < n && i <= P; i++)
				x[i] = wrap_add(x[i], x[i - 1]);
			for (; i < n; i++)
				x[i] = wrap_add(x[i], wrap_add(x[i - 1],
											   wrap_sub(x[i - P], x[i - 1 - P])));
			return;
	}
}

/*
 * cts_predict_proxy
 *		Sum of the bit lengths of the zigzagged residuals: how many bits a
 *		sequence roughly needs, for choosing a predictor.
 */
uint64_t
cts_predict_proxy(const int64_t *x, size_t n, int pred, uint32_t P)
{
	uint64_t	bits = 0;
	size_t		i;

	if (n == 0)
		return 0;
	if (pred == CTS_P_NONE)
	{
		/* offsets from the minimum, as PACK and the unsigned ANS see them */
		int64_t		mn = x[0];

		for (i = 1; i < n; i++)
			if (x[i] < mn)
				mn = x[i];
		for (i = 0; i < n; i++)
			bits += (uint64_t) cts_bitlen64((uint64_t) x[i] - (uint64_t) mn) + 1;
		return bits;
	}
	bits = (uint64_t) cts_bitlen64(cts_zz(x[0])) + 8;
	if (pred == CTS_P_DELTA)
	{
		for (i = 1; i < n; i++)
			bits += (uint64_t) cts_bitlen64(cts_zz(wrap_sub(x[i], x[i - 1]))) + 1;
		return bits;
	}
	for (i = 1; i < n; i++)
		bits += (uint64_t) cts_bitlen64(cts_zz(residual_at(x, i, pred, P))) + 1;
	return bits;
}

/*
 * cts_choose_predictor
 *		The predictor (and period) with the smallest proxy; ties go to the
 *		simpler one (earlier in the list), which also decodes faster.  One
 *		pass computes the proxy of every candidate.
 */
int
cts_choose_predictor(const int64_t *x, size_t n, const uint32_t *periods,
					 int nperiods, uint32_t *P)
{
	uint64_t	b_none = 0,
				b_delta,
				b_delta2,
				b_seas[2] = {0, 0};
	uint32_t	per[2] = {0, 0};
	int			np = 0;
	int64_t		mn;
	size_t		i;
	int			best;
	uint64_t	best_bits;
	int			k;

	*P = 0;
	if (n == 0)
		return CTS_P_DELTA;
	for (k = 0; k < nperiods && np < 2; k++)
		if (periods[k] >= 2 && periods[k] < n)
			per[np++] = periods[k];

	mn = x[0];
	for (i = 1; i < n; i++)
		if (x[i] < mn)
			mn = x[i];
	b_delta = (uint64_t) cts_bitlen64(cts_zz(x[0])) + 8;
	b_delta2 = b_delta;
	b_seas[0] = b_seas[1] = b_delta;
	b_none = (uint64_t) cts_bitlen64((uint64_t) x[0] - (uint64_t) mn) + 1;
	for (i = 1; i < n; i++)
	{
		int64_t		d = wrap_sub(x[i], x[i - 1]);
		int64_t		d2 = i == 1 ? d : wrap_sub(d, wrap_sub(x[i - 1], x[i - 2]));

		b_none += (uint64_t) cts_bitlen64((uint64_t) x[i] - (uint64_t) mn) + 1;
		b_delta += (uint64_t) cts_bitlen64(cts_zz(d)) + 1;
		b_delta2 += (uint64_t) cts_bitlen64(cts_zz(d2)) + 1;
		for (k = 0; k < np; k++)
		{
			int64_t		r = i <= per[k] ? d :
				wrap_sub(d, wrap_sub(x[i - per[k]], x[i - 1 - per[k]]));

			b_seas[k] += (uint64_t) cts_bitlen64(cts_zz(r)) + 1;
		}
	}
	best = CTS_P_DELTA;
	best_bits = b_delta;
	if (b_none < best_bits)
	{
		best = CTS_P_NONE;
		best_bits = b_none;
	}
	if (b_delta2 < best_bits)
	{
		best = CTS_P_DELTA2;
		best_bits = b_delta2;
	}
	for (k = 0; k < np; k++)
		if (b_seas[k] < best_bits)
		{
			best = CTS_P_SEASONAL;
			best_bits = b_seas[k];
			*P = per[k];
		}
	return best;
}

/* ----------------------------------------------------------------
 *		Tokens
 * ----------------------------------------------------------------
 */

typedef struct ans_cfg
{
	int			s;				/* values below 2^s are tokens */
	int			k;				/* mantissa bits in a token (k <= s) */
	int			is_signed;		/* v = zigzag(x - center), else x - center */
	int64_t		center;
} ans_cfg;

static inline uint64_t
cfg_v(const ans_cfg *c, int64_t x)
{
	uint64_t	d = (uint64_t) x - (uint64_t) c->center;

	return c->is_signed ? cts_zigzag(d) : d;
}


/* token of v, and its raw bits */
static inline uint32_t
token_of(const ans_cfg *c, uint64_t v, int *nraw, uint64_t *raw)
{
	int			e;
	uint32_t	msb;

	if (v < (UINT64_C(1) << c->s))
	{
		*nraw = 0;
		*raw = 0;
		return (uint32_t) v;
	}
	e = cts_bitlen64(v) - 1;
	msb = (uint32_t) ((v >> (e - c->k)) & ((UINT64_C(1) << c->k) - 1));
	*nraw = e - c->k;
	*raw = *nraw == 0 ? 0 : v & ((UINT64_C(1) << *nraw) - 1);
	return (1u << c->s) + (uint32_t) (e - c->s) * (1u << c->k) + msb;
}

static inline uint32_t
token_count(int s, int k)
{
	return (1u << s) + (uint32_t) (64 - s) * (1u << k);
}

/* base value and raw bit count of token t (t < token_count) */
static inline void
token_base(int s, int k, uint32_t t, uint64_t *base, int *nraw)
{
	uint32_t	j;
	int			e;
	uint64_t	msb;

	if (t < (1u << s))
	{
		*base = t;
		*nraw = 0;
		return;
	}
	j = t - (1u << s);
	e = s + (int) (j >> k);
	msb = j & ((1u << k) - 1);
	*base = (UINT64_C(1) << e) | (msb << (e - k));
	*nraw = e - k;
}

/* ----------------------------------------------------------------
 *		Frequency normalisation (shared, so the decoder can verify)
 * ----------------------------------------------------------------
 */

#define FREQ_MANT_BITS	3		/* mantissa bits kept below a frequency's top bit */

/* bit length of f (f >= 1) */
static inline int
freq_len(uint32_t f)
{
	return cts_bitlen64(f);
}

/* f rounded to FREQ_MANT_BITS mantissa bits (half up); f >= 1 */
static inline uint32_t
freq_round(uint32_t f)
{
	int			L = freq_len(f);
	int			drop = L - 1 - FREQ_MANT_BITS;

	if (drop <= 0)
		return f;
	f = (f + (1u << (drop - 1))) >> drop << drop;
	return f;
}

/* the next smaller representable frequency (f > 1) */
static inline uint32_t
freq_down(uint32_t f)
{
	int			L = freq_len(f);
	int			drop = L - 1 - FREQ_MANT_BITS;

	if (drop <= 0)
		return f - 1;
	f -= 1u << drop;
	return freq_round(f);
}

/*
 * Normalise counts[0..T) (sum m > 0) to freqs summing to ANS_M, every used
 * token at least 1.  Every frequency but the absorber's (the largest count,
 * lowest token on ties, returned in *absorber) is rounded to a few mantissa
 * bits, which is what the table stores; the absorber takes the rest and is
 * not stored at all.  Deterministic: the decoder recomputes it from the
 * decoded tokens and compares.  Returns -1 if no table fits (more used
 * tokens than ANS_M).
 */
static int
normalize_freqs(const uint32_t *counts, uint32_t T, uint64_t m, uint32_t *freqs,
				uint32_t *absorber)
{
	uint32_t	t;
	uint32_t	a = 0;
	int64_t		rest;

	for (t = 0; t < T; t++)
		if (counts[t] > counts[a])
			a = t;
	rest = ANS_M;
	for (t = 0; t < T; t++)
	{
		uint32_t	f;

		if (counts[t] == 0 || t == a)
		{
			freqs[t] = 0;
			continue;
		}
		f = (uint32_t) (((uint64_t) counts[t] * 2 * ANS_M + m) / (2 * m));
		if (f == 0)
			f = 1;
		f = freq_round(f);
		freqs[t] = f;
		rest -= f;
	}
	/* the absorber must keep at least 1: shrink the largest others */
	while (rest < 1)
	{
		uint32_t	big = UINT32_MAX;

		for (t = 0; t < T; t++)
			if (t != a && freqs[t] > 1 && (big == UINT32_MAX || freqs[t] > freqs[big]))
				big = t;
		if (big == UINT32_MAX)
			return -1;
		rest += freqs[big];
		freqs[big] = freq_down(freqs[big]);
		rest -= freqs[big];
	}
	freqs[a] = (uint32_t) rest;
	*absorber = a;
	return 0;
}

/*
 * The table: T, the absorber, then per token but the absorber the change of
 * its bit length L from the previous token's (0 = unused) as a prefix code,
 * and the mantissa bits below its top bit (at most FREQ_MANT_BITS).
 */
static void
put_len_delta(cts_bitw *bw, int delta)
{
	uint64_t	z = cts_zigzag((uint64_t) (int64_t) delta);

	if (z == 0)
		cts_bitw_put(bw, 0, 1);
	else if (z <= 2)
	{
		cts_bitw_put(bw, 1, 2);	/* '10' LSB first: 1 then 0 */
		cts_bitw_put(bw, z - 1, 1);
	}
	else if (z <= 6)
	{
		cts_bitw_put(bw, 3, 3);	/* '110' */
		cts_bitw_put(bw, z - 3, 2);
	}
	else
	{
		cts_bitw_put(bw, 7, 3);	/* '111' */
		cts_bitw_put(bw, z - 7, 5);
	}
}

static int
get_len_delta(cts_bitr *br, int *delta)
{
	uint64_t	b,
				v;
	uint64_t	z;

	if (cts_bitr_get(br, 1, &b) != 0)
		return -1;
	if (b == 0)
		z = 0;
	else
	{
		if (cts_bitr_get(br, 1, &b) != 0)
			return -1;
		if (b == 0)
		{
			if (cts_bitr_get(br, 1, &v) != 0)
				return -1;
			z = 1 + v;
		}
		else
		{
			if (cts_bitr_get(br, 1, &b) != 0)
				return -1;
			if (b == 0)
			{
				if (cts_bitr_get(br, 2, &v) != 0)
					return -1;
				z = 3 + v;
			}
			else
			{
				if (cts_bitr_get(br, 5, &v) != 0)
					return -1;
				z = 7 + v;
				/* canonical: the short codes are used where they can be */
				if (z <= 6)
					return -1;
			}
		}
	}
	*delta = (int) (int64_t) cts_unzigzag(z);
	return 0;
}

/* bits of the table for freqs (the estimate's and the encoder's) */
static inline int
mant_bits(int L)
{
	return L <= 1 ? 0 : (L - 1 < FREQ_MANT_BITS ? L - 1 : FREQ_MANT_BITS);
}

static void
put_table(cts_bitw *bw, const uint32_t *freqs, uint32_t T, uint32_t a)
{
	uint32_t	t;
	int			prev = 0;

	for (t = 0; t < T; t++)
	{
		int			L;
		int			mb;

		if (t == a)
			continue;
		L = freqs[t] == 0 ? 0 : freq_len(freqs[t]);
		put_len_delta(bw, L - prev);
		prev = L;
		mb = mant_bits(L);
		if (mb > 0)
			cts_bitw_put(bw, (freqs[t] >> (L - 1 - mb)) & ((1u << mb) - 1), mb);
	}
}

/* ----------------------------------------------------------------
 *		Cost estimation
 * ----------------------------------------------------------------
 */

#define HS_SMALL	(1 << ANS_MAX_S)

typedef struct ans_hist
{
	uint32_t	small[HS_SMALL];	/* counts of v < 1024 */
	uint32_t	big[64][32];	/* v >= 1024: [bit length - 1][5 bits under the top] */
	/* the non-empty bins, for the estimates */
	uint32_t	nsmall;
	uint16_t	small_v[HS_SMALL];
	uint32_t	nbig;
	uint16_t	big_eq[64 * 32];	/* e * 32 + q */
} ans_hist;

static void
hist_build(const ans_cfg *c, const int64_t *x, size_t m, ans_hist *h)
{
	size_t		i;
	uint32_t	v;

	memset(h->small, 0, sizeof(h->small));
	memset(h->big, 0, sizeof(h->big));
	for (i = 0; i < m; i++)
	{
		uint64_t	u = cfg_v(c, x[i]);

		if (u < HS_SMALL)
			h->small[u]++;
		else
		{
			int			e = cts_bitlen64(u) - 1;

			h->big[e][(u >> (e - 5)) & 31]++;
		}
	}
	h->nsmall = 0;
	for (v = 0; v < HS_SMALL; v++)
		if (h->small[v])
			h->small_v[h->nsmall++] = (uint16_t) v;
	h->nbig = 0;
	for (v = ANS_MAX_S * 32; v < 64 * 32; v++)
		if (h->big[v / 32][v % 32])
			h->big_eq[h->nbig++] = (uint16_t) v;
}

/* bits of a frequency in the table: about 2 for its length, its mantissa */
static inline double
table_bits(uint32_t f)
{
	return f == 0 ? 1.5 : 2.0 + (double) mant_bits(freq_len(f));
}

/*
 * A fast log2 for estimates (about 1e-4 bits off): exponent from the bits,
 * a cubic for the mantissa.
 */
static inline double
fast_log2(double x)
{
	uint64_t	u;
	double		mnt;
	int			e;

	memcpy(&u, &x, sizeof(u));
	e = (int) ((u >> 52) & 0x7FF) - 1023;
	u = (u & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1023) << 52);
	memcpy(&mnt, &u, sizeof(mnt));
	/* log2 on [1, 2): a fit good to ~1e-4 */
	mnt -= 1.0;
	return e + mnt * (1.4425449 + mnt * (-0.7181452 + mnt * (0.4575485 + mnt * -0.1818208)));
}

/*
 * Estimated bytes of the ANS coding of a histogram with token params s, k:
 * entropy of the tokens, raw bits, the table, the states.
 */
static double
estimate_cfg(const ans_hist *h, uint64_t m, int s, int k)
{
	uint32_t	counts[ANS_MAX_TOKENS];
	uint32_t	used[ANS_MAX_TOKENS];
	uint32_t	nused = 0;
	uint32_t	T = 0;
	uint32_t	t;
	uint32_t	i;
	double		bits = 0;
	double		raw = 0;
	double		lm = fast_log2((double) m);
	ans_cfg		c = {s, k, 0, 0};

	for (i = 0; i < h->nsmall; i++)
	{
		uint32_t	v = h->small_v[i];
		uint32_t	cnt = h->small[v];
		int			nraw;
		uint64_t	r;

		t = token_of(&c, v, &nraw, &r);
		if (t >= T)
		{
			memset(counts + T, 0, (t + 1 - T) * sizeof(uint32_t));
			T = t + 1;
		}
		if (counts[t] == 0)
			used[nused++] = t;
		counts[t] += cnt;
		raw += (double) nraw * cnt;
	}
	for (i = 0; i < h->nbig; i++)
	{
		uint32_t	e = h->big_eq[i] / 32;
		uint32_t	q = h->big_eq[i] % 32;
		uint32_t	cnt = h->big[e][q];

		t = (1u << s) + (uint32_t) (e - s) * (1u << k) + (uint32_t) (q >> (5 - k));
		if (t >= T)
		{
			memset(counts + T, 0, (t + 1 - T) * sizeof(uint32_t));
			T = t + 1;
		}
		if (counts[t] == 0)
			used[nused++] = t;
		counts[t] += cnt;
		raw += (double) (e - k) * cnt;
	}
	for (i = 0; i < nused; i++)
	{
		uint32_t	cnt = counts[used[i]];

		bits += (double) cnt * (lm - fast_log2((double) cnt));
		bits += table_bits((uint32_t) ((uint64_t) cnt * ANS_M / m) + 1) - 1.5;
	}
	bits += 1.5 * T;
	return (bits + raw) / 8.0 + 2 * ANS_STATES + 8;
}

/*
 * The best s, k for a histogram; returns the estimated bytes.  A coarse
 * pass over s, then every k around the best s.
 */
static double
best_cfg(const ans_hist *h, uint64_t m, int *s_out, int *k_out)
{
	static const int s_cand[] = {0, 2, 4, 6, 8, 10};
	double		best = -1;
	int			sb = 0;
	size_t		i;
	int			s,
				k;

	for (i = 0; i < sizeof(s_cand) / sizeof(s_cand[0]); i++)
	{
		int			kk = s_cand[i] < 3 ? s_cand[i] : 3;
		double		est = estimate_cfg(h, m, s_cand[i], kk);

		if (best < 0 || est < best)
		{
			best = est;
			sb = s_cand[i];
			*s_out = s_cand[i];
			*k_out = kk;
		}
	}
	for (s = sb - 1; s <= sb + 1; s++)
	{
		if (s < 0 || s > ANS_MAX_S)
			continue;
		for (k = 0; k <= ANS_MAX_K && k <= s; k++)
		{
			double		est = estimate_cfg(h, m, s, k);

			if (est < best)
			{
				best = est;
				*s_out = s;
				*k_out = k;
			}
		}
	}
	return best;
}

/*
 * The median of a fixed sample (deterministic, so the decoder recomputes
 * it): the middle element after a Shell sort of at most 255 values.
 */
static int64_t
sample_median(const int64_t *x, size_t m)
{
	static const size_t gaps[] = {132, 57, 23, 10, 4, 1};
	int64_t		a[ANS_MEDIAN_SAMPLE];
	size_t		ns = m < ANS_MEDIAN_SAMPLE ? m : ANS_MEDIAN_SAMPLE;
	size_t		g,
				i;

	for (i = 0; i < ns; i++)
		a[i] = x[(size_t) ((uint64_t) i * m / ns)];
	for (g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++)
	{
		size_t		gap = gaps[g];

		for (i = gap; i < ns; i++)
		{
			int64_t		v = a[i];
			size_t		j = i;

			while (j >= gap && a[j - gap] > v)
			{
				a[j] = a[j - gap];
				j -= gap;
			}
			a[j] = v;
		}
	}
	return a[ns / 2];
}

typedef struct seq_stats
{
	int64_t		min;
	int64_t		max;
	int			all_equal;
} seq_stats;

static void
seq_scan(const int64_t *x, size_t m, seq_stats *st)
{
	size_t		i;

	st->min = st->max = x[0];
	for (i = 1; i < m; i++)
	{
		if (x[i] < st->min)
			st->min = x[i];
		if (x[i] > st->max)
			st->max = x[i];
	}
	st->all_equal = st->min == st->max;
}

static size_t
pack_size(const seq_stats *st, size_t m)
{
	int			w = cts_bitlen64((uint64_t) st->max - (uint64_t) st->min);

	return 1 + cts_varint_size(cts_zz(st->min)) + 1 + ((size_t) w * m + 7) / 8;
}

/*
 * The ANS configuration for x: signed around the sample median, or
 * unsigned from the minimum, whichever the estimate prefers.
 */
static double
choose_ans(const int64_t *x, size_t m, const seq_stats *st, int hint,
		   ans_cfg *cfg)
{
	ans_hist	h;
	ans_cfg		u = {0, 0, 0, st->min};
	ans_cfg		sg = {0, 0, 1, 0};
	double		eu = -1,
				es = -1;

	if (hint != CTS_HINT_SIGNED)
	{
		hist_build(&u, x, m, &h);
		eu = best_cfg(&h, m, &u.s, &u.k) + cts_varint_size(cts_zz(u.center));
	}
	if (hint != CTS_HINT_UNSIGNED)
	{
		sg.center = sample_median(x, m);
		hist_build(&sg, x, m, &h);
		es = best_cfg(&h, m, &sg.s, &sg.k) + cts_varint_size(cts_zz(sg.center));
	}
	if (eu < 0 || (es >= 0 && es < eu))
	{
		*cfg = sg;
		return es;
	}
	*cfg = u;
	return eu;
}

/*
 * cts_iseq_estimate
 *		Estimated bytes of the coding cts_iseq_encode would choose.
 */
double
cts_iseq_estimate(const int64_t *x, size_t m, int hint)
{
	seq_stats	st;
	ans_cfg		cfg;
	double		pack;
	double		ans;

	if (m == 0)
		return 0;
	seq_scan(x, m, &st);
	if (st.all_equal)
		return 1 + cts_varint_size(cts_zz(st.min));
	pack = (double) pack_size(&st, m);
	if (m < 16)
		return pack;
	ans = choose_ans(x, m, &st, hint, &cfg);
	return ans < pack ? ans : pack;
}

/* ----------------------------------------------------------------
 *		Encoding
 * ----------------------------------------------------------------
 */

size_t
cts_iseq_bound(size_t m)
{
	return 1 + 10 + 1 + 8 * m + 8;
}

size_t
cts_iseq_scratch_size(size_t m)
{
	/*
	 * The rANS words, written backwards (at most one per value, and the
	 * states), then the tokens.
	 */
	return 2 * m + 4 * ANS_STATES + 16 + 2 * m + 2;
}

/* a token as the encoder needs it */
typedef struct enc_sym
{
	uint64_t	x_max;			/* renormalise at or above */
	uint32_t	rcp;			/* reciprocal of the frequency */
	uint32_t	bias;
	uint32_t	cmpl;			/* M - frequency */
	uint32_t	shift;
} enc_sym;

static cts_status
encode_pack(const int64_t *x, size_t m, const seq_stats *st,
			uint8_t *out, size_t cap, size_t *len)
{
	uint8_t    *p = out;
	uint8_t    *end = out + cap;
	int			w = cts_bitlen64((uint64_t) st->max - (uint64_t) st->min);
	cts_bitw	bw;
	size_t		i;

	if (cap < 1)
		return CTS_ERR_BUFFER_TOO_SMALL;
	*p++ = CTS_S_PACK;
	if (cts_put_varint_checked(&p, end, cts_zz(st->min)) != 0 || p >= end)
		return CTS_ERR_BUFFER_TOO_SMALL;
	*p++ = (uint8_t) w;
	cts_bitw_init(&bw, p, (size_t) (end - p));
	for (i = 0; i < m; i++)
		cts_bitw_put(&bw, (uint64_t) x[i] - (uint64_t) st->min, w);
	cts_bitw_finish(&bw);
	if (bw.overflow)
		return CTS_ERR_BUFFER_TOO_SMALL;
	*len = (size_t) (p - out) + bw.len;
	return CTS_OK;
}

static cts_status
encode_ans(const int64_t *x, size_t m, const ans_cfg *cfg,
		   uint8_t *out, size_t cap, size_t *len,
		   void *scratch, size_t scratch_len)
{
	uint32_t	counts[ANS_MAX_TOKENS];
	uint32_t	freqs[ANS_MAX_TOKENS];
	enc_sym		es[ANS_MAX_TOKENS];
	uint8_t		nraws[ANS_MAX_TOKENS];
	uint16_t   *toks;
	size_t		wlen;
	uint32_t	T = 0;
	uint32_t	t;
	size_t		i;
	uint8_t    *p = out;
	uint8_t    *end = out + cap;
	cts_bitw	bw;
	uint64_t	raw_bits = 0;
	uint32_t	st[ANS_STATES];
	uint8_t    *wbuf;
	size_t		wpos;			/* bytes from the end of wbuf used */
	size_t		rans_bytes;
	size_t		raw_bytes;
	uint32_t	cum;
	uint32_t	absorber;

	if (scratch_len < cts_iseq_scratch_size(m))
		return CTS_ERR_BAD_ARGUMENT;
	toks = (uint16_t *) (void *) ((uint8_t *) scratch + ((scratch_len - 2 * m) & ~(size_t) 1));
	wbuf = (uint8_t *) scratch;
	wlen = (size_t) ((uint8_t *) toks - wbuf);

	/* tokens, once, and their counts */
	memset(counts, 0, token_count(cfg->s, cfg->k) * sizeof(uint32_t));
	for (i = 0; i < m; i++)
	{
		int			nraw;
		uint64_t	raw;

		t = token_of(cfg, cfg_v(cfg, x[i]), &nraw, &raw);
		toks[i] = (uint16_t) t;
		counts[t]++;
		raw_bits += (uint64_t) nraw;
		if (t + 1 > T)
			T = t + 1;
	}
	if (normalize_freqs(counts, T, m, freqs, &absorber) != 0)
		return CTS_ERR_BAD_ARGUMENT;
	cum = 0;
	for (t = 0; t < T; t++)
	{
		/*
		 * Division-free encoding (Giesen): x / f by a multiply with a
		 * rounded-up reciprocal, and x' = x + bias + q * (M - f).
		 */
		uint32_t	f = freqs[t];

		es[t].x_max = (uint64_t) f << 19;	/* ((L >> 12) << 16) * f */
		es[t].cmpl = ANS_M - f;
		if (f < 2)
		{
			es[t].rcp = ~0u;
			es[t].shift = 0;
			es[t].bias = cum + ANS_M - 1;
		}
		else
		{
			uint32_t	sh = 0;

			while (f > (1u << sh))
				sh++;
			es[t].rcp = (uint32_t) (((UINT64_C(1) << (sh + 31)) + f - 1) / f);
			es[t].shift = sh - 1;
			es[t].bias = cum;
		}
		nraws[t] = 0;
		if (f > 0)
		{
			uint64_t	base;
			int			nr;

			token_base(cfg->s, cfg->k, t, &base, &nr);
			nraws[t] = (uint8_t) nr;
		}
		cum += f;
	}

	/* header and table */
	if (cap < 2)
		return CTS_ERR_BUFFER_TOO_SMALL;
	*p++ = CTS_S_ANS;
	*p++ = (uint8_t) (cfg->s | (cfg->k << 4) | (cfg->is_signed << 7));
	if (cts_put_varint_checked(&p, end, cts_zz(cfg->center)) != 0 ||
		cts_put_varint_checked(&p, end, T) != 0 ||
		cts_put_varint_checked(&p, end, absorber) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	cts_bitw_init(&bw, p, (size_t) (end - p));
	put_table(&bw, freqs, T, absorber);
	cts_bitw_finish(&bw);
	if (bw.overflow)
		return CTS_ERR_BUFFER_TOO_SMALL;
	p += bw.len;

	/* rANS, backwards into the scratch buffer */
	for (i = 0; i < ANS_STATES; i++)
		st[i] = ANS_L;
	wpos = 0;
	for (i = m; i-- > 0;)
	{
		uint32_t   *xs = &st[i & (ANS_STATES - 1)];
		const enc_sym *e = &es[toks[i]];
		uint32_t	q;

		if (*xs >= e->x_max)
		{
			wpos += 2;
			cts_put_u16(wbuf + wlen - wpos, (uint16_t) *xs);
			*xs >>= 16;
		}
		q = (uint32_t) (((uint64_t) *xs * e->rcp) >> 32) >> e->shift;
		*xs = *xs + e->bias + q * e->cmpl;
	}
	for (i = ANS_STATES; i-- > 0;)
	{
		wpos += 2;
		cts_put_u16(wbuf + wlen - wpos, (uint16_t) st[i]);
		wpos += 2;
		cts_put_u16(wbuf + wlen - wpos, (uint16_t) (st[i] >> 16));
	}
	rans_bytes = wpos;
	if (cts_put_varint_checked(&p, end, rans_bytes) != 0 ||
		(size_t) (end - p) < rans_bytes)
		return CTS_ERR_BUFFER_TOO_SMALL;
	memcpy(p, wbuf + wlen - wpos, rans_bytes);
	p += rans_bytes;

	/* raw bits, forwards */
	raw_bytes = (size_t) ((raw_bits + 7) / 8);
	if (cts_put_varint_checked(&p, end, raw_bytes) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	cts_bitw_init(&bw, p, (size_t) (end - p));
	for (i = 0; i < m; i++)
	{
		int			nr = nraws[toks[i]];

		if (nr > 0)
			cts_bitw_put(&bw, cfg_v(cfg, x[i]), nr);
	}
	cts_bitw_finish(&bw);
	if (bw.overflow || bw.len != raw_bytes)
		return CTS_ERR_BUFFER_TOO_SMALL;
	p += bw.len;
	*len = (size_t) (p - out);
	return CTS_OK;
}

/*
 * cts_iseq_encode
 *		Code x[0..m) with the smallest of CONST, PACK and ANS.
 */
cts_status
cts_iseq_encode(const int64_t *x, size_t m, int hint, uint8_t *out, size_t cap,
				size_t *len, void *scratch, size_t scratch_len)
{
	seq_stats	st;
	size_t		psize;
	ans_cfg		cfg;
	double		ans_est;
	cts_status	s;

	*len = 0;
	if (m == 0)
		return CTS_OK;
	seq_scan(x, m, &st);
	if (st.all_equal)
	{
		uint8_t    *p = out;

		if (cap < 1)
			return CTS_ERR_BUFFER_TOO_SMALL;
		*p++ = CTS_S_CONST;
		if (cts_put_varint_checked(&p, out + cap, cts_zz(st.min)) != 0)
			return CTS_ERR_BUFFER_TOO_SMALL;
		*len = (size_t) (p - out);
		return CTS_OK;
	}
	psize = pack_size(&st, m);
	if (m >= 16)
	{
		ans_est = choose_ans(x, m, &st, hint, &cfg);
		if (ans_est < (double) psize)
		{
			s = encode_ans(x, m, &cfg, out, cap, len, scratch, scratch_len);
			/* the estimate was wrong, or the output short: PACK it is */
			if (s == CTS_OK && *len < psize)
				return CTS_OK;
			if (s != CTS_OK && s != CTS_ERR_BUFFER_TOO_SMALL)
				return s;
		}
	}
	return encode_pack(x, m, &st, out, cap, len);
}

/* ----------------------------------------------------------------
 *		Decoding
 * ----------------------------------------------------------------
 */

static int
get_varint_bounded(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	return cts_get_varint(pp, end, v);
}

static cts_status
decode_pack(const uint8_t **pp, const uint8_t *end, int64_t *x, size_t m,
			size_t lim, int verify)
{
	const uint8_t *p = *pp;
	uint64_t	zbase;
	int64_t		base;
	int			w;
	size_t		nbytes;
	cts_bitr	br;
	size_t		i;
	uint64_t	maxoff = 0;
	uint64_t	minoff = UINT64_MAX;

	if (get_varint_bounded(&p, end, &zbase) != 0 || p >= end)
		return CTS_ERR_BAD_BLOCK;
	base = cts_unzz(zbase);
	w = *p++;
	if (w < 1 || w > 64)
		return CTS_ERR_BAD_BLOCK;
	if (m > (SIZE_MAX - 7) / (size_t) w)
		return CTS_ERR_BAD_BLOCK;
	nbytes = ((size_t) w * m + 7) / 8;
	if ((size_t) (end - p) < nbytes)
		return CTS_ERR_TRUNCATED;
	if (w <= 56)
	{
		/*
		 * Each value from one unaligned 8-byte load at its bit offset: no
		 * dependency between values.  The last few, whose load would pass
		 * the end, go bit by bit.
		 */
		uint64_t	mask = (UINT64_C(1) << w) - 1;
		size_t		fast = nbytes >= 8 ? ((nbytes - 8) * 8) / (size_t) w : 0;

		if (fast > lim)
			fast = lim;
		for (i = 0; i < fast; i++)
		{
			size_t		bit = i * (size_t) w;

			x[i] = (int64_t) (((cts_get_u64(p + (bit >> 3)) >> (bit & 7)) & mask) +
							  (uint64_t) base);
		}
		cts_bitr_init(&br, p + ((fast * (size_t) w) >> 3), nbytes - ((fast * (size_t) w) >> 3));
		if ((fast * (size_t) w) & 7)
		{
			uint64_t	skip;

			if (cts_bitr_get(&br, (int) ((fast * (size_t) w) & 7), &skip) != 0)
				return CTS_ERR_BAD_BLOCK;
		}
		for (; i < lim; i++)
		{
			uint64_t	v;

			if (cts_bitr_get(&br, w, &v) != 0)
				return CTS_ERR_BAD_BLOCK;
			x[i] = (int64_t) (v + (uint64_t) base);
		}
	}
	else
	{
		cts_bitr_init(&br, p, nbytes);
		for (i = 0; i < lim; i++)
		{
			uint64_t	v;

			if (cts_bitr_get(&br, w, &v) != 0)
				return CTS_ERR_BAD_BLOCK;
			x[i] = (int64_t) (v + (uint64_t) base);
		}
	}
	/* the padding after the last value, when the values were all read */
	if (lim == m && cts_bitr_finish(&br) != 0)
		return CTS_ERR_BAD_BLOCK;
	if (verify)
	{
		/* canonical: base is the minimum, w the exact width (so not constant) */
		for (i = 0; i < m; i++)
		{
			uint64_t	v = (uint64_t) x[i] - (uint64_t) base;

			if (v > maxoff)
				maxoff = v;
			if (v < minoff)
				minoff = v;
		}
		if (minoff != 0 || cts_bitlen64(maxoff) != w)
			return CTS_ERR_BAD_BLOCK;
	}
	*pp = p + nbytes;
	return CTS_OK;
}

/*
 * One rANS decoding table entry per slot, in one 64-bit word: the token's
 * frequency in bits 0-15, the first slot of the token's range in bits
 * 16-31, the token in bits 32-47.  Every slot of a token holds the same
 * word, so building the table is filling runs, 16 bytes a store (most of
 * the cost of a short decode: 4,096 slots); decoding a symbol is one load,
 * the slot's offset in its range being the slot minus the first.
 */
#define ANS_SLOT(freq, first, tok) \
	((uint64_t) (freq) | ((uint64_t) (first) << 16) | ((uint64_t) (tok) << 32))

/* dst[0..n) = e, two words a store where the compiler can */
static inline void
ans_fill(uint64_t *dst, uint32_t n, uint64_t e)
{
	uint32_t	j = 0;

	for (; j + 4 <= n; j += 4)
	{
		dst[j] = e;
		dst[j + 1] = e;
		dst[j + 2] = e;
		dst[j + 3] = e;
	}
	for (; j < n; j++)
		dst[j] = e;
}

static cts_status
decode_ans(const uint8_t **pp, const uint8_t *end, int64_t *x, size_t m,
		   size_t lim, int verify)
{
	uint32_t	freqs[ANS_MAX_TOKENS];
	uint32_t	counts[ANS_MAX_TOKENS];
	uint32_t	check[ANS_MAX_TOKENS];
	uint64_t	tbase[ANS_MAX_TOKENS];
	uint8_t		tnraw[ANS_MAX_TOKENS];
	uint64_t	lut[ANS_M];
	const uint8_t *p = *pp;
	ans_cfg		cfg;
	uint8_t		c;
	uint64_t	zc;
	uint64_t	T64;
	uint64_t	a64;
	uint32_t	T;
	uint32_t	t;
	uint32_t	cum;
	cts_bitr	br;
	uint64_t	rans_bytes;
	uint64_t	raw_bytes;
	const uint8_t *w;
	const uint8_t *wend;
	uint32_t	st[ANS_STATES];
	size_t		i;

	if (p >= end)
		return CTS_ERR_TRUNCATED;
	c = *p++;
	cfg.s = c & 15;
	cfg.k = (c >> 4) & 7;
	cfg.is_signed = (c >> 7) & 1;
	if (cfg.s > ANS_MAX_S || cfg.k > ANS_MAX_K || cfg.k > cfg.s)
		return CTS_ERR_BAD_BLOCK;
	if (get_varint_bounded(&p, end, &zc) != 0 ||
		get_varint_bounded(&p, end, &T64) != 0 ||
		get_varint_bounded(&p, end, &a64) != 0)
		return CTS_ERR_BAD_BLOCK;
	cfg.center = cts_unzz(zc);
	if (T64 < 1 || T64 > token_count(cfg.s, cfg.k) || a64 >= T64)
		return CTS_ERR_BAD_BLOCK;
	T = (uint32_t) T64;

	/* the table: every frequency but the absorber's, which takes the rest */
	cts_bitr_init(&br, p, (size_t) (end - p));
	cum = 0;
	{
		int			prev = 0;

		for (t = 0; t < T; t++)
		{
			int			delta;
			int			L;
			int			mb;
			uint64_t	mant = 0;

			{
				int			nraw;

				token_base(cfg.s, cfg.k, t, &tbase[t], &nraw);
				tnraw[t] = (uint8_t) nraw;
			}
			counts[t] = 0;
			if (t == a64)
			{
				freqs[t] = 0;
				continue;
			}
			if (get_len_delta(&br, &delta) != 0)
				return CTS_ERR_BAD_BLOCK;
			L = prev + delta;
			if (L < 0 || L > ANS_SCALE_BITS)
				return CTS_ERR_BAD_BLOCK;
			prev = L;
			mb = mant_bits(L);
			if (mb > 0 && cts_bitr_get(&br, mb, &mant) != 0)
				return CTS_ERR_BAD_BLOCK;
			freqs[t] = L == 0 ? 0 :
				(uint32_t) ((UINT64_C(1) << (L - 1)) | (mant << (L - 1 - mb)));
			if (freqs[t] > ANS_M - cum)
				return CTS_ERR_BAD_BLOCK;
			cum += freqs[t];
		}
		if (cum >= ANS_M)
			return CTS_ERR_BAD_BLOCK;
		freqs[a64] = ANS_M - cum;
		cum = ANS_M;
	}
	if (freqs[T - 1] == 0)
		return CTS_ERR_BAD_BLOCK;
	/* the table's bytes end at the next byte boundary, padded with zeros */
	{
		size_t		used = br.pos - (size_t) (br.nacc / 8);
		int			padbits = br.nacc % 8;

		if (padbits > 0 && (br.acc & ((UINT64_C(1) << padbits) - 1)) != 0)
			return CTS_ERR_BAD_BLOCK;
		p += used;
	}
	cum = 0;
	for (t = 0; t < T; t++)
	{
		ans_fill(lut + cum, freqs[t], ANS_SLOT(freqs[t], cum, t));
		cum += freqs[t];
	}

	/* the streams */
	if (get_varint_bounded(&p, end, &rans_bytes) != 0 ||
		rans_bytes > (uint64_t) (end - p) || (rans_bytes & 1) ||
		rans_bytes < 4 * ANS_STATES)
		return CTS_ERR_BAD_BLOCK;
	w = p;
	wend = p + rans_bytes;
	p = wend;
	if (get_varint_bounded(&p, end, &raw_bytes) != 0 ||
		raw_bytes > (uint64_t) (end - p))
		return CTS_ERR_BAD_BLOCK;
	cts_bitr_init(&br, p, (size_t) raw_bytes);

	for (i = 0; i < ANS_STATES; i++)
	{
		st[i] = ((uint32_t) cts_get_u16(w) << 16) | cts_get_u16(w + 2);
		w += 4;
		if (st[i] < ANS_L)
			return CTS_ERR_BAD_BLOCK;
	}

	{
		/*
		 * Two passes, each a short loop the CPU overlaps well.  Pass 1 runs
		 * the four rANS states (in registers, one symbol each per round) and
		 * writes each token as a u16 into the last quarter of x[]; pass 2
		 * reads the raw bits and forms the values front to back.  x[i] is
		 * written only after token i was read, and overlaps only tokens
		 * j <= i, so the two share x[] safely.
		 */
		uint16_t   *toks = (uint16_t *) (void *) ((uint8_t *) x + 6 * lim);
		uint32_t	s0 = st[0],
					s1 = st[1],
					s2 = st[2],
					s3 = st[3],
					s4 = st[4],
					s5 = st[5],
					s6 = st[6],
					s7 = st[7];
		size_t		rounds = lim / 8;
		size_t		r;
		const uint8_t *rp = p;
		size_t		rbits = 0;
		size_t		rlen = (size_t) raw_bytes;
		uint64_t	sign_mask = cfg.is_signed ? ~UINT64_C(0) : 0;
		uint64_t	center = (uint64_t) cfg.center;

#define ANS_DEC(S, OUT) \
		do { \
			uint32_t	slot_ = (S) & (ANS_M - 1); \
			uint64_t	e_ = lut[slot_]; \
			(OUT) = (uint16_t) (e_ >> 32); \
			(S) = (uint32_t) (e_ & 0xFFFF) * ((S) >> ANS_SCALE_BITS) + \
				slot_ - (uint32_t) ((e_ >> 16) & 0xFFFF); \
		} while (0)
#define ANS_RENORM_FAST(S) \
		do { \
			if ((S) < ANS_L) \
			{ \
				(S) = ((S) << 16) | cts_get_u16(w); \
				w += 2; \
			} \
		} while (0)
#define ANS_RENORM(S) \
		do { \
			if ((S) < ANS_L) \
			{ \
				if (w >= wend) \
					return CTS_ERR_BAD_BLOCK; \
				(S) = ((S) << 16) | cts_get_u16(w); \
				w += 2; \
			} \
		} while (0)

		for (r = 0; r < rounds; r++)
		{
			uint16_t   *t8 = toks + 8 * r;

			ANS_DEC(s0, t8[0]);
			ANS_DEC(s1, t8[1]);
			ANS_DEC(s2, t8[2]);
			ANS_DEC(s3, t8[3]);
			ANS_DEC(s4, t8[4]);
			ANS_DEC(s5, t8[5]);
			ANS_DEC(s6, t8[6]);
			ANS_DEC(s7, t8[7]);
			if (wend - w >= 16)
			{
				/* room for every renormalisation of this round */
				ANS_RENORM_FAST(s0);
				ANS_RENORM_FAST(s1);
				ANS_RENORM_FAST(s2);
				ANS_RENORM_FAST(s3);
				ANS_RENORM_FAST(s4);
				ANS_RENORM_FAST(s5);
				ANS_RENORM_FAST(s6);
				ANS_RENORM_FAST(s7);
			}
			else
			{
				ANS_RENORM(s0);
				ANS_RENORM(s1);
				ANS_RENORM(s2);
				ANS_RENORM(s3);
				ANS_RENORM(s4);
				ANS_RENORM(s5);
				ANS_RENORM(s6);
				ANS_RENORM(s7);
			}
		}
		{
			uint32_t	sv[ANS_STATES];

			sv[0] = s0;
			sv[1] = s1;
			sv[2] = s2;
			sv[3] = s3;
			sv[4] = s4;
			sv[5] = s5;
			sv[6] = s6;
			sv[7] = s7;
			for (i = 8 * rounds; i < lim; i++)
			{
				uint32_t   *sp = &sv[i & (ANS_STATES - 1)];

				ANS_DEC(*sp, toks[i]);
				ANS_RENORM(*sp);
			}
			/* a prefix stops short of where the encoder started */
			for (i = 0; i < ANS_STATES && lim == m; i++)
				if (sv[i] != ANS_L)
					return CTS_ERR_BAD_BLOCK;
		}
#undef ANS_DEC
#undef ANS_RENORM_FAST
#undef ANS_RENORM
		if (lim == m && w != wend)
			return CTS_ERR_BAD_BLOCK;

		/* pass 2: raw bits, values */
		for (i = 0; i < lim; i++)
		{
			uint32_t	tk = toks[i];
			int			nr = tnraw[tk];
			uint64_t	raw;
			uint64_t	v;

			if (verify)
				counts[tk]++;
			if ((rbits >> 3) + 16 <= rlen)
			{
				/* two loads cover any width up to 63 from this bit */
				uint64_t	lo = cts_get_u64(rp + (rbits >> 3)) >> (rbits & 7);

				if (nr <= 56)
					raw = lo & ((UINT64_C(1) << nr) - 1);
				else
				{
					int			have = 64 - (int) (rbits & 7);
					uint64_t	hi = cts_get_u64(rp + (rbits >> 3) + 8);

					raw = (lo | (have < 64 ? hi << have : 0)) &
						((UINT64_C(1) << nr) - 1);
				}
			}
			else
			{
				/* the last bytes, bit by bit */
				int			b;

				if (rbits + (size_t) nr > 8 * rlen)
					return CTS_ERR_BAD_BLOCK;
				raw = 0;
				for (b = 0; b < nr; b++)
					raw |= (uint64_t) ((rp[(rbits + b) >> 3] >> ((rbits + b) & 7)) & 1) << b;
			}
			rbits += (size_t) nr;
			v = tbase[tk] + raw;
			/* unzigzag when signed, then add the centre */
			v = (((v >> 1) ^ (UINT64_C(0) - (v & 1))) & sign_mask) | (v & ~sign_mask);
			x[i] = (int64_t) (v + center);
		}
		/* the raw stream is used up but for less than a byte of zero padding */
		if (lim == m &&
			((rbits + 7) / 8 != rlen ||
			 ((rbits & 7) && (rp[rlen - 1] >> (rbits & 7)) != 0)))
			return CTS_ERR_BAD_BLOCK;
	}

	if (verify)
	{
		/* canonical: the table the encoder derives from these tokens, its centre */
		uint32_t	a2;

		if (normalize_freqs(counts, T, m, check, &a2) != 0 || a2 != a64 ||
			memcmp(check, freqs, T * sizeof(uint32_t)) != 0)
			return CTS_ERR_BAD_BLOCK;
		if (cfg.is_signed)
		{
			if (cfg.center != sample_median(x, m))
				return CTS_ERR_BAD_BLOCK;
		}
		else
		{
			int64_t		mn = x[0];

			for (i = 1; i < m; i++)
				if (x[i] < mn)
					mn = x[i];
			if (cfg.center != mn)
				return CTS_ERR_BAD_BLOCK;
		}
	}
	*pp = p + raw_bytes;
	return CTS_OK;
}

/*
 * cts_iseq_decode
 *		Decode m values; m == 0 consumes nothing.
 */
static cts_status iseq_decode_upto(const uint8_t *p, size_t len, size_t *used,
								   int64_t *x, size_t m, size_t lim, int verify);

cts_status
cts_iseq_decode(const uint8_t *p, size_t len, size_t *used, int64_t *x,
				size_t m, int verify)
{
	return iseq_decode_upto(p, len, used, x, m, m, verify);
}

/*
 * iseq_decode_upto
 *		Decode the first lim of m values (lim <= m; lim < m only without
 *		verify): *used is the whole sequence's length all the same, and
 *		x[] needs room for lim values only.  What cannot be checked without
 *		the rest (the final rANS states, the padding) is not; every read
 *		stays in bounds.
 */
static cts_status
iseq_decode_upto(const uint8_t *p, size_t len, size_t *used, int64_t *x,
				 size_t m, size_t lim, int verify)
{
	const uint8_t *q = p;
	const uint8_t *end = p + len;
	cts_status	s;

	*used = 0;
	if (lim > m || (verify && lim != m))
		return CTS_ERR_BAD_ARGUMENT;
	if (m == 0)
		return CTS_OK;
	if (len < 1)
		return CTS_ERR_TRUNCATED;
	switch (*q++)
	{
		case CTS_S_CONST:
			{
				uint64_t	z;
				int64_t		v;
				size_t		i;

				if (get_varint_bounded(&q, end, &z) != 0)
					return CTS_ERR_BAD_BLOCK;
				v = cts_unzz(z);
				for (i = 0; i < lim; i++)
					x[i] = v;
				break;
			}
		case CTS_S_PACK:
			s = decode_pack(&q, end, x, m, lim, verify);
			if (s != CTS_OK)
				return s;
			break;
		case CTS_S_ANS:
			if (m < 16)
				return CTS_ERR_BAD_BLOCK;	/* the encoder packs those */
			s = decode_ans(&q, end, x, m, lim, verify);
			if (s != CTS_OK)
				return s;
			break;
		default:
			return CTS_ERR_BAD_BLOCK;
	}
	*used = (size_t) (q - p);
	return CTS_OK;
}

/* ----------------------------------------------------------------
 *		Predicted sequences
 * ----------------------------------------------------------------
 */

size_t
cts_pseq_bound(size_t n)
{
	return 1 + 10 + 10 + cts_iseq_bound(n);
}

/*
 * cts_pseq_encode
 *		Predictor byte, period, first value, residual sequence.
 */
cts_status
cts_pseq_encode(const int64_t *x, size_t n, int pred, uint32_t P, int64_t *r,
				uint8_t *out, size_t cap, size_t *len,
				void *scratch, size_t scratch_len)
{
	uint8_t    *p = out;
	uint8_t    *end = out + cap;
	size_t		m;
	size_t		ilen;
	cts_status	s;

	if (n == 0)
		return CTS_ERR_BAD_ARGUMENT;
	if (cap < 1)
		return CTS_ERR_BUFFER_TOO_SMALL;
	if (pred == CTS_P_SEASONAL && (P < 2 || P >= n))
		pred = CTS_P_DELTA;
	if (n == 1 && pred != CTS_P_NONE)
		pred = CTS_P_DELTA;
	*p++ = (uint8_t) pred;
	if (pred == CTS_P_SEASONAL &&
		cts_put_varint_checked(&p, end, P) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	if (pred != CTS_P_NONE &&
		cts_put_varint_checked(&p, end, cts_zz(x[0])) != 0)
		return CTS_ERR_BUFFER_TOO_SMALL;
	m = cts_predict(x, n, pred, P, r);
	s = cts_iseq_encode(r, m, pred == CTS_P_NONE ? CTS_HINT_UNSIGNED : CTS_HINT_SIGNED,
						p, (size_t) (end - p), &ilen, scratch, scratch_len);
	if (s != CTS_OK)
		return s;
	*len = (size_t) (p - out) + ilen;
	return CTS_OK;
}

/*
 * cts_pseq_decode
 *		Inverse of cts_pseq_encode.
 */
cts_status
cts_pseq_decode(const uint8_t *p, size_t len, size_t *used, int64_t *x,
				size_t n, int *pred_out, uint32_t *P_out, int verify)
{
	return cts_pseq_decode_upto(p, len, used, x, n, n, pred_out, P_out, verify);
}

/*
 * cts_pseq_decode_upto
 *		The first lim (1 <= lim <= n) of the n values (lim < n only without
 *		verify); *used is the whole sequence's length.  The predictors run
 *		front to back, so a prefix costs what its length costs.
 */
cts_status
cts_pseq_decode_upto(const uint8_t *p, size_t len, size_t *used, int64_t *x,
					 size_t n, size_t lim, int *pred_out, uint32_t *P_out, int verify)
{
	const uint8_t *q = p;
	const uint8_t *end = p + len;
	int			pred;
	uint64_t	P = 0;
	size_t		ilen;
	cts_status	s;

	if (n == 0 || lim < 1 || lim > n || (verify && lim != n))
		return CTS_ERR_BAD_ARGUMENT;
	if (len < 1)
		return CTS_ERR_TRUNCATED;
	pred = *q++;
	if (pred > CTS_P_SEASONAL)
		return CTS_ERR_BAD_BLOCK;
	if (pred == CTS_P_SEASONAL)
	{
		if (get_varint_bounded(&q, end, &P) != 0 || P < 2 || P >= n)
			return CTS_ERR_BAD_BLOCK;
	}
	if (n == 1 && pred != CTS_P_NONE && pred != CTS_P_DELTA)
		return CTS_ERR_BAD_BLOCK;
	if (pred == CTS_P_NONE)
	{
		s = iseq_decode_upto(q, (size_t) (end - q), &ilen, x, n, lim, verify);
		if (s != CTS_OK)
			return s;
	}
	else
	{
		uint64_t	z;

		if (get_varint_bounded(&q, end, &z) != 0)
			return CTS_ERR_BAD_BLOCK;
		x[0] = cts_unzz(z);
		s = iseq_decode_upto(q, (size_t) (end - q), &ilen, x + 1, n - 1, lim - 1, verify);
		if (s != CTS_OK)
			return s;
		cts_unpredict(x, lim, pred, (uint32_t) P);
	}
	*used = (size_t) (q - p) + ilen;
	if (pred_out)
		*pred_out = pred;
	if (P_out)
		*P_out = (uint32_t) P;
	return CTS_OK;
}
