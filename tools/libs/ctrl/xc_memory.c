/* libxenctrl: a domain's memory reservation (memory_op). */
#include <errno.h>

#include "xc_private.h"

static int reservation_op(unsigned int op, uint32_t domid,
			  unsigned long nr_extents, unsigned int extent_order,
			  unsigned int mem_flags, xen_pfn_t *extent_start)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr_extents,
		.extent_order = extent_order,
		.mem_flags = mem_flags,
	};

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	r.domid = (domid_t)domid;
	set_xen_guest_handle(r.extent_start, extent_start);
	return (int)xc_hypercall2(__HYPERVISOR_memory_op, op, &r);
}

/* -1 with errno err unless every one of nr extents was done (rc). */
static int exact(int rc, unsigned long nr, int err)
{
	if (rc < 0)
		return -1;
	if ((unsigned long)rc == nr)
		return 0;
	errno = err;
	return -1;
}

int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
			       unsigned long nr_extents,
			       unsigned int extent_order,
			       unsigned int mem_flags, xen_pfn_t *extent_start)
{
	return reservation_op(XENMEM_populate_physmap, domid, nr_extents,
			      extent_order, mem_flags, extent_start);
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents,
				     unsigned int extent_order,
				     unsigned int mem_flags,
				     xen_pfn_t *extent_start)
{
	return exact(xc_domain_populate_physmap(xch, domid, nr_extents,
						extent_order, mem_flags,
						extent_start),
		     nr_extents, EBUSY);
}

int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
				   unsigned long nr_extents,
				   unsigned int extent_order,
				   xen_pfn_t *extent_start)
{
	return reservation_op(XENMEM_decrease_reservation, domid, nr_extents,
			      extent_order, 0, extent_start);
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
					 unsigned long nr_extents,
					 unsigned int extent_order,
					 xen_pfn_t *extent_start)
{
	return exact(xc_domain_decrease_reservation(xch, domid, nr_extents,
						    extent_order, extent_start),
		     nr_extents, EINVAL);
}
