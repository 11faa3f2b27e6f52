/*-------------------------------------------------------------------------
 *
 * fuzz_decode2.c
 *	  libFuzzer target for the format 2 readers: header, directory, index,
 *	  verified and trusted block decoding, whole-value validation.
 *
 * The input is taken as a format 2 value (its first byte is forced to 2, so
 * every input exercises format 2).  When that first byte was odd, every
 * checksum is recomputed first (where the structure lets us find what it
 * covers), so that mutations get past the checksums to the structural and
 * canonical checks behind them.  Whatever it holds, no reader may crash
 * or read past the input (the sanitizers watch), and the readers agree:
 *	- cts_validate_ws and cts_decode_ws agree;
 *	- a value that validates passes the oracle of testutil2.h (bulk,
 *	  block-by-block and partial-read decoding agree, summaries match the
 *	  decoded points, the header is derived from the index, the points
 *	  re-encode losslessly);
 *	- trusted decoding of any block, whole or up to a time, either fails
 *	  or, when the block also decodes verified, gives the same points.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_decode2.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"
#include "testutil2.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t fz_ts2[CTS_MAX_BLOCK_POINTS];
static double fz_vals2[CTS_MAX_BLOCK_POINTS];

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) |
		((uint32_t) p[3] << 24);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

/* recompute payload, group, directory and header checksums in place */
static void
fix_checksums(uint8_t *buf, size_t size)
{
	uint32_t	nblocks,
				ndir,
				b,
				g;
	size_t		dir_off = CTS2_HEADER_SIZE,
				index_off,
				data_off;

	if (size < CTS2_HEADER_SIZE)
		return;
	nblocks = get32(buf + CTS2_H_NBLOCKS);
	if (nblocks > (1u << 20))
		return;
	ndir = (nblocks + CTS2_GROUP_BLOCKS - 1) / CTS2_GROUP_BLOCKS;
	index_off = dir_off + CTS2_DIR_ENTRY_SIZE * (size_t) ndir;
	data_off = index_off + CTS2_INDEX_ENTRY_SIZE * (size_t) nblocks;
	if (data_off <= size)
	{
		for (b = 0; b < nblocks; b++)
		{
			uint8_t    *e = buf + index_off + CTS2_INDEX_ENTRY_SIZE * (size_t) b;
			uint64_t	off = get32(e + CTS2_B_OFFSET);
			uint64_t	len = get32(e + CTS2_B_LENGTH);

			if (len >= 4 && data_off + off + len <= size)
				put32(buf + data_off + off,
					  cts_crc32c(0, buf + data_off + off + 4, (size_t) len - 4));
		}
		for (g = 0; g < ndir; g++)
		{
			uint32_t	b0 = g * CTS2_GROUP_BLOCKS;
			uint32_t	nb = nblocks - b0 < CTS2_GROUP_BLOCKS ? nblocks - b0 : CTS2_GROUP_BLOCKS;

			put32(buf + dir_off + CTS2_DIR_ENTRY_SIZE * (size_t) g + CTS2_D_CRC,
				  cts_crc32c(0, buf + index_off + CTS2_INDEX_ENTRY_SIZE * (size_t) b0,
							 CTS2_INDEX_ENTRY_SIZE * (size_t) nb));
		}
		put32(buf + CTS2_H_DIR_CRC,
			  cts_crc32c(0, buf + dir_off, CTS2_DIR_ENTRY_SIZE * (size_t) ndir));
	}
	put32(buf + CTS2_H_CRC, 0);
	put32(buf + CTS2_H_CRC, cts_crc32c(0, buf, CTS2_HEADER_SIZE));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t    *buf;
	cts_status	vst,
				hst;
	cts_header	h;

	fz_init();
	buf = (uint8_t *) malloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	if (size)
	{
		int			fix = data[0] & 1;

		buf[0] = CTS_FORMAT_V2;
		if (fix)
			fix_checksums(buf, size);
	}

	vst = cts_validate_ws(buf, size, tu2_ts, tu2_vals, CTS_MAX_BLOCK_POINTS);
	FZ_CHECK(fz_reader_status(vst) && vst != CTS_ERR_BUFFER_TOO_SMALL,
			 "cts_validate_ws returned %s", tu_status_name(vst));
	hst = cts_read_header(buf, size, &h);
	FZ_CHECK(fz_reader_status(hst), "cts_read_header returned %s", tu_status_name(hst));
	FZ_CHECK(vst != CTS_OK || hst == CTS_OK, "validates, header does not");
	if (hst == CTS_OK)
	{
		uint32_t	i;
		uint32_t	nb = h.nblocks < 256 ? h.nblocks : 256;

		for (i = 0; i < nb; i++)
		{
			cts_block_info bi;
			cts_status	bst = cts_read_block_info(buf, size, &h, i, &bi);
			cts_status	vb,
						tb;

			FZ_CHECK(fz_reader_status(bst), "cts_read_block_info returned %s",
					 tu_status_name(bst));
			if (bst != CTS_OK)
				continue;
			vb = cts_decode_block(buf, size, &h, &bi, tu2_ts, tu2_vals);
			tb = cts_decode_block_trusted(buf, size, &h, &bi, fz_ts2, fz_vals2);
			FZ_CHECK(fz_reader_status(vb) && fz_reader_status(tb),
					 "block decoders returned %s / %s", tu_status_name(vb), tu_status_name(tb));
			FZ_CHECK(vst != CTS_OK || (vb == CTS_OK && tb == CTS_OK),
					 "validates, but block %u gives %s / %s", i, tu_status_name(vb),
					 tu_status_name(tb));
			if (vb == CTS_OK)
				FZ_CHECK(tb == CTS_OK &&
						 memcmp(tu2_ts, fz_ts2, 8 * (size_t) bi.npoints) == 0 &&
						 memcmp(tu2_vals, fz_vals2, 8 * (size_t) bi.npoints) == 0,
						 "block %u: trusted and verified decoding differ", i);
			/* a prefix, up to the middle of the block's time span */
			{
				int64_t		mid = (int64_t) ((uint64_t) bi.first_ts +
											 ((uint64_t) bi.last_ts - (uint64_t) bi.first_ts) / 2);
				uint32_t	count = 0;
				/* exactly the room the server gives it: a write past shows */
				uint32_t	cap = cts_block_count_until(&bi, mid) ? cts_block_count_until(&bi, mid) : 1;
				int64_t    *pts = (int64_t *) malloc(sizeof(int64_t) * cap);
				double	   *pvals = (double *) malloc(sizeof(double) * cap);
				cts_status	pb;

				if (pts == NULL || pvals == NULL)
					abort();
				pb = cts_decode_block_until(buf, size, &h, &bi, mid, pts, pvals, &count);
				FZ_CHECK(fz_reader_status(pb) && count <= bi.npoints && count <= cap,
						 "cts_decode_block_until returned %s, %u points",
						 tu_status_name(pb), count);
				if (vb == CTS_OK)
					FZ_CHECK(pb == CTS_OK &&
							 memcmp(tu2_ts, pts, 8 * (size_t) count) == 0 &&
							 memcmp(tu2_vals, pvals, 8 * (size_t) count) == 0 &&
							 (count == bi.npoints || tu2_ts[count] > mid) &&
							 (count == 0 || tu2_ts[count - 1] <= mid),
							 "block %u: the prefix to %lld differs", i, (long long) mid);
				free(pts);
				free(pvals);
			}
		}
		if (h.npoints <= FZ_MAX_POINTS)
		{
			cts_point  *pts = (cts_point *) malloc((h.npoints ? h.npoints : 1) * sizeof(cts_point));
			cts_status	dst = cts_decode_ws(buf, size, pts, h.npoints, tu2_ts, tu2_vals,
											CTS_MAX_BLOCK_POINTS);

			FZ_CHECK((dst == CTS_OK) == (vst == CTS_OK),
					 "cts_validate_ws says %s, cts_decode_ws %s", tu_status_name(vst),
					 tu_status_name(dst));
			free(pts);
		}
	}
	if (vst == CTS_OK && h.npoints <= FZ_MAX_POINTS)
		tu2_check_value("fuzz_decode2", buf, size, NULL);
	free(buf);
	return 0;
}
