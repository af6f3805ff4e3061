/*
 * memory_op (hypercall 12): (cmd, arg). A long operation is restarted with
 * its progress in cmd: the op in the low MEMOP_EXTENT_SHIFT bits, the
 * extent to resume from above them.
 */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <xen/types.h>

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

/* A 64-bit caller's: extent_start points to u64 frame numbers. */
struct xen_memory_reservation {
	u64 extent_start;
	u64 nr_extents;
	u32 extent_order;
	u32 mem_flags;
	domid_t domid;
};

/* A 32-bit caller's: the handle, the count and every frame are 32-bit. */
struct compat_memory_reservation {
	u32 extent_start;
	u32 nr_extents;
	u32 extent_order;
	u32 mem_flags;
	domid_t domid;
};

#endif
