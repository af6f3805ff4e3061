/*
 * Host shim: machine memory and the frame table.
 *
 * Machine memory is an mmap'd arena standing for physical addresses
 * [0, SHIM_MEM_SIZE). The frame table is a reserved, inaccessible region
 * that arch_populate_frametable() makes read/write piecewise, so touching
 * a page_info whose frame-table memory was never populated crashes, as it
 * would on the real machine.
 */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <xen/compiler.h>
#include <xen/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* 4 GiB of frame-table coverage keeps static pfn bitmaps small. */
#define MAX_PFN (1UL << 20)
/* A build may size the arena to its needs (tests/bench/Makefile). */
#ifndef SHIM_MEM_SIZE
#define SHIM_MEM_SIZE (256UL << 20)
#endif

struct page_info;

extern char *shim_mem;
extern struct page_info *shim_frame_table;

#define frame_table ((struct page_info *)shim_frame_table)

/* Panics: pa lies outside the machine-memory arena. */
__noreturn void shim_bad_paddr(paddr_t pa);

static inline void *__va(paddr_t pa)
{
	if (unlikely(pa >= SHIM_MEM_SIZE))
		shim_bad_paddr(pa);
	return shim_mem + pa;
}

static inline paddr_t __pa(const void *va)
{
	return (paddr_t)((const char *)va - shim_mem);
}

int arch_populate_frametable(unsigned long va, unsigned long len);
int arch_map_directmap(unsigned long spfn, unsigned long epfn);

#endif
