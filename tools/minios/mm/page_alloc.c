/*
 * The page allocator: one bit per page of the first 3 GiB, set when the
 * page is not free (in use, reserved, or not RAM). Allocation searches
 * first fit from a hint that moves past the last allocation; interrupts
 * are off meanwhile, so event handlers could allocate too.
 */
#include <stdbool.h>
#include <string.h>

#include <public/start_info.h>

#include <minios/arch.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/page_alloc.h>

#define MAX_RAM (WINDOW_FIRST_GFN << PAGE_SHIFT)
#define MAX_PAGES (MAX_RAM >> PAGE_SHIFT)
#define BITS 64

/* What the builder leaves below the image: page tables and start info. */
#define BUILDER_END 0x7000

extern char __image_start[], __image_end[];

static uint64_t used[MAX_PAGES / BITS];
static unsigned long nr_pages; /* bitmap entries in use: [0, nr_pages) */
static unsigned long nr_free, nr_managed, hint;

static bool is_used(unsigned long pfn)
{
	return used[pfn / BITS] & (1ULL << (pfn % BITS));
}

static void set_range(unsigned long pfn, unsigned long n, bool use)
{
	for (; n; n--, pfn++) {
		uint64_t b = 1ULL << (pfn % BITS);

		if (use)
			used[pfn / BITS] |= b;
		else
			used[pfn / BITS] &= ~b;
	}
}

/* Keep [pa, pa + len) out of the free pages (whole pages). */
static void reserve(uint64_t pa, uint64_t len)
{
	uint64_t first = pa >> PAGE_SHIFT;
	uint64_t end = DIV_ROUND_UP(pa + len, PAGE_SIZE);

	for (uint64_t pfn = first; pfn < end && pfn < nr_pages; pfn++)
		if (!is_used(pfn)) {
			set_range(pfn, 1, true);
			nr_free--;
			nr_managed--;
		}
}

static void add_ram(uint64_t addr, uint64_t size)
{
	uint64_t first = DIV_ROUND_UP(addr, PAGE_SIZE);
	uint64_t end = (addr + size) >> PAGE_SHIFT;

	/* The files lie at the top of RAM: they would be in the window. */
	if (end > MAX_PAGES)
		panic("RAM up to %#lx: dom0's mem= must end at 3 GiB, where its "
		      "foreign-map window starts",
		      (unsigned long)(addr + size));
	for (uint64_t pfn = first; pfn < end; pfn++)
		if (is_used(pfn)) {
			set_range(pfn, 1, false);
			nr_free++;
			nr_managed++;
		}
	if (end > nr_pages)
		nr_pages = end;
}

void page_alloc_init(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)si->memmap_paddr;
	const struct hvm_modlist_entry *mods =
		(const void *)(uintptr_t)si->modlist_paddr;

	memset(used, 0xff, sizeof(used));
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			add_ram(map[i].addr, map[i].size);
	reserve(0, BUILDER_END);
	reserve((uintptr_t)__image_start, __image_end - __image_start);
	reserve((uintptr_t)si, sizeof(*si));
	reserve(si->memmap_paddr, si->memmap_entries * sizeof(*map));
	if (si->cmdline_paddr)
		reserve(si->cmdline_paddr,
			strlen((const char *)(uintptr_t)si->cmdline_paddr) + 1);
	reserve(si->modlist_paddr, si->nr_modules * sizeof(*mods));
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		reserve(mods[i].paddr, mods[i].size);
		if (mods[i].cmdline_paddr)
			reserve(mods[i].cmdline_paddr,
				strlen((const char *)(uintptr_t)mods[i]
					       .cmdline_paddr) +
					1);
	}
	if (!nr_free)
		panic("no free RAM in the memory map");
}

/* The first run of n free pages at or after from, or nr_pages. */
static unsigned long find_run(unsigned long from, unsigned long n)
{
	unsigned long run = 0;

	for (unsigned long pfn = from; pfn < nr_pages; pfn++) {
		if (is_used(pfn)) {
			run = 0;
			continue;
		}
		if (++run == n)
			return pfn + 1 - n;
	}
	return nr_pages;
}

void *alloc_pages(unsigned long n)
{
	unsigned long flags, pfn;
	void *p = NULL;

	if (!n)
		return NULL;
	flags = irq_save();
	if (n <= nr_free) {
		pfn = find_run(hint, n);
		if (pfn == nr_pages)
			pfn = find_run(0, n);
		if (pfn != nr_pages) {
			set_range(pfn, n, true);
			nr_free -= n;
			hint = pfn + n;
			p = (void *)(pfn << PAGE_SHIFT);
		}
	}
	irq_restore(flags);
	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

void free_pages(void *p, unsigned long n)
{
	unsigned long pfn = (uintptr_t)p >> PAGE_SHIFT, flags;

	if (!p)
		return;
	flags = irq_save();
	for (unsigned long i = pfn; i < pfn + n; i++)
		if (i >= nr_pages || !is_used(i))
			panic("free_pages(%p, %lu): page %lx is free", p, n, i);
	set_range(pfn, n, false);
	nr_free += n;
	irq_restore(flags);
}

unsigned long pages_free(void)
{
	return nr_free;
}

unsigned long pages_managed(void)
{
	return nr_managed;
}

uint64_t ram_end(void)
{
	return (uint64_t)nr_pages << PAGE_SHIFT;
}
