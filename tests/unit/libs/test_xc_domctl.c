/*
 * libxenctrl's control plane through the in-process transport: domains
 * created, listed, limited, targeted, given vCPU contexts and destroyed
 * with domctl, the host read with sysctl (physinfo, getdomaininfolist,
 * readconsole), with the errors a caller sees in errno and every page
 * back after a destroy.
 *
 * The control domain is d1; domains the tests create take ids from 2.
 */
#include <errno.h>
#include <string.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>

#include <public/errno.h>
#include <xen_os.h>

#include "check_errno.h"
#include "harness.h"
#include "world.h"

#define DOMID_NONE 99

static const struct xen_domctl_createdomain vm_config = {
	.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
	.max_vcpus = 2,
	.handle = { 0xde, 0xad },
	.name = "vm",
};

static xc_interface *setup(void)
{
	xc_interface *xch;

	world_init();
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK(xch);
	return xch;
}

/* A new domain named name, at the lowest free id: its id. */
static uint32_t create(xc_interface *xch, const char *name)
{
	struct xen_domctl_createdomain c = vm_config;
	uint32_t domid = 0;

	strcpy(c.name, name);
	CHECK_EQ(xc_domain_create(xch, &domid, &c), 0);
	return domid;
}

/* A 64-bit start state the hypervisor accepts. */
static vcpu_hvm_context_t ctx64(uint64_t rip)
{
	vcpu_hvm_context_t c = { .mode = VCPU_HVM_MODE_64B };

	c.cpu_regs.x86_64.rip = rip;
	c.cpu_regs.x86_64.rsp = 0x8000;
	c.cpu_regs.x86_64.rbx = 0x6000;
	c.cpu_regs.x86_64.cr0 = 0x80000001; /* PE, PG */
	c.cpu_regs.x86_64.cr3 = 0x1000;
	c.cpu_regs.x86_64.cr4 = 0x20; /* PAE */
	c.cpu_regs.x86_64.efer = 0x100; /* LME */
	return c;
}

TEST(xc_create_getinfo_getname)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm");
	xc_domaininfo_t info;
	char name[XEN_DOMAIN_NAME_MAX];

	CHECK_EQ(domid, 2);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.domain, domid);
	CHECK_EQ(info.flags,
		 XEN_DOMINF_paused | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap);
	CHECK_EQ(info.tot_pages, 0);
	CHECK_EQ(info.max_pages, 0);
	CHECK_EQ(info.max_vcpu_id, 1);
	CHECK_EQ(info.nr_online_vcpus, 0);
	CHECK_EQ(info.handle[0], 0xde);
	CHECK_EQ(info.handle[1], 0xad);
	CHECK_EQ(xc_domain_getname(xch, domid, name, sizeof(name)), 0);
	CHECK_STR_EQ(name, "vm");
	/* No name: "dN". */
	domid = create(xch, "");
	CHECK_EQ(xc_domain_getname(xch, domid, name, sizeof(name)), 0);
	CHECK_STR_EQ(name, "d3");
	CHECK_ERRNO(xc_domain_getname(xch, domid, name, 2), ERANGE);
	CHECK_EQ(xc_domain_getname(xch, domid, name, 3), 0);
	CHECK_STR_EQ(name, "d3");
	xc_interface_close(xch);
}

TEST(xc_create_errors)
{
	xc_interface *xch = setup();
	struct xen_domctl_createdomain c = vm_config;
	uint32_t domid = 7;

	CHECK_EQ(xc_domain_create(xch, &domid, &c), 0);
	CHECK_EQ(domid, 7);
	/* The id is taken; so is the name. */
	strcpy(c.name, "vm2");
	CHECK_ERRNO(xc_domain_create(xch, &domid, &c), EEXIST);
	strcpy(c.name, "vm");
	domid = 0;
	CHECK_ERRNO(xc_domain_create(xch, &domid, &c), EEXIST);
	strcpy(c.name, "vm2");
	c.flags = XEN_DOMCTL_CDF_hvm;
	CHECK_ERRNO(xc_domain_create(xch, &domid, &c), EINVAL);
	c.flags = vm_config.flags;
	c.max_vcpus = 0;
	CHECK_ERRNO(xc_domain_create(xch, &domid, &c), EINVAL);
	c.max_vcpus = 1;
	domid = 0x10000;
	CHECK_ERRNO(xc_domain_create(xch, &domid, &c), EINVAL);
	CHECK_EQ(domid, 0x10000);
	/* Nothing was made of those: the next id is still 2. */
	domid = 0;
	CHECK_EQ(xc_domain_create(xch, &domid, &c), 0);
	CHECK_EQ(domid, 2);
	xc_interface_close(xch);
}

TEST(xc_destroy_gives_every_page_back)
{
	xc_interface *xch = setup();
	unsigned long free = world_free_pages();
	xen_pfn_t gfns[64];
	xc_domaininfo_t info;
	uint32_t domid;

	for (unsigned int round = 0; round < 3; round++) {
		domid = create(xch, "vm");
		CHECK_EQ(xc_domain_setmaxmem(xch, domid, 64 * 4), 0);
		for (unsigned int i = 0; i < 64; i++)
			gfns[i] = 0x100 + 7 * i;
		CHECK_EQ(xc_domain_populate_physmap_exact(xch, domid, 64, 0, 0,
							  gfns),
			 0);
		CHECK_EQ(world_tot_pages(domid), 64);
		CHECK_EQ(xc_domain_destroy(xch, domid), 0);
		CHECK_ERRNO(xc_domain_getinfo_single(xch, domid, &info), ESRCH);
		CHECK(!world_domain_exists(domid));
		CHECK_EQ(world_free_pages(), free);
	}
	CHECK_ERRNO(xc_domain_destroy(xch, DOMID_NONE), ESRCH);
	/* Not itself. */
	CHECK_ERRNO(xc_domain_destroy(xch, WORLD_DOM0), EINVAL);
	xc_interface_close(xch);
}

/* A foreign mapping of a destroyed domain keeps its frames until unmap. */
TEST(xc_destroy_under_a_foreign_mapping)
{
	xc_interface *xch = setup();
	xenforeignmemory_handle *fmem = xenforeignmemory_open(NULL, 0);
	unsigned long free = world_free_or_dom0_tables();
	xen_pfn_t gfns[4] = { 0, 1, 2, 3 };
	uint32_t domid = create(xch, "vm");
	uint8_t *p;

	CHECK_EQ(xc_domain_setmaxmem(xch, domid, 16), 0);
	CHECK_EQ(xc_domain_populate_physmap_exact(xch, domid, 4, 0, 0, gfns),
		 0);
	p = xenforeignmemory_map(fmem, domid, XENFOREIGNMEMORY_PROT_WRITE, 4,
				 gfns, NULL);
	CHECK(p);
	p[3 * 4096] = 0x77;
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK(!world_domain_exists(domid));
	CHECK_EQ(p[3 * 4096], 0x77);
	CHECK(world_free_or_dom0_tables() < free);
	CHECK_EQ(xenforeignmemory_unmap(fmem, p, 4), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free);
	xenforeignmemory_close(fmem);
	xc_interface_close(xch);
}

TEST(xc_setmaxmem_limits_populate)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm");
	xen_pfn_t gfns[5] = { 0, 1, 2, 3, 4 };
	xc_domaininfo_t info;
	xc_physinfo_t phys;

	/* Nothing may be populated before max_mem. */
	CHECK_EQ(xc_domain_populate_physmap(xch, domid, 1, 0, 0, gfns), 0);
	CHECK_EQ(xc_domain_setmaxmem(xch, domid, 16 + 3), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.max_pages, 4);
	CHECK_ERRNO(xc_domain_populate_physmap_exact(xch, domid, 5, 0, 0, gfns),
		    EBUSY);
	CHECK_EQ(world_tot_pages(domid), 4);
	CHECK_EQ(xc_physinfo(xch, &phys), 0);
	CHECK_ERRNO(xc_domain_setmaxmem(xch, domid, (phys.total_pages + 1) * 4),
		    ENOMEM);
	CHECK_ERRNO(xc_domain_setmaxmem(xch, DOMID_NONE, 16), ESRCH);
	xc_interface_close(xch);
}

TEST(xc_getinfolist)
{
	xc_interface *xch = setup();
	xc_domaininfo_t list[8], one;

	create(xch, "a");
	create(xch, "b");
	create(xch, "c");
	/* Fewer than there are: the lowest ids. */
	CHECK_EQ(xc_domain_getinfolist(xch, 0, 2, list), 2);
	CHECK_EQ(list[0].domain, 1);
	CHECK_EQ(list[1].domain, 2);
	CHECK_EQ(xc_domain_getinfolist(xch, 3, 8, list), 2);
	CHECK_EQ(list[0].domain, 3);
	CHECK_EQ(list[1].domain, 4);
	CHECK_EQ(xc_domain_getinfo_single(xch, 4, &one), 0);
	CHECK(!memcmp(&list[1], &one, sizeof(one)));
	CHECK_EQ(xc_domain_getinfolist(xch, 5, 8, list), 0);
	CHECK_EQ(xc_domain_getinfolist(xch, 0x10000, 8, list), 0);
	/* After a destroy the list skips it. */
	CHECK_EQ(xc_domain_destroy(xch, 3), 0);
	CHECK_EQ(xc_domain_getinfolist(xch, 0, 8, list), 3);
	CHECK_EQ(list[2].domain, 4);
	CHECK_ERRNO(xc_domain_getinfolist(xch, 0, 0, list), EINVAL);
	CHECK_ERRNO(xc_domain_getinfolist(xch, 0, 8, NULL), EFAULT);
	xc_interface_close(xch);
}

TEST(xc_set_target)
{
	xc_interface *xch = setup();
	uint32_t a = create(xch, "a"), b = create(xch, "b");
	uint32_t c = create(xch, "c");
	vcpu_hvm_context_t ctx = ctx64(0x1000);
	uint64_t value;

	CHECK_EQ(xc_hvm_param_set(xch, a, HVM_PARAM_STORE_PFN, 0x42), 0);
	/* The target must be the older domain. */
	CHECK_ERRNO(xc_domain_set_target(xch, a, b), EINVAL);
	CHECK_ERRNO(xc_domain_set_target(xch, b, DOMID_NONE), ESRCH);
	CHECK_ERRNO(xc_domain_set_target(xch, b, 0x10000), ESRCH);
	CHECK_EQ(xc_domain_set_target(xch, b, a), 0);
	CHECK_ERRNO(xc_domain_set_target(xch, b, a), EEXIST);
	/* b acts on a as the control domain would, on c not. */
	CHECK_EQ(xc_vcpu_setcontext(xch, b, 0, &ctx), 0);
	world_act_as((uint16_t)b);
	CHECK_EQ(xc_hvm_param_get(xch, a, HVM_PARAM_STORE_PFN, &value), 0);
	CHECK_EQ(value, 0x42);
	CHECK_ERRNO(xc_hvm_param_get(xch, c, HVM_PARAM_STORE_PFN, &value),
		    EPERM);
	xc_interface_close(xch);
}

TEST(xc_vcpu_context)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm");
	vcpu_hvm_context_t in = ctx64(0x100000), out, bad;
	xc_domaininfo_t info;

	CHECK_ERRNO(xc_vcpu_getcontext(xch, domid, 0, &out), ENODATA);
	CHECK_EQ(xc_vcpu_setcontext(xch, domid, 0, &in), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.nr_online_vcpus, 1);
	CHECK_EQ(xc_vcpu_getcontext(xch, domid, 0, &out), 0);
	CHECK_EQ(out.mode, VCPU_HVM_MODE_64B);
	CHECK_EQ(out.cpu_regs.x86_64.rip, 0x100000);
	CHECK_EQ(out.cpu_regs.x86_64.rsp, 0x8000);
	CHECK_EQ(out.cpu_regs.x86_64.rbx, 0x6000);
	CHECK_EQ(out.cpu_regs.x86_64.cr3, 0x1000);
	/* While paused, new registers for a vCPU that has some. */
	in.cpu_regs.x86_64.rip = 0x200000;
	CHECK_EQ(xc_vcpu_setcontext(xch, domid, 0, &in), 0);
	CHECK_EQ(xc_vcpu_getcontext(xch, domid, 0, &out), 0);
	CHECK_EQ(out.cpu_regs.x86_64.rip, 0x200000);

	bad = in;
	bad.cpu_regs.x86_64.cr4 = 0;
	CHECK_ERRNO(xc_vcpu_setcontext(xch, domid, 1, &bad), EINVAL);
	CHECK_ERRNO(xc_vcpu_setcontext(xch, domid, 2, &in), EINVAL);
	/* No context: vCPU 1 made offline (not online), and only once. */
	CHECK_EQ(xc_vcpu_setcontext(xch, domid, 1, NULL), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.nr_online_vcpus, 1);
	CHECK_ERRNO(xc_vcpu_setcontext(xch, domid, 1, NULL), EEXIST);
	CHECK_ERRNO(xc_vcpu_setcontext(xch, domid, 0, NULL), EEXIST);
	/* Running: its registers are not to be read or replaced. */
	CHECK_EQ(xc_domain_unpause(xch, domid), 0);
	CHECK_ERRNO(xc_vcpu_getcontext(xch, domid, 0, &out), EBUSY);
	CHECK_ERRNO(xc_vcpu_setcontext(xch, domid, 0, &in), EBUSY);
	xc_interface_close(xch);
}

TEST(xc_created_domain_kept_after_shutdown)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm");
	xc_domaininfo_t info;

	CHECK_EQ(xc_domain_shutdown(xch, domid, SHUTDOWN_reboot), 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK(info.flags & XEN_DOMINF_shutdown);
	CHECK_EQ((info.flags >> XEN_DOMINF_shutdownshift) &
			 XEN_DOMINF_shutdownmask,
		 SHUTDOWN_reboot);
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK(!world_domain_exists(domid));
	xc_interface_close(xch);
}

TEST(xc_physinfo)
{
	xc_interface *xch = setup();
	xc_physinfo_t info;

	CHECK_EQ(xc_physinfo(xch, &info), 0);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK_EQ(info.free_pages, world_free_pages());
	CHECK(info.total_pages > info.free_pages);
	CHECK_EQ(info.capabilities,
		 XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap);
	xc_interface_close(xch);
}

TEST(xc_readconsolering)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm");
	char buf[256];
	unsigned int n = sizeof(buf);
	uint32_t index = 0;

	CHECK_EQ(domid, 2);
	world_console_write(domid, "hello\n");
	CHECK_EQ(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
	CHECK_EQ(n, strlen("(d2) hello\n"));
	CHECK(!memcmp(buf, "(d2) hello\n", n));
	/* Incremental: from index, and index moves on. */
	n = sizeof(buf);
	CHECK_EQ(xc_readconsolering(xch, buf, &n, 0, 1, &index), 0);
	CHECK_EQ(n, strlen("(d2) hello\n"));
	world_console_write(domid, "again\n");
	n = sizeof(buf);
	CHECK_EQ(xc_readconsolering(xch, buf, &n, 0, 1, &index), 0);
	CHECK_EQ(n, strlen("(d2) again\n"));
	CHECK(!memcmp(buf, "(d2) again\n", n));
	/* The newest bytes only, when the buffer is short. */
	n = 6;
	CHECK_EQ(xc_readconsolering(xch, buf, &n, 1, 0, NULL), 0);
	CHECK_EQ(n, 6);
	CHECK(!memcmp(buf, "again\n", 6));
	/* Cleared by that read. */
	n = sizeof(buf);
	CHECK_EQ(xc_readconsolering(xch, buf, &n, 0, 0, NULL), 0);
	CHECK_EQ(n, 0);
	CHECK_ERRNO(xc_readconsolering(xch, buf, &n, 0, 1, NULL), EINVAL);
	xc_interface_close(xch);
}

TEST(xc_control_plane_from_a_domu_is_eperm)
{
	xc_interface *xch = setup();
	uint32_t domid = create(xch, "vm"), other = create(xch, "other");
	struct xen_domctl_createdomain c = vm_config;
	xc_domaininfo_t info;
	xc_physinfo_t phys;
	uint32_t newid = 0;
	char buf[16];
	unsigned int n = sizeof(buf);
	vcpu_hvm_context_t ctx = ctx64(0x1000);

	CHECK_EQ(xc_vcpu_setcontext(xch, domid, 0, &ctx), 0);
	world_act_as((uint16_t)domid);
	strcpy(c.name, "vm2");
	CHECK_ERRNO(xc_domain_create(xch, &newid, &c), EPERM);
	CHECK_ERRNO(xc_domain_getinfo_single(xch, other, &info), EPERM);
	CHECK_ERRNO(xc_domain_destroy(xch, other), EPERM);
	CHECK_ERRNO(xc_domain_getinfolist(xch, 0, 1, &info), EPERM);
	CHECK_ERRNO(xc_physinfo(xch, &phys), EPERM);
	CHECK_ERRNO(xc_readconsolering(xch, buf, &n, 0, 0, NULL), EPERM);
	CHECK(world_domain_exists(other));
	xc_interface_close(xch);
}

/* The transport as the library uses it: a stale sysctl version. */
TEST(xc_transport_sysctl_version_is_eacces)
{
	struct xen_sysctl sc = {
		.cmd = XEN_SYSCTL_physinfo,
		.interface_version = XEN_SYSCTL_INTERFACE_VERSION + 1,
	};

	xc_interface_close(setup());
	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_sysctl, (unsigned long)&sc, 0, 0,
				  0, 0),
		 -XEN_EACCES);
	CHECK_EQ(sc.u.physinfo.nr_cpus, 0);
	sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	CHECK_EQ(xen_os_hypercall(__HYPERVISOR_sysctl, (unsigned long)&sc, 0, 0,
				  0, 0),
		 0);
	CHECK_EQ(sc.u.physinfo.nr_cpus, 1);
}
