/*
 * pagetest's pattern pages on the host, for the page store's tests and
 * benchmark: the same words as tests/guests/pagetest/pattern.h (which
 * needs the guest's <xtf.h>), word i of page gfn in pass p being
 * a + i * b with a and b hashed from (gfn, p). Little-endian, as the
 * guest writes them.
 */
#ifndef PATTERN_PAGE_H
#define PATTERN_PAGE_H

#include <stdint.h>
#include <string.h>

static inline uint64_t pattern_page_mix(uint64_t z)
{
	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

/* Fill page (4096 bytes) with page gfn of pass p. */
static inline void pattern_page(uint8_t *page, uint32_t gfn, unsigned int p)
{
	uint64_t a = pattern_page_mix(((uint64_t)gfn << 32 | p) +
				      0x9e3779b97f4a7c15ull);
	uint64_t b = pattern_page_mix(a) | 1;

	for (unsigned int i = 0; i < 4096 / 8; i++) {
		uint64_t w = a + i * b;

		memcpy(page + 8 * i, &w, sizeof(w));
	}
}

#endif /* PATTERN_PAGE_H */
