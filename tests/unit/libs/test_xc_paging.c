/*
 * libxenctrl's paging calls and the ring helpers (xenvmevent.h) through
 * the in-process transport: a gfn evicted and loaded back with its bytes,
 * populate_evicted batches longer than the hypervisor does in one round
 * (1,024 gfns: 16 batches of 64, then it continues itself), each call's
 * errors in errno, and a page-in served from the ring: a foreign map of a
 * paged gfn fails with ENOENT and asks for it, the request is read, the
 * gfn loaded and answered, and the map then finds the page.
 *
 * Domains: d1 the control domain (the pager), d2 "guest" (GUEST_GFNS
 * gfns, its ring at RING_GFN), d3 "other"; DOMID_NONE names none.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenvmevent.h>

#include "check_errno.h"
#include "harness.h"
#include "world.h"

#define GUEST 2
#define OTHER 3
#define DOMID_NONE 9
#define GUEST_GFNS 0x1000UL
#define RING_GFN (GUEST_GFNS - 1)
/* Populated gfns FILLED.. with bytes FILL + i. */
#define FILLED 0x40UL
#define NR_FILLED 8
#define FILL 0x30
#define HOLE 0x80UL
/* More than one round of populate_evicted (1,024 gfns). */
#define BATCH 2000UL

struct pager {
	xc_interface *xch;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
};

static void setup(struct pager *p)
{
	world_init();
	world_guest(GUEST, "guest", GUEST_GFNS, 1);
	world_guest(OTHER, "other", GUEST_GFNS, 1);
	for (unsigned long i = 0; i < NR_FILLED; i++)
		world_populate(GUEST, FILLED + i, FILL + i);
	p->xch = xc_interface_open(NULL, NULL, 0);
	p->fmem = xenforeignmemory_open(NULL, 0);
	p->xce = xenevtchn_open(NULL, 0);
	CHECK(p->xch && p->fmem && p->xce);
	CHECK_EQ(xc_hvm_param_set(p->xch, GUEST, HVM_PARAM_PAGING_RING_PFN,
				  RING_GFN),
		 0);
}

static void teardown(struct pager *p)
{
	xenevtchn_close(p->xce);
	xenforeignmemory_close(p->fmem);
	xc_interface_close(p->xch);
}

static uint64_t paged_pages(struct pager *p, uint32_t domid)
{
	xc_domaininfo_t info;

	CHECK_EQ(xc_domain_getinfo_single(p->xch, domid, &info), 0);
	return info.paged_pages;
}

/* Whether every byte of gfn's page (guest memory) is fill. */
static bool page_is(uint16_t domid, unsigned long gfn, uint8_t fill)
{
	const uint8_t *page = world_gfn_page(domid, gfn);

	if (!page)
		return false;
	for (unsigned int i = 0; i < 4096; i++)
		if (page[i] != fill)
			return false;
	return true;
}

/* Nominate and evict gfn; its bytes are kept in store[4096]. */
static void evict(struct pager *p, unsigned long gfn, uint8_t *store)
{
	memcpy(store, world_gfn_page(GUEST, gfn), 4096);
	CHECK_EQ(xc_mem_paging_nominate(p->xch, GUEST, gfn), 0);
	CHECK_EQ(xc_mem_paging_evict(p->xch, GUEST, gfn), 0);
	CHECK(!world_gfn_page(GUEST, gfn));
}

TEST(xc_paging_evict_and_load_keep_the_bytes)
{
	struct pager p;
	xc_vm_event_ring *ring;
	uint8_t store[2][4096];
	unsigned long pages;
	uint8_t *map;

	setup(&p);
	ring = xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST);
	CHECK(ring);
	pages = world_tot_pages(GUEST);
	CHECK_EQ(paged_pages(&p, GUEST), 0);
	evict(&p, FILLED, store[0]);
	evict(&p, FILLED + 3, store[1]);
	CHECK_EQ(paged_pages(&p, GUEST), 2);
	CHECK_EQ(world_tot_pages(GUEST), pages - 2);
	CHECK_EQ(xc_mem_paging_load(p.xch, GUEST, FILLED + 3, store[1]), 0);
	CHECK_EQ(paged_pages(&p, GUEST), 1);
	CHECK(page_is(GUEST, FILLED + 3, FILL + 3));
	CHECK_EQ(xc_mem_paging_load(p.xch, GUEST, FILLED, store[0]), 0);
	CHECK_EQ(paged_pages(&p, GUEST), 0);
	CHECK_EQ(world_tot_pages(GUEST), pages);
	/* What a mapper sees: the contents, not a blank page. */
	map = xenforeignmemory_map(p.fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 1,
				   (xen_pfn_t[]){ FILLED }, NULL);
	CHECK(map);
	CHECK_EQ(map[0], FILL);
	CHECK_EQ(map[4095], FILL);
	CHECK_EQ(xenforeignmemory_unmap(p.fmem, map, 1), 0);
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	teardown(&p);
}

TEST(xc_paging_populate_evicted_continues)
{
	struct pager p;
	xen_pfn_t *gfns = calloc(BATCH, sizeof(*gfns));
	unsigned long pages, failed = 0;

	CHECK(gfns);
	setup(&p);
	pages = world_tot_pages(GUEST);
	/* The filled gfns and 1,992 holes after them; no ring is needed. */
	for (unsigned long i = 0; i < BATCH; i++)
		gfns[i] = FILLED + i;
	CHECK_EQ(xc_mem_paging_populate_evicted(p.xch, GUEST, gfns, BATCH,
						&failed),
		 0);
	CHECK_EQ(paged_pages(&p, GUEST), BATCH);
	CHECK_EQ(world_tot_pages(GUEST), pages - NR_FILLED);
	/* The last gfn of the batch too (past the first round's 1,024). */
	CHECK(!world_gfn_page(GUEST, FILLED + BATCH - 1));
	/* Again: paged gfns stay paged, nothing counted twice. */
	CHECK_EQ(xc_mem_paging_populate_evicted(p.xch, GUEST, gfns, BATCH,
						NULL),
		 0);
	CHECK_EQ(paged_pages(&p, GUEST), BATCH);
	free(gfns);
	teardown(&p);
}

TEST(xc_paging_populate_evicted_stops_at_a_bad_gfn)
{
	struct pager p;
	xen_pfn_t *gfns = calloc(BATCH, sizeof(*gfns));
	unsigned long failed = 0;

	CHECK(gfns);
	setup(&p);
	for (unsigned long i = 0; i < BATCH; i++)
		gfns[i] = FILLED + i;
	/* In the second round: beyond the guest's memory. */
	gfns[1500] = GUEST_GFNS + 7;
	CHECK_ERRNO(xc_mem_paging_populate_evicted(p.xch, GUEST, gfns, BATCH,
						   &failed),
		    EINVAL);
	CHECK_EQ(failed, 1500);
	/* The gfns before it are paged, those after untouched. */
	CHECK_EQ(paged_pages(&p, GUEST), 1500);
	CHECK(!world_gfn_page(GUEST, FILLED));
	CHECK_EQ(xc_mem_paging_populate_evicted(p.xch, GUEST, gfns + 1501,
						BATCH - 1501, &failed),
		 0);
	CHECK_EQ(paged_pages(&p, GUEST), BATCH - 1);
	/* A whole-call error: the ABI says nothing of how far it got. */
	failed = 0;
	CHECK_ERRNO(xc_mem_paging_populate_evicted(p.xch, DOMID_NONE, gfns,
						   BATCH, &failed),
		    ESRCH);
	CHECK_EQ(failed, BATCH);
	free(gfns);
	teardown(&p);
}

TEST(xc_paging_errors)
{
	struct pager p;
	xc_vm_event_ring *ring;
	xen_pfn_t gfn = FILLED;
	uint8_t buf[4096] = { 0 };
	uint32_t port;
	uint8_t *map;

	setup(&p);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, DOMID_NONE, FILLED), ESRCH);
	CHECK_ERRNO(xc_mem_paging_enable(p.xch, DOMID_NONE, &port), ESRCH);
	CHECK_ERRNO(xc_mem_paging_load(p.xch, DOMID_NONE, FILLED, buf), ESRCH);
	/* Ids no domid_t holds, refused before any hypercall. */
	CHECK_ERRNO(xc_mem_paging_evict(p.xch, 0x10000, FILLED), ESRCH);
	CHECK_EQ(xc_mem_paging_get_version(p.xch, GUEST, &port), 0);
	CHECK_EQ(port, VM_EVENT_INTERFACE_VERSION);
	/* Before a ring: only populate_evicted works. */
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, GUEST, FILLED), ENODEV);
	CHECK_ERRNO(xc_mem_paging_disable(p.xch, GUEST), EINVAL);
	/* A pager cannot page itself. */
	CHECK_ERRNO(xc_mem_paging_enable(p.xch, WORLD_DOM0, &port), EINVAL);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, WORLD_DOM0, 1), EINVAL);
	/* No ring gfn set. */
	CHECK_NULL_ERRNO(xc_vm_event_ring_open(p.xch, p.fmem, p.xce, OTHER),
			 EINVAL);
	ring = xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST);
	CHECK(ring);
	CHECK_ERRNO(xc_mem_paging_enable(p.xch, GUEST, &port), EBUSY);
	CHECK_NULL_ERRNO(xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST),
			 EBUSY);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, GUEST, GUEST_GFNS + 7),
		    EINVAL);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, GUEST, HOLE), EINVAL);
	/* Never nominated, and a hole. */
	CHECK_ERRNO(xc_mem_paging_evict(p.xch, GUEST, FILLED), EBUSY);
	CHECK_ERRNO(xc_mem_paging_evict(p.xch, GUEST, HOLE), EINVAL);
	/* Held by a mapping. */
	map = xenforeignmemory_map(p.fmem, GUEST, XENFOREIGNMEMORY_PROT_READ, 1,
				   &gfn, NULL);
	CHECK(map);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, GUEST, FILLED), EBUSY);
	CHECK_EQ(xenforeignmemory_unmap(p.fmem, map, 1), 0);
	/* Loads of a resident gfn, without contents, from a bad buffer. */
	CHECK_ERRNO(xc_mem_paging_load(p.xch, GUEST, FILLED, buf), EINVAL);
	CHECK(page_is(GUEST, FILLED, FILL));
	evict(&p, FILLED, buf);
	CHECK_ERRNO(xc_mem_paging_prep(p.xch, GUEST, FILLED), EINVAL);
	CHECK_ERRNO(xc_mem_paging_load(p.xch, GUEST, FILLED, NULL), EINVAL);
	CHECK_ERRNO(xc_mem_paging_load(p.xch, GUEST, FILLED, (void *)8),
		    EFAULT);
	CHECK_ERRNO(xc_mem_paging_evict(p.xch, GUEST, FILLED), EINVAL);
	CHECK_EQ(paged_pages(&p, GUEST), 1);
	/* A domU, even on a domain it might otherwise see. */
	world_act_as(OTHER);
	CHECK_ERRNO(xc_mem_paging_load(p.xch, GUEST, FILLED, buf), EPERM);
	CHECK_ERRNO(xc_mem_paging_nominate(p.xch, GUEST, FILLED + 1), EPERM);
	CHECK_ERRNO(xc_mem_paging_disable(p.xch, GUEST), EPERM);
	CHECK_ERRNO(xc_mem_paging_populate_evicted(p.xch, GUEST, &gfn, 1, NULL),
		    EPERM);
	world_act_as(WORLD_DOM0);
	CHECK_EQ(xc_mem_paging_load(p.xch, GUEST, FILLED, buf), 0);
	CHECK(page_is(GUEST, FILLED, FILL));
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	CHECK_ERRNO(xc_mem_paging_disable(p.xch, GUEST), EINVAL);
	teardown(&p);
}

/* The ring's port, if it fired: taken and unmasked. */
static bool ring_fired(struct pager *p, xc_vm_event_ring *ring)
{
	int port = xenevtchn_pending(p->xce);

	if (port < 0) {
		CHECK_EQ(errno, EAGAIN);
		return false;
	}
	CHECK_EQ((evtchn_port_t)port, xc_vm_event_ring_port(ring));
	CHECK_EQ(xenevtchn_unmask(p->xce, port), 0);
	return true;
}

/* A map of gfn: ENOENT while it is paged (and a page-in asked for). */
static uint8_t *map_gfn(struct pager *p, xen_pfn_t gfn, int *err)
{
	return xenforeignmemory_map(p->fmem, GUEST, XENFOREIGNMEMORY_PROT_READ,
				    1, &gfn, err);
}

TEST(xc_paging_ring_serves_a_page_in)
{
	struct pager p;
	xc_vm_event_ring *ring;
	vm_event_request_t req;
	vm_event_response_t rsp = { .version = VM_EVENT_INTERFACE_VERSION };
	uint8_t store[4096];
	uint8_t *map;
	int err = 0;

	setup(&p);
	ring = xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST);
	CHECK(ring);
	/* The binding's own first event; nothing on the ring yet. */
	CHECK(ring_fired(&p, ring));
	CHECK_EQ(xc_vm_event_get_request(ring, &req), 0);
	CHECK_ERRNO(xc_vm_event_put_response(ring, &rsp), ENOSPC);
	/* The guest cannot reach its ring gfn any more. */
	CHECK(!world_gfn_page(GUEST, RING_GFN));
	evict(&p, FILLED + 5, store);
	CHECK(!ring_fired(&p, ring));

	errno = 0;
	CHECK(!map_gfn(&p, FILLED + 5, &err));
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(err, -ENOENT);
	/* Asked once, however often it is mapped. */
	CHECK(!map_gfn(&p, FILLED + 5, &err));
	CHECK(ring_fired(&p, ring));
	CHECK_EQ(xc_vm_event_get_request(ring, &req), 1);
	CHECK_EQ(req.version, VM_EVENT_INTERFACE_VERSION);
	CHECK_EQ(req.reason, VM_EVENT_REASON_MEM_PAGING);
	CHECK_EQ(req.u.mem_paging.gfn, FILLED + 5);
	CHECK_EQ(req.u.mem_paging.flags, 0);
	CHECK(req.flags & VM_EVENT_FLAG_FOREIGN);
	CHECK_EQ(xc_vm_event_get_request(ring, &req), 0);

	CHECK_EQ(xc_mem_paging_load(p.xch, GUEST, req.u.mem_paging.gfn, store),
		 0);
	rsp.reason = req.reason;
	rsp.vcpu_id = req.vcpu_id;
	rsp.u.mem_paging = req.u.mem_paging;
	CHECK_EQ(xc_vm_event_put_response(ring, &rsp), 0);
	CHECK_ERRNO(xc_vm_event_put_response(ring, &rsp), ENOSPC);
	CHECK_EQ(xc_vm_event_notify(ring), 0);
	/* The hypervisor read it: a resume finds nothing wrong. */
	CHECK_EQ(xc_mem_paging_resume(p.xch, GUEST), 0);

	map = map_gfn(&p, FILLED + 5, &err);
	CHECK(map);
	CHECK_EQ(err, 0);
	CHECK_EQ(map[0], FILL + 5);
	CHECK_EQ(map[4095], FILL + 5);
	CHECK_EQ(xenforeignmemory_unmap(p.fmem, map, 1), 0);
	CHECK_EQ(paged_pages(&p, GUEST), 0);

	/* Closed: the next pager sets up a ring on the same gfn. */
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	ring = xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST);
	CHECK(ring);
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	teardown(&p);
}

TEST(xc_paging_ring_close_after_the_target_went)
{
	struct pager p;
	xc_vm_event_ring *ring;
	unsigned long free;

	setup(&p);
	ring = xc_vm_event_ring_open(p.xch, p.fmem, p.xce, GUEST);
	CHECK(ring);
	CHECK_EQ(xc_domain_destroy(p.xch, GUEST), 0);
	CHECK(!world_domain_exists(GUEST));
	/* The ring went with it; our mapping still holds its page. */
	free = world_free_or_dom0_tables();
	CHECK_EQ(xc_vm_event_ring_close(ring), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free + 1);
	teardown(&p);
}
