/*-------------------------------------------------------------------------
 *
 * decode.c
 *	  Reading compact_ts bytes: header, block index, block payloads, and the
 *	  full validator.
 *
 * Every function here reads untrusted bytes.  Each one checks a length
 * before it reads, with arithmetic that cannot overflow, and reports a
 * status instead of trusting a count.  The validator checks everything the
 * encoder guarantees: header against index, index entries against each
 * other and the payload area, every payload decoded and compared with its
 * index entry (timestamps, exact min and max, a plausible sum and error
 * bound).  Decoding a block performs the same checks on that block, so a
 * query that decodes only some blocks still never returns a point from a
 * block that fails them.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/decode.c
 *
 *-------------------------------------------------------------------------
 */
#include "gorilla.h"
#include "v2.h"

/*
 * cts_data_offset
 *		Where the block payloads start.  nblocks is validated by
 *		cts_read_header, so this cannot overflow for a header it accepted.
 */
size_t
cts_data_offset(const cts_header *h)
{
	if (h->version == CTS_FORMAT_V2)
		return cts2_prefix_size(h->nblocks);
	return CTS_HEADER_SIZE + (size_t) CTS_INDEX_ENTRY_SIZE * h->nblocks;
}

/*
 * cts_read_header
 *		Parse and check the header; buf may be just the first bytes of a value.
 */
cts_status
cts_read_header(const uint8_t *buf, size_t len, cts_header *h)
{
	if (buf == NULL || len < 1)
		return CTS_ERR_TRUNCATED;
	if (buf[0] == CTS_FORMAT_V2)
		return cts2_read_header(buf, len, h);
	if (len < CTS_HEADER_SIZE)
		return CTS_ERR_TRUNCATED;
	memset(h, 0, sizeof(*h));
	h->version = buf[CTS_H_VERSION];
	if (h->version != CTS_FORMAT_VERSION)
		return CTS_ERR_BAD_VERSION;
	if (buf[CTS_H_FLAGS] != 0 || cts_get_u16(buf + CTS_H_RESERVED1) != 0 ||
		cts_get_u32(buf + CTS_H_RESERVED2) != 0)
		return CTS_ERR_BAD_FLAGS;
	h->npoints = cts_get_u32(buf + CTS_H_NPOINTS);
	h->nblocks = cts_get_u32(buf + CTS_H_NBLOCKS);
	h->first_ts = cts_get_i64(buf + CTS_H_FIRST_TS);
	h->last_ts = cts_get_i64(buf + CTS_H_LAST_TS);
	h->min = cts_get_f64(buf + CTS_H_MIN);
	h->max = cts_get_f64(buf + CTS_H_MAX);
	h->sum = cts_get_f64(buf + CTS_H_SUM);
	h->max_error = cts_get_f64(buf + CTS_H_MAX_ERROR);

	if (h->npoints > CTS_MAX_POINTS)
		return CTS_ERR_BAD_HEADER;
	if (h->npoints == 0)
	{
		/* an empty series: everything else is zero */
		static const uint8_t zeros[CTS_HEADER_SIZE - CTS_H_FIRST_TS] = {0};

		if (h->nblocks != 0 ||
			memcmp(buf + CTS_H_FIRST_TS, zeros, sizeof(zeros)) != 0)
			return CTS_ERR_BAD_HEADER;
		return CTS_OK;
	}
	/* a block holds at least one point */
	if (h->nblocks == 0 || h->nblocks > h->npoints)
		return CTS_ERR_BAD_HEADER;
	if ((uint64_t) h->nblocks * CTS_MAX_BLOCK_POINTS < h->npoints)
		return CTS_ERR_BAD_HEADER;
	if (h->first_ts > h->last_ts)
		return CTS_ERR_BAD_HEADER;
	if (!isfinite(h->min) || !isfinite(h->max) || !(h->min <= h->max) ||
		cts_is_negative_zero(h->min) || cts_is_negative_zero(h->max) ||
		(isnan(h->sum) && !cts_is_canonical_nan(h->sum)) ||
		cts_is_negative_zero(h->sum) ||
		!isfinite(h->max_error) || !(h->max_error >= 0.0) ||
		cts_is_negative_zero(h->max_error))
		return CTS_ERR_BAD_HEADER;
	return CTS_OK;
}

/*
 * cts_read_block_info
 *		Parse index entry i and check it on its own.
 */
cts_status
cts_read_block_info(const uint8_t *buf, size_t len, const cts_header *h,
					uint32_t i, cts_block_info *bi)
{
	const uint8_t *e;
	size_t		at;

	if (h->version == CTS_FORMAT_V2)
		return cts2_read_block_info(buf, len, h, i, bi);
	memset(bi, 0, sizeof(*bi));
	if (i >= h->nblocks)
		return CTS_ERR_BAD_INDEX;
	at = CTS_HEADER_SIZE + (size_t) CTS_INDEX_ENTRY_SIZE * i;
	if (len < at || len - at < CTS_INDEX_ENTRY_SIZE)
		return CTS_ERR_TRUNCATED;
	e = buf + at;

	bi->offset = cts_get_u32(e + CTS_B_OFFSET);
	bi->length = cts_get_u32(e + CTS_B_LENGTH);
	bi->npoints = cts_get_u32(e + CTS_B_NPOINTS);
	bi->codec = e[CTS_B_CODEC];
	bi->flags = e[CTS_B_FLAGS];
	bi->first_ts = cts_get_i64(e + CTS_B_FIRST_TS);
	bi->last_ts = cts_get_i64(e + CTS_B_LAST_TS);
	bi->min = cts_get_f64(e + CTS_B_MIN);
	bi->max = cts_get_f64(e + CTS_B_MAX);
	bi->sum = cts_get_f64(e + CTS_B_SUM);
	bi->max_error = cts_get_f64(e + CTS_B_MAX_ERROR);

	if (cts_codec_name(bi->codec) == NULL)
		return CTS_ERR_BAD_CODEC;
	if ((bi->flags & ~CTS_BLOCK_KNOWN_FLAGS) != 0 ||
		cts_get_u16(e + CTS_B_RESERVED) != 0)
		return CTS_ERR_BAD_FLAGS;
	if (bi->npoints < 1 || bi->npoints > CTS_MAX_BLOCK_POINTS ||
		bi->npoints > h->npoints)
		return CTS_ERR_BAD_INDEX;
	if (bi->first_ts > bi->last_ts ||
		bi->first_ts < h->first_ts || bi->last_ts > h->last_ts)
		return CTS_ERR_BAD_INDEX;
	if (!isfinite(bi->min) || !isfinite(bi->max) || !(bi->min <= bi->max) ||
		cts_is_negative_zero(bi->min) || cts_is_negative_zero(bi->max) ||
		bi->min < h->min || bi->max > h->max ||
		isnan(bi->sum) || cts_is_negative_zero(bi->sum) ||
		!isfinite(bi->max_error) || !(bi->max_error >= 0.0) ||
		cts_is_negative_zero(bi->max_error) || bi->max_error > h->max_error)
		return CTS_ERR_BAD_SUMMARY;
	/* QUANT16: constant iff min == max; payload length follows from it */
	if (((bi->flags & CTS_BLOCK_CONSTANT) != 0) != (bi->min == bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if (bi->npoints == 1 && bi->first_ts != bi->last_ts)
		return CTS_ERR_BAD_INDEX;
	return CTS_OK;
}

/*
 * cts_decode_block
 *		Decode and check one block; ts / values may be NULL (check only).
 */
static cts_status
decode_block_impl(const uint8_t *buf, size_t len, const cts_header *h,
				  const cts_block_info *bi, int64_t *ts, double *values,
				  cts_point *pts)
{
	size_t		data_off = cts_data_offset(h);
	const uint8_t *p;
	const uint8_t *end;
	uint32_t	n = bi->npoints;
	int			constant = (bi->flags & CTS_BLOCK_CONSTANT) != 0;
	size_t		values_size = 0;
	cts_sum_state st = CTS_SUM_INIT;
	double		abs_sum = 0.0;	/* sum |v| * 2^-20 */
	double		dmin = bi->max,
				dmax = bi->min;
	uint64_t	prev_delta = 0;
	int64_t		cur;
	uint32_t	i;
	cts_bitreader r;
	int			injective = 1;
	int			after_run = 0;

	/* bi may come from the caller rather than cts_read_block_info */
	if (cts_codec_name(bi->codec) == NULL)
		return CTS_ERR_BAD_CODEC;
	if ((bi->flags & ~CTS_BLOCK_KNOWN_FLAGS) != 0)
		return CTS_ERR_BAD_FLAGS;
	if (n < 1 || n > CTS_MAX_BLOCK_POINTS || bi->first_ts > bi->last_ts)
		return CTS_ERR_BAD_INDEX;
	if (constant != (bi->min == bi->max) ||
		!isfinite(bi->min) || !isfinite(bi->max) || !(bi->min <= bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if (len < data_off || len - data_off < bi->offset ||
		len - data_off - bi->offset < bi->length)
		return CTS_ERR_TRUNCATED;
	p = buf + data_off + bi->offset;
	end = p + bi->length;

	/* where the values are, and how many bytes they take */
	if (constant)
		values_size = 0;
	else if (bi->codec == CTS_CODEC_GORILLA)
	{
		uint32_t	vlen;

		if (bi->length < 4)
			return CTS_ERR_BAD_BLOCK;
		vlen = cts_get_u32(p);
		if (vlen > bi->length - 4)
			return CTS_ERR_BAD_BLOCK;
		cts_gorilla_reader_init(&r, p + 4, vlen);
		values_size = 4 + (size_t) vlen;
	}
	else
	{
		values_size = 2 * (size_t) n;
		if (bi->length < values_size)
			return CTS_ERR_BAD_BLOCK;
		injective = cts_quant16_injective(bi->min, bi->max);
	}

	/* values, with the summaries the index must agree with */
	for (i = 0; i < n; i++)
	{
		double		v;

		if (constant)
			v = bi->min;
		else if (bi->codec == CTS_CODEC_GORILLA)
		{
			if (cts_gorilla_next(&r, &v) != 0 ||
				!isfinite(v) || cts_is_negative_zero(v))
				return CTS_ERR_BAD_BLOCK;
		}
		else
		{
			uint16_t	code = cts_get_u16(p + 2 * (size_t) i);

			v = cts_quant16_decode(bi->min, bi->max, code);
			/* canonical: the smallest code of its value (see quant.c) */
			if (!injective && code > 0 &&
				cts_quant16_decode(bi->min, bi->max, (uint16_t) (code - 1)) == v)
				return CTS_ERR_BAD_BLOCK;
		}
		if (values)
			values[i] = v;
		if (pts)
			pts[i].value = v;
		if (v < dmin)
			dmin = v;
		if (v > dmax)
			dmax = v;
		cts_sum_add(&st, v);
		cts_abs_sum_add(&abs_sum, v);
	}
	if (!constant && bi->codec == CTS_CODEC_GORILLA &&
		cts_gorilla_finish(&r) != 0)
		return CTS_ERR_BAD_BLOCK;
	if (!cts_same_double(dmin, bi->min) || !cts_same_double(dmax, bi->max))
		return CTS_ERR_BAD_SUMMARY;
	if (!cts_summary_plausible(n, constant || bi->codec == CTS_CODEC_GORILLA,
							   bi->min, bi->max,
							   bi->sum, bi->max_error, cts_sum_result(&st),
							   abs_sum))
		return CTS_ERR_BAD_SUMMARY;
	p += values_size;

	/* timestamps */
	cur = bi->first_ts;
	if (ts)
		ts[0] = cur;
	if (pts)
		pts[0].ts = cur;
	i = 1;
	while (i < n)
	{
		uint64_t	tok;
		uint64_t	run;

		if (cts_get_varint(&p, end, &tok) != 0)
			return CTS_ERR_BAD_BLOCK;
		if (tok == 0)
		{
			/* canonical: one zero run is never followed by another */
			if (after_run)
				return CTS_ERR_BAD_BLOCK;
			if (cts_get_varint(&p, end, &run) != 0)
				return CTS_ERR_BAD_BLOCK;
			if (run >= (uint64_t) (n - i))
				return CTS_ERR_BAD_BLOCK;
			run++;
			after_run = 1;
		}
		else
		{
			prev_delta += cts_unzigzag(tok);
			run = 1;
			after_run = 0;
		}
		while (run-- > 0)
		{
			int64_t		next = (int64_t) ((uint64_t) cur + prev_delta);

			/* wrapping arithmetic: going backwards shows up as next < cur */
			if (next < cur)
				return CTS_ERR_BAD_TIMESTAMPS;
			cur = next;
			if (ts)
				ts[i] = cur;
			if (pts)
				pts[i].ts = cur;
			i++;
		}
	}
	if (p != end)
		return CTS_ERR_BAD_BLOCK;
	if (cur != bi->last_ts)
		return CTS_ERR_BAD_TIMESTAMPS;
	return CTS_OK;
}

/* where block bi's payload lies in a format 2 value of len bytes */
static cts_status
v2_payload(const uint8_t *buf, size_t len, const cts_header *h,
		   const cts_block_info *bi, const uint8_t **payload)
{
	size_t		data_off = cts2_prefix_size(h->nblocks);

	if (len < data_off || len - data_off < bi->offset ||
		len - data_off - bi->offset < bi->length)
		return CTS_ERR_TRUNCATED;
	*payload = buf + data_off + bi->offset;
	return CTS_OK;
}

cts_status
cts_decode_block(const uint8_t *buf, size_t len, const cts_header *h,
				 const cts_block_info *bi, int64_t *ts, double *values)
{
	if (h->version == CTS_FORMAT_V2)
	{
		const uint8_t *payload;
		cts_status	st = v2_payload(buf, len, h, bi, &payload);

		return st != CTS_OK ? st : cts2_decode_payload(h, bi, payload, bi->length, ts, values);
	}
	return decode_block_impl(buf, len, h, bi, ts, values, NULL);
}

/*
 * cts_validate_index
 *		Check the index: entries against each other, the header and the
 *		payload area.  Does not look inside payloads (cts_decode_block checks
 *		each one as it decodes it).
 */
cts_status
cts_validate_index(const uint8_t *buf, size_t len, const cts_header *h)
{
	size_t		data_off;
	uint64_t	expect_offset = 0;
	uint64_t	points = 0;
	cts_header_acc acc = CTS_HEADER_ACC_INIT;
	int64_t		prev_last = 0;
	uint32_t	i;

	if (h->version == CTS_FORMAT_V2)
		return cts2_validate_index(buf, len, h);
	if (h->npoints == 0)
		return len == CTS_HEADER_SIZE ? CTS_OK :
			(len < CTS_HEADER_SIZE ? CTS_ERR_TRUNCATED : CTS_ERR_TRAILING);

	data_off = cts_data_offset(h);
	if (len < data_off)
		return CTS_ERR_TRUNCATED;

	for (i = 0; i < h->nblocks; i++)
	{
		cts_block_info bi;
		cts_status	st = cts_read_block_info(buf, len, h, i, &bi);

		if (st != CTS_OK)
			return st;
		if (bi.offset != expect_offset)
			return CTS_ERR_BAD_INDEX;
		if (len - data_off < expect_offset ||
			len - data_off - expect_offset < bi.length)
			return CTS_ERR_TRUNCATED;
		expect_offset += bi.length;
		points += bi.npoints;
		if (points > h->npoints)
			return CTS_ERR_BAD_HEADER;
		if (i > 0 && bi.first_ts < prev_last)
			return CTS_ERR_BAD_INDEX;
		if (i == 0 && bi.first_ts != h->first_ts)
			return CTS_ERR_BAD_HEADER;
		prev_last = bi.last_ts;
		cts_header_acc_add(&acc, &bi);
	}
	if (points != h->npoints || prev_last != h->last_ts ||
		!cts_same_double(acc.min, h->min) || !cts_same_double(acc.max, h->max) ||
		!cts_same_double(acc.max_error, h->max_error) ||
		!cts_same_double(cts_sum_result(&acc.sum), h->sum))
		return CTS_ERR_BAD_HEADER;
	if (len - data_off != expect_offset)
		return CTS_ERR_TRAILING;
	return CTS_OK;
}

/*
 * cts_validate
 *		Check a whole value; CTS_OK means every reader may trust it.
 */
cts_status
cts_validate(const uint8_t *buf, size_t len)
{
	cts_header	h;
	cts_status	st;
	uint32_t	i;

	st = cts_read_header(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (h.version == CTS_FORMAT_V2)
		return CTS_ERR_BUFFER_TOO_SMALL;	/* use cts_validate_ws */
	st = cts_validate_index(buf, len, &h);
	if (st != CTS_OK)
		return st;
	for (i = 0; i < h.nblocks; i++)
	{
		cts_block_info bi;

		st = cts_read_block_info(buf, len, &h, i, &bi);
		if (st == CTS_OK)
			st = cts_decode_block(buf, len, &h, &bi, NULL, NULL);
		if (st != CTS_OK)
			return st;
	}
	return CTS_OK;
}

/*
 * cts_decode
 *		Validate and decode a whole value into pts[0..cap).
 */
cts_status
cts_decode(const uint8_t *buf, size_t len, cts_point *pts, size_t cap)
{
	cts_header	h;
	cts_status	st;
	uint32_t	i;
	size_t		pos = 0;

	st = cts_read_header(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (h.version == CTS_FORMAT_V2)
		return CTS_ERR_BUFFER_TOO_SMALL;	/* use cts_decode_ws */
	st = cts_validate_index(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (cap < h.npoints)
		return CTS_ERR_BUFFER_TOO_SMALL;

	for (i = 0; i < h.nblocks; i++)
	{
		cts_block_info bi;

		st = cts_read_block_info(buf, len, &h, i, &bi);
		if (st == CTS_OK)
			st = decode_block_impl(buf, len, &h, &bi, NULL, NULL, pts + pos);
		if (st != CTS_OK)
			return st;
		pos += bi.npoints;
	}
	return CTS_OK;
}

/*
 * cts_validate_ws
 *		cts_validate for either format; ts[] and values[] (cap entries each)
 *		must have room for the largest block.
 */
cts_status
cts_validate_ws(const uint8_t *buf, size_t len, int64_t *ts, double *values,
				size_t cap)
{
	cts_header	h;
	cts_status	st;
	uint32_t	i;

	st = cts_read_header(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (h.version != CTS_FORMAT_V2)
		return cts_validate(buf, len);
	st = cts_validate_index(buf, len, &h);
	if (st != CTS_OK)
		return st;
	for (i = 0; i < h.nblocks; i++)
	{
		cts_block_info bi;

		st = cts_read_block_info(buf, len, &h, i, &bi);
		if (st == CTS_OK && bi.npoints > cap)
			st = CTS_ERR_BUFFER_TOO_SMALL;
		if (st == CTS_OK)
			st = cts_decode_block(buf, len, &h, &bi, ts, values);
		if (st != CTS_OK)
			return st;
	}
	return CTS_OK;
}

/*
 * cts_decode_ws
 *		cts_decode for either format, with room ts[] / values[] (ws_cap
 *		entries each) for the largest block.
 */
cts_status
cts_decode_ws(const uint8_t *buf, size_t len, cts_point *pts, size_t cap,
			  int64_t *ts, double *values, size_t ws_cap)
{
	cts_header	h;
	cts_status	st;
	uint32_t	i;
	size_t		pos = 0;

	st = cts_read_header(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (h.version != CTS_FORMAT_V2)
		return cts_decode(buf, len, pts, cap);
	st = cts_validate_index(buf, len, &h);
	if (st != CTS_OK)
		return st;
	if (cap < h.npoints)
		return CTS_ERR_BUFFER_TOO_SMALL;
	for (i = 0; i < h.nblocks; i++)
	{
		cts_block_info bi;
		uint32_t	j;

		st = cts_read_block_info(buf, len, &h, i, &bi);
		if (st == CTS_OK && bi.npoints > ws_cap)
			st = CTS_ERR_BUFFER_TOO_SMALL;
		if (st == CTS_OK)
			st = cts_decode_block(buf, len, &h, &bi, ts, values);
		if (st != CTS_OK)
			return st;
		for (j = 0; j < bi.npoints; j++)
		{
			pts[pos + j].ts = ts[j];
			pts[pos + j].value = values[j];
		}
		pos += bi.npoints;
	}
	return CTS_OK;
}

/*
 * cts_decode_block_trusted
 *		cts_decode_block for a value verified when it was stored.
 */
cts_status
cts_decode_block_trusted(const uint8_t *buf, size_t len, const cts_header *h,
						 const cts_block_info *bi, int64_t *ts, double *values)
{
	if (h->version == CTS_FORMAT_V2)
	{
		const uint8_t *payload;
		cts_status	st = v2_payload(buf, len, h, bi, &payload);

		return st != CTS_OK ? st :
			cts2_decode_payload_trusted(h, bi, payload, bi->length, ts, values);
	}
	return cts_decode_block(buf, len, h, bi, ts, values);
}

/*
 * cts_decode_block_until
 *		cts_decode_block_trusted of the points up to time hi.
 */
cts_status
cts_decode_block_until(const uint8_t *buf, size_t len, const cts_header *h,
					   const cts_block_info *bi, int64_t hi,
					   int64_t *ts, double *values, uint32_t *count)
{
	cts_status	st;

	*count = 0;
	if (h->version == CTS_FORMAT_V2)
	{
		const uint8_t *payload;

		st = v2_payload(buf, len, h, bi, &payload);
		return st != CTS_OK ? st :
			cts2_decode_payload_until(h, bi, payload, bi->length, hi, ts, values, count);
	}
	st = cts_decode_block(buf, len, h, bi, ts, values);
	if (st != CTS_OK)
		return st;
	*count = cts_count_upto(ts, bi->npoints, hi);
	return CTS_OK;
}
