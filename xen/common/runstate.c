/*
 * vCPU runstates (VCPUOP_get_runstate_info, register_runstate_memory_area):
 * the scheduler moves a vCPU between running, runnable, blocked and
 * offline at each switch, adding the time spent in the state it leaves.
 * A vCPU's first switch starts the count (the state before it, all zero,
 * has no time). Only the CPU switching the vCPU writes it, with seq odd
 * meanwhile; readers on other CPUs retry.
 *
 * The guest's copy (the area it registered) is written by the vCPU itself
 * before it enters the guest, whenever a switch happened since the last
 * copy: it walks the guest's own page tables and may sleep, which the
 * scheduler cannot. So another vCPU reading it sees the state as of the
 * owner's last entry.
 */
#include <xen/guest-copy.h>
#include <xen/lib.h>
#include <xen/pvtime.h>
#include <xen/sched.h>
#include <asm/hvm.h>

static int state_after_switch_out(struct vcpu *v)
{
	if (v->state == VCPU_OFFLINE || (v->hvm && READ_ONCE(hvm_of(v)->down)))
		return RUNSTATE_offline;
	return v->state == VCPU_BLOCKED ? RUNSTATE_blocked : RUNSTATE_runnable;
}

static void set_state(struct vcpu *v, int state, s_time_t now)
{
	struct vcpu_pvtime *p = &v->pvtime;

	WRITE_ONCE(p->runstate_seq, p->runstate_seq + 1);
	smp_wmb();
	if (p->runstate.state_entry_time)
		p->runstate.time[p->runstate.state] +=
			now - p->runstate.state_entry_time;
	p->runstate.state = state;
	p->runstate.state_entry_time = now;
	smp_wmb();
	WRITE_ONCE(p->runstate_seq, p->runstate_seq + 1);
	WRITE_ONCE(p->runstate_switches, p->runstate_switches + 1);
}

void runstate_switch(struct vcpu *prev, struct vcpu *next, s_time_t now)
{
	if (!prev->is_idle)
		set_state(prev, state_after_switch_out(prev), now);
	if (!next->is_idle)
		set_state(next, RUNSTATE_running, now);
}

void runstate_get(struct vcpu *v, struct vcpu_runstate_info *r)
{
	unsigned int seq;

	do {
		seq = READ_ONCE(v->pvtime.runstate_seq);
		smp_rmb();
		*r = v->pvtime.runstate;
		smp_rmb();
	} while ((seq & 1) || seq != READ_ONCE(v->pvtime.runstate_seq));
}

void runstate_copy_out(struct vcpu *v)
{
	unsigned long gva = READ_ONCE(v->pvtime.runstate_gva);
	unsigned long switches = READ_ONCE(v->pvtime.runstate_switches);
	struct compat_vcpu_runstate_info c;
	struct vcpu_runstate_info r;

	if (!gva || v->pvtime.runstate_copied == switches)
		return;
	v->pvtime.runstate_copied = switches;
	runstate_get(v, &r);
	if (!v->pvtime.runstate_compat) {
		copy_to_guest_virt(v, gva, &r, sizeof(r));
		return;
	}
	c.state = r.state;
	c.state_entry_time = r.state_entry_time;
	memcpy(c.time, r.time, sizeof(c.time));
	copy_to_guest_virt(v, gva, &c, sizeof(c));
}
