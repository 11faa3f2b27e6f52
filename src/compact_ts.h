/*-------------------------------------------------------------------------
 *
 * compact_ts.h
 *	  The compact_ts varlena, its access macros, and the helpers the glue
 *	  files (compact_ts_io.c, compact_ts_build.c, compact_ts_op.c) share.
 *
 * A compact_ts datum is an ordinary varlena whose payload (the bytes after
 * the varlena header) is exactly the codec buffer described in
 * codec/format.h: a 64-byte header, a block index and the block payloads.
 * The codec reads every field byte by byte, so the payload needs no
 * alignment and a short (1-byte) varlena header is fine too.
 *
 * Two ways to get at a value:
 *
 *	- PG_GETARG_COMPACT_TS_HEADER(n) fetches only the first CTS_HEADER_SIZE
 *	  bytes of the payload (PG_DETOAST_DATUM_SLICE), which is all that the
 *	  header-only accessors (length, first_time, min_value, ...) need: a
 *	  TOASTed value stored with STORAGE external is then not read whole.
 *
 *	- chronos_detoast() fetches the whole value into a memory operation
 *	  (memory.h), reserving its size against chronos.max_memory_mb first.
 *	  Anything that decodes points goes through ChronosBlockReader, which
 *	  validates the whole value before the first block is handed out.
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

/* Largest codec buffer a single varlena (and a single palloc) can hold. */
#define CTS_MAX_PAYLOAD			((Size) (MaxAllocSize - VARHDRSZ))

/* Whole value, detoasted (not accounted: prefer chronos_detoast()). */
#define DatumGetCompactTsP(X)		((CompactTs *) PG_DETOAST_DATUM_PACKED(X))
#define PG_GETARG_COMPACT_TS_P(n)	DatumGetCompactTsP(PG_GETARG_DATUM(n))
#define PG_RETURN_COMPACT_TS_P(x)	PG_RETURN_POINTER(x)

/*
 * Only the header: the first CTS_HEADER_SIZE payload bytes, copied into a
 * fresh varlena (slice offsets count from the start of the payload).  A
 * value shorter than a header gives a shorter slice, which
 * cts_read_header() then rejects as truncated.
 */
#define DatumGetCompactTsHeaderP(X) \
	((CompactTs *) PG_DETOAST_DATUM_SLICE(X, 0, CTS_HEADER_SIZE))
#define PG_GETARG_COMPACT_TS_HEADER(n) \
	DatumGetCompactTsHeaderP(PG_GETARG_DATUM(n))

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
	const uint8 *buf;			/* codec buffer */
	size_t		len;
	cts_header	header;
	uint32		next_block;		/* index of the next block to decode */
	cts_block_info block;		/* the block last decoded */
	uint32		npoints;		/* points in ts[] / values[] */
	int64	   *ts;				/* room for the largest block */
	double	   *values;			/* NULL unless asked for */
	uint32		capacity;		/* entries in ts[] / values[] */
} ChronosBlockReader;

/* compact_ts_io.c */
extern void chronos_report_corrupt(cts_status status) pg_attribute_noreturn();
extern void chronos_check_timestamp(int64 ts);
extern void chronos_read_header(const CompactTs *value, cts_header *header);
extern CompactTs *chronos_detoast(ChronosMemOp *op, Datum datum, Size *reserved);
extern void chronos_detoast_free(ChronosMemOp *op, Datum datum,
								 CompactTs *value, Size reserved);
extern void chronos_reader_init(ChronosBlockReader *reader, ChronosMemOp *op,
								const uint8 *buf, size_t len, bool want_values);
extern bool chronos_reader_next(ChronosBlockReader *reader);
extern void chronos_reader_free(ChronosBlockReader *reader, ChronosMemOp *op);
extern int	chronos_format_timestamp(int64 ts, char *out);
extern int	chronos_format_double(double value, char *out);

/* buffer sizes for the two formatters (including the terminating NUL) */
#define CHRONOS_TIMESTAMP_BUFLEN	(MAXDATELEN + 1)
#define CHRONOS_DOUBLE_BUFLEN		32

/* compact_ts_build.c */
extern void chronos_sort_points(ChronosMemOp *op, cts_point *pts, size_t n);
extern CompactTs *chronos_encode_points(ChronosMemOp *op, const cts_point *pts,
										size_t n, const cts_encode_opts *opts,
										cts_status *status, size_t *bad_index);
extern void chronos_report_nonfinite(double value, int64 ts,
									 const char *where) pg_attribute_noreturn();

#endif							/* COMPACT_TS_H */
