/*
 * Domains. This holds what memory management needs of struct domain; the
 * scheduler and vCPUs extend it.
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <xen/mm.h>
#include <xen/spinlock.h>

struct domain {
	domid_t domain_id;

	/* Protects page_list, tot_pages and xenheap_pages. */
	spinlock_t page_alloc_lock;
	struct page_list_head page_list;
	unsigned long tot_pages;
	unsigned long max_pages;
};

/* Initialise the memory fields of a domain being created. */
void domain_mem_init(struct domain *d, domid_t id, unsigned long max_pages);
/* Free every page the domain still owns; returns how many were freed. */
unsigned long domain_relinquish_pages(struct domain *d);

#endif
