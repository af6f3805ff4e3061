/*
 * The pages pagetest owns: every 4 KiB page the memory map lists as RAM
 * below 4 GiB that the runtime does not use (image, stacks, start-of-day
 * data; built 64-bit, the builder's page tables are not RAM in the map),
 * numbered 0 to ram_pages() - 1 in address order.
 */
#ifndef PAGETEST_RAM_H
#define PAGETEST_RAM_H

#include <stdbool.h>
#include <stdint.h>

#include <xtf.h>

/* Build the list (vCPU 0, once, before the others read it). */
void ram_init(void);
unsigned int ram_pages(void);
/* The gfn of page i (i below ram_pages()). */
uint32_t ram_gfn(unsigned int i);
/* Whether gfn is one of them (after ram_init). */
bool ram_has(uint32_t gfn);

/* Page gfn: RAM below 4 GiB is mapped 1:1 (paging off, or 64-bit). */
static inline void *gfn_page(uint32_t gfn)
{
	return (void *)((uintptr_t)gfn << PAGE_SHIFT);
}

#endif /* PAGETEST_RAM_H */
