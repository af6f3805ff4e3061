/*
 * Event channels (common/event_channel.c) and the shared-info page
 * (common/shared_info.c) their 2-level bitmaps live in
 * (common/event_2l.c). docs/hypercalls.md has the guest's view.
 *
 * Locking:
 * - evtchn_bind_lock (global) serialises every change to an interdomain
 *   binding: bind_interdomain, close, and the closing of a dying domain's
 *   ports. While a channel is bound, both ends point at each other and
 *   neither domain is freed (destruction closes its ports first, under
 *   this lock).
 * - d->event_lock protects d's port table and the state of its ports.
 *   Two domains' locks are taken in domain-id order (an ordered rank).
 *   send takes only the sender's lock: an interdomain binding cannot go
 *   away without it, and the receiving end's notify_vcpu is read once.
 * - d->xen_evtchn_lock (taken inside the event locks) guards the
 *   bindings of d's hypervisor-served ports, so that
 *   notify_via_xen_evtchn() may read one holding no event lock.
 * - Pending and mask bits live in guest-writable memory and are changed
 *   with atomic operations only, under no lock.
 */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;

enum evtchn_state {
	ECS_FREE = 0,
	ECS_UNBOUND, /* waiting for u.unbound_remote to bind to it */
	ECS_INTERDOMAIN, /* bound to u.interdomain.port of u.interdomain.d */
	ECS_VIRQ, /* the hypervisor's virtual interrupt u.virq */
	ECS_IPI, /* sends from its own domain, to notify_vcpu */
};

struct evtchn {
	u8 state; /* enum evtchn_state */
	/* 1 + its slot in d->xen_evtchns[] if the hypervisor serves it. */
	u8 xen_consumer;
	u16 notify_vcpu; /* the vCPU its events go to */
	union {
		domid_t unbound_remote;
		struct {
			struct domain *d;
			evtchn_port_t port;
		} interdomain;
		u32 virq;
	} u;
};

/* Ports are kept in buckets of one page each, allocated as needed. */
#define EVTCHNS_PER_BUCKET 128
#define EVTCHN_MAX_PORTS 4096
#define EVTCHN_NR_BUCKETS (EVTCHN_MAX_PORTS / EVTCHNS_PER_BUCKET)

/*
 * Ports the hypervisor itself serves in a domain (the vm_event rings'),
 * at most NR_XEN_EVTCHNS per domain: alloc_unbound_xen_evtchn() below.
 */
#define NR_XEN_EVTCHNS 4
typedef void (*xen_evtchn_notify_t)(struct vcpu *sender, evtchn_port_t port,
				    void *data);
struct xen_evtchn {
	evtchn_port_t port; /* 0: the slot is free */
	xen_evtchn_notify_t notify;
	void *data;
};

/* Domain creation and destruction (domain.c). */
int evtchn_domain_init(struct domain *d);
/* Closes every port (peers' ends become unbound) and frees the tables. */
void evtchn_domain_destroy(struct domain *d);

/* d's event lock, when no other domain's is held. */
void event_lock(struct domain *d);
void event_unlock(struct domain *d);

/* event_channel_op (hypercall 32). */
struct hypercall_args;
long do_event_channel_op(struct vcpu *v, struct hypercall_args *args);

/*
 * Raise a virtual interrupt: the per-vCPU virq of v, or the global virq
 * of d; false if it is not bound (nothing happens). Lock-free, so it may
 * be called from interrupt context: the bound port is read once (a port
 * closed meanwhile may see one spurious event if it is bound again).
 */
bool send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
bool send_guest_global_virq(struct domain *d, unsigned int virq);

/*
 * A port of ld that the hypervisor serves: unbound, for remote_domid to
 * bind with EVTCHNOP_bind_interdomain (remote_dom ld, remote_port the
 * result). Returns the port, or -ENOSPC (no free port, or ld already has
 * NR_XEN_EVTCHNS of them), -ENOMEM. Called with no event lock held.
 *
 * When the remote end sends, notify(sender, port, data) runs instead of
 * an event for ld's guest: on the sender's vCPU, in its hypercall, with
 * no event lock held (it may take other locks and wake vCPUs), and it
 * must not sleep. ld's guest never receives an event on the port; as in
 * Xen it cannot close it, send on it or move it (EVTCHNOP_close, send,
 * bind_vcpu: -EINVAL), and status shows it unbound or interdomain.
 *
 * The remote end may close its port (or its domain die): the port is
 * then unbound again, for remote_domid to bind anew. There is no
 * callback for that: xen_evtchn_is_bound() says whether someone listens.
 */
int alloc_unbound_xen_evtchn(struct domain *ld, domid_t remote_domid,
			     xen_evtchn_notify_t notify, void *data);
/*
 * An event to the remote end of ld's port, if it is bound (else nothing).
 * Takes only ld->xen_evtchn_lock: callable holding locks of lower rank
 * than LR_XEN_EVTCHN (any p2m lock, a ring's lock), not from interrupts.
 */
void notify_via_xen_evtchn(struct domain *ld, evtchn_port_t port);
/*
 * A channel inside ld between a port the hypervisor serves (returned,
 * or -errno) and a new port of ld's guest (*guest_port): the guest's
 * sends on its port call notify, and notify_via_xen_evtchn_local() makes
 * its port pending. Called with no event lock held.
 */
int alloc_xen_evtchn_for_guest(struct domain *ld, xen_evtchn_notify_t notify,
			       void *data, evtchn_port_t *guest_port);
/*
 * notify_via_xen_evtchn() for such a port, without a lock: callable from
 * interrupt context. Nothing happens if the guest closed its end.
 */
void notify_via_xen_evtchn_local(struct domain *ld, evtchn_port_t port);
/* Is the remote end of ld's hypervisor-served port bound? */
bool xen_evtchn_is_bound(struct domain *ld, evtchn_port_t port);
/*
 * Close ld's port (the remote end becomes unbound). On return notify is
 * not running and will not run again for it, so data may be freed: not
 * to be called from a notify callback of ld. A port already closed (ld
 * destroyed) is ignored.
 */
void free_xen_evtchn(struct domain *ld, evtchn_port_t port);

/* Is port pending in d's shared-info page (false if out of range)? */
bool evtchn_port_pending(const struct domain *d, evtchn_port_t port);

/*
 * 2-level operations on d's shared-info page (event_2l.c). set_pending
 * marks port pending and, unless it is masked, flags it for v and raises
 * v's upcall when v had nothing pending; it wakes v if it polls the port.
 */
void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct vcpu *v, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port);
/* Ports the domain's shared-info layout has room for (1024 or 4096). */
unsigned int evtchn_2l_max_ports(const struct domain *d);

/*
 * The shared-info page (shared_info.c): allocated with the domain, owned
 * by the hypervisor (never the domain's RAM), mapped into the guest by
 * add_to_physmap. Its layout follows the guest's word size, latched by
 * shared_info_latch() when the guest maps the page or names its upcall.
 */
int shared_info_alloc(struct domain *d);
void shared_info_free(struct domain *d);
void shared_info_latch(struct domain *d, bool compat);
/* d->shared_info_gfn while the guest has not mapped the page. */
#define SHARED_INFO_UNMAPPED (~0UL)

#endif
