/*
 * libxenevtchn through the in-process transport: channels between the
 * control domain (d1) and d2 "guest", whose side is made with its own
 * event_channel_op calls (world_hypercall_as()). Events queue on the
 * handle masked, further sends wait behind the mask until unmask, a
 * thread blocks in xenevtchn_wait() until the guest sends, and ports go
 * with unbind and close.
 *
 * Binding an interdomain port makes it pending once (as in Xen: the other
 * end may have sent before): bind() takes that first event.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>
#include <xenevtchn.h>

#include <public/errno.h>
#include <public/xen.h>
#include <xen_os.h>

#include "check_errno.h"
#include "harness.h"
#include "shim.h"
#include "world.h"

#define GUEST 2
#define DOMID_NONE 9

/* The guest's event_channel_op cmd on arg: Xen's result. */
static long guest_op(unsigned int cmd, void *arg)
{
	return world_hypercall_as(GUEST, 0, __HYPERVISOR_event_channel_op, cmd,
				  (unsigned long)arg);
}

/* A port of the guest's, unbound, that the control domain may bind. */
static evtchn_port_t guest_unbound(void)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = WORLD_DOM0 };

	CHECK_EQ(guest_op(EVTCHNOP_alloc_unbound, &op), 0);
	return op.port;
}

static void guest_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	CHECK_EQ(guest_op(EVTCHNOP_send, &op), 0);
}

/* The status of the control domain's port. */
static uint32_t dom0_status(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_event_channel_op,
				  EVTCHNOP_status, (unsigned long)&st, 0, 0, 0),
		 0);
	return st.status;
}

/* The control domain's end of a new channel to the guest's remote. */
static int bind(xenevtchn_handle *xce, evtchn_port_t remote)
{
	int port = xenevtchn_bind_interdomain(xce, GUEST, remote);

	CHECK(port > 0);
	CHECK_EQ(xenevtchn_pending(xce), port);
	CHECK_EQ(xenevtchn_unmask(xce, port), 0);
	return port;
}

static xenevtchn_handle *setup(void)
{
	xenevtchn_handle *xce;

	world_init();
	world_guest(GUEST, "guest", 0x100, 1);
	xce = xenevtchn_open(NULL, 0);
	CHECK(xce);
	return xce;
}

TEST(evtchn_open_refuses_logger_and_flags)
{
	int dummy;

	CHECK_NULL_ERRNO(xenevtchn_open(&dummy, 0), EINVAL);
	CHECK_NULL_ERRNO(xenevtchn_open(NULL, 1), EINVAL);
	CHECK_EQ(xenevtchn_close(NULL), 0);
}

TEST(evtchn_interdomain_pending_mask_unmask)
{
	xenevtchn_handle *xce = setup();
	evtchn_port_t remote = guest_unbound();
	int port = xenevtchn_bind_interdomain(xce, GUEST, remote);

	CHECK(port > 0);
	CHECK_EQ(dom0_status(port), EVTCHNSTAT_interdomain);
	/* The binding's own event. */
	CHECK_EQ(xenevtchn_pending(xce), port);
	CHECK_EQ(xenevtchn_unmask(xce, port), 0);
	CHECK_ERRNO(xenevtchn_pending(xce), EAGAIN);

	guest_send(remote);
	CHECK_EQ(xenevtchn_pending(xce), port);
	CHECK_ERRNO(xenevtchn_pending(xce), EAGAIN);
	/* Masked until unmasked: a second send waits behind the mask... */
	guest_send(remote);
	guest_send(remote);
	CHECK_EQ(xenevtchn_pending(xce), -1);
	/* ... and arrives, once, when the tool is ready for it. */
	CHECK_EQ(xenevtchn_unmask(xce, port), 0);
	CHECK_EQ(xenevtchn_pending(xce), port);
	CHECK_EQ(xenevtchn_pending(xce), -1);
	CHECK_EQ(xenevtchn_unmask(xce, port), 0);
	CHECK_EQ(xenevtchn_pending(xce), -1);
	guest_send(remote);
	CHECK_EQ(xenevtchn_wait(xce, 0), port);
	CHECK_EQ(xenevtchn_close(xce), 0);
}

TEST(evtchn_unbound_port_notify_reaches_guest)
{
	xenevtchn_handle *xce = setup();
	int port = xenevtchn_bind_unbound_port(xce, GUEST);
	struct evtchn_bind_interdomain bind = { .remote_dom = WORLD_DOM0 };

	CHECK(port > 0);
	CHECK_EQ(dom0_status(port), EVTCHNSTAT_unbound);
	bind.remote_port = (evtchn_port_t)port;
	CHECK_EQ(guest_op(EVTCHNOP_bind_interdomain, &bind), 0);
	CHECK(world_port_take(GUEST, bind.local_port)); /* the binding's */
	CHECK(!world_port_take(GUEST, bind.local_port));
	CHECK_EQ(xenevtchn_notify(xce, port), 0);
	CHECK(world_port_take(GUEST, bind.local_port));
	/* The guest's send comes back the other way. */
	guest_send(bind.local_port);
	CHECK_EQ(xenevtchn_pending(xce), port);
	xenevtchn_close(xce);
}

TEST(evtchn_bind_errors)
{
	xenevtchn_handle *xce = setup();
	evtchn_port_t remote = guest_unbound();

	CHECK_ERRNO(xenevtchn_bind_interdomain(xce, DOMID_NONE, remote), ESRCH);
	/* Not an unbound port of the guest's. */
	CHECK_ERRNO(xenevtchn_bind_interdomain(xce, GUEST, remote + 1), EINVAL);
	CHECK_ERRNO(xenevtchn_bind_unbound_port(xce, 0x10000), ESRCH);
	/* The port that was refused a binding can still be bound. */
	bind(xce, remote);
	xenevtchn_close(xce);
}

TEST(evtchn_ports_of_other_handles_refused)
{
	xenevtchn_handle *xce = setup();
	xenevtchn_handle *other = xenevtchn_open(NULL, 0);
	int port = bind(xce, guest_unbound());

	CHECK_ERRNO(xenevtchn_notify(other, port), EINVAL);
	CHECK_ERRNO(xenevtchn_unmask(other, port), EINVAL);
	CHECK_ERRNO(xenevtchn_unbind(other, port), EINVAL);
	CHECK_EQ(dom0_status(port), EVTCHNSTAT_interdomain);
	xenevtchn_close(other);
	CHECK_EQ(dom0_status(port), EVTCHNSTAT_interdomain);
	xenevtchn_close(xce);
}

TEST(evtchn_unbind_closes_and_drops_queued)
{
	xenevtchn_handle *xce = setup();
	evtchn_port_t remote = guest_unbound();
	int port = bind(xce, remote);

	guest_send(remote);
	CHECK_EQ(xenevtchn_unbind(xce, port), 0);
	CHECK_EQ(dom0_status(port), EVTCHNSTAT_closed);
	CHECK_EQ(xenevtchn_pending(xce), -1);
	CHECK_ERRNO(xenevtchn_unbind(xce, port), EINVAL);
	CHECK_ERRNO(xenevtchn_notify(xce, port), EINVAL);
	xenevtchn_close(xce);
}

TEST(evtchn_close_closes_every_port)
{
	xenevtchn_handle *xce = setup();
	int ports[10];

	for (unsigned int i = 0; i < 10; i++) {
		ports[i] =
			xenevtchn_bind_interdomain(xce, GUEST, guest_unbound());
		CHECK(ports[i] > 0);
		/* Its event stays queued: close drops it. */
	}
	CHECK_EQ(xenevtchn_close(xce), 0);
	for (unsigned int i = 0; i < 10; i++)
		CHECK_EQ(dom0_status(ports[i]), EVTCHNSTAT_closed);
}

TEST(evtchn_wait_times_out)
{
	xenevtchn_handle *xce = setup();
	struct timespec a, b;
	long ms;

	bind(xce, guest_unbound());
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_ERRNO(xenevtchn_wait(xce, 50), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	CHECK(ms >= 50);
	xenevtchn_close(xce);
}

struct waiter {
	xenevtchn_handle *xce;
	int port;
	bool waiting;
};

static void wait_for_port(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->waiting, true, __ATOMIC_SEQ_CST);
	w->port = xenevtchn_wait(w->xce, -1);
}

TEST(evtchn_wait_blocks_until_guest_sends)
{
	struct waiter w = { .xce = setup(), .port = 0 };
	evtchn_port_t remote = guest_unbound();
	int port = bind(w.xce, remote);
	pthread_t t = shim_thread_start(wait_for_port, &w);

	while (!__atomic_load_n(&w.waiting, __ATOMIC_SEQ_CST))
		sched_yield();
	/* Still waiting a moment later: nothing was sent. */
	nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	CHECK_EQ(__atomic_load_n(&w.port, __ATOMIC_SEQ_CST), 0);
	guest_send(remote);
	shim_thread_join(t);
	CHECK_EQ(w.port, port);
	xenevtchn_close(w.xce);
}

/* The guest's side of a channel, on a thread (a CPU) of its own. */
struct guest_side {
	evtchn_port_t port; /* the guest's end */
	unsigned int rounds;
	unsigned long sent; /* sends done (atomic) */
};

/* Send, wait for the control domain's answer, again. */
static void ping(void *arg)
{
	struct guest_side *g = arg;

	for (unsigned int i = 0; i < g->rounds; i++) {
		guest_send(g->port);
		while (!world_port_take(GUEST, g->port))
			sched_yield();
	}
}

/* Each send is delivered once, answered, and the next one comes. */
TEST(evtchn_ping_pong_threads)
{
	xenevtchn_handle *xce = setup();
	struct guest_side g = { .port = guest_unbound(), .rounds = 2000 };
	int port = bind(xce, g.port);
	pthread_t t;

	/* The guest's binding-time event is the control domain's doing. */
	CHECK(!world_port_take(GUEST, g.port));
	t = shim_thread_start(ping, &g);
	for (unsigned int i = 0; i < g.rounds; i++) {
		CHECK_EQ(xenevtchn_wait(xce, 5000), port);
		CHECK_ERRNO(xenevtchn_pending(xce), EAGAIN);
		CHECK_EQ(xenevtchn_unmask(xce, port), 0);
		CHECK_EQ(xenevtchn_notify(xce, port), 0);
	}
	shim_thread_join(t);
	CHECK_ERRNO(xenevtchn_wait(xce, 10), ETIMEDOUT);
	xenevtchn_close(xce);
}

/* Send as fast as the hypervisor takes them, counting each first. */
static void flood(void *arg)
{
	struct guest_side *g = arg;

	for (unsigned int i = 0; i < g->rounds; i++) {
		__atomic_store_n(&g->sent, i + 1, __ATOMIC_SEQ_CST);
		guest_send(g->port);
	}
}

/*
 * Sends racing the handler's unmask are coalesced, never lost: every send
 * counted after a delivery was taken is followed by another delivery, so
 * the handler sees the last count without ever waiting in vain.
 */
TEST(evtchn_no_lost_event_threads)
{
	xenevtchn_handle *xce = setup();
	struct guest_side g = { .port = guest_unbound(), .rounds = 20000 };
	int port = bind(xce, g.port);
	unsigned long handled = 0, deliveries = 0;
	pthread_t t = shim_thread_start(flood, &g);

	while (handled < g.rounds) {
		CHECK_EQ(xenevtchn_wait(xce, 5000), port);
		deliveries++;
		handled = __atomic_load_n(&g.sent, __ATOMIC_SEQ_CST);
		CHECK_EQ(xenevtchn_unmask(xce, port), 0);
	}
	shim_thread_join(t);
	CHECK(deliveries <= g.rounds);
	xenevtchn_close(xce);
}

/*
 * The transport: a port that fired before it was attached (here by its
 * binding) is queued when it is.
 */
TEST(evtchn_transport_event_before_attach)
{
	struct evtchn_bind_interdomain bind = { .remote_dom = GUEST };
	struct xen_os_evtchn *h;

	xenevtchn_close(setup());
	h = xen_os_evtchn_open();
	CHECK(h);
	bind.remote_port = guest_unbound();
	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_event_channel_op,
				  EVTCHNOP_bind_interdomain,
				  (unsigned long)&bind, 0, 0, 0),
		 0);
	CHECK_EQ(xen_os_evtchn_wait(h, 0), -XEN_ETIMEDOUT);
	CHECK_EQ(xen_os_evtchn_attach(h, bind.local_port), 0);
	CHECK_EQ(xen_os_evtchn_wait(h, 0), (int)bind.local_port);
	xen_os_evtchn_detach(h, bind.local_port);
	xen_os_evtchn_close(h);
}
