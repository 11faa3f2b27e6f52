/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Status texts, codec names and the summary plausibility rule shared by
 *	  the encoder and the validator.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/codec/common.c
 *
 *-------------------------------------------------------------------------
 */
#include <float.h>

#include "codec_internal.h"

/*
 * cts_strerror
 *		A sentence for a status, for errdetail.  Static storage.
 */
const char *
cts_strerror(cts_status status)
{
	switch (status)
	{
		case CTS_OK:
			return "No error.";
		case CTS_ERR_TRUNCATED:
			return "The value is shorter than its header or block index says.";
		case CTS_ERR_BAD_VERSION:
			return "The value has an unknown format version.";
		case CTS_ERR_BAD_FLAGS:
			return "A reserved field or an unknown flag is set.";
		case CTS_ERR_BAD_CODEC:
			return "A block names an unknown codec.";
		case CTS_ERR_BAD_HEADER:
			return "The header disagrees with the block index.";
		case CTS_ERR_BAD_INDEX:
			return "A block index entry is out of range or inconsistent with its neighbours.";
		case CTS_ERR_BAD_BLOCK:
			return "A block's payload is malformed.";
		case CTS_ERR_BAD_TIMESTAMPS:
			return "A block's timestamps disagree with the block index or go backwards.";
		case CTS_ERR_BAD_SUMMARY:
			return "A block's stored min, max, sum or error bound disagrees with its points.";
		case CTS_ERR_TRAILING:
			return "The value has bytes after its last block.";
		case CTS_ERR_NONFINITE:
			return "A value is NaN or infinite.";
		case CTS_ERR_UNSORTED:
			return "Timestamps are not in non-decreasing order.";
		case CTS_ERR_TOO_MANY_POINTS:
			return "The series has more points than one value can hold.";
		case CTS_ERR_BAD_ARGUMENT:
			return "An encoding option or block layout is invalid.";
		case CTS_ERR_OFF_GRID:
			return "A value does not lie on its block's quantization grid.";
		case CTS_ERR_BUFFER_TOO_SMALL:
			return "The output buffer is too small.";
		case CTS_ERR_INTERRUPTED:
			return "Encoding was interrupted.";
		case CTS_ERR_BAD_CHECKSUM:
			return "A checksum does not match the bytes it covers.";
	}
	return "Unknown codec status.";
}

/*
 * cts_codec_name
 *		The name a codec has in the text form, or NULL if unknown.
 */
const char *
cts_codec_name(uint8_t codec)
{
	switch (codec)
	{
		case CTS_CODEC_QUANT16:
			return "quant16";
		case CTS_CODEC_GORILLA:
			return "gorilla";
	}
	return NULL;
}

/*
 * cts_codec_from_name
 *		Inverse of cts_codec_name over name[0..len); 0 if unknown.
 */
uint8_t
cts_codec_from_name(const char *name, size_t len)
{
	if (len == 7 && memcmp(name, "quant16", 7) == 0)
		return CTS_CODEC_QUANT16;
	if (len == 7 && memcmp(name, "gorilla", 7) == 0)
		return CTS_CODEC_GORILLA;
	return 0;
}

/*
 * cts_summary_plausible
 *		Could a block whose decoded points sum to decoded_sum, with these
 *		stored summaries, have come from the encoder?
 *
 * The original values are gone, so this is a bound, not an identity: every
 * original lies within max_error of its decoded value, so the stored sum is
 * within npoints * max_error of the decoded sum, up to rounding of both
 * sums (decoded_abs_sum_scaled, the sum of the decoded values' magnitudes
 * times 2^-20, sizes that rounding).  An exact block stored its originals, so its error is 0 and its sum
 * is exactly the compensated sum of its decoded values.  Returns 1 if
 * plausible.
 */
int
cts_summary_plausible(uint32_t npoints, int exact,
					  double min, double max,
					  double sum, double max_error,
					  double decoded_sum, double decoded_abs_sum_scaled)
{
	double		n = (double) npoints;
	double		tol;

	if (!(max_error >= 0.0) || !isfinite(max_error) || isnan(sum) ||
		cts_is_negative_zero(sum) || cts_is_negative_zero(max_error))
		return 0;

	if (exact)
		return max_error == 0.0 && cts_same_double(sum, decoded_sum);

	/* originals and decoded values both lie in [min, max] */
	if (max_error / 2 > max / 2 - min / 2)
		return 0;

	if (isinf(sum) || isinf(decoded_sum))
	{
		/*
		 * Near the top of the double range the originals' sum and the decoded
		 * sum may land on either side of overflow: both must then be huge
		 * and of one sign.
		 */
		double		big = isinf(sum) ? decoded_sum : sum;

		/*
		 * With an error bound this large (coarse widths of huge ranges) the
		 * two sums may even differ in sign.
		 */
		if (!(n * max_error < DBL_MAX / 4))
			return 1;
		if (isinf(sum) && isinf(decoded_sum))
			return signbit(sum) == signbit(decoded_sum);
		return signbit(sum) == signbit(decoded_sum) &&
			fabs(big) + n * max_error >= DBL_MAX / 4;
	}

	/*
	 * |sum - decoded_sum| <= n * max_error plus rounding slack: each
	 * compensated sum is within a few ulps of its terms' magnitudes, and
	 * 1e-13 of their sum covers both.  Everything is scaled by 2^-20 so that
	 * no term can overflow (decoded_abs_sum_scaled is sum |v| * 2^-20, which
	 * fits for any block); the floor covers what scaling loses of
	 * subnormals.
	 */
	tol = n * (ldexp(max_error, -20) * (1.0 + 1e-9)) +
		1e-13 * decoded_abs_sum_scaled + 1e-300;
	if (fabs(ldexp(sum, -20) - ldexp(decoded_sum, -20)) <= tol)
		return 1;
	return 0;
}
