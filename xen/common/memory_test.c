/*
 * Self-test of memory_op continuations, in the hypervisor: the extent ops
 * stopped after every extent (the scheduler asking for the CPU each time)
 * and restarted with the cmd they left must end exactly as the same calls
 * continued only at their 32-extent rounds: the same result, the same p2m
 * types at every gfn, the same reservation. Two HVM domains that never
 * run stand in for the guests: their vCPU has paging off, so the
 * arguments are read at guest-physical addresses.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <asm/p2m.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <asm/hvm.h>
#include <asm/time.h>

#define TEST_DOMID 0x7d00
#define MAX_GFN 512 /* 2 MiB of guest-physical space */
#define MAX_PAGES 256
#define LIST_GPA 0x100 /* the u64 gfn list, after the reservation at 0 */
#define NR_EXTENTS 100
#define FIRST_GFN 16
#define DUP_AT 60 /* the list names an earlier gfn again: the call stops */

/* A domain with one page of RAM at gfn 0 holding the reservation. */
static struct domain *make_domain(domid_t id)
{
	struct xen_memory_reservation r = {
		.extent_start = LIST_GPA,
		.nr_extents = NR_EXTENTS,
		.domid = DOMID_SELF,
	};
	struct hvm_vcpu start = { 0 };
	u64 list[NR_EXTENTS];
	struct page_info *pg;
	struct domain *d;
	unsigned int i;
	int err;

	d = domain_create(id, "memtest", 1, MAX_PAGES, &err);
	if (!d)
		return NULL;
	for (i = 0; i < NR_EXTENTS; i++)
		list[i] = FIRST_GFN + (i == DUP_AT ? 10 : i);
	pg = NULL;
	err = hvm_domain_init(d, MAX_GFN);
	if (!err)
		err = vcpu_create(d, 0, hvm_vcpu_loop);
	if (!err)
		err = hvm_vcpu_init(d->vcpu[0], &start);
	if (!err && !(pg = alloc_domheap_page(d, 0)))
		err = -ENOMEM;
	if (!err)
		err = p2m_set_entry(d->p2m, _gfn(0), _mfn(page_to_pfn(pg)),
				    PAGE_ORDER_4K, p2m_ram_rw, p2m_access_rwx);
	if (!err)
		err = hvm_copy_to_guest_phys(d, 0, &r, sizeof(r));
	if (!err)
		err = hvm_copy_to_guest_phys(d, LIST_GPA, list, sizeof(list));
	if (err) {
		domain_shutdown(d, SHUTDOWN_crash);
		return NULL;
	}
	return d;
}

/*
 * memory_op op on the reservation at gva 0, restarted until it ends;
 * with preempt, the scheduler wants the CPU before every call.
 */
static long run(struct domain *d, unsigned int op, bool preempt,
		unsigned int *restarts)
{
	struct hypercall_args a = { .a = { op, 0 } };
	long rc;

	/* Not asked: let the scheduler have its way first. */
	if (!preempt && need_resched())
		schedule();
	do {
		if (preempt)
			send_event_check(smp_processor_id());
		rc = hypercall_dispatch(d->vcpu[0], __HYPERVISOR_memory_op, &a);
		if (rc == -ERESTART)
			(*restarts)++;
	} while (rc == -ERESTART);
	return rc;
}

static bool same_p2m(struct domain *a, struct domain *b)
{
	unsigned long g;

	for (g = 0; g < MAX_GFN; g++) {
		struct p2m_lookup ra, rb;

		p2m_get_gfn(a->p2m, _gfn(g), P2M_QUERY, &ra);
		put_gfn(a->p2m, _gfn(g));
		p2m_get_gfn(b->p2m, _gfn(g), P2M_QUERY, &rb);
		put_gfn(b->p2m, _gfn(g));
		if (ra.t != rb.t)
			return false;
	}
	return a->tot_pages == b->tot_pages;
}

static bool destroy(struct domain *d)
{
	unsigned int before = domain_count();
	s_time_t end = NOW() + SECONDS(2);

	domain_shutdown(d, SHUTDOWN_poweroff);
	while (domain_count() == before && NOW() < end)
		domain_reap();
	return domain_count() < before;
}

SELFTEST(memop_preempted_matches_unpreempted)
{
	unsigned long free_before = total_free_pages();
	struct domain *a, *b;
	unsigned int ra = 0, rb = 0;
	struct p2m_lookup r;

	if (!hvm_enabled())
		return TEST_SKIP;
	a = make_domain(TEST_DOMID);
	b = make_domain(TEST_DOMID + 1);
	CHECK(a && b);

	/* Populate stops at the repeated gfn: DUP_AT extents done. */
	CHECK(run(a, XENMEM_populate_physmap, true, &ra) == DUP_AT);
	CHECK(run(b, XENMEM_populate_physmap, false, &rb) == DUP_AT);
	CHECK(ra >= DUP_AT - 1 && ra > rb);
	CHECK(a->tot_pages == 1 + DUP_AT);
	CHECK(same_p2m(a, b));
	p2m_get_gfn(a->p2m, _gfn(FIRST_GFN + DUP_AT - 1), P2M_QUERY, &r);
	put_gfn(a->p2m, _gfn(FIRST_GFN + DUP_AT - 1));
	CHECK(r.t == p2m_ram_rw);
	p2m_get_gfn(a->p2m, _gfn(FIRST_GFN + DUP_AT), P2M_QUERY, &r);
	put_gfn(a->p2m, _gfn(FIRST_GFN + DUP_AT));
	CHECK(r.t == p2m_invalid);

	/* Decrease of the same list stops at the same place. */
	ra = rb = 0;
	CHECK(run(a, XENMEM_decrease_reservation, true, &ra) == DUP_AT);
	CHECK(run(b, XENMEM_decrease_reservation, false, &rb) == DUP_AT);
	CHECK(ra >= DUP_AT - 1 && ra > rb);
	CHECK(a->tot_pages == 1);
	CHECK(same_p2m(a, b));

	CHECK(destroy(a) && destroy(b));
	CHECK(total_free_pages() == free_before);
	return TEST_PASS;
}
