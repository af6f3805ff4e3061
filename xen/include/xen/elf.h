/*
 * Reading the ELF executables of boot modules: an x86 ET_EXEC of either
 * class, little-endian, whose PT_LOAD segments the loader copies to their
 * physical addresses.
 */
#ifndef XEN_ELF_H
#define XEN_ELF_H

#include <xen/types.h>

#define PT_LOAD 1
/* More PT_LOAD segments than this are refused (real kernels have few). */
#define ELF_MAX_LOADS 16

/* An image's header fields, as elf_check() found them in either class. */
struct elf_image {
	const u8 *img;
	size_t size;
	bool is64;
	u64 entry, phoff;
	unsigned int phnum;
};

/* The program header fields a loader uses, widened. */
struct elf_segment {
	u32 type;
	u64 offset, paddr, filesz, memsz;
};

/*
 * Check e->img[e->size] and fill in the rest of *e: 0, or -EINVAL with
 * the reason in why[size]. After success the program headers lie in the
 * image, and every PT_LOAD segment's file bytes lie in the image, its
 * memory [paddr, paddr + memsz) does not wrap and overlaps no other's;
 * there are 1 to ELF_MAX_LOADS of them.
 */
int elf_check(struct elf_image *e, char *why, size_t size);

/* Program header i (below e->phnum) of a checked image. */
void elf_get_segment(const struct elf_image *e, unsigned int i,
		     struct elf_segment *seg);

#endif
