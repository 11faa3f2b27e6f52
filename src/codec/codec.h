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

#define CTS_FORMAT_VERSION			1

/* codecs a block can name (index entry byte "codec") */
#define CTS_CODEC_QUANT16			1	/* 16-bit quantization against block min/max */
#define CTS_CODEC_GORILLA			2	/* lossless: XOR of consecutive values */
#define CTS_CODEC_DEFAULT			CTS_CODEC_QUANT16

/* block flags */
#define CTS_BLOCK_CONSTANT			0x01	/* min == max: no values stored (any codec) */
#define CTS_BLOCK_KNOWN_FLAGS		0x01

#define CTS_DEFAULT_BLOCK_POINTS	1024
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
	CTS_ERR_INTERRUPTED			/* encoder: the caller's interrupt hook asked to stop */
} cts_status;

/* A point as the encoder takes it and the bulk decoder gives it back. */
typedef struct cts_point
{
	int64_t		ts;				/* PostgreSQL timestamptz: microseconds since 2000-01-01 UTC */
	double		value;
} cts_point;

/* The header, parsed into native types. */
typedef struct cts_header
{
	uint8_t		version;
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
	uint8_t		codec;
	uint8_t		flags;
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

#endif							/* CTS_CODEC_H */
