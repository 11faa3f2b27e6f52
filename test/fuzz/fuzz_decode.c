/*-------------------------------------------------------------------------
 *
 * fuzz_decode.c
 *	  libFuzzer target for the readers: cts_validate, cts_read_header,
 *	  cts_read_block_info, cts_decode_block, cts_decode.
 *
 * The input is taken as a format 1 compact_ts value (inputs starting with
 * format 2's version byte are left to fuzz_decode2).  Whatever it holds, no reader
 * may crash, read past the input or hit undefined behaviour (the sanitizers
 * watch), and the readers must agree:
 *	- cts_decode succeeds exactly when cts_validate does;
 *	- readers never answer with an encoder-only status;
 *	- every block that cts_read_block_info accepts of a valid value decodes.
 * When the value validates, the oracle of testutil.h runs (originals being
 * unknown, only what the value itself promises): bulk and block-by-block
 * decoding agree; the exact summaries (header and index min, max; header
 * derived from the index) match the decoded values; every decoded value
 * lies in [block min, block max]; timestamps run from first_ts to last_ts
 * without going back; and re-encoding the decoded points with explicit
 * block specs taken from the index (npoints, codec, sum, max_error) gives
 * the input back bit for bit, from the codec and from the reference
 * encoder.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_decode.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t fz_ts[CTS_MAX_BLOCK_POINTS];
static double fz_vals[CTS_MAX_BLOCK_POINTS];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cts_status	vst,
				hst,
				dst;
	cts_header	h;
	cts_point  *pts;
	size_t		cap = 0;

	fz_init();

	/* format 2 values are fuzz_decode2's */
	if (size > 0 && data[0] == CTS_FORMAT_V2)
		return 0;

	vst = cts_validate(data, size);
	FZ_CHECK(fz_reader_status(vst) && vst != CTS_ERR_BUFFER_TOO_SMALL,
			 "cts_validate returned %s", tu_status_name(vst));

	/* the piecewise readers, on anything */
	hst = cts_read_header(data, size, &h);
	FZ_CHECK(fz_reader_status(hst), "cts_read_header returned %s", tu_status_name(hst));
	FZ_CHECK(vst != CTS_OK || hst == CTS_OK, "validates, but cts_read_header gives %s",
			 tu_status_name(hst));
	if (hst == CTS_OK)
	{
		uint32_t	i;
		uint32_t	nb = h.nblocks < 256 ? h.nblocks : 256;

		/* a header readable from the whole value is readable from 64 bytes */
		if (size >= CTS_HEADER_SIZE)
		{
			cts_header	h64;

			FZ_CHECK(cts_read_header(data, CTS_HEADER_SIZE, &h64) == CTS_OK,
					 "header readable from the value but not from its 64-byte prefix");
		}
		for (i = 0; i < nb; i++)
		{
			cts_block_info bi;
			cts_status	bst = cts_read_block_info(data, size, &h, i, &bi);

			FZ_CHECK(fz_reader_status(bst), "cts_read_block_info returned %s",
					 tu_status_name(bst));
			FZ_CHECK(vst != CTS_OK || bst == CTS_OK,
					 "validates, but cts_read_block_info(%u) gives %s", i, tu_status_name(bst));
			if (bst != CTS_OK)
				continue;
			FZ_CHECK(bi.npoints >= 1 && bi.npoints <= CTS_MAX_BLOCK_POINTS,
					 "cts_read_block_info accepted npoints %u", bi.npoints);
			bst = cts_decode_block(data, size, &h, &bi, fz_ts, fz_vals);
			FZ_CHECK(fz_reader_status(bst), "cts_decode_block returned %s", tu_status_name(bst));
			FZ_CHECK(vst != CTS_OK || bst == CTS_OK,
					 "validates, but cts_decode_block(%u) gives %s", i, tu_status_name(bst));
			/* and with either output omitted */
			(void) cts_decode_block(data, size, &h, &bi, NULL, fz_vals);
			(void) cts_decode_block(data, size, &h, &bi, fz_ts, NULL);
		}
		if (h.npoints <= FZ_MAX_POINTS)
			cap = h.npoints;
	}

	/* the bulk decoder validates as it goes: same verdict */
	pts = (cts_point *) malloc((cap ? cap : 1) * sizeof(cts_point));
	dst = cts_decode(data, size, pts, cap);
	free(pts);
	FZ_CHECK(fz_reader_status(dst), "cts_decode returned %s", tu_status_name(dst));
	if (hst != CTS_OK || cap == h.npoints)
		FZ_CHECK((vst == CTS_OK) == (dst == CTS_OK),
				 "cts_validate says %s, cts_decode says %s", tu_status_name(vst),
				 tu_status_name(dst));
	else
		FZ_CHECK(dst != CTS_OK, "cts_decode succeeded with too little room");

	if (vst == CTS_OK && h.npoints <= FZ_MAX_POINTS)
		tu_check_value("fuzz_decode", data, size, NULL);
	return 0;
}
