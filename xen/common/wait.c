/*
 * Wait queues. A sleeper links itself in and marks itself blocked before
 * it re-checks its condition, so a wake_up_all() between the check and the
 * switch is not lost: the waker makes it runnable again and schedule()
 * simply picks it again.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/wait.h>
#include <asm/traps.h>

void init_waitqueue_head(struct waitqueue_head *wq)
{
	spin_lock_init(&wq->lock, "waitqueue", LR_WAITQUEUE);
	wq->sleepers = NULL;
}

int prepare_to_wait(struct waitqueue_head *wq)
{
	struct vcpu *v = current;
	unsigned long flags;

	if (v->is_idle)
		panic("the idle vCPU of CPU%u tried to sleep\n",
		      smp_processor_id());
	if (in_atomic()) {
		printk(XENLOG_ERR "d%uv%u sleeps in atomic context (%u locks "
				  "held, interrupts %s)\n",
		       v->domain->domain_id, v->vcpu_id, atomic_depth(),
		       local_irq_is_enabled() ? "on" : "off");
		show_backtrace((unsigned long)__builtin_frame_address(0));
		domain_crash(v->domain, "slept in atomic context");
		return -EDEADLK;
	}
	spin_lock_irqsave(&wq->lock, flags);
	v->wait_next = wq->sleepers;
	wq->sleepers = v;
	WRITE_ONCE(v->waitqueue, wq);
	vcpu_set_blocked(v);
	spin_unlock_irqrestore(&wq->lock, flags);
	return 0;
}

void finish_wait(struct waitqueue_head *wq)
{
	struct vcpu *v = current, **pp;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	for (pp = &wq->sleepers; *pp; pp = &(*pp)->wait_next)
		if (*pp == v) {
			*pp = v->wait_next;
			break;
		}
	WRITE_ONCE(v->waitqueue, NULL);
	spin_unlock_irqrestore(&wq->lock, flags);
	vcpu_cancel_block(v);
}

void wake_up_all(struct waitqueue_head *wq)
{
	unsigned long flags;
	struct vcpu *v;

	spin_lock_irqsave(&wq->lock, flags);
	while ((v = wq->sleepers)) {
		wq->sleepers = v->wait_next;
		vcpu_wake(v);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}
