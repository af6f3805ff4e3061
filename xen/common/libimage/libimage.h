/*
 * libimage: what the hypervisor's boot-time builder and dom0's domain
 * builder (tools/libs/guest) both need to understand a guest image and lay
 * out a new domain's first memory: the ELF checks, where the start info,
 * the memory map, the command line and (for a 64-bit image) the page
 * tables go, their contents, and the registers the first vCPU starts
 * with. It writes guest memory only through the caller's ops, so the
 * hypervisor passes its guest-physical copies and dom0 its foreign
 * mappings. It depends on nothing but the C compiler's headers and the
 * environment header it is built with (libimage-env.h).
 *
 * The layout (docs/domains.md): RAM [0, mem); the start info at 0x6000
 * (the header, the memory map at +0x40, the command line at +0x100); for a
 * 64-bit image, page tables mapping [0, mem) 1:1 with 2 MiB pages right
 * below it (PML4 0x5000, PDPT 0x4000, one page directory per started GiB
 * below that), which the memory map reserves.
 */
#ifndef LIBIMAGE_H
#define LIBIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_LOAD 1
/* More PT_LOAD segments than this are refused (real kernels have few). */
#define ELF_MAX_LOADS 16

/* An image's header fields, as elf_check() found them in either class. */
struct elf_image {
	const uint8_t *img;
	size_t size;
	bool is64;
	uint64_t entry, phoff;
	unsigned int phnum;
};

/* The program header fields a loader uses, widened. */
struct elf_segment {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
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

/* The most RAM a domain may have, and its command line with its NUL. */
#define IMAGE_MEM_MAX (4ULL << 30)
#define IMAGE_CMDLINE_MAX 3840
#define IMAGE_START_INFO_GPA 0x6000ULL
/* A 64-bit start's CR3: the PML4 of the 1:1 page tables. */
#define IMAGE_PML4_GPA (IMAGE_START_INFO_GPA - 0x1000ULL)

/*
 * elf_check(), then check that every segment fits [0, mem) and misses
 * the builder's pages (the start info, and a 64-bit image's page
 * tables), and that the entry lies in a segment. *image_end: the end of
 * the highest segment. 0, or -EINVAL with the reason in why[size].
 */
int image_check(struct elf_image *e, uint64_t mem, uint64_t *image_end,
		char *why, size_t size);

/* How the builder writes the new domain's memory. */
struct image_ops {
	/* Copy len bytes to guest-physical gpa: 0 or -errno. */
	int (*write)(void *ctx, uint64_t gpa, const void *buf, size_t len);
	/* Zero len bytes at gpa: 0 or -errno. */
	int (*clear)(void *ctx, uint64_t gpa, size_t len);
};

/* What goes into the start info besides the memory map. */
struct image_params {
	uint64_t mem; /* RAM [0, mem), populated */
	const char *cmdline; /* "" or NULL for none; < IMAGE_CMDLINE_MAX */
	uint32_t nr_modules; /* a struct hvm_modlist_entry list */
	uint64_t modlist_gpa; /* already written by the caller */
};

/* The first vCPU's start: 32-bit flat PVH, or long mode on cr3. */
struct image_start {
	uint64_t entry;
	bool is64;
	uint64_t cr3; /* 0 for a 32-bit image */
	uint64_t rbx; /* the start info */
	uint64_t rsi; /* a bzImage's boot_params (bzimage.h), else 0 */
};

/*
 * Load a checked image (image_check() with p->mem) into RAM already
 * populated, then the page tables of a 64-bit image, then the start info:
 * 0 and *start, or the first ops error.
 */
int image_load(const struct elf_image *e, const struct image_params *p,
	       const struct image_ops *ops, void *ctx,
	       struct image_start *start);

/*
 * For the other loaders (a bzImage's, bzimage.h), which lay out a domain
 * the same way. The memory map a domain with RAM [0, mem) sees, with or
 * without a 64-bit image's page tables: up to IMAGE_MEMMAP_MAX entries
 * into map, their number returned.
 */
#define IMAGE_MEMMAP_MAX 3
struct hvm_memmap_table_entry;
unsigned int image_memmap(struct hvm_memmap_table_entry *map, uint64_t mem,
			  bool is64);

/* Write the 1:1 page tables of a 64-bit start (IMAGE_PML4_GPA): 0/-errno */
int image_write_page_tables(uint64_t mem, const struct image_ops *ops,
			    void *ctx);

#endif
