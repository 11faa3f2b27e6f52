/*-------------------------------------------------------------------------
 *
 * codec.h
 *	  Public API of the compact_ts codec: a pure C library, no PostgreSQL.
 *
 * The codec turns a time-sorted array of (timestamp, value) points into the
 * bytes of a compact_ts value (format.h documents them) and back.  It never
 * allocates: callers size their buffers with cts_encoded_size() /
 * cts_header npoints and pass them in.  Every reader takes (buf, len), never
 * reads past len, and validates lengths, counts and offsets before it uses
 * them, because the bytes may come from disk, from the wire or from a user.
 * Every exported symbol starts with cts_ (PostgreSQL loads extension
 * libraries RTLD_GLOBAL, so names share one namespace).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/codec.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_CODEC_H
#define CTS_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CTS_FORMAT_VERSION			1	/* format 1 (format.h), what cts_encode writes */
#define CTS_FORMAT_V2				2	/* format 2 (format2.h), what cts_encode2 writes */

/* codecs a block can name (index entry byte "codec") */
#define CTS_CODEC_QUANT16			1	/* 16-bit quantization against block min/max */
#define CTS_CODEC_GORILLA			2	/* lossless: XOR of consecutive values */
#define CTS_CODEC_DEFAULT			CTS_CODEC_QUANT16

/* block flags */
#define CTS_BLOCK_CONSTANT			0x01	/* min == max: no values stored (any codec) */
#define CTS_BLOCK_KNOWN_FLAGS		0x01

#define CTS_DEFAULT_BLOCK_POINTS	1024
#define CTS2_DEFAULT_BLOCK_POINTS	16384	/* format 2 */

/* format 2: what a value or block holds besides finite numbers */
#define CTS_V_NAN					0x01
#define CTS_V_POSINF				0x02
#define CTS_V_NEGINF				0x04
#define CTS_V_KNOWN_FLAGS			0x07

/* format 2: the codec a value was asked for (header byte "codec") */
#define CTS_CODEC2_MIXED			0	/* blocks of different codecs (append) */
#define CTS_CODEC2_QUANT			1	/* quantized, a width of bits */
#define CTS_CODEC2_BOUND			2	/* quantized, an absolute error bound */
#define CTS_CODEC2_LOSSLESS			3	/* every bit kept */

/* format 2: value modes (index byte "vmode") */
#define CTS_M_CONST					1
#define CTS_M_DECIMAL				2
#define CTS_M_QUANT					3
#define CTS_M_QUANT_GROUPS			4
#define CTS_M_FLOAT					5

/* format 2: timestamp modes (index byte "tmode") */
#define CTS_T_REGULAR				1
#define CTS_T_DELTA					2
#define CTS_MAX_BLOCK_POINTS		65536
#define CTS_MAX_POINTS				((uint32_t) 0x7FFFFFFF)

typedef enum cts_status
{
	CTS_OK = 0,
	CTS_ERR_TRUNCATED,			/* buffer shorter than the structure it must hold */
	CTS_ERR_BAD_VERSION,		/* unknown format version */
	CTS_ERR_BAD_FLAGS,			/* reserved field or unknown flag bit set */
	CTS_ERR_BAD_CODEC,			/* unknown block codec */
	CTS_ERR_BAD_HEADER,			/* header fields inconsistent with each other or the index */
	CTS_ERR_BAD_INDEX,			/* block index entry out of range or inconsistent */
	CTS_ERR_BAD_BLOCK,			/* block payload malformed (length, varint, codes) */
	CTS_ERR_BAD_TIMESTAMPS,		/* decoded timestamps disagree with index or go backwards */
	CTS_ERR_BAD_SUMMARY,		/* stored min/max/sum/max_error disagree with the points */
	CTS_ERR_TRAILING,			/* bytes after the last block */
	CTS_ERR_NONFINITE,			/* encoder: NaN or infinite value */
	CTS_ERR_UNSORTED,			/* encoder: timestamps not in non-decreasing order */
	CTS_ERR_TOO_MANY_POINTS,	/* more than CTS_MAX_POINTS, or a size overflow */
	CTS_ERR_BAD_ARGUMENT,		/* encoder: bad option (block size, codec, block specs) */
	CTS_ERR_OFF_GRID,			/* encoder with explicit blocks: value not on the block's grid */
	CTS_ERR_BUFFER_TOO_SMALL,	/* caller's output buffer too small */
	CTS_ERR_INTERRUPTED,		/* encoder: the caller's interrupt hook asked to stop */
	CTS_ERR_BAD_CHECKSUM		/* format 2: a checksum does not match its bytes */
} cts_status;

/*
 * A compensated running sum (Neumaier), with terms of magnitude 2^512 and
 * more kept apart so that partial sums never overflow before the true sum
 * does (format.h, "Sums"); the functions are internal to the codec.
 */
typedef struct cts_neumaier
{
	double		s;
	double		c;
} cts_neumaier;

typedef struct cts_sum_state
{
	cts_neumaier lo;
	cts_neumaier hi;
	int			pos_inf;		/* an infinite term was added */
	int			neg_inf;
} cts_sum_state;

/* A point as the encoder takes it and the bulk decoder gives it back. */
typedef struct cts_point
{
	int64_t		ts;				/* PostgreSQL timestamptz: microseconds since 2000-01-01 UTC */
	double		value;
} cts_point;

/* The header, parsed into native types. */
typedef struct cts_header
{
	uint8_t		version;		/* 1 or 2 */
	uint8_t		flags;			/* format 2: CTS_V_* (0 in format 1) */
	uint8_t		codec;			/* format 2: CTS_CODEC2_*; format 1: 0 */
	uint8_t		codec_bits;		/* format 2, CTS_CODEC2_QUANT: the width */
	double		codec_bound;	/* format 2, CTS_CODEC2_BOUND: the bound */
	uint32_t	ndir;			/* format 2: directory entries */
	uint32_t	dir_crc;		/* format 2: the directory's CRC-32C */
	uint32_t	npoints;
	uint32_t	nblocks;
	int64_t		first_ts;
	int64_t		last_ts;
	double		min;
	double		max;
	double		sum;
	double		max_error;
} cts_header;

/* One block index entry, parsed. */
typedef struct cts_block_info
{
	uint32_t	offset;			/* relative to the data area */
	uint32_t	length;
	uint32_t	npoints;
	uint8_t		codec;			/* format 1: CTS_CODEC_*; format 2: 0 */
	uint8_t		flags;			/* format 1: CTS_BLOCK_*; format 2: CTS_V_* */
	uint8_t		vmode;			/* format 2: CTS_M_* */
	uint8_t		tmode;			/* format 2: CTS_T_* */
	int64_t		first_ts;
	int64_t		last_ts;
	double		min;
	double		max;
	double		sum;
	double		max_error;
} cts_block_info;

/*
 * Explicit block layout for the encoder.  The text form of a value lists its
 * blocks with their codec and exact summaries; re-encoding it must give the
 * same bytes, so the encoder can take the block boundaries and the sum and
 * max_error of the (no longer known) original values from the caller.  Each
 * value must then already lie on its block's grid (CTS_ERR_OFF_GRID if not),
 * and the summaries must be plausible for the points (CTS_ERR_BAD_SUMMARY).
 */
typedef struct cts_block_spec
{
	uint32_t	npoints;
	uint8_t		codec;
	double		sum;
	double		max_error;
} cts_block_spec;

typedef struct cts_encode_opts
{
	uint32_t	block_points;	/* points per block, 1..CTS_MAX_BLOCK_POINTS; 0 = default */
	uint8_t		codec;			/* CTS_CODEC_*; 0 = CTS_CODEC_DEFAULT */
	const cts_block_spec *blocks;	/* NULL: split by block_points, compute summaries */
	size_t		nblocks;

	/*
	 * Called every 65,536 points of the input check and before every block
	 * (NULL: never).  A non-zero return stops the encoder, which returns
	 * CTS_ERR_INTERRUPTED having written nothing the caller must keep: the
	 * host (PostgreSQL's CHECK_FOR_INTERRUPTS) can then raise its error
	 * without longjmp'ing through the library.
	 */
	int			(*interrupt) (void *arg);
	void	   *interrupt_arg;
} cts_encode_opts;

/* Human-readable text for a status (static string, never NULL). */
extern const char *cts_strerror(cts_status status);

/* Name of a codec ("quant16", "gorilla") or NULL if unknown; and back (0 if unknown). */
extern const char *cts_codec_name(uint8_t codec);
extern uint8_t cts_codec_from_name(const char *name, size_t len);

/*
 * Encoding.
 *
 * pts must be sorted by ts (non-decreasing; equal timestamps allowed and kept
 * in order) with finite values.  opts may be NULL for defaults.
 * cts_encoded_size() computes the exact size in bytes of the encoding without
 * writing it; cts_encode() writes it into out (out_cap bytes) and stores the
 * length in *out_len.  On CTS_ERR_NONFINITE, CTS_ERR_UNSORTED or
 * CTS_ERR_OFF_GRID, *bad_index (if not NULL) receives the offending point's
 * index.
 */
extern cts_status cts_encoded_size(const cts_point *pts, size_t n,
								   const cts_encode_opts *opts,
								   size_t *size, size_t *bad_index);
extern cts_status cts_encode(const cts_point *pts, size_t n,
							 const cts_encode_opts *opts,
							 uint8_t *out, size_t out_cap, size_t *out_len,
							 size_t *bad_index);

/*
 * Reading.
 *
 * cts_read_header() parses and checks the header alone; len may be just a
 * prefix of the value (at least CTS_HEADER_SIZE bytes), which is what a
 * header-only question fetches from a TOASTed value.
 *
 * cts_read_block_info() parses index entry i; buf/len must cover the index
 * up to that entry.  It checks the entry on its own (codec, flags, counts,
 * first <= last, finite min <= max, finite max_error, a sum that is not NaN:
 * format.h "Sums"), not against its neighbours.
 *
 * cts_validate() checks a whole value: header, every index entry against its
 * neighbours and the header, every payload (decoding it), and that nothing
 * follows the last block.  Use it on anything from recv or disk before
 * trusting it.
 *
 * cts_validate_index() checks the header (already read with
 * cts_read_header) against the whole index, and the index against len and
 * itself, without decoding payloads: the check a reader needs before it
 * decodes blocks one by one with cts_decode_block(), which validates each
 * payload as it goes.
 *
 * cts_decode_block() decodes one block (its payload at data area + offset)
 * into ts[] and values[] (either may be NULL), each with room for
 * bi->npoints entries, validating the payload against bi.
 *
 * cts_decode() decodes a whole, validated-as-it-goes value into pts[]
 * (room for header npoints).
 */
extern cts_status cts_read_header(const uint8_t *buf, size_t len, cts_header *h);
extern cts_status cts_read_block_info(const uint8_t *buf, size_t len,
									  const cts_header *h, uint32_t i,
									  cts_block_info *bi);
extern cts_status cts_validate(const uint8_t *buf, size_t len);
extern cts_status cts_validate_index(const uint8_t *buf, size_t len,
									 const cts_header *h);
extern cts_status cts_decode_block(const uint8_t *buf, size_t len,
								   const cts_header *h,
								   const cts_block_info *bi,
								   int64_t *ts, double *values);
extern cts_status cts_decode(const uint8_t *buf, size_t len,
							 cts_point *pts, size_t cap);

/* Offset of the data area for a header (64 + 64 * nblocks). */
extern size_t cts_data_offset(const cts_header *h);

/*
 * Quantizer, exposed for tests and for the text parser.  Given a block's
 * min and max, cts_quant16_encode() returns the canonical code of v and
 * cts_quant16_decode() the value of a code.
 */
extern uint16_t cts_quant16_encode(double min, double max, double v);
extern double cts_quant16_decode(double min, double max, uint16_t code);

/* Neumaier-compensated sum, the one every summary uses. */
extern double cts_sum(const double *values, size_t n);

/* ----------------------------------------------------------------
 *		Format 2 (format2.h)
 * ----------------------------------------------------------------
 *
 * The readers above (cts_read_header, cts_read_block_info,
 * cts_validate_index, cts_decode_block, cts_data_offset) read both formats;
 * for format 2, cts_decode_block needs both ts[] and values[] (values[] is
 * also its integer workspace), and whole-value validation and decoding need
 * the same room for the largest block: cts_validate_ws, cts_decode_ws.
 * cts_validate and cts_decode read format 1 only (CTS_ERR_BUFFER_TOO_SMALL
 * for format 2).
 */

typedef struct cts_encode2_opts
{
	uint8_t		codec;			/* CTS_CODEC2_QUANT (0 = this), _BOUND, _LOSSLESS */
	uint8_t		bits;			/* QUANT: width 1..32; 0 = 16 */
	double		bound;			/* BOUND: finite, > 0 */
	uint32_t	block_points;	/* 1..CTS_MAX_BLOCK_POINTS; 0 = CTS2_DEFAULT_BLOCK_POINTS */
	int			(*interrupt) (void *arg);	/* as cts_encode_opts */
	void	   *interrupt_arg;
} cts_encode2_opts;

/*
 * Whole-value encoding.  cts_encode2_bound() is the most bytes any n points
 * can take (0 if n is too large); cts_encode2() writes into out (cap bytes:
 * the bound is always enough) and stores the length; scratch must hold
 * cts_encode2_scratch_size(opts) bytes.  Points must be sorted by ts.  The
 * lossy codecs reject NaN and infinities (CTS_ERR_NONFINITE, *bad_index)
 * and store -0.0 as 0.0; the lossless codec keeps every bit.
 */
extern size_t cts_encode2_bound(size_t n, const cts_encode2_opts *opts);
extern size_t cts_encode2_scratch_size(const cts_encode2_opts *opts);
extern cts_status cts_encode2(const cts_point *pts, size_t n,
							  const cts_encode2_opts *opts,
							  void *scratch, size_t scratch_len,
							  uint8_t *out, size_t cap, size_t *out_len,
							  size_t *bad_index);

/*
 * Block-level encoding, for callers that assemble a value themselves (the
 * glue encodes block by block into a small buffer; append copies blocks).
 * cts2_layout() gives the number of blocks and the points per block (every
 * block but the last); cts2_encode_block() writes one block's payload and
 * fills *bi (all but bi->offset); cts2_prefix_size() is the size of the
 * header, directory and index for nblocks; cts2_write_prefix() writes them
 * for blocks whose payloads follow contiguously in this order (bi->offset
 * is recomputed).
 */
extern cts_status cts2_layout(size_t n, const cts_encode2_opts *opts,
							  uint32_t *nblocks, uint32_t *block_points);
extern size_t cts2_block_bound(uint32_t n);
extern cts_status cts2_encode_block(const cts_point *pts, uint32_t n,
									const cts_encode2_opts *opts,
									void *scratch, size_t scratch_len,
									uint8_t *out, size_t cap,
									cts_block_info *bi, size_t *bad_index);
extern size_t cts2_prefix_size(uint32_t nblocks);
extern cts_status cts2_write_prefix(cts_block_info *blocks, uint32_t nblocks,
									uint8_t codec, uint8_t bits, double bound,
									uint8_t *out, size_t cap);

/* Validation and decoding of whole values of either format, with room. */
extern cts_status cts_validate_ws(const uint8_t *buf, size_t len,
								  int64_t *ts, double *values, size_t cap);
extern cts_status cts_decode_ws(const uint8_t *buf, size_t len,
								cts_point *pts, size_t cap,
								int64_t *ts, double *values, size_t ws_cap);

/*
 * Partial reads (format 2): a reader that fetched only some byte ranges of
 * a value.  cts2_read_directory() checks the directory bytes (ndir entries
 * from offset CTS2_HEADER_SIZE) against the header; cts2_dir_entry() parses
 * entry g; cts2_group_span() gives the byte range of group g's index
 * entries; cts2_check_group() checks those bytes against the directory
 * entry; cts2_parse_entry() parses one 64-byte index entry on its own;
 * cts2_decode_payload() decodes a block from its payload bytes alone.
 */
typedef struct cts_dir_entry
{
	int64_t		first_ts;
	int64_t		last_ts;
	uint32_t	crc;
} cts_dir_entry;

extern cts_status cts2_read_directory(const cts_header *h, const uint8_t *dir,
									  size_t len);
extern void cts2_dir_entry(const uint8_t *dir, uint32_t g, cts_dir_entry *de);
extern void cts2_group_span(const cts_header *h, uint32_t g,
							size_t *offset, size_t *len, uint32_t *first_block,
							uint32_t *nblocks);
extern cts_status cts2_check_group(const cts_header *h, const cts_dir_entry *de,
								   const uint8_t *entries, size_t len);
extern cts_status cts2_parse_entry(const cts_header *h, const uint8_t *entry,
								   cts_block_info *bi);
extern cts_status cts2_check_payload(const cts_block_info *bi,
									 const uint8_t *payload, size_t len);
extern cts_status cts2_decode_payload(const cts_header *h,
									  const cts_block_info *bi,
									  const uint8_t *payload, size_t len,
									  int64_t *ts, double *values);

/*
 * Trusted decoding, for values verified when they were stored (format 2):
 * checksums and every bound are still checked, so damage is an error and
 * never a crash or an out-of-bounds read, but not the canonical form and
 * the summaries, which verification at the door already did.  Several times
 * faster.  Format 1 blocks are decoded as by cts_decode_block.
 */
extern cts_status cts2_decode_payload_trusted(const cts_header *h,
											  const cts_block_info *bi,
											  const uint8_t *payload, size_t len,
											  int64_t *ts, double *values);
extern cts_status cts_decode_block_trusted(const uint8_t *buf, size_t len,
										   const cts_header *h,
										   const cts_block_info *bi,
										   int64_t *ts, double *values);

/*
 * Trusted decoding of a block's points up to time hi only: *count of them,
 * into ts[] and values[], each with room for cts_block_count_until(bi, hi)
 * points and at least one (the block's points, unless its step is regular).
 * Format 2 stops decoding values after the last point needed, so one hour
 * near the start of a block costs a fraction of the block; format 1 blocks
 * are decoded whole.
 */
extern cts_status cts2_decode_payload_until(const cts_header *h,
											const cts_block_info *bi,
											const uint8_t *payload, size_t len,
											int64_t hi, int64_t *ts, double *values,
											uint32_t *count);
extern uint32_t cts_block_count_until(const cts_block_info *bi, int64_t hi);
extern uint32_t cts_count_upto(const int64_t *ts, uint32_t n, int64_t hi);
extern cts_status cts_decode_block_until(const uint8_t *buf, size_t len,
										 const cts_header *h,
										 const cts_block_info *bi, int64_t hi,
										 int64_t *ts, double *values, uint32_t *count);

/*
 * Time ranges (range.c).  cts_span_search: among n entries stride bytes
 * apart with first and last timestamps at first_off / last_off, in time
 * order (index entries of both formats: stride 64, offsets 16 and 24; the
 * format 2 directory: stride 24, offsets 0 and 8), the run [*i0, *i1) that
 * may hold points of [lo, hi].  cts_point_search: the points of ts[0..n)
 * in [lo, hi].
 */
extern void cts_span_search(const uint8_t *base, uint32_t n, size_t stride,
							size_t first_off, size_t last_off,
							int64_t lo, int64_t hi, uint32_t *i0, uint32_t *i1);
extern void cts_point_search(const int64_t *ts, uint32_t n, int64_t lo,
							 int64_t hi, uint32_t *j0, uint32_t *j1);

/*
 * Aggregating a range: whole blocks from their summaries (cts_agg_block),
 * the points of cut blocks as decoded (cts_agg_points, with the block's
 * max_error); cts_agg_result gives min, max and sum by PostgreSQL's float8
 * rules.  Start with cts_agg_init.
 */
typedef struct cts_agg
{
	uint64_t	count;
	uint64_t	npoints_decoded;	/* points taken from decoded edge blocks */
	uint32_t	nblocks_whole;	/* blocks taken from their summaries */
	int			have_min;
	int			have_max;
	int			max_nan;
	double		min;
	double		max;
	double		max_error;		/* largest error a figure may have per point */
	uint8_t		flags;			/* CTS_V_* seen */
	cts_sum_state sum;			/* of the finite values */
} cts_agg;

extern void cts_agg_init(cts_agg *acc);
extern void cts_agg_block(cts_agg *acc, const cts_block_info *bi);
extern void cts_agg_points(cts_agg *acc, const double *v, uint32_t j0,
						   uint32_t j1, double max_error);
extern void cts_agg_result(const cts_agg *acc, double *min, double *max,
						   double *sum, int *overflow);

/* Generalized quantizer: L steps over [lo, hi] (L = 65535 is quant16). */
extern uint64_t cts_quant_encode(double lo, double hi, uint64_t L, double v);
extern double cts_quant_decode(double lo, double hi, uint64_t L, uint64_t code);

/* CRC-32C continued from crc (0 to start); the portable path, for tests. */
extern uint32_t cts_crc32c(uint32_t crc, const uint8_t *p, size_t len);
extern uint32_t cts_crc32c_portable(uint32_t crc, const uint8_t *p, size_t len);
extern int	cts_crc32c_hardware_available(void);

#endif							/* CTS_CODEC_H */
