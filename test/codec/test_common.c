/*-------------------------------------------------------------------------
 *
 * test_common.c
 *	  Unit tests for src/codec/common.c: status texts, codec names, the
 *	  Neumaier sum, the data area offset.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/test_common.c
 *
 *-------------------------------------------------------------------------
 */
#include "unit.h"

/* every status has a distinct, non-empty text; out-of-range ones too */
static void
test_strerror_all_statuses(void)
{
	int			i,
				j;

	for (i = 0; i < TU_NSTATUS; i++)
	{
		const char *a = cts_strerror((cts_status) i);

		if (!CHECKF(a != NULL, "cts_strerror(%s) is NULL", tu_status_name((cts_status) i)))
			continue;
		CHECKF(a[0] != '\0', "cts_strerror(%s) is empty", tu_status_name((cts_status) i));
		for (j = 0; j < i; j++)
		{
			const char *b = cts_strerror((cts_status) j);

			CHECKF(b == NULL || strcmp(a, b) != 0,
				   "cts_strerror(%s) == cts_strerror(%s) == \"%s\"",
				   tu_status_name((cts_status) i), tu_status_name((cts_status) j), a);
		}
	}
	/* "static string, never NULL": also for a value outside the enum */
	CHECK(cts_strerror((cts_status) 99) != NULL);
	CHECK(cts_strerror((cts_status) TU_NSTATUS) != NULL);
}

static void
test_codec_names(void)
{
	const char *n = cts_codec_name(CTS_CODEC_QUANT16);
	int			c,
				named = 0;

	CHECK(n != NULL && strcmp(n, "quant16") == 0);
	CHECK(cts_codec_name(CTS_CODEC_DEFAULT) != NULL);
	CHECK(cts_codec_name(0) == NULL);
	n = cts_codec_name(CTS_CODEC_GORILLA);
	CHECK(n != NULL && strcmp(n, "gorilla") == 0);
	CHECK_EQ_U64(cts_codec_from_name("gorilla", 7), CTS_CODEC_GORILLA);
	CHECK(cts_codec_name(3) == NULL);
	CHECK(cts_codec_name(255) == NULL);
	CHECK_EQ_U64(cts_codec_from_name("quant16", 7), CTS_CODEC_QUANT16);
	/* the length bounds the name: no NUL needed, trailing bytes ignored */
	CHECK_EQ_U64(cts_codec_from_name("quant16(sum=1)", 7), CTS_CODEC_QUANT16);
	CHECK_EQ_U64(cts_codec_from_name("quant16", 6), 0);
	CHECK_EQ_U64(cts_codec_from_name("quant1", 6), 0);
	CHECK_EQ_U64(cts_codec_from_name("quant16x", 8), 0);
	CHECK_EQ_U64(cts_codec_from_name("", 0), 0);
	CHECK_EQ_U64(cts_codec_from_name("xyzzy", 5), 0);
	/* every named codec round-trips */
	for (c = 0; c < 256; c++)
	{
		const char *name = cts_codec_name((uint8_t) c);

		if (name == NULL)
			continue;
		named++;
		CHECKF(cts_codec_from_name(name, strlen(name)) == c,
			   "codec %d named \"%s\" maps back to %u", c, name,
			   cts_codec_from_name(name, strlen(name)));
	}
	CHECK(named >= 1);
}

/* the classic cancellation cases Neumaier's variant gets right */
static void
test_sum_neumaier(void)
{
	double		a[] = {1e16, 1.0, -1e16};
	double		b[] = {1.0, 1e100, 1.0, -1e100};
	double		c[10];
	double		d[] = {3.5};
	double		e[] = {1e308, -1e308, 1e308, -1e308, 2.0};
	double		f[] = {0x1p53, 1.0, 1.0, 1.0, 1.0};
	int			i;

	for (i = 0; i < 10; i++)
		c[i] = 0.1;
	CHECK_EQ_BITS(cts_sum(a, 3), 1.0);
	CHECK_EQ_BITS(cts_sum(b, 4), 2.0);
	CHECK_EQ_BITS(cts_sum(c, 10), 1.0);	/* naive summation gives 0.9999999999999999 */
	CHECK_EQ_BITS(cts_sum(d, 1), 3.5);
	CHECK_EQ_BITS(cts_sum(e, 5), 2.0);
	CHECK_EQ_BITS(cts_sum(f, 5), 0x1p53 + 4.0);	/* naive: 2^53, each 1.0 lost */
	CHECK_EQ_BITS(cts_sum(d, 0), 0.0);
	CHECK_EQ_BITS(cts_sum(NULL, 0), 0.0);
}

/*
 * TwoSum accumulation into a double-double: exact enough to judge cts_sum.
 */
static double
dd_sum(const double *x, size_t n)
{
	double		hi = 0,
				lo = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		double		s = hi + x[i];
		double		bp = s - hi;
		double		err = (hi - (s - bp)) + (x[i] - bp);

		hi = s;
		lo += err;
		/* renormalize */
		s = hi + lo;
		lo = lo - (s - hi);
		hi = s;
	}
	return hi + lo;
}

/* Neumaier: error about one rounding of the result, whatever the cancellation */
static void
test_sum_random_accuracy(void)
{
	int			round;
	int			bad = 0;

	tu_seed(7);
	for (round = 0; round < 200; round++)
	{
		size_t		n = 1 + tu_randn(5000);
		double	   *x = (double *) malloc(n * sizeof(double));
		double		sabs = 0,
					got,
					ref;
		size_t		i;

		for (i = 0; i < n; i++)
		{
			int			kind = (int) tu_randn(4);

			if (kind == 0)
				x[i] = tu_randnorm();
			else if (kind == 1)
				x[i] = tu_randnorm() * 1e12;
			else if (kind == 2 && i > 0)
				x[i] = -x[i - 1];	/* cancellation */
			else
				x[i] = tu_randnorm() * 1e-8;
			sabs += fabs(x[i]);
		}
		got = cts_sum(x, n);
		ref = dd_sum(x, n);
		if (!(fabs(got - ref) <= 2 * tu_ulp(ref) + 1e-28 * (double) n * sabs))
		{
			if (bad++ == 0)
				h_note("round %d: n=%zu cts_sum=%.17g reference=%.17g", round, n, got, ref);
		}
		free(x);
	}
	CHECKF(bad == 0, "%d of 200 random sums off by more than 2 ulp", bad);
}

static void
test_data_offset(void)
{
	cts_header	h;

	memset(&h, 0, sizeof h);
	h.version = CTS_FORMAT_VERSION;
	CHECK_EQ_U64(cts_data_offset(&h), 64);
	h.nblocks = 1;
	h.npoints = 1;
	CHECK_EQ_U64(cts_data_offset(&h), 128);
	h.nblocks = 1000;
	h.npoints = 1000000;
	CHECK_EQ_U64(cts_data_offset(&h), 64 + 64 * 1000);
	if (sizeof(size_t) >= 8)
	{
		h.nblocks = 0xFFFFFFFFu;
		CHECK_EQ_U64(cts_data_offset(&h), (uint64_t) 64 + (uint64_t) 64 * 0xFFFFFFFFu);
	}
}

static void
test_constants(void)
{
	/* the layout constants the format and the glue rely on */
	CHECK_EQ_U64(CTS_HEADER_SIZE, 64);
	CHECK_EQ_U64(CTS_INDEX_ENTRY_SIZE, 64);
	CHECK_EQ_U64(CTS_QUANT16_LEVELS, 65535);
	CHECK_EQ_U64(CTS_FORMAT_VERSION, 1);
	CHECK_EQ_U64(CTS_MAX_BLOCK_POINTS, 65536);
	CHECK_EQ_U64(CTS_MAX_POINTS, 0x7FFFFFFF);
	CHECK(CTS_DEFAULT_BLOCK_POINTS >= 1 && CTS_DEFAULT_BLOCK_POINTS <= CTS_MAX_BLOCK_POINTS);
	CHECK((CTS_BLOCK_CONSTANT & CTS_BLOCK_KNOWN_FLAGS) == CTS_BLOCK_CONSTANT);
	CHECK_EQ_U64(CTS_OK, 0);
}

int
main(void)
{
	RUN(test_constants);
	RUN(test_strerror_all_statuses);
	RUN(test_codec_names);
	RUN(test_sum_neumaier);
	RUN(test_sum_random_accuracy);
	RUN(test_data_offset);
	return h_done("test_common");
}
