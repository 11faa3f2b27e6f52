/*-------------------------------------------------------------------------
 *
 * make_seeds.c
 *	  Generate the seed corpora of the fuzz targets.
 *
 *	  usage: make_seeds <corpus-root>
 *
 * Writes <corpus-root>/fuzz_decode/seed-*: valid values of many shapes
 * (empty, one point, regular, constant, several blocks, +-infinity
 * timestamps, duplicates, few-ulp ranges, GORILLA and mixed codecs, a
 * 65536-point constant block) and truncated or corrupted copies of some;
 * and <corpus-root>/fuzz_encode/seed-*: inputs in fuzz_encode's layout
 * covering every timestamp mode, value mode and codec mode.  Output is
 * deterministic; every file is small (< 64 KB, all together < 1 MB).
 * Crashers found by libFuzzer go into the same directories as crash-*.
 *
 * Regenerate (after a format change): compile this file with the codec
 * sources (cc -std=c99 -ffp-contract=off -Isrc/codec -Itest/codec
 * -Itest/fuzz test/fuzz/make_seeds.c, every src/codec .c file, -lm), delete
 * the old seed-* files of both corpus directories, and run the program with
 * test/fuzz/corpus as its argument.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/make_seeds.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"

static const char *root;
static long total_bytes;
static int	nfiles;

static void
write_file(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
	char		path[1024];
	FILE	   *f;

	if (len >= 65536)
	{
		fprintf(stderr, "make_seeds: %s/%s would be %zu bytes, over 64 KB\n", dir, name, len);
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s/seed-%s", root, dir, name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(buf, 1, len, f) != len) || fclose(f) != 0)
	{
		fprintf(stderr, "make_seeds: cannot write %s\n", path);
		exit(1);
	}
	total_bytes += (long) len;
	nfiles++;
}

/* encode and write a decode seed, plus corrupted copies if asked */
static void
decode_seed(const char *name, const cts_point *p, size_t n, const cts_encode_opts *o,
			int corrupt)
{
	size_t		len,
				bad;
	cts_status	st;
	uint8_t    *buf = tu_encode(p, n, o, &len, &st, &bad);
	char		nm[128];
	uint8_t    *c;

	if (!buf)
	{
		fprintf(stderr, "make_seeds: encoding %s failed: %s\n", name, tu_status_name(st));
		exit(1);
	}
	write_file("fuzz_decode", name, buf, len);
	if (corrupt && len > 130)
	{
		uint32_t	nb = tu_get_u32(buf + CTS_H_NBLOCKS);
		size_t		data = 64 + 64 * (size_t) nb;

		c = (uint8_t *) malloc(len + 1);
		snprintf(nm, sizeof nm, "%s-cut63", name);
		write_file("fuzz_decode", nm, buf, 63);
		snprintf(nm, sizeof nm, "%s-cut1", name);
		write_file("fuzz_decode", nm, buf, len - 1);
		memcpy(c, buf, len);
		c[0] = 2;
		snprintf(nm, sizeof nm, "%s-version2", name);
		write_file("fuzz_decode", nm, c, len);
		memcpy(c, buf, len);
		c[len] = 0;
		snprintf(nm, sizeof nm, "%s-trailing", name);
		write_file("fuzz_decode", nm, c, len + 1);
		memcpy(c, buf, len);
		c[data + 1] ^= 0x01;
		snprintf(nm, sizeof nm, "%s-payload0", name);
		write_file("fuzz_decode", nm, c, len);
		memcpy(c, buf, len);
		c[len - 1] ^= 0x80;
		snprintf(nm, sizeof nm, "%s-lastbyte", name);
		write_file("fuzz_decode", nm, c, len);
		memcpy(c, buf, len);
		tu_put_u32(c + 64 + CTS_B_NPOINTS, tu_get_u32(c + 64 + CTS_B_NPOINTS) + 1);
		snprintf(nm, sizeof nm, "%s-npoints", name);
		write_file("fuzz_decode", nm, c, len);
		free(c);
	}
	free(buf);
}

static cts_encode_opts
opts(uint32_t bp, uint8_t codec)
{
	cts_encode_opts o;

	memset(&o, 0, sizeof o);
	o.block_points = bp;
	o.codec = codec;
	return o;
}

static void
decode_seeds(void)
{
	const int64_t t0 = INT64_C(631152000000000);
	cts_point  *p = (cts_point *) malloc(65536 * sizeof(cts_point));
	cts_encode_opts o;
	size_t		i;

	o = opts(0, 0);
	decode_seed("empty", p, 0, &o, 0);
	p[0].ts = t0;
	p[0].value = 1.5;
	decode_seed("one", p, 1, &o, 0);
	p[1].ts = t0 + 10000000;
	p[1].value = -2.5;
	decode_seed("two", p, 2, &o, 0);

	for (i = 0; i < 100; i++)
	{
		p[i].ts = t0 + (int64_t) i * 10000000;
		p[i].value = 100 * sin((double) i * 0.1);
	}
	decode_seed("sine100", p, 100, &o, 1);
	o = opts(8, 0);
	decode_seed("sine20-bp8", p, 20, &o, 1);
	o = opts(16, CTS_CODEC_GORILLA);
	decode_seed("sine40-gorilla-bp16", p, 40, &o, 1);

	o = opts(0, 0);
	for (i = 0; i < 50; i++)
		p[i].value = 7.25;
	decode_seed("constant50", p, 50, &o, 0);
	o = opts(0, CTS_CODEC_GORILLA);
	decode_seed("constant50-gorilla", p, 50, &o, 0);

	p[0].ts = INT64_MIN;
	p[0].value = 1e308;
	p[1].ts = 0;
	p[1].value = -1e308;
	p[2].ts = INT64_MAX;
	p[2].value = 0.0;
	o = opts(0, 0);
	decode_seed("infinities", p, 3, &o, 0);
	o = opts(2, 0);
	decode_seed("infinities-bp2", p, 3, &o, 0);

	for (i = 0; i < 10; i++)
	{
		p[i].ts = t0;
		p[i].value = (double) (i % 4);
	}
	o = opts(4, 0);
	decode_seed("duplicates-bp4", p, 10, &o, 0);

	{
		double		v = 1.0;

		for (i = 0; i < 12; i++)
		{
			p[i].ts = t0 + (int64_t) i;
			p[i].value = v;
			if (i % 2)
				v = nextafter(v, 2.0);
		}
	}
	decode_seed("tiny-range-bp4", p, 12, &o, 0);

	p[0].value = 1.0;
	p[1].value = 1.0;
	p[2].value = 2.0;
	p[3].value = 1.0;
	for (i = 0; i < 4; i++)
		p[i].ts = t0 + (int64_t) i * 10000000;
	o = opts(0, CTS_CODEC_GORILLA);
	decode_seed("gorilla-1121", p, 4, &o, 0);

	/* mixed codecs by explicit specs */
	{
		cts_block_spec s[2];
		double		a[3],
					b[3];

		for (i = 0; i < 6; i++)
		{
			p[i].ts = t0 + (int64_t) i * 1000;
			p[i].value = 0.1 * (double) (i + 1);
		}
		p[3].value = 0.4;
		p[5].value = 0.6;
		p[4].value = cts_quant16_decode(0.4, 0.6, cts_quant16_encode(0.4, 0.6, 0.5));
		for (i = 0; i < 3; i++)
		{
			a[i] = p[i].value;
			b[i] = p[3 + i].value;
		}
		memset(s, 0, sizeof s);
		s[0].npoints = 3;
		s[0].codec = CTS_CODEC_GORILLA;
		s[0].sum = cts_sum(a, 3);
		s[1].npoints = 3;
		s[1].codec = CTS_CODEC_QUANT16;
		s[1].sum = cts_sum(b, 3);
		o = opts(0, 0);
		o.blocks = s;
		o.nblocks = 2;
		decode_seed("mixed-codecs", p, 6, &o, 1);
	}

	tu_seed(11);
	tu_gen_series(p, 1000, 0, 0);
	o = opts(0, 0);
	decode_seed("walk1000", p, 1000, &o, 1);
	tu_gen_series(p, 200, 4, 9);
	o = opts(50, 0);
	decode_seed("jumps200-bp50", p, 200, &o, 1);
	tu_gen_series(p, 300, 2, 9);
	o = opts(100, CTS_CODEC_GORILLA);
	decode_seed("irregular300-gorilla", p, 300, &o, 1);
	tu_gen_series(p, 300, 3, 8);
	o = opts(64, 0);
	decode_seed("runs300-bp64", p, 300, &o, 1);
	tu_gen_series(p, 100, 5, 7);
	o = opts(0, 0);
	decode_seed("denormals100", p, 100, &o, 0);

	for (i = 0; i < 65536; i++)
	{
		p[i].ts = t0 + (int64_t) i;
		p[i].value = -3.0;
	}
	o = opts(CTS_MAX_BLOCK_POINTS, 0);
	decode_seed("constant65536", p, 65536, &o, 0);
	free(p);
}

static void
encode_seeds(void)
{
	int			tsm,
				vm,
				cm;

	tu_seed(12);
	for (cm = 0; cm < 4; cm++)
		for (tsm = 0; tsm < 4; tsm++)
			for (vm = 0; vm < 8; vm++)
			{
				uint8_t		buf[2 + 160];
				size_t		len = 2 + 16 + tu_randn(145),
							i;
				char		name[64];

				buf[0] = (uint8_t) (tsm | (vm << 2) | (cm << 5));
				buf[1] = (uint8_t) tu_randn(3) == 0 ? 0 : (uint8_t) (1 + tu_randn(12));
				for (i = 2; i < len; i++)
					buf[i] = (uint8_t) tu_rand64();
				/* raw doubles: make most of them ordinary numbers */
				if (vm == 0)
				{
					for (i = 2; i + 8 <= len; i += (tsm == 0 ? 16 : tsm == 1 ? 9 : tsm == 2 ? 10 : 8))
					{
						size_t		at = i + (tsm == 0 ? 8 : tsm == 1 ? 1 : tsm == 2 ? 2 : 0);

						if (at + 8 <= len)
							tu_put_f64(buf + at, tu_randnorm() * 1000);
					}
				}
				snprintf(name, sizeof name, "c%d-t%d-v%d", cm, tsm, vm);
				write_file("fuzz_encode", name, buf, len);
			}
	/* the raw order kept: unsorted timestamps */
	{
		uint8_t		buf[2 + 48];
		size_t		i;

		buf[0] = 0x80;
		buf[1] = 0;
		for (i = 2; i < sizeof buf; i++)
			buf[i] = (uint8_t) tu_rand64();
		write_file("fuzz_encode", "unsorted", buf, sizeof buf);
	}
	/* edge values, one of each, regular timestamps */
	{
		uint8_t		buf[2 + 24];
		size_t		i;

		buf[0] = (uint8_t) (3 | (4 << 2));
		buf[1] = 0;
		for (i = 2; i < sizeof buf; i++)
			buf[i] = (uint8_t) (i - 2);
		write_file("fuzz_encode", "edge-values", buf, sizeof buf);
		buf[0] = (uint8_t) (3 | (4 << 2) | (2 << 5));
		write_file("fuzz_encode", "edge-values-gorilla", buf, sizeof buf);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2)
	{
		fprintf(stderr, "usage: %s <corpus-root>\n", argv[0]);
		return 2;
	}
	root = argv[1];
	decode_seeds();
	encode_seeds();
	printf("%d seed files, %ld bytes\n", nfiles, total_bytes);
	if (total_bytes >= 1024 * 1024)
	{
		fprintf(stderr, "make_seeds: seeds total %ld bytes, over 1 MB\n", total_bytes);
		return 1;
	}
	return 0;
}
