/*
 * A domain's grant table (common/grant_table.c): v1 entries in frames of
 * the hypervisor's heap, grown on demand up to GNTTAB_MAX_FRAMES. The
 * guest maps them (physmap.c, XENMAPSPACE_grant_table) and sizes them
 * (grant_table_op.c); nothing here maps, copies or transfers grants.
 */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <xen/mm.h>
#include <xen/sched.h>

/*
 * Frames a domain may have: 32 (Xen's old domU default; 16384 v1
 * entries). A domain starts with none: the first is allocated when the
 * guest maps or sets up frame 0, so a domain that never uses its table
 * costs no page.
 */
#define GNTTAB_MAX_FRAMES 32U

/* The table's bookkeeping: a page of its own, allocated with frame 0. */
struct grant_table {
	unsigned int nr_frames; /* frames [0, nr_frames) exist */
	struct {
		void *page; /* zeroed, the hypervisor's (no owner) */
		unsigned long gfn; /* where the guest mapped it, or ~0UL */
	} frame[GNTTAB_MAX_FRAMES];
};

#define GNTTAB_UNMAPPED (~0UL)

/* Frames d has now (any context; grows only). */
unsigned int gnttab_nr_frames(const struct domain *d);
/*
 * Grow d's table to at least nr frames: 0, -EINVAL past the maximum,
 * -ENOMEM (the table keeps what it had). The caller holds physmap_lock.
 */
int gnttab_grow(struct domain *d, unsigned int nr);
/* Frame idx's bookkeeping, which exists; the caller holds physmap_lock. */
struct grant_table *gnttab_of(struct domain *d);
/* Free the table and its frames: d is gone, nothing maps them any more. */
void gnttab_domain_destroy(struct domain *d);

#endif
