/*-------------------------------------------------------------------------
 *
 * harness.h
 *	  A tiny, self-contained assert harness for the codec unit tests.
 *
 * A test is a function run with RUN(fn).  Inside it, CHECK(cond) and its
 * typed variants count one check each; a failed check prints a diagnostic
 * line "#   file:line: ..." (at most H_MAX_DIAG per test, so a loop over a
 * million points cannot flood the log).  When the function returns, the
 * harness prints a TAP-like line:
 *
 *		ok 3 - test_empty_series
 *		not ok 4 - test_constant_series (first failure at test_encode.c:120)
 *
 * h_done() prints the plan "1..N", a summary comment with the number of
 * checks, and returns the process exit status (0 only if nothing failed).
 * Every line is flushed at once, so a sanitizer abort still leaves the last
 * finished test on the log.
 *
 * Only C99 and the C library: no dependency on the code under test.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/harness.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_TEST_HARNESS_H
#define CTS_TEST_HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H_MAX_DIAG 8

static int	h_ntests;			/* tests finished */
static int	h_nfailed_tests;	/* tests with at least one failed check */
static long h_nchecks;			/* checks evaluated */
static long h_nfailed_checks;	/* checks that failed */
static const char *h_cur_name;	/* running test */
static int	h_cur_failed;		/* failed checks in the running test */
static const char *h_first_file;	/* first failure of the running test */
static int	h_first_line;

static inline void
h_begin(const char *name)
{
	h_cur_name = name;
	h_cur_failed = 0;
	h_first_file = NULL;
	h_first_line = 0;
}

static inline void
h_end(void)
{
	h_ntests++;
	if (h_cur_failed == 0)
		printf("ok %d - %s\n", h_ntests, h_cur_name);
	else
	{
		h_nfailed_tests++;
		printf("not ok %d - %s (%d failed checks, first at %s:%d)\n",
			   h_ntests, h_cur_name, h_cur_failed, h_first_file, h_first_line);
	}
	fflush(stdout);
}

/* print a diagnostic comment line (shown whatever the outcome) */
static inline void
h_note(const char *fmt,...)
{
	va_list		ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * Record one check.  cond is the outcome; on failure print file:line and the
 * printf-style message.  Returns cond so callers can bail out early:
 *		if (!CHECK(st == CTS_OK)) return;
 */
static inline int
h_check(int cond, const char *file, int line, const char *fmt,...)
{
	va_list		ap;

	h_nchecks++;
	if (cond)
		return 1;
	h_nfailed_checks++;
	if (h_cur_failed == 0)
	{
		h_first_file = file;
		h_first_line = line;
	}
	h_cur_failed++;
	if (h_cur_failed <= H_MAX_DIAG)
	{
		printf("#   %s:%d: [%s] ", file, line, h_cur_name ? h_cur_name : "?");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	else if (h_cur_failed == H_MAX_DIAG + 1)
		printf("#   %s:%d: [%s] (further failures of this test not shown)\n",
			   file, line, h_cur_name ? h_cur_name : "?");
	fflush(stdout);
	return 0;
}

static inline uint64_t
h_dbits(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof u);
	return u;
}

#define CHECK(cond) \
	h_check(!!(cond), __FILE__, __LINE__, "check failed: %s", #cond)
#define CHECKF(cond, ...) \
	h_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ_I64(a, b) \
	h_check((int64_t) (a) == (int64_t) (b), __FILE__, __LINE__, \
			"%s == %s: got %" PRId64 ", expected %" PRId64, #a, #b, \
			(int64_t) (a), (int64_t) (b))
#define CHECK_EQ_U64(a, b) \
	h_check((uint64_t) (a) == (uint64_t) (b), __FILE__, __LINE__, \
			"%s == %s: got %" PRIu64 ", expected %" PRIu64, #a, #b, \
			(uint64_t) (a), (uint64_t) (b))
/* doubles compared bit for bit (so -0.0 != 0.0, and NaN == same NaN) */
#define CHECK_EQ_BITS(a, b) \
	h_check(h_dbits(a) == h_dbits(b), __FILE__, __LINE__, \
			"%s == %s bitwise: got %.17g (0x%016" PRIx64 "), expected %.17g (0x%016" PRIx64 ")", \
			#a, #b, (double) (a), h_dbits(a), (double) (b), h_dbits(b))
#define CHECK_LE_DBL(a, b) \
	h_check((double) (a) <= (double) (b), __FILE__, __LINE__, \
			"%s <= %s: got %.17g > %.17g", #a, #b, (double) (a), (double) (b))

#define RUN(fn) \
	do { h_begin(#fn); fn(); h_end(); } while (0)

/* print the plan and the summary; returns the exit status */
static inline int
h_done(const char *suite)
{
	printf("1..%d\n", h_ntests);
	printf("# %s: %d tests, %d failed; %ld checks, %ld failed\n",
		   suite, h_ntests, h_nfailed_tests, h_nchecks, h_nfailed_checks);
	fflush(stdout);
	return (h_nfailed_tests == 0 && h_nfailed_checks == 0) ? 0 : 1;
}

#endif							/* CTS_TEST_HARNESS_H */
