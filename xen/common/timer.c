/*
 * Per-CPU timer lists, kept sorted by expiry; the arch timer interrupt is
 * armed for the head of the list.
 */
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/apic.h>
#include <asm/time.h>
#include <asm/traps.h>

struct timer_queue {
	/* Protects head and every queued timer's next/active fields. */
	spinlock_t lock;
	struct timer *head;
	/* The timer whose function runs now (set under lock, read by kill). */
	struct timer *running;
};

static DEFINE_PER_CPU(struct timer_queue, timers) = {
	.lock = SPIN_LOCK_UNLOCKED("timer_queue", LR_TIMER),
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	*t = (struct timer){ .fn = fn, .data = data, .cpu = cpu };
}

static void dequeue(struct timer_queue *q, struct timer *t)
{
	struct timer **pp;

	for (pp = &q->head; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->active = false;
}

/* Arm the hardware for the queue head: on this CPU directly, else by IPI. */
static void kick(unsigned int cpu, s_time_t deadline)
{
	if (cpu == smp_processor_id())
		reprogram_timer(deadline);
	else
		send_ipi(cpu, TIMER_VECTOR);
}

void set_timer(struct timer *t, s_time_t expires)
{
	struct timer_queue *q = &per_cpu(timers, t->cpu);
	struct timer **pp;
	unsigned long flags;
	bool new_head;

	spin_lock_irqsave(&q->lock, flags);
	if (t->active)
		dequeue(q, t);
	t->expires = expires;
	for (pp = &q->head; *pp && (*pp)->expires <= expires; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->active = true;
	new_head = q->head == t;
	spin_unlock_irqrestore(&q->lock, flags);

	if (new_head)
		kick(t->cpu, expires);
}

void stop_timer(struct timer *t)
{
	struct timer_queue *q = &per_cpu(timers, t->cpu);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (t->active)
		dequeue(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
}

bool timer_is_active(const struct timer *t)
{
	return READ_ONCE(t->active);
}

void kill_timer(struct timer *t)
{
	stop_timer(t);
	while (READ_ONCE(per_cpu(timers, t->cpu).running) == t)
		cpu_relax();
}

static void timer_interrupt(struct cpu_user_regs *regs)
{
	struct timer_queue *q = &this_cpu(timers);
	s_time_t next;

	spin_lock(&q->lock);
	while (q->head && q->head->expires <= NOW()) {
		struct timer *t = q->head;

		dequeue(q, t);
		/* Run unlocked: the function may re-arm its own timer. */
		WRITE_ONCE(q->running, t);
		spin_unlock(&q->lock);
		t->fn(t->data);
		spin_lock(&q->lock);
		WRITE_ONCE(q->running, NULL);
	}
	next = q->head ? q->head->expires : STIME_NEVER;
	spin_unlock(&q->lock);
	reprogram_timer(next);
}

void timer_init(void)
{
	set_irq_handler(TIMER_VECTOR, timer_interrupt);
}
