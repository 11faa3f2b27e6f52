/*-------------------------------------------------------------------------
 *
 * gen.c
 *	  The benchmark's seeded data generator: writes the generated set
 *	  (bench_data.h) as COPY text to stdout, one line per point:
 *
 *		series <TAB> ts <TAB> rounded value <TAB> raw value
 *
 *	  series is 1-based; ts is "YYYY-MM-DD HH:MM:SS+00"; the rounded value is
 *	  written as an exact decimal with 2 digits, the raw value with 17
 *	  significant digits (float8in reads both back to the generator's
 *	  doubles).  Lines come in (series, ts) order.
 *
 *	  usage: gen NSERIES NPOINTS [SEED]
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/bench/gen.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_data.h"

static void
usage(void)
{
	fprintf(stderr, "usage: gen NSERIES NPOINTS [SEED]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char	   *end;
	unsigned long nseries;
	unsigned long npoints;
	uint64_t	seed = BD_DEFAULT_SEED;
	static char outbuf[1 << 20];

	if (argc < 3 || argc > 4)
		usage();
	nseries = strtoul(argv[1], &end, 10);
	if (*end || nseries == 0 || nseries > 1000000)
		usage();
	npoints = strtoul(argv[2], &end, 10);
	if (*end || npoints == 0 || npoints > 100000000)
		usage();
	if (argc == 4)
	{
		seed = strtoull(argv[3], &end, 10);
		if (*end)
			usage();
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

	for (unsigned long s = 0; s < nseries; s++)
	{
		bd_walk		w;
		int64_t		cur_day = -1;
		char		datebuf[16];

		bd_walk_init(&w, seed, (uint32_t) s);
		for (unsigned long i = 0; i < npoints; i++)
		{
			double		v = bd_walk_next(&w, i);
			int64_t		h = bd_hundredths(v);
			int64_t		ah = h < 0 ? -h : h;
			int64_t		t = BD_START_UNIX + (int64_t) i * BD_INTERVAL_SEC;
			int64_t		day = t / 86400;
			int64_t		sod = t % 86400;
			char		tsbuf[32];

			/* the date part changes once a day: format it only then */
			if (day != cur_day)
			{
				time_t		tt = (time_t) (day * 86400);
				struct tm	tm;

				gmtime_r(&tt, &tm);
				strftime(datebuf, sizeof(datebuf), "%Y-%m-%d", &tm);
				cur_day = day;
			}
			snprintf(tsbuf, sizeof(tsbuf), "%s %02d:%02d:%02d+00", datebuf,
					 (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60));
			printf("%lu\t%s\t%s%" PRId64 ".%02" PRId64 "\t%.17g\n",
				   s + 1, tsbuf, h < 0 ? "-" : "", ah / 100, ah % 100, v);
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout))
	{
		perror("gen: write");
		return 1;
	}
	return 0;
}
