/*
 * libimage: what the hypervisor's boot-time builder and dom0's domain
 * builder (tools/libs/guest) both need to understand a guest image and lay
 * out a new domain's first memory: the ELF checks, where the start info,
 * the memory map, the command line, the ACPI tables, the module list, the
 * ramdisk and (for a 64-bit image without a PVH note) the page tables go,
 * their contents, and the registers the first vCPU starts with. It writes
 * guest memory only through the caller's ops, so the hypervisor passes its
 * guest-physical copies and dom0 its foreign mappings. It depends on
 * nothing but the C compiler's headers and the environment header it is
 * built with (libimage-env.h).
 *
 * The layout (docs/domains.md), RAM [0, mem):
 *   0x0000-0x5fff  a 64-bit image without a PVH note: page tables mapping
 *                  [0, mem) 1:1 with 2 MiB pages right below the start
 *                  info (PML4 0x5000, PDPT 0x4000, one page directory per
 *                  started GiB below that), reserved; otherwise RAM
 *   0x6000         the start info (the header, the memory map at +0x40,
 *                  the command line at +0x100), RAM the guest may reuse
 *   0x7000         the platform page, reserved: the ACPI tables (acpi.c)
 *                  and the start info's module list
 *   0x8000-mem     RAM: the image's segments, then the ramdisk (right
 *                  after the image, page-aligned), then whatever the
 *                  caller puts at the top (dom0's files)
 * Real-mode RAM below 1 MiB is left to the guest (Linux puts its SMP
 * trampoline there).
 */
#ifndef LIBIMAGE_H
#define LIBIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/elfnote.h>
#include <public/start_info.h>

#define PT_LOAD 1
#define PT_NOTE 4
/* More PT_LOAD segments than this are refused (real kernels have few). */
#define ELF_MAX_LOADS 16

/*
 * An image's header fields, as elf_check() found them in either class.
 * is64: the ELF class (an ELF32 file may have machine EM_X86_64). pvh:
 * the image carries XEN_ELFNOTE_PHYS32_ENTRY, whose value is pvh_entry.
 */
struct elf_image {
	const uint8_t *img;
	size_t size;
	bool is64;
	uint64_t entry, phoff;
	unsigned int phnum;
	bool pvh;
	uint64_t pvh_entry;
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
 * there are 1 to ELF_MAX_LOADS of them. Every PT_NOTE segment lies in
 * the image and its notes are well-formed; a XEN_ELFNOTE_PHYS32_ENTRY
 * note (4 or 8 bytes, below 4 GiB) sets e->pvh and e->pvh_entry.
 */
int elf_check(struct elf_image *e, char *why, size_t size);

/* Program header i (below e->phnum) of a checked image. */
void elf_get_segment(const struct elf_image *e, unsigned int i,
		     struct elf_segment *seg);

/* The most RAM a domain may have, and its command line with its NUL. */
#define IMAGE_MEM_MAX (4ULL << 30)
#define IMAGE_CMDLINE_MAX 3840
#define IMAGE_START_INFO_GPA 0x6000ULL
/* A long-mode start's CR3: the PML4 of the 1:1 page tables. */
#define IMAGE_PML4_GPA (IMAGE_START_INFO_GPA - 0x1000ULL)
/* The platform page: the ACPI tables (the RSDP first), the module list. */
#define IMAGE_PLATFORM_GPA 0x7000ULL
#define IMAGE_RSDP_GPA IMAGE_PLATFORM_GPA
#define IMAGE_MODLIST_GPA (IMAGE_PLATFORM_GPA + 0xc00)
/* The builder's low pages end here; the image and ramdisk lie above. */
#define IMAGE_LOW_END 0x8000ULL
/* The most vCPUs the MADT describes, and modules besides the ramdisk. */
#define IMAGE_MAX_VCPUS 64
#define IMAGE_MAX_MODULES 16

/*
 * elf_check(), then check that every segment fits [0, mem) and misses
 * the builder's pages (the start info, the platform page, and a 64-bit
 * non-PVH image's page tables), and that the entry (the PVH one if
 * there is one) lies in a segment. *image_end: the end of the highest
 * segment. 0, or -EINVAL with the reason in why[size].
 */
int image_check(struct elf_image *e, uint64_t mem, uint64_t *image_end,
		char *why, size_t size);

/*
 * Where a ramdisk of size bytes goes in RAM [0, top): from the first page
 * boundary at or above low (the end of the image, or of whatever memory
 * the kernel needs above it), if it ends by top (the top of RAM, or the
 * lowest byte the caller keeps there). 0 and *gpa, or -ENOSPC with the
 * reason in why[size]. Both builders and the bzImage loader (for
 * boot_params' ramdisk_image) place it with this.
 */
int image_ramdisk_place(uint64_t low, uint64_t top, uint64_t size,
			uint64_t *gpa, char *why, size_t size_why);

/* How the builder writes the new domain's memory. */
struct image_ops {
	/* Copy len bytes to guest-physical gpa: 0 or -errno. */
	int (*write)(void *ctx, uint64_t gpa, const void *buf, size_t len);
	/* Zero len bytes at gpa: 0 or -errno. */
	int (*clear)(void *ctx, uint64_t gpa, size_t len);
};

/* A module besides the ramdisk, already in guest memory (dom0's files). */
struct image_module {
	uint64_t gpa, size, cmdline_gpa;
};

/* What goes into the start info, the ACPI tables and the ramdisk. */
struct image_params {
	uint64_t mem; /* RAM [0, mem), populated */
	const char *cmdline; /* "" or NULL for none; < IMAGE_CMDLINE_MAX */
	unsigned int vcpus; /* 1 to IMAGE_MAX_VCPUS: the MADT's CPUs */
	bool control; /* the control domain: SIF_PRIVILEGED, SIF_INITDOMAIN */
	/* The ramdisk (NULL: none), the first module, at ramdisk_gpa. */
	const void *ramdisk;
	uint64_t ramdisk_size, ramdisk_gpa;
	/* Modules after it, at most IMAGE_MAX_MODULES. */
	const struct image_module *modules;
	unsigned int nr_modules;
};

/*
 * How the first vCPU starts. pvh: at the image's PVH note, 32-bit flat
 * protected mode, paging off, RBX the start info; only vCPU 0 starts, the
 * others wait for a start state (VCPUOP_initialise or INIT/SIPI).
 * Otherwise every vCPU starts at e_entry: long mode on cr3 (is64) or
 * 32-bit flat.
 */
struct image_start {
	uint64_t entry;
	bool is64;
	bool pvh;
	uint64_t cr3; /* 0 unless is64 */
	uint64_t rbx; /* the start info */
	/* A bzImage (bzimage.h): RSI = boot_params; vCPU 0 alone starts. */
	bool linux_boot;
	uint64_t rsi;
};

/*
 * The memory map of a domain of mem bytes (page_tables: a 64-bit non-PVH
 * image's, reserved) into map[IMAGE_MEMMAP_MAX], in address order: the
 * number of entries. The start info carries it; a bzImage's boot_params
 * gives it as its e820.
 */
#define IMAGE_MEMMAP_MAX 5
unsigned int image_memmap(uint64_t mem, bool page_tables,
			  struct hvm_memmap_table_entry *map);

/*
 * The 1:1 page tables of a long-mode start for RAM [0, mem), at
 * IMAGE_PML4_GPA and below (what image_memmap() reserves): 0 or the ops
 * error. image_load() writes them for a 64-bit non-PVH image, the bzImage
 * loader for its 64-bit entry.
 */
int image_write_page_tables(uint64_t mem, const struct image_ops *ops,
			    void *ctx);

/*
 * Load a checked image (image_check() with p->mem) into RAM already
 * populated, then the page tables of a 64-bit non-PVH image, the ramdisk,
 * the ACPI tables, the module list and the start info: 0 and *start, or
 * -EINVAL for bad params, or the first ops error.
 */
int image_load(const struct elf_image *e, const struct image_params *p,
	       const struct image_ops *ops, void *ctx,
	       struct image_start *start);

/*
 * The ACPI tables (acpi.c) for vcpus CPUs, written at IMAGE_RSDP_GPA and
 * after it, below IMAGE_MODLIST_GPA; the rest of the platform page is
 * cleared. RSDP (rev 2),
 * XSDT, FADT (hardware-reduced, sleep registers at the ports of
 * public/hvm_platform.h), DSDT (with _S5), MADT (a local APIC per vCPU,
 * the I/O APIC). 0 or the ops error.
 */
int image_write_acpi(unsigned int vcpus, const struct image_ops *ops,
		     void *ctx);

#endif
