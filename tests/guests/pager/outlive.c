/*
 * mode=outlive: a page of the target that the pager maps is the pager's
 * until it unmaps it, even once the target is dead (the foreign entry
 * holds a reference: docs/p2m.md). The pager maps OUTLIVE_MAPS gfns of
 * pagetest and waits for it to finish and be destroyed. Then each mapped
 * page must still hold one of pagetest's patterns (a frame freed with its
 * owner is zeroed when it is handed out again), and must keep it while
 * the pager takes OUTLIVE_CHURN fresh pages from the hypervisor's heap
 * and fills them (frames a teardown just freed are the likeliest to come
 * back). Then it unmaps them; autoexit's free-page count says each frame
 * was freed once (check-paging-outlive.sh).
 */
#include <xtf.h>

#include "../pagetest/pattern.h"
#include "pager.h"
#include "xenctl.h"

#define OUTLIVE_MAPS 16
#define OUTLIVE_CHURN 1024
/* pagetest's passes: its pattern is one of passes 0 to this. */
#define MAX_PASS 64

static uint64_t snapshot[OUTLIVE_MAPS][WORDS_PER_PAGE];

/* The pass of pagetest's pattern for gfn that w holds, or -1. */
static int pattern_pass(const uint64_t *w, uint32_t gfn)
{
	for (unsigned int pass = 0; pass <= MAX_PASS; pass++) {
		struct pattern pt = pattern_of(gfn, pass);
		unsigned int i = 0;

		while (i < WORDS_PER_PAGE && w[i] == pt.a + i * pt.b)
			i++;
		if (i == WORDS_PER_PAGE)
			return pass;
	}
	return -1;
}

/*
 * The next free page of the pager's below *pa, ballooned out: its gfn.
 * The store is not used in this mode, so its pages are free to take.
 */
static uint32_t next_hole(uint32_t *pa)
{
	do {
		if (*pa < (16u << 20))
			xtf_error("pager: outlive: out of free pages");
		*pa -= PAGE_SIZE;
	} while (!xtf_free_page(*pa));
	return pager_take_hole(*pa);
}

static void *page_at(uint32_t gfn)
{
	return (void *)((uintptr_t)gfn << PAGE_SHIFT);
}

void mode_outlive(struct pager *p)
{
	/* Below the ring, the copy window and shared info (serve.c). */
	uint32_t pa = xtf_top_free_page() - 2 * PAGE_SIZE;
	uint32_t at[OUTLIVE_MAPS], gfn[OUTLIVE_MAPS];
	unsigned int oldest = MAX_PASS;

	for (unsigned int i = 0; i < OUTLIVE_MAPS; i++) {
		int32_t err;
		long rc;

		gfn[i] = p->nr_gfns / 2 + i * 37;
		at[i] = next_hole(&pa);
		rc = foreign_map(p->target, gfn[i], at[i], &err);
		if (rc || err)
			xtf_failure(
				"pager: outlive: mapping gfn 0x%x of d%u: %ld (gfn: %d)",
				gfn[i], p->target, rc, err);
	}
	printf("pager: outlive: %u gfns of d%u mapped; waiting for it to go\n",
	       OUTLIVE_MAPS, p->target);
	while (pager_target_alive(p))
		pager_sleep_ms(10);

	for (unsigned int i = 0; i < OUTLIVE_MAPS; i++) {
		int pass;

		memcpy(snapshot[i], page_at(at[i]), PAGE_SIZE);
		pass = pattern_pass(snapshot[i], gfn[i]);
		if (pass < 0)
			xtf_failure(
				"pager: outlive: gfn 0x%x of the dead d%u holds no pattern of pagetest's (word 0: 0x%llx)",
				gfn[i], p->target,
				(unsigned long long)snapshot[i][0]);
		if ((unsigned int)pass < oldest)
			oldest = pass;
	}
	for (unsigned int j = 0; j < OUTLIVE_CHURN; j++) {
		uint32_t hole = next_hole(&pa);
		uint64_t *w = page_at(hole);
		long rc = populate_gfn(DOMID_SELF, hole);

		if (rc != 1)
			xtf_failure(
				"pager: outlive: populate_physmap of our gfn 0x%x: %ld",
				hole, rc);
		for (unsigned int i = 0; i < WORDS_PER_PAGE; i++)
			w[i] = 0x5a5a5a5a00000000ull | hole;
	}
	for (unsigned int i = 0; i < OUTLIVE_MAPS; i++) {
		long rc;

		if (memcmp(snapshot[i], page_at(at[i]), PAGE_SIZE))
			xtf_failure(
				"pager: outlive: gfn 0x%x of the dead d%u changed under our mapping (word 0: 0x%llx)",
				gfn[i], p->target,
				(unsigned long long)*(uint64_t *)page_at(
					at[i]));
		rc = foreign_unmap(at[i]);
		if (rc)
			xtf_failure(
				"pager: outlive: unmapping our gfn 0x%x: %ld",
				at[i], rc);
	}
	printf("pager: outlive: %u pages of the dead d%u intact (pagetest's passes %u and on) after %u fresh pages; unmapped\n",
	       OUTLIVE_MAPS, p->target, oldest, OUTLIVE_CHURN);
	xtf_success();
}
