/*
 * libxenguest's builder through the in-process transport: a domain that
 * xc_domain_create() made gets its RAM, the image's bytes (through
 * foreign mappings), the start info, its paging-ring gfn and started
 * vCPUs, exactly as libimage lays them out; a PVH image starts vCPU 0
 * alone, 32-bit at its note, with the ramdisk as its first module and the
 * ACPI tables; bad images and arguments are refused with a reason and
 * EINVAL, and destroying the domain gives every page back.
 */
#include <errno.h>
#include <string.h>
#include <xenctrl.h>
#include <xenguest.h>

#include <public/start_info.h>

#include "check_errno.h"
#include "harness.h"
#include "mkelf.h"
#include "world.h"

#define MEM (4UL << 20)
#define LOAD 0x100000UL

static uint8_t image[8192];
static char why[160];

/* A 64-bit ELF: one PT_LOAD at LOAD, 64 bytes of 0xc3 then bss. */
static void make_image64(void)
{
	const struct mkelf_seg seg = { 1, 4096, LOAD, 64, 3 * 4096 };

	mkelf(image, sizeof(image), true, LOAD + 8, &seg, 1);
	memset(image + 4096, 0xc3, 64);
}

static uint32_t create(xc_interface *xch, unsigned int vcpus)
{
	struct xen_domctl_createdomain c = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = vcpus,
		.name = "guest",
	};
	uint32_t domid = 0;

	CHECK_EQ(xc_domain_create(xch, &domid, &c), 0);
	return domid;
}

TEST(xg_build_64bit_image)
{
	struct xg_dom_args args = { .mem = MEM, .cmdline = "k=v", .vcpus = 2 };
	const struct hvm_start_info *si;
	unsigned long free_before;
	xc_interface *xch;
	vcpu_hvm_context_t ctx;
	xc_domaininfo_t info;
	uint64_t ring;
	uint32_t domid;
	uint8_t *page;

	world_init();
	xch = xc_interface_open(NULL, NULL, 0);
	free_before = world_free_or_dom0_tables();
	domid = create(xch, 2);
	make_image64();
	CHECK_EQ(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
			      sizeof(why)),
		 0);
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.tot_pages, MEM >> 12);
	CHECK_EQ(info.max_pages, (MEM >> 12) + XG_SPECIAL_GFNS);
	CHECK_EQ(info.nr_online_vcpus, 2);
	CHECK(info.flags & XEN_DOMINF_paused);
	page = world_gfn_page(domid, LOAD >> 12);
	CHECK(page);
	CHECK_EQ(page[0], 0xc3);
	CHECK_EQ(page[63], 0xc3);
	CHECK_EQ(page[64], 0);
	si = (const void *)world_gfn_page(domid, 6);
	CHECK_EQ(si->magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_EQ(si->memmap_entries, 5);
	CHECK_STR_EQ((const char *)si + (si->cmdline_paddr - 0x6000), "k=v");
	/* The PML4's first entry points at the PDPT. */
	CHECK_EQ(*(uint64_t *)world_gfn_page(domid, 5), 0x4003);
	CHECK_EQ(xc_hvm_param_get(xch, domid, HVM_PARAM_PAGING_RING_PFN, &ring),
		 0);
	CHECK_EQ(ring, MEM >> 12);
	CHECK_EQ(xc_vcpu_getcontext(xch, domid, 1, &ctx), 0);
	CHECK_EQ(ctx.mode, VCPU_HVM_MODE_64B);
	CHECK_EQ(ctx.cpu_regs.x86_64.rip, LOAD + 8);
	CHECK_EQ(ctx.cpu_regs.x86_64.rbx, 0x6000);
	CHECK_EQ(ctx.cpu_regs.x86_64.cr3, 0x5000);
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free_before);
	xc_interface_close(xch);
}

/* A 64-bit ELF with a PVH note at LOAD + 0x20, as stock kernels ship. */
static void make_pvh_image(void)
{
	const struct mkelf_seg segs[2] = {
		{ 1, 4096, LOAD, 64, 64 },
		{ 4, 0x200, 0, 20, 20 },
	};

	mkelf(image, sizeof(image), true, LOAD, segs, 2);
	mkelf_put(image, 0x200, 4, 4); /* namesz */
	mkelf_put(image, 0x204, 4, 4); /* descsz */
	mkelf_put(image, 0x208, 18, 4); /* XEN_ELFNOTE_PHYS32_ENTRY */
	memcpy(image + 0x20c, "Xen", 4);
	mkelf_put(image, 0x210, LOAD + 0x20, 4);
}

TEST(xg_build_pvh_ramdisk)
{
	static uint8_t rd[6000];
	struct xg_dom_args args = { .mem = MEM,
				    .vcpus = 2,
				    .ramdisk = rd,
				    .ramdisk_size = sizeof(rd) };
	const struct hvm_start_info *si;
	const struct hvm_modlist_entry *ml;
	unsigned long free_before;
	vcpu_hvm_context_t ctx;
	xc_domaininfo_t info;
	xc_interface *xch;
	uint32_t domid;

	world_init();
	xch = xc_interface_open(NULL, NULL, 0);
	free_before = world_free_or_dom0_tables();
	domid = create(xch, 2);
	make_pvh_image();
	memset(rd, 0x77, sizeof(rd));
	CHECK_EQ(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
			      sizeof(why)),
		 0);
	/* vCPU 0 alone, 32-bit flat at the note, no paging. */
	CHECK_EQ(xc_domain_getinfo_single(xch, domid, &info), 0);
	CHECK_EQ(info.nr_online_vcpus, 1);
	CHECK_EQ(xc_vcpu_getcontext(xch, domid, 0, &ctx), 0);
	CHECK_EQ(ctx.mode, VCPU_HVM_MODE_32B);
	CHECK_EQ(ctx.cpu_regs.x86_32.eip, LOAD + 0x20);
	CHECK_EQ(ctx.cpu_regs.x86_32.ebx, 0x6000);
	CHECK_EQ(ctx.cpu_regs.x86_32.cr0 & 0x80000000, 0);
	CHECK(xc_vcpu_getcontext(xch, domid, 1, &ctx) != 0);
	si = (const void *)world_gfn_page(domid, 6);
	CHECK_EQ(si->flags, 0);
	CHECK_EQ(si->nr_modules, 1);
	CHECK_EQ(si->rsdp_paddr, 0x7000);
	CHECK(!memcmp(world_gfn_page(domid, 7), "RSD PTR ", 8));
	ml = (const void *)(world_gfn_page(domid, si->modlist_paddr >> 12) +
			    (si->modlist_paddr & 0xfff));
	CHECK_EQ(ml[0].paddr, LOAD + 0x1000);
	CHECK_EQ(ml[0].size, sizeof(rd));
	CHECK_EQ(world_gfn_page(domid, (LOAD >> 12) + 2)[6000 - 4096 - 1],
		 0x77);
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	/* A ramdisk that does not fit is refused before anything is taken. */
	domid = create(xch, 1);
	args.vcpus = 1;
	args.ramdisk_size = MEM;
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "the ramdisk (4096 KiB) does not fit between the "
			  "image's end (0x100040) and 0x400000");
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free_before);
	xc_interface_close(xch);
}

TEST(xg_build_refuses)
{
	struct xg_dom_args args = { .mem = MEM, .vcpus = 1 };
	unsigned long free_before;
	xc_interface *xch;
	uint32_t domid;

	world_init();
	xch = xc_interface_open(NULL, NULL, 0);
	free_before = world_free_or_dom0_tables();
	domid = create(xch, 1);
	memset(image, 0, sizeof(image));
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "not an ELF image");
	make_image64();
	args.mem = MEM + 1;
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "memory 4194305 bytes: out of range (1 MiB to 4 "
			  "GiB, whole pages)");
	args.mem = 1UL << 20;
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "segment 0 does not fit the domain's memory");
	args.mem = MEM;
	args.vcpus = 0;
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	/* More vCPUs than the domain has: the hypervisor refuses the 2nd. */
	args.vcpus = 2;
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "starting a vCPU failed (errno 22)");
	/* Nothing refused above took memory: all of it goes with it. */
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free_before);
	/* More than the host has. */
	domid = create(xch, 1);
	args = (struct xg_dom_args){ .mem = 1UL << 30, .vcpus = 1 };
	CHECK_ERRNO(xg_dom_build(xch, domid, image, sizeof(image), &args, why,
				 sizeof(why)),
		    ENOMEM);
	if (!strstr(why, "1024 MiB asked, the host has "))
		FAIL("why: %s", why);
	CHECK_EQ(xc_domain_destroy(xch, domid), 0);
	CHECK_EQ(world_free_or_dom0_tables(), free_before);
	xc_interface_close(xch);
}
