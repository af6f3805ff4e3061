/*
 * A domain's vm_event ring in paging mode (common/vm_event.c): how the
 * hypervisor asks the pager for a gfn and hears back. docs/paging.md has
 * the protocol; public/vm_event.h the layout.
 *
 * Slots: a request is put in two steps. vm_event_claim_slot() reserves
 * room, and may sleep (only a vCPU of the domain itself waits; any other
 * caller gets -EBUSY, or -ENODEV when there is no ring). The claimer then
 * takes the gfn's lock, checks the gfn again and either fills the slot
 * (vm_event_put_request(), which may be called holding a range lock) or
 * gives it back (vm_event_cancel_slot()). A slot is claimed on one ring
 * (its generation): if that ring went meanwhile, put fails with -ENODEV
 * and the caller undoes what it did for the request, so no request is
 * lost and none is sent twice.
 */
#ifndef XEN_VM_EVENT_H
#define XEN_VM_EVENT_H

#include <xen/types.h>
#include <public/domctl.h>
#include <public/vm_event.h>

struct domain;
struct vcpu;

int vm_event_claim_slot(struct domain *d, bool may_sleep, unsigned long *gen);
void vm_event_cancel_slot(struct domain *d, unsigned long gen);
int vm_event_put_request(struct domain *d, unsigned long gen,
			 const vm_event_request_t *req);
/* Tell the pager there are requests (no lock held). */
void vm_event_notify(struct domain *d);

/*
 * Read the pager's responses: each frees its slot and wakes the domain's
 * waiters. -ENODEV without a ring, -EINVAL if the pager's producer index
 * is out of range (nothing is read then).
 */
long vm_event_resume(struct domain *d);

/* Wake d's vCPUs waiting for a slot or a gfn (after the state changed). */
void paging_wake(struct domain *d);

/* XEN_DOMCTL_vm_event_op by the control domain's vCPU v on d. */
long vm_event_domctl(struct vcpu *v, struct domain *d,
		     struct xen_domctl_vm_event_op *op);

/*
 * dead is being destroyed (the reaper): its own ring goes (the pager is
 * told), and so does every ring whose pager it was (the guests' waiters
 * keep waiting for the next pager). Logs dead's paging counts.
 */
void vm_event_domain_gone(struct domain *dead);

#endif
