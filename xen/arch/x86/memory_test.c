/*
 * Self-test of memory_op continuations, in the hypervisor: the extent ops
 * stopped after every extent (the scheduler asking for the CPU each time)
 * and restarted with the cmd they left must end exactly as the same calls
 * continued only at their 32-extent rounds: the same result, the same p2m
 * types at every gfn, the same reservation. Two HVM domains stand in for
 * the guests; their vCPUs never enter the guest but make the hypercalls
 * from the hypervisor, as the current vCPU (whose memory the guest copies
 * read): vCPU 0 populates, vCPU 1 decreases. Their paging is off, so the
 * arguments are read at guest-physical addresses.
 */
#include <xen/errno.h>
#include <xen/guest_access.h>
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

/* What a domain's vCPUs are asked and what they found, by vCPU id. */
struct memop_run {
	bool preempt; /* the scheduler wants the CPU before every call */
	long rc[2];
	unsigned int restarts[2];
	bool done[2];
};
static struct memop_run runs[2]; /* of domains TEST_DOMID and the next */

/*
 * A test vCPU: its memory_op on the reservation at gva 0, restarted until
 * it ends; with preempt, the scheduler wants the CPU before every call.
 */
static void memop_vcpu(struct vcpu *v)
{
	struct memop_run *run = &runs[v->domain->domain_id - TEST_DOMID];
	unsigned int id = v->vcpu_id;
	unsigned int op = id ? XENMEM_decrease_reservation :
			       XENMEM_populate_physmap;
	struct hypercall_args a = { .a = { op, 0 } };
	long rc;

	/* Not asked: let the scheduler have its way first. */
	if (!run->preempt && need_resched())
		schedule();
	do {
		if (run->preempt)
			send_event_check(smp_processor_id());
		rc = hypercall_dispatch(v, __HYPERVISOR_memory_op, &a);
		if (rc == -ERESTART)
			run->restarts[id]++;
	} while (rc == -ERESTART);
	run->rc[id] = rc;
	__atomic_store_n(&run->done[id], true, __ATOMIC_RELEASE);
}

/* A domain with one page of RAM at gfn 0 holding the reservation. */
static struct domain *make_domain(domid_t id, bool preempt)
{
	struct xen_memory_reservation r = {
		.nr_extents = NR_EXTENTS,
		.domid = DOMID_SELF,
	};
	struct hvm_vcpu start = { 0 };
	u64 list[NR_EXTENTS];
	struct page_info *pg;
	struct domain *d;
	unsigned int i;
	int err;

	runs[id - TEST_DOMID] = (struct memop_run){ .preempt = preempt };
	r.extent_start = guest_handle_from_param(LIST_GPA, xen_pfn_t);
	d = domain_create(id, "memtest", 2, MAX_PAGES, &err);
	if (!d)
		return NULL;
	for (i = 0; i < NR_EXTENTS; i++)
		list[i] = FIRST_GFN + (i == DUP_AT ? 10 : i);
	pg = NULL;
	err = hvm_domain_init(d, MAX_GFN);
	for (i = 0; i < 2 && !err; i++) {
		err = vcpu_create(d, i, memop_vcpu);
		if (!err)
			err = hvm_vcpu_init(d->vcpu[i], &start);
	}
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
 * Let d's vCPU id make its call, and wait (running pending vCPUs here)
 * until it did: its result, or -ETIME.
 */
static long run(struct domain *d, unsigned int id, unsigned int *restarts)
{
	struct memop_run *run = &runs[d->domain_id - TEST_DOMID];
	s_time_t end = NOW() + SECONDS(5);

	vcpu_unpause(d->vcpu[id]);
	while (!__atomic_load_n(&run->done[id], __ATOMIC_ACQUIRE) &&
	       NOW() < end) {
		if (need_resched())
			schedule();
		cpu_relax();
	}
	if (!__atomic_load_n(&run->done[id], __ATOMIC_ACQUIRE))
		return -ETIME;
	*restarts = run->restarts[id];
	return run->rc[id];
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
	a = make_domain(TEST_DOMID, true);
	b = make_domain(TEST_DOMID + 1, false);
	CHECK(a && b);

	/* Populate stops at the repeated gfn: DUP_AT extents done. */
	CHECK(run(a, 0, &ra) == DUP_AT);
	CHECK(run(b, 0, &rb) == DUP_AT);
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
	CHECK(run(a, 1, &ra) == DUP_AT);
	CHECK(run(b, 1, &rb) == DUP_AT);
	CHECK(ra >= DUP_AT - 1 && ra > rb);
	CHECK(a->tot_pages == 1);
	CHECK(same_p2m(a, b));

	CHECK(destroy(a) && destroy(b));
	CHECK(total_free_pages() == free_before);
	return TEST_PASS;
}
