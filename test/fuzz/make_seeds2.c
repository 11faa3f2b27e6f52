/*-------------------------------------------------------------------------
 *
 * make_seeds2.c
 *	  Generate the seed corpora of the format 2 fuzz targets.
 *
 *	  usage: make_seeds2 <corpus-root>
 *
 * Writes <corpus-root>/fuzz_decode2/seed-*: format 2 values of many shapes
 * and codecs (empty, one point, constant, decimals, walks, quantized at
 * several widths and bounds, lossless with NaN and infinities, irregular
 * and calendar timestamps, small blocks so that a value has several
 * directory groups); and <corpus-root>/fuzz_encode2/seed-*: inputs in
 * fuzz_encode2's layout for every codec, timestamp mode and value mode.
 * Deterministic; every file is under 64 KB.
 *
 * Regenerate after a format change: compile with the codec sources (cc
 * -std=c99 -ffp-contract=off -Isrc/codec -Itest/codec -Itest/fuzz
 * test/fuzz/make_seeds2.c src/codec/[a-z]*.c -lm), delete the old seed-*
 * files of both directories, run with test/fuzz/corpus.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/make_seeds2.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"
#include "testutil2.h"

static const char *root;

static void
write_file(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
	char		path[1024];
	FILE	   *f;

	if (len >= 65536)
	{
		fprintf(stderr, "make_seeds2: %s/%s would be %zu bytes\n", dir, name, len);
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s/seed-%s", root, dir, name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(buf, 1, len, f) != len) || fclose(f) != 0)
	{
		fprintf(stderr, "make_seeds2: cannot write %s\n", path);
		exit(1);
	}
}

static void
value_seed(const char *name, const cts_point *p, size_t n, uint8_t codec,
		   uint8_t bits, double bound, uint32_t bp)
{
	cts_encode2_opts o;
	size_t		len,
				bad;
	cts_status	st;
	uint8_t    *buf;

	memset(&o, 0, sizeof(o));
	o.codec = codec;
	o.bits = bits;
	o.bound = bound;
	o.block_points = bp;
	buf = tu2_encode(p, n, &o, &len, &st, &bad);
	if (!buf)
	{
		fprintf(stderr, "make_seeds2: %s: %s\n", name, cts_strerror(st));
		exit(1);
	}
	write_file("fuzz_decode2", name, buf, len);
	free(buf);
}

int
main(int argc, char **argv)
{
	cts_point  *p = (cts_point *) malloc(20000 * sizeof(cts_point));
	size_t		i;
	double		v = 100;
	uint8_t		in[4096];
	int			c,
				tm,
				vm;

	if (argc != 2)
	{
		fprintf(stderr, "usage: make_seeds2 <corpus-root>\n");
		return 2;
	}
	root = argv[1];
	tu_seed(2);

	value_seed("empty", p, 0, CTS_CODEC2_QUANT, 16, 0, 0);
	p[0].ts = 0;
	p[0].value = 1.5;
	value_seed("one", p, 1, CTS_CODEC2_QUANT, 16, 0, 0);
	for (i = 0; i < 3000; i++)
	{
		p[i].ts = (int64_t) i * 10000000;
		p[i].value = 20.5;
	}
	value_seed("constant", p, 3000, CTS_CODEC2_QUANT, 16, 0, 0);
	for (i = 0; i < 3000; i++)
	{
		v += tu_randnorm() * 0.5;
		p[i].value = round(v * 100) / 100;
	}
	value_seed("decimal-walk", p, 3000, CTS_CODEC2_QUANT, 16, 0, 0);
	value_seed("decimal-walk-lossless", p, 3000, CTS_CODEC2_LOSSLESS, 0, 0, 0);
	value_seed("decimal-walk-blocks100", p, 3000, CTS_CODEC2_QUANT, 16, 0, 100);
	for (i = 0; i < 3000; i++)
	{
		v += tu_randnorm() * 0.5;
		p[i].value = v;
	}
	value_seed("walk-quant16", p, 3000, CTS_CODEC2_QUANT, 16, 0, 0);
	value_seed("walk-quant8", p, 3000, CTS_CODEC2_QUANT, 8, 0, 0);
	value_seed("walk-quant24", p, 3000, CTS_CODEC2_QUANT, 24, 0, 0);
	value_seed("walk-bound", p, 3000, CTS_CODEC2_BOUND, 0, 0.01, 0);
	value_seed("walk-lossless", p, 2000, CTS_CODEC2_LOSSLESS, 0, 0, 0);
	value_seed("walk-tiny-blocks", p, 3000, CTS_CODEC2_QUANT, 16, 0, 20);
	for (i = 0; i < 2000; i++)
	{
		p[i].ts = (int64_t) i * 1000 + (int64_t) tu_randn(900);
		p[i].value = i % 7 == 0 ? NAN : (i % 11 == 0 ? -INFINITY : (i % 13 == 0 ? -0.0 : v + (double) i));
	}
	for (i = 1; i < 2000; i++)
		if (p[i].ts < p[i - 1].ts)
			p[i].ts = p[i - 1].ts;
	value_seed("nonfinite-lossless", p, 2000, CTS_CODEC2_LOSSLESS, 0, 0, 0);
	{
		int64_t		t = 0;

		for (i = 0; i < 2000; i++)
		{
			t += (int64_t) (28 + tu_randn(4)) * INT64_C(86400000000);
			p[i].ts = t;
			p[i].value = (double) tu_randn(1000) / 10;
		}
	}
	value_seed("calendar", p, 2000, CTS_CODEC2_QUANT, 16, 0, 0);
	value_seed("calendar-exceptions", p, 2000, CTS_CODEC2_BOUND, 0, 1e-12, 0);
	p[0].ts = INT64_MIN;
	p[1].ts = 0;
	p[2].ts = INT64_MAX;
	value_seed("infinite-ts", p, 3, CTS_CODEC2_QUANT, 16, 0, 0);

	/* encoder inputs: every codec, timestamp mode and value mode */
	for (c = 0; c < 4; c++)
		for (tm = 0; tm < 4; tm++)
			for (vm = 0; vm < 8; vm++)
			{
				char		name[64];
				size_t		k;
				size_t		len = 3 + 300 + tu_randn(600);

				in[0] = (uint8_t) (c | ((c == 1 ? 12 : 15) << 2) | ((vm & 1) ? 0x80 : 0));
				in[1] = (uint8_t) tu_randn(256);
				in[2] = (uint8_t) (tm | (vm << 4));
				for (k = 3; k < len; k++)
					in[k] = (uint8_t) (vm == 3 ? tu_randn(7) + 125 : tu_rand64());
				snprintf(name, sizeof name, "c%d-t%d-v%d", c, tm, vm);
				write_file("fuzz_encode2", name, in, len);
			}
	free(p);
	return 0;
}
