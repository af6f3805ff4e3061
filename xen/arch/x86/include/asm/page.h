/*
 * Page sizes and the hypervisor's virtual memory layout.
 *
 *   0xffff82c000000000  ioremap area (uncached MMIO mappings)   1 GiB
 *   0xffff82d000000000  stacks with guard pages (asm/stack.h)   64 MiB
 *   0xffff82e000000000  frame table (struct page_info per pfn)  8 GiB
 *   0xffff830000000000  direct map of RAM (and low 4 GiB)       1 TiB
 *   0xffffffff80000000  the hypervisor image (phys + this)      1 GiB
 *
 * Everything below 0xffff800000000000 is unmapped once boot is done, except
 * the AP trampoline page, which is identity mapped for CPU bring-up.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (_UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define MAX_PHYS_BITS 40
#define MAX_PFN (_UL(1) << (MAX_PHYS_BITS - PAGE_SHIFT))

#define IOREMAP_VIRT_START _UL(0xffff82c000000000)
#define IOREMAP_SIZE (_UL(1) << 30)
#define STACK_AREA_VIRT_START _UL(0xffff82d000000000)
#define STACK_AREA_SIZE (_UL(64) << 20)
#define FRAMETABLE_VIRT_START _UL(0xffff82e000000000)
#define DIRECTMAP_VIRT_START _UL(0xffff830000000000)
#define DIRECTMAP_SIZE (_UL(1) << MAX_PHYS_BITS)
#define XEN_VIRT_START _UL(0xffffffff80000000)

#ifndef __ASSEMBLY__
#include <xen/types.h>

static inline void *__va(paddr_t pa)
{
	return (void *)(pa + DIRECTMAP_VIRT_START);
}

static inline paddr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	if (v >= XEN_VIRT_START)
		return v - XEN_VIRT_START;
	return v - DIRECTMAP_VIRT_START;
}
#endif

#endif
