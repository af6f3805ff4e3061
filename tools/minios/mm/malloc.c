/*
 * malloc and friends over the page allocator:
 *
 *  - small blocks (up to 1 KiB, rounded up to a power of two from 16)
 *    come from slab pages of one size each: a header, then equal chunks,
 *    so a small block is never page-aligned. A slab page keeps its own
 *    free list and is on its class's list while it has a free chunk; it
 *    goes back to the page allocator once all its chunks are free.
 *  - larger blocks take whole pages and start on a page: a 4096-byte
 *    block (a page copy, as xenpaging's store keeps) costs one page. Their
 *    length in pages is kept out of line, in large_pages[] by first page.
 *
 * Interrupts are off while the lists change. Results are 16-byte aligned.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <minios/arch.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/list.h>
#include <minios/page_alloc.h>

#define MAGIC_SLAB 0x51ab51abU
#define MIN_SHIFT 4
#define MAX_SHIFT 10
#define NR_CLASSES (MAX_SHIFT - MIN_SHIFT + 1)

/* A slab page's header. */
struct page_header {
	uint32_t magic;
	uint32_t shift; /* chunk size 1 << shift */
	struct list_head partial; /* on its class's list */
	void *free_list; /* free chunks, linked through their first word */
	unsigned int in_use; /* chunks handed out */
	unsigned int pad;
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct page_header) % 16 == 0, "header keeps alignment");

/* Per class, the slab pages with a free chunk (set up at first use). */
static struct list_head partial[NR_CLASSES];
/*
 * Per page of RAM (malloc_init()): the pages of the large block that
 * starts there, 0 if none does.
 */
static uint32_t *large_pages;
static unsigned long nr_ram_pages;

static struct page_header *header_of(const void *p)
{
	return (struct page_header *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
}

static unsigned int shift_for(size_t size)
{
	unsigned int shift = MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return shift;
}

static struct page_header *new_slab(unsigned int shift)
{
	struct page_header *h = alloc_pages(1);
	size_t size = 1UL << shift;

	if (!h)
		return NULL;
	h->magic = MAGIC_SLAB;
	h->shift = shift;
	for (uintptr_t c = (uintptr_t)h + PAGE_SIZE - size;
	     c >= (uintptr_t)h + sizeof(*h); c -= size) {
		*(void **)c = h->free_list;
		h->free_list = (void *)c;
	}
	return h;
}

static void *alloc_small(size_t size)
{
	unsigned int shift = shift_for(size), cls = shift - MIN_SHIFT;
	struct list_head *l = &partial[cls];
	struct page_header *h;
	void *p;

	if (!l->next)
		list_init(l);
	if (list_empty(l)) {
		h = new_slab(shift);
		if (!h)
			return NULL;
		list_add(&h->partial, l);
	}
	h = list_first_entry(l, struct page_header, partial);
	p = h->free_list;
	h->free_list = *(void **)p;
	h->in_use++;
	if (!h->free_list)
		list_del(&h->partial);
	return p;
}

static void free_small(struct page_header *h, void *p)
{
	bool was_full = !h->free_list;

	*(void **)p = h->free_list;
	h->free_list = p;
	h->in_use--;
	if (!h->in_use) {
		list_del(&h->partial);
		free_pages(h, 1);
	} else if (was_full) {
		list_add(&h->partial, &partial[h->shift - MIN_SHIFT]);
	}
}

void malloc_init(void)
{
	unsigned long n;

	nr_ram_pages = ram_end() >> PAGE_SHIFT;
	n = DIV_ROUND_UP(nr_ram_pages * sizeof(*large_pages), PAGE_SIZE);
	large_pages = alloc_pages(n);
	if (!large_pages)
		panic("no memory for malloc's table of %lu pages", n);
}

static void *alloc_large(size_t size)
{
	unsigned long n = DIV_ROUND_UP(size, PAGE_SIZE);
	void *p;

	if (n > UINT32_MAX)
		return NULL;
	p = alloc_pages(n);
	if (p)
		large_pages[(uintptr_t)p >> PAGE_SHIFT] = (uint32_t)n;
	return p;
}

/* The pages of the large block at p: panics if p is not one. */
static uint32_t *large_entry(const void *p, const char *fn)
{
	unsigned long pfn = (uintptr_t)p >> PAGE_SHIFT;

	if (pfn >= nr_ram_pages || !large_pages[pfn])
		panic("%s(%p): not a block malloc gave", fn, p);
	return &large_pages[pfn];
}

void *malloc(size_t size)
{
	unsigned long flags;
	void *p;

	if (size > (1UL << 40)) {
		errno = ENOMEM;
		return NULL;
	}
	flags = irq_save();
	p = size <= (1UL << MAX_SHIFT) ? alloc_small(size) : alloc_large(size);
	irq_restore(flags);
	if (!p)
		errno = ENOMEM;
	return p;
}

static bool is_large(const void *p)
{
	return !((uintptr_t)p % PAGE_SIZE);
}

static struct page_header *checked_slab(void *p, const char *fn)
{
	struct page_header *h = header_of(p);

	if (h->magic != MAGIC_SLAB)
		panic("%s(%p): not a block malloc gave", fn, p);
	return h;
}

/* The usable size of p's block. */
static size_t block_size(void *p)
{
	if (is_large(p))
		return *large_entry(p, "realloc") * PAGE_SIZE;
	return 1UL << checked_slab(p, "realloc")->shift;
}

void free(void *p)
{
	unsigned long flags;

	if (!p)
		return;
	flags = irq_save();
	if (is_large(p)) {
		uint32_t *n = large_entry(p, "free");

		free_pages(p, *n);
		*n = 0;
	} else {
		free_small(checked_slab(p, "free"), p);
	}
	irq_restore(flags);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(size);
	if (!size) {
		free(p);
		return NULL;
	}
	old = block_size(p);
	if (size <= old)
		return p;
	q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	free(p);
	return q;
}
