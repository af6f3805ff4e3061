/*
 * The p2m core: creation and teardown, argument and type-transition
 * checks around the backend's set_entry, the notifier chain, foreign
 * references.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include "backend.h"
#include <xen/sched.h>

/* Highest gfn count a p2m may cover: 48-bit guest-physical space. */
#define P2M_MAX_GFN (1UL << 36)

static unsigned int next_lock_id;

static struct page_info *default_alloc_table(struct p2m_domain *p2m)
{
	return alloc_domheap_page(NULL, MEMF_no_owner);
}

static void default_free_table(struct p2m_domain *p2m, struct page_info *pg)
{
	free_domheap_page(pg);
}

void p2m_flush_hw(struct p2m_domain *p2m)
{
	__atomic_fetch_add(&p2m->nr_flushes, 1, __ATOMIC_SEQ_CST);
	if (p2m->flush_cpus)
		p2m->flush_cpus(p2m);
}

const struct p2m_backend_ops *p2m_backend(enum p2m_format format)
{
	return format == P2M_FORMAT_EPT ? &p2m_ept_ops : &p2m_npt_ops;
}

/* The first secondary user: hardware TLBs (one flush per notification). */
static void flush_hw_tlbs(struct p2m_notifier *n, struct p2m_domain *p2m,
			  gfn_t first, unsigned long nr, enum p2m_change why)
{
	p2m->ops->flush(p2m);
}

static unsigned int bytes_order(unsigned long bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int p2m_init_sparse(struct p2m_domain *p2m, struct domain *d,
		    const struct p2m_backend_ops *ops, unsigned long max_gfn,
		    unsigned long dense_gfns)
{
	unsigned long lock_bytes = p2m_lock_bytes(dense_gfns);
	int rc;

	if (!dense_gfns || dense_gfns > max_gfn || max_gfn > P2M_MAX_GFN)
		return -EINVAL;
	*p2m = (struct p2m_domain){
		.domain = d,
		.ops = ops,
		.max_gfn = max_gfn,
		.lock_id =
			__atomic_fetch_add(&next_lock_id, 1, __ATOMIC_RELAXED),
		.global_writer_cpu = SPINLOCK_NO_CPU,
		.range_debug = { .name = "p2m_range",
				 .rank = LR_P2M_RANGE,
				 .ordered = true },
		.alloc_table = default_alloc_table,
		.free_table = default_free_table,
		.root = INVALID_MFN,
		.accessed_bits = ops->fmt && ops->fmt->accessed_bit,
	};
	spin_lock_init(&p2m->global_writer, "p2m_global", LR_P2M_GLOBAL);
	p2m_lock_words_init(p2m, dense_gfns);

	p2m->range_locks = alloc_xenheap_pages(bytes_order(lock_bytes), 0);
	p2m->readers = alloc_xenheap_pages(
		bytes_order(NR_CPUS * sizeof(*p2m->readers)), 0);
	if (!p2m->range_locks || !p2m->readers) {
		rc = -ENOMEM;
		goto fail;
	}
	memset(p2m->range_locks, 0, lock_bytes);
	memset(p2m->readers, 0, NR_CPUS * sizeof(*p2m->readers));

	rc = ops->init(p2m);
	if (rc)
		goto fail;
	p2m->hw_tlb_notifier.fn = flush_hw_tlbs;
	p2m->notifiers = &p2m->hw_tlb_notifier;
	return 0;

fail:
	free_xenheap_pages(p2m->range_locks, bytes_order(lock_bytes));
	free_xenheap_pages(p2m->readers,
			   bytes_order(NR_CPUS * sizeof(*p2m->readers)));
	return rc;
}

int p2m_init(struct p2m_domain *p2m, struct domain *d,
	     const struct p2m_backend_ops *ops, unsigned long max_gfn)
{
	return p2m_init_sparse(p2m, d, ops, max_gfn, max_gfn);
}

/* The bytes p2m_init_sparse() allocated for the range-lock table. */
static unsigned long table_lock_bytes(const struct p2m_domain *p2m)
{
	return p2m_lock_bytes(p2m->nr_ranges << PAGE_ORDER_2M);
}

void p2m_teardown(struct p2m_domain *p2m)
{
	p2m_global_lock(p2m);
	p2m->ops->teardown(p2m);
	p2m_global_unlock(p2m);
	if (p2m->nr_tables)
		panic("p2m teardown leaked %lu table pages\n", p2m->nr_tables);
	free_xenheap_pages(p2m->range_locks,
			   bytes_order(table_lock_bytes(p2m)));
	free_xenheap_pages(p2m->readers,
			   bytes_order(NR_CPUS * sizeof(*p2m->readers)));
	p2m->range_locks = NULL;
	p2m->readers = NULL;
}

void p2m_register_notifier(struct p2m_domain *p2m, struct p2m_notifier *n)
{
	p2m_global_lock(p2m);
	n->next = p2m->notifiers;
	p2m->notifiers = n;
	p2m_global_unlock(p2m);
}

void p2m_unregister_notifier(struct p2m_domain *p2m, struct p2m_notifier *n)
{
	struct p2m_notifier **pp;

	p2m_global_lock(p2m);
	for (pp = &p2m->notifiers; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	p2m_global_unlock(p2m);
}

/*
 * The batch whose entry changes this CPU is making (p2m_set_entry_batched,
 * under the range lock, so the CPU cannot change meanwhile), or NULL.
 */
static DEFINE_PER_CPU(struct p2m_batch *, open_batch);

void p2m_notify(struct p2m_domain *p2m, gfn_t first, unsigned long nr,
		enum p2m_change why)
{
	struct p2m_batch *b = this_cpu(open_batch);
	struct p2m_notifier *n;

	if (b && b->p2m == p2m && why == P2M_CHANGE_ENTRY) {
		unsigned long last = gfn_x(first) + nr - 1;

		if (!b->pending || gfn_x(first) < b->first)
			b->first = gfn_x(first);
		if (!b->pending || last > b->last)
			b->last = last;
		b->pending = true;
		return;
	}

	for (n = p2m->notifiers; n; n = n->next)
		n->fn(n, p2m, first, nr, why);
	__atomic_fetch_add(&p2m->change_seq, 1, __ATOMIC_RELEASE);
}

void p2m_leaf_removed(struct p2m_domain *p2m, mfn_t mfn, p2m_type_t t)
{
	/* The reference taken when the foreign entry was made. */
	if (t == p2m_map_foreign)
		put_page(pfn_to_page(mfn_x(mfn)));
}

/* Check that every entry in the range may become type t. */
static int check_transitions(struct p2m_domain *p2m, gfn_t gfn,
			     unsigned long nr, p2m_type_t t)
{
	unsigned long g = gfn_x(gfn), end = g + nr;

	while (g < end) {
		p2m_type_t old;
		p2m_access_t a;
		unsigned int order;

		p2m->ops->get_entry(p2m, _gfn(g), &old, &a, &order);
		if (!p2m_transition_ok(old, t))
			return -EINVAL;
		g = (g | ((1UL << order) - 1)) + 1;
	}
	return 0;
}

static bool valid_order(unsigned int order)
{
	return order == PAGE_ORDER_4K || order == PAGE_ORDER_2M ||
	       order == PAGE_ORDER_1G;
}

/* Take the reference a foreign entry holds on another domain's page. */
static int get_foreign_ref(struct p2m_domain *p2m, mfn_t mfn)
{
	struct page_info *pg;
	struct domain *owner;

	if (!pfn_valid(mfn_x(mfn)))
		return -EINVAL;
	pg = pfn_to_page(mfn_x(mfn));
	owner = page_get_owner(pg);
	if (!owner || owner == p2m->domain || !get_page(pg, owner))
		return -EINVAL;
	return 0;
}

int p2m_set_entry_batched(struct p2m_batch *b, gfn_t gfn, mfn_t mfn,
			  unsigned int order, p2m_type_t t, p2m_access_t a)
{
	int rc;

	/* Emptying entries may free a table, which needs the flush first. */
	if (t == p2m_invalid || p2m_type_has_mfn(t))
		return -EINVAL;
	p2m_lock_range(b->p2m, gfn, order);
	this_cpu(open_batch) = b;
	rc = p2m_set_entry(b->p2m, gfn, mfn, order, t, a);
	this_cpu(open_batch) = NULL;
	p2m_unlock_range(b->p2m, gfn, order);
	return rc;
}

void p2m_batch_flush(struct p2m_batch *b)
{
	if (!b->pending)
		return;
	b->pending = false;
	p2m_notify(b->p2m, _gfn(b->first), b->last - b->first + 1,
		   P2M_CHANGE_ENTRY);
}

int p2m_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
		  unsigned int order, p2m_type_t t, p2m_access_t a)
{
	unsigned long nr;
	int rc;

	if (!valid_order(order))
		return -EINVAL;
	nr = 1UL << order;
	if (t >= p2m_nr_types || a > p2m_access_rwx ||
	    !IS_ALIGNED(gfn_x(gfn), nr) || gfn_x(gfn) >= p2m->max_gfn ||
	    p2m->max_gfn - gfn_x(gfn) < nr)
		return -EINVAL;
	if (p2m_type_has_mfn(t)) {
		if (!mfn_valid_raw(mfn) || !IS_ALIGNED(mfn_x(mfn), nr) ||
		    mfn_x(mfn) >= MAX_PFN)
			return -EINVAL;
	} else {
		mfn = INVALID_MFN;
	}
	/* Foreign and grant entries are single pages (one reference each) */
	if ((t == p2m_map_foreign || t == p2m_grant_map_rw ||
	     t == p2m_grant_map_ro) &&
	    order != PAGE_ORDER_4K)
		return -EINVAL;
	if (t == p2m_map_foreign && get_foreign_ref(p2m, mfn))
		return -EINVAL;

	p2m_lock_range(p2m, gfn, order);
	rc = check_transitions(p2m, gfn, nr, t);
	if (!rc) {
		p2m_holds_take_refs(p2m, gfn, nr);
		rc = p2m->ops->set_entry(p2m, gfn, mfn, order, t, a);
	}
	p2m_unlock_range(p2m, gfn, order);

	if (rc && t == p2m_map_foreign)
		put_page(pfn_to_page(mfn_x(mfn)));
	return rc;
}

int p2m_change_type_global(struct p2m_domain *p2m, p2m_type_t from,
			   p2m_type_t to)
{
	/* Only re-typing of frames in place: nothing gained or lost. */
	if (from == to || !p2m_transition_ok(from, to) ||
	    !p2m_type_has_mfn(from) || !p2m_type_has_mfn(to) ||
	    from == p2m_map_foreign || to == p2m_map_foreign)
		return -EINVAL;
	p2m_global_lock(p2m);
	p2m->ops->change_type_global(p2m, from, to);
	p2m_global_unlock(p2m);
	return 0;
}
