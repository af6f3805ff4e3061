/*
 * Four levels, one PML4 entry: the PDPT's entries 0-2 point at page
 * directories mapping RAM with 2 MiB pages (the first 2 MiB with a page
 * table of 4 KiB pages, page 0 absent), entry 3 at the window's page
 * directory, whose page tables come from the page allocator when a
 * window gfn in their 2 MiB is first mapped.
 */
#include <stddef.h>

#include <public/errno.h>

#include <minios/arch.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/page_alloc.h>
#include <minios/paging.h>

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define ENTRIES 512
#define SIZE_2M (1ULL << 21)
#define SIZE_1G (1ULL << 30)
#define RAM_PDS 3 /* RAM lies below 3 GiB, the window above */

typedef uint64_t pte_t;

static pte_t pml4[ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t pdpt[ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t ram_pd[RAM_PDS][ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t low_pt[ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t window_pd[ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static unsigned int window_tables;

static pte_t table(const void *t)
{
	return (uintptr_t)t | PTE_P | PTE_RW;
}

void paging_init(uint64_t ram_end)
{
	pml4[0] = table(pdpt);
	for (unsigned int i = 0; i < RAM_PDS; i++)
		pdpt[i] = table(ram_pd[i]);
	pdpt[RAM_PDS] = table(window_pd);
	for (unsigned int i = 1; i < ENTRIES; i++)
		low_pt[i] = ((uint64_t)i << PAGE_SHIFT) | PTE_P | PTE_RW;
	ram_pd[0][0] = table(low_pt);
	for (uint64_t pa = SIZE_2M; pa < ram_end; pa += SIZE_2M)
		ram_pd[pa / SIZE_1G][(pa / SIZE_2M) % ENTRIES] =
			pa | PTE_P | PTE_RW | PTE_PS;
	write_cr3((uintptr_t)pml4);
}

static pte_t *window_pte(unsigned long gfn, bool alloc)
{
	unsigned long i = gfn - WINDOW_FIRST_GFN;
	pte_t *pde = &window_pd[i / ENTRIES];

	if (!(*pde & PTE_P)) {
		void *pt;

		if (!alloc)
			return NULL;
		pt = alloc_pages(1);
		if (!pt)
			return NULL;
		*pde = table(pt);
		window_tables++;
	}
	return (pte_t *)(uintptr_t)(*pde & ~0xfffULL) + i % ENTRIES;
}

int paging_window_map(unsigned long gfn)
{
	pte_t *pte = window_pte(gfn, true);

	if (!pte)
		return -XEN_ENOMEM;
	*pte = ((uint64_t)gfn << PAGE_SHIFT) | PTE_P | PTE_RW;
	return 0;
}

void paging_window_unmap(unsigned long gfn)
{
	pte_t *pte = window_pte(gfn, false);

	if (!pte)
		return;
	*pte = 0;
	invlpg((void *)(gfn << PAGE_SHIFT));
}

bool paging_window_mapped(unsigned long gfn)
{
	pte_t *pte = window_pte(gfn, false);

	return pte && (*pte & PTE_P);
}

unsigned int paging_window_tables(void)
{
	return window_tables;
}
