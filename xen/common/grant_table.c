/*
 * A domain's grant table: frames of zeroed hypervisor pages, never the
 * domain's RAM (no owner, not in its reservation), so the guest maps
 * them but cannot free them. The bookkeeping page and the frames only
 * grow while the domain lives; d->physmap_lock serialises growth with
 * the mappings physmap.c makes. Readers of the frame count (query_size)
 * need no lock: the count is published after the frames it covers.
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/lib.h>

unsigned int gnttab_nr_frames(const struct domain *d)
{
	const struct grant_table *gt =
		__atomic_load_n(&d->grant_table, __ATOMIC_ACQUIRE);

	return gt ? __atomic_load_n(&gt->nr_frames, __ATOMIC_ACQUIRE) : 0;
}

struct grant_table *gnttab_of(struct domain *d)
{
	return d->grant_table;
}

static struct grant_table *table_alloc(struct domain *d)
{
	struct grant_table *gt;
	unsigned int i;

	BUILD_BUG_ON(sizeof(*gt) > PAGE_SIZE);
	gt = alloc_xenheap_page();
	if (!gt)
		return NULL;
	memset(gt, 0, sizeof(*gt));
	for (i = 0; i < GNTTAB_MAX_FRAMES; i++)
		gt->frame[i].gfn = GNTTAB_UNMAPPED;
	__atomic_store_n(&d->grant_table, gt, __ATOMIC_RELEASE);
	return gt;
}

int gnttab_grow(struct domain *d, unsigned int nr)
{
	struct grant_table *gt = d->grant_table;
	void *page;

	if (nr > GNTTAB_MAX_FRAMES)
		return -EINVAL;
	if (!nr || (gt && nr <= gt->nr_frames))
		return 0;
	if (!gt && !(gt = table_alloc(d)))
		return -ENOMEM;
	while (gt->nr_frames < nr) {
		page = alloc_xenheap_page();
		if (!page)
			return -ENOMEM;
		memset(page, 0, PAGE_SIZE);
		gt->frame[gt->nr_frames].page = page;
		__atomic_store_n(&gt->nr_frames, gt->nr_frames + 1,
				 __ATOMIC_RELEASE);
	}
	return 0;
}

void gnttab_domain_destroy(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int i;

	if (!gt)
		return;
	for (i = 0; i < gt->nr_frames; i++)
		free_xenheap_page(gt->frame[i].page);
	free_xenheap_page(gt);
	d->grant_table = NULL;
}
