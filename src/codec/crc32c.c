/*-------------------------------------------------------------------------
 *
 * crc32c.c
 *	  CRC-32C (Castagnoli), the checksum of format 2's header, directory,
 *	  index groups and block payloads.
 *
 * CRC-32C detects every burst of up to 32 flipped bits and every odd number
 * of flipped bits, and x86-64 (SSE 4.2) and ARMv8 compute it in hardware,
 * which is why iSCSI, ext4, Btrfs and PostgreSQL's WAL use it.  The
 * portable path is the classic slicing-by-8 table method; where the CPU has
 * the crc32 instruction (checked once at run time) it is used instead.  Both
 * give the same value for the same bytes: the tests compare them.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/crc32c.c
 *
 *-------------------------------------------------------------------------
 */
#include "codec_internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CTS_CRC_X86 1
#include <nmmintrin.h>
#endif

/* reflected polynomial of CRC-32C */
#define CRC32C_POLY 0x82F63B78u

static uint32_t crc_table[8][256];
static int	crc_table_ready = 0;

/* 0 = not yet decided, 1 = portable, 2 = hardware */
static int	crc_impl = 0;

static void
crc_init_table(void)
{
	uint32_t	i;
	int			k;

	for (i = 0; i < 256; i++)
	{
		uint32_t	c = i;

		for (k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_table[k][i] = (crc_table[k - 1][i] >> 8) ^
				crc_table[0][crc_table[k - 1][i] & 0xFF];
	crc_table_ready = 1;
}

/*
 * cts_crc32c_portable
 *		CRC-32C continued from crc (0 to start) over p[0..len), by table.
 */
uint32_t
cts_crc32c_portable(uint32_t crc, const uint8_t *p, size_t len)
{
	uint32_t	c = ~crc;

	if (!crc_table_ready)
		crc_init_table();
	while (len >= 8)
	{
		uint32_t	lo = c ^ cts_get_u32(p);
		uint32_t	hi = cts_get_u32(p + 4);

		c = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^
			crc_table[5][(lo >> 16) & 0xFF] ^ crc_table[4][lo >> 24] ^
			crc_table[3][hi & 0xFF] ^ crc_table[2][(hi >> 8) & 0xFF] ^
			crc_table[1][(hi >> 16) & 0xFF] ^ crc_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		c = (c >> 8) ^ crc_table[0][(c ^ *p++) & 0xFF];
	return ~c;
}

#ifdef CTS_CRC_X86
__attribute__((target("sse4.2")))
static uint32_t
crc32c_hw(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t	c = ~crc;

	while (len >= 8)
	{
		uint64_t	w;

		memcpy(&w, p, 8);		/* little-endian host: x86-64 */
		c = _mm_crc32_u64(c, w);
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		c = _mm_crc32_u8((uint32_t) c, *p++);
	return ~(uint32_t) c;
}
#endif

/*
 * cts_crc32c_hardware_available
 *		Whether cts_crc32c uses the CPU's crc32 instruction.
 */
int
cts_crc32c_hardware_available(void)
{
	if (crc_impl == 0)
	{
		crc_impl = 1;
#ifdef CTS_CRC_X86
		__builtin_cpu_init();
		if (__builtin_cpu_supports("sse4.2"))
			crc_impl = 2;
#endif
	}
	return crc_impl == 2;
}

/*
 * cts_crc32c
 *		CRC-32C continued from crc (0 to start) over p[0..len).
 */
uint32_t
cts_crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
#ifdef CTS_CRC_X86
	if (cts_crc32c_hardware_available())
		return crc32c_hw(crc, p, len);
#endif
	return cts_crc32c_portable(crc, p, len);
}
