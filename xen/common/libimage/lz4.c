/*
 * lz4's legacy frame: the magic 0x184c2102, then blocks to the end of
 * the input, each a 32-bit little-endian compressed size and an lz4 block
 * that decompresses to at most 8 MiB on its own. A block is sequences: a
 * token (literal length in the high nibble, match length - 4 in the low,
 * 15 meaning more in bytes that follow, each added, until one below 255),
 * the literals, then a 16-bit offset back into the block's output and the
 * match; the last sequence has literals only. See decompress.h.
 */
#include "decompress.h"
#include "libimage-env.h"

#define LEGACY_MAGIC 0x184c2102U
#define LEGACY_BLOCK_MAX (8U << 20)
#define MIN_MATCH 4

struct lz4 {
	const uint8_t *in, *in_end;
	uint8_t *out, *out_end;
	size_t out_len;
	char *why;
	size_t wsize;
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A length's extra bytes after a nibble of 15; false if truncated. */
static bool more_length(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	uint8_t b;

	do {
		if (*ip == end)
			return false;
		b = *(*ip)++;
		*len += b;
	} while (b == 255 && *len < LEGACY_BLOCK_MAX);
	return true;
}

static int too_much(const struct lz4 *z)
{
	return refuse(-EINVAL, z->why, z->wsize,
		      "lz4: more output than the %zu bytes expected",
		      z->out_len);
}

static int block(struct lz4 *z, const uint8_t *ip, const uint8_t *end)
{
	uint8_t *block_start = z->out;

	for (;;) {
		size_t lit, match, off;
		uint8_t token;

		if (ip == end)
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: a block ends without its literals");
		token = *ip++;
		lit = token >> 4;
		if (lit == 15 && !more_length(&ip, end, &lit))
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: a truncated literal length");
		if (lit > (size_t)(end - ip))
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: literals past the end of a block");
		if (lit > (size_t)(z->out_end - z->out))
			return too_much(z);
		memcpy(z->out, ip, lit);
		z->out += lit;
		ip += lit;
		if (ip == end)
			return 0;
		if (end - ip < 2)
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: a truncated match offset");
		off = ip[0] | ip[1] << 8;
		ip += 2;
		if (!off || off > (size_t)(z->out - block_start))
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: a match offset (%zu) before the "
				      "start of its block",
				      off);
		match = token & 15;
		if (match == 15 && !more_length(&ip, end, &match))
			return refuse(-EINVAL, z->why, z->wsize,
				      "lz4: a truncated match length");
		match += MIN_MATCH;
		if (match > (size_t)(z->out_end - z->out))
			return too_much(z);
		/* Byte by byte: the match may overlap its own output. */
		while (match--) {
			*z->out = z->out[-(ptrdiff_t)off];
			z->out++;
		}
	}
}

int lz4_legacy_decompress(const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t out_len, size_t *produced, char *why,
			  size_t wsize)
{
	struct lz4 z = { in,	  in + in_len, out,  out + out_len,
			 out_len, why,	       wsize };
	const uint8_t *ip = in;

	*produced = 0;
	if (in_len < 4 || le32(in) != LEGACY_MAGIC)
		return refuse(-EINVAL, why, wsize,
			      "not an lz4 legacy frame (magic 02 21 4c 18)");
	ip += 4;
	while (ip != z.in_end) {
		uint32_t size;
		int rc;

		if (z.in_end - ip < 4)
			return refuse(-EINVAL, why, wsize,
				      "lz4: a truncated block size at byte %zu",
				      (size_t)(ip - in));
		size = le32(ip);
		ip += 4;
		/* Frames may follow one another: a magic starts the next. */
		if (size == LEGACY_MAGIC)
			continue;
		if (size > (size_t)(z.in_end - ip))
			return refuse(-EINVAL, why, wsize,
				      "lz4: block of %u bytes at byte %zu "
				      "runs past the end (truncated)",
				      size, (size_t)(ip - in));
		rc = block(&z, ip, ip + size);
		*produced = z.out - out;
		if (rc)
			return rc;
		ip += size;
	}
	return 0;
}
