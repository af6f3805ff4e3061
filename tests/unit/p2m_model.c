/* The p2m model test's reference model: see p2m_model.h. */
#include "p2m_model.h"

u64 model_rn(struct model *w, u64 n)
{
	return rnd_below(&w->rng, n);
}

bool model_chance(struct model *w, unsigned int per_mille)
{
	return model_rn(w, 1000) < per_mille;
}

unsigned long model_page_mfn(const struct page_info *pg)
{
	return page_to_pfn(pg);
}

static unsigned long refs(const struct page_info *pg)
{
	return pg->count_info & PGC_count_mask;
}

/* Does entry b (at gfn gb) continue entry a (at ga) in one mapping? */
bool model_continues(const struct ment *a, unsigned long ga,
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
		if (!model_continues(&w->m[g0], g0, &w->m[g0 + i], g0 + i)) {
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
		    !model_continues(&w->m[g0], g0, &w->m[g], g)) {
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
		if (model_page_mfn(w->foreign_pg[i]) == mfn)
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
unsigned int model_check_lookup(struct model *w, unsigned long g, p2m_query_t q)
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
		walk_one(w, base + model_rn(w, min(end, MODEL_GFNS) - base),
			 &wk);
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

void model_full_sweep(struct model *w)
{
	unsigned long g = 0;

	w->n.sweeps++;
	while (g < MODEL_GFNS) {
		unsigned long next = check_walk(w, g);

		if (g < MAX_GFN)
			model_check_lookup(w, g, P2M_QUERY);
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

void model_do_set(struct model *w, const struct set_op *op)
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
		order_before = model_check_lookup(w, op->gfn, P2M_QUERY);
	if (op->t == p2m_map_foreign)
		fi = foreign_index(w, op->mfn);
	nr = op->order < BITS_PER_LONG ? 1UL << op->order : 0;
	held = op->hold ? op->gfn + model_rn(w, nr) : 0;
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
			model_check_lookup(w, op->gfn, P2M_QUERY);
		return;
	}
	changed = model_set(w, op, &had, &had_present);
	if (!changed) {
		unsigned int order_after =
			model_check_lookup(w, op->gfn, P2M_QUERY);

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
	if (model_check_lookup(w, op->gfn, P2M_QUERY) < PAGE_ORDER_2M && merge)
		MFAIL(w, "2 MiB region uniform, not merged");
	model_check_lookup(w, op->gfn + nr - 1, P2M_QUERY);
	model_check_lookup(w, op->gfn + model_rn(w, nr), P2M_QUERY);
	check_walk_range(w, op->gfn, nr);
	if (fi >= 0 || had)
		check_foreign_refs(w);
}

void model_do_type_global(struct model *w, unsigned int from, unsigned int to)
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
	model_full_sweep(w);
}

void model_init(struct model *w, const struct p2m_backend_ops *ops)
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
	CHECK(w->pool && IS_ALIGNED(model_page_mfn(w->pool), 512));
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
		w->focus[i] = model_rn(w, FULL_2M);

	CHECK(!p2m_init(&w->p2m, &w->d, ops, MAX_GFN));
	w->rec.fn = record_note;
	p2m_register_notifier(&w->p2m, &w->rec);
}

static void drop_page(struct page_info *pg)
{
	if (test_and_clear_bit(_PGC_allocated, &pg->count_info))
		put_page(pg);
}

void model_finish(struct model *w)
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
