/*
 * Event channels: per-domain ports (1 up to the shared-info layout's
 * limit), interdomain bindings, virqs and IPIs, and event_channel_op
 * (hypercall 32): alloc_unbound, bind_interdomain, bind_virq, bind_ipi,
 * send, close, status, unmask and bind_vcpu. Delivery is the 2-level ABI
 * (event_2l.c). xen/event.h has the locking rules.
 *
 * Who may do what (Xen's default policy): a domain works on its own
 * ports; the control domain may also allocate an unbound port in any
 * domain and read any domain's port status. An unbound port names the
 * one domain that may bind to it, so an interdomain channel exists only
 * between two domains one of which (or the control domain for it) asked
 * for it.
 *
 * The hypervisor may serve a port itself (alloc_unbound_xen_evtchn()):
 * what the remote end sends on it calls the port's notify function
 * instead of raising an event in the port's domain.
 */
#include <xen/bitops.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/xen.h>

static DEFINE_SPINLOCK(evtchn_bind_lock, LR_EVTCHN_BIND);

void event_lock(struct domain *d)
{
	spin_lock_keyed(&d->event_lock, d->domain_id);
}

void event_unlock(struct domain *d)
{
	spin_unlock(&d->event_lock);
}

/* Both domains' event locks, in domain-id order (once if the same). */
static void double_event_lock(struct domain *a, struct domain *b)
{
	if (a == b) {
		event_lock(a);
		return;
	}
	if (a->domain_id > b->domain_id) {
		struct domain *t = a;

		a = b;
		b = t;
	}
	event_lock(a);
	event_lock(b);
}

static void double_event_unlock(struct domain *a, struct domain *b)
{
	if (a != b)
		event_unlock(b);
	event_unlock(a);
}

/* The port's channel if its bucket exists, else NULL (event_lock held). */
static struct evtchn *port_to_evtchn(struct domain *d, evtchn_port_t port)
{
	struct evtchn *bucket;

	if (!port || port >= EVTCHN_MAX_PORTS)
		return NULL;
	bucket = d->evtchn[port / EVTCHNS_PER_BUCKET];
	return bucket ? &bucket[port % EVTCHNS_PER_BUCKET] : NULL;
}

/* A port in use, or NULL. */
static struct evtchn *bound_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = port_to_evtchn(d, port);

	return chn && chn->state != ECS_FREE ? chn : NULL;
}

/* The lowest free port, its bucket allocated if need be: or -ENOSPC. */
static long get_free_port(struct domain *d)
{
	unsigned int max = evtchn_2l_max_ports(d);
	evtchn_port_t port;

	for (port = 1; port < max; port++) {
		struct evtchn *chn;

		if (!d->evtchn[port / EVTCHNS_PER_BUCKET]) {
			chn = alloc_xenheap_page();
			if (!chn)
				return -ENOMEM;
			memset(chn, 0, PAGE_SIZE);
			d->evtchn[port / EVTCHNS_PER_BUCKET] = chn;
		}
		chn = port_to_evtchn(d, port);
		if (chn->state == ECS_FREE) {
			/* Nothing left over from the port's last use. */
			evtchn_2l_clear_pending(d, port);
			chn->notify_vcpu = 0;
			return port;
		}
	}
	return -ENOSPC;
}

static bool virq_is_global(unsigned int virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
	       virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* The vCPU whose virq_to_evtchn[] records a virq port's binding. */
static struct vcpu *virq_owner(struct domain *d, const struct evtchn *chn)
{
	return d->vcpu[virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu];
}

/*
 * The hypervisor-served ports' bindings change under d->xen_evtchn_lock
 * too, inside the event locks: notify_via_xen_evtchn() reads them alone.
 */
static void xen_binding_lock(struct domain *d, const struct evtchn *chn)
{
	if (chn->xen_consumer)
		spin_lock(&d->xen_evtchn_lock);
}

static void xen_binding_unlock(struct domain *d, const struct evtchn *chn)
{
	if (chn->xen_consumer)
		spin_unlock(&d->xen_evtchn_lock);
}

/* The caller holds d's event lock and, for a hypervisor port, its lock. */
static void free_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = port_to_evtchn(d, port);

	if (chn->state == ECS_VIRQ)
		WRITE_ONCE(virq_owner(d, chn)->virq_to_evtchn[chn->u.virq], 0);
	if (chn->xen_consumer)
		memset(&d->xen_evtchns[chn->xen_consumer - 1], 0,
		       sizeof(struct xen_evtchn));

	evtchn_2l_clear_pending(d, port);
	memset(chn, 0, sizeof(*chn));
}

static long evtchn_alloc_unbound(struct vcpu *v,
				 XEN_GUEST_HANDLE(evtchn_alloc_unbound_t) arg)
{
	struct evtchn_alloc_unbound a;
	struct domain *d;
	long port;

	if (copy_from_guest(&a, arg, 1))
		return -EFAULT;
	/* Writable before a port is made: a bad buffer leaks none. */
	if (copy_to_guest(arg, &a, 1))
		return -EFAULT;
	port = hypercall_get_domain(v, a.dom, &d);
	if (port)
		return port;
	event_lock(d);
	port = get_free_port(d);
	if (port > 0) {
		struct evtchn *chn = port_to_evtchn(d, port);

		chn->state = ECS_UNBOUND;
		chn->u.unbound_remote = a.remote_dom == DOMID_SELF ?
						v->domain->domain_id :
						a.remote_dom;
	}
	event_unlock(d);
	hypercall_put_domain(v, d);
	if (port < 0)
		return port;
	a.port = port;
	return copy_to_guest(arg, &a, 1);
}

/*
 * Bind a new port of ld to rd's unbound port rport that names ld: the
 * new port, or -errno. A guest's new port is made pending at once, as in
 * Xen: an event the other side sent before the binding existed is not
 * lost (the hypervisor binding for a guest that has not run: none).
 */
static long bind_interdomain(struct domain *ld, struct domain *rd,
			     evtchn_port_t rport, bool pending)
{
	struct evtchn *lchn, *rchn;
	long rc, lport = 0;

	spin_lock(&evtchn_bind_lock);
	double_event_lock(ld, rd);
	rchn = bound_port(rd, rport);
	rc = -EINVAL;
	if (rchn && rchn->state == ECS_UNBOUND &&
	    rchn->u.unbound_remote == ld->domain_id)
		rc = lport = get_free_port(ld);
	if (lport > 0) {
		/* rchn stays valid: a new bucket never moves existing ones. */
		lchn = port_to_evtchn(ld, lport);
		lchn->state = ECS_INTERDOMAIN;
		lchn->u.interdomain.d = rd;
		lchn->u.interdomain.port = rport;
		xen_binding_lock(rd, rchn);
		rchn->state = ECS_INTERDOMAIN;
		rchn->u.interdomain.d = ld;
		rchn->u.interdomain.port = lport;
		xen_binding_unlock(rd, rchn);
		if (pending)
			evtchn_2l_set_pending(ld->vcpu[0], lport);
		rc = lport;
	}
	double_event_unlock(ld, rd);
	spin_unlock(&evtchn_bind_lock);
	return rc;
}

/* Bind a new port of the caller to rd's unbound port that names it. */
static long
evtchn_bind_interdomain(struct vcpu *v,
			XEN_GUEST_HANDLE(evtchn_bind_interdomain_t) arg)
{
	struct domain *ld = v->domain, *rd;
	struct evtchn_bind_interdomain b;
	long lport;

	if (copy_from_guest(&b, arg, 1) || copy_to_guest(arg, &b, 1))
		return -EFAULT;
	rd = b.remote_dom == DOMID_SELF || b.remote_dom == ld->domain_id ?
		     ld :
		     domain_get(b.remote_dom);
	if (!rd)
		return -ESRCH;
	lport = bind_interdomain(ld, rd, b.remote_port, true);
	if (rd != ld)
		domain_put(rd);
	if (lport < 0)
		return lport;
	b.local_port = lport;
	return copy_to_guest(arg, &b, 1);
}

/*
 * A new port of the caller for the hypervisor's virq on vcpu: a per-vCPU
 * virq on any vCPU, a global one on vCPU 0 only; each at most once.
 */
static long evtchn_bind_virq(struct vcpu *v,
			     XEN_GUEST_HANDLE(evtchn_bind_virq_t) arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_virq b;
	struct vcpu *owner;
	long port;

	if (copy_from_guest(&b, arg, 1) || copy_to_guest(arg, &b, 1))
		return -EFAULT;
	if (b.virq >= NR_VIRQS || (virq_is_global(b.virq) && b.vcpu))
		return -EINVAL;
	if (b.vcpu >= d->max_vcpus || !d->vcpu[b.vcpu])
		return -ENOENT;
	owner = d->vcpu[b.vcpu];
	event_lock(d);
	port = owner->virq_to_evtchn[b.virq] ? -EEXIST : get_free_port(d);
	if (port > 0) {
		struct evtchn *chn = port_to_evtchn(d, port);

		chn->state = ECS_VIRQ;
		chn->u.virq = b.virq;
		chn->notify_vcpu = b.vcpu;
		WRITE_ONCE(owner->virq_to_evtchn[b.virq], port);
	}
	event_unlock(d);
	if (port < 0)
		return port;
	b.port = port;
	return copy_to_guest(arg, &b, 1);
}

static long evtchn_bind_ipi(struct vcpu *v,
			    XEN_GUEST_HANDLE(evtchn_bind_ipi_t) arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_ipi b;
	long port;

	if (copy_from_guest(&b, arg, 1) || copy_to_guest(arg, &b, 1))
		return -EFAULT;
	if (b.vcpu >= d->max_vcpus || !d->vcpu[b.vcpu])
		return -ENOENT;
	event_lock(d);
	port = get_free_port(d);
	if (port > 0) {
		struct evtchn *chn = port_to_evtchn(d, port);

		chn->state = ECS_IPI;
		chn->notify_vcpu = b.vcpu;
	}
	event_unlock(d);
	if (port < 0)
		return port;
	b.port = port;
	return copy_to_guest(arg, &b, 1);
}

/* Who closes a port: the guest may not close a hypervisor-served one. */
enum closer { CLOSE_BY_GUEST, CLOSE_BY_XEN };

/*
 * Close d's port; an interdomain peer's end becomes unbound, bindable by
 * d again. The caller holds evtchn_bind_lock, none of the event locks.
 */
static long close_port(struct domain *d, evtchn_port_t port, enum closer who)
{
	struct domain *rd = d;
	struct evtchn *chn;
	long rc = 0;
	bool xen;

	event_lock(d);
	chn = bound_port(d, port);
	if (chn && chn->state == ECS_INTERDOMAIN) {
		/* Stable under evtchn_bind_lock: only its holders change it. */
		rd = chn->u.interdomain.d;
		if (rd != d) {
			event_unlock(d);
			double_event_lock(d, rd);
		}
		chn = port_to_evtchn(d, port);
	}
	if (!chn || (chn->xen_consumer && who == CLOSE_BY_GUEST)) {
		rc = -EINVAL;
	} else {
		if (chn->state == ECS_INTERDOMAIN) {
			struct evtchn *rchn =
				port_to_evtchn(rd, chn->u.interdomain.port);

			/* Its xen_consumer stays: only the binding goes. */
			xen_binding_lock(rd, rchn);
			memset(&rchn->u, 0, sizeof(rchn->u));
			rchn->state = ECS_UNBOUND;
			rchn->u.unbound_remote = d->domain_id;
			xen_binding_unlock(rd, rchn);
		}
		xen = chn->xen_consumer;
		if (xen)
			spin_lock(&d->xen_evtchn_lock);
		free_port(d, port);
		if (xen)
			spin_unlock(&d->xen_evtchn_lock);
	}
	double_event_unlock(d, rd);
	return rc;
}

static long evtchn_close(struct vcpu *v, XEN_GUEST_HANDLE(evtchn_close_t) arg)
{
	struct evtchn_close c;
	long rc;

	if (copy_from_guest(&c, arg, 1))
		return -EFAULT;
	spin_lock(&evtchn_bind_lock);
	rc = close_port(v->domain, c.port, CLOSE_BY_GUEST);
	spin_unlock(&evtchn_bind_lock);
	return rc;
}

/* Until notify callbacks running for d's ports have returned. */
static void wait_for_xen_notify(struct domain *d)
{
	while (__atomic_load_n(&d->xen_evtchn_calls, __ATOMIC_ACQUIRE))
		cpu_relax();
}

/*
 * The sender v's event lock is held, and its port is bound to rd's
 * hypervisor-served port rport: that binding (and the notify function
 * and data it had when bound) cannot change without this lock. The
 * count taken under it keeps rd and data alive until the call returns
 * (free_xen_evtchn() and rd's destruction wait for it).
 */
static void call_xen_notify(struct vcpu *v, struct domain *rd,
			    evtchn_port_t rport)
{
	const struct xen_evtchn *x =
		&rd->xen_evtchns[port_to_evtchn(rd, rport)->xen_consumer - 1];
	xen_evtchn_notify_t notify = x->notify;
	void *data = x->data;

	__atomic_fetch_add(&rd->xen_evtchn_calls, 1, __ATOMIC_RELAXED);
	event_unlock(v->domain);
	notify(v, rport, data);
	__atomic_fetch_sub(&rd->xen_evtchn_calls, 1, __ATOMIC_RELEASE);
}

/*
 * Send on port: the other end of an interdomain channel becomes pending
 * for the vCPU it notifies (or, if the hypervisor serves it, its notify
 * function is called), an IPI port for its own. An unbound port drops
 * the event, as in Xen; a virq port cannot be sent on (-EINVAL), nor can
 * a port the hypervisor serves.
 */
static long evtchn_send(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;
	struct evtchn *chn;
	long rc = 0;

	event_lock(d);
	chn = bound_port(d, port);
	if (!chn || chn->xen_consumer) {
		rc = -EINVAL;
	} else if (chn->state == ECS_INTERDOMAIN) {
		struct domain *rd = chn->u.interdomain.d;
		evtchn_port_t rport = chn->u.interdomain.port;
		struct evtchn *rchn = port_to_evtchn(rd, rport);
		/* rd's end cannot close without our lock; its vCPU may move. */
		unsigned int vcpu = READ_ONCE(rchn->notify_vcpu);

		if (rchn->xen_consumer) {
			call_xen_notify(v, rd, rport);
			return 0;
		}
		evtchn_2l_set_pending(rd->vcpu[vcpu], rport);
	} else if (chn->state == ECS_IPI) {
		evtchn_2l_set_pending(d->vcpu[chn->notify_vcpu], port);
	} else if (chn->state == ECS_VIRQ) {
		rc = -EINVAL;
	}
	event_unlock(d);
	return rc;
}

static long evtchn_status(struct vcpu *v, XEN_GUEST_HANDLE(evtchn_status_t) arg)
{
	struct evtchn_status s;
	struct evtchn *chn;
	struct domain *d;
	long rc;

	if (copy_from_guest(&s, arg, 1))
		return -EFAULT;
	rc = hypercall_get_domain(v, s.dom, &d);
	if (rc)
		return rc;
	memset(&s.status, 0,
	       sizeof(s) - offsetof(struct evtchn_status, status));
	event_lock(d);
	chn = port_to_evtchn(d, s.port);
	if (!s.port) {
		/* Port 0 is reserved: it reads closed, as in Xen. */
	} else if (!chn || s.port >= evtchn_2l_max_ports(d)) {
		rc = -EINVAL;
	} else {
		s.vcpu = chn->notify_vcpu;
		if (chn->state == ECS_UNBOUND) {
			s.status = EVTCHNSTAT_unbound;
			s.u.unbound.dom = chn->u.unbound_remote;
		} else if (chn->state == ECS_INTERDOMAIN) {
			s.status = EVTCHNSTAT_interdomain;
			s.u.interdomain.dom = chn->u.interdomain.d->domain_id;
			s.u.interdomain.port = chn->u.interdomain.port;
		} else if (chn->state == ECS_VIRQ) {
			s.status = EVTCHNSTAT_virq;
			s.u.virq = chn->u.virq;
		} else if (chn->state == ECS_IPI) {
			s.status = EVTCHNSTAT_ipi;
		} else {
			s.status = EVTCHNSTAT_closed;
		}
	}
	event_unlock(d);
	hypercall_put_domain(v, d);
	return rc ?: copy_to_guest(arg, &s, 1);
}

static long evtchn_bind_vcpu(struct vcpu *v,
			     XEN_GUEST_HANDLE(evtchn_bind_vcpu_t) arg)
{
	struct domain *d = v->domain;
	struct evtchn_bind_vcpu b;
	struct evtchn *chn;
	long rc = 0;

	if (copy_from_guest(&b, arg, 1))
		return -EFAULT;
	if (b.vcpu >= d->max_vcpus || !d->vcpu[b.vcpu])
		return -ENOENT;
	event_lock(d);
	chn = bound_port(d, b.port);
	/*
	 * Per-vCPU virqs and IPIs stay where they were bound, as in Xen, and
	 * the hypervisor's ports notify nobody in d.
	 */
	if (!chn || chn->xen_consumer || chn->state == ECS_IPI ||
	    (chn->state == ECS_VIRQ && !virq_is_global(chn->u.virq)))
		rc = -EINVAL;
	else
		WRITE_ONCE(chn->notify_vcpu, b.vcpu);
	event_unlock(d);
	return rc;
}

/*
 * Any port the domain could have (a free one, or reserved port 0 too), as
 * in Xen.
 */
static long evtchn_unmask(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;
	struct evtchn *chn;
	long rc = 0;

	event_lock(d);
	chn = port_to_evtchn(d, port);
	if (!port)
		evtchn_2l_unmask(d->vcpu[0], port);
	else if (chn && port < evtchn_2l_max_ports(d))
		evtchn_2l_unmask(d->vcpu[chn->notify_vcpu], port);
	else
		rc = -EINVAL;
	event_unlock(d);
	return rc;
}

/* send and unmask: struct evtchn_send and evtchn_unmask are one port. */
static long read_port(unsigned long arg, evtchn_port_t *port)
{
	return copy_from_guest(port,
			       guest_handle_from_param(arg, evtchn_port_t), 1) ?
		       -EFAULT :
		       0;
}

long do_event_channel_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long arg = args->a[1];
	evtchn_port_t port;
	long rc;

	switch (args->a[0]) {
	case EVTCHNOP_alloc_unbound:
		return evtchn_alloc_unbound(
			v,
			guest_handle_from_param(arg, evtchn_alloc_unbound_t));
	case EVTCHNOP_bind_interdomain:
		return evtchn_bind_interdomain(
			v, guest_handle_from_param(arg,
						   evtchn_bind_interdomain_t));
	case EVTCHNOP_bind_virq:
		return evtchn_bind_virq(
			v, guest_handle_from_param(arg, evtchn_bind_virq_t));
	case EVTCHNOP_bind_ipi:
		return evtchn_bind_ipi(
			v, guest_handle_from_param(arg, evtchn_bind_ipi_t));
	case EVTCHNOP_close:
		return evtchn_close(v, guest_handle_from_param(arg,
							       evtchn_close_t));
	case EVTCHNOP_send:
		rc = read_port(arg, &port);
		return rc ?: evtchn_send(v, port);
	case EVTCHNOP_status:
		return evtchn_status(
			v, guest_handle_from_param(arg, evtchn_status_t));
	case EVTCHNOP_bind_vcpu:
		return evtchn_bind_vcpu(
			v, guest_handle_from_param(arg, evtchn_bind_vcpu_t));
	case EVTCHNOP_unmask:
		rc = read_port(arg, &port);
		return rc ?: evtchn_unmask(v, port);
	}
	return -ENOSYS;
}

bool send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
	evtchn_port_t port = READ_ONCE(v->virq_to_evtchn[virq]);

	if (!port)
		return false;
	evtchn_2l_set_pending(v, port);
	return true;
}

/* Buckets are never freed before the domain is: chn may be read here. */
bool send_guest_global_virq(struct domain *d, unsigned int virq)
{
	evtchn_port_t port;
	struct evtchn *chn;

	if (!d->vcpu[0] ||
	    !(port = READ_ONCE(d->vcpu[0]->virq_to_evtchn[virq])))
		return false;
	chn = port_to_evtchn(d, port);
	evtchn_2l_set_pending(d->vcpu[READ_ONCE(chn->notify_vcpu)], port);
	return true;
}

bool evtchn_port_pending(const struct domain *d, evtchn_port_t port)
{
	return evtchn_2l_is_pending(d, port);
}

int alloc_unbound_xen_evtchn(struct domain *ld, domid_t remote_domid,
			     xen_evtchn_notify_t notify, void *data)
{
	unsigned int slot = 0;
	long port = -ENOSPC;

	event_lock(ld);
	while (slot < NR_XEN_EVTCHNS && ld->xen_evtchns[slot].port)
		slot++;
	if (slot < NR_XEN_EVTCHNS)
		port = get_free_port(ld);
	if (port > 0) {
		struct evtchn *chn = port_to_evtchn(ld, port);

		spin_lock(&ld->xen_evtchn_lock);
		chn->state = ECS_UNBOUND;
		chn->xen_consumer = slot + 1;
		chn->u.unbound_remote = remote_domid == DOMID_SELF ?
						ld->domain_id :
						remote_domid;
		ld->xen_evtchns[slot] =
			(struct xen_evtchn){ port, notify, data };
		spin_unlock(&ld->xen_evtchn_lock);
	}
	event_unlock(ld);
	return port;
}

int alloc_xen_evtchn_for_guest(struct domain *ld, xen_evtchn_notify_t notify,
			       void *data, evtchn_port_t *guest_port)
{
	long xport = alloc_unbound_xen_evtchn(ld, ld->domain_id, notify, data);
	long gport;

	if (xport < 0)
		return xport;
	gport = bind_interdomain(ld, ld, xport, false);
	if (gport < 0) {
		free_xen_evtchn(ld, xport);
		return gport;
	}
	*guest_port = gport;
	return xport;
}

/*
 * Buckets are never freed before the domain is, and the binding is read
 * once: a port the guest closed and reused meanwhile may see one
 * spurious event, as for virqs.
 */
void notify_via_xen_evtchn_local(struct domain *ld, evtchn_port_t port)
{
	struct evtchn *chn = port_to_evtchn(ld, port), *rchn;
	evtchn_port_t rport;

	if (!chn || !chn->xen_consumer ||
	    READ_ONCE(chn->state) != ECS_INTERDOMAIN ||
	    READ_ONCE(chn->u.interdomain.d) != ld)
		return;
	rport = READ_ONCE(chn->u.interdomain.port);
	rchn = port_to_evtchn(ld, rport);
	if (rchn)
		evtchn_2l_set_pending(ld->vcpu[READ_ONCE(rchn->notify_vcpu)],
				      rport);
}

/* ld's hypervisor-served port, if it is one; ld->xen_evtchn_lock held. */
static struct evtchn *xen_port(struct domain *ld, evtchn_port_t port)
{
	struct evtchn *chn = port_to_evtchn(ld, port);

	return chn && chn->xen_consumer ? chn : NULL;
}

/*
 * The peer cannot go away meanwhile: closing the binding (its domain's
 * destruction too) takes ld->xen_evtchn_lock.
 */
void notify_via_xen_evtchn(struct domain *ld, evtchn_port_t port)
{
	struct evtchn *chn;

	spin_lock(&ld->xen_evtchn_lock);
	chn = xen_port(ld, port);
	if (chn && chn->state == ECS_INTERDOMAIN) {
		struct domain *rd = chn->u.interdomain.d;
		evtchn_port_t rport = chn->u.interdomain.port;
		unsigned int vcpu =
			READ_ONCE(port_to_evtchn(rd, rport)->notify_vcpu);

		evtchn_2l_set_pending(rd->vcpu[vcpu], rport);
	}
	spin_unlock(&ld->xen_evtchn_lock);
}

bool xen_evtchn_is_bound(struct domain *ld, evtchn_port_t port)
{
	struct evtchn *chn;
	bool bound;

	spin_lock(&ld->xen_evtchn_lock);
	chn = xen_port(ld, port);
	bound = chn && chn->state == ECS_INTERDOMAIN;
	spin_unlock(&ld->xen_evtchn_lock);
	return bound;
}

void free_xen_evtchn(struct domain *ld, evtchn_port_t port)
{
	struct evtchn *chn;

	/* Only the hypervisor closes these: the check stays true. */
	spin_lock(&evtchn_bind_lock);
	event_lock(ld);
	chn = bound_port(ld, port);
	event_unlock(ld);
	if (chn && chn->xen_consumer)
		close_port(ld, port, CLOSE_BY_XEN);
	spin_unlock(&evtchn_bind_lock);
	wait_for_xen_notify(ld);
}

int evtchn_domain_init(struct domain *d)
{
	BUILD_BUG_ON(sizeof(struct evtchn) * EVTCHNS_PER_BUCKET > PAGE_SIZE);
	spin_lock_init_ordered(&d->event_lock, "event_lock", LR_EVENT);
	spin_lock_init(&d->xen_evtchn_lock, "xen_evtchn_lock", LR_XEN_EVTCHN);
	return shared_info_alloc(d);
}

void evtchn_domain_destroy(struct domain *d)
{
	evtchn_port_t port;
	unsigned int i;

	/* Nobody else can reach d now: only interdomain peers need care. */
	spin_lock(&evtchn_bind_lock);
	for (port = 1; port < EVTCHN_MAX_PORTS; port++)
		if (d->evtchn[port / EVTCHNS_PER_BUCKET])
			close_port(d, port, CLOSE_BY_XEN);
	spin_unlock(&evtchn_bind_lock);
	/* Notify callbacks for d's ports may use d and their data. */
	wait_for_xen_notify(d);
	for (i = 0; i < EVTCHN_NR_BUCKETS; i++) {
		free_xenheap_page(d->evtchn[i]);
		d->evtchn[i] = NULL;
	}
	shared_info_free(d);
}

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12,
	       "bind_interdomain");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu");
_Static_assert(sizeof(struct evtchn_status) == 24, "status");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20,
	       "status interdomain port");
