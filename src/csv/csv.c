/*-------------------------------------------------------------------------
 *
 * csv.c
 *	  The streaming CSV tokenizer: records out of windows of a file.
 *
 * The caller reads a file through windows (mmap'd slices or pread buffers)
 * and hands each to cts_csv_next() with its file offset.  The parser keeps no
 * pointer into any window between calls: all it remembers is the file
 * offset and line number where the next record starts, a few counters and
 * a sticky fatal error.  So a window can be unmapped or overwritten as soon
 * as the caller is done with the record's fields.
 *
 * A record is scanned from its first byte every time: when it does not end
 * in the window the scan is thrown away (CSV_NEED_MORE) and done again from
 * the start in the caller's next window, which begins at the record.  That
 * costs one extra scan of at most one record per window, and it is what
 * makes the output independent of where the windows fall: every decision is
 * made on bytes [record start, record start + max_record), never on bytes
 * past that limit, and never before the bytes that decide it are in the
 * window.  The parser never looks at a byte at or beyond record start +
 * max_record, so "too long" is a property of the record alone.
 *
 * Scanning is a table lookup per byte: a byte class table, built once for
 * the configured delimiter and quote, says which bytes stop an unquoted
 * field (delimiter, quote, LF, CR, NUL) and which stop a quoted one (quote,
 * LF, which is counted, and NUL).
 *
 * The rules themselves (line ends, BOM, blank lines, quotes, binary
 * detection, what an error skips) are documented in csv.h.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/csv/csv.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "csv.h"

/* byte class bits */
#define CSV_STOP_UNQUOTED	0x01	/* ends a run of plain bytes outside quotes */
#define CSV_STOP_QUOTED		0x02	/* ends a run of plain bytes inside quotes */

/*
 * cts_csv_strerror
 *		A sentence for a status, for errdetail.  Static storage.
 */
const char *
cts_csv_strerror(cts_csv_status status)
{
	switch (status)
	{
		case CSV_OK:
			return "No error.";
		case CSV_EOF:
			return "The end of the file was reached.";
		case CSV_NEED_MORE:
			return "The record does not end in this window.";
		case CSV_MISSING:
			return "The value is a missing-value marker.";
		case CSV_NOT_RECOGNIZED:
			return "The text is not one of the fast-path timestamp shapes.";
		case CSV_ERR_QUOTE_IN_FIELD:
			return "A quote appears inside an unquoted field.";
		case CSV_ERR_AFTER_QUOTE:
			return "A closing quote is followed by something other than a delimiter or a line end.";
		case CSV_ERR_LONE_CR:
			return "A carriage return outside quotes is not followed by a line feed.";
		case CSV_ERR_TOO_MANY_FIELDS:
			return "The record has more fields than expected.";
		case CSV_ERR_UNTERMINATED:
			return "A quoted field is not closed before the end of the file.";
		case CSV_ERR_BINARY:
			return "The file contains a NUL byte: it is not a text file.";
		case CSV_ERR_RECORD_TOO_LONG:
			return "A record is longer than the read window.";
		case CSV_ERR_BAD_WINDOW:
			return "The window does not contain the offset where parsing resumes.";
		case CSV_ERR_SCRATCH_TOO_SMALL:
			return "The scratch buffer is too small for the record's unescaped fields.";
		case CSV_ERR_BAD_ARGUMENT:
			return "An argument or option is invalid.";
		case CSV_ERR_SYNTAX:
			return "The text is not a valid number.";
		case CSV_ERR_RANGE:
			return "The value is out of range.";
		case CSV_ERR_NUMBER_TOO_LONG:
			return "The number is longer than the fast parser accepts.";
	}
	return "Unknown CSV status.";
}

/*
 * cts_csv_status_is_record_error
 *		Is this an error cts_csv_next() has already skipped past?
 */
int
cts_csv_status_is_record_error(cts_csv_status status)
{
	switch (status)
	{
		case CSV_ERR_QUOTE_IN_FIELD:
		case CSV_ERR_AFTER_QUOTE:
		case CSV_ERR_LONE_CR:
		case CSV_ERR_TOO_MANY_FIELDS:
		case CSV_ERR_UNTERMINATED:
			return 1;
		default:
			return 0;
	}
}

/*
 * cts_csv_options_default
 *		Comma, double quote, no header, 1 MB records.
 */
void
cts_csv_options_default(cts_csv_options *opts)
{
	opts->delimiter = ',';
	opts->quote = '"';
	opts->header = 0;
	opts->max_record = CSV_DEFAULT_MAX_RECORD;
}

/*
 * cts_csv_init
 *		Set up *p to read a file from its first byte.
 *
 * opts may be NULL (defaults).  Returns CSV_ERR_BAD_ARGUMENT for options
 * that cannot be tokenized unambiguously.
 */
cts_csv_status
cts_csv_init(cts_csv_parser *p, const cts_csv_options *opts)
{
	cts_csv_options o;
	int			c;

	if (p == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	if (opts)
		o = *opts;
	else
		cts_csv_options_default(&o);
	if (o.max_record == 0)
		o.max_record = CSV_DEFAULT_MAX_RECORD;
	if (o.delimiter == o.quote ||
		o.delimiter == '\0' || o.delimiter == '\n' || o.delimiter == '\r' ||
		o.quote == '\0' || o.quote == '\n' || o.quote == '\r' ||
		o.max_record < CSV_MIN_MAX_RECORD)
		return CSV_ERR_BAD_ARGUMENT;

	memset(p, 0, sizeof(*p));
	p->opts = o;
	p->line = 1;
	p->fatal = CSV_OK;
	for (c = 0; c < 256; c++)
		p->cls[c] = 0;
	p->cls[(unsigned char) o.delimiter] |= CSV_STOP_UNQUOTED;
	p->cls[(unsigned char) o.quote] |= CSV_STOP_UNQUOTED | CSV_STOP_QUOTED;
	p->cls['\n'] |= CSV_STOP_UNQUOTED | CSV_STOP_QUOTED;
	p->cls['\r'] |= CSV_STOP_UNQUOTED;
	p->cls[0] |= CSV_STOP_UNQUOTED | CSV_STOP_QUOTED;
	return CSV_OK;
}

/*
 * cts_csv_resume_offset
 *		File offset of the next record's first byte: the next window must
 *		contain it (after CSV_NEED_MORE, start the window there).
 */
uint64_t
cts_csv_resume_offset(const cts_csv_parser *p)
{
	return p->offset;
}

/*
 * unescape
 *		Copy a quoted field's content src[0..n), which holds its quotes
 *		doubled, into the record's scratch with each pair made one.
 *
 * *used is the scratch already taken by earlier fields of the record; it is
 * advanced.  Returns CSV_ERR_SCRATCH_TOO_SMALL if the result does not fit.
 */
static cts_csv_status
unescape(const unsigned char *src, size_t n, unsigned char quote,
		 cts_csv_record *rec, size_t *used, cts_csv_field *f)
{
	size_t		room = rec->scratch_cap - *used;
	char	   *dst = rec->scratch + *used;
	size_t		k,
				o = 0;

	for (k = 0; k < n; k++)
	{
		if (o == room)
			return CSV_ERR_SCRATCH_TOO_SMALL;
		dst[o++] = (char) src[k];
		/* the scan checked that quotes come in pairs here: drop the second */
		if (src[k] == quote)
			k++;
	}
	f->ptr = dst;
	f->len = o;
	*used += o;
	return CSV_OK;
}

/*
 * set_fatal
 *		Make a fatal error sticky and report it in *rec.
 */
static cts_csv_status
set_fatal(cts_csv_parser *p, cts_csv_record *rec, cts_csv_status st,
		  uint64_t err_offset, uint64_t err_line)
{
	p->fatal = st;
	p->fatal_offset = rec->offset;
	p->fatal_line = rec->line;
	p->fatal_err_offset = err_offset;
	p->fatal_err_line = err_line;
	rec->err_offset = err_offset;
	rec->err_line = err_line;
	return st;
}

/*
 * scan_record
 *		Tokenize the record starting at window index start.
 *
 * b/end/at_eof: the window and whether it ends the file.  The record must
 * not be empty (start < end; cts_csv_next has consumed blank lines).  rec's
 * offset and line are set.  On CSV_OK or a record error, consumes the
 * record (or the bad stretch) from the parser; on CSV_NEED_MORE changes
 * nothing; on a fatal error makes it sticky.
 */
static cts_csv_status
scan_record(cts_csv_parser *p, const unsigned char *b, size_t start, size_t end,
			int at_eof, cts_csv_record *rec)
{
	const unsigned char *cls = p->cls;
	const unsigned char quote = (unsigned char) p->opts.quote;
	const unsigned char delim = (unsigned char) p->opts.delimiter;
	const size_t max_record = p->opts.max_record;
	size_t		limit;
	int			eof_here;		/* the scan limit is the end of the file */
	size_t		i = start;
	size_t		nf = 0;			/* fields completed */
	uint64_t	nl = 0;			/* LFs inside quoted fields so far */
	size_t		used = 0;		/* scratch used */
	size_t		rec_end;		/* window index just past the record */
	int			lf_end = 0;		/* the record ended with LF (or CRLF) */
	size_t		open_quote = (size_t) -1;
	size_t		first_extra = (size_t) -1;	/* start of the first field that did not fit */
	uint64_t	first_extra_nl = 0; /* LFs before it */
	size_t		err = 0;
	uint64_t	err_nl = 0;		/* LFs before the offending byte */
	cts_csv_status	st;

	limit = (end - start > max_record) ? start + max_record : end;
	eof_here = at_eof && limit == end;

	for (;;)
	{
		cts_csv_field  *f = (nf < rec->max_fields) ? &rec->fields[nf] : NULL;
		size_t		fs = i;

		if (f == NULL && first_extra == (size_t) -1)
		{
			first_extra = fs;
			first_extra_nl = nl;
		}

		if (i < limit && b[i] == quote)
		{
			/* quoted field */
			size_t		q = i;
			size_t		cend;
			int			escaped = 0;

			i++;
			for (;;)
			{
				while (i < limit && !(cls[b[i]] & CSV_STOP_QUOTED))
					i++;
				if (i == limit)
				{
					if (eof_here)
					{
						st = CSV_ERR_UNTERMINATED;
						err = q;
						goto unterminated;
					}
					open_quote = q;
					goto hit_limit;
				}
				if (b[i] == '\n')
				{
					nl++;
					i++;
					continue;
				}
				if (b[i] == '\0')
				{
					err = i;
					err_nl = nl;
					goto binary;
				}
				/* a quote: the closing one, or the first of a pair */
				if (i + 1 == limit)
				{
					if (eof_here)
						break;
					open_quote = q;
					goto hit_limit;
				}
				if (b[i + 1] == quote)
				{
					escaped = 1;
					i += 2;
					continue;
				}
				break;
			}
			cend = i;			/* the closing quote */
			i++;
			if (f)
			{
				f->quoted = 1;
				if (escaped)
				{
					st = unescape(b + q + 1, cend - q - 1, quote, rec, &used, f);
					if (st != CSV_OK)
						return st;
				}
				else
				{
					f->ptr = (const char *) b + q + 1;
					f->len = cend - q - 1;
				}
			}
			nf++;
			if (i == limit)
			{
				if (eof_here)
				{
					rec_end = i;
					goto record_done;
				}
				goto hit_limit; /* not reached: the lookahead above saw b[i] */
			}
			if (b[i] == delim)
			{
				i++;
				continue;
			}
			if (b[i] == '\n')
			{
				rec_end = i + 1;
				lf_end = 1;
				goto record_done;
			}
			if (b[i] == '\r')
				goto cr;
			if (b[i] == '\0')
			{
				err = i;
				err_nl = nl;
				goto binary;
			}
			st = CSV_ERR_AFTER_QUOTE;
			err = i;
			goto record_error;
		}

		/* unquoted field */
		while (i < limit && !(cls[b[i]] & CSV_STOP_UNQUOTED))
			i++;
		if (f)
		{
			f->ptr = (const char *) b + fs;
			f->len = i - fs;
			f->quoted = 0;
		}
		if (i == limit)
		{
			if (eof_here)
			{
				nf++;
				rec_end = i;
				goto record_done;
			}
			goto hit_limit;
		}
		if (b[i] == delim)
		{
			nf++;
			i++;
			continue;
		}
		if (b[i] == '\n')
		{
			nf++;
			rec_end = i + 1;
			lf_end = 1;
			goto record_done;
		}
		if (b[i] == '\r')
		{
			nf++;
			goto cr;
		}
		if (b[i] == quote)
		{
			st = CSV_ERR_QUOTE_IN_FIELD;
			err = i;
			goto record_error;
		}
		/* NUL */
		err = i;
		err_nl = nl;
		goto binary;
	}

cr:
	/* b[i] is a CR ending a field: CRLF ends the record, anything else is an error */
	if (i + 1 == limit)
	{
		if (!eof_here)
			goto hit_limit;
		st = CSV_ERR_LONE_CR;
		err = i;
		goto record_error;
	}
	if (b[i + 1] == '\n')
	{
		rec_end = i + 2;
		lf_end = 1;
		goto record_done;
	}
	st = CSV_ERR_LONE_CR;
	err = i;
	goto record_error;

record_done:
	rec->nfields = nf;
	rec->length = rec_end - start;
	rec->nlines = nl + 1;
	rec->is_header = p->opts.header && !p->header_done;
	if (nf > rec->max_fields)
	{
		/* well-formed, so skip exactly this record */
		rec->err_offset = p->offset + (first_extra - start);
		rec->err_line = p->line + first_extra_nl;
		st = CSV_ERR_TOO_MANY_FIELDS;
		p->nerrors++;
	}
	else
	{
		st = CSV_OK;
		p->nrecords++;
	}
	p->header_done = 1;
	p->offset += rec->length;
	p->line += nl + (lf_end ? 1 : 0);
	p->nlines += nl + 1;
	return st;

record_error:

	/*
	 * A malformed record: it is reported once the stretch to skip (through
	 * the first LF at or after the offending byte) is in the window, so
	 * that the caller can go on after it.  A NUL on the way is still fatal.
	 */
	err_nl = nl;
	{
		size_t		j = err;

		while (j < limit && b[j] != '\n')
		{
			if (b[j] == '\0')
			{
				err = j;
				goto binary;
			}
			j++;
		}
		if (j == limit)
		{
			if (!eof_here)
				goto hit_limit;
			rec_end = j;
			lf_end = 0;
		}
		else
		{
			rec_end = j + 1;
			lf_end = 1;
		}
	}
	goto skip;

unterminated:
	/* the rest of the file is the open field: skip it all */
	{
		/* err_line is the opening quote's: count the LFs before it */
		size_t		j;

		err_nl = 0;
		for (j = start; j < err; j++)
			if (b[j] == '\n')
				err_nl++;
	}
	rec_end = end;
	lf_end = 0;
	goto skip;

skip:
	rec->nfields = nf;
	rec->length = rec_end - start;
	/* the line the record ends on, unless that is a line counted in nl */
	rec->nlines = nl + ((rec_end > start && b[rec_end - 1] == '\n' && !lf_end) ? 0 : 1);
	rec->is_header = p->opts.header && !p->header_done;
	rec->err_offset = p->offset + (err - start);
	rec->err_line = p->line + err_nl;
	p->nerrors++;
	p->header_done = 1;
	p->offset += rec->length;
	p->line += nl + (lf_end ? 1 : 0);
	p->nlines += rec->nlines;
	return st;

binary:
	return set_fatal(p, rec, CSV_ERR_BINARY,
					 p->offset + (err - start), p->line + err_nl);

hit_limit:
	/* the record does not end before the limit, which is not the file's end */
	if (limit - start >= max_record)
	{
		uint64_t	eo = p->offset;
		uint64_t	el = p->line;

		if (open_quote != (size_t) -1)
		{
			size_t		j;

			eo = p->offset + (open_quote - start);
			for (j = start; j < open_quote; j++)
				if (b[j] == '\n')
					el++;
		}
		return set_fatal(p, rec, CSV_ERR_RECORD_TOO_LONG, eo, el);
	}
	return CSV_NEED_MORE;
}

/*
 * cts_csv_next
 *		The next record from the window [buf, buf + len) at file offset base.
 *
 * See csv.h for the contract.  Blank lines and the BOM are consumed here;
 * scan_record does the rest.
 */
cts_csv_status
cts_csv_next(cts_csv_parser *p, const char *buf, size_t len, uint64_t base,
		 int at_eof, cts_csv_record *rec)
{
	const unsigned char *b = (const unsigned char *) buf;
	size_t		pos;

	if (p == NULL || rec == NULL || (buf == NULL && len > 0) ||
		len > UINT64_MAX - base ||
		(rec->fields == NULL && rec->max_fields > 0) ||
		(rec->scratch == NULL && rec->scratch_cap > 0))
		return CSV_ERR_BAD_ARGUMENT;

	rec->nfields = 0;
	rec->length = 0;
	rec->nlines = 0;
	rec->is_header = 0;
	rec->offset = p->offset;
	rec->line = p->line;
	rec->err_offset = 0;
	rec->err_line = 0;

	if (p->fatal != CSV_OK)
	{
		rec->offset = p->fatal_offset;
		rec->line = p->fatal_line;
		rec->err_offset = p->fatal_err_offset;
		rec->err_line = p->fatal_err_line;
		return p->fatal;
	}
	if (base > p->offset || p->offset - base > len)
		return CSV_ERR_BAD_WINDOW;
	pos = (size_t) (p->offset - base);

	if (!p->bom_done)
	{
		static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
		size_t		avail = len - pos;
		size_t		k = 0;

		/* p->offset is 0 here: nothing has been consumed yet */
		while (k < 3 && k < avail && b[pos + k] == bom[k])
			k++;
		if (k == 3)
		{
			p->offset += 3;
			pos += 3;
		}
		else if (k == avail && !at_eof)
			return CSV_NEED_MORE;	/* a BOM prefix so far: need more bytes to tell */
		p->bom_done = 1;
	}

	for (;;)
	{
		rec->offset = p->offset;
		rec->line = p->line;
		if (pos == len)
			return at_eof ? CSV_EOF : CSV_NEED_MORE;
		if (b[pos] == '\n')
		{
			pos++;
			p->offset++;
		}
		else if (b[pos] == '\r' && pos + 1 < len && b[pos + 1] == '\n')
		{
			pos += 2;
			p->offset += 2;
		}
		else if (b[pos] == '\r' && pos + 1 == len && !at_eof)
			return CSV_NEED_MORE;	/* CR LF or a lone CR: the next byte tells */
		else
			break;
		p->line++;
		p->nlines++;
		p->nblank++;
	}

	return scan_record(p, b, pos, len, at_eof, rec);
}
