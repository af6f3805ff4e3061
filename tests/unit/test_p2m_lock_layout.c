/*
 * Where the p2m's range lock words live (xen/arch/x86/mm/p2m/lock.c): one
 * 4-byte word per 2 MiB range, each range its own word, and neighbouring
 * ranges on different cache lines so that CPUs working on them do not
 * slow each other down.
 */
#include <stdlib.h>

#include <xen/errno.h>

#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/backend.h"
#include <xen/sched.h>

#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x10000UL
#define RANGE_GFNS (1UL << PAGE_ORDER_2M)
#define LINE 64UL

static unsigned long line_of(const u32 *w)
{
	return (unsigned long)w / LINE;
}

/* A p2m of max_gfn frames: its words are distinct, in range, lines apart */
static void check_layout(unsigned long max_gfn)
{
	struct domain d = { 0 };
	struct p2m_domain p2m;
	unsigned long r, bytes = p2m_lock_bytes(max_gfn);
	unsigned char *seen;

	domain_mem_init(&d, 1, 0);
	CHECK(!p2m_init(&p2m, &d, &p2m_npt_ops, max_gfn));
	CHECK_EQ(p2m.nr_ranges, (max_gfn + RANGE_GFNS - 1) / RANGE_GFNS);
	seen = calloc(bytes / sizeof(u32), 1);
	CHECK(seen);
	for (r = 0; r < p2m.nr_ranges; r++) {
		u32 *w = p2m_range_word(&p2m, r);
		unsigned long slot = w - p2m.range_locks;

		CHECK(slot < bytes / sizeof(u32));
		if (seen[slot]++)
			FAIL("max_gfn %#lx: range %lu shares word %lu", max_gfn,
			     r, slot);
		if (r && line_of(w) == line_of(p2m_range_word(&p2m, r - 1)))
			FAIL("max_gfn %#lx: ranges %lu and %lu share a cache "
			     "line",
			     max_gfn, r - 1, r);
	}
	free(seen);
	p2m_teardown(&p2m);
}

TEST(p2m_range_lock_words_neighbours_on_other_lines)
{
	shim_add_ram(RAM_START, RAM_END);
	check_layout(1);
	check_layout(3 * RANGE_GFNS);
	check_layout(1UL << PAGE_ORDER_1G);
	check_layout((3UL << PAGE_ORDER_1G) + 5);
	check_layout(1UL << 20);
}

TEST(p2m_range_lock_bytes_stay_4_per_2m)
{
	/* 2 KiB per GiB of gfn space, as one word per range. */
	CHECK_EQ(p2m_lock_bytes(1UL << PAGE_ORDER_1G), 2048);
	CHECK_EQ(p2m_lock_bytes(4UL << PAGE_ORDER_1G), 4 * 2048);
	/* Rounding up never goes past the power-of-two page allocation. */
	CHECK(p2m_lock_bytes(3UL << PAGE_ORDER_1G) <= 4 * 2048);
}

/* Taking a range lock writes its own word and no other. */
TEST(p2m_range_lock_takes_its_own_word)
{
	struct domain d = { 0 };
	struct p2m_domain p2m;
	unsigned long r, other;

	shim_add_ram(RAM_START, RAM_END);
	domain_mem_init(&d, 1, 0);
	CHECK(!p2m_init(&p2m, &d, &p2m_ept_ops, 1UL << PAGE_ORDER_1G));
	for (r = 0; r < p2m.nr_ranges; r += 37) {
		p2m_lock_range(&p2m, _gfn(r * RANGE_GFNS + 7), PAGE_ORDER_4K);
		CHECK(p2m_range_locked_by_me(&p2m, _gfn(r * RANGE_GFNS)));
		for (other = 0; other < p2m.nr_ranges; other++)
			CHECK_EQ(!!*p2m_range_word(&p2m, other), other == r);
		p2m_unlock_range(&p2m, _gfn(r * RANGE_GFNS + 7), PAGE_ORDER_4K);
		CHECK(!*p2m_range_word(&p2m, r));
	}
	p2m_teardown(&p2m);
}

#define SPARSE_MAX_GFN (1UL << 28) /* a 40-bit guest */
#define SPARSE_DENSE 4096UL /* 16 MiB of RAM: 8 ranges of their own */

/*
 * A sparse p2m: the table covers the RAM's ranges only, every range above
 * shares one word, and its gfns still map and tear down like any other.
 */
TEST(p2m_range_lock_sparse_ranges_share_one_word)
{
	unsigned long high = SPARSE_MAX_GFN - 1, mid = 0x107fffUL;
	struct domain d = { 0 };
	struct p2m_domain p2m;
	struct p2m_lookup r;
	unsigned long free_before;
	struct page_info *pg;

	shim_add_ram(RAM_START, RAM_END);
	domain_mem_init(&d, 1, 1);
	free_before = total_free_pages();
	CHECK(!p2m_init_sparse(&p2m, &d, &p2m_ept_ops, SPARSE_MAX_GFN,
			       SPARSE_DENSE));
	CHECK_EQ(p2m.max_gfn, SPARSE_MAX_GFN);
	CHECK_EQ(p2m.nr_ranges, SPARSE_DENSE / RANGE_GFNS);
	CHECK(p2m_range_word(&p2m, p2m.nr_ranges) == &p2m.sparse_range_lock);
	CHECK(p2m_range_word(&p2m, high / RANGE_GFNS) ==
	      &p2m.sparse_range_lock);
	CHECK(p2m_range_word(&p2m, p2m.nr_ranges - 1) !=
	      &p2m.sparse_range_lock);

	/* One sparse range held: all of them are, no table word is. */
	p2m_lock_range(&p2m, _gfn(mid), PAGE_ORDER_4K);
	CHECK(p2m_range_locked_by_me(&p2m, _gfn(high)));
	CHECK(!p2m_range_locked_by_me(&p2m, _gfn(SPARSE_DENSE - 1)));
	CHECK(!p2m_range_locked_by_me(&p2m, _gfn(SPARSE_MAX_GFN)));
	/* A second sparse range is the same word, taken recursively. */
	p2m_lock_range(&p2m, _gfn(high), PAGE_ORDER_4K);
	p2m_unlock_range(&p2m, _gfn(high), PAGE_ORDER_4K);
	CHECK(p2m_range_locked_by_me(&p2m, _gfn(mid)));
	p2m_unlock_range(&p2m, _gfn(mid), PAGE_ORDER_4K);
	CHECK(!p2m.sparse_range_lock);

	/* Gfns far above the RAM map, read back, and go at teardown. */
	pg = alloc_domheap_page(&d, 0);
	CHECK(pg);
	CHECK(!p2m_set_entry(&p2m, _gfn(high), _mfn(page_to_pfn(pg)),
			     PAGE_ORDER_4K, p2m_ram_rw, p2m_access_rw));
	CHECK(!p2m_get_gfn(&p2m, _gfn(high), P2M_QUERY, &r));
	put_gfn(&p2m, _gfn(high));
	CHECK_EQ(r.t, p2m_ram_rw);
	CHECK_EQ(mfn_x(r.mfn), mfn_x(_mfn(page_to_pfn(pg))));
	CHECK_EQ(p2m_set_entry(&p2m, _gfn(SPARSE_MAX_GFN),
			       _mfn(page_to_pfn(pg)), PAGE_ORDER_4K, p2m_ram_rw,
			       p2m_access_rw),
		 -EINVAL);
	CHECK(!p2m_set_entry(&p2m, _gfn(high), INVALID_MFN, PAGE_ORDER_4K,
			     p2m_invalid, p2m_access_n));
	put_page(pg);
	p2m_teardown(&p2m);
	CHECK_EQ(total_free_pages(), free_before);
}

TEST(p2m_init_sparse_bad_sizes)
{
	struct domain d = { 0 };
	struct p2m_domain p2m;

	shim_add_ram(RAM_START, RAM_END);
	domain_mem_init(&d, 1, 0);
	CHECK_EQ(p2m_init_sparse(&p2m, &d, &p2m_npt_ops, SPARSE_MAX_GFN, 0),
		 -EINVAL);
	CHECK_EQ(p2m_init_sparse(&p2m, &d, &p2m_npt_ops, SPARSE_DENSE,
				 SPARSE_DENSE + 1),
		 -EINVAL);
	CHECK_EQ(p2m_init_sparse(&p2m, &d, &p2m_npt_ops, 1UL << 37,
				 SPARSE_DENSE),
		 -EINVAL);
}
