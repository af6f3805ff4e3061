/* What the boot loader told us, parsed from multiboot2 (boot CPU only). */
#ifndef ASM_BOOTINFO_H
#define ASM_BOOTINFO_H

#include <xen/types.h>

#define MAX_MEM_RANGES 64
#define MAX_BOOT_MODULES 16

struct mem_range {
	paddr_t start, end; /* [start, end) */
};

/*
 * The command line and module strings are the loader's own, whole, in the
 * MBI: it stays reserved (never heap), so they stay valid.
 */
struct boot_module {
	paddr_t start, end;
	const char *string;
};

/*
 * A module string in a message, shortened (marked "...") if long:
 * printk("module %u ('%.*s%s')", idx, MODULE_SHOWN(string)).
 */
#define MODULE_SHOWN_MAX 200
#define MODULE_SHOWN(s) \
	MODULE_SHOWN_MAX, (s), strlen(s) > MODULE_SHOWN_MAX ? "..." : ""

struct boot_info {
	const char *cmdline; /* "" if the loader gave none */
	char loader[64];
	unsigned int nr_ram;
	struct mem_range ram[MAX_MEM_RANGES]; /* sorted, non-overlapping */
	unsigned int nr_modules;
	struct boot_module modules[MAX_BOOT_MODULES];
	unsigned int nr_modules_refused; /* beyond MAX_BOOT_MODULES */
	paddr_t rsdp; /* copy of the ACPI RSDP in the MBI, or 0 */
	paddr_t mbi_start, mbi_end; /* the MBI, reserved for good */
	bool efi;
};

extern struct boot_info boot_info;

void multiboot2_parse(paddr_t mbi);

/* Boot-time page allocator over boot_info.ram below 4 GiB. */
void bootmem_init(void);
void bootmem_reserve(paddr_t start, paddr_t end);
/* nr zeroed pages, physically contiguous; panics when out of memory. */
paddr_t bootmem_alloc(unsigned long nr);
/* Hand what is left to the heap; bootmem_alloc may not be used after. */
void bootmem_release_to_heap(void);

#endif
