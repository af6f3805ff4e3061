#include <xtf.h>

#include "ring.h"

static uint32_t load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

void ring_attach(struct pager_ring *r, void *page)
{
	r->s = page;
	r->req_cons = load(&r->s->rsp_prod);
	r->rsp_prod_pvt = r->req_cons;
}

int ring_get(struct pager_ring *r, vm_event_request_t *req)
{
	uint32_t prod = load(&r->s->req_prod);

	if (prod == r->req_cons) {
		/* Ask for a notification, then look again (no lost wakeup). */
		store(&r->s->req_event, r->req_cons + 1);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		prod = load(&r->s->req_prod);
		if (prod == r->req_cons)
			return 0;
	}
	if (prod - r->req_cons > VM_EVENT_RING_SIZE)
		return -1;
	memcpy(req, &r->s->ring[r->req_cons % VM_EVENT_RING_SIZE],
	       sizeof(*req));
	r->req_cons++;
	return 1;
}

void ring_put(struct pager_ring *r, const vm_event_response_t *rsp)
{
	memcpy(&r->s->ring[r->rsp_prod_pvt % VM_EVENT_RING_SIZE], rsp,
	       sizeof(*rsp));
	r->rsp_prod_pvt++;
}

bool ring_push(struct pager_ring *r)
{
	if (load(&r->s->rsp_prod) == r->rsp_prod_pvt)
		return false;
	store(&r->s->rsp_prod, r->rsp_prod_pvt);
	return true;
}
