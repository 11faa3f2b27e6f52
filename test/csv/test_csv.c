/*-------------------------------------------------------------------------
 *
 * test_csv.c
 *	  Unit tests of the CSV library (src/csv/): tokenizer, numbers, times.
 *
 * Tokenizer tests state the exact transcript (csv_driver.h) of an input
 * read in one window, then check that every other way of cutting the input
 * into windows gives the same transcript: every single cut point, every
 * pair of cut points (inputs up to 64 bytes), windows starting before the
 * resume offset, and fixed windows of every size with max_record set to it
 * (what the glue does).
 *
 * Numbers and times are checked against tables captured from a real
 * PostgreSQL 15 server (server_table.h, made by server_table.sh), against
 * strtod on millions of random decimals (the fast path), and against
 * exhaustive walks (every day from 0001-01-01 to 9999-12-31).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/csv/test_csv.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <math.h>

#include "harness.h"
#include "csv.h"
#include "csv_internal.h"
#include "csv_driver.h"
#include "server_table.h"

#define LEN(s) (sizeof(s) - 1)

/* ---- helpers ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static long windowings;			/* windowed reads compared with one window */

static uint64_t
rng(void)
{
	/* splitmix64 */
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t
rng_below(size_t n)
{
	return n ? (size_t) (rng() % n) : 0;
}

/* compare two transcripts, reporting the first differing line */
static int
same_text(const char *got, const char *want, const char *what, const char *file, int line)
{
	size_t		k = 0,
				ls = 0;

	while (got[k] && got[k] == want[k])
	{
		if (got[k] == '\n')
			ls = k + 1;
		k++;
	}
	if (got[k] == want[k])
		return h_check(1, file, line, "%s", what);
	{
		const char *ge = strchr(got + ls, '\n');
		const char *we = strchr(want + ls, '\n');
		int			gl = ge ? (int) (ge - got - ls) : (int) strlen(got + ls);
		int			wl = we ? (int) (we - want - ls) : (int) strlen(want + ls);

		return h_check(0, file, line, "%s: transcripts differ at byte %zu:\n#     got:  %.*s\n#     want: %.*s",
					   what, k, gl, got + ls, wl, want + ls);
	}
}
#define CHECK_TEXT(got, want, what) same_text((got), (want), (what), __FILE__, __LINE__)

static cts_csv_options
opts_with(char delim, char quote, int header, size_t max_record)
{
	cts_csv_options o;

	cts_csv_options_default(&o);
	o.delimiter = delim;
	o.quote = quote;
	o.header = header;
	o.max_record = max_record;
	return o;
}

static void
transcript(const char *in, size_t n, const cts_csv_options *o, size_t max_fields,
		   const drv_policy *pol, tbuf *out)
{
	out->len = 0;
	if (out->p)
		out->p[0] = '\0';
	if (!drv_run(in, n, o, max_fields, pol, out, NULL, NULL))
		h_check(0, __FILE__, __LINE__, "contract violation:\n%s", out->p);
}

/*
 * Every way of windowing in[0..n) gives the transcript `want` (which the
 * one-window read gave).  Returns the number of windowings tried.
 */
static long
all_cuts_agree(const char *in, size_t n, const cts_csv_options *o, size_t max_fields,
			   const char *want, const char *file, int line)
{
	tbuf		t = {0};
	size_t		cuts[2];
	size_t		a,
				b;
	long		tried = 0;
	int			early;
	drv_policy	pol;

	memset(&pol, 0, sizeof(pol));
	pol.kind = DRV_CUTS;
	pol.cuts = cuts;
	for (early = 0; early <= 1; early++)
	{
		pol.early_start = early;
		for (a = 1; a < n; a++)
		{
			cuts[0] = a;
			pol.ncuts = 1;
			transcript(in, n, o, max_fields, &pol, &t);
			tried++;
			if (!same_text(t.p, want, "single cut", file, line))
			{
				h_note("input cut at %zu (early_start %d)", a, early);
				goto out;
			}
			if (n > 64)
				continue;
			for (b = a + 1; b < n; b++)
			{
				cuts[1] = b;
				pol.ncuts = 2;
				transcript(in, n, o, max_fields, &pol, &t);
				tried++;
				if (!same_text(t.p, want, "two cuts", file, line))
				{
					h_note("input cut at %zu and %zu (early_start %d)", a, b, early);
					goto out;
				}
			}
		}
	}
out:
	tb_free(&t);
	windowings += tried;
	return tried;
}

/*
 * Fixed windows of every size W from 4 to n + 1, each with max_record = W,
 * agree with one window with max_record = W.
 */
static void
all_fixed_windows_agree(const char *in, size_t n, const cts_csv_options *o0, size_t max_fields,
						const char *file, int line)
{
	tbuf		one = {0},
				fixed = {0};
	drv_policy	pone,
				pfix;
	size_t		w;

	memset(&pone, 0, sizeof(pone));
	memset(&pfix, 0, sizeof(pfix));
	pone.kind = DRV_ONE;
	pfix.kind = DRV_FIXED;
	for (w = CSV_MIN_MAX_RECORD; w <= n + 1; w++)
	{
		cts_csv_options o = *o0;

		o.max_record = w;
		pfix.window = w;
		transcript(in, n, &o, max_fields, &pone, &one);
		transcript(in, n, &o, max_fields, &pfix, &fixed);
		windowings++;
		if (!same_text(fixed.p, one.p, "fixed windows", file, line))
		{
			h_note("window and max_record %zu", w);
			break;
		}
	}
	tb_free(&one);
	tb_free(&fixed);
}

/*
 * The one-window transcript of in[0..n) is exactly `want`, and every other
 * windowing agrees.
 */
static void
expect_csv(const char *in, size_t n, const cts_csv_options *o, size_t max_fields,
		   const char *want, const char *file, int line)
{
	tbuf		t = {0};
	drv_policy	pol;
	cts_csv_options def;

	if (o == NULL)
	{
		cts_csv_options_default(&def);
		o = &def;
	}
	memset(&pol, 0, sizeof(pol));
	pol.kind = DRV_ONE;
	transcript(in, n, o, max_fields, &pol, &t);
	if (same_text(t.p, want, "one window", file, line))
	{
		all_cuts_agree(in, n, o, max_fields, want, file, line);
		/* with the default 1 MB max_record; also with every smaller one */
		if (o->max_record >= n + 1)
			all_fixed_windows_agree(in, n, o, max_fields, file, line);
	}
	tb_free(&t);
}
#define EXPECT_CSV(in, o, maxf, want) expect_csv((in), LEN(in), (o), (maxf), (want), __FILE__, __LINE__)

/* ---- tokenizer: the rules -------------------------------------------------------- */

static void
test_basic_records(void)
{
	EXPECT_CSV("a,b,c\n1,2,3\n", NULL, 8,
			   "ok @0+6 L1/1: a|b|c\n"
			   "ok @6+6 L2/1: 1|2|3\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	/* a last record without a line end is a record */
	EXPECT_CSV("a,b\nc,d", NULL, 8,
			   "ok @0+4 L1/1: a|b\n"
			   "ok @4+3 L2/1: c|d\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	EXPECT_CSV("x", NULL, 8,
			   "ok @0+1 L1/1: x\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	/* empty file */
	EXPECT_CSV("", NULL, 8, "eof rec=0 blank=0 err=0 lines=0\n");
	/* spaces are data */
	EXPECT_CSV(" a , b \n", NULL, 8,
			   "ok @0+8 L1/1:  a | b \n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
}

static void
test_crlf(void)
{
	EXPECT_CSV("a,b\r\nc,d\r\n", NULL, 8,
			   "ok @0+5 L1/1: a|b\n"
			   "ok @5+5 L2/1: c|d\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	/* mixed LF and CRLF */
	EXPECT_CSV("a\r\nb\nc\r\n", NULL, 8,
			   "ok @0+3 L1/1: a\n"
			   "ok @3+2 L2/1: b\n"
			   "ok @5+3 L3/1: c\n"
			   "eof rec=3 blank=0 err=0 lines=3\n");
	/* a quoted field before CRLF */
	EXPECT_CSV("\"a\"\r\n\"b\"", NULL, 8,
			   "ok @0+5 L1/1: \"a\"\n"
			   "ok @5+3 L2/1: \"b\"\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
}

static void
test_bom(void)
{
	EXPECT_CSV("\xEF\xBB\xBFx,y\n", NULL, 8,
			   "ok @3+4 L1/1: x|y\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	EXPECT_CSV("\xEF\xBB\xBF", NULL, 8, "eof rec=0 blank=0 err=0 lines=0\n");
	/* a BOM prefix is data */
	EXPECT_CSV("\xEF\xBB", NULL, 8,
			   "ok @0+2 L1/1: \\xef\\xbb\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	EXPECT_CSV("\xEF\xBBx\n", NULL, 8,
			   "ok @0+4 L1/1: \\xef\\xbbx\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	/* only one BOM is skipped, and only at offset 0 */
	EXPECT_CSV("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n\xEF\xBB\xBF\n", NULL, 8,
			   "ok @3+5 L1/1: \\xef\\xbb\\xbfa\n"
			   "ok @8+4 L2/1: \\xef\\xbb\\xbf\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	/* BOM then a blank line, then a quoted header */
	{
		cts_csv_options o = opts_with(',', '"', 1, CSV_DEFAULT_MAX_RECORD);

		EXPECT_CSV("\xEF\xBB\xBF\r\n\"ts\",v\n1,2\n", &o, 8,
				   "ok @5+7 L2/1 H: \"ts\"|v\n"
				   "ok @12+4 L3/1: 1|2\n"
				   "eof rec=2 blank=1 err=0 lines=3\n");
	}
}

static void
test_blank_lines(void)
{
	EXPECT_CSV("\n\na\r\n\r\n\nb\n\n", NULL, 8,
			   "ok @2+3 L3/1: a\n"
			   "ok @8+2 L6/1: b\n"
			   "eof rec=2 blank=5 err=0 lines=7\n");
	/* a line of spaces is a record */
	EXPECT_CSV("a\n  \nb", NULL, 8,
			   "ok @0+2 L1/1: a\n"
			   "ok @2+3 L2/1:   \n"
			   "ok @5+1 L3/1: b\n"
			   "eof rec=3 blank=0 err=0 lines=3\n");
	EXPECT_CSV("\r\n", NULL, 8, "eof rec=0 blank=1 err=0 lines=1\n");
}

static void
test_quotes(void)
{
	/* delimiters, escaped quotes, newlines and an empty quoted field */
	EXPECT_CSV("\"a,b\",\"c\"\"d\",\"e\nf\",\"\"\n", NULL, 8,
			   "ok @0+22 L1/2: \"a,b\"|\"c\\\"d\"|\"e\\nf\"|\"\"\n"
			   "eof rec=1 blank=0 err=0 lines=2\n");
	/* a quoted field at the end of the file */
	EXPECT_CSV("x,\"y\"", NULL, 8,
			   "ok @0+5 L1/1: x|\"y\"\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	/* CR and CRLF inside quotes are data */
	EXPECT_CSV("\"a\rb\"\r\n\"a\r\nb\"\n", NULL, 8,
			   "ok @0+7 L1/1: \"a\\rb\"\n"
			   "ok @7+7 L2/2: \"a\\r\\nb\"\n"
			   "eof rec=2 blank=0 err=0 lines=3\n");
	/* only quotes */
	EXPECT_CSV("\"\"\"\"\n\"\"\"\"\"\"\n\"\"", NULL, 8,
			   "ok @0+5 L1/1: \"\\\"\"\n"
			   "ok @5+7 L2/1: \"\\\"\\\"\"\n"
			   "ok @12+2 L3/1: \"\"\n"
			   "eof rec=3 blank=0 err=0 lines=3\n");
	/* a record of several lines, then the next record's line number */
	EXPECT_CSV("1,\"a\n\nb\"\n2,c\n", NULL, 8,
			   "ok @0+9 L1/3: 1|\"a\\n\\nb\"\n"
			   "ok @9+4 L4/1: 2|c\n"
			   "eof rec=2 blank=0 err=0 lines=4\n");
	/* a quoted field that is all newlines, ending the file */
	EXPECT_CSV("\"\n\n\"", NULL, 8,
			   "ok @0+4 L1/3: \"\\n\\n\"\n"
			   "eof rec=1 blank=0 err=0 lines=3\n");
}

static void
test_empty_fields(void)
{
	EXPECT_CSV(",\na,,b\na,\n", NULL, 8,
			   "ok @0+2 L1/1: |\n"
			   "ok @2+5 L2/1: a||b\n"
			   "ok @7+3 L3/1: a|\n"
			   "eof rec=3 blank=0 err=0 lines=3\n");
	EXPECT_CSV("a,", NULL, 8,
			   "ok @0+2 L1/1: a|\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	EXPECT_CSV(",,\r\n", NULL, 8,
			   "ok @0+4 L1/1: ||\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	/* an empty unquoted field differs from an empty quoted one */
	EXPECT_CSV(",\"\"\n", NULL, 8,
			   "ok @0+4 L1/1: |\"\"\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
}

static void
test_header(void)
{
	cts_csv_options o = opts_with(',', '"', 1, CSV_DEFAULT_MAX_RECORD);

	EXPECT_CSV("\nh1,h2\n1,2\n", &o, 8,
			   "ok @1+6 L2/1 H: h1|h2\n"
			   "ok @7+4 L3/1: 1|2\n"
			   "eof rec=2 blank=1 err=0 lines=3\n");
	/* a malformed header is reported as the header */
	EXPECT_CSV("h\"1\n1\n", &o, 8,
			   "EQUOTE_IN_FIELD @0+4 L1/1 H err@1 L1 nf=0\n"
			   "ok @4+2 L2/1: 1\n"
			   "eof rec=1 blank=0 err=1 lines=2\n");
	/* header only */
	EXPECT_CSV("series,ts,value", &o, 8,
			   "ok @0+15 L1/1 H: series|ts|value\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
}

static void
test_options(void)
{
	cts_csv_options tab = opts_with('\t', '"', 0, CSV_DEFAULT_MAX_RECORD);
	cts_csv_options semi = opts_with(';', '\'', 0, CSV_DEFAULT_MAX_RECORD);
	cts_csv_options o;
	cts_csv_parser	p;

	EXPECT_CSV("a\tb;c\n\"x\ty\"\t,\n", &tab, 8,
			   "ok @0+6 L1/1: a|b;c\n"
			   "ok @6+8 L2/1: \"x\\ty\"|,\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	EXPECT_CSV("'x;y';'it''s'\na\"b;c\n", &semi, 8,
			   "ok @0+14 L1/1: \"x;y\"|\"it's\"\n"
			   "ok @14+6 L2/1: a\\\"b|c\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");

	/* options that cannot work */
	o = opts_with(',', ',', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with('\n', '"', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with('\r', '"', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with('\0', '"', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with(',', '\n', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with(',', '"', 0, CSV_MIN_MAX_RECORD - 1);
	CHECK(cts_csv_init(&p, &o) == CSV_ERR_BAD_ARGUMENT);
	o = opts_with(',', '"', 0, CSV_MIN_MAX_RECORD);
	CHECK(cts_csv_init(&p, &o) == CSV_OK);
	CHECK(cts_csv_init(NULL, NULL) == CSV_ERR_BAD_ARGUMENT);
	/* defaults */
	CHECK(cts_csv_init(&p, NULL) == CSV_OK);
	CHECK(p.opts.delimiter == ',' && p.opts.quote == '"' && !p.opts.header &&
		  p.opts.max_record == CSV_DEFAULT_MAX_RECORD && p.line == 1 && p.offset == 0);
	o = opts_with(',', '"', 0, 0);
	CHECK(cts_csv_init(&p, &o) == CSV_OK && p.opts.max_record == CSV_DEFAULT_MAX_RECORD);
}

/* ---- tokenizer: errors -------------------------------------------------------- */

static void
test_quote_in_field(void)
{
	EXPECT_CSV("ok,1\nab\"c,d\nnext,2\n", NULL, 8,
			   "ok @0+5 L1/1: ok|1\n"
			   "EQUOTE_IN_FIELD @5+7 L2/1 err@7 L2 nf=0\n"
			   "ok @12+7 L3/1: next|2\n"
			   "eof rec=2 blank=0 err=1 lines=3\n");
	/* a space before the quote makes the field unquoted */
	EXPECT_CSV("a, \"b\"\n", NULL, 8,
			   "EQUOTE_IN_FIELD @0+7 L1/1 err@3 L1 nf=1\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	/* the bad line is skipped to its LF even if that is "inside quotes" */
	EXPECT_CSV("x\"\",\"a\nb\"\nc\n", NULL, 8,
			   "EQUOTE_IN_FIELD @0+7 L1/1 err@1 L1 nf=0\n"
			   "EQUOTE_IN_FIELD @7+3 L2/1 err@8 L2 nf=0\n"
			   "ok @10+2 L3/1: c\n"
			   "eof rec=1 blank=0 err=2 lines=3\n");
	/* at the end of the file, no LF: skipped to the end */
	EXPECT_CSV("a\"", NULL, 8,
			   "EQUOTE_IN_FIELD @0+2 L1/1 err@1 L1 nf=0\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
}

static void
test_after_quote(void)
{
	EXPECT_CSV("\"a\"x,b\nc\n", NULL, 8,
			   "EAFTER_QUOTE @0+7 L1/1 err@3 L1 nf=1\n"
			   "ok @7+2 L2/1: c\n"
			   "eof rec=1 blank=0 err=1 lines=2\n");
	/* the offending byte on the record's second line */
	EXPECT_CSV("\"a\nb\"x\nc\n", NULL, 8,
			   "EAFTER_QUOTE @0+7 L1/2 err@5 L2 nf=1\n"
			   "ok @7+2 L3/1: c\n"
			   "eof rec=1 blank=0 err=1 lines=3\n");
	/* a space after the closing quote */
	EXPECT_CSV("1,\"a\" ,2", NULL, 8,
			   "EAFTER_QUOTE @0+8 L1/1 err@5 L1 nf=2\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
}

static void
test_lone_cr(void)
{
	EXPECT_CSV("a\rb,c\nd\n", NULL, 8,
			   "ELONE_CR @0+6 L1/1 err@1 L1 nf=1\n"
			   "ok @6+2 L2/1: d\n"
			   "eof rec=1 blank=0 err=1 lines=2\n");
	/* the file's last byte */
	EXPECT_CSV("a,b\r", NULL, 8,
			   "ELONE_CR @0+4 L1/1 err@3 L1 nf=2\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	/* a line that is a lone CR; old-Mac line ends */
	EXPECT_CSV("\rx\n", NULL, 8,
			   "ELONE_CR @0+3 L1/1 err@0 L1 nf=1\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	EXPECT_CSV("a\rb\rc", NULL, 8,
			   "ELONE_CR @0+5 L1/1 err@1 L1 nf=1\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	/* after a closing quote; CR CR LF */
	EXPECT_CSV("\"a\"\rb\n\r\r\n", NULL, 8,
			   "ELONE_CR @0+6 L1/1 err@3 L1 nf=1\n"
			   "ELONE_CR @6+3 L2/1 err@6 L2 nf=1\n"
			   "eof rec=0 blank=0 err=2 lines=2\n");
}

static void
test_too_many_fields(void)
{
	EXPECT_CSV("a,b,c,d\ne,f\n", NULL, 2,
			   "ETOO_MANY_FIELDS @0+8 L1/1 err@4 L1 nf=4\n"
			   "ok @8+4 L2/1: e|f\n"
			   "eof rec=1 blank=0 err=1 lines=2\n");
	/* the extra field on the record's second line; the whole record is skipped */
	EXPECT_CSV("\"x\ny\",z\n1\n", NULL, 1,
			   "ETOO_MANY_FIELDS @0+8 L1/2 err@6 L2 nf=2\n"
			   "ok @8+2 L3/1: 1\n"
			   "eof rec=1 blank=0 err=1 lines=3\n");
	/* exactly at the limit, and one past it */
	EXPECT_CSV("1,2,3\n1,2,3,\n", NULL, 3,
			   "ok @0+6 L1/1: 1|2|3\n"
			   "ETOO_MANY_FIELDS @6+7 L2/1 err@12 L2 nf=4\n"
			   "eof rec=1 blank=0 err=1 lines=2\n");
	/* no room at all */
	EXPECT_CSV("a\n", NULL, 0,
			   "ETOO_MANY_FIELDS @0+2 L1/1 err@0 L1 nf=1\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
}

static void
test_unterminated(void)
{
	EXPECT_CSV("a,b\nc,\"d\ne\n", NULL, 8,
			   "ok @0+4 L1/1: a|b\n"
			   "EUNTERMINATED @4+7 L2/2 err@6 L2 nf=1\n"
			   "eof rec=1 blank=0 err=1 lines=3\n");
	EXPECT_CSV("\"", NULL, 8,
			   "EUNTERMINATED @0+1 L1/1 err@0 L1 nf=0\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	/* an escaped quote at the very end does not close the field */
	EXPECT_CSV("\"ab\"\"", NULL, 8,
			   "EUNTERMINATED @0+5 L1/1 err@0 L1 nf=0\n"
			   "eof rec=0 blank=0 err=1 lines=1\n");
	/* the opening quote on the record's second line */
	EXPECT_CSV("\"a\nb\",\"c", NULL, 8,
			   "EUNTERMINATED @0+8 L1/2 err@6 L2 nf=1\n"
			   "eof rec=0 blank=0 err=1 lines=2\n");
}

static void
test_binary(void)
{
	EXPECT_CSV("a,b\nc\0d\n", NULL, 8,
			   "ok @0+4 L1/1: a|b\n"
			   "FBINARY @4 L2 err@5 L2\n");
	EXPECT_CSV("\0", NULL, 8, "FBINARY @0 L1 err@0 L1\n");
	/* inside quotes, after a closing quote, in a bad line's tail */
	EXPECT_CSV("\"a\n\0\"", NULL, 8, "FBINARY @0 L1 err@3 L2\n");
	EXPECT_CSV("\"a\"\0", NULL, 8, "FBINARY @0 L1 err@3 L1\n");
	EXPECT_CSV("a\"b\0\n", NULL, 8, "FBINARY @0 L1 err@3 L1\n");
	/* a gzip header */
	EXPECT_CSV("\x1f\x8b\x08\0\0\0\0\0\0\x03", NULL, 8, "FBINARY @0 L1 err@3 L1\n");
	/* what comes before the NUL still comes out */
	EXPECT_CSV("x\n\n\"y\"\n\0", NULL, 8,
			   "ok @0+2 L1/1: x\n"
			   "ok @3+4 L3/1: \"y\"\n"
			   "FBINARY @7 L4 err@7 L4\n");
}

static void
test_too_long(void)
{
	cts_csv_options o8 = opts_with(',', '"', 0, 8);
	cts_csv_options o4 = opts_with(',', '"', 0, 4);

	/* 8 bytes with the LF fit; 9 do not */
	EXPECT_CSV("1234567\n", &o8, 8,
			   "ok @0+8 L1/1: 1234567\n"
			   "eof rec=1 blank=0 err=0 lines=1\n");
	EXPECT_CSV("12345678\n", &o8, 8, "FRECORD_TOO_LONG @0 L1 err@0 L1\n");
	/* 8 bytes at the end of the file, no LF */
	EXPECT_CSV("a\n12345678", &o8, 8,
			   "ok @0+2 L1/1: a\n"
			   "ok @2+8 L2/1: 12345678\n"
			   "eof rec=2 blank=0 err=0 lines=2\n");
	/* an open quote at the limit is named */
	EXPECT_CSV("ab\n\"cdefghijk", &o8, 8,
			   "ok @0+3 L1/1: ab\n"
			   "FRECORD_TOO_LONG @3 L2 err@3 L2\n");
	EXPECT_CSV("x,\"a\nbcdefgh\"\n", &o8, 8, "FRECORD_TOO_LONG @0 L1 err@2 L1\n");
	/* CRLF counts */
	EXPECT_CSV("ab\r\nabc\r\n", &o4, 8,
			   "ok @0+4 L1/1: ab\n"
			   "FRECORD_TOO_LONG @4 L2 err@4 L2\n");
	/* a bad line longer than the limit is too long, not a quote error */
	EXPECT_CSV("a\"bcdefghij\nk\n", &o8, 8, "FRECORD_TOO_LONG @0 L1 err@0 L1\n");
	/* a lone CR at the limit's last byte: the byte after it is past the limit */
	EXPECT_CSV("abc\rx\n", &o4, 8, "FRECORD_TOO_LONG @0 L1 err@0 L1\n");
	/* blank lines do not count toward a record */
	EXPECT_CSV("\n\n\n\n\n\nabcdefg\n", &o8, 8,
			   "ok @6+8 L7/1: abcdefg\n"
			   "eof rec=1 blank=6 err=0 lines=7\n");
}

/* caller errors: bad windows, a small scratch, NULLs; fatal errors are sticky */
static void
test_caller_errors(void)
{
	cts_csv_parser	p;
	cts_csv_record	rec;
	cts_csv_field	f[4];
	char		scratch[64];
	const char *in = "\"a\"\"bc\",d\ne\n";
	size_t		n = strlen(in);

	memset(&rec, 0, sizeof(rec));
	rec.fields = f;
	rec.max_fields = 4;
	rec.scratch = scratch;
	rec.scratch_cap = 2;
	CHECK(cts_csv_init(&p, NULL) == CSV_OK);
	/* a window that starts after the resume offset, or ends before it */
	CHECK(cts_csv_next(&p, in + 1, n - 1, 1, 1, &rec) == CSV_ERR_BAD_WINDOW);
	CHECK(p.offset == 0 && p.fatal == CSV_OK);
	/* the scratch is too small for a"bc: nothing changes */
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_ERR_SCRATCH_TOO_SMALL);
	CHECK(p.offset == 0 && p.nrecords == 0);
	rec.scratch_cap = 4;
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_OK);
	CHECK(rec.nfields == 2 && f[0].len == 4 && memcmp(f[0].ptr, "a\"bc", 4) == 0 &&
		  f[0].ptr == scratch && f[0].quoted && f[1].len == 1 && f[1].ptr == in + 8);
	CHECK(cts_csv_next(&p, in, 9, 0, 0, &rec) == CSV_ERR_BAD_WINDOW);	/* ends before offset 10 */
	/* the window may start anywhere at or before the resume offset */
	CHECK(cts_csv_next(&p, in + 5, n - 5, 5, 1, &rec) == CSV_OK && rec.nfields == 1 &&
		  rec.offset == 10 && f[0].ptr == in + 10);
	CHECK(cts_csv_next(&p, in + n, 0, n, 1, &rec) == CSV_EOF);
	CHECK(cts_csv_next(&p, in + n, 0, n, 1, &rec) == CSV_EOF);

	/* NULLs */
	CHECK(cts_csv_init(&p, NULL) == CSV_OK);
	CHECK(cts_csv_next(NULL, in, n, 0, 1, &rec) == CSV_ERR_BAD_ARGUMENT);
	CHECK(cts_csv_next(&p, in, n, 0, 1, NULL) == CSV_ERR_BAD_ARGUMENT);
	CHECK(cts_csv_next(&p, NULL, n, 0, 1, &rec) == CSV_ERR_BAD_ARGUMENT);
	CHECK(cts_csv_next(&p, NULL, 0, 0, 1, &rec) == CSV_EOF);
	CHECK(cts_csv_init(&p, NULL) == CSV_OK);
	CHECK(cts_csv_next(&p, in, n, UINT64_MAX, 1, &rec) == CSV_ERR_BAD_ARGUMENT);
	rec.fields = NULL;
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_ERR_BAD_ARGUMENT);
	rec.fields = f;

	/* a fatal error is sticky, even with another window */
	{
		const char *bin = "ok\nx\0";

		CHECK(cts_csv_init(&p, NULL) == CSV_OK);
		CHECK(cts_csv_next(&p, bin, 5, 0, 1, &rec) == CSV_OK);
		CHECK(cts_csv_next(&p, bin, 5, 0, 1, &rec) == CSV_ERR_BINARY);
		CHECK(rec.offset == 3 && rec.line == 2 && rec.err_offset == 4 && rec.err_line == 2);
		CHECK(cts_csv_next(&p, "zz\n", 3, 3, 1, &rec) == CSV_ERR_BINARY && rec.err_offset == 4);
		CHECK(cts_csv_next(&p, NULL, 0, 99, 1, &rec) == CSV_ERR_BINARY);
	}
	/* NEED_MORE names the record to slide to, and changes nothing else */
	{
		const char *s = "a,b\ncd,";

		CHECK(cts_csv_init(&p, NULL) == CSV_OK);
		CHECK(cts_csv_next(&p, s, 7, 0, 0, &rec) == CSV_OK);
		CHECK(cts_csv_next(&p, s, 7, 0, 0, &rec) == CSV_NEED_MORE);
		CHECK(rec.offset == 4 && cts_csv_resume_offset(&p) == 4 && p.line == 2);
		CHECK(cts_csv_next(&p, "cd,e", 4, 4, 1, &rec) == CSV_OK && rec.nfields == 2);
	}
	/* a short first window with a BOM prefix */
	{
		CHECK(cts_csv_init(&p, NULL) == CSV_OK);
		CHECK(cts_csv_next(&p, "\xEF\xBB", 2, 0, 0, &rec) == CSV_NEED_MORE && rec.offset == 0);
		CHECK(cts_csv_next(&p, "\xEF\xBB\xBF" "a", 4, 0, 1, &rec) == CSV_OK && rec.offset == 3);
	}
}

static void
test_strerror(void)
{
	int			s;

	for (s = CSV_OK; s <= CSV_ERR_NUMBER_TOO_LONG; s++)
	{
		const char *m = cts_csv_strerror((cts_csv_status) s);
		int			t;

		CHECKF(m != NULL && strncmp(m, "Unknown", 7) != 0 && m[strlen(m) - 1] == '.',
			   "status %d has text \"%s\"", s, m ? m : "(null)");
		for (t = CSV_OK; t < s; t++)
			CHECKF(strcmp(m, cts_csv_strerror((cts_csv_status) t)) != 0, "statuses %d and %d share a text", t, s);
	}
	CHECK(strncmp(cts_csv_strerror((cts_csv_status) 999), "Unknown", 7) == 0);
	CHECK(cts_csv_status_is_record_error(CSV_ERR_QUOTE_IN_FIELD) &&
		  cts_csv_status_is_record_error(CSV_ERR_UNTERMINATED) &&
		  cts_csv_status_is_record_error(CSV_ERR_TOO_MANY_FIELDS) &&
		  !cts_csv_status_is_record_error(CSV_ERR_BINARY) &&
		  !cts_csv_status_is_record_error(CSV_ERR_RECORD_TOO_LONG) &&
		  !cts_csv_status_is_record_error(CSV_OK));
}

/* ---- tokenizer: sizes and random inputs --------------------------------------------- */

/* a 3 MB quoted field with escaped quotes and newlines, read through 4 MB windows */
static void
test_huge_field(void)
{
	size_t		content = 3 * 1024 * 1024;
	size_t		cap = content * 2 + 64;
	char	   *in = (char *) malloc(cap);
	char	   *want = (char *) malloc(content);
	size_t		n = 0,
				k,
				lfs;
	cts_csv_options o = opts_with(',', '"', 0, 4 * 1024 * 1024);
	tbuf		one = {0},
				fixed = {0};
	drv_policy	pone,
				pfix;
	cts_csv_parser	p;
	cts_csv_record	rec;
	cts_csv_field	f[3];
	char	   *scratch = (char *) malloc(o.max_record);

	memcpy(in, "id,\"", 4);
	n = 4;
	for (k = 0; k < content; k++)
	{
		char		c = (k % 1000 == 999) ? '"' : (k % 77 == 76) ? '\n' : (char) ('a' + k % 26);

		want[k] = c;
		in[n++] = c;
		if (c == '"')
			in[n++] = '"';
	}
	memcpy(in + n, "\",x\n", 4);
	n += 4;
	memcpy(in + n, "2,y,z\n", 6);
	n += 6;

	/* the field is exact */
	memset(&rec, 0, sizeof(rec));
	rec.fields = f;
	rec.max_fields = 3;
	rec.scratch = scratch;
	rec.scratch_cap = o.max_record;
	CHECK(cts_csv_init(&p, &o) == CSV_OK);
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_OK);
	for (k = 0, lfs = 0; k < content; k++)
		lfs += (want[k] == '\n');
	CHECK(rec.nfields == 3 && f[1].len == content && memcmp(f[1].ptr, want, content) == 0 &&
		  f[1].quoted && f[1].ptr == scratch && rec.nlines == lfs + 1);
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_OK && rec.line == lfs + 2);
	CHECK(cts_csv_next(&p, in, n, 0, 1, &rec) == CSV_EOF);

	/* windows of 4 MB, 3.5 MB (too small: an error) agree with one window */
	memset(&pone, 0, sizeof(pone));
	memset(&pfix, 0, sizeof(pfix));
	pone.kind = DRV_ONE;
	pfix.kind = DRV_FIXED;
	pfix.window = o.max_record;
	transcript(in, n, &o, 3, &pone, &one);
	transcript(in, n, &o, 3, &pfix, &fixed);
	CHECK_TEXT(fixed.p, one.p, "4 MB windows");
	CHECK(strstr(one.p, "eof rec=2 blank=0 err=0") != NULL);
	o.max_record = content + content / 999;	/* just below the record's length */
	pfix.window = o.max_record;
	transcript(in, n, &o, 3, &pone, &one);
	transcript(in, n, &o, 3, &pfix, &fixed);
	CHECK_TEXT(fixed.p, one.p, "windows below the record");
	CHECK(strncmp(one.p, "FRECORD_TOO_LONG @0 L1 err@3 L1", 31) == 0);

	tb_free(&one);
	tb_free(&fixed);
	free(in);
	free(want);
	free(scratch);
}

/* a random CSV-ish input: records of tricky fields, with some damage */
static size_t
random_csv(char *buf, size_t cap)
{
	static const char *pieces[] = {
		"a", "bc", "12.5", "", " ", ",", "\"", "\"\"", "\"x\"", "\"a,b\"", "\"q\"\"q\"", "\"l\nl\"",
		"\"c\r\nr\"", "\n", "\r\n", "\r", "\xEF\xBB\xBF", "NA", "2000-01-01 00:00:00+00", "\t", "x\"y"
	};
	size_t		n = 0;
	size_t		np = rng_below(40);
	size_t		k;

	for (k = 0; k < np; k++)
	{
		const char *s = pieces[rng_below(sizeof(pieces) / sizeof(pieces[0]))];
		size_t		l = strlen(s);

		if (rng_below(400) == 0)
		{
			s = "\0";
			l = 1;
		}
		if (n + l > cap)
			break;
		memcpy(buf + n, s, l);
		n += l;
	}
	return n;
}

static void
test_random_windowings(void)
{
	char		in[1024];
	size_t		iter;
	tbuf		one = {0},
				other = {0};
	drv_policy	pone,
				pol;
	size_t		cuts[8];

	memset(&pone, 0, sizeof(pone));
	pone.kind = DRV_ONE;
	for (iter = 0; iter < 3000; iter++)
	{
		size_t		n = random_csv(in, sizeof(in));
		size_t		maxf = rng_below(6);
		int			header = (int) rng_below(2);
		int			small = (int) rng_below(2);
		size_t		maxrec = small ? CSV_MIN_MAX_RECORD + rng_below(40) : CSV_DEFAULT_MAX_RECORD;
		cts_csv_options o = opts_with(',', '"', header, maxrec);
		size_t		k;

		transcript(in, n, &o, maxf, &pone, &one);
		/* random cut points */
		memset(&pol, 0, sizeof(pol));
		pol.kind = DRV_CUTS;
		pol.ncuts = rng_below(8);
		for (k = 0; k < pol.ncuts; k++)
			cuts[k] = 1 + rng_below(n ? n : 1);
		/* ascending */
		for (k = 1; k < pol.ncuts; k++)
		{
			size_t		j = k;

			while (j > 0 && cuts[j - 1] > cuts[j])
			{
				size_t		t = cuts[j];

				cuts[j] = cuts[j - 1];
				cuts[j - 1] = t;
				j--;
			}
		}
		pol.cuts = cuts;
		pol.early_start = (int) rng_below(2);
		transcript(in, n, &o, maxf, &pol, &other);
		if (!CHECK_TEXT(other.p, one.p, "random cuts"))
			break;
		/* the glue's fixed windows */
		if (o.max_record < CSV_DEFAULT_MAX_RECORD)
		{
			memset(&pol, 0, sizeof(pol));
			pol.kind = DRV_FIXED;
			pol.window = o.max_record;
			transcript(in, n, &o, maxf, &pol, &other);
			if (!CHECK_TEXT(other.p, one.p, "fixed windows"))
				break;
		}
	}
	tb_free(&one);
	tb_free(&other);
}

/* writing the good records back and reading them again gives the same fields */
static void
test_round_trip(void)
{
	char		in[1024];
	size_t		iter;
	drv_policy	pone;

	memset(&pone, 0, sizeof(pone));
	pone.kind = DRV_ONE;
	for (iter = 0; iter < 3000; iter++)
	{
		size_t		n = random_csv(in, sizeof(in));
		cts_csv_options o = opts_with(',', '"', 0, CSV_DEFAULT_MAX_RECORD);
		tbuf		t1 = {0},
					f1 = {0},
					re = {0},
					t2 = {0},
					f2 = {0};

		drv_run(in, n, &o, 8, &pone, &t1, &f1, &re);
		drv_run(re.p, re.len, &o, 8, &pone, &t2, &f2, NULL);
		if (!CHECK_TEXT(f2.p ? f2.p : "", f1.p ? f1.p : "", "round trip"))
			iter = 1 << 30;
		CHECK(strstr(t2.p, "err=0") != NULL || f1.len == 0);
		tb_free(&t1);
		tb_free(&f1);
		tb_free(&re);
		tb_free(&t2);
		tb_free(&f2);
	}
}

/* ---- numbers -------------------------------------------------------------------------- */

static uint64_t
bits_of(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

/* float8in's answers, from the server */
static void
test_float8_server_table(void)
{
	size_t		k;

	for (k = 0; k < sizeof(server_float8) / sizeof(server_float8[0]); k++)
	{
		const server_float8_row *r = &server_float8[k];
		double		d = 0;
		cts_csv_status	st = cts_csv_parse_double(r->in, strlen(r->in), &d);

		CHECKF(st == r->st, "\"%s\": got %s, server %s", r->in, drv_status_name(st), drv_status_name(r->st));
		if (st == CSV_OK && r->st == CSV_OK)
		{
			/* every NaN bit pattern is the same NaN to PostgreSQL */
			if (isnan(d))
				CHECKF((r->bits & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL &&
					   (r->bits & 0x000fffffffffffffULL) != 0, "\"%s\": NaN, server %016llx",
					   r->in, (unsigned long long) r->bits);
			else
				CHECKF(bits_of(d) == r->bits, "\"%s\": got %016llx, server %016llx", r->in,
					   (unsigned long long) bits_of(d), (unsigned long long) r->bits);
		}
	}
}

/* random decimal text: sign, digits, point, exponent */
static size_t
random_decimal(char *s)
{
	size_t		n = 0;
	size_t		ni = rng_below(18),
				nf = rng_below(3) ? rng_below(18) : 0;
	size_t		k;

	if (rng_below(3) == 0)
		s[n++] = rng_below(2) ? '-' : '+';	/* (sequenced: ?: evaluates its condition first) */
	if (rng_below(8) == 0)
		s[n++] = '0';			/* a leading zero */
	for (k = 0; k < ni; k++)
		s[n++] = (char) ('0' + rng_below(10));
	if (nf || rng_below(4) == 0)
	{
		s[n++] = '.';
		if (rng_below(4) == 0)
			for (k = rng_below(6); k > 0; k--)
				s[n++] = '0';	/* zeros after the point */
		for (k = 0; k < nf; k++)
			s[n++] = (char) ('0' + rng_below(10));
	}
	if (n == 0 || (n == 1 && (s[0] == '-' || s[0] == '+' || s[0] == '.')) ||
		(n == 2 && (s[0] == '-' || s[0] == '+') && s[1] == '.'))
		s[n++] = (char) ('0' + rng_below(10));
	if (rng_below(3) == 0)
	{
		int			e = (int) rng_below(60);

		s[n++] = rng_below(2) ? 'e' : 'E';
		if (rng_below(2))
			s[n++] = rng_below(2) ? '-' : '+';
		n += (size_t) sprintf(s + n, "%d", e);
	}
	s[n] = '\0';
	return n;
}

/*
 * The fast path equals strtod bit for bit: on random decimals of every
 * shape, and on w * 10^e with w and e drawn from the whole fast range.
 */
static void
test_fast_path_vs_strtod(void)
{
	char		s[128];
	long		fast = 0,
				total = 0,
				bad = 0;
	long		iter;

	for (iter = 0; iter < 4000000; iter++)
	{
		size_t		n;
		double		got,
					want;
		char	   *end;

		if (iter % 2 == 0)
			n = random_decimal(s);
		else
		{
			/* w in [0, 2^53], e in [-22, 22], written with the point inside the digits */
			uint64_t	w = rng() % ((UINT64_C(1) << 53) + 1);
			int			e = (int) rng_below(45) - 22;
			char		dig[32];
			int			nd = sprintf(dig, "%llu", (unsigned long long) w);
			int			shift = (int) rng_below((size_t) nd + 1);	/* digits after the point */
			const char *sign = rng_below(2) ? "-" : "";

			n = (size_t) sprintf(s, "%s%.*s.%se%d", sign, nd - shift, dig,
								 dig + nd - shift, e + shift);
		}
		total++;
		errno = 0;
		want = strtod(s, &end);
		if (*end != '\0')
			continue;			/* e.g. "-.e5": not a number for strtod either */
		if (cts_csv_double_fast(s, n, &got))
		{
			fast++;
			if (bits_of(got) != bits_of(want) && bad++ < 8)
				CHECKF(0, "fast path \"%s\": %.17g, strtod %.17g", s, got, want);
		}
		if (cts_csv_parse_double(s, n, &got) != CSV_OK || bits_of(got) != bits_of(want))
		{
			if (bad++ < 8)
				CHECKF(0, "cts_csv_parse_double \"%s\": %.17g, strtod %.17g", s, got, want);
		}
	}
	CHECK(bad == 0);
	h_note("fast path vs strtod: %ld decimals, %ld on the fast path, %ld mismatches", total, fast, bad);
	CHECK(fast > 2000000);
}

static void
test_fast_path_edges(void)
{
	static const struct
	{
		const char *in;
		int			fast;
	}			cases[] = {
		{"9007199254740992", 1},	/* 2^53 */
		{"9007199254740993", 0},	/* 2^53 + 1 */
		{"9007199254740992e22", 1},
		{"9007199254740992e-22", 1},
		{"1e23", 0},
		{"1e-23", 0},
		{"1234567890123456789", 0}, /* 19 digits, above 2^53 */
		{"1234567890123456", 1},	/* 16 digits, below 2^53 */
		{"0.0000000000000000000000001", 0},	/* 1e-25 */
		{"0000000000000000000000000000001", 1},	/* leading zeros do not count */
		{"-0", 1},
		{"-0.0e-999", 1},
		{"+0e0", 1},
		{".5", 1},
		{"5.", 1},
		{"1e", 0},
		{"1e+", 0},
		{"e1", 0},
		{".", 0},
		{"-", 0},
		{"+.", 0},
		{"0x10", 0},
		{"1_0", 0},
		{"1.5.", 0},
		{"inf", 0},
		{"1e99999999999999999999", 0},
		{"100000000000000000000", 0},	/* 21 digits */
		{"12345678901234567890e-10", 0},
	};
	size_t		k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		double		d = 0,
					want;
		int			f = cts_csv_double_fast(cases[k].in, strlen(cases[k].in), &d);

		CHECKF(f == cases[k].fast, "\"%s\": fast %d, expected %d", cases[k].in, f, cases[k].fast);
		if (f)
		{
			want = strtod(cases[k].in, NULL);
			CHECKF(bits_of(d) == bits_of(want), "\"%s\": %.17g vs strtod %.17g", cases[k].in, d, want);
		}
	}
	/* -0 keeps its sign */
	{
		double		d = 1;

		CHECK(cts_csv_parse_double("-0.000", 6, &d) == CSV_OK && bits_of(d) == 0x8000000000000000ULL);
	}
}

static void
test_number_errors(void)
{
	char		big[600];
	double		d = 0;
	int			saved;

	/* CSV_MAX_NUMBER_LEN digits, padded with spaces, parse; one more does not */
	memset(big, ' ', sizeof(big));
	memset(big + 10, '1', CSV_MAX_NUMBER_LEN);
	CHECK(cts_csv_parse_double(big, CSV_MAX_NUMBER_LEN + 20, &d) == CSV_OK && d > 1e255);
	memset(big + 10, '1', CSV_MAX_NUMBER_LEN + 1);
	CHECK(cts_csv_parse_double(big, CSV_MAX_NUMBER_LEN + 21, &d) == CSV_ERR_NUMBER_TOO_LONG);
	/* the text need not be NUL-terminated; an embedded NUL is not a number */
	CHECK(cts_csv_parse_double("12x", 2, &d) == CSV_OK && d == 12);
	CHECK(cts_csv_parse_double("1\0" "2", 3, &d) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_double("0x1\0", 4, &d) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_double("", 0, &d) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_double(NULL, 0, &d) == CSV_ERR_BAD_ARGUMENT);
	/* errno is the caller's */
	errno = 1234;
	saved = errno;
	CHECK(cts_csv_parse_double("1e-400", 6, &d) == CSV_ERR_RANGE && errno == saved);
	CHECK(cts_csv_parse_double("1e-310", 6, &d) == CSV_OK && d > 0 && errno == saved);
}

static void
test_missing(void)
{
	static const char *yes[] = {"", " ", "\t\n", "NA", "N/A", "n/a", "null", "NULL", "NaN", "nan",
	"NAN", "nAn", "-NaN", "+nan", " NA ", "\tnull\r"};
	static const char *no[] = {"na", "Na", "Null", "NONE", "None", "-", "?", "0", "nan(1)", "NaN0",
	"--nan", "n a", "N / A", "#N/A", "inf", "NA,", "\"NA\"", "nil", "NULLx"};
	size_t		k;
	double		d;

	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++)
		CHECKF(cts_csv_is_missing(yes[k], strlen(yes[k])), "\"%s\" should be missing", yes[k]);
	for (k = 0; k < sizeof(no) / sizeof(no[0]); k++)
		CHECKF(!cts_csv_is_missing(no[k], strlen(no[k])), "\"%s\" should not be missing", no[k]);

	CHECK(cts_csv_parse_value("NA", 2, &d) == CSV_MISSING);
	CHECK(cts_csv_parse_value("", 0, &d) == CSV_MISSING);
	CHECK(cts_csv_parse_value("nan(123)", 8, &d) == CSV_MISSING);	/* a NaN all the same */
	CHECK(cts_csv_parse_value(" 12.5 ", 6, &d) == CSV_OK && d == 12.5);
	CHECK(cts_csv_parse_value("-Infinity", 9, &d) == CSV_OK && isinf(d) && d < 0);
	CHECK(cts_csv_parse_value("na", 2, &d) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_value("1e999", 5, &d) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_value(NULL, 0, &d) == CSV_ERR_BAD_ARGUMENT);
}

static void
test_int64(void)
{
	int64_t		v = 0;

	CHECK(cts_csv_parse_int64("0", 1, &v) == CSV_OK && v == 0);
	CHECK(cts_csv_parse_int64(" -42 ", 5, &v) == CSV_OK && v == -42);
	CHECK(cts_csv_parse_int64("+7", 2, &v) == CSV_OK && v == 7);
	CHECK(cts_csv_parse_int64("9223372036854775807", 19, &v) == CSV_OK && v == INT64_MAX);
	CHECK(cts_csv_parse_int64("-9223372036854775808", 20, &v) == CSV_OK && v == INT64_MIN);
	CHECK(cts_csv_parse_int64("9223372036854775808", 19, &v) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_int64("-9223372036854775809", 20, &v) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_int64("99999999999999999999999", 23, &v) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_int64("000000000000000000000000001", 27, &v) == CSV_OK && v == 1);
	CHECK(cts_csv_parse_int64("", 0, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("-", 1, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("1.0", 3, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("1e3", 3, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("0x10", 4, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("1 2", 3, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("1_000", 5, &v) == CSV_ERR_SYNTAX);
	CHECK(cts_csv_parse_int64("123", 2, &v) == CSV_OK && v == 12);
}

/* to_timestamp's answers, from the server */
static void
test_epoch_server_table(void)
{
	size_t		k;
	int			differ = 0;

	for (k = 0; k < sizeof(server_epoch) / sizeof(server_epoch[0]); k++)
	{
		const server_epoch_row *r = &server_epoch[k];
		size_t		n = strlen(r->in);
		int64_t		us = 0,
					ms_int;
		cts_csv_status	st = cts_csv_parse_epoch(r->in, n, CSV_EPOCH_SECONDS, &us);

		CHECKF(st == r->st && (st != CSV_OK || us == r->us),
			   "seconds \"%s\": %s %lld, server %s %lld", r->in, drv_status_name(st), (long long) us,
			   drv_status_name(r->st), (long long) r->us);
		st = cts_csv_parse_epoch(r->in, n, CSV_EPOCH_MILLISECONDS, &us);
		if (cts_csv_parse_int64(r->in, n, &ms_int) == CSV_OK)
		{
			/* integer milliseconds are exact, not to_timestamp(x / 1000) */
			int64_t		exact;
			cts_csv_status	est = cts_csv_epoch_ms_to_usec(ms_int, &exact);

			CHECKF(st == est && (st != CSV_OK || us == exact), "ms \"%s\"", r->in);
			if (st == CSV_OK && r->st_ms == CSV_OK && exact != r->us_ms)
				differ++;
			if (st == CSV_OK)
				CHECKF(exact == ms_int * 1000 - INT64_C(946684800000000), "ms \"%s\" exact", r->in);
		}
		else
			CHECKF(st == r->st_ms && (st != CSV_OK || us == r->us_ms),
				   "ms \"%s\": %s %lld, server %s %lld", r->in, drv_status_name(st), (long long) us,
				   drv_status_name(r->st_ms), (long long) r->us_ms);
	}
	/*
	 * 9223371331200 and 9000000000001 ms: to_timestamp(x / 1000) gives
	 * ...200001 and ...000999 (x / 1000 is inexact); we give the exact value
	 */
	CHECKF(differ == 2, "%d integer inputs differ from to_timestamp(x / 1000)", differ);
}

/* to_timestamp on 600 random doubles, from the server */
static void
test_epoch_random_server(void)
{
	size_t		k;

	for (k = 0; k < sizeof(server_epoch_random) / sizeof(server_epoch_random[0]); k++)
	{
		const server_epoch_random_row *r = &server_epoch_random[k];
		int64_t		us = 0;
		cts_csv_status	st = cts_csv_parse_epoch(r->in, strlen(r->in), CSV_EPOCH_SECONDS, &us);

		CHECKF(st == r->st && (st != CSV_OK || us == r->us), "\"%s\": %s %lld, server %s %lld",
			   r->in, drv_status_name(st), (long long) us, drv_status_name(r->st), (long long) r->us);
	}
	CHECK(k == 600);
}

static void
test_epoch_limits(void)
{
	int64_t		us = 0;

	/* to_timestamp's range: [4714-11-24 BC, 294277-01-01) */
	CHECK(cts_csv_epoch_seconds_to_usec(-210866803200.0, &us) == CSV_OK && us == INT64_C(-211813488000000000));
	CHECK(cts_csv_epoch_seconds_to_usec(-210866803200.5, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_seconds_to_usec(9224318016000.0, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_seconds_to_usec(NAN, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_seconds_to_usec(INFINITY, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_seconds_to_usec(-INFINITY, &us) == CSV_ERR_RANGE);
	/* rint: half to even, on the product */
	CHECK(cts_csv_epoch_seconds_to_usec(946684800.0000005, &us) == CSV_OK);
	CHECK(cts_csv_epoch_ms_to_usec(0, &us) == CSV_OK && us == INT64_C(-946684800000000));
	CHECK(cts_csv_epoch_ms_to_usec(946684800000, &us) == CSV_OK && us == 0);
	CHECK(cts_csv_epoch_ms_to_usec(-210866803200000, &us) == CSV_OK && us == INT64_C(-211813488000000000));
	CHECK(cts_csv_epoch_ms_to_usec(-210866803200001, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_ms_to_usec(INT64_C(9224318015999999), &us) == CSV_OK && us == INT64_C(9223371331199999000));
	CHECK(cts_csv_epoch_ms_to_usec(INT64_C(9224318016000000), &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_ms_to_usec(INT64_MAX, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_ms_to_usec(INT64_MIN, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_epoch_ms_to_usec(INT64_MIN / 1000, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_epoch("1", 1, (cts_csv_epoch_unit) 7, &us) == CSV_ERR_BAD_ARGUMENT);
	CHECK(cts_csv_parse_epoch("99999999999999999999", 20, CSV_EPOCH_MILLISECONDS, &us) == CSV_ERR_RANGE);
	CHECK(cts_csv_parse_epoch("1.5", 3, CSV_EPOCH_MILLISECONDS, &us) == CSV_OK && us == INT64_C(-946684799998500));
	CHECK(cts_csv_parse_epoch("NA", 2, CSV_EPOCH_SECONDS, &us) == CSV_ERR_SYNTAX);
}

/* ---- times ---------------------------------------------------------------------------- */

/* the fields as a timestamptz read with TimeZone = UTC (zone-less fields as UTC) */
static int64_t
fields_as_utc(const cts_csv_time_fields *f)
{
	cts_csv_time_fields g = *f;
	int64_t		us = 0;

	if (g.zone == CSV_ZONE_NONE)
		g.zone = CSV_ZONE_UTC;
	if (cts_csv_fields_to_utc_usec(&g, &us) != CSV_OK)
		return INT64_MIN;
	return us;
}

/* the server's readings of tricky timestamps (server_table.h) */
static void
test_time_server_table(void)
{
	size_t		k;
	int			recognized = 0;

	for (k = 0; k < sizeof(server_time) / sizeof(server_time[0]); k++)
	{
		const server_time_row *r = &server_time[k];
		cts_csv_time_fields f;
		cts_csv_status	st = cts_csv_parse_iso_time(r->in, strlen(r->in), &f);

		CHECKF(st == (r->fast ? CSV_OK : CSV_NOT_RECOGNIZED), "\"%s\": %s, expected %s", r->in,
			   drv_status_name(st), r->fast ? "OK" : "NOT_RECOGNIZED");
		if (st != CSV_OK)
			continue;
		recognized++;
		if (f.bare_year)
		{
			/* PostgreSQL has no reading of a bare year: ours is the only one */
			CHECKF(!r->server_ok, "\"%s\": the server reads a bare year?", r->in);
			CHECK(f.month == 1 && f.day == 1 && f.hour == 0 && f.zone == CSV_ZONE_NONE && !f.has_time);
			continue;
		}
		/* never accept what PostgreSQL rejects, never read it differently */
		CHECKF(r->server_ok, "\"%s\": accepted, but the server rejects it", r->in);
		CHECKF(r->agree, "\"%s\": the server's reading depends on DateStyle", r->in);
		CHECKF(fields_as_utc(&f) == r->us, "\"%s\": %lld us, server %lld", r->in,
			   (long long) fields_as_utc(&f), (long long) r->us);
	}
	h_note("%d of %zu server-checked timestamps on the fast path", recognized,
		   sizeof(server_time) / sizeof(server_time[0]));
}

static void
test_time_fields(void)
{
	cts_csv_time_fields f;

#define TIME(s) cts_csv_parse_iso_time((s), strlen(s), &f)
	CHECK(TIME("2000-01-02T03:04:05.678+05:30") == CSV_OK);
	CHECK(f.year == 2000 && f.month == 1 && f.day == 2 && f.hour == 3 && f.minute == 4 &&
		  f.second == 5 && f.usec == 678000 && f.zone == CSV_ZONE_OFFSET && f.offset_sec == 19800 &&
		  !f.bare_year && f.has_time);
	CHECK(TIME("1999") == CSV_OK && f.year == 1999 && f.month == 1 && f.day == 1 && f.bare_year &&
		  !f.has_time && f.zone == CSV_ZONE_NONE);
	CHECK(TIME("2000/12/31") == CSV_OK && f.month == 12 && f.day == 31 && !f.has_time && !f.bare_year);
	CHECK(TIME("2000-01-01 00:00:00 Z") == CSV_OK && f.zone == CSV_ZONE_UTC && f.offset_sec == 0);
	CHECK(TIME("2000-01-01 00:00:00UTC") == CSV_OK && f.zone == CSV_ZONE_UTC);
	CHECK(TIME("2000-01-01 00:00:00-00") == CSV_OK && f.zone == CSV_ZONE_OFFSET && f.offset_sec == 0);
	CHECK(TIME("2000-01-01 00:00:00-01:30") == CSV_OK && f.offset_sec == -5400);
	CHECK(TIME("2000-01-01 00:00-0130") == CSV_OK && f.offset_sec == -5400 && f.second == 0);
	CHECK(TIME("2000-01-01 23:59:59.000001") == CSV_OK && f.usec == 1 && f.zone == CSV_ZONE_NONE);
	CHECK(TIME("2000-01-01 00:00:00.1") == CSV_OK && f.usec == 100000);
	/* the text need not end in NUL; a NUL inside is not recognized */
	CHECK(cts_csv_parse_iso_time("2000-01-01 00:00:00Zjunk", 20, &f) == CSV_OK && f.zone == CSV_ZONE_UTC);
	CHECK(cts_csv_parse_iso_time("2000\0", 5, &f) == CSV_NOT_RECOGNIZED);
	CHECK(cts_csv_parse_iso_time("2000-01-01\0", 11, &f) == CSV_NOT_RECOGNIZED);
	CHECK(cts_csv_parse_iso_time("", 0, &f) == CSV_NOT_RECOGNIZED);
	CHECK(cts_csv_parse_iso_time(NULL, 0, &f) == CSV_ERR_BAD_ARGUMENT);
#undef TIME
}

static void
test_days_from_civil(void)
{
	size_t		k;
	int64_t		y,
				expect;
	int			m,
				d;
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long		bad = 0;

	/* the server's date arithmetic */
	for (k = 0; k < sizeof(server_days) / sizeof(server_days[0]); k++)
		CHECKF(cts_csv_days_from_civil(server_days[k].y, server_days[k].m, server_days[k].d) == server_days[k].days,
			   "%04d-%02d-%02d: %lld, server %lld", server_days[k].y, server_days[k].m, server_days[k].d,
			   (long long) cts_csv_days_from_civil(server_days[k].y, server_days[k].m, server_days[k].d),
			   (long long) server_days[k].days);

	/* every day from 0001-01-01 to 9999-12-31 is the day before plus one */
	expect = cts_csv_days_from_civil(1, 1, 1);
	CHECK(expect == -730119);
	for (y = 1; y <= 9999; y++)
		for (m = 1; m <= 12; m++)
		{
			int			n = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));

			for (d = 1; d <= n; d++)
			{
				if (cts_csv_days_from_civil(y, m, d) != expect && bad++ < 4)
					CHECKF(0, "%04lld-%02d-%02d", (long long) y, m, d);
				expect++;
			}
		}
	CHECK(bad == 0);
	CHECK(cts_csv_days_from_civil(2000, 1, 1) == 0);
	CHECK(cts_csv_days_from_civil(1970, 1, 1) == -10957);
	CHECK(cts_csv_days_from_civil(0, 12, 31) == -730120);	/* 1 BC, proleptic */
	CHECK(cts_csv_days_from_civil(-4713, 11, 24) == -2451545);	/* Julian day 0 */
	CHECK(cts_csv_days_from_civil(294277, 1, 1) == 109203528 - 2451545);	/* TIMESTAMP_END_JULIAN */
}

static void
test_fields_to_utc(void)
{
	cts_csv_time_fields f;
	int64_t		us = 0;

	memset(&f, 0, sizeof(f));
	f.year = 2000;
	f.month = 1;
	f.day = 1;
	/* zone-less: the glue's business */
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	f.zone = CSV_ZONE_UTC;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_OK && us == 0);
	f.zone = CSV_ZONE_OFFSET;
	f.offset_sec = 3600;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_OK && us == -INT64_C(3600000000));
	/* the extremes */
	f.year = 9999;
	f.month = 12;
	f.day = 31;
	f.hour = 23;
	f.minute = 59;
	f.second = 59;
	f.usec = 999999;
	f.offset_sec = -(15 * 3600 + 59 * 60);
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_OK && us == INT64_C(252455673539999999));
	f.year = 1;
	f.month = 1;
	f.day = 1;
	f.hour = f.minute = f.second = f.usec = 0;
	f.offset_sec = 15 * 3600;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_OK && us == INT64_C(-63082335600000000));
	/* out-of-range fields */
	f.day = 0;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	f.day = 1;
	f.offset_sec = 16 * 3600;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	f.offset_sec = 0;
	f.year = 2001;
	f.month = 2;
	f.day = 29;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	f.day = 28;
	f.second = 60;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	f.second = 0;
	f.zone = CSV_ZONE_UTC;
	f.offset_sec = 60;
	CHECK(cts_csv_fields_to_utc_usec(&f, &us) == CSV_ERR_BAD_ARGUMENT);
	CHECK(cts_csv_fields_to_utc_usec(NULL, &us) == CSV_ERR_BAD_ARGUMENT);
}

/*
 * Every text the fast path recognizes, among many random near-misses,
 * has fields in range that convert; and recognition is the same for the
 * text with white space around it.
 */
static void
test_time_random(void)
{
	static const char alphabet[] = "0123456789-/: T.+Zz";
	char		s[40];
	long		iter,
				ok = 0;

	for (iter = 0; iter < 300000; iter++)
	{
		/* start from a valid shape and damage it a little */
		int			y = (int) rng_below(10001),
					mo = (int) rng_below(14),
					d = (int) rng_below(33),
					h = (int) rng_below(26),
					mi = (int) rng_below(62),
					se = (int) rng_below(62),
					us = (int) rng_below(1000000);
		const char *zone = rng_below(2) ? "+05:30" : "Z";
		size_t		n,
					k;
		cts_csv_time_fields f,
					g;
		char		padded[48];

		n = (size_t) sprintf(s, "%04d-%02d-%02d %02d:%02d:%02d.%06d%s", y, mo, d, h, mi, se, us, zone);
		n = rng_below(n + 1);
		for (k = rng_below(3); k > 0 && n > 0; k--)
		{
			size_t		at = rng_below(n);

			s[at] = alphabet[rng_below(sizeof(alphabet) - 1)];
		}
		if (cts_csv_parse_iso_time(s, n, &f) == CSV_OK)
		{
			ok++;
			CHECK(f.year >= 1 && f.year <= 9999 && f.month >= 1 && f.month <= 12 &&
				  f.day >= 1 && f.day <= 31 && f.hour >= 0 && f.hour <= 23 &&
				  f.minute >= 0 && f.minute <= 59 && f.second >= 0 && f.second <= 59 &&
				  f.usec >= 0 && f.usec <= 999999);
			CHECK(fields_as_utc(&f) != INT64_MIN);
		}
		padded[0] = ' ';
		memcpy(padded + 1, s, n);
		padded[n + 1] = '\t';
		CHECK((cts_csv_parse_iso_time(padded, n + 2, &g) == CSV_OK) == (cts_csv_parse_iso_time(s, n, &f) == CSV_OK));
	}
	CHECK(ok > 1000);
}

int
main(void)
{
	RUN(test_basic_records);
	RUN(test_crlf);
	RUN(test_bom);
	RUN(test_blank_lines);
	RUN(test_quotes);
	RUN(test_empty_fields);
	RUN(test_header);
	RUN(test_options);
	RUN(test_quote_in_field);
	RUN(test_after_quote);
	RUN(test_lone_cr);
	RUN(test_too_many_fields);
	RUN(test_unterminated);
	RUN(test_binary);
	RUN(test_too_long);
	h_note("%ld windowed reads of the inputs above agreed with one window", windowings);
	RUN(test_caller_errors);
	RUN(test_strerror);
	RUN(test_huge_field);
	RUN(test_random_windowings);
	RUN(test_round_trip);
	RUN(test_float8_server_table);
	RUN(test_fast_path_vs_strtod);
	RUN(test_fast_path_edges);
	RUN(test_number_errors);
	RUN(test_missing);
	RUN(test_int64);
	RUN(test_epoch_server_table);
	RUN(test_epoch_random_server);
	RUN(test_epoch_limits);
	RUN(test_time_server_table);
	RUN(test_time_fields);
	RUN(test_days_from_civil);
	RUN(test_fields_to_utc);
	RUN(test_time_random);
	return h_done("csv unit tests");
}
