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
/* arg: struct xen_remove_from_physmap (compat_ for 32-bit callers). */
#define XENMEM_remove_from_physmap 15
/* arg: struct xen_mem_paging_op (the same for 32-bit callers). */
#define XENMEM_paging_op 20
/* arg: struct xen_add_to_physmap_batch (compat_ for 32-bit callers). */
#define XENMEM_add_to_physmap_batch 23

/* A 64-bit caller's: extent_start points to u64 frame numbers. */
struct xen_memory_reservation {
	uint64_aligned_t extent_start;
	uint64_aligned_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};

/* A 32-bit caller's: the handle, the count and every frame are 32-bit. */
struct compat_memory_reservation {
	uint32_t extent_start;
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};

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

/* A 32-bit caller's: idx and gpfn are 32-bit (16 bytes). */
struct compat_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

/* Empty gfn gpfn of domain domid (16 bytes). */
struct xen_remove_from_physmap {
	domid_t domid;
	uint64_aligned_t gpfn;
};

/* A 32-bit caller's: gpfn is 32-bit (8 bytes). */
struct compat_remove_from_physmap {
	domid_t domid;
	uint32_t gpfn;
};

/*
 * add_to_physmap_batch: `size` pages of space at gfns of domain domid:
 * idxs[i] (with XENMAPSPACE_gmfn_foreign, a gfn of foreign_domid) at
 * gpfns[i], errs[i] = 0 or -errno for each (-ENOENT: paged out, retry
 * later). Each handle is a guest address (32 bytes).
 */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	domid_t foreign_domid;
	uint64_aligned_t idxs; /* uint64_t[size] */
	uint64_aligned_t gpfns; /* uint64_t[size] */
	uint64_aligned_t errs; /* int32_t[size] */
};

/* A 32-bit caller's: handles, idxs and gpfns are 32-bit (20 bytes). */
struct compat_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	domid_t foreign_domid;
	uint32_t idxs;
	uint32_t gpfns;
	uint32_t errs;
};

/*
 * paging_op: the pager (the control domain) moves a gfn of domain
 * `domain` between memory and its own store; docs/paging.md has the
 * states and the protocol. Every op but populate_evicted needs the
 * domain's paging ring (XEN_DOMCTL_vm_event_op, public/domctl.h).
 *
 *   nominate          ram_rw -> ram_paging_out: the pager may now read
 *                     the page and evict it. -EBUSY if the page is not
 *                     pageable (mapped by someone else, special).
 *   evict             ram_paging_out -> ram_paged: the frame is freed.
 *                     -EBUSY if the page was written, mapped or
 *                     otherwise used since nominate (it is ram_rw again).
 *   prep              ram_paged or ram_paging_in -> ram_rw, with the
 *                     contents in the same call: buffer is the guest
 *                     address of 4096 bytes (0 is -EINVAL: a page never
 *                     becomes present without its contents). Sleepers on
 *                     the gfn are woken.
 *   populate_evicted  a batch: buffer is the guest address of `nr`
 *                     64-bit gfns (struct xen_mem_paging_batch); each
 *                     hole or pageable RAM page becomes ram_paged with no
 *                     nominate round trip. Returns 0, or the error of the
 *                     first gfn that cannot be paged, with its index in
 *                     `nr` (gfns before it are done). Long batches are
 *                     continued through the memory_op cmd (Xen's encoding).
 */
#define XENMEM_paging_op_nominate 0
#define XENMEM_paging_op_evict 1
#define XENMEM_paging_op_prep 2
#define XENMEM_paging_op_populate_evicted 3

/* 24 bytes, the same for 32-bit callers. */
struct xen_mem_paging_op {
	uint8_t op; /* XENMEM_paging_op_* */
	domid_t domain;
	uint64_aligned_t buffer; /* prep: the page's 4096 bytes */
	uint64_aligned_t gfn;
};

/* populate_evicted's view of the same 24 bytes. */
struct xen_mem_paging_batch {
	uint8_t op; /* XENMEM_paging_op_populate_evicted */
	domid_t domain;
	uint64_aligned_t gfns; /* guest address of nr uint64_t gfns */
	uint64_aligned_t nr; /* in: how many; out: index of a failed gfn */
};

#endif
