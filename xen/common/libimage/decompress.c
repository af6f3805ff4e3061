/* Compression formats by their magic numbers: see decompress.h. */
#include "decompress.h"
#include "libimage-env.h"

struct magic {
	enum compression c;
	const char *name;
	const char *bytes;
	size_t len;
};

static const struct magic magics[] = {
	{ COMP_GZIP, "gzip", "\x1f\x8b", 2 },
	{ COMP_ZSTD, "zstd", "\x28\xb5\x2f\xfd", 4 },
	{ COMP_LZ4_LEGACY, "lz4 (legacy frame)", "\x02\x21\x4c\x18", 4 },
	{ COMP_XZ, "xz",
	  "\xfd"
	  "7zXZ",
	  6 },
	/* lzma-alone: properties 0x5d and a 64 KiB+ dictionary. */
	{ COMP_LZMA, "lzma", "\x5d\x00\x00", 3 },
	{ COMP_BZIP2, "bzip2", "BZh", 3 },
	{ COMP_LZO, "lzo", "\x89LZO", 4 },
};

enum compression compression_of(const uint8_t *in, size_t in_len)
{
	unsigned int i;

	/* A zstd stream may start with a skippable frame: 0x184d2a5?. */
	if (in_len >= 4 && (in[0] & 0xf0) == 0x50 && in[1] == 0x2a &&
	    in[2] == 0x4d && in[3] == 0x18)
		return COMP_ZSTD;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (in_len >= magics[i].len &&
		    !memcmp(in, magics[i].bytes, magics[i].len))
			return magics[i].c;
	return COMP_UNKNOWN;
}

const char *compression_name(enum compression c)
{
	unsigned int i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (magics[i].c == c)
			return magics[i].name;
	return "an unknown format";
}

int decompress(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
	       size_t out_len, size_t *produced, char *why, size_t wsize)
{
	enum compression c = compression_of(in, in_len);

	switch (c) {
	case COMP_GZIP:
		return gzip_decompress(in, in_len, in_used, out, out_len,
				       produced, why, wsize);
	case COMP_ZSTD:
		return zstd_decompress(in, in_len, in_used, out, out_len,
				       produced, why, wsize);
	case COMP_LZ4_LEGACY:
		*in_used = in_len;
		return lz4_legacy_decompress(in, in_len, out, out_len, produced,
					     why, wsize);
	default:
		return refuse(-EINVAL, why, wsize,
			      "%s: not supported (gzip, zstd and lz4 are)",
			      compression_name(c));
	}
}
