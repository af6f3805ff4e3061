/* Doubly linked page lists, linked by pfn through page_info.list. */
#include <xen/mm.h>

void page_list_init(struct page_list_head *h)
{
	*h = (struct page_list_head)PAGE_LIST_HEAD_INIT;
}

void page_list_add(struct page_info *pg, struct page_list_head *h)
{
	u32 pfn = (u32)page_to_pfn(pg);

	pg->list.prev = PAGE_LIST_NULL;
	pg->list.next = h->head;
	if (h->head == PAGE_LIST_NULL)
		h->tail = pfn;
	else
		pfn_to_page(h->head)->list.prev = pfn;
	h->head = pfn;
	h->count++;
}

void page_list_add_tail(struct page_info *pg, struct page_list_head *h)
{
	u32 pfn = (u32)page_to_pfn(pg);

	pg->list.next = PAGE_LIST_NULL;
	pg->list.prev = h->tail;
	if (h->tail == PAGE_LIST_NULL)
		h->head = pfn;
	else
		pfn_to_page(h->tail)->list.next = pfn;
	h->tail = pfn;
	h->count++;
}

void page_list_del(struct page_info *pg, struct page_list_head *h)
{
	u32 next = pg->list.next, prev = pg->list.prev;

	if (prev == PAGE_LIST_NULL)
		h->head = next;
	else
		pfn_to_page(prev)->list.next = next;
	if (next == PAGE_LIST_NULL)
		h->tail = prev;
	else
		pfn_to_page(next)->list.prev = prev;
	pg->list.next = pg->list.prev = PAGE_LIST_NULL;
	h->count--;
}

struct page_info *page_list_remove_head(struct page_list_head *h)
{
	struct page_info *pg;

	if (page_list_empty(h))
		return NULL;
	pg = pfn_to_page(h->head);
	page_list_del(pg, h);
	return pg;
}
