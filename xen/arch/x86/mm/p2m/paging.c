/*
 * Memory paging: the states a gfn goes through between its domain and
 * the pager, and the fix-up behind get_gfn that brings a paged gfn back
 * (docs/paging.md has the protocol and who sleeps where).
 *
 *   ram_rw --nominate--> ram_paging_out --evict--> ram_paged
 *   ram_paging_out --written--> ram_rw (evict then fails: -EBUSY)
 *   ram_paged --touch--> ram_paging_in (one request to the pager)
 *   ram_paged, ram_paging_in --prep with contents--> ram_rw
 *   invalid, pageable ram_rw --populate_evicted--> ram_paged
 *   ram_paged, ram_paging_in --decrease_reservation--> invalid (drop)
 *
 * Every change is made under the gfn's range lock, which is dropped
 * before anyone sleeps. A request is put only on the ram_paged ->
 * ram_paging_in transition, so a gfn has at most one request out however
 * many vCPUs touch it; if the ring goes, every ram_paging_in gfn is made
 * ram_paged again (p2m_mem_paging_ring_gone) and the next touch asks the
 * next pager.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/physmap.h>
#include <xen/sched.h>
#include <xen/vm_event.h>
#include "backend.h"

static void count(unsigned long *c, long delta)
{
	__atomic_fetch_add(c, delta, __ATOMIC_RELAXED);
}

/* gfn's entry; the caller holds its range lock (nothing else is kept). */
static void query(struct p2m_domain *p2m, unsigned long gfn,
		  struct p2m_lookup *r)
{
	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, r);
	put_gfn(p2m, _gfn(gfn));
}

/*
 * The page behind a ram_rw entry, if it may be paged: d's own RAM (not
 * the shared-info page, which is the hypervisor's) that nobody else holds
 * (no foreign mapping, no ring, no hypercall in flight). The caller holds
 * the gfn's range lock, so no lookup holds it meanwhile.
 */
static struct page_info *pageable_page(struct domain *d,
				       const struct p2m_lookup *r)
{
	struct page_info *pg;

	if (r->t != p2m_ram_rw || !pfn_valid(mfn_x(r->mfn)))
		return NULL;
	pg = pfn_to_page(mfn_x(r->mfn));
	if (page_get_owner(pg) != d || (pg->count_info & PGC_xen_heap))
		return NULL;
	return pg;
}

static bool only_allocated(const struct page_info *pg)
{
	unsigned long c = READ_ONCE(pg->count_info);

	return (c & PGC_allocated) && (c & PGC_count_mask) == 1;
}

static bool in_p2m(const struct domain *d, unsigned long gfn)
{
	return d->p2m && gfn < d->p2m->max_gfn;
}

int p2m_mem_paging_nominate(struct domain *d, unsigned long gfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg;
	struct p2m_lookup r;
	int rc;

	if (!in_p2m(d, gfn))
		return -EINVAL;
	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	pg = pageable_page(d, &r);
	if (!pg)
		rc = p2m_is_paging(r.t) ? -EBUSY : -EINVAL;
	else if (!only_allocated(pg))
		rc = -EBUSY;
	else
		/* Read-only from here: a write makes it ram_rw again. */
		rc = p2m_set_entry(p2m, _gfn(gfn), r.mfn, PAGE_ORDER_4K,
				   p2m_ram_paging_out, p2m_access_rx);
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	return rc;
}

int p2m_mem_paging_evict(struct domain *d, unsigned long gfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg = NULL;
	struct p2m_lookup r;
	int rc = 0;

	if (!in_p2m(d, gfn))
		return -EINVAL;
	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	if (r.t == p2m_ram_rw)
		rc = -EBUSY; /* used since nominate */
	else if (r.t != p2m_ram_paging_out)
		rc = -EINVAL; /* never nominated, or evicted already */
	else {
		pg = pfn_to_page(mfn_x(r.mfn));
		if (!only_allocated(pg))
			rc = -EBUSY;
	}
	if (!rc)
		rc = p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				   p2m_ram_paged, p2m_access_n);
	/* Only once the p2m no longer maps it (after the flush). */
	if (!rc) {
		guest_drop_allocation(pg);
		count(&d->nr_paged, 1);
		count(&d->nr_evictions, 1);
	}
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	return rc;
}

int p2m_mem_paging_prep(struct domain *d, unsigned long gfn,
			struct page_info *pg)
{
	struct p2m_domain *p2m = d->p2m;
	struct p2m_lookup r;
	int rc;

	if (!in_p2m(d, gfn))
		return -EINVAL;
	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	if (r.t != p2m_ram_paged && r.t != p2m_ram_paging_in)
		rc = -EINVAL;
	else
		rc = p2m_set_entry(p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
				   PAGE_ORDER_4K, p2m_ram_rw, p2m_access_rwx);
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	if (rc)
		return rc;
	count(&d->nr_paged, -1);
	count(&d->nr_pageins, 1);
	paging_wake(d);
	return 0;
}

/*
 * A paging request about d's gfn from the current vCPU: its id if it is
 * one of d's (VCPU_PAUSED when it will wait for the answer), else FOREIGN.
 */
static void make_request(vm_event_request_t *req, struct domain *d,
			 unsigned long gfn, p2m_type_t t, u32 flags, bool waits)
{
	*req = (vm_event_request_t){
		.version = VM_EVENT_INTERFACE_VERSION,
		.reason = VM_EVENT_REASON_MEM_PAGING,
		.u.mem_paging = { .gfn = gfn, .p2mt = t, .flags = flags },
	};
	if (current->domain != d) {
		req->flags = VM_EVENT_FLAG_FOREIGN;
		return;
	}
	req->vcpu_id = current->vcpu_id;
	if (waits)
		req->flags = VM_EVENT_FLAG_VCPU_PAUSED;
}

/*
 * Tell the pager something that needs no answer for a vCPU to go on (a
 * nominated page was used; a paged page was dropped). Called with no
 * lock held. A full ring: with may_sleep (a vCPU of d, in a hypercall)
 * it waits for a slot, as Xen's vCPUs do; otherwise the notice is not
 * sent, and the pager learns it anyway: evict fails, prep of a dropped
 * gfn fails. No ring: nobody to tell.
 */
static void tell_pager(struct domain *d, unsigned long gfn, p2m_type_t t,
		       u32 flags, bool may_sleep)
{
	vm_event_request_t req;
	unsigned long gen;

	make_request(&req, d, gfn, t, flags, false);
	for (;;) {
		unsigned long seen = READ_ONCE(d->paging_events);
		int rc = vm_event_claim_slot(d, false, &gen);

		if (!rc)
			break;
		if (rc != -EBUSY || !may_sleep)
			return;
		if (wait_event(&d->paging_wq,
			       READ_ONCE(d->paging_events) != seen ||
				       READ_ONCE(d->is_shutting_down)) ||
		    READ_ONCE(d->is_shutting_down))
			return;
	}
	if (vm_event_put_request(d, gen, &req))
		return;
	vm_event_notify(d);
}

/*
 * gfn is ram_paged: make it ram_paging_in with one request to the pager.
 * Returns 0 once the request is out (or the gfn changed meanwhile),
 * -EAGAIN if it could not be sent without sleeping, or the error of a
 * wait for a slot.
 */
static int request_page_in(struct domain *d, unsigned long gfn, bool may_sleep)
{
	struct p2m_domain *p2m = d->p2m;
	vm_event_request_t req;
	struct p2m_lookup r;
	unsigned long gen;
	int rc;

	rc = vm_event_claim_slot(d, may_sleep, &gen);
	if (rc)
		return may_sleep ? rc : -EAGAIN;
	make_request(&req, d, gfn, p2m_ram_paged, 0, may_sleep);

	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	rc = r.t == p2m_ram_paged ?
		     p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				   p2m_ram_paging_in, p2m_access_n) :
		     -EEXIST;
	if (rc) {
		/* Changed meanwhile (0: look again), or no memory to split. */
		vm_event_cancel_slot(d, gen);
		p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
		return rc == -EEXIST ? 0 : rc;
	}
	if (vm_event_put_request(d, gen, &req)) {
		/*
		 * The ring went since the claim: nobody was asked. Undone in
		 * place (a 4 KiB entry now: nothing to allocate), and waited
		 * for again like a missing ring.
		 */
		p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
			      p2m_ram_paged, p2m_access_n);
		p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
		return may_sleep ? 0 : -EAGAIN;
	}
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	vm_event_notify(d);
	return 0;
}

/*
 * The PAGE_IN fix-up, with no lock of the lookup held. Only a vCPU of d
 * itself sleeps, and only without P2M_NOWAIT: anyone else (the control
 * domain mapping the gfn, the hypervisor) gets -EAGAIN once the page-in
 * is started, so the pager never waits for itself. Returns 0 when the
 * lookup should look again.
 */
static int page_in(struct p2m_domain *p2m, gfn_t gfn, p2m_query_t q)
{
	struct domain *d = p2m->domain;
	struct vcpu *v = current;
	bool may_sleep = !(q & P2M_NOWAIT) && v->domain == d;

	for (;;) {
		unsigned long seen = READ_ONCE(d->paging_events);
		struct p2m_lookup r;
		int rc = 0;

		if (READ_ONCE(d->is_shutting_down))
			return -ESRCH;
		p2m_lock_range(p2m, gfn, PAGE_ORDER_4K);
		query(p2m, gfn_x(gfn), &r);
		if (r.t == p2m_ram_paging_out)
			/* Written before eviction: it stays (evict fails). */
			rc = p2m_set_entry(p2m, gfn, r.mfn, PAGE_ORDER_4K,
					   p2m_ram_rw, p2m_access_rwx);
		p2m_unlock_range(p2m, gfn, PAGE_ORDER_4K);

		switch (r.t) {
		case p2m_ram_paging_out:
			if (!rc)
				tell_pager(d, gfn_x(gfn), r.t,
					   MEM_PAGING_EVICT_FAIL, false);
			return rc;
		case p2m_ram_paged:
			rc = request_page_in(d, gfn_x(gfn), may_sleep);
			if (rc)
				return rc;
			continue; /* now ram_paging_in (or back already) */
		case p2m_ram_paging_in:
			if (!may_sleep)
				return -EAGAIN;
			rc = wait_event(&d->paging_wq,
					READ_ONCE(d->paging_events) != seen ||
						READ_ONCE(d->is_shutting_down));
			if (rc)
				return rc;
			continue; /* back, or its request must be sent again */
		default:
			return 0; /* changed meanwhile: look again */
		}
	}
}

static int domain_fixup(struct p2m_domain *p2m, gfn_t gfn, enum p2m_fixup kind,
			p2m_query_t q)
{
	if (kind == P2M_FIXUP_PAGE_IN && p2m->domain)
		return page_in(p2m, gfn, q);
	return -ENOENT;
}

const struct p2m_fixup_ops p2m_domain_fixups = { .fixup = domain_fixup };

int p2m_mem_paging_drop(struct domain *d, unsigned long gfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct p2m_lookup r;
	int rc;

	if (!in_p2m(d, gfn))
		return 0;
	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	query(p2m, gfn, &r);
	rc = r.t == p2m_ram_paged || r.t == p2m_ram_paging_in;
	if (rc && p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				p2m_invalid, p2m_access_n))
		rc = -ENOMEM;
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	if (rc != 1)
		return rc;
	count(&d->nr_paged, -1);
	/* d's own vCPU waits for a slot: the pager's copy is stale now. */
	tell_pager(d, gfn, r.t, MEM_PAGING_DROP_PAGE, current->domain == d);
	paging_wake(d);
	return 1;
}

/*
 * One gfn of populate_evicted, under its range lock: a hole or a
 * pageable page becomes ram_paged (the page is added to *freed, to be
 * freed after the batch's flush). A gfn paged already stays so.
 */
static int evict_one(struct domain *d, unsigned long gfn,
		     unsigned long ring_gfn, struct p2m_batch *b,
		     struct page_info **freed)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg = NULL;
	struct p2m_lookup r;
	int rc;

	/* 0: no HVM_PARAM_PAGING_RING_PFN (a ring is never at gfn 0). */
	if (ring_gfn && gfn == ring_gfn)
		return -EINVAL;
	query(p2m, gfn, &r);
	if (r.t == p2m_ram_paged)
		return 0;
	if (r.t == p2m_ram_paging_in || r.t == p2m_ram_paging_out)
		return -EBUSY;
	if (r.t != p2m_invalid) {
		pg = pageable_page(d, &r);
		if (!pg)
			return -EINVAL;
		if (!only_allocated(pg))
			return -EBUSY;
	}
	rc = p2m_set_entry_batched(b, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				   p2m_ram_paged, p2m_access_n);
	if (rc)
		return rc;
	*freed = pg;
	count(&d->nr_paged, 1);
	if (pg)
		count(&d->nr_evictions, 1);
	return 0;
}

int p2m_mem_paging_populate_evicted(struct domain *d, const u64 *gfns,
				    unsigned int nr, unsigned int *done)
{
	struct page_info *freed[MEM_PAGING_BATCH];
	struct p2m_batch b = { .p2m = d->p2m };
	unsigned long ring_gfn =
		READ_ONCE(d->hvm_params[HVM_PARAM_PAGING_RING_PFN]);
	unsigned int i, n = 0;
	int rc = 0;

	if (nr > MEM_PAGING_BATCH)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		unsigned long gfn = gfns[i];
		struct page_info *pg = NULL;

		if (!in_p2m(d, gfn)) {
			rc = -EINVAL;
			break;
		}
		p2m_lock_range(d->p2m, _gfn(gfn), PAGE_ORDER_4K);
		rc = evict_one(d, gfn, ring_gfn, &b, &pg);
		p2m_unlock_range(d->p2m, _gfn(gfn), PAGE_ORDER_4K);
		if (rc)
			break;
		if (pg)
			freed[n++] = pg;
	}
	*done = i;
	/* One flush for the batch; only then may the frames go. */
	p2m_batch_flush(&b);
	while (n)
		guest_drop_allocation(freed[--n]);
	return rc;
}

void p2m_mem_paging_ring_gone(struct domain *d)
{
	struct p2m_domain *p2m = d->p2m;
	unsigned long g = 0;

	while (p2m && g < p2m->max_gfn) {
		struct p2m_lookup r;

		p2m_lock_range(p2m, _gfn(g), PAGE_ORDER_4K);
		query(p2m, g, &r);
		if (r.t == p2m_ram_paging_in)
			p2m_set_entry(p2m, _gfn(g), INVALID_MFN, PAGE_ORDER_4K,
				      p2m_ram_paged, p2m_access_n);
		p2m_unlock_range(p2m, _gfn(g), PAGE_ORDER_4K);
		/* A non-leaf-level empty entry covers its whole block. */
		g = (g | ((1UL << r.order) - 1)) + 1;
	}
	paging_wake(d);
}
