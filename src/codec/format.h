/*-------------------------------------------------------------------------
 *
 * format.h
 *	  Byte layout of a compact_ts value, format version 1.
 *
 * Everything here is the codec's private knowledge of the on-disk bytes;
 * callers use codec.h.  All multi-byte fields are little-endian and are read
 * and written byte by byte, so a value needs no alignment and reads the same
 * on every platform.
 *
 * A value (the bytes after PostgreSQL's 4-byte varlena header) is:
 *
 *	 +-------------------+  offset 0
 *	 | header (64 bytes) |
 *	 +-------------------+  offset 64
 *	 | block index       |  nblocks entries of 64 bytes
 *	 +-------------------+  offset 64 + 64 * nblocks   ("data area")
 *	 | block 0 payload   |
 *	 | block 1 payload   |  contiguous, in index order, no gaps
 *	 | ...               |
 *	 +-------------------+  end of value
 *
 * Header (64 bytes):
 *	  0  u8   version        CTS_FORMAT_VERSION (1)
 *	  1  u8   flags          reserved, must be 0
 *	  2  u16  reserved       must be 0
 *	  4  u32  npoints        total points, <= CTS_MAX_POINTS
 *	  8  u32  nblocks        number of blocks; 0 iff npoints == 0
 *	 12  u32  reserved       must be 0
 *	 16  i64  first_ts       first timestamp (PostgreSQL microseconds), 0 if empty
 *	 24  i64  last_ts        last timestamp, 0 if empty
 *	 32  f64  min            smallest original value, 0 if empty
 *	 40  f64  max            largest original value, 0 if empty
 *	 48  f64  sum            sum of the original values: the compensated sum of
 *	                         the block sums (see "Sums" below), 0 if empty
 *	 56  f64  max_error      largest |original - decoded| over all points
 *
 * Block index entry (64 bytes), entry i at 64 + 64 * i:
 *	  0  u32  offset         payload start, relative to the data area
 *	  4  u32  length         payload length in bytes
 *	  8  u32  npoints        1 .. CTS_MAX_BLOCK_POINTS
 *	 12  u8   codec          CTS_CODEC_*
 *	 13  u8   flags          CTS_BLOCK_CONSTANT (0x01); unknown bits rejected
 *	 14  u16  reserved       must be 0
 *	 16  i64  first_ts       timestamp of the block's first point
 *	 24  i64  last_ts        timestamp of the block's last point
 *	 32  f64  min            exact min of the block's original values
 *	 40  f64  max            exact max of the block's original values
 *	 48  f64  sum            sum of the block's original values (see "Sums")
 *	 56  f64  max_error      largest |original - decoded| in the block
 *
 * Blocks are in time order: block i's first_ts >= block i-1's last_ts.
 * The header's summaries are derived from the index exactly as the encoder
 * derives them (npoints = sum, min = min, max = max, max_error = max, sum =
 * Neumaier sum of block sums in index order); a reader checks that.
 *
 * Block payload, codec CTS_CODEC_QUANT16 (1):
 *	  values:     unless flag CTS_BLOCK_CONSTANT, npoints u16 codes.  In
 *	              double arithmetic without FMA contraction, with t = c/65535:
 *	                c == 0      -> min;   c == 65535 -> max
 *	                otherwise   -> min + (max - min) * t, or, when max - min
 *	                               overflows, min * (1 - t) + max * t;
 *	                               clamped to [min, max]; -0.0 becomes 0.0
 *	              With CTS_BLOCK_CONSTANT (only when min == max) there are no
 *	              codes: every point decodes to min.
 *	  timestamps: npoints - 1 delta-of-delta tokens, as varints.  With
 *	              ts[0] = first_ts and delta[0] = 0, for i >= 1:
 *	                delta[i] = ts[i] - ts[i-1]      (mod 2^64)
 *	                dod[i]   = delta[i] - delta[i-1] (mod 2^64)
 *	              each dod is zigzag-encoded ((d << 1) ^ (d >> 63)) to a u64
 *	              and written as an LEB128 varint (<= 10 bytes).  A zero token
 *	              is always followed by a varint r: the zero stands for r + 1
 *	              zero dods in a row.  The first dod of a block is its first
 *	              interval, so a regular block costs that varint (4 bytes for
 *	              10 s) plus 1 + 2 bytes of zero run: about 7 bytes per block.
 *	  The payload ends exactly where the token stream ends.
 *
 * Block payload, codec CTS_CODEC_GORILLA (2), lossless:
 *	  values:     unless CTS_BLOCK_CONSTANT, a u32 byte length L, then L bytes
 *	              of XOR bit stream (MSB first, zero-padded to a byte): the
 *	              first value's 64 bits; then per value '0' (same bits as the
 *	              previous value), or '10' + the XOR's bits in the previous
 *	              window, or '11' + 6 bits leading zeros + 6 bits (width - 1)
 *	              + width bits.  Canonical: a new window is used only when
 *	              the previous one cannot hold the XOR, and it is tight (its
 *	              first and last bits are 1); readers reject anything else.
 *	              max_error is 0 and sum is exactly the compensated sum of
 *	              the decoded values.
 *	  timestamps: as for QUANT16.
 *
 * For every codec, CTS_BLOCK_CONSTANT is set iff min == max, and then no
 * values are stored.
 *
 * Canonical bytes.  A value has exactly one encoding, and readers reject
 * every other, so that re-encoding decoded values (the text form, a dump)
 * reproduces the very same bytes:
 *	  - QUANT16 codes: each code is the smallest code of its decoded value
 *	    (the quantizer picks the smallest of the nearest codes; in a range a
 *	    few ulps wide several codes decode alike);
 *	  - varints have no trailing zero groups; a zero-run token is never
 *	    followed by another zero-run token;
 *	  - GORILLA: see above;
 *	  - CTS_BLOCK_CONSTANT iff min == max; reserved fields zero; payloads
 *	    contiguous, in index order, ending exactly at the end of the value.
 *
 * Sums.  Sums are Neumaier-compensated, with terms of magnitude >= 2^512
 * accumulated separately (scaled by 2^-512), so partial sums never overflow
 * when the total fits: a block sum is +-Infinity only when the true sum of
 * its values is beyond DBL_MAX, and never NaN.  The header sum is the same
 * compensated sum over the block sums: +-Infinity if blocks overflowed one
 * way, NaN (bits 0x7FF8000000000000) if both ways.  The sum of a QUANT16
 * block must lie within npoints * max_error (plus rounding) of the sum of
 * its decoded values; a lossless or constant block's sum is exactly the
 * compensated sum of its decoded values and its max_error is 0.
 *
 * Values are finite doubles; -0.0 is stored as 0.0.  NaN and +-Infinity are
 * rejected by the encoder (CTS_ERR_NONFINITE).  Timestamps are any int64,
 * including PostgreSQL's -infinity (INT64_MIN) and infinity (INT64_MAX); the
 * modular deltas store them exactly.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/format.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_FORMAT_H
#define CTS_FORMAT_H

#define CTS_HEADER_SIZE			64
#define CTS_INDEX_ENTRY_SIZE	64

/* header field offsets */
#define CTS_H_VERSION		0
#define CTS_H_FLAGS			1
#define CTS_H_RESERVED1		2
#define CTS_H_NPOINTS		4
#define CTS_H_NBLOCKS		8
#define CTS_H_RESERVED2		12
#define CTS_H_FIRST_TS		16
#define CTS_H_LAST_TS		24
#define CTS_H_MIN			32
#define CTS_H_MAX			40
#define CTS_H_SUM			48
#define CTS_H_MAX_ERROR		56

/* index entry field offsets */
#define CTS_B_OFFSET		0
#define CTS_B_LENGTH		4
#define CTS_B_NPOINTS		8
#define CTS_B_CODEC			12
#define CTS_B_FLAGS			13
#define CTS_B_RESERVED		14
#define CTS_B_FIRST_TS		16
#define CTS_B_LAST_TS		24
#define CTS_B_MIN			32
#define CTS_B_MAX			40
#define CTS_B_SUM			48
#define CTS_B_MAX_ERROR		56

/* QUANT16 */
#define CTS_QUANT16_LEVELS	65535	/* highest code */

#endif							/* CTS_FORMAT_H */
