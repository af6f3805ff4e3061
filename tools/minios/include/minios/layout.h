/*
 * dom0's address space (docs/tools.md): virtual addresses are
 * guest-physical ones. RAM is mapped 1:1; the foreign-map window, gfns
 * [3 GiB, 4 GiB), is mapped 1:1 with 4 KiB pages, each present only while
 * another domain's frame is mapped there. Constants shared by the assembly
 * and C.
 */
#ifndef MINIOS_LAYOUT_H
#define MINIOS_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

/* The image is linked here, above the builder's page tables and start info. */
#define KERNEL_BASE 0x100000

/* Selectors of our GDT (head.S). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

/* The boot thread's stack, in .bss. */
#define BOOT_STACK_SIZE 32768

/* The event-channel upcall's vector (HVMOP_set_evtchn_upcall_vector). */
#define UPCALL_VECTOR 0xf3

/* The foreign-map window, in gfns (= virtual page numbers). */
#define WINDOW_FIRST_GFN 0xc0000UL
#define WINDOW_PAGES 0x40000UL

#endif /* MINIOS_LAYOUT_H */
