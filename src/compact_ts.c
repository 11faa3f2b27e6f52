/*-------------------------------------------------------------------------
 *
 * compact_ts.c
 *	  The core the compact_ts glue shares: reading and validating stored
 *	  values, detoasting, the block reader, the formatters of the text form,
 *	  and the encoder entry.
 *
 * Every glue file (compact_ts_io.c, compact_ts_build.c, compact_ts_op.c,
 * compact_ts_cmp.c) depends on this file and memory.c only, never on
 * another glue file, so each can change without the others.
 *
 * Validation
 * ----------
 * A stored value may be corrupt (disk, a buggy older writer, a hostile
 * cast).  ChronosBlockReader checks the header and the whole block index
 * before it hands out the first block, then validates each block's payload
 * as it decodes it (the codec's cts_decode_block), so a value is never
 * decoded twice; header-only questions check the header they read.  The
 * codec stores any int64 timestamp, but timestamptz is only defined on
 * [MIN_TIMESTAMP, END_TIMESTAMP) plus the two infinities, so every decoded
 * timestamp is checked against that range too.  Codec statuses become
 * ERRCODE_DATA_CORRUPTED with cts_strerror() as the detail.
 * chronos_validate_value() runs the same checks over a whole value and can
 * report softly (an ErrorSaveContext, PostgreSQL 16+), for text input.
 *
 * Encoding
 * --------
 * Both constructors and the text input collect points, sort them by time
 * with a stable merge sort (skipped when the input is already sorted, which
 * an O(n) scan finds out), size the encoding exactly with
 * cts_encoded_size, allocate the varlena once and let the codec write it.
 * The codec never longjmps: it polls an interrupt hook and returns
 * CTS_ERR_INTERRUPTED, and run_encoder serves the interrupt here.  A value
 * may take at most CTS_MAX_ENCODED bytes (compact_ts.h), so that its text
 * form fits in 1 GB.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include <ctype.h>

#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "compact_ts.h"

/* Runs shorter than this are insertion-sorted before merging. */
#define SORT_RUN			32


/* ----------------------------------------------------------------
 *		Corrupt values
 * ----------------------------------------------------------------
 */

/*
 * corrupt_error
 *		Report a value the codec rejected: ERRCODE_DATA_CORRUPTED, softly
 *		into escontext if it is an ErrorSaveContext.  Returns false (only
 *		when soft).
 */
static bool
corrupt_error(cts_status status, Node *escontext)
{
	errsave(escontext,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("compact_ts value is corrupt"),
			 errdetail_internal("%s", cts_strerror(status))));
	return false;
}

/*
 * timestamp_error
 *		Report a decoded timestamp outside timestamptz's range, as
 *		corrupt_error does.  Returns false (only when soft).
 */
static bool
timestamp_error(int64 ts, Node *escontext)
{
	errsave(escontext,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("compact_ts value is corrupt"),
			 errdetail("A timestamp (" INT64_FORMAT " microseconds after 2000-01-01 UTC) is outside the range of timestamp with time zone.",
					   ts)));
	return false;
}

/*
 * chronos_report_corrupt
 *		Raise the error for a stored or received value the codec rejected.
 */
void
chronos_report_corrupt(cts_status status)
{
	corrupt_error(status, NULL);
	pg_unreachable();
}

/*
 * valid_timestamp
 *		Is ts a timestamptz: finite within [MIN_TIMESTAMP, END_TIMESTAMP),
 *		or one of the infinities?  Values built by chronos always are; one
 *		that is not was damaged or forged.
 */
static inline bool
valid_timestamp(int64 ts)
{
	return TIMESTAMP_NOT_FINITE(ts) || IS_VALID_TIMESTAMP(ts);
}

/*
 * chronos_check_timestamp
 *		Reject a decoded timestamp outside timestamptz's range
 *		(ERRCODE_DATA_CORRUPTED).
 */
void
chronos_check_timestamp(int64 ts)
{
	if (!valid_timestamp(ts))
		timestamp_error(ts, NULL);
}

/*
 * chronos_read_header
 *		Parse and check the header of value (a whole value or a header
 *		slice) into *header.
 *
 * Raises ERRCODE_DATA_CORRUPTED if the header is truncated or inconsistent
 * in itself, or if its first/last timestamps are outside timestamptz's
 * range.  Only the header is checked: the rest of the value is not read.
 */
void
chronos_read_header(const CompactTs *value, cts_header *header)
{
	cts_status	st;

	st = cts_read_header(CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value), header);
	if (st != CTS_OK)
		chronos_report_corrupt(st);
	if (header->npoints > 0)
	{
		chronos_check_timestamp(header->first_ts);
		chronos_check_timestamp(header->last_ts);
	}
}

/*
 * chronos_fetch_header
 *		Read and check the header of the value behind datum, fetching only
 *		its first CTS2_HEADER_SIZE payload bytes (a format 1 header is
 *		shorter and is read from the same slice).
 *
 * An inline, uncompressed value is read in place; otherwise the header is
 * fetched with PG_DETOAST_DATUM_SLICE (one TOAST chunk for a value stored
 * out of line uncompressed) into a copy freed before returning.  A value
 * shorter than a header gives a shorter slice, which cts_read_header()
 * rejects as truncated.
 */
void
chronos_fetch_header(Datum datum, cts_header *header)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(datum);
	CompactTs  *slice;

	if (!VARATT_IS_EXTERNAL(ptr) && !VARATT_IS_COMPRESSED(ptr))
	{
		chronos_read_header((const CompactTs *) ptr, header);
		return;
	}
	slice = (CompactTs *) PG_DETOAST_DATUM_SLICE(datum, 0, CTS2_HEADER_SIZE);
	chronos_read_header(slice, header);
	pfree(slice);
}


/* ----------------------------------------------------------------
 *		Detoasting and the block reader
 * ----------------------------------------------------------------
 */

/*
 * chronos_detoast
 *		The whole value behind datum, fetched into op's context when it is
 *		stored out of line or compressed (within chronos.max_memory_mb, see
 *		chronos_detoast_datum), else in place, possibly with a short header:
 *		use CTS_PAYLOAD/CTS_PAYLOAD_LEN.  Release with chronos_detoast_free.
 */
CompactTs *
chronos_detoast(ChronosMemOp *op, Datum datum)
{
	return (CompactTs *) chronos_detoast_datum(op, datum, true,
											   "detoasted value");
}

/*
 * chronos_detoast_free
 *		Free what chronos_detoast fetched for datum, if it made a copy.
 */
void
chronos_detoast_free(ChronosMemOp *op, Datum datum, CompactTs *value)
{
	chronos_free_datum(op, datum, (struct varlena *) value);
}

/*
 * reader_open
 *		Check the header and block index of buf[0..len) and allocate the
 *		decode buffers (see chronos_reader_init).  Returns the codec's
 *		status; the reader is usable only on CTS_OK.
 */
static cts_status
reader_open(ChronosBlockReader *reader, ChronosMemOp *op, const uint8 *buf,
			size_t len, bool want_values, bool verify)
{
	cts_status	st;
	uint32		capacity = 0;
	uint32		i;

	memset(reader, 0, sizeof(ChronosBlockReader));
	reader->op = op;
	reader->buf = buf;
	reader->len = len;
	reader->verify = verify;

	/*
	 * Header and index now; each payload is checked by cts_decode_block as
	 * it is decoded, so a value is never decoded twice.
	 */
	st = cts_read_header(buf, len, &reader->header);
	if (st == CTS_OK)
		st = cts_validate_index(buf, len, &reader->header);
	if (st != CTS_OK)
		return st;

	/* buffers for the largest block */
	for (i = 0; i < reader->header.nblocks; i++)
	{
		cts_block_info bi;

		st = cts_read_block_info(buf, len, &reader->header, i, &bi);
		if (st != CTS_OK)
			return st;
		capacity = Max(capacity, bi.npoints);
	}
	reader->capacity = capacity;
	if (capacity > 0)
	{
		reader->ts = (int64 *) chronos_alloc(op, sizeof(int64) * capacity,
											 "decode buffer");
		/* format 2 decodes its integers in values[]: it always needs it */
		if (want_values || reader->header.version == CTS_FORMAT_V2)
			reader->values = (double *) chronos_alloc(op, sizeof(double) * capacity,
													  "decode buffer");
	}
	return CTS_OK;
}

/*
 * reader_step
 *		Decode the next block (see chronos_reader_next).
 *
 * done: set when there was no block left.
 *
 * Returns the codec's status for the block.  A block whose timestamps
 * leave timestamptz's range returns CTS_OK with reader->bad_ts set to the
 * first such timestamp and reader->npoints 0.
 */
static cts_status
reader_step(ChronosBlockReader *reader, bool *done)
{
	cts_status	st;
	cts_block_info *bi = &reader->block;

	*done = false;
	reader->npoints = 0;
	if (reader->next_block >= reader->header.nblocks)
	{
		*done = true;
		return CTS_OK;
	}

	CHECK_FOR_INTERRUPTS();

	st = cts_read_block_info(reader->buf, reader->len, &reader->header,
							 reader->next_block, bi);
	if (st == CTS_OK && bi->npoints > reader->capacity)
		st = CTS_ERR_BAD_INDEX;
	if (st == CTS_OK)
		st = reader->verify ?
			cts_decode_block(reader->buf, reader->len, &reader->header, bi,
							 reader->ts, reader->values) :
			cts_decode_block_trusted(reader->buf, reader->len, &reader->header, bi,
									 reader->ts, reader->values);
	if (st != CTS_OK)
		return st;

	/*
	 * Timestamps within a block never decrease, and timestamptz's finite
	 * range is an interval: if the block's first and last timestamps are
	 * finite and valid, so is every point between them.  Only a block that
	 * starts or ends at an infinity (or outside the range) needs a look at
	 * each point.
	 */
	if (!(IS_VALID_TIMESTAMP(bi->first_ts) && IS_VALID_TIMESTAMP(bi->last_ts)))
	{
		uint32		i;

		for (i = 0; i < bi->npoints; i++)
			if (!valid_timestamp(reader->ts[i]))
			{
				reader->bad_ts = reader->ts[i];
				return CTS_OK;
			}
	}

	reader->npoints = bi->npoints;
	reader->next_block++;
	return CTS_OK;
}

/*
 * chronos_reader_init
 *		Validate the header and block index of buf[0..len) and prepare to
 *		decode it block by block (each block is validated as it is decoded).
 *
 * op: the operation that owns the decode buffers (they live as long as the
 *		op, or until chronos_reader_free).
 * want_values: allocate and fill values[]; timestamps are always decoded,
 *		since they are checked against timestamptz's range.
 *
 * buf must stay valid while the reader is used.  Raises
 * ERRCODE_DATA_CORRUPTED for an inconsistent header or index here, and for
 * a corrupt block when chronos_reader_next reaches it.
 */
void
chronos_reader_init(ChronosBlockReader *reader, ChronosMemOp *op,
					const uint8 *buf, size_t len, bool want_values)
{
	cts_status	st = reader_open(reader, op, buf, len, want_values, false);

	if (st != CTS_OK)
		chronos_report_corrupt(st);
}

/*
 * chronos_reader_next
 *		Decode the next block into reader->ts / reader->values.
 *
 * Returns false when there are no more blocks.  On true, reader->block
 * describes the block and reader->npoints is its number of points.
 */
bool
chronos_reader_next(ChronosBlockReader *reader)
{
	bool		done;
	cts_status	st = reader_step(reader, &done);

	if (st != CTS_OK)
		chronos_report_corrupt(st);
	if (reader->bad_ts != 0)
		chronos_check_timestamp(reader->bad_ts);
	return !done;
}

/*
 * chronos_reader_free
 *		Free the reader's decode buffers (the op they came from stays).
 */
void
chronos_reader_free(ChronosBlockReader *reader)
{
	chronos_free(reader->op, reader->ts);
	chronos_free(reader->op, reader->values);
	reader->ts = NULL;
	reader->values = NULL;
	reader->capacity = 0;
}

/*
 * chronos_validate_value
 *		Check a whole codec buffer as every reader would: header, index,
 *		every block, every timestamp.
 *
 * op: owns the decode buffers while the check runs (freed before
 *		returning).
 * escontext: NULL to raise ERRCODE_DATA_CORRUPTED, or an ErrorSaveContext
 *		(16+) to report it softly.
 *
 * Returns true if the value is valid; false (only with a soft escontext)
 * after reporting why not.
 */
bool
chronos_validate_value(ChronosMemOp *op, const uint8 *buf, size_t len,
					   Node *escontext)
{
	ChronosBlockReader reader;
	cts_status	st;
	bool		done = false;

	st = reader_open(&reader, op, buf, len, false, true);
	while (st == CTS_OK && !done && reader.bad_ts == 0)
		st = reader_step(&reader, &done);
	chronos_reader_free(&reader);

	if (st != CTS_OK)
		return corrupt_error(st, escontext);
	if (reader.bad_ts != 0)
		return timestamp_error(reader.bad_ts, escontext);
	return true;
}


/* ----------------------------------------------------------------
 *		Formatters of the text form
 * ----------------------------------------------------------------
 */

/*
 * chronos_format_timestamp
 *		Print ts as the text form does: ISO style, UTC, "+00".
 *
 * out: room for CHRONOS_TIMESTAMP_BUFLEN bytes.
 *
 * Returns the length written (without the NUL).  Independent of DateStyle
 * and TimeZone.  A timestamp outside timestamptz's range (only possible in
 * a corrupt value, which readers reject first) prints as its raw number.
 */
int
chronos_format_timestamp(int64 ts, char *out)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_IS_NOBEGIN(ts))
		strcpy(out, "-infinity");
	else if (TIMESTAMP_IS_NOEND(ts))
		strcpy(out, "infinity");
	else if (IS_VALID_TIMESTAMP(ts) &&
			 timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) == 0)
	{
		/*
		 * Without a zone, timestamp2tm marks tm_isdst unknown, which would
		 * make EncodeDateTime leave the offset out; we print UTC, "+00".
		 */
		tm.tm_isdst = 0;
		EncodeDateTime(&tm, fsec, true, 0, NULL, USE_ISO_DATES, out);
	}
	else
		snprintf(out, CHRONOS_TIMESTAMP_BUFLEN, "@" INT64_FORMAT, ts);
	return (int) strlen(out);
}

/*
 * chronos_format_double
 *		Print value with the shortest text that reads back exactly.
 *
 * out: room for CHRONOS_DOUBLE_BUFLEN bytes.  Returns the length written.
 * Independent of extra_float_digits.
 */
int
chronos_format_double(double value, char *out)
{
	StaticAssertStmt(CHRONOS_DOUBLE_BUFLEN >= DOUBLE_SHORTEST_DECIMAL_LEN,
					 "double buffer too small");
	return double_to_shortest_decimal_buf(value, out);
}


/* ----------------------------------------------------------------
 *		The encoder entry
 * ----------------------------------------------------------------
 */

/*
 * merge_runs
 *		Stably merge a[0..na) and b[0..nb) into out.
 */
static void
merge_runs(const cts_point *a, size_t na, const cts_point *b, size_t nb,
		   cts_point *out)
{
	size_t		i = 0,
				j = 0,
				k = 0;

	/* already in order: nothing to interleave */
	if (na == 0 || nb == 0 || a[na - 1].ts <= b[0].ts)
	{
		memcpy(out, a, na * sizeof(cts_point));
		memcpy(out + na, b, nb * sizeof(cts_point));
		return;
	}
	while (i < na && j < nb)
	{
		/* <= keeps equal timestamps in input order */
		if (a[i].ts <= b[j].ts)
			out[k++] = a[i++];
		else
			out[k++] = b[j++];
	}
	if (i < na)
		memcpy(out + k, a + i, (na - i) * sizeof(cts_point));
	if (j < nb)
		memcpy(out + k, b + j, (nb - j) * sizeof(cts_point));
}

/*
 * chronos_sort_points
 *		Sort pts[0..n) by timestamp, stably, in place.
 *
 * op: provides the merge buffer (n points), freed before returning.
 *
 * A sorted input costs one O(n) scan and no memory.  Otherwise runs of
 * SORT_RUN points are insertion-sorted, then merged bottom-up between pts
 * and the buffer.
 */
void
chronos_sort_points(ChronosMemOp *op, cts_point *pts, size_t n)
{
	size_t		i;
	size_t		lo;
	size_t		width;
	cts_point  *buf;
	cts_point  *src;
	cts_point  *dst;

	for (i = 1; i < n; i++)
		if (pts[i].ts < pts[i - 1].ts)
			break;
	if (i >= n)
		return;

	/* insertion sort of short runs */
	for (lo = 0; lo < n; lo += SORT_RUN)
	{
		size_t		hi = Min(lo + SORT_RUN, n);

		for (i = lo + 1; i < hi; i++)
		{
			cts_point	x = pts[i];
			size_t		j = i;

			while (j > lo && pts[j - 1].ts > x.ts)
			{
				pts[j] = pts[j - 1];
				j--;
			}
			pts[j] = x;
		}
		if ((lo & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (n <= SORT_RUN)
		return;

	buf = (cts_point *) chronos_alloc(op, n * sizeof(cts_point), "sort buffer");
	src = pts;
	dst = buf;
	for (width = SORT_RUN; width < n; width *= 2)
	{
		cts_point  *tmp;

		for (lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = Min(lo + width, n);
			size_t		hi = Min(lo + 2 * width, n);

			merge_runs(src + lo, mid - lo, src + mid, hi - mid, dst + lo);
			CHECK_FOR_INTERRUPTS();
		}
		tmp = src;
		src = dst;
		dst = tmp;
	}
	if (src != pts)
		memcpy(pts, src, n * sizeof(cts_point));
	chronos_free(op, buf);
}

/*
 * encode_interrupt
 *		The codec's interrupt hook: stop if a cancel, timeout or other
 *		interrupt is pending and may be served now.  The codec returns
 *		CTS_ERR_INTERRUPTED and the caller runs CHECK_FOR_INTERRUPTS, so no
 *		error is longjmp'd through the library.
 */
static int
encode_interrupt(void *arg)
{
	return INTERRUPTS_PENDING_CONDITION() && INTERRUPTS_CAN_BE_PROCESSED();
}

/*
 * run_encoder
 *		cts_encoded_size (out == NULL) or cts_encode with the interrupt hook,
 *		serving interrupts as they come: an error is raised from here; an
 *		interrupt that raises none (a barrier, a signal to log memory
 *		contexts) just restarts the pass.
 */
static cts_status
run_encoder(const cts_point *pts, size_t n, const cts_encode_opts *opts,
			uint8 *out, size_t cap, size_t *len, size_t *bad_index)
{
	cts_encode_opts o;
	cts_status	st;

	if (opts != NULL)
		o = *opts;
	else
		memset(&o, 0, sizeof(o));
	o.interrupt = encode_interrupt;
	o.interrupt_arg = NULL;
	for (;;)
	{
		st = out == NULL ?
			cts_encoded_size(pts, n, &o, len, bad_index) :
			cts_encode(pts, n, &o, out, cap, len, bad_index);
		if (st != CTS_ERR_INTERRUPTED)
			return st;
		CHECK_FOR_INTERRUPTS();
	}
}


/* ERROR 54000 for a series of more points than a value holds */
static void
check_point_count(size_t n)
{
	if (n > CTS_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("series has %zu points, more than the maximum %u",
						n, CTS_MAX_POINTS),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, one row each.",
						 chronos_chunk_size)));
}

/*
 * chronos_encode_points
 *		Encode the sorted points pts[0..n) into a new compact_ts.
 *
 * op: the result is allocated (and counted) in op's context.
 * opts: encoder options (NULL for the defaults).
 * status, bad_index: on a data error the codec reported (unsorted,
 *		non-finite, off-grid, implausible summaries, bad layout) the result
 *		is NULL, *status says which and *bad_index names the point where
 *		the codec does; the caller reports it in its own terms.
 *
 * A series too large for one value (more than CTS_MAX_POINTS points, or
 * more than CTS_MAX_ENCODED bytes encoded) raises
 * ERRCODE_PROGRAM_LIMIT_EXCEEDED with a hint to store segments of
 * chronos.chunk_size points.
 */
CompactTs *
chronos_encode_points(ChronosMemOp *op, const cts_point *pts, size_t n,
					  const cts_encode_opts *opts, cts_status *status,
					  size_t *bad_index)
{
	size_t		size = 0;
	size_t		len = 0;
	cts_status	st;
	CompactTs  *result;

	*status = CTS_OK;
	check_point_count(n);

	st = run_encoder(pts, n, opts, NULL, 0, &size, bad_index);
	if (st == CTS_ERR_TOO_MANY_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("series of %zu points is too large for one compact_ts value", n),
				 errdetail_internal("%s", cts_strerror(st)),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, one row each.",
						 chronos_chunk_size)));
	if (st != CTS_OK)
	{
		*status = st;
		return NULL;
	}
	if (size > CTS_MAX_ENCODED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value would take %zu bytes, more than the maximum %zu",
						size, CTS_MAX_ENCODED),
				 errdetail("The series has %zu points.  A value is limited to %zu bytes so that its text form fits in 1 GB.",
						   n, CTS_MAX_ENCODED),
				 errhint("Store the series as segments of chronos.chunk_size (now %d) points, one row each.",
						 chronos_chunk_size)));

	result = (CompactTs *) chronos_alloc(op, VARHDRSZ + size, "compact_ts value");
	st = run_encoder(pts, n, opts, result->data, size, &len, bad_index);
	if (st != CTS_OK)
	{
		chronos_free(op, result);
		*status = st;
		return NULL;
	}
	if (len != size)
		elog(ERROR, "compact_ts encoder wrote %zu bytes but sized %zu", len, size);
	SET_VARSIZE(result, VARHDRSZ + len);

#ifdef USE_ASSERT_CHECKING
	Assert(chronos_validate_value(op, result->data, len, NULL));
#endif

	return result;
}

/*
 * chronos_encode_series
 *		Encode the sorted points pts[0..n) into a new format 2 compact_ts
 *		with codec.
 *
 * op: the result is allocated (and counted) in op's context.
 * status, bad_index: on a data error the codec reported (a NaN or infinite
 *		value for a lossy codec, unsorted input) the result is NULL, *status
 *		says which and *bad_index names the point; the caller reports it.
 *
 * block_points: points per block (chronos.block_points for what a query
 *		builds; 0, the format's default, where the bytes must not depend on
 *		a setting: the text form's points are read back in the default
 *		layout wherever they are restored).
 *
 * Block by block: each block is encoded into one block-sized buffer and
 * appended to the payloads, which grow by doubling; the value is then
 * assembled at its exact size.  The transient memory is about twice the
 * encoded size plus a few hundred kB, never a worst-case bound per point.
 * Interrupts are served between blocks.  Too many points or bytes raise
 * ERRCODE_PROGRAM_LIMIT_EXCEEDED with a hint to store segments.
 */
CompactTs *
chronos_encode_series(ChronosMemOp *op, const cts_point *pts, size_t n,
					  const ChronosCodec *codec, uint32 block_points,
					  cts_status *status, size_t *bad_index)
{
	cts_encode2_opts o;
	uint32		nb,
				bp,
				b;
	cts_status	st;
	cts_block_info *infos = NULL;
	uint8	   *scratch;
	size_t		scratch_len;
	uint8	   *blockbuf;
	size_t		blockcap;
	uint8	   *payloads = NULL;
	size_t		pcap = 0;
	size_t		plen = 0;
	size_t		prefix;
	CompactTs  *result;

	*status = CTS_OK;
	memset(&o, 0, sizeof(o));
	o.codec = codec->kind;
	o.bits = codec->bits;
	o.bound = codec->bound;
	o.block_points = block_points;
	check_point_count(n);
	st = cts2_layout(n, &o, &nb, &bp);
	if (st != CTS_OK)
		elog(ERROR, "compact_ts encoder: %s", cts_strerror(st));
	prefix = cts2_prefix_size(nb);

	if (nb > 0)
	{
		infos = (cts_block_info *) chronos_alloc(op, sizeof(cts_block_info) * nb,
												 "block index");
		scratch_len = cts_encode2_scratch_size(&o);
		scratch = (uint8 *) chronos_alloc(op, scratch_len, "encoder workspace");
		blockcap = cts2_block_bound(bp);
		blockbuf = (uint8 *) chronos_alloc(op, blockcap, "encoder workspace");
		for (b = 0; b < nb; b++)
		{
			size_t		start = (size_t) b * bp;
			uint32		cnt = (uint32) Min((size_t) bp, n - start);

			CHECK_FOR_INTERRUPTS();
			if (start > 0 && pts[start].ts < pts[start - 1].ts)
			{
				*status = CTS_ERR_UNSORTED;
				*bad_index = start;
				return NULL;
			}
			st = cts2_encode_block(pts + start, cnt, &o, scratch, scratch_len,
								   blockbuf, blockcap, &infos[b], bad_index);
			if (st != CTS_OK)
			{
				if (st == CTS_ERR_NONFINITE || st == CTS_ERR_UNSORTED)
				{
					*status = st;
					*bad_index += start;
					return NULL;
				}
				elog(ERROR, "compact_ts encoder failed: %s", cts_strerror(st));
			}
			if (prefix + plen + infos[b].length > CTS_MAX_ENCODED)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("compact_ts value would take more than the maximum %zu bytes",
								CTS_MAX_ENCODED),
						 errdetail("The series has %zu points.  A value is limited to %zu bytes so that its text form fits in 1 GB.",
								   n, CTS_MAX_ENCODED),
						 errhint("Store the series as segments of chronos.chunk_size (now %d) points, one row each.",
								 chronos_chunk_size)));
			if (plen + infos[b].length > pcap)
				chronos_grow(op, (void **) &payloads, &pcap, 1,
							 plen + infos[b].length, CTS_MAX_ENCODED, "encoded blocks");
			memcpy(payloads + plen, blockbuf, infos[b].length);
			plen += infos[b].length;
		}
		chronos_free(op, blockbuf);
		chronos_free(op, scratch);
	}

	result = (CompactTs *) chronos_alloc(op, VARHDRSZ + prefix + plen, "compact_ts value");
	SET_VARSIZE(result, VARHDRSZ + prefix + plen);
	st = cts2_write_prefix(infos, nb, o.codec, o.bits, o.bound, result->data, prefix);
	if (st != CTS_OK)
		elog(ERROR, "compact_ts encoder failed: %s", cts_strerror(st));
	if (plen > 0)
		memcpy(result->data + prefix, payloads, plen);
	chronos_free(op, payloads);
	chronos_free(op, infos);

#ifdef USE_ASSERT_CHECKING
	Assert(chronos_validate_value(op, result->data, prefix + plen, NULL));
#endif
	return result;
}

/*
 * chronos_reject_nonfinite
 *		Report a NaN or infinite value, 22023, softly into escontext if it
 *		is an ErrorSaveContext.  Returns false (only when soft).
 *
 * what: names the point, capitalized, e.g. "Element 3 of the value array".
 */
bool
chronos_reject_nonfinite(double value, int64 ts, const char *what,
						 Node *escontext)
{
	char		tsbuf[CHRONOS_TIMESTAMP_BUFLEN];

	chronos_format_timestamp(ts, tsbuf);
	errsave(escontext,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("compact_ts cannot store NaN or infinite values"),
			 errdetail("%s, at %s, is %s.", what, tsbuf,
					   isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity")),
			 errhint("Store them with the 'lossless' codec, which keeps them, or filter them out first: WHERE v <> 'NaN' AND v NOT IN ('Infinity', '-Infinity').")));
	return false;
}

/*
 * chronos_report_nonfinite
 *		Raise the error for a NaN or infinite value (see
 *		chronos_reject_nonfinite).
 */
void
chronos_report_nonfinite(double value, int64 ts, const char *what)
{
	chronos_reject_nonfinite(value, ts, what, NULL);
	pg_unreachable();
}

/*
 * chronos_agg_sum
 *		The sum of an aggregate by sum(float8)'s rules: NaN, +-Infinity as
 *		PostgreSQL gives them, and 22003 when the finite values' sum is beyond
 *		double precision.  *min and *max are the aggregate's min and max.
 */
double
chronos_agg_sum(const cts_agg *acc, double *min, double *max)
{
	double		sum;
	int			overflow;

	cts_agg_result(acc, min, max, &sum, &overflow);
	if (overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value out of range: overflow"),
				 errdetail("The sum of the %llu values in the range is beyond the range of type double precision.",
						   (unsigned long long) acc->count)));
	return sum;
}

/* ----------------------------------------------------------------
 *		Codecs (format 2) and chronos.default_codec
 * ----------------------------------------------------------------
 */

char	   *chronos_default_codec = NULL;
int			chronos_block_points = CTS2_DEFAULT_BLOCK_POINTS;

/*
 * chronos_codec_parse
 *		Parse a codec name (see ChronosCodec), case-insensitively, like SQL
 *		keywords, surrounding spaces allowed.  Returns false for anything
 *		else (out is then unchanged).  Raises nothing, so the GUC check hook
 *		can use it.
 */
bool
chronos_codec_parse(const char *name, size_t len, ChronosCodec *out)
{
	char		buf[CHRONOS_CODEC_NAME_LEN];
	size_t		i;
	size_t		n = 0;

	while (len > 0 && isspace((unsigned char) name[0]))
	{
		name++;
		len--;
	}
	while (len > 0 && isspace((unsigned char) name[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return false;
	for (i = 0; i < len; i++)
		buf[n++] = pg_ascii_tolower((unsigned char) name[i]);
	buf[n] = '\0';

	if (strcmp(buf, "lossless") == 0 || strcmp(buf, "gorilla") == 0)
	{
		out->kind = CTS_CODEC2_LOSSLESS;
		out->bits = 0;
		out->bound = 0;
		return true;
	}
	if (strncmp(buf, "quant", 5) == 0 && n > 5 && n <= 7)
	{
		int			bits = 0;

		for (i = 5; i < n; i++)
		{
			if (buf[i] < '0' || buf[i] > '9')
				return false;
			bits = bits * 10 + (buf[i] - '0');
		}
		if (bits < 1 || bits > 32 || (buf[5] == '0'))
			return false;
		out->kind = CTS_CODEC2_QUANT;
		out->bits = (uint8) bits;
		out->bound = 0;
		return true;
	}
	if (strncmp(buf, "max_error", 9) == 0)
	{
		const char *p = buf + 9;
		char	   *end;
		double		b;

		while (*p == ' ')
			p++;
		if (*p != '=')
			return false;
		p++;
		while (*p == ' ')
			p++;
		/*
		 * No errno check: strtod sets ERANGE for a subnormal result too,
		 * which is a valid bound (the float8 forms accept it, and its name
		 * must read back); overflow (HUGE_VAL) and underflow to 0 fail the
		 * tests below.
		 */
		/* a decimal number only (strtod would also read hex, inf, nan) */
		if (strspn(p, "0123456789+-.eE") != strlen(p))
			return false;
		b = strtod(p, &end);
		if (end == p || *end != '\0' || !(b > 0) || !isfinite(b))
			return false;
		out->kind = CTS_CODEC2_BOUND;
		out->bits = 0;
		out->bound = b;
		return true;
	}
	return false;
}

/*
 * chronos_codec_from_text
 *		The codec a user named in a SQL argument; 22023 if it is not one.
 */
void
chronos_codec_from_text(text *name, ChronosCodec *out)
{
	if (!chronos_codec_parse(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), out))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown compact_ts codec: \"%s\"", text_to_cstring(name)),
				 errhint("Use 'quant16' (the default: 16-bit quantization with a measured error bound), 'quant1' to 'quant32' for another width, 'max_error=0.01' for a bound in value units, or 'lossless'.")));
}

/*
 * chronos_codec_default
 *		The codec of chronos.default_codec (checked when it was set).
 */
void
chronos_codec_default(ChronosCodec *out)
{
	const char *name = chronos_default_codec ? chronos_default_codec : "quant16";

	if (!chronos_codec_parse(name, strlen(name), out))
	{
		/* cannot happen: the check hook refused anything else */
		out->kind = CTS_CODEC2_QUANT;
		out->bits = 16;
		out->bound = 0;
	}
}

/*
 * chronos_codec_name
 *		The canonical name of a codec into out (CHRONOS_CODEC_NAME_LEN
 *		bytes): 'quant16', 'max_error=0.01' (shortest text of the bound),
 *		'lossless'.  Returns its length.
 */
int
chronos_codec_name(const ChronosCodec *codec, char *out)
{
	switch (codec->kind)
	{
		case CTS_CODEC2_QUANT:
			return snprintf(out, CHRONOS_CODEC_NAME_LEN, "quant%d", (int) codec->bits);
		case CTS_CODEC2_BOUND:
			{
				char		num[CHRONOS_DOUBLE_BUFLEN];

				chronos_format_double(codec->bound, num);
				return snprintf(out, CHRONOS_CODEC_NAME_LEN, "max_error=%s", num);
			}
		case CTS_CODEC2_LOSSLESS:
			return snprintf(out, CHRONOS_CODEC_NAME_LEN, "lossless");
	}
	return snprintf(out, CHRONOS_CODEC_NAME_LEN, "mixed");
}

/*
 * chronos_codec_of_header
 *		The codec a format 2 value was encoded with; false for a format 1
 *		value or a mixed one (blocks of different codecs joined).
 */
bool
chronos_codec_of_header(const cts_header *h, ChronosCodec *out)
{
	if (h->version != CTS_FORMAT_V2 || h->codec == CTS_CODEC2_MIXED)
		return false;
	out->kind = h->codec;
	out->bits = h->codec_bits;
	out->bound = h->codec_bound;
	return true;
}

/* check hook of chronos.default_codec: a codec name */
static bool
check_default_codec(char **newval, void **extra, GucSource source)
{
	ChronosCodec c;

	if (*newval == NULL || !chronos_codec_parse(*newval, strlen(*newval), &c))
	{
		GUC_check_errdetail("\"%s\" is not a compact_ts codec.", *newval ? *newval : "");
		GUC_check_errhint("Use quant16, quant1 to quant32, max_error=<bound> or lossless.");
		return false;
	}
	return true;
}

/*
 * chronos_codec_init
 *		Define chronos.default_codec; called once from _PG_init.
 */
void
chronos_codec_init(void)
{
	DefineCustomStringVariable("chronos.default_codec",
							   "The codec compact_ts(), compact_ts_agg() and text literals use when none is named.",
							   "quant16 (16-bit quantization against each 1,024 points' range, "
							   "values stored exactly when they are decimals with few digits), "
							   "quant1 to quant32, max_error=<bound in value units>, or lossless.",
							   &chronos_default_codec,
							   "quant16",
							   PGC_USERSET,
							   0,
							   check_default_codec, NULL, NULL);
	DefineCustomIntVariable("chronos.block_points",
							"Points per block of the series compact_ts_agg() and the file importers build.",
							"A range, point or bucket read decodes the blocks it cuts: fewer points per "
							"block make reads of short ranges faster and values larger (64 bytes of "
							"index and the coder's own state per block).  Text literals and input "
							"always use the default layout.",
							&chronos_block_points,
							CTS2_DEFAULT_BLOCK_POINTS,
							CHRONOS_MIN_BLOCK_POINTS,
							CTS_MAX_BLOCK_POINTS,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
}
