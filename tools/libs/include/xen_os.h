/*
 * What the tool libraries (libxenctrl, libxenforeignmemory, libxenevtchn)
 * need from the system they run on, and nothing more. Two systems provide
 * it:
 *
 *   tools/minios         dom0: a hypercall is the vmcall/vmmcall through
 *                        the hypercall page, foreign frames are mapped
 *                        into dom0's own physmap, event channels arrive as
 *                        upcalls and a waiting thread sleeps;
 *   tests/unit (host)    the in-process transport: a hypercall calls the
 *                        hypervisor's own sources with a control domain's
 *                        vCPU as the caller, so the libraries, xl and the
 *                        pager get sanitiser-checked tests.
 *
 * Buffers passed to hypercalls are plain pointers of the caller's: both
 * systems read them where they are (dom0 maps its memory 1:1).
 *
 * Every function returns 0 or a value on success and a negative Xen
 * error number (-XEN_ESRCH, ...; public/errno.h) on failure; the libraries turn that into
 * -1 and errno, as libxc does.
 */
#ifndef TOOLS_XEN_OS_H
#define TOOLS_XEN_OS_H

#include <stdint.h>

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/xen.h>

/* Hypercall op with up to five arguments: what the hypervisor returned. */
long xen_os_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5);

/*
 * Map nr frames of domain dom, gfns[0..nr), at consecutive pages of the
 * caller's address space. errs[i] is 0 or the error of page i (-XEN_ENOENT:
 * paged out or not populated, try again; -EINVAL ...); a page that failed
 * reads as nothing useful but its address stays reserved. Returns the
 * address, or NULL with *rc set when nothing could be mapped at all.
 */
void *xen_os_map_foreign(domid_t dom, const uint64_t *gfns, int *errs,
			 unsigned int nr, int *rc);
/* Undo a map_foreign of nr pages at addr; its frames' references go. */
int xen_os_unmap_foreign(void *addr, unsigned int nr);

/*
 * Event channels delivered to a waiter, as /dev/xen/evtchn does for a
 * Linux process. A port attached to a handle has its events queued on
 * that handle (the port is masked when it fires, and stays masked until
 * the library unmasks it); one thread at a time waits on a handle.
 */
struct xen_os_evtchn;

struct xen_os_evtchn *xen_os_evtchn_open(void);
void xen_os_evtchn_close(struct xen_os_evtchn *h);
int xen_os_evtchn_attach(struct xen_os_evtchn *h, evtchn_port_t port);
void xen_os_evtchn_detach(struct xen_os_evtchn *h, evtchn_port_t port);
/*
 * The next port that fired (removed from the queue), waiting at most
 * timeout_ns (0: do not wait; UINT64_MAX: for ever): -XEN_ETIMEDOUT if none.
 * Other threads run while this one waits.
 */
int xen_os_evtchn_wait(struct xen_os_evtchn *h, uint64_t timeout_ns);

#endif
