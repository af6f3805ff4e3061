/*
 * The pager's end of a domain's paging ring (public/vm_event.h,
 * docs/paging.md), on libxenctrl, libxenforeignmemory and libxenevtchn.
 * Xen's libxc keeps such a helper private (xc_vm_event_enable) and each
 * tool serves the ring itself; here the library does both.
 *
 * A ring is opened on a target domain: its HVM_PARAM_PAGING_RING_PFN gfn
 * is populated if it is not yet, mapped through the caller's foreign
 * memory handle, given to the hypervisor (xc_mem_paging_enable(), which
 * takes it out of the target's physmap) and its port bound through the
 * caller's event channel handle. Then:
 *
 *   - wait for the port (xenevtchn_wait() or _pending() on the handle
 *     given, then xenevtchn_unmask()): the hypervisor sends when it puts
 *     requests; the port also fires once right after the open, as every
 *     interdomain binding does;
 *   - take every request with xc_vm_event_get_request(), handle it (for a
 *     page-in: xc_mem_paging_load() the gfn), put one response for each
 *     with xc_vm_event_put_response() (notices too: a request keeps its
 *     slot until it is answered);
 *   - xc_vm_event_notify(): the responses are published and the
 *     hypervisor reads them.
 *
 * Errors, as libxc: -1 (NULL for the open) with errno set. A ring is used
 * by one thread at a time.
 */
#ifndef TOOLS_XENVMEVENT_H
#define TOOLS_XENVMEVENT_H

#include <stdint.h>

#include <public/event_channel.h>
#include <public/vm_event.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

typedef struct xc_vm_event_ring xc_vm_event_ring;

/*
 * Open domid's paging ring through the three handles (which must stay
 * open until xc_vm_event_ring_close()). Errors: those of
 * xc_hvm_param_get(), xc_domain_populate_physmap(),
 * xenforeignmemory_map(), xc_mem_paging_enable() (EBUSY: the domain has a
 * ring already) and xenevtchn_bind_interdomain(); EINVAL: the parameter
 * is not set; EOPNOTSUPP: the hypervisor speaks another vm_event version;
 * ENOMEM. On error nothing is left behind: no ring, no mapping, no port.
 */
xc_vm_event_ring *xc_vm_event_ring_open(xc_interface *xch,
					xenforeignmemory_handle *fmem,
					xenevtchn_handle *xce, uint32_t domid);
/* The ring's port as bound through the event channel handle. */
evtchn_port_t xc_vm_event_ring_port(const xc_vm_event_ring *ring);
/*
 * The next request into *req: 1, or 0 if there is none (the hypervisor
 * is then asked to send on the port when it puts the next one). -1 with
 * EIO if the ring is corrupt (more requests than it holds).
 */
int xc_vm_event_get_request(xc_vm_event_ring *ring, vm_event_request_t *req);
/*
 * Put *rsp on the ring, not yet published (xc_vm_event_notify()). ENOSPC:
 * every request taken has its response already.
 */
int xc_vm_event_put_response(xc_vm_event_ring *ring,
			     const vm_event_response_t *rsp);
/*
 * Publish the responses put since the last call and send on the port, so
 * that the hypervisor reads them; nothing to publish: nothing is sent.
 * Errors: xenevtchn_notify()'s.
 */
int xc_vm_event_notify(xc_vm_event_ring *ring);
/*
 * Take the ring away (xc_mem_paging_disable(): requests not answered are
 * asked again of the next pager), unbind the port, unmap the page and
 * free ring (NULL: nothing). All of it is done whatever fails; -1 with
 * the first error. A target already gone (ESRCH) took its ring with it:
 * no error.
 */
int xc_vm_event_ring_close(xc_vm_event_ring *ring);

#endif
