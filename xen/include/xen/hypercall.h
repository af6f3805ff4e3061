/*
 * The hypercall table and its dispatcher (common/hypercall.c). The arch
 * code reads the number and arguments from the guest's registers, calls
 * hypercall_dispatch() and puts the result back; docs/hypercalls.md lists
 * what each hypercall does.
 *
 * Continuations: a handler that must stop early (hypercall_preempt_check()
 * says so, or it did a round's worth of work) writes its progress into
 * its arguments and returns -ERESTART. The arch code then writes the
 * declared arguments back to the guest's registers and leaves its RIP on
 * the hypercall instruction, so the guest re-executes the hypercall with
 * the new arguments once it runs again. -ERESTART never reaches a guest.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/errno.h>
#include <xen/sched.h>
#include <public/memory.h>
#include <public/xen.h>

/* Numbers at or above this (and unused ones below) are -ENOSYS. */
#define NR_HYPERCALLS 64
#define HYPERCALL_MAX_ARGS 5

struct hypercall_args {
	/* A 32-bit caller's are zero-extended from its 32-bit registers. */
	unsigned long a[HYPERCALL_MAX_ARGS];
	/* A 32-bit caller: its longs and pointers in memory are 4 bytes. */
	bool compat;
};

typedef long (*hypercall_fn_t)(struct vcpu *v, struct hypercall_args *args);

struct hypercall_desc {
	const char *name;
	hypercall_fn_t fn;
	/* The handler sees a[0..nr_args); the dispatcher zeroes the rest. */
	unsigned int nr_args;
};

/* Indexed by hypercall number; an entry without fn is not implemented. */
extern const struct hypercall_desc hypercall_table[NR_HYPERCALLS];

/*
 * Run hypercall nr for v, the current vCPU: its result (>= 0 or -errno), -ENOSYS for a
 * number without a handler, or -ERESTART with args updated (a
 * continuation, counted in the domain's nr_continuations).
 */
long hypercall_dispatch(struct vcpu *v, unsigned long nr,
			struct hypercall_args *args);

/*
 * Whether a long hypercall should stop at its next restartable point and
 * continue later: the scheduler wants this CPU (the time slice ended, or
 * another vCPU was woken here). There is no other deferred work (no
 * softirqs) for it to let run.
 */
static inline bool hypercall_preempt_check(void)
{
	return need_resched();
}

/*
 * memory_op's continuation encoding (Xen's): cmd carries the op in its
 * low MEMOP_EXTENT_SHIFT bits and the extent to resume from above them.
 * memop_cmd(op, start) is the cmd to restart with; a handler refuses
 * counts above memop_start_max() so that every start it may need fits
 * (a 32-bit caller's cmd register has 32 bits, a 64-bit caller's 64).
 */
static inline unsigned int memop_op(unsigned long cmd)
{
	return cmd & MEMOP_CMD_MASK;
}

static inline unsigned long memop_start(unsigned long cmd)
{
	return cmd >> MEMOP_EXTENT_SHIFT;
}

static inline unsigned long memop_start_max(bool compat)
{
	return (compat ? 0xffffffffUL : ~0UL) >> MEMOP_EXTENT_SHIFT;
}

static inline unsigned long memop_cmd(unsigned int op, unsigned long start)
{
	return (start << MEMOP_EXTENT_SHIFT) | (op & MEMOP_CMD_MASK);
}

/*
 * The domain a hypercall argument names: the caller's own (DOMID_SELF or
 * its id), or another that exists and the caller may_control() (the
 * control domain: any; a domain with a target: that one). -ESRCH if
 * there is none, -EPERM if the caller may not name it. Another domain is
 * held by a reference until hypercall_put_domain().
 */
static inline long hypercall_get_domain(struct vcpu *v, domid_t id,
					struct domain **out)
{
	struct domain *d;

	if (id == DOMID_SELF || id == v->domain->domain_id) {
		*out = v->domain;
		return 0;
	}
	d = domain_get(id);
	if (!d)
		return -ESRCH;
	if (!may_control(v->domain, d)) {
		domain_put(d);
		return -EPERM;
	}
	*out = d;
	return 0;
}

static inline void hypercall_put_domain(struct vcpu *v, struct domain *d)
{
	if (d != v->domain)
		domain_put(d);
}

/* The handlers in the table. */
long do_memory_op(struct vcpu *v, struct hypercall_args *args);
long do_xen_version(struct vcpu *v, struct hypercall_args *args);
long do_console_io(struct vcpu *v, struct hypercall_args *args);
long do_grant_table_op(struct vcpu *v, struct hypercall_args *args);
long do_vcpu_op(struct vcpu *v, struct hypercall_args *args);
long do_sched_op(struct vcpu *v, struct hypercall_args *args);
long do_hvm_op(struct vcpu *v, struct hypercall_args *args);
long do_sysctl(struct vcpu *v, struct hypercall_args *args);
long do_domctl(struct vcpu *v, struct hypercall_args *args);

#endif
