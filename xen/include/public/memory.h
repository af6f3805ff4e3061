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
/* arg: struct xen_add_to_physmap_batch (compat_ for 32-bit callers). */
#define XENMEM_add_to_physmap_batch 23
/* arg: struct xen_mem_paging_op (the same for 32-bit callers). */
#define XENMEM_paging_op 20

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

/*
 * What add_to_physmap maps: the shared-info page (idx 0), and through
 * add_to_physmap_batch only, another domain's gfns (gmfn_foreign: the
 * control domain's foreign mappings; add_to_physmap refuses it with
 * -ENOSYS, as Xen does).
 */
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

/*
 * add_to_physmap_batch: map idxs[i] of space at gpfns[i] of domain domid,
 * for i < size, and write each one's result (0 or -errno) to errs[i]; the
 * call itself returns 0 or an error that stopped it. For gmfn_foreign
 * idxs[] are gfns of domain u.foreign_domid. A long batch is continued
 * through the memory_op cmd (Xen's encoding: the index to resume from).
 */
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	union {
		domid_t foreign_domid; /* gmfn_foreign */
		uint16_t res0; /* other spaces: 0 */
	} u;
	uint64_aligned_t idxs; /* guest address of size uint64_t */
	uint64_aligned_t gpfns; /* guest address of size uint64_t */
	uint64_aligned_t errs; /* guest address of size int32_t */
};

/* A 32-bit caller's: the handles and the idxs and gpfns are 32-bit. */
struct compat_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	union {
		domid_t foreign_domid;
		uint16_t res0;
	} u;
	uint32_t idxs;
	uint32_t gpfns;
	uint32_t errs;
};

/* Unmap gpfn of domain domid (a foreign mapping, or RAM it gives back). */
struct xen_remove_from_physmap {
	domid_t domid;
	uint64_aligned_t gpfn;
};

struct compat_remove_from_physmap {
	domid_t domid;
	uint32_t gpfn;
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
