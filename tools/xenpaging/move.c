/*
 * Moving pages: evicting a batch of gfns the policy chose into the store,
 * and paging gfns back in from it.
 */
#include <errno.h>
#include <string.h>

#include "move.h"

/* At most this many gfns are nominated, mapped and evicted together. */
#define BATCH 64u
/* Evicted to make room for a page-in at the memory limit, and tries. */
#define ROOM_BATCH 16u
#define ROOM_TRIES 4

static bool eligible(void *ctx, uint64_t gfn)
{
	const struct xp_pager *p = ctx;

	return p->state[gfn] == XP_RESIDENT;
}

/* Nominate each of gfns[n]: the ones nominated, moved to the front. */
static unsigned int nominate(struct xp_pager *p, uint64_t *gfns, unsigned int n)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (!xc_mem_paging_nominate(p->xch, p->domid, gfns[i])) {
			gfns[kept++] = gfns[i];
			continue;
		}
		if (errno == EINVAL) {
			/* A kind that is never paged: not asked again. */
			p->state[gfns[i]] = XP_NOT_PAGEABLE;
			p->not_pageable++;
		} else if (errno == ESRCH) {
			p->gone = true;
			return 0;
		}
		/* EBUSY: held (mapped) for now; another time. */
	}
	return kept;
}

/*
 * Copy the nominated gfns[n] into the store (mapped together): which were
 * saved, moved to the front.
 */
static unsigned int save(struct xp_pager *p, uint64_t *gfns, unsigned int n)
{
	xen_pfn_t pfns[BATCH];
	int errs[BATCH];
	unsigned int kept = 0;
	uint8_t *map;

	for (unsigned int i = 0; i < n; i++)
		pfns[i] = gfns[i];
	map = xenforeignmemory_map(p->fmem, p->domid,
				   XENFOREIGNMEMORY_PROT_READ, n, pfns, errs);
	if (!map)
		return 0;
	for (unsigned int i = 0; i < n; i++) {
		int rc;

		if (errs[i])
			continue;
		rc = xp_store_put(p->store, gfns[i], map + i * XP_PAGE_SIZE);
		if (rc == -ENOSPC) {
			p->store_full = true;
			break;
		}
		if (!rc)
			gfns[kept++] = gfns[i];
	}
	xenforeignmemory_unmap(p->fmem, map, n);
	return kept;
}

unsigned int xp_evict_batch(struct xp_pager *p, unsigned int max)
{
	uint64_t gfns[BATCH];
	unsigned int n, evicted = 0;

	if (max > BATCH)
		max = BATCH;
	n = xp_policy_choose(p->policy, eligible, p, gfns, max);
	n = nominate(p, gfns, n);
	n = save(p, gfns, n);
	for (unsigned int i = 0; i < n; i++) {
		if (xc_mem_paging_evict(p->xch, p->domid, gfns[i])) {
			/* EBUSY: used since nominate; it stays resident. */
			xp_store_drop(p->store, gfns[i]);
			if (errno == EBUSY)
				p->n.evict_busy++;
			else if (errno == ESRCH)
				p->gone = true;
			else
				p->n.errors++;
			continue;
		}
		p->state[gfns[i]] = XP_PAGED;
		p->paged++;
		p->n.evictions++;
		evicted++;
	}
	return evicted;
}

/*
 * The domain is at its memory limit (xl mem-set lowered it, or pages
 * other than RAM count against it): evict down to the low water mark,
 * or a few pages if it is there already.
 */
static void make_room(struct xp_pager *p)
{
	uint64_t low = xp_pager_low_water(p);

	if (xp_pager_resident(p) <= low) {
		xp_evict_batch(p, ROOM_BATCH);
		return;
	}
	while (xp_pager_resident(p) > low && !p->store_full && !p->gone) {
		uint64_t over = xp_pager_resident(p) - low;

		if (!xp_evict_batch(p,
				    over < BATCH ? (unsigned int)over : BATCH))
			break;
	}
}

int xp_page_in(struct xp_pager *p, uint64_t gfn)
{
	uint8_t page[XP_PAGE_SIZE];
	int tries = 0;

	if (xp_store_get(p->store, gfn, page)) {
		p->n.errors++;
		return -ENOENT;
	}
	while (xc_mem_paging_load(p->xch, p->domid, gfn, page)) {
		if (errno != ENOMEM || tries++ == ROOM_TRIES)
			return -errno;
		make_room(p);
	}
	xp_store_drop(p->store, gfn);
	p->state[gfn] = XP_RESIDENT;
	p->paged--;
	p->n.pageins++;
	/* Room in the store again: evicting may go on. */
	p->store_full = false;
	xp_policy_paged_in(p->policy, gfn);
	return 0;
}

unsigned int xp_page_in_batch(struct xp_pager *p, unsigned int max)
{
	unsigned int done = 0;

	for (uint64_t gfn = 0; gfn < p->nr_gfns && done < max && !p->gone;
	     gfn++) {
		if (p->state[gfn] != XP_PAGED)
			continue;
		if (xp_page_in(p, gfn))
			break;
		done++;
	}
	return done;
}
