/*
 * pager: the control domain pages another domain through the paging ABI
 * (public/domctl.h, vm_event.h, memory.h), as a pager in dom0 would.
 * `target=DOMID resident=PCT` (default 25): it sets up the target's
 * paging ring (serve.c), then evicts the target's gfns round the clock
 * (nominate, foreign map, copy into its store, unmap, evict) until only
 * PCT% of its pages are resident, serves page-ins, and keeps evicting to
 * hold that. Once, with the target paused, it saves a batch of gfns and
 * pages them out with one populate_evicted. It ends when the target is
 * gone: the counts, then SUCCESS if no protocol error was seen and pages
 * went both ways. `hot=N` also evicts the gfns below N before each
 * page-in of another gfn (serve.c). `mode=hostile` runs hostile.c's checks instead, then
 * serves the ring without evicting. `mode=bench` sets up pagetest's
 * page-in benchmark (bench.c), `mode=outlive` keeps pages of a target
 * that dies mapped (outlive.c), `mode=accessed` checks the target's
 * accessed bits against what pagetest accessed=1 touches (accessed.c).
 */
#include <xtf.h>

#include "pager.h"
#include "xenctl.h"

/* gfns looked at per round between serving the ring. */
#define EVICT_ROUND 64
/* gfns in the one populate_evicted batch. */
#define BATCH 32
/* mode=restart: how long the requests left on the old ring may take. */
#define RESENT_WAIT_MS 10000
/* Nominate refusals printed (the rest are only counted). */
#define MAX_SHOWN 4

static struct pager pager;
static unsigned int pct;

static bool cmdline_has(const char *token)
{
	const char *s = xtf_cmdline();
	size_t n = strlen(token);

	for (; *s; s++)
		if ((s == xtf_cmdline() || s[-1] == ' ') &&
		    !strncmp(s, token, n) && (s[n] == ' ' || !s[n]))
			return true;
	return false;
}

uint32_t pager_next_gfn(struct pager *p)
{
	for (uint32_t n = 0; n < p->nr_gfns; n++) {
		uint32_t gfn = p->hand;

		p->hand = (p->hand + 1) % p->nr_gfns;
		if (gfn != p->ring_gfn && p->state[gfn] != GFN_PAGED)
			return gfn;
	}
	xtf_error("pager: every gfn of d%u is paged", p->target);
}

bool pager_save(struct pager *p, uint32_t gfn)
{
	bool saved;
	int32_t err;
	long rc = foreign_map(p->target, gfn, p->win, &err);

	if (rc || err) {
		if (p->refused++ < MAX_SHOWN)
			printf("pager: map of gfn 0x%x: %ld (gfn: %d)\n", gfn,
			       rc, err);
		return false;
	}
	saved = store_save(gfn, (void *)(p->win << PAGE_SHIFT));
	rc = foreign_unmap(p->win);
	if (rc)
		xtf_failure("pager: unmap of gfn 0x%x at 0x%x: %ld", gfn,
			    p->win, rc);
	return saved;
}

bool pager_evict(struct pager *p, uint32_t gfn)
{
	long rc = paging_op(XENMEM_paging_op_nominate, p->target, gfn, 0);

	if (rc) {
		/* Not pageable (special, mapped, a hole): not an error. */
		if (p->refused++ < MAX_SHOWN)
			printf("pager: nominate of gfn 0x%x: %ld\n", gfn, rc);
		return false;
	}
	if (!pager_save(p, gfn))
		return false; /* its nomination lapses when it is touched */
	rc = paging_op(XENMEM_paging_op_evict, p->target, gfn, 0);
	if (rc) {
		store_drop(gfn);
		if (rc == -XEN_EBUSY) {
			p->evict_busy++; /* touched since nominate */
			if (gfn < p->hot)
				p->hot_busy[gfn]++;
		} else if (pager_target_alive(p))
			pager_error(p, "evict of gfn 0x%x: %ld", gfn, rc);
		return false;
	}
	p->state[gfn] = GFN_PAGED;
	p->paged++;
	p->evictions++;
	return true;
}

static uint32_t goal(const struct pager *p)
{
	return (uint64_t)p->ram * pct / 100;
}

/* Evict towards the goal, looking at EVICT_ROUND gfns: any evicted? */
static bool evict_round(struct pager *p)
{
	bool any = false;

	for (unsigned int i = 0; i < EVICT_ROUND && p->ram - p->paged > goal(p);
	     i++) {
		if (!store_room())
			break;
		any |= pager_evict(p, pager_next_gfn(p));
	}
	return any;
}

/*
 * With the target paused (so no gfn changes), save BATCH resident gfns
 * and page them all out with one populate_evicted: no nominate round
 * trip. On an error, the gfns before the one refused are paged.
 */
static void populate_batch(struct pager *p)
{
	uint64_t gfns[BATCH], nr = 0;

	pager_pause(p, true);
	for (unsigned int tries = 0;
	     tries < 4 * BATCH && nr < BATCH && store_room(); tries++) {
		uint32_t gfn = pager_next_gfn(p);

		if (pager_save(p, gfn))
			gfns[nr++] = gfn;
	}
	for (uint64_t i = pager_populate(p, gfns, nr); i < nr; i++)
		store_drop(gfns[i]);
	pager_pause(p, false);
	printf("pager: populate_evicted paged %u of %llu gfns\n", p->populated,
	       (unsigned long long)nr);
}

static void report(const struct pager *p)
{
	unsigned int compact, raw, free;

	store_counts(&compact, &raw, &free);
	printf("pager: %u evictions (%u busy, %u refused), %u page-ins, %u by populate_evicted, %u dropped, %u evict-fails\n",
	       p->evictions, p->evict_busy, p->refused, p->pageins,
	       p->populated, p->drops, p->evict_fails);
	printf("pager: %u page-in requests, at most one per eviction of a gfn; ring full %u times\n",
	       p->requests, p->ring_full);
	printf("pager: store: %u compact, %u raw, %u raw free\n", compact, raw,
	       free);
}

enum mode {
	MODE_NORMAL,
	MODE_HOSTILE,
	MODE_LAZY,
	MODE_RESTART,
	MODE_DIE,
	MODE_BENCH,
	MODE_OUTLIVE,
	MODE_ACCESSED
};

/* The pager's mode=NAME. */
static enum mode mode(void)
{
	static const char *const modes[] = {
		[MODE_HOSTILE] = "mode=hostile",
		[MODE_LAZY] = "mode=lazy",
		[MODE_RESTART] = "mode=restart",
		[MODE_DIE] = "mode=die",
		[MODE_BENCH] = "mode=bench",
		[MODE_OUTLIVE] = "mode=outlive",
		[MODE_ACCESSED] = "mode=accessed",
	};

	for (unsigned int m = MODE_HOSTILE; m <= MODE_ACCESSED; m++)
		if (cmdline_has(modes[m]))
			return m;
	return MODE_NORMAL;
}

/* Serve and evict towards the goal until the target is gone. */
static void run(struct pager *p, bool restart)
{
	unsigned int restart_after = cmdline_uint("restart_after", 200);
	/* mode=lazy made its populate_evicted batch already. */
	bool batched = p->populated;

	while (pager_target_alive(p)) {
		bool busy = pager_serve(p);

		busy |= evict_round(p);
		if (!batched && pct < 100 && p->ram - p->paged <= goal(p)) {
			populate_batch(p);
			batched = true;
		}
		if (restart && p->pageins >= restart_after) {
			pager_restart(p);
			restart = false;
		}
		/* Each request left on the old ring comes again, soon. */
		if (p->restarted_at && p->resent < p->nr_outstanding &&
		    now_ms() - p->restarted_at > RESENT_WAIT_MS)
			xtf_failure(
				"pager: %u of the %u requests left on the old ring came again in %u ms",
				p->resent, p->nr_outstanding, RESENT_WAIT_MS);
		if (!busy)
			pager_wait(p);
	}
}

void test_main(unsigned int vcpu)
{
	struct pager *p = &pager;
	enum mode m = mode();
	bool hostile = m == MODE_HOSTILE;
	/* restart starts as lazy does: everything paged, page-ins only. */
	bool lazy = m == MODE_LAZY || m == MODE_RESTART;
	/* bench evicts only what pagetest's rounds ask for. */
	bool bench = m == MODE_BENCH;
	unsigned long target = cmdline_uint("target", DOMID_SELF);

	if (vcpu)
		return;
	pct = cmdline_uint("resident", hostile || lazy || bench ? 100 : 25);
	p->readahead = cmdline_uint("readahead", 0);
	p->hot = cmdline_uint("hot", 0);
	if (target >= DOMID_SELF || target == xtf_domid() || pct > 100 ||
	    p->readahead > 64 || p->hot > 64)
		xtf_error(
			"pager: wants target=DOMID (another domain), resident=PCT (0 to 100), readahead=N and hot=N (up to 64)");
	pager_attach(p, target,
		     hostile || lazy || m == MODE_DIE || m == MODE_ACCESSED);
	if (m == MODE_ACCESSED)
		mode_accessed(p);
	if (hostile) {
		hostile_checks(p);
	} else if (lazy) {
		mode_lazy(p);
	} else if (m == MODE_DIE) {
		mode_die(p);
	} else if (bench) {
		mode_bench(p);
	} else if (m == MODE_OUTLIVE) {
		mode_outlive(p);
	} else {
		pager_ring_up(p);
	}
	run(p, m == MODE_RESTART);
	long rc = foreign_unmap(p->ring_at);

	printf("pager: d%u is gone%s\n", p->target,
	       rc ? " (unmapping its ring failed)" : "");
	report(p);
	if (rc)
		pager_error(p, "unmap of the ring at 0x%x: %ld", p->ring_at,
			    rc);
	if (p->errors)
		xtf_failure("pager: %u protocol errors", p->errors);
	if (bench && p->pageins != p->evictions)
		xtf_failure("pager: bench: %u evictions but %u page-ins",
			    p->evictions, p->pageins);
	if (lazy && !p->pageins)
		xtf_failure("pager: no page-ins after start-up demand paging");
	if (m == MODE_RESTART &&
	    (!p->nr_outstanding || p->resent != p->nr_outstanding))
		xtf_failure(
			"pager: %u of the %u requests left on the old ring were sent again",
			p->resent, p->nr_outstanding);
	if (cmdline_uint("want_full", 0) && !p->ring_full)
		xtf_failure("pager: the ring was never seen full");
	if (pct < 100 && (!p->evictions || !p->pageins || !p->populated))
		xtf_failure(
			"pager: pages did not go both ways (%u evictions, %u page-ins, %u by populate_evicted)",
			p->evictions, p->pageins, p->populated);
	xtf_success();
}
