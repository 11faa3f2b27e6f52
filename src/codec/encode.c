/*-------------------------------------------------------------------------
 *
 * encode.c
 *	  The block encoder: sorted points in, compact_ts bytes out.
 *
 * Design.  The encoder is a single function run in two modes: a sizing pass
 * (out == NULL) that computes the exact length, checks the input and the
 * block layout, and writes nothing; and a writing pass that also quantizes.
 * Callers run the sizing pass, allocate exactly, then write, so a series is
 * never copied into a buffer that has to grow, and every input error is
 * found before any memory is committed to the output.
 *
 * Points are cut into blocks of block_points (or the caller's explicit
 * layout, which is how the text form reproduces a value byte for byte).
 * For each block the encoder records exact summaries of the original values
 * (min, max, compensated sum) and the largest quantization error it actually
 * made, measured point by point: max_error is a measurement, not a formula,
 * so it holds for extreme ranges where the arithmetic is least kind.
 *
 * Timestamps are delta-of-delta coded with wrapping 64-bit arithmetic, so
 * any int64 (PostgreSQL's -infinity and infinity included) is stored exactly,
 * and runs of equal deltas -- a regular series -- collapse into one
 * zero-run token per block.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/encode.c
 *
 *-------------------------------------------------------------------------
 */
#include "gorilla.h"

/* normalise -0.0 to 0.0: the sign of zero is not stored */
static inline double
norm(double v)
{
	return v == 0.0 ? 0.0 : v;
}

/*
 * Size of the timestamp token stream of pts[0..n), and, if out is not NULL,
 * write it there.  Returns the number of bytes.
 */
static size_t
encode_timestamps(const cts_point *pts, uint32_t n, uint8_t *out)
{
	uint64_t	prev_delta = 0;
	size_t		size = 0;
	uint32_t	i = 1;
	uint8_t    *p = out;

	while (i < n)
	{
		uint64_t	delta = (uint64_t) pts[i].ts - (uint64_t) pts[i - 1].ts;
		uint64_t	dod = delta - prev_delta;

		prev_delta = delta;
		if (dod == 0)
		{
			/* count the run of zero dods that starts here */
			uint64_t	run = 0;

			i++;
			while (i < n &&
				   (uint64_t) pts[i].ts - (uint64_t) pts[i - 1].ts == prev_delta)
			{
				run++;
				i++;
			}
			size += 1 + cts_varint_size(run);
			if (p)
			{
				*p++ = 0;
				p = cts_put_varint(p, run);
			}
		}
		else
		{
			uint64_t	z = cts_zigzag(dod);

			size += cts_varint_size(z);
			if (p)
				p = cts_put_varint(p, z);
			i++;
		}
	}
	return size;
}

/*
 * Write one index entry.
 */
static void
put_block_info(uint8_t *e, const cts_block_info *bi)
{
	memset(e, 0, CTS_INDEX_ENTRY_SIZE);
	cts_put_u32(e + CTS_B_OFFSET, bi->offset);
	cts_put_u32(e + CTS_B_LENGTH, bi->length);
	cts_put_u32(e + CTS_B_NPOINTS, bi->npoints);
	e[CTS_B_CODEC] = bi->codec;
	e[CTS_B_FLAGS] = bi->flags;
	cts_put_u64(e + CTS_B_FIRST_TS, (uint64_t) bi->first_ts);
	cts_put_u64(e + CTS_B_LAST_TS, (uint64_t) bi->last_ts);
	cts_put_f64(e + CTS_B_MIN, bi->min);
	cts_put_f64(e + CTS_B_MAX, bi->max);
	cts_put_f64(e + CTS_B_SUM, bi->sum);
	cts_put_f64(e + CTS_B_MAX_ERROR, bi->max_error);
}

/*
 * Encode (or, with out == NULL, size) the block of pts[0..n) with codec.
 * Fills bi (all but offset) and writes the payload at out.  spec, if given,
 * supplies the sum and max_error of the originals; the points must then lie
 * on the block's grid.
 */
static cts_status
encode_block(const cts_point *pts, uint32_t n, uint8_t codec,
			 const cts_block_spec *spec,
			 cts_block_info *bi, uint8_t *out,
			 size_t *bad_index)
{
	double		min = norm(pts[0].value);
	double		max = min;
	cts_sum_state st = CTS_SUM_INIT;
	double		abs_sum = 0.0;	/* sum |v| * 2^-20 */
	double		max_error = 0.0;
	uint32_t	i;
	size_t		values_size = 0;
	size_t		ts_size;
	int			constant;
	int			exact;
	uint8_t    *p = out;

	for (i = 0; i < n; i++)
	{
		double		v = norm(pts[i].value);

		if (v < min)
			min = v;
		if (v > max)
			max = v;
		cts_sum_add(&st, v);
		if (spec != NULL)
			cts_abs_sum_add(&abs_sum, v);
	}
	constant = (min == max);
	exact = constant || codec == CTS_CODEC_GORILLA;

	if (constant)
		values_size = 0;
	else if (codec == CTS_CODEC_GORILLA)
	{
		size_t		bytes = cts_gorilla_write(&pts[0].value, sizeof(cts_point),
											  n, p ? p + 4 : NULL);

		if (bytes > UINT32_MAX - 4)
			return CTS_ERR_TOO_MANY_POINTS;
		if (p)
		{
			cts_put_u32(p, (uint32_t) bytes);
			p += 4 + bytes;
		}
		values_size = 4 + bytes;
	}
	else
	{
		/*
		 * Quantize.  The sizing pass skips it unless explicit blocks must be
		 * checked against their grid.
		 */
		values_size = 2 * (size_t) n;
		if (out != NULL || spec != NULL)
		{
			for (i = 0; i < n; i++)
			{
				double		v = norm(pts[i].value);
				uint16_t	c = cts_quant16_encode(min, max, v);
				double		w = cts_quant16_decode(min, max, c);
				double		err;

				if (spec != NULL && !cts_same_double(w, v))
				{
					if (bad_index)
						*bad_index = i;
					return CTS_ERR_OFF_GRID;
				}
				err = fabs(v - w);
				if (err > max_error)
					max_error = err;
				if (p)
				{
					cts_put_u16(p, c);
					p += 2;
				}
			}
		}
	}

	bi->npoints = n;
	bi->codec = codec;
	bi->flags = constant ? CTS_BLOCK_CONSTANT : 0;
	bi->first_ts = pts[0].ts;
	bi->last_ts = pts[n - 1].ts;
	bi->min = min;
	bi->max = max;
	if (spec != NULL)
	{
		/* the originals' summaries, as the text form states them */
		double		decoded_sum = cts_sum_result(&st);

		if (!cts_summary_plausible(n, exact, min, max,
								   spec->sum, spec->max_error, decoded_sum,
								   abs_sum))
			return CTS_ERR_BAD_SUMMARY;
		bi->sum = spec->sum;
		bi->max_error = spec->max_error;
	}
	else
	{
		bi->sum = cts_sum_result(&st);
		bi->max_error = max_error;
	}

	ts_size = encode_timestamps(pts, n, p);
	if (values_size + ts_size > UINT32_MAX)
		return CTS_ERR_TOO_MANY_POINTS;
	bi->length = (uint32_t) (values_size + ts_size);
	return CTS_OK;
}

/*
 * The encoder proper; out == NULL sizes only.
 */
static cts_status
encode_impl(const cts_point *pts, size_t n, const cts_encode_opts *opts,
			uint8_t *out, size_t out_cap, size_t *out_len,
			size_t *bad_index)
{
	uint32_t	block_points = CTS_DEFAULT_BLOCK_POINTS;
	uint8_t		codec = CTS_CODEC_DEFAULT;
	const cts_block_spec *specs = NULL;
	size_t		nblocks;
	size_t		i;
	size_t		data_off;
	size_t		total;
	size_t		pos;
	cts_header_acc acc = CTS_HEADER_ACC_INIT;

	if (opts)
	{
		if (opts->block_points != 0)
			block_points = opts->block_points;
		if (opts->codec != 0)
			codec = opts->codec;
		specs = opts->blocks;
	}
	if (block_points < 1 || block_points > CTS_MAX_BLOCK_POINTS)
		return CTS_ERR_BAD_ARGUMENT;
	if (cts_codec_name(codec) == NULL)
		return CTS_ERR_BAD_CODEC;
	if (n > CTS_MAX_POINTS)
		return CTS_ERR_TOO_MANY_POINTS;
	if (n > 0 && pts == NULL)
		return CTS_ERR_BAD_ARGUMENT;

	/* input checks: finite values, sorted timestamps */
	for (i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF && opts && opts->interrupt &&
			opts->interrupt(opts->interrupt_arg))
			return CTS_ERR_INTERRUPTED;
		if (!isfinite(pts[i].value))
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

	/* block layout */
	if (specs != NULL)
	{
		size_t		covered = 0;

		nblocks = opts->nblocks;
		for (i = 0; i < nblocks; i++)
		{
			if (specs[i].npoints < 1 || specs[i].npoints > CTS_MAX_BLOCK_POINTS ||
				cts_codec_name(specs[i].codec) == NULL)
				return CTS_ERR_BAD_ARGUMENT;
			covered += specs[i].npoints;
			if (covered > n)
				return CTS_ERR_BAD_ARGUMENT;
		}
		if (covered != n)
			return CTS_ERR_BAD_ARGUMENT;
	}
	else
		nblocks = (n + block_points - 1) / block_points;

	data_off = CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * nblocks;
	if (out != NULL && out_cap < data_off)
		return CTS_ERR_BUFFER_TOO_SMALL;

	/* blocks */
	pos = 0;
	total = data_off;
	for (i = 0; i < nblocks; i++)
	{
		uint32_t	bn = specs ? specs[i].npoints :
			(uint32_t) ((n - pos) < block_points ? (n - pos) : block_points);
		uint8_t		bcodec = specs ? specs[i].codec : codec;
		cts_block_info bi;
		cts_status	st;
		uint8_t    *payload = NULL;

		if (opts && opts->interrupt && opts->interrupt(opts->interrupt_arg))
			return CTS_ERR_INTERRUPTED;

		if (out != NULL)
		{
			/* worst case payload: values + 11 bytes per timestamp token */
			size_t		worst = 4 + 10 * (size_t) bn + 11 * (size_t) bn;

			if (out_cap - total < worst)
			{
				/* size it first, then check the exact room */
				size_t		exact;

				st = encode_block(pts + pos, bn, bcodec,
								  specs ? &specs[i] : NULL,
								  &bi, NULL, bad_index);
				if (st != CTS_OK)
					goto fail;
				exact = bi.length;
				if (out_cap - total < exact)
					return CTS_ERR_BUFFER_TOO_SMALL;
			}
			payload = out + total;
		}
		st = encode_block(pts + pos, bn, bcodec, specs ? &specs[i] : NULL,
						  &bi, payload, bad_index);
		if (st != CTS_OK)
			goto fail;
		bi.offset = (uint32_t) (total - data_off);
		if (total - data_off + bi.length > UINT32_MAX)
			return CTS_ERR_TOO_MANY_POINTS;
		if (out != NULL)
			put_block_info(out + CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * i, &bi);

		cts_header_acc_add(&acc, &bi);

		total += bi.length;
		pos += bn;
		continue;

fail:
		if (bad_index && (st == CTS_ERR_OFF_GRID))
			*bad_index += pos;
		return st;
	}

	if (out != NULL)
	{
		uint8_t    *h = out;

		memset(h, 0, CTS_HEADER_SIZE);
		h[CTS_H_VERSION] = CTS_FORMAT_VERSION;
		cts_put_u32(h + CTS_H_NPOINTS, (uint32_t) n);
		cts_put_u32(h + CTS_H_NBLOCKS, (uint32_t) nblocks);
		if (n > 0)
		{
			cts_put_u64(h + CTS_H_FIRST_TS, (uint64_t) pts[0].ts);
			cts_put_u64(h + CTS_H_LAST_TS, (uint64_t) pts[n - 1].ts);
			cts_put_f64(h + CTS_H_MIN, acc.min);
			cts_put_f64(h + CTS_H_MAX, acc.max);
			cts_put_f64(h + CTS_H_SUM, cts_sum_result(&acc.sum));
			cts_put_f64(h + CTS_H_MAX_ERROR, acc.max_error);
		}
	}
	*out_len = total;
	return CTS_OK;
}

/*
 * cts_encoded_size
 *		Exact encoded size of pts[0..n) with opts, without writing it.
 */
cts_status
cts_encoded_size(const cts_point *pts, size_t n, const cts_encode_opts *opts,
				 size_t *size, size_t *bad_index)
{
	return encode_impl(pts, n, opts, NULL, 0, size, bad_index);
}

/*
 * cts_encode
 *		Encode pts[0..n) into out[0..out_cap); *out_len gets the length.
 */
cts_status
cts_encode(const cts_point *pts, size_t n, const cts_encode_opts *opts,
		   uint8_t *out, size_t out_cap, size_t *out_len, size_t *bad_index)
{
	if (out == NULL)
		return CTS_ERR_BAD_ARGUMENT;
	return encode_impl(pts, n, opts, out, out_cap, out_len, bad_index);
}
