/*-------------------------------------------------------------------------
 *
 * codec_bench.c
 *	  The codec alone, in C, without PostgreSQL: encode, decode and validate
 *	  throughput in points per second on one core, for each codec, on the
 *	  benchmark's generated set (bench_data.h: rounded and raw values).
 *
 *	  usage: codec_bench NSERIES NPOINTS REPS [SEED]
 *
 * Each series is encoded as one value (default block size), as
 * compact_ts_agg does.  Operations timed, each over every series, REPS
 * times, median reported:
 *	  encode        cts_encoded_size() + cts_encode() (the sizing pass and
 *	                the writing pass, what the glue runs per value)
 *	  decode        cts_decode(): whole value into a cts_point array
 *	  decode_blocks cts_read_header(), then per block cts_read_block_info()
 *	                + cts_decode_block() into ts[] and values[] (the way
 *	                unnest reads a value, one block at a time)
 *	  validate      cts_validate() (what recv runs on untrusted bytes)
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so "per core"
 * holds on a busy machine too.  Build with the codec's own flags:
 *	  cc -O2 -ffp-contract=off -Isrc/codec test/bench/codec_bench.c src/codec/[a-z]*.c -lm
 *
 * Output, one tab-separated line per (data, codec, operation):
 *	  data codec op points_per_second bytes_per_point max_error
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

static void
op_encode(series_buf *sb, const cts_encode_opts *opts)
{
	for (unsigned long s = 0; s < nseries; s++)
	{
		size_t		size;

		check(cts_encoded_size(sb[s].pts, npoints, opts, &size, NULL), "cts_encoded_size");
		if (size > sb[s].enc_cap)
		{
			free(sb[s].enc);
			sb[s].enc = xmalloc(size);
			sb[s].enc_cap = size;
		}
		check(cts_encode(sb[s].pts, npoints, opts, sb[s].enc, sb[s].enc_cap,
						 &sb[s].enc_len, NULL), "cts_encode");
	}
}

static void
op_decode(series_buf *sb, cts_point *out)
{
	double		acc = 0;

	for (unsigned long s = 0; s < nseries; s++)
	{
		check(cts_decode(sb[s].enc, sb[s].enc_len, out, npoints), "cts_decode");
		acc += out[npoints - 1].value;
	}
	sink += acc;
}

static void
op_decode_blocks(series_buf *sb, int64_t *ts, double *values)
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
			check(cts_decode_block(sb[s].enc, sb[s].enc_len, &h, &bi, ts, values),
				  "cts_decode_block");
			acc += values[bi.npoints - 1] + (double) ts[0];
		}
	}
	sink += acc;
}

static void
op_validate(series_buf *sb)
{
	for (unsigned long s = 0; s < nseries; s++)
		check(cts_validate(sb[s].enc, sb[s].enc_len), "cts_validate");
}

int
main(int argc, char **argv)
{
	uint64_t	seed = BD_DEFAULT_SEED;
	static const char *const datasets[] = {"rounded", "raw"};
	static const uint8_t codecs[] = {CTS_CODEC_QUANT16, CTS_CODEC_GORILLA};
	static const char *const ops[] = {"encode", "decode", "decode_blocks", "validate"};
	series_buf *sb;
	cts_point  *out;
	int64_t    *ts;
	double	   *values;
	double	   *times;

	if (argc < 4 || argc > 5)
	{
		fprintf(stderr, "usage: codec_bench NSERIES NPOINTS REPS [SEED]\n");
		return 2;
	}
	nseries = strtoul(argv[1], NULL, 10);
	npoints = strtoul(argv[2], NULL, 10);
	reps = atoi(argv[3]);
	if (argc == 5)
		seed = strtoull(argv[4], NULL, 10);
	if (nseries == 0 || npoints == 0 || reps <= 0)
	{
		fprintf(stderr, "codec_bench: NSERIES, NPOINTS and REPS must be positive\n");
		return 2;
	}

	sb = xmalloc(nseries * sizeof(series_buf));
	memset(sb, 0, nseries * sizeof(series_buf));
	for (unsigned long s = 0; s < nseries; s++)
		sb[s].pts = xmalloc(npoints * sizeof(cts_point));
	out = xmalloc(npoints * sizeof(cts_point));
	ts = xmalloc(CTS_MAX_BLOCK_POINTS * sizeof(int64_t));
	values = xmalloc(CTS_MAX_BLOCK_POINTS * sizeof(double));
	times = xmalloc(reps * sizeof(double));

	for (int d = 0; d < 2; d++)
	{
		/* the points of the data set, exactly as gen.c writes them */
		for (unsigned long s = 0; s < nseries; s++)
		{
			bd_walk		w;

			bd_walk_init(&w, seed, (uint32_t) s);
			for (unsigned long i = 0; i < npoints; i++)
			{
				double		v = bd_walk_next(&w, i);

				sb[s].pts[i].ts = BD_START_PG_USEC + (int64_t) i * BD_INTERVAL_SEC * 1000000;
				sb[s].pts[i].value = d == 0 ? (double) bd_hundredths(v) / 100.0 : v;
			}
		}

		for (int c = 0; c < 2; c++)
		{
			cts_encode_opts opts;
			size_t		total_bytes = 0;
			double		max_error = 0;

			memset(&opts, 0, sizeof(opts));
			opts.codec = codecs[c];

			for (int o = 0; o < 4; o++)
			{
				/* one untimed warm-up run (also encodes for the readers) */
				for (int r = -1; r < reps; r++)
				{
					double		t0 = now_sec();

					switch (o)
					{
						case 0:
							op_encode(sb, &opts);
							break;
						case 1:
							op_decode(sb, out);
							break;
						case 2:
							op_decode_blocks(sb, ts, values);
							break;
						case 3:
							op_validate(sb);
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
				printf("%s\t%s\t%s\t%.0f\t%.3f\t%.6g\n",
					   datasets[d], cts_codec_name(codecs[c]), ops[o],
					   (double) nseries * npoints / median(times, reps),
					   (double) total_bytes / ((double) nseries * npoints),
					   max_error);
				fflush(stdout);
			}
		}
	}
	return sink == 12345.678 ? 3 : 0;	/* keep the decoders' results alive */
}
