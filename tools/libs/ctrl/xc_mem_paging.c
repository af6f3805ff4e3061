/*
 * libxenctrl: the pager's calls (docs/paging.md): the paging ring's
 * vm_event domctl and memory_op XENMEM_paging_op on a gfn of the target.
 */
#include <errno.h>

#include "xc_private.h"

static int vm_event_op(xc_interface *xch, uint32_t domid, uint32_t op,
		       struct xen_domctl *dc)
{
	dc->u.vm_event_op.op = op;
	dc->u.vm_event_op.mode = XEN_DOMCTL_VM_EVENT_OP_PAGING;
	return xc_domctl(xch, XEN_DOMCTL_vm_event_op, domid, dc);
}

int xc_mem_paging_enable(xc_interface *xch, uint32_t domid, uint32_t *port)
{
	struct xen_domctl dc = { 0 };

	if (!port) {
		errno = EINVAL;
		return -1;
	}
	if (vm_event_op(xch, domid, XEN_VM_EVENT_ENABLE, &dc))
		return -1;
	*port = dc.u.vm_event_op.u.enable.port;
	return 0;
}

int xc_mem_paging_disable(xc_interface *xch, uint32_t domid)
{
	struct xen_domctl dc = { 0 };

	return vm_event_op(xch, domid, XEN_VM_EVENT_DISABLE, &dc);
}

int xc_mem_paging_resume(xc_interface *xch, uint32_t domid)
{
	struct xen_domctl dc = { 0 };

	return vm_event_op(xch, domid, XEN_VM_EVENT_RESUME, &dc);
}

int xc_mem_paging_get_version(xc_interface *xch, uint32_t domid,
			      uint32_t *version)
{
	struct xen_domctl dc = { 0 };

	if (vm_event_op(xch, domid, XEN_VM_EVENT_GET_VERSION, &dc))
		return -1;
	*version = dc.u.vm_event_op.u.version;
	return 0;
}

/* One paging_op on gfn of domid, with the page's bytes for prep. */
static int paging_op(uint32_t domid, uint8_t op, uint64_t gfn, void *buffer)
{
	struct xen_mem_paging_op arg = { .op = op, .gfn = gfn };

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	arg.domain = (domid_t)domid;
	set_xen_guest_handle(arg.buffer, (uint8_t *)buffer);
	return (int)xc_hypercall2(__HYPERVISOR_memory_op, XENMEM_paging_op,
				  &arg);
}

int xc_mem_paging_nominate(xc_interface *xch, uint32_t domid, uint64_t gfn)
{
	return paging_op(domid, XENMEM_paging_op_nominate, gfn, NULL);
}

int xc_mem_paging_evict(xc_interface *xch, uint32_t domid, uint64_t gfn)
{
	return paging_op(domid, XENMEM_paging_op_evict, gfn, NULL);
}

int xc_mem_paging_prep(xc_interface *xch, uint32_t domid, uint64_t gfn)
{
	return paging_op(domid, XENMEM_paging_op_prep, gfn, NULL);
}

int xc_mem_paging_load(xc_interface *xch, uint32_t domid, uint64_t gfn,
		       void *buffer)
{
	/* NULL would be the prep that the hypervisor refuses: say so here. */
	if (!buffer) {
		errno = EINVAL;
		return -1;
	}
	return paging_op(domid, XENMEM_paging_op_prep, gfn, buffer);
}

int xc_mem_paging_populate_evicted(xc_interface *xch, uint32_t domid,
				   const xen_pfn_t *gfns, unsigned long nr,
				   unsigned long *failed)
{
	struct xen_mem_paging_batch arg = {
		.op = XENMEM_paging_op_populate_evicted,
		.nr = nr,
	};
	int rc;

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	arg.domain = (domid_t)domid;
	/* xen_pfn_t is the ABI's 64-bit gfn; the hypervisor only reads it. */
	set_xen_guest_handle(arg.gfns, (uint64_t *)gfns);
	/* A continuation re-enters below the library, as in Xen's privcmd. */
	rc = (int)xc_hypercall2(__HYPERVISOR_memory_op, XENMEM_paging_op, &arg);
	/* Written by the hypervisor only for a gfn it could not page. */
	if (rc && failed)
		*failed = arg.nr;
	return rc;
}

int xc_mem_paging_accessed(xc_interface *xch, uint32_t domid,
			   uint64_t first_gfn, uint32_t nr, uint8_t *bitmap)
{
	struct xen_mem_paging_accessed arg = {
		.op = XENMEM_paging_op_accessed,
		.nr = nr,
		.gfn = first_gfn,
	};

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	arg.domain = (domid_t)domid;
	set_xen_guest_handle(arg.bitmap, bitmap);
	return (int)xc_hypercall2(__HYPERVISOR_memory_op, XENMEM_paging_op,
				  &arg);
}
