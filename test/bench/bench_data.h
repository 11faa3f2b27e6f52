/*-------------------------------------------------------------------------
 *
 * bench_data.h
 *	  The benchmark's generated data set, shared by the generator (gen.c,
 *	  which feeds PostgreSQL) and the codec microbenchmark (codec_bench.c),
 *	  so both measure exactly the same points.
 *
 * Series s (0-based) has points i = 0 .. npoints-1:
 *	  ts = 2024-01-01 00:00:00 UTC + 10 s * i
 *	  walk[0] = 100 + 10 * (s % 10)
 *	  walk[i] = walk[i-1] + step,  step uniform in [-0.5, 0.5)
 *	  raw value     = walk[i]                      (unrounded)
 *	  rounded value = llround(walk[i] * 100) / 100 (2 decimals)
 * The random steps come from splitmix64 seeded with (seed, s), so each
 * series is the same whatever the number of series, the data never depends
 * on the C library or the PostgreSQL version, and a run is repeatable.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/bench/bench_data.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_BENCH_DATA_H
#define CHRONOS_BENCH_DATA_H

#include <math.h>
#include <stdint.h>

#define BD_DEFAULT_SEED		20260101ULL
/* 2024-01-01 00:00:00 UTC in PostgreSQL microseconds (8766 days after 2000-01-01) */
#define BD_START_PG_USEC	(INT64_C(8766) * 86400 * 1000000)
/* the same instant as Unix seconds */
#define BD_START_UNIX		INT64_C(1704067200)
#define BD_INTERVAL_SEC		10

typedef struct bd_walk
{
	uint64_t	state;
	double		value;
} bd_walk;

static inline uint64_t
bd_splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline void
bd_walk_init(bd_walk *w, uint64_t seed, uint32_t series)
{
	w->state = seed * UINT64_C(1000003) + series;
	/* decorrelate neighbouring seeds */
	(void) bd_splitmix64(&w->state);
	w->value = 100.0 + 10.0 * (series % 10);
}

/* the walk's value at point i (call for i = 0, 1, 2, ... in order) */
static inline double
bd_walk_next(bd_walk *w, uint64_t i)
{
	if (i > 0)
	{
		/* 53 random bits -> [0, 1) */
		double		u = (double) (bd_splitmix64(&w->state) >> 11) * (1.0 / 9007199254740992.0);

		w->value += u - 0.5;
	}
	return w->value;
}

/* the value rounded to 2 decimals, as an integer number of hundredths */
static inline int64_t
bd_hundredths(double v)
{
	return (int64_t) llround(v * 100.0);
}

#endif							/* CHRONOS_BENCH_DATA_H */
