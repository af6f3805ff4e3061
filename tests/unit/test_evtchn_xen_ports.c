/*
 * Event-channel ports the hypervisor serves (alloc_unbound_xen_evtchn(),
 * notify_via_xen_evtchn(), free_xen_evtchn()), through the fixture
 * evtchn_fixture.c: the guest's sends call the hypervisor's function,
 * never the guest; the port stays out of the guest's reach; freeing waits
 * for a notify in progress; and notify is called with no lock held.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "evtchn_fixture.h"
#include "harness.h"
#include "shim.h"

struct notified {
	unsigned int calls;
	struct vcpu *sender;
	evtchn_port_t port;
	int depth; /* atomic_depth() in the callback: no lock held */
	unsigned int running; /* A's xen_evtchn_calls seen in the callback */
	/* For the thread test: the callback waits until release is set. */
	bool hold, entered, release, returned;
};

static void xen_notify(struct vcpu *sender, evtchn_port_t port, void *data)
{
	struct notified *n = data;

	n->calls++;
	n->sender = sender;
	n->port = port;
	n->depth = atomic_depth();
	n->running = __atomic_load_n(&A->d.xen_evtchn_calls, __ATOMIC_SEQ_CST);
	if (!n->hold)
		return;
	__atomic_store_n(&n->entered, true, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&n->release, __ATOMIC_SEQ_CST))
		usleep(1000);
	__atomic_store_n(&n->returned, true, __ATOMIC_SEQ_CST);
}

/* A's hypervisor port for B, bound by B: B's port. */
static long xen_connect(struct notified *n, long *a_port)
{
	long pa = alloc_unbound_xen_evtchn(&A->d, B->d.domain_id, xen_notify,
					   n),
	     pb;

	CHECK(pa > 0);
	check_unbound(A, pa, B->d.domain_id);
	CHECK(!xen_evtchn_is_bound(&A->d, pa));
	pb = ev_bind(B, A->d.domain_id, pa);
	CHECK(pb > 0);
	CHECK(xen_evtchn_is_bound(&A->d, pa));
	ack_all(A);
	ack_all(B);
	*a_port = pa;
	return pb;
}

TEST(evtchn_xen_port_calls_notify_not_the_guest)
{
	struct notified n = { 0 };
	long pa, pb;

	ec_setup();
	pb = xen_connect(&n, &pa);
	check_interdomain(A, pa, B, pb);
	check_interdomain(B, pb, A, pa);
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK_EQ(n.calls, 1);
	CHECK(n.sender == &B->v[0]);
	CHECK_EQ(n.port, pa);
	CHECK_EQ(n.depth, 0);
	CHECK_EQ(n.running, 1); /* counted while it runs */
	CHECK_EQ(A->d.xen_evtchn_calls, 0);
	/* A's guest sees nothing, B's own port is not pending either. */
	CHECK(!ec_pending(A, pa));
	CHECK_EQ(upcall_pending(A, 0) + upcall_pending(A, 1), 0);
	CHECK_EQ(A->upcalls[0] + A->upcalls[1] + A->wakes[0], 0);
	CHECK(!ec_pending(B, pb));
	/* Each send is one call; from another vCPU of B too. */
	memcpy(ec_guest_mem + ARG_GVA, &pb, sizeof(u32));
	CHECK_EQ(evop(B, 2, EVTCHNOP_send, ARG_GVA), 0);
	CHECK_EQ(n.calls, 2);
	CHECK(n.sender == &B->v[2]);
	/* The hypervisor's event reaches B's port, as any event does. */
	notify_via_xen_evtchn(&A->d, pa);
	CHECK(ec_pending(B, pb));
	CHECK_EQ(B->upcalls[0], 1);
	CHECK(!ec_pending(A, pa));
	CHECK_EQ(n.calls, 2);
	ec_destroy_all();
}

TEST(evtchn_xen_port_out_of_the_guests_reach)
{
	struct notified n = { 0 };
	long pa, pb;

	ec_setup();
	pb = xen_connect(&n, &pa);
	/* A's guest can neither close, send on nor move the port (Xen). */
	CHECK_EQ(ev_close(A, pa), -EINVAL);
	CHECK_EQ(ev_send(A, pa), -EINVAL);
	CHECK_EQ(bind_vcpu(A, pa, 1), -EINVAL);
	CHECK_EQ(n.calls, 0);
	CHECK(!ec_pending(B, pb));
	/* Unmask is harmless: the port is never pending in A. */
	CHECK_EQ(ev_unmask(A, pa), 0);
	CHECK_EQ(A->upcalls[0] + A->upcalls[1], 0);
	check_interdomain(A, pa, B, pb);
	/* Nor can a third domain bind to it. */
	CHECK_EQ(ev_bind(CTL, A->d.domain_id, pa), -EINVAL);
	/* Still working. */
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK_EQ(n.calls, 1);
	ec_destroy_all();
}

TEST(evtchn_xen_port_unbound_until_bound_again)
{
	struct notified n = { 0 };
	long pa, pb;

	ec_setup();
	/* Unbound: the hypervisor's event goes nowhere. */
	pa = alloc_unbound_xen_evtchn(&A->d, B->d.domain_id, xen_notify, &n);
	CHECK(pa > 0);
	notify_via_xen_evtchn(&A->d, pa);
	for (unsigned int i = 0; i < 512; i++)
		CHECK_EQ(ec_si(B)[SI_PENDING + i], 0);
	CHECK_EQ(B->upcalls[0], 0);
	free_xen_evtchn(&A->d, pa);
	check_closed(A, pa);

	pb = xen_connect(&n, &pa);
	/* The remote end closes: unbound again, for B to bind anew. */
	CHECK_EQ(ev_close(B, pb), 0);
	CHECK(!xen_evtchn_is_bound(&A->d, pa));
	check_unbound(A, pa, B->d.domain_id);
	notify_via_xen_evtchn(&A->d, pa);
	CHECK_EQ(B->upcalls[0], 0);
	pb = ev_bind(B, A->d.domain_id, pa);
	CHECK(pb > 0);
	CHECK(xen_evtchn_is_bound(&A->d, pa));
	CHECK_EQ(ev_send(B, pb), 0);
	CHECK_EQ(n.calls, 1);
	CHECK_EQ(n.port, pa);

	/* The remote domain dies: its end closes, A's is unbound again. */
	evtchn_domain_destroy(&B->d);
	CHECK(!xen_evtchn_is_bound(&A->d, pa));
	check_unbound(A, pa, B->d.domain_id);
	CHECK_EQ(atomic_depth(), 0);
	free_xen_evtchn(&A->d, pa);
	check_closed(A, pa);
	evtchn_domain_destroy(&A->d);
	evtchn_domain_destroy(&CTL->d);
	CHECK_EQ(total_free_pages(), ec_free_at_start);
}

TEST(evtchn_xen_port_free)
{
	struct notified n = { 0 };
	long pa, pb, ports[NR_XEN_EVTCHNS], guest;

	ec_setup();
	pb = xen_connect(&n, &pa);
	free_xen_evtchn(&A->d, pa);
	check_closed(A, pa);
	check_unbound(B, pb, A->d.domain_id);
	CHECK(!xen_evtchn_is_bound(&A->d, pa));
	CHECK_EQ(ev_send(B, pb), 0); /* dropped: unbound */
	CHECK_EQ(n.calls, 0);
	notify_via_xen_evtchn(&A->d, pa);
	CHECK_EQ(B->upcalls[0], 0);
	/* Twice, or a port that is not the hypervisor's: nothing happens. */
	free_xen_evtchn(&A->d, pa);
	guest = alloc_unbound(A, DOMID_SELF, B->d.domain_id);
	free_xen_evtchn(&A->d, guest);
	free_xen_evtchn(&A->d, 0);
	free_xen_evtchn(&A->d, EVTCHN_MAX_PORTS + 5);
	check_unbound(A, guest, B->d.domain_id);
	CHECK(!xen_evtchn_is_bound(&A->d, guest));
	notify_via_xen_evtchn(&A->d, guest);
	/* NR_XEN_EVTCHNS per domain; a freed slot is used again. */
	for (unsigned int i = 0; i < NR_XEN_EVTCHNS; i++) {
		ports[i] = alloc_unbound_xen_evtchn(&A->d, DOMID_SELF,
						    xen_notify, &n);
		CHECK(ports[i] > 0);
	}
	CHECK_EQ(alloc_unbound_xen_evtchn(&A->d, 7, xen_notify, &n), -ENOSPC);
	free_xen_evtchn(&A->d, ports[2]);
	ports[2] = alloc_unbound_xen_evtchn(&A->d, 7, xen_notify, &n);
	CHECK(ports[2] > 0);
	/* DOMID_SELF named A: A's guest binds a loopback to it. */
	pb = ev_bind(A, DOMID_SELF, ports[0]);
	CHECK(pb > 0);
	CHECK_EQ(ev_send(A, pb), 0);
	CHECK_EQ(n.calls, 1);
	CHECK(n.sender == &A->v[0]);
	CHECK_EQ(n.port, ports[0]);
	CHECK(!ec_pending(A, ports[0]));
	CHECK_EQ(ev_close(A, pb), 0);
	/* Destroying A closes them all; a free afterwards is ignored. */
	pb = ev_bind(B, A->d.domain_id, ports[2]);
	CHECK(pb > 0);
	evtchn_domain_destroy(&A->d);
	check_unbound(B, pb, A->d.domain_id);
	free_xen_evtchn(&A->d, ports[2]);
	evtchn_domain_destroy(&B->d);
	evtchn_domain_destroy(&CTL->d);
	CHECK_EQ(total_free_pages(), ec_free_at_start);
}

struct send_arg {
	long port;
	long rc;
};

static void send_from_b(void *arg)
{
	struct send_arg *s = arg;

	memcpy(ec_guest_mem + ARG_GVA + 0x40, &s->port, sizeof(u32));
	s->rc = event_channel_op_under_test(
		&B->v[1], &(struct hypercall_args){
				  .a = { EVTCHNOP_send, ARG_GVA + 0x40 } });
}

static void free_a_port(void *arg)
{
	free_xen_evtchn(&A->d, *(long *)arg);
}

/* free_xen_evtchn() returns only once a running callback has returned. */
TEST(evtchn_xen_port_free_waits_for_notify)
{
	struct notified n = { .hold = true };
	struct send_arg s;
	pthread_t sender, freer;
	long pa;

	ec_setup();
	s.port = xen_connect(&n, &pa);
	sender = shim_thread_start(send_from_b, &s);
	while (!__atomic_load_n(&n.entered, __ATOMIC_SEQ_CST))
		usleep(1000);
	CHECK_EQ(n.running, 1);
	/* B's event lock is free while the callback runs. */
	CHECK_EQ(ev_status(B, DOMID_SELF, s.port, &(struct evtchn_status){}),
		 0);
	freer = shim_thread_start(free_a_port, &pa);
	usleep(50 * 1000);
	/* Closed already, but the call is not over: free waits. */
	check_closed(A, pa);
	CHECK(!__atomic_load_n(&n.returned, __ATOMIC_SEQ_CST));
	__atomic_store_n(&n.release, true, __ATOMIC_SEQ_CST);
	shim_thread_join(freer);
	CHECK(__atomic_load_n(&n.returned, __ATOMIC_SEQ_CST));
	shim_thread_join(sender);
	CHECK_EQ(s.rc, 0);
	CHECK_EQ(A->d.xen_evtchn_calls, 0);
	ec_destroy_all();
}

/* notify_via_xen_evtchn() may be called holding a p2m lock. */
TEST(evtchn_xen_port_notify_under_other_locks)
{
	static DEFINE_SPINLOCK(ring_lock, LR_P2M_RANGE);
	struct notified n = { 0 };
	long pa, pb;

	ec_setup();
	pb = xen_connect(&n, &pa);
	spin_lock(&ring_lock);
	notify_via_xen_evtchn(&A->d, pa);
	CHECK(xen_evtchn_is_bound(&A->d, pa));
	spin_unlock(&ring_lock);
	CHECK(ec_pending(B, pb));
	CHECK_EQ(atomic_depth(), 0);
	ec_destroy_all();
}
