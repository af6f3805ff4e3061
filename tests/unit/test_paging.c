/*
 * Memory paging on the host (xen/arch/x86/mm/p2m/paging.c and the ring,
 * xen/common/vm_event.c): every transition of docs/paging.md with its
 * errors, the counters and page accounting, populate_evicted's batches,
 * and the ring's slots. paging_fixture.h has the domains.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/physmap.h>
#include <xen/vm_event.h>
#include <public/hvm_op.h>
#include <public/memory.h>
#include "harness.h"
#include "paging_fixture.h"

static void nominate_evict(unsigned long gfn)
{
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, gfn), 0);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, gfn), 0);
}

TEST(paging_nominate_evict_prep)
{
	unsigned long total, free;

	pg_setup();
	pg_populate(5, 0x55);
	total = pg_pages_now();
	free = total_free_pages();

	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 5), 0);
	CHECK_EQ(pg_type(5), p2m_ram_paging_out);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 5), -EBUSY);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 5), 0);
	CHECK_EQ(pg_type(5), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_paged, 1);
	CHECK_EQ(pg_dom.nr_evictions, 1);
	/* The frame really went back to the heap. */
	CHECK_EQ(total_free_pages(), free + 1);
	CHECK_EQ(pg_pages_now(), total);

	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 5), -EINVAL);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 5), -EBUSY);

	/* prep allocates the page, with the contents given. */
	CHECK_EQ(pg_prep(5, 0xa5), 0);
	CHECK_EQ(pg_type(5), p2m_ram_rw);
	CHECK_EQ(pg_byte(5), 0xa5);
	CHECK_EQ(total_free_pages(), free);
	CHECK_EQ(pg_pages_now(), total);
	CHECK_EQ(pg_dom.nr_paged, 0);
	CHECK_EQ(pg_dom.nr_pageins, 1);
	CHECK_EQ(pg_prep(5, 0), -EINVAL);
	CHECK_EQ(pg_pages_now(), total);
}

TEST(paging_errors)
{
	struct page_info *pg;

	pg_setup();
	pg = pg_populate(6, 1);
	/* Holes and gfns past the p2m. */
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 7), -EINVAL);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 7), -EINVAL);
	CHECK_EQ(pg_prep(7, 0), -EINVAL);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, PG_MAX_GFN), -EINVAL);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, PG_MAX_GFN), -EINVAL);
	CHECK_EQ(pg_prep(PG_MAX_GFN, 0), -EINVAL);
	CHECK_EQ(p2m_mem_paging_drop(&pg_dom, PG_MAX_GFN), 0);
	/* Never nominated. */
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 6), -EBUSY);
	/* Held by someone (a foreign mapping, a hypercall). */
	CHECK(get_page(pg, &pg_dom));
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 6), -EBUSY);
	put_page(pg);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 6), 0);
	CHECK(get_page(pg, &pg_dom));
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 6), -EBUSY);
	CHECK_EQ(pg_type(6), p2m_ram_paging_out);
	put_page(pg);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 6), 0);
	CHECK_EQ(pg_dom.nr_evictions, 1);
}

TEST(paging_evict_fail_when_written)
{
	struct vm_event_sring *s;
	vm_event_request_t req;
	unsigned int cons = 0;
	struct p2m_lookup r;

	pg_setup();
	s = pg_ring_enable();
	pg_populate(8, 0x88);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 8), 0);
	/* The guest writes it: an UNSHARE lookup by its vCPU. */
	this_cpu(curr_vcpu) = &pg_dom_vcpu[0];
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(8), P2M_UNSHARE, &r), 0);
	put_gfn(&pg_p2m, _gfn(8));
	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
	CHECK_EQ(r.t, p2m_ram_rw);
	CHECK_EQ(pg_byte(8), 0x88);
	CHECK_EQ(p2m_mem_paging_evict(&pg_dom, 8), -EBUSY);
	CHECK_EQ(pg_dom.nr_evictions, 0);
	/* The pager was told, with no answer needed. */
	CHECK(pg_take_request(s, &cons, &req));
	CHECK_EQ(req.u.mem_paging.gfn, 8);
	CHECK_EQ(req.u.mem_paging.flags, MEM_PAGING_EVICT_FAIL);
	CHECK_EQ(req.vcpu_id, 0);
	CHECK_EQ(pg_notifications, 1);
	CHECK(!pg_take_request(s, &cons, &req));
}

TEST(paging_drop)
{
	struct vm_event_sring *s;
	vm_event_request_t req;
	unsigned int cons = 0;

	pg_setup();
	s = pg_ring_enable();
	pg_populate(9, 1);
	nominate_evict(9);
	CHECK_EQ(p2m_mem_paging_drop(&pg_dom, 9), 1);
	CHECK_EQ(pg_type(9), p2m_invalid);
	CHECK_EQ(pg_dom.nr_paged, 0);
	CHECK(pg_take_request(s, &cons, &req));
	CHECK_EQ(req.u.mem_paging.gfn, 9);
	CHECK_EQ(req.u.mem_paging.flags, MEM_PAGING_DROP_PAGE);
	CHECK(req.flags & VM_EVENT_FLAG_FOREIGN);
	/* Only paged gfns are dropped here. */
	CHECK_EQ(p2m_mem_paging_drop(&pg_dom, 9), 0);
	pg_populate(10, 1);
	CHECK_EQ(p2m_mem_paging_drop(&pg_dom, 10), 0);
	CHECK_EQ(pg_type(10), p2m_ram_rw);
	/* A prep of a dropped gfn fails. */
	CHECK_EQ(pg_prep(9, 0), -EINVAL);
}

TEST(paging_foreign_touch_and_ring_gone)
{
	struct vm_event_sring *s;
	vm_event_request_t req;
	unsigned int cons = 0;
	struct p2m_lookup r;

	pg_setup();
	pg_populate(11, 0x11);
	nominate_evict(11);
	/* No ring: the touch cannot be sent, the gfn stays paged. */
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(11), P2M_ALLOC, &r), -EAGAIN);
	put_gfn(&pg_p2m, _gfn(11));
	CHECK_EQ(pg_type(11), p2m_ram_paged);

	s = pg_ring_enable();
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(11), P2M_ALLOC, &r), -EAGAIN);
	put_gfn(&pg_p2m, _gfn(11));
	CHECK_EQ(pg_type(11), p2m_ram_paging_in);
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(11), P2M_ALLOC, &r), -EAGAIN);
	put_gfn(&pg_p2m, _gfn(11));
	CHECK(pg_take_request(s, &cons, &req));
	CHECK(req.flags & VM_EVENT_FLAG_FOREIGN);
	CHECK_EQ(req.u.mem_paging.gfn, 11);
	CHECK(!pg_take_request(s, &cons, &req)); /* one request per gfn */
	CHECK_EQ(pg_notifications, 1);

	/* The pager goes: the next touch asks the next one. */
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), 0);
	CHECK_EQ(pg_type(11), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_paged, 1);
	s = pg_ring_enable();
	cons = 0;
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(11), P2M_ALLOC, &r), -EAGAIN);
	put_gfn(&pg_p2m, _gfn(11));
	CHECK(pg_take_request(s, &cons, &req));
	CHECK_EQ(req.u.mem_paging.gfn, 11);
	CHECK_EQ(pg_prep(11, 0x12), 0);
	CHECK_EQ(pg_respond(s, &req), 0);
	CHECK_EQ(p2m_get_gfn(&pg_p2m, _gfn(11), P2M_ALLOC, &r), 0);
	put_gfn(&pg_p2m, _gfn(11));
	CHECK_EQ(pg_byte(11), 0x12);
}

TEST(paging_populate_evicted_batch)
{
	unsigned long total, free, flushes;
	u64 gfns[MEM_PAGING_BATCH];
	unsigned int i, done;

	pg_setup();
	for (i = 0; i < 16; i++)
		pg_populate(0x20 + i, i);
	total = pg_pages_now();
	free = total_free_pages();
	/* 16 pages, 16 holes, one gfn twice. */
	for (i = 0; i < 32; i++)
		gfns[i] = 0x20 + i;
	gfns[32] = 0x20;
	flushes = p2m_flush_generation(&pg_p2m);
	CHECK_EQ(p2m_mem_paging_populate_evicted(&pg_dom, gfns, 33, &done), 0);
	CHECK_EQ(done, 33);
	CHECK_EQ(p2m_flush_generation(&pg_p2m) - flushes, 1);
	for (i = 0; i < 32; i++)
		CHECK_EQ(pg_type(0x20 + i), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_paged, 32);
	CHECK_EQ(pg_dom.nr_evictions, 16);
	CHECK_EQ(total_free_pages(), free + 16);
	CHECK_EQ(pg_pages_now(), total);
	/* Paged in again, as from a touch. */
	CHECK_EQ(pg_prep(0x30, 0x30), 0);
	CHECK_EQ(pg_byte(0x30), 0x30);
	CHECK_EQ(pg_dom.nr_pageins, 1);
	CHECK_EQ(pg_dom.nr_paged, 31);
	CHECK_EQ(p2m_mem_paging_populate_evicted(&pg_dom, gfns,
						 MEM_PAGING_BATCH + 1, &done),
		 -EINVAL);
}

/* The batch stops at its first bad gfn: those before done, none after. */
static void stops_at(unsigned long bad, int err)
{
	u64 gfns[3] = { 0x40, bad, 0x41 };
	unsigned int done = 99;

	CHECK_EQ(p2m_mem_paging_populate_evicted(&pg_dom, gfns, 3, &done), err);
	CHECK_EQ(done, 1);
	CHECK_EQ(pg_type(0x40), p2m_ram_paged);
	CHECK_EQ(pg_type(0x41), p2m_invalid);
	CHECK_EQ(p2m_mem_paging_prep(&pg_dom, 0x40,
				     alloc_domheap_page(&pg_dom, 0)),
		 0);
	CHECK_EQ(p2m_mem_paging_drop(&pg_dom, 0x40), 0);
}

TEST(paging_populate_evicted_refuses)
{
	struct page_info *pg;

	pg_setup();
	pg_ring_enable();
	stops_at(PG_RING_GFN, -EINVAL);
	stops_at(PG_MAX_GFN, -EINVAL);
	pg = pg_populate(0x42, 1);
	CHECK(get_page(pg, &pg_dom));
	stops_at(0x42, -EBUSY);
	put_page(pg);
	CHECK_EQ(p2m_mem_paging_nominate(&pg_dom, 0x42), 0);
	stops_at(0x42, -EBUSY);
	/* A type that is not pageable RAM. */
	CHECK_EQ(p2m_set_entry(&pg_p2m, _gfn(0x43), _mfn(0x10), PAGE_ORDER_4K,
			       p2m_mmio_direct, p2m_access_rw),
		 0);
	stops_at(0x43, -EINVAL);
}

TEST(paging_ring_slots)
{
	unsigned long gen[VM_EVENT_RING_SIZE], g;
	vm_event_request_t req = { .version = VM_EVENT_INTERFACE_VERSION,
				   .reason = VM_EVENT_REASON_MEM_PAGING };
	struct vm_event_sring *s;
	unsigned int i, cons = 0;

	pg_setup();
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -ENODEV);
	s = pg_ring_enable();
	for (i = 0; i < VM_EVENT_RING_SIZE; i++)
		CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &gen[i]), 0);
	/* Full: a foreign caller does not wait. */
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);
	vm_event_cancel_slot(&pg_dom, gen[0]);
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &gen[0]), 0);
	for (i = 0; i < VM_EVENT_RING_SIZE; i++) {
		req.u.mem_paging.gfn = i;
		CHECK_EQ(vm_event_put_request(&pg_dom, gen[i], &req), 0);
	}
	CHECK_EQ(s->req_prod, VM_EVENT_RING_SIZE);
	/* Requests out hold their slots until answered. */
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);
	/* A response the hypervisor never asked for: nothing is read. */
	s->rsp_prod = VM_EVENT_RING_SIZE + 1;
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_RESUME), -EINVAL);
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);
	s->rsp_prod = 0;
	for (i = 0; i < 3; i++) {
		CHECK(pg_take_request(s, &cons, &req));
		CHECK_EQ(req.u.mem_paging.gfn, i);
		CHECK_EQ(pg_respond(s, &req), 0);
	}
	for (i = 0; i < 3; i++)
		CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &gen[i]), 0);
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);

	/* A slot claimed on one ring cannot be filled on the next. */
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), 0);
	CHECK_EQ(vm_event_put_request(&pg_dom, gen[0], &req), -ENODEV);
	s = pg_ring_enable();
	CHECK_EQ(vm_event_put_request(&pg_dom, gen[1], &req), -ENODEV);
	vm_event_cancel_slot(&pg_dom, gen[2]);
	CHECK_EQ(s->req_prod, 0);
	/* The new ring has all its slots, whatever the old one's claims. */
	for (i = 0; i < VM_EVENT_RING_SIZE; i++)
		CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &gen[i]), 0);
	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);
}

TEST(paging_ring_enable_disable)
{
	struct xen_domctl_vm_event_op op = { .op = XEN_VM_EVENT_ENABLE,
					     .mode = 99 };

	pg_setup();
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), -EINVAL); /* no param */
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), -EINVAL);
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_RESUME), -ENODEV);
	CHECK_EQ(vm_event_domctl(&pg_ctl_vcpu, &pg_dom, &op), -EOPNOTSUPP);
	op.mode = XEN_DOMCTL_VM_EVENT_OP_PAGING;
	CHECK_EQ(vm_event_domctl(&pg_dom_vcpu[0], &pg_dom, &op), -EINVAL);
	/* The param names a hole: nothing to take. */
	pg_dom.hvm_params[HVM_PARAM_PAGING_RING_PFN] = PG_RING_GFN;
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), -EINVAL);
	pg_ring_enable();
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), -EBUSY);
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), -EBUSY);
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), 0);
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), -EINVAL);
	op.op = XEN_VM_EVENT_GET_VERSION;
	CHECK_EQ(vm_event_domctl(&pg_ctl_vcpu, &pg_dom, &op), 0);
	CHECK_EQ(op.u.version, VM_EVENT_INTERFACE_VERSION);
}
