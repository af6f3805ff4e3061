/*
 * xen/common/memory.c, memory_op: argument checks, populate and decrease
 * round trips with page accounting, repeated decrease of one gfn, max_pages,
 * the p2m's end, continuations, bad lists, the compat layout and the
 * counts (memory_op_fixture.h). test_physmap.c tests the physmap calls.
 */
#include "memory_op_fixture.h"

TEST(memop_bad_order_and_flags)
{
	u64 gfn = 1;

	setup(1024);
	for (unsigned int order = 1; order < 20; order++)
		if (order != PAGE_ORDER_2M)
			CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1,
					 order, DOMID_SELF),
				 -EINVAL);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, 18, DOMID_SELF),
		 -EINVAL);
	memcpy(guest_mem + LIST_GVA, &gfn, sizeof(gfn));
	put_reservation(LIST_GVA, 1, 0, DOMID_SELF);
	((struct xen_memory_reservation *)(guest_mem + RES_GVA))->mem_flags =
		1u << 16;
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, false), -EINVAL);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(memop(5, RES_GVA, false), -ENOSYS);
	CHECK_EQ(memop(63, RES_GVA, false), -ENOSYS);
}

TEST(memop_nr_extents_overflow)
{
	struct compat_memory_reservation c = { .nr_extents = 1u << 26,
					       .domid = DOMID_SELF };

	set_compat_handle(c.extent_start, LIST_GVA);
	setup(1024);
	put_reservation(LIST_GVA, memop_start_max(false) + 1, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_decrease_reservation, RES_GVA, false), -EINVAL);
	put_reservation(LIST_GVA, ~0UL, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, false), -EINVAL);
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, true), -EINVAL);
	/* A start at or past the count is the count done: nothing to do. */
	put_reservation(LIST_GVA, 3, 0, DOMID_SELF);
	CHECK_EQ(memop(memop_cmd(XENMEM_populate_physmap, 3), RES_GVA, false),
		 3);
	CHECK_EQ(dom.tot_pages, 0);
}

TEST(memop_domids)
{
	u64 gfn = 7;

	setup(1024);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, DOMID_MISSING),
		 -ESRCH);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, other.domain_id),
		 -EPERM);
	CHECK_EQ(count(XENMEM_current_reservation, other.domain_id), -EPERM);
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_MISSING), -ESRCH);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, dom.domain_id),
		 1);
	CHECK_EQ(count(XENMEM_current_reservation, DOMID_SELF), 1);
	CHECK_EQ(other.tot_pages, 0);

	/* The control domain may act on another. */
	dom.is_privileged = true;
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, 0, other.domain_id),
		 1);
	CHECK_EQ(type_of(&other_p2m, 7), p2m_ram_rw);
	CHECK_EQ(count(XENMEM_current_reservation, other.domain_id), 1);
	CHECK_EQ(count(XENMEM_maximum_reservation, other.domain_id), 1024);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, 0,
			 other.domain_id),
		 1);
	CHECK_EQ(other.tot_pages, 0);
	CHECK_EQ(dom.tot_pages, 1);
}

TEST(memop_populate_decrease_round_trip)
{
	u64 gfns[16];
	unsigned long free_before;

	setup(1024);
	free_before = total_free_pages() + dom_p2m.nr_tables;
	for (unsigned int i = 0; i < 16; i++)
		gfns[i] = 100 + 3 * i;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 16, 0, DOMID_SELF), 16);
	CHECK_EQ(dom.tot_pages, 16);
	CHECK_EQ(total_free_pages() + dom_p2m.nr_tables, free_before - 16);
	for (unsigned int i = 0; i < 16; i++) {
		CHECK_EQ(type_of(&dom_p2m, gfns[i]), p2m_ram_rw);
		CHECK(zeroed(&dom_p2m, gfns[i]));
		CHECK_EQ(type_of(&dom_p2m, gfns[i] + 1), p2m_invalid);
	}
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_SELF), 145);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, gfns, 16, 0, DOMID_SELF),
		 16);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(total_free_pages() + dom_p2m.nr_tables, free_before);
	for (unsigned int i = 0; i < 16; i++)
		CHECK_EQ(type_of(&dom_p2m, gfns[i]), p2m_invalid);
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_SELF), 0);
}

TEST(memop_decrease_same_gfn_twice)
{
	u64 same[4] = { 5, 5, 5, 5 }, mixed[3] = { 6, 5, 6 };
	u64 pop[2] = { 5, 6 };

	setup(1024);
	CHECK_EQ(reserve(XENMEM_populate_physmap, pop, 2, 0, DOMID_SELF), 2);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, same, 4, 0, DOMID_SELF),
		 1);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, same, 1, 0, DOMID_SELF),
		 0);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, mixed, 3, 0, DOMID_SELF),
		 1);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK(!p2m_range_locked_by_me(&dom_p2m, _gfn(5)));
	CHECK(!p2m_global_locked_by_me(&dom_p2m));
	/* Not RAM at all: never populated, beyond the p2m. */
	pop[0] = 9;
	pop[1] = MAX_GFN;
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &pop[0], 1, 0,
			 DOMID_SELF),
		 0);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &pop[1], 1, 0,
			 DOMID_SELF),
		 0);
	CHECK(!p2m_range_locked_by_me(&dom_p2m, _gfn(9)));
	CHECK_EQ(reserve(XENMEM_populate_physmap, same, 1, 0, DOMID_SELF), 1);
	CHECK_EQ(dom.tot_pages, 1);
}

TEST(memop_populate_populated_gfn_fails)
{
	u64 gfns[3] = { 4, 3, 6 };

	setup(1024);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfns[1], 1, 0, DOMID_SELF),
		 1);
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 3, 0, DOMID_SELF), 1);
	CHECK_EQ(type_of(&dom_p2m, 6), p2m_invalid);
	CHECK_EQ(dom.tot_pages, 2);
	/* A 2 MiB extent over a populated 4 KiB entry. */
	gfns[0] = 0;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	CHECK_EQ(dom.tot_pages, 2);
}

TEST(memop_order_9)
{
	u64 gfn = 512, odd = 513, small = 1024 + 7;

	setup(1200);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &odd, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 1);
	CHECK_EQ(dom.tot_pages, 512);
	CHECK(zeroed(&dom_p2m, 512 + 300));
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_SELF), 1023);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &odd, 1, 0, DOMID_SELF),
		 1);
	/* Not all RAM any more: the 2 MiB extent fails and changes nothing. */
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	CHECK_EQ(dom.tot_pages, 511);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &odd, 1, 0, DOMID_SELF), 1);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 1);
	CHECK_EQ(dom.tot_pages, 0);
	/* 4 KiB pages decreased as one 2 MiB extent. */
	CHECK_EQ(reserve(XENMEM_populate_physmap, &small, 1, 0, DOMID_SELF), 1);
	gfn = 1024;
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	CHECK_EQ(dom.tot_pages, 1);
}

/* Counts the p2m changes notified, and the pages they covered. */
struct change_count {
	struct p2m_notifier n;
	unsigned long calls, pages;
};

static void count_change(struct p2m_notifier *n, struct p2m_domain *p2m,
			 gfn_t first, unsigned long nr, enum p2m_change why)
{
	struct change_count *c = container_of(n, struct change_count, n);

	c->calls++;
	c->pages += nr;
}

/* Decrease one order-9 extent of gfn; the changes and flushes it made. */
static void decrease_2m_counted(u64 gfn, unsigned long *calls,
				unsigned long *pages, unsigned long *flushes)
{
	struct change_count c = { .n.fn = count_change };
	unsigned long flushes_before = dom_p2m.nr_flushes;

	p2m_register_notifier(&dom_p2m, &c.n);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 1);
	p2m_unregister_notifier(&dom_p2m, &c.n);
	*calls = c.calls;
	*pages = c.pages;
	*flushes = dom_p2m.nr_flushes - flushes_before;
}

/* A 2 MiB extent of the guest's own RAM goes in one change, one flush. */
TEST(memop_decrease_order_9_is_one_change)
{
	u64 gfn = 512;
	unsigned long calls, nr, flushes;

	setup(1200);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 1);
	decrease_2m_counted(gfn, &calls, &nr, &flushes);
	CHECK_EQ(calls, 1);
	CHECK_EQ(nr, 512);
	CHECK_EQ(flushes, 1);
	CHECK_EQ(dom.tot_pages, 0);
	CHECK_EQ(type_of(&dom_p2m, 512 + 511), p2m_invalid);
	/* And the range can be populated again. */
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfn, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 1);
	CHECK_EQ(dom.tot_pages, 512);
}

/* Frames in another order than the gfns: page by page, all freed. */
TEST(memop_decrease_order_9_scattered_frames)
{
	u64 pages[512];
	unsigned long calls, nr, flushes;

	setup(1200);
	for (unsigned int i = 0; i < 512; i++)
		pages[i] = 1024 + 511 - i;
	CHECK_EQ(reserve(XENMEM_populate_physmap, pages, 512, 0, DOMID_SELF),
		 512);
	decrease_2m_counted(1024, &calls, &nr, &flushes);
	CHECK_EQ(calls, 512);
	CHECK_EQ(flushes, 512);
	CHECK_EQ(dom.tot_pages, 0);
	for (unsigned int i = 0; i < 512; i++)
		CHECK_EQ(type_of(&dom_p2m, 1024 + i), p2m_invalid);
}

TEST(memop_respects_max_pages)
{
	u64 gfns[6] = { 10, 11, 12, 13, 14, 15 };

	setup(4);
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 6, 0, DOMID_SELF), 4);
	CHECK_EQ(dom.tot_pages, 4);
	CHECK_EQ(type_of(&dom_p2m, 14), p2m_invalid);
	put_reservation(0, 2, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_increase_reservation, RES_GVA, false), 0);
	CHECK_EQ(reserve(XENMEM_decrease_reservation, gfns, 1, 0, DOMID_SELF),
		 1);
	put_reservation(0, 3, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_increase_reservation, RES_GVA, false), 1);
	CHECK_EQ(dom.tot_pages, 4);
	CHECK_EQ(count(XENMEM_current_reservation, DOMID_SELF), 4);
	CHECK_EQ(count(XENMEM_maximum_reservation, DOMID_SELF), 4);
}

TEST(memop_end_of_p2m)
{
	u64 gfns[3] = { MAX_GFN - 1, MAX_GFN, MAX_GFN - 512 };

	setup(1024);
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 2, 0, DOMID_SELF), 1);
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_SELF), MAX_GFN - 1);
	CHECK_EQ(reserve(XENMEM_populate_physmap, &gfns[1], 1, 0, DOMID_SELF),
		 0);
	gfns[0] = MAX_GFN;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	gfns[0] = ~0UL << PAGE_ORDER_2M;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 1, PAGE_ORDER_2M,
			 DOMID_SELF),
		 0);
	CHECK_EQ(dom.tot_pages, 1);
}

TEST(memop_continuations)
{
	struct hypercall_args a = { .a = { XENMEM_populate_physmap, RES_GVA } };
	u64 gfns[100];

	setup(1024);
	for (unsigned int i = 0; i < 100; i++)
		gfns[i] = 200 + i;
	memcpy(guest_mem + LIST_GVA, gfns, sizeof(gfns));
	put_reservation(LIST_GVA, 100, 0, DOMID_SELF);
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -ERESTART);
	CHECK_EQ(a.a[0], memop_cmd(XENMEM_populate_physmap, memop_round));
	CHECK_EQ(a.a[1], RES_GVA);
	CHECK_EQ(dom.tot_pages, memop_round);
	/* With the scheduler waiting, one extent per round. */
	resched = true;
	CHECK_EQ(memory_op_under_test(&vcpu, &a), -ERESTART);
	CHECK_EQ(memop_start(a.a[0]), memop_round + 1);
	resched = false;
	CHECK_EQ(memop(a.a[0], RES_GVA, false), 100);
	CHECK_EQ(nr_restarts, 2);
	CHECK_EQ(dom.tot_pages, 100);
	/* Decreasing the same in one go ends as if never preempted. */
	nr_restarts = 0;
	CHECK_EQ(reserve(XENMEM_decrease_reservation, gfns, 100, 0, DOMID_SELF),
		 100);
	CHECK_EQ(nr_restarts, 3);
	CHECK_EQ(dom.tot_pages, 0);
}

/* Entry of every gfn below MAX_GFN: present or not, and its type. */
static void snapshot(struct p2m_domain *p2m, p2m_type_t *types)
{
	for (unsigned long g = 0; g < MAX_GFN; g++) {
		struct p2m_lookup r;

		p2m_get_gfn(p2m, _gfn(g), P2M_QUERY, &r);
		put_gfn(p2m, _gfn(g));
		types[g] = r.t;
	}
}

TEST(memop_preempted_ends_as_unpreempted)
{
	static p2m_type_t calm[MAX_GFN], stormy[MAX_GFN];
	u64 gfns[120];
	unsigned int i;

	setup(1024);
	/* Scattered, with a repeat and one beyond the p2m: stops at 117. */
	for (i = 0; i < 120; i++)
		gfns[i] = (i * 37) % 600 + 50;
	gfns[100] = gfns[99];
	gfns[110] = MAX_GFN + 5;

	/* The same request twice, on two identical domains. */
	nr_restarts = 0;
	vcpu.domain = &dom;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 120, 0, DOMID_SELF),
		 100);
	CHECK(nr_restarts < 10);
	resched = true; /* every extent is preempted */
	nr_restarts = 0;
	vcpu.domain = &other;
	CHECK_EQ(reserve(XENMEM_populate_physmap, gfns, 120, 0, DOMID_SELF),
		 100);
	resched = false;
	vcpu.domain = &dom;
	CHECK(nr_restarts >= 99);

	snapshot(&dom_p2m, calm);
	snapshot(&other_p2m, stormy);
	CHECK(!memcmp(calm, stormy, sizeof(calm)));
	CHECK_EQ(dom.tot_pages, other.tot_pages);
	CHECK_EQ(dom.tot_pages, 100);
}

TEST(memop_bad_lists)
{
	u64 gfns[2] = { 20, 21 };

	setup(1024);
	memcpy(guest_mem + LIST_GVA, gfns, sizeof(gfns));
	put_reservation(LIST_GVA + 4, 2, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, false), -EFAULT);
	put_reservation(~0UL - 7, 2, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, false), -EFAULT);
	put_reservation(sizeof(guest_mem), 1, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_decrease_reservation, RES_GVA, false), -EFAULT);
	CHECK_EQ(memop(XENMEM_populate_physmap, sizeof(guest_mem) - 8, false),
		 -EFAULT);
	CHECK_EQ(dom.tot_pages, 0);
	/* The list runs out of memory after 2: those 2 are done. */
	memcpy(guest_mem + sizeof(guest_mem) - 16, gfns, sizeof(gfns));
	put_reservation(sizeof(guest_mem) - 16, 3, 0, DOMID_SELF);
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, false), 2);
	CHECK_EQ(dom.tot_pages, 2);
}

TEST(memop_compat_layout)
{
	u32 gfns[3] = { 30, 31, 40 };
	struct compat_memory_reservation c = { .nr_extents = 3,
					       .domid = DOMID_SELF };

	set_compat_handle(c.extent_start, LIST_GVA);
	setup(1024);
	CHECK_EQ(sizeof(c), 20);
	CHECK_EQ(sizeof(struct xen_memory_reservation), 32);
	memcpy(guest_mem + LIST_GVA, gfns, sizeof(gfns));
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_populate_physmap, RES_GVA, true), 3);
	CHECK_EQ(type_of(&dom_p2m, 31), p2m_ram_rw);
	CHECK_EQ(type_of(&dom_p2m, 40), p2m_ram_rw);
	CHECK_EQ(count(XENMEM_maximum_gpfn, DOMID_SELF), 40);
	/* A 32-bit list that would pass 4 GiB wraps. */
	set_compat_handle(c.extent_start, 0xfffffff8u);
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_decrease_reservation, RES_GVA, true), -EFAULT);
	set_compat_handle(c.extent_start, LIST_GVA + 2);
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_decrease_reservation, RES_GVA, true), -EFAULT);
	set_compat_handle(c.extent_start, LIST_GVA);
	memcpy(guest_mem + RES_GVA, &c, sizeof(c));
	CHECK_EQ(memop(XENMEM_decrease_reservation, RES_GVA, true), 3);
	CHECK_EQ(dom.tot_pages, 0);
}

/* add_to_physmap: the shared-info page of dom, mapped at a gfn. */
