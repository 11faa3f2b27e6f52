/*-------------------------------------------------------------------------
 *
 * iseq.h
 *	  Integer sequences of format 2: predictors, bit I/O, and the coder that
 *	  picks CONST, PACK or entropy-coded ANS for a sequence of int64.
 *	  Internal to the codec.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/iseq.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_ISEQ_H
#define CTS_ISEQ_H

#include "codec_internal.h"
#include "format2.h"

/* predictors (format2.h) */
#define CTS_P_NONE			0
#define CTS_P_DELTA			1
#define CTS_P_DELTA2		2
#define CTS_P_SEASONAL		3

/* ---- LSB-first bit writer and reader ---- */

typedef struct cts_bitw
{
	uint8_t    *p;				/* NULL: count only */
	size_t		cap;			/* bytes at p */
	size_t		len;			/* bytes completed */
	uint64_t	acc;			/* pending bits, LSB first */
	int			nacc;			/* pending bit count, < 64 */
	int			overflow;		/* a write past cap was refused */
} cts_bitw;

static inline void
cts_bitw_init(cts_bitw *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->acc = 0;
	w->nacc = 0;
	w->overflow = 0;
}

/* append the low n bits of v (0 <= n <= 64) */
static inline void
cts_bitw_put(cts_bitw *w, uint64_t v, int n)
{
	if (n == 0)
		return;
	if (n < 64)
		v &= (UINT64_C(1) << n) - 1;
	if (w->nacc + n < 64)
	{
		w->acc |= v << w->nacc;
		w->nacc += n;
		return;
	}
	{
		int			first = 64 - w->nacc;
		uint64_t	full = w->acc | (first == 64 ? v : v << w->nacc);
		int			k;

		if (w->p != NULL && w->cap - w->len < 8)
			w->overflow = 1;
		else
		{
			if (w->p != NULL)
				for (k = 0; k < 8; k++)
					w->p[w->len + k] = (uint8_t) (full >> (8 * k));
			w->len += 8;
		}
		w->acc = first == 64 ? 0 : v >> first;
		w->nacc = n - first;
	}
}

/* flush the pending bits, zero-padded to a byte; returns the byte length */
static inline size_t
cts_bitw_finish(cts_bitw *w)
{
	while (w->nacc > 0)
	{
		if (w->p != NULL && w->len >= w->cap)
			w->overflow = 1;
		else
		{
			if (w->p != NULL)
				w->p[w->len] = (uint8_t) w->acc;
			w->len++;
		}
		w->acc >>= 8;
		w->nacc = w->nacc > 8 ? w->nacc - 8 : 0;
	}
	return w->len;
}

typedef struct cts_bitr
{
	const uint8_t *p;
	size_t		len;			/* bytes */
	size_t		pos;			/* next byte to load */
	uint64_t	acc;
	int			nacc;
} cts_bitr;

static inline void
cts_bitr_init(cts_bitr *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
	r->acc = 0;
	r->nacc = 0;
}

static inline void
cts_bitr_refill(cts_bitr *r)
{
	if (r->len - r->pos >= 8)
	{
		/* claim whole bytes of one 8-byte load: at least 56 bits then */
		int			bytes = (63 - r->nacc) >> 3;
		uint64_t	w = cts_get_u64(r->p + r->pos);

		if (bytes < 8)
			w &= (UINT64_C(1) << (8 * bytes)) - 1;
		r->acc |= r->nacc == 64 ? 0 : w << r->nacc;
		r->pos += bytes;
		r->nacc += 8 * bytes;
		return;
	}
	while (r->nacc <= 56 && r->pos < r->len)
	{
		r->acc |= (uint64_t) r->p[r->pos++] << r->nacc;
		r->nacc += 8;
	}
}

/*
 * Read n bits (0 <= n <= 64) into *out.  Returns 0, or -1 when the stream
 * has fewer bits left.
 */
static inline int
cts_bitr_get(cts_bitr *r, int n, uint64_t *out)
{
	uint64_t	v;

	if (n == 0)
	{
		*out = 0;
		return 0;
	}
	if (r->nacc < n)
		cts_bitr_refill(r);
	if (r->nacc >= n)
	{
		v = n == 64 ? r->acc : r->acc & ((UINT64_C(1) << n) - 1);
		r->acc = n == 64 ? 0 : r->acc >> n;
		r->nacc -= n;
		*out = v;
		return 0;
	}
	else
	{
		/* n > what one refill holds (n > 56): two parts */
		int			a = r->nacc;
		uint64_t	lo = r->acc;
		uint64_t	hi;

		if (a == 0)
			return -1;
		r->acc = 0;
		r->nacc = 0;
		cts_bitr_refill(r);
		if (r->nacc < n - a)
			return -1;
		hi = r->acc & ((UINT64_C(1) << (n - a)) - 1);
		r->acc >>= (n - a);
		r->nacc -= n - a;
		*out = lo | (hi << a);
		return 0;
	}
}

/*
 * After the last read: every remaining bit of the stream must be zero
 * padding, less than a byte of it.  Returns 0 if so.
 */
static inline int
cts_bitr_finish(cts_bitr *r)
{
	if (r->pos != r->len || r->nacc >= 8)
		return -1;
	return r->acc == 0 ? 0 : -1;
}

/* ---- small helpers ---- */

static inline int
cts_bitlen64(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
	return v == 0 ? 0 : 64 - __builtin_clzll(v);
#else
	int			n = 0;

	while (v)
	{
		v >>= 1;
		n++;
	}
	return n;
#endif
}

static inline uint64_t
cts_zz(int64_t v)
{
	return cts_zigzag((uint64_t) v);
}

static inline int64_t
cts_unzz(uint64_t z)
{
	return (int64_t) cts_unzigzag(z);
}

/* ---- predictors ---- */

/*
 * Residuals of x[0..n) under predictor pred (period P for SEASONAL), into
 * r: r[0..n) for NONE, r[0..n-1) (the residuals of x[1..n)) otherwise.
 * Returns the number of residuals.
 */
extern size_t cts_predict(const int64_t *x, size_t n, int pred, uint32_t P,
						  int64_t *r);

/*
 * Inverse, in place: x[1..n) hold the residuals on entry, x[0] the first
 * value (the caller puts it there); on exit x[0..n) are the values.
 * (NONE: nothing to do.)
 */
extern void cts_unpredict(int64_t *x, size_t n, int pred, uint32_t P);

/*
 * Cheap cost proxy of a predictor on x: the sum of the bit lengths of the
 * zigzagged residuals, plus what the first value costs.
 */
extern uint64_t cts_predict_proxy(const int64_t *x, size_t n, int pred,
								  uint32_t P);

/* ---- integer sequences ---- */

/* which centring of an ANS sequence to consider (the encoder's choice) */
#define CTS_HINT_BOTH		0
#define CTS_HINT_SIGNED		1	/* residuals: zigzag around the median */
#define CTS_HINT_UNSIGNED	2	/* raw values: offsets from the minimum */

/*
 * Encode x[0..m) as an integer sequence (format2.h) into out[0..cap);
 * *len receives the bytes written.  scratch must hold
 * cts_iseq_scratch_size(m) bytes.  Returns CTS_ERR_BUFFER_TOO_SMALL if cap
 * is too small.
 */
extern size_t cts_iseq_scratch_size(size_t m);
extern cts_status cts_iseq_encode(const int64_t *x, size_t m, int hint,
								  uint8_t *out, size_t cap, size_t *len,
								  void *scratch, size_t scratch_len);

/* Worst-case encoded size of m values (PACK at 64 bits plus headers). */
extern size_t cts_iseq_bound(size_t m);

/* Estimated encoded size in bytes (for choosing between candidates). */
extern double cts_iseq_estimate(const int64_t *x, size_t m, int hint);

/*
 * Decode m values from p[0..len) into x; *used receives the bytes
 * consumed.  Never reads past len; checks every length, the rANS states and
 * the padding.  With verify, also the canonical form (the PACK base and
 * width, the ANS table and centre).
 */
extern cts_status cts_iseq_decode(const uint8_t *p, size_t len, size_t *used,
								  int64_t *x, size_t m, int verify);

/*
 * A predicted sequence (predictor byte, period, first value, residuals):
 * encode x[0..n), n >= 1, with the given predictor; residual scratch r holds
 * n values; scratch for the iseq coder.
 */
extern cts_status cts_pseq_encode(const int64_t *x, size_t n, int pred,
								  uint32_t P, int64_t *r,
								  uint8_t *out, size_t cap, size_t *len,
								  void *scratch, size_t scratch_len);
extern size_t cts_pseq_bound(size_t n);

/*
 * Decode a predicted sequence of n >= 1 values into x; *pred and *P receive
 * the predictor (for introspection).
 */
extern cts_status cts_pseq_decode(const uint8_t *p, size_t len, size_t *used,
								  int64_t *x, size_t n, int *pred, uint32_t *P,
								  int verify);

/*
 * The first lim (1 <= lim <= n) of those n values, into x (room for lim);
 * *used is the whole sequence's length.  lim < n only without verify.
 */
extern cts_status cts_pseq_decode_upto(const uint8_t *p, size_t len, size_t *used,
									   int64_t *x, size_t n, size_t lim,
									   int *pred, uint32_t *P, int verify);

/*
 * Choose a predictor for x[0..n): the best of NONE, DELTA, DELTA2 and
 * SEASONAL with each of the candidate periods (periods[0..nperiods)) by the
 * proxy.  *P receives the period.
 */
extern int	cts_choose_predictor(const int64_t *x, size_t n,
								 const uint32_t *periods, int nperiods,
								 uint32_t *P);

/* varint helpers with bounds (shared by enc2/dec2) */
static inline int
cts_put_varint_checked(uint8_t **pp, uint8_t *end, uint64_t v)
{
	if ((size_t) (end - *pp) < cts_varint_size(v))
		return -1;
	*pp = cts_put_varint(*pp, v);
	return 0;
}

#endif							/* CTS_ISEQ_H */
