/*-------------------------------------------------------------------------
 *
 * csv_number.c
 *	  Numbers from CSV cells: float8in's reading, missing-value markers,
 *	  exact integers, and epoch times as to_timestamp() reads them.
 *
 * cts_csv_parse_double must give exactly what PostgreSQL 15's float8in
 * (float8in_internal_opt_error in src/backend/utils/adt/float.c) gives for
 * the same text, bit for bit, or fail where it fails.  float8in skips
 * leading white space, rejects an empty string, calls strtod, and if
 * strtod consumed nothing or set errno, accepts NaN, [+-]Infinity and
 * [+-]inf itself (case-insensitively), and turns ERANGE into an error only
 * when the result is 0 or +-HUGE_VAL: a nonzero denormal is kept (1e-310
 * reads, 1e-400 and 1e309 are out of range).  Then trailing white space,
 * and anything left is a syntax error.  With glibc, strtod also reads
 * hexadecimal ("0x1A" is 26), "infinity" and "nan(chars)", and so does
 * float8in; so do we, by calling the same strtod.  (The backend always
 * runs with LC_NUMERIC=C, so strtod's decimal point is '.'.)
 *
 * The fast path.  Most cells are plain decimals like -123.45 or 1e3.  If
 * the significant digits w (leading zeros dropped) are at most 2^53 and the
 * decimal exponent e is within [-22, 22], both w and 10^|e| are exact
 * doubles, and one IEEE multiplication (or division) rounds their exact
 * product (quotient) correctly: the correctly rounded value of the decimal,
 * which is what glibc's strtod returns too (W. D. Clinger, "How to read
 * floating point numbers accurately", PLDI 1990).  test/csv/test_csv.c
 * checks this against strtod on millions of random decimals.  Anything
 * else (more digits, larger exponents, hex, words) goes to strtod on a
 * NUL-terminated copy in a stack buffer.
 *
 * to_timestamp(double precision) (float8_timestamptz in
 * src/backend/utils/adt/timestamp.c, PostgreSQL 15): NaN is an error,
 * +-Infinity gives +-infinity; else seconds outside
 * [86400 * (0 - 2440588), 86400 * (109203528 - 2440588)) are out of range;
 * then seconds -= 946684800 (double), result = (int64) rint(seconds * 1e6),
 * and the result must be in [MIN_TIMESTAMP, END_TIMESTAMP).
 * cts_csv_epoch_seconds_to_usec does the same operations in the same order.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/csv/csv_number.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_internal.h"

/* PostgreSQL's timestamp constants (datatype/timestamp.h, PostgreSQL 15) */
#define CSV_SECS_PER_DAY		86400
#define CSV_USECS_PER_SEC		INT64_C(1000000)
#define CSV_UNIX_EPOCH_JDATE	2440588
#define CSV_POSTGRES_EPOCH_JDATE 2451545
#define CSV_DATETIME_MIN_JULIAN 0
#define CSV_TIMESTAMP_END_JULIAN 109203528
#define CSV_MIN_TIMESTAMP		INT64_C(-211813488000000000)
#define CSV_END_TIMESTAMP		INT64_C(9223371331200000000)
/* microseconds from 1970-01-01 to 2000-01-01 */
#define CSV_EPOCH_SHIFT_USEC	INT64_C(946684800000000)

/* 10^0 .. 10^22: every one an exact double */
static const double cts_csv_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * prefix_ci
 *		Does s[0..n) start with the ASCII word w, ignoring case
 *		(pg_strncasecmp(s, w, strlen(w)) == 0 on a NUL-terminated s)?
 */
static int
prefix_ci(const char *s, size_t n, const char *w)
{
	size_t		k;

	for (k = 0; w[k]; k++)
	{
		unsigned char c;

		if (k >= n)
			return 0;
		c = (unsigned char) s[k];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		if (c != (unsigned char) w[k])
			return 0;
	}
	return 1;
}

/*
 * cts_csv_double_fast
 *		Clinger's fast path on trimmed text (see the file header).
 *
 * Accepts [+-] digits [. digits] [(e|E) [+-] digits] with at least one
 * mantissa digit; returns 0 (strtod decides) for any other text, for more
 * than 19 significant digits, w > 2^53, or |exponent| > 22.
 */
int
cts_csv_double_fast(const char *s, size_t n, double *out)
{
	size_t		i = 0;
	int			neg = 0;
	int			any = 0;
	int			ndig = 0;
	uint64_t	w = 0;
	long		exp10 = 0;
	double		d;

	if (n > CSV_MAX_NUMBER_LEN)
		return 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
	{
		neg = (s[i] == '-');
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
	{
		any = 1;
		if (w == 0 && s[i] == '0')
			continue;
		if (ndig == 19)
			return 0;
		w = w * 10 + (uint64_t) (s[i] - '0');
		ndig++;
	}
	if (i < n && s[i] == '.')
	{
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		{
			any = 1;
			exp10--;
			if (w == 0 && s[i] == '0')
				continue;
			if (ndig == 19)
				return 0;
			w = w * 10 + (uint64_t) (s[i] - '0');
			ndig++;
		}
	}
	if (!any)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E'))
	{
		int			eneg = 0;
		long		e = 0;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
		{
			eneg = (s[i] == '-');
			i++;
		}
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;			/* "1e", "1e+": strtod stops before the e */
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		exp10 += eneg ? -e : e;
	}
	if (i != n)
		return 0;
	if (w == 0)
	{
		*out = neg ? -0.0 : 0.0;
		return 1;
	}
	if (w > (UINT64_C(1) << 53) || exp10 < -22 || exp10 > 22)
		return 0;
	d = (double) w;
	if (exp10 >= 0)
		d = d * cts_csv_pow10[exp10];
	else
		d = d / cts_csv_pow10[-exp10];
	*out = neg ? -d : d;
	return 1;
}

/*
 * cts_csv_double_strtod
 *		float8in's strtod path on trimmed text s[0..n), n <= CSV_MAX_NUMBER_LEN.
 *
 * The caller's errno is preserved.
 */
cts_csv_status
cts_csv_double_strtod(const char *s, size_t n, double *out)
{
	char		buf[CSV_MAX_NUMBER_LEN + 1];
	char	   *end;
	double		val;
	int			saved_errno = errno;
	int			err;

	if (n == 0)
		return CSV_ERR_SYNTAX;
	if (n > CSV_MAX_NUMBER_LEN)
		return CSV_ERR_NUMBER_TOO_LONG;
	/* PostgreSQL text never holds NUL; here it would cut the string short */
	if (memchr(s, '\0', n) != NULL)
		return CSV_ERR_SYNTAX;
	memcpy(buf, s, n);
	buf[n] = '\0';

	errno = 0;
	val = strtod(buf, &end);
	err = errno;
	errno = saved_errno;

	if (end == buf || err != 0)
	{
		/* float8in's own spellings, in its order */
		if (prefix_ci(buf, n, "nan"))
		{
			val = NAN;
			end = buf + 3;
		}
		else if (prefix_ci(buf, n, "infinity"))
		{
			val = INFINITY;
			end = buf + 8;
		}
		else if (prefix_ci(buf, n, "+infinity"))
		{
			val = INFINITY;
			end = buf + 9;
		}
		else if (prefix_ci(buf, n, "-infinity"))
		{
			val = -INFINITY;
			end = buf + 9;
		}
		else if (prefix_ci(buf, n, "inf"))
		{
			val = INFINITY;
			end = buf + 3;
		}
		else if (prefix_ci(buf, n, "+inf"))
		{
			val = INFINITY;
			end = buf + 4;
		}
		else if (prefix_ci(buf, n, "-inf"))
		{
			val = -INFINITY;
			end = buf + 4;
		}
		else if (err == ERANGE)
		{
			/* underflow to a nonzero denormal is accepted, as float8in does */
			if (val == 0.0 || val >= HUGE_VAL || val <= -HUGE_VAL)
				return CSV_ERR_RANGE;
		}
		else
			return CSV_ERR_SYNTAX;
	}
	while (*end != '\0' && cts_csv_is_space((unsigned char) *end))
		end++;
	if (*end != '\0')
		return CSV_ERR_SYNTAX;
	*out = val;
	return CSV_OK;
}

/*
 * cts_csv_parse_double
 *		p[0..len) as float8in reads it (see the file header).
 */
cts_csv_status
cts_csv_parse_double(const char *p, size_t len, double *out)
{
	const char *s;
	size_t		n = len;

	if (p == NULL || out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	s = cts_csv_trim(p, &n);
	if (n == 0)
		return CSV_ERR_SYNTAX;
	if (n > CSV_MAX_NUMBER_LEN)
		return CSV_ERR_NUMBER_TOO_LONG;
	if (cts_csv_double_fast(s, n, out))
		return CSV_OK;
	return cts_csv_double_strtod(s, n, out);
}

/*
 * cts_csv_is_missing
 *		Is p[0..len) a missing-value marker (the list is in csv.h)?
 */
int
cts_csv_is_missing(const char *p, size_t len)
{
	size_t		n = len;
	const char *s = cts_csv_trim(p, &n);

	switch (n)
	{
		case 0:
			return 1;
		case 2:
			return memcmp(s, "NA", 2) == 0;
		case 3:
			return memcmp(s, "N/A", 3) == 0 || memcmp(s, "n/a", 3) == 0 ||
				prefix_ci(s, n, "nan");
		case 4:
			return memcmp(s, "null", 4) == 0 || memcmp(s, "NULL", 4) == 0 ||
				((s[0] == '+' || s[0] == '-') && prefix_ci(s + 1, 3, "nan"));
	}
	return 0;
}

/*
 * cts_csv_parse_value
 *		A value cell: a marker or a NaN is CSV_MISSING, else the number.
 */
cts_csv_status
cts_csv_parse_value(const char *p, size_t len, double *out)
{
	cts_csv_status	st;

	if (p == NULL || out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	if (cts_csv_is_missing(p, len))
		return CSV_MISSING;
	st = cts_csv_parse_double(p, len, out);
	if (st == CSV_OK && isnan(*out))
		return CSV_MISSING;
	return st;
}

/*
 * cts_csv_parse_int64
 *		An exact integer (syntax in csv.h).
 */
cts_csv_status
cts_csv_parse_int64(const char *p, size_t len, int64_t *out)
{
	size_t		n = len;
	const char *s;
	size_t		i = 0;
	int			neg = 0;
	uint64_t	acc = 0;
	uint64_t	lim;

	if (p == NULL || out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	s = cts_csv_trim(p, &n);
	if (i < n && (s[i] == '+' || s[i] == '-'))
	{
		neg = (s[i] == '-');
		i++;
	}
	if (i == n)
		return CSV_ERR_SYNTAX;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return CSV_ERR_SYNTAX;

	lim = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	for (i = (s[0] == '+' || s[0] == '-') ? 1 : 0; i < n; i++)
	{
		uint64_t	d = (uint64_t) (s[i] - '0');

		if (acc > (lim - d) / 10)
			return CSV_ERR_RANGE;
		acc = acc * 10 + d;
	}
	if (neg)
		*out = (acc == (uint64_t) INT64_MAX + 1) ? INT64_MIN : -(int64_t) acc;
	else
		*out = (int64_t) acc;
	return CSV_OK;
}

/*
 * cts_csv_epoch_seconds_to_usec
 *		to_timestamp(seconds), step by step as PostgreSQL 15 does it.
 */
cts_csv_status
cts_csv_epoch_seconds_to_usec(double seconds, int64_t *out)
{
	int64_t		result;

	if (out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	if (isnan(seconds) || isinf(seconds))
		return CSV_ERR_RANGE;
	if (seconds < (double) CSV_SECS_PER_DAY * (CSV_DATETIME_MIN_JULIAN - CSV_UNIX_EPOCH_JDATE) ||
		seconds >= (double) CSV_SECS_PER_DAY * (CSV_TIMESTAMP_END_JULIAN - CSV_UNIX_EPOCH_JDATE))
		return CSV_ERR_RANGE;
	seconds -= ((CSV_POSTGRES_EPOCH_JDATE - CSV_UNIX_EPOCH_JDATE) * CSV_SECS_PER_DAY);
	seconds = rint(seconds * CSV_USECS_PER_SEC);
	result = (int64_t) seconds;
	if (!(CSV_MIN_TIMESTAMP <= result && result < CSV_END_TIMESTAMP))
		return CSV_ERR_RANGE;
	*out = result;
	return CSV_OK;
}

/*
 * cts_csv_epoch_ms_to_usec
 *		Integer epoch milliseconds, exactly.
 */
cts_csv_status
cts_csv_epoch_ms_to_usec(int64_t ms, int64_t *out)
{
	int64_t		us;

	if (out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	/* shift to the 2000 epoch first, so that every valid result is reachable */
	if (ms < INT64_MIN + CSV_EPOCH_SHIFT_USEC / 1000)
		return CSV_ERR_RANGE;
	ms -= CSV_EPOCH_SHIFT_USEC / 1000;
	if (ms > INT64_MAX / 1000 || ms < INT64_MIN / 1000)
		return CSV_ERR_RANGE;
	us = ms * 1000;
	if (!(CSV_MIN_TIMESTAMP <= us && us < CSV_END_TIMESTAMP))
		return CSV_ERR_RANGE;
	*out = us;
	return CSV_OK;
}

/*
 * cts_csv_parse_epoch
 *		An epoch cell in seconds or milliseconds (rules in csv.h).
 */
cts_csv_status
cts_csv_parse_epoch(const char *p, size_t len, cts_csv_epoch_unit unit, int64_t *out)
{
	cts_csv_status	st;
	double		d;

	if (p == NULL || out == NULL ||
		(unit != CSV_EPOCH_SECONDS && unit != CSV_EPOCH_MILLISECONDS))
		return CSV_ERR_BAD_ARGUMENT;
	if (unit == CSV_EPOCH_MILLISECONDS)
	{
		int64_t		ms;

		st = cts_csv_parse_int64(p, len, &ms);
		if (st == CSV_OK)
			return cts_csv_epoch_ms_to_usec(ms, out);
		if (st == CSV_ERR_RANGE)
			return st;
	}
	st = cts_csv_parse_double(p, len, &d);
	if (st != CSV_OK)
		return st;
	if (unit == CSV_EPOCH_MILLISECONDS)
		d = d / 1000.0;
	return cts_csv_epoch_seconds_to_usec(d, out);
}
