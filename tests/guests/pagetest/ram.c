#include <xtf.h>

#include "ram.h"

#define GiB4 (1ULL << 32)
/* Runs of usable pages: RAM ranges cut by the pieces the runtime uses. */
#define MAX_RUNS 64

static struct run {
	uint32_t gfn, nr, first; /* first: index of its first page */
} runs[MAX_RUNS];
static unsigned int nr_runs, nr_pages;

static void add_page(uint32_t gfn)
{
	if (nr_runs && runs[nr_runs - 1].gfn + runs[nr_runs - 1].nr == gfn) {
		runs[nr_runs - 1].nr++;
	} else {
		if (nr_runs == MAX_RUNS)
			xtf_error("pagetest: RAM in more than %u pieces",
				  MAX_RUNS);
		runs[nr_runs++] = (struct run){ gfn, 1, nr_pages };
	}
	nr_pages++;
}

void ram_init(void)
{
	unsigned int nr;
	const struct hvm_memmap_table_entry *e = xtf_memmap(&nr);

	for (; nr--; e++) {
		uint64_t pa = (e->addr + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1ULL);
		uint64_t end = (e->addr + e->size) & ~(PAGE_SIZE - 1ULL);

		/* A 64-bit guest's page tables are not RAM in the map. */
		if (e->type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		if (end > GiB4) /* paging off, or 64-bit's 1:1 map of RAM */
			end = GiB4;
		for (; pa < end; pa += PAGE_SIZE)
			if (!xtf_in_use(pa, pa + PAGE_SIZE))
				add_page(pa >> PAGE_SHIFT);
	}
	if (!nr_pages)
		xtf_error("pagetest: no usable RAM in the memory map");
}

unsigned int ram_pages(void)
{
	return nr_pages;
}

uint32_t ram_gfn(unsigned int i)
{
	unsigned int lo = 0, hi = nr_runs;

	/* The last run whose first page is at or below i. */
	while (hi - lo > 1) {
		unsigned int mid = (lo + hi) / 2;

		if (runs[mid].first <= i)
			lo = mid;
		else
			hi = mid;
	}
	return runs[lo].gfn + (i - runs[lo].first);
}

bool ram_has(uint32_t gfn)
{
	for (unsigned int i = 0; i < nr_runs; i++)
		if (gfn - runs[i].gfn < runs[i].nr)
			return true;
	return false;
}
