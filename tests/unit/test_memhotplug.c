/*
 * xen/common/memhotplug.c: holding back RAM and adding it at run time,
 * while another CPU walks the pfns.
 */
#include <xen/errno.h>
#include <xen/mm.h>
#include <asm/system.h>

#include "harness.h"
#include "shim.h"

#define BOOT_START 0x200UL
#define BOOT_END 0x4000UL
/* Held back: a section of its own, so hot-add grows the frame table. */
#define HOT_START 0x8000UL
#define HOT_END 0xc000UL
#define WALK_END 0x10000UL

TEST(memory_hotplug_hold_errors)
{
	unsigned long s, e;
	unsigned int i;

	CHECK(!memory_hotplug_pending(&s, &e));
	CHECK_EQ(memory_hotplug_hold(0x400, 0x400), -EINVAL);
	CHECK_EQ(memory_hotplug_hold(0x800, 0x400), -EINVAL);
	CHECK_EQ(memory_hotplug_hold(0x100, 0x400), -EINVAL);
	CHECK_EQ(memory_hotplug_hold(0x400, 0x4ff), -EINVAL);
	for (i = 0; i < 8; i++)
		CHECK_EQ(memory_hotplug_hold(0x8000 + i * 0x200,
					     0x8200 + i * 0x200),
			 0);
	CHECK_EQ(memory_hotplug_hold(0x9000, 0x9200), -ENOSPC);
	CHECK(memory_hotplug_pending(&s, &e));
	CHECK_EQ(s, 0x8000);
	CHECK_EQ(e, 0x8200);
}

TEST(memory_hotadd_errors)
{
	unsigned long s, e;

	shim_add_ram(BOOT_START, BOOT_END);
	CHECK_EQ(memory_hotadd(HOT_START, HOT_END), -EINVAL);
	CHECK_EQ(memory_hotplug_hold(HOT_START, HOT_END), 0);
	/* Only exactly a held range. */
	CHECK_EQ(memory_hotadd(HOT_START, HOT_END - 0x200), -EINVAL);
	CHECK_EQ(memory_hotadd(HOT_START - 0x200, HOT_END), -EINVAL);

	/* No frame-table memory: nothing changes, it can be retried. */
	shim_populate_fail = true;
	CHECK_EQ(memory_hotadd(HOT_START, HOT_END), -ENOMEM);
	shim_populate_fail = false;
	CHECK(!pfn_valid(HOT_START));
	CHECK_EQ(total_free_pages(), BOOT_END - BOOT_START);
	CHECK(memory_hotplug_pending(&s, &e));
	CHECK_EQ(s, HOT_START);

	CHECK_EQ(memory_hotadd(HOT_START, HOT_END), 0);
	CHECK_EQ(memory_hotadd(HOT_START, HOT_END), -EEXIST);
	CHECK(!memory_hotplug_pending(&s, &e));

	/* Held memory the machine already has is refused, not added twice */
	CHECK_EQ(memory_hotplug_hold(BOOT_START, BOOT_START + 0x400), 0);
	CHECK_EQ(memory_hotadd(BOOT_START, BOOT_START + 0x400), -EEXIST);
	CHECK(memory_hotplug_pending(&s, &e));
	CHECK_EQ(total_free_pages(),
		 BOOT_END - BOOT_START + HOT_END - HOT_START);
}

struct walk {
	unsigned int passes; /* completed */
	/* Set by the test once memory_hotadd() has returned. */
	bool added;
	/* Passes begun before the hot-add returned that saw the new pfns. */
	unsigned int mid_add;
};

/*
 * Walk every valid pfn until one pass sees all of the new range: every
 * page_info seen must be initialised, and the boot RAM seen every time.
 */
static void walker(void *arg)
{
	struct walk *w = arg;

	for (;;) {
		bool added = __atomic_load_n(&w->added, __ATOMIC_ACQUIRE);
		unsigned long pfn, boot = 0, hot = 0;

		for_each_valid_pfn(pfn, 0, WALK_END) {
			unsigned long ci =
				__atomic_load_n(&pfn_to_page(pfn)->count_info,
						__ATOMIC_RELAXED);

			if (!(ci & PGC_state))
				FAIL("pfn %#lx valid, page_info not "
				     "initialised (count_info %#lx)",
				     pfn, ci);
			if (pfn >= HOT_START && pfn < HOT_END)
				hot++;
			else
				boot++;
		}
		if (boot != BOOT_END - BOOT_START)
			FAIL("walk saw %lu boot pfns", boot);
		if (hot && !added)
			w->mid_add++;
		__atomic_add_fetch(&w->passes, 1, __ATOMIC_RELEASE);
		if (hot == HOT_END - HOT_START)
			return;
	}
}

TEST(memory_hotadd_with_walker)
{
	static struct walk w;
	struct page_info *pg;
	unsigned long n = 0, hot = 0;
	pthread_t t;

	shim_add_ram(BOOT_START, BOOT_END);
	CHECK_EQ(memory_hotplug_hold(HOT_START, HOT_END), 0);
	t = shim_thread_start(walker, &w);
	while (!__atomic_load_n(&w.passes, __ATOMIC_ACQUIRE))
		cpu_relax();
	CHECK_EQ(memory_hotadd(HOT_START, HOT_END), 0);
	__atomic_store_n(&w.added, true, __ATOMIC_RELEASE);
	shim_thread_join(t);
	/*
	 * The walk overlapped the hot-add: a pass begun before it returned
	 * met the new pfns (valid before the pages reach the heap).
	 */
	CHECK(w.mid_add > 0);

	/* The new pages are in the heap: every one is handed out once. */
	CHECK_EQ(total_free_pages(),
		 BOOT_END - BOOT_START + HOT_END - HOT_START);
	CHECK_EQ(max_valid_pfn(), HOT_END - 1);
	while ((pg = alloc_heap_pages(0, MEMF_no_scrub))) {
		unsigned long pfn = page_to_pfn(pg);

		n++;
		if (pfn >= HOT_START && pfn < HOT_END)
			hot++;
		else
			CHECK(pfn >= BOOT_START && pfn < BOOT_END);
	}
	CHECK_EQ(n, BOOT_END - BOOT_START + HOT_END - HOT_START);
	CHECK_EQ(hot, HOT_END - HOT_START);
}
