/*-------------------------------------------------------------------------
 *
 * test_range.c
 *	  Unit tests of range.c: finding the blocks and points of a time range,
 *	  and range aggregates against a brute-force computation.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/test_range.c
 *
 *-------------------------------------------------------------------------
 */
#include "unit.h"
#include "testutil2.h"

/* entries of 64 bytes with first/last at 16/24, from block bounds */
static void
make_entries(uint8_t *e, const int64_t *first, const int64_t *last, uint32_t n)
{
	uint32_t	i;

	memset(e, 0, 64 * (size_t) n);
	for (i = 0; i < n; i++)
	{
		uint64_t	f = (uint64_t) first[i],
					l = (uint64_t) last[i];
		int			k;

		for (k = 0; k < 8; k++)
		{
			e[64 * i + 16 + k] = (uint8_t) (f >> (8 * k));
			e[64 * i + 24 + k] = (uint8_t) (l >> (8 * k));
		}
	}
}

static void
test_span_search(void)
{
	/* blocks [0,9] [10,19] [19,19] [19,30] [40,50] */
	int64_t		first[] = {0, 10, 19, 19, 40};
	int64_t		last[] = {9, 19, 19, 30, 50};
	uint8_t		e[64 * 5];
	uint32_t	a,
				b;
	int64_t		lo,
				hi;

	make_entries(e, first, last, 5);
	for (lo = -5; lo <= 55; lo++)
		for (hi = lo - 1; hi <= 55; hi++)
		{
			uint32_t	i,
						want0 = 5,
						want1 = 5;

			for (i = 0; i < 5; i++)
				if (last[i] >= lo && first[i] <= hi && lo <= hi)
				{
					if (want0 == 5)
						want0 = i;
					want1 = i + 1;
				}
			cts_span_search(e, 5, 64, 16, 24, lo, hi, &a, &b);
			if (want0 == 5)
				h_check(a == b, __FILE__, __LINE__, "[%lld,%lld]: expected empty, got [%u,%u)",
						(long long) lo, (long long) hi, a, b);
			else
				h_check(a == want0 && b == want1, __FILE__, __LINE__,
						"[%lld,%lld]: got [%u,%u), expected [%u,%u)",
						(long long) lo, (long long) hi, a, b, want0, want1);
		}
	cts_span_search(e, 0, 64, 16, 24, INT64_MIN, INT64_MAX, &a, &b);
	CHECK(a == 0 && b == 0);
	cts_span_search(e, 5, 64, 16, 24, INT64_MIN, INT64_MAX, &a, &b);
	CHECK(a == 0 && b == 5);
}

static void
test_point_search(void)
{
	int64_t		ts[] = {1, 3, 3, 3, 7, 9};
	uint32_t	a,
				b;

	cts_point_search(ts, 6, 3, 3, &a, &b);
	CHECK(a == 1 && b == 4);
	cts_point_search(ts, 6, 4, 6, &a, &b);
	CHECK(a == b);
	cts_point_search(ts, 6, INT64_MIN, INT64_MAX, &a, &b);
	CHECK(a == 0 && b == 6);
	cts_point_search(ts, 6, 9, 1, &a, &b);
	CHECK(a == b);
}

/* the aggregate of a random value over random ranges equals brute force */
static void
test_agg(void)
{
	size_t		n = 30000;
	cts_point  *p = (cts_point *) malloc(n * sizeof(cts_point));
	cts_encode2_opts o;
	size_t		len,
				bad,
				i;
	cts_status	st;
	uint8_t    *buf;
	cts_header	h;
	int			trial;

	memset(&o, 0, sizeof(o));
	o.codec = CTS_CODEC2_LOSSLESS;
	o.block_points = 1000;
	tu_seed(5);
	for (i = 0; i < n; i++)
	{
		p[i].ts = (int64_t) i * 10;
		p[i].value = (i % 997 == 3) ? NAN : (double) tu_randn(1000) / 8;
	}
	buf = tu2_encode(p, n, &o, &len, &st, &bad);
	CHECK_STATUS(st, CTS_OK);
	cts_read_header(buf, len, &h);
	for (trial = 0; trial < 300; trial++)
	{
		int64_t		lo = (int64_t) tu_randn(310000) - 5000;
		int64_t		hi = lo + (int64_t) tu_randn(100000);
		cts_agg		acc;
		uint32_t	b;
		double		mn,
					mx,
					sum,
					bmn = 0,
					bmx = 0;
		int			ovf,
					have = 0,
					nan = 0;
		uint64_t	cnt = 0;
		double	   *fin = (double *) malloc(n * sizeof(double));
		size_t		nf = 0;

		cts_agg_init(&acc);
		for (b = 0; b < h.nblocks; b++)
		{
			cts_block_info bi;
			uint32_t	j0,
						j1;

			cts_read_block_info(buf, len, &h, b, &bi);
			if (bi.last_ts < lo || bi.first_ts > hi)
				continue;
			if (bi.first_ts >= lo && bi.last_ts <= hi)
			{
				cts_agg_block(&acc, &bi);
				continue;
			}
			cts_decode_block(buf, len, &h, &bi, tu2_ts, tu2_vals);
			cts_point_search(tu2_ts, bi.npoints, lo, hi, &j0, &j1);
			cts_agg_points(&acc, tu2_vals, j0, j1, bi.max_error);
		}
		cts_agg_result(&acc, &mn, &mx, &sum, &ovf);
		for (i = 0; i < n; i++)
		{
			if (p[i].ts < lo || p[i].ts > hi)
				continue;
			cnt++;
			if (isnan(p[i].value))
			{
				nan = 1;
				continue;
			}
			fin[nf++] = p[i].value;
			if (!have || p[i].value < bmn)
				bmn = p[i].value;
			if (!have || p[i].value > bmx)
				bmx = p[i].value;
			have = 1;
		}
		CHECK(acc.count == cnt);
		if (cnt > 0)
		{
			double		s = cts_sum(fin, nf);

			CHECK(have ? mn == bmn : isnan(mn));
			CHECK(nan ? isnan(mx) : mx == bmx);
			CHECK(nan ? isnan(sum) : fabs(sum - s) <= 1e-9 * (fabs(s) + 1));
			CHECK(!ovf);
		}
		free(fin);
	}
	free(buf);
	free(p);
}

int
main(void)
{
	RUN(test_span_search);
	RUN(test_point_search);
	RUN(test_agg);
	return h_done("test_range");
}
