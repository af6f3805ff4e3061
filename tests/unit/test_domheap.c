/*
 * xen/common/page_alloc.c, the domain side: per-domain accounting against
 * max_pages, page references and relinquishing a domain's memory.
 */
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x1400UL
#define RAM_PAGES (RAM_END - RAM_START)

static struct domain dom, other;

static void setup(unsigned long max_pages)
{
	shim_add_ram(RAM_START, RAM_END);
	domain_mem_init(&dom, 1, max_pages);
	domain_mem_init(&other, 2, max_pages);
}

static bool on_page_list(const struct domain *d, const struct page_info *pg)
{
	u32 pfn;

	for (pfn = d->page_list.head; pfn != PAGE_LIST_NULL;
	     pfn = pfn_to_page(pfn)->list.next)
		if (pfn_to_page(pfn) == pg)
			return true;
	return false;
}

#define ALLOCATED (PGC_state_inuse | PGC_allocated | 1)

TEST(domheap_max_pages_accounting)
{
	struct page_info *pg[10];
	unsigned int i;

	setup(10);
	for (i = 0; i < 10; i++) {
		pg[i] = alloc_domheap_page(&dom, 0);
		CHECK(pg[i]);
		CHECK(page_get_owner(pg[i]) == &dom);
		CHECK_EQ(pg[i]->count_info, ALLOCATED);
		CHECK_EQ(dom.tot_pages, i + 1);
		CHECK(on_page_list(&dom, pg[i]));
	}
	CHECK_EQ(dom.page_list.count, 10);
	CHECK_EQ(total_free_pages(), RAM_PAGES - 10);

	/* Over max_pages: refused, and the pages went back to the heap. */
	CHECK(!alloc_domheap_page(&dom, 0));
	CHECK_EQ(dom.tot_pages, 10);
	CHECK_EQ(total_free_pages(), RAM_PAGES - 10);

	free_domheap_page(pg[3]);
	free_domheap_page(pg[7]);
	CHECK_EQ(dom.tot_pages, 8);
	CHECK(!on_page_list(&dom, pg[3]));
	CHECK(page_state_is(pg[3], free) && !page_get_owner(pg[3]));
	CHECK(!alloc_domheap_pages(&dom, 2, 0)); /* 8 + 4 > 10 */
	CHECK_EQ(total_free_pages(), RAM_PAGES - 8);
	pg[3] = alloc_domheap_pages(&dom, 1, 0); /* 8 + 2 fits */
	CHECK(pg[3]);
	CHECK_EQ(dom.tot_pages, 10);
	CHECK_EQ(dom.page_list.count, 10);

	free_domheap_pages(pg[3], 1);
	for (i = 0; i < 10; i++)
		if (i != 3 && i != 7)
			free_domheap_page(pg[i]);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK(page_list_empty(&dom.page_list));
	CHECK_EQ(total_free_pages(), RAM_PAGES);
}

TEST(domheap_assign_pages)
{
	struct page_info *pg;
	unsigned int i;

	setup(3);
	pg = alloc_heap_pages(2, 0);
	CHECK_EQ(assign_pages(&dom, pg, 2), -ENOMEM);
	CHECK_EQ(dom.tot_pages, 0);
	for (i = 0; i < 4; i++) {
		CHECK(!page_get_owner(&pg[i]));
		CHECK_EQ(pg[i].count_info, PGC_state_inuse);
	}
	dom.max_pages = 4;
	CHECK_EQ(assign_pages(&dom, pg, 2), 0);
	CHECK_EQ(dom.tot_pages, 4);
	for (i = 0; i < 4; i++)
		CHECK(page_get_owner(&pg[i]) == &dom &&
		      pg[i].count_info == ALLOCATED);
	free_domheap_pages(pg, 2);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(total_free_pages(), RAM_PAGES);
}

TEST(domheap_no_owner)
{
	struct page_info *pg;

	setup(0);
	pg = alloc_domheap_pages(&dom, 1, MEMF_no_owner);
	CHECK(pg);
	CHECK(!page_get_owner(pg));
	CHECK_EQ(dom.tot_pages, 0);
	free_domheap_pages(pg, 1);
	CHECK_EQ(total_free_pages(), RAM_PAGES);
}

TEST(get_page_put_page)
{
	struct page_info *pg, *freed;
	unsigned long saved;

	setup(10);
	pg = alloc_domheap_page(&dom, 0);
	CHECK(get_page(pg, &dom));
	CHECK_EQ(pg->count_info, ALLOCATED + 1);
	CHECK(!get_page(pg, &other));
	CHECK(!get_page(pg, NULL));
	CHECK_EQ(pg->count_info, ALLOCATED + 1);
	put_page(pg);
	CHECK_EQ(pg->count_info, ALLOCATED);

	/* A full count must not wrap into the flags. */
	saved = pg->count_info;
	pg->count_info = (saved & ~PGC_count_mask) | PGC_count_mask;
	CHECK(!get_page(pg, &dom));
	CHECK_EQ(pg->count_info, (saved & ~PGC_count_mask) | PGC_count_mask);
	pg->count_info = saved;

	/* A free page has no references to add to. */
	freed = alloc_domheap_page(&dom, 0);
	free_domheap_page(freed);
	CHECK(!get_page(freed, &dom));
	CHECK(!get_page(freed, NULL));
	EXPECT_PANIC(put_page(freed));
	CHECK(strstr(harness_panic_message(), "no references"));
}

TEST(put_page_last_reference_frees)
{
	struct page_info *pg;

	setup(10);
	pg = alloc_domheap_page(&dom, 0);
	CHECK(get_page(pg, &dom));
	/* The owner lets go (as when a guest frees it): still referenced. */
	CHECK(test_and_clear_bit(_PGC_allocated, &pg->count_info));
	put_page(pg);
	CHECK_EQ(pg->count_info, PGC_state_inuse | 1);
	CHECK_EQ(total_free_pages(), RAM_PAGES - 1);
	CHECK_EQ(dom.tot_pages, 1);
	put_page(pg);
	CHECK(page_state_is(pg, free));
	CHECK_EQ(total_free_pages(), RAM_PAGES);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK(page_list_empty(&dom.page_list));
}

TEST(domain_relinquish_pages_frees_everything)
{
	unsigned long initial[MAX_ORDER + 1], counts[MAX_ORDER + 1];
	struct page_info *held;
	unsigned int o, i;

	setup(RAM_PAGES);
	heap_order_counts(initial);
	for (o = 0; o <= 6; o++)
		for (i = 0; i < 3; i++)
			CHECK(alloc_domheap_pages(&dom, o, 0));
	CHECK(alloc_domheap_pages(&other, 3, 0));
	held = alloc_domheap_page(&dom, 0);
	CHECK(get_page(held, &dom));
	CHECK_EQ(dom.tot_pages, 3 * 127 + 1);

	CHECK_EQ(domain_relinquish_pages(&dom), 3 * 127 + 1);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK(page_list_empty(&dom.page_list));
	CHECK_EQ(other.tot_pages, 8);
	/* The extra reference keeps its page, but no longer for the domain */
	CHECK_EQ(total_free_pages(), RAM_PAGES - 8 - 1);
	CHECK(!page_get_owner(held));
	CHECK(!get_page(held, &dom));
	put_page(held);
	CHECK_EQ(total_free_pages(), RAM_PAGES - 8);

	CHECK_EQ(domain_relinquish_pages(&other), 8);
	CHECK_EQ(domain_relinquish_pages(&other), 0);
	CHECK_EQ(total_free_pages(), RAM_PAGES);
	heap_order_counts(counts);
	for (o = 0; o <= MAX_ORDER; o++)
		CHECK_EQ(counts[o], initial[o]);
}

#define REF_THREADS 4
#define REF_OPS 50000

static void ref_worker(void *arg)
{
	struct page_info *pg = arg;
	unsigned int i;

	for (i = 0; i < REF_OPS; i++) {
		if (!get_page(pg, &dom))
			FAIL("get_page failed on an allocated page");
		if (i & 1)
			cpu_relax();
		put_page(pg);
	}
}

TEST(get_page_put_page_concurrent)
{
	pthread_t t[REF_THREADS];
	struct page_info *pg;
	unsigned int i;

	setup(10);
	pg = alloc_domheap_page(&dom, 0);
	for (i = 0; i < REF_THREADS; i++)
		t[i] = shim_thread_start(ref_worker, pg);
	for (i = 0; i < REF_THREADS; i++)
		shim_thread_join(t[i]);
	CHECK_EQ(pg->count_info, ALLOCATED);
	CHECK_EQ(total_free_pages(), RAM_PAGES - 1);
}
