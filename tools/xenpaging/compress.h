/*
 * The page store's codec: a page (XP_PAGE_SIZE bytes) as a short stream
 * of ops, each writing the next bytes of the page: literal bytes, runs of
 * one byte, copies of earlier bytes, and runs of 64-bit words a + i * b
 * (pagetest's pattern pages, counters, repeated words). Plain C, for dom0
 * (tools/minios) and the host.
 */
#ifndef XENPAGING_COMPRESS_H
#define XENPAGING_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Positions of recent 4-byte sequences (the encoder's match finder):
 * zero it before its first use; then what one page leaves there is only
 * a hint for the next.
 */
#define XP_HASH_BITS 12

struct xp_compress_work {
	uint16_t head[1u << XP_HASH_BITS]; /* position + 1, 0: none */
};

/* Whether page (XP_PAGE_SIZE bytes) is all zero. */
bool xp_page_is_zero(const uint8_t *page);

/*
 * Encode page into out[0, max): the stream's length, or 0 if it needs
 * more than max bytes. work is the encoder's scratch space.
 */
size_t xp_compress(const uint8_t *page, uint8_t *out, size_t max,
		   struct xp_compress_work *work);

/*
 * Decode in[0, len) into page: 0, or -EINVAL if the stream is malformed
 * (an op past the page's end or the input's, a copy from before the
 * page, a page not filled or bytes left over; page then holds junk).
 * Whatever in holds, nothing outside page is written, nothing outside in
 * is read.
 */
int xp_decompress(const uint8_t *in, size_t len, uint8_t *page);

#endif /* XENPAGING_COMPRESS_H */
