/*-------------------------------------------------------------------------
 *
 * fuzz_csv.c
 *	  libFuzzer target for the CSV library: the tokenizer read through
 *	  fuzzer-chosen windows, and the value parsers on every field.
 *
 * Input layout:
 *	byte 0	bits 0-1: delimiter (',' ';' '\t' '|'); bit 2: quote is '\''
 *			instead of '"'; bit 3: header; bits 4-7: max_fields (15 = 64)
 *	byte 1	bit 7 set: max_record = 4 + (bits 0-6), else the CSV's length
 *			plus 4 (so nothing is too long)
 *	byte 2	bits 0-3: number of cut points; bit 7: windows start at the
 *			last cut before the resume offset; bits 4-6: extra bytes of the
 *			fixed window beyond max_record
 *	then 2 bytes (little-endian, taken modulo the CSV's length) per cut,
 *	then the CSV.
 *
 * Oracle (any failure prints "ORACLE FAILURE" and aborts):
 *	- no contract violation in any read (csv_driver.h's checks);
 *	- the transcript (records, errors with their positions, counters) is
 *	  the same from one window holding everything, from windows cut at the
 *	  fuzzer's points, and from the glue's fixed windows of max_record
 *	  bytes (or a little more);
 *	- writing the good records back as CSV and reading that gives the same
 *	  fields;
 *	- on every slice of the CSV between delimiters and line ends, the value
 *	  parsers agree with themselves: cts_csv_parse_double equals the strtod path
 *	  bit for bit (so the fast path is right), cts_csv_parse_value agrees with
 *	  cts_csv_is_missing and cts_csv_parse_double, integers convert exactly, and a
 *	  recognized timestamp has fields in range that convert.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/csv/fuzz_csv.c
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "csv.h"
#include "csv_internal.h"
#include "csv_driver.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
oracle_failure(const char *what, const tbuf *a, const tbuf *b)
{
	fprintf(stderr, "ORACLE FAILURE: %s\n", what);
	if (a && a->p)
		fprintf(stderr, "--- first:\n%s\n", a->p);
	if (b && b->p)
		fprintf(stderr, "--- second:\n%s\n", b->p);
	abort();
}

static int
same_bits(double a, double b)
{
	if (isnan(a) && isnan(b))
		return 1;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* the value parsers on one slice */
static void
check_values(const char *s, size_t n)
{
	double		d = 0,
				d2 = 0,
				v = 0;
	cts_csv_status	st,
				st2;
	int64_t		i64 = 0,
				us = 0;
	size_t		tn = n;
	const char *t = cts_csv_trim(s, &tn);
	cts_csv_time_fields f;

	st = cts_csv_parse_double(s, n, &d);
	if (tn > 0 && tn <= CSV_MAX_NUMBER_LEN)
	{
		st2 = cts_csv_double_strtod(t, tn, &d2);
		if (st != st2 || (st == CSV_OK && !same_bits(d, d2)))
			oracle_failure("cts_csv_parse_double disagrees with the strtod path", NULL, NULL);
	}
	else if (st != (tn == 0 ? CSV_ERR_SYNTAX : CSV_ERR_NUMBER_TOO_LONG))
		oracle_failure("cts_csv_parse_double: wrong status for an empty or long text", NULL, NULL);

	st2 = cts_csv_parse_value(s, n, &v);
	if (cts_csv_is_missing(s, n))
	{
		if (st2 != CSV_MISSING)
			oracle_failure("a missing marker is not CSV_MISSING", NULL, NULL);
	}
	else if (st == CSV_OK && isnan(d))
	{
		if (st2 != CSV_MISSING)
			oracle_failure("a NaN is not CSV_MISSING", NULL, NULL);
	}
	else if (st2 != st || (st == CSV_OK && !same_bits(v, d)))
		oracle_failure("cts_csv_parse_value disagrees with cts_csv_parse_double", NULL, NULL);

	if (cts_csv_parse_int64(s, n, &i64) == CSV_OK)
	{
		/* an integer is a number too, and the same one when exact in a double */
		if (st != CSV_OK && st != CSV_ERR_NUMBER_TOO_LONG)
			oracle_failure("an integer is not a double", NULL, NULL);
		if (st == CSV_OK && i64 > -(INT64_C(1) << 53) && i64 < (INT64_C(1) << 53) &&
			d != (double) i64)
			oracle_failure("an integer reads as another double", NULL, NULL);
	}
	/* epochs: no crash, and the status follows from the number's */
	st2 = cts_csv_parse_epoch(s, n, CSV_EPOCH_SECONDS, &us);
	if (st != CSV_OK ? st2 != st : (st2 != CSV_OK && st2 != CSV_ERR_RANGE))
		oracle_failure("cts_csv_parse_epoch's status does not follow cts_csv_parse_double's", NULL, NULL);
	(void) cts_csv_parse_epoch(s, n, CSV_EPOCH_MILLISECONDS, &us);

	if (cts_csv_parse_iso_time(s, n, &f) == CSV_OK)
	{
		cts_csv_time_fields g = f;

		if (f.year < 1 || f.year > 9999 || f.month < 1 || f.month > 12 || f.day < 1 ||
			f.day > 31 || f.hour < 0 || f.hour > 23 || f.minute < 0 || f.minute > 59 ||
			f.second < 0 || f.second > 59 || f.usec < 0 || f.usec > 999999 ||
			(f.bare_year && (f.has_time || f.zone != CSV_ZONE_NONE)))
			oracle_failure("a recognized timestamp has fields out of range", NULL, NULL);
		if (g.zone == CSV_ZONE_NONE)
			g.zone = CSV_ZONE_UTC;
		if (cts_csv_fields_to_utc_usec(&g, &us) != CSV_OK)
			oracle_failure("a recognized timestamp does not convert", NULL, NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = {',', ';', '\t', '|'};
	cts_csv_options o;
	size_t		max_fields;
	size_t		cuts[16];
	size_t		ncuts,
				k,
				pos;
	const char *in;
	size_t		n;
	drv_policy	pone,
				pcut,
				pfix;
	tbuf		t_one = {0},
				t_cut = {0},
				t_fix = {0},
				f_one = {0},
				reser = {0},
				t_re = {0},
				f_re = {0};

	if (size < 3)
		return 0;
	cts_csv_options_default(&o);
	o.delimiter = delims[data[0] & 3];
	o.quote = (data[0] & 4) ? '\'' : '"';
	o.header = (data[0] >> 3) & 1;
	max_fields = (data[0] >> 4) == 15 ? 64 : (size_t) (data[0] >> 4);
	ncuts = data[2] & 15;
	pos = 3;
	if (size < pos + 2 * ncuts)
		return 0;
	in = (const char *) data + pos + 2 * ncuts;
	n = size - pos - 2 * ncuts;
	o.max_record = (data[1] & 0x80) ? (size_t) 4 + (data[1] & 0x7f) : n + 4;
	for (k = 0; k < ncuts; k++)
	{
		size_t		c = (size_t) data[pos + 2 * k] | ((size_t) data[pos + 2 * k + 1] << 8);

		cuts[k] = n ? c % n : 0;
	}
	/* ascending, no zeros (a cut at 0 or n is no cut) */
	for (k = 1; k < ncuts; k++)
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

	memset(&pone, 0, sizeof(pone));
	memset(&pcut, 0, sizeof(pcut));
	memset(&pfix, 0, sizeof(pfix));
	pone.kind = DRV_ONE;
	pcut.kind = DRV_CUTS;
	pcut.cuts = cuts;
	pcut.ncuts = ncuts;
	pcut.early_start = (data[2] >> 7) & 1;
	pfix.kind = DRV_FIXED;
	pfix.window = o.max_record + ((data[2] >> 4) & 7);

	if (!drv_run(in, n, &o, max_fields, &pone, &t_one, &f_one, &reser))
		oracle_failure("contract violation (one window)", &t_one, NULL);
	if (!drv_run(in, n, &o, max_fields, &pcut, &t_cut, NULL, NULL))
		oracle_failure("contract violation (cut windows)", &t_cut, NULL);
	if (strcmp(t_one.p, t_cut.p) != 0)
		oracle_failure("cut windows give another transcript than one window", &t_one, &t_cut);
	if (!drv_run(in, n, &o, max_fields, &pfix, &t_fix, NULL, NULL))
		oracle_failure("contract violation (fixed windows)", &t_fix, NULL);
	if (strcmp(t_one.p, t_fix.p) != 0)
		oracle_failure("fixed windows give another transcript than one window", &t_one, &t_fix);

	/* round trip: a record written back may gain the LF it lacked at EOF */
	o.max_record++;
	if (!drv_run(reser.p, reser.len, &o, max_fields, &pone, &t_re, &f_re, NULL))
		oracle_failure("contract violation (written back)", &t_re, NULL);
	if (strcmp(f_one.p ? f_one.p : "", f_re.p ? f_re.p : "") != 0 || strstr(t_re.p, "\nE") ||
		strncmp(t_re.p, "E", 1) == 0 || strstr(t_re.p, "\nF") || strncmp(t_re.p, "F", 1) == 0)
		oracle_failure("records written back read differently", &f_one, &t_re);

	/* the value parsers on every slice between delimiters and line ends */
	{
		size_t		start = 0;

		for (k = 0; k <= n; k++)
			if (k == n || in[k] == o.delimiter || in[k] == '\n')
			{
				check_values(in + start, k - start);
				start = k + 1;
			}
	}

	tb_free(&t_one);
	tb_free(&t_cut);
	tb_free(&t_fix);
	tb_free(&f_one);
	tb_free(&reser);
	tb_free(&t_re);
	tb_free(&f_re);
	return 0;
}
