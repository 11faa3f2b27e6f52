/*-------------------------------------------------------------------------
 *
 * gorilla.c
 *	  The lossless value codec: XOR of consecutive values, as in Facebook's
 *	  Gorilla (Pelkonen et al., VLDB 2015).
 *
 * Consecutive values of a real series share sign, exponent and leading
 * mantissa bits, so their XOR has long runs of leading and trailing zeros;
 * only the meaningful bits in between are written, reusing the previous
 * window when it covers them.  Bits are written MSB first and the stream is
 * zero-padded to a byte.  Decoding is exact; the reader (gorilla.h) checks
 * every length against the bytes it has and rejects non-canonical windows,
 * so each value has exactly one encoding and re-encoding decoded values
 * gives identical bytes.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/gorilla.c
 *
 *-------------------------------------------------------------------------
 */
#include "gorilla.h"

typedef struct bitwriter
{
	uint8_t    *p;				/* NULL: count only */
	size_t		bitpos;
} bitwriter;

static inline void
put_bits(bitwriter *w, uint64_t v, int nbits)
{
	if (w->p == NULL)
	{
		w->bitpos += nbits;
		return;
	}
	while (nbits > 0)
	{
		size_t		byte = w->bitpos >> 3;
		int			off = (int) (w->bitpos & 7);
		int			avail = 8 - off;
		int			take = nbits < avail ? nbits : avail;
		uint8_t		bits = (uint8_t) ((v >> (nbits - take)) & ((1u << take) - 1));

		if (off == 0)
			w->p[byte] = 0;
		w->p[byte] |= (uint8_t) (bits << (avail - take));
		w->bitpos += take;
		nbits -= take;
	}
}

static inline int
clz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_clzll(x);
#else
	int			n = 0;

	while (!(x & UINT64_C(0x8000000000000000)))
	{
		x <<= 1;
		n++;
	}
	return n;
#endif
}

static inline int
ctz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_ctzll(x);
#else
	int			n = 0;

	while (!(x & 1))
	{
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * cts_gorilla_write
 *		Size (and, with out, write) the XOR stream of n values.
 *
 * values points at the first value; consecutive values are stride bytes
 * apart.  -0.0 is written as 0.0, like everywhere in the codec.
 */
size_t
cts_gorilla_write(const double *values, size_t stride, uint32_t n, uint8_t *out)
{
	bitwriter	w = {out, 0};
	uint64_t	prev = 0;
	int			lead = 0;
	int			width = 0;
	uint32_t	i;

	for (i = 0; i < n; i++)
	{
		double		d = *(const double *) (const void *) ((const char *) values + stride * i);
		uint64_t	u;

		if (d == 0.0)
			d = 0.0;
		memcpy(&u, &d, sizeof(u));
		if (i == 0)
			put_bits(&w, u, 64);
		else
		{
			uint64_t	x = u ^ prev;

			if (x == 0)
				put_bits(&w, 0, 1);
			else
			{
				int			l = clz64(x);
				int			t = ctz64(x);

				if (l > 63)
					l = 63;
				/*
				 * Reuse the window only if it fits and the value's top
				 * meaningful bit is inside it (the reader rejects an all-zero
				 * window, so every value has one encoding).
				 */
				if (width > 0 && l >= lead && t >= 64 - lead - width)
				{
					put_bits(&w, 2, 2);		/* '1' '0' */
					put_bits(&w, x >> (64 - lead - width), width);
				}
				else
				{
					lead = l;
					width = 64 - l - t;
					put_bits(&w, 3, 2);		/* '1' '1' */
					put_bits(&w, (uint64_t) lead, 6);
					put_bits(&w, (uint64_t) (width - 1), 6);
					put_bits(&w, x >> t, width);
				}
			}
		}
		prev = u;
	}
	return (w.bitpos + 7) / 8;
}
