/*
 * memory_op (hypercall 12): (cmd, arg). A domain's reservation: frames
 * added to it and taken away (increase_reservation, decrease_reservation,
 * populate_physmap) and the counts (current_reservation,
 * maximum_reservation, maximum_gpfn); add_to_physmap and
 * remove_from_physmap are in physmap.c, add_to_physmap_batch in
 * physmap_foreign.c.
 *
 * The extent ops work on the list of frame numbers at extent_start, one
 * extent at a time, and return how many extents they completed: they stop
 * at the first extent that fails (a frame already populated, not the
 * domain's RAM, beyond its p2m, or over its max_pages). After MEMOP_ROUND
 * extents, or earlier when the scheduler wants the CPU, they continue with
 * the next extent in cmd (Xen's encoding, memop_cmd()).
 *
 * Every p2m change goes through p2m_set_entry(), under the range lock of
 * the extent, and a removed frame loses its allocation reference only
 * after that returned.
 */
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <xen/physmap.h>
#include <public/xen.h>

/* Extents done in one round before the operation is continued. */
#define MEMOP_ROUND 32

/* An extent op's arguments, the same for 32-bit and 64-bit callers. */
struct memop_args {
	/* The frame numbers: a 32-bit caller's (compat) or a 64-bit one's. */
	bool compat;
	XEN_GUEST_HANDLE(compat_pfn_t) compat_list;
	XEN_GUEST_HANDLE(xen_pfn_t) list;
	unsigned long nr_extents;
	unsigned int extent_order;
	unsigned int mem_flags;
	domid_t domid;
};

static int read_reservation(const struct hypercall_args *args,
			    struct memop_args *m)
{
	unsigned long arg = args->a[1];

	if (args->compat) {
		struct compat_memory_reservation r;

		if (copy_from_guest(&r,
				    guest_handle_from_param(
					    arg, compat_memory_reservation_t),
				    1))
			return -EFAULT;
		*m = (struct memop_args){
			.compat = true,
			.compat_list = guest_handle_from_compat(r.extent_start,
								compat_pfn_t),
			.nr_extents = r.nr_extents,
			.extent_order = r.extent_order,
			.mem_flags = r.mem_flags,
			.domid = r.domid,
		};
	} else {
		struct xen_memory_reservation r;

		if (copy_from_guest(&r,
				    guest_handle_from_param(
					    arg, xen_memory_reservation_t),
				    1))
			return -EFAULT;
		*m = (struct memop_args){
			.list = r.extent_start,
			.nr_extents = r.nr_extents,
			.extent_order = r.extent_order,
			.mem_flags = r.mem_flags,
			.domid = r.domid,
		};
	}
	return 0;
}

static bool extent_in_p2m(const struct p2m_domain *p2m, unsigned long gfn,
			  unsigned int order)
{
	unsigned long nr = 1UL << order;

	return IS_ALIGNED(gfn, nr) && gfn < p2m->max_gfn &&
	       p2m->max_gfn - gfn >= nr;
}

/* Is every entry of the extent empty? The caller holds its range lock. */
static bool extent_empty(struct p2m_domain *p2m, unsigned long gfn,
			 unsigned int order)
{
	unsigned long g = gfn, end = gfn + (1UL << order);

	while (g < end) {
		struct p2m_lookup r;
		int rc = p2m_get_gfn(p2m, _gfn(g), P2M_QUERY, &r);

		put_gfn(p2m, _gfn(g));
		if (rc || r.t != p2m_invalid)
			return false;
		/* An empty entry covers its whole aligned block. */
		g = (g | ((1UL << r.order) - 1)) + 1;
	}
	return true;
}

/* New zeroed frames, mapped ram_rw at the empty extent [gfn, ...). */
static int populate_extent(struct domain *d, unsigned long gfn,
			   unsigned int order)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg;
	int rc;

	if (!extent_in_p2m(p2m, gfn, order))
		return -EINVAL;
	/* The allocator scrubs; assign_pages() enforces max_pages. */
	pg = alloc_domheap_pages(d, order, 0);
	if (!pg)
		return -ENOMEM;
	p2m_lock_range(p2m, _gfn(gfn), order);
	rc = extent_empty(p2m, gfn, order) ?
		     p2m_set_entry(p2m, _gfn(gfn), _mfn(page_to_pfn(pg)), order,
				   p2m_ram_rw, p2m_access_rwx) :
		     -EEXIST;
	p2m_unlock_range(p2m, _gfn(gfn), order);
	if (rc)
		free_domheap_pages(pg, order);
	return rc;
}

/*
 * Is the extent's first page pg0 followed, gfn by gfn, by the next
 * frames, all of them RAM d owns? Then one entry of the extent's order
 * can replace them. The caller holds the extent's range lock.
 */
static bool extent_contiguous(struct domain *d, unsigned long gfn,
			      unsigned int order, struct page_info *pg0)
{
	unsigned long nr = 1UL << order, mfn0 = page_to_pfn(pg0), i;

	for (i = 1; i < nr; i++) {
		struct page_info *pg = guest_own_ram(d, gfn + i);

		if (!pg || page_to_pfn(pg) != mfn0 + i)
			return false;
	}
	return true;
}

/*
 * Unmap the extent's frames and drop their allocation references (a
 * frame is freed once nobody else holds it). Every page must be the
 * domain's RAM, or nothing changes. Frames that follow each other as the
 * gfns do (a populated 2 MiB extent) go in one change, with one flush;
 * others page by page.
 */
static int decrease_extent(struct domain *d, unsigned long gfn,
			   unsigned int order)
{
	struct p2m_domain *p2m = d->p2m;
	unsigned long nr = 1UL << order, i;
	struct page_info *pg0;
	int rc = 0;

	if (!extent_in_p2m(p2m, gfn, order))
		return -EINVAL;
	/* A paged gfn has no frame: the pager is told to drop its copy. */
	if (order == PAGE_ORDER_4K) {
		rc = p2m_mem_paging_drop(d, gfn);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	p2m_lock_range(p2m, _gfn(gfn), order);
	pg0 = guest_own_ram(d, gfn);
	if (pg0 && extent_contiguous(d, gfn, order, pg0)) {
		unsigned long mfn0 = page_to_pfn(pg0);

		rc = p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, order,
				   p2m_invalid, p2m_access_n);
		/* Only once the p2m no longer maps them may they be freed. */
		for (i = 0; i < nr && !rc; i++)
			guest_drop_allocation(pfn_to_page(mfn0 + i));
		goto out;
	}
	for (i = 0; i < nr && !rc; i++)
		if (!guest_own_ram(d, gfn + i))
			rc = -EINVAL;
	for (i = 0; i < nr && !rc; i++)
		rc = guest_remove_page(d, gfn + i, guest_own_ram(d, gfn + i));
out:
	p2m_unlock_range(p2m, _gfn(gfn), order);
	return rc;
}

/*
 * New frames for the domain, in no p2m entry: what Xen does for a
 * translated (HVM) domain, which learns no frame numbers. They count in
 * its reservation until it is destroyed.
 */
static int increase_extent(struct domain *d, unsigned int order)
{
	return alloc_domheap_pages(d, order, 0) ? 0 : -ENOMEM;
}

int memop_read_pfn(bool compat, XEN_GUEST_HANDLE(compat_pfn_t) compat_list,
		   XEN_GUEST_HANDLE(xen_pfn_t) list, unsigned long i,
		   unsigned long *pfn)
{
	compat_pfn_t p32;
	xen_pfn_t p;

	if (compat) {
		if (copy_from_guest_offset(&p32, compat_list, i, 1))
			return -EFAULT;
		p = p32;
	} else if (copy_from_guest_offset(&p, list, i, 1)) {
		return -EFAULT;
	}
	*pfn = p;
	return 0;
}

static int do_extent(struct domain *d, unsigned int op,
		     const struct memop_args *m, unsigned long i)
{
	unsigned long gfn;
	int rc;

	if (op == XENMEM_increase_reservation)
		return increase_extent(d, m->extent_order);
	rc = memop_read_pfn(m->compat, m->compat_list, m->list, i, &gfn);
	if (rc)
		return rc;
	if (op == XENMEM_populate_physmap)
		return populate_extent(d, gfn, m->extent_order);
	return decrease_extent(d, gfn, m->extent_order);
}

/* The frame list is an aligned array that wraps nowhere. */
static bool list_ok(const struct memop_args *m)
{
	unsigned long list = m->compat ? guest_handle_addr(m->compat_list) :
					 guest_handle_addr(m->list);
	unsigned long size = m->compat ? sizeof(compat_pfn_t) :
					 sizeof(xen_pfn_t);
	unsigned long top = m->compat ? 0xffffffffUL : ~0UL;

	return IS_ALIGNED(list, size) && list <= top &&
	       top - list >= m->nr_extents * size - 1;
}

static long memop_extents(struct vcpu *v, struct hypercall_args *args,
			  unsigned int op)
{
	unsigned long start = memop_start(args->a[0]), i;
	struct memop_args m;
	struct domain *d;
	long rc;

	rc = read_reservation(args, &m);
	if (rc)
		return rc;
	if ((m.extent_order != PAGE_ORDER_4K &&
	     m.extent_order != PAGE_ORDER_2M) ||
	    m.mem_flags || m.nr_extents > memop_start_max(args->compat))
		return -EINVAL;
	if (start >= m.nr_extents)
		return start;
	/* increase_reservation writes no frame numbers to a HVM domain. */
	if (op != XENMEM_increase_reservation && !list_ok(&m))
		return -EFAULT;
	rc = hypercall_get_domain(v, m.domid, &d);
	if (rc)
		return rc;
	for (i = start; i < m.nr_extents; i++) {
		if (i != start &&
		    (i - start >= MEMOP_ROUND || hypercall_preempt_check())) {
			args->a[0] = memop_cmd(op, i);
			rc = -ERESTART;
			break;
		}
		rc = do_extent(d, op, &m, i);
		if (rc)
			break;
	}
	hypercall_put_domain(v, d);
	if (rc == -ERESTART || (rc == -EFAULT && !i))
		return rc;
	return i;
}

/* The highest gfn with a non-empty entry, or 0 if there is none. */
static unsigned long highest_populated(struct p2m_domain *p2m)
{
	unsigned long g = p2m->max_gfn;

	while (g-- > 0) {
		struct p2m_lookup r;

		p2m_get_gfn(p2m, _gfn(g), P2M_QUERY, &r);
		put_gfn(p2m, _gfn(g));
		if (r.t != p2m_invalid)
			return g;
		g &= ~((1UL << r.order) - 1);
	}
	return 0;
}

static long memop_domain_info(struct vcpu *v, unsigned int op,
			      unsigned long arg)
{
	struct domain *d;
	domid_t id;
	long rc;

	if (copy_from_guest(&id, guest_handle_from_param(arg, domid_t), 1))
		return -EFAULT;
	rc = hypercall_get_domain(v, id, &d);
	if (rc)
		return rc;
	if (op == XENMEM_current_reservation)
		rc = READ_ONCE(d->tot_pages);
	else if (op == XENMEM_maximum_reservation)
		rc = READ_ONCE(d->max_pages);
	else
		rc = highest_populated(d->p2m);
	hypercall_put_domain(v, d);
	return rc;
}

long do_memory_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned int op = memop_op(args->a[0]);

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return memop_extents(v, args, op);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return memop_domain_info(v, op, args->a[1]);
	case XENMEM_add_to_physmap:
		return memop_add_to_physmap(v, args);
	case XENMEM_add_to_physmap_batch:
		return memop_add_to_physmap_batch(v, args);
	case XENMEM_remove_from_physmap:
		return memop_remove_from_physmap(v, args);
	case XENMEM_paging_op:
		return memop_paging_op(v, args);
	}
	return -ENOSYS;
}
