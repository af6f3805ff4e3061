/* Self-tests of the buddy allocator, domheap accounting and references. */
#include <xen/bitmap.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/selftest.h>
#include <xen/smp.h>

#define RANDOM_ROUNDS 3000
#define RANDOM_SLOTS 48
#define RANDOM_MAX_ORDER 3

struct random_run {
	unsigned long *owned; /* one bit per pfn: handed out right now */
	unsigned long nbits;
	unsigned int errors;
	unsigned int allocs;
};

static unsigned int bitmap_order(unsigned long nbits)
{
	unsigned long bytes = BITS_TO_LONGS(nbits) * sizeof(long);
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static void claim(struct random_run *run, struct page_info *pg,
		  unsigned int order, u64 tag)
{
	unsigned long i, pfn = page_to_pfn(pg);

	if (!IS_ALIGNED(pfn, 1UL << order))
		__atomic_fetch_add(&run->errors, 1, __ATOMIC_RELAXED);
	for (i = 0; i < (1UL << order); i++) {
		if (pfn + i >= run->nbits ||
		    test_and_set_bit(pfn + i, run->owned))
			__atomic_fetch_add(&run->errors, 1, __ATOMIC_RELAXED);
		*(u64 *)page_to_virt(pg + i) = tag;
	}
}

static void release(struct random_run *run, struct page_info *pg,
		    unsigned int order, u64 tag)
{
	unsigned long i, pfn = page_to_pfn(pg);

	for (i = 0; i < (1UL << order); i++) {
		/* Another CPU writing our page would have changed the tag. */
		if (*(u64 *)page_to_virt(pg + i) != tag ||
		    !test_and_clear_bit(pfn + i, run->owned))
			__atomic_fetch_add(&run->errors, 1, __ATOMIC_RELAXED);
	}
	free_heap_pages(pg, order);
}

static void random_alloc_free(void *arg)
{
	struct random_run *run = arg;
	struct page_info *slot[RANDOM_SLOTS] = { NULL };
	unsigned int order[RANDOM_SLOTS];
	unsigned int cpu = smp_processor_id(), i, n = 0;
	u64 seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	u64 tag = 0x7461670000000000ULL | cpu;

	for (i = 0; i < RANDOM_ROUNDS; i++) {
		unsigned int s = test_rand(&seed) % RANDOM_SLOTS;

		if (slot[s]) {
			release(run, slot[s], order[s], tag);
			slot[s] = NULL;
			continue;
		}
		order[s] = test_rand(&seed) % (RANDOM_MAX_ORDER + 1);
		slot[s] = alloc_heap_pages(order[s], 0);
		if (!slot[s])
			continue;
		claim(run, slot[s], order[s], tag);
		n++;
	}
	for (i = 0; i < RANDOM_SLOTS; i++)
		if (slot[i])
			release(run, slot[i], order[i], tag);
	__atomic_fetch_add(&run->allocs, n, __ATOMIC_RELAXED);
}

SELFTEST(alloc_random_all_cpus)
{
	struct random_run run = { .nbits = max_valid_pfn() + 1 };
	unsigned int border = bitmap_order(run.nbits);
	unsigned long free_before;

	run.owned = alloc_xenheap_pages(border, 0);
	CHECK(run.owned);
	free_before = total_free_pages();
	on_each_cpu(random_alloc_free, &run, true);
	printk("  %u CPUs, %u allocations\n", num_online_cpus(), run.allocs);
	CHECK(run.errors == 0);
	CHECK(run.allocs > RANDOM_ROUNDS / 4);
	CHECK(bitmap_empty(run.owned, run.nbits));
	CHECK(total_free_pages() == free_before);
	free_xenheap_pages(run.owned, border);
	return TEST_PASS;
}

SELFTEST(alloc_coalesce)
{
	enum { N = 1024 };
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];
	struct page_info **pages = alloc_xenheap_pages(1, 0);
	u64 seed = 42;
	unsigned int i;

	CHECK(pages);
	heap_order_counts(before);
	for (i = 0; i < N; i++) {
		pages[i] = alloc_heap_pages(0, MEMF_no_scrub);
		CHECK(pages[i]);
	}
	/* Free in random order: every buddy must still find its pair. */
	for (i = N - 1; i > 0; i--) {
		unsigned int j = test_rand(&seed) % (i + 1);
		struct page_info *t = pages[i];

		pages[i] = pages[j];
		pages[j] = t;
	}
	for (i = 0; i < N; i++)
		free_heap_pages(pages[i], 0);
	heap_order_counts(after);
	for (i = 0; i <= MAX_ORDER; i++)
		CHECK(before[i] == after[i]);
	free_xenheap_pages(pages, 1);
	return TEST_PASS;
}

static bool page_filled(struct page_info *pg, u8 v)
{
	const u8 *p = page_to_virt(pg);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != v)
			return false;
	return true;
}

SELFTEST(alloc_scrub)
{
	struct page_info *pair = alloc_heap_pages(1, 0), *again;

	CHECK(pair);
	CHECK(page_filled(pair, 0) && page_filled(pair + 1, 0));
	memset(page_to_virt(pair), 0xaa, 2 * PAGE_SIZE);

	/* Its buddy is in use, so pair[1] heads the LIFO order-0 list. */
	free_heap_pages(pair + 1, 0);
	again = alloc_heap_pages(0, 0);
	CHECK(again == pair + 1);
	CHECK(page_filled(again, 0));

	/* MEMF_no_scrub really skips it: the old bytes are still there. */
	memset(page_to_virt(again), 0xbb, PAGE_SIZE);
	free_heap_pages(again, 0);
	again = alloc_heap_pages(0, MEMF_no_scrub);
	CHECK(again == pair + 1);
	CHECK(page_filled(again, 0xbb));

	free_heap_pages(again, 0);
	free_heap_pages(pair, 0);
	return TEST_PASS;
}

SELFTEST(alloc_largest_order)
{
	unsigned long before[MAX_ORDER + 1], after[MAX_ORDER + 1];
	struct page_info *pg;
	int order;

	CHECK(!alloc_heap_pages(MAX_ORDER + 1, 0));
	heap_order_counts(before);
	for (order = MAX_ORDER; order >= 0 && !before[order]; order--)
		;
	CHECK(order >= 0);
	pg = alloc_heap_pages(order, MEMF_no_scrub);
	CHECK(pg);
	CHECK(IS_ALIGNED(page_to_pfn(pg), 1UL << order));
	printk("  order %d (%lu MiB) at pfn %lx\n", order,
	       (PAGE_SIZE << order) >> 20, page_to_pfn(pg));
	free_heap_pages(pg, order);
	heap_order_counts(after);
	for (order = 0; order <= MAX_ORDER; order++)
		CHECK(before[order] == after[order]);
	return TEST_PASS;
}

SELFTEST(domheap_accounting)
{
	static struct domain d, other;
	struct page_info *pg[9];
	unsigned long free_before = total_free_pages();
	unsigned int i;

	domain_mem_init(&d, 1, 8);
	domain_mem_init(&other, 2, 8);
	for (i = 0; i < 8; i++) {
		pg[i] = alloc_domheap_page(&d, 0);
		CHECK(pg[i] && page_get_owner(pg[i]) == &d);
	}
	CHECK(d.tot_pages == 8);
	/* Over the limit: refused, and nothing leaks. */
	pg[8] = alloc_domheap_page(&d, 0);
	CHECK(!pg[8]);
	CHECK(total_free_pages() == free_before - 8);

	CHECK(get_page(pg[0], &d));
	CHECK(!get_page(pg[0], &other));
	put_page(pg[0]);
	/* A full reference count must not wrap. */
	pg[1]->count_info |= PGC_count_mask;
	CHECK(!get_page(pg[1], &d));
	pg[1]->count_info = (pg[1]->count_info & ~PGC_count_mask) | 1;

	/* Dropping the allocation reference frees the page. */
	CHECK(test_and_clear_bit(_PGC_allocated, &pg[2]->count_info));
	put_page(pg[2]);
	CHECK(d.tot_pages == 7);
	CHECK(page_state_is(pg[2], free));
	CHECK(!get_page(pg[2], &d));

	/* A reference held across relinquish keeps the page until put. */
	CHECK(get_page(pg[3], &d));
	CHECK(domain_relinquish_pages(&d) == 7);
	CHECK(d.tot_pages == 0);
	CHECK(!page_state_is(pg[3], free));
	CHECK(total_free_pages() == free_before - 1);
	put_page(pg[3]);
	CHECK(total_free_pages() == free_before);
	return TEST_PASS;
}
