/*
 * The event-channel tests' fixture (evtchn_fixture.c): the hypervisor's
 * event channels compiled in once, three fake domains and helpers that
 * make event_channel_op calls and read the shared-info page as the guest
 * sees it, at the offsets of Xen's ABI.
 *
 * Domains: ctl (id 0, the control domain, 1 vCPU), a (id 1, 2 vCPUs),
 * b (id 7, 3 vCPUs); DOMID_MISSING names none. Guest-virtual addresses
 * are offsets into ec_guest_mem[] (fake_guest.h: a read-only window in it,
 * the rest -EFAULT).
 */
#ifndef UNIT_EVTCHN_FIXTURE_H
#define UNIT_EVTCHN_FIXTURE_H

#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define RAM_START 0x1000UL
#define RAM_END 0x3000UL
#define ARG_GVA 0x100UL /* where hypercall arguments go */
#define RO_GVA 0x800UL /* [RO_GVA, RO_END): readable, not writable */
#define RO_END 0x900UL
#define DOMID_MISSING 42

/* The ABI's offsets in the shared-info page. */
#define SI_PENDING 2048
#define SI_MASK_NATIVE 2560
#define SI_MASK_COMPAT 2176
#define SI_VCPU_INFO_SIZE 64
#define SI_SEL_NATIVE 8
#define SI_SEL_COMPAT 4

struct fake_dom {
	struct domain d; /* first: a struct domain * is a struct fake_dom * */
	struct vcpu v[MAX_VCPUS];
	unsigned int upcalls[MAX_VCPUS];
	unsigned int wakes[MAX_VCPUS];
};

extern struct fake_dom doms[3];
#define CTL (&doms[0])
#define A (&doms[1])
#define B (&doms[2])

extern u8 ec_guest_mem[0x1000];
/* Free pages before ec_setup(): ec_destroy_all() checks they are back. */
extern unsigned long ec_free_at_start;

/* event_channel.c's do_event_channel_op, renamed (test_hypercall.c has one). */
long event_channel_op_under_test(struct vcpu *v, struct hypercall_args *args);
/* The fakes of domain_get(), domain_put() and vcpu_wake(). */
struct domain *ec_domain_get(domid_t id);
void ec_domain_put(struct domain *d);
void ec_vcpu_wake(struct vcpu *v);
/* The three domains, fresh; then every page of theirs back. */
void ec_setup(void);
void ec_destroy_all(void);
/* event_channel_op by vCPU vcpu of f, the argument at gva or copied in. */
long evop(struct fake_dom *f, unsigned int vcpu, unsigned long cmd,
	  unsigned long gva);
long evop_arg(struct fake_dom *f, unsigned long cmd, const void *arg,
	      size_t len);
/* The sub-ops: the new port or 0, or -errno. */
long alloc_unbound(struct fake_dom *f, domid_t dom, domid_t remote);
long ev_bind(struct fake_dom *f, domid_t remote, evtchn_port_t rport);
long ev_send(struct fake_dom *f, evtchn_port_t port);
long ev_close(struct fake_dom *f, evtchn_port_t port);
long ev_unmask(struct fake_dom *f, evtchn_port_t port);
long bind_vcpu(struct fake_dom *f, evtchn_port_t port, u32 vcpu);
long ev_status(struct fake_dom *f, domid_t dom, evtchn_port_t port,
	       struct evtchn_status *s);
/* A port's status must be unbound (naming remote), interdomain or closed. */
void check_unbound(struct fake_dom *f, evtchn_port_t port, domid_t remote);
void check_interdomain(struct fake_dom *f, evtchn_port_t port,
		       struct fake_dom *peer, evtchn_port_t pport);
void check_closed(struct fake_dom *f, evtchn_port_t port);
/* The shared-info page and its bits, as the guest sees them. */
u8 *ec_si(struct fake_dom *f);
bool ec_pending(struct fake_dom *f, evtchn_port_t port);
void clear_pending(struct fake_dom *f, evtchn_port_t port);
unsigned int mask_offset(struct fake_dom *f);
bool ec_masked(struct fake_dom *f, evtchn_port_t port);
void set_mask(struct fake_dom *f, evtchn_port_t port);
u64 ec_sel(struct fake_dom *f, unsigned int vcpu);
u8 upcall_pending(struct fake_dom *f, unsigned int vcpu);
/* What the guest's upcall handler does: clear everything it saw. */
void ack_all(struct fake_dom *f);
/* The selector bit of port's word in f's layout. */
u64 word_bit(struct fake_dom *f, evtchn_port_t port);
void ec_double_event_lock(struct domain *a, struct domain *b);
void ec_double_event_unlock(struct domain *a, struct domain *b);
/* event_channel.c's own double locks, for the lock-order tests. */
void ec_double_event_lock(struct domain *a, struct domain *b);
void ec_double_event_unlock(struct domain *a, struct domain *b);

#endif
