/*-------------------------------------------------------------------------
 *
 * test_encode.c
 *	  Unit tests for src/codec/encode.c: exact encoded sizes, edge cases of
 *	  timestamps and values, the errors the encoder reports, explicit block
 *	  specs, and large round trips.
 *
 * Every size pinned here is computed by hand from format.h (the comment next
 * to each number shows the sum), so a change of the format or a ratio
 * regression fails a test.  Every encoding also goes through the oracle in
 * testutil.h (bulk vs streaming decode, exact summaries, error bound on each
 * point, byte-identical re-encoding, byte-identical reference encoding).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/test_encode.c
 *
 *-------------------------------------------------------------------------
 */
#include <time.h>

#include "unit.h"

#define T2020 INT64_C(631152000000000)	/* 2020-01-01 00:00:00+00 */
#define SEC INT64_C(1000000)

static cts_encode_opts
opts_bp(uint32_t bp)
{
	cts_encode_opts o;

	memset(&o, 0, sizeof o);
	o.block_points = bp;
	return o;
}

static cts_point *
sine(size_t n, int64_t step)
{
	cts_point  *p = u_regular(n, T2020, step);
	size_t		i;

	for (i = 0; i < n; i++)
		p[i].value = 100 * sin((double) i * 0.05);
	return p;
}

/* encode, run the oracle, pin the size and the number of blocks */
static uint8_t *
pin(const char *label, const cts_point *pts, size_t n, const cts_encode_opts *opts,
	size_t want_size, uint32_t want_blocks, size_t *len)
{
	uint8_t    *buf = tu_roundtrip(label, pts, n, opts, len);

	if (!buf)
		return NULL;
	CHECKF(*len == want_size, "%s: encoded size %zu, expected %zu", label, *len, want_size);
	CHECKF(tu_get_u32(buf + CTS_H_NBLOCKS) == want_blocks, "%s: %u blocks, expected %u",
		   label, tu_get_u32(buf + CTS_H_NBLOCKS), want_blocks);
	return buf;
}

static const uint8_t *
payload(const uint8_t *buf, uint32_t block, uint32_t *length)
{
	uint32_t	nblocks = tu_get_u32(buf + CTS_H_NBLOCKS);
	const uint8_t *e = buf + CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * block;

	*length = tu_get_u32(e + CTS_B_LENGTH);
	return buf + CTS_HEADER_SIZE + CTS_INDEX_ENTRY_SIZE * nblocks + tu_get_u32(e + CTS_B_OFFSET);
}

/* ------------------------------------------------------ pinned sizes -- */

/*
 * 1000 points every 10 s, sine wave, default options: one block.
 *   64 header + 64 index + 2 * 1000 codes
 *   + tokens: dod[1] = 10,000,000 -> zigzag 20,000,000 -> 4-byte varint
 *             dod[2..999] = 0 (998 zeros) -> zero token 1 byte + varint(997) 2 bytes
 *   = 64 + 64 + 2000 + 7 = 2135
 */
static void
test_size_regular_sine_1000(void)
{
	cts_point  *p = sine(1000, 10 * SEC);
	size_t		len;
	uint8_t    *buf = pin("sine 1000", p, 1000, NULL, 2135, 1, &len);
	static const uint8_t tokens[] = {0x80, 0xda, 0xc4, 0x09, 0x00, 0xe5, 0x07};

	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);

		CHECK_EQ_U64(plen, 2007);
		CHECK(memcmp(pl + 2000, tokens, sizeof tokens) == 0);
		CHECK_EQ_U64(buf[CTS_HEADER_SIZE + CTS_B_FLAGS], 0);
		CHECK_EQ_U64(buf[CTS_HEADER_SIZE + CTS_B_CODEC], CTS_CODEC_QUANT16);
		/* header fields at their offsets */
		CHECK_EQ_U64(buf[CTS_H_VERSION], 1);
		CHECK_EQ_U64(buf[CTS_H_FLAGS], 0);
		CHECK_EQ_U64(tu_get_u16(buf + CTS_H_RESERVED1), 0);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_H_RESERVED2), 0);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_H_NPOINTS), 1000);
		CHECK_EQ_I64(tu_get_i64(buf + CTS_H_FIRST_TS), T2020);
		CHECK_EQ_I64(tu_get_i64(buf + CTS_H_LAST_TS), T2020 + 999 * 10 * SEC);
		CHECK_EQ_U64(tu_get_u16(buf + CTS_HEADER_SIZE + CTS_B_RESERVED), 0);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_HEADER_SIZE + CTS_B_OFFSET), 0);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_HEADER_SIZE + CTS_B_NPOINTS), 1000);
		/* first code is that of 100*sin(0) = 0 within [min, max] */
		CHECK_EQ_U64(tu_get_u16(pl), cts_quant16_encode(tu_get_f64(buf + CTS_H_MIN),
														tu_get_f64(buf + CTS_H_MAX), 0.0));
	}
	free(buf);
	free(p);
}

/* the same 1000 points with a constant value: no codes, CONSTANT flag */
static void
test_size_constant_1000(void)
{
	cts_point  *p = u_regular(1000, T2020, 10 * SEC);
	size_t		len,
				i;
	uint8_t    *buf;

	for (i = 0; i < 1000; i++)
		p[i].value = -17.25;
	/* 64 + 64 + 0 codes + 7 token bytes */
	buf = pin("constant 1000", p, 1000, NULL, 135, 1, &len);
	if (buf)
	{
		CHECK_EQ_U64(buf[CTS_HEADER_SIZE + CTS_B_FLAGS], CTS_BLOCK_CONSTANT);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_HEADER_SIZE + CTS_B_LENGTH), 7);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX_ERROR), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MIN), -17.25);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX), -17.25);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_SUM), -17250.0);
	}
	free(buf);
	free(p);
}

/* 3000 regular points, default blocks of 1024: 1024 + 1024 + 952 */
static void
test_size_three_blocks(void)
{
	cts_point  *p = sine(3000, 10 * SEC);
	size_t		len;

	/* 64 + 3*64 + 2*3000 + 3 * (4 + 1 + 2) = 6277 */
	free(pin("sine 3000", p, 3000, NULL, 6277, 3, &len));
	free(p);
}

/* empty: the header alone, every field 0 but the version */
static void
test_empty_series(void)
{
	cts_point	dummy = {0, 0};
	size_t		len = 99,
				size = 99,
				bad;
	uint8_t		out[64];
	uint8_t		want[64];
	cts_status	st;
	uint8_t    *buf;

	memset(want, 0, sizeof want);
	want[0] = CTS_FORMAT_VERSION;
	buf = pin("empty", &dummy, 0, NULL, 64, 0, &len);
	if (buf)
		CHECK_BYTES(buf, len, want, sizeof want);
	free(buf);
	/* NULL points with n == 0 */
	st = cts_encoded_size(NULL, 0, NULL, &size, &bad);
	CHECK_STATUS(st, CTS_OK);
	CHECK_EQ_U64(size, 64);
	st = cts_encode(NULL, 0, NULL, out, sizeof out, &len, &bad);
	CHECK_STATUS(st, CTS_OK);
	CHECK_EQ_U64(len, 64);
	CHECK_BYTES(out, len, want, sizeof want);
	st = cts_encode(NULL, 0, NULL, out, 63, &len, &bad);
	CHECK_STATUS(st, CTS_ERR_BUFFER_TOO_SMALL);
}

/* one point: a constant block with an empty payload */
static void
test_one_point(void)
{
	cts_point	p = {T2020, 3.25};
	size_t		len;
	uint8_t    *buf = pin("one point", &p, 1, NULL, 128, 1, &len);

	if (buf)
	{
		CHECK_EQ_U64(buf[CTS_HEADER_SIZE + CTS_B_FLAGS], CTS_BLOCK_CONSTANT);
		CHECK_EQ_U64(tu_get_u32(buf + CTS_HEADER_SIZE + CTS_B_LENGTH), 0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_SUM), 3.25);
		CHECK_EQ_I64(tu_get_i64(buf + CTS_H_FIRST_TS), T2020);
		CHECK_EQ_I64(tu_get_i64(buf + CTS_H_LAST_TS), T2020);
	}
	free(buf);
}

/* two points 10 s apart: 4 bytes of codes + one 4-byte token */
static void
test_two_points(void)
{
	cts_point	p[2] = {{T2020, 1.0}, {T2020 + 10 * SEC, 2.0}};
	size_t		len;
	uint8_t    *buf = pin("two points", p, 2, NULL, 64 + 64 + 4 + 4, 1, &len);

	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);

		/* codes 0 (min) and 65535 (max), little-endian */
		CHECK(pl[0] == 0x00 && pl[1] == 0x00 && pl[2] == 0xff && pl[3] == 0xff);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX_ERROR), 0.0);
	}
	free(buf);
}

/* block boundaries: exactly block_points points, and one more */
static void
test_block_boundaries(void)
{
	cts_point  *p = sine(65537, SEC);
	cts_encode_opts o;
	size_t		len;
	uint8_t    *buf;

	/* 1 s interval: dod 1,000,000 -> zigzag 2,000,000 -> 3-byte varint */
	o = opts_bp(100);
	/* 100 points: 64 + 64 + 200 + (3 + 1 + varint(97) 1) = 333 */
	free(pin("bp=100 n=100", p, 100, &o, 333, 1, &len));
	/* 101 points: blocks 100 + 1; the 1-point block is constant, empty */
	buf = pin("bp=100 n=101", p, 101, &o, 64 + 128 + 205 + 0, 2, &len);
	if (buf)
	{
		CHECK_EQ_U64(tu_get_u32(buf + 64 + 64 + CTS_B_NPOINTS), 1);
		CHECK_EQ_U64(tu_get_u32(buf + 64 + 64 + CTS_B_OFFSET), 205);
		CHECK_EQ_U64(buf[64 + 64 + CTS_B_FLAGS], CTS_BLOCK_CONSTANT);
	}
	free(buf);
	/* 102 points: blocks 100 + 2 (2 codes + 3-byte token) */
	free(pin("bp=100 n=102", p, 102, &o, 64 + 128 + 205 + 7, 2, &len));

	/* default block size, 10 s interval */
	free(p);
	p = sine(65537, 10 * SEC);
	/* 1024: 64 + 64 + 2048 + (4 + 1 + varint(1021) 2) = 2183 */
	free(pin("default n=1024", p, 1024, NULL, 2183, 1, &len));
	/* 1025: + 64 index, 1-point constant block */
	free(pin("default n=1025", p, 1025, NULL, 2247, 2, &len));

	/* block_points = 1: every block a 1-point constant block */
	o = opts_bp(1);
	free(pin("bp=1 n=3", p, 3, &o, 64 + 3 * 64, 3, &len));

	/* the largest block: 65536 points; varint(65533) is 3 bytes */
	o = opts_bp(CTS_MAX_BLOCK_POINTS);
	free(pin("bp=65536 n=65536", p, 65536, &o, 64 + 64 + 131072 + 4 + 1 + 3, 1, &len));
	free(pin("bp=65536 n=65537", p, 65537, &o, 64 + 128 + 131072 + 8, 2, &len));
	free(p);
}

/* duplicate timestamps are all kept, in order */
static void
test_duplicate_timestamps(void)
{
	cts_point	p[5] = {{T2020, 5.0}, {T2020, 1.0}, {T2020, 4.0}, {T2020, 2.0}, {T2020, 3.0}};
	cts_point	q[8];
	cts_encode_opts o = opts_bp(4);
	size_t		len,
				i;
	uint8_t    *buf;

	/* 64 + 64 + 10 codes + (zero token + varint(3)) = 140 */
	buf = pin("5 equal timestamps", p, 5, NULL, 140, 1, &len);
	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);

		CHECK(plen == 12 && pl[10] == 0x00 && pl[11] == 0x03);
	}
	free(buf);
	/* duplicates straddling a block boundary: block 1 first == block 0 last */
	for (i = 0; i < 8; i++)
	{
		q[i].ts = T2020 + (i < 6 ? 0 : SEC);
		q[i].value = (double) i;
	}
	buf = tu_roundtrip("duplicates across blocks", q, 8, &o, &len);
	if (buf)
		CHECK_EQ_I64(tu_get_i64(buf + 128 + CTS_B_FIRST_TS), tu_get_i64(buf + 64 + CTS_B_LAST_TS));
	free(buf);
}

/* PostgreSQL ±infinity timestamps survive exactly */
static void
test_infinite_timestamps(void)
{
	cts_point	a[2] = {{INT64_MIN, 1.0}, {INT64_MAX, 2.0}};
	cts_point	b[3] = {{INT64_MIN, 1.0}, {0, 2.0}, {INT64_MAX, 3.0}};
	cts_point	c[8] = {{INT64_MIN, 1}, {INT64_MIN, 2}, {INT64_MIN + 1, 3}, {-1, 4},
	{0, 5}, {INT64_MAX - 1, 6}, {INT64_MAX, 7}, {INT64_MAX, 8}};
	cts_point	d[3] = {{INT64_MAX, 1}, {INT64_MAX, 2}, {INT64_MAX, 3}};
	cts_point	e[3] = {{INT64_MIN, 1}, {INT64_MIN, 2}, {INT64_MIN, 3}};
	size_t		len;
	uint8_t    *buf;

	/* delta = 2^64 - 1 = -1 (mod 2^64): zigzag 1, one byte */
	buf = pin("[-inf, +inf]", a, 2, NULL, 64 + 64 + 4 + 1, 1, &len);
	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);

		CHECK(plen == 5 && pl[4] == 0x01);
	}
	free(buf);
	/* dod[1] = 2^63 -> zigzag 2^64 - 1 -> 10 bytes; dod[2] = -1 -> 1 byte */
	buf = pin("[-inf, 0, +inf]", b, 3, NULL, 64 + 64 + 6 + 11, 1, &len);
	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);
		static const uint8_t tok[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x01};

		CHECK(plen == 17 && memcmp(pl + 6, tok, sizeof tok) == 0);
	}
	free(buf);
	free(tu_roundtrip("extremes with neighbours", c, 8, NULL, &len));
	free(tu_roundtrip("all +infinity", d, 3, NULL, &len));
	free(tu_roundtrip("all -infinity", e, 3, NULL, &len));
	{
		cts_encode_opts o = opts_bp(2);

		free(tu_roundtrip("extremes, 2-point blocks", c, 8, &o, &len));
	}
}

/* irregular timestamps with huge jumps, compared with the reference */
static void
test_irregular_huge_jumps(void)
{
	int			round;

	tu_seed(201);
	for (round = 0; round < 40; round++)
	{
		size_t		n = 2 + tu_randn(3000),
					len;
		cts_point  *p = (cts_point *) malloc(n * sizeof(cts_point));
		cts_encode_opts o = opts_bp((uint32_t) (1 + tu_randn(600)));

		tu_gen_series(p, n, round % 2 ? 4 : 5, (int) tu_randn(4));
		free(tu_roundtrip("huge jumps", p, n, &o, &len));
		free(p);
	}
}

/* --------------------------------------------------- extreme values -- */

static void
test_extreme_values(void)
{
	cts_point	a[4] = {{0, 1e308}, {1, -1e308}, {2, 0.0}, {3, 5e307}};
	cts_point	b[4] = {{0, DBL_MAX}, {1, -DBL_MAX}, {2, 1.0}, {3, -1.0}};
	cts_point	c[4] = {{0, 1e-300}, {1, 2e-300}, {2, 1.5e-300}, {3, 1.25e-300}};
	cts_point	d[5] = {{0, 4.9406564584124654e-324}, {1, 0.0}, {2, 1e-310},
	{3, -2.2250738585072009e-308}, {4, 2.2250738585072014e-308}};
	cts_point	e[6] = {{0, -5.5}, {1, 3.0}, {2, -1e-9}, {3, 1e9}, {4, -1e9}, {5, 0.0}};
	cts_point	f[3] = {{0, 1e308}, {1, 1e308}, {2, -1e308}};
	cts_point	g[2] = {{0, 1e-300}, {1, 1e300}};
	size_t		len;
	uint8_t    *buf;

	free(tu_roundtrip("±1e308", a, 4, NULL, &len));
	free(tu_roundtrip("±DBL_MAX", b, 4, NULL, &len));
	free(tu_roundtrip("1e-300", c, 4, NULL, &len));
	free(tu_roundtrip("denormals", d, 5, NULL, &len));
	free(tu_roundtrip("mixed signs", e, 6, NULL, &len));
	free(tu_roundtrip("1e-300 with 1e300", g, 2, NULL, &len));
	/* endpoints exact even with the widest range */
	buf = tu_roundtrip("±DBL_MAX endpoints", b, 4, NULL, &len);
	if (buf)
	{
		cts_point	out[4];

		CHECK_STATUS(cts_decode(buf, len, out, 4), CTS_OK);
		CHECK_EQ_BITS(out[0].value, DBL_MAX);
		CHECK_EQ_BITS(out[1].value, -DBL_MAX);
	}
	free(buf);
	/* the sum 1e308 + 1e308 overflows on the way but not at the end */
	free(tu_roundtrip("sum overflows midway", f, 3, NULL, &len));
	/*
	 * found by fuzz_encode: the originals sum to -DBL_MAX (finite), but the
	 * decoded values, each within max_error of its original, sum to -inf;
	 * the encoder's own output must still validate
	 */
	{
		cts_point	h[5] = {{1, 1e308}, {2, -1}, {3, -DBL_MAX}, {4, -1e308}, {5, 0}};

		free(tu_roundtrip("decoded sum overflows, original sum does not", h, 5, NULL, &len));
	}
}

/* a sum that does overflow: the spec does not say; it must not produce garbage */
/* index entry i of an encoded value */
static const uint8_t *
entry_of(const uint8_t *buf, uint32_t i)
{
	return buf + CTS_HEADER_SIZE + (size_t) CTS_INDEX_ENTRY_SIZE * i;
}

static void
test_sum_overflow(void)
{
	cts_point	a[2] = {{0, 1e308}, {1, 1e308}};
	cts_point	b[4] = {{0, 1e308}, {1, 1e308}, {2, -1e308}, {3, -1e308}};
	cts_encode_opts o = opts_bp(2);
	size_t		len,
				bad;
	cts_status	st;
	uint8_t    *buf;

	buf = tu_encode(a, 2, NULL, &len, &st, &bad);
	h_note("encoding [1e308, 1e308] (sum overflows) gives %s", tu_status_name(st));
	if (buf)
	{
		const char *label = "sum overflow";
		tu_expect	ex = {a, 2, 0, 0, 0};

		tu_check_value(label, buf, len, &ex);
		/* format.h: the true sum 2e308 is beyond double precision */
		CHECK(tu_get_f64(buf + CTS_H_SUM) == INFINITY);
	}
	else
		CHECK(st != CTS_OK);
	free(buf);
	/* block sums +inf and -inf: the header sum is the canonical NaN */
	buf = tu_encode(b, 4, &o, &len, &st, &bad);
	h_note("encoding blocks with sums 2e308 and -2e308 gives %s", tu_status_name(st));
	if (CHECK(buf != NULL))
	{
		const char *label = "block sum overflow";
		tu_expect	ex = {b, 4, 2, 0, 0};
		uint64_t	bits = tu_d2bits(tu_get_f64(buf + CTS_H_SUM));

		tu_check_value(label, buf, len, &ex);
		CHECKF(bits == UINT64_C(0x7FF8000000000000),
			   "header sum bits %016llx, not the canonical NaN", (unsigned long long) bits);
		CHECK(tu_get_f64(entry_of(buf, 0) + CTS_B_SUM) == INFINITY);
		CHECK(tu_get_f64(entry_of(buf, 1) + CTS_B_SUM) == -INFINITY);
	}
	free(buf);
	/* partial sums past DBL_MAX are not an overflow when the total is finite */
	{
		cts_point	c3[3] = {{0, 1.7e308}, {1, 1.7e308}, {2, -1.7e308}};

		buf = tu_encode(c3, 3, NULL, &len, &st, &bad);
		if (CHECK(buf != NULL))
			CHECK(tu_get_f64(buf + CTS_H_SUM) == 1.7e308);
		free(buf);
	}
}

/* the interrupt hook: called as documented, and stopping cleanly */
static int	hook_calls;
static int	hook_stop_at;

static int
count_hook(void *arg)
{
	(void) arg;
	hook_calls++;
	return hook_stop_at > 0 && hook_calls >= hook_stop_at;
}

static void
test_interrupt_hook(void)
{
	size_t		n = 200000,
				i,
				len,
				len2,
				bad,
				size;
	cts_point  *p = (cts_point *) malloc(n * sizeof(cts_point));
	cts_encode_opts o;
	uint8_t    *a,
			   *b;
	cts_status	st;

	for (i = 0; i < n; i++)
	{
		p[i].ts = (int64_t) i * 1000000;
		p[i].value = (double) (i % 977);
	}
	memset(&o, 0, sizeof o);
	CHECK_STATUS(cts_encoded_size(p, n, &o, &size, &bad), CTS_OK);
	a = (uint8_t *) malloc(size);
	b = (uint8_t *) malloc(size);
	CHECK_STATUS(cts_encode(p, n, &o, a, size, &len, &bad), CTS_OK);

	/* a hook that never stops: same bytes; called per block and per 64k points */
	o.interrupt = count_hook;
	hook_calls = 0;
	hook_stop_at = 0;
	st = cts_encode(p, n, &o, b, size, &len2, &bad);
	CHECK_STATUS(st, CTS_OK);
	CHECK(len2 == len && memcmp(a, b, len) == 0);
	CHECKF(hook_calls == (int) ((n + CTS_DEFAULT_BLOCK_POINTS - 1) / CTS_DEFAULT_BLOCK_POINTS + n / 65536),
		   "hook called %d times", hook_calls);

	/* stopping in the input check, and between blocks */
	hook_calls = 0;
	hook_stop_at = 1;
	st = cts_encoded_size(p, n, &o, &size, &bad);
	CHECK_STATUS(st, CTS_ERR_INTERRUPTED);
	hook_calls = 0;
	hook_stop_at = 10;
	st = cts_encode(p, n, &o, b, size, &len2, &bad);
	CHECK_STATUS(st, CTS_ERR_INTERRUPTED);
	CHECK(hook_calls == 10);
	free(a);
	free(b);
	free(p);
}

/* -0.0 is stored as 0.0 */
static void
test_negative_zero(void)
{
	cts_point	a[2] = {{0, -0.0}, {1, -0.0}};
	cts_point	b[3] = {{0, -0.0}, {1, 1.0}, {2, -0.0}};
	cts_point	c[3] = {{0, -1.0}, {1, -0.0}, {2, 0.0}};
	cts_point	out[3];
	size_t		len;
	uint8_t    *buf;

	buf = tu_roundtrip("all -0.0", a, 2, NULL, &len);
	if (buf)
	{
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MIN), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_SUM), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + 64 + CTS_B_MIN), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + 64 + CTS_B_SUM), 0.0);
		CHECK_EQ_U64(buf[64 + CTS_B_FLAGS], CTS_BLOCK_CONSTANT);
		CHECK_STATUS(cts_decode(buf, len, out, 2), CTS_OK);
		CHECK_EQ_BITS(out[0].value, 0.0);
		CHECK_EQ_BITS(out[1].value, 0.0);
	}
	free(buf);
	buf = tu_roundtrip("-0.0 and 1.0", b, 3, NULL, &len);
	if (buf)
	{
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MIN), 0.0);
		CHECK_STATUS(cts_decode(buf, len, out, 3), CTS_OK);
		CHECK_EQ_BITS(out[0].value, 0.0);
		CHECK_EQ_BITS(out[2].value, 0.0);
	}
	free(buf);
	buf = tu_roundtrip("-1, -0.0, 0.0", c, 3, NULL, &len);
	if (buf)
	{
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX), 0.0);
		CHECK_STATUS(cts_decode(buf, len, out, 3), CTS_OK);
		CHECK(!signbit(out[1].value) && !signbit(out[2].value));
	}
	free(buf);
}

/* ---------------------------------------------------- encoder errors -- */

static void
expect_refusal(const char *label, const cts_point *p, size_t n, const cts_encode_opts *o,
			   cts_status want, size_t want_bad, int check_bad)
{
	size_t		len,
				bad = 12345;
	cts_status	st;
	uint8_t    *buf = tu_encode(p, n, o, &len, &st, &bad);

	CHECKF(buf == NULL && st == want, "%s: got %s, expected %s", label,
		   tu_status_name(st), tu_status_name(want));
	if (check_bad)
		CHECKF(bad == want_bad, "%s: bad_index %zu, expected %zu", label, bad, want_bad);
	free(buf);
}

static void
test_nonfinite_rejected(void)
{
	cts_point  *p = sine(2000, SEC);
	const double bad_values[] = {NAN, -NAN, INFINITY, -INFINITY};
	const size_t where[] = {0, 1, 999, 1023, 1024, 1999};
	size_t		i,
				j;
	cts_point	one = {0, NAN};

	for (i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
	{
		for (j = 0; j < sizeof where / sizeof where[0]; j++)
		{
			char		label[80];
			double		saved = p[where[j]].value;

			p[where[j]].value = bad_values[i];
			snprintf(label, sizeof label, "%g at index %zu", bad_values[i], where[j]);
			expect_refusal(label, p, 2000, NULL, CTS_ERR_NONFINITE, where[j], 1);
			p[where[j]].value = saved;
		}
	}
	/* a NaN payload other than the default one */
	p[5].value = tu_bits2d(UINT64_C(0x7ff0000000000001));
	expect_refusal("signalling NaN bits", p, 2000, NULL, CTS_ERR_NONFINITE, 5, 1);
	/* two bad values: the first one is reported */
	p[7].value = INFINITY;
	expect_refusal("two bad values", p, 2000, NULL, CTS_ERR_NONFINITE, 5, 1);
	expect_refusal("single NaN point", &one, 1, NULL, CTS_ERR_NONFINITE, 0, 1);
	free(p);
}

static void
test_unsorted_rejected(void)
{
	cts_point	a[3] = {{0, 1}, {10, 2}, {5, 3}};
	cts_point	b[2] = {{10, 1}, {0, 2}};
	cts_point	c[2] = {{INT64_MAX, 1}, {INT64_MIN, 2}};
	cts_point	d[4] = {{0, 1}, {1, 2}, {0, 3}, {2, 4}};
	cts_point  *e = sine(3000, SEC);
	cts_encode_opts o2 = opts_bp(2);

	expect_refusal("[0, 10, 5]", a, 3, NULL, CTS_ERR_UNSORTED, 2, 1);
	expect_refusal("[10, 0]", b, 2, NULL, CTS_ERR_UNSORTED, 1, 1);
	/* a check by subtraction would overflow here */
	expect_refusal("[+inf, -inf]", c, 2, NULL, CTS_ERR_UNSORTED, 1, 1);
	/* going back right at a block boundary */
	expect_refusal("back at block boundary", d, 4, &o2, CTS_ERR_UNSORTED, 2, 1);
	e[2500].ts = e[2499].ts - 1;
	expect_refusal("back at 2500", e, 3000, NULL, CTS_ERR_UNSORTED, 2500, 1);
	free(e);
}

static void
test_bad_arguments(void)
{
	cts_point  *p = sine(10, SEC);
	cts_encode_opts o;
	size_t		len;

	o = opts_bp(CTS_MAX_BLOCK_POINTS + 1);
	expect_refusal("block_points 65537", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	o = opts_bp(0xFFFFFFFFu);
	expect_refusal("block_points 2^32-1", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	o = opts_bp(0);
	/* codec.h: BAD_ARGUMENT covers "bad option (... codec ...)", BAD_CODEC
	 * "unknown block codec": either is a fair answer to an unknown codec */
	{
		const uint8_t bad_codecs[] = {3, 99, 255};
		size_t		k;

		for (k = 0; k < sizeof bad_codecs; k++)
		{
			size_t		l2,
						b2;
			cts_status	st;
			uint8_t    *r;

			o.codec = bad_codecs[k];
			r = tu_encode(p, 10, &o, &l2, &st, &b2);
			CHECKF(r == NULL && (st == CTS_ERR_BAD_ARGUMENT || st == CTS_ERR_BAD_CODEC),
				   "codec %u: got %s, expected CTS_ERR_BAD_ARGUMENT or CTS_ERR_BAD_CODEC",
				   o.codec, tu_status_name(st));
			free(r);
		}
	}
	/* codec 0 means the default; QUANT16 named explicitly is the same */
	o.codec = CTS_CODEC_QUANT16;
	{
		uint8_t    *a = tu_roundtrip("codec quant16", p, 10, &o, &len);
		size_t		len2;
		uint8_t    *b = tu_roundtrip("codec default", p, 10, NULL, &len2);

		if (a && b)
			CHECK_BYTES(a, len, b, len2);
		free(a);
		free(b);
	}
	free(p);
}

static void
test_buffer_too_small(void)
{
	cts_point  *p = sine(3000, SEC);
	size_t		size = 0,
				len = 0,
				bad;
	uint8_t    *buf;
	size_t		cap;

	CHECK_STATUS(cts_encoded_size(p, 3000, NULL, &size, &bad), CTS_OK);
	buf = (uint8_t *) malloc(size);
	/* every too-small capacity is refused, and nothing is written past it */
	for (cap = 0; cap < size; cap += (cap < 300 ? 1 : 97))
	{
		uint8_t    *exact = (uint8_t *) malloc(cap ? cap : 1);
		cts_status	st = cts_encode(p, 3000, NULL, exact, cap, &len, &bad);

		CHECKF(st == CTS_ERR_BUFFER_TOO_SMALL, "cap %zu of %zu: %s", cap, size, tu_status_name(st));
		free(exact);
	}
	CHECK_STATUS(cts_encode(p, 3000, NULL, buf, size, &len, &bad), CTS_OK);
	CHECK_EQ_U64(len, size);
	free(buf);
	free(p);
}

/* ----------------------------------------------- explicit block specs -- */

/*
 * Decode random values and re-encode them with the specs from their index:
 * the bytes come back identical (the oracle does this for every value; here
 * for many random shapes and block sizes).
 */
static void
test_specs_reencode_random(void)
{
	int			round,
				overflow = 0;

	tu_seed(301);
	for (round = 0; round < 400; round++)
	{
		size_t		n = tu_randn(4) == 0 ? tu_randn(5) : 1 + tu_randn(4000),
					len,
					bad;
		cts_point  *p = (cts_point *) malloc((n ? n : 1) * sizeof(cts_point));
		cts_encode_opts o = opts_bp(tu_randn(3) == 0 ? 0 : (uint32_t) (1 + tu_randn(tu_randn(2) ? 50 : 3000)));
		int			tk = (int) tu_randn(TU_TS_KINDS),
					vk = (int) tu_randn(TU_VAL_KINDS);
		uint8_t    *buf,
				   *ref;
		size_t		rlen;
		cts_status	st;
		char		label[96];

		static const uint8_t codecs[] = {0, CTS_CODEC_QUANT16, CTS_CODEC_GORILLA};

		o.codec = codecs[tu_randn(3)];
		tu_gen_series(p, n, tk, vk);
		snprintf(label, sizeof label, "random series #%d (n=%zu, bp=%u, codec %u, ts kind %d, value kind %d)",
				 round, n, o.block_points, o.codec, tk, vk);
		ref = tu_ref_encode(p, n, o.block_points, o.codec, NULL, 0, &rlen);
		buf = tu_encode(p, n, &o, &len, &st, &bad);
		if (ref == NULL)
		{
			/* a sum overflows: test_sum_overflow pins that case */
			overflow++;
		}
		else if (CHECKF(buf != NULL, "%s: encode gives %s", label, tu_status_name(st)))
		{
			tu_expect	ex = {p, n, o.block_points ? o.block_points : CTS_DEFAULT_BLOCK_POINTS, 1,
					o.codec ? o.codec : CTS_CODEC_DEFAULT};

			tu_check_value(label, buf, len, &ex);
			CHECKF(len == rlen && memcmp(buf, ref, len) == 0,
				   "%s: differs from the reference encoding", label);
		}
		free(buf);
		free(ref);
		free(p);
	}
	h_note("%d of 400 random series had an overflowing sum", overflow);
}

/* explicit boundaries other than block_points */
static void
test_specs_custom_boundaries(void)
{
	cts_point  *p = u_regular(10, T2020, SEC);
	cts_block_spec s[3];
	cts_encode_opts o;
	size_t		len,
				i;
	uint8_t    *buf;
	double		v3[3],
				v7[7];

	/* values on the grid of their blocks: the quantizer's decoded values,
	 * codes 0 and 65535 among them so that min and max are 0, 2 and 3, 9 */
	for (i = 0; i < 3; i++)
		p[i].value = cts_quant16_decode(0.0, 2.0, (uint16_t) (i * 32767 + (i == 2)));
	for (i = 3; i < 10; i++)
		p[i].value = cts_quant16_decode(3.0, 9.0, (uint16_t) ((i - 3) * 10922 + (i == 9 ? 3 : 0)));
	for (i = 0; i < 3; i++)
		v3[i] = p[i].value;
	for (i = 0; i < 7; i++)
		v7[i] = p[3 + i].value;
	memset(s, 0, sizeof s);
	s[0].npoints = 3;
	s[0].codec = CTS_CODEC_QUANT16;
	s[0].sum = cts_sum(v3, 3);
	s[1].npoints = 7;
	s[1].codec = CTS_CODEC_QUANT16;
	s[1].sum = cts_sum(v7, 7);
	memset(&o, 0, sizeof o);
	o.blocks = s;
	o.nblocks = 2;
	buf = tu_roundtrip("specs 3+7", p, 10, &o, &len);
	if (buf)
	{
		CHECK_EQ_U64(tu_get_u32(buf + CTS_H_NBLOCKS), 2);
		CHECK_EQ_U64(tu_get_u32(buf + 64 + CTS_B_NPOINTS), 3);
		CHECK_EQ_U64(tu_get_u32(buf + 128 + CTS_B_NPOINTS), 7);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX_ERROR), 0.0);
	}
	free(buf);

	/* a plausible non-zero max_error is taken as given */
	s[1].max_error = (9.0 - 3.0) / 65535 / 4;
	buf = tu_roundtrip("specs with max_error", p, 10, &o, &len);
	if (buf)
	{
		CHECK_EQ_BITS(tu_get_f64(buf + 128 + CTS_B_MAX_ERROR), s[1].max_error);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX_ERROR), s[1].max_error);
	}
	free(buf);
	s[1].max_error = 0;

	/* the sum is taken as given too (the originals' sum, not the decoded one) */
	s[0].sum = nextafter(s[0].sum, INFINITY);
	buf = tu_roundtrip("specs with a sum one ulp off", p, 10, &o, &len);
	if (buf)
		CHECK_EQ_BITS(tu_get_f64(buf + 64 + CTS_B_SUM), s[0].sum);
	free(buf);
	free(p);
}

static void
test_specs_off_grid(void)
{
	cts_point	p[5] = {{0, 0.0}, {1, 1.0}, {2, 0.3}, {3, 0.0}, {4, 1.0}};
	cts_point	q[5];
	cts_block_spec s[2];
	cts_encode_opts o;
	size_t		i;
	double		vals[5];

	memset(s, 0, sizeof s);
	memset(&o, 0, sizeof o);
	for (i = 0; i < 5; i++)
		vals[i] = p[i].value;
	s[0].npoints = 5;
	s[0].codec = CTS_CODEC_QUANT16;
	s[0].sum = cts_sum(vals, 5);
	o.blocks = s;
	o.nblocks = 1;
	/* 0.3 * 65535 = 19660.5: between two codes */
	expect_refusal("0.3 in [0, 1]", p, 5, &o, CTS_ERR_OFF_GRID, 2, 1);

	/* off grid in the second block: bad_index counts from the series start */
	for (i = 0; i < 5; i++)
		q[i] = p[i];
	/* block 0 = [0, 1], block 1 = [0.5, 1.0, x] with x just off code 1234 */
	q[2].value = 0.5;
	q[3].value = 1.0;
	q[4].value = cts_quant16_decode(0.5, 1.0, 1234) + 1e-9;
	s[0].npoints = 2;
	s[0].sum = 1.0;
	s[1].npoints = 3;
	s[1].codec = CTS_CODEC_QUANT16;
	o.nblocks = 2;
	s[1].sum = 0.5 + 1.0 + q[4].value;
	expect_refusal("off grid in block 1", q, 5, &o, CTS_ERR_OFF_GRID, 4, 1);

	/* the same values, quantized onto their grid, are accepted */
	q[4].value = cts_quant16_decode(0.5, 1.0, cts_quant16_encode(0.5, 1.0, q[4].value));
	s[1].sum = 0.5 + 1.0 + q[4].value;
	{
		size_t		len;

		free(tu_roundtrip("on grid in block 1", q, 5, &o, &len));
	}
}

static void
test_specs_bad(void)
{
	cts_point  *p = u_regular(65537, T2020, SEC);
	cts_block_spec s[2];
	cts_encode_opts o;
	size_t		i;

	for (i = 0; i < 65537; i++)
		p[i].value = (i % 2) ? 1.0 : 0.0;	/* on every [0, 1] grid */
	memset(s, 0, sizeof s);
	memset(&o, 0, sizeof o);
	o.blocks = s;
	o.nblocks = 1;
	s[0].codec = CTS_CODEC_QUANT16;

	s[0].npoints = 9;
	s[0].sum = 4.0;
	expect_refusal("spec points 9 of 10", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	s[0].npoints = 11;
	s[0].sum = 5.0;
	expect_refusal("spec points 11 of 10", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	s[0].npoints = 10;
	s[0].sum = 5.0;
	o.nblocks = 2;
	s[1].npoints = 0;
	s[1].codec = CTS_CODEC_QUANT16;
	expect_refusal("spec with 0 points", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	o.nblocks = 1;
	s[0].npoints = 65537;
	s[0].sum = 32768.0;
	expect_refusal("spec with 65537 points", p, 65537, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	s[0].npoints = 10;
	s[0].sum = 5.0;
	s[0].codec = 7;
	expect_refusal("spec codec 7", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	s[0].codec = CTS_CODEC_QUANT16;
	o.nblocks = 0;
	expect_refusal("blocks given, nblocks 0", p, 10, &o, CTS_ERR_BAD_ARGUMENT, 0, 0);
	o.nblocks = 1;

	/* implausible summaries */
	s[0].sum = NAN;
	expect_refusal("spec sum NaN", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].sum = INFINITY;
	expect_refusal("spec sum inf", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].sum = 1e300;			/* ten values in [0, 1] */
	expect_refusal("spec sum 1e300", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].sum = -1.0;
	expect_refusal("spec sum below 10 * min", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].sum = 5.0;
	s[0].max_error = -1.0;
	expect_refusal("spec max_error -1", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].max_error = NAN;
	expect_refusal("spec max_error NaN", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].max_error = INFINITY;
	expect_refusal("spec max_error inf", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].max_error = 2.0;		/* more than max - min */
	expect_refusal("spec max_error > max - min", p, 10, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].max_error = 0;
	{
		/* a constant block cannot have lost anything */
		cts_point	c[3] = {{0, 2.0}, {1, 2.0}, {2, 2.0}};

		s[0].npoints = 3;
		s[0].sum = 6.0;
		s[0].max_error = 0.5;
		expect_refusal("constant block with max_error", c, 3, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
		s[0].max_error = 0;
		{
			size_t		len;

			free(tu_roundtrip("constant block via specs", c, 3, &o, &len));
		}
	}
	free(p);
}


/* --------------------------------------------------------- GORILLA -- */

static cts_encode_opts
opts_gorilla(uint32_t bp)
{
	cts_encode_opts o = opts_bp(bp);

	o.codec = CTS_CODEC_GORILLA;
	return o;
}

/*
 * [1.0, 1.0, 2.0, 1.0] every 10 s, lossless:
 *   stream: 64 bits of 1.0; '0'; '11' 000001 001010 + 11 bits (XOR 0x7FF0...);
 *           '10' + the same 11 bits  = 103 bits -> 13 bytes
 *   payload: u32 length 13 + 13 + tokens (4-byte dod, zero token, run 1) = 23
 *   value: 64 + 64 + 23 = 151
 */
static void
test_gorilla_pinned(void)
{
	cts_point	p[4] = {{T2020, 1.0}, {T2020 + 10 * SEC, 1.0}, {T2020 + 20 * SEC, 2.0},
	{T2020 + 30 * SEC, 1.0}};
	static const uint8_t want[] = {0x0d, 0x00, 0x00, 0x00,
		0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x60, 0x95, 0xff, 0xef, 0xfe,
	0x80, 0xda, 0xc4, 0x09, 0x00, 0x01};
	cts_encode_opts o = opts_gorilla(0);
	size_t		len;
	uint8_t    *buf = pin("gorilla [1,1,2,1]", p, 4, &o, 151, 1, &len);

	if (buf)
	{
		uint32_t	plen;
		const uint8_t *pl = payload(buf, 0, &plen);

		CHECK_EQ_U64(buf[64 + CTS_B_CODEC], CTS_CODEC_GORILLA);
		CHECK_EQ_U64(buf[64 + CTS_B_FLAGS], 0);
		CHECK(plen == sizeof want && memcmp(pl, want, sizeof want) == 0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_MAX_ERROR), 0.0);
		CHECK_EQ_BITS(tu_get_f64(buf + CTS_H_SUM), 5.0);
	}
	free(buf);
}

static void
test_gorilla_lossless(void)
{
	int			round;
	cts_point	z[4] = {{0, -0.0}, {1, 5e-324}, {2, -DBL_MAX}, {3, DBL_MAX}};
	cts_point	c[3] = {{0, 7.5}, {1, 7.5}, {2, 7.5}};
	cts_encode_opts o = opts_gorilla(0);
	size_t		len;
	uint8_t    *buf;

	/* every value back bit for bit (the oracle checks), of every shape */
	tu_seed(211);
	for (round = 0; round < 60; round++)
	{
		size_t		n = 1 + tu_randn(3000);
		cts_point  *p = (cts_point *) malloc(n * sizeof(cts_point));
		int			vk = (int) tu_randn(TU_VAL_KINDS);
		cts_encode_opts ob = opts_gorilla((uint32_t) tu_randn(700));
		size_t		rlen;
		uint8_t    *ref;

		if (vk == 4 || vk == 6)
			vk = 9;				/* sums that may overflow are test_sum_overflow's */
		tu_gen_series(p, n, (int) tu_randn(TU_TS_KINDS), vk);
		ref = tu_ref_encode(p, n, ob.block_points, CTS_CODEC_GORILLA, NULL, 0, &rlen);
		buf = tu_roundtrip("gorilla random", p, n, &ob, &len);
		if (buf && ref)
			CHECKF(len == rlen && memcmp(buf, ref, len) == 0,
				   "gorilla round %d: differs from the reference encoding", round);
		free(ref);
		free(buf);
		free(p);
	}
	buf = tu_roundtrip("gorilla extremes", z, 4, &o, &len);
	if (buf)
	{
		cts_point	out[4];

		CHECK_STATUS(cts_decode(buf, len, out, 4), CTS_OK);
		CHECK_EQ_BITS(out[0].value, 0.0);
		CHECK_EQ_BITS(out[1].value, 5e-324);
		CHECK_EQ_BITS(out[2].value, -DBL_MAX);
	}
	free(buf);
	/* constant: CONSTANT flag, no stream, no length word */
	buf = tu_roundtrip("gorilla constant", c, 3, &o, &len);
	if (buf)
	{
		CHECK_EQ_U64(buf[64 + CTS_B_FLAGS], CTS_BLOCK_CONSTANT);
		CHECK_EQ_U64(buf[64 + CTS_B_CODEC], CTS_CODEC_GORILLA);
		/* tokens only: zigzag(1) = 2, then a zero token with run 0 */
		CHECK_EQ_U64(len, 64 + 64 + 3);
	}
	free(buf);
	/* NaN refused by the lossless codec too */
	{
		cts_point	q[3] = {{0, 1.0}, {1, NAN}, {2, 2.0}};

		expect_refusal("gorilla NaN", q, 3, &o, CTS_ERR_NONFINITE, 1, 1);
	}
}

/* explicit specs: codecs mixed block by block; a lossless block's sum is exact */
static void
test_gorilla_specs(void)
{
	cts_point	p[6] = {{0, 0.1}, {1, 0.2}, {2, 0.3}, {3, 0.1}, {4, 0.2}, {5, 0.7}};
	cts_point	q[6];
	cts_block_spec s[2];
	cts_encode_opts o;
	double		v[3] = {0.1, 0.2, 0.7};
	size_t		len,
				i;
	uint8_t    *buf;

	/* block 0 lossless (any values), block 1 quant16 (values on its grid) */
	for (i = 0; i < 6; i++)
		q[i] = p[i];
	q[4].value = cts_quant16_decode(0.1, 0.7, cts_quant16_encode(0.1, 0.7, 0.2));
	v[1] = q[4].value;
	memset(s, 0, sizeof s);
	memset(&o, 0, sizeof o);
	s[0].npoints = 3;
	s[0].codec = CTS_CODEC_GORILLA;
	s[0].sum = cts_sum((double[]) {0.1, 0.2, 0.3}, 3);
	s[1].npoints = 3;
	s[1].codec = CTS_CODEC_QUANT16;
	s[1].sum = cts_sum(v, 3);
	o.blocks = s;
	o.nblocks = 2;
	buf = tu_roundtrip("mixed codecs", q, 6, &o, &len);
	if (buf)
	{
		CHECK_EQ_U64(buf[64 + CTS_B_CODEC], CTS_CODEC_GORILLA);
		CHECK_EQ_U64(buf[128 + CTS_B_CODEC], CTS_CODEC_QUANT16);
	}
	free(buf);
	/* a lossless block cannot have lost anything, nor have another sum */
	s[0].max_error = 1e-17;
	expect_refusal("gorilla spec max_error > 0", q, 6, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].max_error = 0;
	s[0].sum = nextafter(s[0].sum, INFINITY);
	expect_refusal("gorilla spec sum one ulp off", q, 6, &o, CTS_ERR_BAD_SUMMARY, 0, 0);
	s[0].sum = nextafter(s[0].sum, -INFINITY);
	/* OFF_GRID does not apply to lossless blocks */
	s[1].codec = CTS_CODEC_GORILLA;
	s[1].sum = cts_sum((double[]) {0.1, 0.2, 0.7}, 3);
	buf = tu_roundtrip("gorilla block with any values", p, 6, &o, &len);
	free(buf);
}

/* ------------------------------------------------------ large series -- */

/*
 * 1,000,000 random-walk points at 1 s: 977 blocks (976 of 1024, one of 576).
 *   64 + 977 * 64 + 2 * 1,000,000
 *   + 977 * (3-byte dod of 1,000,000 + zero token + 2-byte run) = 2,068,454
 */
static void
test_roundtrip_1m_random_walk(void)
{
	size_t		n = 1000000,
				len,
				i;
	cts_point  *p = u_regular(n, T2020, SEC);
	double		v = 0;
	uint8_t    *buf;

	tu_seed(401);
	for (i = 0; i < n; i++)
	{
		v += tu_randnorm();
		p[i].value = v;
	}
	buf = pin("1M random walk", p, n, NULL, 2068454, 977, &len);
	free(buf);

	/* irregular, with duplicates and jitter, small blocks */
	tu_gen_series(p, n, 1, 0);
	{
		cts_encode_opts o = opts_bp(333);

		free(tu_roundtrip("1M jittered, bp=333", p, n, &o, &len));
	}
	free(p);
}


/*
 * Values one ulp apart fill a block with a range so narrow that tens of
 * thousands of codes decode to the same value.  Encoding must still take
 * time proportional to the points, not to the codes sharing a value: a
 * 65536-point block of 1.0 / 1.0000000000000002 gets 2 s of CPU here
 * (sanitized build; an ordinary series of this size takes milliseconds).
 */
static void
test_tiny_range_encode_time(void)
{
	size_t		n = CTS_MAX_BLOCK_POINTS,
				i,
				len;
	cts_point  *p = u_regular(n, T2020, SEC);
	cts_encode_opts o = opts_bp(CTS_MAX_BLOCK_POINTS);
	clock_t		t0;
	double		secs;
	uint8_t    *buf;

	for (i = 0; i < n; i++)
		p[i].value = (i % 2) ? nextafter(1.0, 2.0) : 1.0;
	t0 = clock();
	buf = tu_roundtrip("1-ulp block", p, n, &o, &len);
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
	h_note("encoding + checking 65536 points of a 1-ulp range: %.2f s CPU", secs);
	CHECKF(secs < 2.0, "encoding a 65536-point 1-ulp block took %.2f s CPU (limit 2 s)", secs);
	free(buf);
	free(p);
}

/* encoding does not depend on anything but the points: same input, same bytes */
static void
test_deterministic(void)
{
	cts_point  *p = sine(5000, 10 * SEC);
	size_t		l1,
				l2,
				bad;
	cts_status	st;
	uint8_t    *a = tu_encode(p, 5000, NULL, &l1, &st, &bad);
	uint8_t    *b = tu_encode(p, 5000, NULL, &l2, &st, &bad);

	if (CHECK(a && b))
		CHECK_BYTES(a, l1, b, l2);
	free(a);
	free(b);
	free(p);
}

int
main(void)
{
	RUN(test_size_regular_sine_1000);
	RUN(test_size_constant_1000);
	RUN(test_size_three_blocks);
	RUN(test_empty_series);
	RUN(test_one_point);
	RUN(test_two_points);
	RUN(test_block_boundaries);
	RUN(test_duplicate_timestamps);
	RUN(test_infinite_timestamps);
	RUN(test_irregular_huge_jumps);
	RUN(test_extreme_values);
	RUN(test_sum_overflow);
	RUN(test_interrupt_hook);
	RUN(test_negative_zero);
	RUN(test_nonfinite_rejected);
	RUN(test_unsorted_rejected);
	RUN(test_bad_arguments);
	RUN(test_buffer_too_small);
	RUN(test_specs_reencode_random);
	RUN(test_specs_custom_boundaries);
	RUN(test_specs_off_grid);
	RUN(test_specs_bad);
	RUN(test_gorilla_pinned);
	RUN(test_gorilla_lossless);
	RUN(test_gorilla_specs);
	RUN(test_roundtrip_1m_random_walk);
	RUN(test_deterministic);
	RUN(test_tiny_range_encode_time);
	return h_done("test_encode");
}
