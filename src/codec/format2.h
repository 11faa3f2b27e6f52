/*-------------------------------------------------------------------------
 *
 * format2.h
 *	  Byte layout of a compact_ts value, format version 2.
 *
 * Format 2 is what the encoder writes; format 1 (format.h) stays readable
 * forever, and a value keeps the format it was written in.  Like format 1,
 * every multi-byte field is little-endian and read byte by byte, so a value
 * needs no alignment.  A value (the bytes after the varlena header) is:
 *
 *	 +------------------------+  offset 0
 *	 | header (80 bytes)      |  exact summaries, codec, checksums
 *	 +------------------------+  offset 80
 *	 | directory              |  ndir = ceil(nblocks / 64) entries of 24 bytes
 *	 +------------------------+  offset 80 + 24 * ndir
 *	 | block index            |  nblocks entries of 64 bytes
 *	 +------------------------+  "data area"
 *	 | block payloads         |  contiguous, in index order, no gaps
 *	 +------------------------+  end of value
 *
 * Everything before the data area has a size known from the header alone,
 * so a reader that wants the blocks of one time range fetches the header
 * and directory (together in the first TOAST chunk, 1,996 bytes, up to 79
 * directory groups: 82 million points in default blocks), then
 * the one or two groups of 64 index entries the directory points it to,
 * then those blocks' payloads: the bytes read do not grow with the series.
 *
 * Header (80 bytes):
 *	  0  u8   version       2
 *	  1  u8   flags         CTS_V_NAN (0x01), CTS_V_POSINF (0x02),
 *	                        CTS_V_NEGINF (0x04): the series holds such a
 *	                        value (only lossless blocks can); others 0
 *	  2  u8   codec         the codec the value was asked for: 1 = quant
 *	                        (a width), 2 = bound (an absolute error bound),
 *	                        3 = lossless, 0 = mixed (blocks of values built
 *	                        with different codecs, joined by append)
 *	  3  u8   codec_bits    quant: the width, 1 .. 32 bits; otherwise 0
 *	  4  u32  npoints       total points, <= 2^31 - 1
 *	  8  u32  nblocks       0 iff npoints = 0
 *	 12  u32  header_crc    CRC-32C of bytes 0..79 with this field zero
 *	 16  i64  first_ts      0 if empty
 *	 24  i64  last_ts       0 if empty
 *	 32  f64  min           see "Summaries"; 0 if empty
 *	 40  f64  max
 *	 48  f64  sum
 *	 56  f64  max_error     largest |original - decoded| over all points
 *	 64  f64  codec_bound   bound: the bound asked for (> 0); otherwise 0
 *	 72  u32  dir_crc       CRC-32C of the directory (0 bytes: CRC of nothing, 0)
 *	 76  u32  reserved      0
 *
 * Directory entry (24 bytes), one per group of 64 consecutive blocks:
 *	  0  i64  first_ts      first_ts of the group's first block
 *	  8  i64  last_ts       last_ts of the group's last block
 *	 16  u32  index_crc     CRC-32C of the group's index entries (64 * 64
 *	                        bytes; fewer for the last group)
 *	 20  u32  reserved      0
 *
 * Block index entry (64 bytes):
 *	  0  u32  offset        payload start, relative to the data area
 *	  4  u32  length        payload length in bytes (>= 4)
 *	  8  u32  npoints       1 .. 65536
 *	 12  u8   flags         CTS_V_NAN / POSINF / NEGINF, as in the header
 *	 13  u8   vmode         how the values are coded (below)
 *	 14  u8   tmode         how the timestamps are coded (below)
 *	 15  u8   reserved      0
 *	 16  i64  first_ts, 24 i64 last_ts, 32 f64 min, 40 f64 max,
 *	 48  f64  sum, 56 f64 max_error      the block's summaries
 *
 * Block payload:
 *	  u32 crc               CRC-32C of the rest of the payload
 *	  timestamps            per tmode
 *	  values                per vmode
 *	  and nothing after them.
 *
 * Timestamps (ts[0] = first_ts, ts[n-1] = last_ts from the index entry):
 *	  CTS_T_REGULAR (1)  varint step: ts[i] = first_ts + i * step.  A block
 *	                     of one point has step 0.
 *	  CTS_T_DELTA (2)    varint g (the exact gcd of the deltas, >= 1),
 *	                     u8 predictor (CTS_P_NONE or CTS_P_DELTA), then an
 *	                     integer sequence (below) of the n-1 quotients
 *	                     delta[i] / g (predictor NONE), or of delta[1] / g
 *	                     followed by the n-2 differences of consecutive
 *	                     quotients (predictor DELTA).  Not used when every
 *	                     delta is equal.
 *	  All arithmetic is modulo 2^64, so -infinity and infinity (INT64_MIN,
 *	  INT64_MAX) are stored exactly.
 *
 * Values:
 *	  CTS_M_CONST (1)        f64: every point has these bits.
 *	  CTS_M_DECIMAL (2)      u8 e (0..18), a predicted integer sequence of
 *	                         d[i]; value = (double) d[i] / 10^e (IEEE
 *	                         division, exact for |d| <= 2^53, e <= 22, so the
 *	                         value is the double nearest to the decimal
 *	                         d * 10^-e), then exceptions.
 *	  CTS_M_QUANT (3)        varint L (1 .. 2^52), a predicted integer
 *	                         sequence of codes c in [0, L] on the grid of L
 *	                         steps over [lo, hi], the block's min and max,
 *	                         then exceptions.  The grid (cts_grid_decode):
 *	                         step = (hi - lo) / L computed once; c decodes to
 *	                         lo + c * step, c = L to hi, clamped to [lo, hi],
 *	                         -0.0 as 0.0 (when hi - lo overflows: step =
 *	                         (hi/2 - lo/2) / L and (lo/2 + c * step) * 2).
 *	  CTS_M_QUANT_GROUPS (4) u8 w (1..32), for each group of 1,024 points (the
 *	                         last one shorter) f64 min, f64 max, then a
 *	                         predicted integer sequence of codes c in [0,
 *	                         2^w - 1] on the grid of 2^w - 1 steps over their
 *	                         group's range (all 0 in a constant group).  No
 *	                         exceptions.
 *	  CTS_M_FLOAT (5)        a predicted integer sequence of the values' bit
 *	                         patterns mapped to an order-preserving integer
 *	                         (bits ^ (sign ? ~0 : 1 << 63)): lossless for
 *	                         every double, NaN payloads and -0.0 included.
 *	  Exceptions: varint count k, k varint gaps (position of the first, then
 *	  next - previous - 1), then k f64 values stored as they are.  At an
 *	  exception the integer sequence holds the previous point's integer (0 at
 *	  point 0), so the predictor sees no jump.  A value is an exception only
 *	  if the mode cannot store it (DECIMAL: not the decimal it claims; QUANT:
 *	  decoding would break the requested bound).
 *
 * A predicted integer sequence: u8 predictor, [varint P for SEASONAL], then,
 *	  unless NONE, the zigzag varint of x[0], then an integer sequence of the
 *	  residuals r[1..n) (NONE: of x[0..n) themselves):
 *	  CTS_P_NONE (0)      r[i] = x[i]
 *	  CTS_P_DELTA (1)     r[i] = x[i] - x[i-1]
 *	  CTS_P_DELTA2 (2)    r[1] = x[1] - x[0]; r[i] = x[i] - 2 x[i-1] + x[i-2]
 *	  CTS_P_SEASONAL (3)  period P (2 .. n-1): r[i] = x[i] - x[i-1] for
 *	                      i <= P, else x[i] - x[i-1] - x[i-P] + x[i-1-P]
 *	                      (this point of the previous period plus the last
 *	                      step)
 *	  all modulo 2^64.
 *
 * An integer sequence of m int64 values (m may be 0: nothing at all):
 *	  u8 kind, then
 *	  CTS_S_CONST (0)  zigzag varint of the value every element has.
 *	  CTS_S_PACK (1)   zigzag varint base (the minimum), u8 width w (1..64,
 *	                   the bit length of max - min), then the m values
 *	                   x - base in w bits each, LSB first, zero-padded to a
 *	                   byte.
 *	  CTS_S_ANS (2)    entropy coded (see iseq.c): u8 config (bits 0-3 s,
 *	                   bits 4-6 k, bit 7 signed), zigzag varint center,
 *	                   varint T (alphabet size), varint the absorber (the
 *	                   most frequent token, whose frequency is the rest
 *	                   and is not stored), the table: per other token the
 *	                   change of its frequency's bit length as a prefix
 *	                   code and up to 3 mantissa bits (iseq.c, put_table),
 *	                   LSB first, zero-padded; varint byte length and the
 *	                   rANS words (eight interleaved states in [2^15,
 *	                   2^31), token i on state i mod 8, 16-bit
 *	                   renormalisation, probabilities in 1/4096, the final
 *	                   states first), varint byte length and the
 *	                   raw low bits (LSB first, zero-padded).  Token of v
 *	                   (v = zigzag(x - center) if signed, else x - center
 *	                   with center the minimum): v itself if v < 2^s, else
 *	                   2^s + (e - s) * 2^k + (the k bits below v's top bit),
 *	                   e = floor(log2 v), with the e - k bits below those raw.
 *
 * Summaries (index entries and header) follow PostgreSQL's float8 rules:
 * min is the smallest value that is not NaN (NaN only if every value is),
 * max is NaN if any value is, else the largest; both +-Infinity when such
 * values are there.  sum is the compensated sum of the finite values, as in
 * format 1 (format.h, "Sums"); the flags tell whether NaN or infinities were
 * left out of it.  A NaN in a summary has the bits 0x7FF8000000000000.  The
 * header is derived from the index (min of mins, max of maxes, Neumaier sum
 * of sums, max of max_errors, OR of flags); a reader checks that.
 *
 * Codecs and modes.  A lossless value (codec 3) uses CONST, DECIMAL without
 * a lossy exception and FLOAT only, each with max_error 0, and keeps every
 * bit (-0.0, NaN payloads, infinities).  In a lossy value an exact block
 * may carry a max_error above 0: its points are stored exactly as they were
 * decoded from a lossy block they were taken from (a slice, an append), and
 * max_error is that block's bound against the original values; its sum is
 * then that of the stored points.  The lossy codecs never store NaN
 * or infinities, store -0.0 as 0.0, and use any mode: an exact one
 * (CONST, DECIMAL, max_error 0) whenever it is not larger.  quant with
 * width w: every point's error is at most what format 1's quantizer with
 * 2^w - 1 steps over the range of its 1,024-point group would make.  bound
 * b: every point's error is at most b.
 *
 * Canonical bytes.  Readers reject anything the encoder could not have
 * written for the same choices: reserved fields and padding bits non-zero,
 * overlong varints, a PACK base that is not the minimum or a width that is
 * not exact, a CONST sequence written as PACK, an ANS table that is not the
 * normalisation of the decoded tokens' counts, rANS states that do not end
 * where the encoder started, a gcd that is not exact, a regular block coded
 * as DELTA, an exception the mode could have stored, a QUANT code that is not
 * the smallest of its value.  Which mode and predictor a block uses is the
 * encoder's choice and part of the value; two values are equal iff their
 * bytes are.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/format2.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_FORMAT2_H
#define CTS_FORMAT2_H

#define CTS2_HEADER_SIZE		80
#define CTS2_DIR_ENTRY_SIZE		24
#define CTS2_INDEX_ENTRY_SIZE	64
#define CTS2_GROUP_BLOCKS		64		/* index entries per directory entry */
#define CTS2_QUANT_GROUP		1024	/* points per QUANT_GROUPS range */

/* header field offsets */
#define CTS2_H_VERSION		0
#define CTS2_H_FLAGS		1
#define CTS2_H_CODEC		2
#define CTS2_H_CODEC_BITS	3
#define CTS2_H_NPOINTS		4
#define CTS2_H_NBLOCKS		8
#define CTS2_H_CRC			12
#define CTS2_H_FIRST_TS		16
#define CTS2_H_LAST_TS		24
#define CTS2_H_MIN			32
#define CTS2_H_MAX			40
#define CTS2_H_SUM			48
#define CTS2_H_MAX_ERROR	56
#define CTS2_H_BOUND		64
#define CTS2_H_DIR_CRC		72
#define CTS2_H_RESERVED		76

/* directory entry offsets */
#define CTS2_D_FIRST_TS		0
#define CTS2_D_LAST_TS		8
#define CTS2_D_CRC			16
#define CTS2_D_RESERVED		20

/* index entry offsets */
#define CTS2_B_OFFSET		0
#define CTS2_B_LENGTH		4
#define CTS2_B_NPOINTS		8
#define CTS2_B_FLAGS		12
#define CTS2_B_VMODE		13
#define CTS2_B_TMODE		14
#define CTS2_B_RESERVED		15
#define CTS2_B_FIRST_TS		16
#define CTS2_B_LAST_TS		24
#define CTS2_B_MIN			32
#define CTS2_B_MAX			40
#define CTS2_B_SUM			48
#define CTS2_B_MAX_ERROR	56

/* integer sequence kinds */
#define CTS_S_CONST			0
#define CTS_S_PACK			1
#define CTS_S_ANS			2

#endif							/* CTS_FORMAT2_H */
