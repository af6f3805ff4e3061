/*
 * Self-test of the stack guard pages: what can be checked without
 * overflowing a stack for real (the `stack_overflow_test` boot option
 * does that: stack_overflow_test.c). Below the running stack, every CPU's idle stack and a vCPU's
 * stack lies an unmapped page, and a fault address in it is named as an
 * overflow of that stack.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/stack.h>
#include <asm/time.h>

/* The guard page below the stack holding sp: the first unmapped page. */
static unsigned long guard_below(unsigned long sp)
{
	unsigned long va = ROUNDDOWN(sp, PAGE_SIZE);
	unsigned int i;

	for (i = 0; i <= STACK_SIZE / PAGE_SIZE; i++, va -= PAGE_SIZE)
		if (xen_va_to_pa(va) == ~(paddr_t)0)
			return va;
	return 0;
}

/* A guard at guard, named want, and mapped memory just above it. */
static bool guard_ok(unsigned long guard, const char *want)
{
	char which[64];

	if (!guard || xen_va_to_pa(guard) != ~(paddr_t)0 ||
	    xen_va_to_pa(guard + PAGE_SIZE) == ~(paddr_t)0)
		return false;
	if (!stack_guard_owner(guard + PAGE_SIZE - 8, which, sizeof(which)) ||
	    strcmp(which, want)) {
		printk("  guard at %lx: want '%s'\n", guard, want);
		return false;
	}
	return !stack_guard_owner(guard + PAGE_SIZE, which, sizeof(which));
}

static volatile int vcpu_result; /* 0 running, 1 pass, -1 fail */

static void check_own_stack(struct vcpu *v)
{
	unsigned long guard =
		guard_below((unsigned long)__builtin_frame_address(0));
	char want[64];

	snprintf(want, sizeof(want), "hypervisor stack (vCPU d%uv%u)",
		 v->domain->domain_id, v->vcpu_id);

	/* The guard must be right below v->stack, not some other hole. */
	vcpu_result = guard_ok(guard, want) &&
		      guard + PAGE_SIZE == (unsigned long)v->stack;
	if (!vcpu_result)
		vcpu_result = -1;
	domain_shutdown(v->domain, SHUTDOWN_poweroff);
}

SELFTEST(stack_guard_pages)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	char want[64];
	unsigned int cpu;
	struct domain *d;
	s_time_t end;
	int err;

	/* The running (idle) stack of this CPU. */
	snprintf(want, sizeof(want), "idle stack (CPU %u)", smp_processor_id());
	CHECK(guard_ok(guard_below(sp), want));
	for_each_cpu(cpu, &cpu_online_map) {
		snprintf(want, sizeof(want), "idle stack (CPU %u)", cpu);
		CHECK(stack_cpu_base(cpu));
		CHECK(guard_ok(stack_cpu_base(cpu) - PAGE_SIZE, want));
	}

	/* A vCPU checks the stack it runs on. */
	vcpu_result = 0;
	d = domain_create(0x7e00, "stackguard", 1, 16, &err);
	CHECK(d);
	CHECK(!vcpu_create(d, 0, check_own_stack));
	domain_unpause(d);
	end = NOW() + SECONDS(2);
	while (!vcpu_result && NOW() < end) {
		if (need_resched())
			schedule();
		cpu_relax();
	}
	CHECK(vcpu_result == 1);
	return TEST_PASS;
}
