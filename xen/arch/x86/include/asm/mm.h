/* Where the frame table lives and how it is backed, for common mm code. */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <asm/page.h>

#define frame_table ((struct page_info *)FRAMETABLE_VIRT_START)

/*
 * Back [va, va + len) of the frame table with fresh zeroed memory. Both are
 * page aligned. Returns 0 or -ENOMEM; never called for a range twice.
 */
int arch_populate_frametable(unsigned long va, unsigned long len);

/* Make [spfn, epfn) reachable through __va() (memory hot-add). */
int arch_map_directmap(unsigned long spfn, unsigned long epfn);

#endif
