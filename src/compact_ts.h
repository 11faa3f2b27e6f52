/*-------------------------------------------------------------------------
 *
 * compact_ts.h
 *	  The compact_ts varlena, its access macros and size limits, and the
 *	  core every glue file shares (compact_ts.c).
 *
 * A compact_ts datum is an ordinary varlena whose payload (the bytes after
 * the varlena header) is exactly the codec buffer described in
 * codec/format.h: a 64-byte header, a block index and the block payloads.
 * The codec reads every field byte by byte, so the payload needs no
 * alignment and a short (1-byte) varlena header is fine too.
 *
 * Dependencies run one way: compact_ts_io.c (text and binary I/O),
 * compact_ts_build.c (constructors, aggregate), compact_ts_op.c (accessors,
 * decoding) and compact_ts_cmp.c (equality, order, hashing) use
 * compact_ts.c and memory.c, never each other.
 *
 * Two ways to get at a value:
 *
 *	- chronos_fetch_header() reads only the first CTS_HEADER_SIZE bytes of
 *	  the payload (PG_DETOAST_DATUM_SLICE when the value is not inline),
 *	  which is all that the header-only accessors (length, first_time,
 *	  min_value, ...) and the comparison functions need: a TOASTed value
 *	  stored with STORAGE external is then not read whole.
 *
 *	- chronos_detoast() fetches the whole value into a memory operation
 *	  (memory.h), within chronos.max_memory_mb.  Anything that decodes
 *	  points goes through ChronosBlockReader, which checks the header and the
 *	  whole block index before the first block is handed out, and each block
 *	  as it is decoded.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef COMPACT_TS_H
#define COMPACT_TS_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/datetime.h"

#include "codec/codec.h"
#include "codec/format.h"
#include "codec/format2.h"
#include "compat.h"
#include "memory.h"

/*
 * The on-disk struct.  Never touch vl_len_ directly; use the varlena macros.
 * data holds the codec buffer (format.h), unaligned.
 */
typedef struct CompactTs
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		data[FLEXIBLE_ARRAY_MEMBER];	/* codec buffer, see format.h */
} CompactTs;

/* The codec buffer of a (possibly short-header) compact_ts and its length. */
#define CTS_PAYLOAD(x)			((const uint8 *) VARDATA_ANY(x))
#define CTS_PAYLOAD_LEN(x)		((size_t) VARSIZE_ANY_EXHDR(x))

/* Whole value, detoasted (not accounted: prefer chronos_detoast()). */
#define DatumGetCompactTsP(X)		((CompactTs *) PG_DETOAST_DATUM_PACKED(X))
#define PG_GETARG_COMPACT_TS_P(n)	DatumGetCompactTsP(PG_GETARG_DATUM(n))
#define PG_RETURN_COMPACT_TS_P(x)	PG_RETURN_POINTER(x)

/* ----------------------------------------------------------------
 *		Text forms and size limits
 * ----------------------------------------------------------------
 *
 * compact_ts_out prints a value of at most CTS_TEXT_READABLE_MAX_POINTS
 * points in the readable form ('{quant16(...): ts => v, ...}', about 45
 * bytes a point) and a larger one as CTS_BASE64_PREFIX followed by the
 * standard base64 (RFC 4648, padded, no line breaks) of its codec buffer,
 * 4 characters per 3 bytes.  The choice depends on the value alone, so
 * in(out(x)) is x byte for byte.
 *
 * Every text form must fit in CTS_MAX_TEXT bytes: a cstring or text datum
 * holds at most MaxAllocSize bytes, and text COPY (which pg_dump uses for
 * every format) builds each row's line in one buffer of that size, so 1 MB
 * is left for the row's other columns.  A new value is therefore capped at
 * CTS_MAX_ENCODED bytes of codec buffer, the most whose base64 form fits:
 * (1,072,693,247 - 7) / 4 * 3 = 804,519,930 bytes.
 */
#define CTS_TEXT_READABLE_MAX_POINTS	100000
#define CTS_BASE64_PREFIX				"base64:"
#define CTS_BASE64_PREFIX_LEN			(sizeof(CTS_BASE64_PREFIX) - 1)
#define CTS_MAX_TEXT					((Size) (MaxAllocSize - 1024 * 1024))
#define CTS_MAX_ENCODED \
	((Size) ((CTS_MAX_TEXT - CTS_BASE64_PREFIX_LEN) / 4 * 3))

/* Length of the base64 text form of a codec buffer of len bytes (no NUL). */
#define CTS_BASE64_TEXT_LEN(len) \
	(CTS_BASE64_PREFIX_LEN + ((Size) (len) + 2) / 3 * 4)

/*
 * Iterates over the blocks of a whole value, decoding one block at a time
 * into buffers sized for the largest block.  chronos_reader_init() checks
 * the header and the whole block index (cts_validate_index); each block's
 * payload is validated as it is decoded, and checked against PostgreSQL's
 * timestamp range, so a corrupt block raises ERRCODE_DATA_CORRUPTED before
 * any of its points is used.
 */
typedef struct ChronosBlockReader
{
	ChronosMemOp *op;			/* owns ts[] and values[] */
	const uint8 *buf;			/* codec buffer */
	size_t		len;
	cts_header	header;
	uint32		next_block;		/* index of the next block to decode */
	cts_block_info block;		/* the block last decoded */
	uint32		npoints;		/* points in ts[] / values[] */
	int64	   *ts;				/* room for the largest block */
	double	   *values;			/* NULL unless asked for */
	uint32		capacity;		/* entries in ts[] / values[] */
	int64		bad_ts;			/* a timestamp outside timestamptz's range */
	bool		verify;			/* full checks (untrusted bytes), not trusted */
} ChronosBlockReader;

/* compact_ts.c: validation and corrupt values */
pg_noreturn extern void chronos_report_corrupt(cts_status status);
extern void chronos_check_timestamp(int64 ts);
extern void chronos_read_header(const CompactTs *value, cts_header *header);
extern void chronos_fetch_header(Datum datum, cts_header *header);
extern bool chronos_validate_value(ChronosMemOp *op, const uint8 *buf,
								   size_t len, Node *escontext);

/* compact_ts.c: detoasting and the block reader */
extern CompactTs *chronos_detoast(ChronosMemOp *op, Datum datum);
extern void chronos_detoast_free(ChronosMemOp *op, Datum datum,
								 CompactTs *value);
extern void chronos_reader_init(ChronosBlockReader *reader, ChronosMemOp *op,
								const uint8 *buf, size_t len, bool want_values);
extern bool chronos_reader_next(ChronosBlockReader *reader);
extern void chronos_reader_free(ChronosBlockReader *reader);

/* compact_ts.c: formatters, the same on every session */
extern int	chronos_format_timestamp(int64 ts, char *out);
extern int	chronos_format_double(double value, char *out);

/* buffer sizes for the two formatters (including the terminating NUL) */
#define CHRONOS_TIMESTAMP_BUFLEN	(MAXDATELEN + 1)
#define CHRONOS_DOUBLE_BUFLEN		32

/*
 * A codec as SQL names it (format 2): 'quant16' (the default), 'quantN'
 * for a width of N bits (1 .. 32), 'max_error=X' for an absolute bound, or
 * 'lossless' ('gorilla' is 1.0's name for it).  chronos.default_codec holds
 * one of these names.
 */
typedef struct ChronosCodec
{
	uint8		kind;			/* CTS_CODEC2_QUANT, _BOUND, _LOSSLESS */
	uint8		bits;			/* QUANT: 1 .. 32 */
	double		bound;			/* BOUND: finite, > 0 */
} ChronosCodec;

/* Longest text of a codec name (chronos_codec_name). */
#define CHRONOS_CODEC_NAME_LEN	48

extern char *chronos_default_codec;	/* chronos.default_codec */
extern int	chronos_block_points;	/* chronos.block_points */
#define CHRONOS_MIN_BLOCK_POINTS	256

/* compact_ts.c: codecs and their names */
extern void chronos_codec_init(void);

/* compact_ts_scan.c: the unnest scan node (planner hook, GUC) */
extern void chronos_scan_init(void);
extern bool chronos_codec_parse(const char *name, size_t len, ChronosCodec *out);
extern void chronos_codec_from_text(text *name, ChronosCodec *out);
extern void chronos_codec_default(ChronosCodec *out);
extern int	chronos_codec_name(const ChronosCodec *codec, char *out);
extern bool chronos_codec_of_header(const cts_header *h, ChronosCodec *out);

/* compact_ts.c: the encoder entry and what it rejects */
extern CompactTs *chronos_encode_series(ChronosMemOp *op, const cts_point *pts,
										size_t n, const ChronosCodec *codec,
										uint32 block_points,
										cts_status *status, size_t *bad_index);
extern void chronos_sort_points(ChronosMemOp *op, cts_point *pts, size_t n);
extern CompactTs *chronos_encode_points(ChronosMemOp *op, const cts_point *pts,
										size_t n, const cts_encode_opts *opts,
										cts_status *status, size_t *bad_index);
extern bool chronos_reject_nonfinite(double value, int64 ts, const char *what,
									 Node *escontext);
pg_noreturn extern void chronos_report_nonfinite(double value, int64 ts,
												 const char *what);

/* compact_ts.c: an aggregate's sum by sum(float8)'s rules (22003) */
extern double chronos_agg_sum(const cts_agg *acc, double *min, double *max);

#endif							/* COMPACT_TS_H */
