/*-------------------------------------------------------------------------
 *
 * compact_ts_io.c
 *	  Input and output of compact_ts: the text forms (readable and base64)
 *	  and the binary wire format.
 *
 * Text forms
 * ----------
 * Read:
 *
 *	user form        {2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}
 *	with a codec     lossless:{...}, quant12:{...}, max_error=0.01:{...}
 *	1.0's canonical  {quant16(sum=3.75,error=0): 2020-01-01 00:00:00+00 => 1.5, ...; gorilla(...): ...}
 *	base64 form      base64:AgAB...
 *
 * The user form is a list of "timestamp => value" points in any order,
 * encoded afresh in format 2 like compact_ts(timestamptz[], float8[], codec)
 * with the codec named before it, or chronos.default_codec.  1.0's
 * canonical form (each block opened by its codec and the exact sum and
 * error bound of its original values) reads back as the format 1 value
 * 1.0 printed, byte for byte: the encoder checks that every value lies on
 * its block's grid and that the header's figures are plausible.
 *
 * Printed: a format 2 value of at most CTS_TEXT_READABLE_MAX_POINTS points
 * as "<codec>:{points}" when encoding those points with that codec gives
 * back its bytes exactly (a value the encoder made from its points does;
 * a slice or an append may not); a format 1 value in 1.0's canonical form;
 * anything else, and every larger value, in base64.  So in(out(x)) = x
 * byte for byte in every case.
 *
 * The base64 form is "base64:" and the standard base64 (RFC 4648,
 * padded, no line breaks) of its codec buffer: 4 characters per 3 stored
 * bytes, against about 45 for every point of the readable form, so that
 * every value a table can hold has a text form under 1 GB, and pg_dump
 * (whose every format reads data through text COPY), text COPY and logical
 * replication in text mode can move it.  The choice depends on the value
 * alone, so in(out(x)) stays byte-identical.  The base64 text is read back
 * strictly: only the standard alphabet, padding only at the end, unused
 * bits zero (so every value has exactly one base64 text), then the bytes
 * are validated like compact_ts_recv.
 *
 * Output never depends on session settings: timestamps are printed in ISO
 * style in UTC with an explicit "+00" (microseconds only when non-zero,
 * "infinity"/"-infinity", " BC" for years before 1), values with the
 * shortest text that reads back to the same double.  compact_ts_out is
 * therefore IMMUTABLE; compact_ts_in is STABLE like timestamptz_in, since a
 * literal may say 'now' or leave out the time zone.
 *
 * Errors of input.  A malformed literal is 22P02 with the point number and
 * character position; a NaN or infinite value 22023; valid base64 of
 * invalid bytes XX001.  On PostgreSQL 16+ all of them are reported softly
 * when the caller passes an ErrorSaveContext, so pg_input_is_valid() and
 * pg_input_error_info() work; size and memory limits stay hard errors, as
 * in PostgreSQL's own types.  A timestamp token is converted by
 * timestamptz_in, once, with soft errors on 16+ (its message goes into
 * the detail); on 15, which has no soft errors, it is first checked with
 * PostgreSQL's date/time parser (compat.h), and "timestamp out of range" is
 * timestamptz_in's own error with the position as context.  Nothing is
 * caught.
 *
 * Binary format
 * -------------
 * compact_ts_send sends the codec buffer exactly as stored (format.h), with
 * no framing: its first byte is the format version, which is all the
 * versioning the wire needs.  compact_ts_recv takes every remaining byte of
 * the message as the value and validates all of it (header, index, every
 * block, PostgreSQL's timestamp range) before it copies anything, so a
 * truncated value, trailing garbage or any inconsistency is
 * ERRCODE_DATA_CORRUPTED.  compact_ts_to_bytea / compact_ts_from_bytea give
 * SQL the same two conversions.
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

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "compact_ts.h"

PG_FUNCTION_INFO_V1(compact_ts_in);
PG_FUNCTION_INFO_V1(compact_ts_out);
PG_FUNCTION_INFO_V1(compact_ts_recv);
PG_FUNCTION_INFO_V1(compact_ts_send);
PG_FUNCTION_INFO_V1(compact_ts_to_bytea);
PG_FUNCTION_INFO_V1(compact_ts_from_bytea);

/* How much of a bad literal the error message quotes. */
#define CTS_LITERAL_QUOTE_BYTES	80

/* Room one formatted point may take in the text output. */
#define CTS_POINT_TEXT_MAX \
	(2 + CHRONOS_TIMESTAMP_BUFLEN + 4 + CHRONOS_DOUBLE_BUFLEN)

/* base64 characters between two interrupt checks */
#define CTS_BASE64_CHECK_EVERY	((size_t) 1 << 20)

/*
 * State of the literal parser.  The points and block specs grow by
 * doubling through the memory manager, like every buffer sized by the data.
 */
typedef struct CtsParser
{
	const char *str;			/* the whole literal */
	Node	   *escontext;		/* where soft errors go (16+), or NULL */
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
	ChronosCodec codec;			/* the user form's codec (format 2) */
	bool		has_prefix;		/* the literal named it: "codec:{...}" */
	const char *body;			/* where the "{" is (after the prefix) */
} CtsParser;

/* Growable text output. */
typedef struct CtsOutBuf
{
	ChronosMemOp *op;
	char	   *data;
	size_t		len;
	size_t		cap;
	uint32		npoints;		/* for the size-limit message */
} CtsOutBuf;

static const char base64_chars[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";


/* ----------------------------------------------------------------
 *		Errors of text input
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
 *		Report 22P02 for the literal; the detail (a printf format) says where
 *		and what was expected.
 *
 * Raises the error, or, when the caller of compact_ts_in passed an
 * ErrorSaveContext (16+), records it there and returns false: the parser
 * then unwinds by returning false or NULL up to compact_ts_in.
 */
static bool
pg_attribute_printf(2, 3)
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

	errsave(ps->escontext,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"",
					"compact_ts", quote_literal_start(ps->str)),
			 errdetail_internal("%s", detail.data)));
	return false;
}

/*
 * literal_error_callback
 *		errcontext for errors PostgreSQL raises itself while timestamptz_in
 *		converts a token (on 15: "timestamp out of range", an unknown time
 *		zone).
 */
static void
literal_error_callback(void *arg)
{
	CtsParser  *ps = (CtsParser *) arg;

	errcontext("compact_ts literal, point %zu at character %d",
			   ps->cur_point, char_position(ps, ps->cur_at));
}


/* ----------------------------------------------------------------
 *		Readable text input
 * ----------------------------------------------------------------
 */

/*
 * is_space, skip_space
 *		White space as the literal allows it around every token (isspace, as
 *		PostgreSQL's own parsers use it); skip_space returns the first
 *		character at or after p that is not white space.
 */
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

/*
 * is_ident_start, is_ident_char
 *		Characters that may start / continue a codec name of a block header
 *		(ASCII letters, digits after the first, '_').
 */
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
	if ((unsigned char) *p < 0x20 || *p == 0x7F)
		return psprintf("a control character (0x%02X)", (unsigned char) *p);
	return psprintf("\"%.*s\"", pg_mblen(p), p);
}

/*
 * parse_double
 *		Convert the number token [start, end) into *result.  noun and num
 *		name it in errors ("value of point", 3).  Accepts what float8in
 *		accepts, including NaN and infinities (the callers decide about
 *		those).  Returns false after a soft error.
 */
static bool
parse_double(CtsParser *ps, const char *start, const char *end,
			 const char *noun, size_t num, double *result)
{
	bool		bad;
	char	   *endptr;

	if (start == end)
		return syntax_error(ps, "The %s %zu at character %d is missing: found %s.",
							noun, num, char_position(ps, start), describe_char(start));

	resetStringInfo(&ps->tok);
	appendBinaryStringInfo(&ps->tok, start, (int) (end - start));
	*result = chronos_float8in(ps->tok.data, &endptr, &bad);
	if (bad || *endptr != '\0')
	{
		/* float8in does not say which; strtod does */
		errno = 0;
		(void) strtod(ps->tok.data, &endptr);
		if (errno == ERANGE && endptr != ps->tok.data && *endptr == '\0')
			return syntax_error(ps, "The %s %zu at character %d, \"%s\", is out of the range of double precision.",
								noun, num, char_position(ps, start), ps->tok.data);
		return syntax_error(ps, "The %s %zu at character %d, \"%s\", is not a number.",
							noun, num, char_position(ps, start), ps->tok.data);
	}
	return true;
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
 *		Require c at p (after spaces); return the position after it, or NULL
 *		after a soft error.  context completes "Expected "c" ..." in the
 *		error detail.
 */
static const char *
expect_char(CtsParser *ps, const char *p, char c, const char *context)
{
	p = skip_space(p);
	if (*p != c)
	{
		syntax_error(ps, "Expected \"%c\" %s at character %d, found %s.",
					 c, context, char_position(ps, p), describe_char(p));
		return NULL;
	}
	return p + 1;
}

/*
 * parse_timestamp
 *		Convert the timestamp token [start, start + len) into *result.
 *		Returns false after a soft error.
 */
static bool
parse_timestamp(CtsParser *ps, const char *start, size_t len, size_t point,
				TimestampTz *result)
{
	char		token[MAXDATELEN + 1];
	char	   *message;
	ErrorContextCallback errcallback;
	bool		ok;

	if (len > MAXDATELEN)
		return syntax_error(ps, "The timestamp of point %zu at character %d is longer than %d bytes.",
							point, char_position(ps, start), MAXDATELEN);
	memcpy(token, start, len);
	token[len] = '\0';

	/*
	 * Errors PostgreSQL raises itself from here on get the point and its
	 * position as context.
	 */
	ps->cur_at = start;
	ps->cur_point = point;
	errcallback.callback = literal_error_callback;
	errcallback.arg = (void *) ps;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	ok = chronos_parse_timestamptz(token, result, &message);

	error_context_stack = errcallback.previous;

	if (!ok && message != NULL)
		return syntax_error(ps, "The timestamp of point %zu at character %d is not valid: %s.",
							point, char_position(ps, start), message);
	if (!ok)
		return syntax_error(ps, "The timestamp of point %zu at character %d, \"%s\", is not valid.",
							point, char_position(ps, start), token);
	return true;
}

/*
 * add_point
 *		Append a point, growing the array by doubling.
 */
static void
add_point(CtsParser *ps, TimestampTz ts, double value)
{
	if (ps->npts >= CTS_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts literal has more than %u points",
						CTS_MAX_POINTS),
				 errhint("Store the series as segments of chronos.chunk_size points, one row each.")));
	chronos_grow(ps->op, (void **) &ps->pts, &ps->pts_cap, sizeof(cts_point),
				 ps->npts + 1, CTS_MAX_POINTS, "parsed points");
	ps->pts[ps->npts].ts = ts;
	ps->pts[ps->npts].value = value;
	ps->npts++;
}

/*
 * parse_point
 *		Parse "timestamp => value" at p (spaces skipped); return the position
 *		after the value, or NULL after a soft error.  canonical says whether
 *		block headers are in use, for a better message when one appears
 *		where a point was expected.
 */
static const char *
parse_point(CtsParser *ps, const char *p, bool canonical)
{
	size_t		point = ps->npts + 1;
	const char *ts_start;
	const char *ts_end;
	const char *v_start;
	TimestampTz ts = 0;
	double		value = 0;

	if ((ps->npts & 0xFFF) == 0)
		CHECK_FOR_INTERRUPTS();

	p = skip_space(p);
	if (looks_like_block_header(p))
	{
		if (canonical)
			syntax_error(ps, "Unexpected block header at character %d: blocks are separated by \";\".",
						 char_position(ps, p));
		else
			syntax_error(ps, "Unexpected block header at character %d: either every block has a header (the form compact_ts prints) or there are none.",
						 char_position(ps, p));
		return NULL;
	}

	/* the timestamp: quoted, or everything up to "=>" */
	if (*p == '"')
	{
		ts_start = p + 1;
		ts_end = strchr(ts_start, '"');
		if (ts_end == NULL)
		{
			syntax_error(ps, "Unterminated quoted timestamp of point %zu at character %d.",
						 point, char_position(ps, p));
			return NULL;
		}
		if (ts_end == ts_start)
		{
			syntax_error(ps, "Empty quoted timestamp of point %zu at character %d.",
						 point, char_position(ps, p));
			return NULL;
		}
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
	{
		syntax_error(ps, "Expected the timestamp of point %zu at character %d, found %s.",
					 point, char_position(ps, ts_start), describe_char(p));
		return NULL;
	}
	if (!(p[0] == '=' && p[1] == '>'))
	{
		syntax_error(ps, "Expected \"=>\" after the timestamp of point %zu at character %d, found %s.",
					 point, char_position(ps, p), describe_char(p));
		return NULL;
	}
	p += 2;

	/* the value */
	v_start = skip_space(p);
	p = number_token_end(v_start);
	if (p == v_start)
	{
		syntax_error(ps, "Expected the value of point %zu after \"=>\" at character %d, found %s.",
					 point, char_position(ps, v_start), describe_char(v_start));
		return NULL;
	}

	/* check both tokens before converting the timestamp */
	if (!parse_double(ps, v_start, p, "value of point", point, &value) ||
		!parse_timestamp(ps, ts_start, ts_end - ts_start, point, &ts))
		return NULL;

	/* a lossless series keeps NaN and infinities; nothing else can */
	if (!isfinite(value) &&
		(canonical || ps->codec.kind != CTS_CODEC2_LOSSLESS) &&
		!chronos_reject_nonfinite(value, ts,
								  psprintf("Point %zu of the literal", point),
								  ps->escontext))
		return NULL;

	add_point(ps, ts, value);
	return p;
}

/*
 * parse_block_header
 *		Parse "codec(sum=S,error=E):" at p into a new block spec; return the
 *		position after the colon, or NULL after a soft error.
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
	{
		syntax_error(ps, "Expected the header of block %zu, such as \"quant16(sum=...,error=...):\", at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
		return NULL;
	}
	while (is_ident_char(*p))
		p++;
	codec = cts_codec_from_name(name, p - name);
	if (codec == 0)
	{
		syntax_error(ps, "Unknown codec \"%.*s\" in the header of block %zu at character %d.",
					 (int) (p - name), name, blockno, char_position(ps, name));
		return NULL;
	}

	if ((p = expect_char(ps, p, '(', "after the codec name")) == NULL)
		return NULL;
	p = skip_space(p);
	if (strncmp(p, "sum", 3) != 0)
	{
		syntax_error(ps, "Expected \"sum=\" in the header of block %zu at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
		return NULL;
	}
	if ((p = expect_char(ps, p + 3, '=', "after \"sum\"")) == NULL)
		return NULL;
	p = skip_space(p);
	end = number_token_end(p);
	if (!parse_double(ps, p, end, "sum of block", blockno, &sum))
		return NULL;
	if (isnan(sum))
	{
		syntax_error(ps, "The sum of block %zu at character %d is NaN.",
					 blockno, char_position(ps, p));
		return NULL;
	}
	if ((p = expect_char(ps, end, ',', "after the sum")) == NULL)
		return NULL;
	p = skip_space(p);
	if (strncmp(p, "error", 5) != 0)
	{
		syntax_error(ps, "Expected \"error=\" in the header of block %zu at character %d, found %s.",
					 blockno, char_position(ps, p), describe_char(p));
		return NULL;
	}
	if ((p = expect_char(ps, p + 5, '=', "after \"error\"")) == NULL)
		return NULL;
	p = skip_space(p);
	end = number_token_end(p);
	if (!parse_double(ps, p, end, "error of block", blockno, &error))
		return NULL;
	if (!isfinite(error) || error < 0)
	{
		syntax_error(ps, "The error of block %zu at character %d must be a finite number >= 0.",
					 blockno, char_position(ps, p));
		return NULL;
	}
	if ((p = expect_char(ps, end, ')', "after the error")) == NULL ||
		(p = expect_char(ps, p, ':', "after the block header")) == NULL)
		return NULL;

	chronos_grow(ps->op, (void **) &ps->blocks, &ps->blocks_cap,
				 sizeof(cts_block_spec), ps->nblocks + 1, CTS_MAX_POINTS,
				 "parsed block headers");
	ps->blocks[ps->nblocks].npoints = 0;
	ps->blocks[ps->nblocks].codec = codec;
	ps->blocks[ps->nblocks].sum = sum;
	ps->blocks[ps->nblocks].max_error = error;
	ps->nblocks++;
	return p;
}

/*
 * parse_literal
 *		Parse the whole readable literal into ps->pts (and ps->blocks for
 *		the canonical form); *canonical says whether the canonical form was
 *		used.  Returns false after a soft error.
 */
static bool
parse_literal(CtsParser *ps, bool *canonical)
{
	const char *p = skip_space(ps->body ? ps->body : ps->str);

	*canonical = false;
	if (*p != '{')
		return syntax_error(ps, "Expected \"{\" at character %d, found %s.",
							char_position(ps, p), describe_char(p));
	p = skip_space(p + 1);

	if (*p == '}')
	{
		/* the empty series */
		p = skip_space(p + 1);
		if (*p != '\0')
			return syntax_error(ps, "Unexpected %s after the closing \"}\" at character %d.",
								describe_char(p), char_position(ps, p));
		return true;
	}

	*canonical = looks_like_block_header(p);
	for (;;)
	{
		size_t		first = ps->npts;

		if (*canonical && (p = parse_block_header(ps, p)) == NULL)
			return false;

		/* the points of this block (of the whole series, without headers) */
		for (;;)
		{
			if ((p = parse_point(ps, p, *canonical)) == NULL)
				return false;
			p = skip_space(p);
			if (*canonical && ps->npts - first > CTS_MAX_BLOCK_POINTS)
				return syntax_error(ps, "Block %zu lists more than %d points.",
									ps->nblocks, CTS_MAX_BLOCK_POINTS);
			if (*p != ',')
				break;
			p++;
		}
		if (*canonical)
			ps->blocks[ps->nblocks - 1].npoints = (uint32) (ps->npts - first);

		if (*p == ';')
		{
			if (!*canonical)
				return syntax_error(ps, "Unexpected \";\" at character %d: \";\" separates blocks, which only the form with block headers has.",
									char_position(ps, p));
			p = skip_space(p + 1);
			continue;
		}
		if (*p == '}')
			break;
		return syntax_error(ps, "Expected \",\"%s or \"}\" after point %zu at character %d, found %s.",
							*canonical ? ", \";\"" : "", ps->npts,
							char_position(ps, p), describe_char(p));
	}

	p = skip_space(p + 1);
	if (*p != '\0')
		return syntax_error(ps, "Unexpected %s after the closing \"}\" at character %d.",
							describe_char(p), char_position(ps, p));
	return true;
}

/*
 * readable_input
 *		Parse and encode the readable literal ps->str.  Returns the value in
 *		ps->op, or NULL after a soft error; the parse buffers are freed.
 */
static CompactTs *
readable_input(CtsParser *ps)
{
	bool		canonical;
	CompactTs  *result;
	cts_status	st = CTS_OK;
	size_t		bad = 0;
	cts_encode_opts opts;

	initStringInfo(&ps->tok);
	if (!parse_literal(ps, &canonical))
		return NULL;

	if (canonical)
	{
		/* 1.0's canonical form: format 1, block by block as printed */
		if (ps->has_prefix)
		{
			syntax_error(ps, "A literal with block headers (the form chronos 1.0 printed) takes no codec prefix.");
			return NULL;
		}
		memset(&opts, 0, sizeof(opts));
		opts.blocks = ps->blocks;
		opts.nblocks = ps->nblocks;
		result = chronos_encode_points(ps->op, ps->pts, ps->npts, &opts, &st, &bad);
	}
	else
	{
		chronos_sort_points(ps->op, ps->pts, ps->npts);
		result = chronos_encode_series(ps->op, ps->pts, ps->npts, &ps->codec, 0,
									   &st, &bad);
	}
	if (result == NULL)
	{
		char		tsbuf[CHRONOS_TIMESTAMP_BUFLEN];
		char		vbuf[CHRONOS_DOUBLE_BUFLEN];

		switch (st)
		{
			case CTS_ERR_UNSORTED:
				chronos_format_timestamp(ps->pts[bad].ts, tsbuf);
				syntax_error(ps, "Point %zu (%s) is earlier than point %zu: a literal with block headers lists its points in time order.",
							 bad + 1, tsbuf, bad);
				return NULL;
			case CTS_ERR_OFF_GRID:
				chronos_format_timestamp(ps->pts[bad].ts, tsbuf);
				chronos_format_double(ps->pts[bad].value, vbuf);
				syntax_error(ps, "The value %s of point %zu (%s) is not one its block's codec can store: with block headers, a literal must hold the values compact_ts printed. Leave the headers out to encode the points afresh.",
							 vbuf, bad + 1, tsbuf);
				return NULL;
			case CTS_ERR_BAD_SUMMARY:
				syntax_error(ps, "The sum or error in a block header does not fit the block's points: with block headers, a literal must hold what compact_ts printed. Leave the headers out to encode the points afresh.");
				return NULL;
			default:
				syntax_error(ps, "%s", cts_strerror(st));
				return NULL;
		}
	}

	/* leave only the result in the op */
	chronos_free(ps->op, ps->pts);
	chronos_free(ps->op, ps->blocks);
	pfree(ps->tok.data);
	return result;
}


/* ----------------------------------------------------------------
 *		base64 text form
 * ----------------------------------------------------------------
 */

/*
 * base64_value
 *		The 6-bit value of a base64 character, -1 for anything else
 *		(including '=').
 */
static inline int
base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * base64_input
 *		Read the base64 form: text is what follows "base64:" in ps->str.
 *
 * The text must be canonical base64: standard alphabet, a multiple of 4
 * characters, "=" padding only at the end and at most two, unused bits
 * of the last character zero; only spaces may surround it.  The bytes are
 * then validated like compact_ts_recv.  Returns the value in ps->op, or
 * NULL after a soft error (22P02 for the text, XX001 for the bytes).
 */
static CompactTs *
base64_input(CtsParser *ps, const char *text)
{
	const char *end = text + strlen(text);
	const char *p;
	size_t		nchars;
	size_t		npad = 0;
	size_t		nbytes;
	CompactTs  *result;
	uint8	   *out;
	const char *pad_at = NULL;

	while (end > text && is_space(end[-1]))
		end--;
	nchars = end - text;

	/* the alphabet, and where the padding starts */
	for (p = text; p < end; p++)
	{
		if (*p == '=')
		{
			if (pad_at == NULL)
				pad_at = p;
			npad++;
			continue;
		}
		if (pad_at != NULL)
		{
			syntax_error(ps, "Padding \"=\" at character %d is followed by more base64 text at character %d: padding may only end it.",
						 char_position(ps, pad_at), char_position(ps, p));
			return NULL;
		}
		if (base64_value((unsigned char) *p) < 0)
		{
			syntax_error(ps, "Character %d, %s, is not base64: only A-Z, a-z, 0-9, \"+\" and \"/\" may follow \"base64:\", with \"=\" padding at the end.",
						 char_position(ps, p), describe_char(p));
			return NULL;
		}
		if (((p - text) & (CTS_BASE64_CHECK_EVERY - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (npad > 2)
	{
		syntax_error(ps, "Too much padding at character %d: base64 ends with at most two \"=\".",
					 char_position(ps, pad_at));
		return NULL;
	}
	if (nchars % 4 != 0)
	{
		syntax_error(ps, "The base64 text ends at character %d after %zu characters, which is not a multiple of 4.",
					 char_position(ps, end), nchars);
		return NULL;
	}

	/* the last character before the padding carries no unused bits */
	if (npad > 0)
	{
		int			last = base64_value((unsigned char) pad_at[-1]);

		if ((npad == 2 && (last & 0x0F) != 0) ||
			(npad == 1 && (last & 0x03) != 0))
		{
			syntax_error(ps, "The base64 character \"%c\" at character %d has bits set beyond the last byte: the canonical form, which compact_ts prints, sets them to zero.",
						 pad_at[-1], char_position(ps, pad_at - 1));
			return NULL;
		}
	}

	nbytes = nchars / 4 * 3 - npad;
	if (nbytes > CTS_MAX_ENCODED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value of %zu bytes is larger than the maximum %zu",
						nbytes, CTS_MAX_ENCODED)));

	result = (CompactTs *) chronos_alloc(ps->op, VARHDRSZ + nbytes,
										 "decoded value");
	SET_VARSIZE(result, VARHDRSZ + nbytes);
	out = result->data;
	for (p = text; p < end; p += 4)
	{
		uint32		q = ((uint32) base64_value((unsigned char) p[0]) << 18) |
		((uint32) base64_value((unsigned char) p[1]) << 12);

		*out++ = (uint8) (q >> 16);
		if (p[2] != '=')
		{
			q |= (uint32) base64_value((unsigned char) p[2]) << 6;
			*out++ = (uint8) (q >> 8);
			if (p[3] != '=')
			{
				q |= (uint32) base64_value((unsigned char) p[3]);
				*out++ = (uint8) q;
			}
		}
		if (((p - text) & (CTS_BASE64_CHECK_EVERY - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	Assert(out == result->data + nbytes);

	if (!chronos_validate_value(ps->op, result->data, nbytes, ps->escontext))
		return NULL;
	return result;
}

/*
 * compact_ts_in(cstring) -> compact_ts
 *
 * Reads any of the text forms (see the file header).  The result is
 * allocated in a "chronos text input" op under the caller's context, which
 * stays alive as long as the value (the parse buffers are freed first).
 * With an ErrorSaveContext in fcinfo->context (16+), bad input is reported
 * there and the op is ended.
 */
Datum
compact_ts_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *start = skip_space(str);
	CtsParser	ps;
	CompactTs  *result;

	memset(&ps, 0, sizeof(ps));
	ps.str = str;
	ps.escontext = fcinfo->context;
	ps.op = chronos_op_begin(CurrentMemoryContext, "chronos text input",
							 CHRONOS_MEM_WORK);

	if (strncmp(start, CTS_BASE64_PREFIX, CTS_BASE64_PREFIX_LEN) == 0)
		result = base64_input(&ps, start + CTS_BASE64_PREFIX_LEN);
	else
	{
		/* "codec:{...}" names the codec; "{...}" takes chronos.default_codec */
		const char *colon = NULL;

		if (*start != '{')
			colon = strchr(start, ':');
		if (colon != NULL && *skip_space(colon + 1) == '{')
		{
			if (!chronos_codec_parse(start, colon - start, &ps.codec))
			{
				syntax_error(&ps, "Unknown codec \"%.*s\" before the \"{\": use quant16, quant1 to quant32, max_error=<bound> or lossless.",
							 (int) (colon - start), start);
				result = NULL;
				goto done;
			}
			ps.has_prefix = true;
			ps.body = skip_space(colon + 1);
		}
		else
			chronos_codec_default(&ps.codec);
		result = readable_input(&ps);
	}
done:

	if (result == NULL)
	{
		/* a soft error: nothing of this input stays */
		Assert(SOFT_ERROR_OCCURRED(ps.escontext));
		chronos_op_end(ps.op);
		PG_RETURN_NULL();
	}
	PG_RETURN_COMPACT_TS_P(result);
}


/* ----------------------------------------------------------------
 *		Text output
 * ----------------------------------------------------------------
 */

/*
 * text_too_large
 *		Raise the error for a text form larger than CTS_MAX_TEXT (only a
 *		value written before the size cap can have one).
 */
pg_noreturn static void
text_too_large(uint32 npoints, Size needed)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("compact_ts value is too large for its text form"),
			 errdetail("The text form of this series of %u points would take %zu bytes, more than the maximum %zu.",
					   npoints, needed, CTS_MAX_TEXT),
			 errhint("Read it with unnest() or binary COPY, and store the series as segments of chronos.chunk_size points.")));
}

/*
 * outbuf_reserve
 *		Make room for more bytes, doubling through the memory manager.
 */
static void
outbuf_reserve(CtsOutBuf *buf, size_t more)
{
	if (buf->len + more > CTS_MAX_TEXT)
		text_too_large(buf->npoints, buf->len + more);
	chronos_grow(buf->op, (void **) &buf->data, &buf->cap, 1,
				 buf->len + more, CTS_MAX_TEXT, "text output");
}

/*
 * outbuf_append
 *		Append s[0..len) to the text output.
 */
static inline void
outbuf_append(CtsOutBuf *buf, const char *s, size_t len)
{
	outbuf_reserve(buf, len);
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
}

/*
 * readable_output
 *		The canonical form of the value in reader, into buf.
 */
static void
readable_output(ChronosBlockReader *reader, CtsOutBuf *buf)
{
	/* a first guess: about 45 bytes per point, 64 per block header */
	outbuf_reserve(buf, Min(CTS_MAX_TEXT,
							3 + (Size) reader->header.npoints * 45 +
							(Size) reader->header.nblocks * 64));

	outbuf_append(buf, "{", 1);
	while (chronos_reader_next(reader))
	{
		char		num[CHRONOS_DOUBLE_BUFLEN];
		const char *codec = cts_codec_name(reader->block.codec);
		uint32		i;

		if (codec == NULL)		/* cannot happen after validation */
			chronos_report_corrupt(CTS_ERR_BAD_CODEC);
		if (reader->next_block > 1)
			outbuf_append(buf, "; ", 2);
		outbuf_append(buf, codec, strlen(codec));
		outbuf_append(buf, "(sum=", 5);
		outbuf_append(buf, num, chronos_format_double(reader->block.sum, num));
		outbuf_append(buf, ",error=", 7);
		outbuf_append(buf, num,
					  chronos_format_double(reader->block.max_error, num));
		outbuf_append(buf, "): ", 3);

		for (i = 0; i < reader->npoints; i++)
		{
			char	   *out;

			outbuf_reserve(buf, CTS_POINT_TEXT_MAX);
			out = buf->data + buf->len;
			if (i > 0)
			{
				*out++ = ',';
				*out++ = ' ';
			}
			out += chronos_format_timestamp(reader->ts[i], out);
			memcpy(out, " => ", 4);
			out += 4;
			out += chronos_format_double(reader->values[i], out);
			buf->len = out - buf->data;
		}
	}
	outbuf_append(buf, "}", 2);	/* with the terminating NUL */
}

/*
 * base64_output
 *		"base64:" and the base64 of bytes[0..len), as a new cstring of
 *		exactly the right size in op.
 */
static char *
base64_output(ChronosMemOp *op, const uint8 *bytes, size_t len,
			  uint32 npoints)
{
	Size		textlen = CTS_BASE64_TEXT_LEN(len);
	char	   *result;
	char	   *out;
	size_t		i;

	if (textlen > CTS_MAX_TEXT)
		text_too_large(npoints, textlen);
	result = (char *) chronos_alloc(op, textlen + 1, "text output");
	memcpy(result, CTS_BASE64_PREFIX, CTS_BASE64_PREFIX_LEN);
	out = result + CTS_BASE64_PREFIX_LEN;
	for (i = 0; i < len; i += 3)
	{
		uint32		q = (uint32) bytes[i] << 16;

		if (i + 1 < len)
			q |= (uint32) bytes[i + 1] << 8;
		if (i + 2 < len)
			q |= (uint32) bytes[i + 2];
		*out++ = base64_chars[(q >> 18) & 0x3F];
		*out++ = base64_chars[(q >> 12) & 0x3F];
		*out++ = i + 1 < len ? base64_chars[(q >> 6) & 0x3F] : '=';
		*out++ = i + 2 < len ? base64_chars[q & 0x3F] : '=';
		if ((i & (CTS_BASE64_CHECK_EVERY - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	*out = '\0';
	Assert((Size) (out - result) == textlen);
	return result;
}

/*
 * readable_output2
 *		A format 2 value in the readable form "codec:{ts => v, ...}", if
 *		reading that text back gives the very same bytes; NULL if not (a
 *		lossy value, whose printed points would be quantized again; blocks
 *		joined by an append; a NaN with a payload).
 *
 * The points are decoded, re-encoded with the value's codec and compared:
 * the encoder is deterministic, so equal bytes now mean equal bytes when
 * the text is read back.  The result is in op.
 */
static char *
readable_output2(ChronosMemOp *op, const CompactTs *value, const cts_header *h)
{
	ChronosCodec codec;
	ChronosBlockReader reader;
	cts_point  *pts;
	size_t		n = 0;
	CompactTs  *again;
	cts_status	st;
	size_t		bad;
	bool		same;
	CtsOutBuf	buf;
	char		name[CHRONOS_CODEC_NAME_LEN];
	size_t		i;
	const double canon_nan = get_float8_nan();

	if (h->npoints > CTS_TEXT_READABLE_MAX_POINTS || !chronos_codec_of_header(h, &codec))
		return NULL;

	pts = (cts_point *) chronos_alloc(op, sizeof(cts_point) * Max(h->npoints, 1),
									  "text output");
	chronos_reader_init(&reader, op, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value), true);
	while (chronos_reader_next(&reader))
	{
		uint32		j;

		for (j = 0; j < reader.npoints; j++)
		{
			/* the text of a NaN reads back as the one NaN float8in makes */
			if (isnan(reader.values[j]) &&
				memcmp(&reader.values[j], &canon_nan, sizeof(double)) != 0)
			{
				chronos_reader_free(&reader);
				chronos_free(op, pts);
				return NULL;
			}
			pts[n].ts = reader.ts[j];
			pts[n].value = reader.values[j];
			n++;
		}
	}
	chronos_reader_free(&reader);

	again = chronos_encode_series(op, pts, n, &codec, 0, &st, &bad);
	same = again != NULL &&
		VARSIZE(again) - VARHDRSZ == CTS_PAYLOAD_LEN(value) &&
		memcmp(again->data, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value)) == 0;
	if (again != NULL)
		chronos_free(op, again);
	if (!same)
	{
		chronos_free(op, pts);
		return NULL;
	}

	memset(&buf, 0, sizeof(buf));
	buf.op = op;
	buf.npoints = h->npoints;
	outbuf_reserve(&buf, Min(CTS_MAX_TEXT, 4 + (Size) n * 45 + CHRONOS_CODEC_NAME_LEN));
	outbuf_append(&buf, name, chronos_codec_name(&codec, name));
	outbuf_append(&buf, ":{", 2);
	for (i = 0; i < n; i++)
	{
		char	   *out;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		outbuf_reserve(&buf, CTS_POINT_TEXT_MAX);
		out = buf.data + buf.len;
		if (i > 0)
		{
			*out++ = ',';
			*out++ = ' ';
		}
		out += chronos_format_timestamp(pts[i].ts, out);
		memcpy(out, " => ", 4);
		out += 4;
		out += chronos_format_double(pts[i].value, out);
		buf.len = out - buf.data;
	}
	outbuf_append(&buf, "}", 2);	/* with the terminating NUL */
	chronos_free(op, pts);
	return buf.data;
}

/*
 * compact_ts_out(compact_ts) -> cstring
 *
 * The canonical form for a value of at most CTS_TEXT_READABLE_MAX_POINTS
 * points, the base64 form above that (see the file header).  The value is
 * validated first, so what is printed reads back.  The string is allocated
 * in a "chronos text output" op under the caller's context, which stays
 * alive as long as the string; the value's copy and the decode buffers are
 * freed before returning.
 */
Datum
compact_ts_out(PG_FUNCTION_ARGS)
{
	Datum		datum = PG_GETARG_DATUM(0);
	ChronosMemOp *op;
	CompactTs  *value;
	cts_header	header;
	char	   *result;

	op = chronos_op_begin(CurrentMemoryContext, "chronos text output",
						  CHRONOS_MEM_WORK);
	value = chronos_detoast(op, datum);
	chronos_read_header(value, &header);

	if (header.version == CTS_FORMAT_V2)
	{
		result = readable_output2(op, value, &header);
		if (result == NULL)
		{
			(void) chronos_validate_value(op, CTS_PAYLOAD(value),
										  CTS_PAYLOAD_LEN(value), NULL);
			result = base64_output(op, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value),
								   header.npoints);
		}
	}
	else if (header.npoints > 0 && header.npoints <= CTS_TEXT_READABLE_MAX_POINTS)
	{
		/*
		 * Not the empty format 1 value: its canonical form "{}" would read
		 * back as a format 2 value, so it prints as base64.
		 */
		ChronosBlockReader reader;
		CtsOutBuf	buf;

		chronos_reader_init(&reader, op, CTS_PAYLOAD(value),
							CTS_PAYLOAD_LEN(value), true);
		memset(&buf, 0, sizeof(buf));
		buf.op = op;
		buf.npoints = header.npoints;
		readable_output(&reader, &buf);
		chronos_reader_free(&reader);
		result = buf.data;
	}
	else
	{
		(void) chronos_validate_value(op, CTS_PAYLOAD(value),
									  CTS_PAYLOAD_LEN(value), NULL);
		result = base64_output(op, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value),
							   header.npoints);
	}
	chronos_detoast_free(op, datum, value);

	PG_RETURN_CSTRING(result);
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
	CompactTs  *result;

	if (len > CTS_MAX_ENCODED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("compact_ts value of %zu bytes is larger than the maximum %zu",
						len, CTS_MAX_ENCODED)));

	op = chronos_op_begin(CurrentMemoryContext, "chronos receive",
						  CHRONOS_MEM_WORK);

	/* everything is checked before anything is copied */
	(void) chronos_validate_value(op, bytes, len, NULL);

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
	size_t		len;
	bytea	   *result;

	op = chronos_op_begin(CurrentMemoryContext, "chronos send",
						  CHRONOS_MEM_WORK);
	value = chronos_detoast(op, datum);
	len = CTS_PAYLOAD_LEN(value);
	result = (bytea *) chronos_alloc(op, VARHDRSZ + len, "raw bytes");
	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), CTS_PAYLOAD(value), len);
	chronos_detoast_free(op, datum, value);
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
	struct varlena *raw;
	CompactTs  *result;

	op = chronos_op_begin(CurrentMemoryContext, "chronos receive",
						  CHRONOS_MEM_WORK);
	raw = chronos_detoast_datum(op, datum, true, "input bytea");
	result = compact_ts_from_raw((const uint8 *) VARDATA_ANY(raw),
								 VARSIZE_ANY_EXHDR(raw));
	chronos_op_end(op);
	PG_RETURN_COMPACT_TS_P(result);
}
