/*-------------------------------------------------------------------------
 *
 * csv_time.c
 *	  The timestamp fast path: common ISO 8601 shapes to fields, civil
 *	  dates to day numbers, zoned fields to timestamptz microseconds.
 *
 * The fast path must never disagree with PostgreSQL's timestamptz input
 * (ParseDateTime + DecodeDateTime), which the glue calls for everything the
 * fast path does not recognize.  So it recognizes only shapes whose reading
 * by PostgreSQL is fixed whatever the session's DateStyle (a 4-digit first
 * field makes a date year-month-day in every DateStyle), with exactly the
 * digit counts below, and it answers CSV_NOT_RECOGNIZED for everything
 * PostgreSQL reads in a special way.  Each rule below was checked against a
 * PostgreSQL 15.20 server (test/csv/test_csv.c, test_time_server_table,
 * lists the inputs and what the server said):
 *
 *	- 24:00:00 (the next midnight) and :60 (a leap second, read as the next
 *	  minute) are accepted by PostgreSQL: not recognized here.
 *	- More than 6 fraction digits are rounded by PostgreSQL (.1234565 gives
 *	  .123456, .1234575 gives .123458, through a double): not recognized.
 *	  1 to 6 digits are exact, and so is PostgreSQL's rint(frac * 1e6).
 *	- "03." (a point without digits) is accepted by PostgreSQL: not
 *	  recognized.  "01:02.5" is MM:SS.F to PostgreSQL (00:01:02.5): a
 *	  fraction is only recognized after seconds.
 *	- A lowercase 't' separator is accepted by PostgreSQL; it is left to it.
 *	  'Z' and 'z' are both UTC; so is "UTC" (with or without a space).
 *	- A zone may follow the time directly or after one space ("... +01",
 *	  "... Z"); PostgreSQL also takes several spaces and tabs, left to it.
 *	- Offsets: +HH, +HHMM, +HH:MM with exactly two-digit parts; PostgreSQL
 *	  reads "+1" as +01, "+013" as +00:13 and "+01:3" as +01:03, so those
 *	  are left to it.  It rejects hours above 15 and minutes above 59
 *	  (+15:59 is the largest); so does the fast path (by not recognizing).
 *	  "-00" is UTC.
 *	- A date with a zone and no time ("2000-01-01Z", "2000-01-01+01") is
 *	  read by PostgreSQL; not recognized here ("2000-01-01 -01:02:03" is a
 *	  zone to PostgreSQL, not a time).
 *	- Years: 0000 is rejected and 10000 accepted by PostgreSQL; the fast
 *	  path takes 0001-9999 only.  "1-01-01" is 2001 to PostgreSQL.
 *	- Leading and trailing white space is ignored by PostgreSQL; here too.
 *	- A bare "2000" is rejected by PostgreSQL ("invalid input syntax"), so
 *	  the bare year is ours alone: January 1 of that year, 00:00, zone-less
 *	  (the session TimeZone applies), flagged bare_year.
 *
 * Day numbers use the days-from-civil algorithm of H. Hinnant
 * (http://howardhinnant.github.io/date_algorithms.html), exact for any
 * year in int64 range that does not overflow, proleptic Gregorian, as
 * PostgreSQL's date2j is for the years it accepts.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/csv/csv_time.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "csv_internal.h"

#define CSV_MAX_TZ_HOUR		15	/* PostgreSQL's MAX_TZDISP_HOUR */

/* the value of n (1..4) digits at s, or -1 if any is not a digit */
static int
digits(const char *s, int n)
{
	int			v = 0;
	int			k;

	for (k = 0; k < n; k++)
	{
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

/*
 * parse_zone
 *		The zone at s[0..n) (n > 0): Z, z, UTC, or +-HH[[:]MM].
 *
 * Fills f's zone and offset; returns 0 if s is not exactly one of these.
 */
static int
parse_zone(const char *s, size_t n, cts_csv_time_fields *f)
{
	int			sign,
				hh,
				mm = 0;

	if (n == 1 && (s[0] == 'Z' || s[0] == 'z'))
	{
		f->zone = CSV_ZONE_UTC;
		return 1;
	}
	if (n == 3 && memcmp(s, "UTC", 3) == 0)
	{
		f->zone = CSV_ZONE_UTC;
		return 1;
	}
	if (s[0] != '+' && s[0] != '-')
		return 0;
	sign = (s[0] == '-') ? -1 : 1;
	if (n == 3)
		hh = digits(s + 1, 2);
	else if (n == 5)
	{
		hh = digits(s + 1, 2);
		mm = digits(s + 3, 2);
	}
	else if (n == 6 && s[3] == ':')
	{
		hh = digits(s + 1, 2);
		mm = digits(s + 4, 2);
	}
	else
		return 0;
	if (hh < 0 || mm < 0 || hh > CSV_MAX_TZ_HOUR || mm > 59)
		return 0;
	f->zone = CSV_ZONE_OFFSET;
	f->offset_sec = sign * (hh * 3600 + mm * 60);
	return 1;
}

/*
 * cts_csv_parse_iso_time
 *		The fast path (shapes and rules in csv.h and the file header).
 */
cts_csv_status
cts_csv_parse_iso_time(const char *p, size_t len, cts_csv_time_fields *out)
{
	cts_csv_time_fields f;
	const char *s;
	size_t		n = len;
	size_t		i;
	char		sep;

	if (p == NULL || out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	s = cts_csv_trim(p, &n);
	memset(&f, 0, sizeof(f));
	f.zone = CSV_ZONE_NONE;

	if (n < 4 || (f.year = digits(s, 4)) < 1)
		return CSV_NOT_RECOGNIZED;
	if (n == 4)
	{
		f.month = 1;
		f.day = 1;
		f.bare_year = 1;
		*out = f;
		return CSV_OK;
	}

	/* YYYY-MM-DD or YYYY/MM/DD */
	if (n < 10)
		return CSV_NOT_RECOGNIZED;
	sep = s[4];
	if ((sep != '-' && sep != '/') || s[7] != sep)
		return CSV_NOT_RECOGNIZED;
	f.month = digits(s + 5, 2);
	f.day = digits(s + 8, 2);
	if (f.month < 1 || f.month > 12 || f.day < 1 ||
		f.day > days_in_month(f.year, f.month))
		return CSV_NOT_RECOGNIZED;
	if (n == 10)
	{
		*out = f;
		return CSV_OK;
	}

	/* (' ' | 'T') HH:MM */
	if ((s[10] != ' ' && s[10] != 'T') || n < 16 || s[13] != ':')
		return CSV_NOT_RECOGNIZED;
	f.hour = digits(s + 11, 2);
	f.minute = digits(s + 14, 2);
	if (f.hour < 0 || f.hour > 23 || f.minute < 0 || f.minute > 59)
		return CSV_NOT_RECOGNIZED;
	f.has_time = 1;
	i = 16;

	/* [:SS [.F]] */
	if (i < n && s[i] == ':')
	{
		if (n - i < 3 || (f.second = digits(s + i + 1, 2)) < 0 || f.second > 59)
			return CSV_NOT_RECOGNIZED;
		i += 3;
		if (i < n && s[i] == '.')
		{
			int			nd = 0;
			int32_t		us = 0;

			for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			{
				if (++nd > 6)
					return CSV_NOT_RECOGNIZED;
				us = us * 10 + (s[i] - '0');
			}
			if (nd == 0)
				return CSV_NOT_RECOGNIZED;
			while (nd++ < 6)
				us *= 10;
			f.usec = us;
		}
	}

	/* [[' '] zone] */
	if (i < n)
	{
		if (s[i] == ' ')
			i++;
		if (i == n || !parse_zone(s + i, n - i, &f))
			return CSV_NOT_RECOGNIZED;
	}
	*out = f;
	return CSV_OK;
}

/*
 * cts_csv_days_from_civil
 *		Days from 2000-01-01 to y-m-d (proleptic Gregorian).
 *
 * m and d are taken as given (1..12, 1..31 for a meaningful answer).
 */
int64_t
cts_csv_days_from_civil(int64_t y, int32_t m, int32_t d)
{
	int64_t		era;
	int64_t		yoe;
	int64_t		doy;
	int64_t		doe;

	y -= (m <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* 719468 days from 0000-03-01 to 1970-01-01, 10957 more to 2000-01-01 */
	return era * 146097 + doe - 719468 - 10957;
}

/*
 * cts_csv_fields_to_utc_usec
 *		Microseconds since 2000-01-01 UTC of zoned fields.
 */
cts_csv_status
cts_csv_fields_to_utc_usec(const cts_csv_time_fields *f, int64_t *out)
{
	int64_t		secs;

	if (f == NULL || out == NULL)
		return CSV_ERR_BAD_ARGUMENT;
	if (f->zone != CSV_ZONE_UTC && f->zone != CSV_ZONE_OFFSET)
		return CSV_ERR_BAD_ARGUMENT;
	if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12 ||
		f->day < 1 || f->day > days_in_month(f->year, f->month) ||
		f->hour < 0 || f->hour > 23 || f->minute < 0 || f->minute > 59 ||
		f->second < 0 || f->second > 59 || f->usec < 0 || f->usec > 999999 ||
		f->offset_sec <= -(CSV_MAX_TZ_HOUR + 1) * 3600 ||
		f->offset_sec >= (CSV_MAX_TZ_HOUR + 1) * 3600 ||
		(f->zone == CSV_ZONE_UTC && f->offset_sec != 0))
		return CSV_ERR_BAD_ARGUMENT;

	/* years 1..9999 are far inside timestamptz's range: no overflow, no range error */
	secs = cts_csv_days_from_civil(f->year, f->month, f->day) * 86400 +
		f->hour * 3600 + f->minute * 60 + f->second - f->offset_sec;
	*out = secs * INT64_C(1000000) + f->usec;
	return CSV_OK;
}
