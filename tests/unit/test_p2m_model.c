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
#include "p2m_model.h"

#ifndef MODEL_OPS
#define MODEL_OPS 200000UL
#endif
#ifndef MODEL_SUFFIX
#define MODEL_SUFFIX ""
#endif

/* A frame for a frame-carrying entry of 2^order pages. */
static unsigned long random_mfn(struct model *w, unsigned int t,
				unsigned int order)
{
	unsigned long align = order < BITS_PER_LONG ? 1UL << order : 1;
	unsigned long fake = FAKE_FIRST + model_rn(w, MAX_PFN - FAKE_FIRST);
	unsigned int k = (unsigned int)model_rn(w, 100);

	if (t == p2m_map_foreign) {
		if (k < 80)
			return model_page_mfn(
				w->foreign_pg[model_rn(w, NR_FOREIGN)]);
		if (k < 90) /* d's own page */
			return model_page_mfn(w->pool) + model_rn(w, 512);
		if (k < 95) /* nobody's */
			return model_page_mfn(w->unowned);
		return fake;
	}
	if (k < 5)
		return INVALID_MFN_RAW;
	if (k < 10)
		return MAX_PFN + model_rn(w, MAX_PFN) * align;
	if (k < 15)
		return fake | 1;
	if (k < 35 && align <= 512)
		return model_page_mfn(w->pool) +
		       (model_rn(w, 512) & ~(align - 1));
	fake &= ~(align - 1);
	return fake < FAKE_FIRST ? fake + align : fake;
}

static unsigned int random_type(struct model *w)
{
	unsigned int k = (unsigned int)model_rn(w, 100);

	if (k < 2)
		return p2m_nr_types + (unsigned int)model_rn(w, 300);
	if (k < 20)
		return p2m_invalid;
	if (k < 40)
		return p2m_ram_rw;
	return (unsigned int)model_rn(w, p2m_nr_types);
}

static unsigned int random_access(struct model *w)
{
	if (model_chance(w, 20))
		return p2m_access_rwx + 1 + (unsigned int)model_rn(w, 300);
	if (model_chance(w, 400))
		return p2m_access_rwx;
	return (unsigned int)model_rn(w, p2m_access_rwx + 1);
}

/* A type that an empty entry may become, and merges as a 2 MiB region. */
void random_theme(struct model *w, struct theme *th, unsigned int order)
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

	th->t = fills[model_rn(w, ARRAY_SIZE(fills))];
	th->a = model_chance(w, 600) ?
			p2m_access_rwx :
			(p2m_access_t)model_rn(w, p2m_access_rwx + 1);
	if (order == PAGE_ORDER_2M && model_chance(w, 150))
		th->mfn = model_page_mfn(w->pool);
	else
		th->mfn = first +
			  model_rn(w, (MAX_PFN - first) / span - 1) * span;
	/* Contiguous, but not aligned to the size: must never merge. */
	if (th->mfn >= first && model_chance(w, 150))
		th->mfn += (1UL << (order - PAGE_ORDER_2M)) *
			   (1 + model_rn(w, (1UL << PAGE_ORDER_2M) - 1));
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
	unsigned int k = (unsigned int)model_rn(w, 100);
	unsigned long g;

	if (order == PAGE_ORDER_1G)
		g = model_rn(w, NR_1G) << PAGE_ORDER_1G;
	else if (k < 60 || (order == PAGE_ORDER_2M && k < 70))
		g = (w->focus[model_rn(w, NR_FOCUS)] << PAGE_ORDER_2M) |
		    model_rn(w, 512);
	else if (k < 95)
		g = model_rn(w, MAX_GFN + 1024);
	else
		g = MAX_GFN - 8 + model_rn(w, 16);
	/* Mostly aligned to the order. */
	if (order < BITS_PER_LONG && !model_chance(w, 50))
		g &= ~((1UL << order) - 1);
	return g;
}

static void random_set(struct model *w, struct set_op *op)
{
	static const unsigned int bad_orders[] = { 1,  8,  10, 17,  19, 27,
						   36, 63, 64, 100, ~0u };
	unsigned int k = (unsigned int)model_rn(w, 1000);
	unsigned int order =
		k < 3	? PAGE_ORDER_1G :
		k < 250 ? PAGE_ORDER_2M :
		k < 265 ? bad_orders[model_rn(w, ARRAY_SIZE(bad_orders))] :
			  PAGE_ORDER_4K;
	unsigned long g = random_gfn(w, order);

	if (model_chance(w, 500) && order <= PAGE_ORDER_1G && g < MODEL_GFNS) {
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
	op->global = model_chance(w, 30);
	op->hold = !op->global && order <= PAGE_ORDER_2M && g < MAX_GFN &&
		   IS_ALIGNED(g, 1UL << order) &&
		   MAX_GFN - g >= (1UL << order) && model_chance(w, 50);
}

static void start_campaign(struct model *w)
{
	struct campaign *c = &w->camp;
	unsigned int n, i;
	unsigned long r;

	*c = (struct campaign){ 0 };
	if (model_chance(w, 150)) {
		c->kind = CAMP_1G;
		c->first = model_rn(w, MAX_GFN >> PAGE_ORDER_1G)
			   << PAGE_ORDER_1G;
		random_theme(w, &c->th, PAGE_ORDER_1G);
		w->theme_1g[c->first >> PAGE_ORDER_1G] = c->th;
		n = SLOT_REGIONS;
	} else {
		r = model_chance(w, 500) ? w->focus[model_rn(w, NR_FOCUS)] :
					   model_rn(w, FULL_2M);
		c->kind = CAMP_2M;
		c->first = r << PAGE_ORDER_2M;
		/* A quarter of them empty the region (the theme stays 0). */
		if (model_chance(w, 750)) {
			random_theme(w, &c->th, PAGE_ORDER_2M);
			w->theme_2m[r] = c->th;
		}
		n = 1u << PAGE_ORDER_2M;
	}
	/* A random order to go through the region's entries (or regions) */
	for (i = 0; i < n; i++)
		c->order[i] = i;
	for (i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)model_rn(w, i + 1),
			     t = c->order[i];

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
		if (!model_continues(&want, first, &w->m[g + i], g + i))
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
		c->poked = c->first + model_rn(w, n) * unit;
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

	if (model_chance(w, 700)) {
		from = model_chance(w, 500) ? p2m_ram_rw : p2m_ram_logdirty;
		to = from == p2m_ram_rw ? p2m_ram_logdirty : p2m_ram_rw;
	} else {
		from = (unsigned int)model_rn(w, p2m_nr_types + 1);
		to = (unsigned int)model_rn(w, p2m_nr_types + 1);
	}
	model_do_type_global(w, from, to);
}

static void random_lookup(struct model *w)
{
	unsigned long g = random_gfn(w, PAGE_ORDER_4K);
	unsigned int k = (unsigned int)model_rn(w, 100);
	p2m_query_t q = k < 90 ? P2M_QUERY : k < 95 ? P2M_ALLOC : P2M_UNSHARE;

	snprintf(w->what, sizeof(w->what), "lookup %#lx q %u", g, q);
	model_check_lookup(w, g, q);
}

static void one_op(struct model *w)
{
	struct set_op op;

	if (!model_rn(w, 5000)) {
		unsigned int i = (unsigned int)model_rn(w, NR_FOCUS);

		w->focus[i] = model_rn(w, FULL_2M);
		snprintf(w->what, sizeof(w->what), "focus %u on gfn %#lx", i,
			 w->focus[i] << PAGE_ORDER_2M);
		return;
	}
	if (!model_rn(w, 10000)) {
		random_type_global(w);
		return;
	}
	if (w->camp.kind == CAMP_NONE && !model_rn(w, 300))
		start_campaign(w);
	if (w->camp.kind != CAMP_NONE && model_chance(w, 800) &&
	    campaign_op(w, &op)) {
		model_do_set(w, &op);
		return;
	}
	if (model_chance(w, 250)) {
		random_lookup(w);
		return;
	}
	random_set(w, &op);
	model_do_set(w, &op);
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
			model_full_sweep(w);
		}
	}
	snprintf(w->what, sizeof(w->what), "last sweep");
	model_full_sweep(w);
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
