/*
 * grant_table_op (hypercall 20): (cmd, arg, count). The ops here take one
 * argument structure (count 1); the others (mapping, copying and
 * transferring grants) are not provided: -ENOSYS.
 *
 * A domain's grant table is an array of v1 entries in frames the guest
 * maps with XENMEM_add_to_physmap, space XENMAPSPACE_grant_table, idx
 * the frame's number.
 */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#include "memory.h"
#include "xen.h"

#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10
#define GNTTABOP_swap_grant_ref 11
#define GNTTABOP_cache_flush 12
/* The op is cmd's low bits; a continuation keeps its progress above. */
#define GNTTABOP_CMD_MASK ((1U << 12) - 1)

/* An op's status field (the hypercall itself returns 0). */
#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12)
#define GNTST_no_space (-13)

/* A v1 grant entry: 512 of them per 4 KiB frame. */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid; /* the domain granted access */
	uint32_t frame; /* the granted frame */
};
typedef uint32_t grant_ref_t;

#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_accept_transfer 2
#define GTF_transfer_committed 2
#define GTF_readonly (1U << 2)
#define GTF_reading (1U << 3)
#define GTF_writing (1U << 4)

/* Bit 31 of add_to_physmap's idx: a v2 status frame, not a shared one. */
#define XENMAPIDX_grant_table_status 0x80000000U

/*
 * setup_table: grow dom's table to nr_frames; frame_list[i] is the gfn
 * frame i is mapped at in a translated guest (all guests here).
 */
struct gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status; /* GNTST_* */
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* A 32-bit caller's: 32-bit gfns in the list. */
struct compat_gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;
	COMPAT_HANDLE(compat_pfn_t) frame_list;
};
typedef struct compat_gnttab_setup_table compat_gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(compat_gnttab_setup_table_t);

/* query_size: dom's frames now and at most (the same for 32-bit callers). */
struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status; /* GNTST_* */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/* set_version: version in (1; 2 is not provided), the version now out. */
struct gnttab_set_version {
	uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* get_version: dom in, its table's version out. */
struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version;
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

#endif
