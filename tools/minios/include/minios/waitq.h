/*
 * Wait queues: threads sleep on one until another thread, an event
 * handler or a timer wakes them. The caller checks its condition and
 * sleeps with interrupts off, so a wake-up between the two is not lost:
 *
 *	flags = irq_save();
 *	while (!condition)
 *		waitq_sleep(&wq, 0);
 *	irq_restore(flags);
 */
#ifndef MINIOS_WAITQ_H
#define MINIOS_WAITQ_H

#include <stdbool.h>
#include <stdint.h>

#include <minios/list.h>

struct waitq {
	struct list_head sleepers;
};

void waitq_init(struct waitq *wq);
/*
 * Interrupts off: sleep until woken (true) or until deadline_ns passes
 * (false; 0: no deadline).
 */
bool waitq_sleep(struct waitq *wq, uint64_t deadline_ns);
void waitq_wake_one(struct waitq *wq);
void waitq_wake_all(struct waitq *wq);

#endif /* MINIOS_WAITQ_H */
