/*
 * The buddy allocator over the frame table, the xenheap and domheap on top
 * of it, per-domain accounting and page references.
 *
 * Free memory is kept in chunks of 2^order pages, aligned to their size, on
 * one free list per order. The head page of a free chunk records its order;
 * freeing a chunk merges it with its buddy while the buddy is a free chunk
 * of the same order. Free lists are LIFO (recently freed memory is reused
 * first, while still warm in the caches). Freed chunks are marked PGC_need_scrub and zeroed when
 * next allocated (outside heap_lock), so no page is ever handed out with a
 * previous user's contents unless the caller asks for MEMF_no_scrub.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>

#define ORDER_NONE (~0UL)

/* Protects heap[], free_pages and every free page's page_info. */
static DEFINE_SPINLOCK(heap_lock, LR_HEAP);
static struct page_list_head heap[MAX_ORDER + 1] = {
	[0 ... MAX_ORDER] = PAGE_LIST_HEAD_INIT,
};
static unsigned long free_pages;
static unsigned long heap_pages;

static bool is_free_head(unsigned long pfn, unsigned int order)
{
	const struct page_info *pg;

	if (!pfn_valid(pfn))
		return false;
	pg = pfn_to_page(pfn);
	return page_state_is(pg, free) && pg->u.free_order == order;
}

/* Insert a free chunk, merging with buddies. Caller holds heap_lock. */
static void insert_free_chunk(struct page_info *pg, unsigned int order,
			      bool dirty)
{
	unsigned long pfn = page_to_pfn(pg);

	while (order < MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);
		struct page_info *bpg;

		if (!is_free_head(buddy, order))
			break;
		bpg = pfn_to_page(buddy);
		page_list_del(bpg, &heap[order]);
		dirty |= !!(bpg->count_info & PGC_need_scrub);
		bpg->count_info &= ~PGC_need_scrub;
		bpg->u.free_order = ORDER_NONE;
		pg->count_info &= ~PGC_need_scrub;
		pg->u.free_order = ORDER_NONE;
		pfn &= ~(1UL << order);
		pg = pfn_to_page(pfn);
		order++;
	}
	pg->u.free_order = order;
	if (dirty)
		pg->count_info |= PGC_need_scrub;
	page_list_add(pg, &heap[order]);
}

static void mark_free(struct page_info *pg, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		pg[i].count_info = PGC_state_free;
		pg[i].u.free_order = ORDER_NONE;
		pg[i].owner = NULL;
	}
}

void init_heap_pages(struct page_info *pg, unsigned long nr)
{
	unsigned long pfn = page_to_pfn(pg), end = pfn + nr;

	while (pfn < end) {
		unsigned int order = MAX_ORDER;

		if (pfn)
			order = min(order, ffsl0(pfn));
		order = min(order, flsl0(end - pfn));
		spin_lock(&heap_lock);
		mark_free(pfn_to_page(pfn), 1UL << order);
		/* Boot and hot-added memory may hold anything: scrub it. */
		insert_free_chunk(pfn_to_page(pfn), order, true);
		free_pages += 1UL << order;
		heap_pages += 1UL << order;
		spin_unlock(&heap_lock);
		pfn += 1UL << order;
	}
}

static void scrub_pages(struct page_info *pg, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		memset(page_to_virt(pg + i), 0, PAGE_SIZE);
}

struct page_info *alloc_heap_pages(unsigned int order, unsigned int memflags)
{
	struct page_info *pg;
	unsigned int o;
	unsigned long i;
	bool dirty;

	if (order > MAX_ORDER)
		return NULL;

	spin_lock(&heap_lock);
	for (o = order; o <= MAX_ORDER && page_list_empty(&heap[o]); o++)
		;
	if (o > MAX_ORDER) {
		spin_unlock(&heap_lock);
		return NULL;
	}
	pg = page_list_remove_head(&heap[o]);
	dirty = pg->count_info & PGC_need_scrub;
	/* Split: keep the lower half, give the upper half back each time. */
	while (o > order) {
		struct page_info *upper;

		o--;
		upper = pg + (1UL << o);
		upper->u.free_order = o;
		if (dirty)
			upper->count_info |= PGC_need_scrub;
		page_list_add(upper, &heap[o]);
	}
	for (i = 0; i < (1UL << order); i++) {
		ASSERT(page_state_is(&pg[i], free));
		pg[i].count_info = PGC_state_inuse;
		pg[i].u.type_info = 0;
	}
	free_pages -= 1UL << order;
	spin_unlock(&heap_lock);

	if (dirty && !(memflags & MEMF_no_scrub))
		scrub_pages(pg, order);
	return pg;
}

void free_heap_pages(struct page_info *pg, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (!page_state_is(&pg[i], inuse) ||
		    (pg[i].count_info & PGC_count_mask))
			panic("freeing pfn %lx: count_info %lx is not a free-able "
			      "page\n",
			      page_to_pfn(&pg[i]), pg[i].count_info);

	spin_lock(&heap_lock);
	/* Under the lock: a CPU merging a buddy must not see a half-free page */
	mark_free(pg, 1UL << order);
	insert_free_chunk(pg, order, true);
	free_pages += 1UL << order;
	spin_unlock(&heap_lock);
}

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags)
{
	struct page_info *pg = alloc_heap_pages(order, memflags);
	unsigned long i;

	if (!pg)
		return NULL;
	for (i = 0; i < (1UL << order); i++)
		pg[i].count_info |= PGC_xen_heap;
	return page_to_virt(pg);
}

void free_xenheap_pages(void *v, unsigned int order)
{
	struct page_info *pg;
	unsigned long i;

	if (!v)
		return;
	pg = virt_to_page(v);
	for (i = 0; i < (1UL << order); i++) {
		ASSERT(pg[i].count_info & PGC_xen_heap);
		pg[i].count_info &= ~PGC_xen_heap;
	}
	free_heap_pages(pg, order);
}

int assign_pages(struct domain *d, struct page_info *pg, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	spin_lock(&d->page_alloc_lock);
	if (d->tot_pages + nr > d->max_pages) {
		/* Said once per domain: a guest must not flood the console. */
		bool first = !d->overalloc_reported;

		d->overalloc_reported = true;
		spin_unlock(&d->page_alloc_lock);
		if (first)
			printk(XENLOG_WARNING "d%u: over-allocation: %lu + %lu "
					      "> %lu pages (reported once)\n",
			       d->domain_id, d->tot_pages, nr, d->max_pages);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		pg[i].owner = d;
		/* The allocation reference, dropped by clearing PGC_allocated */
		pg[i].count_info = PGC_state_inuse | PGC_allocated | 1;
		page_list_add_tail(&pg[i], &d->page_list);
	}
	d->tot_pages += nr;
	spin_unlock(&d->page_alloc_lock);
	return 0;
}

struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order,
				      unsigned int memflags)
{
	struct page_info *pg = alloc_heap_pages(order, memflags);

	if (!pg || !d || (memflags & MEMF_no_owner))
		return pg;
	if (assign_pages(d, pg, order)) {
		free_heap_pages(pg, order);
		return NULL;
	}
	return pg;
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
	struct domain *d = page_get_owner(pg);
	unsigned long i, nr = 1UL << order;

	if (d) {
		spin_lock(&d->page_alloc_lock);
		for (i = 0; i < nr; i++) {
			ASSERT(page_get_owner(&pg[i]) == d);
			page_list_del(&pg[i], &d->page_list);
			pg[i].owner = NULL;
		}
		d->tot_pages -= nr;
		spin_unlock(&d->page_alloc_lock);
	}
	for (i = 0; i < nr; i++)
		pg[i].count_info &= ~(PGC_allocated | PGC_count_mask);
	free_heap_pages(pg, order);
}

bool get_page(struct page_info *pg, const struct domain *d)
{
	unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

	do {
		/* A free page has no references; a full count must not wrap. */
		if (!(x & PGC_count_mask) || !((x + 1) & PGC_count_mask) ||
		    READ_ONCE(pg->owner) != d)
			return false;
	} while (!__atomic_compare_exchange_n(&pg->count_info, &x, x + 1, false,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	/* The owner can only change once the count dropped to zero. */
	if (READ_ONCE(pg->owner) != d) {
		put_page(pg);
		return false;
	}
	return true;
}

void put_page(struct page_info *pg)
{
	unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

	do {
		/* Never let the count borrow from the flag bits. */
		if (!(x & PGC_count_mask))
			panic("put_page: pfn %lx has no references\n",
			      page_to_pfn(pg));
	} while (!__atomic_compare_exchange_n(&pg->count_info, &x, x - 1, false,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	if ((x & PGC_count_mask) == 1)
		free_domheap_pages(pg, 0);
}

void domain_mem_init(struct domain *d, domid_t id, unsigned long max_pages)
{
	d->domain_id = id;
	spin_lock_init(&d->page_alloc_lock, "page_alloc_lock",
		       LR_DOMAIN_PAGE_ALLOC);
	page_list_init(&d->page_list);
	d->tot_pages = 0;
	d->max_pages = max_pages;
	d->overalloc_reported = false;
}

unsigned long domain_relinquish_pages(struct domain *d)
{
	unsigned long dropped = 0;

	for (;;) {
		struct page_info *pg;

		spin_lock(&d->page_alloc_lock);
		pg = page_list_remove_head(&d->page_list);
		if (pg) {
			d->tot_pages--;
			/* From here get_page(pg, d) fails: the owner is gone. */
			WRITE_ONCE(pg->owner, NULL);
		}
		spin_unlock(&d->page_alloc_lock);
		if (!pg)
			return dropped;
		if (test_and_clear_bit(_PGC_allocated, &pg->count_info))
			put_page(pg);
		dropped++;
	}
}

unsigned long total_free_pages(void)
{
	return READ_ONCE(free_pages);
}

unsigned long total_heap_pages(void)
{
	return READ_ONCE(heap_pages);
}

void heap_order_counts(unsigned long counts[MAX_ORDER + 1])
{
	unsigned int i;

	spin_lock(&heap_lock);
	for (i = 0; i <= MAX_ORDER; i++)
		counts[i] = heap[i].count;
	spin_unlock(&heap_lock);
}
