/*
 * tlb_shootdown: a remote vCPU loses its translation when the p2m changes.
 *
 * vCPU 1 reads one page ("addr=", a free page of RAM, default the highest)
 * in a tight loop, so its TLB holds the page's translation, and publishes
 * how many reads it completed. vCPU 0 waits until the reads flow, balloons
 * the page out (decrease_reservation) and, once the hypercall returned,
 * says so. From then on nothing is at that gpa: every read by vCPU 1 must
 * fault and the hypervisor give it all-ones. A read of anything else after
 * vCPU 1 saw that the hypercall returned (or after it once read all-ones)
 * came through a stale translation of a frame the domain no longer owns:
 * FAILURE with the value and the count. SUCCESS once vCPU 1 completed
 * FLOWING reads after the return.
 *
 * Each iteration of vCPU 1 reads "returned", then the page, checks the
 * value, then publishes its count with a full barrier (x86 keeps loads in
 * order, and the locked store keeps its next load of "returned" after the
 * count is visible). So when vCPU 0 sets "returned" (locked) and then
 * reads count R, every read of vCPU 1 after its R + 1st saw "returned"
 * and checked for all-ones before it was counted.
 */
#include <xtf.h>

#define PATTERN 0x7e57f1a5u
#define NOTHING 0xffffffffu /* what a gpa where nothing is reads */
#define FLOWING 1000 /* reads vCPU 1 completes just before the decrease */
#define WAIT_MS 5000

static unsigned int go; /* vCPU 0 to vCPU 1: the page is ready */
static unsigned int returned; /* the decrease returned on vCPU 0 */
static unsigned int reads; /* reads vCPU 1 completed */
static uint32_t target;

static uint64_t ms_from_now(unsigned int ms)
{
	return rdtsc() + (uint64_t)xtf_tsc_khz() * ms;
}

static void reader(void)
{
	const volatile uint32_t *page;
	unsigned int n = 0;
	bool ones = false;

	while (!atomic_read(&go))
		cpu_relax();
	page = (const volatile uint32_t *)target;
	for (;;) {
		unsigned int after = atomic_read(&returned);
		uint32_t v = *page;

		n++;
		if ((after || ones) && v != NOTHING)
			xtf_failure("vCPU 1 read 0x%08x from gpa 0x%08x after "
				    "%s (read %u): stale translation",
				    v, target,
				    after ? "vCPU 0 saw decrease_reservation "
					    "return" :
					    "it read all-ones there",
				    n);
		if (v != PATTERN && v != NOTHING)
			xtf_failure("vCPU 1 read 0x%08x from gpa 0x%08x before "
				    "the decrease, not 0x%08x (read %u)",
				    v, target, PATTERN, n);
		ones |= v == NOTHING;
		__atomic_store_n(&reads, n, __ATOMIC_SEQ_CST);
	}
}

/* Wait until vCPU 1 completed FLOWING more reads, yielding now and then. */
static void wait_for_reads(void)
{
	uint64_t deadline = ms_from_now(WAIT_MS), yield_at = ms_from_now(1);
	unsigned int start = atomic_read(&reads);

	while (atomic_read(&reads) - start < FLOWING) {
		if (rdtsc() > deadline)
			xtf_failure(
				"vCPU 1 completed %u reads in %u ms, not %u",
				atomic_read(&reads) - start, WAIT_MS, FLOWING);
		if (rdtsc() > yield_at) {
			hypercall_yield();
			yield_at = ms_from_now(1);
		}
		cpu_relax();
	}
}

static void balloon_out(void)
{
	uint32_t gfn = target >> PAGE_SHIFT;
	unsigned int before, at_return;
	long rc;

	*(volatile uint32_t *)target = PATTERN;
	atomic_set(&go, 1);
	wait_for_reads();
	before = atomic_read(&reads);
	rc = hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0);
	atomic_xchg(&returned, 1);
	at_return = atomic_read(&reads);
	if (rc != 1)
		xtf_error("decrease_reservation of gfn 0x%x: %ld", gfn, rc);
	printf("tlb_shootdown: gpa 0x%08x ballooned out (vCPU 1 at %u reads "
	       "before the call, %u at its return): its reads must give "
	       "all-ones from now on\n",
	       target, before, at_return);
	/* vCPU 1 may share this CPU: wait_for_reads() yields to it. */
	wait_for_reads();
	printf("tlb_shootdown: vCPU 1 read all-ones %u times since\n",
	       atomic_read(&reads) - at_return);
	xtf_success();
}

void test_main(unsigned int vcpu)
{
	if (!xtf_has_xen())
		xtf_skip("needs the hypervisor");
	if (xtf_nr_vcpus() < 2)
		xtf_skip("needs 2 vCPUs");
	if (!xtf_tsc_khz())
		xtf_skip("no TSC frequency");
	if (vcpu == 1)
		reader();
	if (vcpu)
		return;
	target = cmdline_uint("addr", xtf_top_free_page());
	if (!xtf_free_page(target))
		xtf_error("0x%08x is not a free page of RAM", target);
	balloon_out();
}
