/*-------------------------------------------------------------------------
 *
 * codec_bench.c
 *	  The codec alone, in C, without PostgreSQL: bytes per point, and
 *	  encode, decode and validate throughput in points per second on one
 *	  core, for each codec of both formats.
 *
 *	  usage: codec_bench NSERIES NPOINTS REPS [HOURLY_CSV [SEED]]
 *
 * Data sets (each series is one value, default block size):
 *	  walk2   issue 9's walk: start U(10, 1000), steps N(0, 0.5), 10 s,
 *	          rounded to 2 decimals (bench_data.h)
 *	  walk    the same walk unrounded
 *	  hourly  the three series of seattle-weather-hourly-normals.csv, when
 *	          its path is given (1 decimal, hourly)
 *	  rounded the 1.0 benchmark's walk (uniform steps), 2 decimals, kept so
 *	          the SQL benchmark's generated set has its codec row
 * Codecs: format 1's quant16 and gorilla (cts_encode), format 2's quant16
 * (the default), quant12, max_error=0.01 and lossless (cts_encode2).
 * Operations, each over every series, REPS times, median reported:
 *	  encode    the whole value (format 1: sizing pass + writing pass)
 *	  decode    block by block into separate ts[] and values[] arrays, as
 *	            the glue reads a stored value (format 2: trusted decoding:
 *	            checksums and bounds checked, not the canonical form)
 *	  validate  the full check recv and text input run on untrusted bytes
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so "per core"
 * holds on a busy machine too.  Build with the codec's own flags:
 *	  cc -O2 -ffp-contract=off -Isrc/codec test/bench/codec_bench.c src/codec/[a-z]*.c -lm
 *
 * Output, one tab-separated line per (data, codec, operation):
 *	  data codec op points_per_second bytes_per_point max_error
 * (bytes per point count the 4-byte varlena header of each value.)
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/bench/codec_bench.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "bench_data.h"

typedef struct series_buf
{
	cts_point  *pts;
	uint8_t    *enc;
	size_t		enc_cap;
	size_t		enc_len;
} series_buf;

static unsigned long nseries;
static unsigned long npoints;
static int	reps;
static volatile double sink;

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "codec_bench: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static void
check(cts_status st, const char *what)
{
	if (st != CTS_OK)
	{
		fprintf(stderr, "codec_bench: %s: %s\n", what, cts_strerror(st));
		exit(1);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct codec_def
{
	const char *name;
	int			format;
	uint8_t		codec;			/* format 1: CTS_CODEC_*; format 2: CTS_CODEC2_* */
	uint8_t		bits;
	double		bound;
} codec_def;

static void *scratch;
static size_t scratch_len;

static void
op_encode(series_buf *sb, const codec_def *c)
{
	for (unsigned long s = 0; s < nseries; s++)
	{
		size_t		size;

		if (c->format == 1)
		{
			cts_encode_opts opts;

			memset(&opts, 0, sizeof(opts));
			opts.codec = c->codec;
			check(cts_encoded_size(sb[s].pts, npoints, &opts, &size, NULL), "cts_encoded_size");
			if (size > sb[s].enc_cap)
			{
				free(sb[s].enc);
				sb[s].enc = xmalloc(size);
				sb[s].enc_cap = size;
			}
			check(cts_encode(sb[s].pts, npoints, &opts, sb[s].enc, sb[s].enc_cap,
							 &sb[s].enc_len, NULL), "cts_encode");
		}
		else
		{
			cts_encode2_opts o;

			memset(&o, 0, sizeof(o));
			o.codec = c->codec;
			o.bits = c->bits;
			o.bound = c->bound;
			/* CODEC_BENCH_BLOCK: another block size (a study, not a codec) */
			if (getenv("CODEC_BENCH_BLOCK"))
				o.block_points = (uint32_t) strtoul(getenv("CODEC_BENCH_BLOCK"), NULL, 10);
			size = cts_encode2_bound(npoints, &o);
			if (size > sb[s].enc_cap)
			{
				free(sb[s].enc);
				sb[s].enc = xmalloc(size);
				sb[s].enc_cap = size;
			}
			if (cts_encode2_scratch_size(&o) > scratch_len)
			{
				free(scratch);
				scratch_len = cts_encode2_scratch_size(&o);
				scratch = xmalloc(scratch_len);
			}
			check(cts_encode2(sb[s].pts, npoints, &o, scratch, scratch_len,
							  sb[s].enc, sb[s].enc_cap, &sb[s].enc_len, NULL), "cts_encode2");
		}
	}
}

static void
op_decode(series_buf *sb, int64_t *ts, double *values)
{
	double		acc = 0;

	for (unsigned long s = 0; s < nseries; s++)
	{
		cts_header	h;

		check(cts_read_header(sb[s].enc, sb[s].enc_len, &h), "cts_read_header");
		for (uint32_t b = 0; b < h.nblocks; b++)
		{
			cts_block_info bi;

			check(cts_read_block_info(sb[s].enc, sb[s].enc_len, &h, b, &bi),
				  "cts_read_block_info");
			check(cts_decode_block_trusted(sb[s].enc, sb[s].enc_len, &h, &bi, ts, values),
				  "cts_decode_block_trusted");
			acc += values[bi.npoints - 1] + (double) ts[0];
		}
	}
	sink += acc;
}

static void
op_validate(series_buf *sb, int64_t *ts, double *values)
{
	for (unsigned long s = 0; s < nseries; s++)
		check(cts_validate_ws(sb[s].enc, sb[s].enc_len, ts, values, CTS_MAX_BLOCK_POINTS),
			  "cts_validate_ws");
}

/* the hourly normals: column col (1..3) of the CSV, hourly from its first time */
static unsigned long
load_hourly(const char *path, int col, cts_point *out, unsigned long cap)
{
	FILE	   *f = fopen(path, "r");
	char		line[256];
	unsigned long n = 0;

	if (!f)
	{
		fprintf(stderr, "codec_bench: cannot open %s\n", path);
		exit(1);
	}
	if (!fgets(line, sizeof line, f))
		exit(1);
	while (n < cap && fgets(line, sizeof line, f))
	{
		int			y,
					mo,
					d,
					hh,
					mi,
					ss;
		double		v[3];

		if (sscanf(line, "%d-%d-%dT%d:%d:%d,%lf,%lf,%lf", &y, &mo, &d, &hh, &mi, &ss,
				   &v[0], &v[1], &v[2]) != 9)
			continue;
		/* the file is hourly and ordered: time from the row number */
		out[n].ts = INT64_C(315532800000000) + (int64_t) (n + 1) * INT64_C(3600000000);
		out[n].value = v[col - 1];
		n++;
	}
	fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	uint64_t	seed = BD_DEFAULT_SEED;
	static const char *const datasets[] = {"walk2", "walk", "hourly", "rounded"};
	static const codec_def codecs[] = {
		{"f1-quant16", 1, CTS_CODEC_QUANT16, 0, 0},
		{"f1-gorilla", 1, CTS_CODEC_GORILLA, 0, 0},
		{"quant16", 2, CTS_CODEC2_QUANT, 16, 0},
		{"quant12", 2, CTS_CODEC2_QUANT, 12, 0},
		{"max_error=0.01", 2, CTS_CODEC2_BOUND, 0, 0.01},
		{"lossless", 2, CTS_CODEC2_LOSSLESS, 0, 0},
	};
	static const char *const ops[] = {"encode", "decode", "validate"};
	const char *hourly = NULL;
	unsigned long want_series,
				want_points;
	series_buf *sb;
	int64_t    *ts;
	double	   *values;
	double	   *times;

	if (argc < 4 || argc > 6)
	{
		fprintf(stderr, "usage: codec_bench NSERIES NPOINTS REPS [HOURLY_CSV [SEED]]\n");
		return 2;
	}
	want_series = strtoul(argv[1], NULL, 10);
	want_points = strtoul(argv[2], NULL, 10);
	reps = atoi(argv[3]);
	if (argc >= 5 && argv[4][0])
		hourly = argv[4];
	if (argc == 6)
		seed = strtoull(argv[5], NULL, 10);
	if (want_series == 0 || want_points == 0 || reps <= 0)
	{
		fprintf(stderr, "codec_bench: NSERIES, NPOINTS and REPS must be positive\n");
		return 2;
	}

	sb = xmalloc(want_series * sizeof(series_buf));
	memset(sb, 0, want_series * sizeof(series_buf));
	for (unsigned long s = 0; s < want_series; s++)
		sb[s].pts = xmalloc((want_points > 9000 ? want_points : 9000) * sizeof(cts_point));
	ts = xmalloc(CTS_MAX_BLOCK_POINTS * sizeof(int64_t));
	values = xmalloc(CTS_MAX_BLOCK_POINTS * sizeof(double));
	times = xmalloc(reps * sizeof(double));

	for (int d = 0; d < 4; d++)
	{
		nseries = want_series;
		npoints = want_points;
		if (d == 2)
		{
			if (hourly == NULL)
				continue;
			nseries = want_series < 3 ? want_series : 3;
			for (unsigned long s = 0; s < nseries; s++)
				npoints = load_hourly(hourly, (int) s + 1, sb[s].pts, 9000);
		}
		else
			for (unsigned long s = 0; s < nseries; s++)
			{
				bd_gwalk	g;
				bd_walk		w;

				bd_gwalk_init(&g, seed, (uint32_t) s);
				bd_walk_init(&w, seed, (uint32_t) s);
				for (unsigned long i = 0; i < npoints; i++)
				{
					double		v = d == 3 ? bd_walk_next(&w, i) : bd_gwalk_next(&g, i);

					sb[s].pts[i].ts = BD_START_PG_USEC + (int64_t) i * BD_INTERVAL_SEC * 1000000;
					sb[s].pts[i].value = d == 1 ? v : (double) bd_hundredths(v) / 100.0;
				}
			}

		for (size_t c = 0; c < sizeof(codecs) / sizeof(codecs[0]); c++)
		{
			size_t		total_bytes = 0;
			double		max_error = 0;

			for (int o = 0; o < 3; o++)
			{
				/* one untimed warm-up run (also encodes for the readers) */
				for (int r = -1; r < reps; r++)
				{
					double		t0 = now_sec();

					switch (o)
					{
						case 0:
							op_encode(sb, &codecs[c]);
							break;
						case 1:
							op_decode(sb, ts, values);
							break;
						case 2:
							if (codecs[c].format == 1)
								for (unsigned long s = 0; s < nseries; s++)
									check(cts_validate(sb[s].enc, sb[s].enc_len), "cts_validate");
							else
								op_validate(sb, ts, values);
							break;
					}
					if (r >= 0)
						times[r] = now_sec() - t0;
				}
				if (o == 0)
				{
					for (unsigned long s = 0; s < nseries; s++)
					{
						cts_header	h;

						check(cts_read_header(sb[s].enc, sb[s].enc_len, &h), "cts_read_header");
						total_bytes += sb[s].enc_len + 4;	/* + varlena header */
						if (h.max_error > max_error)
							max_error = h.max_error;
					}
				}
				printf("%s\t%s\t%s\t%.0f\t%.4f\t%.6g\n",
					   datasets[d], codecs[c].name, ops[o],
					   (double) nseries * npoints / median(times, reps),
					   (double) total_bytes / ((double) nseries * npoints),
					   max_error);
				fflush(stdout);
			}
		}
	}
	return sink == 12345.678 ? 3 : 0;	/* keep the decoders' results alive */
}
