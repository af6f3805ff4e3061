/*
 * The bits of an x86-64 page-table entry, in one place for every table of
 * this format: the hypervisor's own, guests' (walked in software), and
 * the NPT p2m, which is this format too.
 */
#ifndef ASM_PTE_BITS_H
#define ASM_PTE_BITS_H

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW (1UL << 1)
#define _PAGE_USER (1UL << 2)
#define _PAGE_PWT (1UL << 3)
#define _PAGE_PCD (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY (1UL << 6)
#define _PAGE_PSE (1UL << 7) /* a leaf at levels 2 and 3 */
#define _PAGE_GLOBAL (1UL << 8)
#define _PAGE_NX (1UL << 63)
/* The frame: bits 51:12. */
#define PADDR_MASK 0x000ffffffffff000UL

#endif
