/* A bzImage's compressed payload: see bzimage.h. */
#include "bzimage.h"
#include "decompress.h"
#include "libimage-env.h"

/* The decompressed size, little-endian, after the compressed stream. */
#define SIZE_TRAILER 4

static bool supported(enum compression c)
{
	return c == COMP_GZIP || c == COMP_ZSTD || c == COMP_LZ4_LEGACY;
}

int bzimage_payload_size(const struct bzimage *bz, size_t *size, char *why,
			 size_t wsize)
{
	const uint8_t *t = bz->payload + bz->payload_size - SIZE_TRAILER;
	enum compression c;

	if (bz->payload_size <= SIZE_TRAILER)
		return refuse(-EINVAL, why, wsize,
			      "the bzImage has no payload (payload_length %zu)",
			      bz->payload_size);
	c = compression_of(bz->payload, bz->payload_size);
	if (!supported(c))
		return refuse(
			-EINVAL, why, wsize,
			"the bzImage's payload is %s: not supported (gzip, "
			"zstd and lz4 are)",
			compression_name(c));
	*size = t[0] | t[1] << 8 | t[2] << 16 | (size_t)t[3] << 24;
	if (!*size)
		return refuse(-EINVAL, why, wsize,
			      "the bzImage's payload says it decompresses to "
			      "0 bytes");
	return 0;
}

int bzimage_decompress(const struct bzimage *bz, uint8_t *out, size_t size,
		       char *why, size_t wsize)
{
	size_t in_len = bz->payload_size, used, produced;
	enum compression c = compression_of(bz->payload, in_len);
	int rc;

	/* gzip's own trailer is the size; the others have it appended. */
	if (c != COMP_GZIP)
		in_len -= SIZE_TRAILER;
	rc = decompress(bz->payload, in_len, &used, out, size, &produced, why,
			wsize);
	if (rc)
		return rc;
	if (produced != size)
		return refuse(-EINVAL, why, wsize,
			      "the %s payload decompressed to %zu bytes, not "
			      "the %zu it says",
			      compression_name(c), produced, size);
	return 0;
}
