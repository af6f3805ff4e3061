/* x86-64 page-table entries for the hypervisor's own address space. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <xen/types.h>
#include <asm/page.h>
#include <asm/pte-bits.h>

#define PAGE_HYPERVISOR_RW \
	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define PAGE_HYPERVISOR_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_HYPERVISOR_RX (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PAGE_HYPERVISOR_UC (PAGE_HYPERVISOR_RW | _PAGE_PCD | _PAGE_PWT)

typedef u64 pte_t;

/* The page tables every CPU runs on outside guests. */
extern pte_t idle_pg_table[512];

/*
 * Map nr 4 KiB pages at va to pa with flags (PAGE_HYPERVISOR_*), using
 * 2 MiB mappings where va, pa and the remaining length allow and
 * allow_super is set. Returns 0 or -ENOMEM (partial mappings stay).
 */
int map_pages_to_xen(unsigned long va, paddr_t pa, unsigned long nr, u64 flags,
		     bool allow_super);
/* Remove nr 4 KiB mappings at va (this CPU's TLB flushed, no others). */
void unmap_pages_from_xen(unsigned long va, unsigned long nr);
/* Physical address va maps to in idle_pg_table, or ~0 if unmapped. */
paddr_t xen_va_to_pa(unsigned long va);

/* Build the final page tables and switch to them (boot CPU, once). */
void paging_init(void);
/* From now on page tables come from the heap, not the boot allocator. */
void paging_heap_ready(void);
/* Uncached mapping of MMIO [pa, pa + size) in the ioremap area. */
void *ioremap(paddr_t pa, size_t size);

#endif
