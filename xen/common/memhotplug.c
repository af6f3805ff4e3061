/*
 * Memory hot-add: RAM ranges held back at boot (mem_hotplug= on the command
 * line) are brought online at run time: direct map, frame table, then the
 * heap. Walkers running meanwhile see the new pfns only once their
 * page_infos are initialised (see frametable.c).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>

#define MAX_HELD_RANGES 8

struct held_range {
	unsigned long spfn, epfn;
	bool online;
};

/* Protects held[] and serialises frametable_add() after boot. */
static DEFINE_SPINLOCK(memhotplug_lock, LR_MEMHOTPLUG);
static struct held_range held[MAX_HELD_RANGES];
static unsigned int nr_held;

int memory_hotplug_hold(unsigned long spfn, unsigned long epfn)
{
	int rc = -ENOSPC;

	if (spfn >= epfn || !IS_ALIGNED(spfn | epfn, SUBSECTION_PAGES))
		return -EINVAL;
	spin_lock(&memhotplug_lock);
	if (nr_held < MAX_HELD_RANGES) {
		held[nr_held++] = (struct held_range){ spfn, epfn, false };
		rc = 0;
	}
	spin_unlock(&memhotplug_lock);
	return rc;
}

bool memory_hotplug_pending(unsigned long *spfn, unsigned long *epfn)
{
	bool found = false;
	unsigned int i;

	spin_lock(&memhotplug_lock);
	for (i = 0; i < nr_held && !found; i++) {
		if (held[i].online)
			continue;
		*spfn = held[i].spfn;
		*epfn = held[i].epfn;
		found = true;
	}
	spin_unlock(&memhotplug_lock);
	return found;
}

int memory_hotadd(unsigned long spfn, unsigned long epfn)
{
	struct held_range *r = NULL;
	unsigned int i;
	int rc;

	spin_lock(&memhotplug_lock);
	for (i = 0; i < nr_held; i++)
		if (held[i].spfn == spfn && held[i].epfn == epfn)
			r = &held[i];
	rc = !r ? -EINVAL : r->online ? -EEXIST : 0;
	if (!rc)
		rc = arch_map_directmap(spfn, epfn);
	if (!rc)
		rc = frametable_add(spfn, epfn);
	if (!rc)
		r->online = true;
	spin_unlock(&memhotplug_lock);
	if (rc)
		return rc;

	init_heap_pages(pfn_to_page(spfn), epfn - spfn);
	printk(XENLOG_INFO "memory hot-add: pfns %lx-%lx online (%lu MiB)\n",
	       spfn, epfn - 1, (epfn - spfn) >> (20 - PAGE_SHIFT));
	return 0;
}
