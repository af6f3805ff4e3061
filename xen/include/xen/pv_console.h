/*
 * A domain's PV console (docs/hypercalls.md, "The PV console"): a ring
 * page of the domain's (public/io/console.h) at HVM_PARAM_CONSOLE_PFN
 * and a port, HVM_PARAM_CONSOLE_EVTCHN, whose other end the hypervisor
 * serves. What the guest writes to the output ring goes to its "(dN)"
 * console lines; serial input for the control domain goes to its input
 * ring once it has used the ring.
 */
#ifndef XEN_PV_CONSOLE_H
#define XEN_PV_CONSOLE_H

#include <xen/spinlock.h>
#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct page_info;
struct xencons_interface;

struct pv_console {
	struct page_info *pg; /* the ring page, referenced; NULL: none */
	struct xencons_interface *ring;
	evtchn_port_t xen_port; /* the hypervisor's end */
	/*
	 * The hypervisor's own indexes (the page's copies are the guest's
	 * to scribble on): out_cons under out_lock, in_prod by the console
	 * input poll only.
	 */
	spinlock_t out_lock;
	u32 out_cons, in_prod;
	/* The guest has sent on the port: it reads the ring. */
	bool active;
	/* pv_console_attach() took it (atomic). */
	bool attached;
	/* Corrupt indexes were reported (once per domain). */
	bool reported;
};

/*
 * Give d a console ring at gfn (a free gfn of its p2m): a new page of
 * d's, then pv_console_attach(). 0 or -errno.
 */
int pv_console_setup(struct domain *d, unsigned long gfn);
/*
 * Serve the ring in d's page at gfn (the toolstack's, when it sets
 * HVM_PARAM_CONSOLE_PFN): a reference on the page, the port pair, the two
 * HVM params. 0; -EBUSY (d has a ring), -EINVAL (gfn is not d's writable
 * RAM), -ENOSPC or -ENOMEM (no port). No event lock may be held.
 */
int pv_console_attach(struct domain *d, unsigned long gfn);
/* Drop the ring page's reference (d's ports are closed already). */
void pv_console_destroy(struct domain *d);
/*
 * Move console input into d's input ring if d reads it (true), else
 * false. From the console input poll (CPU0, interrupts off).
 */
bool pv_console_input(struct domain *d);

#endif
