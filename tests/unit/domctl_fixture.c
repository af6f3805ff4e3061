/* The fixture of test_domctl.c and test_sysctl.c (see the header). */
/* libc has no strlcpy: string.c's is built as xen_strlcpy (xen-libc.h). */
#define strlcpy xen_strlcpy
#define do_domctl domctl_under_test
#define do_sysctl sysctl_under_test
#define domain_create dc_domain_create
#define vcpu_create_pinned dc_vcpu_create_pinned
#define vcpu_create dc_vcpu_create
#define vcpu_destroy_unstarted dc_vcpu_destroy_unstarted
#define domain_pause dc_domain_pause
#define domain_unpause dc_domain_unpause
#define domain_shutdown_reason dc_domain_shutdown_reason
#define domain_shutdown dc_domain_shutdown
#define domain_kill dc_domain_kill
#define __domain_crash dc___domain_crash
#define domain_shutdown_hung dc_domain_shutdown_hung
#define domain_find dc_domain_find
#define domain_find_name dc_domain_find_name
#define domain_get dc_domain_get
#define domain_get_from dc_domain_get_from
#define domain_set_target dc_domain_set_target
#define domain_put dc_domain_put
#define domain_count dc_domain_count
#define domain_next dc_domain_next
#define domain_reap dc_domain_reap
#define domain_destroy_unbuilt dc_domain_destroy_unbuilt
#define reaper_kick dc_reaper_kick
#define autoexit_domain_gone dc_autoexit_domain_gone
#include "../../xen/common/domain.c"
#include "../../xen/common/domctl.c"
#include "../../xen/common/domctl_create.c"
#include "../../xen/common/domain_info.c"
#include "../../xen/common/sysctl.c"
#include "../../xen/arch/x86/hvm/vcpu_context.c"
#undef strlcpy

#include "../../xen/arch/x86/mm/p2m/backend.h"

#include "domctl_fixture.h"

#define RAM_START 0x1000UL
#define RAM_END 0x5000UL

u8 dc_mem[GUEST_MEM_SIZE];
struct domain *ctl, *plain;
unsigned int nr_exc;
unsigned long tsc_khz = 2000000;
cpumask_t cpu_online_map, guest_cpu_map;

/* The scheduler: pauses are counted, nothing ever runs. */
void vcpu_pause(struct vcpu *v)
{
	__atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
}

void vcpu_unpause(struct vcpu *v)
{
	CHECK(v->pause_count);
	__atomic_fetch_sub(&v->pause_count, 1, __ATOMIC_SEQ_CST);
}

void vcpu_sleep_sync(struct vcpu *v)
{
}

bool vcpu_is_running(struct vcpu *v)
{
	return false;
}

void sched_remove_vcpu(struct vcpu *v)
{
}

void send_event_check(unsigned int cpu)
{
}

void kill_timer(struct timer *t)
{
}

void *stack_alloc_vcpu(unsigned int domid, unsigned int vcpu_id)
{
	return alloc_xenheap_page();
}

void stack_free(void *stack)
{
	free_xenheap_page(stack);
}

int arch_vcpu_stack_init(struct vcpu *v)
{
	return 0;
}

void hvm_vcpu_loop(struct vcpu *v)
{
}

void arch_vcpu_show_state(struct vcpu *v)
{
}

void dc_reaper_kick(void)
{
}

void dc_autoexit_domain_gone(struct domain *d)
{
}

void control_domain_gone(struct domain *d)
{
}

void console_input_domain_gone(struct domain *d)
{
}

void control_domain_note_exc(void)
{
	nr_exc++;
}

/* The arch: an NPT p2m, and the vendor state as a plain struct hvm_vcpu */
int hvm_domain_init(struct domain *d, unsigned long max_gfn)
{
	struct p2m_domain *p2m = alloc_xenheap_page();
	int rc;

	if (!p2m)
		return -ENOMEM;
	rc = p2m_init(p2m, d, &p2m_npt_ops, max_gfn);
	if (rc) {
		free_xenheap_page(p2m);
		return rc;
	}
	d->p2m = p2m;
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	if (!d->p2m)
		return;
	p2m_teardown(d->p2m);
	free_xenheap_page(d->p2m);
	d->p2m = NULL;
}

int hvm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu *h = alloc_xenheap_page();

	if (!h)
		return -ENOMEM;
	*h = *start;
	h->rflags |= 2;
	/* What the vendors load for each start mode (svm.c, vmcs.c). */
	h->cr0 = X86_CR0_PE | X86_CR0_ET | (h->entry_64bit ? X86_CR0_PG : 0);
	h->cr4 = h->entry_64bit ? X86_CR4_PAE : 0;
	h->efer = h->entry_64bit ? EFER_LME | EFER_LMA : 0;
	v->hvm = h;
	return 0;
}

void hvm_vcpu_reset(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct hvm_vcpu *h = v->hvm;

	*h = *start;
	h->rflags |= 2;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	free_xenheap_page(v->hvm);
	v->hvm = NULL;
}

void dc_setup(void)
{
	int err;

	shim_add_ram(RAM_START, RAM_END);
	cpumask_set_cpu(0, &cpu_online_map);
	cpumask_set_cpu(0, &guest_cpu_map);
	fake_guest_mem(dc_mem, sizeof(dc_mem), 0, 0);
	ctl = dc_domain_create(0, "ctl", 1, 64, &err);
	plain = dc_domain_create(0, "plain", 1, 64, &err);
	CHECK(ctl && plain && ctl->domain_id == 1 && plain->domain_id == 2);
	ctl->is_privileged = true;
	CHECK(!dc_vcpu_create(ctl, 0, hvm_vcpu_loop));
	CHECK(!dc_vcpu_create(plain, 0, hvm_vcpu_loop));
}

long domctl_as(struct domain *d, struct xen_domctl *dc)
{
	struct hypercall_args a = { .a = { DC_GVA } };
	long rc;

	memcpy(dc_mem + DC_GVA, dc, sizeof(*dc));
	rc = domctl_under_test(d->vcpu[0], &a);
	memcpy(dc, dc_mem + DC_GVA, sizeof(*dc));
	return rc;
}

long dctl(u32 cmd, domid_t dom, struct xen_domctl *dc)
{
	dc->cmd = cmd;
	dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	dc->domain = dom;
	return domctl_as(ctl, dc);
}

long sctl(u32 cmd, struct xen_sysctl *s)
{
	struct hypercall_args a = { .a = { DC_GVA } };
	long rc;

	s->cmd = cmd;
	s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(dc_mem + DC_GVA, s, sizeof(*s));
	rc = sysctl_under_test(ctl->vcpu[0], &a);
	memcpy(s, dc_mem + DC_GVA, sizeof(*s));
	return rc;
}

long create(const char *name, domid_t id, u32 vcpus)
{
	struct xen_domctl dc = { .u.createdomain = {
					 .flags = XEN_DOMCTL_CDF_hvm |
						  XEN_DOMCTL_CDF_hap,
					 .max_vcpus = vcpus,
				 } };
	long rc;

	xen_strlcpy(dc.u.createdomain.name, name,
		    sizeof(dc.u.createdomain.name));
	rc = dctl(XEN_DOMCTL_createdomain, id, &dc);
	return rc ? rc : dc.domain;
}

void reap(void)
{
	dc_domain_reap();
}

void destroy(domid_t id)
{
	struct xen_domctl dc = {};

	CHECK_EQ(dctl(XEN_DOMCTL_destroydomain, id, &dc), 0);
	reap();
}

long populate(struct domain *d, unsigned long nr)
{
	unsigned long gfn;

	for (gfn = 0; gfn < nr; gfn++) {
		struct page_info *pg = alloc_domheap_pages(d, 0, 0);

		if (!pg)
			return gfn;
		CHECK(!p2m_set_entry(d->p2m, _gfn(gfn), _mfn(page_to_pfn(pg)),
				     0, p2m_ram_rw, p2m_access_rwx));
	}
	return gfn;
}

unsigned long free_pages(void)
{
	return total_free_pages();
}
