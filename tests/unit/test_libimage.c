/*
 * xen/common/libimage/layout.c: a new domain's first memory, as both
 * builders lay it out. Through ops that write a host array standing for
 * guest RAM: a 64-bit image gets its segments (bss zeroed), 1:1 page
 * tables of 2 MiB pages, a start info with the five-range memory map
 * (the page tables and the ACPI page reserved), the command line, the
 * RSDP and the module list; a 32-bit one no page tables and only the
 * ACPI page reserved. image_check() refuses segments over the builder's
 * pages or past RAM and an entry outside every segment; an ops error and
 * an over-long command line stop the load. (PVH notes, the ramdisk and
 * flags: test_libimage_pvh.c; the ACPI tables: test_acpi.c.)
 */
#include <string.h>

#include <libimage.h>
#include <public/start_info.h>
#include <xen/errno.h>

#include "harness.h"
#include "mkelf.h"

#define MEM (8UL << 20)
#define LOAD 0x100000UL

static uint8_t ram[MEM];
static uint8_t image[8192];
static char why[160];
static int fail_at_write = -1; /* make write number N fail (-1: never) */
static int writes;

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	if (writes++ == fail_at_write)
		return -EFAULT;
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

/*
 * One PT_LOAD at paddr: filesz bytes of 0xab from file offset 4096, memsz
 * bytes in memory; entry as given.
 */
static struct elf_image make_image(bool is64, uint64_t paddr, uint64_t filesz,
				   uint64_t memsz, uint64_t entry)
{
	const struct mkelf_seg seg = { PT_LOAD, 4096, paddr, filesz, memsz };

	mkelf(image, sizeof(image), is64, entry, &seg, 1);
	memset(image + 4096, 0xab, filesz);
	return (struct elf_image){ .img = image, .size = sizeof(image) };
}

static uint64_t ram64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram + gpa, sizeof(v));
	return v;
}

static const struct hvm_start_info *start_info(void)
{
	return (const void *)(ram + IMAGE_START_INFO_GPA);
}

static const struct hvm_memmap_table_entry *memmap(void)
{
	return (const void *)(ram + start_info()->memmap_paddr);
}

TEST(libimage_64bit_layout)
{
	struct elf_image e = make_image(true, LOAD, 100, 8192, LOAD + 16);
	static const struct image_module mods[2] = {
		{ 0x7fe000, 10, 0x7fd000 }, { 0x7ff000, 20, 0x7fd040 }
	};
	struct image_params p = { .mem = MEM,
				  .cmdline = "a=1 b",
				  .vcpus = 1,
				  .modules = mods,
				  .nr_modules = 2 };
	const struct hvm_modlist_entry *ml;
	struct image_start st;
	uint64_t end;
	unsigned int i;

	memset(ram, 0x5a, sizeof(ram));
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	CHECK_EQ(end, LOAD + 8192);
	writes = 0;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK(st.is64);
	CHECK(!st.pvh);
	CHECK_EQ(st.entry, LOAD + 16);
	CHECK_EQ(st.cr3, 0x5000);
	CHECK_EQ(st.rbx, IMAGE_START_INFO_GPA);
	CHECK_EQ(ram[LOAD], 0xab);
	CHECK_EQ(ram[LOAD + 99], 0xab);
	CHECK_EQ(ram[LOAD + 100], 0);
	CHECK_EQ(ram[LOAD + 8191], 0);
	CHECK_EQ(ram[LOAD + 8192], 0x5a);
	/* 8 MiB: one PD at 0x3000, under the PDPT at 0x4000. */
	CHECK_EQ(ram64(0x5000), 0x4000 | 3);
	CHECK_EQ(ram64(0x5008), 0);
	CHECK_EQ(ram64(0x4000), 0x3000 | 3);
	CHECK_EQ(ram64(0x4008), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(ram64(0x3000 + 8 * i), (i << 21) | 0x83);
	CHECK_EQ(ram64(0x3000 + 8 * 4), 0);
	CHECK_EQ(start_info()->magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_EQ(start_info()->version, 1);
	CHECK_EQ(start_info()->nr_modules, 2);
	CHECK_EQ(start_info()->modlist_paddr, IMAGE_MODLIST_GPA);
	CHECK_EQ(start_info()->rsdp_paddr, IMAGE_RSDP_GPA);
	CHECK_EQ(start_info()->flags, 0);
	ml = (const void *)(ram + IMAGE_MODLIST_GPA);
	CHECK_EQ(ml[0].paddr, 0x7fe000);
	CHECK_EQ(ml[0].size, 10);
	CHECK_EQ(ml[0].cmdline_paddr, 0x7fd000);
	CHECK_EQ(ml[1].paddr, 0x7ff000);
	CHECK_EQ(ml[1].cmdline_paddr, 0x7fd040);
	CHECK_STR_EQ((const char *)ram + start_info()->cmdline_paddr, "a=1 b");
	CHECK_EQ(start_info()->memmap_entries, 5);
	CHECK_EQ(memmap()[0].addr, 0);
	CHECK_EQ(memmap()[0].size, 0x3000);
	CHECK_EQ(memmap()[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(memmap()[1].addr, 0x3000);
	CHECK_EQ(memmap()[1].size, 0x3000);
	CHECK_EQ(memmap()[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(memmap()[2].addr, 0x6000);
	CHECK_EQ(memmap()[2].size, 0x1000);
	CHECK_EQ(memmap()[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(memmap()[3].addr, 0x7000);
	CHECK_EQ(memmap()[3].size, 0x1000);
	CHECK_EQ(memmap()[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(memmap()[4].addr, 0x8000);
	CHECK_EQ(memmap()[4].size, MEM - 0x8000);
	CHECK_EQ(memmap()[4].type, XEN_HVM_MEMMAP_TYPE_RAM);
}

TEST(libimage_32bit_layout)
{
	struct elf_image e = make_image(false, LOAD, 10, 10, LOAD);
	struct image_params p = { .mem = MEM, .vcpus = 1 };
	struct image_start st;
	uint64_t end;

	memset(ram, 0x5a, sizeof(ram));
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	writes = 0;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK(!st.is64);
	CHECK_EQ(st.cr3, 0);
	CHECK_EQ(ram64(0x5000), 0x5a5a5a5a5a5a5a5aULL);
	CHECK_EQ(start_info()->cmdline_paddr, 0);
	CHECK_EQ(start_info()->nr_modules, 0);
	CHECK_EQ(start_info()->modlist_paddr, 0);
	CHECK_EQ(start_info()->memmap_entries, 3);
	CHECK_EQ(memmap()[0].addr, 0);
	CHECK_EQ(memmap()[0].size, 0x7000);
	CHECK_EQ(memmap()[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(memmap()[1].addr, 0x7000);
	CHECK_EQ(memmap()[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(memmap()[2].addr, 0x8000);
	CHECK_EQ(memmap()[2].size, MEM - 0x8000);
}

TEST(libimage_check_refuses)
{
	struct elf_image e;
	uint64_t end;

	e = make_image(true, 0x4000, 10, 10, 0x4000);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "segment 0 overlaps the page tables, the start "
			  "info or the ACPI tables (below 0x8000)");
	e = make_image(true, 0x7ff0, 0x10, 0x10, 0x7ff0);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	/* 32-bit: only the start-info and ACPI pages are the builder's. */
	e = make_image(false, 0x4000, 10, 10, 0x4000);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	e = make_image(false, 0x6800, 10, 10, 0x6800);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "segment 0 overlaps the start info or the ACPI "
			  "tables (0x6000-0x7fff)");
	e = make_image(false, 0x7800, 10, 10, 0x7800);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	e = make_image(false, 0x8000, 10, 10, 0x8000);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	e = make_image(false, MEM - 4, 10, 10, MEM - 4);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "segment 0 does not fit the domain's memory");
	e = make_image(true, LOAD, 10, 10, LOAD + 10);
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "the entry point is in no segment");
}

TEST(libimage_load_stops_on_error)
{
	struct elf_image e = make_image(true, LOAD, 10, 10, LOAD);
	struct image_params p = { .mem = MEM, .vcpus = 1 };
	char long_cmdline[IMAGE_CMDLINE_MAX + 1];
	struct image_start st;

	memset(ram, 0x5a, sizeof(ram));
	writes = 0;
	fail_at_write = 0;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EFAULT);
	fail_at_write = -1;
	/* The segment failed: no start info was written. */
	CHECK_EQ(start_info()->magic, 0x5a5a5a5a);
	memset(long_cmdline, 'x', sizeof(long_cmdline) - 1);
	long_cmdline[IMAGE_CMDLINE_MAX] = '\0';
	p.cmdline = long_cmdline;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EINVAL);
	long_cmdline[IMAGE_CMDLINE_MAX - 1] = '\0';
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK_EQ(strlen((const char *)ram + start_info()->cmdline_paddr),
		 IMAGE_CMDLINE_MAX - 1);
}
