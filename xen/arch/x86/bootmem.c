/*
 * The boot-time page allocator: hands out pages from RAM between 1 MiB and
 * 4 GiB (reachable through the boot page tables) until the heap exists,
 * then gives everything it did not hand out to the heap.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/bootinfo.h>
#include <asm/page.h>

#define BOOTMEM_LOW (1UL << 20)
#define BOOTMEM_HIGH (1UL << 32)

static struct mem_range avail[MAX_MEM_RANGES * 2];
static unsigned int nr_avail;
static bool released;

void bootmem_init(void)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_ram; i++) {
		paddr_t s = max(boot_info.ram[i].start, BOOTMEM_LOW);
		paddr_t e = boot_info.ram[i].end;

		if (s < e)
			avail[nr_avail++] = (struct mem_range){ s, e };
	}
}

void bootmem_reserve(paddr_t start, paddr_t end)
{
	unsigned int i;

	start = ROUNDDOWN(start, PAGE_SIZE);
	end = ROUNDUP(end, PAGE_SIZE);
	for (i = 0; i < nr_avail; i++) {
		struct mem_range *r = &avail[i];

		if (end <= r->start || start >= r->end)
			continue;
		if (start > r->start && end < r->end) {
			/* Split: keep the upper part as a new range. */
			if (nr_avail == ARRAY_SIZE(avail))
				panic("bootmem: too many ranges\n");
			avail[nr_avail++] = (struct mem_range){ end, r->end };
			r->end = start;
		} else if (start > r->start) {
			r->end = start;
		} else {
			r->start = min(end, r->end);
		}
	}
}

paddr_t bootmem_alloc(unsigned long nr)
{
	paddr_t size = (paddr_t)nr << PAGE_SHIFT;
	unsigned int i;

	ASSERT(!released);
	/* Take from the top of the highest range below 4 GiB. */
	for (i = nr_avail; i-- > 0;) {
		struct mem_range *r = &avail[i];
		paddr_t top = min(r->end, BOOTMEM_HIGH);

		if (top < r->start + size)
			continue;
		if (top == r->end)
			r->end -= size;
		else
			bootmem_reserve(top - size, top);
		memset(__va(top - size), 0, size);
		return top - size;
	}
	panic("bootmem: out of memory allocating %lu pages\n", nr);
}

void bootmem_release_to_heap(void)
{
	unsigned int i;

	released = true;
	for (i = 0; i < nr_avail; i++) {
		unsigned long s = avail[i].start >> PAGE_SHIFT;
		unsigned long e = avail[i].end >> PAGE_SHIFT;

		if (s < e)
			init_heap_pages(pfn_to_page(s), e - s);
	}
}
