/*
 * A round-robin scheduler with per-CPU run queues and time slices.
 *
 * Each CPU runs the vCPUs on its own run queue, in FIFO order, each for a
 * time slice (sched_slice_ms=, default 10) measured by a per-CPU timer;
 * when none is runnable it runs its idle vCPU.
 *
 * Wake-up boost (as Xen's credit scheduler boosts): a vCPU woken from a
 * block (an event, a page back from the pager) goes to the head of its
 * queue and preempts a vCPU that is not boosted itself, which goes right
 * behind it with what was left of its slice. So a request and its answer do not each wait
 * for a time slice to end. Boosted running is paid from a budget that
 * refills at 1/2^BOOST_SHARE_SHIFT of wall time, up to BOOST_MAX; a
 * boosted run ends when the budget does. A vCPU that blocks and wakes
 * itself in a loop therefore gets no more than that share ahead of the
 * others; one that never blocks is never boosted. A vCPU stays on the CPU it
 * was given (its processor) unless its affinity is changed while paused.
 *
 * Switching happens only at scheduling points: schedule() itself, called
 * when a vCPU blocks or yields, and cond_resched() at places that can
 * afford it (before entering a guest, in the idle loop, in long loops).
 * Interrupts set need_resched; they never switch stacks themselves.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/apic.h>
#include <asm/time.h>
#include <asm/traps.h>

struct runqueue {
	/* Protects the queue and the scheduling state of its vCPUs. */
	spinlock_t lock;
	struct vcpu *head, *tail;
	struct vcpu *idle;
	/*
	 * What the CPU runs, as schedule() decided under the lock: a wake-up
	 * that finds the idle vCPU here kicks the CPU, even if it has not
	 * switched to idle yet (curr_vcpu may still name the vCPU it left).
	 */
	struct vcpu *curr;
	bool need_resched;
	struct timer slice_timer;
};

DEFINE_PER_CPU(struct vcpu *, curr_vcpu);
static DEFINE_PER_CPU(struct runqueue, runqueue) = {
	.lock = SPIN_LOCK_UNLOCKED("runqueue", LR_RUNQUEUE),
};

#define BOOST_SHARE_SHIFT 2
#define BOOST_MAX MILLISECS(2)

static unsigned int opt_slice_ms = 10;
/* A slice of 0 would reschedule at every timer interrupt. */
integer_param_range("sched_slice_ms", opt_slice_ms, 1, 1000);

/* The vCPU this CPU just switched away from, until its context is saved. */
static DEFINE_PER_CPU(struct vcpu *, switched_from);

static struct domain idle_domain = { .domain_id = DOMID_IDLE, .name = "idle" };

static struct runqueue *rq_of(unsigned int cpu)
{
	return &per_cpu(runqueue, cpu);
}

bool vcpu_runnable(const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE &&
	       !__atomic_load_n(&v->pause_count, __ATOMIC_ACQUIRE);
}

/* Runqueue lock held. */
static void enqueue(struct runqueue *rq, struct vcpu *v)
{
	if (v->on_runq || v->is_idle)
		return;
	v->runq_next = NULL;
	if (rq->tail)
		rq->tail->runq_next = v;
	else
		rq->head = v;
	rq->tail = v;
	v->on_runq = true;
}

/* Runqueue lock held. */
static void enqueue_head(struct runqueue *rq, struct vcpu *v)
{
	if (v->on_runq || v->is_idle)
		return;
	v->runq_next = rq->head;
	rq->head = v;
	if (!rq->tail)
		rq->tail = v;
	v->on_runq = true;
}

/* v woke from a block at now: boost it if its budget allows. */
static void grant_boost(struct vcpu *v, s_time_t now)
{
	v->boost_budget += (now - v->boost_refilled) >> BOOST_SHARE_SHIFT;
	if (v->boost_budget > BOOST_MAX)
		v->boost_budget = BOOST_MAX;
	v->boost_refilled = now;
	v->boosted = v->boost_budget > 0;
}

/* Runqueue lock held. */
static void runq_unlink(struct runqueue *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head, *prev = NULL;

	if (!v->on_runq)
		return;
	while (*pp != v) {
		prev = *pp;
		pp = &(*pp)->runq_next;
	}
	*pp = v->runq_next;
	if (rq->tail == v)
		rq->tail = prev;
	v->on_runq = false;
}

/* First runnable vCPU on the queue (dropping the others), or NULL. */
static struct vcpu *dequeue_runnable(struct runqueue *rq)
{
	while (rq->head) {
		struct vcpu *v = rq->head;

		rq->head = v->runq_next;
		if (!rq->head)
			rq->tail = NULL;
		v->on_runq = false;
		if (vcpu_runnable(v))
			return v;
	}
	return NULL;
}

static void slice_expired(void *arg)
{
	this_cpu(runqueue).need_resched = true;
}

/* Interrupt from another CPU: something became runnable here. */
static void event_check_interrupt(struct cpu_user_regs *regs)
{
	this_cpu(runqueue).need_resched = true;
}

void send_event_check(unsigned int cpu)
{
	if (cpu == smp_processor_id())
		this_cpu(runqueue).need_resched = true;
	else
		send_ipi(cpu, EVENT_CHECK_VECTOR);
}

s_time_t sched_slice_end(void)
{
	struct runqueue *rq = &this_cpu(runqueue);

	return timer_is_active(&rq->slice_timer) ?
		       rq->slice_timer.expires :
		       NOW() + MILLISECS(opt_slice_ms);
}

void sched_check_slice(void)
{
	struct runqueue *rq = &this_cpu(runqueue);

	if (NOW() >= rq->slice_timer.expires)
		rq->need_resched = true;
}

bool need_resched(void)
{
	return READ_ONCE(this_cpu(runqueue).need_resched);
}

/*
 * On the new stack, after a switch: the previous vCPU's registers are
 * saved, so it may now run elsewhere or be freed (vcpu_sleep_sync and the
 * reaper wait for running to clear). The reaper hears of it after the
 * store: nothing else tells it a dying domain's vCPU has stopped.
 */
static void context_saved(void)
{
	struct vcpu *prev = this_cpu(switched_from);

	this_cpu(switched_from) = NULL;
	__atomic_store_n(&prev->running, false, __ATOMIC_SEQ_CST);
	reaper_vcpu_stopped(prev);
}

void schedule(void)
{
	unsigned int cpu = smp_processor_id();
	struct runqueue *rq = rq_of(cpu);
	struct vcpu *prev = current, *next;
	unsigned long flags;
	s_time_t now;

	ASSERT(!atomic_depth());
	flags = local_irq_save();
	spin_lock(&rq->lock);
	now = NOW();
	rq->need_resched = false;
	if (prev->boosted) {
		prev->boost_budget -= now - prev->last_start;
		prev->boosted = false;
	}
	next = dequeue_runnable(rq);
	/*
	 * Preempted by a boost: next in line, with only what was left of its
	 * slice (with a fresh slice each time, a vCPU preempted by frequent
	 * boosts would keep the rest of the queue waiting for ever). Its
	 * slice over, or yielding: to the back.
	 */
	if (!prev->is_idle && vcpu_runnable(prev) && next != prev) {
		if (next && next->boosted && now < rq->slice_timer.expires) {
			prev->slice_left = rq->slice_timer.expires - now;
			enqueue_head(rq, prev);
		} else if (next) {
			enqueue(rq, prev);
		} else {
			next = prev;
		}
	}
	if (!next)
		next = rq->idle;
	rq->curr = next;
	/*
	 * Picked as runnable and marked running in one step under the lock:
	 * whoever reads running under it (vcpu_is_running()) after pausing
	 * v either sees it running or knows it cannot be picked any more.
	 */
	if (next != prev)
		WRITE_ONCE(next->running, true);
	spin_unlock(&rq->lock);

	if (next->boosted && next->boost_budget < MILLISECS(opt_slice_ms))
		set_timer(&rq->slice_timer, now + next->boost_budget);
	else if (next->slice_left)
		set_timer(&rq->slice_timer, now + next->slice_left);
	else if (!next->is_idle)
		set_timer(&rq->slice_timer, now + MILLISECS(opt_slice_ms));
	else
		stop_timer(&rq->slice_timer);
	next->slice_left = 0;
	if (next != prev) {
		prev->runtime += now - prev->last_start;
		next->last_start = now;
		runstate_switch(prev, next, now);
		this_cpu(curr_vcpu) = next;
		this_cpu(switched_from) = prev;
		context_switch(prev, next);
		context_saved();
	}
	local_irq_restore(flags);
}

void cond_resched(void)
{
	if (need_resched() && !atomic_depth() && local_irq_is_enabled())
		schedule();
}

/* v's run-queue lock, taken on the CPU v belongs to (it may move). */
static struct runqueue *lock_vcpu_rq(struct vcpu *v, unsigned long *flags)
{
	for (;;) {
		struct runqueue *rq = rq_of(READ_ONCE(v->processor));

		spin_lock_irqsave(&rq->lock, *flags);
		if (rq == rq_of(v->processor))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

bool vcpu_is_running(struct vcpu *v)
{
	unsigned long flags;
	struct runqueue *rq = lock_vcpu_rq(v, &flags);
	bool running = v->running;

	spin_unlock_irqrestore(&rq->lock, flags);
	return running;
}

void vcpu_wake(struct vcpu *v)
{
	unsigned long flags;
	struct runqueue *rq = lock_vcpu_rq(v, &flags);
	bool kick = false;

	if (v->state == VCPU_BLOCKED) {
		v->state = VCPU_RUNNABLE;
		v->nr_wakeups++;
		grant_boost(v, NOW());
	}
	/*
	 * Queued even if it is still running or switching out on its CPU:
	 * only that CPU takes vCPUs off its queue, so it cannot run twice,
	 * and a wake-up in the middle of its switch is not lost.
	 */
	if (vcpu_runnable(v) && !v->on_runq) {
		if (v->boosted)
			enqueue_head(rq, v);
		else
			enqueue(rq, v);
		kick = rq->curr->is_idle ||
		       (v->boosted && rq->curr != v && !rq->curr->boosted);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	if (kick)
		send_event_check(v->processor);
}

bool vcpu_blocked_off_cpu(struct vcpu *v, unsigned long *wakeups)
{
	unsigned long flags;
	struct runqueue *rq = lock_vcpu_rq(v, &flags);
	bool blocked = v->state == VCPU_BLOCKED && !v->running;

	*wakeups = v->nr_wakeups;
	spin_unlock_irqrestore(&rq->lock, flags);
	return blocked;
}

static void set_state(struct vcpu *v, enum vcpu_state from, enum vcpu_state to)
{
	unsigned long flags;
	struct runqueue *rq = lock_vcpu_rq(v, &flags);

	if (v->state == from)
		v->state = to;
	spin_unlock_irqrestore(&rq->lock, flags);
}

void vcpu_set_blocked(struct vcpu *v)
{
	ASSERT(!v->is_idle);
	set_state(v, VCPU_RUNNABLE, VCPU_BLOCKED);
}

void vcpu_cancel_block(struct vcpu *v)
{
	set_state(v, VCPU_BLOCKED, VCPU_RUNNABLE);
}

void vcpu_block(void)
{
	vcpu_set_blocked(current);
	schedule();
}

/* Take v off its run queue for good (it is paused and not running). */
void sched_remove_vcpu(struct vcpu *v)
{
	struct runqueue *rq = rq_of(v->processor);
	unsigned long flags;

	ASSERT(!v->running);
	spin_lock_irqsave(&rq->lock, flags);
	runq_unlink(rq, v);
	v->state = VCPU_OFFLINE;
	spin_unlock_irqrestore(&rq->lock, flags);
}

void vcpu_yield(void)
{
	schedule();
}

void vcpu_pause(struct vcpu *v)
{
	__atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
	if (v != current)
		vcpu_sleep_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
	if (__atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0)
		vcpu_wake(v);
}

void vcpu_sleep_sync(struct vcpu *v)
{
	ASSERT(v != current);
	/* Make its CPU reschedule, then wait until it let go of v. */
	while (vcpu_is_running(v)) {
		send_event_check(v->processor);
		cpu_relax();
	}
}

int vcpu_set_affinity(struct vcpu *v, const cpumask_t *mask)
{
	cpumask_t online;
	unsigned int cpu;

	/* Only CPUs that can run guests count (see guest_cpu_map). */
	bitmap_and(online.bits, mask->bits, guest_cpu_map.bits, NR_CPUS);
	if (cpumask_empty(&online))
		return -EINVAL;
	vcpu_pause(v);
	cpumask_copy(&v->affinity, &online);
	cpu = v->processor;
	if (!cpumask_test_cpu(cpu, &online)) {
		struct runqueue *rq = rq_of(cpu);
		unsigned long flags;

		/*
		 * Paused and off the CPUs: only the queue link is left. The
		 * move is made under the old queue's lock, which a concurrent
		 * vcpu_wake() holds or re-checks (lock_vcpu_rq()).
		 */
		spin_lock_irqsave(&rq->lock, flags);
		runq_unlink(rq, v);
		WRITE_ONCE(v->processor, cpumask_first(&online));
		spin_unlock_irqrestore(&rq->lock, flags);
	}
	vcpu_unpause(v);
	return 0;
}

/* A new vCPU's first code (from the arch trampoline), interrupts off. */
void vcpu_first_run(void)
{
	struct vcpu *v = current;
	struct runqueue *rq = rq_of(v->processor);

	context_saved();
	local_irq_enable();
	v->entry(v);
	/* Its work is done: it never runs again. */
	spin_lock_irq(&rq->lock);
	v->state = VCPU_OFFLINE;
	spin_unlock_irq(&rq->lock);
	schedule();
	BUG();
}

void idle_loop(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		safe_halt();
	}
}

void scheduler_init_cpu(unsigned int cpu)
{
	struct runqueue *rq = rq_of(cpu);
	struct vcpu *idle = alloc_xenheap_page();

	if (!idle)
		panic("no memory for CPU%u's idle vCPU\n", cpu);
	memset(idle, 0, sizeof(*idle));
	idle->vcpu_id = cpu;
	idle->domain = &idle_domain;
	idle->is_idle = true;
	idle->processor = cpu;
	idle->running = true;
	idle->state = VCPU_RUNNABLE;
	cpumask_set_cpu(cpu, &idle->affinity);
	rq->idle = idle;
	rq->curr = idle;
	init_timer(&rq->slice_timer, slice_expired, NULL, cpu);
	this_cpu(curr_vcpu) = idle;
}

void scheduler_init(void)
{
	set_irq_handler(EVENT_CHECK_VECTOR, event_check_interrupt);
	scheduler_init_cpu(0);
}
