/*
 * The generic page-table engine behind the NPT and EPT backends (and later
 * the shadow backend): four levels of 512 entries, leaves at levels 3
 * (1 GiB), 2 (2 MiB) and 1 (4 KiB). The format (struct pt_format) supplies
 * the hardware bits; the engine keeps the p2m type and access of every
 * leaf in software bits 52-58, so a lookup never needs a side table.
 *
 * Entry encoding: 0 is empty; an entry whose type field is non-zero is a
 * leaf (present or not, e.g. PoD or paged); anything else points to the
 * next table. Entries are always written with one 64-bit store, and a new
 * table is complete before it is linked in.
 *
 * Callers hold the p2m lock covering the entries (see lock.c).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include "backend.h"
#include "conformance.h"

#define PT_ENTRIES 512
#define SW_TYPE_SHIFT 52
#define SW_TYPE_MASK (0xfUL << SW_TYPE_SHIFT)
#define SW_ACCESS_SHIFT 56
#define SW_ACCESS_MASK (0x7UL << SW_ACCESS_SHIFT)

typedef u64 pte;

static unsigned int level_order(unsigned int level)
{
	return (level - 1) * PAGE_ORDER_2M;
}

static unsigned int index_at(gfn_t gfn, unsigned int level)
{
	return (gfn_x(gfn) >> level_order(level)) & (PT_ENTRIES - 1);
}

static pte *table_of(mfn_t mfn)
{
	return __va((paddr_t)mfn_x(mfn) << PAGE_SHIFT);
}

static p2m_type_t e_type(pte e)
{
	return (p2m_type_t)((e & SW_TYPE_MASK) >> SW_TYPE_SHIFT);
}

static p2m_access_t e_access(pte e)
{
	return (p2m_access_t)((e & SW_ACCESS_MASK) >> SW_ACCESS_SHIFT);
}

static bool e_is_leaf(pte e)
{
	return e_type(e) != p2m_invalid;
}

static const struct pt_format *fmt_of(const struct p2m_domain *p2m)
{
	return p2m->ops->fmt;
}

static unsigned int levels_of(const struct p2m_domain *p2m)
{
	return fmt_of(p2m)->levels;
}

static mfn_t e_mfn_fmt(const struct pt_format *fmt, pte e)
{
	return _mfn((e & fmt->addr_mask) >> PAGE_SHIFT);
}

static mfn_t e_mfn(const struct p2m_domain *p2m, pte e)
{
	return e_mfn_fmt(fmt_of(p2m), e);
}

static pte make_leaf(const struct pt_format *fmt, mfn_t mfn, p2m_type_t t,
		     p2m_access_t a, unsigned int level)
{
	pte e;

	if (t == p2m_invalid)
		return 0;
	e = ((pte)t << SW_TYPE_SHIFT) | ((pte)a << SW_ACCESS_SHIFT) |
	    fmt->leaf_bits(p2m_effective_perms(t, a), t);
	if (p2m_type_has_mfn(t))
		e |= ((pte)mfn_x(mfn) << PAGE_SHIFT) & fmt->addr_mask;
	if (level > 1)
		e |= fmt->superpage_bit;
	return e;
}

static pte make_table(const struct pt_format *fmt, mfn_t mfn)
{
	return ((pte)mfn_x(mfn) << PAGE_SHIFT) | fmt->table_bits;
}

static void write_pte(pte *p, pte v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static mfn_t new_table(struct p2m_domain *p2m)
{
	struct page_info *pg = p2m->alloc_table(p2m);

	if (!pg)
		return INVALID_MFN;
	memset(page_to_virt(pg), 0, PAGE_SIZE);
	/* Atomic: CPUs holding different range locks add and free tables. */
	__atomic_fetch_add(&p2m->nr_tables, 1, __ATOMIC_RELAXED);
	return _mfn(page_to_pfn(pg));
}

static void free_table(struct p2m_domain *p2m, mfn_t mfn)
{
	__atomic_fetch_sub(&p2m->nr_tables, 1, __ATOMIC_RELAXED);
	p2m->free_table(p2m, pfn_to_page(mfn_x(mfn)));
}

/* Report every leaf under a table, then free it and its sub-tables. */
static void release_tree(struct p2m_domain *p2m, mfn_t mfn, unsigned int level)
{
	pte *t = table_of(mfn);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		pte e = t[i];

		if (!e)
			continue;
		if (e_is_leaf(e))
			p2m_leaf_removed(p2m, e_mfn(p2m, e), e_type(e));
		else
			release_tree(p2m, e_mfn(p2m, e), level - 1);
	}
	free_table(p2m, mfn);
}

int pt_init(struct p2m_domain *p2m)
{
	p2m->root = new_table(p2m);
	return mfn_valid_raw(p2m->root) ? 0 : -ENOMEM;
}

void pt_teardown(struct p2m_domain *p2m)
{
	p2m_notify(p2m, _gfn(0), p2m->max_gfn, P2M_CHANGE_TEARDOWN);
	release_tree(p2m, p2m->root, levels_of(p2m));
	p2m->root = INVALID_MFN;
}

mfn_t pt_get_entry(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
		   p2m_access_t *a, unsigned int *order)
{
	/* Read once: the entries' acquire loads would make it reload each. */
	const struct pt_format *fmt = fmt_of(p2m);
	pte *tbl = table_of(p2m->root);
	unsigned int level;

	for (level = fmt->levels;; level--) {
		pte e = __atomic_load_n(&tbl[index_at(gfn, level)],
					__ATOMIC_ACQUIRE);

		if (!e || e_is_leaf(e)) {
			unsigned long off;

			*order = level_order(level);
			*t = e_type(e);
			*a = e_access(e);
			if (!e || !p2m_type_has_mfn(*t))
				return INVALID_MFN;
			off = gfn_x(gfn) & ((1UL << *order) - 1);
			return mfn_add(e_mfn_fmt(fmt, e), off);
		}
		tbl = table_of(e_mfn_fmt(fmt, e));
	}
}

/*
 * Fill table with the pieces of superpage leaf e (at level). A superpage
 * used is a use of every piece: they keep its accessed bit.
 */
static void fill_split(const struct pt_format *fmt, mfn_t table, pte e,
		       unsigned int level)
{
	pte *t = table_of(table);
	unsigned long stride = 1UL << level_order(level - 1);
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		t[i] = make_leaf(fmt, mfn_add(e_mfn_fmt(fmt, e), i * stride),
				 e_type(e), e_access(e), level - 1) |
		       (e & fmt->accessed_bit);
}

/*
 * The table below *slot (at level), creating it, or splitting the leaf
 * there, with a spare table. Slots above level 2 are shared by many 2 MiB
 * ranges, so the new table goes in with a compare-and-swap: if another CPU
 * got there first, its table is used and the spare kept for later.
 */
static pte *descend(struct p2m_domain *p2m, pte *slot, unsigned int level,
		    gfn_t base, mfn_t *spare, unsigned int *nspare)
{
	const struct pt_format *fmt = fmt_of(p2m);
	pte e = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	while (!e || e_is_leaf(e)) {
		mfn_t table = spare[*nspare - 1];
		pte expected = e;

		if (e)
			fill_split(fmt, table, e, level);
		if (__atomic_compare_exchange_n(
			    slot, &expected, make_table(fmt, table), false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			(*nspare)--;
			if (e)
				p2m_notify(p2m, base, 1UL << level_order(level),
					   P2M_CHANGE_SPLIT);
			return table_of(table);
		}
		if (e)
			memset(table_of(table), 0, PAGE_SIZE);
		e = expected;
	}
	return table_of(e_mfn(p2m, e));
}

/*
 * If the table at level (under parent slot *slot) is uniform, rebuild it
 * as one leaf at level + 1, or drop it when empty. Returns true if it did.
 * Tables above level 1 span many 2 MiB ranges: only the holder of the
 * global lock may change them this way.
 */
static bool try_merge(struct p2m_domain *p2m, pte *slot, unsigned int level,
		      gfn_t base)
{
	const struct pt_format *fmt = fmt_of(p2m);
	mfn_t table = e_mfn(p2m, *slot);
	/* The CPU sets accessed bits at any time: they do not count here. */
	pte abit = fmt->accessed_bit, used = 0;
	pte *t = table_of(table), e0 = t[0] & ~abit, step = 0, merged;
	p2m_type_t type = e_type(e0);
	unsigned int i;

	if (level > 1 && !p2m_global_locked_by_me(p2m))
		return false;
	if (e0 && (level + 1 == levels_of(p2m) || !e_is_leaf(e0) ||
		   type == p2m_map_foreign || type == p2m_grant_map_rw ||
		   type == p2m_grant_map_ro))
		return false;
	if (e0 && p2m_type_has_mfn(type)) {
		if (!IS_ALIGNED(mfn_x(e_mfn(p2m, e0)),
				1UL << level_order(level + 1)))
			return false;
		step = (pte)1 << (level_order(level) + PAGE_SHIFT);
	}
	/* Cheap rejections first: the last entry, then all. */
	if ((t[PT_ENTRIES - 1] & ~abit) != e0 + (PT_ENTRIES - 1) * step)
		return false;
	for (i = 0; i < PT_ENTRIES; i++) {
		if ((t[i] & ~abit) != e0 + i * step)
			return false;
		used |= t[i] & abit;
	}

	/* One piece used is the superpage used. */
	merged = e0 ? make_leaf(fmt, e_mfn(p2m, e0), type, e_access(e0),
				level + 1) :
		      0;
	write_pte(slot, merged | used);
	if (e0)
		p2m_notify(p2m, base, 1UL << level_order(level + 1),
			   P2M_CHANGE_MERGE);
	free_table(p2m, table);
	return true;
}

/* How many tables a set at target level may need (a dry walk). */
static unsigned int tables_needed(struct p2m_domain *p2m, gfn_t gfn,
				  unsigned int target)
{
	pte *tbl = table_of(p2m->root);
	unsigned int level;

	for (level = levels_of(p2m); level > target; level--) {
		pte e = __atomic_load_n(&tbl[index_at(gfn, level)],
					__ATOMIC_ACQUIRE);

		if (!e || e_is_leaf(e))
			return level - target;
		tbl = table_of(e_mfn(p2m, e));
	}
	return 0;
}

/*
 * Does the entry covering gfn (an empty slot or a leaf, at least as large
 * as the range) already map [gfn, gfn + 2^order) that way? Then there is
 * nothing to do: no table to add, no superpage to split.
 */
static bool already_set(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
			unsigned int order, p2m_type_t t, p2m_access_t a)
{
	p2m_type_t cur_t;
	p2m_access_t cur_a;
	unsigned int cur_order;
	mfn_t cur = pt_get_entry(p2m, gfn, &cur_t, &cur_a, &cur_order);

	if (cur_order < order || cur_t != t)
		return false;
	return t == p2m_invalid ||
	       (cur_a == a && (!p2m_type_has_mfn(t) || mfn_eq(cur, mfn)));
}

int pt_set_entry(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn,
		 unsigned int order, p2m_type_t t, p2m_access_t a)
{
	const struct pt_format *fmt = fmt_of(p2m);
	unsigned int target = order / PAGE_ORDER_2M + 1, level, nspare;
	unsigned int need = tables_needed(p2m, gfn, target);
	mfn_t spare[PT_MAX_LEVELS];
	pte *slots[PT_MAX_LEVELS + 1], *tbl = table_of(p2m->root), old;

	if (already_set(p2m, gfn, mfn, order, t, a))
		return 0;
	/* Every table we may need, before anything changes: -ENOMEM is clean */
	for (nspare = 0; nspare < need; nspare++) {
		spare[nspare] = new_table(p2m);
		if (!mfn_valid_raw(spare[nspare])) {
			while (nspare)
				free_table(p2m, spare[--nspare]);
			return -ENOMEM;
		}
	}

	for (level = levels_of(p2m); level > target; level--) {
		gfn_t base =
			_gfn(gfn_x(gfn) & ~((1UL << level_order(level)) - 1));

		slots[level] = &tbl[index_at(gfn, level)];
		tbl = descend(p2m, slots[level], level, base, spare, &nspare);
	}
	/* Another CPU may have built some of the path meanwhile. */
	while (nspare)
		free_table(p2m, spare[--nspare]);

	slots[target] = &tbl[index_at(gfn, target)];
	old = *slots[target];
	write_pte(slots[target], make_leaf(fmt, mfn, t, a, target));

	/*
	 * Only a translation the hardware could have cached needs telling:
	 * a table, or a leaf that was present. A leaf that was not (PoD,
	 * paged, paging in) becoming anything is nobody's business.
	 */
	if (old &&
	    (!e_is_leaf(old) || (fmt->entry_perms(old, true) & P2M_PRESENT)))
		p2m_notify(p2m, gfn, 1UL << order, P2M_CHANGE_ENTRY);
	if (old && e_is_leaf(old))
		p2m_leaf_removed(p2m, e_mfn(p2m, old), e_type(old));
	else if (old)
		release_tree(p2m, e_mfn(p2m, old), target - 1);

	/* Rebuild superpages (or drop empty tables) towards the root. */
	for (level = target; level < levels_of(p2m); level++) {
		gfn_t base = _gfn(gfn_x(gfn) &
				  ~((1UL << level_order(level + 1)) - 1));

		if (!try_merge(p2m, slots[level + 1], level, base))
			break;
	}
	return 0;
}

unsigned long pt_change_type_global(struct p2m_domain *p2m, p2m_type_t from,
				    p2m_type_t to)
{
	const struct pt_format *fmt = fmt_of(p2m);
	pte *stack[PT_MAX_LEVELS + 1];
	unsigned int idx[PT_MAX_LEVELS + 1], level = levels_of(p2m);
	unsigned long changed = 0;

	stack[level] = table_of(p2m->root);
	idx[level] = 0;
	/* Iterative depth-first walk of every entry. */
	while (level <= levels_of(p2m)) {
		pte e;

		if (idx[level] == PT_ENTRIES) {
			level++;
			continue;
		}
		e = stack[level][idx[level]++];
		if (!e)
			continue;
		if (!e_is_leaf(e)) {
			stack[level - 1] = table_of(e_mfn(p2m, e));
			idx[level - 1] = 0;
			level--;
			continue;
		}
		if (e_type(e) != from)
			continue;
		write_pte(&stack[level][idx[level] - 1],
			  make_leaf(fmt, e_mfn(p2m, e), to, e_access(e),
				    level) |
				  (e & fmt->accessed_bit));
		changed++;
	}
	if (changed)
		p2m_notify(p2m, _gfn(0), p2m->max_gfn, P2M_CHANGE_ENTRY);
	return changed;
}

void pt_walk(struct p2m_domain *p2m, gfn_t gfn, unsigned int need,
	     struct p2m_walk *w)
{
	const struct pt_format *fmt = fmt_of(p2m);
	pte *tbl = table_of(p2m->root);
	unsigned int level;

	*w = (struct p2m_walk){ .fault = P2M_WALK_OK,
				.perms = P2M_R | P2M_W | P2M_X,
				.mfn = INVALID_MFN };
	for (level = levels_of(p2m);; level--) {
		pte e = tbl[index_at(gfn, level)];
		/* The hardware's view: PS decides, the software bits do not. */
		bool leaf = level == 1 || (level < levels_of(p2m) &&
					   (e & fmt_of(p2m)->superpage_bit));
		unsigned int p = fmt->entry_perms(e, leaf);

		w->level = level;
		if (!(p & P2M_PRESENT)) {
			w->fault = P2M_WALK_NOT_PRESENT;
			return;
		}
		if (!fmt->entry_valid(e, level, leaf)) {
			w->fault = P2M_WALK_RESERVED;
			return;
		}
		w->perms &= p;
		if (leaf) {
			w->order = level_order(level);
			w->mfn = mfn_add(e_mfn(p2m, e),
					 gfn_x(gfn) & ((1UL << w->order) - 1));
			break;
		}
		tbl = table_of(e_mfn(p2m, e));
	}
	w->perms &= P2M_R | P2M_W | P2M_X;
	if (need & ~w->perms)
		w->fault = P2M_WALK_DENIED;
}

bool pt_test_clear_accessed(struct p2m_domain *p2m, gfn_t gfn,
			    unsigned int *order)
{
	const struct pt_format *fmt = fmt_of(p2m);
	pte *tbl = table_of(p2m->root);
	unsigned int level;

	for (level = fmt->levels;; level--) {
		pte *slot = &tbl[index_at(gfn, level)];
		pte e = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

		if (!e || e_is_leaf(e)) {
			*order = level_order(level);
			if (!(e & fmt->accessed_bit) || !p2m_is_ram(e_type(e)))
				return false;
			/* Atomic: the CPU may set bits of the entry meanwhile */
			__atomic_fetch_and(slot, ~fmt->accessed_bit,
					   __ATOMIC_ACQ_REL);
			return true;
		}
		tbl = table_of(e_mfn_fmt(fmt, e));
	}
}

u64 *pt_entry_ptr(struct p2m_domain *p2m, gfn_t gfn, unsigned int level)
{
	pte *tbl = table_of(p2m->root);
	unsigned int l;

	for (l = levels_of(p2m); l > level; l--) {
		pte e = tbl[index_at(gfn, l)];

		if (!e || e_is_leaf(e))
			return NULL;
		tbl = table_of(e_mfn(p2m, e));
	}
	return &tbl[index_at(gfn, level)];
}

void pt_touch(struct p2m_domain *p2m, gfn_t gfn)
{
	struct p2m_walk w;
	u64 *e;

	pt_walk(p2m, gfn, P2M_R, &w);
	e = w.fault == P2M_WALK_OK ? pt_entry_ptr(p2m, gfn, w.level) : NULL;
	if (e)
		__atomic_fetch_or(e, fmt_of(p2m)->accessed_bit,
				  __ATOMIC_SEQ_CST);
}
