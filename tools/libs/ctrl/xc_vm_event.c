/* The pager's end of a paging ring (xenvmevent.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xenvmevent.h>

struct xc_vm_event_ring {
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	uint32_t domid;
	evtchn_port_t port; /* ours, bound through xce */
	struct vm_event_sring *s;
	/* Free-running, as the shared indices: our next request, response */
	uint32_t req_cons, rsp_prod_pvt;
};

static uint32_t load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/*
 * The ring gfn populated (if a pager before us did not: *populated) and
 * mapped.
 */
static struct vm_event_sring *map_ring_page(xc_interface *xch,
					    xenforeignmemory_handle *fmem,
					    uint32_t domid, xen_pfn_t *gfn,
					    bool *populated)
{
	uint64_t param;
	int rc;

	if (xc_hvm_param_get(xch, domid, HVM_PARAM_PAGING_RING_PFN, &param))
		return NULL;
	if (!param) {
		errno = EINVAL;
		return NULL;
	}
	*gfn = param;
	/* 0 done: it is populated already (the map then finds it), or no
	 * room (the map fails). */
	rc = xc_domain_populate_physmap(xch, domid, 1, 0, 0, gfn);
	if (rc < 0)
		return NULL;
	*populated = rc == 1;
	return xenforeignmemory_map(fmem, domid,
				    XENFOREIGNMEMORY_PROT_READ |
					    XENFOREIGNMEMORY_PROT_WRITE,
				    1, gfn, NULL);
}

/*
 * After a failed map: whether domid has a ring already. ENABLE says
 * EBUSY before it looks at the gfn (and without our page it cannot
 * succeed; if it did, the ring goes again). errno is kept.
 */
static bool ring_taken(xc_interface *xch, uint32_t domid)
{
	uint32_t port;
	int err = errno;
	bool busy;

	if (!xc_mem_paging_enable(xch, domid, &port)) {
		xc_mem_paging_disable(xch, domid);
		errno = err;
		return false;
	}
	busy = errno == EBUSY;
	errno = err;
	return busy;
}

/* ENABLE and the binding of its port: ring->port, or -1 with errno. */
static int connect(xc_vm_event_ring *ring)
{
	uint32_t version, remote;
	int port, err;

	if (xc_mem_paging_get_version(ring->xch, ring->domid, &version))
		return -1;
	if (version != VM_EVENT_INTERFACE_VERSION) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (xc_mem_paging_enable(ring->xch, ring->domid, &remote))
		return -1;
	port = xenevtchn_bind_interdomain(ring->xce, ring->domid, remote);
	if (port < 0) {
		err = errno;
		xc_mem_paging_disable(ring->xch, ring->domid);
		errno = err;
		return -1;
	}
	ring->port = (evtchn_port_t)port;
	return 0;
}

xc_vm_event_ring *xc_vm_event_ring_open(xc_interface *xch,
					xenforeignmemory_handle *fmem,
					xenevtchn_handle *xce, uint32_t domid)
{
	xc_vm_event_ring *ring = calloc(1, sizeof(*ring));
	bool populated = false;
	xen_pfn_t gfn = 0;
	int err;

	if (!ring) {
		errno = ENOMEM;
		return NULL;
	}
	*ring = (xc_vm_event_ring){
		.xch = xch, .fmem = fmem, .xce = xce, .domid = domid
	};
	ring->s = map_ring_page(xch, fmem, domid, &gfn, &populated);
	if (!ring->s) {
		err = ring_taken(xch, domid) ? EBUSY : errno;
		goto fail;
	}
	/* ENABLE zeroes the page: both sides start at index 0. */
	if (!connect(ring))
		return ring;
	err = errno;
	xenforeignmemory_unmap(fmem, ring->s, 1);
fail:
	/* A page we put at the ring gfn would be left in the guest's RAM. */
	if (populated)
		xc_domain_decrease_reservation_exact(xch, domid, 1, 0, &gfn);
	free(ring);
	errno = err;
	return NULL;
}

evtchn_port_t xc_vm_event_ring_port(const xc_vm_event_ring *ring)
{
	return ring->port;
}

int xc_vm_event_get_request(xc_vm_event_ring *ring, vm_event_request_t *req)
{
	struct vm_event_sring *s = ring->s;
	uint32_t prod = load(&s->req_prod);

	if (prod == ring->req_cons) {
		/* Ask for a send, then look again: none can be missed. */
		store(&s->req_event, ring->req_cons + 1);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		prod = load(&s->req_prod);
		if (prod == ring->req_cons)
			return 0;
	}
	if (prod - ring->req_cons > VM_EVENT_RING_SIZE) {
		errno = EIO;
		return -1;
	}
	memcpy(req, &s->ring[ring->req_cons % VM_EVENT_RING_SIZE],
	       sizeof(*req));
	ring->req_cons++;
	return 1;
}

int xc_vm_event_put_response(xc_vm_event_ring *ring,
			     const vm_event_response_t *rsp)
{
	/* A response takes the slot of a request already read. */
	if (ring->rsp_prod_pvt == ring->req_cons) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(&ring->s->ring[ring->rsp_prod_pvt % VM_EVENT_RING_SIZE], rsp,
	       sizeof(*rsp));
	ring->rsp_prod_pvt++;
	return 0;
}

int xc_vm_event_notify(xc_vm_event_ring *ring)
{
	if (load(&ring->s->rsp_prod) == ring->rsp_prod_pvt)
		return 0;
	store(&ring->s->rsp_prod, ring->rsp_prod_pvt);
	return xenevtchn_notify(ring->xce, ring->port);
}

/* Keep the errno of the first teardown step that failed (rc -1). */
static void keep_error(int rc, int *first)
{
	if (rc && !*first)
		*first = errno;
}

int xc_vm_event_ring_close(xc_vm_event_ring *ring)
{
	int first = 0;

	if (!ring)
		return 0;
	if (xc_mem_paging_disable(ring->xch, ring->domid) && errno != ESRCH)
		keep_error(-1, &first);
	keep_error(xenevtchn_unbind(ring->xce, ring->port), &first);
	/* The page's last reference: the hypervisor freed the rest. */
	keep_error(xenforeignmemory_unmap(ring->fmem, ring->s, 1), &first);
	free(ring);
	if (!first)
		return 0;
	errno = first;
	return -1;
}
