/*
 * The pager's other lives: start-up demand paging (mode=lazy), a pager
 * that goes away and comes back (mode=restart) and one that dies with
 * the target waiting for it (mode=die).
 */
#include <xtf.h>

#include "pager.h"
#include "xenctl.h"

/* gfns per populate_evicted call: the hypervisor continues long calls. */
#define PAGE_OUT_CALL 4096
/* mode=restart: how long the ring is not served, then gone. */
#define UNSERVED_MS 200
#define GONE_MS 1000
/* mode=die: page-ins served before the pager shuts down. */
#define DIE_AFTER 50

static uint64_t gfns[STORE_MAX_GFNS];

uint64_t pager_populate(struct pager *p, uint64_t *g, uint64_t n)
{
	uint64_t done = n;
	long rc = populate_evicted(p->target, g, &done);

	if (!rc) {
		done = n;
	} else {
		printf("pager: populate_evicted: gfn 0x%llx (%llu of %llu) refused: %ld\n",
		       (unsigned long long)g[done < n ? done : 0],
		       (unsigned long long)done, (unsigned long long)n, rc);
		if (done >= n) {
			pager_error(p,
				    "populate_evicted failed at %llu of %llu",
				    (unsigned long long)done,
				    (unsigned long long)n);
			done = 0;
		}
	}
	for (uint64_t i = 0; i < done; i++) {
		p->state[g[i]] = GFN_PAGED;
		p->paged++;
		p->populated++;
	}
	return done;
}

/*
 * The target is paused: each gfn populate_evicted said it paged must be
 * paged now (nominate says -EBUSY), not skipped or done twice wrongly.
 */
static void verify_paged(struct pager *p, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		long rc;

		if (p->state[gfns[i]] != GFN_PAGED)
			continue;
		rc = paging_op(XENMEM_paging_op_nominate, p->target, gfns[i],
			       0);
		if (rc != -XEN_EBUSY)
			pager_error(
				p,
				"gfn 0x%llx is not paged after populate_evicted (nominate: %ld)",
				(unsigned long long)gfns[i], rc);
	}
}

void pager_page_out_all(struct pager *p)
{
	uint64_t nr = 0, i = 0;
	unsigned int calls = 0;

	for (uint32_t gfn = 0; gfn < p->nr_gfns && store_room(); gfn++)
		if (gfn != p->ring_gfn && p->state[gfn] != GFN_PAGED &&
		    pager_save(p, gfn))
			gfns[nr++] = gfn;
	while (i < nr) {
		uint64_t n = nr - i < PAGE_OUT_CALL ? nr - i : PAGE_OUT_CALL;
		uint64_t done = pager_populate(p, gfns + i, n);

		calls++;
		if (done < n) {
			/* The gfns before the one refused are paged: skip it. */
			store_drop(gfns[i + done]);
			p->refused++;
			n = done + 1;
		}
		i += n;
	}
	printf("pager: populate_evicted paged %u of %llu gfns saved, in %u calls\n",
	       p->populated, (unsigned long long)nr, calls);
	verify_paged(p, nr);
}

/* The target was paused by pager_attach as soon as it was found. */
static void page_out_at_start(struct pager *p)
{
	pager_ring_up(p);
	pager_page_out_all(p);
	pager_pause(p, false);
}

void mode_lazy(struct pager *p)
{
	page_out_at_start(p);
}

void mode_die(struct pager *p)
{
	page_out_at_start(p);
	while (p->pageins < DIE_AFTER && pager_target_alive(p))
		if (!pager_serve(p))
			pager_wait(p);
	printf("pager: %u page-ins served, %u gfns paged: going away with d%u waiting\n",
	       p->pageins, p->paged, p->target);
	if (p->errors)
		xtf_failure("pager: %u protocol errors", p->errors);
	/* poweroff: the hypervisor takes the target's ring away. */
	xtf_success();
}

void pager_restart(struct pager *p)
{
	uint32_t cons = p->ring.req_cons;
	uint32_t prod = __atomic_load_n(&p->ring.s->req_prod, __ATOMIC_ACQUIRE);

	/* Unserved for a while: the target's vCPUs wait on page-ins. */
	pager_sleep_ms(UNSERVED_MS);
	prod = __atomic_load_n(&p->ring.s->req_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > VM_EVENT_RING_SIZE)
		xtf_failure(
			"pager: req_prod %u is more than a ring ahead of %u",
			prod, cons);
	for (; cons != prod; cons++) {
		const vm_event_request_t *req =
			&p->ring.s->ring[cons % VM_EVENT_RING_SIZE];

		if (!(req->u.mem_paging.flags &
		      (MEM_PAGING_DROP_PAGE | MEM_PAGING_EVICT_FAIL)))
			p->outstanding[p->nr_outstanding++] =
				req->u.mem_paging.gfn;
	}
	printf("pager: restart: %u page-in requests unanswered; ring disabled\n",
	       p->nr_outstanding);
	pager_ring_down(p);
	/* The target's vCPUs that touch paged gfns sleep meanwhile. */
	pager_sleep_ms(GONE_MS);
	pager_ring_up(p);
	printf("pager: restart: new ring up\n");
	p->restarted_at = now_ms();
}

uint64_t now_ms(void)
{
	uint64_t ns;

	if (hypercall_get_time(&ns))
		xtf_error("pager: get_time failed");
	return ns / 1000000;
}
