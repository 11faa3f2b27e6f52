/*-------------------------------------------------------------------------
 *
 * compact_ts_io.c
 *	  Input and output of compact_ts: the text literal, the binary wire
 *	  format, and the validation every reader of a stored value goes through.
 *
 * Text literal
 * ------------
 * Two forms share one grammar:
 *
 *	user form       {2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}
 *	canonical form  {quant16(sum=3.75,error=0): 2020-01-01 00:00:00+00 => 1.5, ...; gorilla(...): ...}
 *	empty series    {}
 *
 * The user form is a list of "timestamp => value" points in any order; it
 * is encoded afresh, exactly as compact_ts(timestamptz[], float8[]) would
 * encode the same points (stable sort by time, default blocks).  The
 * canonical form is what compact_ts_out prints: the points grouped in their
 * blocks, ';' between blocks, each block opened by a header naming its
 * codec and the exact sum and error bound of the block's original values.
 * Those two numbers are the only facts about a block that its decoded points
 * do not tell (min and max are themselves points, and the flags follow from
 * them), so re-encoding the canonical form with the same block layout
 * reproduces the stored bytes exactly: in(out(x)) = x byte for byte.  The
 * encoder checks that every value lies on its block's quantization grid and
 * that the header's sum and error are plausible for the points, so a
 * hand-edited canonical literal is rejected rather than stored with made-up
 * summaries.
 *
 * Output never depends on session settings: timestamps are printed in ISO
 * style in UTC with an explicit "+00" (microseconds only when non-zero,
 * "infinity"/"-infinity", " BC" for years before 1), values with the
 * shortest text that reads back to the same double.  compact_ts_out is
 * therefore IMMUTABLE; compact_ts_in is STABLE like timestamptz_in, since a
 * literal may say 'now' or leave out the time zone.
 *
 * Each timestamp token is checked with PostgreSQL's own date/time parser
 * (ParseDateTime + DecodeDateTime, which report errors as codes instead of
 * throwing) before it is converted by timestamptz_in, so a malformed one is
 * reported as 22P02 with the point number and character position.  The only
 * error timestamptz_in can still raise is "timestamp out of range"; an error
 * context callback adds the position to it.  Nothing is caught.
 *
 * Binary format
 * -------------
 * compact_ts_send sends the codec buffer exactly as stored (format.h), with
 * no framing: its first byte is the format version, which is all the
 * versioning the wire needs.  compact_ts_recv takes every remaining byte of
 * the message as the value and validates all of it (cts_validate, plus
 * PostgreSQL's timestamp range) before it copies anything, so a truncated
 * value, trailing garbage or any inconsistency is ERRCODE_DATA_CORRUPTED.
 * compact_ts_to_bytea / compact_ts_from_bytea give SQL the same two
 * conversions.
 *
 * Validation of stored values
 * ---------------------------
 * A stored value may be corrupt (disk, a buggy older writer, a hostile
 * cast).  ChronosBlockReader validates the whole value before it hands out
 * the first block; header-only questions check the header they read.
 * Codec statuses become ERRCODE_DATA_CORRUPTED with cts_strerror() as the
 * detail.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_io.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "compact_ts.h"

PG_FUNCTION_INFO_V1(compact_ts_in);
PG_FUNCTION_INFO_V1(compact_ts_out);
PG_FUNCTION_INFO_V1(compact_ts_recv);
PG_FUNCTION_INFO_V1(compact_ts_send);
PG_FUNCTION_INFO_V1(compact_ts_to_bytea);
PG_FUNCTION_INFO_V1(compact_ts_from_bytea);

/* Largest text form: it must still fit in a text datum (cstring_to_text). */
#define CTS_MAX_TEXT			((Size) (MaxAllocSize - VARHDRSZ))

/* How much of a bad literal the error message quotes. */
#define CTS_LITERAL_QUOTE_BYTES	80

/* Room one formatted point may take in the text output. */
#define CTS_POINT_TEXT_MAX \
	(2 + CHRONOS_TIMESTAMP_BUFLEN + 4 + CHRONOS_DOUBLE_BUFLEN)

/*
 * State of the literal parser.  The points and block specs grow by
 * doubling through the memory manager, like every buffer sized by the data.
 */
typedef struct CtsParser
{
	const char *str;			/* the whole literal */
	ChronosMemOp *op;
	cts_point  *pts;
	size_t		npts;
	size_t		pts_cap;
	cts_block_spec *blocks;		/* canonical form only */
	size_t		nblocks;
	size_t		blocks_cap;
	StringInfoData tok;			/* scratch copy of a number token */
	const char *cur_at;			/* token being converted, for errcontext */
	size_t		cur_point;		/* its point number (1-based) */
} CtsParser;

/* Growable text output. */
typedef struct CtsOutBuf
{
	ChronosMemOp *op;
	char	   *data;
	Size		len;
	Size		cap;
	uint32		npoints;		/* for the size-limit message */
} CtsOutBuf;


/* ----------------------------------------------------------------
 *		Validation and access helpers shared by the glue
 * ----------------------------------------------------------------
 */

/*
 * chronos_report_corrupt
 *		Raise the error for a stored or received value the codec rejected.
 */
void
chronos_report_corrupt(cts_status status)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("compact_ts value is corrupt"),
			 errdetail_internal("%s", cts_strerror(status))));
}

/*
 * chronos_check_timestamp
 *		Reject a decoded timestamp outside timestamptz's range.
 *
 * The codec stores any int64; PostgreSQL's timestamptz is only defined on
 * [MIN_TIMESTAMP, END_TIMESTAMP) plus the two infinities.  Values built by
 * chronos always satisfy that; a value that does not was damaged or forged.
 */
void
chronos_check_timestamp(int64 ts)
{
	if (!(TIMESTAMP_NOT_FINITE(ts) || IS_VALID_TIMESTAMP(ts)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("compact_ts value is corrupt"),
				 errdetail("A timestamp (" INT64_FORMAT " microseconds after 2000-01-01 UTC) is outside the range of timestamp with time zone.",
						   ts)));
}

/*
 * chronos_read_header
 *		Parse and check the header of value (a whole value or a header
 *		slice, see PG_GETARG_COMPACT_TS_HEADER) into *header.
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
 * chronos_detoast
 *		The whole value behind datum, fetched into op's context.
 *
 * reserved: receives the bytes reserved for the copy (0 if none was made).
 *
 * A value stored out of line or compressed is copied; its size is reserved
 * against chronos.max_memory_mb before PostgreSQL fetches it, so a huge
 * value fails with the memory-limit error instead of being read first.  An
 * inline value is used in place (possibly with a short header: use
 * CTS_PAYLOAD/CTS_PAYLOAD_LEN).  Release with chronos_detoast_free.
 */
CompactTs *
chronos_detoast(ChronosMemOp *op, Datum datum, Size *reserved)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(datum);
	MemoryContext oldcontext;
	CompactTs  *result;
	Size		size;

	*reserved = 0;
	if (!VARATT_IS_EXTERNAL(ptr) && !VARATT_IS_COMPRESSED(ptr))
		return (CompactTs *) ptr;

	size = toast_raw_datum_size(datum);
	chronos_reserve(op, size, "detoasted value");
	*reserved = size;

	oldcontext = MemoryContextSwitchTo(chronos_op_context(op));
	result = (CompactTs *) pg_detoast_datum_packed(ptr);
	MemoryContextSwitchTo(oldcontext);
	return result;
}

/*
 * chronos_detoast_free
 *		Free what chronos_detoast fetched for datum and give back its
 *		reservation.
 */
void
chronos_detoast_free(ChronosMemOp *op, Datum datum, CompactTs *value,
					 Size reserved)
{
	if ((Pointer) value != DatumGetPointer(datum))
		pfree(value);
	if (reserved > 0)
		chronos_release(op, reserved);
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
	cts_status	st;
	uint32		capacity = 0;
	uint32		i;

	memset(reader, 0, sizeof(ChronosBlockReader));
	reader->buf = buf;
	reader->len = len;

	/*
	 * Header and index now; each payload is checked by cts_decode_block as
	 * it is decoded, so a value is never decoded twice.
	 */
	st = cts_read_header(buf, len, &reader->header);
	if (st == CTS_OK)
		st = cts_validate_index(buf, len, &reader->header);
	if (st != CTS_OK)
		chronos_report_corrupt(st);

	/* buffers for the largest block */
	for (i = 0; i < reader->header.nblocks; i++)
	{
		cts_block_info bi;

		st = cts_read_block_info(buf, len, &reader->header, i, &bi);
		if (st != CTS_OK)
			chronos_report_corrupt(st);
		capacity = Max(capacity, bi.npoints);
	}
	reader->capacity = capacity;
	if (capacity > 0)
	{
		reader->ts = (int64 *) chronos_alloc(op, sizeof(int64) * capacity,
											 "decode buffer");
		if (want_values)
			reader->values = (double *) chronos_alloc(op, sizeof(double) * capacity,
													  "decode buffer");
	}
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
	cts_status	st;
	cts_block_info *bi = &reader->block;

	if (reader->next_block >= reader->header.nblocks)
		return false;

	CHECK_FOR_INTERRUPTS();

	st = cts_read_block_info(reader->buf, reader->len, &reader->header,
							 reader->next_block, bi);
	if (st == CTS_OK && bi->npoints > reader->capacity)
		st = CTS_ERR_BAD_INDEX;
	if (st == CTS_OK)
		st = cts_decode_block(reader->buf, reader->len, &reader->header, bi,
							  reader->ts, reader->values);
	if (st != CTS_OK)
		chronos_report_corrupt(st);

	/*
	 * Timestamps within a block never decrease, and timestamptz's finite
	 * range is an interval: if the block's first and last timestamps are
	 * finite and valid, so is every point between them.  Only a block that
	 * starts or ends at an infinity needs a look at each point.
	 */
	if (!(IS_VALID_TIMESTAMP(bi->first_ts) && IS_VALID_TIMESTAMP(bi->last_ts)))
	{
		uint32		i;

		for (i = 0; i < bi->npoints; i++)
			chronos_check_timestamp(reader->ts[i]);
	}

	reader->npoints = bi->npoints;
	reader->next_block++;
	return true;
}

/*
 * chronos_reader_free
 *		Free the reader's decode buffers (the op they came from stays).
 */
void
chronos_reader_free(ChronosBlockReader *reader, ChronosMemOp *op)
{
	if (reader->ts != NULL)
		chronos_free(op, reader->ts, sizeof(int64) * reader->capacity);
	if (reader->values != NULL)
		chronos_free(op, reader->values, sizeof(double) * reader->capacity);
	reader->ts = NULL;
	reader->values = NULL;
	reader->capacity = 0;
}

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
 *		Text input
 * ----------------------------------------------------------------
 */

/*
 * char_position
 *		1-based character (not byte) position of at in the literal.
 */
static int
char_position(const CtsParser *ps, const char *at)
{
	return pg_mbstrlen_with_len(ps->str, (int) (at - ps->str)) + 1;
}

/*
 * quote_literal_start
 *		The literal as the error message quotes it: whole if short, else
 *		its beginning and "...".  Palloc'd.
 */
static char *
quote_literal_start(const char *str)
{
	size_t		len = strlen(str);
	int			cut;

	if (len <= CTS_LITERAL_QUOTE_BYTES)
		return pstrdup(str);
	cut = pg_mbcliplen(str, (int) Min(len, (size_t) PG_INT32_MAX),
					   CTS_LITERAL_QUOTE_BYTES - 3);
	return psprintf("%.*s...", cut, str);
}

/*
 * syntax_error
 *		Raise 22P02 for the literal; the detail (a printf format) says where
 *		and what was expected.
 */
static void
pg_attribute_printf(2, 3) pg_attribute_noreturn()
syntax_error(const CtsParser *ps, const char *fmt,...)
{
	StringInfoData detail;

	initStringInfo(&detail);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&detail, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&detail, needed);
	}

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"",
					"compact_ts", quote_literal_start(ps->str)),
			 errdetail_internal("%s", detail.data)));
}

/*
 * literal_error_callback
 *		errcontext for errors raised while timestamptz_in converts a token
 *		(only "timestamp out of range" can get that far).
 */
static void
literal_error_callback(void *arg)
{
	CtsParser  *ps = (CtsParser *) arg;

	errcontext("compact_ts literal, point %zu at character %d",
			   ps->cur_point, char_position(ps, ps->cur_at));
}

static inline bool
is_space(char c)
{
	return isspace((unsigned char) c);
}

static inline const char *
skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

static inline bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool
is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/*
 * looks_like_block_header
 *		Does a block header ("name(") start at p?  A timestamp never holds
 *		'(' (PostgreSQL's date/time parser rejects it), so this cannot
 *		mistake a point for a header.
 */
static bool
looks_like_block_header(const char *p)
{
	if (!is_ident_start(*p))
		return false;
	while (is_ident_char(*p))
		p++;
	p = skip_space(p);
	return *p == '(';
}

/*
 * describe_char
 *		What stands at p, for "expected X, found Y" details.  Palloc'd.
 */
static char *
describe_char(const char *p)
{
	if (*p == '\0')
		return pstrdup("the end of the literal");
	return psprintf("\"%.*s\"", pg_mblen(p), p);
}

/*
 * parse_double
 *		Convert the number token [start, end).  noun and num name it in
 *		errors ("value of point", 3).  Accepts what float8in accepts,
 *		including NaN and infinities (the callers decide about those).
 */
static double
parse_double(CtsParser *ps, const char *start, const char *end,
			 const char *noun, size_t num)
{
	bool		have_error = false;
	char	   *endptr;
	double		result;

	if (start == end)
		syntax_error(ps, "The %s %zu at character %d is missing: found %s.",
					 noun, num, char_position(ps, start), describe_char(start));

	resetStringInfo(&ps->tok);
	appendBinaryStringInfo(&ps->tok, start, (int) (end - start));
	result = float8in_internal_opt_error(ps->tok.data, &endptr,
										 "double precision", ps->tok.data,
										 &have_error);
	if (have_error || *endptr != '\0')
	{
		/* float8in does not say which; strtod does */
		errno = 0;
		(void) strtod(ps->tok.data, &endptr);
		if (errno == ERANGE && endptr != ps->tok.data && *endptr == '\0')
			syntax_error(ps, "The %s %zu at character %d, \"%s\", is out of the range of double precision.",
						 noun, num, char_position(ps, start), ps->tok.data);
		syntax_error(ps, "The %s %zu at character %d, \"%s\", is not a number.",
					 noun, num, char_position(ps, start), ps->tok.data);
	}
	return result;
}

/*
 * number_token_end
 *		End of a number token starting at p: the first space or delimiter.
 */
static const char *
number_token_end(const char *p)
{
	while (*p != '\0' && !is_space(*p) && strchr(",;{}()=:\"", *p) == NULL)
		p++;
	return p;
}

/*
 * expect_char
 *		Require c at p (after spaces); return the position after it.
 *		context completes "Expected "c" ..." in the error detail.
 */
static const char *
expect_char(CtsParser *ps, const char *p, char c, const char *context)
{
	p = skip_space(p);
	if (*p != c)
		syntax_error(ps, "Expected \"%c\" %s at character %d, found %s.",
					 c, context, char_position(ps, p), describe_char(p));
	return p + 1;
}

/*
 * parse_timestamp
 *		Check and convert the timestamp token [start, start + len).
 */
static TimestampTz
parse_timestamp(CtsParser *ps, const char *start, size_t len, size_t point)
{
	char		token[MAXDATELEN + 1];
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype = 0;
	int			tz;
	int			dterr;
	struct pg_tm tm;
	fsec_t		fsec;
	ErrorContextCallback errcallback;
	TimestampTz result;

	if (len > MAXDATELEN)
		syntax_error(ps, "The timestamp of point %zu at character %d is longer than %d bytes.",
					 point, char_position(ps, start), MAXDATELEN);
	memcpy(token, start, len);
	token[len] = '\0';

	/*
	 * Errors PostgreSQL raises itself from here on (an unknown time zone
	 * name in DecodeDateTime, "timestamp out of range" in timestamptz_in)
	 * get the point and its position as context.
	 */
	ps->cur_at = start;
	ps->cur_point = point;
	errcallback.callback = literal_error_callback;
	errcallback.arg = (void *) ps;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	/*
	 * The same parse timestamptz_in does, but with error codes instead of
	 * exceptions, so that a bad token is reported with its position.
	 */
	dterr = ParseDateTime(token, workbuf, sizeof(workbuf),
						  field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz);
	if (dterr != 0 ||
		(dtype != DTK_DATE && dtype != DTK_EPOCH &&
		 dtype != DTK_LATE && dtype != DTK_EARLY))
	{
		error_context_stack = errcallback.previous;
		syntax_error(ps, "The timestamp of point %zu at character %d, \"%s\", is not valid.",
					 point, char_position(ps, start), token);
	}

	result = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
													 CStringGetDatum(token),
													 ObjectIdGetDatum(InvalidOid),
													 Int32GetDatum(-1)));

	error_context_stack = errcallback.previous;
	return result;
}

/*
 * add_point
 *		Append a point, growing the array by doubling.
 */
static void
add_point(CtsParser *ps, TimestampTz ts, double value)
{
	if (ps->npts == ps->pts_cap)
	{
		size_t		newcap;

		if (ps->npts >= CTS_MAX_POINTS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("compact_ts literal has more than %u points",
							CTS_MAX_POINTS),
					 errhint("Store the series as segments of chronos.chunk_size points, one row each.")));
		newcap = ps->pts_cap == 0 ? 64 : ps->pts_cap * 2;
		newcap = Min(newcap, (size_t) CTS_MAX_POINTS);
		ps->pts = (cts_point *) chronos_realloc(ps->op, ps->pts,
												ps->pts_cap * sizeof(cts_point),
												newcap * sizeof(cts_point),
												"parsed points");
		ps->pts_cap = newcap;
	}
	ps->pts[ps->npts].ts = ts;
	ps->pts[ps->npts].value = value;
	ps->npts++;
}

/*
 * parse_point
 *		Parse "timestamp => value" at p (spaces skipped); return the position
 *		after the value.  canonical says whether block headers are in use,
 *		for a better message when one appears where a point was expected.
 */
static const char *
parse_point(CtsParser *ps, const char *p, bool canonical)
{
	size_t		point = ps->npts + 1;
	const char *ts_start;
	const char *ts_end;
	const char *v_start;
	TimestampTz ts;
	double		value;

	if ((ps->npts & 0xFFF) == 0)
		CHECK_FOR_INTERRUPTS();

	p = skip_space(p);
	if (looks_like_block_header(p))
	{
		if (canonical)
			syntax_error(ps, "Unexpected block header at character %d: blocks are separated by \";\".",
						 char_position(ps, p));
		syntax_error(ps, "Unexpected block header at character %d: either every block has a header (the form compact_ts prints) or there are none.",
					 char_position(ps, p));
	}

	/* the timestamp: quoted, or everything up to "=>" */
	if (*p == '"')
	{
		ts_start = p + 1;
		ts_end = strchr(ts_start, '"');
		if (ts_end == NULL)
			syntax_error(ps, "Unterminated quoted timestamp of point %zu at character %d.",
						 point, char_position(ps, p));
		if (ts_end == ts_start)
			syntax_error(ps, "Empty quoted timestamp of point %zu at character %d.",
						 point, char_position(ps, p));
		p = skip_space(ts_end + 1);
	}
	else
	{
		/* a timestamp never holds any of these */
		ts_start = p;
		while (*p != '\0' && strchr("=>,;{}\"", *p) == NULL)
			p++;
		ts_end = p;
		while (ts_end > ts_start && is_space(ts_end[-1]))
			ts_end--;
	}
	if (ts_end == ts_start)
		syntax_error(ps, "Expected the timestamp of point %zu at character %d, found %s.",
					 point, char_position(ps, ts_start), describe_char(p));
	if (!(p[0] == '=' && p[1] == '>'))
		syntax_error(ps, "Expected \"=>\" after the timestamp of point %zu at character %d, found %s.",
					 point, char_position(ps, p), describe_char(p));
	p += 2;

	/* the value */
	v_start = skip_space(p);
	p = number_token_end(v_start);
	if (p == v_start)
		syntax_error(ps, "Expected the value of point %zu after \"=>\" at character %d, found %s.",
					 point, char_position(ps, v_start), describe_char(v_start));

	/* check both tokens before converting the timestamp */
	value = parse_double(ps, v_start, p, "value of point", point);
	ts = parse_timestamp(ps, ts_start, ts_end - ts_start, point);

	if (!isfinite(value))
	{
		char	   *what = psprintf("Point %zu of the literal", point);

		chronos_report_nonfinite(value, ts, what);
	}

	add_point(ps, ts, value);
	return p;
}

/*
 * parse_block_header
 *		Parse "codec(sum=S,error=E):" at p into a new block spec; return the
 *		position after the colon.
 */
static const char *
parse_block_header(CtsParser *ps, const char *p)
{
	size_t		blockno = ps->nblocks + 1;
	const char *name;
	const char *end;
	uint8		codec;
	double		sum;
	double		error;

	p = skip_space(p);
	name = p;
	if (!is_ident_start(*p))
		syntax_error(ps, "Expected the header of block %zu, such as \"quant16(sum=...,error=...):\", at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
	while (is_ident_char(*p))
		p++;
	codec = cts_codec_from_name(name, p - name);
	if (codec == 0)
		syntax_error(ps, "Unknown codec \"%.*s\" in the header of block %zu at character %d.",
					 (int) (p - name), name, blockno, char_position(ps, name));

	p = expect_char(ps, p, '(', "after the codec name");
	p = skip_space(p);
	if (strncmp(p, "sum", 3) != 0)
		syntax_error(ps, "Expected \"sum=\" in the header of block %zu at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
	p = expect_char(ps, p + 3, '=', "after \"sum\"");
	p = skip_space(p);
	end = number_token_end(p);
	sum = parse_double(ps, p, end, "sum of block", blockno);
	if (isnan(sum))
		syntax_error(ps, "The sum of block %zu at character %d is NaN.",
					 blockno, char_position(ps, p));
	p = expect_char(ps, end, ',', "after the sum");
	p = skip_space(p);
	if (strncmp(p, "error", 5) != 0)
		syntax_error(ps, "Expected \"error=\" in the header of block %zu at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
	p = expect_char(ps, p + 5, '=', "after \"error\"");
	p = skip_space(p);
	end = number_token_end(p);
	error = parse_double(ps, p, end, "error of block", blockno);
	if (!isfinite(error) || error < 0)
		syntax_error(ps, "The error of block %zu at character %d must be a finite number >= 0.",
					 blockno, char_position(ps, p));
	p = expect_char(ps, end, ')', "after the error");
	p = expect_char(ps, p, ':', "after the block header");

	if (ps->nblocks == ps->blocks_cap)
	{
		size_t		newcap = ps->blocks_cap == 0 ? 16 : ps->blocks_cap * 2;

		ps->blocks = (cts_block_spec *)
			chronos_realloc(ps->op, ps->blocks,
							ps->blocks_cap * sizeof(cts_block_spec),
							newcap * sizeof(cts_block_spec),
							"parsed block headers");
		ps->blocks_cap = newcap;
	}
	ps->blocks[ps->nblocks].npoints = 0;
	ps->blocks[ps->nblocks].codec = codec;
	ps->blocks[ps->nblocks].sum = sum;
	ps->blocks[ps->nblocks].max_error = error;
	ps->nblocks++;
	return p;
}

/*
 * parse_literal
 *		Parse the whole literal into ps->pts (and ps->blocks for the
 *		canonical form).  Returns whether the canonical form was used.
 */
static bool
parse_literal(CtsParser *ps)
{
	const char *p = skip_space(ps->str);
	bool		canonical;

	if (*p != '{')
		syntax_error(ps, "Expected \"{\" at character %d, found %s.",
					 char_position(ps, p), describe_char(p));
	p = skip_space(p + 1);

	if (*p == '}')
	{
		/* the empty series */
		p = skip_space(p + 1);
		if (*p != '\0')
			syntax_error(ps, "Unexpected %s after the closing \"}\" at character %d.",
						 describe_char(p), char_position(ps, p));
		return false;
	}

	canonical = looks_like_block_header(p);
	for (;;)
	{
		size_t		first = ps->npts;

		if (canonical)
			p = parse_block_header(ps, p);

		/* the points of this block (of the whole series, without headers) */
		for (;;)
		{
			p = parse_point(ps, p, canonical);
			p = skip_space(p);
			if (canonical && ps->npts - first > CTS_MAX_BLOCK_POINTS)
				syntax_error(ps, "Block %zu lists more than %d points.",
							 ps->nblocks, CTS_MAX_BLOCK_POINTS);
			if (*p != ',')
				break;
			p++;
		}
		if (canonical)
			ps->blocks[ps->nblocks - 1].npoints = (uint32) (ps->npts - first);

		if (*p == ';')
		{
			if (!canonical)
				syntax_error(ps, "Unexpected \";\" at character %d: \";\" separates blocks, which only the form with block headers has.",
							 char_position(ps, p));
			p = skip_space(p + 1);
			continue;
		}
		if (*p == '}')
			break;
		syntax_error(ps, "Expected \",\"%s or \"}\" after point %zu at character %d, found %s.",
					 canonical ? ", \";\"" : "", ps->npts,
					 char_position(ps, p), describe_char(p));
	}

	p = skip_space(p + 1);
	if (*p != '\0')
		syntax_error(ps, "Unexpected %s after the closing \"}\" at character %d.",
					 describe_char(p), char_position(ps, p));
	return canonical;
}

/*
 * compact_ts_in(cstring) -> compact_ts
 *
 * Parses either form of the literal (see the file header).  The result is
 * allocated in a "chronos text input" op under the caller's context, which
 * stays alive as long as the value (the parse buffers are freed first).
 */
Datum
compact_ts_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	CtsParser	ps;
	bool		canonical;
	CompactTs  *result;
	cts_status	st = CTS_OK;
	size_t		bad = 0;
	cts_encode_opts opts;

	memset(&ps, 0, sizeof(ps));
	ps.str = str;
	ps.op = chronos_op_begin(CurrentMemoryContext, "chronos text input",
							 CHRONOS_MEM_WORK);
	initStringInfo(&ps.tok);

	canonical = parse_literal(&ps);

	memset(&opts, 0, sizeof(opts));
	if (canonical)
	{
		opts.blocks = ps.blocks;
		opts.nblocks = ps.nblocks;
	}
	else
		chronos_sort_points(ps.op, ps.pts, ps.npts);

	result = chronos_encode_points(ps.op, ps.pts, ps.npts, &opts, &st, &bad);
	if (result == NULL)
	{
		char		tsbuf[CHRONOS_TIMESTAMP_BUFLEN];
		char		vbuf[CHRONOS_DOUBLE_BUFLEN];

		switch (st)
		{
			case CTS_ERR_UNSORTED:
				chronos_format_timestamp(ps.pts[bad].ts, tsbuf);
				syntax_error(&ps, "Point %zu (%s) is earlier than point %zu: a literal with block headers lists its points in time order.",
							 bad + 1, tsbuf, bad);
				break;
			case CTS_ERR_OFF_GRID:
				chronos_format_timestamp(ps.pts[bad].ts, tsbuf);
				chronos_format_double(ps.pts[bad].value, vbuf);
				syntax_error(&ps, "The value %s of point %zu (%s) is not one its block's codec can store: with block headers, a literal must hold the values compact_ts printed. Leave the headers out to encode the points afresh.",
							 vbuf, bad + 1, tsbuf);
				break;
			case CTS_ERR_BAD_SUMMARY:
				syntax_error(&ps, "The sum or error in a block header does not fit the block's points: with block headers, a literal must hold what compact_ts printed. Leave the headers out to encode the points afresh.");
				break;
			default:
				syntax_error(&ps, "%s", cts_strerror(st));
				break;
		}
	}

	/* leave only the result in the op */
	if (ps.pts != NULL)
		chronos_free(ps.op, ps.pts, ps.pts_cap * sizeof(cts_point));
	if (ps.blocks != NULL)
		chronos_free(ps.op, ps.blocks, ps.blocks_cap * sizeof(cts_block_spec));
	pfree(ps.tok.data);

	PG_RETURN_COMPACT_TS_P(result);
}


/* ----------------------------------------------------------------
 *		Text output
 * ----------------------------------------------------------------
 */

/*
 * outbuf_reserve
 *		Make room for more bytes, doubling through the memory manager.
 */
static void
outbuf_reserve(CtsOutBuf *buf, Size more)
{
	Size		need;
	Size		newcap;

	if (buf->cap - buf->len >= more)
		return;
	need = buf->len + more;
	if (need > CTS_MAX_TEXT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value is too large for its text form"),
				 errdetail("The text form of this series of %u points would take more than %zu bytes.",
						   buf->npoints, CTS_MAX_TEXT),
				 errhint("Read large values with unnest() or binary COPY, or store the series as segments of chronos.chunk_size points.")));
	newcap = Max(buf->cap * 2, need);
	newcap = Min(newcap, CTS_MAX_TEXT);
	buf->data = chronos_realloc(buf->op, buf->data, buf->cap, newcap,
								"text output");
	buf->cap = newcap;
}

static inline void
outbuf_append(CtsOutBuf *buf, const char *s, Size len)
{
	outbuf_reserve(buf, len);
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
}

/*
 * compact_ts_out(compact_ts) -> cstring
 *
 * Prints the canonical form.  The value is validated first.  The string is
 * allocated in a "chronos text output" op under the caller's context, which
 * stays alive as long as the string; the decode buffers are freed before
 * returning.
 */
Datum
compact_ts_out(PG_FUNCTION_ARGS)
{
	Datum		datum = PG_GETARG_DATUM(0);
	ChronosMemOp *op;
	CompactTs  *value;
	Size		reserved;
	ChronosBlockReader reader;
	CtsOutBuf	buf;

	op = chronos_op_begin(CurrentMemoryContext, "chronos text output",
						  CHRONOS_MEM_WORK);
	value = chronos_detoast(op, datum, &reserved);
	chronos_reader_init(&reader, op, CTS_PAYLOAD(value),
						CTS_PAYLOAD_LEN(value), true);

	memset(&buf, 0, sizeof(buf));
	buf.op = op;
	buf.npoints = reader.header.npoints;

	/* a first guess: about 40 bytes per point, 64 per block header */
	outbuf_reserve(&buf, Min(CTS_MAX_TEXT,
							 3 + (Size) reader.header.npoints * 40 +
							 (Size) reader.header.nblocks * 64));

	outbuf_append(&buf, "{", 1);
	while (chronos_reader_next(&reader))
	{
		char		num[CHRONOS_DOUBLE_BUFLEN];
		const char *codec = cts_codec_name(reader.block.codec);
		uint32		i;

		if (codec == NULL)		/* cannot happen after validation */
			chronos_report_corrupt(CTS_ERR_BAD_CODEC);
		if (reader.next_block > 1)
			outbuf_append(&buf, "; ", 2);
		outbuf_append(&buf, codec, strlen(codec));
		outbuf_append(&buf, "(sum=", 5);
		outbuf_append(&buf, num, chronos_format_double(reader.block.sum, num));
		outbuf_append(&buf, ",error=", 7);
		outbuf_append(&buf, num,
					  chronos_format_double(reader.block.max_error, num));
		outbuf_append(&buf, "): ", 3);

		for (i = 0; i < reader.npoints; i++)
		{
			char	   *out;

			outbuf_reserve(&buf, CTS_POINT_TEXT_MAX);
			out = buf.data + buf.len;
			if (i > 0)
			{
				*out++ = ',';
				*out++ = ' ';
			}
			out += chronos_format_timestamp(reader.ts[i], out);
			memcpy(out, " => ", 4);
			out += 4;
			out += chronos_format_double(reader.values[i], out);
			buf.len = out - buf.data;
		}
	}
	outbuf_append(&buf, "}", 2);	/* with the terminating NUL */

	chronos_reader_free(&reader, op);
	chronos_detoast_free(op, datum, value, reserved);

	PG_RETURN_CSTRING(buf.data);
}


/* ----------------------------------------------------------------
 *		Binary I/O
 * ----------------------------------------------------------------
 */

/*
 * compact_ts_from_raw
 *		Validate the codec buffer bytes[0..len) completely and copy it into
 *		a new compact_ts.
 *
 * The copy is allocated in a "chronos receive" op under the caller's
 * context, which stays alive as long as the value.
 */
static CompactTs *
compact_ts_from_raw(const uint8 *bytes, size_t len)
{
	ChronosMemOp *op;
	ChronosBlockReader reader;
	CompactTs  *result;

	if (len > CTS_MAX_PAYLOAD)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value of %zu bytes is larger than the maximum %zu",
						len, CTS_MAX_PAYLOAD)));

	op = chronos_op_begin(CurrentMemoryContext, "chronos receive",
						  CHRONOS_MEM_WORK);

	/* everything is checked before anything is copied */
	chronos_reader_init(&reader, op, bytes, len, false);
	while (chronos_reader_next(&reader))
		;
	chronos_reader_free(&reader, op);

	result = (CompactTs *) chronos_alloc(op, VARHDRSZ + len, "received value");
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(result->data, bytes, len);
	return result;
}

/*
 * compact_ts_raw_bytes
 *		The codec buffer of the value behind datum as a new bytea, in a
 *		"chronos send" op under the caller's context.  Not validated: these
 *		are the stored bytes, whatever they are, and whoever reads them back
 *		validates them.
 */
static bytea *
compact_ts_raw_bytes(Datum datum)
{
	ChronosMemOp *op;
	CompactTs  *value;
	Size		reserved;
	size_t		len;
	bytea	   *result;

	op = chronos_op_begin(CurrentMemoryContext, "chronos send",
						  CHRONOS_MEM_WORK);
	value = chronos_detoast(op, datum, &reserved);
	len = CTS_PAYLOAD_LEN(value);
	result = (bytea *) chronos_alloc(op, VARHDRSZ + len, "raw bytes");
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), CTS_PAYLOAD(value), len);
	chronos_detoast_free(op, datum, value, reserved);
	return result;
}

/*
 * compact_ts_recv(internal) -> compact_ts
 *
 * The message's remaining bytes are the codec buffer (see the file header);
 * all of them are consumed and validated.
 */
Datum
compact_ts_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CompactTs  *result;

	result = compact_ts_from_raw((const uint8 *) buf->data + buf->cursor,
								 (size_t) (buf->len - buf->cursor));
	buf->cursor = buf->len;
	PG_RETURN_COMPACT_TS_P(result);
}

/*
 * compact_ts_send(compact_ts) -> bytea
 *
 * The codec buffer as stored: no framing, its first byte is the format
 * version.
 */
Datum
compact_ts_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(compact_ts_raw_bytes(PG_GETARG_DATUM(0)));
}

/*
 * compact_ts_to_bytea(compact_ts) -> bytea
 *
 * The same bytes compact_ts_send puts on the wire, for inspecting or
 * shipping a value from SQL.
 */
Datum
compact_ts_to_bytea(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(compact_ts_raw_bytes(PG_GETARG_DATUM(0)));
}

/*
 * compact_ts_from_bytea(bytea) -> compact_ts
 *
 * The inverse of compact_ts_to_bytea, with the full validation
 * compact_ts_recv runs.
 */
Datum
compact_ts_from_bytea(PG_FUNCTION_ARGS)
{
	Datum		datum = PG_GETARG_DATUM(0);
	ChronosMemOp *op;
	CompactTs  *raw;
	Size		reserved;
	CompactTs  *result;

	/* a bytea is a varlena like compact_ts: the detoast helper serves */
	op = chronos_op_begin(CurrentMemoryContext, "chronos receive",
						  CHRONOS_MEM_WORK);
	raw = chronos_detoast(op, datum, &reserved);
	result = compact_ts_from_raw(CTS_PAYLOAD(raw), CTS_PAYLOAD_LEN(raw));
	chronos_op_end(op);
	PG_RETURN_COMPACT_TS_P(result);
}
