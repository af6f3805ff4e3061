/*
 * The frame table and the page allocator.
 *
 * Every machine frame that is RAM has a struct page_info in the frame table,
 * at frame_table[pfn]. Whether a pfn has a valid, initialised page_info is
 * answered by pfn_valid() from a bitmap of active 2 MiB sub-sections, without
 * touching the frame table, so pfn walkers are safe against hot-add.
 */
#ifndef XEN_MM_H
#define XEN_MM_H

#include <xen/lib.h>
#include <xen/types.h>
#include <asm/mm.h>

struct domain;

/* Free-list links as 32-bit pfns, so that struct page_info stays 32 bytes. */
struct page_list_entry {
	u32 next, prev;
};

struct page_info {
	struct page_list_entry list;

	/* Reference count (PGC_count_mask) and PGC_ flags. */
	unsigned long count_info;

	union {
		/* Allocated pages: type (PGT_ bits) and type reference count */
		unsigned long type_info;
		/* Free pages: order of the buddy this page heads. */
		unsigned long free_order;
	} u;

	/* Owning domain of an allocated domheap page, else NULL. */
	struct domain *owner;
};

/* count_info: low 32 bits count references, the top bits are flags. */
#define PGC_count_width 32
#define PGC_count_mask ((1UL << PGC_count_width) - 1)
#define _PGC_allocated 63 /* the owner holds one reference */
#define PGC_allocated (1UL << _PGC_allocated)
#define _PGC_xen_heap 62
#define PGC_xen_heap (1UL << _PGC_xen_heap)
#define _PGC_need_scrub 61 /* free chunk: contents not yet zeroed */
#define PGC_need_scrub (1UL << _PGC_need_scrub)
#define PGC_state_shift 58
#define PGC_state (3UL << PGC_state_shift)
/* State 0 never occurs in an initialised page_info. */
#define PGC_state_inuse (1UL << PGC_state_shift)
#define PGC_state_free (2UL << PGC_state_shift)
#define PGC_state_reserved (3UL << PGC_state_shift) /* never in the heap */

#define page_state_is(pg, st) (((pg)->count_info & PGC_state) == PGC_state_##st)

#define PAGE_LIST_NULL 0xffffffffu

/* A list of pages linked through page_info.list (by pfn). */
struct page_list_head {
	u32 head, tail;
	unsigned long count;
};

#define PAGE_LIST_HEAD_INIT                       \
	{                                         \
		PAGE_LIST_NULL, PAGE_LIST_NULL, 0 \
	}

static inline unsigned long page_to_pfn(const struct page_info *pg)
{
	return (unsigned long)(pg - frame_table);
}

static inline struct page_info *pfn_to_page(unsigned long pfn)
{
	return frame_table + pfn;
}

static inline void *page_to_virt(const struct page_info *pg)
{
	return __va((paddr_t)page_to_pfn(pg) << PAGE_SHIFT);
}

static inline struct page_info *virt_to_page(const void *va)
{
	return pfn_to_page(__pa(va) >> PAGE_SHIFT);
}

static inline struct domain *page_get_owner(const struct page_info *pg)
{
	return pg->owner;
}

void page_list_init(struct page_list_head *h);
void page_list_add(struct page_info *pg, struct page_list_head *h);
void page_list_add_tail(struct page_info *pg, struct page_list_head *h);
void page_list_del(struct page_info *pg, struct page_list_head *h);
struct page_info *page_list_remove_head(struct page_list_head *h);
static inline bool page_list_empty(const struct page_list_head *h)
{
	return h->head == PAGE_LIST_NULL;
}

/* Frame table (common/frametable.c). */
#define SUBSECTION_PAGE_SHIFT 9 /* 2 MiB of validity per bitmap bit */
#define SUBSECTION_PAGES (1UL << SUBSECTION_PAGE_SHIFT)
#define SECTION_PAGE_SHIFT 15 /* 128 MiB of RAM per frame-table chunk */
#define SECTION_PAGES (1UL << SECTION_PAGE_SHIFT)

bool pfn_valid(unsigned long pfn);
/* First pfn >= pfn that is valid, or end if none below end. */
unsigned long next_valid_pfn(unsigned long pfn, unsigned long end);
#define for_each_valid_pfn(pfn, start, end)                     \
	for ((pfn) = next_valid_pfn(start, end); (pfn) < (end); \
	     (pfn) = next_valid_pfn((pfn) + 1, end))

/*
 * Give [spfn, epfn) (sub-section aligned) initialised page_infos and mark
 * it valid. The pages start as PGC_state_reserved: the caller hands them to
 * the heap or keeps them. Returns 0, -EINVAL, -EEXIST or -ENOMEM.
 */
int frametable_add(unsigned long spfn, unsigned long epfn);
/*
 * For the hot-add self-tests only (memory_hotadd_with_walker): when set,
 * frametable_add() of more than one sub-section calls it once the first
 * is valid and the rest not yet; mid is the first pfn not yet valid. A
 * test holds the hot-add there while a walker looks.
 */
extern void (*frametable_publish_hook)(unsigned long mid);
unsigned long max_valid_pfn(void);

/* Memory hot-add (common/memhotplug.c). */
int memory_hotplug_hold(unsigned long spfn, unsigned long epfn);
int memory_hotadd(unsigned long spfn, unsigned long epfn);
/* Held-back range [*spfn, *epfn) not yet onlined; false if none. */
bool memory_hotplug_pending(unsigned long *spfn, unsigned long *epfn);

/* Page allocator (common/page_alloc.c). */
#define MAX_ORDER 20
#define MEMF_no_scrub (1U << 0) /* caller overwrites every byte itself */
#define MEMF_no_owner (1U << 1) /* domheap page with no domain attached */

void init_heap_pages(struct page_info *pg, unsigned long nr);
struct page_info *alloc_heap_pages(unsigned int order, unsigned int memflags);
void free_heap_pages(struct page_info *pg, unsigned int order);

void *alloc_xenheap_pages(unsigned int order, unsigned int memflags);
void free_xenheap_pages(void *v, unsigned int order);
#define alloc_xenheap_page() alloc_xenheap_pages(0, 0)
#define free_xenheap_page(v) free_xenheap_pages(v, 0)

struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order,
				      unsigned int memflags);
void free_domheap_pages(struct page_info *pg, unsigned int order);
#define alloc_domheap_page(d, f) alloc_domheap_pages(d, 0, f)
#define free_domheap_page(pg) free_domheap_pages(pg, 0)
int assign_pages(struct domain *d, struct page_info *pg, unsigned int order);

unsigned long total_free_pages(void);
unsigned long total_heap_pages(void);
/* Free chunks per order, counts[0..MAX_ORDER] (for tests and reports). */
void heap_order_counts(unsigned long counts[MAX_ORDER + 1]);

/* References (only on pages owned by d; fail on overflow or free pages). */
bool __must_check get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);

#endif
