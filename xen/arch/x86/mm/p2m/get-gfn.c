/*
 * The lookup API: get_gfn_type_access() and friends, put_gfn(), and
 * get_two_gfns(). Lookups with ALLOC or UNSHARE never return a PoD,
 * paging or (for UNSHARE) shared entry: the fix-up the type table names
 * runs with the range lock dropped, and the lookup looks again.
 *
 * What a CPU holds between get and put is recorded per CPU (the p2m, the
 * gfn, the frame, whether it took a page reference, and the range lock
 * word), so put_gfn drops exactly what get took even if the entry changed
 * in between. A holder is atomic: it cannot sleep or migrate, so per-CPU
 * records are exact.
 *
 * The frame must outlive the hold. Most entries already keep it alive
 * while they map it (entry_pins_frame), and only the holder's CPU can
 * change a held entry: such a hold takes no page reference until its CPU
 * changes the entry (p2m_holds_take_refs). Any other frame is referenced
 * from get to put.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <xen/sched.h>
#include "backend.h"

#define MAX_HELD_GFNS 8
/* A fix-up that keeps being undone: give up instead of spinning forever */
#define MAX_FIXUP_ROUNDS 64

struct held_gfn {
	struct p2m_domain *p2m;
	gfn_t gfn;
	/* The entry's frame, or NULL; referenced by the hold if ref. */
	struct page_info *pg;
	bool ref;
	/* Range lock word to release; NULL out of range or under global. */
	u32 *word;
};

struct held_gfns {
	unsigned int n;
	struct held_gfn h[MAX_HELD_GFNS];
};

static DEFINE_PER_CPU(struct held_gfns, held_gfns);

/*
 * Does the entry keep its frame pg alive for as long as it maps it? A
 * domain's own frame: its allocation reference is dropped only once the
 * frame is unmapped (decrease_reservation, physmap) or the p2m is torn
 * down (domain destruction). A foreign entry: it holds a reference of its
 * own, dropped when the entry goes. Any other frame (a grant, a frame
 * with no owner or another owner) is referenced by the hold itself.
 */
static bool entry_pins_frame(const struct p2m_domain *p2m, p2m_type_t t,
			     const struct page_info *pg)
{
	const struct domain *owner = page_get_owner(pg);

	return t == p2m_map_foreign || (owner && owner == p2m->domain);
}

/* Frame behind a successful lookup, referenced if its entry does not pin it */
static void hold_frame(struct p2m_domain *p2m, const struct p2m_lookup *res,
		       struct held_gfn *h)
{
	struct page_info *pg;

	h->pg = NULL;
	h->ref = false;
	/* get_entry gives INVALID_MFN for a type without a frame. */
	if (!pfn_valid(mfn_x(res->mfn)))
		return;
	pg = pfn_to_page(mfn_x(res->mfn));
	if (entry_pins_frame(p2m, res->t, pg)) {
		h->pg = pg;
	} else if (get_page(pg, page_get_owner(pg))) {
		h->pg = pg;
		h->ref = true;
	}
}

/* Record a hold; res is the successful lookup's result, or NULL. */
static void record_hold(struct p2m_domain *p2m, gfn_t gfn,
			const struct p2m_lookup *res, u32 *word)
{
	struct held_gfns *hg = &this_cpu(held_gfns);
	struct held_gfn *h;

	if (hg->n == MAX_HELD_GFNS)
		panic("CPU%u holds more than %u gfns\n", smp_processor_id(),
		      MAX_HELD_GFNS);
	h = &hg->h[hg->n++];
	h->p2m = p2m;
	h->gfn = gfn;
	h->word = word;
	if (res) {
		hold_frame(p2m, res, h);
	} else {
		h->pg = NULL;
		h->ref = false;
	}
}

void p2m_holds_take_refs(struct p2m_domain *p2m, gfn_t gfn, unsigned long nr)
{
	struct held_gfns *hg = &this_cpu(held_gfns);
	unsigned int i;

	for (i = 0; i < hg->n; i++) {
		struct held_gfn *h = &hg->h[i];

		if (h->p2m != p2m || !h->pg || h->ref ||
		    gfn_x(h->gfn) - gfn_x(gfn) >= nr)
			continue;
		/* Still mapped, so still pinned: fails only on a full count. */
		h->ref = get_page(h->pg, page_get_owner(h->pg));
		if (!h->ref)
			h->pg = NULL;
	}
}

/*
 * Run the fix-up gfn's state t needs for q, with no lock of this lookup
 * held. A caller that holds another lock (a p2m range among them) is
 * atomic and cannot sleep: its fix-up is only started (NOWAIT), so a
 * fix-up never sleeps with a p2m lock held and never hangs the host.
 */
static int run_fixup(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t t,
		     p2m_query_t q)
{
	if (!p2m->fixups)
		return -ENOENT;
	if (atomic_depth() && !(q & P2M_NOWAIT)) {
		if (!__atomic_fetch_add(&p2m->nr_atomic_fixups, 1,
					__ATOMIC_RELAXED))
			printk(XENLOG_WARNING
			       "p2m: d%u gfn %lx (%s) needs a fix-up in atomic "
			       "context: started, not waited for\n",
			       p2m->domain ? p2m->domain->domain_id : 0,
			       gfn_x(gfn), p2m_type_name(t));
		q |= P2M_NOWAIT;
	}
	return p2m->fixups->fixup(p2m, gfn, p2m_fixup_needed(t, q), q);
}

static void fail_lookup(struct p2m_lookup *res)
{
	*res = (struct p2m_lookup){ .mfn = INVALID_MFN, .t = p2m_invalid };
}

static void read_entry(struct p2m_domain *p2m, gfn_t gfn,
		       struct p2m_lookup *res)
{
	res->mfn = p2m->ops->get_entry(p2m, gfn, &res->t, &res->a, &res->order);
}

int p2m_get_gfn(struct p2m_domain *p2m, gfn_t gfn, p2m_query_t q,
		struct p2m_lookup *res)
{
	unsigned int round;
	u32 *word;
	int rc = 0;

	if (gfn_x(gfn) >= p2m->max_gfn) {
		fail_lookup(res);
		record_hold(p2m, gfn, NULL, NULL);
		return -EINVAL;
	}
	for (round = 0;; round++) {
		word = p2m_lock_gfn(p2m, gfn);
		read_entry(p2m, gfn, res);
		if (!p2m_fixup_needed(res->t, q))
			break;
		if (round == MAX_FIXUP_ROUNDS) {
			printk(XENLOG_WARNING "p2m: gfn %lx stays %s after %u "
					      "fix-ups\n",
			       gfn_x(gfn), p2m_type_name(res->t), round);
			rc = -EBUSY;
			break;
		}
		p2m_unlock_word(p2m, word);
		rc = run_fixup(p2m, gfn, res->t, q);
		if (rc) {
			word = p2m_lock_gfn(p2m, gfn);
			break;
		}
	}
	if (rc)
		fail_lookup(res);
	record_hold(p2m, gfn, rc ? NULL : res, word);
	return rc;
}

mfn_t get_gfn_type_access(struct p2m_domain *p2m, gfn_t gfn, p2m_type_t *t,
			  p2m_access_t *a, p2m_query_t q, unsigned int *order)
{
	struct p2m_lookup res;

	p2m_get_gfn(p2m, gfn, q, &res);
	if (t)
		*t = res.t;
	if (a)
		*a = res.a;
	if (order)
		*order = res.order;
	return res.mfn;
}

void put_gfn(struct p2m_domain *p2m, gfn_t gfn)
{
	struct held_gfns *hg = &this_cpu(held_gfns);
	struct held_gfn *h;
	struct page_info *pg;
	bool ref;
	u32 *word;
	unsigned int i;

	/* Most often the last hold: search from the top. */
	for (i = hg->n; i-- > 0;)
		if (hg->h[i].p2m == p2m && gfn_eq(hg->h[i].gfn, gfn))
			break;
	if (i >= hg->n)
		panic("put_gfn(%lx) on CPU%u without a matching get\n",
		      gfn_x(gfn), smp_processor_id());
	h = &hg->h[i];
	pg = h->pg;
	ref = h->ref;
	word = h->word;
	for (hg->n--; i < hg->n; i++)
		hg->h[i] = hg->h[i + 1];
	if (ref)
		put_page(pg);
	p2m_unlock_word(p2m, word);
}

/* Does (pa, ga)'s lock come before (pb, gb)'s? */
static bool locks_before(const struct p2m_domain *pa, gfn_t ga,
			 const struct p2m_domain *pb, gfn_t gb)
{
	if (p2m_lock_order(pa) != p2m_lock_order(pb))
		return p2m_lock_order(pa) < p2m_lock_order(pb);
	return (gfn_x(ga) >> PAGE_ORDER_2M) <= (gfn_x(gb) >> PAGE_ORDER_2M);
}

int get_two_gfns(struct p2m_domain *pa, gfn_t ga, p2m_query_t qa,
		 struct p2m_domain *pb, gfn_t gb, p2m_query_t qb,
		 struct two_gfns *out)
{
	struct p2m_domain *p[2] = { pa, pb };
	gfn_t g[2] = { ga, gb };
	p2m_query_t q[2] = { qa, qb };
	unsigned int first = locks_before(pa, ga, pb, gb) ? 0 : 1, round, i;
	u32 *word[2];
	int rc = 0;

	if (gfn_x(ga) >= pa->max_gfn || gfn_x(gb) >= pb->max_gfn)
		return -EINVAL;
	for (round = 0;; round++) {
		int fix = -1;

		word[first] = p2m_lock_gfn(p[first], g[first]);
		word[!first] = p2m_lock_gfn(p[!first], g[!first]);
		for (i = 0; i < 2; i++) {
			read_entry(p[i], g[i], &out->res[i]);
			if (fix < 0 && p2m_fixup_needed(out->res[i].t, q[i]))
				fix = (int)i;
		}
		if (fix < 0)
			break;
		p2m_unlock_word(p[!first], word[!first]);
		p2m_unlock_word(p[first], word[first]);
		/* Neither lock is held while the fix-up runs (it may sleep). */
		rc = round == MAX_FIXUP_ROUNDS ?
			     -EBUSY :
			     run_fixup(p[fix], g[fix], out->res[fix].t, q[fix]);
		if (rc)
			return rc;
	}
	for (i = 0; i < 2; i++) {
		out->p2m[i] = p[i];
		out->gfn[i] = g[i];
		/* Both lock holds are recorded against their own gfn. */
		record_hold(p[i], g[i], &out->res[i], word[i]);
	}
	return rc;
}

void put_two_gfns(struct two_gfns *tg)
{
	put_gfn(tg->p2m[1], tg->gfn[1]);
	put_gfn(tg->p2m[0], tg->gfn[0]);
}
