/*
 * The p2m under concurrency: worker CPUs look up and change their own
 * 2 MiB regions (splitting and merging them), increment shared counters
 * (a counter is the frame of an entry: get_gfn, read, p2m_set_entry of
 * frame + 1 under the lookup's lock, put_gfn), and increment pairs of
 * counters in two p2ms (one per backend) through get_two_gfns() in both
 * argument orders, while another CPU keeps taking each p2m's global lock
 * (no range holder may be inside meanwhile, counters never go back) and
 * flipping every entry between ram_rw and ram_logdirty.
 *
 * No update may be lost, nobody may deadlock (the main CPU fails the test
 * when nobody makes progress for a while), and the lock-rank checker,
 * which panics on any violation, must stay silent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <xen/errno.h>
#include <xen/mm.h>
#include "../../xen/arch/x86/mm/p2m/backend.h"
#include <xen/sched.h>

#include "harness.h"
#include "shim.h"

#define RAM_START 0x1000UL
#define RAM_END 0x8000UL
#define MAX_GFN (1UL << PAGE_ORDER_1G)
#define WORKERS 6
#define ITERATIONS 40000
#define STALL_MS 5000

/* Counters: NR_A in two regions of p2m A, NR_B in one region of B. */
#define NR_A 8
#define NR_B 4
#define NR_COUNTERS (NR_A + NR_B)
#define COUNTER_SPAN 0x10000UL /* frames per counter: its largest value */
#define FAKE_FIRST (SHIM_MEM_SIZE >> PAGE_SHIFT)

/* Worker w's region in A, and the frames its entries map. */
#define PRIVATE_GFN(w) ((16UL + (w)) << PAGE_ORDER_2M)
#define PRIVATE_MFN(w) (0xe0000UL + (w)*1024UL)

struct counter {
	struct p2m_domain *p2m;
	unsigned long gfn, base; /* value = mfn - base */
	unsigned int inside; /* CPUs between get and put: at most one */
	unsigned long done; /* increments made (atomic) */
};

struct stress {
	struct p2m_domain a, b;
	struct p2m_notifier split_merge;
	struct counter c[NR_COUNTERS];
	unsigned int started, workers_left;
	unsigned long progress; /* operations done by anyone (atomic) */
	unsigned long global_rounds;
	struct p2m_domain *global_holder; /* inside p2m_global_lock (atomic) */
	unsigned long splits, merges; /* of worker regions (atomic) */
};

struct worker {
	struct stress *s;
	unsigned int id;
	u64 rng;
	/* The worker's region: the frame of each entry (its private model). */
	unsigned long mfn[1u << PAGE_ORDER_2M];
	int off; /* the entry off its contiguous frame, or -1 */
};

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void count_split_merge(struct p2m_notifier *n, struct p2m_domain *p2m,
			      gfn_t first, unsigned long nr,
			      enum p2m_change why)
{
	struct stress *s = container_of(n, struct stress, split_merge);

	if (why == P2M_CHANGE_SPLIT)
		__atomic_fetch_add(&s->splits, 1, __ATOMIC_RELAXED);
	else if (why == P2M_CHANGE_MERGE)
		__atomic_fetch_add(&s->merges, 1, __ATOMIC_RELAXED);
}

static bool counter_type(p2m_type_t t)
{
	return t == p2m_ram_rw || t == p2m_ram_logdirty;
}

/* A range holder of p2m is inside: the global lock is not held. */
static void check_no_writer(struct stress *s, struct p2m_domain *p2m)
{
	if (__atomic_load_n(&s->global_holder, __ATOMIC_SEQ_CST) == p2m)
		FAIL("CPU%u: inside a range lock while the global lock is held",
		     smp_processor_id());
}

static void enter(struct stress *s, struct counter *c)
{
	check_no_writer(s, c->p2m);
	if (__atomic_add_fetch(&c->inside, 1, __ATOMIC_SEQ_CST) != 1)
		FAIL("CPU%u: two CPUs hold the lock of counter gfn %#lx",
		     smp_processor_id(), c->gfn);
}

static void leave(struct counter *c)
{
	__atomic_sub_fetch(&c->inside, 1, __ATOMIC_SEQ_CST);
}

/* Under c's lock: its entry's frame + 1, same type and access. */
static void bump(struct counter *c, mfn_t mfn, p2m_type_t t, p2m_access_t a)
{
	int rc;

	if (!counter_type(t) || mfn_x(mfn) - c->base >= COUNTER_SPAN - 1)
		FAIL("CPU%u: counter gfn %#lx: type %u mfn %#lx",
		     smp_processor_id(), c->gfn, t, mfn_x(mfn));
	rc = p2m_set_entry(c->p2m, _gfn(c->gfn), mfn_add(mfn, 1), 0, t, a);
	if (rc)
		FAIL("CPU%u: counter gfn %#lx: set_entry %d",
		     smp_processor_id(), c->gfn, rc);
	__atomic_fetch_add(&c->done, 1, __ATOMIC_RELAXED);
}

static void increment(struct stress *s, struct counter *c)
{
	p2m_type_t t;
	p2m_access_t a;
	mfn_t mfn = get_gfn_type_access(c->p2m, _gfn(c->gfn), &t, &a, P2M_QUERY,
					NULL);

	enter(s, c);
	if (!p2m_range_locked_by_me(c->p2m, _gfn(c->gfn)))
		FAIL("CPU%u: get_gfn returned without the range lock",
		     smp_processor_id());
	bump(c, mfn, t, a);
	leave(c);
	put_gfn(c->p2m, _gfn(c->gfn));
}

/* Two counters at once, possibly in two p2ms, in either order. */
static void increment_two(struct stress *s, struct counter *x,
			  struct counter *y)
{
	struct two_gfns tg;
	int rc = get_two_gfns(x->p2m, _gfn(x->gfn), P2M_QUERY, y->p2m,
			      _gfn(y->gfn), P2M_QUERY, &tg);

	if (rc)
		FAIL("CPU%u: get_two_gfns: %d", smp_processor_id(), rc);
	enter(s, x);
	enter(s, y);
	bump(x, tg.res[0].mfn, tg.res[0].t, tg.res[0].a);
	bump(y, tg.res[1].mfn, tg.res[1].t, tg.res[1].a);
	leave(y);
	leave(x);
	put_two_gfns(&tg);
}

/*
 * Change the worker's own region: all of it as one entry, or one entry off
 * its contiguous frame (a split) and back (a merge), keeping the type the
 * entry has (the global CPU flips them all); or look one entry up.
 */
static void private_op(struct worker *wk)
{
	struct p2m_domain *p2m = &wk->s->a;
	unsigned long first = PRIVATE_GFN(wk->id), base = PRIVATE_MFN(wk->id);
	unsigned int k = (unsigned int)rnd_below(&wk->rng, 100), i;
	p2m_type_t t;
	mfn_t mfn;
	int rc;

	if (k < 2) {
		rc = p2m_set_entry(p2m, _gfn(first), _mfn(base), PAGE_ORDER_2M,
				   p2m_ram_rw, p2m_access_rwx);
		if (rc)
			FAIL("CPU%u: 2 MiB set_entry: %d", smp_processor_id(),
			     rc);
		for (i = 0; i < 512; i++)
			wk->mfn[i] = base + i;
		wk->off = -1;
		return;
	}
	if (k < 60) {
		i = wk->off < 0 ? (unsigned int)rnd_below(&wk->rng, 512) :
				  (unsigned int)wk->off;
		wk->off = wk->off < 0 ? (int)i : -1;
		mfn = get_gfn_query(p2m, _gfn(first + i), &t);
		check_no_writer(wk->s, p2m);
		if (!counter_type(t) || mfn_x(mfn) != wk->mfn[i])
			FAIL("CPU%u: gfn %#lx: type %u mfn %#lx, expected "
			     "%#lx",
			     smp_processor_id(), first + i, t, mfn_x(mfn),
			     wk->mfn[i]);
		wk->mfn[i] = wk->off < 0 ? base + i : base + 512 + i;
		rc = p2m_set_entry(p2m, _gfn(first + i), _mfn(wk->mfn[i]), 0, t,
				   p2m_access_rwx);
		if (rc)
			FAIL("CPU%u: set_entry: %d", smp_processor_id(), rc);
		put_gfn(p2m, _gfn(first + i));
		return;
	}
	i = (unsigned int)rnd_below(&wk->rng, 512);
	mfn = get_gfn_query(p2m, _gfn(first + i), &t);
	check_no_writer(wk->s, p2m);
	if (!counter_type(t) || mfn_x(mfn) != wk->mfn[i])
		FAIL("CPU%u: gfn %#lx: type %u mfn %#lx, expected %#lx",
		     smp_processor_id(), first + i, t, mfn_x(mfn), wk->mfn[i]);
	put_gfn(p2m, _gfn(first + i));
}

/* Every CPU starts when all are there, so that they overlap. */
static void start_together(struct stress *s)
{
	__atomic_fetch_add(&s->started, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&s->started, __ATOMIC_SEQ_CST) < WORKERS + 1)
		cpu_relax();
}

static void worker_main(void *arg)
{
	struct worker *wk = arg;
	struct stress *s = wk->s;
	unsigned int n;

	start_together(s);

	for (n = 0; n < ITERATIONS; n++) {
		unsigned int k = (unsigned int)rnd_below(&wk->rng, 100);
		struct counter *x = &s->c[rnd_below(&wk->rng, NR_COUNTERS)];
		struct counter *y = &s->c[rnd_below(&wk->rng, NR_COUNTERS)];

		if (k < 40) {
			private_op(wk);
		} else if (k < 80 || x == y) {
			increment(s, x);
		} else {
			/* Either order of arguments: one order of locks. */
			increment_two(s, x, y);
		}
		if (atomic_depth())
			FAIL("CPU%u: atomic depth %u between operations",
			     smp_processor_id(), atomic_depth());
		__atomic_fetch_add(&s->progress, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_sub(&s->workers_left, 1, __ATOMIC_RELEASE);
}

/*
 * Holding p2m's global lock: counters only grow. A range lock word may be
 * held only by a CPU stepping back (it took the word, then saw the
 * writer's flag), so each is soon free; range holders check that they
 * never run inside (check_no_writer).
 */
static void check_exclusive(struct stress *s, struct p2m_domain *p2m,
			    unsigned long *last)
{
	unsigned long r, since;
	unsigned int i;

	for (r = 0; r < p2m->nr_ranges; r++) {
		since = now_ms();
		while (__atomic_load_n(p2m_range_word(p2m, r),
				       __ATOMIC_RELAXED)) {
			if (now_ms() - since > STALL_MS)
				FAIL("range lock %lu held (%#x) under the "
				     "global lock",
				     r, *p2m_range_word(p2m, r));
			cpu_relax();
		}
	}
	for (i = 0; i < NR_COUNTERS; i++) {
		struct counter *c = &s->c[i];
		p2m_type_t t;
		unsigned long v;

		if (c->p2m != p2m)
			continue;
		/* get_gfn under the global lock takes no range lock. */
		v = mfn_x(get_gfn_query(p2m, _gfn(c->gfn), &t)) - c->base;
		put_gfn(p2m, _gfn(c->gfn));
		if (!counter_type(t) || v < last[i])
			FAIL("counter %u: type %u value %lu after %lu", i, t, v,
			     last[i]);
		last[i] = v;
	}
}

static void global_main(void *arg)
{
	struct stress *s = arg;
	unsigned long last[NR_COUNTERS] = { 0 };
	int rc;

	start_together(s);
	while (__atomic_load_n(&s->workers_left, __ATOMIC_ACQUIRE)) {
		/* A, B, A, B: to ram_logdirty, then back to ram_rw. */
		struct p2m_domain *p2m = s->global_rounds % 2 ? &s->b : &s->a;
		bool dirty = s->global_rounds % 4 < 2;

		p2m_global_lock(p2m);
		if (!p2m_global_locked_by_me(p2m))
			FAIL("global lock taken but not held");
		__atomic_store_n(&s->global_holder, p2m, __ATOMIC_SEQ_CST);
		check_exclusive(s, p2m, last);
		__atomic_store_n(&s->global_holder, NULL, __ATOMIC_SEQ_CST);
		p2m_global_unlock(p2m);
		rc = p2m_change_type_global(
			p2m, dirty ? p2m_ram_rw : p2m_ram_logdirty,
			dirty ? p2m_ram_logdirty : p2m_ram_rw);
		if (rc)
			FAIL("change_type_global: %d", rc);
		s->global_rounds++;
		if (atomic_depth())
			FAIL("global CPU: atomic depth %u", atomic_depth());
		cpu_relax();
	}
}

static void counters_init(struct stress *s)
{
	unsigned int i;

	for (i = 0; i < NR_COUNTERS; i++) {
		struct counter *c = &s->c[i];

		/* A: four in region 4, four in region 5; B: in region 2. */
		c->p2m = i < NR_A ? &s->a : &s->b;
		c->gfn = i < NR_A ? ((4UL + i / 4) << PAGE_ORDER_2M) + i * 37 :
				    (2UL << PAGE_ORDER_2M) + i * 5;
		c->base = FAKE_FIRST + i * COUNTER_SPAN;
		CHECK(!p2m_set_entry(c->p2m, _gfn(c->gfn), _mfn(c->base), 0,
				     p2m_ram_rw, p2m_access_rwx));
	}
}

/* Wait for the workers; fail if nobody makes progress for STALL_MS. */
static void watch(struct stress *s)
{
	unsigned long seen = 0, since = now_ms();
	const struct timespec tick = { 0, 20 * 1000 * 1000 };

	while (__atomic_load_n(&s->workers_left, __ATOMIC_ACQUIRE)) {
		unsigned long p =
			__atomic_load_n(&s->progress, __ATOMIC_RELAXED);

		if (p != seen) {
			seen = p;
			since = now_ms();
		} else if (now_ms() - since > STALL_MS) {
			FAIL("no progress for %d ms after %lu operations "
			     "(deadlock?)",
			     STALL_MS, p);
		}
		nanosleep(&tick, NULL);
	}
}

TEST(p2m_stress)
{
	struct stress *s = calloc(1, sizeof(*s));
	struct worker *wk = calloc(WORKERS, sizeof(*wk));
	pthread_t t[WORKERS], g;
	struct domain d = { 0 };
	unsigned long free_before, i, total = 0;
	unsigned int w;

	CHECK(s && wk);
	shim_add_ram(RAM_START, RAM_END);
	domain_mem_init(&d, 1, 0);
	free_before = total_free_pages();
	CHECK(!p2m_init(&s->a, &d, &p2m_npt_ops, MAX_GFN));
	CHECK(!p2m_init(&s->b, &d, &p2m_ept_ops, MAX_GFN));
	s->split_merge.fn = count_split_merge;
	p2m_register_notifier(&s->a, &s->split_merge);
	counters_init(s);
	for (w = 0; w < WORKERS; w++) {
		wk[w] = (struct worker){ .s = s, .id = w, .off = -1 };
		wk[w].rng = test_seed() + w + 1;
		for (i = 0; i < 512; i++)
			wk[w].mfn[i] = PRIVATE_MFN(w) + i;
		CHECK(!p2m_set_entry(&s->a, _gfn(PRIVATE_GFN(w)),
				     _mfn(PRIVATE_MFN(w)), PAGE_ORDER_2M,
				     p2m_ram_rw, p2m_access_rwx));
	}

	s->workers_left = WORKERS;
	g = shim_thread_start(global_main, s);
	for (w = 0; w < WORKERS; w++)
		t[w] = shim_thread_start(worker_main, &wk[w]);
	watch(s);
	for (w = 0; w < WORKERS; w++)
		shim_thread_join(t[w]);
	shim_thread_join(g);

	/* No update lost: each counter's frame moved once per increment. */
	for (i = 0; i < NR_COUNTERS; i++) {
		struct counter *c = &s->c[i];
		p2m_type_t ty;
		mfn_t mfn = get_gfn_query(c->p2m, _gfn(c->gfn), &ty);

		put_gfn(c->p2m, _gfn(c->gfn));
		CHECK(counter_type(ty));
		CHECK_EQ(mfn_x(mfn) - c->base, c->done);
		total += c->done;
	}
	for (w = 0; w < WORKERS; w++)
		for (i = 0; i < 512; i++) {
			p2m_type_t ty;
			mfn_t mfn = get_gfn_query(
				&s->a, _gfn(PRIVATE_GFN(w) + i), &ty);

			put_gfn(&s->a, _gfn(PRIVATE_GFN(w) + i));
			CHECK(counter_type(ty));
			CHECK_EQ(mfn_x(mfn), wk[w].mfn[i]);
		}
	printf("%lu increments, %lu global rounds, %lu splits, %lu merges\n",
	       total, s->global_rounds, s->splits, s->merges);
	/* Everyone got through, often, and regions split and merged. */
	CHECK(total > WORKERS * ITERATIONS / 2);
	CHECK(s->global_rounds > 10 && s->splits > 10 && s->merges > 10);
	CHECK_EQ(atomic_depth(), 0);
	p2m_teardown(&s->a);
	p2m_teardown(&s->b);
	CHECK_EQ(total_free_pages(), free_before);
	free(wk);
	free(s);
}
