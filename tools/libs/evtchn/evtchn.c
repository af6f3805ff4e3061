/* libxenevtchn over xen_os.h's event-channel delivery (xenevtchn.h). */
#include <errno.h>
#include <stdlib.h>

#include <xen_os.h>
#include <xenevtchn.h>

#include "../common/xen_errno.h"

struct xenevtchn_handle {
	struct xen_os_evtchn *os;
	/* The ports bound through the handle, ports[0..nr). */
	evtchn_port_t *ports;
	unsigned int nr, size;
};

xenevtchn_handle *xenevtchn_open(void *logger, unsigned int flags)
{
	xenevtchn_handle *xce;

	if (logger || flags) {
		errno = EINVAL;
		return NULL;
	}
	xce = calloc(1, sizeof(*xce));
	if (xce)
		xce->os = xen_os_evtchn_open();
	if (!xce || !xce->os) {
		free(xce);
		errno = ENOMEM;
		return NULL;
	}
	return xce;
}

static long evtchn_op(unsigned int cmd, void *arg)
{
	return xen_os_hypercall(__HYPERVISOR_event_channel_op, cmd,
				(unsigned long)arg, 0, 0, 0);
}

/* Close port (already detached from the handle): Xen's error or 0. */
static long close_port(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return evtchn_op(EVTCHNOP_close, &op);
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	if (!xce)
		return 0;
	for (unsigned int i = 0; i < xce->nr; i++) {
		xen_os_evtchn_detach(xce->os, xce->ports[i]);
		close_port(xce->ports[i]);
	}
	xen_os_evtchn_close(xce->os);
	free(xce->ports);
	free(xce);
	return 0;
}

/* The index of port in xce->ports, or -1 (errno EINVAL). */
static int find(const xenevtchn_handle *xce, evtchn_port_t port)
{
	for (unsigned int i = 0; i < xce->nr; i++)
		if (xce->ports[i] == port)
			return (int)i;
	errno = EINVAL;
	return -1;
}

/*
 * Take a port the hypervisor just gave the caller's domain into the
 * handle; on failure it is closed again.
 */
static xenevtchn_port_or_error_t adopt(xenevtchn_handle *xce,
				       evtchn_port_t port)
{
	long rc = 0;

	if (xce->nr == xce->size) {
		unsigned int size = xce->size ? 2 * xce->size : 8;
		evtchn_port_t *ports =
			realloc(xce->ports, size * sizeof(*ports));

		if (!ports)
			rc = -XEN_ENOMEM;
		else {
			xce->ports = ports;
			xce->size = size;
		}
	}
	if (!rc)
		rc = xen_os_evtchn_attach(xce->os, port);
	if (rc) {
		close_port(port);
		return (int)xen_rc_to_errno(rc);
	}
	xce->ports[xce->nr++] = port;
	return (int)port;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
						     uint32_t domid,
						     evtchn_port_t remote_port)
{
	struct evtchn_bind_interdomain op = { .remote_port = remote_port };

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	op.remote_dom = (uint16_t)domid;
	if (xen_rc_to_errno(evtchn_op(EVTCHNOP_bind_interdomain, &op)))
		return -1;
	return adopt(xce, op.local_port);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
						      uint32_t domid)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF };

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	op.remote_dom = (uint16_t)domid;
	if (xen_rc_to_errno(evtchn_op(EVTCHNOP_alloc_unbound, &op)))
		return -1;
	return adopt(xce, op.port);
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	int i = find(xce, port);

	if (i < 0)
		return -1;
	xce->ports[i] = xce->ports[--xce->nr];
	xen_os_evtchn_detach(xce->os, port);
	return (int)xen_rc_to_errno(close_port(port));
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	if (find(xce, port) < 0)
		return -1;
	return (int)xen_rc_to_errno(evtchn_op(EVTCHNOP_send, &op));
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	if (find(xce, port) < 0)
		return -1;
	return (int)xen_rc_to_errno(evtchn_op(EVTCHNOP_unmask, &op));
}

/* The next queued port, waiting at most timeout_ns; err when none. */
static xenevtchn_port_or_error_t next(xenevtchn_handle *xce,
				      uint64_t timeout_ns, int err)
{
	int rc = xen_os_evtchn_wait(xce->os, timeout_ns);

	if (rc == -XEN_ETIMEDOUT) {
		errno = err;
		return -1;
	}
	return (int)xen_rc_to_errno(rc);
}

xenevtchn_port_or_error_t xenevtchn_wait(xenevtchn_handle *xce, int timeout_ms)
{
	uint64_t ns = timeout_ms < 0 ? UINT64_MAX :
				       (uint64_t)timeout_ms * 1000000;

	return next(xce, ns, ETIMEDOUT);
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	return next(xce, 0, EAGAIN);
}
