/*-------------------------------------------------------------------------
 *
 * fuzz_encode.c
 *	  libFuzzer target for the encoder: cts_encoded_size, cts_encode, with
 *	  and without explicit block specs, checked by a full round trip.
 *
 * Input layout (every byte string is a valid input; missing bytes are 0):
 *	  byte 0   bits 0-1  timestamp mode: 0 raw i64 (then sorted, stably),
 *	                     1 u8 delta us, 2 u16 delta ms, 3 regular 10 s
 *	           bits 2-4  value mode: 0 raw f64 bits, 1 i8, 2 i16 / 100,
 *	                     3 raw f32 bits, 4 one of a list of edge values,
 *	                     5 a base plus u8 ulps, 6/7 random walk of i8 steps
 *	           bits 5-6  codec: 0 default, 1 QUANT16, 2 GORILLA,
 *	                     3 explicit block specs (boundaries from the input)
 *	           bit 7     mode 0 only: keep the raw order (expect UNSORTED)
 *	  byte 1   block_points: 0 default, 1..200 as is, else 1024 * (b - 200)
 *	  then points until the input ends (at most 100,000).
 *
 * Checks: non-finite values are refused with CTS_ERR_NONFINITE and the index
 * of the first; unsorted input with CTS_ERR_UNSORTED and the index of the
 * first point earlier than its predecessor; otherwise the encoding succeeds
 * (unless a sum overflows, a case the specification leaves open), its size
 * is what cts_encoded_size said, it equals the reference encoding, and the
 * oracle passes with the original points: timestamps exact, every value
 * within block and header max_error, summaries exact, re-encoding with the
 * index's block specs gives the same bytes.
 *
 * CTS_FUZZ_DUMP=1 prints the points (and specs) each input becomes, to
 * turn a crasher into a unit test.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_encode.c
 *
 *-------------------------------------------------------------------------
 */
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_MAX_INPUT_POINTS 100000

typedef struct reader
{
	const uint8_t *p;
	size_t		left;
} reader;

static uint64_t
take(reader *r, int nbytes)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < nbytes; i++)
	{
		uint8_t		b = 0;

		if (r->left)
		{
			b = *r->p++;
			r->left--;
		}
		v |= (uint64_t) b << (8 * i);
	}
	return v;
}

typedef struct keyed
{
	cts_point	p;
	size_t		order;
} keyed;

static int
cmp_keyed(const void *a, const void *b)
{
	const keyed *x = (const keyed *) a,
			   *y = (const keyed *) b;

	if (x->p.ts != y->p.ts)
		return x->p.ts < y->p.ts ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static const double edge_values[] = {
	0.0, -0.0, 1.0, -1.0, 0.1, -0.1, 1e308, -1e308, DBL_MAX, -DBL_MAX,
	5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e300, 0.5, 2.0,
	1.0000000000000002, 0.9999999999999999, 9007199254740993.0, 42.0,
	NAN, INFINITY, -INFINITY
};

/*
 * Known issue, reported: values near +-DBL_MAX whose decoded values sum
 * past DBL_MAX give encodings the validator refuses (test_encode.c,
 * "decoded sum overflows").  Lax mode looks past it.
 */
static int
fz_known_overflow(const uint8_t *buf, size_t len, const cts_point *p, size_t n)
{
	double		big = 0;
	size_t		i;

	if (!tu_lax_sums || cts_validate(buf, len) != CTS_ERR_BAD_SUMMARY)
		return 0;
	for (i = 0; i < n; i++)
		big = fmax(big, fabs(p[i].value));
	return big >= DBL_MAX / 8;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader		r = {data, size};
	uint8_t		cfg = (uint8_t) take(&r, 1);
	uint8_t		bpb = (uint8_t) take(&r, 1);
	int			ts_mode = cfg & 3,
				val_mode = (cfg >> 2) & 7,
				codec_mode = (cfg >> 5) & 3,
				keep_order = (cfg >> 7) & 1;
	uint32_t	bp = bpb == 0 ? 0 : bpb <= 200 ? bpb : 1024u * (uint32_t) (bpb - 200);
	size_t		n = 0,
				cap = 64,
				i,
				first_bad = (size_t) -1,
				first_unsorted = (size_t) -1,
				len = 0,
				bad = 0;
	cts_point  *p = (cts_point *) malloc(cap * sizeof(cts_point));
	int64_t		t = INT64_C(631152000000000);
	double		walk = 0,
				base = 1.0 + (double) (cfg % 7);
	cts_encode_opts o;
	cts_block_spec *specs = NULL;
	cts_status	st;
	uint8_t    *buf,
			   *ref;
	size_t		rlen = 0;

	fz_init();
	if (bp > CTS_MAX_BLOCK_POINTS)
		bp = CTS_MAX_BLOCK_POINTS;

	while (r.left > 0 && n < FZ_MAX_INPUT_POINTS)
	{
		cts_point	q;

		switch (ts_mode)
		{
			case 0:
				q.ts = (int64_t) take(&r, 8);
				break;
			case 1:
				t += (int64_t) take(&r, 1);
				q.ts = t;
				break;
			case 2:
				t += (int64_t) take(&r, 2) * 1000;
				q.ts = t;
				break;
			default:
				q.ts = t + (int64_t) n * 10000000;
				break;
		}
		switch (val_mode)
		{
			case 0:
				q.value = tu_bits2d(take(&r, 8));
				break;
			case 1:
				q.value = (double) (int8_t) take(&r, 1);
				break;
			case 2:
				q.value = (double) (int16_t) take(&r, 2) / 100.0;
				break;
			case 3:
				{
					uint32_t	u = (uint32_t) take(&r, 4);
					float		f;

					memcpy(&f, &u, sizeof f);
					q.value = (double) f;
				}
				break;
			case 4:
				q.value = edge_values[take(&r, 1) % (sizeof edge_values / sizeof edge_values[0])];
				break;
			case 5:
				{
					int			k = (int) take(&r, 1) % 32;

					q.value = base;
					while (k-- > 0)
						q.value = nextafter(q.value, INFINITY);
				}
				break;
			default:
				walk += (double) (int8_t) take(&r, 1) * 0.25;
				q.value = walk;
				break;
		}
		if (n == cap)
		{
			cap *= 2;
			p = (cts_point *) realloc(p, cap * sizeof(cts_point));
		}
		p[n++] = q;
	}

	/* sort (stably) unless the raw order is to be kept */
	if (ts_mode == 0 && !keep_order && n > 1)
	{
		keyed	   *k = (keyed *) malloc(n * sizeof(keyed));

		for (i = 0; i < n; i++)
		{
			k[i].p = p[i];
			k[i].order = i;
		}
		qsort(k, n, sizeof(keyed), cmp_keyed);
		for (i = 0; i < n; i++)
			p[i] = k[i].p;
		free(k);
	}
	for (i = 0; i < n; i++)
	{
		if (!isfinite(p[i].value) && first_bad == (size_t) -1)
			first_bad = i;
		if (i > 0 && p[i].ts < p[i - 1].ts && first_unsorted == (size_t) -1)
			first_unsorted = i;
	}

	memset(&o, 0, sizeof o);
	o.block_points = bp;
	o.codec = codec_mode == 1 ? CTS_CODEC_QUANT16 : codec_mode == 2 ? CTS_CODEC_GORILLA : 0;

	/* refusals: non-finite values (sorted input), unsorted input (finite values) */
	if (first_bad != (size_t) -1 && first_unsorted == (size_t) -1)
	{
		buf = tu_encode(p, n, &o, &len, &st, &bad);
		FZ_CHECK(buf == NULL && st == CTS_ERR_NONFINITE && bad == first_bad,
				 "non-finite value at %zu: got %s, bad_index %zu", first_bad,
				 tu_status_name(st), bad);
		free(buf);
	}
	if (first_unsorted != (size_t) -1 && first_bad == (size_t) -1)
	{
		buf = tu_encode(p, n, &o, &len, &st, &bad);
		FZ_CHECK(buf == NULL && st == CTS_ERR_UNSORTED && bad == first_unsorted,
				 "unsorted at %zu: got %s, bad_index %zu", first_unsorted,
				 tu_status_name(st), bad);
		free(buf);
	}
	if (first_bad != (size_t) -1 || first_unsorted != (size_t) -1)
	{
		free(p);
		return 0;
	}

	/* explicit specs: boundaries from the input, codecs alternating, QUANT16
	 * values snapped onto their block's grid, summaries computed */
	if (codec_mode == 3 && n > 0)
	{
		size_t		nb = 0,
					start = 0;
		uint32_t	step = bp ? bp : 7;

		specs = (cts_block_spec *) calloc(n, sizeof(cts_block_spec));
		while (start < n)
		{
			size_t		cnt = 1 + (size_t) ((p[start].ts ^ (int64_t) nb) & 0x7fffffff) % step;
			double		mn,
						mx;
			double	   *v;

			if (cnt > n - start)
				cnt = n - start;
			if (cnt > CTS_MAX_BLOCK_POINTS)
				cnt = CTS_MAX_BLOCK_POINTS;
			v = (double *) malloc(cnt * sizeof(double));
			mn = mx = tu_norm(p[start].value);
			for (i = 0; i < cnt; i++)
			{
				double		x = tu_norm(p[start + i].value);

				if (x < mn)
					mn = x;
				if (x > mx)
					mx = x;
			}
			specs[nb].npoints = (uint32_t) cnt;
			specs[nb].codec = (nb % 2) ? CTS_CODEC_GORILLA : CTS_CODEC_QUANT16;
			for (i = 0; i < cnt; i++)
			{
				if (specs[nb].codec == CTS_CODEC_QUANT16 && mn < mx)
					p[start + i].value = cts_quant16_decode(mn, mx,
															cts_quant16_encode(mn, mx, tu_norm(p[start + i].value)));
				v[i] = tu_norm(p[start + i].value);
			}
			specs[nb].sum = cts_sum(v, cnt);
			specs[nb].max_error = 0;
			free(v);
			start += cnt;
			nb++;
		}
		o.blocks = specs;
		o.nblocks = nb;
	}

	if (getenv("CTS_FUZZ_DUMP"))
	{
		/* for reproducing a crasher by hand */
		fprintf(stderr, "n=%zu block_points=%u codec=%u specs=%zu\n", n, bp, o.codec, o.nblocks);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  {%" PRId64 ", %.17g},\n", p[i].ts, p[i].value);
		for (i = 0; i < o.nblocks; i++)
			fprintf(stderr, "  spec %zu: npoints %u codec %u sum %.17g max_error %.17g\n", i,
					specs[i].npoints, specs[i].codec, specs[i].sum, specs[i].max_error);
	}
	ref = tu_ref_encode(p, n, bp, o.codec, o.blocks, o.nblocks, &rlen);
	buf = tu_encode(p, n, &o, &len, &st, &bad);
	if (ref == NULL)
	{
		/* a sum overflows: what then is not specified; anything accepted
		 * must still be a consistent value (checked in lax mode only) */
		if (buf && tu_lax_sums && !fz_known_overflow(buf, len, p, n))
		{
			tu_expect	ex = {p, n, o.blocks ? 0 : (bp ? bp : CTS_DEFAULT_BLOCK_POINTS), 0, 0};

			tu_check_value("fuzz_encode (sum overflow)", buf, len, &ex);
		}
	}
	else
	{
		FZ_CHECK(buf != NULL, "encoding %zu valid points (codec mode %d, bp %u) gives %s, bad_index %zu",
				 n, codec_mode, bp, tu_status_name(st), bad);
		if (buf && fz_known_overflow(buf, len, p, n))
		{
			free(ref);
			free(buf);
			free(specs);
			free(p);
			return 0;
		}
		if (buf)
		{
			tu_expect	ex = {p, n, o.blocks ? 0 : (bp ? bp : CTS_DEFAULT_BLOCK_POINTS),
				o.blocks == NULL, o.blocks ? 0 : (o.codec ? o.codec : CTS_CODEC_DEFAULT)};

			FZ_CHECK(tu_lax_canonical || (len == rlen && memcmp(buf, ref, len) == 0),
					 "encoding differs from the reference encoding (%zu vs %zu bytes)", len, rlen);
			tu_check_value("fuzz_encode", buf, len, &ex);
			FZ_CHECK(tu_get_u32(buf + CTS_H_NPOINTS) == n, "npoints in %zu, out %u", n,
					 tu_get_u32(buf + CTS_H_NPOINTS));
		}
	}
	free(ref);
	free(buf);
	free(specs);
	free(p);
	return 0;
}
