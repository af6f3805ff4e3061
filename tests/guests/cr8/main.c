/*
 * cr8: a 64-bit guest's task priority (CR8) is virtual. CR8 reads 0 at
 * start; `mov $15, %cr8` reads back 15; then a one-shot timer 20 ms ahead
 * must end `sti; hlt` through the upcall, which the guest's TPR does not
 * hold off (as with Xen's callback vector); `mov $0, %cr8` reads back 0.
 * A hypervisor that lets the guest write the host's TPR stops the host:
 * run it beside another domain (the timer guest), which then starves too.
 * FAILURE names the check; a HLT that returns without the upcall is
 * retried for up to a second.
 */
#include <xtf.h>

#define VECTOR 0x31
#define MS 1000000ULL /* in ns */

static unsigned int upcalls;

static void upcall(void)
{
	atomic_add_return(&upcalls, 1);
}

static unsigned long read_cr8(void)
{
	unsigned long v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static void write_cr8(unsigned long v)
{
	asm volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

void test_main(unsigned int vcpu)
{
	uint64_t now, start, limit = (uint64_t)xtf_tsc_khz() * 1000;
	unsigned int halts = 0;
	long rc;

	if (vcpu)
		return;
	if (!xtf_has_xen() || !limit)
		xtf_skip("needs the hypervisor and its TSC frequency");
	xtf_set_irq_handler(VECTOR, upcall);
	check_rc(hypercall_set_evtchn_upcall_vector(0, VECTOR), 0,
		 "set_evtchn_upcall_vector");
	check(read_cr8() == 0, "CR8 reads %lu at start, not 0", read_cr8());
	write_cr8(15);
	check(read_cr8() == 15, "CR8 reads %lu after writing 15", read_cr8());

	rc = hypercall_get_time(&now);
	check_rc(rc, 0, "HVMOP_get_time");
	check_rc(hypercall_set_singleshot_timer(0, now + 20 * MS, 0), 0,
		 "set_singleshot_timer");
	printf("cr8: CR8 15, waiting in sti; hlt for the upcall\n");
	start = rdtsc();
	while (!atomic_read(&upcalls)) {
		check(rdtsc() - start < limit,
		      "no upcall 1 s after a timer 20 ms ahead (%u HLTs) with "
		      "CR8 15",
		      halts);
		sti_hlt();
		local_irq_disable();
		halts++;
	}
	printf("cr8: upcall with CR8 15 after %u HLT%s\n", halts,
	       halts == 1 ? "" : "s");
	check(read_cr8() == 15, "CR8 reads %lu after the upcall, not 15",
	      read_cr8());
	write_cr8(0);
	check(read_cr8() == 0, "CR8 reads %lu after writing 0", read_cr8());
	xtf_success();
}
