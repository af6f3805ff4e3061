/*
 * The vm_event ring in paging mode: XEN_DOMCTL_vm_event_op, the slots
 * requests are put in, and the responses the pager gives back
 * (xen/vm_event.h has the slot protocol, docs/paging.md the whole).
 *
 * The hypervisor produces requests and consumes responses; its indices
 * (req_prod, rsp_cons) are private and only published to the shared
 * page. What the pager writes there (rsp_prod, the responses) is read
 * once and checked: a producer index beyond the requests sent is refused
 * and nothing is read.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/physmap.h>
#include <xen/sched.h>
#include <xen/vm_event.h>
#include <asm/p2m.h>
#include <public/hvm_op.h>

struct vm_event_domain {
	domid_t helper; /* the domain that enabled it (the pager) */
	evtchn_port_t port; /* the target's port, served here */
	unsigned long ring_gfn;
	struct page_info *ring_pg; /* the target's page: a reference held */
	struct vm_event_sring *sring;
	/* Under the target's paging_lock: */
	unsigned int req_prod, rsp_cons;
	unsigned int claimed; /* slots claimed, not yet filled or cancelled */
	unsigned long nr_requests, nr_responses;
	bool bad_index_reported, bad_response_reported;
};

void paging_wake(struct domain *d)
{
	__atomic_fetch_add(&d->paging_events, 1, __ATOMIC_SEQ_CST);
	wake_up_all(&d->paging_wq);
}

static unsigned int free_slots(const struct vm_event_domain *r)
{
	return VM_EVENT_RING_SIZE - (r->req_prod - r->rsp_cons) - r->claimed;
}

int vm_event_claim_slot(struct domain *d, bool may_sleep, unsigned long *gen)
{
	for (;;) {
		unsigned long seen = READ_ONCE(d->paging_events);
		struct vm_event_domain *r;
		int rc;

		spin_lock(&d->paging_lock);
		r = d->paging_ring;
		if (r && free_slots(r)) {
			r->claimed++;
			*gen = d->paging_ring_gen;
			spin_unlock(&d->paging_lock);
			return 0;
		}
		spin_unlock(&d->paging_lock);
		if (!may_sleep)
			return r ? -EBUSY : -ENODEV;
		/* A vCPU of d: wait for a slot, or for a ring to come. */
		rc = wait_event(&d->paging_wq,
				READ_ONCE(d->paging_events) != seen ||
					READ_ONCE(d->is_shutting_down));
		if (rc)
			return rc;
		if (READ_ONCE(d->is_shutting_down))
			return -ESRCH;
	}
}

void vm_event_cancel_slot(struct domain *d, unsigned long gen)
{
	spin_lock(&d->paging_lock);
	if (d->paging_ring && d->paging_ring_gen == gen)
		d->paging_ring->claimed--;
	spin_unlock(&d->paging_lock);
	paging_wake(d);
}

int vm_event_put_request(struct domain *d, unsigned long gen,
			 const vm_event_request_t *req)
{
	struct vm_event_domain *r;

	spin_lock(&d->paging_lock);
	r = d->paging_ring;
	if (!r || d->paging_ring_gen != gen) {
		spin_unlock(&d->paging_lock);
		return -ENODEV;
	}
	r->sring->ring[r->req_prod % VM_EVENT_RING_SIZE] = *req;
	r->req_prod++;
	r->claimed--;
	r->nr_requests++;
	/* The entry is in place before the pager can see the index move. */
	__atomic_store_n(&r->sring->req_prod, r->req_prod, __ATOMIC_RELEASE);
	spin_unlock(&d->paging_lock);
	return 0;
}

void vm_event_notify(struct domain *d)
{
	evtchn_port_t port = 0;

	spin_lock(&d->paging_lock);
	if (d->paging_ring)
		port = d->paging_ring->port;
	spin_unlock(&d->paging_lock);
	if (port)
		notify_via_xen_evtchn(d, port);
}

/* A response is only checked: the page itself came back with prep. */
static bool response_ok(const vm_event_response_t *rsp)
{
	return rsp->version == VM_EVENT_INTERFACE_VERSION &&
	       rsp->reason == VM_EVENT_REASON_MEM_PAGING;
}

long vm_event_resume(struct domain *d)
{
	struct vm_event_domain *r;
	unsigned int prod, bad = 0;
	long rc = 0;

	spin_lock(&d->paging_lock);
	r = d->paging_ring;
	if (!r) {
		spin_unlock(&d->paging_lock);
		return -ENODEV;
	}
	prod = __atomic_load_n(&r->sring->rsp_prod, __ATOMIC_ACQUIRE);
	if (prod - r->rsp_cons > r->req_prod - r->rsp_cons) {
		if (!r->bad_index_reported)
			printk(XENLOG_WARNING
			       "d%u: paging ring: response index %u beyond "
			       "the %u requests sent: ignored\n",
			       d->domain_id, prod, r->req_prod);
		r->bad_index_reported = true;
		rc = -EINVAL;
		prod = r->rsp_cons;
	}
	for (; r->rsp_cons != prod; r->rsp_cons++) {
		vm_event_response_t *rsp =
			&r->sring->ring[r->rsp_cons % VM_EVENT_RING_SIZE];

		r->nr_responses++;
		if (!response_ok(rsp))
			bad++;
	}
	r->sring->rsp_event = r->rsp_cons + 1;
	if (bad && !r->bad_response_reported) {
		printk(XENLOG_WARNING "d%u: paging ring: %u responses with a "
				      "wrong version or reason\n",
		       d->domain_id, bad);
		r->bad_response_reported = true;
	}
	spin_unlock(&d->paging_lock);
	/* Slots are free again; sleepers look at their gfns again. */
	paging_wake(d);
	return rc;
}

/* The pager sent on its end of the ring's channel. */
static void ring_kicked(struct vcpu *sender, evtchn_port_t port, void *data)
{
	vm_event_resume(data);
}

/*
 * Take the ring page out of d's physmap: its gfn must be RAM d owns,
 * which the pager has mapped. A reference keeps it. Called with the
 * enable lock held.
 */
static int take_ring_page(struct domain *d, unsigned long gfn,
			  struct page_info **out)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg = NULL;
	struct p2m_lookup r;
	int rc = -EINVAL;

	if (gfn >= p2m->max_gfn)
		return -EINVAL;
	p2m_lock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(p2m, _gfn(gfn));
	if (r.t == p2m_ram_rw && pfn_valid(mfn_x(r.mfn))) {
		pg = pfn_to_page(mfn_x(r.mfn));
		if (page_get_owner(pg) == d &&
		    (pg->count_info & PGC_allocated) && get_page(pg, d))
			rc = 0;
	}
	if (!rc) {
		rc = p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, PAGE_ORDER_4K,
				   p2m_invalid, p2m_access_n);
		if (rc)
			put_page(pg);
	}
	p2m_unlock_range(p2m, _gfn(gfn), PAGE_ORDER_4K);
	*out = pg;
	return rc;
}

/* The ring page leaves d: its reference and d's allocation go. */
static void release_ring_page(struct page_info *pg)
{
	guest_drop_allocation(pg);
	put_page(pg);
}

static long ring_enable(struct vcpu *v, struct domain *d,
			struct xen_domctl_vm_event_op *op)
{
	unsigned long gfn = READ_ONCE(d->hvm_params[HVM_PARAM_PAGING_RING_PFN]);
	struct vm_event_domain *r;
	long port;
	int rc;

	if (!gfn)
		return -EINVAL; /* HVM_PARAM_PAGING_RING_PFN not set */
	r = alloc_xenheap_page();
	if (!r)
		return -ENOMEM;
	BUILD_BUG_ON(sizeof(*r) > PAGE_SIZE);
	*r = (struct vm_event_domain){ .helper = v->domain->domain_id,
				       .ring_gfn = gfn };
	port = alloc_unbound_xen_evtchn(d, r->helper, ring_kicked, d);
	if (port < 0) {
		free_xenheap_page(r);
		return port;
	}
	r->port = port;

	spin_lock(&d->vm_event_ctl_lock);
	rc = READ_ONCE(d->paging_ring) ? -EBUSY :
					 take_ring_page(d, gfn, &r->ring_pg);
	if (!rc) {
		r->sring = page_to_virt(r->ring_pg);
		memset(r->sring, 0, PAGE_SIZE);
		r->sring->req_event = r->sring->rsp_event = 1;
		spin_lock(&d->paging_lock);
		d->paging_ring = r;
		d->paging_ring_gen++;
		spin_unlock(&d->paging_lock);
	}
	spin_unlock(&d->vm_event_ctl_lock);
	if (rc) {
		free_xen_evtchn(d, r->port);
		free_xenheap_page(r);
		return rc;
	}
	printk("d%u (%s): paging ring at gfn %lx, pager d%u, port %u\n",
	       d->domain_id, d->name, gfn, r->helper, r->port);
	op->u.enable.port = r->port;
	/* vCPUs waiting for a pager send their requests now. */
	paging_wake(d);
	return 0;
}

/*
 * Take d's ring away: nothing can be put on it from here; requests out
 * are undone so that the next pager is asked again. The pager, if it
 * still listens, is told.
 */
static long ring_disable(struct domain *d)
{
	struct vm_event_domain *r;

	spin_lock(&d->vm_event_ctl_lock);
	spin_lock(&d->paging_lock);
	r = d->paging_ring;
	d->paging_ring = NULL;
	d->paging_ring_gen++;
	spin_unlock(&d->paging_lock);
	if (r) {
		p2m_mem_paging_ring_gone(d);
		release_ring_page(r->ring_pg);
	}
	spin_unlock(&d->vm_event_ctl_lock);
	if (!r)
		return -EINVAL;
	printk("d%u (%s): paging ring gone (pager d%u): %lu requests, %lu "
	       "responses\n",
	       d->domain_id, d->name, r->helper, r->nr_requests,
	       r->nr_responses);
	notify_via_xen_evtchn(d, r->port);
	free_xen_evtchn(d, r->port);
	free_xenheap_page(r);
	return 0;
}

long vm_event_domctl(struct vcpu *v, struct domain *d,
		     struct xen_domctl_vm_event_op *op)
{
	if (d == v->domain)
		return -EINVAL; /* a pager cannot serve itself */
	if (op->mode != XEN_DOMCTL_VM_EVENT_OP_PAGING)
		return -EOPNOTSUPP;
	if (!d->p2m)
		return -ENODEV;
	switch (op->op) {
	case XEN_VM_EVENT_ENABLE:
		if (READ_ONCE(d->is_shutting_down))
			return -ESRCH;
		return ring_enable(v, d, op);
	case XEN_VM_EVENT_DISABLE:
		return ring_disable(d);
	case XEN_VM_EVENT_RESUME:
		return vm_event_resume(d);
	case XEN_VM_EVENT_GET_VERSION:
		op->u.version = VM_EVENT_INTERFACE_VERSION;
		return 0;
	}
	return -EINVAL;
}

void vm_event_domain_gone(struct domain *dead)
{
	struct domain *d;

	for (d = domain_next(NULL); d; d = domain_next(d)) {
		bool served;

		spin_lock(&d->paging_lock);
		served = d->paging_ring &&
			 d->paging_ring->helper == dead->domain_id;
		spin_unlock(&d->paging_lock);
		if (d == dead || served)
			ring_disable(d);
	}
	if (dead->nr_evictions || dead->nr_pageins)
		printk("d%u (%s): paging: %lu evictions, %lu page-ins\n",
		       dead->domain_id, dead->name, dead->nr_evictions,
		       dead->nr_pageins);
}
