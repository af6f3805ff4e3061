/*
 * XENMEM_add_to_physmap_batch: the control domain maps other domains'
 * gfns into its own physmap (XENMAPSPACE_gmfn_foreign, how a PVH dom0
 * and its pager see guest memory); the shared-info page may be mapped
 * this way too. Each gfn gets its own result in the caller's errs[], as
 * in Xen, and the batch goes on with the next.
 *
 * A foreign entry (p2m_map_foreign) holds a reference on the page, taken
 * by the p2m when the entry is made and dropped when it is removed, after
 * the flush: the page stays valid while it is mapped, even if its owner
 * balloons it out or dies. The foreign gfn is looked up without sleeping:
 * one that is paged out (or populate-on-demand) has its fix-up started,
 * and fails with -ENOENT so that the mapper retries (never waiting on its
 * own pager).
 */
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <xen/physmap.h>
#include <public/xen.h>

/* Entries done in one round before the batch is continued. */
#define BATCH_ROUND 32

/* A batch's arguments, the same for 32-bit and 64-bit callers. */
struct batch_args {
	domid_t domid;
	unsigned int space;
	unsigned int size;
	domid_t foreign_domid;
	/* idxs and gpfns: a 32-bit caller's (compat) or a 64-bit one's. */
	bool compat;
	XEN_GUEST_HANDLE(compat_pfn_t) compat_idxs, compat_gpfns;
	XEN_GUEST_HANDLE(xen_pfn_t) idxs, gpfns;
	XEN_GUEST_HANDLE(int32_t) errs;
};

static int read_batch(const struct hypercall_args *args, struct batch_args *b)
{
	if (args->compat) {
		struct compat_add_to_physmap_batch x;

		if (copy_from_guest(&x,
				    guest_handle_from_param(
					    args->a[1],
					    compat_add_to_physmap_batch_t),
				    1))
			return -EFAULT;
		*b = (struct batch_args){
			.domid = x.domid,
			.space = x.space,
			.size = x.size,
			.foreign_domid = x.u.foreign_domid,
			.compat = true,
			.compat_idxs =
				guest_handle_from_compat(x.idxs, compat_pfn_t),
			.compat_gpfns =
				guest_handle_from_compat(x.gpfns, compat_pfn_t),
			.errs = guest_handle_from_compat(x.errs, int32_t),
		};
	} else {
		struct xen_add_to_physmap_batch x;

		if (copy_from_guest(
			    &x,
			    guest_handle_from_param(args->a[1],
						    xen_add_to_physmap_batch_t),
			    1))
			return -EFAULT;
		*b = (struct batch_args){
			.domid = x.domid,
			.space = x.space,
			.size = x.size,
			.foreign_domid = x.u.foreign_domid,
			.idxs = x.idxs,
			.gpfns = x.gpfns,
			.errs = x.errs,
		};
	}
	return 0;
}

/* An array of n elements of elem bytes at gva that wraps nowhere. */
static bool array_ok(unsigned long gva, unsigned long n, unsigned int elem,
		     bool compat)
{
	unsigned long top = compat ? 0xffffffffUL : ~0UL;

	return gva <= top && top - gva >= n * elem - 1;
}

/* idxs[], gpfns[] and errs[] of b->size elements each wrap nowhere. */
static bool lists_ok(const struct batch_args *b)
{
	unsigned long idxs = b->compat ? guest_handle_addr(b->compat_idxs) :
					 guest_handle_addr(b->idxs);
	unsigned long gpfns = b->compat ? guest_handle_addr(b->compat_gpfns) :
					  guest_handle_addr(b->gpfns);
	unsigned int elem = b->compat ? sizeof(compat_pfn_t) :
					sizeof(xen_pfn_t);

	return array_ok(idxs, b->size, elem, b->compat) &&
	       array_ok(gpfns, b->size, elem, b->compat) &&
	       array_ok(guest_handle_addr(b->errs), b->size, sizeof(int32_t),
			b->compat);
}

/*
 * Clear td's gpfn for a foreign mapping; the caller holds its range lock.
 * td's own RAM there is given back (freed once nobody else holds it), an
 * earlier foreign entry removed (its reference dropped after the flush);
 * anything else (the shared-info page, MMIO, a page in transit to or
 * from the pager) is -EBUSY and stays.
 */
static int clear_for_foreign(struct domain *td, unsigned long gpfn)
{
	struct p2m_domain *p2m = td->p2m;
	struct page_info *pg;
	struct p2m_lookup r;

	p2m_get_gfn(p2m, _gfn(gpfn), P2M_QUERY, &r);
	put_gfn(p2m, _gfn(gpfn));
	if (r.t == p2m_invalid)
		return 0;
	if (r.t == p2m_map_foreign)
		return p2m_set_entry(p2m, _gfn(gpfn), INVALID_MFN,
				     PAGE_ORDER_4K, p2m_invalid, p2m_access_n);
	pg = guest_own_ram(td, gpfn);
	return pg ? guest_remove_page(td, gpfn, pg) : -EBUSY;
}

/* A frame fd owns, behind a RAM entry: what a foreign entry may map. */
static bool foreign_mappable(struct domain *fd, const struct p2m_lookup *r)
{
	return p2m_is_ram(r->t) && pfn_valid(mfn_x(r->mfn)) &&
	       page_get_owner(pfn_to_page(mfn_x(r->mfn))) == fd;
}

/*
 * Map fd's fgfn at td's gpfn. fd's gfn stays locked until the entry is
 * made, so the frame mapped is the one fd has there. td's range locks
 * come after fd's: td is the control domain, whose come after every other
 * domain's, or fd is td's target, which set_target requires to be the
 * older domain (p2m locks are ordered by creation).
 */
static int map_foreign(struct domain *td, struct domain *fd, unsigned long fgfn,
		       unsigned long gpfn)
{
	struct p2m_domain *fp2m = fd->p2m, *tp2m = td->p2m;
	struct p2m_lookup r, old;
	int rc;

	if (gpfn >= tp2m->max_gfn)
		return -EINVAL;
	rc = p2m_get_gfn(fp2m, _gfn(fgfn), P2M_ALLOC | P2M_NOWAIT, &r);
	/* Paged out or on its way, PoD: started, not waited for (Xen). */
	if (rc == -EAGAIN)
		rc = -ENOENT;
	else if (!rc && !foreign_mappable(fd, &r))
		rc = -EINVAL;
	if (rc)
		goto out;
	p2m_lock_range(tp2m, _gfn(gpfn), PAGE_ORDER_4K);
	p2m_get_gfn(tp2m, _gfn(gpfn), P2M_QUERY, &old);
	put_gfn(tp2m, _gfn(gpfn));
	/* Mapped there already: nothing to change, nothing to flush. */
	if (old.t != p2m_map_foreign || !mfn_eq(old.mfn, r.mfn)) {
		rc = clear_for_foreign(td, gpfn);
		if (!rc)
			rc = p2m_set_entry(tp2m, _gfn(gpfn), r.mfn,
					   PAGE_ORDER_4K, p2m_map_foreign,
					   p2m_access_rw);
	}
	p2m_unlock_range(tp2m, _gfn(gpfn), PAGE_ORDER_4K);
out:
	put_gfn(fp2m, _gfn(fgfn));
	return rc;
}

/*
 * The domain whose gfns a gmfn_foreign batch maps, with a reference, or
 * the error every gfn of the batch gets: -ESRCH (no such domain, or
 * DOMID_SELF), -EPERM (the caller's own, or a mapper that may not
 * control it: see may_control()), in Xen's order.
 */
static int get_foreign_domain(struct domain *td, domid_t id,
			      struct domain **out)
{
	struct domain *fd = domain_get(id);

	*out = NULL;
	if (!fd)
		return -ESRCH;
	if (fd == td || !may_control(td, fd)) {
		domain_put(fd);
		return -EPERM;
	}
	*out = fd;
	return 0;
}

/* One entry of the batch: its result for errs[]. */
static int map_one(struct vcpu *v, struct domain *d, const struct batch_args *b,
		   struct domain *fd, int fd_rc, unsigned long idx,
		   unsigned long gpfn, bool compat)
{
	if (b->space == XENMAPSPACE_shared_info)
		/* A domain's own page only, as with add_to_physmap. */
		return d == v->domain ?
			       physmap_map_shared_info(d, idx, gpfn, compat) :
			       -EPERM;
	return fd_rc ?: map_foreign(d, fd, idx, gpfn);
}

/* Which spaces a batch maps: -EOPNOTSUPP or -EINVAL for the others. */
static int batch_space_ok(unsigned int space)
{
	switch (space) {
	case XENMAPSPACE_shared_info:
	case XENMAPSPACE_gmfn_foreign:
		return 0;
	case XENMAPSPACE_grant_table:
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
	case XENMAPSPACE_dev_mmio:
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}

/*
 * Entries from start on. After BATCH_ROUND of them, or earlier when the
 * scheduler wants the CPU, the call continues at the next one (cmd);
 * the caller's structure is never written. Stops at a list it cannot
 * read or an errs[] it cannot write (-EFAULT).
 */
static long do_batch(struct vcpu *v, struct hypercall_args *args,
		     const struct batch_args *b, struct domain *d,
		     unsigned long start)
{
	struct domain *fd = NULL;
	int fd_rc = 0;
	unsigned long i;
	long rc = 0;

	if (b->space == XENMAPSPACE_gmfn_foreign)
		fd_rc = get_foreign_domain(d, b->foreign_domid, &fd);
	for (i = start; i < b->size; i++) {
		unsigned long idx, gpfn;
		int32_t err;

		if (i != start &&
		    (i - start >= BATCH_ROUND || hypercall_preempt_check())) {
			args->a[0] = memop_cmd(XENMEM_add_to_physmap_batch, i);
			rc = -ERESTART;
			break;
		}
		rc = memop_read_pfn(b->compat, b->compat_idxs, b->idxs, i, &idx) ?:
			     memop_read_pfn(b->compat, b->compat_gpfns,
					    b->gpfns, i, &gpfn);
		if (rc)
			break;
		err = map_one(v, d, b, fd, fd_rc, idx, gpfn, args->compat);
		rc = copy_to_guest_offset(b->errs, i, &err, 1);
		if (rc)
			break;
	}
	if (fd)
		domain_put(fd);
	return rc;
}

long memop_add_to_physmap_batch(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long start = memop_start(args->a[0]);
	struct batch_args b;
	struct domain *d;
	long rc;

	/* Progress is an index below size (16 bits), as in Xen. */
	if (start > 0xffff)
		return -EDOM;
	rc = read_batch(args, &b);
	if (rc)
		return rc;
	if (start > b.size || (start && start == b.size))
		return -EILSEQ;
	if (!b.size)
		return 0;
	if (!lists_ok(&b))
		return -EFAULT;
	rc = batch_space_ok(b.space);
	if (rc)
		return rc;
	rc = hypercall_get_domain(v, b.domid, &d);
	if (rc)
		return rc;
	rc = do_batch(v, args, &b, d, start);
	hypercall_put_domain(v, d);
	return rc;
}

_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32,
	       "add_to_physmap_batch");
_Static_assert(sizeof(struct compat_add_to_physmap_batch) == 20,
	       "compat add_to_physmap_batch");
