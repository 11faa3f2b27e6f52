/*-------------------------------------------------------------------------
 *
 * unit.h
 *	  Common prelude of the codec unit tests: the harness, the oracle from
 *	  testutil.h wired onto it, and status checks.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/codec/unit.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_TEST_UNIT_H
#define CTS_TEST_UNIT_H

#include "harness.h"

#define OC_CHECK(cond, ...) h_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#include "testutil.h"

/* status equality, printed by name */
#define CHECK_STATUS(got, expected) \
	h_check((got) == (expected), __FILE__, __LINE__, \
			"%s: got %s, expected %s", #got, \
			tu_status_name(got), tu_status_name(expected))
/* any failure status (not CTS_OK) */
#define CHECK_FAILS(got) \
	h_check((got) != CTS_OK, __FILE__, __LINE__, "%s: got CTS_OK, expected a failure", #got)

/* bytes equal, reporting the first difference */
static inline int
u_bytes_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
			  const char *what, const char *file, int line)
{
	size_t		k = 0;

	while (k < alen && k < blen && a[k] == b[k])
		k++;
	return h_check(alen == blen && k == alen, file, line,
				   "%s: %zu vs %zu bytes, first difference at byte %zu", what, alen, blen, k);
}
#define CHECK_BYTES(a, alen, b, blen) \
	u_bytes_equal((a), (alen), (b), (blen), #a " == " #b, __FILE__, __LINE__)

/* points at a regular interval starting at t0 */
static inline cts_point *
u_regular(size_t n, int64_t t0, int64_t step)
{
	cts_point  *p = (cts_point *) malloc((n ? n : 1) * sizeof(cts_point));
	size_t		i;

	for (i = 0; i < n; i++)
	{
		p[i].ts = t0 + (int64_t) i * step;
		p[i].value = 0;
	}
	return p;
}

#endif							/* CTS_TEST_UNIT_H */
