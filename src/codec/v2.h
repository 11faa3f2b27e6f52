/*-------------------------------------------------------------------------
 *
 * v2.h
 *	  What the format 2 encoder and decoder share: index entry access, the
 *	  header's derivation from the index, powers of ten.  Internal.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/v2.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CTS_V2_H
#define CTS_V2_H

#include "codec_internal.h"
#include "format2.h"

#define CTS2_MAX_DECIMAL_E	18

extern const double cts_pow10[CTS2_MAX_DECIMAL_E + 1];

/* The header's summaries, derived from the index entries in order. */
typedef struct cts2_header_acc
{
	uint64_t	npoints;
	uint32_t	nblocks;
	int			have_min;
	int			have_max;
	int			max_nan;
	double		min;
	double		max;
	double		max_error;
	uint8_t		flags;
	cts_sum_state sum;
} cts2_header_acc;

#define CTS2_HEADER_ACC_INIT {0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0, CTS_SUM_INIT}

extern void cts2_header_acc_add(cts2_header_acc *acc, const cts_block_info *bi);
extern void cts2_header_acc_result(const cts2_header_acc *acc, double *min,
								   double *max, double *sum);

/* Summaries of n values stride bytes apart (PostgreSQL's float8 order). */
extern void cts2_block_summaries(const double *v, size_t stride, uint32_t n,
								 cts_block_info *bi);

/* dec2.c: format 2 behind the version-agnostic readers of decode.c */
extern cts_status cts2_read_header(const uint8_t *buf, size_t len, cts_header *h);
extern cts_status cts2_read_block_info(const uint8_t *buf, size_t len,
									   const cts_header *h, uint32_t i,
									   cts_block_info *bi);
extern cts_status cts2_validate_index(const uint8_t *buf, size_t len,
									  const cts_header *h);

/* index entries as bytes */
static inline void
cts2_put_entry(uint8_t *e, const cts_block_info *bi)
{
	memset(e, 0, CTS2_INDEX_ENTRY_SIZE);
	cts_put_u32(e + CTS2_B_OFFSET, bi->offset);
	cts_put_u32(e + CTS2_B_LENGTH, bi->length);
	cts_put_u32(e + CTS2_B_NPOINTS, bi->npoints);
	e[CTS2_B_FLAGS] = bi->flags;
	e[CTS2_B_VMODE] = bi->vmode;
	e[CTS2_B_TMODE] = bi->tmode;
	cts_put_u64(e + CTS2_B_FIRST_TS, (uint64_t) bi->first_ts);
	cts_put_u64(e + CTS2_B_LAST_TS, (uint64_t) bi->last_ts);
	cts_put_f64(e + CTS2_B_MIN, bi->min);
	cts_put_f64(e + CTS2_B_MAX, bi->max);
	cts_put_f64(e + CTS2_B_SUM, bi->sum);
	cts_put_f64(e + CTS2_B_MAX_ERROR, bi->max_error);
}

static inline void
cts2_get_entry(const uint8_t *e, cts_block_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->offset = cts_get_u32(e + CTS2_B_OFFSET);
	bi->length = cts_get_u32(e + CTS2_B_LENGTH);
	bi->npoints = cts_get_u32(e + CTS2_B_NPOINTS);
	bi->flags = e[CTS2_B_FLAGS];
	bi->vmode = e[CTS2_B_VMODE];
	bi->tmode = e[CTS2_B_TMODE];
	bi->first_ts = cts_get_i64(e + CTS2_B_FIRST_TS);
	bi->last_ts = cts_get_i64(e + CTS2_B_LAST_TS);
	bi->min = cts_get_f64(e + CTS2_B_MIN);
	bi->max = cts_get_f64(e + CTS2_B_MAX);
	bi->sum = cts_get_f64(e + CTS2_B_SUM);
	bi->max_error = cts_get_f64(e + CTS2_B_MAX_ERROR);
}

/* the order-preserving integer of a double's bits (CTS_M_FLOAT), and back */
static inline int64_t
cts2_float_to_ordered(double d)
{
	uint64_t	u;

	memcpy(&u, &d, sizeof(u));
	return (int64_t) ((u >> 63) ? ~u : u ^ (UINT64_C(1) << 63));
}

static inline double
cts2_ordered_to_float(int64_t o)
{
	uint64_t	v = (uint64_t) o;
	uint64_t	u = (v >> 63) ? v ^ (UINT64_C(1) << 63) : ~v;
	double		d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

#endif							/* CTS_V2_H */
