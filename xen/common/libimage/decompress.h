/*
 * Decompressors for a bzImage's payload (part of libimage): gzip (RFC
 * 1952 around RFC 1951's deflate), zstd frames (RFC 8878) and lz4's legacy
 * frame. Each decodes one stream from in[in_len] into out[out_len] and
 * never reads or writes outside them, whatever the input: 0 and *produced,
 * or -EINVAL with what is wrong with the stream in why[wsize] (corrupt,
 * truncated, or more output than out_len holds).
 */
#ifndef LIBIMAGE_DECOMPRESS_H
#define LIBIMAGE_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum compression {
	COMP_UNKNOWN,
	COMP_GZIP,
	COMP_ZSTD,
	COMP_LZ4_LEGACY,
	/* Recognised, to be named, but not decompressed. */
	COMP_XZ,
	COMP_LZMA,
	COMP_BZIP2,
	COMP_LZO,
};

/* The format of a stream by its magic number, and its name. */
enum compression compression_of(const uint8_t *in, size_t in_len);
const char *compression_name(enum compression c);

/*
 * Decompress a stream of a supported format: *in_used is the input it
 * took (a zstd or gzip stream ends by itself; an lz4 legacy stream runs to
 * the end of in). -EINVAL with the format named for an unsupported one.
 */
int decompress(const uint8_t *in, size_t in_len, size_t *in_used, uint8_t *out,
	       size_t out_len, size_t *produced, char *why, size_t wsize);

int gzip_decompress(const uint8_t *in, size_t in_len, size_t *in_used,
		    uint8_t *out, size_t out_len, size_t *produced, char *why,
		    size_t wsize);
int zstd_decompress(const uint8_t *in, size_t in_len, size_t *in_used,
		    uint8_t *out, size_t out_len, size_t *produced, char *why,
		    size_t wsize);
int lz4_legacy_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t out_len, size_t *produced, char *why,
			  size_t wsize);

#endif
