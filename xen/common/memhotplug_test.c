/*
 * Self-test: memory hot-add while another CPU walks pfns. The two are
 * made to overlap. The walker starts a pass at the last valid pfn below
 * the held-back range and holds it open there; the hot-add, once it has
 * published the range's first sub-section (frametable_publish_hook),
 * lets the pass go on and waits for it to end. That pass must see exactly
 * the published sub-section, every page_info initialised, and a pass
 * after the hot-add the whole range. On one CPU nothing can walk during
 * the hot-add: the hot-add is checked and the test reported skipped.
 */
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <asm/system.h>

struct walker {
	unsigned long first; /* last valid pfn below the range: passes start */
	unsigned long spfn, epfn;
	bool stop, done;
	bool holding; /* the first pass waits at first */
	bool published; /* the hook: [spfn, mid) valid, [mid, epfn) not yet */
	bool add_returned; /* memory_hotadd() returned (hook run or not) */
	bool held_over; /* the first pass ended */
	unsigned long mid;
	unsigned long held_seen, held_beyond; /* in [spfn, mid), [mid, epfn) */
	unsigned long passes;
	unsigned long last_seen; /* valid pfns in range, last pass */
	unsigned long bad; /* valid but uninitialised */
};

/* The hook takes no argument: the walker of the running test. */
static struct walker *hooked;

static void hold_pass(struct walker *w)
{
	__atomic_store_n(&w->holding, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w->published, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&w->add_returned, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void walk_pfns(void *arg)
{
	struct walker *w = arg;

	while (!READ_ONCE(w->stop)) {
		bool held = !w->passes;
		unsigned long pfn, seen = 0, beyond = 0;

		for_each_valid_pfn(pfn, w->first, w->epfn) {
			if (pfn < w->spfn) {
				if (held && pfn == w->first)
					hold_pass(w);
				continue;
			}
			/* Valid means initialised: state 0 never occurs. */
			if (!(READ_ONCE(pfn_to_page(pfn)->count_info) &
			      PGC_state))
				w->bad++;
			seen++;
			if (held && pfn >= READ_ONCE(w->mid))
				beyond++;
		}
		w->last_seen = seen;
		if (held) {
			w->held_seen = seen - beyond;
			w->held_beyond = beyond;
			__atomic_store_n(&w->held_over, true, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&w->passes, w->passes + 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

/* Mid hot-add: let the held pass look, and go on once it has. */
static void published(unsigned long mid)
{
	struct walker *w = hooked;

	WRITE_ONCE(w->mid, mid);
	__atomic_store_n(&w->published, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&w->held_over, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void wait_passes(struct walker *w, unsigned long n)
{
	while (__atomic_load_n(&w->passes, __ATOMIC_ACQUIRE) < n)
		cpu_relax();
}

/* The last valid pfn below spfn, or spfn if there is none. */
static unsigned long valid_below(unsigned long spfn)
{
	unsigned long pfn, last = spfn;

	for_each_valid_pfn(pfn, 0, spfn)
		last = pfn;
	return last;
}

SELFTEST(memory_hotadd_with_walker)
{
	struct walker w = { 0 };
	unsigned long heap_before = total_heap_pages(), nr, pfn;
	cpumask_t walker_cpu;
	bool concurrent = num_online_cpus() > 1;
	int rc;

	if (!memory_hotplug_pending(&w.spfn, &w.epfn))
		SKIP("no memory held back (boot with mem_hotplug=SIZE)");
	nr = w.epfn - w.spfn;
	CHECK(!pfn_valid(w.spfn) && !pfn_valid(w.epfn - 1));
	/* The pass must be able to wait before the range, mid-way. */
	w.first = valid_below(w.spfn);
	CHECK(w.first < w.spfn && nr > SUBSECTION_PAGES);

	if (concurrent) {
		cpumask_clear(&walker_cpu);
		cpumask_set_cpu(cpumask_next(0, &cpu_online_map), &walker_cpu);
		on_selected_cpus(&walker_cpu, walk_pfns, &w, false);
		/* A pass has begun and waits: only now start the hot-add. */
		while (!__atomic_load_n(&w.holding, __ATOMIC_ACQUIRE))
			cpu_relax();
		hooked = &w;
		frametable_publish_hook = published;
	}
	rc = memory_hotadd(w.spfn, w.epfn);
	frametable_publish_hook = NULL;
	__atomic_store_n(&w.add_returned, true, __ATOMIC_RELEASE);
	if (concurrent) {
		/* Two more passes: the last began after the hot-add. */
		wait_passes(&w,
			    __atomic_load_n(&w.passes, __ATOMIC_ACQUIRE) + 2);
		WRITE_ONCE(w.stop, true);
		while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
			cpu_relax();
		printk("  walker: %lu passes; the one held mid hot-add saw "
		       "%lu of %lu pfns (%lu published), %lu at the end\n",
		       w.passes, w.held_seen + w.held_beyond, nr,
		       w.mid - w.spfn, w.last_seen);
	}
	CHECK(rc == 0);
	if (concurrent) {
		/* The walk overlapped the hot-add, and saw it consistently. */
		CHECK(w.published && w.mid == w.spfn + SUBSECTION_PAGES);
		CHECK(w.held_seen == w.mid - w.spfn && w.held_beyond == 0);
		CHECK(w.bad == 0);
		CHECK(w.last_seen == nr);
	}

	for (pfn = w.spfn; pfn < w.epfn; pfn++)
		CHECK(pfn_valid(pfn) && page_state_is(pfn_to_page(pfn), free));
	CHECK(total_heap_pages() == heap_before + nr);
	CHECK(memory_hotadd(w.spfn, w.epfn) == -EEXIST);
	CHECK(memory_hotadd(w.spfn + 1, w.epfn) == -EINVAL);
	if (!concurrent)
		SKIP("one CPU: no walk can overlap the hot-add");
	return TEST_PASS;
}
