/*
 * xen/common/libimage: PVH images and what a stock kernel finds in its
 * start info. An ELF (either class, and ELF32 with machine EM_X86_64)
 * whose PT_NOTE carries XEN_ELFNOTE_PHYS32_ENTRY is entered there in
 * 32-bit flat mode with no page tables written; notes that run past their
 * segment or the file, and bad entry values, are refused with a reason.
 * The ramdisk goes page-aligned after the image and is the first module;
 * the control domain's start info says privileged, a domU's says nothing.
 */
#include <string.h>

#include <libimage.h>
#include <public/start_info.h>
#include <xen/errno.h>

#include "harness.h"
#include "mkelf.h"

#define MEM (8UL << 20)
#define LOAD 0x100000UL
#define NOTE_OFF 0x200
#define PVH_ENTRY (LOAD + 0x40)

static uint8_t ram[MEM];
static uint8_t image[8192];
static char why[200];

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

/* A note at image + off: its header, name and value; its size. */
static unsigned int put_note(unsigned int off, const char *name, uint32_t type,
			     uint64_t value, unsigned int descsz)
{
	unsigned int namesz = strlen(name) + 1, at = off + 12;

	mkelf_put(image, off, namesz, 4);
	mkelf_put(image, off + 4, descsz, 4);
	mkelf_put(image, off + 8, type, 4);
	memcpy(image + at, name, namesz);
	at += (namesz + 3) & ~3U;
	mkelf_put(image, at, value, descsz > 8 ? 8 : descsz);
	return at + ((descsz + 3) & ~3U) - off;
}

/*
 * One PT_LOAD of 0x1000 bytes at LOAD (from file offset 4096) and an
 * empty PT_NOTE at NOTE_OFF, which set_note_size() sizes once filled.
 */
static struct elf_image make(bool is64, uint16_t machine)
{
	const struct mkelf_seg segs[2] = {
		{ PT_LOAD, 4096, LOAD, 0x1000, 0x1000 },
		{ PT_NOTE, NOTE_OFF, 0, 0, 0 },
	};

	mkelf(image, sizeof(image), is64, LOAD, segs, 2);
	mkelf_put(image, 18, machine, 2);
	return (struct elf_image){ .img = image, .size = sizeof(image) };
}

static void set_note_size(bool is64, uint64_t n)
{
	unsigned int ph = MKELF_PHOFF + (is64 ? 56 : 32);

	mkelf_put(image, ph + (is64 ? 32 : 16), n, is64 ? 8 : 4);
	mkelf_put(image, ph + (is64 ? 40 : 20), n, is64 ? 8 : 4);
}

/* The usual PVH kernel: a Linux note, then Xen's PHYS32_ENTRY. */
static struct elf_image pvh_image(bool is64, uint16_t machine,
				  unsigned int descsz)
{
	struct elf_image e = make(is64, machine);
	unsigned int n;

	n = put_note(NOTE_OFF, "Linux", 1, 0, 4);
	n += put_note(NOTE_OFF + n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY,
		      descsz);
	set_note_size(is64, n);
	return e;
}

static const struct hvm_start_info *start_info(void)
{
	return (const void *)(ram + IMAGE_START_INFO_GPA);
}

static uint64_t ram64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram + gpa, sizeof(v));
	return v;
}

/* Both classes, ELF32 with EM_X86_64, 4- and 8-byte values. */
TEST(pvh_note_found)
{
	static const struct {
		bool is64;
		uint16_t machine;
		unsigned int descsz;
	} cases[] = {
		{ true, 62, 8 },  { true, 62, 4 }, { false, 62, 4 },
		{ false, 62, 8 }, { false, 3, 4 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct elf_image e = pvh_image(cases[i].is64, cases[i].machine,
					       cases[i].descsz);

		CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
		CHECK(e.pvh);
		CHECK_EQ(e.pvh_entry, PVH_ENTRY);
		CHECK_EQ(e.entry, LOAD);
	}
}

/* Without the note: no PVH entry; ELF32 EM_X86_64 is still taken. */
TEST(pvh_no_note)
{
	struct elf_image e = make(false, 62);
	unsigned int n;

	CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
	CHECK(!e.pvh);
	CHECK(!e.is64);
	/* Type 18 under another name is not Xen's. */
	e = make(true, 62);
	n = put_note(NOTE_OFF, "Xe", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY, 4);
	n += put_note(NOTE_OFF + n, "XenX", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY,
		      4);
	set_note_size(true, n);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
	CHECK(!e.pvh);
	/* Other machines stay refused. */
	e = make(false, 40);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "not a little-endian x86 executable (ELF32 EM_386 or "
			  "EM_X86_64, or ELF64 EM_X86_64)");
}

/* Hostile notes: each refused with its reason, none read out of bounds. */
TEST(pvh_hostile_notes)
{
	struct elf_image e;
	unsigned int n;

	/* A name size that would wrap a 32-bit sum. */
	e = make(true, 62);
	n = put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY, 4);
	mkelf_put(image, NOTE_OFF, 0xfffffffe, 4);
	set_note_size(true, n);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "a note in segment 1 runs past its end");
	/* A value size past the segment (but inside the file). */
	e = make(true, 62);
	n = put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY, 4);
	mkelf_put(image, NOTE_OFF + 4, 0xffffffff, 4);
	set_note_size(true, n);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "a note in segment 1 runs past its end");
	/* Less than a note header left: padding, the note before counts. */
	e = make(true, 62);
	n = put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY, 4);
	set_note_size(true, n + 8);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
	CHECK(e.pvh);
	/* A note header with nothing after it, in a segment cut short. */
	e = make(true, 62);
	n = put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, PVH_ENTRY, 4);
	set_note_size(true, n - 4);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "a note in segment 1 runs past its end");
	/* The segment itself past the end of the file, and wrapping. */
	e = make(false, 62);
	set_note_size(false, sizeof(image) - NOTE_OFF + 1);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "note segment 1 lies outside the image");
	e = make(true, 62);
	set_note_size(true, ~0ULL - NOTE_OFF + 2);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "note segment 1 lies outside the image");
	/* A value of 2 bytes, and one beyond 4 GiB. */
	e = make(true, 62);
	set_note_size(true, put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY,
				     PVH_ENTRY, 2));
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "a bad XEN_ELFNOTE_PHYS32_ENTRY note in segment 1 "
			  "(not a 4- or 8-byte address below 4 GiB)");
	e = make(true, 62);
	set_note_size(true, put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY,
				     1ULL << 32, 8));
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	/* A PVH entry outside every segment. */
	e = make(true, 62);
	set_note_size(true, put_note(NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY,
				     LOAD + 0x1000, 4));
	CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
	CHECK_EQ(image_check(&e, MEM, &(uint64_t){ 0 }, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR_EQ(why, "the PVH entry point is in no segment");
}

/*
 * A 64-bit PVH image: entered 32-bit at the note with no page tables (so
 * a segment may sit where they would be), only the ACPI page reserved.
 */
TEST(pvh_layout)
{
	struct elf_image e = pvh_image(true, 62, 8);
	struct image_params p = { .mem = MEM, .vcpus = 2 };
	const struct hvm_memmap_table_entry *map;
	struct image_start st;
	uint64_t end;

	memset(ram, 0x5a, sizeof(ram));
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK(st.pvh);
	CHECK(!st.is64);
	CHECK_EQ(st.entry, PVH_ENTRY);
	CHECK_EQ(st.cr3, 0);
	CHECK_EQ(st.rbx, IMAGE_START_INFO_GPA);
	CHECK_EQ(ram64(0x5000), 0x5a5a5a5a5a5a5a5aULL);
	CHECK_EQ(start_info()->memmap_entries, 3);
	map = (const void *)(ram + start_info()->memmap_paddr);
	CHECK_EQ(map[0].addr, 0);
	CHECK_EQ(map[0].size, 0x7000);
	CHECK_EQ(map[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(map[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(map[2].addr + map[2].size, MEM);
	CHECK_EQ(start_info()->rsdp_paddr, IMAGE_RSDP_GPA);
	CHECK(!memcmp(ram + IMAGE_RSDP_GPA, "RSD PTR ", 8));
}

/*
 * The ramdisk: page-aligned right after the image, the first module
 * (before the caller's), its bytes copied; one that does not fit below
 * the top is refused with the sizes.
 */
TEST(pvh_ramdisk_first_module)
{
	static uint8_t rd[5000];
	static const struct image_module file = { 0x7ff000, 3, 0x7fe000 };
	struct elf_image e = pvh_image(false, 62, 4);
	struct image_params p = { .mem = MEM,
				  .vcpus = 1,
				  .ramdisk = rd,
				  .ramdisk_size = sizeof(rd),
				  .modules = &file,
				  .nr_modules = 1 };
	const struct hvm_modlist_entry *ml;
	struct image_start st;
	uint64_t end, gpa;

	memset(rd, 0xcd, sizeof(rd));
	memset(ram, 0x5a, sizeof(ram));
	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	CHECK_EQ(end, LOAD + 0x1000);
	CHECK_EQ(image_ramdisk_place(end - 1, MEM, sizeof(rd), &gpa, why,
				     sizeof(why)),
		 0);
	CHECK_EQ(gpa, LOAD + 0x1000);
	CHECK_EQ(image_ramdisk_place(end + 1, MEM, sizeof(rd), &gpa, why,
				     sizeof(why)),
		 0);
	CHECK_EQ(gpa, LOAD + 0x2000);
	p.ramdisk_gpa = gpa;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK_EQ(start_info()->nr_modules, 2);
	ml = (const void *)(ram + start_info()->modlist_paddr);
	CHECK_EQ(ml[0].paddr, LOAD + 0x2000);
	CHECK_EQ(ml[0].size, sizeof(rd));
	CHECK_EQ(ml[0].cmdline_paddr, 0);
	CHECK_EQ(ml[1].paddr, 0x7ff000);
	CHECK_EQ(ml[1].size, 3);
	CHECK(!memcmp(ram + gpa, rd, sizeof(rd)));
	CHECK_EQ(ram[gpa + sizeof(rd)], 0x5a);
	/* Exactly to the top fits; a byte more does not. */
	CHECK_EQ(image_ramdisk_place(MEM - 0x2000, MEM, 0x2000, &gpa, why,
				     sizeof(why)),
		 0);
	CHECK_EQ(image_ramdisk_place(MEM - 0x2000, MEM, 0x2001, &gpa, why,
				     sizeof(why)),
		 -ENOSPC);
	CHECK_STR_EQ(why, "the ramdisk (8 KiB) does not fit between the "
			  "image's end (0x7fe000) and 0x800000");
	CHECK_EQ(image_ramdisk_place(MEM - 1, MEM, ~0ULL, &gpa, why,
				     sizeof(why)),
		 -ENOSPC);
	/* A ramdisk outside RAM is refused before anything is written. */
	p.ramdisk_gpa = MEM - 0x1000;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EINVAL);
	p.ramdisk_gpa = 0x4000;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EINVAL);
}

/* SIF_PRIVILEGED | SIF_INITDOMAIN for the control domain alone. */
TEST(pvh_start_info_flags)
{
	struct elf_image e = pvh_image(true, 62, 8);
	struct image_params p = { .mem = MEM, .vcpus = 1 };
	struct image_start st;
	uint64_t end;

	CHECK_EQ(image_check(&e, MEM, &end, why, sizeof(why)), 0);
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK_EQ(start_info()->flags, 0);
	CHECK_EQ(start_info()->version, 1);
	p.control = true;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), 0);
	CHECK_EQ(start_info()->flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
	/* vCPU counts the MADT cannot describe are refused. */
	p.vcpus = 0;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EINVAL);
	p.vcpus = IMAGE_MAX_VCPUS + 1;
	CHECK_EQ(image_load(&e, &p, &ops, NULL, &st), -EINVAL);
}
