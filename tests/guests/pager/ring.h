/*
 * The pager's end of the vm_event ring (public/vm_event.h): it consumes
 * requests and produces responses in the same slots. The indices it keeps
 * itself (req_cons, rsp_prod_pvt) are private; the shared ones are read
 * once per look, as the hypervisor may change them at any time.
 */
#ifndef PAGER_RING_H
#define PAGER_RING_H

#include <stdbool.h>

#include <public/vm_event.h>

struct pager_ring {
	struct vm_event_sring *s;
	uint32_t req_cons, rsp_prod_pvt;
};

/* Start on the page the hypervisor just set up (ENABLE). */
void ring_attach(struct pager_ring *r, void *page);
/*
 * The next request into *req: 1, or 0 if there is none (after asking to
 * be notified of the next), or -1 if req_prod is more than a ring ahead
 * (the hypervisor broke the protocol).
 */
int ring_get(struct pager_ring *r, vm_event_request_t *req);
/* Put a response in the next slot (one per request consumed). */
void ring_put(struct pager_ring *r, const vm_event_response_t *rsp);
/* Publish the responses put so far: whether there were new ones. */
bool ring_push(struct pager_ring *r);

#endif /* PAGER_RING_H */
