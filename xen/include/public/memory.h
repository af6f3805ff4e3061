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
	XEN_GUEST_HANDLE(xen_pfn_t) idxs; /* size of them */
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns; /* size of them */
	XEN_GUEST_HANDLE(int32_t) errs; /* size of them */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

/* A 32-bit caller's: the handles and the idxs and gpfns are 32-bit. */
struct compat_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;
	uint16_t size;
	union {
		domid_t foreign_domid;
		uint16_t res0;
	} u;
	COMPAT_HANDLE(compat_pfn_t) idxs;
	COMPAT_HANDLE(compat_pfn_t) gpfns;
	COMPAT_HANDLE(int32_t) errs;
};
typedef struct compat_add_to_physmap_batch compat_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(compat_add_to_physmap_batch_t);

/* Unmap gpfn of domain domid (a foreign mapping, or RAM it gives back). */
struct xen_remove_from_physmap {
	domid_t domid;
	uint64_aligned_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

struct compat_remove_from_physmap {
	domid_t domid;
	uint32_t gpfn;
};
typedef struct compat_remove_from_physmap compat_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(compat_remove_from_physmap_t);

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
 *                     contents in the same call: buffer holds the 4096
 *                     bytes (a null handle is -EINVAL: a page never
 *                     becomes present without its contents). Sleepers on
 *                     the gfn are woken.
 *   populate_evicted  a batch: `nr` 64-bit gfns at the handle gfns
 *                     (struct xen_mem_paging_batch); each
 *                     hole or pageable RAM page becomes ram_paged with no
 *                     nominate round trip. Returns 0, or the error of the
 *                     first gfn that cannot be paged, with its index in
 *                     `nr` (gfns before it are done). Long batches are
 *                     continued through the memory_op cmd (Xen's encoding).
 *   accessed          (this hypervisor's, not Xen's; struct
 *                     xen_mem_paging_accessed; needs no ring) for gfns
 *                     [gfn, gfn + nr): bit i of the bitmap (LSB first in
 *                     each byte, (nr + 7) / 8 bytes) is set if the guest
 *                     used gfn + i since the last call for it or since
 *                     its entry was made, and that state is cleared;
 *                     gfns that are not present RAM (holes, paged, MMIO,
 *                     foreign) read 0. A 2 MiB or 1 GiB mapping has one
 *                     bit: each of its gfns reads it, and any call that
 *                     reads it clears it for all of them. nr 0 does
 *                     nothing (a probe for -EOPNOTSUPP); -EINVAL: nr
 *                     above XENMEM_PAGING_ACCESSED_MAX_NR or the range
 *                     past the domain's gfns (nothing cleared);
 *                     -EOPNOTSUPP: the CPU does not keep accessed bits
 *                     for the domain (VMX without EPT A/D flags);
 *                     -EFAULT: bitmap not writable (checked before
 *                     anything is cleared).
 */
#define XENMEM_paging_op_nominate 0
#define XENMEM_paging_op_evict 1
#define XENMEM_paging_op_prep 2
#define XENMEM_paging_op_populate_evicted 3
#define XENMEM_paging_op_accessed 4

/* 24 bytes, the same for 32-bit callers (their handles are 64-bit). */
struct xen_mem_paging_op {
	uint8_t op; /* XENMEM_paging_op_* */
	domid_t domain;
	XEN_GUEST_HANDLE(uint8_t) buffer; /* prep: the page's 4096 bytes */
	uint64_aligned_t gfn;
};
typedef struct xen_mem_paging_op xen_mem_paging_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_paging_op_t);

/* populate_evicted's view of the same 24 bytes. */
struct xen_mem_paging_batch {
	uint8_t op; /* XENMEM_paging_op_populate_evicted */
	domid_t domain;
	XEN_GUEST_HANDLE(uint64_t) gfns; /* nr of them */
	uint64_aligned_t nr; /* in: how many; out: index of a failed gfn */
};
typedef struct xen_mem_paging_batch xen_mem_paging_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_paging_batch_t);

/* accessed: gfns a call may ask about (a 4 KiB bitmap). */
#define XENMEM_PAGING_ACCESSED_MAX_NR 32768

/* accessed's view of the same 24 bytes. */
struct xen_mem_paging_accessed {
	uint8_t op; /* XENMEM_paging_op_accessed */
	domid_t domain;
	uint32_t nr; /* gfns from gfn */
	XEN_GUEST_HANDLE(uint8_t) bitmap; /* out: (nr + 7) / 8 bytes */
	uint64_aligned_t gfn;
};
typedef struct xen_mem_paging_accessed xen_mem_paging_accessed_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_paging_accessed_t);

#endif
