/* Self-tests of the locks under contention on all CPUs and the checker. */
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/time.h>

/*
 * Kept small: under TCG more vCPUs than host cores make every ticket
 * hand-over to a descheduled vCPU cost a host time slice.
 */
#define LOCK_ROUNDS 1000

static DEFINE_SPINLOCK(test_lock, LR_SELFTEST_OUTER);
static DEFINE_SPINLOCK(test_inner_lock, LR_SELFTEST_INNER);
static DEFINE_RWLOCK(test_rwlock, LR_SELFTEST_OUTER);

struct counters {
	unsigned long plain; /* updated non-atomically under the lock */
	unsigned long a, b; /* writers keep a == b */
	unsigned long torn; /* readers that saw a != b */
};

/* Read, pause, write back: loses updates unless the lock excludes. */
static void slow_increment(unsigned long *v)
{
	unsigned long x = READ_ONCE(*v);

	cpu_relax();
	WRITE_ONCE(*v, x + 1);
}

static void spin_contend(void *arg)
{
	struct counters *c = arg;
	unsigned int i;

	for (i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock(&test_lock);
		slow_increment(&c->plain);
		spin_unlock(&test_lock);
	}
}

SELFTEST(lock_spin_contention)
{
	struct counters c = { 0 };

	on_each_cpu(spin_contend, &c, true);
	CHECK(c.plain == (unsigned long)LOCK_ROUNDS * num_online_cpus());
	CHECK(!spin_is_locked(&test_lock));
	return TEST_PASS;
}

static void recursive_contend(void *arg)
{
	struct counters *c = arg;
	unsigned int i;

	for (i = 0; i < LOCK_ROUNDS / 4; i++) {
		spin_lock_recursive(&test_lock);
		spin_lock_recursive(&test_lock);
		slow_increment(&c->plain);
		spin_unlock_recursive(&test_lock);
		slow_increment(&c->plain);
		spin_unlock_recursive(&test_lock);
	}
}

SELFTEST(lock_recursive_contention)
{
	struct counters c = { 0 };

	on_each_cpu(recursive_contend, &c, true);
	CHECK(c.plain == (unsigned long)LOCK_ROUNDS / 2 * num_online_cpus());
	CHECK(!spin_is_locked(&test_lock));
	return TEST_PASS;
}

static void rw_contend(void *arg)
{
	struct counters *c = arg;
	u64 seed = smp_processor_id() + 7;
	unsigned int i;

	for (i = 0; i < LOCK_ROUNDS / 2; i++) {
		if (test_rand(&seed) % 4 == 0) {
			write_lock(&test_rwlock);
			slow_increment(&c->a);
			slow_increment(&c->b);
			write_unlock(&test_rwlock);
		} else {
			read_lock(&test_rwlock);
			if (READ_ONCE(c->a) != READ_ONCE(c->b))
				__atomic_fetch_add(&c->torn, 1,
						   __ATOMIC_RELAXED);
			read_unlock(&test_rwlock);
		}
	}
}

SELFTEST(lock_rwlock_contention)
{
	struct counters c = { 0 };

	on_each_cpu(rw_contend, &c, true);
	printk("  %lu writes\n", c.a);
	CHECK(c.torn == 0);
	CHECK(c.a == c.b && c.a > 0);
	CHECK(write_trylock(&test_rwlock));
	write_unlock(&test_rwlock);
	return TEST_PASS;
}

SELFTEST(lock_trylock)
{
	CHECK(spin_trylock(&test_lock));
	CHECK(spin_is_locked(&test_lock));
	CHECK(!spin_trylock(&test_lock));
	spin_unlock(&test_lock);
	CHECK(!spin_is_locked(&test_lock));
	return TEST_PASS;
}

SELFTEST(lock_atomic_depth)
{
	unsigned long flags;

	CHECK(!in_atomic() && atomic_depth() == 0);
	spin_lock(&test_lock);
	CHECK(in_atomic() && atomic_depth() == 1);
	spin_lock(&test_inner_lock);
	CHECK(atomic_depth() == 2);
	spin_unlock(&test_inner_lock);
	spin_unlock(&test_lock);
	CHECK(!in_atomic());
	flags = local_irq_save();
	CHECK(in_atomic() && atomic_depth() == 0);
	local_irq_restore(flags);
	CHECK(!in_atomic());
	return TEST_PASS;
}

SELFTEST(lock_rank_inversion_caught)
{
	unsigned int before = lock_rank_violations_seen();

	/* The right order passes unnoticed. */
	lock_rank_expect_violation(true);
	spin_lock(&test_lock);
	spin_lock(&test_inner_lock);
	spin_unlock(&test_inner_lock);
	spin_unlock(&test_lock);
	CHECK(lock_rank_violations_seen() == before);

	/* Inner then outer: the checker must object (counted, not panic). */
	spin_lock(&test_inner_lock);
	spin_lock(&test_lock);
	spin_unlock(&test_lock);
	spin_unlock(&test_inner_lock);
	lock_rank_expect_violation(false);
#ifndef NDEBUG
	CHECK(lock_rank_violations_seen() == before + 1);
#else
	SKIP("rank checking is compiled out (debug=n)");
#endif
	return TEST_PASS;
}

/*
 * A lock an interrupt handler takes is ranked among the handler's own
 * locks, not against the interrupted code's: a timer firing while this
 * CPU holds the inner lock (interrupts on) takes the outer one without a
 * violation. (Before, such a handler panicked the checker.)
 */
static bool irq_lock_taken;

static void take_outer_in_irq(void *arg)
{
	spin_lock(&test_lock);
	WRITE_ONCE(irq_lock_taken, true);
	spin_unlock(&test_lock);
}

SELFTEST(lock_rank_interrupt_context)
{
	unsigned int before = lock_rank_violations_seen();
	s_time_t end = NOW() + SECONDS(2);
	struct timer t;

	irq_lock_taken = false;
	init_timer(&t, take_outer_in_irq, NULL, smp_processor_id());
	lock_rank_expect_violation(true);
	spin_lock(&test_inner_lock);
	set_timer(&t, NOW() + MILLISECS(1));
	while (!READ_ONCE(irq_lock_taken) && NOW() < end)
		cpu_relax();
	spin_unlock(&test_inner_lock);
	lock_rank_expect_violation(false);
	stop_timer(&t);
	CHECK(irq_lock_taken);
	CHECK(lock_rank_violations_seen() == before);
	return TEST_PASS;
}
