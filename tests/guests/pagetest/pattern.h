/*
 * pagetest's pattern: word i of page gfn in pass p is a + i * b, with a
 * and b (odd) hashed from (gfn, p). So every word of a page differs from
 * the others, and from the word at the same place in any other page or
 * pass: a stale page, another gfn's page, a zero page or a page torn
 * between two passes all mismatch.
 *
 * Why not a hash per word: the pager stores what it evicts in its own
 * RAM, 32 MiB for a 64 MiB domain held at 25% resident. It compresses
 * runs of words with a constant difference (as zero-page detection does,
 * without knowing this pattern); hashed words would not fit.
 */
#ifndef PAGETEST_PATTERN_H
#define PAGETEST_PATTERN_H

#include <stdint.h>

#include <xtf.h>

#define WORDS_PER_PAGE (PAGE_SIZE / 8)

struct pattern {
	uint64_t a, b;
};

/* A 64-bit mixer (the splitmix64 finaliser's constants). */
static inline uint64_t pattern_mix(uint64_t z)
{
	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

static inline struct pattern pattern_of(uint32_t gfn, unsigned int pass)
{
	uint64_t a = pattern_mix(((uint64_t)gfn << 32 | pass) +
				 0x9e3779b97f4a7c15ull);

	return (struct pattern){ a, pattern_mix(a) | 1 };
}

static inline uint64_t pattern_word(const struct pattern *p, unsigned int i)
{
	return p->a + i * p->b;
}

#endif /* PAGETEST_PATTERN_H */
