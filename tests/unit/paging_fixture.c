/* The paging tests' domains and pager (paging_fixture.h). */
#include <stdio.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/physmap.h>
#include <xen/vm_event.h>
#include <public/hvm_op.h>
#include "../../xen/arch/x86/mm/p2m/backend.h"
#include "harness.h"
#include "paging_fixture.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x3000UL

struct domain pg_dom, pg_ctl;
struct p2m_domain pg_p2m;
struct vcpu pg_dom_vcpu[PG_NR_VCPUS], pg_ctl_vcpu = { .domain = &pg_ctl };
unsigned long pg_notifications;

void __real_notify_via_xen_evtchn(struct domain *ld, evtchn_port_t port);
void __wrap_notify_via_xen_evtchn(struct domain *ld, evtchn_port_t port);

/* The link wraps vm_event.c's calls (Makefile): counted, then sent. */
void __wrap_notify_via_xen_evtchn(struct domain *ld, evtchn_port_t port)
{
	__atomic_fetch_add(&pg_notifications, 1, __ATOMIC_RELAXED);
	__real_notify_via_xen_evtchn(ld, port);
}

/* The domain list of vm_event_domain_gone(): ctl, then dom. */
struct domain *domain_next(struct domain *d)
{
	return !d ? &pg_ctl : d == &pg_ctl ? &pg_dom : NULL;
}

static void domain_setup(struct domain *d, domid_t id, const char *name,
			 unsigned long max_gfn)
{
	domain_mem_init(d, id, max_gfn);
	snprintf(d->name, sizeof(d->name), "%s", name);
	spin_lock_init(&d->vm_event_ctl_lock, "vm_event_ctl", LR_VM_EVENT_CTL);
	spin_lock_init(&d->paging_lock, "paging_ring", LR_VM_EVENT);
	init_waitqueue_head(&d->paging_wq);
	CHECK_EQ(evtchn_domain_init(d), 0);
}

void pg_setup(void)
{
	shim_add_ram(RAM_START, RAM_END);
	pg_setup_domains(PG_MAX_GFN);
}

void pg_setup_domains(unsigned long max_gfn)
{
	unsigned int i;

	domain_setup(&pg_ctl, 0, "ctl", max_gfn);
	domain_setup(&pg_dom, 1, "dom", max_gfn);
	pg_ctl.is_privileged = true;
	pg_ctl.vcpu[0] = &pg_ctl_vcpu;
	pg_ctl.max_vcpus = 1;
	pg_dom.max_vcpus = PG_NR_VCPUS;
	for (i = 0; i < PG_NR_VCPUS; i++) {
		pg_dom_vcpu[i] =
			(struct vcpu){ .vcpu_id = i, .domain = &pg_dom };
		pg_dom.vcpu[i] = &pg_dom_vcpu[i];
	}
	CHECK(!p2m_init(&pg_p2m, &pg_dom, &p2m_npt_ops, max_gfn));
	pg_p2m.fixups = &p2m_domain_fixups;
	pg_dom.p2m = &pg_p2m;
	this_cpu(curr_vcpu) = &pg_ctl_vcpu;
}

unsigned long pg_pages_now(void)
{
	return total_free_pages() + pg_p2m.nr_tables + pg_dom.tot_pages +
	       pg_ctl.tot_pages;
}

struct page_info *pg_populate(unsigned long gfn, u8 fill)
{
	struct page_info *pg = alloc_domheap_page(&pg_dom, 0);

	CHECK(pg);
	memset(page_to_virt(pg), fill, PAGE_SIZE);
	CHECK_EQ(p2m_set_entry(&pg_p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
			       PAGE_ORDER_4K, p2m_ram_rw, p2m_access_rwx),
		 0);
	return pg;
}

p2m_type_t pg_type(unsigned long gfn)
{
	struct p2m_lookup r;

	p2m_get_gfn(&pg_p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(&pg_p2m, _gfn(gfn));
	return r.t;
}

u8 pg_byte(unsigned long gfn)
{
	struct p2m_lookup r;
	u8 b;

	p2m_get_gfn(&pg_p2m, _gfn(gfn), P2M_QUERY, &r);
	CHECK_EQ(r.t, p2m_ram_rw);
	b = *(u8 *)page_to_virt(pfn_to_page(mfn_x(r.mfn)));
	put_gfn(&pg_p2m, _gfn(gfn));
	return b;
}

long pg_ring_op(unsigned int op)
{
	struct xen_domctl_vm_event_op o = {
		.op = op,
		.mode = XEN_DOMCTL_VM_EVENT_OP_PAGING,
	};

	return vm_event_domctl(&pg_ctl_vcpu, &pg_dom, &o);
}

struct vm_event_sring *pg_ring_enable(void)
{
	struct page_info *pg = pg_populate(PG_RING_GFN, 0xee);

	pg_dom.hvm_params[HVM_PARAM_PAGING_RING_PFN] = PG_RING_GFN;
	CHECK_EQ(pg_ring_op(XEN_VM_EVENT_ENABLE), 0);
	CHECK_EQ(pg_type(PG_RING_GFN), p2m_invalid);
	return page_to_virt(pg);
}

bool pg_take_request(struct vm_event_sring *s, unsigned int *cons,
		     vm_event_request_t *req)
{
	if (*cons == __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE))
		return false;
	*req = s->ring[*cons % VM_EVENT_RING_SIZE];
	++*cons;
	return true;
}

long pg_respond(struct vm_event_sring *s, const vm_event_request_t *req)
{
	unsigned int prod = s->rsp_prod;

	s->ring[prod % VM_EVENT_RING_SIZE] = *req;
	__atomic_store_n(&s->rsp_prod, prod + 1, __ATOMIC_RELEASE);
	return pg_ring_op(XEN_VM_EVENT_RESUME);
}

int pg_prep(unsigned long gfn, u8 fill)
{
	struct page_info *pg = alloc_domheap_page(&pg_dom, MEMF_no_scrub);
	int rc;

	CHECK(pg);
	memset(page_to_virt(pg), fill, PAGE_SIZE);
	rc = p2m_mem_paging_prep(&pg_dom, gfn, pg);
	if (rc)
		guest_drop_allocation(pg);
	return rc;
}
