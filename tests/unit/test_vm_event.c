/*
 * A paging ring whose pager or target goes (vm_event_domain_gone(),
 * xen/common/vm_event.c; docs/paging.md, "Teardown and a pager that
 * goes"), at the worst moment: requests out (gfns ram_paging_in), vCPUs
 * of the target asleep on its paging wait queue, and the ring full.
 *
 * - The pager's domain destroyed: the requests are undone (ram_paged),
 *   the sleepers stay asleep (not crashed), the ring page and its port
 *   are released; a new pager that enables a ring is asked once for
 *   every gfn, and the sleepers then see their own bytes.
 * - The target destroyed: its sleepers give up, its ring goes, the
 *   pager is told, every frame is back, and its paging counts are
 *   logged.
 *
 * vCPUs are threads (shim/fake_sched.c); paging_fixture.h has the
 * domains. Every wait here is bounded: a vCPU that never wakes fails
 * the test with the states it is in, it does not hang it.
 */
#include <unistd.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/vm_event.h>
#include "harness.h"
#include "paging_fixture.h"
#include "shim.h"

#define FIRST_GFN 0x40UL
#define NR_GFNS 12
/* The scene: the ring holds 8 requests, the ninth gfn waits for a slot. */
#define NR_OUT VM_EVENT_RING_SIZE
#define NR_ASKED (NR_OUT + 1)
/* vCPUs 0..2 sleep on a request each; the other requests are foreign. */
#define NR_VCPU_REQUESTS 3
#define SLOT_WAITER (PG_NR_VCPUS - 1)

static u8 pattern(unsigned long gfn)
{
	return (u8)(gfn * 13 + 5);
}

/* A vCPU of the target touching gfn (a P2M_ALLOC lookup of its own). */
struct toucher {
	struct vcpu *v;
	unsigned long gfn;
	int rc;
	u8 first, last;
	bool done;
	pthread_t thread;
};

static struct toucher touchers[PG_NR_VCPUS];

static void touch(void *arg)
{
	struct toucher *t = arg;
	struct p2m_lookup r;

	this_cpu(curr_vcpu) = t->v;
	t->rc = p2m_get_gfn(&pg_p2m, _gfn(t->gfn), P2M_ALLOC, &r);
	if (!t->rc) {
		const u8 *p = page_to_virt(pfn_to_page(mfn_x(r.mfn)));

		t->first = p[0];
		t->last = p[PAGE_SIZE - 1];
	}
	put_gfn(&pg_p2m, _gfn(t->gfn));
	__atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
}

static void start_toucher(unsigned int i, unsigned long gfn)
{
	touchers[i] = (struct toucher){ .v = &pg_dom_vcpu[i], .gfn = gfn };
	touchers[i].thread = shim_thread_start(touch, &touchers[i]);
}

static bool toucher_done(unsigned int i)
{
	return __atomic_load_n(&touchers[i].done, __ATOMIC_ACQUIRE);
}

static bool asleep(unsigned int i)
{
	return __atomic_load_n(&pg_dom_vcpu[i].state, __ATOMIC_ACQUIRE) ==
		       VCPU_BLOCKED &&
	       !toucher_done(i);
}

static void show_states(void)
{
	unsigned int i;

	for (i = 0; i < PG_NR_VCPUS; i++)
		printk("v%u: gfn %lx, state %d, done %d, wakeups %lu\n", i,
		       touchers[i].gfn, pg_dom_vcpu[i].state, toucher_done(i),
		       pg_dom_vcpu[i].nr_wakeups);
	for (i = 0; i < NR_GFNS; i++)
		printk("gfn %lx: type %d\n", FIRST_GFN + i,
		       pg_type(FIRST_GFN + i));
}

/* Poll cond for up to 5 s; fail with the states if it never holds. */
#define WAIT_FOR(cond)                                                       \
	do {                                                                 \
		unsigned int ms_;                                            \
		for (ms_ = 0; !(cond); ms_++) {                              \
			if (ms_ == 5000) {                                   \
				show_states();                               \
				FAIL("still not true after 5 s: %s", #cond); \
			}                                                    \
			usleep(1000);                                        \
		}                                                            \
	} while (0)

/* A foreign touch (the control domain mapping gfn), as in test_paging. */
static int foreign_touch(unsigned long gfn)
{
	struct p2m_lookup r;
	int rc;

	rc = p2m_get_gfn(&pg_p2m, _gfn(gfn), P2M_ALLOC, &r);
	put_gfn(&pg_p2m, _gfn(gfn));
	return rc;
}

static bool all_xen_ports_free(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < NR_XEN_EVTCHNS; i++)
		if (d->xen_evtchns[i].port)
			return false;
	return true;
}

/*
 * NR_GFNS gfns of the target paged out, and a first ring come and gone
 * (so the event channel's table and the ring gfn's p2m tables exist
 * already). Returns the free-page count with no ring.
 */
static unsigned long paged_target(void)
{
	u64 gfns[NR_GFNS];
	unsigned int i, done;

	pg_setup();
	for (i = 0; i < NR_GFNS; i++) {
		gfns[i] = FIRST_GFN + i;
		pg_populate(gfns[i], pattern(gfns[i]));
	}
	CHECK_EQ(p2m_mem_paging_populate_evicted(&pg_dom, gfns, NR_GFNS, &done),
		 0);
	pg_ring_enable();
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), 0);
	return total_free_pages();
}

/*
 * The worst moment on ring s: gfns 0..7 have a request each (vCPUs 0..2
 * asleep on theirs, the rest the control domain's), the ring is full
 * and vCPU 3 sleeps for a slot, its gfn 8 still ram_paged. The pager
 * has read the 8 requests, answered none.
 */
static void ring_full_with_sleepers(struct vm_event_sring *s)
{
	bool seen[NR_OUT] = { false };
	vm_event_request_t req;
	unsigned int i, cons = 0;
	unsigned long g;

	for (i = NR_VCPU_REQUESTS; i < NR_OUT; i++)
		CHECK_EQ(foreign_touch(FIRST_GFN + i), -EAGAIN);
	for (i = 0; i < NR_VCPU_REQUESTS; i++)
		start_toucher(i, FIRST_GFN + i);
	WAIT_FOR(__atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE) == NR_OUT &&
		 asleep(0) && asleep(1) && asleep(2));
	start_toucher(SLOT_WAITER, FIRST_GFN + NR_OUT);
	WAIT_FOR(asleep(SLOT_WAITER));

	CHECK_EQ(vm_event_claim_slot(&pg_dom, false, &g), -EBUSY);
	for (i = 0; i < NR_OUT; i++) {
		unsigned long k;

		CHECK_EQ(pg_type(FIRST_GFN + i), p2m_ram_paging_in);
		CHECK(pg_take_request(s, &cons, &req));
		k = req.u.mem_paging.gfn - FIRST_GFN;
		CHECK(k < NR_OUT && !seen[k]);
		seen[k] = true;
		CHECK_EQ(!!(req.flags & VM_EVENT_FLAG_VCPU_PAUSED),
			 k < NR_VCPU_REQUESTS);
	}
	CHECK(!pg_take_request(s, &cons, &req));
	CHECK_EQ(pg_type(FIRST_GFN + NR_OUT), p2m_ram_paged);
}

/* The next pager: each request answered with prep of the gfn's bytes. */
static struct vm_event_sring *pager_ring;
static unsigned int asked[NR_GFNS];
static bool pager_stop;

static void pager(void *arg)
{
	vm_event_request_t req;
	unsigned int cons = 0;

	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
	while (!__atomic_load_n(&pager_stop, __ATOMIC_ACQUIRE)) {
		unsigned long gfn;

		if (!pg_take_request(pager_ring, &cons, &req)) {
			usleep(50);
			continue;
		}
		gfn = req.u.mem_paging.gfn;
		CHECK(gfn >= FIRST_GFN && gfn < FIRST_GFN + NR_GFNS);
		__atomic_fetch_add(&asked[gfn - FIRST_GFN], 1,
				   __ATOMIC_RELAXED);
		CHECK_EQ(pg_prep(gfn, pattern(gfn)), 0);
		CHECK_EQ(pg_respond(pager_ring, &req), 0);
	}
}

/* The control domain maps gfn again and again until it is back. */
static void foreign_retry(unsigned long gfn)
{
	unsigned int ms;

	for (ms = 0; foreign_touch(gfn); ms++) {
		if (ms == 5000) {
			show_states();
			FAIL("gfn %lx never came back for the mapper", gfn);
		}
		usleep(1000);
	}
	CHECK_EQ(pg_byte(gfn), pattern(gfn));
}

TEST(vm_event_pager_gone_sleepers_wait_for_the_next)
{
	unsigned long free, notified, wakeups[PG_NR_VCPUS];
	struct vm_event_sring *s;
	pthread_t pg;
	unsigned int i;

	free = paged_target();
	s = pg_ring_enable();
	ring_full_with_sleepers(s);
	for (i = 0; i < PG_NR_VCPUS; i++)
		wakeups[i] = pg_dom_vcpu[i].nr_wakeups;
	notified = pg_notifications;

	/* The pager's domain is destroyed. */
	vm_event_domain_gone(&pg_ctl);
	CHECK(!pg_dom.paging_ring);
	/* Told on its way out (it may still listen). */
	CHECK_EQ(pg_notifications, notified + 1);
	/* Every request out is undone: the next pager must be asked. */
	for (i = 0; i < NR_ASKED; i++)
		CHECK_EQ(pg_type(FIRST_GFN + i), p2m_ram_paged);
	CHECK_EQ(pg_dom.nr_paged, NR_GFNS);
	/* The ring page and its port are released. */
	CHECK_EQ(total_free_pages(), free);
	CHECK(all_xen_ports_free(&pg_dom));
	/* Nobody but a ring could take a request now. */
	CHECK_EQ(foreign_touch(FIRST_GFN), -EAGAIN);
	CHECK_EQ(pg_type(FIRST_GFN), p2m_ram_paged);
	/*
	 * The sleepers were woken, looked again and went back to sleep:
	 * no pager, nothing to do but wait. None crashed or gave up.
	 */
	WAIT_FOR(asleep(0) && asleep(1) && asleep(2) && asleep(SLOT_WAITER) &&
		 pg_dom_vcpu[0].nr_wakeups > wakeups[0] &&
		 pg_dom_vcpu[SLOT_WAITER].nr_wakeups > wakeups[SLOT_WAITER]);
	usleep(50000);
	for (i = 0; i < PG_NR_VCPUS; i++)
		CHECK(asleep(i));
	CHECK(!pg_dom.is_shutting_down);
	CHECK_EQ(pg_dom.crash_reason[0], 0);
	/* The pager was never paged: no counts logged for it. */
	CHECK(!harness_output_contains("d0 (ctl): paging:"));

	/*
	 * A new pager: the sleepers ask it, the mapper retries; every gfn
	 * that was out is asked for exactly once, and comes back.
	 */
	pager_ring = pg_ring_enable();
	pg = shim_thread_start(pager, NULL);
	for (i = NR_VCPU_REQUESTS; i < NR_OUT; i++)
		foreign_retry(FIRST_GFN + i);
	WAIT_FOR(toucher_done(0) && toucher_done(1) && toucher_done(2) &&
		 toucher_done(SLOT_WAITER));
	for (i = 0; i < PG_NR_VCPUS; i++)
		shim_thread_join(touchers[i].thread);
	__atomic_store_n(&pager_stop, true, __ATOMIC_RELEASE);
	shim_thread_join(pg);

	for (i = 0; i < PG_NR_VCPUS; i++) {
		CHECK_EQ(touchers[i].rc, 0);
		CHECK_EQ(touchers[i].first, pattern(touchers[i].gfn));
		CHECK_EQ(touchers[i].last, pattern(touchers[i].gfn));
	}
	for (i = 0; i < NR_GFNS; i++)
		CHECK_EQ(asked[i], i < NR_ASKED);
	CHECK_EQ(pg_dom.nr_paged, NR_GFNS - NR_ASKED);
	CHECK_EQ(pg_dom.nr_pageins, NR_ASKED);
}

TEST(vm_event_pager_gone_again_and_again)
{
	unsigned long free, gfn = FIRST_GFN;
	struct vm_event_sring *s;
	vm_event_request_t req;
	unsigned int round, cons;

	free = paged_target();
	/* More pagers than a domain has ports the hypervisor serves. */
	for (round = 0; round < 2 * NR_XEN_EVTCHNS; round++) {
		s = pg_ring_enable();
		cons = 0;
		CHECK_EQ(foreign_touch(gfn), -EAGAIN);
		CHECK(pg_take_request(s, &cons, &req));
		CHECK_EQ(req.u.mem_paging.gfn, gfn);
		CHECK_EQ(pg_type(gfn), p2m_ram_paging_in);
		vm_event_domain_gone(&pg_ctl);
		CHECK_EQ(pg_type(gfn), p2m_ram_paged);
		CHECK_EQ(total_free_pages(), free);
		CHECK(all_xen_ports_free(&pg_dom));
	}
	CHECK_EQ(pg_dom.nr_paged, NR_GFNS);
}

TEST(vm_event_target_gone_with_sleepers)
{
	unsigned long free, notified;
	struct vm_event_sring *s;
	unsigned int i;
	char line[80];

	free = paged_target();
	/* Two served before: page-ins to count. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(pg_prep(FIRST_GFN + NR_GFNS - 1 - i, 0), 0);
		CHECK_EQ(p2m_mem_paging_nominate(&pg_dom,
						 FIRST_GFN + NR_GFNS - 1 - i),
			 0);
		CHECK_EQ(p2m_mem_paging_evict(&pg_dom,
					      FIRST_GFN + NR_GFNS - 1 - i),
			 0);
	}
	free = total_free_pages();
	s = pg_ring_enable();
	ring_full_with_sleepers(s);
	notified = pg_notifications;

	/* The target is shut down: its sleepers give up, without a crash. */
	WRITE_ONCE(pg_dom.is_shutting_down, true);
	paging_wake(&pg_dom);
	WAIT_FOR(toucher_done(0) && toucher_done(1) && toucher_done(2) &&
		 toucher_done(SLOT_WAITER));
	for (i = 0; i < PG_NR_VCPUS; i++) {
		shim_thread_join(touchers[i].thread);
		CHECK_EQ(touchers[i].rc, -ESRCH);
	}
	CHECK_EQ(pg_dom.crash_reason[0], 0);
	CHECK(!pg_dom.paging_wq.sleepers);

	/* Then destroyed. */
	vm_event_domain_gone(&pg_dom);
	CHECK(!pg_dom.paging_ring);
	CHECK_EQ(pg_notifications, notified + 1); /* the pager is told */
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_RESUME), -ENODEV);
	/* Paged gfns hold no frames; the ring page is back. */
	for (i = 0; i < NR_ASKED; i++)
		CHECK_EQ(pg_type(FIRST_GFN + i), p2m_ram_paged);
	CHECK_EQ(total_free_pages(), free);
	CHECK(all_xen_ports_free(&pg_dom));
	snprintf(line, sizeof(line),
		 "(XEN) d1 (dom): paging: %u evictions, "
		 "2 page-ins\n",
		 NR_GFNS + 2);
	CHECK(harness_output_contains(line));
}

TEST(vm_event_target_never_paged_logs_no_counts)
{
	unsigned long free;

	pg_setup();
	pg_populate(FIRST_GFN, 1);
	/* A first ring makes the tables the next one needs. */
	pg_ring_enable();
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_DISABLE), 0);
	free = total_free_pages();
	pg_ring_enable();
	vm_event_domain_gone(&pg_dom);
	CHECK(!pg_dom.paging_ring);
	CHECK_EQ(total_free_pages(), free);
	CHECK(!harness_output_contains("d1 (dom): paging:"));
}
