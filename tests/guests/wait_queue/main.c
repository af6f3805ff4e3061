/*
 * wait_queue: vCPU 1 takes itself down (VCPUOP_down): the hypervisor puts
 * it to sleep on a wait queue, on its own hypervisor stack. vCPU 0 sees it
 * down, then brings it up (VCPUOP_up) from its own CPU, which wakes it.
 * vCPU 1 must resume only after vCPU 0 decided to wake it, exactly once.
 */
#include <xtf.h>

static volatile unsigned int stage;
static volatile unsigned int resumed;

static long vcpu_op(unsigned int cmd, unsigned int vcpu)
{
	return hypercall_vcpu_op(cmd, vcpu, 0);
}

static void sleeper(void)
{
	long rc;

	stage = 1;
	rc = vcpu_op(VCPUOP_down, 1);
	/* Back here only once vCPU 0 brought us up. */
	if (rc)
		xtf_failure("VCPUOP_down on itself returned %ld", rc);
	if (stage != 3)
		xtf_failure("vCPU 1 resumed at stage %u, before vCPU 0 woke it",
			    stage);
	__atomic_fetch_add(&resumed, 1, __ATOMIC_SEQ_CST);
}

static void waker(void)
{
	uint64_t deadline = rdtsc() + (uint64_t)xtf_tsc_khz() * 5000;
	long up;

	while (stage != 1 || (up = vcpu_op(VCPUOP_is_up, 1)) != 0) {
		if (up < 0)
			xtf_failure("VCPUOP_is_up returned %ld", up);
		if (rdtsc() > deadline)
			xtf_failure("vCPU 1 never went down");
		hypercall_yield();
	}
	/* It stays asleep however long we wait. */
	xtf_spin_ms(50);
	if (resumed)
		xtf_failure("vCPU 1 ran while it was down");
	stage = 3;
	if (vcpu_op(VCPUOP_up, 1))
		xtf_failure("VCPUOP_up failed");
	while (!resumed) {
		if (rdtsc() > deadline)
			xtf_failure("vCPU 1 was not woken");
		hypercall_yield();
	}
	if (vcpu_op(VCPUOP_is_up, 1) != 1)
		xtf_failure("vCPU 1 is not up after waking");
	if (vcpu_op(VCPUOP_up, 9) != -XEN_EINVAL)
		xtf_failure("VCPUOP_up of a vCPU that does not exist");
	printf("vCPU 1 slept in the hypervisor and was woken by vCPU 0\n");
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
		sleeper();
	else if (vcpu == 0)
		waker();
}
