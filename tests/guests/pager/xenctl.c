#include <xtf.h>

#include "xenctl.h"

long domctl_version(uint32_t cmd, uint32_t version, domid_t dom,
		    struct xen_domctl *d)
{
	d->cmd = cmd;
	d->interface_version = version;
	d->domain = dom;
	return hypercall3(__HYPERVISOR_domctl, (uintptr_t)d, 0, 0);
}

long domctl(uint32_t cmd, domid_t dom, struct xen_domctl *d)
{
	return domctl_version(cmd, XEN_DOMCTL_INTERFACE_VERSION, dom, d);
}

long vm_event_op(domid_t dom, uint32_t op, uint32_t *out)
{
	struct xen_domctl d = { .u.vm_event_op = {
					.op = op,
					.mode = XEN_DOMCTL_VM_EVENT_OP_PAGING,
				} };
	long rc = domctl(XEN_DOMCTL_vm_event_op, dom, &d);

	if (!rc && out)
		*out = op == XEN_VM_EVENT_ENABLE ?
			       d.u.vm_event_op.u.enable.port :
			       d.u.vm_event_op.u.version;
	return rc;
}

long paging_op(uint8_t op, domid_t dom, uint64_t gfn, uintptr_t buffer)
{
	struct xen_mem_paging_op p = {
		.op = op,
		.domain = dom,
		.gfn = gfn,
	};

	set_xen_guest_handle(p.buffer, (uint8_t *)buffer);

	return hypercall_memory_op(XENMEM_paging_op, &p);
}

long populate_evicted(domid_t dom, uint64_t *gfns, uint64_t *nr)
{
	struct xen_mem_paging_batch b = {
		.op = XENMEM_paging_op_populate_evicted,
		.domain = dom,
		.nr = *nr,
	};
	long rc;

	set_xen_guest_handle(b.gfns, gfns);
	rc = hypercall_memory_op(XENMEM_paging_op, &b);
	if (rc)
		*nr = b.nr;
	return rc;
}

long foreign_map(domid_t dom, uint32_t gfn, uint32_t at, int32_t *err)
{
	struct compat_add_to_physmap_batch b = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn_foreign,
		.size = 1,
		.u.foreign_domid = dom,
	};

	set_compat_handle(b.idxs, &gfn);
	set_compat_handle(b.gpfns, &at);
	set_compat_handle(b.errs, err);
	*err = 0;
	return hypercall_memory_op(XENMEM_add_to_physmap_batch, &b);
}

long foreign_unmap(uint32_t at)
{
	struct compat_remove_from_physmap r = { .domid = DOMID_SELF,
						.gpfn = at };

	return hypercall_memory_op(XENMEM_remove_from_physmap, &r);
}

long populate_gfn(domid_t dom, uint32_t gfn)
{
	struct compat_memory_reservation r = {
		.nr_extents = 1,
		.domid = dom,
	};

	set_compat_handle(r.extent_start, &gfn);
	return hypercall_memory_op(XENMEM_populate_physmap, &r);
}
