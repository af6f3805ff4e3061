/*
 * memory_op (hypercall 12): (cmd, arg). A long operation is restarted with
 * its progress in cmd: the op in the low MEMOP_EXTENT_SHIFT bits, the
 * extent to resume from above them.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <stdint.h>

#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1UL << MEMOP_EXTENT_SHIFT) - 1)

/* arg: struct xen_memory_reservation (compat_ for 32-bit callers). */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
/* arg: a domid_t; the result is the count (or gfn) asked for. */
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_maximum_gpfn 14
/* arg: struct xen_add_to_physmap (compat_ for 32-bit callers). */
#define XENMEM_add_to_physmap 7

/* Guest frame numbers: a 64-bit caller's, and a 32-bit caller's. */
typedef uint64_t xen_pfn_t;
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
typedef uint32_t compat_pfn_t;
DEFINE_XEN_GUEST_HANDLE(compat_pfn_t);

/* A 64-bit caller's: extent_start is the list of frame numbers. */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	uint64_aligned_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};

/* A 32-bit caller's: the handle, the count and every frame are 32-bit. */
struct compat_memory_reservation {
	COMPAT_HANDLE(compat_pfn_t) extent_start;
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
typedef struct compat_memory_reservation compat_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(compat_memory_reservation_t);

/* What add_to_physmap maps: only the shared-info page (idx 0) here. */
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5

/* Map page idx of space at gfn gpfn of domain domid (24 bytes). */
struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size; /* gmfn_range only */
	uint32_t space;
	uint64_aligned_t idx;
	uint64_aligned_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

/* A 32-bit caller's: idx and gpfn are 32-bit (16 bytes). */
struct compat_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};
typedef struct compat_add_to_physmap compat_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(compat_add_to_physmap_t);

#endif
