#include <xtf.h>

#include "store.h"

#define STORE_RUNS 2
#define WORDS (PAGE_SIZE / 8)
#define MAX_POOL (1u << 20 >> 2) /* 1 GiB of pages: more than a pager has */

struct slot {
	uint64_t first[STORE_RUNS], delta[STORE_RUNS];
	uint16_t len[STORE_RUNS];
	uint8_t used; /* the slot holds the page */
	uint8_t runs; /* 0: raw, in the page at `raw` */
	uint32_t raw;
};

static struct slot slots[STORE_MAX_GFNS];
static uint32_t pool[MAX_POOL];
static unsigned int pool_free, nr_compact, nr_raw;

void store_init(uint32_t nr_gfns, uint32_t skip, uint32_t skip_end)
{
	uint32_t end = xtf_ram_end() & ~(uint32_t)(PAGE_SIZE - 1);

	if (nr_gfns > STORE_MAX_GFNS)
		xtf_error("pager: the target has %u gfns, the store covers %u",
			  nr_gfns, STORE_MAX_GFNS);
	for (uint32_t pa = 0; pa < end && pool_free < MAX_POOL; pa += PAGE_SIZE)
		if ((pa < skip || pa >= skip_end) && xtf_free_page(pa))
			pool[pool_free++] = pa;
}

/* Cut the page into runs of constant difference: false if too many. */
static bool encode(struct slot *s, const uint64_t *w)
{
	unsigned int i = 0, r = 0;

	while (i < WORDS) {
		uint64_t d = i + 1 < WORDS ? w[i + 1] - w[i] : 0;
		unsigned int n = 1;

		if (r == STORE_RUNS)
			return false;
		while (i + n < WORDS && w[i + n] - w[i + n - 1] == d)
			n++;
		s->first[r] = w[i];
		s->delta[r] = d;
		s->len[r++] = n;
		i += n;
	}
	s->runs = r;
	return true;
}

bool store_save(uint32_t gfn, const void *page)
{
	struct slot *s = &slots[gfn];

	store_drop(gfn);
	if (encode(s, page)) {
		nr_compact++;
	} else {
		if (!pool_free)
			return false;
		s->runs = 0;
		s->raw = pool[--pool_free];
		memcpy((void *)s->raw, page, PAGE_SIZE);
		nr_raw++;
	}
	s->used = 1;
	return true;
}

uintptr_t store_contents(uint32_t gfn, void *scratch)
{
	const struct slot *s = &slots[gfn];
	uint64_t *w = scratch;
	unsigned int i = 0;

	if (!s->runs)
		return s->raw;
	for (unsigned int r = 0; r < s->runs; r++)
		for (unsigned int k = 0; k < s->len[r]; k++)
			w[i++] = s->first[r] + k * s->delta[r];
	return (uintptr_t)scratch;
}

void store_drop(uint32_t gfn)
{
	struct slot *s = &slots[gfn];

	if (!s->used)
		return;
	if (s->runs) {
		nr_compact--;
	} else {
		pool[pool_free++] = s->raw;
		nr_raw--;
	}
	s->used = 0;
}

bool store_has(uint32_t gfn)
{
	return slots[gfn].used;
}

bool store_room(void)
{
	return pool_free;
}

void store_counts(unsigned int *compact, unsigned int *raw, unsigned int *free)
{
	*compact = nr_compact;
	*raw = nr_raw;
	*free = pool_free;
}
