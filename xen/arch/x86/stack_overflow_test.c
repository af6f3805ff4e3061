/*
 * stack_overflow_test (a test aid, for the boot test of the same name):
 * once boot is done, a vCPU of a hypervisor-only domain recurses until it
 * runs into the guard page below its stack. The hypervisor must panic
 * with "stack overflow: hypervisor stack (vCPU dNv0)", never run on into
 * the memory below.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <asm/stack.h>

#define STACK_OVERFLOW_DOMID 0x7e01

static bool opt_stack_overflow_test;
boolean_param("stack_overflow_test", opt_stack_overflow_test);

/* Never reached; it keeps the recursion from looking endless to gcc. */
static volatile unsigned long stop_at = ~0UL;

static noinline unsigned long recurse(unsigned long depth)
{
	volatile unsigned char frame[256];

	frame[0] = (unsigned char)depth;
	if (depth == stop_at)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

static void overflow(struct vcpu *v)
{
	printk("stack_overflow_test: d%uv%u recurses into its guard page\n",
	       v->domain->domain_id, v->vcpu_id);
	recurse(0);
	panic("stack_overflow_test: the recursion returned\n");
}

void stack_overflow_test_start(void)
{
	struct domain *d;
	int err;

	if (!opt_stack_overflow_test)
		return;
	d = domain_create(STACK_OVERFLOW_DOMID, "stack_overflow", 1, 16, &err);
	if (!d || vcpu_create(d, 0, overflow))
		panic("stack_overflow_test: no domain to run it (%d)\n", err);
	domain_unpause(d);
}
