/*-------------------------------------------------------------------------
 *
 * testutil.h
 *	  Codec-specific helpers shared by the unit tests and the fuzz targets.
 *
 * Three things live here, all written from format.h and codec.h alone (never
 * from the implementation), so they double as an executable reading of the
 * specification:
 *
 *	- small utilities: a deterministic RNG, little-endian byte access,
 *	  status names, encode/decode wrappers that size buffers exactly (so
 *	  AddressSanitizer sees any write or read past them);
 *	- tu_ref_encode(): an independent reference encoder that lays out the
 *	  header, the block index, the QUANT16 codes and the delta-of-delta
 *	  varint tokens field by field as format.h describes them.  Only the
 *	  quantizer (cts_quant16_encode/decode: the spec fixes its decode
 *	  formula and its canonical property, not its rounding rule) and the
 *	  Neumaier sum (cts_sum) are taken from the library; both have tests of
 *	  their own;
 *	- tu_check_value(): the oracle.  Given bytes the codec accepted or
 *	  produced (and, when known, the original points) it checks everything
 *	  the format promises: bulk and block-by-block decoding agree, exact
 *	  summaries match the decoded values, the header is derived from the
 *	  index, every point lies within max_error of its original, and
 *	  re-encoding the decoded points with the index's block specs gives the
 *	  same bytes, both through the codec and through the reference encoder.
 *
 * The includer defines OC_CHECK(cond, fmt, ...) first: the unit tests map it
 * onto the harness, the fuzz targets onto abort().
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/testutil.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_TESTUTIL_H
#define CTS_TESTUTIL_H

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "format.h"

#ifndef OC_CHECK
#error "define OC_CHECK(cond, fmt, ...) before including testutil.h"
#endif

/* ---------------------------------------------------------------- RNG -- */

static uint64_t tu_rng_state = 0x9E3779B97F4A7C15ULL;

static inline void
tu_seed(uint64_t seed)
{
	/* splitmix64 scramble so that small seeds give unrelated streams */
	uint64_t	z = seed + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	tu_rng_state = (z ^ (z >> 31)) | 1;
}

static inline uint64_t
tu_rand64(void)
{
	/* xorshift64* */
	tu_rng_state ^= tu_rng_state >> 12;
	tu_rng_state ^= tu_rng_state << 25;
	tu_rng_state ^= tu_rng_state >> 27;
	return tu_rng_state * 0x2545F4914F6CDD1DULL;
}

/* uniform in [0, n) (n > 0) */
static inline uint64_t
tu_randn(uint64_t n)
{
	return tu_rand64() % n;
}

/* uniform double in [0, 1) */
static inline double
tu_randu(void)
{
	return (double) (tu_rand64() >> 11) * (1.0 / 9007199254740992.0);
}

/* approximately standard normal (Irwin-Hall, 12 uniforms) */
static inline double
tu_randnorm(void)
{
	double		s = 0;
	int			i;

	for (i = 0; i < 12; i++)
		s += tu_randu();
	return s - 6.0;
}

static inline double
tu_bits2d(uint64_t u)
{
	double		d;

	memcpy(&d, &u, sizeof d);
	return d;
}

static inline uint64_t
tu_d2bits(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof u);
	return u;
}

/* a random finite double from random bits (any magnitude, denormals too) */
static inline double
tu_rand_finite(void)
{
	for (;;)
	{
		double		d = tu_bits2d(tu_rand64());

		if (isfinite(d))
			return d;
	}
}

/* -0.0 is stored as 0.0 (format.h) */
static inline double
tu_norm(double v)
{
	return v == 0.0 ? 0.0 : v;
}

/* distance from a to the next representable double towards zero (a finite) */
static inline double
tu_ulp(double a)
{
	a = fabs(a);
	if (a == 0.0)
		return nextafter(0.0, 1.0);
	return a - nextafter(a, 0.0);
}

/* --------------------------------------------------------- byte access -- */

static inline uint16_t
tu_get_u16(const uint8_t *p)
{
	return (uint16_t) (p[0] | (p[1] << 8));
}

static inline uint32_t
tu_get_u32(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) |
		((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static inline uint64_t
tu_get_u64(const uint8_t *p)
{
	return (uint64_t) tu_get_u32(p) | ((uint64_t) tu_get_u32(p + 4) << 32);
}

static inline int64_t
tu_get_i64(const uint8_t *p)
{
	uint64_t	u = tu_get_u64(p);
	int64_t		i;

	memcpy(&i, &u, sizeof i);
	return i;
}

static inline double
tu_get_f64(const uint8_t *p)
{
	return tu_bits2d(tu_get_u64(p));
}

static inline void
tu_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
}

static inline void
tu_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

static inline void
tu_put_u64(uint8_t *p, uint64_t v)
{
	tu_put_u32(p, (uint32_t) v);
	tu_put_u32(p + 4, (uint32_t) (v >> 32));
}

static inline void
tu_put_i64(uint8_t *p, int64_t v)
{
	uint64_t	u;

	memcpy(&u, &v, sizeof u);
	tu_put_u64(p, u);
}

static inline void
tu_put_f64(uint8_t *p, double v)
{
	tu_put_u64(p, tu_d2bits(v));
}

/* ------------------------------------------------------- status names -- */

#define TU_NSTATUS ((int) CTS_ERR_BAD_CHECKSUM + 1)

static inline const char *
tu_status_name(cts_status s)
{
	switch (s)
	{
		case CTS_OK:
			return "CTS_OK";
		case CTS_ERR_TRUNCATED:
			return "CTS_ERR_TRUNCATED";
		case CTS_ERR_BAD_VERSION:
			return "CTS_ERR_BAD_VERSION";
		case CTS_ERR_BAD_FLAGS:
			return "CTS_ERR_BAD_FLAGS";
		case CTS_ERR_BAD_CODEC:
			return "CTS_ERR_BAD_CODEC";
		case CTS_ERR_BAD_HEADER:
			return "CTS_ERR_BAD_HEADER";
		case CTS_ERR_BAD_INDEX:
			return "CTS_ERR_BAD_INDEX";
		case CTS_ERR_BAD_BLOCK:
			return "CTS_ERR_BAD_BLOCK";
		case CTS_ERR_BAD_TIMESTAMPS:
			return "CTS_ERR_BAD_TIMESTAMPS";
		case CTS_ERR_BAD_SUMMARY:
			return "CTS_ERR_BAD_SUMMARY";
		case CTS_ERR_TRAILING:
			return "CTS_ERR_TRAILING";
		case CTS_ERR_NONFINITE:
			return "CTS_ERR_NONFINITE";
		case CTS_ERR_UNSORTED:
			return "CTS_ERR_UNSORTED";
		case CTS_ERR_TOO_MANY_POINTS:
			return "CTS_ERR_TOO_MANY_POINTS";
		case CTS_ERR_BAD_ARGUMENT:
			return "CTS_ERR_BAD_ARGUMENT";
		case CTS_ERR_OFF_GRID:
			return "CTS_ERR_OFF_GRID";
		case CTS_ERR_BUFFER_TOO_SMALL:
			return "CTS_ERR_BUFFER_TOO_SMALL";
		case CTS_ERR_INTERRUPTED:
			return "CTS_ERR_INTERRUPTED";
		case CTS_ERR_BAD_CHECKSUM:
			return "CTS_ERR_BAD_CHECKSUM";
	}
	return "(status out of range)";
}

/* --------------------------------------------------------- the oracle -- */

/*
 * One check of the oracle: counts as one check of the includer's OC_CHECK,
 * with the caller's label and the testutil.h line in the message.
 */
static inline int
tu_c_(int cond, int line, const char *label, const char *fmt,...)
{
	char		msg[768];
	va_list		ap;

	if (cond)
		return OC_CHECK(1, "%s", "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return OC_CHECK(0, "%s: %s (testutil.h:%d)", label, msg, line);
}
#define TU_C(cond, ...) tu_c_(!!(cond), __LINE__, label, __VA_ARGS__)

/*
 * Relaxations for fuzzing around known, reported issues (the unit tests
 * never set them):
 *	tu_lax_canonical: accept values whose bytes are not what the encoder
 *		would write (re-encoding must still succeed and decode to the same
 *		points); skips the quantizer fixed-point check.
 *	tu_lax_sums: accept +-Infinity block sums and a NaN header sum from
 *		overflowing sums, and skip the sum plausibility bound.
 */
static int	tu_lax_canonical = 0;
static int	tu_lax_sums = 0;

/* ------------------------------------------------- reference encoder -- */

typedef struct tu_buf
{
	uint8_t    *p;
	size_t		len;
	size_t		cap;
} tu_buf;

static inline void
tu_buf_need(tu_buf *b, size_t more)
{
	if (b->len + more > b->cap)
	{
		size_t		ncap = (b->cap ? b->cap * 2 : 256);

		while (ncap < b->len + more)
			ncap *= 2;
		b->p = (uint8_t *) realloc(b->p, ncap);
		if (!b->p)
		{
			fprintf(stderr, "out of memory\n");
			abort();
		}
		b->cap = ncap;
	}
}

static inline void
tu_buf_byte(tu_buf *b, uint8_t v)
{
	tu_buf_need(b, 1);
	b->p[b->len++] = v;
}

/* unsigned LEB128 */
static inline void
tu_buf_varint(tu_buf *b, uint64_t v)
{
	while (v >= 0x80)
	{
		tu_buf_byte(b, (uint8_t) (v | 0x80));
		v >>= 7;
	}
	tu_buf_byte(b, (uint8_t) v);
}

static inline uint64_t
tu_zigzag(uint64_t v)
{
	/* (n << 1) ^ (n >> 63) with an arithmetic shift, on the bit pattern */
	return (v << 1) ^ (0 - (v >> 63));
}

static inline size_t
tu_varint_len(uint64_t v)
{
	size_t		n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

/*
 * Append the delta-of-delta token stream of ts[0..n) to b, as format.h
 * describes: npoints - 1 dods, zigzag + LEB128, each run of zero dods written
 * as one zero token followed by varint (run length - 1).  Runs are maximal
 * (the only deterministic choice, needed for canonical bytes).
 */
static inline void
tu_ref_tokens(tu_buf *b, const int64_t *ts, size_t n)
{
	uint64_t	prev_delta = 0;
	size_t		i = 1;

	while (i < n)
	{
		uint64_t	delta = (uint64_t) ts[i] - (uint64_t) ts[i - 1];
		uint64_t	dod = delta - prev_delta;

		if (dod == 0)
		{
			size_t		j = i + 1;

			while (j < n && (uint64_t) ts[j] - (uint64_t) ts[j - 1] == prev_delta)
				j++;
			tu_buf_byte(b, 0);
			tu_buf_varint(b, (uint64_t) (j - i - 1));
			i = j;
		}
		else
		{
			tu_buf_varint(b, tu_zigzag(dod));
			prev_delta = delta;
			i++;
		}
	}
}

/* append nbits of v, most significant first, to a bit stream in b */
static inline void
tu_bits_put(tu_buf *b, size_t *bitpos, uint64_t v, int nbits)
{
	int			i;

	for (i = nbits - 1; i >= 0; i--)
	{
		if (*bitpos % 8 == 0)
			tu_buf_byte(b, 0);
		if ((v >> i) & 1)
			b->p[b->len - 1] |= (uint8_t) (0x80 >> (*bitpos % 8));
		(*bitpos)++;
	}
}

static inline int
tu_clz64(uint64_t x)
{
	int			n = 0;

	while (n < 64 && !(x & (UINT64_C(1) << (63 - n))))
		n++;
	return n;
}

static inline int
tu_ctz64(uint64_t x)
{
	int			n = 0;

	while (n < 64 && !(x & (UINT64_C(1) << n)))
		n++;
	return n;
}

/*
 * Append the GORILLA value bit stream of vals[0..n) to b (zero-padded to a
 * byte), as format.h describes it: 64 raw bits, then per value '0' (same
 * bits), '10' + bits in the previous window, or '11' + 6 bits leading zeros
 * + 6 bits (width - 1) + width bits, a new window only when the previous
 * cannot hold the XOR, and tight.
 */
static inline void
tu_ref_gorilla(tu_buf *b, const double *vals, size_t n)
{
	size_t		bitpos = 0,
				i;
	uint64_t	prev;
	int			lead = 0,
				width = 0;

	if (n == 0)
		return;
	prev = tu_d2bits(vals[0]);
	tu_bits_put(b, &bitpos, prev, 64);
	for (i = 1; i < n; i++)
	{
		uint64_t	cur = tu_d2bits(vals[i]);
		uint64_t	x = cur ^ prev;

		if (x == 0)
			tu_bits_put(b, &bitpos, 0, 1);
		else
		{
			int			lz = tu_clz64(x),
						tz = tu_ctz64(x);

			if (width > 0 && lz >= lead && tz >= 64 - lead - width)
			{
				tu_bits_put(b, &bitpos, 2, 2);
				tu_bits_put(b, &bitpos, x >> (64 - lead - width), width);
			}
			else
			{
				lead = lz;
				width = 64 - lz - tz;
				tu_bits_put(b, &bitpos, 3, 2);
				tu_bits_put(b, &bitpos, (uint64_t) lead, 6);
				tu_bits_put(b, &bitpos, (uint64_t) (width - 1), 6);
				tu_bits_put(b, &bitpos, x >> tz, width);
			}
		}
		prev = cur;
	}
}

/*
 * Reference encoding of pts[0..n) (sorted, finite; not checked).
 *
 * specs == NULL: split into blocks of block_points (0 = default), all with
 * codec (0 = default), and compute the summaries.  Otherwise take block
 * boundaries, codecs, sum and max_error from specs.  Returns a malloc'd
 * buffer and its length in *len, or NULL when a sum is not finite (the spec
 * does not say what the encoder must do then).
 */
static inline uint8_t *
tu_ref_encode(const cts_point *pts, size_t n, uint32_t block_points, uint8_t codec,
			  const cts_block_spec *specs, size_t nspecs, size_t *len)
{
	size_t		nblocks;
	size_t		b,
				start;
	tu_buf		out = {NULL, 0, 0};
	tu_buf		pay = {NULL, 0, 0};
	double	   *bsums;
	double		hmin = 0,
				hmax = 0,
				herr = 0;
	int64_t    *ts;
	uint8_t    *h;

	if (block_points == 0)
		block_points = CTS_DEFAULT_BLOCK_POINTS;
	if (codec == 0)
		codec = CTS_CODEC_DEFAULT;
	nblocks = specs ? nspecs : (n + block_points - 1) / block_points;
	if (n == 0)
		nblocks = 0;

	tu_buf_need(&out, CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * nblocks);
	memset(out.p, 0, CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * nblocks);
	out.len = CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * nblocks;
	bsums = (double *) calloc(nblocks + 1, sizeof(double));
	ts = (int64_t *) malloc((n + 1) * sizeof(int64_t));

	for (b = 0, start = 0; b < nblocks; b++)
	{
		size_t		cnt = specs ? specs[b].npoints : (n - start < block_points ? n - start : block_points);
		size_t		off = pay.len;
		double		mn = tu_norm(pts[start].value),
					mx = mn,
					err = 0,
					sum;
		double	   *vals = (double *) malloc(cnt * sizeof(double));
		int			constant;
		size_t		j;
		uint8_t    *e;
		uint8_t		bcodec = specs ? specs[b].codec : codec;

		for (j = 0; j < cnt; j++)
		{
			double		v = tu_norm(pts[start + j].value);

			vals[j] = v;
			ts[j] = pts[start + j].ts;
			if (v < mn)
				mn = v;
			if (v > mx)
				mx = v;
		}
		constant = (mn == mx);
		if (!constant && bcodec == CTS_CODEC_GORILLA)
		{
			size_t		lpos = pay.len;

			tu_buf_need(&pay, 4);
			pay.len += 4;
			tu_ref_gorilla(&pay, vals, cnt);
			tu_put_u32(pay.p + lpos, (uint32_t) (pay.len - lpos - 4));
		}
		else if (!constant)
		{
			for (j = 0; j < cnt; j++)
			{
				uint16_t	c = cts_quant16_encode(mn, mx, vals[j]);
				double		d = cts_quant16_decode(mn, mx, c);
				double		ae = fabs(vals[j] - d);

				if (ae > err)
					err = ae;
				tu_buf_need(&pay, 2);
				tu_put_u16(pay.p + pay.len, c);
				pay.len += 2;
			}
		}
		tu_ref_tokens(&pay, ts, cnt);
		sum = specs ? specs[b].sum : cts_sum(vals, cnt);
		if (specs)
			err = specs[b].max_error;
		free(vals);
		/* format.h: a block sum is +-Infinity past DBL_MAX, never NaN */
		if (isnan(sum))
		{
			free(bsums);
			free(ts);
			free(out.p);
			free(pay.p);
			return NULL;
		}
		bsums[b] = sum;

		e = out.p + CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * b;
		tu_put_u32(e + CTS_B_OFFSET, (uint32_t) off);
		tu_put_u32(e + CTS_B_LENGTH, (uint32_t) (pay.len - off));
		tu_put_u32(e + CTS_B_NPOINTS, (uint32_t) cnt);
		e[CTS_B_CODEC] = bcodec;
		e[CTS_B_FLAGS] = constant ? CTS_BLOCK_CONSTANT : 0;
		tu_put_i64(e + CTS_B_FIRST_TS, pts[start].ts);
		tu_put_i64(e + CTS_B_LAST_TS, pts[start + cnt - 1].ts);
		tu_put_f64(e + CTS_B_MIN, mn);
		tu_put_f64(e + CTS_B_MAX, mx);
		tu_put_f64(e + CTS_B_SUM, sum);
		tu_put_f64(e + CTS_B_MAX_ERROR, err);

		if (b == 0 || mn < hmin)
			hmin = mn;
		if (b == 0 || mx > hmax)
			hmax = mx;
		if (err > herr)
			herr = err;
		start += cnt;
	}

	h = out.p;
	h[CTS_H_VERSION] = CTS_FORMAT_VERSION;
	tu_put_u32(h + CTS_H_NPOINTS, (uint32_t) n);
	tu_put_u32(h + CTS_H_NBLOCKS, (uint32_t) nblocks);
	if (nblocks > 0)
	{
		/* format.h: +-Infinity, or the canonical NaN, when block sums overflowed */
		double		hsum = cts_sum(bsums, nblocks);

		tu_put_i64(h + CTS_H_FIRST_TS, pts[0].ts);
		tu_put_i64(h + CTS_H_LAST_TS, pts[n - 1].ts);
		tu_put_f64(h + CTS_H_MIN, hmin);
		tu_put_f64(h + CTS_H_MAX, hmax);
		tu_put_f64(h + CTS_H_SUM, hsum);
		tu_put_f64(h + CTS_H_MAX_ERROR, herr);
	}
	tu_buf_need(&out, pay.len);
	if (pay.len)
		memcpy(out.p + out.len, pay.p, pay.len);
	out.len += pay.len;
	free(pay.p);
	free(bsums);
	free(ts);
	*len = out.len;
	return out.p;
}

/* ---------------------------------------------- encode/decode helpers -- */

/*
 * Encode through the codec into a buffer of exactly cts_encoded_size() bytes
 * (at least 1 byte allocated).  Checks that cts_encoded_size() and
 * cts_encode() agree on status, bad_index and length, and that one byte less
 * of room gives CTS_ERR_BUFFER_TOO_SMALL.  Returns the buffer (caller frees)
 * or NULL when the codec refused; *st and *bad receive status and bad_index.
 */
static inline uint8_t *
tu_encode(const cts_point *pts, size_t n, const cts_encode_opts *opts,
		  size_t *len, cts_status *st, size_t *bad)
{
	const char *label = "tu_encode";
	size_t		size = 0,
				out_len = 0,
				bad1 = (size_t) -1,
				bad2 = (size_t) -1;
	cts_status	s1,
				s2;
	uint8_t    *out;

	s1 = cts_encoded_size(pts, n, opts, &size, &bad1);
	*st = s1;
	if (bad)
		*bad = bad1;
	*len = 0;
	if (s1 != CTS_OK)
	{
		/* cts_encode must refuse the same way, even with plenty of room */
		size_t		cap = CTS_HEADER_SIZE + 64 * (n + 1) + 16 * n;
		uint8_t    *tmp = (uint8_t *) malloc(cap);

		s2 = cts_encode(pts, n, opts, tmp, cap, &out_len, &bad2);
		TU_C(s2 == s1, "cts_encode gives %s, cts_encoded_size %s",
			 tu_status_name(s2), tu_status_name(s1));
		if (s1 == CTS_ERR_NONFINITE || s1 == CTS_ERR_UNSORTED || s1 == CTS_ERR_OFF_GRID)
			TU_C(bad1 == bad2, "bad_index differs: encoded_size %zu, encode %zu", bad1, bad2);
		free(tmp);
		return NULL;
	}
	out = (uint8_t *) malloc(size ? size : 1);
	if (size > 0)
	{
		s2 = cts_encode(pts, n, opts, out, size - 1, &out_len, &bad2);
		TU_C(s2 == CTS_ERR_BUFFER_TOO_SMALL,
			 "cts_encode with out_cap = size - 1 = %zu gives %s, expected CTS_ERR_BUFFER_TOO_SMALL",
			 size - 1, tu_status_name(s2));
	}
	out_len = (size_t) -1;
	s2 = cts_encode(pts, n, opts, out, size, &out_len, &bad2);
	*st = s2;
	if (!TU_C(s2 == CTS_OK, "cts_encode gives %s after cts_encoded_size gave CTS_OK",
			  tu_status_name(s2)))
	{
		free(out);
		return NULL;
	}
	TU_C(out_len == size, "cts_encode wrote %zu bytes, cts_encoded_size said %zu",
		 out_len, size);
	*len = out_len;
	return out;
}

/*
 * Decode a whole value with cts_decode into a malloc'd array of exactly
 * header npoints entries.  Returns NULL (and the status) on failure.  Values
 * whose header claims more than max_points points are not allocated
 * (status CTS_ERR_TOO_MANY_POINTS is reported then, never by the codec).
 */
static inline cts_point *
tu_decode(const uint8_t *buf, size_t len, size_t max_points,
		  size_t *npoints, cts_status *st)
{
	cts_header	h;
	cts_point  *pts;

	*npoints = 0;
	*st = cts_read_header(buf, len, &h);
	if (*st != CTS_OK)
		return NULL;
	if (h.npoints > max_points)
	{
		*st = CTS_ERR_TOO_MANY_POINTS;
		return NULL;
	}
	pts = (cts_point *) malloc((h.npoints ? h.npoints : 1) * sizeof(cts_point));
	*st = cts_decode(buf, len, pts, h.npoints);
	if (*st != CTS_OK)
	{
		free(pts);
		return NULL;
	}
	*npoints = h.npoints;
	return pts;
}

/* ---------------------------------------------------------- the oracle -- */

typedef struct tu_expect
{
	const cts_point *orig;		/* original points, or NULL if unknown */
	size_t		n;				/* number of original points */
	uint32_t	block_points;	/* expected split (0: don't check) */
	int			computed;		/* summaries computed by the encoder from orig */
	uint8_t		codec;			/* expected codec of every block (0: don't check) */
} tu_expect;

/*
 * Check a value (buf, len) that the codec produced or accepted.
 *
 * With ex == NULL (fuzzing: originals unknown) it checks the self-consistency
 * the format promises; with ex->orig it also checks the round trip: exact
 * timestamps, every value within block and header max_error, and (when
 * ex->computed) exact summaries and an exactly measured max_error.
 *
 * Returns 1 if every check passed.
 */
static inline int
tu_check_value(const char *label, const uint8_t *buf, size_t len,
			   const tu_expect *ex)
{
	cts_header	h,
				h64;
	cts_status	st;
	cts_point  *pts = NULL;
	int			ok = 1;
	size_t		npts = 0;
	uint32_t	b;
	uint64_t	total = 0;
	uint64_t	expect_off = 0;
	double		hmin = 0,
				hmax = 0,
				herr = 0;
	double	   *bsums = NULL;
	cts_block_spec *specs = NULL;
	int64_t    *bts = NULL;
	double	   *bvals = NULL;
	size_t		start = 0;
	size_t		data_off;
	int64_t		prev_last = INT64_MIN;

	st = cts_validate(buf, len);
	if (!TU_C(st == CTS_OK, "cts_validate gives %s (%s)", tu_status_name(st),
			  cts_strerror(st)))
		return 0;
	st = cts_read_header(buf, len, &h);
	if (!TU_C(st == CTS_OK, "cts_read_header gives %s", tu_status_name(st)))
		return 0;
	/* the header alone is readable from a 64-byte prefix */
	st = cts_read_header(buf, CTS_HEADER_SIZE, &h64);
	ok &= TU_C(st == CTS_OK && h.version == h64.version &&
			   h.npoints == h64.npoints && h.nblocks == h64.nblocks &&
			   h.first_ts == h64.first_ts && h.last_ts == h64.last_ts &&
			   tu_d2bits(h.min) == tu_d2bits(h64.min) &&
			   tu_d2bits(h.max) == tu_d2bits(h64.max) &&
			   tu_d2bits(h.sum) == tu_d2bits(h64.sum) &&
			   tu_d2bits(h.max_error) == tu_d2bits(h64.max_error),
			   "cts_read_header on the 64-byte prefix: %s or different fields",
			   tu_status_name(st));
	ok &= TU_C(h.version == CTS_FORMAT_VERSION, "version %u", h.version);
	ok &= TU_C(cts_data_offset(&h) == (size_t) CTS_HEADER_SIZE + (size_t) CTS_INDEX_ENTRY_SIZE * h.nblocks,
			   "cts_data_offset %zu for %u blocks", cts_data_offset(&h), h.nblocks);
	ok &= TU_C((h.npoints == 0) == (h.nblocks == 0), "npoints %u, nblocks %u",
			   h.npoints, h.nblocks);
	ok &= TU_C(h.npoints <= CTS_MAX_POINTS, "npoints %u", h.npoints);
	if (ex && ex->orig)
		ok &= TU_C(h.npoints == ex->n, "header npoints %u, %zu points encoded",
				   h.npoints, ex->n);
	if (h.npoints == 0)
	{
		ok &= TU_C(len == CTS_HEADER_SIZE, "empty value is %zu bytes, expected 64", len);
		ok &= TU_C(h.first_ts == 0 && h.last_ts == 0 &&
				   tu_d2bits(h.min) == 0 && tu_d2bits(h.max) == 0 &&
				   tu_d2bits(h.sum) == 0 && tu_d2bits(h.max_error) == 0,
				   "empty value has non-zero summaries");
	}

	/* bulk decode, with exactly npoints of room; one less must be refused */
	pts = tu_decode(buf, len, (size_t) 1 << 31, &npts, &st);
	if (!TU_C(pts != NULL, "cts_decode of a validated value gives %s",
			  tu_status_name(st)))
		return 0;
	if (h.npoints > 0)
	{
		cts_point  *small = (cts_point *) malloc((h.npoints - 1 + 1) * sizeof(cts_point));

		st = cts_decode(buf, len, small, h.npoints - 1);
		ok &= TU_C(st == CTS_ERR_BUFFER_TOO_SMALL,
				   "cts_decode with cap npoints - 1 gives %s", tu_status_name(st));
		free(small);
	}

	data_off = cts_data_offset(&h);
	bsums = (double *) calloc(h.nblocks + 1, sizeof(double));
	specs = (cts_block_spec *) calloc(h.nblocks + 1, sizeof(cts_block_spec));
	{
		size_t		bcap = h.npoints < CTS_MAX_BLOCK_POINTS ? h.npoints : CTS_MAX_BLOCK_POINTS;

		bts = (int64_t *) malloc((bcap + 1) * sizeof(int64_t));
		bvals = (double *) malloc((bcap + 1) * sizeof(double));
	}

	for (b = 0; b < h.nblocks; b++)
	{
		cts_block_info bi,
					bi2;
		size_t		j,
					bad_j = 0;
		int			nbad_ts = 0,
					nbad_val = 0,
					nbad_range = 0,
					nbad_orig = 0,
					nbad_quant = 0;
		int			lossless;
		double		dmin,
					dmax,
					maxdiff = 0,
					sabs = 0,
					dsum;
		int			constant;

		st = cts_read_block_info(buf, len, &h, b, &bi);
		if (!TU_C(st == CTS_OK, "block %u: cts_read_block_info gives %s", b,
				  tu_status_name(st)))
		{
			ok = 0;
			break;
		}
		/* the index up to entry b is enough */
		st = cts_read_block_info(buf, CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * ((size_t) b + 1),
								 &h, b, &bi2);
		ok &= TU_C(st == CTS_OK && bi2.offset == bi.offset && bi2.length == bi.length &&
				   bi2.npoints == bi.npoints,
				   "block %u: cts_read_block_info on the index prefix gives %s", b,
				   tu_status_name(st));
		ok &= TU_C(bi.codec == CTS_CODEC_QUANT16 || bi.codec == CTS_CODEC_GORILLA,
				   "block %u: codec %u", b, bi.codec);
		if (ex && ex->codec)
			ok &= TU_C(bi.codec == ex->codec, "block %u: codec %u, expected %u", b,
					   bi.codec, ex->codec);
		lossless = (bi.codec == CTS_CODEC_GORILLA);
		if (lossless)
			ok &= TU_C(tu_d2bits(bi.max_error) == 0, "block %u: lossless block with "
					   "max_error %.17g", b, bi.max_error);
		ok &= TU_C((bi.flags & ~CTS_BLOCK_KNOWN_FLAGS) == 0, "block %u: flags 0x%x", b, bi.flags);
		ok &= TU_C(bi.npoints >= 1 && bi.npoints <= CTS_MAX_BLOCK_POINTS,
				   "block %u: npoints %u", b, bi.npoints);
		ok &= TU_C(bi.offset == expect_off, "block %u: offset %u, expected %" PRIu64
				   " (contiguous, no gaps)", b, bi.offset, expect_off);
		ok &= TU_C(bi.first_ts <= bi.last_ts, "block %u: first_ts > last_ts", b);
		ok &= TU_C(b == 0 || bi.first_ts >= prev_last,
				   "block %u: first_ts %" PRId64 " < previous last_ts %" PRId64,
				   b, bi.first_ts, prev_last);
		ok &= TU_C(isfinite(bi.min) && isfinite(bi.max) &&
				   !isnan(bi.sum) &&	/* format.h: +-Infinity when the true sum overflows */
				   isfinite(bi.max_error), "block %u: non-finite summary (sum %.17g)", b, bi.sum);
		ok &= TU_C(bi.min <= bi.max, "block %u: min %.17g > max %.17g", b, bi.min, bi.max);
		ok &= TU_C(bi.max_error >= 0 && !signbit(bi.max_error),
				   "block %u: max_error %.17g", b, bi.max_error);
		ok &= TU_C(!signbit(bi.min) || bi.min != 0, "block %u: min is -0.0", b);
		ok &= TU_C(!signbit(bi.max) || bi.max != 0, "block %u: max is -0.0", b);
		constant = (bi.flags & CTS_BLOCK_CONSTANT) != 0;
		/* the encoder flags exactly the blocks whose min == max; canonical
		 * bytes need the same from every accepted value */
		ok &= TU_C(constant == (bi.min == bi.max),
				   "block %u: CONSTANT flag %d but min %.17g max %.17g", b, constant,
				   bi.min, bi.max);
		if (constant)
			ok &= TU_C(bi.max_error == 0, "block %u: constant block with max_error %.17g",
					   b, bi.max_error);
		/* originals lie in [min, max], so do decoded values: |o - d| <= max - min */
		ok &= TU_C(bi.max_error / 2 <= bi.max / 2 - bi.min / 2,
				   "block %u: max_error %.17g exceeds max - min (min %.17g, max %.17g)",
				   b, bi.max_error, bi.min, bi.max);
		if (ex && ex->block_points && ex->orig)
		{
			size_t		want = ex->n - start < ex->block_points ? ex->n - start : ex->block_points;

			ok &= TU_C(bi.npoints == want, "block %u: %u points, expected %zu", b,
					   bi.npoints, want);
		}
		if (bi.npoints < 1 || bi.npoints > CTS_MAX_BLOCK_POINTS ||
			start + bi.npoints > npts)
		{
			ok &= TU_C(0, "block %u: npoints %u overruns the header's %zu", b,
					   bi.npoints, npts);
			break;
		}

		/* streaming decode of this block, values only and ts only too */
		st = cts_decode_block(buf, len, &h, &bi, bts, bvals);
		ok &= TU_C(st == CTS_OK, "block %u: cts_decode_block gives %s", b, tu_status_name(st));
		{
			int64_t    *ts2 = (int64_t *) malloc(bi.npoints * sizeof(int64_t));
			double	   *v2 = (double *) malloc(bi.npoints * sizeof(double));
			cts_status	s1 = cts_decode_block(buf, len, &h, &bi, ts2, NULL);
			cts_status	s2 = cts_decode_block(buf, len, &h, &bi, NULL, v2);

			ok &= TU_C(s1 == CTS_OK && s2 == CTS_OK &&
					   memcmp(ts2, bts, bi.npoints * sizeof(int64_t)) == 0 &&
					   memcmp(v2, bvals, bi.npoints * sizeof(double)) == 0,
					   "block %u: decoding with ts or values NULL gives %s/%s or different points",
					   b, tu_status_name(s1), tu_status_name(s2));
			free(ts2);
			free(v2);
		}

		dmin = bvals[0];
		dmax = bvals[0];
		for (j = 0; j < bi.npoints; j++)
		{
			const cts_point *p = &pts[start + j];
			double		v = bvals[j];

			if (p->ts != bts[j] || tu_d2bits(p->value) != tu_d2bits(v))
			{
				if (nbad_val++ == 0)
					bad_j = j;
			}
			if (j > 0 && bts[j] < bts[j - 1])
				nbad_ts++;
			if (!isfinite(v) || v < bi.min || v > bi.max || (v == 0 && signbit(v)))
				nbad_range++;
			if (v < dmin)
				dmin = v;
			if (v > dmax)
				dmax = v;
			sabs += fabs(v);
			if (!constant && !lossless && isfinite(v) && !tu_lax_canonical)
			{
				/* each stored code is canonical: quantize(decode(c)) == c, so
				 * decoded values are fixed points of decode∘encode */
				uint16_t	c = cts_quant16_encode(bi.min, bi.max, v);

				if (tu_d2bits(cts_quant16_decode(bi.min, bi.max, c)) != tu_d2bits(v))
					nbad_quant++;
			}
			if (ex && ex->orig)
			{
				const cts_point *o = &ex->orig[start + j];
				double		ov = tu_norm(o->value);
				double		d = fabs(ov - v);

				if (d > maxdiff)
					maxdiff = d;
				if (o->ts != bts[j] || !(d <= bi.max_error) || !(d <= h.max_error))
					nbad_orig++;
				if (lossless && tu_d2bits(v) != tu_d2bits(ov))
					nbad_orig++;
				if (ex->computed && !constant && !lossless &&
					tu_d2bits(v) != tu_d2bits(cts_quant16_decode(bi.min, bi.max,
																 cts_quant16_encode(bi.min, bi.max, ov))))
					nbad_quant++;
			}
		}
		ok &= TU_C(nbad_val == 0, "block %u: %d points differ between cts_decode and "
				   "cts_decode_block, first at %zu", b, nbad_val, bad_j);
		ok &= TU_C(bts[0] == bi.first_ts && bts[bi.npoints - 1] == bi.last_ts,
				   "block %u: decoded timestamps %" PRId64 "..%" PRId64 ", index says %"
				   PRId64 "..%" PRId64, b, bts[0], bts[bi.npoints - 1], bi.first_ts, bi.last_ts);
		ok &= TU_C(nbad_ts == 0, "block %u: %d decoded timestamps go backwards", b, nbad_ts);
		ok &= TU_C(nbad_range == 0, "block %u: %d decoded values outside [min %.17g, max "
				   "%.17g] or non-finite or -0.0", b, nbad_range, bi.min, bi.max);
		ok &= TU_C(tu_d2bits(dmin) == tu_d2bits(bi.min) && tu_d2bits(dmax) == tu_d2bits(bi.max),
				   "block %u: decoded min/max %.17g/%.17g, index min/max %.17g/%.17g",
				   b, dmin, dmax, bi.min, bi.max);
		ok &= TU_C(nbad_quant == 0, "block %u: %d values are not canonical quantizer output",
				   b, nbad_quant);
		/* the sum of the originals is within npoints * max_error of the sum
		 * of the decoded values, up to rounding of both sums */
		dsum = cts_sum(bvals, bi.npoints);
		if (lossless)
			ok &= TU_C(tu_d2bits(bi.sum) == tu_d2bits(dsum),
					   "block %u: lossless block sum %.17g, compensated sum of its values %.17g",
					   b, bi.sum, dsum);
		/* format.h: an overflowed sum is the infinity of its sign; near the
		 * top of the range the decoded sum may land just short of it */
		ok &= TU_C((isinf(bi.sum) && bi.sum == dsum) ||
				   ((isinf(bi.sum) != isinf(dsum)) && signbit(bi.sum) == signbit(dsum) &&
					fabs(isinf(bi.sum) ? dsum : bi.sum) +
					(double) bi.npoints * bi.max_error >= DBL_MAX / 4) ||
				   (tu_lax_sums && !(isfinite(bi.sum) && isfinite(dsum) &&
									 isfinite((double) bi.npoints * bi.max_error + sabs))) ||
				   fabs(bi.sum - dsum) <= (double) bi.npoints * bi.max_error * (1 + 1e-9) +
				   1e-12 * sabs + 1e-300,
				   "block %u: sum %.17g implausible, decoded values sum to %.17g (max_error %.17g)",
				   b, bi.sum, dsum, bi.max_error);
		if (ex && ex->orig)
		{
			double		omin = tu_norm(ex->orig[start].value),
						omax = omin;
			double	   *ov = (double *) malloc(bi.npoints * sizeof(double));

			for (j = 0; j < bi.npoints; j++)
			{
				ov[j] = tu_norm(ex->orig[start + j].value);
				if (ov[j] < omin)
					omin = ov[j];
				if (ov[j] > omax)
					omax = ov[j];
			}
			ok &= TU_C(nbad_orig == 0, "block %u: %d points with a timestamp changed or a "
					   "value further than max_error (block %.17g, header %.17g) from the original",
					   b, nbad_orig, bi.max_error, h.max_error);
			ok &= TU_C(tu_d2bits(bi.min) == tu_d2bits(omin) && tu_d2bits(bi.max) == tu_d2bits(omax),
					   "block %u: index min/max %.17g/%.17g, originals %.17g/%.17g",
					   b, bi.min, bi.max, omin, omax);
			if (ex->computed)
			{
				double		osum = cts_sum(ov, bi.npoints);
				double		step2 = (bi.max / CTS_QUANT16_LEVELS - bi.min / CTS_QUANT16_LEVELS) * 0.5;
				double		slack = 4 * tu_ulp(fmax(fabs(bi.min), fabs(bi.max)));

				ok &= TU_C(tu_d2bits(bi.sum) == tu_d2bits(osum),
						   "block %u: sum %.17g, Neumaier sum of the originals %.17g",
						   b, bi.sum, osum);
				ok &= TU_C(tu_d2bits(bi.max_error) == tu_d2bits(maxdiff),
						   "block %u: max_error %.17g, measured max |orig - decoded| %.17g",
						   b, bi.max_error, maxdiff);
				ok &= TU_C(lossless || bi.max_error <= step2 * (1 + 1e-9) + slack,
						   "block %u: max_error %.17g exceeds half a quantization step %.17g "
						   "(min %.17g, max %.17g)", b, bi.max_error, step2, bi.min, bi.max);
			}
			free(ov);
		}

		specs[b].npoints = bi.npoints;
		specs[b].codec = bi.codec;
		specs[b].sum = bi.sum;
		specs[b].max_error = bi.max_error;
		bsums[b] = bi.sum;
		if (b == 0 || bi.min < hmin)
			hmin = bi.min;
		if (b == 0 || bi.max > hmax)
			hmax = bi.max;
		if (bi.max_error > herr)
			herr = bi.max_error;
		if (b == 0)
			ok &= TU_C(h.first_ts == bi.first_ts, "header first_ts %" PRId64
					   " != block 0 first_ts %" PRId64, h.first_ts, bi.first_ts);
		prev_last = bi.last_ts;
		total += bi.npoints;
		expect_off += bi.length;
		start += bi.npoints;
	}

	if (ok && h.nblocks > 0)
	{
		double		hsum = cts_sum(bsums, h.nblocks);

		/* format.h: the header sum is the compensated sum of the block sums
		 * (NaN, with canonical bits, only if they overflowed both ways) */
		ok &= TU_C(tu_d2bits(h.sum) == tu_d2bits(hsum),
				   "header sum %.17g, block sums add up to %.17g", h.sum, hsum);

		ok &= TU_C(total == h.npoints, "blocks hold %" PRIu64 " points, header says %u",
				   total, h.npoints);
		ok &= TU_C(h.last_ts == prev_last, "header last_ts %" PRId64 " != last block's %" PRId64,
				   h.last_ts, prev_last);
		ok &= TU_C(tu_d2bits(h.min) == tu_d2bits(hmin) && tu_d2bits(h.max) == tu_d2bits(hmax),
				   "header min/max %.17g/%.17g, blocks give %.17g/%.17g", h.min, h.max, hmin, hmax);
		ok &= TU_C(tu_d2bits(h.max_error) == tu_d2bits(herr),
				   "header max_error %.17g, blocks give %.17g", h.max_error, herr);
		ok &= TU_C(tu_d2bits(h.sum) == tu_d2bits(hsum),
				   "header sum %.17g, Neumaier sum of block sums %.17g", h.sum, hsum);
		ok &= TU_C(data_off + expect_off == len,
				   "data area ends at %" PRIu64 ", value is %zu bytes",
				   (uint64_t) data_off + expect_off, len);
	}

	/*
	 * Re-encode the decoded points with the index's block specs: the codec
	 * and the reference encoder must both give back the very same bytes.
	 */
	if (ok)
	{
		cts_encode_opts opts;
		size_t		elen = 0,
					rlen = 0,
					bad = 0;
		uint8_t    *e,
				   *r;

		memset(&opts, 0, sizeof opts);
		opts.blocks = h.nblocks ? specs : NULL;
		opts.nblocks = h.nblocks;
		if (h.nblocks == 0)
		{
			/* empty: nothing to specify; defaults must give the 64 bytes */
			opts.blocks = NULL;
		}
		e = tu_encode(pts, npts, &opts, &elen, &st, &bad);
		ok &= TU_C(e != NULL, "re-encoding with the index's block specs gives %s "
				   "(bad_index %zu)", tu_status_name(st), bad);
		if (e && !tu_lax_canonical)
		{
			size_t		k = 0;

			while (k < len && k < elen && e[k] == buf[k])
				k++;
			ok &= TU_C(elen == len && k == len,
					   "re-encoding with block specs gives different bytes: %zu vs %zu bytes, "
					   "first difference at byte %zu", elen, len, k);
		}
		else if (e)
		{
			/* lax: other bytes allowed, the same points required */
			size_t		n2 = 0;
			cts_point  *p2 = tu_decode(e, elen, (size_t) 1 << 31, &n2, &st);

			ok &= TU_C(p2 != NULL && n2 == npts &&
					   (npts == 0 || memcmp(p2, pts, npts * sizeof(cts_point)) == 0),
					   "re-encoded value decodes to other points (%s)", tu_status_name(st));
			free(p2);
		}
		free(e);
		if (tu_lax_canonical)
		{
			free(pts);
			free(bsums);
			free(specs);
			free(bts);
			free(bvals);
			return ok;
		}
		r = tu_ref_encode(pts, npts, 0, 0, h.nblocks ? specs : NULL, h.nblocks, &rlen);
		if (r)
		{
			size_t		k = 0;

			while (k < len && k < rlen && r[k] == buf[k])
				k++;
			ok &= TU_C(rlen == len && k == len,
					   "reference encoder (format.h) gives different bytes: %zu vs %zu bytes, "
					   "first difference at byte %zu", rlen, len, k);
		}
		else
			ok &= TU_C(0, "reference encoder refused (non-finite sum)");
		free(r);
	}

	free(pts);
	free(bsums);
	free(specs);
	free(bts);
	free(bvals);
	return ok;
}

/*
 * Encode pts with opts through the codec, insist on CTS_OK, and run the
 * oracle with the originals.  Returns the encoding (caller frees) or NULL.
 */
static inline uint8_t *
tu_roundtrip(const char *label, const cts_point *pts, size_t n,
			 const cts_encode_opts *opts, size_t *len)
{
	cts_status	st;
	size_t		bad = 0;
	uint8_t    *buf;
	tu_expect	ex;

	buf = tu_encode(pts, n, opts, len, &st, &bad);
	if (!TU_C(buf != NULL, "encoding %zu points gives %s (bad_index %zu)", n,
			  tu_status_name(st), bad))
		return NULL;
	ex.orig = pts;
	ex.n = n;
	ex.block_points = opts && opts->blocks ? 0 :
		(opts && opts->block_points ? opts->block_points : CTS_DEFAULT_BLOCK_POINTS);
	ex.computed = !(opts && opts->blocks);
	ex.codec = opts && opts->blocks ? 0 :
		(opts && opts->codec ? opts->codec : CTS_CODEC_DEFAULT);
	tu_check_value(label, buf, *len, &ex);
	return buf;
}

/* ------------------------------------------------- series generators -- */

#define TU_TS_KINDS 8
#define TU_VAL_KINDS 11

static inline int
tu_cmp_i64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/*
 * Fill p[0..n) with a sorted series of one of TU_TS_KINDS timestamp shapes
 * and TU_VAL_KINDS value shapes (all finite; kind 4 may overflow sums).
 */
static inline void
tu_gen_series(cts_point *p, size_t n, int ts_kind, int val_kind)
{
	const int64_t t0 = INT64_C(631152000000000);	/* 2020-01-01 in PG microseconds */
	int64_t    *ts = (int64_t *) malloc((n ? n : 1) * sizeof(int64_t));
	size_t		i;
	double		v = tu_randnorm() * 100;
	double		base = 1.0 + tu_randu();
	int			ulps = 1 + (int) tu_randn(20);

	for (i = 0; i < n; i++)
	{
		switch (ts_kind % TU_TS_KINDS)
		{
			case 0:				/* regular, 10 s */
				ts[i] = t0 + (int64_t) i * 10000000;
				break;
			case 1:				/* regular 1 s with jitter of a few microseconds */
				ts[i] = t0 + (int64_t) i * 1000000 + (int64_t) tu_randn(7);
				break;
			case 2:				/* irregular gaps */
				ts[i] = i == 0 ? t0 : ts[i - 1] + (int64_t) tu_randn(1 + tu_randn(100000000));
				break;
			case 3:				/* runs of duplicates */
				ts[i] = i == 0 ? t0 : ts[i - 1] + (tu_randn(3) == 0 ? 1000 : 0);
				break;
			case 4:				/* anywhere in int64, sorted below */
				ts[i] = (int64_t) tu_rand64();
				break;
			case 5:				/* ±infinity at the ends, huge jumps between */
				if (i == 0)
					ts[i] = INT64_MIN;
				else if (i == n - 1)
					ts[i] = INT64_MAX;
				else
					ts[i] = (int64_t) (tu_rand64() >> (tu_randn(64)));
				break;
			case 6:				/* regular with missing stretches */
				ts[i] = i == 0 ? t0 : ts[i - 1] + 60000000 * (tu_randn(50) == 0 ? (int64_t) (2 + tu_randn(1000)) : 1);
				break;
			default:			/* one timestamp for everything */
				ts[i] = t0;
				break;
		}
	}
	if (ts_kind % TU_TS_KINDS == 4 || ts_kind % TU_TS_KINDS == 5)
		qsort(ts, n, sizeof(int64_t), tu_cmp_i64);

	for (i = 0; i < n; i++)
	{
		switch (val_kind % TU_VAL_KINDS)
		{
			case 0:				/* random walk */
				v += tu_randnorm();
				break;
			case 1:				/* sine */
				v = 100 * sin((double) i * 0.05);
				break;
			case 2:				/* constant */
				v = 42.5;
				break;
			case 3:				/* small integers */
				v = (double) ((int) tu_randn(21) - 10);
				break;
			case 4:				/* random finite doubles, any magnitude */
				v = tu_rand_finite();
				break;
			case 5:				/* a few ulps around a base */
				{
					int			k = (int) tu_randn((uint64_t) ulps + 1);

					v = base;
					while (k-- > 0)
						v = nextafter(v, INFINITY);
				}
				break;
			case 6:				/* ±1e308, partial sums stay finite */
				if (i % 2 == 0)
					v = (tu_randn(2) ? 1 : -1) * (tu_randn(4) == 0 ? 1e308 : tu_randu() * 1e308);
				else
					v = -p[i - 1].value;	/* pairs cancel exactly */
				break;
			case 7:				/* denormals and zero */
				v = (double) ((int64_t) tu_randn(2001) - 1000) * 4.9406564584124654e-324;
				break;
			case 8:				/* piecewise constant: long runs */
				if (i == 0 || tu_randn(700) == 0)
					v = (double) (int) tu_randn(5);
				break;
			case 9:				/* mixed signs, wide magnitudes */
				v = (tu_randn(2) ? 1 : -1) * pow(10, tu_randu() * 10 - 5);
				break;
			default:			/* zeros of both signs, now and then a value */
				v = tu_randn(10) == 0 ? tu_randnorm() : (tu_randn(2) ? -0.0 : 0.0);
				break;
		}
		p[i].ts = ts[i];
		p[i].value = v;
	}
	free(ts);
}

#endif							/* CTS_TESTUTIL_H */
