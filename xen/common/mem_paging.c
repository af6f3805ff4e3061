/*
 * memory_op XENMEM_paging_op (20): the pager's operations on a gfn of
 * another domain (public/memory.h has the sub-ops, docs/paging.md the
 * states). Only the control domain may call it, never on itself; every
 * sub-op but populate_evicted and accessed needs the domain's paging ring.
 *
 * populate_evicted reads its gfns MEM_PAGING_BATCH at a time (one flush
 * each) and is continued through the memory_op cmd (Xen's encoding) with
 * the index of the next gfn, so no gfn is done twice or skipped.
 */
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/physmap.h>
#include <asm/p2m.h>
#include <public/memory.h>

/* populate_evicted's batches in one round before it is continued. */
#define PAGING_ROUND_BATCHES 16

static long paging_prep(struct domain *d, const struct xen_mem_paging_op *op)
{
	struct page_info *pg;
	long rc;

	/* A gfn never becomes present without its contents. */
	if (guest_handle_is_null(op->buffer))
		return -EINVAL;
	pg = alloc_domheap_page(d, MEMF_no_scrub);
	if (!pg)
		return -ENOMEM;
	/* The pager's memory, with no lock of the target's held. */
	rc = copy_from_guest((u8 *)page_to_virt(pg), op->buffer, PAGE_SIZE) ?
		     -EFAULT :
		     p2m_mem_paging_prep(d, op->gfn, pg);
	if (rc)
		guest_drop_allocation(pg);
	return rc;
}

/*
 * The caller's bitmap is written twice: zeroed before any bit is cleared,
 * so that a bad handle (-EFAULT) loses no accessed state, then filled.
 */
static long paging_accessed(struct domain *d,
			    const struct xen_mem_paging_accessed *a)
{
	unsigned long bytes = DIV_ROUND_UP(a->nr, 8);
	u8 *bits;
	long rc;

	if (!d->p2m->accessed_bits)
		return -EOPNOTSUPP;
	if (a->nr > XENMEM_PAGING_ACCESSED_MAX_NR)
		return -EINVAL;
	if (!a->nr)
		return 0;
	BUILD_BUG_ON(XENMEM_PAGING_ACCESSED_MAX_NR / 8 > PAGE_SIZE);
	bits = alloc_xenheap_page();
	if (!bits)
		return -ENOMEM;
	memset(bits, 0, bytes);
	if (copy_to_guest(a->bitmap, bits, bytes))
		rc = -EFAULT;
	else
		rc = p2m_test_clear_accessed(d->p2m, a->gfn, a->nr, bits);
	if (!rc && copy_to_guest(a->bitmap, bits, bytes))
		rc = -EFAULT;
	free_xenheap_page(bits);
	return rc;
}

static long populate_evicted(struct hypercall_args *args, struct domain *d,
			     XEN_GUEST_HANDLE(xen_mem_paging_batch_t) hnd,
			     const struct xen_mem_paging_batch *b)
{
	unsigned long start = memop_start(args->a[0]), i = start, round = 0;
	u64 gfns[MEM_PAGING_BATCH];
	long rc = 0;

	if (b->nr > memop_start_max(args->compat))
		return -EINVAL;
	while (i < b->nr) {
		unsigned int n = MEM_PAGING_BATCH, done;

		if (i != start && (round == PAGING_ROUND_BATCHES ||
				   hypercall_preempt_check())) {
			args->a[0] = memop_cmd(XENMEM_paging_op, i);
			return -ERESTART;
		}
		if (b->nr - i < n)
			n = b->nr - i;
		if (copy_from_guest_offset(gfns, b->gfns, i, n))
			return -EFAULT;
		rc = p2m_mem_paging_populate_evicted(d, gfns, n, &done);
		i += done;
		round++;
		if (rc)
			break;
	}
	/* Which gfn failed: the caller's nr becomes its index. */
	if (rc) {
		struct xen_mem_paging_batch out = { .nr = i };

		if (copy_field_to_guest(hnd, &out, nr))
			rc = -EFAULT;
	}
	return rc;
}

long memop_paging_op(struct vcpu *v, struct hypercall_args *args)
{
	union {
		struct xen_mem_paging_op op;
		struct xen_mem_paging_batch batch;
		struct xen_mem_paging_accessed accessed;
	} u;
	XEN_GUEST_HANDLE(xen_mem_paging_op_t) op_hnd =
		guest_handle_from_param(args->a[1], xen_mem_paging_op_t);
	struct domain *d;
	long rc;

	BUILD_BUG_ON(sizeof(u.op) != sizeof(u.batch) ||
		     sizeof(u.op) != sizeof(u.accessed));
	/* Neither the control domain nor one with a target (may_control()) */
	if (!is_control_domain(v->domain) && !READ_ONCE(v->domain->target))
		return -EPERM;
	/* The batch is the same bytes, read with them. */
	if (copy_from_guest(&u.op, op_hnd, 1))
		return -EFAULT;
	d = domain_get(u.op.domain);
	if (!d)
		return -ESRCH;
	if (d != v->domain && !may_control(v->domain, d))
		rc = -EPERM;
	else if (d == v->domain || !d->p2m)
		rc = -EINVAL; /* a pager cannot page itself */
	else if (u.op.op > XENMEM_paging_op_accessed)
		rc = -EINVAL; /* unknown, ring or not */
	else if (u.op.op == XENMEM_paging_op_accessed)
		rc = paging_accessed(d, &u.accessed);
	else if (u.op.op == XENMEM_paging_op_populate_evicted)
		rc = populate_evicted(args, d,
				      guest_handle_cast(op_hnd,
							xen_mem_paging_batch_t),
				      &u.batch);
	else if (!READ_ONCE(d->paging_ring))
		rc = -ENODEV;
	else if (u.op.op == XENMEM_paging_op_nominate)
		rc = p2m_mem_paging_nominate(d, u.op.gfn);
	else if (u.op.op == XENMEM_paging_op_evict)
		rc = p2m_mem_paging_evict(d, u.op.gfn);
	else
		rc = paging_prep(d, &u.op);
	domain_put(d);
	return rc;
}
