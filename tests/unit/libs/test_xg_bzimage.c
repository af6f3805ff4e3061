/*
 * libxenguest's builder and bzImages (libimage's guest_image.c through
 * xg_dom_build): a bzImage is booted by the Linux boot protocol, its
 * kernel at its load address, boot_params and the command line where
 * libimage puts them, vCPU 0 alone started in long mode at the 64-bit
 * entry with RSI = boot_params; boot= values the image cannot take, and
 * an unknown one, are refused with EINVAL and a reason, and destroying
 * the domain gives every page back.
 */
#include <errno.h>
#include <string.h>
#include <xenctrl.h>
#include <xenguest.h>

#include "check_errno.h"
#include "harness.h"
#include "mkbzimage.h"
#include "mkelf.h"
#include "world.h"

#define MEM (32UL << 20)
#define BOOT_PARAMS 0x8000
#define CMDLINE 0x9000

static uint8_t image[MKBZ_SIZE];
static char why[200];

/* A fresh world with one new domain, and the free pages before it. */
struct fixture {
	xc_interface *xch;
	uint32_t domid;
	unsigned long free_before;
};

static void setup(struct fixture *f, unsigned int vcpus)
{
	struct xen_domctl_createdomain c = {
		.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
		.max_vcpus = vcpus,
		.name = "bz",
	};

	world_init();
	f->xch = xc_interface_open(NULL, NULL, 0);
	f->free_before = world_free_or_dom0_tables();
	f->domid = 0;
	CHECK_EQ(xc_domain_create(f->xch, &f->domid, &c), 0);
}

/* Destroying the domain gives every page back. */
static void teardown(struct fixture *f)
{
	CHECK_EQ(xc_domain_destroy(f->xch, f->domid), 0);
	CHECK_EQ(world_free_or_dom0_tables(), f->free_before);
	xc_interface_close(f->xch);
}

static uint64_t get(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return v;
}

TEST(xg_build_bzimage_linux_boot)
{
	static uint8_t rd[5000];
	struct xg_dom_args args = { .mem = MEM,
				    .cmdline = "console=hvc0",
				    .vcpus = 2,
				    .ramdisk = rd,
				    .ramdisk_size = sizeof(rd) };
	vcpu_hvm_context_t ctx;
	xc_domaininfo_t info;
	const uint8_t *bp;
	struct fixture f;

	setup(&f, 2);
	mkbzimage(image, 16);
	memset(rd, 0x5a, sizeof(rd));
	if (xg_dom_build(f.xch, f.domid, image, sizeof(image), &args, why,
			 sizeof(why)))
		FAIL("xg_dom_build: %s", why);
	/* The kernel at pref_address, the ramdisk after init_size. */
	CHECK(!memcmp(world_gfn_page(f.domid, MKBZ_PREF >> 12),
		      image + MKBZ_KERNEL_OFF, 4096));
	CHECK_EQ(world_gfn_page(f.domid, (MKBZ_PREF + MKBZ_INIT_SIZE) >> 12)[0],
		 0x5a);
	bp = world_gfn_page(f.domid, BOOT_PARAMS >> 12);
	CHECK(!memcmp(bp + 0x202, "HdrS", 4));
	CHECK_EQ(bp[0x210], 0xff);
	CHECK_EQ(get(bp + 0x228, 4), CMDLINE);
	CHECK_EQ(get(bp + 0x218, 4), MKBZ_PREF + MKBZ_INIT_SIZE);
	CHECK_EQ(get(bp + 0x21c, 4), sizeof(rd));
	CHECK_EQ(get(bp + 0x070, 8), 0x7000);
	CHECK_STR_EQ((const char *)world_gfn_page(f.domid, CMDLINE >> 12),
		     "console=hvc0");
	/* vCPU 0 alone, 64-bit at load + 0x200, RSI = boot_params. */
	CHECK_EQ(xc_domain_getinfo_single(f.xch, f.domid, &info), 0);
	CHECK_EQ(info.nr_online_vcpus, 1);
	CHECK_EQ(xc_vcpu_getcontext(f.xch, f.domid, 0, &ctx), 0);
	CHECK_EQ(ctx.mode, VCPU_HVM_MODE_64B);
	CHECK_EQ(ctx.cpu_regs.x86_64.rip, MKBZ_PREF + 0x200);
	CHECK_EQ(ctx.cpu_regs.x86_64.rsi, BOOT_PARAMS);
	CHECK_EQ(ctx.cpu_regs.x86_64.cr3, 0x5000);
	/* vCPU 1 exists, offline, with no context until the guest starts it */
	CHECK_ERRNO(xc_vcpu_getcontext(f.xch, f.domid, 1, &ctx), ENODATA);
	CHECK_ERRNO(xc_vcpu_setcontext(f.xch, f.domid, 1, NULL), EEXIST);
	teardown(&f);
}

/* XG_BOOT_LINUX32: 32-bit at the load address, ESI = boot_params. */
TEST(xg_build_bzimage_32_bit_entry)
{
	struct xg_dom_args args = { .mem = MEM,
				    .vcpus = 1,
				    .boot = XG_BOOT_LINUX32 };
	vcpu_hvm_context_t ctx;
	struct fixture f;

	setup(&f, 1);
	mkbzimage(image, 16);
	if (xg_dom_build(f.xch, f.domid, image, sizeof(image), &args, why,
			 sizeof(why)))
		FAIL("xg_dom_build: %s", why);
	CHECK(!memcmp(world_gfn_page(f.domid, MKBZ_PREF >> 12),
		      image + MKBZ_KERNEL_OFF, 4096));
	CHECK_EQ(xc_vcpu_getcontext(f.xch, f.domid, 0, &ctx), 0);
	CHECK_EQ(ctx.mode, VCPU_HVM_MODE_32B);
	CHECK_EQ(ctx.cpu_regs.x86_32.eip, MKBZ_PREF);
	CHECK_EQ(ctx.cpu_regs.x86_32.esi, BOOT_PARAMS);
	CHECK_EQ(ctx.cpu_regs.x86_32.ebx, 0);
	CHECK_EQ(ctx.cpu_regs.x86_32.cr0 & 0x80000001, 1);
	teardown(&f);
}

TEST(xg_build_bzimage_refuses)
{
	struct xg_dom_args args = { .mem = MEM, .vcpus = 1 };
	const struct mkelf_seg seg = { 1, 4096, 0x100000, 64, 4096 };
	static uint8_t elf[8192];
	static char long_line[300];
	struct fixture f;

	setup(&f, 1);
	/* boot=pvh: a payload that is no compressed stream. */
	mkbzimage(image, 16);
	args.boot = XG_BOOT_PVH;
	CHECK_ERRNO(xg_dom_build(f.xch, f.domid, image, sizeof(image), &args,
				 why, sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "the bzImage's payload is an unknown format: not "
			  "supported (gzip, zstd and lz4 are)");
	/* boot= on an ELF. */
	mkelf(elf, sizeof(elf), true, 0x100000, &seg, 1);
	args.boot = XG_BOOT_LINUX;
	CHECK_ERRNO(xg_dom_build(f.xch, f.domid, elf, sizeof(elf), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "boot=linux: the image is not a bzImage");
	args.boot = XG_BOOT_LINUX32;
	CHECK_ERRNO(xg_dom_build(f.xch, f.domid, elf, sizeof(elf), &args, why,
				 sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "boot=linux32: the image is not a bzImage");
	args.boot = 4;
	CHECK_ERRNO(xg_dom_build(f.xch, f.domid, image, sizeof(image), &args,
				 why, sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "boot 4: unknown");
	/* A command line longer than the kernel's cmdline_size. */
	args.boot = XG_BOOT_DEFAULT;
	memset(long_line, 'a', 256);
	args.cmdline = long_line;
	CHECK_ERRNO(xg_dom_build(f.xch, f.domid, image, sizeof(image), &args,
				 why, sizeof(why)),
		    EINVAL);
	CHECK_STR_EQ(why, "the command line has 256 characters, more than "
			  "this kernel takes (255)");
	teardown(&f);
}
