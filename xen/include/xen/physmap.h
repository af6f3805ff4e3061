/*
 * Changing what a domain's gfns map (common/physmap.c): taking a RAM page
 * out of the p2m, add_to_physmap and remove_from_physmap; foreign
 * mappings and add_to_physmap_batch (common/physmap_foreign.c). The
 * caller of guest_own_ram() and guest_remove_page() holds the range lock
 * of gfn.
 */
#ifndef XEN_PHYSMAP_H
#define XEN_PHYSMAP_H

#include <xen/types.h>
#include <public/memory.h>

struct domain;
struct page_info;
struct vcpu;
struct hypercall_args;

/* gfn's frame if it is RAM d owns (what d may give back), else NULL. */
struct page_info *guest_own_ram(struct domain *d, unsigned long gfn);
/*
 * Unmap gfn, a page guest_own_ram() found, and drop its allocation
 * reference (it is freed once nobody else holds it): 0 or -errno.
 */
int guest_remove_page(struct domain *d, unsigned long gfn,
		      struct page_info *pg);
/*
 * Drop the allocation reference of a page the p2m no longer maps (it is
 * freed once nobody else holds it).
 */
void guest_drop_allocation(struct page_info *pg);
/*
 * Map d's shared-info page (idx must be 0) at gpfn and latch its layout
 * (compat: 32-bit): 0 or -errno.
 */
int physmap_map_shared_info(struct domain *d, unsigned long idx,
			    unsigned long gpfn, bool compat);
/*
 * Element i of a memory_op list of frame numbers (memory.c): a 32-bit
 * caller's (compat: compat_list) or a 64-bit caller's (list); 0 or
 * -EFAULT.
 */
int memop_read_pfn(bool compat, XEN_GUEST_HANDLE(compat_pfn_t) compat_list,
		   XEN_GUEST_HANDLE(xen_pfn_t) list, unsigned long i,
		   unsigned long *pfn);
/* memory_op XENMEM_add_to_physmap, _batch and remove_from_physmap. */
long memop_add_to_physmap(struct vcpu *v, struct hypercall_args *args);
long memop_add_to_physmap_batch(struct vcpu *v, struct hypercall_args *args);
long memop_remove_from_physmap(struct vcpu *v, struct hypercall_args *args);
/* memory_op XENMEM_paging_op (mem_paging.c). */
long memop_paging_op(struct vcpu *v, struct hypercall_args *args);

#endif
