/*
 * Where the p2m's range lock words live (xen/arch/x86/mm/p2m/lock.c): one
 * 4-byte word per 2 MiB range, each range its own word, and neighbouring
 * ranges on different cache lines so that CPUs working on them do not
 * slow each other down.
 */
#include <stdlib.h>

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
