/*-------------------------------------------------------------------------
 *
 * cache.h
 *	  The lazy loader and its per-backend cache of loaded series (cache.c).
 *
 * The SQL functions (chronos_cache_get, chronos_cache_preload, ...) are
 * all that other code sees of the cache; the memory manager reaches it only
 * through the reclaim hook that chronos_cache_init registers.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_CACHE_H
#define CHRONOS_CACHE_H

/* chronos.cache_max_age, seconds (0: no limit) */
extern int	chronos_cache_max_age;

/* Defines chronos.cache_max_age and installs the hooks; from _PG_init. */
extern void chronos_cache_init(void);

#endif							/* CHRONOS_CACHE_H */
