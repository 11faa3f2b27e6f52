/*-------------------------------------------------------------------------
 *
 * csv_internal.h
 *	  Helpers shared by the CSV library's .c files and its tests.  Not part
 *	  of the API the glue uses.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/csv/csv_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_CSV_INTERNAL_H
#define CHRONOS_CSV_INTERNAL_H

#include "csv.h"

/* white space as float8in and the datetime parser skip it (C-locale isspace) */
static inline int
cts_csv_is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* trim white space from both ends of p[0..*len) */
static inline const char *
cts_csv_trim(const char *p, size_t *len)
{
	size_t		n = *len;

	while (n > 0 && cts_csv_is_space((unsigned char) p[0]))
	{
		p++;
		n--;
	}
	while (n > 0 && cts_csv_is_space((unsigned char) p[n - 1]))
		n--;
	*len = n;
	return p;
}

/*
 * Clinger's fast path alone, on trimmed text: returns 1 and sets *out when
 * s[0..n) is a plain decimal it converts exactly, 0 when strtod must
 * decide.  Exposed so the tests can prove it equal to strtod.
 */
extern int	cts_csv_double_fast(const char *s, size_t n, double *out);

/* The strtod path alone, on trimmed text of at most CSV_MAX_NUMBER_LEN bytes. */
extern cts_csv_status cts_csv_double_strtod(const char *s, size_t n, double *out);

#endif							/* CHRONOS_CSV_INTERNAL_H */
