/*
 * xen/common/page_alloc.c, the heap: the buddy allocator against a model
 * of which frame is free, scrubbing, exhaustion and concurrency.
 */
#include <stdlib.h>
#include <time.h>

#include <xen/bitmap.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <asm/system.h>

#include "harness.h"
#include "shim.h"

#define NR_PFNS (SHIM_MEM_SIZE >> PAGE_SHIFT)
#define MARK 0x5ca1ab1e00000000UL

struct range {
	unsigned long s, e; /* [s, e), sub-section aligned */
};

/* Uneven chunks, a gap below each range, and a 64 MiB aligned block. */
static const struct range ram[] = {
	{ 0x200, 0x1000 },
	{ 0x1800, 0x3e00 },
	{ 0x4000, 0x8000 },
	{ 0x8200, 0x8400 },
};

static unsigned long heap_setup(const struct range *r, unsigned int n)
{
	unsigned long total = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		shim_add_ram(r[i].s, r[i].e);
		total += r[i].e - r[i].s;
	}
	CHECK_EQ(total_free_pages(), total);
	CHECK_EQ(total_heap_pages(), total);
	return total;
}

static bool page_is_zero(unsigned long pfn)
{
	static const char zero[PAGE_SIZE];

	return !memcmp(__va(pfn << PAGE_SHIFT), zero, PAGE_SIZE);
}

/* Free pages as the order counts say: sum of count << order. */
static unsigned long counted_free_pages(void)
{
	unsigned long counts[MAX_ORDER + 1], sum = 0;
	unsigned int o;

	heap_order_counts(counts);
	for (o = 0; o <= MAX_ORDER; o++)
		sum += counts[o] << o;
	return sum;
}

TEST(init_heap_chunks_are_maximal)
{
	unsigned long counts[MAX_ORDER + 1], want[MAX_ORDER + 1] = { 0 };
	unsigned int i, o;

	heap_setup(ram, ARRAY_SIZE(ram));
	/* Each range splits greedily into the largest aligned chunks. */
	for (i = 0; i < ARRAY_SIZE(ram); i++) {
		unsigned long pfn = ram[i].s;

		while (pfn < ram[i].e) {
			for (o = MAX_ORDER; pfn & ((1UL << o) - 1) ||
					    pfn + (1UL << o) > ram[i].e;
			     o--)
				;
			want[o]++;
			pfn += 1UL << o;
		}
	}
	heap_order_counts(counts);
	for (o = 0; o <= MAX_ORDER; o++)
		CHECK_EQ(counts[o], want[o]);
}

/* The model: what every pfn of machine memory is. */
enum { NOT_RAM, FREE, USED };

struct model {
	unsigned char state[NR_PFNS];
	unsigned long nr_free;
};

static void model_init(struct model *m, const struct range *r, unsigned int n)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		memset(m->state + r[i].s, FREE, r[i].e - r[i].s);
		m->nr_free += r[i].e - r[i].s;
	}
}

/* Some aligned block of 2^order pages is all free. */
static bool model_has_block(const struct model *m, unsigned int order)
{
	unsigned long b, i, n = 1UL << order;

	for (b = 0; b + n <= NR_PFNS; b += n) {
		for (i = 0; i < n && m->state[b + i] == FREE; i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

struct chunk {
	unsigned long pfn;
	unsigned int order;
};

/* Check a fresh allocation against the model, take it there, dirty it. */
static void model_take(struct model *m, const struct page_info *pg,
		       unsigned int order, bool scrubbed)
{
	unsigned long pfn = page_to_pfn(pg), i;

	if (pfn & ((1UL << order) - 1))
		FAIL("order %u chunk at pfn %#lx is misaligned", order, pfn);
	for (i = pfn; i < pfn + (1UL << order); i++) {
		if (i >= NR_PFNS || m->state[i] != FREE)
			FAIL("pfn %#lx handed out but %s", i,
			     i < NR_PFNS && m->state[i] == USED ? "in use" :
								  "not RAM");
		if (pfn_to_page(i)->count_info != PGC_state_inuse)
			FAIL("pfn %#lx: count_info %#lx after allocation", i,
			     pfn_to_page(i)->count_info);
		if (scrubbed && !page_is_zero(i))
			FAIL("pfn %#lx handed out unscrubbed", i);
		m->state[i] = USED;
		*(unsigned long *)__va(i << PAGE_SHIFT) = MARK | i;
	}
	m->nr_free -= 1UL << order;
}

static void model_give_back(struct model *m, const struct chunk *c)
{
	unsigned long i;

	for (i = c->pfn; i < c->pfn + (1UL << c->order); i++) {
		CHECK_EQ(*(unsigned long *)__va(i << PAGE_SHIFT), MARK | i);
		m->state[i] = FREE;
	}
	m->nr_free += 1UL << c->order;
	free_heap_pages(pfn_to_page(c->pfn), c->order);
}

/* Mostly small orders, sometimes anything up to past MAX_ORDER. */
static unsigned int random_order(uint64_t *seed)
{
	unsigned int r = rnd_below(seed, 100);

	if (r < 70)
		return rnd_below(seed, 4);
	if (r < 90)
		return 4 + rnd_below(seed, 6);
	return 10 + rnd_below(seed, MAX_ORDER + 2 - 10);
}

TEST(alloc_random_against_model)
{
	static struct model m;
	unsigned long initial[MAX_ORDER + 1], counts[MAX_ORDER + 1], total;
	uint64_t seed = test_seed();
	struct chunk *held;
	unsigned int nr = 0, i;

	total = heap_setup(ram, ARRAY_SIZE(ram));
	model_init(&m, ram, ARRAY_SIZE(ram));
	heap_order_counts(initial);
	held = calloc(total, sizeof(*held));
	if (!held)
		FAIL("out of memory");

	for (i = 0; i < 20000; i++) {
		if (nr && rnd_below(&seed, 100) < 45) {
			unsigned int k = rnd_below(&seed, nr);

			model_give_back(&m, &held[k]);
			held[k] = held[--nr];
		} else {
			unsigned int order = random_order(&seed);
			bool scrub = !rnd_below(&seed, 8);
			struct page_info *pg = alloc_heap_pages(
				order, scrub ? 0 : MEMF_no_scrub);

			if (pg) {
				model_take(&m, pg, order, scrub);
				held[nr++] = (struct chunk){ page_to_pfn(pg),
							     order };
			} else if (order <= MAX_ORDER &&
				   model_has_block(&m, order)) {
				FAIL("order %u failed with a free block",
				     order);
			}
		}
		CHECK_EQ(total_free_pages(), m.nr_free);
		if (!(i % 512))
			CHECK_EQ(counted_free_pages(), m.nr_free);
	}

	/* Everything back: the buddies merge to the very same chunks. */
	while (nr)
		model_give_back(&m, &held[--nr]);
	CHECK_EQ(total_free_pages(), total);
	heap_order_counts(counts);
	for (i = 0; i <= MAX_ORDER; i++)
		CHECK_EQ(counts[i], initial[i]);
	free(held);
}

TEST(alloc_orders_beyond_memory)
{
	static const struct range one = { 0x4000, 0x8000 };

	heap_setup(&one, 1);
	CHECK(!alloc_heap_pages(MAX_ORDER + 1, 0));
	CHECK(!alloc_heap_pages(MAX_ORDER, 0));
	CHECK(!alloc_heap_pages(15, 0));
	CHECK_EQ(page_to_pfn(alloc_heap_pages(14, MEMF_no_scrub)), 0x4000);
	CHECK_EQ(total_free_pages(), 0);
}

static const struct range small = { 0x1000, 0x1200 };

/* Allocate every page of the small heap one by one. */
static void exhaust(struct page_info **pages)
{
	unsigned long n = small.e - small.s, i;

	for (i = 0; i < n; i++) {
		pages[i] = alloc_heap_pages(0, MEMF_no_scrub);
		CHECK(pages[i]);
	}
}

TEST(alloc_exhausted_returns_null)
{
	static struct page_info *pages[0x200];
	unsigned long initial[MAX_ORDER + 1], counts[MAX_ORDER + 1];
	unsigned int o, i;

	heap_setup(&small, 1);
	heap_order_counts(initial);
	exhaust(pages);
	CHECK_EQ(total_free_pages(), 0);
	for (o = 0; o <= MAX_ORDER + 1; o++)
		CHECK(!alloc_heap_pages(o, 0));
	CHECK(!alloc_xenheap_pages(0, 0));

	/* One page back: exactly that one is handed out next. */
	free_heap_pages(pages[77], 0);
	CHECK_EQ(total_free_pages(), 1);
	CHECK(!alloc_heap_pages(1, 0));
	CHECK(alloc_heap_pages(0, 0) == pages[77]);
	CHECK(!alloc_heap_pages(0, 0));

	for (i = 0; i < ARRAY_SIZE(pages); i++)
		free_heap_pages(pages[i], 0);
	CHECK_EQ(total_free_pages(), small.e - small.s);
	heap_order_counts(counts);
	for (o = 0; o <= MAX_ORDER; o++)
		CHECK_EQ(counts[o], initial[o]);
}

TEST(alloc_scrubs_freed_pages)
{
	static struct page_info *pages[0x200];
	struct page_info *pg;
	unsigned long i;

	/* Boot memory may hold anything: it is scrubbed before use too. */
	memset(__va(small.s << PAGE_SHIFT), 0xee,
	       (small.e - small.s) << PAGE_SHIFT);
	heap_setup(&small, 1);
	pg = alloc_heap_pages(3, 0);
	for (i = 0; i < 8; i++)
		CHECK(page_is_zero(page_to_pfn(pg) + i));
	free_heap_pages(pg, 3);

	exhaust(pages);
	memset(page_to_virt(pages[5]), 0xaa, PAGE_SIZE);
	free_heap_pages(pages[5], 0);
	pg = alloc_heap_pages(0, 0);
	CHECK(pg == pages[5]);
	CHECK(page_is_zero(page_to_pfn(pg)));

	/* MEMF_no_scrub: the caller gets the old contents. */
	memset(page_to_virt(pg), 0x55, PAGE_SIZE);
	free_heap_pages(pg, 0);
	pg = alloc_heap_pages(0, MEMF_no_scrub);
	CHECK(pg == pages[5]);
	CHECK_EQ(*(unsigned char *)page_to_virt(pg), 0x55);
	CHECK_EQ(((unsigned char *)page_to_virt(pg))[PAGE_SIZE - 1], 0x55);

	/* One dirty page among four buddies: the merged chunk is scrubbed */
	pg = pfn_to_page(small.s + 8);
	memset(page_to_virt(pg + 2), 0x77, PAGE_SIZE);
	for (i = 0; i < 4; i++)
		free_heap_pages(pg + i, 0);
	CHECK(alloc_heap_pages(2, 0) == pg);
	for (i = 0; i < 4; i++)
		CHECK(page_is_zero(small.s + 8 + i));
}

TEST(free_bad_pages_panics)
{
	struct page_info *pg;

	heap_setup(&small, 1);
	pg = alloc_heap_pages(1, 0);
	free_heap_pages(pg, 1);
	EXPECT_PANIC(free_heap_pages(pg, 1));
	CHECK(strstr(harness_panic_message(), "freeing pfn"));
	EXPECT_PANIC(free_heap_pages(pg + 1, 0));

	pg = alloc_heap_pages(0, 0);
	pg->count_info++; /* somebody still holds a reference */
	EXPECT_PANIC(free_heap_pages(pg, 0));
	pg->count_info--;
	free_heap_pages(pg, 0);
	CHECK_EQ(total_free_pages(), small.e - small.s);
}

TEST(xenheap_pages)
{
	struct page_info *pg;
	void *v;
	unsigned int i;

	heap_setup(&small, 1);
	v = alloc_xenheap_pages(2, 0);
	CHECK(v);
	pg = virt_to_page(v);
	CHECK(page_to_virt(pg) == v);
	for (i = 0; i < 4; i++)
		CHECK_EQ(pg[i].count_info, PGC_state_inuse | PGC_xen_heap);
	CHECK_EQ(total_free_pages(), small.e - small.s - 4);
	free_xenheap_pages(v, 2);
	free_xenheap_pages(NULL, 5);
	CHECK_EQ(total_free_pages(), small.e - small.s);
	CHECK(alloc_xenheap_page());
}

#define MT_THREADS 4
#define MT_OPS 4000

struct mt_ctx {
	DECLARE_BITMAP(owned, NR_PFNS);
	uint64_t seed;
	unsigned int next_id;
};

/* Random alloc/free; the shared ownership bitmap catches a double handout */
static void mt_worker(void *arg)
{
	struct mt_ctx *ctx = arg;
	unsigned int id =
		__atomic_fetch_add(&ctx->next_id, 1, __ATOMIC_RELAXED);
	uint64_t seed = ctx->seed + id;
	struct chunk held[64];
	unsigned int nr = 0, op;
	unsigned long i;

	for (op = 0; op < MT_OPS || nr; op++) {
		if (nr && (op >= MT_OPS || nr == ARRAY_SIZE(held) ||
			   rnd_below(&seed, 2))) {
			struct chunk c;
			unsigned int k = rnd_below(&seed, nr);

			c = held[k];
			held[k] = held[--nr];
			for (i = c.pfn; i < c.pfn + (1UL << c.order); i++) {
				if (*(unsigned long *)__va(i << PAGE_SHIFT) !=
				    (MARK | i | ((unsigned long)id << 24)))
					FAIL("pfn %#lx: overwritten", i);
				if (!test_and_clear_bit(i, ctx->owned))
					FAIL("pfn %#lx: lost ownership", i);
			}
			free_heap_pages(pfn_to_page(c.pfn), c.order);
		} else {
			unsigned int order = rnd_below(&seed, 5);
			bool scrub = !rnd_below(&seed, 4);
			struct page_info *pg = alloc_heap_pages(
				order, scrub ? 0 : MEMF_no_scrub);
			unsigned long pfn;

			if (!pg)
				continue;
			pfn = page_to_pfn(pg);
			for (i = pfn; i < pfn + (1UL << order); i++) {
				if (test_and_set_bit(i, ctx->owned))
					FAIL("pfn %#lx handed out twice", i);
				if (scrub && !page_is_zero(i))
					FAIL("pfn %#lx not scrubbed", i);
				*(unsigned long *)__va(i << PAGE_SHIFT) =
					MARK | i | ((unsigned long)id << 24);
			}
			held[nr++] = (struct chunk){ pfn, order };
		}
	}
}

TEST(alloc_free_concurrent)
{
	static struct mt_ctx ctx;
	static const struct range r[] = { { 0x200, 0x1000 },
					  { 0x1200, 0x1400 } };
	unsigned long initial[MAX_ORDER + 1], counts[MAX_ORDER + 1], total;
	pthread_t t[MT_THREADS];
	unsigned int i;

	total = heap_setup(r, ARRAY_SIZE(r));
	heap_order_counts(initial);
	ctx.seed = test_seed();
	for (i = 0; i < MT_THREADS; i++)
		t[i] = shim_thread_start(mt_worker, &ctx);
	for (i = 0; i < MT_THREADS; i++)
		shim_thread_join(t[i]);

	CHECK(bitmap_empty(ctx.owned, NR_PFNS));
	CHECK_EQ(total_free_pages(), total);
	heap_order_counts(counts);
	for (i = 0; i <= MAX_ORDER; i++)
		CHECK_EQ(counts[i], initial[i]);
}

/*
 * At most this many rounds, for at most BUDDY_SECONDS: on a busy host the
 * two threads seldom run at once and each meeting can take milliseconds.
 */
#define BUDDY_ROUNDS 1000000
#define BUDDY_SECONDS 5

struct buddy_ctx {
	unsigned long owned[1];
	unsigned long base;
	unsigned int arrived, generation;
	time_t deadline;
	bool stop;
};

/*
 * Both threads leave together, to free (or allocate) at the same time.
 * The last to arrive decides for both whether time is up (true: go on).
 */
static bool buddy_barrier(struct buddy_ctx *ctx)
{
	unsigned int gen = __atomic_load_n(&ctx->generation, __ATOMIC_ACQUIRE);
	unsigned int spins = 0;

	if (__atomic_add_fetch(&ctx->arrived, 1, __ATOMIC_ACQ_REL) == 2) {
		ctx->arrived = 0;
		ctx->stop = time(NULL) > ctx->deadline;
		__atomic_store_n(&ctx->generation, gen + 1, __ATOMIC_RELEASE);
		return !ctx->stop;
	}
	while (__atomic_load_n(&ctx->generation, __ATOMIC_ACQUIRE) == gen)
		if (++spins > 1000)
			cpu_relax();
	return !ctx->stop;
}

/*
 * Two CPUs, two free pages that are buddies, each CPU holding one of them
 * at a time: both free theirs at once, so one merges the pair while the
 * other is mid-free of its half, then both allocate at once. (Regression:
 * free_heap_pages() marked pages free before taking heap_lock, so the
 * merging CPU could take a half-marked page for a free buddy.)
 */
static void buddy_worker(void *arg)
{
	struct buddy_ctx *ctx = arg;
	uint64_t seed = (uint64_t)smp_processor_id() * 7919 + 1;
	unsigned int round, delay;

	for (round = 0; round < BUDDY_ROUNDS; round++) {
		struct page_info *pg;
		unsigned long bit;

		if (!buddy_barrier(ctx))
			break;
		pg = alloc_heap_pages(0, MEMF_no_scrub);
		if (!pg)
			FAIL("two free pages, two CPUs, and no page for one");
		bit = page_to_pfn(pg) - ctx->base;
		if (bit > 1)
			FAIL("pfn %#lx handed out, not a free one",
			     page_to_pfn(pg));
		if (test_and_set_bit(bit, ctx->owned))
			FAIL("pfn %#lx handed out twice", page_to_pfn(pg));
		buddy_barrier(ctx);
		clear_bit(bit, ctx->owned);
		/* Sweep the offset between the two CPUs' frees. */
		for (delay = rnd_below(&seed, 64); delay; delay--)
			barrier();
		free_heap_pages(pg, 0);
	}
}

TEST(alloc_free_buddy_race)
{
	static struct page_info *pages[0x200];
	static struct buddy_ctx ctx;
	pthread_t t[2];
	unsigned int i;

	heap_setup(&small, 1);
	exhaust(pages);
	ctx.base = small.s + 100;
	ctx.deadline = time(NULL) + BUDDY_SECONDS;
	free_heap_pages(pfn_to_page(ctx.base), 0);
	free_heap_pages(pfn_to_page(ctx.base + 1), 0);
	for (i = 0; i < 2; i++)
		t[i] = shim_thread_start(buddy_worker, &ctx);
	for (i = 0; i < 2; i++)
		shim_thread_join(t[i]);
	CHECK_EQ(total_free_pages(), 2);
	CHECK(alloc_heap_pages(1, 0) == pfn_to_page(ctx.base));
}
