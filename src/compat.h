/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every difference between the PostgreSQL versions chronos builds
 *	  against (15, 16, 17 and 18), in one place.
 *
 * The glue includes this header instead of testing PG_VERSION_NUM itself,
 * so that a new major version means reading its release notes against
 * this file only.  What differs:
 *
 *	- Soft input errors (16+): an input function reports bad input through
 *	  fcinfo->context (an ErrorSaveContext) with errsave() instead of
 *	  throwing, which pg_input_is_valid() and pg_input_error_info() rely on.
 *	  On 15 there is no such context; errsave() is an ERROR and
 *	  SOFT_ERROR_OCCURRED() is false, so code written for 16 runs unchanged.
 *	- float8in_internal_opt_error (15) became float8in_internal with an
 *	  escontext (16).
 *	- DecodeDateTime gained an argument in 16; on 16+ chronos does not call
 *	  it at all but converts a timestamp with one soft-error call of
 *	  timestamptz_in (chronos_parse_timestamptz below).
 *	- pg_attribute_noreturn() (up to 17, written after the declarator) was
 *	  replaced by pg_noreturn (18, written before the declaration).  chronos
 *	  writes pg_noreturn before the declaration; on 15-17 it expands to the
 *	  GCC attribute, which may stand there too.
 *	- varatt.h (16) holds the varlena macros (VARSIZE_ANY, SET_VARSIZE,
 *	  VARATT_IS_EXTERNAL, ...), which postgres.h no longer brings.
 *	- make_range gained an escontext argument in 16.
 *	- PG_MODULE_MAGIC_EXT (18) lets the module state its name and version
 *	  (pg_get_loaded_modules()).
 *	- Infinite intervals (17): INTERVAL_NOT_FINITE; before 17 every
 *	  interval is finite (CHRONOS_INTERVAL_NOT_FINITE is then false).
 *	- EXPLAIN's property functions (ExplainPropertyText, ...) moved to
 *	  commands/explain_format.h in 18; a file that defines
 *	  CHRONOS_NEED_EXPLAIN before including this header gets them.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_COMPAT_H
#define CHRONOS_COMPAT_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#if PG_VERSION_NUM < 150000
#error "chronos needs PostgreSQL 15 or later"
#endif

#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#include "varatt.h"
#endif
#include "utils/rangetypes.h"

#ifdef INTERVAL_NOT_FINITE
#define CHRONOS_INTERVAL_NOT_FINITE(i) INTERVAL_NOT_FINITE(i)
#else
#define CHRONOS_INTERVAL_NOT_FINITE(i) false
#endif

#ifdef CHRONOS_NEED_EXPLAIN
#include "commands/explain.h"
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#endif
#endif

/* ----------------------------------------------------------------
 *		noreturn
 * ----------------------------------------------------------------
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* ----------------------------------------------------------------
 *		Module magic
 * ----------------------------------------------------------------
 */
#ifndef CHRONOS_VERSION
#define CHRONOS_VERSION "unknown"
#endif

#if PG_VERSION_NUM >= 180000
#define CHRONOS_MODULE_MAGIC \
	PG_MODULE_MAGIC_EXT(.name = "chronos", .version = CHRONOS_VERSION)
#else
#define CHRONOS_MODULE_MAGIC PG_MODULE_MAGIC
#endif

/* ----------------------------------------------------------------
 *		Ranges
 * ----------------------------------------------------------------
 */
#if PG_VERSION_NUM >= 160000
#define chronos_make_range(typcache, lower, upper) \
	make_range((typcache), (lower), (upper), false, NULL)
#else
#define chronos_make_range(typcache, lower, upper) \
	make_range((typcache), (lower), (upper), false)
#endif

/* ----------------------------------------------------------------
 *		Soft input errors
 * ----------------------------------------------------------------
 */
#if PG_VERSION_NUM >= 160000
#define CHRONOS_SOFT_ERRORS 1
#else
#define CHRONOS_SOFT_ERRORS 0
/* 15: there is no ErrorSaveContext, so every reported input error throws */
#define errsave(context, ...)	ereport(ERROR, __VA_ARGS__)
#define SOFT_ERROR_OCCURRED(escontext)	false
#endif

/*
 * chronos_float8in
 *		Convert num (a NUL-terminated token) as float8in does, without
 *		throwing: *bad is set when it is not a number or out of range.
 *		NaN and the infinities are accepted.  *endptr receives the end of
 *		what was converted.
 */
static inline double
chronos_float8in(char *num, char **endptr, bool *bad)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};
	double		result;

	result = float8in_internal(num, endptr, "double precision", num,
							   (Node *) &escontext);
	*bad = escontext.error_occurred;
	return result;
#else
	*bad = false;
	return float8in_internal_opt_error(num, endptr, "double precision", num,
									   bad);
#endif
}

/*
 * chronos_parse_timestamptz
 *		Convert token as timestamptz_in does, reporting a malformed token by
 *		returning false instead of throwing, so that the caller can say
 *		where in its own input the token stands.
 *
 * message: on false, PostgreSQL's own message for the token (palloc'd), or
 *		NULL when the version cannot give one.
 *
 * 16+: one call of timestamptz_in with an ErrorSaveContext; every error it
 * reports softly (syntax, a field out of range, an unknown time zone,
 * "timestamp out of range") comes back as false with its message.
 *
 * 15: timestamptz_in cannot report softly, so the token is first checked
 * with ParseDateTime + DecodeDateTime, which return error codes (false,
 * message NULL), and only a token they accept is converted.  The errors
 * timestamptz_in can still raise then ("timestamp out of range", and an
 * unknown time zone name, which DecodeDateTime itself raises on 15) are
 * thrown; the caller's error context callback places them.
 */
static inline bool
chronos_parse_timestamptz(char *token, TimestampTz *result, char **message)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};
	Datum		d;

	escontext.details_wanted = true;
	*message = NULL;
	if (!DirectInputFunctionCallSafe(timestamptz_in, token, InvalidOid, -1,
									 (Node *) &escontext, &d))
	{
		if (escontext.error_data != NULL)
		{
			*message = pstrdup(escontext.error_data->message);
			FreeErrorData(escontext.error_data);
		}
		return false;
	}
	*result = DatumGetTimestampTz(d);
	return true;
#else
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype = 0;
	int			tz;
	int			dterr;
	struct pg_tm tm;
	fsec_t		fsec;

	*message = NULL;
	dterr = ParseDateTime(token, workbuf, sizeof(workbuf),
						  field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz);
	if (dterr != 0 ||
		(dtype != DTK_DATE && dtype != DTK_EPOCH &&
		 dtype != DTK_LATE && dtype != DTK_EARLY))
		return false;

	*result = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
													  CStringGetDatum(token),
													  ObjectIdGetDatum(InvalidOid),
													  Int32GetDatum(-1)));
	return true;
#endif
}

#endif							/* CHRONOS_COMPAT_H */
