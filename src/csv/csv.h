/*-------------------------------------------------------------------------
 *
 * csv.h
 *	  Public API of chronos's CSV reader: a pure C library, no PostgreSQL.
 *
 * Three parts, each usable alone:
 *
 *	1. A tokenizer that streams a file far larger than memory through
 *	   windows of it (mmap'd or pread into a buffer).  It never allocates:
 *	   the caller owns the window, the field array and a scratch buffer for
 *	   unescaped fields, and the parser is a plain struct the caller keeps.
 *	2. Value parsers: numbers exactly as PostgreSQL's float8in reads them
 *	   (with a fast path that provably gives the same bits), missing-value
 *	   markers, integers.
 *	3. Time parsers: a fast path for the common ISO 8601 shapes that gives
 *	   exactly the fields PostgreSQL's timestamptz input would (or says "not
 *	   recognized", and the glue asks PostgreSQL), civil-date and zone
 *	   arithmetic, and epoch conversions identical to to_timestamp().
 *
 * Every text reader takes (p, len), never reads past len and needs no NUL
 * terminator.  Every exported symbol starts with csv_ (PostgreSQL loads
 * extension libraries RTLD_GLOBAL, so names share one namespace).
 *
 * THE TOKENIZER'S RULES (RFC 4180, plus these decisions)
 *
 *	- Records end at LF or CRLF.  A CR that is not followed by LF outside a
 *	  quoted field, including one as the file's very last byte, is an error
 *	  (CSV_ERR_LONE_CR): old-Mac CR-only files are refused rather than read
 *	  as one huge line, and a stray CR is never silently kept in a value.
 *	  Inside quotes, CR and LF are data and are kept as they are.
 *	- A UTF-8 byte order mark (EF BB BF) at file offset 0 is skipped; the
 *	  first record then starts at offset 3, still on line 1.  Anywhere else
 *	  those bytes are data.
 *	- An empty line (nothing before its LF or CRLF) is skipped and counted
 *	  (cts_csv_parser.nblank); it is not a record.  A line of spaces is a record
 *	  with one field of spaces.  The last record needs no line end.
 *	- A field is quoted when its first byte is the quote character.  In it,
 *	  two quotes stand for one; the delimiter, CR and LF are data.  After the
 *	  closing quote only the delimiter, LF, CRLF or the end of the file may
 *	  follow (else CSV_ERR_AFTER_QUOTE).  A quote inside an unquoted field is
 *	  CSV_ERR_QUOTE_IN_FIELD (so ` "a"` with a leading space is an error,
 *	  not a quoted field).  End of file inside quotes is
 *	  CSV_ERR_UNTERMINATED.
 *	- Binary files: a NUL byte anywhere (inside quotes too) is
 *	  CSV_ERR_BINARY.  Text never holds NUL (PostgreSQL's text cannot), and
 *	  every common binary format (gzip, zip, xlsx, parquet, images) has NUL
 *	  bytes within its first few hundred bytes.  Encoding is not checked:
 *	  the glue validates field text with PostgreSQL's encoding checks.
 *	- Line numbers are physical lines, 1-based, counting the LFs inside
 *	  quoted fields.  Offsets are file offsets (0-based, counting the BOM).
 *	- A record (from its first byte through its line end) longer than
 *	  options.max_record bytes is CSV_ERR_RECORD_TOO_LONG.  The glue sets
 *	  max_record to its window size (chronos.stream_window_kb), so a record
 *	  always fits in one window.  Whether a record is too long depends only
 *	  on its length, never on where the windows fall.
 *	- Records and errors come out identically however the file is cut into
 *	  windows: a record (or an error) is reported only once everything that
 *	  decides it is inside the window.
 *
 * ERRORS
 *
 *	Record errors (cts_csv_status_is_record_error): QUOTE_IN_FIELD,
 *	AFTER_QUOTE, LONE_CR, TOO_MANY_FIELDS, UNTERMINATED.  cts_csv_next() has
 *	already stepped past the bad record when it returns one, so a caller
 *	that skips bad lines (on_error => 'skip') just calls cts_csv_next() again.
 *	What is skipped: for TOO_MANY_FIELDS the whole (well-formed) record;
 *	for UNTERMINATED the rest of the file; for the others everything from
 *	the record's start through the first LF at or after the offending byte
 *	(the parser re-synchronizes at the next physical line end, so the
 *	record's rec->length is that stretch).
 *
 *	Fatal errors: BINARY and RECORD_TOO_LONG.  They are sticky: every later
 *	call returns the same error and the same positions.
 *
 *	Caller errors, which change nothing: BAD_WINDOW (the window does not
 *	hold cts_csv_resume_offset()), SCRATCH_TOO_SMALL, BAD_ARGUMENT.
 *
 *	With every error, rec->offset and rec->line give the record's start and
 *	rec->err_offset and rec->err_line the offending byte (the opening quote
 *	for UNTERMINATED; for RECORD_TOO_LONG the opening quote of the field
 *	still open at the limit, if any, else the record's start, so the glue
 *	can hint at an unclosed quote).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/csv/csv.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_CSV_H
#define CHRONOS_CSV_H

#include <stddef.h>
#include <stdint.h>

#define CSV_DEFAULT_MAX_RECORD	((size_t) 1024 * 1024)	/* chronos.stream_window_kb default */
#define CSV_MIN_MAX_RECORD		((size_t) 4)	/* a full window holds a BOM or a CRLF */
#define CSV_MAX_NUMBER_LEN		256 /* longest number text cts_csv_parse_double takes */

typedef enum cts_csv_status
{
	CSV_OK = 0,
	CSV_EOF,					/* no record left: the file has been read */
	CSV_NEED_MORE,				/* the record at cts_csv_resume_offset() does not end in this window */
	CSV_MISSING,				/* cts_csv_parse_value: a missing-value marker */
	CSV_NOT_RECOGNIZED,			/* cts_csv_parse_iso_time: not a fast-path shape; ask PostgreSQL */

	/* record errors: cts_csv_next() has skipped the bad record */
	CSV_ERR_QUOTE_IN_FIELD,		/* a quote inside an unquoted field */
	CSV_ERR_AFTER_QUOTE,		/* junk between a closing quote and the delimiter or line end */
	CSV_ERR_LONE_CR,			/* CR not followed by LF, outside quotes */
	CSV_ERR_TOO_MANY_FIELDS,	/* more fields than the caller has room for */
	CSV_ERR_UNTERMINATED,		/* end of file inside a quoted field */

	/* fatal, sticky */
	CSV_ERR_BINARY,				/* a NUL byte: not a text file */
	CSV_ERR_RECORD_TOO_LONG,	/* a record longer than options.max_record */

	/* caller errors */
	CSV_ERR_BAD_WINDOW,			/* the window does not hold cts_csv_resume_offset() */
	CSV_ERR_SCRATCH_TOO_SMALL,	/* unescaped fields need more scratch than given */
	CSV_ERR_BAD_ARGUMENT,		/* bad option, NULL pointer, or fields without a zone */

	/* value parsers */
	CSV_ERR_SYNTAX,				/* not a number (float8in would say "invalid input syntax") */
	CSV_ERR_RANGE,				/* out of range for double, int64 or timestamptz */
	CSV_ERR_NUMBER_TOO_LONG		/* number text longer than CSV_MAX_NUMBER_LEN: use float8in */
} cts_csv_status;

/* Human-readable text for a status, for errdetail (static string, never NULL). */
extern const char *cts_csv_strerror(cts_csv_status status);

/* 1 for the errors cts_csv_next() has already skipped past (see ERRORS above). */
extern int	cts_csv_status_is_record_error(cts_csv_status status);

/* ---------------------------------------------------------------------------
 * Tokenizer
 * ---------------------------------------------------------------------------
 */

typedef struct cts_csv_options
{
	char		delimiter;		/* default ',' */
	char		quote;			/* default '"' */
	int			header;			/* the first record is a header: reported with is_header */
	size_t		max_record;		/* longest record, bytes (>= CSV_MIN_MAX_RECORD);
								 * 0 = CSV_DEFAULT_MAX_RECORD */
} cts_csv_options;

/*
 * The parser.  A plain struct: the caller keeps it (on the stack, in a
 * palloc'd state), initializes it with cts_csv_init() and treats the fields as
 * read-only.  No pointers into any window are kept between calls.
 */
typedef struct cts_csv_parser
{
	cts_csv_options opts;
	uint64_t	offset;			/* file offset where the next record starts */
	uint64_t	line;			/* physical line (1-based) at offset */
	uint64_t	nrecords;		/* records returned with CSV_OK (header included) */
	uint64_t	nblank;			/* empty lines skipped */
	uint64_t	nerrors;		/* record errors returned (bad records skipped) */
	uint64_t	nlines;			/* physical lines consumed so far (a last line without LF counts) */
	int			bom_done;		/* the BOM check at offset 0 is done */
	int			header_done;	/* the header record (if any) has been returned */
	cts_csv_status	fatal;			/* CSV_OK, or the sticky fatal error */
	uint64_t	fatal_offset;	/* record start of the fatal error */
	uint64_t	fatal_line;
	uint64_t	fatal_err_offset;	/* offending byte of the fatal error */
	uint64_t	fatal_err_line;
	unsigned char cls[256];		/* byte classes for the configured delimiter/quote */
} cts_csv_parser;

/* One field of a record. */
typedef struct cts_csv_field
{
	const char *ptr;			/* into the window, or into rec->scratch if unescaped */
	size_t		len;
	int			quoted;			/* the field was enclosed in quotes ("" vs empty) */
} cts_csv_field;

/*
 * A record.  The caller sets fields/max_fields and scratch/scratch_cap once;
 * cts_csv_next() fills in the rest.  Field pointers into the window stay valid
 * while the window does; pointers into scratch until the next cts_csv_next().
 * A quoted field is unescaped into scratch only when it holds a doubled
 * quote; otherwise it points into the window too.  Scratch use is at most
 * the record's length, so scratch_cap >= options.max_record is always
 * enough.
 */
typedef struct cts_csv_record
{
	/* set by the caller */
	cts_csv_field  *fields;
	size_t		max_fields;
	char	   *scratch;
	size_t		scratch_cap;

	/* set by cts_csv_next() */
	size_t		nfields;		/* fields found; with TOO_MANY_FIELDS all of them (more
								 * than max_fields), with another record error
								 * those completed before the offending byte */
	uint64_t	offset;			/* file offset of the record's first byte */
	size_t		length;			/* bytes, line end included (what was consumed, for errors) */
	uint64_t	line;			/* physical line of its first byte */
	uint64_t	nlines;			/* physical lines it spans */
	int			is_header;		/* this is the header record */
	uint64_t	err_offset;		/* with an error: the offending byte */
	uint64_t	err_line;
} cts_csv_record;

/* Fill *opts with the defaults: ',', '"', no header, 1 MB records. */
extern void cts_csv_options_default(cts_csv_options *opts);

/*
 * Initialize a parser to read a file from offset 0.  opts NULL means the
 * defaults.  CSV_ERR_BAD_ARGUMENT if the delimiter equals the quote, either
 * is CR, LF or NUL, or max_record is below CSV_MIN_MAX_RECORD.
 */
extern cts_csv_status cts_csv_init(cts_csv_parser *p, const cts_csv_options *opts);

/*
 * Next record from the window [buf, buf + len), which is the slice of the
 * file starting at file offset base; at_eof says the window reaches the end
 * of the file.  The window must hold cts_csv_resume_offset(p) (base <= it <=
 * base + len), else CSV_ERR_BAD_WINDOW.
 *
 * Returns
 *	CSV_OK			*rec holds the record; call again.
 *	CSV_EOF			nothing left (only when at_eof).
 *	CSV_NEED_MORE	the record starting at cts_csv_resume_offset(p) (also in
 *					rec->offset) does not end in this window: slide the
 *					window so that it starts there (or earlier), read more,
 *					and call again.  Never returned when at_eof.
 *	a record error	the bad record is skipped; call again to go on.
 *	a fatal error	stop.
 *
 * Progress: give windows of at least options.max_record bytes from the
 * resume offset (fewer only when they reach the end of the file).  Then a
 * record that does not end in such a window is longer than max_record, so
 * the answer is CSV_ERR_RECORD_TOO_LONG and never CSV_NEED_MORE twice for
 * the same offset.  Shorter windows work too (every decision waits for the
 * bytes it needs), but the caller must then grow them on CSV_NEED_MORE.
 */
extern cts_csv_status cts_csv_next(cts_csv_parser *p, const char *buf, size_t len,
						   uint64_t base, int at_eof, cts_csv_record *rec);

/* File offset the next window must hold (the next record's first byte). */
extern uint64_t cts_csv_resume_offset(const cts_csv_parser *p);

/* ---------------------------------------------------------------------------
 * Values
 * ---------------------------------------------------------------------------
 */

/*
 * Parse p[0..len) as PostgreSQL 15's float8in would: leading and
 * trailing white space (C isspace: space, \t, \n, \v, \f, \r) skipped;
 * glibc strtod's syntax (decimal, hexadecimal, inf, infinity, nan, nan(...),
 * any case, optional sign); ERANGE is an error when the result is 0 or
 * +-HUGE_VAL (1e-400, 1e309) but not when it is a nonzero denormal (1e-310).
 * Returns CSV_OK, CSV_ERR_SYNTAX, CSV_ERR_RANGE, or CSV_ERR_NUMBER_TOO_LONG
 * for a trimmed text longer than CSV_MAX_NUMBER_LEN (the glue then calls
 * float8in itself).  Plain decimals of up to 19 significant digits whose
 * value is below 2^53 and with a decimal exponent within +-22 are converted
 * without strtod, with one exact multiplication or division (Clinger's fast
 * path), which gives strtod's correctly rounded result bit for bit.
 */
extern cts_csv_status cts_csv_parse_double(const char *p, size_t len, double *out);

/*
 * Is p[0..len) a missing-value marker?  After trimming white space as
 * float8in does: the empty string, NA, N/A, n/a, null, NULL, and NaN in any
 * letter case with an optional sign (nan, NAN, -NaN: every spelling float8in
 * reads as NaN without a payload, since compact_ts cannot store NaN).
 */
extern int	cts_csv_is_missing(const char *p, size_t len);

/*
 * A value cell: CSV_MISSING if cts_csv_is_missing() or if the number is a NaN
 * (nan(123) and the like), else cts_csv_parse_double()'s result (infinities
 * are returned as such; the caller decides what they mean).
 */
extern cts_csv_status cts_csv_parse_value(const char *p, size_t len, double *out);

/*
 * Parse an integer exactly: white space trimmed as above, an optional sign,
 * one or more decimal digits.  CSV_ERR_RANGE outside int64, CSV_ERR_SYNTAX
 * for anything else (no hex, no underscores, no decimal point).
 */
extern cts_csv_status cts_csv_parse_int64(const char *p, size_t len, int64_t *out);

/* ---------------------------------------------------------------------------
 * Times
 * ---------------------------------------------------------------------------
 */

typedef enum cts_csv_zone
{
	CSV_ZONE_NONE = 0,			/* no zone: the glue applies the session TimeZone */
	CSV_ZONE_UTC,				/* Z, z or UTC */
	CSV_ZONE_OFFSET				/* a numeric offset (+00 included) */
} cts_csv_zone;

typedef struct cts_csv_time_fields
{
	int32_t		year;			/* 1..9999 */
	int32_t		month;			/* 1..12 */
	int32_t		day;			/* 1..days in month */
	int32_t		hour;			/* 0..23 */
	int32_t		minute;			/* 0..59 */
	int32_t		second;			/* 0..59 */
	int32_t		usec;			/* 0..999999 */
	cts_csv_zone	zone;
	int32_t		offset_sec;		/* seconds EAST of UTC (ISO sign: +01:30 = 5400); 0 unless OFFSET */
	int			bare_year;		/* the text was just YYYY (PostgreSQL has no reading of it) */
	int			has_time;		/* the text had a time of day */
} cts_csv_time_fields;

/*
 * Recognize the common timestamp shapes, after trimming white space:
 *	YYYY-MM-DD  or  YYYY/MM/DD
 *	date (' ' | 'T') HH:MM [:SS [.F]] [zone]	F: 1 to 6 digits
 *	zone: [' '] (Z | z | UTC | +HH | +HHMM | +HH:MM | -HH | -HHMM | -HH:MM)
 *	YYYY		(bare year: January 1, 00:00, in the session time zone)
 * with exactly these digit counts, ranges checked (days of month with
 * Gregorian leap years, hour 0-23, minute and second 0-59, zone hour 0-15
 * and minute 0-59).  CSV_OK fills *out; CSV_NOT_RECOGNIZED means "ask
 * PostgreSQL's timestamptz input", which reads (or rejects) everything
 * else: 24:00:00, :60, lowercase t, 7+ fraction digits (it rounds), years
 * outside 1-9999, one-digit fields, a date with a zone, named zones, ...
 * Every accepted text gives the fields PostgreSQL 15 gives (checked against
 * the server: see test/csv/test_csv.c).  A bare year is the one shape
 * PostgreSQL rejects, so for it this is the only reading.
 */
extern cts_csv_status cts_csv_parse_iso_time(const char *p, size_t len, cts_csv_time_fields *out);

/* Days from 2000-01-01 to y-m-d, proleptic Gregorian (0001-01-01 = -730119). */
extern int64_t cts_csv_days_from_civil(int64_t y, int32_t m, int32_t d);

/*
 * Microseconds since 2000-01-01 00:00 UTC (PostgreSQL's timestamptz) of
 * fields with a zone (CSV_ZONE_UTC or CSV_ZONE_OFFSET), exactly.
 * CSV_ERR_BAD_ARGUMENT for fields without a zone (the glue converts those
 * with PostgreSQL's time zone code) or out of their ranges.
 */
extern cts_csv_status cts_csv_fields_to_utc_usec(const cts_csv_time_fields *f, int64_t *out);

typedef enum cts_csv_epoch_unit
{
	CSV_EPOCH_SECONDS,
	CSV_EPOCH_MILLISECONDS
} cts_csv_epoch_unit;

/*
 * Epoch seconds to timestamptz exactly as PostgreSQL's
 * to_timestamp(double precision): range-checked against [4714-11-24 BC,
 * 294277-01-01), shifted to the 2000 epoch in double, multiplied by 1e6 and
 * rounded with rint (half to even), range-checked again.  NaN and
 * +-Infinity (which to_timestamp turns into an error and +-infinity) are
 * CSV_ERR_RANGE: a compact_ts holds finite times only.
 */
extern cts_csv_status cts_csv_epoch_seconds_to_usec(double seconds, int64_t *out);

/* Integer epoch milliseconds to timestamptz, exactly; CSV_ERR_RANGE outside it. */
extern cts_csv_status cts_csv_epoch_ms_to_usec(int64_t ms, int64_t *out);

/*
 * An epoch cell.  Seconds: cts_csv_parse_double() then
 * cts_csv_epoch_seconds_to_usec(), i.e. to_timestamp(text::float8).
 * Milliseconds: an integer text exactly (cts_csv_epoch_ms_to_usec); any other
 * number as to_timestamp(text::float8 / 1000).
 */
extern cts_csv_status cts_csv_parse_epoch(const char *p, size_t len, cts_csv_epoch_unit unit,
								  int64_t *out);

#endif							/* CHRONOS_CSV_H */
