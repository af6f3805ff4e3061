/* Self-tests of one-shot timers on every CPU. */
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <asm/system.h>
#include <asm/time.h>

struct timer_probe {
	struct timer t;
	s_time_t fired_at;
	unsigned int fired_cpu;
	unsigned int count;
	unsigned int *order_log, order_id;
};

static unsigned int order_next;

static void probe_fn(void *arg)
{
	struct timer_probe *p = arg;

	p->fired_at = NOW();
	p->fired_cpu = smp_processor_id();
	if (p->order_log)
		p->order_log[__atomic_fetch_add(
			&order_next, 1, __ATOMIC_RELAXED)] = p->order_id;
	__atomic_fetch_add(&p->count, 1, __ATOMIC_RELEASE);
}

static bool wait_fired(struct timer_probe *p, unsigned int n, s_time_t max)
{
	s_time_t end = NOW() + max;

	while (NOW() < end)
		if (__atomic_load_n(&p->count, __ATOMIC_ACQUIRE) >= n)
			return true;
	return false;
}

SELFTEST(timer_fires_on_each_cpu)
{
	static struct timer_probe probes[NR_CPUS];
	unsigned int cpu;
	s_time_t start = NOW();

	for_each_online_cpu(cpu) {
		struct timer_probe *p = &probes[cpu];

		*p = (struct timer_probe){ 0 };
		init_timer(&p->t, probe_fn, p, cpu);
		set_timer(&p->t, start + MILLISECS(5 + cpu));
	}
	for_each_online_cpu(cpu) {
		struct timer_probe *p = &probes[cpu];

		CHECK(wait_fired(p, 1, SECONDS(2)));
		CHECK(p->fired_cpu == cpu);
		CHECK(p->fired_at >= p->t.expires);
		CHECK(!timer_is_active(&p->t));
	}
	return TEST_PASS;
}

SELFTEST(timer_order_and_stop)
{
	static struct timer_probe p[3];
	unsigned int log[3] = { 9, 9, 9 };
	s_time_t now = NOW();
	unsigned int i, cpu = smp_processor_id();

	order_next = 0;
	for (i = 0; i < 3; i++) {
		p[i] = (struct timer_probe){ .order_log = log, .order_id = i };
		init_timer(&p[i].t, probe_fn, &p[i], cpu);
	}
	/* Armed out of order; p[1] is stopped before it can fire. */
	set_timer(&p[2].t, now + MILLISECS(30));
	set_timer(&p[0].t, now + MILLISECS(10));
	set_timer(&p[1].t, now + MILLISECS(20));
	stop_timer(&p[1].t);
	CHECK(wait_fired(&p[2], 1, SECONDS(2)));
	CHECK(p[0].count == 1 && p[1].count == 0);
	CHECK(log[0] == 0 && log[1] == 2 && log[2] == 9);
	CHECK(p[0].fired_at <= p[2].fired_at);
	return TEST_PASS;
}

/*
 * Deadlines at 0 and below are in the past, not "no timer": they fire at
 * once, and a timer queued behind one still fires (a guest's one-shot
 * timer at 0 once left the CPU without a timer interrupt).
 */
SELFTEST(timer_deadline_zero_fires)
{
	static struct timer_probe zero, negative, later;
	unsigned int cpu = smp_processor_id();

	zero = negative = later = (struct timer_probe){ 0 };
	init_timer(&zero.t, probe_fn, &zero, cpu);
	init_timer(&negative.t, probe_fn, &negative, cpu);
	init_timer(&later.t, probe_fn, &later, cpu);
	set_timer(&zero.t, 0);
	set_timer(&later.t, NOW() + MILLISECS(5));
	set_timer(&negative.t, -1);
	CHECK(wait_fired(&zero, 1, SECONDS(2)));
	CHECK(wait_fired(&negative, 1, SECONDS(2)));
	CHECK(wait_fired(&later, 1, SECONDS(2)));
	CHECK(later.fired_at >= later.t.expires);
	return TEST_PASS;
}

/*
 * kill_timer() returns only once the function is done: here it runs on
 * another CPU and takes 20 ms. (stop_timer() alone would return at once.)
 */
static bool slow_started, slow_done;

static void slow_fn(void *arg)
{
	s_time_t end = NOW() + MILLISECS(20);

	WRITE_ONCE(slow_started, true);
	while (NOW() < end)
		cpu_relax();
	WRITE_ONCE(slow_done, true);
}

SELFTEST(timer_kill_waits_for_function)
{
	unsigned int cpu = smp_processor_id(), other;
	s_time_t end = NOW() + SECONDS(2);
	struct timer t;

	for_each_online_cpu(other)
		if (other != cpu)
			break;
	if (other >= NR_CPUS)
		SKIP("needs a second CPU");
	slow_started = slow_done = false;
	init_timer(&t, slow_fn, NULL, other);
	set_timer(&t, NOW() + MILLISECS(1));
	while (!READ_ONCE(slow_started) && NOW() < end)
		cpu_relax();
	CHECK(slow_started);
	kill_timer(&t);
	CHECK(READ_ONCE(slow_done));
	return TEST_PASS;
}
