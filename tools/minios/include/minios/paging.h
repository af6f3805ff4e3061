/*
 * dom0's page tables: RAM mapped 1:1 (page 0 left out, so a NULL
 * dereference faults), and the foreign-map window [3 GiB, 4 GiB) mapped
 * 1:1 with 4 KiB entries that are present only while a foreign frame is
 * mapped at that gfn (a stray access faults in dom0 rather than in the
 * hypervisor's p2m). The window's page tables are allocated as needed
 * and kept.
 */
#ifndef MINIOS_PAGING_H
#define MINIOS_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Build the tables for RAM [0, ram_end) and switch to them. */
void paging_init(uint64_t ram_end);

/* Make window gfn present (0, or -XEN_ENOMEM without a page table page). */
int paging_window_map(unsigned long gfn);
void paging_window_unmap(unsigned long gfn);
bool paging_window_mapped(unsigned long gfn);
/* Page-table pages the window has taken (kept for later mappings). */
unsigned int paging_window_tables(void);

#endif /* MINIOS_PAGING_H */
