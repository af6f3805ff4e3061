/*
 * The PVH start-of-day data (Xen's struct hvm_start_info, version 1) whose
 * guest-physical address the guest finds in EBX at entry, and accessors for
 * its command line and memory map.
 */
#ifndef XTF_START_INFO_H
#define XTF_START_INFO_H

#include <stdbool.h>
#include <stdint.h>

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr; /* NUL-terminated; 0 if none */
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries; /* version >= 1 */
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

#define XEN_HVM_MEMMAP_TYPE_RAM 1

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* The guest's command line; "" if it has none. */
const char *xtf_cmdline(void);

/*
 * The value of "key=N" on the command line (N decimal or 0x hex), or def if
 * the key is absent. A malformed value is an ERROR verdict.
 */
unsigned long cmdline_uint(const char *key, unsigned long def);

/* The memory map: *nr entries (none from a version 0 start info). */
const struct hvm_memmap_table_entry *xtf_memmap(unsigned int *nr);

/* The end of the highest RAM range of the memory map (ERROR if none). */
uint32_t xtf_ram_end(void);

/*
 * Whether guest-physical [start, end) overlaps memory the guest must not
 * overwrite: its image (code, data, stacks) or the start-of-day data (start
 * info, memory map, command line, module list, modules and their command
 * lines).
 */
bool xtf_in_use(uint64_t start, uint64_t end);

#endif /* XTF_START_INFO_H */
