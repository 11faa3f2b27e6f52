/*-------------------------------------------------------------------------
 *
 * csv_driver.h
 *	  A caller of cts_csv_next() for the tests and the fuzz target: reads an
 *	  input through windows chosen by a policy, checks the API contract on
 *	  every call, and writes a transcript of what came out.
 *
 * Policies (how the "file" is cut into windows):
 *	DRV_ONE		one window holding the whole input, at_eof.
 *	DRV_CUTS	windows end at given cut points: the first is [0, c1); after
 *				CSV_NEED_MORE the next starts at the resume offset (or, with
 *				early_start, at the last cut at or before it) and ends at the
 *				first cut past the previous window's end (or the end).
 *	DRV_FIXED	what the glue does: windows of `window` bytes starting at the
 *				resume offset (shorter only at the end of the file).  With
 *				window == max_record, CSV_NEED_MORE on a full window would
 *				loop forever, so it is a contract violation.
 * A window is kept until cts_csv_next() asks for more, as the glue keeps its
 * mapping, and every window is an exact-size heap copy, so AddressSanitizer
 * reports any read past it.
 *
 * The transcript has one line per event:
 *	ok @OFF+LEN L<line>/<nlines>[ H]: f1|f2|"quoted"
 *	E<status> @OFF+LEN L<line>/<nlines>[ H] err@OFF L<line> nf=N
 *	F<status> @OFF L<line> err@OFF L<line>
 *	eof rec=N blank=N err=N lines=N
 * Field bytes are escaped (\\, \", \|, \r, \n, \t, \xNN); a quoted field
 * is shown in quotes.  Whatever the policy, the transcript must be the same.
 *
 * Contract checks (a violation is written into the transcript as a line
 * starting with "VIOLATION" and makes drv_run return 0): no NEED_MORE at
 * end of file, none on a full fixed window, records tile the input (each
 * starts at or after the previous resume offset and ends at the new one),
 * field pointers lie inside the window or the scratch, nfields <=
 * max_fields on success, fatal errors are sticky, and at the end the
 * counters add up: the records' and blank lines' line counts sum to the
 * parser's, which equals the file's physical lines.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/csv/csv_driver.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_CSV_DRIVER_H
#define CHRONOS_CSV_DRIVER_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* ---- a growable text buffer ---------------------------------------------- */

typedef struct tbuf
{
	char	   *p;
	size_t		len;
	size_t		cap;
} tbuf;

static void
tb_put(tbuf *t, const void *s, size_t n)
{
	if (t->len + n + 1 > t->cap)
	{
		size_t		nc = t->cap ? t->cap : 256;

		while (nc < t->len + n + 1)
			nc *= 2;
		t->p = (char *) realloc(t->p, nc);
		if (t->p == NULL)
			abort();
		t->cap = nc;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void
tb_printf(tbuf *t, const char *fmt,...)
{
	char		tmp[512];
	va_list		ap;
	int			k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0)
		abort();
	tb_put(t, tmp, (size_t) k < sizeof(tmp) ? (size_t) k : sizeof(tmp) - 1);
}

static void
tb_free(tbuf *t)
{
	free(t->p);
	t->p = NULL;
	t->len = t->cap = 0;
}

static const char *
drv_status_name(cts_csv_status st)
{
	switch (st)
	{
		case CSV_OK:
			return "OK";
		case CSV_EOF:
			return "EOF";
		case CSV_NEED_MORE:
			return "NEED_MORE";
		case CSV_MISSING:
			return "MISSING";
		case CSV_NOT_RECOGNIZED:
			return "NOT_RECOGNIZED";
		case CSV_ERR_QUOTE_IN_FIELD:
			return "QUOTE_IN_FIELD";
		case CSV_ERR_AFTER_QUOTE:
			return "AFTER_QUOTE";
		case CSV_ERR_LONE_CR:
			return "LONE_CR";
		case CSV_ERR_TOO_MANY_FIELDS:
			return "TOO_MANY_FIELDS";
		case CSV_ERR_UNTERMINATED:
			return "UNTERMINATED";
		case CSV_ERR_BINARY:
			return "BINARY";
		case CSV_ERR_RECORD_TOO_LONG:
			return "RECORD_TOO_LONG";
		case CSV_ERR_BAD_WINDOW:
			return "BAD_WINDOW";
		case CSV_ERR_SCRATCH_TOO_SMALL:
			return "SCRATCH_TOO_SMALL";
		case CSV_ERR_BAD_ARGUMENT:
			return "BAD_ARGUMENT";
		case CSV_ERR_SYNTAX:
			return "SYNTAX";
		case CSV_ERR_RANGE:
			return "RANGE";
		case CSV_ERR_NUMBER_TOO_LONG:
			return "NUMBER_TOO_LONG";
	}
	return "?";
}

static void
tb_escaped(tbuf *t, const char *s, size_t n)
{
	size_t		k;

	for (k = 0; k < n; k++)
	{
		unsigned char c = (unsigned char) s[k];

		if (c == '\\' || c == '"' || c == '|')
			tb_printf(t, "\\%c", c);
		else if (c == '\r')
			tb_put(t, "\\r", 2);
		else if (c == '\n')
			tb_put(t, "\\n", 2);
		else if (c == '\t')
			tb_put(t, "\\t", 2);
		else if (c < 0x20 || c >= 0x7f)
			tb_printf(t, "\\x%02x", c);
		else
			tb_put(t, &s[k], 1);
	}
}

/* ---- the driver ------------------------------------------------------------ */

enum
{
	DRV_ONE,
	DRV_CUTS,
	DRV_FIXED
};

typedef struct drv_policy
{
	int			kind;
	const size_t *cuts;			/* DRV_CUTS: ascending, each in (0, n) */
	size_t		ncuts;
	int			early_start;	/* DRV_CUTS */
	size_t		window;			/* DRV_FIXED */
} drv_policy;

/* the first cut point after x, or n */
static size_t
drv_cut_after(const drv_policy *pol, size_t x, size_t n)
{
	size_t		k;

	for (k = 0; k < pol->ncuts; k++)
		if (pol->cuts[k] > x && pol->cuts[k] < n)
			return pol->cuts[k];
	return n;
}

/* the last cut point at or before x, or 0 */
static size_t
drv_cut_at_or_before(const drv_policy *pol, size_t x)
{
	size_t		k,
				best = 0;

	for (k = 0; k < pol->ncuts; k++)
		if (pol->cuts[k] <= x && pol->cuts[k] > best)
			best = pol->cuts[k];
	return best;
}

#define DRV_VIOLATION(...) \
	do { tb_put(out, "VIOLATION: ", 11); tb_printf(out, __VA_ARGS__); tb_put(out, "\n", 1); ok = 0; goto done; } while (0)

/*
 * drv_run
 *		Read in[0..n) with options o, room for max_fields fields and a
 *		scratch of o->max_record bytes, windows chosen by pol.
 *
 * Appends the transcript to out.  If fields_out is not NULL, appends the
 * fields of every good record alone (no positions, no header flag), one
 * record a line; if reser is not NULL, appends every good record written
 * back as CSV (a BOM first, then each record and LF).  Returns 1, or 0 on a
 * contract violation.
 */
static int
drv_run(const char *in, size_t n, const cts_csv_options *o, size_t max_fields,
		const drv_policy *pol, tbuf *out, tbuf *fields_out, tbuf *reser)
{
	cts_csv_parser	p;
	cts_csv_record	rec;
	cts_csv_status	st;
	cts_csv_field  *fields = (cts_csv_field *) malloc((max_fields ? max_fields : 1) * sizeof(cts_csv_field));
	size_t		scratch_cap;
	char	   *scratch;
	char	   *win = NULL;
	size_t		wbase = 0,
				wlen = 0;
	int			have_window = 0;
	uint64_t	sum_lines = 0;
	uint64_t	last_resume = 0;
	int			ok = 1;
	long		guard = 0;

	if (cts_csv_init(&p, o) != CSV_OK)
	{
		tb_put(out, "init failed\n", 12);
		free(fields);
		return 0;
	}
	scratch_cap = p.opts.max_record;
	scratch = (char *) malloc(scratch_cap ? scratch_cap : 1);
	memset(&rec, 0, sizeof(rec));
	rec.fields = fields;
	rec.max_fields = max_fields;
	rec.scratch = scratch;
	rec.scratch_cap = scratch_cap;
	if (reser)
		tb_put(reser, "\xEF\xBB\xBF", 3);

	for (;;)
	{
		uint64_t	resume = cts_csv_resume_offset(&p);
		size_t		k;

		if (++guard > 10 * (long) n + 1000)
			DRV_VIOLATION("no progress at offset %llu", (unsigned long long) resume);
		if (resume < last_resume)
			DRV_VIOLATION("resume offset went back from %llu to %llu",
						  (unsigned long long) last_resume, (unsigned long long) resume);
		last_resume = resume;

		if (!have_window)
		{
			size_t		start = 0,
						end = n;

			if (pol->kind == DRV_CUTS)
			{
				start = pol->early_start ? drv_cut_at_or_before(pol, (size_t) resume) : (size_t) resume;
				/* grow past the previous window's end, which was not enough */
				end = drv_cut_after(pol, (win != NULL || wlen > 0) ? wbase + wlen : (size_t) resume, n);
				if (end <= resume && resume < n)
					end = drv_cut_after(pol, (size_t) resume, n);
			}
			else if (pol->kind == DRV_FIXED)
			{
				start = (size_t) resume;
				end = (n - start > pol->window) ? start + pol->window : n;
			}
			free(win);
			wbase = start;
			wlen = end - start;
			win = (char *) malloc(wlen ? wlen : 1);
			memcpy(win, in + wbase, wlen);
			have_window = 1;
		}

		st = cts_csv_next(&p, win, wlen, wbase, wbase + wlen == n, &rec);
		if (st == CSV_NEED_MORE)
		{
			if (wbase + wlen == n)
				DRV_VIOLATION("NEED_MORE at end of file (offset %llu)", (unsigned long long) rec.offset);
			if (pol->kind == DRV_FIXED && wlen == pol->window && wbase == cts_csv_resume_offset(&p))
				DRV_VIOLATION("NEED_MORE on a full window at %llu", (unsigned long long) wbase);
			if (rec.offset != cts_csv_resume_offset(&p))
				DRV_VIOLATION("NEED_MORE: rec.offset %llu != resume offset %llu",
							  (unsigned long long) rec.offset, (unsigned long long) cts_csv_resume_offset(&p));
			have_window = 0;
			continue;
		}
		if (st == CSV_EOF)
		{
			tb_printf(out, "eof rec=%llu blank=%llu err=%llu lines=%llu\n",
					  (unsigned long long) p.nrecords, (unsigned long long) p.nblank,
					  (unsigned long long) p.nerrors, (unsigned long long) p.nlines);
			/* the counters add up to the file's physical lines */
			{
				uint64_t	lines = 0;
				size_t		from = (n >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
				size_t		j;

				for (j = from; j < n; j++)
					if (in[j] == '\n')
						lines++;
				if (n > from && in[n - 1] != '\n')
					lines++;
				if (sum_lines + p.nblank != p.nlines || p.nlines != lines)
					DRV_VIOLATION("line counts: records %llu + blank %llu, parser %llu, file %llu",
								  (unsigned long long) sum_lines, (unsigned long long) p.nblank,
								  (unsigned long long) p.nlines, (unsigned long long) lines);
			}
			if (cts_csv_resume_offset(&p) != n)
				DRV_VIOLATION("EOF with resume offset %llu of %zu", (unsigned long long) cts_csv_resume_offset(&p), n);
			break;
		}
		if (st == CSV_ERR_BINARY || st == CSV_ERR_RECORD_TOO_LONG)
		{
			cts_csv_record again = rec;

			tb_printf(out, "F%s @%llu L%llu err@%llu L%llu\n", drv_status_name(st),
					  (unsigned long long) rec.offset, (unsigned long long) rec.line,
					  (unsigned long long) rec.err_offset, (unsigned long long) rec.err_line);
			/* sticky, whatever the window */
			if (cts_csv_next(&p, win, wlen, wbase, wbase + wlen == n, &again) != st ||
				again.offset != rec.offset || again.err_offset != rec.err_offset ||
				again.line != rec.line || again.err_line != rec.err_line)
				DRV_VIOLATION("fatal error not sticky");
			break;
		}
		if (st != CSV_OK && !cts_csv_status_is_record_error(st))
			DRV_VIOLATION("unexpected status %s", drv_status_name(st));

		/* a record or a skipped bad record: it tiles the input */
		if (rec.offset < resume || rec.offset + rec.length != cts_csv_resume_offset(&p) ||
			rec.length == 0)
			DRV_VIOLATION("record @%llu+%zu does not tile (resume %llu -> %llu)",
						  (unsigned long long) rec.offset, rec.length,
						  (unsigned long long) resume, (unsigned long long) cts_csv_resume_offset(&p));
		if (rec.length > p.opts.max_record)
			DRV_VIOLATION("record @%llu of %zu bytes, above max_record",
						  (unsigned long long) rec.offset, rec.length);
		sum_lines += rec.nlines;

		if (st != CSV_OK)
		{
			tb_printf(out, "E%s @%llu+%zu L%llu/%llu%s err@%llu L%llu nf=%zu\n", drv_status_name(st),
					  (unsigned long long) rec.offset, rec.length,
					  (unsigned long long) rec.line, (unsigned long long) rec.nlines,
					  rec.is_header ? " H" : "",
					  (unsigned long long) rec.err_offset, (unsigned long long) rec.err_line,
					  rec.nfields);
			if (rec.err_offset < rec.offset || rec.err_offset > rec.offset + rec.length)
				DRV_VIOLATION("error offset outside its record");
			continue;
		}
		if (rec.nfields > max_fields || rec.nfields == 0)
			DRV_VIOLATION("nfields %zu (max %zu)", rec.nfields, max_fields);

		tb_printf(out, "ok @%llu+%zu L%llu/%llu%s: ", (unsigned long long) rec.offset, rec.length,
				  (unsigned long long) rec.line, (unsigned long long) rec.nlines,
				  rec.is_header ? " H" : "");
		for (k = 0; k < rec.nfields; k++)
		{
			const cts_csv_field *f = &rec.fields[k];
			int			in_window = f->ptr >= win && f->ptr + f->len <= win + wlen;
			int			in_scratch = f->ptr >= scratch && f->ptr + f->len <= scratch + scratch_cap;

			if (!(in_window || in_scratch) || (f->len > 0 && f->ptr == NULL))
				DRV_VIOLATION("field %zu points outside the window and the scratch", k);
			if (in_window && (uint64_t) (f->ptr - win) + wbase < rec.offset)
				DRV_VIOLATION("field %zu points before its record", k);
			if (k > 0)
			{
				tb_put(out, "|", 1);
				if (fields_out)
					tb_put(fields_out, "|", 1);
			}
			if (f->quoted)
				tb_put(out, "\"", 1);
			tb_escaped(out, f->ptr, f->len);
			if (f->quoted)
				tb_put(out, "\"", 1);
			if (fields_out)
			{
				if (f->quoted)
					tb_put(fields_out, "\"", 1);
				tb_escaped(fields_out, f->ptr, f->len);
				if (f->quoted)
					tb_put(fields_out, "\"", 1);
			}
			if (reser)
			{
				size_t		j;

				if (k > 0)
					tb_put(reser, &p.opts.delimiter, 1);
				if (f->quoted)
				{
					tb_put(reser, &p.opts.quote, 1);
					for (j = 0; j < f->len; j++)
					{
						tb_put(reser, &f->ptr[j], 1);
						if (f->ptr[j] == p.opts.quote)
							tb_put(reser, &p.opts.quote, 1);
					}
					tb_put(reser, &p.opts.quote, 1);
				}
				else
					tb_put(reser, f->ptr, f->len);
			}
		}
		tb_put(out, "\n", 1);
		if (fields_out)
			tb_put(fields_out, "\n", 1);
		if (reser)
			tb_put(reser, "\n", 1);
	}
done:
	free(win);
	free(scratch);
	free(fields);
	return ok;
}

#endif							/* CHRONOS_CSV_DRIVER_H */
