/*-------------------------------------------------------------------------
 *
 * stream.h
 *	  The streaming file readers (src/stream.c): their settings and init.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/stream.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CHRONOS_STREAM_H
#define CHRONOS_STREAM_H

/* How the readers get at a file's bytes (chronos.stream_method). */
typedef enum ChronosStreamMethod
{
	CHRONOS_STREAM_PREAD,		/* pread() into an accounted buffer */
	CHRONOS_STREAM_MMAP			/* mmap()'d windows, guarded against SIGBUS */
} ChronosStreamMethod;

extern int	chronos_stream_window_kb;	/* chronos.stream_window_kb */
extern int	chronos_stream_method;	/* chronos.stream_method */

/* Defines the settings; called once from _PG_init. */
extern void chronos_stream_init(void);

#endif							/* CHRONOS_STREAM_H */
