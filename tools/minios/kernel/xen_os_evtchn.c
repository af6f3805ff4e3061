/*
 * xen_os.h's event channels: a handle queues the ports attached to it as
 * they fire, as /dev/xen/evtchn does. A port that fires is masked and
 * queued once (it stays masked until the library unmasks it, so it cannot
 * be queued twice); its handle's waiter is woken. The queue is a list
 * threaded through next[], by port; interrupts are off while it changes.
 */
#include <stdlib.h>

#include <xen_os.h>

#include <minios/arch.h>
#include <minios/evtchn.h>
#include <minios/time.h>
#include <minios/waitq.h>

#define NO_PORT 0 /* port 0 is never allocated */

struct xen_os_evtchn {
	evtchn_port_t head, tail;
	struct waitq wq;
};

static struct xen_os_evtchn *owner[EVTCHN_NR_PORTS];
static evtchn_port_t next[EVTCHN_NR_PORTS];
static bool queued[EVTCHN_NR_PORTS];

static void fired(evtchn_port_t port, void *arg)
{
	struct xen_os_evtchn *h = arg;

	evtchn_mask(port);
	if (!queued[port]) {
		queued[port] = true;
		next[port] = NO_PORT;
		if (h->tail)
			next[h->tail] = port;
		else
			h->head = port;
		h->tail = port;
	}
	waitq_wake_all(&h->wq);
}

static void dequeue(struct xen_os_evtchn *h, evtchn_port_t port)
{
	evtchn_port_t prev = NO_PORT;

	for (evtchn_port_t p = h->head; p; prev = p, p = next[p]) {
		if (p != port)
			continue;
		if (prev)
			next[prev] = next[p];
		else
			h->head = next[p];
		if (h->tail == p)
			h->tail = prev;
		queued[p] = false;
		return;
	}
}

struct xen_os_evtchn *xen_os_evtchn_open(void)
{
	struct xen_os_evtchn *h = calloc(1, sizeof(*h));

	if (h)
		waitq_init(&h->wq);
	return h;
}

int xen_os_evtchn_attach(struct xen_os_evtchn *h, evtchn_port_t port)
{
	unsigned long flags;

	if (port == NO_PORT || port >= EVTCHN_NR_PORTS)
		return -XEN_EINVAL;
	flags = irq_save();
	if (owner[port]) {
		irq_restore(flags);
		return -XEN_EBUSY;
	}
	owner[port] = h;
	irq_restore(flags);
	evtchn_set_handler(port, fired, h);
	return 0;
}

void xen_os_evtchn_detach(struct xen_os_evtchn *h, evtchn_port_t port)
{
	unsigned long flags;

	if (port >= EVTCHN_NR_PORTS)
		return;
	flags = irq_save();
	if (owner[port] == h) {
		evtchn_clear_handler(port);
		owner[port] = NULL;
		dequeue(h, port);
	}
	irq_restore(flags);
}

void xen_os_evtchn_close(struct xen_os_evtchn *h)
{
	if (!h)
		return;
	for (evtchn_port_t port = 1; port < EVTCHN_NR_PORTS; port++)
		xen_os_evtchn_detach(h, port);
	free(h);
}

int xen_os_evtchn_wait(struct xen_os_evtchn *h, uint64_t timeout_ns)
{
	uint64_t deadline = 0;
	unsigned long flags;
	evtchn_port_t port;

	if (timeout_ns && timeout_ns != UINT64_MAX)
		deadline = now_ns() + timeout_ns;
	flags = irq_save();
	while (!h->head) {
		if (!timeout_ns ||
		    (!waitq_sleep(&h->wq, deadline) && !h->head)) {
			irq_restore(flags);
			return -XEN_ETIMEDOUT;
		}
	}
	port = h->head;
	dequeue(h, port);
	irq_restore(flags);
	return port;
}
