/*
 * domctl (domctl.c, domctl_create.c, domain_info.c over domain.c) through
 * its handler: every sub-op's success path and each error, created
 * domains kept after their shutdown until destroyed, vCPUs created with
 * the domain's share of pauses, set_target's reference, and nothing left
 * behind by a create that fails or a create+destroy loop (the fixture:
 * domctl_fixture.h).
 */
#include "domctl_fixture.h"

#define PAUSED_NEW (XEN_DOMINF_paused | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap)

static struct xen_domctl_getdomaininfo info(domid_t id)
{
	struct xen_domctl dc = {};

	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, id, &dc), 0);
	return dc.u.getdomaininfo;
}

static long simple(u32 cmd, domid_t id)
{
	struct xen_domctl dc = {};

	return dctl(cmd, id, &dc);
}

static long max_mem(domid_t id, u64 kb)
{
	struct xen_domctl dc = { .u.max_mem.max_memkb = kb };

	return dctl(XEN_DOMCTL_max_mem, id, &dc);
}

/* The context goes at BUF_GVA. */
static long set_ctx(domid_t id, u32 vcpu, const struct vcpu_hvm_context *c)
{
	struct xen_domctl dc = { .u.vcpucontext.vcpu = vcpu };

	memcpy(dc_mem + BUF_GVA, c, sizeof(*c));
	set_xen_guest_handle(dc.u.vcpucontext.ctxt,
			     (vcpu_hvm_context_t *)BUF_GVA);
	return dctl(XEN_DOMCTL_setvcpucontext, id, &dc);
}

static long get_ctx(domid_t id, u32 vcpu, struct vcpu_hvm_context *c)
{
	struct xen_domctl dc = { .u.vcpucontext.vcpu = vcpu };
	long rc;

	memset(dc_mem + BUF_GVA, 0xee, sizeof(*c));
	set_xen_guest_handle(dc.u.vcpucontext.ctxt,
			     (vcpu_hvm_context_t *)BUF_GVA);
	rc = dctl(XEN_DOMCTL_getvcpucontext, id, &dc);
	memcpy(c, dc_mem + BUF_GVA, sizeof(*c));
	return rc;
}

static struct vcpu_hvm_context ctx32(u32 eip)
{
	struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_32B };

	c.cpu_regs.x86_32.eip = eip;
	c.cpu_regs.x86_32.esi = 0x1234;
	c.cpu_regs.x86_32.esp = 0x8000;
	c.cpu_regs.x86_32.cr0 = X86_CR0_PE;
	return c;
}

static struct vcpu_hvm_context ctx64(u64 rip)
{
	struct vcpu_hvm_context c = { .mode = VCPU_HVM_MODE_64B };

	c.cpu_regs.x86_64.rip = rip;
	c.cpu_regs.x86_64.rbx = 0x6000;
	c.cpu_regs.x86_64.cr0 = X86_CR0_PE | X86_CR0_PG;
	c.cpu_regs.x86_64.cr3 = 0x5000;
	c.cpu_regs.x86_64.cr4 = X86_CR4_PAE;
	c.cpu_regs.x86_64.efer = EFER_LME | EFER_LMA;
	return c;
}

static struct domain *dom(domid_t id)
{
	return dc_domain_find(id);
}

TEST(domctl_create_defaults)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_domctl dc = {};
	long id;

	dc_setup();
	id = create("", 0, 2);
	CHECK_EQ(id, 3);
	i = info(id);
	CHECK_EQ(i.domain, 3);
	CHECK_EQ(i.flags, PAUSED_NEW);
	CHECK_EQ(i.tot_pages, 0);
	CHECK_EQ(i.max_pages, 0);
	CHECK_EQ(i.nr_online_vcpus, 0);
	CHECK_EQ(i.max_vcpu_id, 1);
	CHECK_EQ(i.gpaddr_bits, 32); /* a p2m of 4 GiB */
	CHECK_EQ(dctl(XEN_DOMCTL_getdomainname, id, &dc), 0);
	CHECK_STR_EQ(dc.u.getdomainname.name, "d3");
	CHECK(dom(id)->kept_after_shutdown);
	CHECK(harness_output_contains("d3 (d3): created by d1, 2 vCPUs"));
}

TEST(domctl_create_ids_and_names)
{
	char name[XEN_DOMAIN_NAME_MAX];
	struct xen_domctl dc = {};
	unsigned long free0;

	dc_setup();
	free0 = free_pages();
	CHECK_EQ(create("ten", 10, 1), 10);
	CHECK_EQ(create("", 10, 1), -EEXIST);
	CHECK_EQ(create("ten", 0, 1), -EEXIST);
	CHECK_EQ(create("plain", 0, 1), -EEXIST); /* a boot domain's name */
	CHECK_EQ(create("", DOMID_SELF, 1), -EINVAL);
	CHECK_EQ(create("a b", 0, 1), -EINVAL);
	CHECK_EQ(create("tab\t", 0, 1), -EINVAL);
	/*
	 * The next free id after the last one handed out (a given id does
	 * not count); a destroyed one is not handed out again at once.
	 */
	CHECK_EQ(create("", 0, 1), 3);
	CHECK_EQ(create("", 0, 1), 4);
	destroy(3);
	CHECK_EQ(create("again", 0, 1), 5);
	CHECK_EQ(dctl(XEN_DOMCTL_getdomainname, 5, &dc), 0);
	CHECK_STR_EQ(dc.u.getdomainname.name, "again");
	/* Ids in use are passed over; a dying domain's name may be taken. */
	CHECK_EQ(create("nine", 9, 1), 9);
	for (long id = 6; id <= 8; id++)
		CHECK_EQ(create("", 0, 1), id);
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, 10), 0);
	CHECK_EQ(create("ten", 0, 1), 11);
	/* 32 bytes with no NUL. */
	memset(&dc, 0, sizeof(dc));
	dc.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	dc.u.createdomain.max_vcpus = 1;
	memset(name, 'x', sizeof(name));
	memcpy(dc.u.createdomain.name, name, sizeof(name));
	CHECK_EQ(dctl(XEN_DOMCTL_createdomain, 0, &dc), -EINVAL);
	for (domid_t id = 4; id <= 11; id++)
		if (id != 10)
			destroy(id);
	CHECK_EQ(dc_domain_count(), 2);
	CHECK_EQ(free_pages(), free0);
}

TEST(domctl_create_bad_flags_and_vcpus)
{
	static const u32 bad_flags[] = {
		0,
		XEN_DOMCTL_CDF_hvm,
		XEN_DOMCTL_CDF_hap,
		XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_iommu,
		XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | (1u << 31),
	};
	unsigned long free0;

	dc_setup();
	free0 = free_pages();
	for (unsigned int k = 0; k < ARRAY_SIZE(bad_flags); k++) {
		struct xen_domctl dc = { .u.createdomain = {
						 .flags = bad_flags[k],
						 .max_vcpus = 1,
					 } };

		CHECK_EQ(dctl(XEN_DOMCTL_createdomain, 0, &dc), -EINVAL);
	}
	CHECK_EQ(create("", 0, 0), -EINVAL);
	CHECK_EQ(create("", 0, MAX_VCPUS + 1), -EINVAL);
	CHECK_EQ(create("", 0, MAX_VCPUS), 3);
	destroy(3);
	CHECK_EQ(dc_domain_count(), 2);
	CHECK_EQ(free_pages(), free0);
}

TEST(domctl_create_fails_cleanly)
{
	unsigned long free0;

	dc_setup();
	free0 = free_pages();
	/* No heap left for the p2m: the domain is undone, its id free. */
	while (alloc_heap_pages(0, 0))
		;
	CHECK_EQ(create("", 0, 1), -ENOMEM);
	CHECK_EQ(dc_domain_count(), 2);
	CHECK(!dom(3));
	CHECK(free0 > free_pages());
}

TEST(domctl_create_destroy_loop_gives_everything_back)
{
	struct vcpu_hvm_context c = ctx32(0x1000);
	unsigned long free0;

	dc_setup();
	free0 = free_pages();
	for (unsigned int r = 0; r < 50; r++) {
		long id = create(r % 2 ? "odd" : "", 0, 2);

		CHECK_EQ(id, 3 + r);
		CHECK_EQ(max_mem(id, 64 * 4), 0);
		CHECK_EQ(populate(dom(id), 40), 40);
		CHECK_EQ(set_ctx(id, 0, &c), 0);
		CHECK_EQ(set_ctx(id, 1, &c), 0);
		CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
		destroy(id);
		CHECK(!dom(id));
	}
	CHECK_EQ(dc_domain_count(), 2);
	CHECK_EQ(free_pages(), free0);
}

TEST(domctl_destroy)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_domctl dc = {};
	long id;

	dc_setup();
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, 1), -EINVAL); /* itself */
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, 77), -ESRCH);
	id = create("", 0, 1);
	/* Held by a reference: dying, not gone, until it is dropped. */
	CHECK(dc_domain_get(id));
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0);
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, id), 0);
	reap();
	i = info(id);
	CHECK_EQ(i.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown),
		 XEN_DOMINF_dying);
	CHECK(harness_output_contains("d3 (d3): destroyed"));
	dc_domain_put(dom(id));
	reap();
	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, id, &dc), -ESRCH);
	/* A boot domain (not kept) can be destroyed too. */
	destroy(2);
	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, 2, &dc), -ESRCH);
}

TEST(domctl_shutdown_kept_until_destroyed)
{
	struct xen_domctl_getdomaininfo i;
	struct xen_domctl dc = {};
	struct vcpu_hvm_context c = ctx32(0x1000);
	unsigned int exc0;
	long id;

	dc_setup();
	id = create("kept", 0, 1);
	CHECK_EQ(set_ctx(id, 0, &c), 0);
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
	exc0 = nr_exc;
	dc_domain_shutdown(dom(id), SHUTDOWN_reboot);
	CHECK_EQ(nr_exc, exc0 + 1);
	reap();
	i = info(id);
	CHECK_EQ(i.flags & ~XEN_DOMINF_paused,
		 XEN_DOMINF_hvm_guest | XEN_DOMINF_hap | XEN_DOMINF_shutdown |
			 (SHUTDOWN_reboot << XEN_DOMINF_shutdownshift));
	CHECK_EQ(i.nr_online_vcpus, 1);
	/* Its vCPUs stopped: the registers can be read. */
	CHECK_EQ(get_ctx(id, 0, &c), 0);
	/* No new vCPU for a domain that shut down. */
	CHECK_EQ(create("kept", 0, 1), -EEXIST);
	destroy(id);
	CHECK_EQ(nr_exc, exc0 + 2);
	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, id, &dc), -ESRCH);
	/* A boot domain is not kept: the reaper takes it at its shutdown. */
	dc_domain_shutdown(plain, SHUTDOWN_poweroff);
	reap();
	CHECK_EQ(dctl(XEN_DOMCTL_getdomaininfo, 2, &dc), -ESRCH);
}

TEST(domctl_pause_unpause)
{
	struct vcpu_hvm_context c = ctx32(0x1000);
	long id;

	dc_setup();
	CHECK_EQ(simple(XEN_DOMCTL_pausedomain, 1), -EINVAL); /* itself */
	CHECK_EQ(simple(XEN_DOMCTL_pausedomain, 77), -ESRCH);
	id = create("", 0, 1);
	CHECK_EQ(set_ctx(id, 0, &c), 0);
	CHECK_EQ(dom(id)->vcpu[0]->pause_count, 1);
	CHECK_EQ(simple(XEN_DOMCTL_pausedomain, id), 0);
	CHECK_EQ(dom(id)->vcpu[0]->pause_count, 2);
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
	CHECK_EQ(dom(id)->vcpu[0]->pause_count, 0);
	CHECK(!(info(id).flags & XEN_DOMINF_paused));
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), -EINVAL);
	CHECK_EQ(dom(id)->vcpu[0]->pause_count, 0);
	CHECK_EQ(simple(XEN_DOMCTL_pausedomain, id), 0);
	CHECK(info(id).flags & XEN_DOMINF_paused);
}

TEST(domctl_max_mem)
{
	long id;

	dc_setup();
	CHECK_EQ(max_mem(77, 64), -ESRCH);
	id = create("", 0, 1);
	CHECK_EQ(populate(dom(id), 1), 0); /* max_pages 0 */
	CHECK_EQ(max_mem(id, 10 * 4 + 3), 0); /* rounded down to pages */
	CHECK_EQ(info(id).max_pages, 10);
	CHECK_EQ(populate(dom(id), 12), 10);
	CHECK_EQ(info(id).tot_pages, 10);
	/* Lower than it holds: kept, nothing taken away. */
	CHECK_EQ(max_mem(id, 4 * 4), 0);
	CHECK_EQ(info(id).max_pages, 4);
	CHECK_EQ(info(id).tot_pages, 10);
	CHECK_EQ(max_mem(id, (total_heap_pages() + 1) * 4), -ENOMEM);
	CHECK_EQ(max_mem(id, ~0ULL), -ENOMEM);
	CHECK_EQ(info(id).max_pages, 4);
	CHECK_EQ(max_mem(id, total_heap_pages() * 4), 0);
}

TEST(domctl_setvcpucontext_starts_vcpus)
{
	struct vcpu_hvm_context c = ctx32(0x1000), got;
	struct vcpu *v;
	long id;

	dc_setup();
	id = create("", 0, 3);
	CHECK_EQ(set_ctx(id, 0, &c), 0);
	v = dom(id)->vcpu[0];
	CHECK(v && !dom(id)->vcpu[1]);
	CHECK_EQ(v->pause_count, 1); /* the domain's pause */
	CHECK_EQ(hvm_of(v)->rip, 0x1000);
	CHECK_EQ(hvm_of(v)->regs.rsi, 0x1234);
	CHECK_EQ(hvm_of(v)->rsp, 0x8000);
	CHECK(!hvm_of(v)->entry_64bit);
	CHECK_EQ(info(id).nr_online_vcpus, 1);
	CHECK_EQ(get_ctx(id, 0, &got), 0);
	CHECK_EQ(got.mode, VCPU_HVM_MODE_32B);
	CHECK_EQ(got.cpu_regs.x86_32.eip, 0x1000);
	CHECK_EQ(got.cpu_regs.x86_32.esi, 0x1234);
	CHECK_EQ(got.cpu_regs.x86_32.eflags, 2);
	CHECK_EQ(got.cpu_regs.x86_32.cr0, X86_CR0_PE | X86_CR0_ET);
	/* Paused: vCPU 0 may be given another context. */
	c = ctx64(0x200000);
	CHECK_EQ(set_ctx(id, 0, &c), 0);
	CHECK(hvm_of(v)->entry_64bit);
	CHECK_EQ(hvm_of(v)->cr3, 0x5000);
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
	CHECK_EQ(v->pause_count, 0);
	/* Running: a new vCPU starts at once, an old one is -EBUSY. */
	CHECK_EQ(set_ctx(id, 2, &c), 0);
	CHECK_EQ(dom(id)->vcpu[2]->pause_count, 0);
	CHECK_EQ(set_ctx(id, 0, &c), -EBUSY);
	CHECK_EQ(get_ctx(id, 0, &got), -EBUSY);
	CHECK_EQ(simple(XEN_DOMCTL_pausedomain, id), 0);
	CHECK_EQ(dom(id)->vcpu[2]->pause_count, 1);
	CHECK_EQ(get_ctx(id, 2, &got), 0);
	CHECK_EQ(got.mode, VCPU_HVM_MODE_64B);
	CHECK_EQ(got.cpu_regs.x86_64.rip, 0x200000);
	CHECK_EQ(got.cpu_regs.x86_64.rbx, 0x6000);
	CHECK_EQ(got.cpu_regs.x86_64.cr3, 0x5000);
	CHECK_EQ(got.cpu_regs.x86_64.efer, EFER_LME | EFER_LMA);
	/* Asleep in the hypervisor: it would resume there. */
	dom(id)->vcpu[0]->waitqueue = (void *)1;
	CHECK_EQ(set_ctx(id, 0, &c), -EBUSY);
	dom(id)->vcpu[0]->waitqueue = NULL;
	CHECK_EQ(info(id).nr_online_vcpus, 2);
}

TEST(domctl_setvcpucontext_refusals)
{
	struct vcpu_hvm_context good = ctx32(0x1000), c, got;
	unsigned long free0;
	struct xen_domctl dc = {};
	long id;

	dc_setup();
	free0 = free_pages();
	id = create("", 0, 2);
	CHECK_EQ(set_ctx(id, 2, &good), -EINVAL); /* vCPU 2 of 2 */
	CHECK_EQ(set_ctx(1, 0, &good), -EINVAL); /* the caller itself */
	CHECK_EQ(set_ctx(77, 0, &good), -ESRCH);
	c = good;
	c.mode = 2;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = good;
	c.cpu_regs.x86_32.cr0 |= X86_CR0_PG;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = good;
	c.cpu_regs.x86_32.cr4 = X86_CR4_PAE;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = good;
	c.cpu_regs.x86_32.eflags = 1u << 17; /* VM */
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = good;
	c.cpu_regs.x86_32.cs_ar = 0xc9b;
	c.cpu_regs.x86_32.cs_base = 0x1000; /* not flat */
	c.cpu_regs.x86_32.cs_limit = 0xffffffff;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c.cpu_regs.x86_32.cs_base = 0;
	CHECK_EQ(set_ctx(id, 0, &c), 0); /* flat, spelt out */
	destroy(id);
	id = create("", 0, 2);
	c = ctx64(0x0000800000000000ULL); /* not canonical */
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = ctx64(0x1000);
	c.cpu_regs.x86_64.cr4 = 0;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	c = ctx64(0x1000);
	c.cpu_regs.x86_64.cr3 = 0x5001;
	CHECK_EQ(set_ctx(id, 0, &c), -EINVAL);
	/* A bad handle. */
	dc.u.vcpucontext.vcpu = 0;
	set_xen_guest_handle(dc.u.vcpucontext.ctxt,
			     (vcpu_hvm_context_t *)(GUEST_MEM_SIZE - 8));
	CHECK_EQ(dctl(XEN_DOMCTL_setvcpucontext, id, &dc), -EFAULT);
	CHECK_EQ(get_ctx(id, 0, &got), -ENODATA); /* never started */
	CHECK_EQ(get_ctx(id, 5, &got), -EINVAL);
	CHECK(!dom(id)->vcpu[0]);
	/* The refusals left no vCPU, no page behind. */
	destroy(id);
	CHECK_EQ(free_pages(), free0);
}

TEST(domctl_set_target)
{
	struct xen_domctl dc = {};
	struct domain *older, *newer;
	long a, b;

	dc_setup();
	a = create("guest", 0, 1);
	b = create("stubdom", 0, 1);
	older = dom(a);
	newer = dom(b);
	dc.u.set_target.target = 77;
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, b, &dc), -ESRCH);
	dc.u.set_target.target = b;
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, b, &dc), -EINVAL); /* itself */
	/* The older acting on the newer: against the p2m lock order. */
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, a, &dc), -EINVAL);
	dc.u.set_target.target = a;
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, b, &dc), 0);
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, b, &dc), -EEXIST);
	CHECK(may_control(newer, older));
	CHECK(!may_control(newer, plain));
	CHECK(!may_control(older, newer));
	CHECK_EQ(older->refcnt, 1);
	/* The target's death drops the reference: then it can be reaped. */
	destroy(a);
	CHECK(!dom(a));
	CHECK(!newer->target);
	/* A newer domain may target the stub domain, which cannot be reaped
	 * while that holds it, until the holder dies. */
	a = create("guest2", 0, 1);
	dc.u.set_target.target = b;
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, a, &dc), 0);
	CHECK_EQ(newer->refcnt, 1);
	CHECK_EQ(simple(XEN_DOMCTL_destroydomain, a), 0);
	CHECK_EQ(newer->refcnt, 0);
	reap();
	CHECK(!dom(a));
	/* No p2m (not an HVM domain): refused. */
	dc.u.set_target.target = 2;
	plain->p2m = NULL;
	CHECK_EQ(dctl(XEN_DOMCTL_set_target, b, &dc), -EINVAL);
	destroy(b);
	CHECK(!dom(b));
	CHECK_EQ(dc_domain_count(), 2);
}

TEST(domctl_privilege_version_handles)
{
	struct hypercall_args args = { .a = { GUEST_MEM_SIZE - 16 } };
	struct xen_domctl dc = {};
	long id;

	dc_setup();
	dc.cmd = XEN_DOMCTL_getdomaininfo;
	dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	dc.domain = 1;
	CHECK_EQ(domctl_as(plain, &dc), -EPERM);
	dc.interface_version--;
	CHECK_EQ(domctl_as(ctl, &dc), -EACCES);
	CHECK_EQ(domctl_under_test(ctl->vcpu[0], &args), -EFAULT);
	CHECK_EQ(simple(XEN_DOMCTL_getdomaininfo, 77), -ESRCH);
	CHECK_EQ(simple(99, 1), -ENOSYS);
	CHECK_EQ(simple(7, 1), -ENOSYS); /* a hole in the table */
	CHECK_EQ(simple(XEN_DOMCTL_getdomainname + 1, 1), -ENOSYS);
	CHECK_EQ(simple(0xffffffff, 1), -ENOSYS);
	/* createdomain whose id cannot be written back: undone. */
	fake_guest_mem(dc_mem, sizeof(dc_mem), DC_GVA, DC_GVA + 0x100);
	id = create("", 0, 1);
	CHECK_EQ(id, -EFAULT);
	reap();
	CHECK_EQ(dc_domain_count(), 2);
}

TEST(domctl_getdomaininfo_fields)
{
	struct vcpu_hvm_context c = ctx32(0x1000);
	struct xen_domctl_getdomaininfo i;
	struct domain *d;
	long id;

	dc_setup();
	id = create("", 0, 3);
	d = dom(id);
	CHECK_EQ(max_mem(id, 64 * 4), 0);
	CHECK_EQ(populate(d, 5), 5);
	CHECK_EQ(set_ctx(id, 0, &c), 0);
	CHECK_EQ(set_ctx(id, 1, &c), 0);
	CHECK_EQ(simple(XEN_DOMCTL_unpausedomain, id), 0);
	d->nr_paged = 3;
	d->vcpu[0]->runtime = 1000;
	d->vcpu[1]->runtime = 234;
	d->vcpu[0]->state = VCPU_BLOCKED;
	i = info(id);
	CHECK_EQ(i.tot_pages, 5);
	CHECK_EQ(i.max_pages, 64);
	CHECK_EQ(i.paged_pages, 3);
	CHECK_EQ(i.cpu_time, 1234);
	CHECK_EQ(i.nr_online_vcpus, 2);
	CHECK_EQ(i.max_vcpu_id, 2);
	CHECK_EQ(i.flags, XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
	d->vcpu[1]->state = VCPU_BLOCKED;
	CHECK(info(id).flags & XEN_DOMINF_blocked);
	d->vcpu[1]->running = true;
	CHECK(info(id).flags & XEN_DOMINF_running);
	d->vcpu[1]->running = false;
	/* A vCPU brought down is not online. */
	hvm_of(d->vcpu[1])->down = true;
	CHECK_EQ(info(id).nr_online_vcpus, 1);
	dc_domain_shutdown(d, SHUTDOWN_crash);
	i = info(id);
	CHECK_EQ(i.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_crash);
	CHECK(i.flags & XEN_DOMINF_shutdown);
}
