/*
 * A vCPU's paravirtual time and vcpu_info (docs/hypercalls.md, "Time and
 * vcpu_info"): the vcpu_info the guest registered, its runstate and the
 * memory it asked it to be kept in, its periodic timer. The guest's
 * pvclock record (vcpu_time_info) never changes: NOW() is computed as a
 * guest computes it (asm/time.h).
 */
#ifndef XEN_PVTIME_H
#define XEN_PVTIME_H

#include <xen/timer.h>
#include <xen/types.h>
#include <public/vcpu.h>

struct domain;
struct page_info;
struct vcpu;
struct hypercall_args;

struct vcpu_pvtime {
	/*
	 * VCPUOP_register_vcpu_info's vcpu_info (a hypervisor address in
	 * the guest frame info_pg, which a reference keeps until the
	 * domain is destroyed); NULL: the shared-info page's slot. Set
	 * once, under the domain's event lock.
	 */
	void *info;
	struct page_info *info_pg;
	/* The time record is in the shared-info page's slot. */
	bool slot_time_published;

	/*
	 * The runstate, changed by the scheduler at each switch (runstate.c)
	 * with seq odd meanwhile; readers retry until seq is even and the
	 * same before and after.
	 */
	unsigned int runstate_seq;
	struct vcpu_runstate_info runstate;
	/*
	 * register_runstate_memory_area's guest-virtual address (0: none),
	 * refreshed by the vCPU itself before it enters the guest whenever
	 * runstate_copied lags runstate_switches.
	 */
	unsigned long runstate_gva;
	bool runstate_compat;
	unsigned long runstate_switches, runstate_copied;

	/* VCPUOP_set_periodic_timer: VIRQ_TIMER every period ns (0: off). */
	s_time_t periodic_period;
	struct timer periodic;
};

/*
 * The vcpu_info events are flagged in: the registered one, else the
 * shared-info page's slot (NULL for a vCPU past the 32 slots).
 */
void *vcpu_info_of(struct vcpu *v);

/* The scheduler switches from prev to next at now (either may be idle). */
void runstate_switch(struct vcpu *prev, struct vcpu *next, s_time_t now);
/* v's runstate, consistent, with the time of the current state counted. */
void runstate_get(struct vcpu *v, struct vcpu_runstate_info *r);
/*
 * The runstate to the area v registered, if it changed since the last
 * copy. v is current, in its own context (it may sleep on a paged gfn).
 */
void runstate_copy_out(struct vcpu *v);

/*
 * x86 (arch/x86/pvtime.c). Before v enters the guest, in its own
 * context: its time record in its shared-info slot and the wall clock
 * the first time, its runstate area.
 */
void pvtime_vcpu_enter(struct vcpu *v);
/* Drop d's vcpu_info page references (d's vCPUs are off every CPU). */
void pvtime_domain_destroy(struct domain *d);
/* vcpu_op's time and vcpu_info sub-ops (hvm/vcpu_op_time.c); -ENOSYS. */
long vcpu_op_time(struct vcpu *v, struct hypercall_args *args);
/*
 * The frame at gfn, RAM d owns and may write, with a reference (put_page
 * it): NULL if it is anything else. May sleep (a paged-out gfn comes back
 * first).
 */
struct page_info *guest_frame_get(struct domain *d, unsigned long gfn);
/* Move v's vcpu_info to gfn at offset: 0, -EINVAL, -ENOMEM. */
int register_vcpu_info(struct vcpu *v, unsigned long gfn, unsigned int offset);

#endif
