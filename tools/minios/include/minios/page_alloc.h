/*
 * dom0's page allocator: a bitmap over its RAM, which must end by 3 GiB
 * (the foreign-map window starts there: more RAM is a panic), from the
 * start info's memory map minus what must stay: the first pages (the
 * builder's page tables and the start info), the kernel image, the module
 * list, and every module with its name. Runs of pages are allocated first
 * fit.
 */
#ifndef MINIOS_PAGE_ALLOC_H
#define MINIOS_PAGE_ALLOC_H

#include <stdint.h>

struct hvm_start_info;

/* Take the free RAM of si's memory map; panics if there is none. */
void page_alloc_init(const struct hvm_start_info *si);

/* malloc's table of its large blocks (after page_alloc_init). */
void malloc_init(void);

/* n contiguous pages, zeroed, or NULL. Interrupt-safe. */
void *alloc_pages(unsigned long n);
void free_pages(void *p, unsigned long n);

unsigned long pages_free(void);
/* Pages the allocator manages (free or in use). */
unsigned long pages_managed(void);
/* The end of RAM (the highest RAM address + 1, at most 3 GiB). */
uint64_t ram_end(void);

#endif /* MINIOS_PAGE_ALLOC_H */
