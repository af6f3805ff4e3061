/*
 * xen/common/spinlock.c: mutual exclusion under contention, trylock,
 * recursive locks, rwlocks, the atomic depth and the lock-rank checker.
 */
#include <unistd.h>

#include <xen/config.h>
#include <xen/lib.h>
#include <xen/spinlock.h>

#include "harness.h"
#include "shim.h"

#define THREADS 6
#define INCREMENTS 20000

static DEFINE_SPINLOCK(outer_lock, LR_SELFTEST_OUTER);
static DEFINE_SPINLOCK(inner_lock, LR_SELFTEST_INNER);

/* Run fn(arg) on n new CPUs and wait for them all. */
static void run_threads(unsigned int n, void (*fn)(void *), void *arg)
{
	pthread_t t[NR_CPUS];
	unsigned int i;

	for (i = 0; i < n; i++)
		t[i] = shim_thread_start(fn, arg);
	for (i = 0; i < n; i++)
		shim_thread_join(t[i]);
}

struct counter {
	spinlock_t lock;
	unsigned long count;
	unsigned int inside;
	bool recursive;
};

/* Read, yield, write back: any overlap of two holders loses an update. */
static void count_one(struct counter *c, unsigned int i)
{
	unsigned long v;

	if (__atomic_add_fetch(&c->inside, 1, __ATOMIC_RELAXED) != 1)
		FAIL("two CPUs inside the lock");
	v = READ_ONCE(c->count);
	if (!(i % 64))
		cpu_relax();
	WRITE_ONCE(c->count, v + 1);
	__atomic_sub_fetch(&c->inside, 1, __ATOMIC_RELAXED);
}

static void counter_worker(void *arg)
{
	struct counter *c = arg;
	unsigned int i, d;

	for (i = 0; i < INCREMENTS; i++) {
		if (!c->recursive) {
			spin_lock(&c->lock);
			if (atomic_depth() != 1)
				FAIL("atomic depth %u holding one lock",
				     atomic_depth());
			count_one(c, i);
			spin_unlock(&c->lock);
			continue;
		}
		/* Nested 1 to 3 deep. */
		for (d = 0; d <= i % 3; d++)
			spin_lock_recursive(&c->lock);
		count_one(c, i);
		for (d = 0; d <= i % 3; d++)
			spin_unlock_recursive(&c->lock);
	}
	if (atomic_depth())
		FAIL("atomic depth %u after the last unlock", atomic_depth());
}

TEST(spin_lock_contention)
{
	static struct counter c = { .lock = SPIN_LOCK_UNLOCKED("counter", 1) };

	run_threads(THREADS, counter_worker, &c);
	CHECK_EQ(c.count, THREADS * INCREMENTS);
	CHECK(!spin_is_locked(&c.lock));
}

TEST(spin_lock_recursive_contention)
{
	static struct counter c = { .lock = SPIN_LOCK_UNLOCKED("counter", 1),
				    .recursive = true };

	run_threads(THREADS, counter_worker, &c);
	CHECK_EQ(c.count, THREADS * INCREMENTS);
	CHECK(!spin_is_locked(&c.lock));
}

static void try_outer(void *arg)
{
	bool *got = arg;

	*got = spin_trylock(&outer_lock);
	if (atomic_depth() != *got)
		FAIL("atomic depth %u after trylock = %d", atomic_depth(),
		     *got);
	if (*got)
		spin_unlock(&outer_lock);
}

TEST(spin_trylock)
{
	bool got;

	CHECK(!spin_is_locked(&outer_lock));
	CHECK(spin_trylock(&outer_lock));
	CHECK(spin_is_locked(&outer_lock));
	CHECK_EQ(atomic_depth(), 1);
	run_threads(1, try_outer, &got);
	CHECK(!got);
	spin_unlock(&outer_lock);
	CHECK_EQ(atomic_depth(), 0);
	run_threads(1, try_outer, &got);
	CHECK(got);

	/* Likewise against a holder that used spin_lock. */
	spin_lock(&outer_lock);
	run_threads(1, try_outer, &got);
	CHECK(!got);
	spin_unlock(&outer_lock);
}

TEST(spin_lock_recursive_nesting)
{
	bool got;

	spin_lock_recursive(&outer_lock);
	spin_lock_recursive(&outer_lock);
	spin_lock_recursive(&outer_lock);
	CHECK_EQ(atomic_depth(), 1);
	CHECK_EQ(outer_lock.recurse_cnt, 3);
	run_threads(1, try_outer, &got);
	CHECK(!got);
	spin_unlock_recursive(&outer_lock);
	spin_unlock_recursive(&outer_lock);
	CHECK(spin_is_locked(&outer_lock));
	run_threads(1, try_outer, &got);
	CHECK(!got);
	spin_unlock_recursive(&outer_lock);
	CHECK(!spin_is_locked(&outer_lock));
	CHECK_EQ(atomic_depth(), 0);
	run_threads(1, try_outer, &got);
	CHECK(got);

	/* Re-taking an outer recursive lock under an inner one is fine. */
	spin_lock_recursive(&outer_lock);
	spin_lock(&inner_lock);
	spin_lock_recursive(&outer_lock);
	CHECK_EQ(atomic_depth(), 2);
	spin_unlock_recursive(&outer_lock);
	spin_unlock(&inner_lock);
	spin_unlock_recursive(&outer_lock);
	CHECK_EQ(atomic_depth(), 0);
}

#define RW_READERS 4
#define RW_WRITERS 2
#define RW_OPS 5000

struct rw_shared {
	rwlock_t lock;
	unsigned long a, b; /* equal whenever no writer holds the lock */
	unsigned int readers, writers;
	unsigned int next_id;
};

static void rw_worker(void *arg)
{
	struct rw_shared *s = arg;
	unsigned int id = __atomic_fetch_add(&s->next_id, 1, __ATOMIC_RELAXED);
	unsigned int i;

	for (i = 0; i < RW_OPS; i++) {
		if (id < RW_WRITERS) {
			write_lock(&s->lock);
			if (__atomic_add_fetch(&s->writers, 1,
					       __ATOMIC_RELAXED) != 1 ||
			    __atomic_load_n(&s->readers, __ATOMIC_RELAXED))
				FAIL("writer not alone");
			WRITE_ONCE(s->a, s->a + 1);
			if (!(i % 16))
				cpu_relax();
			WRITE_ONCE(s->b, s->b + 1);
			__atomic_sub_fetch(&s->writers, 1, __ATOMIC_RELAXED);
			write_unlock(&s->lock);
		} else {
			unsigned long a, b;

			read_lock(&s->lock);
			__atomic_add_fetch(&s->readers, 1, __ATOMIC_RELAXED);
			if (__atomic_load_n(&s->writers, __ATOMIC_RELAXED))
				FAIL("reader with a writer");
			a = READ_ONCE(s->a);
			if (!(i % 16))
				cpu_relax();
			b = READ_ONCE(s->b);
			if (a != b)
				FAIL("reader saw a half update: %lu != %lu", a,
				     b);
			__atomic_sub_fetch(&s->readers, 1, __ATOMIC_RELAXED);
			read_unlock(&s->lock);
		}
	}
}

TEST(rwlock_readers_writers)
{
	static struct rw_shared s = { .lock = RW_LOCK_UNLOCKED("rw", 1) };

	run_threads(RW_READERS + RW_WRITERS, rw_worker, &s);
	CHECK_EQ(s.a, RW_WRITERS * RW_OPS);
	CHECK_EQ(s.b, RW_WRITERS * RW_OPS);
}

static DEFINE_RWLOCK(rw, LR_SELFTEST_OUTER);

static void read_rw(void *arg)
{
	read_lock(&rw);
	__atomic_store_n((bool *)arg, true, __ATOMIC_RELEASE);
	read_unlock(&rw);
}

static void try_write_rw(void *arg)
{
	bool *got = arg;

	*got = write_trylock(&rw);
	if (*got)
		write_unlock(&rw);
}

static void write_rw(void *arg)
{
	write_lock(&rw);
	__atomic_store_n((bool *)arg, true, __ATOMIC_RELEASE);
	write_unlock(&rw);
}

TEST(rwlock_sharing_and_writer_priority)
{
	static bool read_done, write_done, late_read_done, got;
	pthread_t w, r;

	/* Readers share; a writer cannot get in while one reads. */
	read_lock(&rw);
	CHECK_EQ(atomic_depth(), 1);
	run_threads(1, read_rw, &read_done);
	CHECK(read_done);
	run_threads(1, try_write_rw, &got);
	CHECK(!got);

	/*
	 * A waiting writer (bit 30 of cnt, see spinlock.h) goes before readers
	 * that come later.
	 */
	w = shim_thread_start(write_rw, &write_done);
	while (!(__atomic_load_n(&rw.cnt, __ATOMIC_ACQUIRE) & (1U << 30)))
		cpu_relax();
	r = shim_thread_start(read_rw, &late_read_done);
	usleep(20000);
	CHECK(!__atomic_load_n(&late_read_done, __ATOMIC_ACQUIRE));
	CHECK(!__atomic_load_n(&write_done, __ATOMIC_ACQUIRE));
	read_unlock(&rw);
	shim_thread_join(w);
	shim_thread_join(r);
	CHECK(write_done && late_read_done);

	CHECK(write_trylock(&rw));
	CHECK_EQ(atomic_depth(), 1);
	run_threads(1, try_write_rw, &got);
	CHECK(!got);
	write_unlock(&rw);
	CHECK_EQ(atomic_depth(), 0);
	run_threads(1, try_write_rw, &got);
	CHECK(got);
}

static void depth_elsewhere(void *arg)
{
	*(unsigned int *)arg = atomic_depth() + !local_irq_is_enabled();
}

TEST(atomic_depth_and_in_atomic)
{
	unsigned int other = ~0U;
	unsigned long flags;

	CHECK(!in_atomic());
	CHECK_EQ(atomic_depth(), 0);
	spin_lock(&outer_lock);
	spin_lock(&inner_lock);
	CHECK_EQ(atomic_depth(), 2);
	CHECK(in_atomic());
	run_threads(1, depth_elsewhere, &other);
	CHECK_EQ(other, 0); /* per CPU */
	spin_unlock(&inner_lock);
	CHECK_EQ(atomic_depth(), 1);
	spin_unlock(&outer_lock);
	CHECK(!in_atomic());

	preempt_disable();
	CHECK(in_atomic());
	CHECK_EQ(atomic_depth(), 1);
	preempt_enable();
	CHECK(!in_atomic());

	/* Interrupts off is atomic too, without any depth. */
	local_irq_disable();
	CHECK(in_atomic());
	CHECK_EQ(atomic_depth(), 0);
	local_irq_enable();

	spin_lock_irqsave(&outer_lock, flags);
	CHECK(!local_irq_is_enabled());
	CHECK_EQ(atomic_depth(), 1);
	spin_unlock_irqrestore(&outer_lock, flags);
	CHECK(local_irq_is_enabled());
	CHECK(!in_atomic());

	/* Nested irqsave keeps interrupts off until the outermost restore */
	spin_lock_irqsave(&outer_lock, flags);
	{
		unsigned long inner_flags;

		spin_lock_irqsave(&inner_lock, inner_flags);
		spin_unlock_irqrestore(&inner_lock, inner_flags);
		CHECK(!local_irq_is_enabled());
	}
	spin_unlock_irqrestore(&outer_lock, flags);
	CHECK(local_irq_is_enabled());

	spin_lock_irq(&outer_lock);
	CHECK(!local_irq_is_enabled() && atomic_depth() == 1);
	spin_unlock_irq(&outer_lock);
	CHECK(local_irq_is_enabled() && !in_atomic());

	read_lock(&rw);
	CHECK_EQ(atomic_depth(), 1);
	read_unlock(&rw);
	write_lock(&rw);
	CHECK_EQ(atomic_depth(), 1);
	write_unlock(&rw);
	CHECK(!in_atomic());
}

TEST(lock_rank_inversion_panics)
{
	const char *msg;

	spin_lock(&outer_lock);
	spin_lock(&inner_lock); /* the right order */
	spin_unlock(&inner_lock);
	spin_unlock(&outer_lock);

	spin_lock(&inner_lock);
	EXPECT_PANIC(spin_lock(&outer_lock));
	msg = harness_panic_message();
	if (!strstr(msg, "outer_lock") || !strstr(msg, "inner_lock"))
		FAIL("panic does not name both locks: %s", msg);
	/* Refused before touching the lock. */
	CHECK(!spin_is_locked(&outer_lock));
	CHECK_EQ(atomic_depth(), 1);

	EXPECT_PANIC(spin_trylock(&outer_lock));
	CHECK(!spin_is_locked(&outer_lock));
	EXPECT_PANIC(read_lock(&rw));
	EXPECT_PANIC(write_trylock(&rw));
	CHECK_EQ(atomic_depth(), 1);
	spin_unlock(&inner_lock);
	CHECK_EQ(atomic_depth(), 0);
	CHECK_EQ(lock_rank_violations_seen(), 0);
}

TEST(lock_rank_same_rank_panics)
{
	static DEFINE_SPINLOCK(twin_lock, LR_SELFTEST_OUTER);

	spin_lock(&outer_lock);
	EXPECT_PANIC(spin_lock(&twin_lock));
	CHECK(strstr(harness_panic_message(), "twin_lock"));
	spin_unlock(&outer_lock);
}

TEST(lock_rank_expected_violation_counted)
{
	lock_rank_expect_violation(true);
	spin_lock(&inner_lock);
	spin_lock(&outer_lock);
	CHECK_EQ(lock_rank_violations_seen(), 1);
	CHECK_EQ(atomic_depth(), 2);
	spin_unlock(&outer_lock);
	spin_unlock(&inner_lock);
	lock_rank_expect_violation(false);

	spin_lock(&outer_lock);
	spin_lock(&inner_lock);
	spin_unlock(&inner_lock);
	spin_unlock(&outer_lock);
	CHECK_EQ(lock_rank_violations_seen(), 1);
	CHECK_EQ(atomic_depth(), 0);
}

TEST(lock_release_order_and_misuse)
{
	spinlock_t nest[17];
	unsigned int i;

	/* Releasing out of order is fine. */
	spin_lock(&outer_lock);
	spin_lock(&inner_lock);
	spin_unlock(&outer_lock);
	spin_unlock(&inner_lock);
	CHECK_EQ(atomic_depth(), 0);
	spin_lock(&outer_lock);
	spin_unlock(&outer_lock);

	EXPECT_PANIC(spin_unlock(&outer_lock));

	/* At most 16 locks held at once. */
	for (i = 0; i < ARRAY_SIZE(nest); i++)
		spin_lock_init(&nest[i], "nest", 1 + i);
	for (i = 0; i < 16; i++)
		spin_lock(&nest[i]);
	EXPECT_PANIC(spin_lock(&nest[16]));
	CHECK(strstr(harness_panic_message(), "more than 16 locks"));
}
