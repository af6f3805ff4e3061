/*
 * xen/common/libimage/elf.c: the checks on guest ELF images. Good images of
 * both classes pass; PT_LOAD segments that overlap in memory, lie outside
 * the file, wrap around, or are too many are refused with a reason that
 * names the segments.
 */
#include <stdio.h>
#include <string.h>

#include <libimage.h>
#include <xen/errno.h>
#include <xen/lib.h>

#include "harness.h"
#include "mkelf.h"

#define MAX_PH 20

static u8 image[16384];
static char why[160];

static void put(unsigned int off, u64 v, unsigned int bytes)
{
	mkelf_put(image, off, v, bytes);
}

/* An ET_EXEC of the class with the segments, entry at the first paddr. */
static struct elf_image make(bool is64, const struct mkelf_seg *segs,
			     unsigned int n)
{
	mkelf(image, sizeof(image), is64, segs[0].paddr, segs, n);
	return (struct elf_image){ .img = image, .size = sizeof(image) };
}

static int check(bool is64, const struct mkelf_seg *segs, unsigned int n)
{
	struct elf_image e = make(is64, segs, n);

	memset(why, 0, sizeof(why));
	return elf_check(&e, why, sizeof(why));
}

TEST(elf_good_both_classes)
{
	static const struct mkelf_seg segs[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x800, 0x1000 },
		{ 4 /* PT_NOTE */, 0x1000, 0x100000, 0x10, 0x10 },
		{ PT_LOAD, 0x1800, 0x101000, 0x100, 0x3000 }, /* adjacent */
		{ PT_LOAD, 0, 0x100800, 0, 0 }, /* empty: overlaps nothing */
	};
	unsigned int c;

	for (c = 0; c < 2; c++) {
		struct elf_image e = make(c, segs, ARRAY_SIZE(segs));
		struct elf_segment seg;

		CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
		CHECK_EQ(e.is64, c);
		CHECK_EQ(e.entry, 0x100000);
		CHECK_EQ(e.phnum, ARRAY_SIZE(segs));
		elf_get_segment(&e, 2, &seg);
		CHECK_EQ(seg.type, PT_LOAD);
		CHECK_EQ(seg.offset, 0x1800);
		CHECK_EQ(seg.paddr, 0x101000);
		CHECK_EQ(seg.filesz, 0x100);
		CHECK_EQ(seg.memsz, 0x3000);
	}
}

TEST(elf_overlapping_loads_refused)
{
	static const struct mkelf_seg segs[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x800, 0x2000 },
		{ 4, 0x1000, 0x100000, 0x10, 0x10 },
		{ PT_LOAD, 0x1800, 0x200000, 0x100, 0x1000 },
		{ PT_LOAD, 0x1900, 0x101fff, 0x100, 0x100 },
	};
	unsigned int c;

	for (c = 0; c < 2; c++) {
		CHECK_EQ(check(c, segs, ARRAY_SIZE(segs)), -EINVAL);
		CHECK_STR_EQ(why, "PT_LOAD segments 0 and 3 overlap "
				  "([0x100000, 0x102000) and [0x101fff, "
				  "0x1020ff))");
	}
}

/* One segment inside another, and the same range twice. */
TEST(elf_nested_and_equal_loads_refused)
{
	static const struct mkelf_seg nested[] = {
		{ PT_LOAD, 0x1000, 0x104000, 0x10, 0x10 },
		{ PT_LOAD, 0x1000, 0x100000, 0x800, 0x10000 },
	};
	static const struct mkelf_seg twice[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x800, 0x1000 },
		{ PT_LOAD, 0x1000, 0x100000, 0x800, 0x1000 },
	};

	CHECK_EQ(check(true, nested, 2), -EINVAL);
	CHECK_STR_EQ(why, "PT_LOAD segments 0 and 1 overlap ([0x104000, "
			  "0x104010) and [0x100000, 0x110000))");
	CHECK_EQ(check(false, twice, 2), -EINVAL);
	CHECK_STR_EQ(why, "PT_LOAD segments 0 and 1 overlap ([0x100000, "
			  "0x101000) and [0x100000, 0x101000))");
}

TEST(elf_segment_outside_file_refused)
{
	static const struct mkelf_seg past_end[] = {
		{ PT_LOAD, 0x3f00, 0x100000, 0x101, 0x1000 },
	};
	static const struct mkelf_seg filesz_over_memsz[] = {
		{ PT_LOAD, 0x100, 0x100000, 0x200, 0x100 },
	};

	CHECK_EQ(check(false, past_end, 1), -EINVAL);
	CHECK_STR_EQ(why, "segment 0 lies outside the image");
	CHECK_EQ(check(true, filesz_over_memsz, 1), -EINVAL);
	CHECK_STR_EQ(why, "segment 0 lies outside the image");
}

TEST(elf_wrapping_segment_refused)
{
	static const struct mkelf_seg segs[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x10, 0x10 },
		{ PT_LOAD, 0x1000, 0xfffffffffffff000ULL, 0x10, 0x1001 },
	};

	CHECK_EQ(check(true, segs, 2), -EINVAL);
	CHECK_STR_EQ(why, "segment 1 wraps around the address space");
}

TEST(elf_load_count_limited)
{
	struct mkelf_seg segs[MAX_PH];
	unsigned int i;

	for (i = 0; i < MAX_PH; i++)
		segs[i] = (struct mkelf_seg){ PT_LOAD, 0x1000,
					      0x100000 + i * 0x1000, 0x10,
					      0x1000 };
	CHECK_EQ(check(true, segs, ELF_MAX_LOADS), 0);
	CHECK_EQ(check(true, segs, ELF_MAX_LOADS + 1), -EINVAL);
	CHECK_STR_EQ(why, "more than 16 PT_LOAD segments");
	/* Other program headers do not count. */
	segs[3].type = 4;
	CHECK_EQ(check(false, segs, ELF_MAX_LOADS + 1), 0);
}

TEST(elf_bad_headers_refused)
{
	static const struct mkelf_seg none[] = {
		{ 4, 0x1000, 0x100000, 0x10, 0x10 },
	};
	static const struct mkelf_seg one[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x10, 0x10 },
	};
	struct elf_image e;

	CHECK_EQ(check(true, none, 1), -EINVAL);
	CHECK_STR_EQ(why, "no PT_LOAD segment");

	e = make(true, one, 1);
	image[0] = 0;
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "not an ELF image");

	/* EM_X86_64 in an ELF32 is taken (PVH kernels); EM_386 in an ELF64 not */
	e = make(false, one, 1);
	put(18, 62, 2);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), 0);
	CHECK(!e.is64);
	e = make(true, one, 1);
	put(18, 3, 2);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "not a little-endian x86 executable (ELF32 EM_386 or "
			  "EM_X86_64, or ELF64 EM_X86_64)");

	/* 65535 program headers cannot fit a 16 KiB file. */
	e = make(true, one, 1);
	put(56, 0xffff, 2);
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "bad program headers");

	e = make(true, one, 1);
	e.size = 60;
	CHECK_EQ(elf_check(&e, why, sizeof(why)), -EINVAL);
	CHECK_STR_EQ(why, "a truncated ELF header");
}
