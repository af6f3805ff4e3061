/*
 * sched_op (hypercall 29): (cmd, arg). yield, block (until an upcall is
 * pending), poll (until one of some event-channel ports is pending),
 * shutdown of the caller's domain, shutdown_code (the reason its coming
 * shutdown will report) and remote_shutdown (the control domain stops
 * another domain).
 */
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>

static long read_reason(unsigned long arg, u32 *reason)
{
	struct sched_shutdown s;

	if (copy_from_guest(&s, guest_handle_from_param(arg, sched_shutdown_t),
			    1))
		return -EFAULT;
	*reason = s.reason;
	return s.reason > SHUTDOWN_crash ? -EINVAL : 0;
}

/* The first code recorded wins, as in Xen. */
static long shutdown_code(struct vcpu *v, unsigned long arg)
{
	struct domain *d = v->domain;
	u32 reason;
	long rc = read_reason(arg, &reason);

	if (rc)
		return rc;
	spin_lock(&d->shutdown_lock);
	if (d->recorded_shutdown_code < 0)
		d->recorded_shutdown_code = reason;
	spin_unlock(&d->shutdown_lock);
	return 0;
}

static long remote_shutdown(struct vcpu *v, unsigned long arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (!is_control_domain(v->domain))
		return -EPERM;
	if (copy_from_guest(
		    &rs, guest_handle_from_param(arg, sched_remote_shutdown_t),
		    1))
		return -EFAULT;
	if (rs.reason > SHUTDOWN_crash)
		return -EINVAL;
	d = domain_get(rs.domain_id);
	if (!d)
		return -ESRCH;
	domain_shutdown(d, rs.reason);
	domain_put(d);
	return 0;
}

static void poll_timeout(void *arg)
{
	vcpu_wake(arg);
}

static long read_poll(const struct hypercall_args *args, struct sched_poll *p)
{
	if (args->compat) {
		struct compat_sched_poll c;

		if (copy_from_guest(&c,
				    guest_handle_from_param(
					    args->a[1], compat_sched_poll_t),
				    1))
			return -EFAULT;
		*p = (struct sched_poll){ guest_handle_from_compat(
						  c.ports, evtchn_port_t),
					  c.nr_ports, c.timeout };
		return 0;
	}
	return copy_from_guest(
		       p, guest_handle_from_param(args->a[1], sched_poll_t),
		       1) ?
		       -EFAULT :
		       0;
}

static bool any_pending(const struct domain *d, const evtchn_port_t *ports,
			unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (evtchn_port_pending(d, ports[i]))
			return true;
	return false;
}

/*
 * Whether v has a pending upcall it can take: one with a vector (now, or
 * once its interrupts are on). A vCPU without an upcall vector, such as
 * a pager that only polls its ring's port, could never take it: its
 * poll sleeps until a port it names is pending or the timeout passes.
 */
static bool upcall_deliverable(struct vcpu *v)
{
	return READ_ONCE(v->upcall_pending) && READ_ONCE(v->upcall_vector);
}

/*
 * Block until a port is pending (masked or not), an upcall the vCPU can
 * take is (upcall_deliverable()), or the timeout passed; 0 in every case, as in Xen (the guest looks again).
 * polling is published after the vCPU is marked blocked and before the
 * ports are read; a sender sets the pending bit before it reads polling:
 * either it wakes us or we see its port.
 */
static long sched_poll(struct vcpu *v, const struct hypercall_args *args)
{
	evtchn_port_t ports[SCHED_POLL_MAX_PORTS];
	struct domain *d = v->domain;
	struct sched_poll p;
	unsigned int i;
	long rc = read_poll(args, &p);

	if (rc)
		return rc;
	if (p.nr_ports > SCHED_POLL_MAX_PORTS)
		return -EINVAL;
	if (copy_from_guest(ports, p.ports, p.nr_ports))
		return -EFAULT;
	for (i = 0; i < p.nr_ports; i++)
		if (ports[i] >= evtchn_2l_max_ports(d))
			return -EINVAL;

	WRITE_ONCE(v->poll_port, p.nr_ports == 1 ? ports[0] : 0);
	vcpu_set_blocked(v);
	__atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
	if (upcall_deliverable(v) || any_pending(d, ports, p.nr_ports)) {
		vcpu_cancel_block(v);
	} else {
		if (!v->poll_timer.fn)
			init_timer(&v->poll_timer, poll_timeout, v,
				   v->processor);
		if (p.timeout)
			set_timer(&v->poll_timer, (s_time_t)p.timeout);
		schedule();
		stop_timer(&v->poll_timer);
	}
	__atomic_store_n(&v->polling, false, __ATOMIC_SEQ_CST);
	return 0;
}

long do_sched_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long arg = args->a[1];
	u32 reason;
	long rc;

	switch (args->a[0]) {
	case SCHEDOP_yield:
		vcpu_yield();
		return 0;
	case SCHEDOP_block:
		arch_vcpu_halt(v);
		return 0;
	case SCHEDOP_poll:
		return sched_poll(v, args);
	case SCHEDOP_shutdown:
		rc = read_reason(arg, &reason);
		if (!rc)
			domain_shutdown(v->domain, reason);
		return rc;
	case SCHEDOP_shutdown_code:
		return shutdown_code(v, arg);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v, arg);
	}
	return -ENOSYS;
}

_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll");
_Static_assert(sizeof(struct compat_sched_poll) == 16, "compat sched_poll");
