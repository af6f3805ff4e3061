/*
 * Self-test: memory hot-add while another CPU walks pfns. The walk must
 * overlap the hot-add: some pass begun before memory_hotadd() returned
 * sees pfns of the new range (validity is published before the pages go
 * to the heap), so the walker met them while the hot-add was going on.
 * On one CPU nothing can walk meanwhile, and a walker the emulator did not
 * run during the hot-add sees nothing of it: the hot-add is checked, and
 * the test is reported skipped (a pass needs the overlap).
 */
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <asm/system.h>

struct walker {
	unsigned long spfn, epfn;
	bool stop, done;
	/* Set by the test once memory_hotadd() has returned. */
	bool added;
	unsigned long passes;
	unsigned long last_seen; /* valid pfns in range, last pass */
	/* Passes begun before the hot-add returned that saw the new pfns. */
	unsigned long mid_add;
	unsigned long bad; /* valid but uninitialised */
};

static void walk_pfns(void *arg)
{
	struct walker *w = arg;

	while (!READ_ONCE(w->stop)) {
		bool added = __atomic_load_n(&w->added, __ATOMIC_ACQUIRE);
		unsigned long pfn, seen = 0;

		for_each_valid_pfn(pfn, w->spfn, w->epfn) {
			/* Valid means initialised: state 0 never occurs. */
			if (!(READ_ONCE(pfn_to_page(pfn)->count_info) &
			      PGC_state))
				w->bad++;
			seen++;
		}
		if (seen && !added)
			w->mid_add++;
		w->last_seen = seen;
		__atomic_store_n(&w->passes, w->passes + 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

static void wait_passes(struct walker *w, unsigned long n)
{
	while (__atomic_load_n(&w->passes, __ATOMIC_ACQUIRE) < n)
		cpu_relax();
}

SELFTEST(memory_hotadd_with_walker)
{
	struct walker w = { 0 };
	unsigned long heap_before = total_heap_pages(), nr, pfn, p;
	cpumask_t walker_cpu;
	bool concurrent = num_online_cpus() > 1;

	if (!memory_hotplug_pending(&w.spfn, &w.epfn))
		SKIP("no memory held back (boot with mem_hotplug=SIZE)");
	nr = w.epfn - w.spfn;
	CHECK(!pfn_valid(w.spfn) && !pfn_valid(w.epfn - 1));

	if (concurrent) {
		cpumask_clear(&walker_cpu);
		cpumask_set_cpu(cpumask_next(0, &cpu_online_map), &walker_cpu);
		on_selected_cpus(&walker_cpu, walk_pfns, &w, false);
		wait_passes(&w, 1);
	}
	CHECK(memory_hotadd(w.spfn, w.epfn) == 0);
	__atomic_store_n(&w.added, true, __ATOMIC_RELEASE);
	if (concurrent) {
		p = __atomic_load_n(&w.passes, __ATOMIC_ACQUIRE);
		wait_passes(&w, p + 2);
		WRITE_ONCE(w.stop, true);
		while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
			cpu_relax();
		printk("  walker: %lu passes, %lu of them met the new pfns "
		       "during the hot-add; %lu of %lu pfns at the end\n",
		       w.passes, w.mid_add, w.last_seen, nr);
		CHECK(w.bad == 0);
		CHECK(w.last_seen == nr);
	}

	for (pfn = w.spfn; pfn < w.epfn; pfn++)
		CHECK(pfn_valid(pfn) && page_state_is(pfn_to_page(pfn), free));
	CHECK(total_heap_pages() == heap_before + nr);
	CHECK(memory_hotadd(w.spfn, w.epfn) == -EEXIST);
	CHECK(memory_hotadd(w.spfn + 1, w.epfn) == -EINVAL);
	if (!concurrent)
		SKIP("one CPU: no walk could overlap the hot-add");
	/* The emulator may have left the walker's CPU idle meanwhile. */
	if (!w.mid_add)
		SKIP("no walk met the new pfns during the hot-add");
	return TEST_PASS;
}
