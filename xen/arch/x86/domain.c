/* vCPU stacks and context switching. */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/config.h>
#include <asm/hvm.h>
#include <asm/system.h>

void switch_stacks(unsigned long *save_rsp, unsigned long new_rsp);
void vcpu_trampoline(void);

/* Callee-saved registers switch_stacks pops, then its return address. */
#define SWITCH_FRAME_WORDS 7

int arch_vcpu_stack_init(struct vcpu *v)
{
	unsigned long *sp = (unsigned long *)((char *)v->stack + STACK_SIZE);

	/* After the ret the stack is 16-byte aligned for the call, as the ABI
	 * wants. */
	*--sp = (unsigned long)vcpu_trampoline;
	sp -= SWITCH_FRAME_WORDS - 1;
	memset(sp, 0, (SWITCH_FRAME_WORDS - 1) * sizeof(*sp));
	v->saved_rsp = (unsigned long)sp;
	return 0;
}

/*
 * Interrupts off. The guest state VM entry and exit do not switch goes
 * with the vCPU every time, even to the idle vCPU and back: a vCPU may be
 * moved to another CPU or destroyed once it is off this one.
 */
void context_switch(struct vcpu *prev, struct vcpu *next)
{
	if (prev->hvm)
		hvm_extra_save(hvm_of(prev));
	if (next->hvm)
		hvm_extra_load(hvm_of(next));
	switch_stacks(&prev->saved_rsp, next->saved_rsp);
}

void arch_vcpu_destroy(struct vcpu *v)
{
	if (v->hvm)
		hvm_vcpu_destroy(v);
}

void arch_domain_destroy(struct domain *d)
{
	pvtime_domain_destroy(d);
	if (d->p2m)
		hvm_domain_destroy(d);
}

void arch_vcpu_show_state(struct vcpu *v)
{
	if (v->hvm)
		hvm_vcpu_show_state(v);
	else
		printk("d%uv%u: a hypervisor-only vCPU\n", v->domain->domain_id,
		       v->vcpu_id);
}
