/*
 * vcpu_op (hypercall 24), the time and vcpu_info sub-ops, on any vCPU of
 * the caller's domain (an id it does not have: -EINVAL):
 *
 *   register_vcpu_info (10)   the vcpu_info moves to a guest frame
 *                             (arch/x86/pvtime.c);
 *   register_runstate_memory_area (5)  where the vCPU's runstate is kept
 *                             (common/runstate.c), written at once;
 *   get_runstate_info (4)     the runstate, now;
 *   set_periodic_timer (6)    VIRQ_TIMER every period (1 ms at least);
 *   stop_periodic_timer (7)   no periodic timer (the default, as Xen
 *                             gives HVM vCPUs).
 *
 * Everything else is -ENOSYS (register_vcpu_time_memory_area among them).
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/pvtime.h>
#include <xen/sched.h>
#include <asm/time.h>
#include <public/vcpu.h>

/* Xen's bound: a period must fit a signed 64-bit time with room to add. */
#define PERIOD_MAX ((s_time_t)1 << 62)

/* The runstate with the time of its current state counted up to now. */
static void runstate_now(struct vcpu *t, struct vcpu_runstate_info *r)
{
	s_time_t delta;

	runstate_get(t, r);
	delta = NOW() - (s_time_t)r->state_entry_time;
	if (r->state_entry_time && delta > 0)
		r->time[r->state] += delta;
}

static long copy_runstate(struct vcpu *v, unsigned long gva,
			  const struct vcpu_runstate_info *r, bool compat)
{
	struct compat_vcpu_runstate_info c;

	if (!compat)
		return copy_to_guest_virt(v, gva, r, sizeof(*r));
	c.state = r->state;
	c.state_entry_time = r->state_entry_time;
	memcpy(c.time, r->time, sizeof(c.time));
	return copy_to_guest_virt(v, gva, &c, sizeof(c));
}

/*
 * As Xen: the area is written at once through the caller's page tables
 * (whether that works is not checked), then by t before each entry.
 */
static long register_runstate(struct vcpu *v, struct vcpu *t, unsigned long arg,
			      bool compat)
{
	struct vcpu_runstate_info r;
	unsigned long gva;

	if (compat) {
		struct compat_vcpu_register_runstate_memory_area a;

		if (copy_from_guest_virt(v, &a, arg, sizeof(a)))
			return -EFAULT;
		gva = a.addr;
	} else {
		struct vcpu_register_runstate_memory_area a;

		if (copy_from_guest_virt(v, &a, arg, sizeof(a)))
			return -EFAULT;
		gva = a.addr;
	}
	t->pvtime.runstate_compat = compat;
	/* The owner copies again at its next entry. */
	WRITE_ONCE(t->pvtime.runstate_copied,
		   READ_ONCE(t->pvtime.runstate_switches) - 1);
	WRITE_ONCE(t->pvtime.runstate_gva, gva);
	if (gva) {
		runstate_now(t, &r);
		copy_runstate(v, gva, &r, compat);
	}
	return 0;
}

static void periodic_fired(void *arg)
{
	struct vcpu *v = arg;
	s_time_t period = READ_ONCE(v->pvtime.periodic_period);

	send_guest_vcpu_virq(v, VIRQ_TIMER);
	/* A dying domain's timer is killed: it must not arm itself again. */
	if (!period || READ_ONCE(v->domain->is_shutting_down))
		return;
	/* As Xen: a period from this event (late ones are not made up). */
	set_timer(&v->pvtime.periodic, NOW() + period);
}

static long set_periodic(struct vcpu *t, s_time_t period)
{
	struct timer *timer = &t->pvtime.periodic;

	if (!timer->fn)
		init_timer(timer, periodic_fired, t, t->processor);
	WRITE_ONCE(t->pvtime.periodic_period, period);
	if (period)
		set_timer(timer, NOW() + period);
	else
		stop_timer(timer);
	return 0;
}

long vcpu_op_time(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long cmd = args->a[0], id = args->a[1], arg = args->a[2];
	struct domain *d = v->domain;
	struct vcpu_register_vcpu_info info;
	struct vcpu_set_periodic_timer p;
	struct vcpu_runstate_info r;
	struct vcpu *t;

	switch (cmd) {
	case VCPUOP_register_vcpu_info:
	case VCPUOP_register_runstate_memory_area:
	case VCPUOP_get_runstate_info:
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
		break;
	default:
		return -ENOSYS;
	}
	if (id >= d->max_vcpus || !d->vcpu[id])
		return -EINVAL;
	t = d->vcpu[id];
	switch (cmd) {
	case VCPUOP_register_vcpu_info:
		if (copy_from_guest_virt(v, &info, arg, sizeof(info)))
			return -EFAULT;
		return register_vcpu_info(t, info.mfn, info.offset);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(v, t, arg, args->compat);
	case VCPUOP_get_runstate_info:
		runstate_now(t, &r);
		return copy_runstate(v, arg, &r, args->compat);
	case VCPUOP_set_periodic_timer:
		if (copy_from_guest_virt(v, &p, arg, sizeof(p)))
			return -EFAULT;
		if (p.period_ns < (u64)MILLISECS(1) ||
		    p.period_ns > (u64)PERIOD_MAX)
			return -EINVAL;
		return set_periodic(t, (s_time_t)p.period_ns);
	default: /* VCPUOP_stop_periodic_timer */
		return set_periodic(t, 0);
	}
}
