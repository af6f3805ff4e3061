/*
 * Time and timers. The clock is the hypervisor's (HVMOP_get_time, ns).
 * A timer's function runs with interrupts off, from the VIRQ_TIMER
 * upcall or the idle loop: it may wake threads, never sleep.
 */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <minios/list.h>

#define NSEC_PER_MSEC 1000000ULL

struct timer {
	struct list_head node; /* in the sorted list while armed */
	uint64_t deadline; /* ns, on now_ns()'s clock */
	void (*fn)(void *arg);
	void *arg;
};

uint64_t now_ns(void);

void timer_init(struct timer *t, void (*fn)(void *arg), void *arg);
/* Arm t for deadline (re-arming it if armed); a past deadline fires soon. */
void timer_set(struct timer *t, uint64_t deadline);
void timer_stop(struct timer *t);
bool timer_armed(const struct timer *t);

/* Bind VIRQ_TIMER (after the event channels are up). */
void timers_init(void);
/* Run the timers due and arm the hypervisor's for the next; IRQs off. */
void timers_run(void);

#endif /* MINIOS_TIME_H */
