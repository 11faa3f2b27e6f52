/*-------------------------------------------------------------------------
 *
 * csv_scan.c
 *	  Read a CSV file the way the glue will: through pread windows of a
 *	  fixed size, with the CSV library, and count what it holds.
 *
 *	  cts_csv_scan [-k window_kb] [-f long|wide] [-t] file
 *
 * Long format: field 2 is the time, field 3 the value (series,ts,value).
 * Wide format: field 1 is the time, every other field a value.  The first
 * record is the header.  With -t, only tokenize (no time or value parsing:
 * a benchmark of cts_csv_next alone).  Prints one line of counts:
 *
 *	records=N values=N missing=N late=N ts_fast=N ts_other=N bad_values=N
 *	errors=N bytes=N lines=N seconds=S mb_per_s=R
 *
 * late counts records whose time is earlier than one before it (what
 * gen_csv -v calls out of order); ts_other counts times the fast path did
 * not recognize.  Exit status 1 on a fatal CSV error or an I/O error.  A
 * test tool and a tokenizer benchmark; the glue is src/stream.c.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/csv/csv_scan.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"

#define MAX_FIELDS 4096

int
main(int argc, char **argv)
{
	size_t		window = 1024 * 1024;
	int			wide = 0;
	int			tokenize_only = 0;
	int			c;
	int			fd;
	struct stat sb;
	char	   *buf;
	uint64_t	base = 0;
	size_t		len = 0;
	cts_csv_parser	p;
	cts_csv_options o;
	cts_csv_record	rec;
	cts_csv_field  *fields;
	char	   *scratch;
	unsigned long long values = 0,
				missing = 0,
				late = 0,
				fast = 0,
				other = 0,
				bad = 0,
				errors = 0;
	int64_t		max_ts = INT64_MIN;
	struct timespec t0,
				t1;
	double		secs;

	while ((c = getopt(argc, argv, "k:f:t")) != -1)
	{
		if (c == 't')
			tokenize_only = 1;
		else if (c == 'k')
			window = (size_t) atol(optarg) * 1024;
		else if (c == 'f' && strcmp(optarg, "wide") == 0)
			wide = 1;
		else if (c == 'f' && strcmp(optarg, "long") == 0)
			wide = 0;
		else
		{
			fprintf(stderr, "usage: cts_csv_scan [-k window_kb] [-f long|wide] [-t] file\n");
			return 2;
		}
	}
	if (optind + 1 != argc || window < CSV_MIN_MAX_RECORD)
	{
		fprintf(stderr, "usage: cts_csv_scan [-k window_kb] [-f long|wide] [-t] file\n");
		return 2;
	}
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) != 0)
	{
		perror(argv[optind]);
		return 1;
	}
	buf = (char *) malloc(window);
	scratch = (char *) malloc(window);
	fields = (cts_csv_field *) malloc(MAX_FIELDS * sizeof(cts_csv_field));
	if (!buf || !scratch || !fields)
		return 1;

	cts_csv_options_default(&o);
	o.header = 1;
	o.max_record = window;
	if (cts_csv_init(&p, &o) != CSV_OK)
		return 1;
	memset(&rec, 0, sizeof(rec));
	rec.fields = fields;
	rec.max_fields = MAX_FIELDS;
	rec.scratch = scratch;
	rec.scratch_cap = window;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;)
	{
		cts_csv_status	st = cts_csv_next(&p, buf, len, base, base + len == (uint64_t) sb.st_size, &rec);
		size_t		k,
					tcol;

		if (st == CSV_NEED_MORE || (st == CSV_ERR_BAD_WINDOW && len == 0))
		{
			/* slide the window to the record and fill it */
			ssize_t		got;

			base = cts_csv_resume_offset(&p);
			len = 0;
			while (len < window && base + len < (uint64_t) sb.st_size)
			{
				got = pread(fd, buf + len, window - len, (off_t) (base + len));
				if (got <= 0)
				{
					perror("pread");
					return 1;
				}
				len += (size_t) got;
			}
			continue;
		}
		if (st == CSV_EOF)
			break;
		if (cts_csv_status_is_record_error(st))
		{
			errors++;
			continue;
		}
		if (st != CSV_OK)
		{
			fprintf(stderr, "cts_csv_scan: %s at line %llu (byte %llu): %s\n", argv[optind],
					(unsigned long long) rec.err_line, (unsigned long long) rec.err_offset,
					cts_csv_strerror(st));
			return 1;
		}
		if (rec.is_header || tokenize_only)
			continue;

		tcol = wide ? 0 : 1;
		if (rec.nfields <= tcol)
		{
			bad++;
			continue;
		}
		{
			cts_csv_time_fields tf;
			int64_t		us;

			if (cts_csv_parse_iso_time(fields[tcol].ptr, fields[tcol].len, &tf) == CSV_OK &&
				tf.zone != CSV_ZONE_NONE && cts_csv_fields_to_utc_usec(&tf, &us) == CSV_OK)
			{
				fast++;
				if (us < max_ts)
					late++;
				else
					max_ts = us;
			}
			else
				other++;
		}
		for (k = wide ? 1 : 2; k < rec.nfields && (wide || k == 2); k++)
		{
			double		v;
			cts_csv_status	vs = cts_csv_parse_value(fields[k].ptr, fields[k].len, &v);

			if (vs == CSV_OK)
				values++;
			else if (vs == CSV_MISSING)
				missing++;
			else
				bad++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("records=%llu values=%llu missing=%llu late=%llu ts_fast=%llu ts_other=%llu "
		   "bad_values=%llu errors=%llu bytes=%llu lines=%llu seconds=%.3f mb_per_s=%.0f\n",
		   (unsigned long long) p.nrecords - (o.header && p.nrecords > 0 ? 1 : 0),
		   values, missing, late, fast, other, bad, errors,
		   (unsigned long long) sb.st_size, (unsigned long long) p.nlines, secs,
		   secs > 0 ? (double) sb.st_size / 1048576.0 / secs : 0.0);
	free(buf);
	free(scratch);
	free(fields);
	close(fd);
	return 0;
}
