/*
 * Model-based random test of the p2m, once per backend: a long stream of
 * random operations (legal and illegal sets at 4 KiB, 2 MiB and 1 GiB,
 * removals, global type changes, lookups), each checked against a plain
 * reference map of one entry per gfn:
 *
 * - every set's return code is the model's (arguments, alignment, range,
 *   foreign ownership, p2m_transition_ok() for every entry covered); a
 *   refused set changes nothing (no notification, no table), nor does a
 *   no-op set (it splits nothing), except that a table saying the same
 *   may become one entry; replacing non-empty entries is notified, filling
 *   empty ones is not;
 * - every lookup gives the model's type, access and frame (with the offset
 *   inside superpages), with an order that is an entry size over which the
 *   model is uniform (or 27 for an empty top-level entry, as Xen reports
 *   it), and a page reference held until put_gfn;
 * - the backend's software walker agrees with the model (rights are
 *   p2m_effective_perms(), none means not present, frame) for every entry
 *   an operation touched, and over the whole space in periodic sweeps,
 *   which also count the table pages against p2m->nr_tables;
 * - a 4 KiB set that leaves its 2 MiB region mergeable (uniform, aligned,
 *   contiguous, or empty) merges it; splits and merges are counted and
 *   must have happened often;
 * - foreign references follow the entries; teardown frees every table and
 *   leaves no domain page behind.
 *
 * The operations are biased towards a few focus regions and "campaigns"
 * that fill or clear a 2 MiB region 4 KiB at a time, or a 1 GiB slot 2 MiB
 * at a time under the global lock (which may merge tables above 4 KiB).
 *
 * MODEL_OPS sets the number of operations per backend: the sanitised
 * runner runs a few hundred thousand; the optimised one (built with
 * -DMODEL_OPS=... -DMODEL_SUFFIX=...) a million or more. A failure names
 * the operation and its number; UNIT_SEED=<seed> replays the run, and
 * MODEL_TRACE=1 prints every operation on the way.
 */
#include <stdio.h>
#include <stdlib.h>

#include <xen/errno.h>
#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/conformance.h"
#include <xen/sched.h>

/* The harness's CHECK, not the self-tests' one (which returns TEST_FAIL) */
#undef CHECK
#include "harness.h"
#include "shim.h"

#ifndef MODEL_OPS
#define MODEL_OPS 200000UL
#endif
#ifndef MODEL_SUFFIX
#define MODEL_SUFFIX ""
#endif

#define RAM_START 0x1000UL
#define RAM_END 0x10000UL

/* Not a multiple of 2 MiB: the last region and slot are cut short. */
#define MAX_GFN ((3UL << PAGE_ORDER_1G) + 777)
/* The model covers whole 1 GiB slots; entries past MAX_GFN stay empty. */
#define NR_1G 4UL
#define MODEL_GFNS (NR_1G << PAGE_ORDER_1G)
#define NR_2M (MODEL_GFNS >> PAGE_ORDER_2M)
#define SLOT_REGIONS (1UL << (PAGE_ORDER_1G - PAGE_ORDER_2M))
/* Regions entirely below MAX_GFN. */
#define FULL_2M (MAX_GFN >> PAGE_ORDER_2M)

/* Frames past the arena have no page_info: nobody takes references. */
#define FAKE_FIRST (SHIM_MEM_SIZE >> PAGE_SHIFT)
#define NR_FOREIGN 32
#define NR_FOCUS 8
#define SWEEP_EVERY 50000UL
#define NO_MFN 0xffffffffu
#define CAMPAIGN_PASSES 3
#define CAMPAIGN_POKES 32

/* The model's entry: empty is { NO_MFN, p2m_invalid, p2m_access_n }. */
struct ment {
	u32 mfn; /* NO_MFN for types without a frame */
	u8 t;
	u8 a;
};

struct set_op {
	unsigned long gfn, mfn;
	unsigned int order, t, a; /* raw: may be out of range on purpose */
	bool global; /* under p2m_global_lock() */
	bool hold; /* inside a get_gfn of the same 2 MiB range */
};

/* What a region (or slot) should become, entry by entry. */
struct theme {
	p2m_type_t t;
	p2m_access_t a;
	unsigned long mfn; /* frame of the region's first entry */
};

/* Operations that fill a region 4 KiB at a time, or a slot 2 MiB at a time */
enum campaign_kind { CAMP_NONE, CAMP_2M, CAMP_1G };

struct campaign {
	enum campaign_kind kind;
	unsigned long first; /* gfn */
	struct theme th;
	unsigned int pass, next; /* filling: order[next] is the next unit */
	unsigned int order[SLOT_REGIONS];
	unsigned int pokes; /* then taking a unit out and putting it back */
	unsigned long poked;
};

struct stats {
	unsigned long sets_ok, sets_refused, sets_noop, lookups, type_changes,
		type_changes_refused, foreign_maps, split_2m, split_1g,
		merge_2m, merge_1g, predicted_merges, sweeps, campaigns;
};

struct model {
	const struct p2m_backend_ops *ops;
	struct p2m_domain p2m;
	struct p2m_notifier rec;
	struct domain d, foreign;
	u64 rng;
	unsigned long op;
	char what[200];

	struct ment *m; /* [MODEL_GFNS] */
	/* Is the region (slot) uniform? Recomputed when dirty. */
	bool *dirty_2m, *uni_2m; /* [NR_2M] */
	bool dirty_1g[NR_1G], uni_1g[NR_1G];
	struct theme *theme_2m; /* [NR_2M] */
	struct theme theme_1g[NR_1G];

	struct page_info *pool; /* 512 pages of d, 2 MiB aligned */
	struct page_info *foreign_pg[NR_FOREIGN];
	unsigned long foreign_maps[NR_FOREIGN]; /* entries mapping each */
	struct page_info *unowned; /* allocated, no owner */

	/* Notifications during the current operation. */
	unsigned int notes;
	bool entry_noted; /* a P2M_CHANGE_ENTRY covering its range */
	unsigned long note_first, note_nr;
	unsigned int teardowns;

	unsigned long focus[NR_FOCUS];
	struct campaign camp;
	struct stats n;
};

#define MFAIL(w, fmt, ...)                                               \
	FAIL("%s op %lu (%s): " fmt, (w)->ops->name, (w)->op, (w)->what, \
	     ##__VA_ARGS__)
#define MCHECK(w, cond)                                      \
	do {                                                 \
		if (!(cond))                                 \
			MFAIL(w, "check failed: %s", #cond); \
	} while (0)

static u64 rn(struct model *w, u64 n)
{
	return rnd_below(&w->rng, n);
}

static bool chance(struct model *w, unsigned int per_mille)
{
	return rn(w, 1000) < per_mille;
}

static unsigned long page_mfn(const struct page_info *pg)
{
	return page_to_pfn(pg);
}

static unsigned long refs(const struct page_info *pg)
{
	return pg->count_info & PGC_count_mask;
}

/* Does entry b (at gfn gb) continue entry a (at ga) in one mapping? */
static bool continues(const struct ment *a, unsigned long ga,
		      const struct ment *b, unsigned long gb)
{
	if (a->t != b->t || a->a != b->a)
		return false;
	if (a->mfn == NO_MFN || b->mfn == NO_MFN)
		return a->mfn == b->mfn;
	return (unsigned long)b->mfn - a->mfn == gb - ga;
}

static bool uniform_2m(struct model *w, unsigned long r)
{
	unsigned long g0 = r << PAGE_ORDER_2M, i;

	if (!w->dirty_2m[r])
		return w->uni_2m[r];
	w->dirty_2m[r] = false;
	w->uni_2m[r] = true;
	for (i = 1; i < (1UL << PAGE_ORDER_2M); i++)
		if (!continues(&w->m[g0], g0, &w->m[g0 + i], g0 + i)) {
			w->uni_2m[r] = false;
			break;
		}
	return w->uni_2m[r];
}

static bool uniform_1g(struct model *w, unsigned long s)
{
	unsigned long g0 = s << PAGE_ORDER_1G, r;

	if (!w->dirty_1g[s])
		return w->uni_1g[s];
	w->dirty_1g[s] = false;
	w->uni_1g[s] = true;
	for (r = 0; r < SLOT_REGIONS; r++) {
		unsigned long g = g0 + (r << PAGE_ORDER_2M);

		if (!uniform_2m(w, g >> PAGE_ORDER_2M) ||
		    !continues(&w->m[g0], g0, &w->m[g], g)) {
			w->uni_1g[s] = false;
			break;
		}
	}
	return w->uni_1g[s];
}

/* Is the model uniform over the 2^order entries from first (aligned)? */
static bool uniform(struct model *w, unsigned long first, unsigned int order)
{
	unsigned long s;

	switch (order) {
	case PAGE_ORDER_4K:
		return true;
	case PAGE_ORDER_2M:
		return uniform_2m(w, first >> PAGE_ORDER_2M);
	case PAGE_ORDER_1G:
		return uniform_1g(w, first >> PAGE_ORDER_1G);
	case 3 * PAGE_ORDER_2M: /* an empty top-level entry: all of it */
		for (s = 0; s < NR_1G; s++)
			if (!uniform_1g(w, s) ||
			    w->m[s << PAGE_ORDER_1G].t != p2m_invalid)
				return false;
		return true;
	}
	return false;
}

static void mark_dirty(struct model *w, unsigned long first, unsigned long nr)
{
	unsigned long r;

	for (r = first >> PAGE_ORDER_2M; r <= (first + nr - 1) >> PAGE_ORDER_2M;
	     r++)
		w->dirty_2m[r] = true;
	w->dirty_1g[first >> PAGE_ORDER_1G] = true;
	w->dirty_1g[(first + nr - 1) >> PAGE_ORDER_1G] = true;
}

/* Would the table of 2 MiB region r be rebuilt as one entry (or freed)? */
static bool mergeable_2m(struct model *w, unsigned long r)
{
	const struct ment *e = &w->m[r << PAGE_ORDER_2M];

	if (!uniform_2m(w, r))
		return false;
	if (e->t == p2m_map_foreign || e->t == p2m_grant_map_rw ||
	    e->t == p2m_grant_map_ro)
		return false;
	return e->mfn == NO_MFN || IS_ALIGNED(e->mfn, 1UL << PAGE_ORDER_2M);
}

static int foreign_index(const struct model *w, unsigned long mfn)
{
	int i;

	for (i = 0; i < NR_FOREIGN; i++)
		if (page_mfn(w->foreign_pg[i]) == mfn)
			return i;
	return -1;
}

/* Each foreign page: its owner's reference plus one per entry mapping it */
static void check_foreign_refs(struct model *w)
{
	unsigned int i;

	for (i = 0; i < NR_FOREIGN; i++)
		if (refs(w->foreign_pg[i]) != 1 + w->foreign_maps[i])
			MFAIL(w,
			      "foreign page %u: %lu references, expected %lu",
			      i, refs(w->foreign_pg[i]),
			      1 + w->foreign_maps[i]);
}

static void record_note(struct p2m_notifier *n, struct p2m_domain *p2m,
			gfn_t first, unsigned long nr, enum p2m_change why)
{
	struct model *w = container_of(n, struct model, rec);
	unsigned long g = gfn_x(first);

	/*
	 * Told under the lock covering the range; a 1 GiB superpage is
	 * split under the range lock of the entry being changed.
	 */
	if (why == P2M_CHANGE_SPLIT ?
		    !p2m_range_locked_by_me(p2m, _gfn(w->note_first)) :
	    nr > (1UL << PAGE_ORDER_2M) ? !p2m_global_locked_by_me(p2m) :
					  !p2m_range_locked_by_me(p2m, first))
		MFAIL(w, "notification %u for [%#lx, +%#lx) without its lock",
		      why, g, nr);
	w->notes++;
	switch (why) {
	case P2M_CHANGE_ENTRY:
		if (g <= w->note_first && w->note_first + w->note_nr <= g + nr)
			w->entry_noted = true;
		break;
	case P2M_CHANGE_SPLIT:
		if (nr == 1UL << PAGE_ORDER_2M)
			w->n.split_2m++;
		else if (nr == 1UL << PAGE_ORDER_1G)
			w->n.split_1g++;
		else
			MFAIL(w, "split of %#lx entries", nr);
		break;
	case P2M_CHANGE_MERGE:
		if (nr == 1UL << PAGE_ORDER_2M)
			w->n.merge_2m++;
		else if (nr == 1UL << PAGE_ORDER_1G)
			w->n.merge_1g++;
		else
			MFAIL(w, "merge of %#lx entries", nr);
		break;
	case P2M_CHANGE_TEARDOWN:
		w->teardowns++;
		break;
	}
}

static void expect_notes(struct model *w, unsigned long first, unsigned long nr)
{
	w->notes = 0;
	w->entry_noted = false;
	w->note_first = first;
	w->note_nr = nr;
}

/*
 * Look g up with q and compare with the model: type, access, frame, and
 * an order that is an entry size over which the model is uniform.
 */
static unsigned int check_lookup(struct model *w, unsigned long g,
				 p2m_query_t q)
{
	const struct ment *e = g < MAX_GFN ? &w->m[g] : NULL;
	struct page_info *pg = NULL;
	struct p2m_lookup r;
	unsigned long before = 0, held = 0;
	int rc, want = 0;

	if (!e)
		want = -EINVAL;
	else if (p2m_fixup_needed(e->t, q))
		want = -ENOENT; /* no fix-ups are registered */
	if (!want && e->mfn != NO_MFN && e->mfn < FAKE_FIRST) {
		pg = pfn_to_page(e->mfn);
		before = refs(pg);
		/*
		 * The domain's own frames and foreign ones are kept by their
		 * entries: the hold takes a reference only on any other.
		 */
		held = e->t == p2m_map_foreign ||
				       page_get_owner(pg) == w->p2m.domain ?
			       before :
			       before + 1;
	}
	w->n.lookups++;
	rc = p2m_get_gfn(&w->p2m, _gfn(g), q, &r);
	if (rc != want)
		MFAIL(w, "lookup %#lx (q %u): %d, expected %d", g, q, rc, want);
	if (want) {
		MCHECK(w, r.t == p2m_invalid && !mfn_valid_raw(r.mfn));
		MCHECK(w, !e || p2m_range_locked_by_me(&w->p2m, _gfn(g)));
		put_gfn(&w->p2m, _gfn(g));
		return 0;
	}
	if (r.t != e->t ||
	    mfn_x(r.mfn) != (e->mfn == NO_MFN ? INVALID_MFN_RAW : e->mfn) ||
	    (e->t != p2m_invalid && r.a != e->a))
		MFAIL(w,
		      "lookup %#lx: t %u a %u mfn %#lx, model t %u a %u "
		      "mfn %#x",
		      g, r.t, r.a, mfn_x(r.mfn), e->t, e->a, e->mfn);
	if (!(r.order == PAGE_ORDER_4K || r.order == PAGE_ORDER_2M ||
	      r.order == PAGE_ORDER_1G ||
	      (r.order == 3 * PAGE_ORDER_2M && r.t == p2m_invalid)) ||
	    !uniform(w, g & ~((1UL << r.order) - 1), r.order))
		MFAIL(w, "lookup %#lx: order %u, not one entry in the model", g,
		      r.order);
	MCHECK(w, p2m_range_locked_by_me(&w->p2m, _gfn(g)));
	if (pg && refs(pg) != held)
		MFAIL(w, "lookup %#lx: page references %lu, expected %lu", g,
		      refs(pg), held);
	put_gfn(&w->p2m, _gfn(g));
	if (pg && refs(pg) != before)
		MFAIL(w, "put_gfn %#lx: page references %lu, expected %lu", g,
		      refs(pg), before);
	return r.order;
}

/* One hardware-like walk of g against the model entry. */
static void walk_one(struct model *w, unsigned long g, struct p2m_walk *wk)
{
	const struct ment *e = &w->m[g];
	unsigned int perms = p2m_effective_perms(e->t, e->a);

	w->ops->walk(&w->p2m, _gfn(g), P2M_R, wk);
	if (!perms) {
		if (wk->fault != P2M_WALK_NOT_PRESENT)
			MFAIL(w,
			      "walk %#lx: fault %u, model t %u a %u: not "
			      "present",
			      g, wk->fault, e->t, e->a);
		return;
	}
	if (wk->fault != P2M_WALK_OK || wk->perms != perms ||
	    mfn_x(wk->mfn) != e->mfn ||
	    wk->order != (wk->level - 1) * PAGE_ORDER_2M)
		MFAIL(w,
		      "walk %#lx: fault %u perms %#x mfn %#lx order %u, "
		      "model perms %#x mfn %#x",
		      g, wk->fault, wk->perms, mfn_x(wk->mfn), wk->order, perms,
		      e->mfn);
	/* An access the entry does not grant faults. */
	w->ops->walk(&w->p2m, _gfn(g), P2M_R | P2M_W | P2M_X, wk);
	if (wk->fault !=
	    (perms == (P2M_R | P2M_W | P2M_X) ? P2M_WALK_OK : P2M_WALK_DENIED))
		MFAIL(w, "walk %#lx for rwx: fault %u, perms %#x", g, wk->fault,
		      perms);
}

/*
 * Walk g; the entry the walk ended at (a leaf, or a non-present entry at
 * any level) covers an aligned extent, over which the model must be
 * uniform; a second walk inside the extent checks the frame offset.
 * Returns the first gfn after the extent.
 */
static unsigned long check_walk(struct model *w, unsigned long g)
{
	struct p2m_walk wk;
	unsigned int order;
	unsigned long base, end;

	walk_one(w, g, &wk);
	order = (wk.level - 1) * PAGE_ORDER_2M;
	base = g & ~((1UL << order) - 1);
	end = base + (1UL << order);
	if (!uniform(w, base, order))
		MFAIL(w,
		      "walk %#lx: ends at level %u, model not uniform over "
		      "[%#lx, %#lx)",
		      g, wk.level, base, end);
	if (order)
		walk_one(w, base + rn(w, min(end, MODEL_GFNS) - base), &wk);
	return end;
}

static void check_walk_range(struct model *w, unsigned long first,
			     unsigned long nr)
{
	unsigned long g = first;

	while (g < first + nr)
		g = check_walk(w, g);
}

/*
 * Count the tables by looking where walks find entries: the root, one
 * table under it, one per 1 GiB slot and one per 2 MiB region. Together
 * they must be p2m->nr_tables. A 4 KiB table is never empty.
 */
static void check_tables(struct model *w)
{
	unsigned long tables = 1, s, r;

	if (pt_entry_ptr(&w->p2m, _gfn(0), 3))
		tables++;
	for (s = 0; s < NR_1G; s++)
		if (pt_entry_ptr(&w->p2m, _gfn(s << PAGE_ORDER_1G), 2))
			tables++;
	for (r = 0; r < NR_2M; r++) {
		unsigned long g = r << PAGE_ORDER_2M, i;

		if (!pt_entry_ptr(&w->p2m, _gfn(g), 1))
			continue;
		tables++;
		for (i = 0; i < (1UL << PAGE_ORDER_2M); i++)
			if (w->m[g + i].t != p2m_invalid)
				break;
		if (i == (1UL << PAGE_ORDER_2M))
			MFAIL(w, "empty 4 KiB table for [%#lx, +0x200)", g);
	}
	if (tables != w->p2m.nr_tables)
		MFAIL(w, "%lu tables reachable, nr_tables %lu", tables,
		      w->p2m.nr_tables);
}

static void full_sweep(struct model *w)
{
	unsigned long g = 0;

	w->n.sweeps++;
	while (g < MODEL_GFNS) {
		unsigned long next = check_walk(w, g);

		if (g < MAX_GFN)
			check_lookup(w, g, P2M_QUERY);
		g = next;
	}
	check_tables(w);
	check_foreign_refs(w);
}

static bool has_one_page(unsigned int t)
{
	return t == p2m_map_foreign || t == p2m_grant_map_rw ||
	       t == p2m_grant_map_ro;
}

/* What p2m_set_entry must return for op, by the model. */
static int model_set_rc(struct model *w, const struct set_op *op)
{
	unsigned long nr, i;

	if (op->order != PAGE_ORDER_4K && op->order != PAGE_ORDER_2M &&
	    op->order != PAGE_ORDER_1G)
		return -EINVAL;
	nr = 1UL << op->order;
	if (op->t >= p2m_nr_types || op->a > p2m_access_rwx ||
	    !IS_ALIGNED(op->gfn, nr) || op->gfn >= MAX_GFN ||
	    MAX_GFN - op->gfn < nr)
		return -EINVAL;
	if (p2m_type_has_mfn(op->t) &&
	    (op->mfn == INVALID_MFN_RAW || !IS_ALIGNED(op->mfn, nr) ||
	     op->mfn >= MAX_PFN))
		return -EINVAL;
	if (has_one_page(op->t) && op->order != PAGE_ORDER_4K)
		return -EINVAL;
	/* Only another domain's page may be mapped as foreign. */
	if (op->t == p2m_map_foreign && foreign_index(w, op->mfn) < 0)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (!p2m_transition_ok(w->m[op->gfn + i].t, op->t))
			return -EINVAL;
	return 0;
}

static void describe_set(struct model *w, const struct set_op *op)
{
	snprintf(w->what, sizeof(w->what),
		 "set gfn %#lx order %u t %u (%s) a %u mfn %#lx%s%s", op->gfn,
		 op->order, op->t, p2m_type_name(op->t), op->a, op->mfn,
		 op->global ? " global" : "", op->hold ? " held" : "");
}

/* Apply a successful set to the model; was anything changed? */
/*
 * Set op in the model: whether anything changed. *had_entries: some entry
 * was not empty; *had_present: some entry had a translation the hardware
 * could cache (which must be notified when replaced).
 */
static bool model_set(struct model *w, const struct set_op *op,
		      bool *had_entries, bool *had_present)
{
	unsigned long nr = 1UL << op->order, i;
	bool changed = false;

	*had_entries = *had_present = false;
	for (i = 0; i < nr; i++) {
		struct ment *e = &w->m[op->gfn + i];
		struct ment n = { NO_MFN, (u8)op->t, (u8)op->a };

		if (op->t == p2m_invalid)
			n.a = p2m_access_n;
		else if (p2m_type_has_mfn(op->t))
			n.mfn = (u32)(op->mfn + i);
		if (e->t != p2m_invalid)
			*had_entries = true;
		if (p2m_effective_perms(e->t, e->a))
			*had_present = true;
		if (e->t == n.t && e->a == n.a && e->mfn == n.mfn)
			continue;
		changed = true;
		if (e->t == p2m_map_foreign)
			w->foreign_maps[foreign_index(w, e->mfn)]--;
		if (n.t == p2m_map_foreign)
			w->foreign_maps[foreign_index(w, n.mfn)]++;
		*e = n;
	}
	if (changed)
		mark_dirty(w, op->gfn, nr);
	return changed;
}

static void do_set(struct model *w, const struct set_op *op)
{
	unsigned long nr, seq = w->p2m.change_seq, tables = w->p2m.nr_tables;
	unsigned long held;
	struct p2m_lookup held_entry;
	unsigned int order_before = 0;
	int want, rc, fi = -1;
	bool in_range, changed, had, had_present, merge;

	describe_set(w, op);
	want = model_set_rc(w, op);
	in_range = op->gfn < MAX_GFN;
	if (in_range)
		order_before = check_lookup(w, op->gfn, P2M_QUERY);
	if (op->t == p2m_map_foreign)
		fi = foreign_index(w, op->mfn);
	nr = op->order < BITS_PER_LONG ? 1UL << op->order : 0;
	held = op->hold ? op->gfn + rn(w, nr) : 0;
	expect_notes(w, op->gfn, nr);

	if (op->global)
		p2m_global_lock(&w->p2m);
	/* A set inside a lookup of its range takes the lock recursively. */
	if (op->hold)
		MCHECK(w, !p2m_get_gfn(&w->p2m, _gfn(held), P2M_QUERY,
				       &held_entry));
	rc = p2m_set_entry(&w->p2m, _gfn(op->gfn), _mfn(op->mfn), op->order,
			   (p2m_type_t)op->t, (p2m_access_t)op->a);
	if (op->hold) {
		MCHECK(w, p2m_range_locked_by_me(&w->p2m, _gfn(op->gfn)));
		put_gfn(&w->p2m, _gfn(held));
	}
	if (op->global)
		p2m_global_unlock(&w->p2m);
	MCHECK(w, atomic_depth() == 0);

	if (rc != want)
		MFAIL(w, "returned %d, the model says %d", rc, want);
	if (rc) {
		w->n.sets_refused++;
		/* Refused: nothing changed, nobody told, no reference kept. */
		MCHECK(w,
		       w->p2m.change_seq == seq && w->p2m.nr_tables == tables);
		if (fi >= 0)
			check_foreign_refs(w);
		if (in_range)
			check_lookup(w, op->gfn, P2M_QUERY);
		return;
	}
	changed = model_set(w, op, &had, &had_present);
	if (!changed) {
		unsigned int order_after = check_lookup(w, op->gfn, P2M_QUERY);

		w->n.sets_noop++;
		/*
		 * No change: no split, no new table, nobody told, unless a
		 * table that said the same was replaced by one entry.
		 */
		MCHECK(w, order_after >= order_before);
		if (order_after == order_before)
			MCHECK(w, w->p2m.change_seq == seq &&
					  w->p2m.nr_tables == tables);
		else
			MCHECK(w, w->p2m.nr_tables < tables);
		return;
	}
	w->n.sets_ok++;
	if (op->t == p2m_map_foreign)
		w->n.foreign_maps++;
	/*
	 * Replacing present entries is notified; filling empty ones is not
	 * (replacing only non-present ones may be, if they were a table).
	 */
	if (had_present && !w->entry_noted)
		MFAIL(w, "present entries replaced without a P2M_CHANGE_ENTRY");
	if (!had && w->entry_noted)
		MFAIL(w, "empty entries filled with a P2M_CHANGE_ENTRY");
	/* A 4 KiB table that became uniform is rebuilt as one entry. */
	merge = op->order == PAGE_ORDER_4K &&
		mergeable_2m(w, op->gfn >> PAGE_ORDER_2M);
	w->n.predicted_merges += merge;
	if (check_lookup(w, op->gfn, P2M_QUERY) < PAGE_ORDER_2M && merge)
		MFAIL(w, "2 MiB region uniform, not merged");
	check_lookup(w, op->gfn + nr - 1, P2M_QUERY);
	check_lookup(w, op->gfn + rn(w, nr), P2M_QUERY);
	check_walk_range(w, op->gfn, nr);
	if (fi >= 0 || had)
		check_foreign_refs(w);
}

static void do_type_global(struct model *w, unsigned int from, unsigned int to)
{
	unsigned long seq = w->p2m.change_seq, flushes = w->p2m.nr_flushes, g;
	bool legal = from != to && p2m_transition_ok(from, to) &&
		     p2m_type_has_mfn(from) && p2m_type_has_mfn(to) &&
		     from != p2m_map_foreign && to != p2m_map_foreign;
	bool any = false;
	int rc;

	snprintf(w->what, sizeof(w->what),
		 "change_type_global %u (%s) -> %u "
		 "(%s)",
		 from, p2m_type_name(from), to, p2m_type_name(to));
	expect_notes(w, 0, MAX_GFN);
	rc = p2m_change_type_global(&w->p2m, (p2m_type_t)from, (p2m_type_t)to);
	if (rc != (legal ? 0 : -EINVAL))
		MFAIL(w, "returned %d, the model says %d", rc,
		      legal ? 0 : -EINVAL);
	if (!legal) {
		w->n.type_changes_refused++;
		MCHECK(w, w->p2m.change_seq == seq);
		return;
	}
	w->n.type_changes++;
	for (g = 0; g < MAX_GFN; g++)
		if (w->m[g].t == from) {
			w->m[g].t = (u8)to;
			any = true;
		}
	/* One notification and one flush for the batch, if it did anything */
	if (any)
		MCHECK(w, w->notes == 1 && w->entry_noted &&
				  w->p2m.nr_flushes == flushes + 1);
	else
		MCHECK(w, w->notes == 0 && w->p2m.nr_flushes == flushes);
	memset(w->dirty_2m, true, NR_2M * sizeof(*w->dirty_2m));
	memset(w->dirty_1g, true, sizeof(w->dirty_1g));
	full_sweep(w);
}

/* A frame for a frame-carrying entry of 2^order pages. */
static unsigned long random_mfn(struct model *w, unsigned int t,
				unsigned int order)
{
	unsigned long align = order < BITS_PER_LONG ? 1UL << order : 1;
	unsigned long fake = FAKE_FIRST + rn(w, MAX_PFN - FAKE_FIRST);
	unsigned int k = (unsigned int)rn(w, 100);

	if (t == p2m_map_foreign) {
		if (k < 80)
			return page_mfn(w->foreign_pg[rn(w, NR_FOREIGN)]);
		if (k < 90) /* d's own page */
			return page_mfn(w->pool) + rn(w, 512);
		if (k < 95) /* nobody's */
			return page_mfn(w->unowned);
		return fake;
	}
	if (k < 5)
		return INVALID_MFN_RAW;
	if (k < 10)
		return MAX_PFN + rn(w, MAX_PFN) * align;
	if (k < 15)
		return fake | 1;
	if (k < 35 && align <= 512)
		return page_mfn(w->pool) + (rn(w, 512) & ~(align - 1));
	fake &= ~(align - 1);
	return fake < FAKE_FIRST ? fake + align : fake;
}

static unsigned int random_type(struct model *w)
{
	unsigned int k = (unsigned int)rn(w, 100);

	if (k < 2)
		return p2m_nr_types + (unsigned int)rn(w, 300);
	if (k < 20)
		return p2m_invalid;
	if (k < 40)
		return p2m_ram_rw;
	return (unsigned int)rn(w, p2m_nr_types);
}

static unsigned int random_access(struct model *w)
{
	if (chance(w, 20))
		return p2m_access_rwx + 1 + (unsigned int)rn(w, 300);
	if (chance(w, 400))
		return p2m_access_rwx;
	return (unsigned int)rn(w, p2m_access_rwx + 1);
}

/* A type that an empty entry may become, and merges as a 2 MiB region. */
static void random_theme(struct model *w, struct theme *th, unsigned int order)
{
	static const p2m_type_t fills[] = {
		p2m_ram_rw,
		p2m_ram_rw,
		p2m_ram_rw,
		p2m_ram_ro,
		p2m_ram_logdirty,
		p2m_mmio_direct,
		p2m_populate_on_demand,
		p2m_ram_paged,
		p2m_invalid,
	};
	unsigned long span = 1UL << order;
	/* Aligned frames past the arena, with a span to spare below MAX_PFN */
	unsigned long first = (FAKE_FIRST + span - 1) & ~(span - 1);

	th->t = fills[rn(w, ARRAY_SIZE(fills))];
	th->a = chance(w, 600) ? p2m_access_rwx :
				 (p2m_access_t)rn(w, p2m_access_rwx + 1);
	if (order == PAGE_ORDER_2M && chance(w, 150))
		th->mfn = page_mfn(w->pool);
	else
		th->mfn = first + rn(w, (MAX_PFN - first) / span - 1) * span;
	/* Contiguous, but not aligned to the size: must never merge. */
	if (th->mfn >= first && chance(w, 150))
		th->mfn += (1UL << (order - PAGE_ORDER_2M)) *
			   (1 + rn(w, (1UL << PAGE_ORDER_2M) - 1));
}

static void theme_op(const struct theme *th, unsigned long first,
		     unsigned long gfn, unsigned int order, struct set_op *op)
{
	*op = (struct set_op){ .gfn = gfn,
			       .order = order,
			       .t = th->t,
			       .a = th->a,
			       .mfn = th->mfn + (gfn - first) };
}

static unsigned long random_gfn(struct model *w, unsigned int order)
{
	unsigned int k = (unsigned int)rn(w, 100);
	unsigned long g;

	if (order == PAGE_ORDER_1G)
		g = rn(w, NR_1G) << PAGE_ORDER_1G;
	else if (k < 60 || (order == PAGE_ORDER_2M && k < 70))
		g = (w->focus[rn(w, NR_FOCUS)] << PAGE_ORDER_2M) | rn(w, 512);
	else if (k < 95)
		g = rn(w, MAX_GFN + 1024);
	else
		g = MAX_GFN - 8 + rn(w, 16);
	/* Mostly aligned to the order. */
	if (order < BITS_PER_LONG && !chance(w, 50))
		g &= ~((1UL << order) - 1);
	return g;
}

static void random_set(struct model *w, struct set_op *op)
{
	static const unsigned int bad_orders[] = { 1,  8,  10, 17,  19, 27,
						   36, 63, 64, 100, ~0u };
	unsigned int k = (unsigned int)rn(w, 1000);
	unsigned int order =
		k < 3	? PAGE_ORDER_1G :
		k < 250 ? PAGE_ORDER_2M :
		k < 265 ? bad_orders[rn(w, ARRAY_SIZE(bad_orders))] :
			  PAGE_ORDER_4K;
	unsigned long g = random_gfn(w, order);

	if (chance(w, 500) && order <= PAGE_ORDER_1G && g < MODEL_GFNS) {
		/* In the theme of the region (slot): may merge. */
		unsigned long first = g & ~((1UL << (order == PAGE_ORDER_1G ?
							     PAGE_ORDER_1G :
							     PAGE_ORDER_2M)) -
					    1);
		const struct theme *th =
			order == PAGE_ORDER_1G ?
				&w->theme_1g[g >> PAGE_ORDER_1G] :
				&w->theme_2m[g >> PAGE_ORDER_2M];

		theme_op(th, first, g, order, op);
	} else {
		*op = (struct set_op){ .gfn = g,
				       .order = order,
				       .t = random_type(w),
				       .a = random_access(w) };
		op->mfn = random_mfn(w, op->t, order);
	}
	op->global = chance(w, 30);
	op->hold = !op->global && order <= PAGE_ORDER_2M && g < MAX_GFN &&
		   IS_ALIGNED(g, 1UL << order) &&
		   MAX_GFN - g >= (1UL << order) && chance(w, 50);
}

static void start_campaign(struct model *w)
{
	struct campaign *c = &w->camp;
	unsigned int n, i;
	unsigned long r;

	*c = (struct campaign){ 0 };
	if (chance(w, 150)) {
		c->kind = CAMP_1G;
		c->first = rn(w, MAX_GFN >> PAGE_ORDER_1G) << PAGE_ORDER_1G;
		random_theme(w, &c->th, PAGE_ORDER_1G);
		w->theme_1g[c->first >> PAGE_ORDER_1G] = c->th;
		n = SLOT_REGIONS;
	} else {
		r = chance(w, 500) ? w->focus[rn(w, NR_FOCUS)] : rn(w, FULL_2M);
		c->kind = CAMP_2M;
		c->first = r << PAGE_ORDER_2M;
		/* A quarter of them empty the region (the theme stays 0). */
		if (chance(w, 750)) {
			random_theme(w, &c->th, PAGE_ORDER_2M);
			w->theme_2m[r] = c->th;
		}
		n = 1u << PAGE_ORDER_2M;
	}
	/* A random order to go through the region's entries (or regions) */
	for (i = 0; i < n; i++)
		c->order[i] = i;
	for (i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)rn(w, i + 1), t = c->order[i];

		c->order[i] = c->order[j];
		c->order[j] = t;
	}
	w->n.campaigns++;
}

/* Is the model over [g, g + nr) what theme th (from first) makes it? */
static bool model_is(struct model *w, const struct theme *th,
		     unsigned long first, unsigned long g, unsigned long nr)
{
	struct ment want = { NO_MFN, (u8)th->t, (u8)th->a };
	unsigned long i;

	if (th->t == p2m_invalid)
		want.a = p2m_access_n;
	else if (p2m_type_has_mfn(th->t))
		want.mfn = (u32)th->mfn;
	for (i = 0; i < nr; i++)
		if (!continues(&want, first, &w->m[g + i], g + i))
			return false;
	return true;
}

static bool may_become(struct model *w, unsigned long first, unsigned long nr,
		       p2m_type_t t)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		if (!p2m_transition_ok(w->m[first + i].t, t))
			return false;
	return true;
}

/*
 * The operation that brings the 2^order entries at g closer to the
 * campaign's theme: clear them if they may not become its type, else set
 * them and count a step done. False if they are in the theme already.
 */
static bool towards_theme(struct model *w, unsigned long g, unsigned int order,
			  struct set_op *op, unsigned int *step)
{
	const struct campaign *c = &w->camp;

	if (model_is(w, &c->th, c->first, g, 1UL << order))
		return false;
	if (may_become(w, g, 1UL << order, c->th.t)) {
		theme_op(&c->th, c->first, g, order, op);
		(*step)++;
	} else
		*op = (struct set_op){ .gfn = g,
				       .order = order,
				       .t = p2m_invalid,
				       .a = p2m_access_n };
	return true;
}

/* Something else at g, and legal from the theme: splits a superpage. */
static void away_from_theme(struct model *w, unsigned long g,
			    unsigned int order, struct set_op *op)
{
	const struct campaign *c = &w->camp;
	struct theme other = c->th;

	if (c->th.t == p2m_invalid)
		other.t = p2m_populate_on_demand;
	else if (p2m_transition_ok(c->th.t, c->th.t))
		other.a ^= P2M_X;
	else
		other = (struct theme){ p2m_invalid, p2m_access_n, 0 };
	theme_op(&other, c->first, g, order, op);
}

/*
 * The campaign's next operation; false when it is over. It goes over its
 * range a few times (other operations come in between and change it),
 * then takes one unit out of the theme and puts it back, a few times:
 * each time a split, and a merge if the rest stayed in the theme.
 */
static bool campaign_next(struct model *w, struct set_op *op)
{
	struct campaign *c = &w->camp;
	bool slot = c->kind == CAMP_1G;
	unsigned int order = slot ? PAGE_ORDER_2M : PAGE_ORDER_4K;
	unsigned int n = slot ? SLOT_REGIONS : 1u << PAGE_ORDER_2M;
	unsigned long unit = 1UL << order;

	for (; c->pass < CAMPAIGN_PASSES; c->pass++, c->next = 0)
		for (; c->next < n; c->next++)
			if (towards_theme(w,
					  c->first + c->order[c->next] * unit,
					  order, op, &c->next))
				return true;
	for (; c->pokes < CAMPAIGN_POKES; c->pokes++) {
		if (c->pokes % 2) {
			if (towards_theme(w, c->poked, order, op, &c->pokes))
				return true;
			continue;
		}
		c->poked = c->first + rn(w, n) * unit;
		away_from_theme(w, c->poked, order, op);
		c->pokes++;
		return true;
	}
	return false;
}

static bool campaign_op(struct model *w, struct set_op *op)
{
	if (!campaign_next(w, op)) {
		w->camp.kind = CAMP_NONE;
		return false;
	}
	/* A slot's 2 MiB entries under the global lock: 1 GiB merges. */
	op->global = w->camp.kind == CAMP_1G;
	return true;
}

static void random_type_global(struct model *w)
{
	unsigned int from, to;

	if (chance(w, 700)) {
		from = chance(w, 500) ? p2m_ram_rw : p2m_ram_logdirty;
		to = from == p2m_ram_rw ? p2m_ram_logdirty : p2m_ram_rw;
	} else {
		from = (unsigned int)rn(w, p2m_nr_types + 1);
		to = (unsigned int)rn(w, p2m_nr_types + 1);
	}
	do_type_global(w, from, to);
}

static void random_lookup(struct model *w)
{
	unsigned long g = random_gfn(w, PAGE_ORDER_4K);
	unsigned int k = (unsigned int)rn(w, 100);
	p2m_query_t q = k < 90 ? P2M_QUERY : k < 95 ? P2M_ALLOC : P2M_UNSHARE;

	snprintf(w->what, sizeof(w->what), "lookup %#lx q %u", g, q);
	check_lookup(w, g, q);
}

static void one_op(struct model *w)
{
	struct set_op op;

	if (!rn(w, 5000)) {
		unsigned int i = (unsigned int)rn(w, NR_FOCUS);

		w->focus[i] = rn(w, FULL_2M);
		snprintf(w->what, sizeof(w->what), "focus %u on gfn %#lx", i,
			 w->focus[i] << PAGE_ORDER_2M);
		return;
	}
	if (!rn(w, 10000)) {
		random_type_global(w);
		return;
	}
	if (w->camp.kind == CAMP_NONE && !rn(w, 300))
		start_campaign(w);
	if (w->camp.kind != CAMP_NONE && chance(w, 800) &&
	    campaign_op(w, &op)) {
		do_set(w, &op);
		return;
	}
	if (chance(w, 250)) {
		random_lookup(w);
		return;
	}
	random_set(w, &op);
	do_set(w, &op);
}

static void model_init(struct model *w, const struct p2m_backend_ops *ops)
{
	unsigned long r;
	unsigned int i;

	w->ops = ops;
	w->rng = test_seed() ^
		 (ops == &p2m_ept_ops ? 0x9e3779b97f4a7c15ULL : 0);
	w->m = malloc(MODEL_GFNS * sizeof(*w->m));
	w->dirty_2m = calloc(NR_2M, sizeof(*w->dirty_2m));
	w->uni_2m = calloc(NR_2M, sizeof(*w->uni_2m));
	w->theme_2m = calloc(NR_2M, sizeof(*w->theme_2m));
	CHECK(w->m && w->dirty_2m && w->uni_2m && w->theme_2m);
	for (r = 0; r < MODEL_GFNS; r++)
		w->m[r] = (struct ment){ NO_MFN, p2m_invalid, p2m_access_n };
	memset(w->dirty_2m, true, NR_2M * sizeof(*w->dirty_2m));
	memset(w->dirty_1g, true, sizeof(w->dirty_1g));

	domain_mem_init(&w->d, 1, 1024);
	domain_mem_init(&w->foreign, 2, NR_FOREIGN);
	w->pool = alloc_domheap_pages(&w->d, PAGE_ORDER_2M, 0);
	CHECK(w->pool && IS_ALIGNED(page_mfn(w->pool), 512));
	for (i = 0; i < NR_FOREIGN; i++) {
		w->foreign_pg[i] = alloc_domheap_page(&w->foreign, 0);
		CHECK(w->foreign_pg[i]);
	}
	w->unowned = alloc_heap_pages(0, 0);
	CHECK(w->unowned);

	for (r = 0; r < NR_2M; r++)
		random_theme(w, &w->theme_2m[r], PAGE_ORDER_2M);
	for (r = 0; r < NR_1G; r++)
		random_theme(w, &w->theme_1g[r], PAGE_ORDER_1G);
	for (i = 0; i < NR_FOCUS; i++)
		w->focus[i] = rn(w, FULL_2M);

	CHECK(!p2m_init(&w->p2m, &w->d, ops, MAX_GFN));
	w->rec.fn = record_note;
	p2m_register_notifier(&w->p2m, &w->rec);
}

static void drop_page(struct page_info *pg)
{
	if (test_and_clear_bit(_PGC_allocated, &pg->count_info))
		put_page(pg);
}

static void model_finish(struct model *w)
{
	unsigned int i;

	snprintf(w->what, sizeof(w->what), "teardown");
	p2m_teardown(&w->p2m);
	CHECK_EQ(w->p2m.nr_tables, 0);
	CHECK_EQ(w->teardowns, 1);
	/* Every foreign reference went with the entries. */
	for (i = 0; i < NR_FOREIGN; i++) {
		CHECK_EQ(refs(w->foreign_pg[i]), 1);
		drop_page(w->foreign_pg[i]);
	}
	for (i = 0; i < 512; i++) {
		CHECK_EQ(refs(&w->pool[i]), 1);
		drop_page(&w->pool[i]);
	}
	free_heap_pages(w->unowned, 0);
	CHECK_EQ(w->d.tot_pages, 0);
	CHECK_EQ(w->foreign.tot_pages, 0);
	free(w->m);
	free(w->dirty_2m);
	free(w->uni_2m);
	free(w->theme_2m);
}

static void run_model(const void *arg)
{
	struct model *w = calloc(1, sizeof(*w));
	bool trace = getenv("MODEL_TRACE");
	unsigned long free_before;
	struct stats *n;

	CHECK(w);
	n = &w->n;
	shim_add_ram(RAM_START, RAM_END);
	free_before = total_free_pages();
	model_init(w, arg);
	for (w->op = 0; w->op < MODEL_OPS; w->op++) {
		w->what[0] = '\0';
		one_op(w);
		if (trace)
			fprintf(stderr, "%lu: %s\n", w->op, w->what);
		if (!((w->op + 1) % SWEEP_EVERY)) {
			snprintf(w->what, sizeof(w->what), "full sweep");
			full_sweep(w);
		}
	}
	snprintf(w->what, sizeof(w->what), "last sweep");
	full_sweep(w);
	printf("%s: %lu ops: %lu sets, %lu refused, %lu no-op, %lu foreign; "
	       "%lu lookups; %lu type changes, %lu refused; splits %lu 2M "
	       "%lu 1G; merges %lu 2M (%lu predicted) %lu 1G; %lu campaigns, "
	       "%lu sweeps; %lu tables at the end\n",
	       w->ops->name, w->op, n->sets_ok, n->sets_refused, n->sets_noop,
	       n->foreign_maps, n->lookups, n->type_changes,
	       n->type_changes_refused, n->split_2m, n->split_1g, n->merge_2m,
	       n->predicted_merges, n->merge_1g, n->campaigns, n->sweeps,
	       w->p2m.nr_tables);
	model_finish(w);
	CHECK_EQ(total_free_pages(), free_before);

	/* The operations did what they are here for, often. */
	CHECK(n->sets_ok > MODEL_OPS / 4 && n->sets_refused > MODEL_OPS / 20);
	CHECK(n->sets_noop > MODEL_OPS / 100);
	CHECK(n->foreign_maps > MODEL_OPS / 2000);
	CHECK(n->type_changes > 0 && n->type_changes_refused > 0);
	CHECK(n->split_2m > MODEL_OPS / 100 && n->split_1g > MODEL_OPS / 2000);
	CHECK(n->merge_2m > MODEL_OPS / 400 && n->merge_1g > MODEL_OPS / 2000);
	CHECK(n->predicted_merges > MODEL_OPS / 300);
	free(w);
}

__attribute__((constructor)) static void register_model(void)
{
	harness_register_fn("p2m_model_npt" MODEL_SUFFIX, __FILE__, __LINE__,
			    run_model, &p2m_npt_ops);
	harness_register_fn("p2m_model_ept" MODEL_SUFFIX, __FILE__, __LINE__,
			    run_model, &p2m_ept_ops);
}
