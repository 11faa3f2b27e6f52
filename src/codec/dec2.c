/*-------------------------------------------------------------------------
 *
 * dec2.c
 *	  Reading format 2: header, directory, index, block payloads, and the
 *	  checks that make a corrupt value an error rather than wrong numbers.
 *
 * Every function reads untrusted bytes, checks each length before it reads
 * and never trusts a count.  Checksums come first (a flipped bit anywhere is
 * CTS_ERR_BAD_CHECKSUM before anything is decoded), then structure, then
 * the decoded points against their summaries: exact blocks must reproduce
 * min, max, sum and flags bit for bit, quantized ones their min and max and
 * a sum within npoints * max_error.  Decoding a block checks that block
 * only, so a reader that touches three blocks of a long series pays for
 * three.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/dec2.c
 *
 *-------------------------------------------------------------------------
 */
#include <float.h>

#include "iseq.h"
#include "v2.h"

static inline int
is_canonical_nan(double d)
{
	return cts_is_canonical_nan(d);
}

/* ----------------------------------------------------------------
 *		Header and directory
 * ----------------------------------------------------------------
 */

/*
 * cts2_read_header
 *		Parse and check a format 2 header (buf: at least its 80 bytes).
 */
cts_status
cts2_read_header(const uint8_t *buf, size_t len, cts_header *h)
{
	uint8_t		copy[CTS2_HEADER_SIZE];
	int			lossy;

	if (len < CTS2_HEADER_SIZE)
		return CTS_ERR_TRUNCATED;
	memcpy(copy, buf, CTS2_HEADER_SIZE);
	memset(copy + CTS2_H_CRC, 0, 4);
	if (cts_crc32c(0, copy, CTS2_HEADER_SIZE) != cts_get_u32(buf + CTS2_H_CRC))
		return CTS_ERR_BAD_CHECKSUM;

	memset(h, 0, sizeof(*h));
	h->version = buf[CTS2_H_VERSION];
	h->flags = buf[CTS2_H_FLAGS];
	h->codec = buf[CTS2_H_CODEC];
	h->codec_bits = buf[CTS2_H_CODEC_BITS];
	h->npoints = cts_get_u32(buf + CTS2_H_NPOINTS);
	h->nblocks = cts_get_u32(buf + CTS2_H_NBLOCKS);
	h->first_ts = cts_get_i64(buf + CTS2_H_FIRST_TS);
	h->last_ts = cts_get_i64(buf + CTS2_H_LAST_TS);
	h->min = cts_get_f64(buf + CTS2_H_MIN);
	h->max = cts_get_f64(buf + CTS2_H_MAX);
	h->sum = cts_get_f64(buf + CTS2_H_SUM);
	h->max_error = cts_get_f64(buf + CTS2_H_MAX_ERROR);
	h->codec_bound = cts_get_f64(buf + CTS2_H_BOUND);
	h->ndir = (h->nblocks + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS;
	h->dir_crc = cts_get_u32(buf + CTS2_H_DIR_CRC);

	if ((h->flags & ~CTS_V_KNOWN_FLAGS) != 0 ||
		cts_get_u32(buf + CTS2_H_RESERVED) != 0)
		return CTS_ERR_BAD_FLAGS;
	switch (h->codec)
	{
		case CTS_CODEC2_QUANT:
			if (h->codec_bits < 1 || h->codec_bits > 32 || h->codec_bound != 0)
				return CTS_ERR_BAD_HEADER;
			break;
		case CTS_CODEC2_BOUND:
			if (h->codec_bits != 0 || !(h->codec_bound > 0) || !isfinite(h->codec_bound))
				return CTS_ERR_BAD_HEADER;
			break;
		case CTS_CODEC2_MIXED:
		case CTS_CODEC2_LOSSLESS:
			if (h->codec_bits != 0 || !cts_same_double(h->codec_bound, 0.0))
				return CTS_ERR_BAD_HEADER;
			break;
		default:
			return CTS_ERR_BAD_CODEC;
	}
	lossy = h->codec == CTS_CODEC2_QUANT || h->codec == CTS_CODEC2_BOUND;
	if (lossy && h->flags != 0)
		return CTS_ERR_BAD_HEADER;
	if (h->npoints > CTS_MAX_POINTS)
		return CTS_ERR_BAD_HEADER;
	if (h->npoints == 0)
	{
		static const uint8_t zeros[CTS2_H_BOUND - CTS2_H_FIRST_TS] = {0};

		if (h->nblocks != 0 || h->flags != 0 ||
			memcmp(buf + CTS2_H_FIRST_TS, zeros, sizeof(zeros)) != 0 ||
			cts_get_u32(buf + CTS2_H_DIR_CRC) != 0)
			return CTS_ERR_BAD_HEADER;
		return CTS_OK;
	}
	if (h->nblocks == 0 || h->nblocks > h->npoints ||
		(uint64_t) h->nblocks * CTS_MAX_BLOCK_POINTS < h->npoints)
		return CTS_ERR_BAD_HEADER;
	if (h->first_ts > h->last_ts)
		return CTS_ERR_BAD_HEADER;

	/* summaries: NaN only where the flags say, infinities likewise */
	if (isnan(h->min) && !(is_canonical_nan(h->min) && (h->flags & CTS_V_NAN)))
		return CTS_ERR_BAD_HEADER;
	if ((h->flags & CTS_V_NAN) ? !is_canonical_nan(h->max) : isnan(h->max))
		return CTS_ERR_BAD_HEADER;
	if (!isnan(h->min) && !isnan(h->max) && !(h->min <= h->max))
		return CTS_ERR_BAD_HEADER;
	if ((isinf(h->min) && !(h->flags & (h->min > 0 ? CTS_V_POSINF : CTS_V_NEGINF))) ||
		(isinf(h->max) && !(h->flags & (h->max > 0 ? CTS_V_POSINF : CTS_V_NEGINF))))
		return CTS_ERR_BAD_HEADER;
	if (lossy && (cts_is_negative_zero(h->min) || cts_is_negative_zero(h->max)))
		return CTS_ERR_BAD_HEADER;
	if ((isnan(h->sum) && !is_canonical_nan(h->sum)) ||
		cts_is_negative_zero(h->sum) ||
		!isfinite(h->max_error) || !(h->max_error >= 0.0) ||
		cts_is_negative_zero(h->max_error))
		return CTS_ERR_BAD_HEADER;
	if (h->codec == CTS_CODEC2_LOSSLESS && h->max_error != 0.0)
		return CTS_ERR_BAD_HEADER;
	return CTS_OK;
}

/*
 * cts2_read_directory
 *		Check the directory (dir: its ndir * 24 bytes) against the header.
 */
cts_status
cts2_read_directory(const cts_header *h, const uint8_t *dir, size_t len)
{
	size_t		need = CTS2_DIR_ENTRY_SIZE * (size_t) h->ndir;
	uint32_t	g;

	if (len < need)
		return CTS_ERR_TRUNCATED;
	if (cts_crc32c(0, dir, need) != h->dir_crc)
		return CTS_ERR_BAD_CHECKSUM;
	for (g = 0; g < h->ndir; g++)
	{
		const uint8_t *d = dir + CTS2_DIR_ENTRY_SIZE * (size_t) g;
		int64_t		f = cts_get_i64(d + CTS2_D_FIRST_TS);
		int64_t		l = cts_get_i64(d + CTS2_D_LAST_TS);

		if (cts_get_u32(d + CTS2_D_RESERVED) != 0)
			return CTS_ERR_BAD_FLAGS;
		if (f > l || f < h->first_ts || l > h->last_ts ||
			(g == 0 && f != h->first_ts) ||
			(g == h->ndir - 1 && l != h->last_ts))
			return CTS_ERR_BAD_INDEX;
		if (g > 0 && f < cts_get_i64(d - CTS2_DIR_ENTRY_SIZE + CTS2_D_LAST_TS))
			return CTS_ERR_BAD_INDEX;
	}
	return CTS_OK;
}

void
cts2_dir_entry(const uint8_t *dir, uint32_t g, cts_dir_entry *de)
{
	const uint8_t *d = dir + CTS2_DIR_ENTRY_SIZE * (size_t) g;

	de->first_ts = cts_get_i64(d + CTS2_D_FIRST_TS);
	de->last_ts = cts_get_i64(d + CTS2_D_LAST_TS);
	de->crc = cts_get_u32(d + CTS2_D_CRC);
}

void
cts2_group_span(const cts_header *h, uint32_t g, size_t *offset, size_t *len,
				uint32_t *first_block, uint32_t *nblocks)
{
	uint32_t	b0 = g * CTS2_GROUP_BLOCKS;
	uint32_t	nb = h->nblocks - b0 < CTS2_GROUP_BLOCKS ? h->nblocks - b0 : CTS2_GROUP_BLOCKS;

	*first_block = b0;
	*nblocks = nb;
	*offset = CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) h->ndir +
		CTS2_INDEX_ENTRY_SIZE * (size_t) b0;
	*len = CTS2_INDEX_ENTRY_SIZE * (size_t) nb;
}

cts_status
cts2_check_group(const cts_header *h, const cts_dir_entry *de,
				 const uint8_t *entries, size_t len)
{
	(void) h;
	if (cts_crc32c(0, entries, len) != de->crc)
		return CTS_ERR_BAD_CHECKSUM;
	return CTS_OK;
}

/* ----------------------------------------------------------------
 *		Index entries
 * ----------------------------------------------------------------
 */

static inline int
vmode_exact(uint8_t vmode)
{
	return vmode == CTS_M_CONST || vmode == CTS_M_DECIMAL || vmode == CTS_M_FLOAT;
}

/*
 * cts2_check_payload
 *		Check block bi's payload bytes (len of them) against the entry's
 *		length and the payload's own CRC: what a copy of the block (slice,
 *		append) needs before it keeps the bytes, and what decoding checks
 *		first.
 */
cts_status
cts2_check_payload(const cts_block_info *bi, const uint8_t *payload, size_t len)
{
	if (len != bi->length || len < 4)
		return CTS_ERR_TRUNCATED;
	if (cts_crc32c(0, payload + 4, len - 4) != cts_get_u32(payload))
		return CTS_ERR_BAD_CHECKSUM;
	return CTS_OK;
}

/*
 * cts2_parse_entry
 *		Parse one index entry and check it on its own and against the header.
 */
cts_status
cts2_parse_entry(const cts_header *h, const uint8_t *e, cts_block_info *bi)
{
	int			lossy_codec = h->codec == CTS_CODEC2_QUANT || h->codec == CTS_CODEC2_BOUND;

	cts2_get_entry(e, bi);
	if ((bi->flags & ~CTS_V_KNOWN_FLAGS) != 0 || e[CTS2_B_RESERVED] != 0)
		return CTS_ERR_BAD_FLAGS;
	if (bi->vmode < CTS_M_CONST || bi->vmode > CTS_M_FLOAT ||
		bi->tmode < CTS_T_REGULAR || bi->tmode > CTS_T_DELTA)
		return CTS_ERR_BAD_CODEC;
	if (bi->npoints < 1 || bi->npoints > CTS_MAX_BLOCK_POINTS ||
		bi->npoints > h->npoints || bi->length < 4)
		return CTS_ERR_BAD_INDEX;
	if (bi->first_ts > bi->last_ts ||
		bi->first_ts < h->first_ts || bi->last_ts > h->last_ts)
		return CTS_ERR_BAD_INDEX;
	if (bi->npoints == 1 && (bi->first_ts != bi->last_ts || bi->tmode != CTS_T_REGULAR))
		return CTS_ERR_BAD_INDEX;
	if ((bi->flags & ~h->flags) != 0)
		return CTS_ERR_BAD_SUMMARY;
	if (bi->flags != 0 && !vmode_exact(bi->vmode))
		return CTS_ERR_BAD_SUMMARY;
	if (h->codec == CTS_CODEC2_LOSSLESS && !vmode_exact(bi->vmode))
		return CTS_ERR_BAD_CODEC;

	/* the summaries, by the same rules as the header's */
	if (isnan(bi->min) && !(is_canonical_nan(bi->min) && (bi->flags & CTS_V_NAN)))
		return CTS_ERR_BAD_SUMMARY;
	if ((bi->flags & CTS_V_NAN) ? !is_canonical_nan(bi->max) : isnan(bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if (!isnan(bi->min) && !isnan(bi->max) && !(bi->min <= bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if ((isinf(bi->min) && !(bi->flags & (bi->min > 0 ? CTS_V_POSINF : CTS_V_NEGINF))) ||
		(isinf(bi->max) && !(bi->flags & (bi->max > 0 ? CTS_V_POSINF : CTS_V_NEGINF))))
		return CTS_ERR_BAD_SUMMARY;
	if (lossy_codec && (cts_is_negative_zero(bi->min) || cts_is_negative_zero(bi->max)))
		return CTS_ERR_BAD_SUMMARY;
	if (isnan(bi->sum) || cts_is_negative_zero(bi->sum) ||
		!isfinite(bi->max_error) || !(bi->max_error >= 0.0) ||
		cts_is_negative_zero(bi->max_error) || bi->max_error > h->max_error)
		return CTS_ERR_BAD_SUMMARY;
	/*
	 * An exact block of a lossless value has no error; in a lossy value an
	 * exact block may carry the bound of the block its points came from
	 * (a slice or an append copies decoded points without quantizing
	 * them again).
	 */
	if (vmode_exact(bi->vmode) && bi->max_error != 0.0 &&
		h->codec == CTS_CODEC2_LOSSLESS)
		return CTS_ERR_BAD_SUMMARY;
	if (bi->vmode == CTS_M_CONST)
	{
		/* min and max are the value itself (the value may be NaN) */
		if (!(bi->flags & CTS_V_NAN) && !cts_same_double(bi->min, bi->max))
			return CTS_ERR_BAD_SUMMARY;
	}
	else if (!vmode_exact(bi->vmode) &&
			 (!isfinite(bi->min) || !isfinite(bi->max) || !(bi->min < bi->max)))
		return CTS_ERR_BAD_SUMMARY;
	return CTS_OK;
}

/*
 * cts2_read_block_info
 *		Entry i of a whole value.
 */
cts_status
cts2_read_block_info(const uint8_t *buf, size_t len, const cts_header *h,
					 uint32_t i, cts_block_info *bi)
{
	size_t		at;

	if (i >= h->nblocks)
		return CTS_ERR_BAD_INDEX;
	at = CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) h->ndir +
		CTS2_INDEX_ENTRY_SIZE * (size_t) i;
	if (len < at || len - at < CTS2_INDEX_ENTRY_SIZE)
		return CTS_ERR_TRUNCATED;
	return cts2_parse_entry(h, buf + at, bi);
}

/*
 * cts2_validate_index
 *		Directory, group checksums, entries against each other and the
 *		header, payloads contiguous to the end.
 */
cts_status
cts2_validate_index(const uint8_t *buf, size_t len, const cts_header *h)
{
	size_t		data_off = cts2_prefix_size(h->nblocks);
	uint64_t	expect = 0;
	cts2_header_acc acc = CTS2_HEADER_ACC_INIT;
	int64_t		prev_last = 0;
	uint32_t	i;
	uint32_t	g;
	cts_status	st;
	double		mn,
				mx,
				sum;

	if (h->npoints == 0)
		return len == CTS2_HEADER_SIZE ? CTS_OK :
			(len < CTS2_HEADER_SIZE ? CTS_ERR_TRUNCATED : CTS_ERR_TRAILING);
	if (len < data_off)
		return CTS_ERR_TRUNCATED;
	st = cts2_read_directory(h, buf + CTS2_HEADER_SIZE, len - CTS2_HEADER_SIZE);
	if (st != CTS_OK)
		return st;
	for (g = 0; g < h->ndir; g++)
	{
		cts_dir_entry de;
		size_t		off,
					glen;
		uint32_t	b0,
					nb;

		cts2_dir_entry(buf + CTS2_HEADER_SIZE, g, &de);
		cts2_group_span(h, g, &off, &glen, &b0, &nb);
		st = cts2_check_group(h, &de, buf + off, glen);
		if (st != CTS_OK)
			return st;
		for (i = b0; i < b0 + nb; i++)
		{
			cts_block_info bi;

			st = cts2_parse_entry(h, buf + off + CTS2_INDEX_ENTRY_SIZE * (size_t) (i - b0), &bi);
			if (st != CTS_OK)
				return st;
			if (bi.offset != expect)
				return CTS_ERR_BAD_INDEX;
			if (len - data_off < expect || len - data_off - expect < bi.length)
				return CTS_ERR_TRUNCATED;
			expect += bi.length;
			if (i > 0 && bi.first_ts < prev_last)
				return CTS_ERR_BAD_INDEX;
			if (i == 0 && bi.first_ts != h->first_ts)
				return CTS_ERR_BAD_HEADER;
			if (i == b0 && bi.first_ts != de.first_ts)
				return CTS_ERR_BAD_INDEX;
			if (i == b0 + nb - 1 && bi.last_ts != de.last_ts)
				return CTS_ERR_BAD_INDEX;
			prev_last = bi.last_ts;
			cts2_header_acc_add(&acc, &bi);
			if (acc.npoints > h->npoints)
				return CTS_ERR_BAD_HEADER;
		}
	}
	cts2_header_acc_result(&acc, &mn, &mx, &sum);
	if (acc.npoints != h->npoints || prev_last != h->last_ts ||
		acc.flags != h->flags ||
		!cts_same_double(mn, h->min) || !cts_same_double(mx, h->max) ||
		!cts_same_double(acc.max_error, h->max_error) ||
		!cts_same_double(sum, h->sum))
		return CTS_ERR_BAD_HEADER;
	if (len - data_off != expect)
		return CTS_ERR_TRAILING;
	return CTS_OK;
}

/* ----------------------------------------------------------------
 *		Payloads
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
 * decode_ts2
 *		The timestamps of block bi into ts[], and in *count how many of them
 *		are <= hi: a regular block writes only those (and ts[0]), since that
 *		count follows from its step; any other block all bi->npoints.
 */
static cts_status
decode_ts2(const cts_block_info *bi, const uint8_t **pp, const uint8_t *end,
		   int64_t *ts, uint64_t *step_out, int verify, int64_t hi, uint32_t *count)
{
	uint32_t	n = bi->npoints;
	uint32_t	i;

	*step_out = 0;
	*count = 0;
	ts[0] = bi->first_ts;
	if (bi->tmode == CTS_T_REGULAR)
	{
		uint64_t	step;
		uint64_t	span = (uint64_t) bi->last_ts - (uint64_t) bi->first_ts;

		if (cts_get_varint(pp, end, &step) != 0)
			return CTS_ERR_BAD_BLOCK;
		if (n == 1 ? step != 0 :
			(step > UINT64_MAX / (n - 1) || step * (n - 1) != span))
			return CTS_ERR_BAD_TIMESTAMPS;
		if (hi >= bi->last_ts)
			*count = n;
		else if (hi >= bi->first_ts)
			*count = (uint32_t) (((uint64_t) hi - (uint64_t) bi->first_ts) / step) + 1;
		for (i = 1; i < *count; i++)
			ts[i] = (int64_t) ((uint64_t) bi->first_ts + step * i);
		*step_out = step;
		return CTS_OK;
	}
	else
	{
		uint64_t	g;
		uint64_t	gq = 0;
		uint64_t	q1 = 0;
		size_t		used;
		int			pred;
		uint32_t	P;
		int			all_equal = 1;
		cts_status	st;

		if (n < 3 || cts_get_varint(pp, end, &g) != 0 || g == 0)
			return CTS_ERR_BAD_BLOCK;
		st = cts_pseq_decode(*pp, (size_t) (end - *pp), &used, ts + 1, n - 1,
							 &pred, &P, verify);
		if (st != CTS_OK)
			return st;
		if (pred != CTS_P_NONE && pred != CTS_P_DELTA)
			return CTS_ERR_BAD_BLOCK;
		*pp += used;
		for (i = 1; i < n; i++)
		{
			uint64_t	q = (uint64_t) ts[i];
			uint64_t	d;
			uint64_t	room;

			if (q > UINT64_MAX / g)
				return CTS_ERR_BAD_TIMESTAMPS;
			d = q * g;
			gq = gcd64(gq, q);
			if (i == 1)
				q1 = q;
			else if (q != q1)
				all_equal = 0;
			room = (uint64_t) INT64_MAX - (uint64_t) ts[i - 1];
			if (d > room)
				return CTS_ERR_BAD_TIMESTAMPS;
			ts[i] = (int64_t) ((uint64_t) ts[i - 1] + d);
		}
		/* canonical: g is the exact gcd, and the block is not regular */
		if (gq != 1 || all_equal)
			return CTS_ERR_BAD_BLOCK;
		if (ts[n - 1] != bi->last_ts)
			return CTS_ERR_BAD_TIMESTAMPS;
		if (hi >= bi->last_ts)
			*count = n;
		else
			*count = cts_count_upto(ts, n, hi);
		return CTS_OK;
	}
}

static inline int
decimal_ok(double v, int e, int64_t *d)
{
	double		scaled = v * cts_pow10[e];
	double		r;
	const double magic = 6755399441055744.0;

	if (!(fabs(scaled) < 0x1p52))
		return 0;
	r = scaled >= 0 ? (scaled + magic) - magic : -((-scaled + magic) - magic);
	if (!cts_same_double(r / cts_pow10[e], v))
		return 0;
	*d = (int64_t) r;
	return 1;
}

/*
 * decode_payload
 *		Decode block bi from its payload bytes into ts[] and values[] (room
 *		for bi->npoints each): its points up to time hi, *count of them
 *		(hi = INT64_MAX: all).  The values are decoded front to back and
 *		stop there, so a prefix costs what its length costs.
 *
 * Always: the checksum, every length and bound (nothing is read past len,
 * no arithmetic overflows), the timestamps against the index.  With
 * verify, also everything the encoder guarantees: the canonical form and
 * the summaries against the decoded points.
 */
static cts_status
decode_payload(const cts_header *h, const cts_block_info *bi,
			   const uint8_t *payload, size_t len,
			   int64_t *ts, double *values, int verify,
			   int64_t hi, uint32_t *count)
{
	const uint8_t *p;
	const uint8_t *end;
	uint32_t	n = bi->npoints;
	int64_t    *x = (int64_t *) (void *) values;
	uint64_t	step;
	cts_status	st;
	size_t		used;
	uint32_t	i;
	uint32_t	lim;
	cts_block_info got;
	int			lossy_values = !vmode_exact(bi->vmode);
	int			norm_zero = h->codec == CTS_CODEC2_QUANT || h->codec == CTS_CODEC2_BOUND;

	if (ts == NULL || values == NULL)
		return CTS_ERR_BAD_ARGUMENT;
	st = cts2_check_payload(bi, payload, len);
	if (st != CTS_OK)
		return st;
	p = payload + 4;
	end = payload + len;

	st = decode_ts2(bi, &p, end, ts, &step, verify, hi, &lim);
	if (st != CTS_OK)
		return st;
	*count = lim;
	if (verify && lim != n)
		return CTS_ERR_BAD_ARGUMENT;
	if (lim == 0)
		return CTS_OK;

	switch (bi->vmode)
	{
		case CTS_M_CONST:
			{
				double		v;

				if (end - p < 8)
					return CTS_ERR_TRUNCATED;
				v = cts_get_f64(p);
				p += 8;
				for (i = 0; i < lim; i++)
					values[i] = v;
				break;
			}
		case CTS_M_FLOAT:
			st = cts_pseq_decode_upto(p, (size_t) (end - p), &used, x, n, lim,
									  NULL, NULL, verify);
			if (st != CTS_OK)
				return st;
			p += used;
			for (i = 0; i < lim; i++)
				values[i] = cts2_ordered_to_float(x[i]);
			break;
		case CTS_M_DECIMAL:
		case CTS_M_QUANT:
			{
				int			e = 0;
				uint64_t	L = 0;
				uint32_t	k;
				const uint8_t *ev;
				int			injective = 1;
				uint32_t	j;
				cts_grid	grid;

				if (bi->vmode == CTS_M_DECIMAL)
				{
					if (p >= end || *p > CTS2_MAX_DECIMAL_E)
						return CTS_ERR_BAD_BLOCK;
					e = *p++;
				}
				else
				{
					if (cts_get_varint(&p, end, &L) != 0 || L < 1 ||
						L > (UINT64_C(1) << 52))
						return CTS_ERR_BAD_BLOCK;
					cts_grid_init(&grid, bi->min, bi->max, L);
					injective = cts_grid_injective(&grid);
				}
				st = cts_pseq_decode_upto(p, (size_t) (end - p), &used, x, n, lim,
										  NULL, NULL, verify);
				if (st != CTS_OK)
					return st;
				p += used;

				/*
				 * Exceptions: read their count and positions as we go, from
				 * the bytes directly (no room to keep them).
				 */
				{
					uint64_t	kk;
					const uint8_t *gp;
					uint64_t	next;
					int64_t		prev_int = 0;

					if (cts_get_varint(&p, end, &kk) != 0 || kk > n)
						return CTS_ERR_BAD_BLOCK;
					k = (uint32_t) kk;
					gp = p;
					/* skip the gaps to find the values */
					for (j = 0; j < k; j++)
					{
						uint64_t	gap;

						if (cts_get_varint(&p, end, &gap) != 0 || gap >= n)
							return CTS_ERR_BAD_BLOCK;
					}
					if ((uint64_t) (end - p) < 8 * (uint64_t) k)
						return CTS_ERR_TRUNCATED;
					ev = p;
					p += 8 * (size_t) k;

					if (k == 0 && !verify)
					{
						/* the common case, without a branch per point */
						if (bi->vmode == CTS_M_DECIMAL)
						{
							double		p10 = cts_pow10[e];

							for (i = 0; i < lim; i++)
								values[i] = (double) x[i] / p10;
						}
						else
							for (i = 0; i < lim; i++)
								values[i] = cts_grid_decode(&grid, (uint64_t) x[i]);
						break;
					}
					j = 0;
					next = UINT64_MAX;
					if (k > 0)
					{
						uint64_t	gap;

						(void) cts_get_varint(&gp, ev, &gap);
						next = gap;
					}
					for (i = 0; i < lim; i++)
					{
						int64_t		xi = x[i];

						if (i == next)
						{
							double		v = cts_get_f64(ev + 8 * (size_t) j);
							int64_t		d;

							/* the integer stream repeats the previous one */
							if (xi != prev_int)
								return CTS_ERR_BAD_BLOCK;
							if (bi->vmode == CTS_M_DECIMAL)
							{
								/* canonical: not a decimal the mode could store */
								if (decimal_ok(v, e, &d) &&
									!(norm_zero && v == 0.0))
									return CTS_ERR_BAD_BLOCK;
							}
							else if (!isfinite(v) ||
									 cts_same_double(cts_grid_decode(&grid, cts_grid_encode(&grid, v)), v))
								return CTS_ERR_BAD_BLOCK;
							if (norm_zero && (!isfinite(v) || cts_is_negative_zero(v)))
								return CTS_ERR_BAD_BLOCK;
							values[i] = v;
							j++;
							if (j < k)
							{
								uint64_t	gap;

								(void) cts_get_varint(&gp, ev, &gap);
								if (gap > UINT64_MAX - next - 1)
									return CTS_ERR_BAD_BLOCK;
								next = next + 1 + gap;
								if (next >= n)
									return CTS_ERR_BAD_BLOCK;
							}
							else
								next = UINT64_MAX;
							continue;
						}
						prev_int = xi;
						if (bi->vmode == CTS_M_DECIMAL)
						{
							if (xi <= -(INT64_C(1) << 52) || xi >= (INT64_C(1) << 52))
								return CTS_ERR_BAD_BLOCK;
							values[i] = (double) xi / cts_pow10[e];
							/* -0.0 cannot come out of d / 10^e: d = 0 is +0.0 */
						}
						else
						{
							uint64_t	c = (uint64_t) xi;
							double		v;

							if (c > L)
								return CTS_ERR_BAD_BLOCK;
							v = cts_grid_decode(&grid, c);
							if (!injective && c > 0 &&
								cts_grid_decode(&grid, c - 1) == v)
								return CTS_ERR_BAD_BLOCK;
							values[i] = v;
						}
					}
					if (lim == n && j != k)
						return CTS_ERR_BAD_BLOCK;
				}
				break;
			}
		case CTS_M_QUANT_GROUPS:
			{
				int			w;
				uint64_t	L;
				uint32_t	ng = (n + CTS2_QUANT_GROUP - 1) / CTS2_QUANT_GROUP;
				const uint8_t *gr;
				uint32_t	g;

				if (p >= end)
					return CTS_ERR_TRUNCATED;
				w = *p++;
				if (w < 1 || w > 32)
					return CTS_ERR_BAD_BLOCK;
				L = (UINT64_C(1) << w) - 1;
				if ((size_t) (end - p) < 16 * (size_t) ng)
					return CTS_ERR_TRUNCATED;
				gr = p;
				p += 16 * (size_t) ng;
				st = cts_pseq_decode_upto(p, (size_t) (end - p), &used, x, n, lim,
										  NULL, NULL, verify);
				if (st != CTS_OK)
					return st;
				p += used;
				for (g = 0; g < ng && g * CTS2_QUANT_GROUP < lim; g++)
				{
					double		mn = cts_get_f64(gr + 16 * (size_t) g);
					double		mx = cts_get_f64(gr + 16 * (size_t) g + 8);
					uint32_t	g0 = g * CTS2_QUANT_GROUP;
					uint32_t	g1 = g0 + CTS2_QUANT_GROUP < n ? g0 + CTS2_QUANT_GROUP : n;
					int			whole = g1 <= lim;	/* a prefix may cut the last group */
					int			inj;
					double		dmn = mx,
								dmx = mn;
					cts_grid	grid;

					if (!isfinite(mn) || !isfinite(mx) || !(mn <= mx) ||
						cts_is_negative_zero(mn) || cts_is_negative_zero(mx))
						return CTS_ERR_BAD_BLOCK;
					if (mn < mx)
						cts_grid_init(&grid, mn, mx, L);
					inj = mn == mx || cts_grid_injective(&grid);
					if (!whole)
						g1 = lim;
					for (i = g0; i < g1; i++)
					{
						uint64_t	c = (uint64_t) x[i];
						double		v;

						if (c > L || (mn == mx && c != 0))
							return CTS_ERR_BAD_BLOCK;
						v = mn == mx ? mn : cts_grid_decode(&grid, c);
						if (!inj && c > 0 && cts_grid_decode(&grid, c - 1) == v)
							return CTS_ERR_BAD_BLOCK;
						values[i] = v;
						if (v < dmn)
							dmn = v;
						if (v > dmx)
							dmx = v;
					}
					/* the group's range is its own points' */
					if (whole && (!cts_same_double(dmn, mn) || !cts_same_double(dmx, mx)))
						return CTS_ERR_BAD_BLOCK;
				}
				break;
			}
		default:
			return CTS_ERR_BAD_CODEC;
	}
	if (p != end)
		return CTS_ERR_BAD_BLOCK;
	if (!verify)
		return CTS_OK;

	/* the summaries the index holds must be the decoded points' */
	memset(&got, 0, sizeof(got));
	cts2_block_summaries(values, sizeof(double), n, &got);
	if (got.flags != bi->flags || !cts_same_double(got.min, bi->min) ||
		!cts_same_double(got.max, bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if (!lossy_values)
	{
		if (!cts_same_double(got.sum, bi->sum))
			return CTS_ERR_BAD_SUMMARY;
		if (norm_zero)
			for (i = 0; i < n; i++)
				if (!isfinite(values[i]) || cts_is_negative_zero(values[i]))
					return CTS_ERR_BAD_BLOCK;
	}
	else
	{
		double		abs_sum = 0;

		for (i = 0; i < n; i++)
			cts_abs_sum_add(&abs_sum, values[i]);
		if (!cts_summary_plausible(n, 0, bi->min, bi->max, bi->sum,
								   bi->max_error, got.sum, abs_sum))
			return CTS_ERR_BAD_SUMMARY;
	}
	(void) step;
	return CTS_OK;
}

/*
 * cts2_decode_payload
 *		Decode and verify a block from its payload bytes: what every value
 *		from outside (recv, a literal, a partial read of untrusted bytes)
 *		goes through.
 */
cts_status
cts2_decode_payload(const cts_header *h, const cts_block_info *bi,
					const uint8_t *payload, size_t len,
					int64_t *ts, double *values)
{
	uint32_t	count;

	return decode_payload(h, bi, payload, len, ts, values, 1, INT64_MAX, &count);
}

/*
 * cts2_decode_payload_trusted
 *		Decode a block of a value that was verified when it was stored: the
 *		checksum and every bound are still checked (a damaged value is an
 *		error, never a crash), the canonical form and summaries are not.
 */
cts_status
cts2_decode_payload_trusted(const cts_header *h, const cts_block_info *bi,
							const uint8_t *payload, size_t len,
							int64_t *ts, double *values)
{
	uint32_t	count;

	return decode_payload(h, bi, payload, len, ts, values, 0, INT64_MAX, &count);
}

/*
 * cts2_decode_payload_until
 *		Trusted decoding of the points of block bi up to time hi: *count of
 *		them, into ts[] and values[] (room for cts_block_count_until(bi, hi)
 *		points each, at least one).  The values after hi are not decoded.
 */
cts_status
cts2_decode_payload_until(const cts_header *h, const cts_block_info *bi,
						  const uint8_t *payload, size_t len, int64_t hi,
						  int64_t *ts, double *values, uint32_t *count)
{
	return decode_payload(h, bi, payload, len, ts, values, 0, hi, count);
}
