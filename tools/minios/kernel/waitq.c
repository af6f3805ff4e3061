/*
 * Wait queues. A sleeper is linked on the queue by its thread's link
 * (it is on no run queue meanwhile); whoever wakes it first, a waker or
 * its deadline's timer, unlinks it, so it is woken once: the timer only
 * while the thread is still blocked on the queue.
 */
#include <minios/arch.h>
#include <minios/sched.h>
#include <minios/waitq.h>

void waitq_init(struct waitq *wq)
{
	list_init(&wq->sleepers);
}

static void deadline_passed(void *arg)
{
	struct thread *t = arg;

	/*
	 * Woken already (it is runnable, on the run queue, its timer not
	 * stopped until it runs): nothing to undo. Unlinking it here would
	 * take it off the run queue and lose it.
	 */
	if (t->state != THREAD_BLOCKED)
		return;
	list_del(&t->link);
	t->timed_out = true;
	thread_wake(t);
}

bool waitq_sleep(struct waitq *wq, uint64_t deadline_ns)
{
	struct thread *t = thread_self();

	t->timed_out = false;
	list_add_tail(&t->link, &wq->sleepers);
	if (deadline_ns) {
		timer_init(&t->timer, deadline_passed, t);
		timer_set(&t->timer, deadline_ns);
	}
	thread_block("waitq");
	if (deadline_ns)
		timer_stop(&t->timer);
	return !t->timed_out;
}

void waitq_wake_one(struct waitq *wq)
{
	unsigned long flags = irq_save();

	if (!list_empty(&wq->sleepers)) {
		struct thread *t =
			list_first_entry(&wq->sleepers, struct thread, link);

		list_del(&t->link);
		thread_wake(t);
	}
	irq_restore(flags);
}

void waitq_wake_all(struct waitq *wq)
{
	unsigned long flags = irq_save();

	while (!list_empty(&wq->sleepers)) {
		struct thread *t =
			list_first_entry(&wq->sleepers, struct thread, link);

		list_del(&t->link);
		thread_wake(t);
	}
	irq_restore(flags);
}
