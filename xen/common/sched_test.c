/*
 * Self-tests of the scheduler and wait queues, with vCPUs that run
 * hypervisor functions (no guest) in a test domain.
 */
#include <xen/errno.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/wait.h>
#include <asm/time.h>

static struct domain *test_domain(const char *name, unsigned int nr)
{
	static domid_t next_id = 0x7f00;
	int err;

	return domain_create(next_id++, name, nr, 64, &err);
}

/* Run pending vCPUs on this CPU (the idle context) until cond or timeout */
#define run_until(cond, ms)                             \
	({                                              \
		s_time_t __end = NOW() + MILLISECS(ms); \
		while (!(cond) && NOW() < __end) {      \
			if (need_resched())             \
				schedule();             \
			cpu_relax();                    \
		}                                       \
		(cond);                                 \
	})

static void pin(struct vcpu *v, unsigned int cpu)
{
	cpumask_t m;

	cpumask_clear(&m);
	cpumask_set_cpu(cpu, &m);
	vcpu_set_affinity(v, &m);
}

/* Destroy a test domain and check its memory came back. */
static bool finish(struct domain *d)
{
	unsigned int before = domain_count();

	domain_shutdown(d, SHUTDOWN_poweroff);
	return run_until((domain_reap(), domain_count() < before), 2000);
}

#define SPIN_MS 60

struct rr_state {
	unsigned int done;
	unsigned int switches[3];
	unsigned int last; /* vCPU that ran most recently */
};

static struct rr_state rr;

static void spin_vcpu(struct vcpu *v)
{
	s_time_t end = NOW() + MILLISECS(SPIN_MS * 3);
	s_time_t run = 0, last = NOW();

	/* Run SPIN_MS of CPU time, at scheduling points, sharing one CPU. */
	while (run < MILLISECS(SPIN_MS) && NOW() < end + SECONDS(2)) {
		s_time_t now = NOW();

		if (now - last < MICROSECS(500))
			run += now - last;
		last = now;
		if (READ_ONCE(rr.last) != v->vcpu_id) {
			rr.switches[v->vcpu_id]++;
			WRITE_ONCE(rr.last, v->vcpu_id);
		}
		cond_resched();
		last = NOW();
	}
	__atomic_fetch_add(&rr.done, 1, __ATOMIC_RELEASE);
}

SELFTEST(sched_round_robin_one_cpu)
{
	struct domain *d = test_domain("rr", 3);
	unsigned int i;

	CHECK(d);
	rr = (struct rr_state){ .last = ~0u };
	for (i = 0; i < 3; i++) {
		CHECK(!vcpu_create(d, i, spin_vcpu));
		pin(d->vcpu[i], 0);
	}
	domain_unpause(d);
	CHECK(run_until(__atomic_load_n(&rr.done, __ATOMIC_ACQUIRE) == 3,
			5000));
	/* Time slices interleaved them: each was switched in several times. */
	for (i = 0; i < 3; i++) {
		printk("  v%u: %u turns, %lu ms\n", i, rr.switches[i],
		       (unsigned long)(d->vcpu[i]->runtime / MILLISECS(1)));
		CHECK(rr.switches[i] >= 2);
	}
	CHECK(finish(d));
	return TEST_PASS;
}

struct wq_state {
	struct waitqueue_head wq;
	bool flag;
	bool woke;
	int rc;
	unsigned int slept_on, woke_on, waker_cpu;
	unsigned long canary;
	/* What the waker saw of the sleeper just before waking it. */
	bool sleeper_blocked, sleeper_queued;
};

static struct wq_state wqs;

static void sleeper(struct vcpu *v)
{
	/* A local that must survive the sleep: this stack is the vCPU's. */
	unsigned long canary = 0x5a5a1234UL ^ (unsigned long)v;

	wqs.slept_on = smp_processor_id();
	wqs.rc = wait_event(&wqs.wq, READ_ONCE(wqs.flag));
	wqs.woke_on = smp_processor_id();
	wqs.canary = canary ^ (unsigned long)v;
	__atomic_store_n(&wqs.woke, true, __ATOMIC_RELEASE);
}

static void waker(struct vcpu *v)
{
	/*
	 * Let the sleeper go to sleep first: wait until it is blocked, off
	 * its CPU and queued (a CPU of an emulator sharing the host may be
	 * descheduled for tens of ms), for 2 s at most. A sleeper that spun
	 * instead of sleeping would still be runnable or on its CPU, and not
	 * on the queue, then.
	 */
	s_time_t end = NOW() + SECONDS(2);
	struct vcpu *s = v->domain->vcpu[0];

	do {
		cond_resched();
		wqs.sleeper_blocked = READ_ONCE(s->state) == VCPU_BLOCKED &&
				      !READ_ONCE(s->running);
		wqs.sleeper_queued = READ_ONCE(wqs.wq.sleepers) == s;
	} while (!(wqs.sleeper_blocked && wqs.sleeper_queued) && NOW() < end);
	wqs.waker_cpu = smp_processor_id();
	WRITE_ONCE(wqs.flag, true);
	wake_up_all(&wqs.wq);
}

SELFTEST(waitqueue_sleep_and_wake_across_cpus)
{
	struct domain *d = test_domain("wq", 2);
	unsigned int other = cpumask_next(0, &cpu_online_map);

	if (other >= NR_CPUS)
		other = 0;
	CHECK(d);
	wqs = (struct wq_state){ 0 };
	init_waitqueue_head(&wqs.wq);
	CHECK(!vcpu_create(d, 0, sleeper));
	CHECK(!vcpu_create(d, 1, waker));
	pin(d->vcpu[0], 0);
	pin(d->vcpu[1], other);
	domain_unpause(d);
	CHECK(run_until(__atomic_load_n(&wqs.woke, __ATOMIC_ACQUIRE), 3000));
	printk("  slept on CPU%u, woken from CPU%u\n", wqs.slept_on,
	       wqs.waker_cpu);
	CHECK(wqs.sleeper_blocked && wqs.sleeper_queued);
	CHECK(wqs.rc == 0);
	CHECK(wqs.canary == 0x5a5a1234UL);
	CHECK(wqs.woke_on == wqs.slept_on);
	CHECK(!wqs.wq.sleepers);
	CHECK(finish(d));
	return TEST_PASS;
}

static DEFINE_SPINLOCK(held_while_sleeping, LR_SELFTEST_OUTER);

static void atomic_sleeper(struct vcpu *v)
{
	spin_lock(&held_while_sleeping);
	wqs.rc = wait_event(&wqs.wq, READ_ONCE(wqs.flag));
	spin_unlock(&held_while_sleeping);
	__atomic_store_n(&wqs.woke, true, __ATOMIC_RELEASE);
}

SELFTEST(waitqueue_sleep_in_atomic_crashes_domain)
{
	struct domain *d = test_domain("atomic", 1);

	CHECK(d);
	wqs = (struct wq_state){ 0 };
	init_waitqueue_head(&wqs.wq);
	CHECK(!vcpu_create(d, 0, atomic_sleeper));
	pin(d->vcpu[0], 0);
	domain_unpause(d);
	CHECK(run_until(__atomic_load_n(&wqs.woke, __ATOMIC_ACQUIRE), 2000));
	/* It did not sleep; its domain was crashed; we are still here. */
	CHECK(wqs.rc == -EDEADLK);
	CHECK(d->is_shutting_down && d->shutdown_code == SHUTDOWN_crash);
	CHECK(run_until((domain_reap(), !domain_find(d->domain_id)), 2000));
	return TEST_PASS;
}

static unsigned int blocked_runs;

static void blocker(struct vcpu *v)
{
	__atomic_fetch_add(&blocked_runs, 1, __ATOMIC_RELEASE);
	vcpu_block();
	__atomic_fetch_add(&blocked_runs, 1, __ATOMIC_RELEASE);
}

SELFTEST(sched_block_wake)
{
	struct domain *d = test_domain("block", 1);
	struct vcpu *v;

	CHECK(d);
	blocked_runs = 0;
	CHECK(!vcpu_create(d, 0, blocker));
	v = d->vcpu[0];
	pin(v, 0);
	domain_unpause(d);
	CHECK(run_until(__atomic_load_n(&blocked_runs, __ATOMIC_ACQUIRE) == 1,
			1000));
	/* Blocked: it does not run again on its own. */
	CHECK(!run_until(READ_ONCE(blocked_runs) == 2, 50));
	CHECK(v->state == VCPU_BLOCKED);
	vcpu_wake(v);
	CHECK(run_until(__atomic_load_n(&blocked_runs, __ATOMIC_ACQUIRE) == 2,
			1000));
	CHECK(finish(d));
	return TEST_PASS;
}

static void allocator_vcpu(struct vcpu *v)
{
	unsigned int i;

	/* Owned by the domain: its destruction must give them back. */
	for (i = 0; i < 32; i++)
		alloc_domheap_page(v->domain, 0);
}

SELFTEST(domain_destroy_returns_memory)
{
	unsigned long before = total_free_pages();
	struct domain *d = test_domain("mem", 2);

	CHECK(d);
	CHECK(!vcpu_create(d, 0, allocator_vcpu));
	CHECK(!vcpu_create(d, 1, allocator_vcpu));
	domain_unpause(d);
	CHECK(run_until(d->tot_pages == 64 &&
				d->vcpu[0]->state == VCPU_OFFLINE &&
				d->vcpu[1]->state == VCPU_OFFLINE,
			2000));
	CHECK(total_free_pages() < before);
	CHECK(finish(d));
	CHECK(total_free_pages() == before);
	return TEST_PASS;
}

#define DEAD_PAGES 256

struct reap_state {
	domid_t dead;
	bool reaped_while_spinning;
	bool done;
};

static struct reap_state reap;

static void dies_holding_memory(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < DEAD_PAGES; i++)
		alloc_domheap_page(v->domain, 0);
	/* Shut down on its own stack: the reaper must wait until it left. */
	domain_shutdown(v->domain, SHUTDOWN_poweroff);
}

/* CPU-bound on CPU0 (scheduling points only), until dead is gone. */
static void spins_on_cpu0(struct vcpu *v)
{
	s_time_t end = NOW() + SECONDS(1);

	while (NOW() < end) {
		if (!domain_find(reap.dead)) {
			reap.reaped_while_spinning = true;
			break;
		}
		cond_resched();
	}
	__atomic_store_n(&reap.done, true, __ATOMIC_RELEASE);
}

/* Reaping needs no idle CPU: the reaper vCPU is time-sliced on CPU0. */
SELFTEST(sched_reaper_beside_a_spinner)
{
	unsigned long before = total_free_pages();
	struct domain *spin = test_domain("spin", 1);
	struct domain *dead = test_domain("dead", 1);

	CHECK(spin && dead);
	dead->max_pages = DEAD_PAGES;
	reap = (struct reap_state){ .dead = dead->domain_id };
	CHECK(!vcpu_create(spin, 0, spins_on_cpu0));
	CHECK(!vcpu_create(dead, 0, dies_holding_memory));
	pin(spin->vcpu[0], 0);
	pin(dead->vcpu[0], 0);
	domain_unpause(spin);
	domain_unpause(dead);
	CHECK(run_until(__atomic_load_n(&reap.done, __ATOMIC_ACQUIRE), 3000));
	CHECK(reap.reaped_while_spinning);
	CHECK(finish(spin));
	CHECK(total_free_pages() == before);
	return TEST_PASS;
}
