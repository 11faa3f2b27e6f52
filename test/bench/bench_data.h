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

/*
 * The walk of issue 9's reference table: start uniform in [10, 1000), steps
 * normal with sigma 0.5 (Box-Muller on splitmix64), one point every 10 s.
 * bd_gwalk_next gives the unrounded value; round it with bd_hundredths for
 * the 2-decimal walk.
 */
typedef struct bd_gwalk
{
	uint64_t	state;
	double		value;
	double		spare;
	int			have_spare;
} bd_gwalk;

static inline double
bd_unit(uint64_t *state)
{
	return (double) (bd_splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

static inline void
bd_gwalk_init(bd_gwalk *w, uint64_t seed, uint32_t series)
{
	w->state = seed * UINT64_C(2000003) + series + UINT64_C(77);
	(void) bd_splitmix64(&w->state);
	w->value = 10.0 + 990.0 * bd_unit(&w->state);
	w->have_spare = 0;
}

static inline double
bd_gwalk_next(bd_gwalk *w, uint64_t i)
{
	if (i > 0)
	{
		double		step;

		if (w->have_spare)
		{
			step = w->spare;
			w->have_spare = 0;
		}
		else
		{
			double		u1 = bd_unit(&w->state),
						u2 = bd_unit(&w->state);
			double		r = sqrt(-2.0 * log(1.0 - u1));

			step = r * cos(6.283185307179586 * u2);
			w->spare = r * sin(6.283185307179586 * u2);
			w->have_spare = 1;
		}
		w->value += 0.5 * step;
	}
	return w->value;
}

#endif							/* CHRONOS_BENCH_DATA_H */
