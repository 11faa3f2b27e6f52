/*-------------------------------------------------------------------------
 *
 * fuzz_common.h
 *	  Prelude of the fuzz targets: the oracle of test/codec/testutil.h with
 *	  every failed check turned into an abort(), which libFuzzer reports as
 *	  a crash (and the replay driver as a failed run).
 *
 * Setting CTS_FUZZ_LAX=1 in the environment relaxes the oracle around the
 * open issues it knows (non-canonical bytes that validate, overflowing
 * sums; see tu_lax_* in testutil.h), so a fuzzing session can look past
 * them for other bugs.  The ordinary replay runs strict.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/fuzz_common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_FUZZ_COMMON_H
#define CTS_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void fz_fail(const char *fmt,...);

#define OC_CHECK(cond, ...) ((cond) ? 1 : (fz_fail(__VA_ARGS__), 0))

#include "testutil.h"

static void
fz_fail(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "ORACLE FAILURE: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	abort();
}

#define FZ_CHECK(cond, ...) OC_CHECK(cond, __VA_ARGS__)

static int	fz_initialized;

static inline void
fz_init(void)
{
	const char *lax;

	if (fz_initialized)
		return;
	fz_initialized = 1;
	lax = getenv("CTS_FUZZ_LAX");
	if (lax && lax[0] && strcmp(lax, "0") != 0)
	{
		tu_lax_canonical = 1;
		tu_lax_sums = 1;
	}
}

/* statuses only the encoder may return */
static inline int
fz_reader_status(cts_status st)
{
	return (int) st >= 0 &&
		((int) st <= (int) CTS_ERR_BUFFER_TOO_SMALL || st == CTS_ERR_BAD_CHECKSUM) &&
		st != CTS_ERR_NONFINITE && st != CTS_ERR_UNSORTED &&
		st != CTS_ERR_OFF_GRID && st != CTS_ERR_BAD_ARGUMENT;
}

/* the largest value the targets decode in full (points) */
#define FZ_MAX_POINTS ((size_t) 1 << 22)

#endif							/* CTS_FUZZ_COMMON_H */
