/* The fixture of test_memory_op.c and test_physmap.c (see the header). */
#define do_memory_op memory_op_under_test
#include "../../xen/common/memory.c"
#include "../../xen/common/physmap.c"
#include "../../xen/common/physmap_foreign.c"
#include "../../xen/common/mem_paging.c"
#undef do_memory_op

#include "../../xen/arch/x86/mm/p2m/backend.h"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"
#include "memory_op_fixture.h"

struct domain dom, other;
struct p2m_domain dom_p2m, other_p2m;
struct vcpu vcpu = { .domain = &dom };
u8 guest_mem[0x4000];
bool resched;
unsigned int nr_restarts;
unsigned long pages_total;
const unsigned int memop_round = MEMOP_ROUND;
const unsigned int batch_round = BATCH_ROUND;

bool need_resched(void)
{
	return resched;
}

struct domain *domain_get(domid_t id)
{
	struct domain *d = id == dom.domain_id	 ? &dom :
			   id == other.domain_id ? &other :
						   NULL;

	if (d)
		d->refcnt++;
	return d;
}

void domain_put(struct domain *d)
{
	CHECK(d->refcnt);
	d->refcnt--;
}

struct domain *domain_find(domid_t id)
{
	return id == dom.domain_id   ? &dom :
	       id == other.domain_id ? &other :
				       NULL;
}

unsigned long pages_now(void)
{
	return total_free_pages() + dom_p2m.nr_tables + other_p2m.nr_tables +
	       dom.tot_pages + other.tot_pages;
}

void setup(unsigned long max_pages)
{
	shim_add_ram(RAM_START, RAM_END);
	fake_guest_mem(guest_mem, sizeof(guest_mem), RO_GVA, RO_END);
	domain_mem_init(&dom, 1, max_pages);
	domain_mem_init(&other, 2, max_pages);
	dom.p2m = &dom_p2m;
	other.p2m = &other_p2m;
	CHECK(!p2m_init(&dom_p2m, &dom, &p2m_npt_ops, MAX_GFN));
	CHECK(!p2m_init(&other_p2m, &other, &p2m_npt_ops, MAX_GFN));
	pages_total = pages_now();
}

/* Run the handler until it stops asking to be continued. */
long memop(unsigned long cmd, unsigned long arg, bool compat)
{
	struct hypercall_args a = { .a = { cmd, arg }, .compat = compat };
	long rc;

	while ((rc = memory_op_under_test(&vcpu, &a)) == -ERESTART)
		nr_restarts++;
	CHECK(!dom.refcnt && !other.refcnt);
	CHECK_EQ(pages_now(), pages_total);
	return rc;
}

void put_reservation(unsigned long list, unsigned long nr, unsigned int order,
		     domid_t domid)
{
	struct xen_memory_reservation r = {
		.extent_start = guest_handle_from_param(list, xen_pfn_t),
		.nr_extents = nr,
		.extent_order = order,
		.domid = domid,
	};

	memcpy(guest_mem + RES_GVA, &r, sizeof(r));
}

/* op on gfns[0..nr) of domid, 64-bit layout. */
long reserve(unsigned int op, const u64 *gfns, unsigned long nr,
	     unsigned int order, domid_t domid)
{
	memcpy(guest_mem + LIST_GVA, gfns, nr * sizeof(*gfns));
	put_reservation(LIST_GVA, nr, order, domid);
	return memop(op, RES_GVA, false);
}

long count(unsigned int op, domid_t domid)
{
	memcpy(guest_mem + RES_GVA, &domid, sizeof(domid));
	return memop(op, RES_GVA, false);
}

p2m_type_t type_of(struct p2m_domain *p2m, unsigned long gfn)
{
	struct p2m_lookup r;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(p2m, _gfn(gfn));
	return r.t;
}

bool zeroed(struct p2m_domain *p2m, unsigned long gfn)
{
	struct p2m_lookup r;
	const u8 *p;
	bool zero = true;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	p = page_to_virt(pfn_to_page(mfn_x(r.mfn)));
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		zero &= !p[i];
	put_gfn(p2m, _gfn(gfn));
	return zero;
}
