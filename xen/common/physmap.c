/*
 * What a domain's gfns map, beyond populating and freeing RAM (memory.c):
 * XENMEM_add_to_physmap puts the shared-info page or a grant-table frame
 * (grant_table.c) at a gfn of the guest's choosing. Whatever RAM the domain had there is given back to the
 * allocator, as Xen does; the page moves if it was mapped elsewhere.
 * XENMEM_remove_from_physmap takes a gfn's page out: a foreign mapping
 * (physmap_foreign.c), the domain's own RAM (freed, as
 * decrease_reservation does) or the shared-info page or a grant frame
 * (unhooked). Every p2m change is made under the gfn's range lock;
 * d->physmap_lock, taken first, keeps where those pages are mapped.
 */
#include <xen/bitops.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <xen/physmap.h>
#include <public/grant_table.h>
#include <public/xen.h>

struct page_info *guest_own_ram(struct domain *d, unsigned long gfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg = NULL;
	struct p2m_lookup r;

	/* A shared page's owner is not d: it is never d's own. */
	if (!p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r) && p2m_is_ram(r.t) &&
	    pfn_valid(mfn_x(r.mfn)) &&
	    page_get_owner(pfn_to_page(mfn_x(r.mfn))) == d)
		pg = pfn_to_page(mfn_x(r.mfn));
	put_gfn(p2m, _gfn(gfn));
	return pg;
}

int guest_remove_page(struct domain *d, unsigned long gfn, struct page_info *pg)
{
	int rc = p2m_set_entry(d->p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
			       p2m_invalid, p2m_access_n);

	/* Only once the p2m no longer maps it may the page be freed. */
	if (!rc)
		guest_drop_allocation(pg);
	return rc;
}

void guest_drop_allocation(struct page_info *pg)
{
	if (test_and_clear_bit(_PGC_allocated, &pg->count_info))
		put_page(pg);
}

/* The type and frame at gfn (P2M_QUERY); the caller holds its range. */
static void query(struct p2m_domain *p2m, unsigned long gfn,
		  struct p2m_lookup *r)
{
	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, r);
	put_gfn(p2m, _gfn(gfn));
}

/*
 * Map mfn read-write at gfn, replacing RAM the domain owns or nothing;
 * anything else there (MMIO, a foreign or granted page, a page in
 * transit to or from the pager) is -EBUSY.
 */
static int map_special_page(struct domain *d, unsigned long gfn, mfn_t mfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg;
	struct p2m_lookup r;
	int rc = 0;

	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	if (r.t == p2m_ram_rw && mfn_eq(r.mfn, mfn))
		goto out;
	pg = guest_own_ram(d, gfn);
	if (pg)
		rc = guest_remove_page(d, gfn, pg);
	else if (r.t != p2m_invalid)
		rc = -EBUSY;
	if (!rc)
		rc = p2m_set_entry(p2m, _gfn(gfn), mfn, PAGE_ORDER_4K,
				   p2m_ram_rw, p2m_access_rw);
out:
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	return rc;
}

/* Remove gfn's entry if it still maps mfn. */
static void unmap_special_page(struct domain *d, unsigned long gfn, mfn_t mfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct p2m_lookup r;

	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	if (p2m_type_has_mfn(r.t) && mfn_eq(r.mfn, mfn))
		p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
			      p2m_invalid, p2m_access_n);
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
}

/*
 * The shared-info page at gfn. It stays the hypervisor's page (not the
 * domain's RAM: decrease_reservation cannot free it); only the mapping
 * moves. physmap_lock keeps two callers from moving it at once.
 */
static int shared_info_map(struct domain *d, unsigned long gfn)
{
	mfn_t mfn = _mfn(__pa(d->shared_info) >> PAGE_SHIFT);
	unsigned long old;
	int rc;

	if (gfn >= d->p2m->max_gfn)
		return -EINVAL;
	/*
	 * RAM the pager holds there is given up first, as
	 * decrease_reservation gives it up (the pager is told to drop its
	 * copy; this may sleep for a ring slot, so not under the lock). A
	 * stock Linux puts its shared-info page on the first free low gfn,
	 * whichever the pager took. Nothing makes the hole paged again.
	 */
	rc = p2m_mem_paging_drop(d, gfn);
	if (rc < 0)
		return rc;
	spin_lock(&d->physmap_lock);
	old = d->shared_info_gfn;
	rc = map_special_page(d, gfn, mfn);
	if (!rc && old != SHARED_INFO_UNMAPPED && old != gfn)
		unmap_special_page(d, old, mfn);
	if (!rc)
		d->shared_info_gfn = gfn;
	spin_unlock(&d->physmap_lock);
	return rc;
}

int physmap_map_shared_info(struct domain *d, unsigned long idx,
			    unsigned long gpfn, bool compat)
{
	int rc;

	if (idx)
		return -EINVAL;
	rc = shared_info_map(d, gpfn);
	if (!rc)
		shared_info_latch(d, compat);
	return rc;
}

/*
 * Grant frame idx at gfn, the table grown to it first: like the
 * shared-info page, a frame mapped elsewhere moves. A v2 status frame
 * (bit 31 of idx) is past any v1 table: -EINVAL, as Xen.
 */
static int grant_frame_map(struct domain *d, unsigned long idx,
			   unsigned long gfn)
{
	struct grant_table *gt;
	unsigned long old;
	mfn_t mfn;
	int rc;

	if (idx >= GNTTAB_MAX_FRAMES || gfn >= d->p2m->max_gfn)
		return -EINVAL;
	/* RAM the pager holds is given up first, as for shared info. */
	rc = p2m_mem_paging_drop(d, gfn);
	if (rc < 0)
		return rc;
	spin_lock(&d->physmap_lock);
	rc = gnttab_grow(d, idx + 1);
	if (rc)
		goto out;
	gt = gnttab_of(d);
	mfn = _mfn(__pa(gt->frame[idx].page) >> PAGE_SHIFT);
	old = gt->frame[idx].gfn;
	rc = map_special_page(d, gfn, mfn);
	if (!rc && old != GNTTAB_UNMAPPED && old != gfn)
		unmap_special_page(d, old, mfn);
	if (!rc)
		gt->frame[idx].gfn = gfn;
out:
	spin_unlock(&d->physmap_lock);
	return rc;
}

/* Unhook the grant frame mapped at gfn, if any; true if there was one. */
static bool grant_frame_unmap(struct domain *d, unsigned long gfn)
{
	struct grant_table *gt;
	unsigned int i;
	bool hit = false;

	spin_lock(&d->physmap_lock);
	gt = gnttab_of(d);
	for (i = 0; gt && i < gt->nr_frames && !hit; i++) {
		hit = gt->frame[i].gfn == gfn;
		if (hit) {
			unmap_special_page(d, gfn,
					   _mfn(__pa(gt->frame[i].page) >>
						PAGE_SHIFT));
			gt->frame[i].gfn = GNTTAB_UNMAPPED;
		}
	}
	spin_unlock(&d->physmap_lock);
	return hit;
}

struct atp_args {
	domid_t domid;
	unsigned int space;
	unsigned long idx, gpfn;
};

static int read_atp(const struct hypercall_args *args, struct atp_args *a)
{
	if (args->compat) {
		struct compat_add_to_physmap x;

		if (copy_from_guest(
			    &x,
			    guest_handle_from_param(args->a[1],
						    compat_add_to_physmap_t),
			    1))
			return -EFAULT;
		*a = (struct atp_args){ x.domid, x.space, x.idx, x.gpfn };
	} else {
		struct xen_add_to_physmap x;

		if (copy_from_guest(&x,
				    guest_handle_from_param(
					    args->a[1], xen_add_to_physmap_t),
				    1))
			return -EFAULT;
		*a = (struct atp_args){ x.domid, x.space, x.idx, x.gpfn };
	}
	return 0;
}

/*
 * The caller's own domain only: a control domain has no reason to move
 * another's shared-info page or grant frames. The guest's mode at this call picks the
 * page's layout (32-bit or 64-bit words).
 */
long memop_add_to_physmap(struct vcpu *v, struct hypercall_args *args)
{
	struct domain *d = v->domain;
	struct atp_args a;
	int rc = read_atp(args, &a);

	if (rc)
		return rc;
	if (a.domid != DOMID_SELF && a.domid != d->domain_id)
		return domain_find(a.domid) ? -EPERM : -ESRCH;
	switch (a.space) {
	case XENMAPSPACE_shared_info:
		return physmap_map_shared_info(d, a.idx, a.gpfn, args->compat);
	case XENMAPSPACE_gmfn_foreign:
		/* Only through add_to_physmap_batch, as in Xen. */
		return -ENOSYS;
	case XENMAPSPACE_grant_table:
		return grant_frame_map(d, a.idx, a.gpfn);
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
	case XENMAPSPACE_dev_mmio:
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}

/* Unhook the shared-info page if it is at gfn; true if it was. */
static bool shared_info_unmap(struct domain *d, unsigned long gfn)
{
	bool hit;

	spin_lock(&d->physmap_lock);
	hit = d->shared_info_gfn == gfn;
	if (hit) {
		unmap_special_page(d, gfn,
				   _mfn(__pa(d->shared_info) >> PAGE_SHIFT));
		d->shared_info_gfn = SHARED_INFO_UNMAPPED;
	}
	spin_unlock(&d->physmap_lock);
	return hit;
}

/*
 * Take gfn's page out of d's physmap. The lookup brings a page the pager
 * holds back first, waiting for it only when d is the caller's own domain
 * (a control domain working on another's gfn gets -EAGAIN, and retries:
 * it may be that domain's pager). Nothing to remove is -ENOENT, as Xen.
 */
static int remove_gfn(struct vcpu *v, struct domain *d, unsigned long gfn)
{
	p2m_query_t q = d == v->domain ? P2M_ALLOC : P2M_ALLOC | P2M_NOWAIT;
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg;
	struct p2m_lookup r;
	int rc;

	if (gfn >= p2m->max_gfn)
		return -ENOENT;
	if (shared_info_unmap(d, gfn) || grant_frame_unmap(d, gfn))
		return 0;
	rc = p2m_get_gfn(p2m, _gfn(gfn), q, &r);
	if (rc == -EAGAIN || rc == -ENOENT) {
		/* rc as it is */
	} else if (rc) {
		rc = -ENOENT;
	} else if (r.t == p2m_map_foreign) {
		/* The p2m drops the entry's reference after the flush. */
		rc = p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				   p2m_invalid, p2m_access_n);
	} else {
		pg = guest_own_ram(d, gfn);
		rc = pg ? guest_remove_page(d, gfn, pg) : -ENOENT;
	}
	put_gfn(p2m, _gfn(gfn));
	return rc;
}

long memop_remove_from_physmap(struct vcpu *v, struct hypercall_args *args)
{
	struct domain *d;
	domid_t domid;
	unsigned long gpfn;
	long rc;

	/* Not a continued op: a start in cmd is a bad argument (Xen). */
	if (memop_start(args->a[0]))
		return -EINVAL;
	if (args->compat) {
		struct compat_remove_from_physmap x;

		if (copy_from_guest(&x,
				    guest_handle_from_param(
					    args->a[1],
					    compat_remove_from_physmap_t),
				    1))
			return -EFAULT;
		domid = x.domid;
		gpfn = x.gpfn;
	} else {
		struct xen_remove_from_physmap x;

		if (copy_from_guest(
			    &x,
			    guest_handle_from_param(args->a[1],
						    xen_remove_from_physmap_t),
			    1))
			return -EFAULT;
		domid = x.domid;
		gpfn = x.gpfn;
	}
	rc = hypercall_get_domain(v, domid, &d);
	if (rc)
		return rc;
	rc = remove_gfn(v, d, gpfn);
	hypercall_put_domain(v, d);
	return rc;
}

_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(sizeof(struct compat_add_to_physmap) == 16,
	       "compat add_to_physmap");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16,
	       "remove_from_physmap");
_Static_assert(sizeof(struct compat_remove_from_physmap) == 8,
	       "compat remove_from_physmap");
