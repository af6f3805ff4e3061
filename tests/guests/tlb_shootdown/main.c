/*
 * tlb_shootdown: a remote vCPU loses its translation when the p2m changes.
 *
 * vCPU 1 reads one page ("addr=", a free page of RAM, default the highest)
 * in a tight loop, so its TLB holds the page's translation, and publishes
 * how many reads it completed. vCPU 0 waits until the reads flow, balloons
 * the page out (decrease_reservation) and, once the hypercall returned,
 * says so. From then on every read by vCPU 1 must fault, and the
 * hypervisor crashes the domain with its nested-fault reason (run with
 * expect=crash:REASON). A read that completes after vCPU 1 saw that the
 * hypercall returned came through a stale translation of a frame the
 * domain no longer owns: FAILURE with the counts.
 *
 * Each iteration of vCPU 1 reads "returned", then the page, then publishes
 * its count with a full barrier (x86 keeps loads in order, and the locked
 * store keeps its next load of "returned" after the count is visible). So
 * when vCPU 0 sets "returned" (locked) and then reads count R, every read
 * of vCPU 1 after its R + 1st saw "returned" and must not complete: vCPU 1
 * checks that itself, and vCPU 0 checks that the count stays at most R + 1.
 */
#include <xtf.h>

#define PATTERN 0x7e57f1a5u
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

	while (!atomic_read(&go))
		cpu_relax();
	page = (const volatile uint32_t *)target;
	for (;;) {
		unsigned int after = atomic_read(&returned);
		uint32_t v = *page;

		__atomic_store_n(&reads, ++n, __ATOMIC_SEQ_CST);
		if (after)
			xtf_failure("vCPU 1 read 0x%08x from gpa 0x%08x after "
				    "vCPU 0 saw decrease_reservation return "
				    "(read %u): stale translation",
				    v, target, n);
		if (v != PATTERN)
			xtf_failure("vCPU 1 read 0x%08x from gpa 0x%08x before "
				    "the decrease, not 0x%08x (read %u)",
				    v, target, PATTERN, n);
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
	unsigned int before, at_return, now;
	uint64_t deadline;
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
	       "before the call, %u at its return): its next read must crash "
	       "the domain\n",
	       target, before, at_return);
	/* vCPU 1 may share this CPU: yield so that it runs and faults. */
	deadline = ms_from_now(WAIT_MS);
	while (rdtsc() < deadline) {
		now = atomic_read(&reads);
		if (now > at_return + 1)
			xtf_failure(
				"vCPU 1 completed %u reads after vCPU 0 saw "
				"decrease_reservation return (%u at "
				"return, %u now): stale translation",
				now - at_return - 1, at_return, now);
		hypercall_yield();
	}
	xtf_failure("the domain still runs %u ms after gpa 0x%08x was "
		    "ballooned out (vCPU 1 at %u reads, %u at return)",
		    WAIT_MS, target, atomic_read(&reads), at_return);
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
