/*-------------------------------------------------------------------------
 *
 * chronos.c
 *	  Module entry point of the chronos extension.
 *
 * PostgreSQL loads chronos.so when a chronos function is first called in a
 * session (or earlier, through shared_preload_libraries).  _PG_init runs
 * once per process: it lets each component define its settings, then
 * reserves the "chronos." prefix so that a misspelled chronos setting is
 * reported instead of silently becoming a placeholder.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/chronos.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "cache.h"
#include "compat.h"
#include "compact_ts.h"
#include "memory.h"
#include "stream.h"

/* with its name and version on PostgreSQL 18 (pg_get_loaded_modules()) */
CHRONOS_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init
 *		Define every component's GUCs, then reserve the prefix.
 */
void
_PG_init(void)
{
	chronos_memory_init();
	chronos_codec_init();
	chronos_stream_init();
	chronos_scan_init();
	chronos_cache_init();

	MarkGUCPrefixReserved("chronos");
}
