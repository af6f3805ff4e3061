/*
 * selftest's memory check: malloc, realloc, calloc and free against the
 * page allocator.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <minios/page_alloc.h>

#include "selftest.h"

/* malloc: random blocks filled and checked; every page back at the end. */
#define SLOTS 64

static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static bool intact(const unsigned char *p, size_t size, unsigned char tag)
{
	for (size_t i = 0; i < size; i++)
		if (p[i] != (unsigned char)(tag + i))
			return false;
	return true;
}

static void fill(unsigned char *p, size_t size, unsigned char tag)
{
	for (size_t i = 0; i < size; i++)
		p[i] = tag + i;
}

const char *check_malloc(void)
{
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	unsigned long before = pages_free();
	uint32_t seed = 1;
	const char *bad = NULL;
	unsigned char *z;

	for (unsigned int op = 0; op < 4000 && !bad; op++) {
		unsigned int i = lcg(&seed) % SLOTS;
		size_t n = lcg(&seed) % 3 ? lcg(&seed) % 300 + 1 :
					    lcg(&seed) % 9000 + 1;

		if (slot[i] && !intact(slot[i], size[i], i))
			bad = FAIL("block %u (%zu bytes) was overwritten", i,
				   size[i]);
		else if (slot[i] && op % 5 == 0) {
			unsigned char *q = realloc(slot[i], n);

			if (!q) {
				bad = FAIL("realloc(%zu) failed", n);
				break;
			}
			if (!intact(q, n < size[i] ? n : size[i], i))
				bad = FAIL("realloc lost block %u's bytes", i);
			slot[i] = q;
			size[i] = n;
			fill(q, n, i);
		} else if (slot[i]) {
			free(slot[i]);
			slot[i] = NULL;
		} else {
			slot[i] = malloc(n);
			if (!slot[i])
				bad = FAIL("malloc(%zu) failed", n);
			else if ((uintptr_t)slot[i] % 16)
				bad = FAIL(
					"malloc(%zu) gave %p, not 16-aligned",
					n, slot[i]);
			else
				fill(slot[i], size[i] = n, i);
		}
	}
	for (unsigned int i = 0; i < SLOTS; i++) {
		free(slot[i]);
		slot[i] = NULL;
	}
	if (bad)
		return bad;
	z = calloc(100, 40);
	for (unsigned int i = 0; z && i < 4000; i++)
		if (z[i])
			bad = FAIL("calloc gave a nonzero byte at %u", i);
	free(z);
	if (!z)
		return FAIL("calloc(100, 40) failed");
	if (!bad && pages_free() != before)
		bad = FAIL("%lu pages free after, %lu before", pages_free(),
			   before);
	return bad;
}
