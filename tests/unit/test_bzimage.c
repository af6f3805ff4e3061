/*
 * xen/common/libimage/bzimage.c and bzimage_payload.c: a bzImage's setup
 * header checked (good, too old, 32-bit only, truncated, hostile field
 * values, each with a message saying what it is), the boot_params a
 * kernel gets (its e820 is the domain's memory map, the command line,
 * the initrd, the RSDP, the loader's fields), the load into guest memory
 * and the 64-bit start, and the payload decompressed to the size its
 * trailer gives. The bzImage is made field by field (mkbzimage.c).
 */
#include <stdlib.h>
#include <string.h>

#include <bzimage.h>
#include <public/start_info.h>
#include <xen/errno.h>

#include "harness.h"
#include "mkbzimage.h"
#include "run_tool.h"

#define MEM (32UL << 20)
#define KERNEL_OFF MKBZ_KERNEL_OFF
#define KERNEL_SIZE MKBZ_KERNEL_SIZE
#define PAYLOAD_OFF MKBZ_PAYLOAD_OFF
#define PREF MKBZ_PREF
#define INIT_SIZE MKBZ_INIT_SIZE

static uint8_t ram[MEM];
static uint8_t img[MKBZ_SIZE];
static uint8_t zp[BZ_ZERO_PAGE_SIZE];
static struct bzimage bz;
static char why[200];

static void put16(size_t off, uint16_t v)
{
	memcpy(img + off, &v, 2);
}

static void put32(size_t off, uint32_t v)
{
	memcpy(img + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(img + off, &v, 8);
}

static uint64_t zp_get(size_t off, unsigned int n)
{
	uint64_t v = 0;

	memcpy(&v, zp + off, n);
	return v;
}

static void make_bz(size_t plen)
{
	mkbzimage(img, plen);
}

static int check(size_t size)
{
	why[0] = 0;
	return bzimage_check(&bz, img, size, MEM, why, sizeof(why));
}

/* The check fails, and why[] holds each of the strings given. */
#define CHECK_REFUSED(size, ...)                                          \
	do {                                                              \
		const char *want_[] = { __VA_ARGS__ };                    \
		unsigned int w_;                                          \
		CHECK_EQ(check(size), -EINVAL);                           \
		for (w_ = 0; w_ < sizeof(want_) / sizeof(want_[0]); w_++) \
			if (!strstr(why, want_[w_]))                      \
				FAIL("'%s' lacks '%s'", why, want_[w_]);  \
	} while (0)

TEST(bzimage_good_header)
{
	make_bz(16);
	CHECK(bzimage_is(img, sizeof(img)));
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bz.version, 0x20f);
	CHECK_EQ(bz.hdr_end, 0x26c);
	CHECK_EQ(bz.kernel - img, KERNEL_OFF);
	CHECK_EQ(bz.kernel_size, KERNEL_SIZE);
	CHECK_EQ(bz.load, PREF);
	CHECK_EQ(bz.init_size, INIT_SIZE);
	CHECK_EQ(bz.cmdline_max, 255);
	CHECK_EQ(bz.initrd_max, 0x7fffffff);
	CHECK_EQ(bz.payload - img, KERNEL_OFF + PAYLOAD_OFF);
	CHECK_EQ(bz.payload_size, 16);
	/* setup_sects 0 means 4. */
	img[0x1f1] = 0;
	CHECK_REFUSED(sizeof(img), "truncated");
	/* An unaligned pref_address: the next multiple of the alignment. */
	make_bz(16);
	put64(0x258, PREF + 0x1000);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bz.load, PREF + 0x200000);
	/* Not relocatable: loaded at 1 MiB, it still runs at pref_address. */
	make_bz(16);
	img[0x234] = 0;
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bz.load, 0x100000);
	put64(0x258, MEM - INIT_SIZE + 0x1000);
	CHECK_REFUSED(sizeof(img), "needs RAM up to 0x2001000");
}

TEST(bzimage_not_one)
{
	make_bz(16);
	memcpy(img + 0x202, "HdrT", 4);
	CHECK(!bzimage_is(img, sizeof(img)));
	CHECK_REFUSED(sizeof(img), "not a bzImage",
		      "a bzImage of boot protocol 2.12 or newer");
	make_bz(16);
	put16(0x1fe, 0x55aa);
	CHECK(!bzimage_is(img, sizeof(img)));
	CHECK(!bzimage_is(img, 0x207));
}

TEST(bzimage_too_old)
{
	make_bz(16);
	put16(0x206, 0x20b);
	CHECK_REFUSED(sizeof(img), "boot protocol 2.11, too old",
		      "2.12 or newer");
	make_bz(16);
	put16(0x206, 0x204);
	CHECK_REFUSED(sizeof(img), "boot protocol 2.04");
	make_bz(16);
	img[0x211] = 0;
	CHECK_REFUSED(sizeof(img), "a zImage");
}

/* A 32-bit kernel (no XLF_KERNEL_64) boots at its 32-bit entry. */
TEST(bzimage_32_bit_kernel)
{
	make_bz(16);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK(bz.has_entry64);
	CHECK(!bz.entry32);
	put16(0x236, 0x2);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK(!bz.has_entry64);
	CHECK(bz.entry32);
}

TEST(bzimage_truncated)
{
	make_bz(16);
	CHECK_REFUSED(0x260, "a truncated bzImage (608 bytes)");
	CHECK_REFUSED(KERNEL_OFF, "a truncated bzImage", "kernel starts at");
	CHECK_REFUSED(KERNEL_OFF + KERNEL_SIZE - 1, "a truncated bzImage",
		      "header says 16384");
}

/* Field values no real kernel has: refused with the field named. */
TEST(bzimage_hostile_fields)
{
	make_bz(16);
	img[0x201] = 0x10;
	CHECK_REFUSED(sizeof(img), "setup header ends at 0x212");
	img[0x201] = 0x80; /* negative: before the header */
	CHECK_REFUSED(sizeof(img), "setup header ends at 0x182");
	make_bz(16);
	put32(0x248, KERNEL_SIZE);
	CHECK_REFUSED(sizeof(img), "payload", "lies outside its kernel");
	make_bz(KERNEL_SIZE);
	CHECK_REFUSED(sizeof(img), "lies outside its kernel");
	make_bz(0xffffffff);
	CHECK_REFUSED(sizeof(img), "lies outside its kernel");
	make_bz(16);
	put32(0x230, 0x300000);
	CHECK_REFUSED(sizeof(img), "kernel_alignment 0x300000");
	put32(0x230, 0);
	CHECK_REFUSED(sizeof(img), "kernel_alignment 0");
	make_bz(16);
	put32(0x260, KERNEL_SIZE - 1);
	CHECK_REFUSED(sizeof(img), "init_size (0x3fff) is smaller");
	put32(0x260, 0xffffffff);
	CHECK_REFUSED(sizeof(img), "needs RAM up to");
	make_bz(16);
	put64(0x258, ~0ULL - 0x1000);
	CHECK_REFUSED(sizeof(img), "above 4 GiB");
	put64(0x258, MEM);
	CHECK_REFUSED(sizeof(img), "more than mem=");
	make_bz(16);
	img[0x234] = 0;
	put64(0x258, 0x1000);
	CHECK_REFUSED(sizeof(img), "not relocatable",
		      "pref_address 0x1000 below 1 MiB");
}

static const uint8_t ramdisk[4096] = { 'r', 'd' };

static struct image_params params(const char *cmdline)
{
	return (struct image_params){ .mem = MEM,
				      .cmdline = cmdline,
				      .vcpus = 2,
				      .ramdisk = ramdisk,
				      .ramdisk_size = sizeof(ramdisk),
				      .ramdisk_gpa = PREF + INIT_SIZE };
}

TEST(bzimage_boot_params_fields)
{
	struct hvm_memmap_table_entry map[IMAGE_MEMMAP_MAX];
	struct image_params p = params("console=ttyS0 quiet");
	unsigned int n = image_memmap(MEM, true, map), i;

	make_bz(16);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), 0);
	/* The setup header copied, the loader's fields its own. */
	CHECK(!memcmp(zp + 0x1f1, img + 0x1f1, 0x210 - 0x1f1));
	CHECK_EQ(zp_get(0x230, 4), 0x200000);
	CHECK_EQ(zp_get(0x258, 8), PREF);
	CHECK_EQ(zp[0x210], 0xff);
	CHECK_EQ(zp[0x211], 0x01);
	CHECK_EQ(zp_get(0x224, 2), 0);
	CHECK_EQ(zp_get(0x214, 4), PREF);
	CHECK_EQ(zp_get(0x228, 4), BZ_CMDLINE_GPA);
	CHECK_EQ(zp_get(0x0c8, 4), 0);
	CHECK_EQ(zp_get(0x250, 8), 0);
	CHECK_EQ(zp_get(0x218, 4), PREF + INIT_SIZE);
	CHECK_EQ(zp_get(0x21c, 4), sizeof(ramdisk));
	CHECK_EQ(zp_get(0x0c0, 4), 0);
	CHECK_EQ(zp_get(0x0c4, 4), 0);
	CHECK_EQ(zp_get(0x070, 8), IMAGE_RSDP_GPA);
	CHECK_EQ(zp[0x1ef], 0);
	/* The e820 is the domain's memory map. */
	CHECK_EQ(zp[0x1e8], n);
	CHECK(n >= 3);
	for (i = 0; i < n; i++) {
		CHECK_EQ(zp_get(0x2d0 + 20 * i, 8), map[i].addr);
		CHECK_EQ(zp_get(0x2d0 + 20 * i + 8, 8), map[i].size);
		CHECK_EQ(zp_get(0x2d0 + 20 * i + 16, 4), map[i].type);
	}
	CHECK_EQ(zp_get(0x2d0 + 20 * n, 8), 0);
	/* Before protocol 2.14 there is no acpi_rsdp_addr. */
	put16(0x206, 0x20d);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), 0);
	CHECK_EQ(zp_get(0x070, 8), 0);
	/* No ramdisk: none in boot_params (not the image's 0x1234). */
	p.ramdisk = NULL;
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), 0);
	CHECK_EQ(zp_get(0x218, 4), 0);
	CHECK_EQ(zp_get(0x21c, 4), 0);
}

TEST(bzimage_cmdline_and_initrd_refused)
{
	char longline[300];
	struct image_params p;

	memset(longline, 'x', 256);
	longline[256] = 0;
	make_bz(16);
	CHECK_EQ(check(sizeof(img)), 0);
	p = params(longline);
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "the command line has 256 characters, more than "
			  "this kernel takes (255)");
	longline[255] = 0;
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), 0);
	/* The initrd over the kernel, above initrd_addr_max, past RAM. */
	p = params("");
	p.ramdisk_gpa = PREF + INIT_SIZE - 0x1000;
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "overlaps the kernel"));
	put32(0x22c, 0x1000fff);
	CHECK_EQ(check(sizeof(img)), 0);
	p = params("");
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "above the kernel's initrd_addr_max (0x1000fff)"));
	p.ramdisk_gpa = MEM - 0x800;
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "is not in RAM"));
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	if (gpa > MEM || len > MEM - gpa)
		return -EINVAL;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static int ram_clear(void *ctx, uint64_t gpa, size_t len)
{
	if (gpa > MEM || len > MEM - gpa)
		return -EINVAL;
	memset(ram + gpa, 0, len);
	return 0;
}

static const struct image_ops ops = { .write = ram_write, .clear = ram_clear };

TEST(bzimage_load_and_start)
{
	struct image_params p = params("console=ttyS0");
	struct image_start start;
	uint64_t pml4e;

	make_bz(16);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bzimage_boot_params(&bz, &p, zp, why, sizeof(why)), 0);
	memset(ram, 0xcc, sizeof(ram));
	CHECK_EQ(bzimage_load(&bz, &p, &ops, NULL, &start, why, sizeof(why)),
		 0);
	CHECK(!memcmp(ram + PREF, img + KERNEL_OFF, KERNEL_SIZE));
	CHECK(!memcmp(ram + BZ_BOOT_PARAMS_GPA, zp, sizeof(zp)));
	CHECK_STR_EQ((char *)ram + BZ_CMDLINE_GPA, "console=ttyS0");
	CHECK(!memcmp(ram + PREF + INIT_SIZE, ramdisk, sizeof(ramdisk)));
	CHECK(!memcmp(ram + IMAGE_RSDP_GPA, "RSD PTR ", 8));
	memcpy(&pml4e, ram + IMAGE_PML4_GPA, 8);
	CHECK_EQ(pml4e & 1, 1);
	CHECK_EQ(start.entry, PREF + 0x200);
	CHECK(start.is64);
	CHECK(start.linux_boot);
	CHECK(!start.pvh);
	CHECK_EQ(start.cr3, IMAGE_PML4_GPA);
	CHECK_EQ(start.rsi, BZ_BOOT_PARAMS_GPA);
	/* No command line: an empty string, still pointed at. */
	p.cmdline = NULL;
	CHECK_EQ(bzimage_load(&bz, &p, &ops, NULL, &start, why, sizeof(why)),
		 0);
	CHECK_EQ(ram[BZ_CMDLINE_GPA], 0);
	p.vcpus = 0;
	CHECK_EQ(bzimage_load(&bz, &p, &ops, NULL, &start, why, sizeof(why)),
		 -EINVAL);
}

/*
 * The 32-bit entry: at code32_start (the load address), paging off, no
 * page tables written or reserved, RSI = boot_params still.
 */
TEST(bzimage_load_32_bit_entry)
{
	struct hvm_memmap_table_entry map[IMAGE_MEMMAP_MAX];
	struct image_params p = params("console=ttyS0");
	unsigned int n = image_memmap(MEM, false, map), i;
	struct image_start start;
	uint64_t pml4e;

	make_bz(16);
	CHECK_EQ(check(sizeof(img)), 0);
	bz.entry32 = true;
	memset(ram, 0xcc, sizeof(ram));
	CHECK_EQ(bzimage_load(&bz, &p, &ops, NULL, &start, why, sizeof(why)),
		 0);
	CHECK(!memcmp(ram + PREF, img + KERNEL_OFF, KERNEL_SIZE));
	memcpy(&pml4e, ram + IMAGE_PML4_GPA, 8);
	CHECK_EQ(pml4e, 0xccccccccccccccccULL);
	CHECK_EQ(start.entry, PREF);
	CHECK(!start.is64);
	CHECK(start.linux_boot);
	CHECK_EQ(start.cr3, 0);
	CHECK_EQ(start.rsi, BZ_BOOT_PARAMS_GPA);
	CHECK_EQ(ram[BZ_BOOT_PARAMS_GPA + 0x1e8], n);
	for (i = 0; i < n; i++)
		CHECK_EQ(ram[BZ_BOOT_PARAMS_GPA + 0x2d0 + 20 * i + 16],
			 map[i].type);
	CHECK_EQ(ram[BZ_BOOT_PARAMS_GPA + 0x214] |
			 ram[BZ_BOOT_PARAMS_GPA + 0x215] << 8 |
			 ram[BZ_BOOT_PARAMS_GPA + 0x216] << 16 |
			 (uint64_t)ram[BZ_BOOT_PARAMS_GPA + 0x217] << 24,
		 PREF);
}

/* A bzImage whose payload is data compressed by cmd, trailer appended. */
static void make_payload_bz(const char *cmd, const uint8_t *data, size_t n,
			    bool trailer, uint32_t said)
{
	size_t clen;
	uint8_t *c = run_tool(cmd, data, n, &clen);

	CHECK(clen + 4 <= KERNEL_SIZE - PAYLOAD_OFF);
	make_bz(clen + (trailer ? 4 : 0));
	memcpy(img + KERNEL_OFF + PAYLOAD_OFF, c, clen);
	if (trailer)
		memcpy(img + KERNEL_OFF + PAYLOAD_OFF + clen, &said, 4);
	CHECK_EQ(check(sizeof(img)), 0);
	free(c);
}

TEST(bzimage_payload_decompressed)
{
	static const char *const cmds[] = { "zstd -q -c -19", "lz4 -l -q -c",
					    "gzip -c -9" };
	uint8_t data[20000], *out;
	size_t size;
	unsigned int c, i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i % 251 == 0 ? (uint8_t)i :
					 (uint8_t) "\177ELF payload"[i % 12];
	for (c = 0; c < 3; c++) {
		/* gzip's trailer is its own size field. */
		make_payload_bz(cmds[c], data, sizeof(data), c != 2,
				sizeof(data));
		CHECK_EQ(bzimage_payload_size(&bz, &size, why, sizeof(why)), 0);
		CHECK_EQ(size, sizeof(data));
		out = malloc(size);
		if (bzimage_decompress(&bz, out, size, why, sizeof(why)))
			FAIL("%s: %s", cmds[c], why);
		CHECK(!memcmp(out, data, size));
		free(out);
	}
	/* A trailer saying more than the stream holds. */
	make_payload_bz("zstd -q -c --no-content-size", data, sizeof(data),
			true, sizeof(data) + 1);
	out = malloc(sizeof(data) + 1);
	CHECK_EQ(bzimage_decompress(&bz, out, sizeof(data) + 1, why,
				    sizeof(why)),
		 -EINVAL);
	CHECK_STR_EQ(why, "the zstd payload decompressed to 20000 bytes, not "
			  "the 20001 it says");
	free(out);
}

TEST(bzimage_payload_refused)
{
	uint8_t data[100] = { 0 };
	size_t size;

	make_payload_bz("xz -c", data, sizeof(data), true, sizeof(data));
	CHECK_EQ(bzimage_payload_size(&bz, &size, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "the bzImage's payload is xz: not supported (gzip, "
			  "zstd and lz4 are)");
	make_payload_bz("zstd -q -c", data, sizeof(data), true, 0);
	CHECK_EQ(bzimage_payload_size(&bz, &size, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "decompresses to 0 bytes"));
	make_bz(4);
	CHECK_EQ(check(sizeof(img)), 0);
	CHECK_EQ(bzimage_payload_size(&bz, &size, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "has no payload"));
}
