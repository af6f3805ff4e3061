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
	bool holding; /* the first pass waits at the last boot pfn */
	bool published; /* the hook: [HOT_START, mid) valid, the rest not */
	bool add_returned; /* memory_hotadd() returned (hook run or not) */
	bool held_over; /* the first pass ended */
	unsigned long mid;
	unsigned long held_seen, held_beyond; /* in [HOT_START, mid), after */
};

static struct walk *hooked;

/* Mid hot-add: let the held pass look, and go on once it has. */
static void published(unsigned long mid)
{
	struct walk *w = hooked;

	__atomic_store_n(&w->mid, mid, __ATOMIC_RELAXED);
	__atomic_store_n(&w->published, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w->held_over, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void hold_pass(struct walk *w)
{
	__atomic_store_n(&w->holding, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w->published, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&w->add_returned, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/*
 * Walk every valid pfn until one pass sees all of the new range: every
 * page_info seen must be initialised, and the boot RAM seen every time.
 * The first pass waits at the last boot pfn until the hot-add is half
 * done, and looks at the new range while the hot-add waits for it.
 */
static void walker(void *arg)
{
	struct walk *w = arg;

	for (;;) {
		bool held = !w->passes;
		unsigned long pfn, boot = 0, hot = 0, beyond = 0;

		for_each_valid_pfn(pfn, 0, WALK_END) {
			unsigned long ci =
				__atomic_load_n(&pfn_to_page(pfn)->count_info,
						__ATOMIC_RELAXED);

			if (!(ci & PGC_state))
				FAIL("pfn %#lx valid, page_info not "
				     "initialised (count_info %#lx)",
				     pfn, ci);
			if (pfn >= HOT_START && pfn < HOT_END) {
				hot++;
				if (held &&
				    pfn >= __atomic_load_n(&w->mid,
							   __ATOMIC_RELAXED))
					beyond++;
			} else {
				boot++;
			}
			if (held && pfn == BOOT_END - 1)
				hold_pass(w);
		}
		if (boot != BOOT_END - BOOT_START)
			FAIL("walk saw %lu boot pfns", boot);
		if (held) {
			w->held_seen = hot - beyond;
			w->held_beyond = beyond;
			__atomic_store_n(&w->held_over, true, __ATOMIC_RELEASE);
		}
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
	int rc;

	shim_add_ram(BOOT_START, BOOT_END);
	CHECK_EQ(memory_hotplug_hold(HOT_START, HOT_END), 0);
	t = shim_thread_start(walker, &w);
	/* A pass has begun and waits: only now start the hot-add. */
	while (!__atomic_load_n(&w.holding, __ATOMIC_ACQUIRE))
		cpu_relax();
	hooked = &w;
	frametable_publish_hook = published;
	rc = memory_hotadd(HOT_START, HOT_END);
	frametable_publish_hook = NULL;
	__atomic_store_n(&w.add_returned, true, __ATOMIC_RELEASE);
	shim_thread_join(t);
	CHECK_EQ(rc, 0);
	/*
	 * The walk overlapped the hot-add: the held pass saw exactly the
	 * sub-section published when it looked.
	 */
	CHECK(w.published);
	CHECK_EQ(w.mid, HOT_START + SUBSECTION_PAGES);
	CHECK_EQ(w.held_seen, SUBSECTION_PAGES);
	CHECK_EQ(w.held_beyond, 0);

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
