/*
 * selftest's scheduling checks: threads taking turns and joined, sleeps,
 * sleepers waking in order, timers firing in order and never early, wait
 * queues with wakers and deadlines.
 */
#include <stdbool.h>
#include <stdint.h>

#include <minios/arch.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/waitq.h>

#include "selftest.h"

/* threads: three threads take turns (FIFO), each exits with its code. */
static unsigned int order[9], order_len;

static int taker(void *arg)
{
	unsigned int id = (uintptr_t)arg;

	for (int i = 0; i < 3; i++) {
		order[order_len++] = id;
		thread_yield();
	}
	return 10 + id;
}

const char *check_threads(void)
{
	struct thread *t[3];

	order_len = 0;
	for (unsigned int i = 0; i < 3; i++) {
		t[i] = thread_create("selftest-taker", taker,
				     (void *)(uintptr_t)i);
		if (!t[i])
			return FAIL("thread_create failed");
	}
	for (unsigned int i = 0; i < 3; i++) {
		int code = thread_join(t[i]);

		if (code != 10 + (int)i)
			return FAIL("thread %u exited with %d, not %u", i, code,
				    10 + i);
	}
	for (unsigned int i = 0; i < 9; i++)
		if (order[i] != i % 3)
			return FAIL("turn %u went to thread %u, not %u", i,
				    order[i], i % 3);
	return NULL;
}

/* sleep: 20 ms take at least 20 ms, and not a second. */
const char *check_sleep(void)
{
	uint64_t start = now_ns(), took;

	sleep_ms(20);
	took = now_ns() - start;
	if (took < 20 * MS || took > 1000 * MS)
		return FAIL("sleep_ms(20) took %lu us", took / 1000);
	return NULL;
}

/* sleepers: four threads sleeping at once wake in deadline order. */
static unsigned int woke[4], woke_len;

static int sleeper(void *arg)
{
	unsigned int ms = (uintptr_t)arg;

	sleep_ms(ms);
	woke[woke_len++] = ms;
	return 0;
}

const char *check_sleepers(void)
{
	static const unsigned int ms[4] = { 40, 10, 30, 20 };
	struct thread *t[4];
	uint64_t start = now_ns(), took;

	woke_len = 0;
	for (unsigned int i = 0; i < 4; i++)
		if (!(t[i] = thread_create("selftest-sleeper", sleeper,
					   (void *)(uintptr_t)ms[i])))
			return FAIL("thread_create failed");
	for (unsigned int i = 0; i < 4; i++)
		thread_join(t[i]);
	took = now_ns() - start;
	for (unsigned int i = 0; i < 4; i++)
		if (woke[i] != 10 * (i + 1))
			return FAIL("wake-up %u was the %u ms sleeper", i,
				    woke[i]);
	if (took < 40 * MS)
		return FAIL("all woke after %lu us, before 40 ms", took / 1000);
	return NULL;
}

/* timers: three timers set out of order fire in deadline order. */
struct fired {
	struct timer timer;
	uint64_t deadline, at;
	unsigned int rank;
};

static unsigned int nr_fired;
static struct waitq timer_wq;

static void timer_fn(void *arg)
{
	struct fired *f = arg;

	f->at = now_ns();
	f->rank = nr_fired++;
	waitq_wake_all(&timer_wq);
}

const char *check_timers(void)
{
	static const unsigned int ms[3] = { 30, 10, 20 };
	static const unsigned int rank[3] = { 2, 0, 1 };
	struct fired f[3];
	uint64_t now = now_ns();
	unsigned long flags;

	nr_fired = 0;
	waitq_init(&timer_wq);
	for (unsigned int i = 0; i < 3; i++) {
		f[i].deadline = now + ms[i] * MS;
		timer_init(&f[i].timer, timer_fn, &f[i]);
		timer_set(&f[i].timer, f[i].deadline);
	}
	flags = irq_save();
	while (nr_fired < 3)
		if (!waitq_sleep(&timer_wq, now + 2000 * MS))
			break;
	irq_restore(flags);
	if (nr_fired < 3) {
		for (unsigned int i = 0; i < 3; i++)
			timer_stop(&f[i].timer);
		return FAIL("%u of 3 timers fired within 2 s", nr_fired);
	}
	for (unsigned int i = 0; i < 3; i++) {
		if (f[i].rank != rank[i])
			return FAIL("the %u ms timer fired in position %u, "
				    "not %u",
				    ms[i], f[i].rank + 1, rank[i] + 1);
		if (f[i].at < f[i].deadline)
			return FAIL("the %u ms timer fired %lu us early", ms[i],
				    (f[i].deadline - f[i].at) / 1000);
	}
	return NULL;
}

/* waitq: a sleeper is woken by another thread; a deadline ends a wait. */
static struct waitq flag_wq;
static bool flag;

static int flag_setter(void *arg)
{
	sleep_ms(5);
	flag = true;
	waitq_wake_all(&flag_wq);
	return 0;
}

const char *check_waitq(void)
{
	struct thread *t;
	unsigned long flags;
	uint64_t start;
	bool woken;

	flag = false;
	waitq_init(&flag_wq);
	t = thread_create("selftest-setter", flag_setter, NULL);
	if (!t)
		return FAIL("thread_create failed");
	flags = irq_save();
	while (!flag)
		if (!waitq_sleep(&flag_wq, now_ns() + 2000 * MS))
			break;
	irq_restore(flags);
	thread_join(t);
	if (!flag)
		return FAIL("not woken within 2 s");
	start = now_ns();
	flags = irq_save();
	woken = waitq_sleep(&flag_wq, start + 15 * MS);
	irq_restore(flags);
	if (woken)
		return FAIL("a wait nobody ends said it was woken");
	if (now_ns() - start < 15 * MS)
		return FAIL("a 15 ms wait ended after %lu us",
			    (now_ns() - start) / 1000);
	return NULL;
}

/*
 * waitq-deadline: a sleeper woken by a waker but not yet run when its
 * deadline passes (its timer firing meanwhile) still runs, once.
 */
static struct waitq late_wq;
static unsigned int late_runs;

static int late_sleeper(void *arg)
{
	unsigned long flags = irq_save();

	waitq_sleep(&late_wq, now_ns() + 5 * MS);
	irq_restore(flags);
	late_runs++;
	return 0;
}

const char *check_waitq_deadline(void)
{
	struct thread *t;
	uint64_t end;

	late_runs = 0;
	waitq_init(&late_wq);
	t = thread_create("selftest-late", late_sleeper, NULL);
	if (!t)
		return FAIL("thread_create failed");
	thread_yield(); /* it sleeps on late_wq */
	waitq_wake_all(&late_wq);
	/* Keep the CPU past its deadline: its timer fires meanwhile. */
	for (end = now_ns() + 30 * MS; now_ns() < end;)
		cpu_relax();
	for (end = now_ns() + 1000 * MS; !late_runs && now_ns() < end;)
		thread_yield();
	if (!late_runs)
		return FAIL("a woken sleeper whose deadline passed never ran");
	thread_join(t);
	return late_runs == 1 ? NULL : FAIL("it ran %u times", late_runs);
}
