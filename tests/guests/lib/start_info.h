/*
 * Accessors for the PVH start-of-day data (struct hvm_start_info, version
 * 1, in public/start_info.h) whose guest-physical address the guest finds
 * in EBX at entry: its command line and memory map.
 */
#ifndef XTF_START_INFO_H
#define XTF_START_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include <public/start_info.h>

/* The start info itself (its flags, rsdp_paddr, ...). */
const struct hvm_start_info *xtf_start_info(void);

/* The guest's command line; "" if it has none. */
const char *xtf_cmdline(void);

/*
 * The value of "key=N" on the command line (N decimal or 0x hex), or def if
 * the key is absent. A malformed value is an ERROR verdict.
 */
unsigned long cmdline_uint(const char *key, unsigned long def);

/* The memory map: *nr entries (none from a version 0 start info). */
const struct hvm_memmap_table_entry *xtf_memmap(unsigned int *nr);

/* The start info's module list: *nr entries. */
const struct hvm_modlist_entry *xtf_modules(unsigned int *nr);

/* The end of the highest RAM range of the memory map (ERROR if none). */
uint32_t xtf_ram_end(void);

/*
 * Whether guest-physical [start, end) overlaps memory the guest must not
 * overwrite: its image (code, data, stacks) or the start-of-day data (start
 * info, memory map, command line, module list, modules and their command
 * lines).
 */
bool xtf_in_use(uint64_t start, uint64_t end);

/*
 * Whether addr is a page-aligned page of RAM (one memory map entry holds
 * all of it) that xtf_in_use() does not claim: a page a test may balloon.
 */
bool xtf_free_page(uint32_t addr);

/* The highest such page (ERROR if there is none). */
uint32_t xtf_top_free_page(void);

#endif /* XTF_START_INFO_H */
