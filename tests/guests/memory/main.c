/*
 * memory: the guest's usable RAM (every 4 KiB page the memory map lists as
 * RAM, below 4 GiB, except the pages of this image, its stacks and the
 * start-of-day data) is cut into one slice per vCPU. All vCPUs at once fill
 * their slice with a pattern derived from each word's address and a seed;
 * after a barrier each checks the next vCPU's slice, so every page is read by
 * a vCPU that did not write it (with 2 or more vCPUs).
 */
#include <xtf.h>

#define GiB4 (1ULL << 32)

struct page_iter {
	const struct hvm_memmap_table_entry *entry, *end;
	uint64_t pa, stop; /* the rest of the current entry's pages */
};

static uint32_t seed;
static unsigned int pages_checked;

static void page_iter_init(struct page_iter *it)
{
	unsigned int nr;

	it->entry = xtf_memmap(&nr);
	it->end = it->entry + nr;
	it->pa = it->stop = 0;
}

/* Every vCPU sees the same pages in the same order. */
static bool next_page(struct page_iter *it, uint32_t *pa)
{
	for (;;) {
		uint64_t p;

		while (it->pa >= it->stop) {
			const struct hvm_memmap_table_entry *e = it->entry;

			if (e == it->end)
				return false;
			if (e->type == XEN_HVM_MEMMAP_TYPE_RAM) {
				it->pa = (e->addr + PAGE_SIZE - 1) &
					 ~(uint64_t)(PAGE_SIZE - 1);
				it->stop = (e->addr + e->size) &
					   ~(uint64_t)(PAGE_SIZE - 1);
				if (it->stop > GiB4) /* paging is off */
					it->stop = GiB4;
			}
			it->entry++;
		}
		p = it->pa;
		it->pa += PAGE_SIZE;
		if (!xtf_in_use(p, p + PAGE_SIZE)) {
			*pa = p;
			return true;
		}
	}
}

static unsigned int count_pages(void)
{
	struct page_iter it;
	unsigned int nr = 0;
	uint32_t pa;

	page_iter_init(&it);
	while (next_page(&it, &pa))
		nr++;
	return nr;
}

/* Distinct for distinct words: multiplying by an odd number is a bijection. */
static uint32_t pattern(uint32_t addr)
{
	return addr * 0x9e3779b1u ^ seed;
}

static void fill_page(uint32_t pa)
{
	uint32_t *p = (uint32_t *)pa;

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		p[i] = pattern(pa + 4 * i);
}

static void check_page(uint32_t pa, unsigned int writer, unsigned int vcpu)
{
	const uint32_t *p = (const uint32_t *)pa;

	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		if (p[i] != pattern(pa + 4 * i))
			xtf_failure(
				"0x%08x holds 0x%08x, expected 0x%08x (written by vCPU %u, checked by vCPU %u)",
				pa + 4 * i, p[i], pattern(pa + 4 * i), writer,
				vcpu);
}

/* Fill or check slice `slice` (written by vCPU `slice`); pages done. */
static unsigned int do_slice(unsigned int slice, unsigned int nr_slices,
			     unsigned int total, unsigned int vcpu, bool fill)
{
	unsigned int first = slice * total / nr_slices;
	unsigned int end = (slice + 1) * total / nr_slices;
	struct page_iter it;
	unsigned int idx;
	uint32_t pa;

	page_iter_init(&it);
	for (idx = 0; idx < end && next_page(&it, &pa); idx++) {
		if (idx < first)
			continue;
		if (fill)
			fill_page(pa);
		else
			check_page(pa, slice, vcpu);
	}
	return end - first;
}

void test_main(unsigned int vcpu)
{
	unsigned int nr = xtf_nr_vcpus();
	unsigned int total = count_pages();

	if (vcpu >= nr)
		xtf_error(
			"vCPU %u is running, but the command line says vcpus=%u",
			vcpu, nr);
	if (vcpu == 0) {
		if (!total)
			xtf_error("no usable RAM in the memory map");
		seed = (uint32_t)rdtsc();
		printf("memory: %u pages (%u KiB) on %u vCPU%s, seed 0x%08x\n",
		       total, total * (PAGE_SIZE / 1024), nr, nr > 1 ? "s" : "",
		       seed);
	}
	xtf_barrier(nr); /* seed published */
	do_slice(vcpu, nr, total, vcpu, true);
	xtf_barrier(nr);
	/* The next vCPU's slice; with one vCPU, its own is all there is. */
	atomic_add_return(&pages_checked,
			  do_slice((vcpu + 1) % nr, nr, total, vcpu, false));
	xtf_barrier(nr);
	if (vcpu)
		return;
	if (pages_checked != total)
		xtf_error("checked %u pages of %u", pages_checked, total);
	printf("memory: checked %u pages, %s\n", pages_checked,
	       nr > 1 ? "each by a vCPU other than its writer" :
			"by their only vCPU");
	xtf_success();
}
