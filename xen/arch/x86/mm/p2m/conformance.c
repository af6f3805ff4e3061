/*
 * The p2m conformance suite. Every case builds its own p2m on the backend
 * under test and checks behaviour through the public API, plus the
 * backend's software walker (what the hardware would see).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include "conformance.h"
#include <xen/sched.h>

#define CONF_MAX_GFN (1UL << 20) /* 4 GiB of guest-physical space */
#define LOG_SIZE 32
/* Frames beyond any RAM, for 1 GiB mappings nobody takes references on */
#define FAKE_MFN_1G _mfn(0x80000)

struct note {
	unsigned long first, nr, clock;
	enum p2m_change why;
};

/* A p2m with a recording notifier and hooks on its table pages. */
struct conf_p2m {
	struct p2m_domain p2m;
	struct p2m_notifier rec;
	unsigned long clock; /* orders notifications and table frees */
	unsigned int nr_notes;
	struct note notes[LOG_SIZE];
	/* Table frees: when the last one happened, covering what. */
	unsigned long last_free_clock;
	unsigned int nr_frees;
	/* Table allocations left before they fail (-1: unlimited). */
	int allocs_left;
	/* For checks made inside the notifier. */
	bool check_in_notifier;
	bool notifier_saw_lock;
	struct page_info *(*orig_alloc)(struct p2m_domain *);
	void (*orig_free)(struct p2m_domain *, struct page_info *);
};

static struct conf_p2m *conf_of(struct p2m_domain *p2m)
{
	return container_of(p2m, struct conf_p2m, p2m);
}

static void record_change(struct p2m_notifier *n, struct p2m_domain *p2m,
			  gfn_t first, unsigned long nr, enum p2m_change why)
{
	struct conf_p2m *c = container_of(n, struct conf_p2m, rec);

	if (c->check_in_notifier && (p2m_range_locked_by_me(p2m, first) ||
				     p2m_global_locked_by_me(p2m)))
		c->notifier_saw_lock = true;
	if (c->nr_notes < LOG_SIZE)
		c->notes[c->nr_notes++] =
			(struct note){ gfn_x(first), nr, ++c->clock, why };
}

static struct page_info *counted_alloc(struct p2m_domain *p2m)
{
	struct conf_p2m *c = conf_of(p2m);

	if (c->allocs_left == 0)
		return NULL;
	if (c->allocs_left > 0)
		c->allocs_left--;
	return c->orig_alloc(p2m);
}

static void recorded_free(struct p2m_domain *p2m, struct page_info *pg)
{
	struct conf_p2m *c = conf_of(p2m);

	c->last_free_clock = ++c->clock;
	c->nr_frees++;
	c->orig_free(p2m, pg);
}

static int conf_init(struct conf_p2m *c, const struct p2m_backend_ops *ops,
		     struct domain *d)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = p2m_init(&c->p2m, d, ops, CONF_MAX_GFN);
	if (rc)
		return rc;
	c->allocs_left = -1;
	c->orig_alloc = c->p2m.alloc_table;
	c->orig_free = c->p2m.free_table;
	c->p2m.alloc_table = counted_alloc;
	c->p2m.free_table = recorded_free;
	c->rec.fn = record_change;
	p2m_register_notifier(&c->p2m, &c->rec);
	return 0;
}

static void reset_notes(struct conf_p2m *c)
{
	c->nr_notes = 0;
	c->nr_frees = 0;
}

/* Did a notification cover [gfn, gfn + nr) with reason why? */
static bool noted(const struct conf_p2m *c, unsigned long gfn, unsigned long nr,
		  enum p2m_change why)
{
	unsigned int i;

	for (i = 0; i < c->nr_notes; i++)
		if (c->notes[i].why == why && c->notes[i].first <= gfn &&
		    gfn + nr <= c->notes[i].first + c->notes[i].nr)
			return true;
	return false;
}

static struct p2m_lookup query(struct p2m_domain *p2m, unsigned long gfn)
{
	struct p2m_lookup r;

	p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r);
	put_gfn(p2m, _gfn(gfn));
	return r;
}

static bool entry_is(struct p2m_domain *p2m, unsigned long gfn, mfn_t mfn,
		     p2m_type_t t, p2m_access_t a, unsigned int order)
{
	struct p2m_lookup r = query(p2m, gfn);

	return r.t == t && mfn_eq(r.mfn, mfn) && r.order == order &&
	       (t == p2m_invalid || r.a == a);
}

/* Does the software walk agree with what the entry should grant? */
static bool walk_agrees(struct p2m_domain *p2m, unsigned long gfn, mfn_t mfn,
			p2m_type_t t, p2m_access_t a)
{
	unsigned int perms = p2m_effective_perms(t, a);
	struct p2m_walk w;

	p2m->ops->walk(p2m, _gfn(gfn), P2M_R, &w);
	if (!perms)
		return w.fault == P2M_WALK_NOT_PRESENT;
	if (w.fault != P2M_WALK_OK || w.perms != perms || !mfn_eq(w.mfn, mfn))
		return false;
	p2m->ops->walk(p2m, _gfn(gfn), P2M_R | P2M_W | P2M_X, &w);
	return w.fault == (perms == (P2M_R | P2M_W | P2M_X) ? P2M_WALK_OK :
							      P2M_WALK_DENIED);
}

/*
 * Make gfn's entry type t through legal transitions only (a shortest path
 * in the transition table from an empty entry), with frame m where the
 * types carry one.
 */
static int reach(struct p2m_domain *p2m, unsigned long gfn, mfn_t m,
		 p2m_type_t t, p2m_access_t a)
{
	int prev[p2m_nr_types];
	p2m_type_t queue[p2m_nr_types], path[p2m_nr_types];
	unsigned int head = 0, tail = 0, n = 0, i;

	for (i = 0; i < p2m_nr_types; i++)
		prev[i] = -1;
	prev[p2m_invalid] = p2m_invalid;
	queue[tail++] = p2m_invalid;
	while (head < tail) {
		p2m_type_t from = queue[head++];

		for (i = 0; i < p2m_nr_types; i++)
			if (prev[i] < 0 && p2m_transition_ok(from, i)) {
				prev[i] = (int)from;
				queue[tail++] = (p2m_type_t)i;
			}
	}
	if (prev[t] < 0)
		return -EINVAL;
	for (i = t; i != p2m_invalid; i = (unsigned int)prev[i])
		path[n++] = (p2m_type_t)i;
	while (n--) {
		int rc = p2m_set_entry(p2m, _gfn(gfn), m, 0, path[n], a);

		if (rc)
			return rc;
	}
	return 0;
}

static struct page_info *ram_pages(struct domain *d, unsigned int order)
{
	return alloc_domheap_pages(d, order, 0);
}

void p2m_conf_drop_pages(struct page_info *pg, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (test_and_clear_bit(_PGC_allocated, &pg[i].count_info))
			put_page(&pg[i]);
}

static mfn_t mfn_of(struct page_info *pg)
{
	return _mfn(page_to_pfn(pg));
}

static unsigned long refs(const struct page_info *pg)
{
	return pg->count_info & PGC_count_mask;
}

static enum test_result empty_table(const struct p2m_backend_ops *ops,
				    struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct p2m_walk w;
	unsigned long gfns[] = { 0, 1, 511, 512, 0x40000, CONF_MAX_GFN - 1 };
	unsigned int i;

	CHECK(!conf_init(&c, ops, env->d));
	for (i = 0; i < ARRAY_SIZE(gfns); i++) {
		struct p2m_lookup r = query(&c.p2m, gfns[i]);

		CHECK(r.t == p2m_invalid && !mfn_valid_raw(r.mfn));
		ops->walk(&c.p2m, _gfn(gfns[i]), P2M_R, &w);
		CHECK(w.fault == P2M_WALK_NOT_PRESENT && w.level == 4);
	}
	CHECK(c.p2m.nr_tables == 1);
	p2m_teardown(&c.p2m);
	return TEST_PASS;
}

static enum test_result map_4k(const struct p2m_backend_ops *ops,
			       struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, 0);
	unsigned long gfns[] = { 0, 7, 512 + 3, 0x3ffff, CONF_MAX_GFN - 1 };
	unsigned int i;
	struct p2m_lookup r;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	for (i = 0; i < ARRAY_SIZE(gfns); i++) {
		CHECK(!p2m_set_entry(&c.p2m, _gfn(gfns[i]), mfn_of(pg), 0,
				     p2m_ram_rw, p2m_access_rwx));
		CHECK(entry_is(&c.p2m, gfns[i], mfn_of(pg), p2m_ram_rw,
			       p2m_access_rwx, 0));
		CHECK(walk_agrees(&c.p2m, gfns[i], mfn_of(pg), p2m_ram_rw,
				  p2m_access_rwx));
		/* Neighbours stay empty. */
		if (gfns[i] + 1 < CONF_MAX_GFN)
			CHECK(query(&c.p2m, gfns[i] + 1).t == p2m_invalid);
	}
	/* A lookup holds the range until put_gfn. */
	CHECK(!p2m_get_gfn(&c.p2m, _gfn(7), P2M_ALLOC, &r));
	CHECK(mfn_eq(r.mfn, mfn_of(pg)) && r.t == p2m_ram_rw);
	CHECK(p2m_range_locked_by_me(&c.p2m, _gfn(7)));
	put_gfn(&c.p2m, _gfn(7));
	CHECK(!p2m_range_locked_by_me(&c.p2m, _gfn(7)));
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

/*
 * Map pg (allocated to owner) at gfn as t and look it up; holding it,
 * unmap it and drop its allocation, as decrease_reservation does. Its
 * entry kept it, so the lookup took no reference; the frame must last
 * until put_gfn all the same.
 */
static bool held_frame_outlives_entry(struct p2m_domain *p2m, unsigned long gfn,
				      struct page_info *pg, p2m_type_t t,
				      struct domain *owner)
{
	unsigned long owned = owner->tot_pages, count;
	struct p2m_lookup r;
	bool ok;

	if (p2m_set_entry(p2m, _gfn(gfn), mfn_of(pg), 0, t, p2m_access_rw))
		return false;
	count = refs(pg);
	ok = !p2m_get_gfn(p2m, _gfn(gfn), P2M_QUERY, &r) && r.t == t &&
	     mfn_eq(r.mfn, mfn_of(pg)) && refs(pg) == count;
	ok = ok && !p2m_set_entry(p2m, _gfn(gfn), INVALID_MFN, 0, p2m_invalid,
				  p2m_access_n);
	p2m_conf_drop_pages(pg, 0);
	ok = ok && refs(pg) == 1 && owner->tot_pages == owned;
	put_gfn(p2m, _gfn(gfn));
	return ok && owner->tot_pages == owned - 1;
}

/*
 * The frame a lookup returns outlives the hold, whatever the holder does
 * to the entry. The domain's own frame and a foreign one are kept by
 * their entries, so the lookup takes no reference until the holder
 * changes the entry itself. A granted frame, which its entry does not
 * keep, is referenced from get to put.
 */
static enum test_result hold_keeps_frame(const struct p2m_backend_ops *ops,
					 struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, 0);
	struct page_info *fpg = ram_pages(env->foreign, 0);
	struct page_info *gpg = ram_pages(env->foreign, 0);
	struct p2m_lookup r;

	CHECK(pg && fpg && gpg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(held_frame_outlives_entry(&c.p2m, 7, pg, p2m_ram_rw, env->d));
	CHECK(held_frame_outlives_entry(&c.p2m, 0x10, fpg, p2m_map_foreign,
					env->foreign));

	/* A grant entry takes no reference: the lookup takes one. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x20), mfn_of(gpg), 0,
			     p2m_grant_map_rw, p2m_access_rw));
	CHECK(refs(gpg) == 1);
	CHECK(!p2m_get_gfn(&c.p2m, _gfn(0x20), P2M_QUERY, &r));
	CHECK(r.t == p2m_grant_map_rw && refs(gpg) == 2);
	put_gfn(&c.p2m, _gfn(0x20));
	CHECK(refs(gpg) == 1);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(gpg, 0);
	return TEST_PASS;
}

static enum test_result every_type_and_access(const struct p2m_backend_ops *ops,
					      struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, 0);
	unsigned int t, a;
	unsigned long gfn = 0x1000;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	for (t = p2m_ram_rw; t < p2m_nr_types; t++) {
		for (a = 0; a <= p2m_access_rwx; a++, gfn++) {
			mfn_t m = p2m_type_has_mfn(t) ? mfn_of(pg) :
							INVALID_MFN;
			struct page_info *fpg = NULL;

			if (t == p2m_map_foreign) {
				fpg = ram_pages(env->foreign, 0);
				CHECK(fpg);
				m = mfn_of(fpg);
			}
			CHECK(!reach(&c.p2m, gfn, m, t, a));
			CHECK(entry_is(&c.p2m, gfn, m, t, a, 0));
			CHECK(walk_agrees(&c.p2m, gfn, m, t, a));
			CHECK(!p2m_set_entry(&c.p2m, _gfn(gfn), INVALID_MFN, 0,
					     p2m_invalid, p2m_access_n));
			CHECK(query(&c.p2m, gfn).t == p2m_invalid);
			if (fpg)
				p2m_conf_drop_pages(fpg, 0);
		}
	}
	/* All removed: the leaf tables went (upper ones stay until teardown) */
	CHECK(c.p2m.nr_tables == 3);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

static enum test_result superpages(const struct p2m_backend_ops *ops,
				   struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	unsigned long offs[] = { 0, 1, 255, 511 };
	unsigned int i;
	struct p2m_walk w;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x200), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x40000), FAKE_MFN_1G, PAGE_ORDER_1G,
			     p2m_ram_ro, p2m_access_rx));
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		CHECK(entry_is(&c.p2m, 0x200 + offs[i],
			       mfn_add(mfn_of(pg), offs[i]), p2m_ram_rw,
			       p2m_access_rwx, PAGE_ORDER_2M));
		CHECK(walk_agrees(&c.p2m, 0x200 + offs[i],
				  mfn_add(mfn_of(pg), offs[i]), p2m_ram_rw,
				  p2m_access_rwx));
		CHECK(entry_is(&c.p2m, 0x40000 + offs[i] * 511,
			       mfn_add(FAKE_MFN_1G, offs[i] * 511), p2m_ram_ro,
			       p2m_access_rx, PAGE_ORDER_1G));
	}
	ops->walk(&c.p2m, _gfn(0x201), P2M_R, &w);
	CHECK(w.order == PAGE_ORDER_2M && w.level == 2);
	ops->walk(&c.p2m, _gfn(0x40001), P2M_R, &w);
	CHECK(w.order == PAGE_ORDER_1G && w.level == 3);
	ops->walk(&c.p2m, _gfn(0x40001), P2M_W, &w);
	CHECK(w.fault == P2M_WALK_DENIED);
	/* One table per level down to the leaves: root, L3, L2 = 3. */
	CHECK(c.p2m.nr_tables == 3);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

static enum test_result split_keeps_the_rest(const struct p2m_backend_ops *ops,
					     struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	struct page_info *one = ram_pages(env->d, 0);
	unsigned long i;

	CHECK(pg && one);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x400), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	reset_notes(&c);
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x405), mfn_of(one), 0, p2m_ram_ro,
			     p2m_access_rwx));
	CHECK(noted(&c, 0x400, 512, P2M_CHANGE_SPLIT));
	CHECK(noted(&c, 0x405, 1, P2M_CHANGE_ENTRY));
	for (i = 0; i < 512; i++) {
		if (i == 5)
			continue;
		CHECK(entry_is(&c.p2m, 0x400 + i, mfn_add(mfn_of(pg), i),
			       p2m_ram_rw, p2m_access_rwx, 0));
		CHECK(walk_agrees(&c.p2m, 0x400 + i, mfn_add(mfn_of(pg), i),
				  p2m_ram_rw, p2m_access_rwx));
	}
	CHECK(entry_is(&c.p2m, 0x405, mfn_of(one), p2m_ram_ro, p2m_access_rwx,
		       0));
	CHECK(walk_agrees(&c.p2m, 0x405, mfn_of(one), p2m_ram_ro,
			  p2m_access_rwx));

	/* A 1 GiB leaf splits twice. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x40000), FAKE_MFN_1G, PAGE_ORDER_1G,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x40000 + 0x1234), INVALID_MFN, 0,
			     p2m_invalid, p2m_access_n));
	CHECK(query(&c.p2m, 0x41234).t == p2m_invalid);
	CHECK(entry_is(&c.p2m, 0x41235, mfn_add(FAKE_MFN_1G, 0x1235),
		       p2m_ram_rw, p2m_access_rwx, 0));
	CHECK(entry_is(&c.p2m, 0x41400, mfn_add(FAKE_MFN_1G, 0x1400),
		       p2m_ram_rw, p2m_access_rwx, PAGE_ORDER_2M));
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	p2m_conf_drop_pages(one, 0);
	return TEST_PASS;
}

static enum test_result split_without_memory(const struct p2m_backend_ops *ops,
					     struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	unsigned long tables;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x600), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	tables = c.p2m.nr_tables;
	reset_notes(&c);
	c.allocs_left = 0;
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x601), INVALID_MFN, 0, p2m_invalid,
			    p2m_access_n) == -ENOMEM);
	/* Nothing changed, nobody was told anything. */
	CHECK(c.nr_notes == 0 && c.p2m.nr_tables == tables);
	CHECK(entry_is(&c.p2m, 0x601, mfn_add(mfn_of(pg), 1), p2m_ram_rw,
		       p2m_access_rwx, PAGE_ORDER_2M));
	/* A new path needing two tables fails cleanly on the second. */
	c.allocs_left = 1;
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x80001), mfn_of(pg), 0, p2m_ram_rw,
			    p2m_access_rwx) == -ENOMEM);
	CHECK(c.p2m.nr_tables == tables);
	CHECK(query(&c.p2m, 0x80001).t == p2m_invalid);
	c.allocs_left = -1;
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

static enum test_result merge_rebuilds(const struct p2m_backend_ops *ops,
				       struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	unsigned long i, tables;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	tables = c.p2m.nr_tables;
	/* 4 KiB at a time, in a scattered order. */
	for (i = 0; i < 512; i++) {
		unsigned long j = (i * 167) % 512;

		CHECK(!p2m_set_entry(&c.p2m, _gfn(0xa00 + j),
				     mfn_add(mfn_of(pg), j), 0, p2m_ram_rw,
				     p2m_access_rwx));
	}
	CHECK(entry_is(&c.p2m, 0xa00 + 77, mfn_add(mfn_of(pg), 77), p2m_ram_rw,
		       p2m_access_rwx, PAGE_ORDER_2M));
	CHECK(walk_agrees(&c.p2m, 0xa00 + 77, mfn_add(mfn_of(pg), 77),
			  p2m_ram_rw, p2m_access_rwx));
	CHECK(c.p2m.nr_tables == tables + 2); /* L3 and L2, no L1 */
	/* Not uniform (a different access): stays 4 KiB. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xa00 + 3), mfn_add(mfn_of(pg), 3), 0,
			     p2m_ram_rw, p2m_access_r));
	CHECK(query(&c.p2m, 0xa00 + 4).order == 0);
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xa00 + 3), mfn_add(mfn_of(pg), 3), 0,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(query(&c.p2m, 0xa00 + 4).order == PAGE_ORDER_2M);
	/* Removing everything 4 KiB at a time gives back every table. */
	for (i = 0; i < 512; i++)
		CHECK(!p2m_set_entry(&c.p2m, _gfn(0xa00 + i), INVALID_MFN, 0,
				     p2m_invalid, p2m_access_n));
	CHECK(c.p2m.nr_tables == tables + 2);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

static enum test_result notify_before_free(const struct p2m_backend_ops *ops,
					   struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	struct page_info *other = ram_pages(env->d, 0);
	unsigned long i;

	CHECK(pg && other);
	CHECK(!conf_init(&c, ops, env->d));
	for (i = 0; i < 8; i++)
		CHECK(!p2m_set_entry(&c.p2m, _gfn(0xc00 + i),
				     mfn_add(mfn_of(pg), i), 0, p2m_ram_rw,
				     p2m_access_rwx));
	/* Replacing 4 KiB entries with a superpage frees their table. */
	reset_notes(&c);
	c.check_in_notifier = true;
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xc00), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(noted(&c, 0xc00, 512, P2M_CHANGE_ENTRY));
	CHECK(c.nr_frees == 1);
	CHECK(c.notes[0].clock < c.last_free_clock);
	CHECK(c.notifier_saw_lock);

	/* A frame change is notified before set_entry returns. */
	reset_notes(&c);
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xc00), mfn_of(other), 0, p2m_ram_rw,
			     p2m_access_rwx));
	CHECK(noted(&c, 0xc00, 1, P2M_CHANGE_ENTRY));
	/* Weakening only (rw to ro) is notified too; no change is not. */
	reset_notes(&c);
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xc00), mfn_of(other), 0, p2m_ram_ro,
			     p2m_access_rwx));
	CHECK(noted(&c, 0xc00, 1, P2M_CHANGE_ENTRY));
	reset_notes(&c);
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xc00), mfn_of(other), 0, p2m_ram_ro,
			     p2m_access_rwx));
	CHECK(c.nr_notes == 0);
	/* Filling an empty entry weakens nothing. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x5000), mfn_of(other), 0, p2m_ram_rw,
			     p2m_access_rwx));
	CHECK(c.nr_notes == 0);

	/* Teardown tells every user before freeing anything. */
	reset_notes(&c);
	p2m_teardown(&c.p2m);
	CHECK(noted(&c, 0, CONF_MAX_GFN, P2M_CHANGE_TEARDOWN));
	CHECK(c.nr_frees > 0 && c.notes[0].clock < c.last_free_clock);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	p2m_conf_drop_pages(other, 0);
	return TEST_PASS;
}

static enum test_result transitions(const struct p2m_backend_ops *ops,
				    struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, 0);
	unsigned int from, to;
	unsigned long gfn = 0x2000;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	for (from = p2m_ram_rw; from < p2m_nr_types; from++) {
		for (to = 0; to < p2m_nr_types; to++, gfn++) {
			struct page_info *f1 = NULL, *f2 = NULL;
			mfn_t m1 = mfn_of(pg), m2 = mfn_of(pg);
			int rc;

			if (from == p2m_map_foreign) {
				f1 = ram_pages(env->foreign, 0);
				CHECK(f1);
				m1 = mfn_of(f1);
			}
			if (to == p2m_map_foreign) {
				f2 = ram_pages(env->foreign, 0);
				CHECK(f2);
				m2 = mfn_of(f2);
			}
			CHECK(!reach(&c.p2m, gfn, m1, from, p2m_access_rw));
			rc = p2m_set_entry(&c.p2m, _gfn(gfn), m2, 0, to,
					   p2m_access_rw);
			if (p2m_transition_ok(from, to)) {
				CHECK(rc == 0);
				CHECK(query(&c.p2m, gfn).t == to);
			} else {
				/* Refused, and the entry is as it was. */
				CHECK(rc == -EINVAL);
				CHECK(entry_is(&c.p2m, gfn,
					       p2m_type_has_mfn(from) ?
						       m1 :
						       INVALID_MFN,
					       from, p2m_access_rw, 0));
			}
			CHECK(!p2m_set_entry(&c.p2m, _gfn(gfn), INVALID_MFN, 0,
					     p2m_invalid, p2m_access_n));
			if (f1)
				p2m_conf_drop_pages(f1, 0);
			if (f2)
				p2m_conf_drop_pages(f2, 0);
		}
	}
	/* The table is not trivial: some refusals exist. */
	CHECK(!p2m_transition_ok(p2m_ram_paged, p2m_ram_paging_out));
	CHECK(!p2m_transition_ok(p2m_mmio_direct, p2m_ram_rw));
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

static enum test_result bad_arguments(const struct p2m_backend_ops *ops,
				      struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, 0);
	mfn_t m;
	struct p2m_lookup r;

	CHECK(pg);
	m = mfn_of(pg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(p2m_set_entry(&c.p2m, _gfn(1), m, 5, p2m_ram_rw, 7) == -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x201), m, PAGE_ORDER_2M, p2m_ram_rw,
			    7) == -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x200), _mfn(0x201), PAGE_ORDER_2M,
			    p2m_ram_rw, 7) == -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(CONF_MAX_GFN), m, 0, p2m_ram_rw, 7) ==
	      -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(~0UL), m, 0, p2m_ram_rw, 7) ==
	      -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0), m, 0, p2m_nr_types, 7) == -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0), m, 0, p2m_ram_rw, 8) == -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0), INVALID_MFN, 0, p2m_ram_rw, 7) ==
	      -EINVAL);
	/* Foreign: only another domain's page, only 4 KiB. */
	CHECK(p2m_set_entry(&c.p2m, _gfn(0), m, 0, p2m_map_foreign, 7) ==
	      -EINVAL);
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x200), m, PAGE_ORDER_2M,
			    p2m_map_foreign, 7) == -EINVAL);
	CHECK(query(&c.p2m, 0).t == p2m_invalid);
	/* Lookups out of range: an error, and put_gfn still balances. */
	CHECK(p2m_get_gfn(&c.p2m, _gfn(CONF_MAX_GFN), P2M_ALLOC, &r) ==
	      -EINVAL);
	CHECK(r.t == p2m_invalid && !mfn_valid_raw(r.mfn));
	put_gfn(&c.p2m, _gfn(CONF_MAX_GFN));
	CHECK(c.p2m.nr_tables == 1);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

static enum test_result type_change_global(const struct p2m_backend_ops *ops,
					   struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	unsigned long flushes;
	struct p2m_walk w;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0xe00), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x3), mfn_add(mfn_of(pg), 3), 0,
			     p2m_ram_rw, p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x4), mfn_add(mfn_of(pg), 4), 0,
			     p2m_ram_ro, p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x40000), FAKE_MFN_1G, PAGE_ORDER_1G,
			     p2m_ram_rw, p2m_access_rwx));
	flushes = c.p2m.nr_flushes;
	reset_notes(&c);
	CHECK(!p2m_change_type_global(&c.p2m, p2m_ram_rw, p2m_ram_logdirty));
	/* One notification, one flush for the whole batch. */
	CHECK(c.nr_notes == 1 && c.p2m.nr_flushes == flushes + 1);
	CHECK(query(&c.p2m, 0xe05).t == p2m_ram_logdirty);
	CHECK(query(&c.p2m, 0x3).t == p2m_ram_logdirty);
	CHECK(query(&c.p2m, 0x4).t == p2m_ram_ro);
	CHECK(entry_is(&c.p2m, 0x40007, mfn_add(FAKE_MFN_1G, 7),
		       p2m_ram_logdirty, p2m_access_rwx, PAGE_ORDER_1G));
	ops->walk(&c.p2m, _gfn(0xe05), P2M_W, &w);
	CHECK(w.fault == P2M_WALK_DENIED);
	CHECK(!p2m_change_type_global(&c.p2m, p2m_ram_logdirty, p2m_ram_rw));
	ops->walk(&c.p2m, _gfn(0xe05), P2M_W, &w);
	CHECK(w.fault == P2M_WALK_OK);
	/* Re-typing that would lose or invent frames is refused. */
	CHECK(p2m_change_type_global(&c.p2m, p2m_ram_rw, p2m_ram_paged) ==
	      -EINVAL);
	CHECK(p2m_change_type_global(&c.p2m, p2m_ram_rw, p2m_ram_rw) ==
	      -EINVAL);
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

static enum test_result foreign_references(const struct p2m_backend_ops *ops,
					   struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *fpg = ram_pages(env->foreign, 0);
	struct page_info *fpg2 = ram_pages(env->foreign, 0);
	unsigned long count, owned;

	CHECK(fpg && fpg2);
	count = fpg->count_info & PGC_count_mask;
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x10), mfn_of(fpg), 0,
			     p2m_map_foreign, p2m_access_rw));
	CHECK((fpg->count_info & PGC_count_mask) == count + 1);
	/* Foreign over foreign is refused, and takes no reference. */
	CHECK(p2m_set_entry(&c.p2m, _gfn(0x10), mfn_of(fpg2), 0,
			    p2m_map_foreign, p2m_access_rw) == -EINVAL);
	CHECK((fpg2->count_info & PGC_count_mask) == 1);
	/* Removing the entry drops its reference once. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x10), INVALID_MFN, 0, p2m_invalid,
			     p2m_access_n));
	CHECK((fpg->count_info & PGC_count_mask) == count);

	/* The owner lets go first: the mapping keeps the page alive. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x11), mfn_of(fpg2), 0,
			     p2m_map_foreign, p2m_access_rw));
	owned = env->foreign->tot_pages;
	p2m_conf_drop_pages(fpg2, 0);
	CHECK(!page_state_is(fpg2, free) && env->foreign->tot_pages == owned);
	/* Tearing the mapper down drops the last reference: page freed. */
	p2m_teardown(&c.p2m);
	CHECK(env->foreign->tot_pages == owned - 1);
	p2m_conf_drop_pages(fpg, 0);
	return TEST_PASS;
}

/* Fix-up doubles: what PoD, paging and sharing will do for real. */
struct fixup_double {
	struct p2m_fixup_ops ops;
	struct page_info *pg;
	unsigned int calls, started;
	enum p2m_fixup last_kind;
	bool saw_lock, slept_atomic;
	int fail_with;
	bool no_progress;
};

static struct fixup_double *double_of(struct p2m_domain *p2m)
{
	return (struct fixup_double *)p2m->fixups;
}

/*
 * The fix-up double: a fix-up that would sleep unless NOWAIT. Sleeping
 * with a lock held (or in any atomic context) is what it records as the
 * bug; with NOWAIT it only "starts" the work and says -EAGAIN.
 */
static int double_fix(struct p2m_domain *p2m, gfn_t gfn, enum p2m_fixup kind,
		      p2m_query_t q)
{
	struct fixup_double *fd = double_of(p2m);

	fd->calls++;
	fd->last_kind = kind;
	if (p2m_range_locked_by_me(p2m, gfn))
		fd->saw_lock = true;
	if (q & P2M_NOWAIT) {
		fd->started++;
		return -EAGAIN;
	}
	if (atomic_depth())
		fd->slept_atomic = true;
	if (fd->fail_with)
		return fd->fail_with;
	if (fd->no_progress)
		return 0;
	return p2m_set_entry(p2m, gfn, mfn_of(fd->pg), 0, p2m_ram_rw,
			     p2m_access_rwx);
}
static enum test_result lookup_fixups(const struct p2m_backend_ops *ops,
				      struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct fixup_double fd = { .ops = { double_fix } };
	struct page_info *pg = ram_pages(env->d, 0);
	p2m_type_t t;
	mfn_t m;
	struct p2m_lookup r;
	unsigned int i;
	const p2m_type_t hidden[] = { p2m_populate_on_demand, p2m_ram_paged,
				      p2m_ram_paging_in };

	CHECK(pg);
	fd.pg = pg;
	CHECK(!conf_init(&c, ops, env->d));
	for (i = 0; i < ARRAY_SIZE(hidden); i++) {
		unsigned long gfn = 0x100 + i;

		CHECK(!reach(&c.p2m, gfn, INVALID_MFN, hidden[i],
			     p2m_access_rwx));
		/* With no fix-up registered: an error, never the state. */
		CHECK(p2m_get_gfn(&c.p2m, _gfn(gfn), P2M_ALLOC, &r) == -ENOENT);
		CHECK(r.t == p2m_invalid);
		put_gfn(&c.p2m, _gfn(gfn));
		c.p2m.fixups = &fd.ops;
		/* QUERY shows the state as it is. */
		m = get_gfn_query(&c.p2m, _gfn(gfn), &t);
		CHECK(t == hidden[i] && !mfn_valid_raw(m));
		put_gfn(&c.p2m, _gfn(gfn));
		/* ALLOC fixes it up (lock dropped), then looks again. */
		m = get_gfn(&c.p2m, _gfn(gfn), &t);
		CHECK(t == p2m_ram_rw && mfn_eq(m, mfn_of(pg)));
		CHECK(fd.last_kind == (i ? P2M_FIXUP_PAGE_IN : P2M_FIXUP_POD));
		put_gfn(&c.p2m, _gfn(gfn));
		c.p2m.fixups = NULL;
	}
	c.p2m.fixups = &fd.ops;
	CHECK(fd.calls == ARRAY_SIZE(hidden) && !fd.saw_lock);

	/* Shared: ALLOC reads it as it is, UNSHARE breaks the sharing. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x200), mfn_of(pg), 0, p2m_ram_rw,
			     p2m_access_rwx));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x200), mfn_of(pg), 0, p2m_ram_shared,
			     p2m_access_rwx));
	get_gfn(&c.p2m, _gfn(0x200), &t);
	CHECK(t == p2m_ram_shared);
	put_gfn(&c.p2m, _gfn(0x200));
	get_gfn_unshare(&c.p2m, _gfn(0x200), &t);
	CHECK(t == p2m_ram_rw && fd.last_kind == P2M_FIXUP_UNSHARE);
	put_gfn(&c.p2m, _gfn(0x200));

	/*
	 * NOWAIT: the fix-up is started, not waited for; -EAGAIN, and the
	 * lock held as for any lookup.
	 */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x400), INVALID_MFN, 0, p2m_ram_paged,
			     p2m_access_rwx));
	CHECK(p2m_get_gfn(&c.p2m, _gfn(0x400), P2M_ALLOC | P2M_NOWAIT, &r) ==
	      -EAGAIN);
	CHECK(r.t == p2m_invalid && fd.started == 1 &&
	      p2m_range_locked_by_me(&c.p2m, _gfn(0x400)));
	put_gfn(&c.p2m, _gfn(0x400));
	/*
	 * A caller holding another range lock is atomic: its fix-up takes the
	 * no-wait path (counted) instead of sleeping with the lock held.
	 */
	p2m_lock_range(&c.p2m, _gfn(0x10), PAGE_ORDER_4K);
	CHECK(p2m_get_gfn(&c.p2m, _gfn(0x400), P2M_ALLOC, &r) == -EAGAIN);
	put_gfn(&c.p2m, _gfn(0x400));
	p2m_unlock_range(&c.p2m, _gfn(0x10), PAGE_ORDER_4K);
	CHECK(fd.started == 2 && c.p2m.nr_atomic_fixups == 1);
	/* Without the other lock it is waited for again. */
	m = get_gfn(&c.p2m, _gfn(0x400), &t);
	CHECK(t == p2m_ram_rw);
	put_gfn(&c.p2m, _gfn(0x400));
	CHECK(!fd.slept_atomic);

	/* A failing fix-up's error comes back; the lock is still held. */
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x300), INVALID_MFN, 0,
			     p2m_populate_on_demand, p2m_access_rwx));
	fd.fail_with = -ENOMEM;
	CHECK(p2m_get_gfn(&c.p2m, _gfn(0x300), P2M_ALLOC, &r) == -ENOMEM);
	CHECK(r.t == p2m_invalid &&
	      p2m_range_locked_by_me(&c.p2m, _gfn(0x300)));
	put_gfn(&c.p2m, _gfn(0x300));
	/* One that never makes progress is given up on, not spun on. */
	fd.fail_with = 0;
	fd.no_progress = true;
	CHECK(p2m_get_gfn(&c.p2m, _gfn(0x300), P2M_ALLOC, &r) == -EBUSY);
	put_gfn(&c.p2m, _gfn(0x300));
	CHECK(!p2m_range_locked_by_me(&c.p2m, _gfn(0x300)));
	c.p2m.fixups = NULL;
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

static enum test_result two_gfns(const struct p2m_backend_ops *ops,
				 struct p2m_conf_env *env)
{
	struct conf_p2m a, b;
	struct fixup_double fd = { .ops = { double_fix } };
	struct page_info *pg = ram_pages(env->d, 0);
	struct two_gfns tg;

	CHECK(pg);
	fd.pg = pg;
	CHECK(!conf_init(&a, ops, env->d));
	CHECK(!conf_init(&b, ops, env->d));
	b.p2m.fixups = &fd.ops;
	CHECK(!p2m_set_entry(&a.p2m, _gfn(0x700), mfn_of(pg), 0, p2m_ram_rw,
			     p2m_access_rwx));
	CHECK(!p2m_set_entry(&b.p2m, _gfn(0x20), INVALID_MFN, 0, p2m_ram_paged,
			     p2m_access_rwx));
	/* Either argument order: the locks go in one fixed order. */
	CHECK(!get_two_gfns(&b.p2m, _gfn(0x20), P2M_ALLOC, &a.p2m, _gfn(0x700),
			    P2M_QUERY, &tg));
	CHECK(tg.res[0].t == p2m_ram_rw && tg.res[1].t == p2m_ram_rw);
	CHECK(p2m_range_locked_by_me(&a.p2m, _gfn(0x700)) &&
	      p2m_range_locked_by_me(&b.p2m, _gfn(0x20)));
	put_two_gfns(&tg);
	CHECK(fd.calls == 1 && !fd.saw_lock);
	CHECK(!p2m_range_locked_by_me(&a.p2m, _gfn(0x700)) &&
	      !p2m_range_locked_by_me(&b.p2m, _gfn(0x20)));
	CHECK(!get_two_gfns(&a.p2m, _gfn(0x700), P2M_QUERY, &b.p2m, _gfn(0x20),
			    P2M_QUERY, &tg));
	put_two_gfns(&tg);
	/* The same range twice (recursive) and the same gfn twice. */
	CHECK(!get_two_gfns(&a.p2m, _gfn(0x700), P2M_QUERY, &a.p2m, _gfn(0x701),
			    P2M_QUERY, &tg));
	put_two_gfns(&tg);
	CHECK(!get_two_gfns(&a.p2m, _gfn(0x700), P2M_QUERY, &a.p2m, _gfn(0x700),
			    P2M_QUERY, &tg));
	put_two_gfns(&tg);
	CHECK(!p2m_range_locked_by_me(&a.p2m, _gfn(0x700)));
	CHECK(get_two_gfns(&a.p2m, _gfn(CONF_MAX_GFN), P2M_QUERY, &b.p2m,
			   _gfn(0), P2M_QUERY, &tg) == -EINVAL);
	b.p2m.fixups = NULL;
	p2m_teardown(&a.p2m);
	p2m_teardown(&b.p2m);
	p2m_conf_drop_pages(pg, 0);
	return TEST_PASS;
}

static enum test_result walker_reserved_bits(const struct p2m_backend_ops *ops,
					     struct p2m_conf_env *env)
{
	struct conf_p2m c;
	struct page_info *pg = ram_pages(env->d, PAGE_ORDER_2M);
	struct p2m_walk w;
	u64 *e, saved;

	CHECK(pg);
	CHECK(!conf_init(&c, ops, env->d));
	CHECK(!p2m_set_entry(&c.p2m, _gfn(0x800), mfn_of(pg), PAGE_ORDER_2M,
			     p2m_ram_rw, p2m_access_rwx));
	e = pt_entry_ptr(&c.p2m, _gfn(0x800), 2);
	CHECK(e);
	saved = *e;
	/* Bit 13 is reserved in a 2 MiB leaf in both formats. */
	*e = saved | (1UL << 13);
	ops->walk(&c.p2m, _gfn(0x801), P2M_R, &w);
	CHECK(w.fault == P2M_WALK_RESERVED && w.level == 2);
	/* So are frame bits above the physical address width. */
	*e = saved | (1UL << 45);
	ops->walk(&c.p2m, _gfn(0x801), P2M_R, &w);
	CHECK(w.fault == P2M_WALK_RESERVED);
	*e = saved;
	ops->walk(&c.p2m, _gfn(0x801), P2M_R, &w);
	CHECK(w.fault == P2M_WALK_OK);
	/* A superpage bit in the top level is reserved. */
	e = pt_entry_ptr(&c.p2m, _gfn(0x800), 4);
	CHECK(e);
	saved = *e;
	*e = saved | (1UL << 7);
	ops->walk(&c.p2m, _gfn(0x801), P2M_R, &w);
	CHECK(w.fault == P2M_WALK_RESERVED && w.level == 4);
	*e = saved;
	p2m_teardown(&c.p2m);
	p2m_conf_drop_pages(pg, PAGE_ORDER_2M);
	return TEST_PASS;
}

/*
 * What the pager's prep with a buffer will do: with the guest's gfn
 * locked, look its own buffer up in its own p2m and copy the page in.
 * Bracketed so that a rank violation is counted rather than a panic.
 */
static void pager_copy(struct p2m_domain *guest, gfn_t to,
		       struct p2m_domain *own, gfn_t from)
{
	struct p2m_lookup dst, src;

	lock_rank_expect_violation(true);
	p2m_get_gfn(guest, to, P2M_ALLOC, &dst);
	p2m_get_gfn(own, from, P2M_ALLOC, &src);
	if (mfn_valid_raw(dst.mfn) && mfn_valid_raw(src.mfn))
		memcpy(__va((paddr_t)mfn_x(dst.mfn) << PAGE_SHIFT),
		       __va((paddr_t)mfn_x(src.mfn) << PAGE_SHIFT), PAGE_SIZE);
	put_gfn(own, from);
	put_gfn(guest, to);
	lock_rank_expect_violation(false);
}

/*
 * The control domain's p2m locks rank after every other domain's, even
 * when its p2m is the older one: the copy above is no inversion. Taken
 * from a domain that is not the control domain it is one, which shows
 * the checker is watching (debug builds).
 */
static enum test_result
control_domain_locks_last(const struct p2m_backend_ops *ops,
			  struct p2m_conf_env *env)
{
	struct conf_p2m own, guest;
	struct page_info *buf = ram_pages(env->foreign, 0);
	struct page_info *pg = ram_pages(env->d, 0);
	bool was_privileged = env->foreign->is_privileged;
	unsigned int seen = lock_rank_violations_seen();

	CHECK(buf && pg);
	CHECK(!conf_init(&own, ops, env->foreign));
	CHECK(!conf_init(&guest, ops, env->d));
	CHECK(!p2m_set_entry(&own.p2m, _gfn(0x40), mfn_of(buf), 0, p2m_ram_rw,
			     p2m_access_rwx));
	CHECK(!p2m_set_entry(&guest.p2m, _gfn(0x80), mfn_of(pg), 0, p2m_ram_rw,
			     p2m_access_rwx));
	memset(page_to_virt(buf), 0x5a, PAGE_SIZE);
	memset(page_to_virt(pg), 0, PAGE_SIZE);

	env->foreign->is_privileged = true;
	pager_copy(&guest.p2m, _gfn(0x80), &own.p2m, _gfn(0x40));
	CHECK(lock_rank_violations_seen() == seen);
	CHECK(((u8 *)page_to_virt(pg))[PAGE_SIZE - 1] == 0x5a);
#ifndef NDEBUG
	env->foreign->is_privileged = false;
	pager_copy(&guest.p2m, _gfn(0x80), &own.p2m, _gfn(0x40));
	CHECK(lock_rank_violations_seen() == seen + 1);
#endif
	env->foreign->is_privileged = was_privileged;
	p2m_teardown(&guest.p2m);
	p2m_teardown(&own.p2m);
	p2m_conf_drop_pages(pg, 0);
	p2m_conf_drop_pages(buf, 0);
	return TEST_PASS;
}

const struct p2m_conf_case p2m_conf_cases[] = {
	{ "empty_table", empty_table },
	{ "map_4k", map_4k },
	{ "hold_keeps_frame", hold_keeps_frame },
	{ "every_type_and_access", every_type_and_access },
	{ "superpages", superpages },
	{ "split_keeps_the_rest", split_keeps_the_rest },
	{ "split_without_memory", split_without_memory },
	{ "merge_rebuilds", merge_rebuilds },
	{ "notify_before_free", notify_before_free },
	{ "transitions", transitions },
	{ "bad_arguments", bad_arguments },
	{ "type_change_global", type_change_global },
	{ "foreign_references", foreign_references },
	{ "lookup_fixups", lookup_fixups },
	{ "two_gfns", two_gfns },
	{ "walker_reserved_bits", walker_reserved_bits },
	{ "control_domain_locks_last", control_domain_locks_last },
	{ "accessed_new_leaves", p2m_conf_accessed_new_leaves },
	{ "accessed_superpages", p2m_conf_accessed_superpages },
	{ "accessed_kept_by_rewrites", p2m_conf_accessed_kept_by_rewrites },
	{ "accessed_only_present_ram", p2m_conf_accessed_only_present_ram },
	{ "accessed_bad_calls", p2m_conf_accessed_bad_calls },
};

const unsigned int p2m_conf_nr_cases = ARRAY_SIZE(p2m_conf_cases);

unsigned int p2m_conformance_run(const struct p2m_backend_ops *ops,
				 struct p2m_conf_env *env, bool verbose)
{
	unsigned int i, failed = 0;

	for (i = 0; i < p2m_conf_nr_cases; i++) {
		unsigned long d_pages = env->d->tot_pages;
		unsigned long f_pages = env->foreign->tot_pages;
		enum test_result r = p2m_conf_cases[i].fn(ops, env);

		/* Every case gives back every page it took. */
		if (r == TEST_PASS && (env->d->tot_pages != d_pages ||
				       env->foreign->tot_pages != f_pages)) {
			printk("  %s/%s: domain pages leaked\n", ops->name,
			       p2m_conf_cases[i].name);
			r = TEST_FAIL;
		}
		if (r == TEST_FAIL)
			failed++;
		if (r == TEST_FAIL || verbose)
			printk("  %s %s/%s\n", r == TEST_FAIL ? "FAIL" : "ok",
			       ops->name, p2m_conf_cases[i].name);
	}
	return failed;
}
