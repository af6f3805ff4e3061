/*
 * Foreign mappings: another domain's frames mapped into dom0's physmap
 * at gfns of the window [3 GiB, 4 GiB), which dom0's page tables map 1:1
 * (arch/paging.c), with XENMEM_add_to_physmap_batch (gmfn_foreign), and
 * unmapped with XENMEM_remove_from_physmap. A mapping takes a run of
 * window gfns, first fit; a page whose map failed keeps its gfn (not
 * present) until the whole run is unmapped.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <public/memory.h>
#include <xen_os.h>

#include <minios/arch.h>
#include <minios/foreign.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/paging.h>

/* Pages per add_to_physmap_batch: its size field is 16 bits. */
#define BATCH 1024
#define BITS 64

static uint64_t window_used[WINDOW_PAGES / BITS];
static unsigned long window_nr_free = WINDOW_PAGES, window_hint;

static bool taken(unsigned long i)
{
	return window_used[i / BITS] & (1ULL << (i % BITS));
}

static void mark(unsigned long first, unsigned long n, bool use)
{
	for (unsigned long i = first; i < first + n; i++) {
		if (use)
			window_used[i / BITS] |= 1ULL << (i % BITS);
		else
			window_used[i / BITS] &= ~(1ULL << (i % BITS));
	}
	if (use)
		window_nr_free -= n;
	else
		window_nr_free += n;
}

/* The first free run of n window pages from index from, or WINDOW_PAGES. */
static unsigned long find_run(unsigned long from, unsigned long n)
{
	unsigned long run = 0;

	for (unsigned long i = from; i < WINDOW_PAGES; i++) {
		run = taken(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return WINDOW_PAGES;
}

/*
 * The first window gfn of a free run of n, taken; 0 if there is none.
 * The search starts after the last run taken, then wraps.
 */
static unsigned long window_alloc(unsigned long n)
{
	unsigned long i = find_run(window_hint, n);

	if (i == WINDOW_PAGES)
		i = find_run(0, n);
	if (i == WINDOW_PAGES)
		return 0;
	mark(i, n, true);
	window_hint = i + n;
	return WINDOW_FIRST_GFN + i;
}

unsigned long foreign_window_free(void)
{
	return window_nr_free;
}

static long remove_gfn(unsigned long gfn)
{
	struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = gfn };

	return hypercall_memory_op(XENMEM_remove_from_physmap, &r);
}

/*
 * Map gfns[0..n) of dom at window gfns from `at`, their results in
 * errs[]; a failure of the whole batch is every page's error.
 */
static void map_batch(domid_t dom, const uint64_t *gfns, int *errs,
		      unsigned int n, unsigned long at)
{
	static xen_pfn_t gpfns[BATCH];
	struct xen_add_to_physmap_batch b = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.size = n,
		.u.foreign_domid = dom,
	};
	long rc;

	for (unsigned int i = 0; i < n; i++) {
		gpfns[i] = at + i;
		errs[i] = 0;
	}
	set_xen_guest_handle(b.idxs, (xen_pfn_t *)gfns);
	set_xen_guest_handle(b.gpfns, gpfns);
	set_xen_guest_handle(b.errs, (int32_t *)errs);
	rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &b);
	if (rc)
		for (unsigned int i = 0; i < n; i++)
			errs[i] = rc;
}

void *xen_os_map_foreign(domid_t dom, const uint64_t *gfns, int *errs,
			 unsigned int nr, int *rc)
{
	unsigned long first;
	unsigned int mapped = 0;

	if (!nr || nr > WINDOW_PAGES) {
		*rc = -XEN_EINVAL;
		return NULL;
	}
	first = window_alloc(nr);
	if (!first) {
		*rc = -XEN_ENOMEM;
		return NULL;
	}
	for (unsigned int done = 0; done < nr; done += BATCH) {
		unsigned int n = nr - done < BATCH ? nr - done : BATCH;

		map_batch(dom, gfns + done, errs + done, n, first + done);
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (errs[i])
			continue;
		if (paging_window_map(first + i)) {
			remove_gfn(first + i);
			errs[i] = -XEN_ENOMEM;
			continue;
		}
		mapped++;
	}
	if (!mapped) {
		mark(first - WINDOW_FIRST_GFN, nr, false);
		*rc = errs[0];
		return NULL;
	}
	*rc = 0;
	return (void *)(first << PAGE_SHIFT);
}

int xen_os_unmap_foreign(void *addr, unsigned int nr)
{
	unsigned long first = (uintptr_t)addr >> PAGE_SHIFT;
	long rc, ret = 0;

	if ((uintptr_t)addr & (PAGE_SIZE - 1) || first < WINDOW_FIRST_GFN ||
	    !nr || nr > WINDOW_FIRST_GFN + WINDOW_PAGES - first)
		return -XEN_EINVAL;
	for (unsigned int i = 0; i < nr; i++)
		if (!taken(first - WINDOW_FIRST_GFN + i))
			return -XEN_EINVAL;
	for (unsigned int i = 0; i < nr; i++) {
		if (!paging_window_mapped(first + i))
			continue;
		paging_window_unmap(first + i);
		rc = remove_gfn(first + i);
		if (rc && !ret)
			ret = rc;
	}
	mark(first - WINDOW_FIRST_GFN, nr, false);
	return ret;
}
