/*-------------------------------------------------------------------------
 *
 * gorilla.h
 *	  The lossless value codec (Gorilla XOR coding): writer prototypes and
 *	  an inline, bounds-checked reader.  Internal to the codec.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/gorilla.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_GORILLA_H
#define CTS_GORILLA_H

#include "codec_internal.h"

/*
 * Bytes of the XOR bit stream for values[0..n) (stride bytes apart, so it
 * can read cts_point.value in place); writes it to out unless out is NULL.
 */
extern size_t cts_gorilla_write(const double *values, size_t stride,
								uint32_t n, uint8_t *out);

/* Bit reader over [p, p + len): MSB first. */
typedef struct cts_bitreader
{
	const uint8_t *p;
	size_t		len;
	size_t		bitpos;			/* next bit to read */
	uint64_t	prev;			/* previous value's bits */
	int			lead;			/* previous window: leading zeros */
	int			width;			/* previous window: meaningful bits (0 = none yet) */
	uint32_t	count;			/* values read so far */
} cts_bitreader;

static inline int
cts_bits_get(cts_bitreader *r, int nbits, uint64_t *out)
{
	uint64_t	v = 0;

	if (nbits < 0 || nbits > 64 || r->len * 8 - r->bitpos < (size_t) nbits)
		return -1;
	while (nbits > 0)
	{
		size_t		byte = r->bitpos >> 3;
		int			off = (int) (r->bitpos & 7);
		int			avail = 8 - off;
		int			take = nbits < avail ? nbits : avail;
		uint8_t		bits = (uint8_t) (r->p[byte] >> (avail - take)) &
			(uint8_t) ((1u << take) - 1);

		v = (take == 64 ? 0 : v << take) | bits;
		r->bitpos += take;
		nbits -= take;
	}
	*out = v;
	return 0;
}

static inline void
cts_gorilla_reader_init(cts_bitreader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->bitpos = 0;
	r->prev = 0;
	r->lead = 0;
	r->width = 0;
	r->count = 0;
}

/*
 * Next value.  Returns 0, or -1 if the stream is malformed or exhausted.
 *
 * Stream: the first value's 64 bits; then per value a control bit '0' (same
 * as previous), or '1' followed by '0' (XOR fits the previous window: its
 * meaningful bits) or '1' (new window: 6 bits of leading zeros, 6 bits of
 * width - 1, then the meaningful bits).
 */
static inline int
cts_gorilla_next(cts_bitreader *r, double *out)
{
	uint64_t	bit;
	uint64_t	x;

	if (r->count == 0)
	{
		if (cts_bits_get(r, 64, &x) != 0)
			return -1;
		r->prev = x;
	}
	else
	{
		if (cts_bits_get(r, 1, &bit) != 0)
			return -1;
		if (bit)
		{
			if (cts_bits_get(r, 1, &bit) != 0)
				return -1;
			if (bit)
			{
				uint64_t	lead;
				uint64_t	w;

				if (cts_bits_get(r, 6, &lead) != 0 ||
					cts_bits_get(r, 6, &w) != 0)
					return -1;
				if (lead + w + 1 > 64)
					return -1;
				/* canonical: a new window only when the old one cannot serve */
				if (r->width > 0 && (int) lead >= r->lead &&
					(int) (lead + w + 1) <= r->lead + r->width)
					return -1;
				r->lead = (int) lead;
				r->width = (int) w + 1;
				if (cts_bits_get(r, r->width, &x) != 0)
					return -1;
				/* canonical: a new window is tight at both ends */
				if ((x & 1) == 0 || (x >> (r->width - 1)) != 1)
					return -1;
			}
			else
			{
				if (r->width == 0)
					return -1;	/* no window to reuse */
				if (cts_bits_get(r, r->width, &x) != 0)
					return -1;
				/* canonical: an unchanged value is written as a '0' bit */
				if (x == 0)
					return -1;
			}
			r->prev ^= x << (64 - r->lead - r->width);
		}
	}
	r->count++;
	memcpy(out, &r->prev, sizeof(double));
	return 0;
}

/*
 * After the last value: the stream must end in this byte, zero-padded.
 */
static inline int
cts_gorilla_finish(const cts_bitreader *r)
{
	uint64_t	pad;
	cts_bitreader tmp = *r;

	if ((r->bitpos + 7) / 8 != r->len)
		return -1;
	if (cts_bits_get(&tmp, (int) (r->len * 8 - r->bitpos), &pad) != 0 || pad != 0)
		return -1;
	return 0;
}

#endif							/* CTS_GORILLA_H */
