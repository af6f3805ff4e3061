/*
 * Setting up the paging ring for the target and serving it: page-in
 * requests are answered from the store with prep (the contents in the
 * same call), then a response with the request's gfn, vCPU and flags.
 */
#include <xtf.h>

#include "pager.h"
#include "xenctl.h"

/* How long to wait for the target to exist. */
#define START_WAIT_MS 10000

static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void pager_error(struct pager *p, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("pager: protocol error: %s\n", why);
	p->errors++;
}

bool pager_target_alive(const struct pager *p)
{
	return hypercall_memory_count(XENMEM_current_reservation, p->target) >=
	       0;
}

void pager_sleep_ms(unsigned int ms)
{
	uint64_t now, end;

	if (hypercall_get_time(&now))
		xtf_error("pager: get_time failed");
	/* A poll may end early (an upcall pending): sleep the whole time. */
	for (end = now + ms * 1000000ull; now < end;) {
		sched_poll(NULL, 0, end);
		if (hypercall_get_time(&now))
			xtf_error("pager: get_time failed");
	}
}

/*
 * The target's ring gfn: the one its builder reserved after its RAM
 * (HVM_PARAM_PAGING_RING_PFN), populated here as Xen's tools do. A page
 * there already (a pager before us) is used as it is.
 */
static uint32_t add_ring_page(domid_t target)
{
	uint64_t gfn;
	long rc = hvm_get_param(target, HVM_PARAM_PAGING_RING_PFN, &gfn);

	if (rc || !gfn)
		xtf_error("pager: d%u has no PAGING_RING_PFN: %ld", target, rc);
	rc = populate_gfn(target, gfn);
	if (rc < 0)
		xtf_error("pager: populating d%u's ring gfn 0x%llx: %ld",
			  target, (unsigned long long)gfn, rc);
	return gfn;
}

/* Take a free page of the pager's RAM out of its physmap (a hole). */
uint32_t pager_take_hole(uint32_t pa)
{
	uint32_t gfn = pa >> PAGE_SHIFT;
	long rc =
		hypercall_reservation(XENMEM_decrease_reservation, &gfn, 1, 0);

	if (rc != 1)
		xtf_error("pager: decrease_reservation of gfn 0x%x: %ld", gfn,
			  rc);
	return gfn;
}

void pager_attach(struct pager *p, domid_t target, bool pause)
{
	uint32_t top = xtf_top_free_page();
	uint64_t ring;
	long rc;

	p->target = target;
	p->last_evict_fail = ~0u;
	for (unsigned int ms = 0;
	     (rc = hypercall_memory_count(XENMEM_maximum_gpfn, target)) < 0;
	     ms += 10) {
		if (ms >= START_WAIT_MS)
			xtf_error("pager: no domain %u: %ld", target, rc);
		pager_sleep_ms(10);
	}
	p->nr_gfns = rc + 1;
	/* Its RAM only: the special gfns after it (ring, console) stay. */
	if (!hvm_get_param(target, HVM_PARAM_PAGING_RING_PFN, &ring) && ring &&
	    ring < p->nr_gfns)
		p->nr_gfns = (uint32_t)ring;
	if (pause) {
		/* First: the target was unpaused right after the pager. */
		pager_pause(p, true);
		printf("pager: d%u paused at start\n", target);
	}
	/* The three top free pages: the ring, the copy window, shared info. */
	p->ring_at = pager_take_hole(top);
	p->win = pager_take_hole(top - PAGE_SIZE);
	rc = evtchn_map_shared_info((void *)(top - 2 * PAGE_SIZE));
	if (rc)
		xtf_error("pager: mapping shared info: %ld", rc);
	store_init(p->nr_gfns, top - 2 * PAGE_SIZE, top + PAGE_SIZE);
}

void pager_ring_up(struct pager *p)
{
	uint32_t version, port;
	int32_t err;
	long rc;

	p->ring_gfn = add_ring_page(p->target);
	rc = foreign_map(p->target, p->ring_gfn, p->ring_at, &err);
	if (rc || err)
		xtf_error("pager: mapping d%u's ring gfn 0x%x: %ld (gfn: %d)",
			  p->target, p->ring_gfn, rc, err);
	rc = vm_event_op(p->target, XEN_VM_EVENT_GET_VERSION, &version);
	if (rc || version != VM_EVENT_INTERFACE_VERSION)
		xtf_error("pager: vm_event GET_VERSION: %ld, version 0x%x", rc,
			  version);
	rc = vm_event_op(p->target, XEN_VM_EVENT_ENABLE, &port);
	if (rc)
		xtf_error("pager: vm_event ENABLE on d%u: %ld", p->target, rc);
	ring_attach(&p->ring, (void *)(p->ring_at << PAGE_SHIFT));
	rc = evtchn_bind_interdomain(p->target, port);
	if (rc < 0)
		xtf_error("pager: binding d%u's port %u: %ld", p->target, port,
			  rc);
	p->port = rc;
	/* Polled, never an upcall. */
	evtchn_mask(p->port);
	/* Once: with pages paged out the reservation is lower. */
	if (!p->ram)
		p->ram = hypercall_memory_count(XENMEM_current_reservation,
						p->target);
	printf("pager: d%u: %u gfns, %u pages, ring at gfn 0x%x, port %u (ours %u)\n",
	       p->target, p->nr_gfns, p->ram, p->ring_gfn, port, p->port);
}

void pager_ring_down(struct pager *p)
{
	long rc = vm_event_op(p->target, XEN_VM_EVENT_DISABLE, NULL);

	if (rc)
		xtf_failure("pager: vm_event DISABLE on d%u: %ld", p->target,
			    rc);
	/* The old ring page: our mapping held the last reference. */
	rc = foreign_unmap(p->ring_at);
	if (rc)
		xtf_failure("pager: unmapping the old ring at 0x%x: %ld",
			    p->ring_at, rc);
	/* Its other end is gone: ours is closed (or closes now). */
	evtchn_close(p->port);
	memset(&p->ring, 0, sizeof(p->ring));
	p->port = 0;
}

void pager_pause(struct pager *p, bool pause)
{
	struct xen_domctl d = {};
	long rc = domctl(pause ? XEN_DOMCTL_pausedomain :
				 XEN_DOMCTL_unpausedomain,
			 p->target, &d);

	if (rc)
		xtf_failure("pager: %spausedomain of d%u: %ld",
			    pause ? "" : "un", p->target, rc);
}

void pager_wait(struct pager *p)
{
	uint64_t now;

	if (!evtchn_is_pending(p->port) && !hypercall_get_time(&now))
		sched_poll(&p->port, 1, now + 1000000);
	evtchn_clear_pending(p->port);
}

/* Page gfn in: prep with its contents from the store. */
static void page_in(struct pager *p, uint32_t gfn)
{
	long rc;

	if (p->state[gfn] == GFN_PREPPED) {
		p->state[gfn] =
			GFN_RESIDENT; /* asked after all: nothing to do */
		return;
	}
	if (p->state[gfn] != GFN_PAGED) {
		/* One request per eviction, however many vCPUs wait. */
		pager_error(
			p,
			"page-in request for gfn 0x%x, which is not paged (asked twice?)",
			gfn);
		return;
	}
	rc = paging_op(XENMEM_paging_op_prep, p->target, gfn,
		       store_contents(gfn, scratch));
	if (rc) {
		if (pager_target_alive(p))
			pager_error(p, "prep of gfn 0x%x: %ld", gfn, rc);
		return;
	}
	store_drop(gfn);
	p->state[gfn] = GFN_RESIDENT;
	p->paged--;
	p->pageins++;
}

/* mode=restart: a request for a gfn left on the old ring came again. */
static void note_resent(struct pager *p, uint32_t gfn)
{
	for (unsigned int i = 0; i < p->nr_outstanding; i++) {
		if (p->outstanding[i] == gfn) {
			p->outstanding[i] = ~0u;
			p->resent++;
		}
	}
}

/*
 * hot=N: before the page-in of a gfn at or above N, evict the target's
 * resident gfns below N again (gfns below N are paged in without that,
 * so a vCPU that needs several of them gets them all). A 64-bit target's
 * page tables lie there (the builder's, gfns 3 to 5 up to 1 GiB): the
 * vCPU woken by the page-in finds the tables it walks paged out, and so
 * does the hypervisor's walk for a hypercall buffer it was copying.
 */
static void evict_hot(struct pager *p, uint32_t gfn)
{
	if (gfn < p->hot)
		return;
	for (uint32_t g = 0; g < p->hot && g < p->nr_gfns; g++)
		if (g != p->ring_gfn && p->state[g] == GFN_RESIDENT &&
		    store_room())
			pager_evict(p, g);
}

/*
 * Every request gets a response, notices included: a response is what
 * frees its slot (an unanswered one would keep it for ever).
 */
static void handle(struct pager *p, const vm_event_request_t *req)
{
	uint64_t gfn = req->u.mem_paging.gfn;
	uint32_t flags = req->u.mem_paging.flags;

	if (req->version != VM_EVENT_INTERFACE_VERSION ||
	    req->reason != VM_EVENT_REASON_MEM_PAGING || gfn >= p->nr_gfns) {
		pager_error(p, "request version %u reason %u gfn 0x%llx",
			    req->version, req->reason, (unsigned long long)gfn);
		return;
	}
	if (flags & MEM_PAGING_DROP_PAGE) {
		/* Ballooned out while paged: the copy is of no use now. */
		if (p->state[gfn] != GFN_PAGED)
			pager_error(p, "drop of gfn 0x%llx, which is not paged",
				    (unsigned long long)gfn);
		else
			p->paged--;
		store_drop(gfn);
		p->state[gfn] = GFN_RESIDENT;
		p->drops++;
		return;
	}
	if (flags & MEM_PAGING_EVICT_FAIL) {
		/*
		 * Its evict failed (or will): it stays resident. Unless it
		 * is a hot gfn paged again since an evict failed busy (the
		 * one this notice is about).
		 */
		if (gfn < p->hot && p->hot_busy[gfn])
			p->hot_busy[gfn]--;
		else if (p->state[gfn] == GFN_PAGED)
			pager_error(p,
				    "evict-fail of gfn 0x%llx, which is paged",
				    (unsigned long long)gfn);
		p->evict_fails++;
		p->last_evict_fail = gfn;
		return;
	}
	p->requests++;
	note_resent(p, gfn);
	evict_hot(p, gfn);
	page_in(p, gfn);
	if (!(req->flags & VM_EVENT_FLAG_FOREIGN))
		p->ra_next = gfn + 1;
}

/*
 * Map up to p->readahead paged gfns after the last one a vCPU asked for:
 * each map must fail with -ENOENT and start its page-in (a request of
 * the pager's own on the ring, unless the ring is full). So the ring
 * fills with more requests than the target has vCPUs.
 */
static void read_ahead(struct pager *p)
{
	uint32_t gfn = p->ra_next;

	p->ra_next = 0;
	for (unsigned int n = 0; gfn && n < p->readahead && gfn < p->nr_gfns;
	     gfn++, n++) {
		int32_t err;
		long rc;

		if (p->state[gfn] != GFN_PAGED)
			continue;
		rc = foreign_map(p->target, gfn, p->win, &err);
		if (!rc && !err) {
			foreign_unmap(p->win);
			pager_error(p, "paged gfn 0x%x was mapped", gfn);
		} else if (!rc && err == -XEN_ESRCH) {
			return; /* the target is shutting down */
		} else if (rc || err != -XEN_ENOENT) {
			if (pager_target_alive(p))
				pager_error(
					p,
					"read-ahead map of gfn 0x%x: %ld (gfn: %d)",
					gfn, rc, err);
			return;
		}
	}
}

bool pager_serve(struct pager *p)
{
	vm_event_request_t req;
	bool any = false;
	int got;

	if (p->ring.s &&
	    __atomic_load_n(&p->ring.s->req_prod, __ATOMIC_ACQUIRE) -
			    p->ring.req_cons >=
		    VM_EVENT_RING_SIZE)
		p->ring_full++;
	while ((got = ring_get(&p->ring, &req)) > 0) {
		vm_event_response_t rsp = {
			.version = VM_EVENT_INTERFACE_VERSION,
			.flags = req.flags,
			.reason = req.reason,
			.vcpu_id = req.vcpu_id,
			.altp2m_idx = req.altp2m_idx,
			.u.mem_paging = req.u.mem_paging,
		};

		any = true;
		handle(p, &req);
		ring_put(&p->ring, &rsp);
	}
	if (got < 0)
		xtf_failure(
			"pager: req_prod %u is more than %u ahead of req_cons %u",
			p->ring.s->req_prod, VM_EVENT_RING_SIZE,
			p->ring.req_cons);
	if (ring_push(&p->ring)) {
		long rc = evtchn_send(p->port);

		if (rc && pager_target_alive(p))
			pager_error(p, "send on port %u: %ld", p->port, rc);
	}
	if (p->ra_next)
		read_ahead(p);
	return any;
}
