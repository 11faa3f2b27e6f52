/*-------------------------------------------------------------------------
 *
 * testutil2.h
 *	  The oracle for format 2 values, shared by the unit tests and the fuzz
 *	  targets (include testutil.h first).
 *
 * tu2_check_value() checks everything a format 2 value promises, from the
 * value alone and, when known, against the original points and the codec
 * they were encoded with:
 *	- it validates, and its header reads from an 80-byte prefix;
 *	- bulk decoding, block-by-block decoding and the partial-read API
 *	  (directory, group checksum, lone entry, lone payload) agree;
 *	- timestamps run from first_ts to last_ts without going back;
 *	- the index summaries are the decoded points' (recomputed here, by this
 *	  file's own rules), exactly for exact blocks; the header is derived
 *	  from the index;
 *	- with the originals: timestamps are theirs; lossless values are theirs
 *	  bit for bit; lossy values lie within the block's max_error, within the
 *	  requested bound, and within a width's per-group bound; the summaries
 *	  are the originals';
 *	- re-encoding the decoded points losslessly gives them back bit for bit;
 *	- an exact value re-encodes from its originals to the same bytes.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/testutil2.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_TESTUTIL2_H
#define CTS_TESTUTIL2_H

#include "format2.h"

/* what the value was made from, when the caller knows */
typedef struct tu2_expect
{
	const cts_point *pts;
	size_t		n;
	cts_encode2_opts opts;
} tu2_expect;

static int64_t tu2_ts[CTS_MAX_BLOCK_POINTS];
static double tu2_vals[CTS_MAX_BLOCK_POINTS];
static int64_t tu2_ts2[CTS_MAX_BLOCK_POINTS];
static double tu2_vals2[CTS_MAX_BLOCK_POINTS];

static inline int
tu2_same(double a, double b)
{
	return memcmp(&a, &b, sizeof(double)) == 0;
}

static inline double
tu2_cnan(void)
{
	return tu_bits2d(UINT64_C(0x7FF8000000000000));
}

/* summaries by PostgreSQL's float8 rules, written from format2.h alone */
static inline void
tu2_summaries(const double *v, size_t n, double *mn, double *mx, double *sum,
			  uint8_t *flags)
{
	double	   *fin = (double *) malloc((n ? n : 1) * sizeof(double));
	size_t		nf = 0;
	size_t		i;
	int			have = 0;

	*flags = 0;
	for (i = 0; i < n; i++)
	{
		if (isnan(v[i]))
		{
			*flags |= CTS_V_NAN;
			continue;
		}
		if (isinf(v[i]))
			*flags |= v[i] > 0 ? CTS_V_POSINF : CTS_V_NEGINF;
		else
			fin[nf++] = v[i];
		if (!have || v[i] < *mn)
			*mn = v[i];
		if (!have || v[i] > *mx)
			*mx = v[i];
		have = 1;
	}
	if (!have)
		*mn = *mx = tu2_cnan();
	if (*flags & CTS_V_NAN)
		*mx = tu2_cnan();
	*sum = cts_sum(fin, nf);
	free(fin);
}

static inline int
tu2_exact_mode(uint8_t vmode)
{
	return vmode == CTS_M_CONST || vmode == CTS_M_DECIMAL || vmode == CTS_M_FLOAT;
}

/* encode with exactly sized buffers (AddressSanitizer sees overruns) */
static inline uint8_t *
tu2_encode(const cts_point *pts, size_t n, const cts_encode2_opts *o,
		   size_t *len, cts_status *st, size_t *bad)
{
	size_t		cap = cts_encode2_bound(n, o);
	size_t		sl = cts_encode2_scratch_size(o);
	uint8_t    *out = (uint8_t *) malloc(cap ? cap : 1);
	void	   *scratch = malloc(sl ? sl : 1);
	uint8_t    *exact;

	*len = 0;
	*st = cts_encode2(pts, n, o, scratch, sl, out, cap, len, bad);
	free(scratch);
	if (*st != CTS_OK)
	{
		free(out);
		return NULL;
	}
	exact = (uint8_t *) malloc(*len ? *len : 1);
	memcpy(exact, out, *len);
	free(out);
	return exact;
}

/*
 * The decoding of a block up to a time (cts2_decode_payload_until and
 * cts_decode_block_until) against its full decoding in tu2_ts / tu2_vals:
 * before the block, at its first point, at points through it, between
 * points, at and after its last point.  The count is the points at or
 * before the time, which cts_block_count_until bounds, and every point
 * decoded is bitwise the full decoding's.
 */
static inline int
tu2_check_prefixes(const char *label, const cts_header *h, const cts_block_info *bi,
				   const uint8_t *buf, size_t len)
{
	int			ok = 1;
	uint32_t	n = bi->npoints;
	uint32_t	k;
	const uint8_t *payload = buf + cts2_prefix_size(h->nblocks) + bi->offset;

	for (k = 0; k <= 12 && ok; k++)
	{
		int64_t		hi;
		uint32_t	expect = 0,
					count = 99,
					count2 = 99,
					j;
		cts_status	st,
					st2;

		if (k == 0)
			hi = bi->first_ts == INT64_MIN ? INT64_MIN : bi->first_ts - 1;
		else if (k == 12)
			hi = INT64_MAX;
		else
		{
			/* a point's time, or one microsecond before or after it */
			uint32_t	at = (uint32_t) (((uint64_t) (n - 1) * (k - 1)) / 10);

			hi = tu2_ts[at];
			if (k % 3 == 1 && hi > INT64_MIN)
				hi--;
			else if (k % 3 == 2 && hi < INT64_MAX)
				hi++;
		}
		uint32_t	cap = cts_block_count_until(bi, hi);
		int64_t    *pts;
		double	   *pvals;

		while (expect < n && tu2_ts[expect] <= hi)
			expect++;
		/*
		 * Buffers of exactly the size cts_block_count_until gives (at least
		 * one point), as the server allocates them: the sanitizer sees a
		 * write past it.
		 */
		if (cap == 0)
			cap = 1;
		pts = (int64_t *) malloc(sizeof(int64_t) * cap);
		pvals = (double *) malloc(sizeof(double) * cap);
		if (pts == NULL || pvals == NULL)
			abort();
		st = cts2_decode_payload_until(h, bi, payload, bi->length, hi, pts, pvals, &count);
		ok &= TU_C(st == CTS_OK && count == expect,
				   "prefix to %lld: %s, %u points, expected %u", (long long) hi,
				   tu_status_name(st), count, expect);
		ok &= TU_C(cts_block_count_until(bi, hi) >= expect &&
				   (bi->tmode != CTS_T_REGULAR || cts_block_count_until(bi, hi) == expect),
				   "prefix to %lld: cts_block_count_until %u, expected %u", (long long) hi,
				   cts_block_count_until(bi, hi), expect);
		for (j = 0; j < count && ok; j++)
			ok &= TU_C(pts[j] == tu2_ts[j] && tu2_same(pvals[j], tu2_vals[j]),
					   "prefix to %lld: point %u differs", (long long) hi, j);
		st2 = cts_decode_block_until(buf, len, h, bi, hi, pts, pvals, &count2);
		ok &= TU_C(st2 == CTS_OK && count2 == expect, "cts_decode_block_until to %lld: %s",
				   (long long) hi, tu_status_name(st2));
		free(pts);
		free(pvals);
	}
	return ok;
}

static inline int
tu2_check_value(const char *label, const uint8_t *buf, size_t len,
				const tu2_expect *ex)
{
	cts_header	h,
				h80;
	cts_status	st;
	cts_point  *pts = NULL;
	int			ok = 1;
	uint32_t	b;
	size_t		pos = 0;
	uint64_t	expect_off = 0;
	size_t		data_off;
	int64_t		prev = INT64_MIN;
	int			all_exact = 1;

	st = cts_validate_ws(buf, len, tu2_ts, tu2_vals, CTS_MAX_BLOCK_POINTS);
	if (!TU_C(st == CTS_OK, "cts_validate_ws gives %s", tu_status_name(st)))
		return 0;
	st = cts_read_header(buf, len, &h);
	if (!TU_C(st == CTS_OK && h.version == CTS_FORMAT_V2, "header: %s", tu_status_name(st)))
		return 0;
	ok &= TU_C(cts_read_header(buf, CTS2_HEADER_SIZE, &h80) == CTS_OK &&
			   h80.npoints == h.npoints && h80.nblocks == h.nblocks,
			   "the header does not read from its 80-byte prefix");
	data_off = cts_data_offset(&h);
	ok &= TU_C(data_off == cts2_prefix_size(h.nblocks), "data offset");
	if (h.npoints > 0)
		ok &= TU_C(cts2_read_directory(&h, buf + CTS2_HEADER_SIZE,
									   len - CTS2_HEADER_SIZE) == CTS_OK,
				   "directory does not read");

	pts = (cts_point *) malloc((h.npoints ? h.npoints : 1) * sizeof(cts_point));
	st = cts_decode_ws(buf, len, pts, h.npoints, tu2_ts, tu2_vals, CTS_MAX_BLOCK_POINTS);
	ok &= TU_C(st == CTS_OK, "cts_decode_ws gives %s", tu_status_name(st));
	ok &= TU_C(cts_decode_ws(buf, len, pts, h.npoints ? h.npoints - 1 : 0,
							 tu2_ts, tu2_vals, CTS_MAX_BLOCK_POINTS) ==
			   (h.npoints ? CTS_ERR_BUFFER_TOO_SMALL : CTS_OK),
			   "cts_decode_ws with too little room");

	{
		/* the header from the index, by this file's rules */
		double		hmin = 0,
					hmax = 0,
					herr = 0;
		double	   *bsums = (double *) malloc((h.nblocks ? h.nblocks : 1) * sizeof(double));
		uint8_t		hflags = 0;
		int			have_min = 0,
					have_max = 0,
					max_nan = 0;

		for (b = 0; b < h.nblocks && ok; b++)
		{
			cts_block_info bi,
						bi2;
			uint32_t	i;
			double		mn,
						mx,
						sum;
			uint8_t		flags;
			uint32_t	g = b / CTS2_GROUP_BLOCKS;
			cts_dir_entry de;
			size_t		goff,
						glen;
			uint32_t	b0,
						nb;
			uint8_t    *copy;

			st = cts_read_block_info(buf, len, &h, b, &bi);
			ok &= TU_C(st == CTS_OK, "block %u info: %s", b, tu_status_name(st));
			if (!ok)
				break;
			ok &= TU_C(bi.offset == expect_off, "block %u offset", b);
			expect_off += bi.length;
			st = cts_decode_block(buf, len, &h, &bi, tu2_ts, tu2_vals);
			ok &= TU_C(st == CTS_OK, "block %u decodes: %s", b, tu_status_name(st));

			/* the partial-read path */
			cts2_dir_entry(buf + CTS2_HEADER_SIZE, g, &de);
			cts2_group_span(&h, g, &goff, &glen, &b0, &nb);
			ok &= TU_C(b >= b0 && b < b0 + nb && goff + glen <= len &&
					   cts2_check_group(&h, &de, buf + goff, glen) == CTS_OK,
					   "block %u: group %u does not check", b, g);
			ok &= TU_C(cts2_parse_entry(&h, buf + goff + CTS2_INDEX_ENTRY_SIZE * (size_t) (b - b0), &bi2) == CTS_OK &&
					   memcmp(&bi, &bi2, sizeof(bi)) == 0,
					   "block %u: lone entry differs", b);
			copy = (uint8_t *) malloc(bi.length);
			memcpy(copy, buf + data_off + bi.offset, bi.length);
			/* what a copy of the block checks: its length and its CRC */
			ok &= TU_C(cts2_check_payload(&bi, copy, bi.length) == CTS_OK &&
					   cts2_check_payload(&bi, copy, bi.length - 1) == CTS_ERR_TRUNCATED,
					   "block %u: payload check", b);
			copy[bi.length - 1] ^= 0x10;
			ok &= TU_C(cts2_check_payload(&bi, copy, bi.length) == CTS_ERR_BAD_CHECKSUM,
					   "block %u: a flipped payload bit passes the check", b);
			copy[bi.length - 1] ^= 0x10;
			st = cts2_decode_payload(&h, &bi, copy, bi.length, tu2_ts2, tu2_vals2);
			free(copy);
			ok &= TU_C(st == CTS_OK &&
					   memcmp(tu2_ts, tu2_ts2, 8 * (size_t) bi.npoints) == 0 &&
					   memcmp(tu2_vals, tu2_vals2, 8 * (size_t) bi.npoints) == 0,
					   "block %u: lone payload decodes differently (%s)", b, tu_status_name(st));
			if (!ok)
				break;
			ok &= tu2_check_prefixes(label, &h, &bi, buf, len);
			if (!ok)
				break;

			for (i = 0; i < bi.npoints; i++)
			{
				ok &= TU_C(pts[pos + i].ts == tu2_ts[i] &&
						   tu2_same(pts[pos + i].value, tu2_vals[i]),
						   "block %u point %u: bulk and block decoding differ", b, i);
				ok &= TU_C(tu2_ts[i] >= prev, "block %u point %u: time goes back", b, i);
				prev = tu2_ts[i];
				if (!ok)
					break;
			}
			ok &= TU_C(tu2_ts[0] == bi.first_ts && tu2_ts[bi.npoints - 1] == bi.last_ts,
					   "block %u: first/last timestamps", b);
			tu2_summaries(tu2_vals, bi.npoints, &mn, &mx, &sum, &flags);
			ok &= TU_C(tu2_same(mn, bi.min) && tu2_same(mx, bi.max) && flags == bi.flags,
					   "block %u: min/max/flags of the decoded points", b);
			if (tu2_exact_mode(bi.vmode))
				ok &= TU_C(tu2_same(sum, bi.sum) &&
						   (bi.max_error == 0 || h.codec != CTS_CODEC2_LOSSLESS),
						   "block %u: exact block's sum or error", b);
			else
				all_exact = 0;
			if (!isnan(bi.min) && (!have_min || bi.min < hmin))
			{
				hmin = bi.min;
				have_min = 1;
			}
			if (isnan(bi.max))
				max_nan = 1;
			else if (!have_max || bi.max > hmax)
			{
				hmax = bi.max;
				have_max = 1;
			}
			if (bi.max_error > herr)
				herr = bi.max_error;
			hflags |= bi.flags;
			bsums[b] = bi.sum;
			pos += bi.npoints;
		}
		if (ok && h.nblocks > 0)
		{
			ok &= TU_C(pos == h.npoints, "points: index %zu, header %u", pos, h.npoints);
			ok &= TU_C(tu2_same(have_min ? hmin : tu2_cnan(), h.min) &&
					   tu2_same((max_nan || !have_max) ? tu2_cnan() : hmax, h.max) &&
					   tu2_same(herr, h.max_error) && hflags == h.flags,
					   "header min/max/error/flags not derived from the index");
			ok &= TU_C(tu2_same(cts_sum(bsums, h.nblocks), h.sum),
					   "header sum is not the sum of the block sums");
			ok &= TU_C(data_off + expect_off == len, "payloads do not end the value");
		}
		free(bsums);
	}

	if (ok && ex != NULL)
	{
		int			lossless = ex->opts.codec == CTS_CODEC2_LOSSLESS;
		size_t		i;

		ok &= TU_C(ex->n == h.npoints, "points: %u, expected %zu", h.npoints, ex->n);
		ok &= TU_C(h.codec == (ex->opts.codec ? ex->opts.codec : CTS_CODEC2_QUANT),
				   "codec %u", h.codec);
		pos = 0;
		for (b = 0; b < h.nblocks && ok; b++)
		{
			cts_block_info bi;
			double	   *orig;
			double		mn,
						mx,
						sum;
			uint8_t		flags;

			cts_read_block_info(buf, len, &h, b, &bi);
			orig = (double *) malloc(bi.npoints * sizeof(double));
			for (i = 0; i < bi.npoints; i++)
			{
				double		o = ex->pts[pos + i].value;
				double		d = pts[pos + i].value;

				if (!lossless && o == 0.0)
					o = 0.0;
				orig[i] = o;
				ok &= TU_C(ex->pts[pos + i].ts == pts[pos + i].ts, "point %zu: timestamp", pos + i);
				if (lossless || tu2_exact_mode(bi.vmode))
					ok &= TU_C(tu2_same(o, d), "point %zu: %.17g stored as %.17g (exact block)",
							   pos + i, o, d);
				else
				{
					double		err = fabs(o - d);

					ok &= TU_C(err <= bi.max_error, "point %zu: error %g > block max_error %g",
							   pos + i, err, bi.max_error);
					if (ex->opts.codec == CTS_CODEC2_BOUND)
						ok &= TU_C(err <= ex->opts.bound, "point %zu: error %g > bound %g",
								   pos + i, err, ex->opts.bound);
				}
				if (!ok)
					break;
			}
			if (ok && !lossless && !tu2_exact_mode(bi.vmode) &&
				ex->opts.codec != CTS_CODEC2_BOUND)
			{
				/* width: no worse than format 1's quantizer on each group */
				int			w = ex->opts.bits ? ex->opts.bits : 16;
				uint32_t	g0;

				for (g0 = 0; g0 < bi.npoints && ok; g0 += CTS2_QUANT_GROUP)
				{
					uint32_t	g1 = g0 + CTS2_QUANT_GROUP < bi.npoints ? g0 + CTS2_QUANT_GROUP : bi.npoints;
					double		gmn = orig[g0],
								gmx = orig[g0];
					double		lim;
					uint32_t	k;

					for (k = g0; k < g1; k++)
					{
						gmn = fmin(gmn, orig[k]);
						gmx = fmax(gmx, orig[k]);
					}
					lim = (gmx / 2 - gmn / 2) / ((double) ((UINT64_C(1) << w) - 1)) * (1 + 1e-9) +
						4 * DBL_EPSILON * fmax(fabs(gmn), fabs(gmx)) + 1e-300;
					for (k = g0; k < g1; k++)
						ok &= TU_C(fabs(orig[k] - pts[pos + k].value) <= lim,
								   "point %zu: error %g over the %d-bit group bound %g",
								   pos + k, fabs(orig[k] - pts[pos + k].value), w, lim);
				}
			}
			tu2_summaries(orig, bi.npoints, &mn, &mx, &sum, &flags);
			ok &= TU_C(tu2_same(mn, bi.min) && tu2_same(mx, bi.max) &&
					   tu2_same(sum, bi.sum) && flags == bi.flags,
					   "block %u: summaries are not the originals'", b);
			free(orig);
			pos += bi.npoints;
		}

		/* exact values are deterministic: the originals give the same bytes */
		if (ok && all_exact)
		{
			size_t		len2,
						bad;
			uint8_t    *again = tu2_encode(ex->pts, ex->n, &ex->opts, &len2, &st, &bad);

			ok &= TU_C(again != NULL && len2 == len && memcmp(again, buf, len) == 0,
					   "re-encoding the originals gives other bytes");
			free(again);
		}
	}

	/* the decoded points re-encode losslessly, bit for bit */
	if (ok && h.npoints > 0)
	{
		cts_encode2_opts lo;
		size_t		len2,
					bad;
		uint8_t    *again;
		cts_point  *back;

		memset(&lo, 0, sizeof(lo));
		lo.codec = CTS_CODEC2_LOSSLESS;
		again = tu2_encode(pts, h.npoints, &lo, &len2, &st, &bad);
		ok &= TU_C(again != NULL, "lossless re-encoding fails: %s", tu_status_name(st));
		if (again)
		{
			back = (cts_point *) malloc(h.npoints * sizeof(cts_point));
			st = cts_decode_ws(again, len2, back, h.npoints, tu2_ts, tu2_vals,
							   CTS_MAX_BLOCK_POINTS);
			ok &= TU_C(st == CTS_OK && memcmp(back, pts, h.npoints * sizeof(cts_point)) == 0,
					   "lossless re-encoding does not give the points back");
			free(back);
			free(again);
		}
	}
	free(pts);
	return ok;
}

#endif							/* CTS_TESTUTIL2_H */
