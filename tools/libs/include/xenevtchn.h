/*
 * libxenevtchn: event channels for a tool, with libxenevtchn's names. A
 * port bound through a handle has its events queued on that handle: when
 * the port fires it is masked and queued, and it stays masked (further
 * sends are kept pending, not queued again) until the tool has handled it
 * and calls xenevtchn_unmask(), as with Linux's /dev/xen/evtchn.
 *
 * There is no file descriptor to poll: a thread waits for the next port
 * in xenevtchn_wait(), and xenevtchn_pending() takes one without waiting.
 * One thread at a time may wait on a handle.
 *
 * Errors, as libxc: -1 with errno set to the hypervisor's error mapped by
 * name; EINVAL for a port that was not bound through the handle.
 */
#ifndef TOOLS_XENEVTCHN_H
#define TOOLS_XENEVTCHN_H

#include <stdint.h>

#include <public/event_channel.h>

typedef struct xenevtchn_handle xenevtchn_handle;
/* A port (>= 1), or -1 with errno. */
typedef int xenevtchn_port_or_error_t;

/*
 * A handle for the other calls; logger must be NULL and flags 0 (EINVAL
 * otherwise). ENOMEM: no memory for it.
 */
xenevtchn_handle *xenevtchn_open(void *logger, unsigned int flags);
/*
 * Close every port still bound through the handle, then free it (NULL:
 * nothing). No thread may be waiting on it. Returns 0.
 */
int xenevtchn_close(xenevtchn_handle *xce);

/*
 * A new port of the caller's domain connected to remote_port of domain
 * domid (an unbound port that domid allowed the caller to bind). The new
 * port fires once at once, as in Xen (domid may have sent before the
 * binding): the first xenevtchn_pending() returns it. ESRCH: no such
 * domain; EINVAL: remote_port is not an unbound port for the caller;
 * ENOSPC: no port left.
 */
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
						     uint32_t domid,
						     evtchn_port_t remote_port);
/*
 * A new unbound port of the caller's domain, that domain domid may bind
 * (with bind_interdomain; domid need not exist yet). ESRCH: domid is no
 * domain id; ENOSPC.
 */
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
						      uint32_t domid);
/* Close port: it no longer fires, and its queued events are dropped. */
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
/* Send an event on port (to the domain at its other end). */
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);

/*
 * The next port that fired, taken off the queue; waits for one at most
 * timeout_ms milliseconds (negative: for ever, 0: not at all). Other
 * threads run while this one waits. ETIMEDOUT: none came.
 */
xenevtchn_port_or_error_t xenevtchn_wait(xenevtchn_handle *xce, int timeout_ms);
/* The next port that fired, without waiting. EAGAIN: none has. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
/* Let port fire again (after its event was handled). */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);

#endif
