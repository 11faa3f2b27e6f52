/*-------------------------------------------------------------------------
 *
 * compact_ts_lazy.c
 *	  Lazy reads of a stored series.
 *
 * A long series is stored out of line (TOAST, STORAGE external, so not
 * compressed).  PG_DETOAST_DATUM_SLICE fetches a byte range of such a
 * value through the TOAST table's index, and format 2 (src/codec/format2.h)
 * is laid out for it: the header and the directory (one entry per 64
 * blocks) come first and are small, each directory entry covers the index
 * entries of its 64 blocks, and each index entry locates its block's
 * payload.  A ChronosLazyValue fetches the header and directory once, the
 * index groups it needs, and the payloads of the blocks a query needs, so
 * one hour of a 50-million-point series costs the same handful of TOAST
 * chunks as one hour of a 1-million-point series.  Checksums are verified
 * on every piece fetched: the directory against the header, a group of
 * index entries against its directory entry, a payload against its own
 * CRC.  A value that is inline, compressed or in format 1 (which has no
 * directory) is detoasted whole and read in place.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_lazy.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "miscadmin.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "compact_ts_lazy.h"

/*
 * Bytes of the first fetch: three TOAST chunks, one index scan of the TOAST
 * table.  They hold the header, the directory and, for a series of up to 92
 * blocks (1.5M points in default blocks), the whole block index, so that a
 * read of such a series fetches only the payloads it needs after it.
 */
#define LAZY_FIRST_FETCH	(3 * 1996)

/*
 * Read-ahead windows (chronos_lazy_read_ahead): the first is at most 16 kB,
 * each next one twice the last, up to 256 kB, so that a scan stopped early
 * (LIMIT) fetches little more than it reads, and a long one few times.
 */
#define LAZY_AHEAD_FIRST	(16 * 1024)
#define LAZY_AHEAD_MAX		(256 * 1024)

/* ----------------------------------------------------------------
 *		Ranges
 * ----------------------------------------------------------------
 */

/*
 * chronos_range_bounds
 *		The closed interval [*lo, *hi] of timestamps a tstzrange holds;
 *		false for an empty range.  An unbounded side goes to -infinity or
 *		infinity (which are timestamps a series may hold), an exclusive
 *		bound one microsecond inwards.
 */
bool
chronos_range_bounds(TypeCacheEntry *typcache, RangeType *r, int64 *lo, int64 *hi)
{
	RangeBound	lower,
				upper;
	bool		empty;

	range_deserialize(typcache, r, &lower, &upper, &empty);
	if (empty)
		return false;
	if (lower.infinite)
		*lo = PG_INT64_MIN;
	else
	{
		*lo = DatumGetTimestampTz(lower.val);
		if (!lower.inclusive)
		{
			if (*lo == PG_INT64_MAX)
				return false;
			(*lo)++;
		}
	}
	if (upper.infinite)
		*hi = PG_INT64_MAX;
	else
	{
		*hi = DatumGetTimestampTz(upper.val);
		if (!upper.inclusive)
		{
			if (*hi == PG_INT64_MIN)
				return false;
			(*hi)--;
		}
	}
	return *lo <= *hi;
}

/* ----------------------------------------------------------------
 *		Lazy values
 * ----------------------------------------------------------------
 */


/*
 * lazy_fetch
 *		Bytes [off, off + len) of a value in slice mode, fetched and counted;
 *		a range beyond the stored value (an index entry or header that says
 *		so) is a truncated value, found before anything is fetched.
 */
static struct varlena *
lazy_fetch(ChronosLazyValue *lz, size_t off, size_t len, const char *what)
{
	struct varlena *bytes;

	if (len > lz->stored || off > lz->stored - len)
		chronos_report_corrupt(CTS_ERR_TRUNCATED);
	bytes = chronos_detoast_slice(lz->op, lz->datum, off, len, what);
	lz->fetches++;
	if (VARSIZE_ANY_EXHDR(bytes) != len)
		chronos_report_corrupt(CTS_ERR_TRUNCATED);
	return bytes;
}

/*
 * chronos_lazy_open
 *		Prepare to read the value behind datum lazily: fetch and check its
 *		header (and directory), or the whole value when it is not stored
 *		out of line uncompressed, or is in format 1.
 */
void
chronos_lazy_open(ChronosLazyValue *lz, ChronosMemOp *op, Datum datum)
{
	struct varlena *ptr = (struct varlena *) DatumGetPointer(datum);
	cts_status	st;

	memset(lz, 0, sizeof(*lz));
	lz->op = op;
	lz->datum = datum;
	lz->group = UINT32_MAX;
	lz->spare = UINT32_MAX;

	if (VARATT_IS_EXTERNAL_ONDISK(ptr) &&
		toast_datum_size(datum) >= toast_raw_datum_size(datum) - VARHDRSZ)
	{
		/* out of line, uncompressed: a prefix first */
		struct varlena *head;
		const uint8 *b;
		size_t		blen;

		lz->stored = toast_raw_datum_size(datum) - VARHDRSZ;
		head = chronos_detoast_slice(op, datum, 0, Min(LAZY_FIRST_FETCH, lz->stored),
									 "value header");
		b = (const uint8 *) VARDATA_ANY(head);
		blen = VARSIZE_ANY_EXHDR(head);
		lz->fetches++;
		chronos_read_header((const CompactTs *) head, &lz->h);
		if (lz->h.version == CTS_FORMAT_V2)
		{
			size_t		need = CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) lz->h.ndir;

			if (blen < need)
			{
				chronos_free(op, head);
				head = lazy_fetch(lz, 0, need, "value directory");
				b = (const uint8 *) VARDATA_ANY(head);
				blen = VARSIZE_ANY_EXHDR(head);
			}
			if (lz->h.npoints > 0)
			{
				st = cts2_read_directory(&lz->h, b + CTS2_HEADER_SIZE, blen - CTS2_HEADER_SIZE);
				if (st != CTS_OK)
					chronos_report_corrupt(st);
			}
			lz->prefix = head;
			lz->dir = b + CTS2_HEADER_SIZE;
			lz->data_off = cts2_prefix_size(lz->h.nblocks);
			return;
		}
		chronos_free(op, head);
	}

	/* the whole value, read in place */
	{
		CompactTs  *value = chronos_detoast(op, datum);

		if (VARATT_IS_EXTERNAL_ONDISK(ptr))
			lz->fetches++;

		lz->whole_value = value;
		lz->whole = CTS_PAYLOAD(value);
		lz->len = CTS_PAYLOAD_LEN(value);
		st = cts_read_header(lz->whole, lz->len, &lz->h);
		if (st == CTS_OK)
			st = cts_validate_index(lz->whole, lz->len, &lz->h);
		if (st != CTS_OK)
			chronos_report_corrupt(st);
	}
}

/*
 * chronos_lazy_release
 *		Free what reading lz fetched (its op stays): for a function whose
 *		result lives in the same op, so that it holds no more than the result.
 */
void
chronos_lazy_release(ChronosLazyValue *lz)
{
	if (lz->whole_value != NULL)
		chronos_free_datum(lz->op, lz->datum, (struct varlena *) lz->whole_value);
	chronos_free(lz->op, lz->prefix);
	chronos_free(lz->op, lz->group_slice);
	chronos_free(lz->op, lz->spare_slice);
	chronos_free(lz->op, lz->window);
	lz->whole_value = NULL;
	lz->whole = NULL;
	lz->prefix = lz->group_slice = lz->spare_slice = lz->window = NULL;
	lz->group = lz->spare = UINT32_MAX;
}

/*
 * lazy_bytes
 *		The len bytes at off of a value in slice mode: within the first
 *		fetch if they are there (the index of a series of up to 92 blocks,
 *		the payloads of a small value), else fetched alone into *copy (NULL
 *		otherwise), which the caller frees.
 */
static const uint8 *
lazy_bytes(ChronosLazyValue *lz, size_t off, size_t len, struct varlena **copy,
		   const char *what)
{
	*copy = NULL;
	if (len <= VARSIZE_ANY_EXHDR(lz->prefix) &&
		off <= VARSIZE_ANY_EXHDR(lz->prefix) - len)
		return (const uint8 *) VARDATA_ANY(lz->prefix) + off;
	*copy = lazy_fetch(lz, off, len, what);
	return (const uint8 *) VARDATA_ANY(*copy);
}

/*
 * chronos_lazy_read_ahead
 *		Say that the payloads of the blocks from the next one asked for up
 *		to end (exclusive) will all be read, in order: a payload that has to
 *		be fetched then comes with those after it in one TOAST fetch (a
 *		window: the blocks of its index group, at most the window's cap).
 *		Without it each payload is fetched alone, which is right when blocks
 *		between are taken from their summaries.
 */
void
chronos_lazy_read_ahead(ChronosLazyValue *lz, uint32 end)
{
	lz->ahead_end = end;
	if (lz->ahead_bytes == 0)
		lz->ahead_bytes = LAZY_AHEAD_FIRST;
}

/*
 * chronos_lazy_read_ends
 *		Say that the payloads of blocks b0 and b1 - 1 (the edges of a range,
 *		cut by it) will be read, those between perhaps not (taken from their
 *		summaries): when the edges lie in one index group within one first
 *		window, they come in one TOAST fetch, which costs less than two
 *		however little lies between them.
 */
void
chronos_lazy_read_ends(ChronosLazyValue *lz, uint32 b0, uint32 b1)
{
	cts_block_info first,
				last;

	if (lz->whole != NULL || b1 < b0 + 2 ||
		b0 / CTS2_GROUP_BLOCKS != (b1 - 1) / CTS2_GROUP_BLOCKS)
		return;
	chronos_lazy_block(lz, b1 - 1, &last);
	chronos_lazy_block(lz, b0, &first);
	if (last.offset >= first.offset &&
		(uint64) last.offset - first.offset + last.length <= LAZY_AHEAD_FIRST)
		chronos_lazy_read_ahead(lz, b1);
}

/*
 * lazy_payload
 *		The payload of block bi (the block chronos_lazy_block read last), in
 *		slice mode: from the first fetch or the current window if there,
 *		else fetched, with the following blocks as a window when reading
 *		ahead (*copy NULL: nothing for the caller to free), or alone.
 */
static const uint8 *
lazy_payload(ChronosLazyValue *lz, const cts_block_info *bi, struct varlena **copy)
{
	size_t		off = lz->data_off + bi->offset;
	size_t		len = bi->length;
	size_t		end = off + len;
	uint32		b;
	uint32		last;

	*copy = NULL;
	if (lz->window != NULL && off >= lz->win_off &&
		end <= lz->win_off + VARSIZE_ANY_EXHDR(lz->window))
		return (const uint8 *) VARDATA_ANY(lz->window) + (off - lz->win_off);
	/*
	 * In the first fetch, or not reading ahead (a window only for the block
	 * chronos_lazy_block read last): as any other bytes.
	 */
	if (end <= VARSIZE_ANY_EXHDR(lz->prefix) ||
		lz->block + 1 >= lz->ahead_end || bi->offset != lz->block_offset ||
		lz->block < lz->group_b0 || lz->block - lz->group_b0 >= lz->group_nb)
		return lazy_bytes(lz, off, len, copy, "block payload");

	/*
	 * A window: this payload and those after it up to the read-ahead's end,
	 * within this block's index group (the entries at hand) and the cap.
	 * Payloads follow one another in index order; an entry that says
	 * otherwise only ends the window early (each payload is checked when
	 * read).
	 */
	last = Min(lz->ahead_end, lz->group_b0 + lz->group_nb);
	for (b = lz->block + 1; b < last; b++)
	{
		cts_block_info next;

		if (cts2_parse_entry(&lz->h, lz->group_data +
							 CTS2_INDEX_ENTRY_SIZE * (size_t) (b - lz->group_b0),
							 &next) != CTS_OK ||
			lz->data_off + next.offset != end ||
			end + next.length - off > lz->ahead_bytes)
			break;
		end += next.length;
	}
	chronos_free(lz->op, lz->window);
	lz->window = NULL;
	lz->window = lazy_fetch(lz, off, end - off, "block payloads");
	lz->win_off = off;
	lz->ahead_bytes = Min(lz->ahead_bytes * 2, LAZY_AHEAD_MAX);
	return (const uint8 *) VARDATA_ANY(lz->window);
}

/* the group of index entries holding block b, fetched and checked */
void
chronos_lazy_load_group(ChronosLazyValue *lz, uint32 b)
{
	uint32		g = b / CTS2_GROUP_BLOCKS;
	cts_dir_entry de;
	size_t		off,
				glen;
	cts_status	st;

	if (lz->group == g)
		return;

	/*
	 * The group loaded now becomes the spare, the spare's bytes go: a range
	 * over two groups (found from both ends, then read from the first)
	 * fetches each once.
	 */
	{
		uint32		sg = lz->spare,
					sb0 = lz->spare_b0,
					snb = lz->spare_nb;
		struct varlena *sslice = lz->spare_slice;
		const uint8 *sdata = lz->spare_data;

		lz->spare = lz->group;
		lz->spare_b0 = lz->group_b0;
		lz->spare_nb = lz->group_nb;
		lz->spare_slice = lz->group_slice;
		lz->spare_data = lz->group_data;
		if (sg == g)
		{
			lz->group = sg;
			lz->group_b0 = sb0;
			lz->group_nb = snb;
			lz->group_slice = sslice;
			lz->group_data = sdata;
			return;
		}
		if (sslice != NULL)
			chronos_free(lz->op, sslice);
	}
	lz->group = UINT32_MAX;
	lz->group_slice = NULL;
	cts2_group_span(&lz->h, g, &off, &glen, &lz->group_b0, &lz->group_nb);
	cts2_dir_entry(lz->dir, g, &de);
	lz->group_data = lazy_bytes(lz, off, glen, &lz->group_slice, "block index");
	st = cts2_check_group(&lz->h, &de, lz->group_data, glen);
	if (st != CTS_OK)
		chronos_report_corrupt(st);
	lz->group = g;
}

/*
 * chronos_lazy_block
 *		The index entry of block b.
 */
void
chronos_lazy_block(ChronosLazyValue *lz, uint32 b, cts_block_info *bi)
{
	cts_status	st;

	if (lz->whole != NULL)
		st = cts_read_block_info(lz->whole, lz->len, &lz->h, b, bi);
	else
	{
		chronos_lazy_load_group(lz, b);
		st = cts2_parse_entry(&lz->h, lz->group_data +
							  CTS2_INDEX_ENTRY_SIZE * (size_t) (b - lz->group_b0), bi);
	}
	if (st != CTS_OK)
		chronos_report_corrupt(st);
	lz->block = b;
	lz->block_offset = bi->offset;
}

/*
 * chronos_lazy_find
 *		The run [*b0, *b1) of blocks that may hold points of [lo, hi].
 */
void
chronos_lazy_find(ChronosLazyValue *lz, int64 lo, int64 hi, uint32 *b0, uint32 *b1)
{
	*b0 = *b1 = 0;
	if (lz->h.npoints == 0 || lo > hi || hi < lz->h.first_ts || lo > lz->h.last_ts)
		return;
	if (lz->whole != NULL)
	{
		size_t		index_off = lz->h.version == CTS_FORMAT_V2 ?
			CTS2_HEADER_SIZE + CTS2_DIR_ENTRY_SIZE * (size_t) lz->h.ndir : CTS_HEADER_SIZE;

		cts_span_search(lz->whole + index_off, lz->h.nblocks, 64, 16, 24, lo, hi, b0, b1);
		return;
	}
	else
	{
		uint32		g0,
					g1;
		uint32		a,
					z;

		cts_span_search(lz->dir, lz->h.ndir, CTS2_DIR_ENTRY_SIZE, CTS2_D_FIRST_TS,
						CTS2_D_LAST_TS, lo, hi, &g0, &g1);
		if (g0 >= g1)
			return;
		/* the first block within the first group, the last within the last */
		chronos_lazy_load_group(lz, g0 * CTS2_GROUP_BLOCKS);
		cts_span_search(lz->group_data, lz->group_nb, 64, 16, 24,
						lo, hi, &a, &z);
		*b0 = lz->group_b0 + a;
		if (g1 - 1 != g0)
		{
			cts_dir_entry de;

			cts2_dir_entry(lz->dir, g1 - 1, &de);
			if (hi >= de.last_ts)
			{
				/*
				 * The range goes on past the last group's end: all of its
				 * blocks, without fetching its entries (a block they would
				 * place after hi only decodes to no point).
				 */
				size_t		off,
							glen;
				uint32		gb0,
							gnb;

				cts2_group_span(&lz->h, g1 - 1, &off, &glen, &gb0, &gnb);
				*b1 = gb0 + gnb;
				return;
			}
			chronos_lazy_load_group(lz, (g1 - 1) * CTS2_GROUP_BLOCKS);
			cts_span_search(lz->group_data, lz->group_nb,
							64, 16, 24, lo, hi, &a, &z);
		}
		*b1 = lz->group_b0 + z;
		if (*b1 < *b0)
			*b1 = *b0;
	}
}

/*
 * lazy_decode_until
 *		Decode the points of block bi up to time hi (*count of them) into
 *		ts[] and values[] (room for cts_block_count_until(bi, hi) points,
 *		at least one), fetching its
 *		payload alone in slice mode; timestamps are checked against
 *		timestamptz's range like the core reader does.
 */
static void
lazy_decode_until(ChronosLazyValue *lz, const cts_block_info *bi, int64 hi,
				  int64 *ts, double *values, uint32 *count)
{
	cts_status	st;
	uint32		i;

	CHECK_FOR_INTERRUPTS();
	if (lz->whole != NULL)
		st = cts_decode_block_until(lz->whole, lz->len, &lz->h, bi, hi, ts, values, count);
	else
	{
		struct varlena *copy;
		const uint8 *payload = lazy_payload(lz, bi, &copy);

		st = cts2_decode_payload_until(&lz->h, bi, payload, bi->length, hi, ts, values, count);
		if (copy)
			chronos_free(lz->op, copy);
	}
	if (st != CTS_OK)
		chronos_report_corrupt(st);
	if (!(IS_VALID_TIMESTAMP(bi->first_ts) && IS_VALID_TIMESTAMP(bi->last_ts)))
		for (i = 0; i < *count; i++)
			chronos_check_timestamp(ts[i]);
}

/*
 * chronos_lazy_decode
 *		Decode block bi whole into ts[] and values[] (room for its points).
 */
void
chronos_lazy_decode(ChronosLazyValue *lz, const cts_block_info *bi, int64 *ts, double *values)
{
	uint32		count;

	lazy_decode_until(lz, bi, PG_INT64_MAX, ts, values, &count);
}

/*
 * chronos_lazy_payload
 *		The payload bytes of block bi (in place, or a fetched copy in the op:
 *		*copy says which, to free it).
 */
const uint8 *
chronos_lazy_payload(ChronosLazyValue *lz, const cts_block_info *bi, struct varlena **copy)
{
	const uint8 *payload;
	cts_status	st;

	*copy = NULL;
	if (lz->whole != NULL)
		payload = lz->whole + cts_data_offset(&lz->h) + bi->offset;
	else
		payload = lazy_payload(lz, bi, copy);
	/* a copy keeps the bytes as they are: check them first */
	st = cts2_check_payload(bi, payload, bi->length);
	if (st != CTS_OK)
		chronos_report_corrupt(st);
	return payload;
}


void
chronos_bufs_free(ChronosMemOp *op, ChronosDecodeBufs *d)
{
	chronos_free(op, d->ts);
	chronos_free(op, d->values);
	d->ts = NULL;
	d->values = NULL;
	d->cap = 0;
}

void
chronos_bufs_ensure(ChronosMemOp *op, ChronosDecodeBufs *d, uint32 n)
{
	if (n <= d->cap)
		return;
	chronos_free(op, d->ts);
	chronos_free(op, d->values);
	d->ts = (int64 *) chronos_alloc(op, sizeof(int64) * n, "decode buffer");
	d->values = (double *) chronos_alloc(op, sizeof(double) * n, "decode buffer");
	d->cap = n;
}

/*
 * chronos_lazy_decode_range
 *		Decode the points of block bi up to hi into d (grown to fit the
 *		block) and set [*j0, *j1) to the positions of its points within
 *		[lo, hi]: what every reader of a block a range cuts does.  The
 *		points after hi are not decoded (format 2), so a range early in a
 *		block costs less than the block.
 */
void
chronos_lazy_decode_range(ChronosLazyValue *lz, const cts_block_info *bi, int64 lo, int64 hi,
						  ChronosDecodeBufs *d, uint32 *j0, uint32 *j1)
{
	uint32		count;

	/* room for the points decoded (all of them for a block of varying step) */
	chronos_bufs_ensure(lz->op, d, Max(cts_block_count_until(bi, hi), 1));
	lazy_decode_until(lz, bi, hi, d->ts, d->values, &count);
	cts_point_search(d->ts, count, lo, hi, j0, j1);
}
