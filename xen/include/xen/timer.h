/*
 * One-shot software timers. A timer belongs to one CPU and its function
 * runs there, in interrupt context with interrupts off.
 */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

#include <xen/types.h>

struct timer {
	s_time_t expires;
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;
	bool active;
	struct timer *next; /* in the CPU's list, sorted by expiry */
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu);
/* (Re)arm t for the absolute time expires (ns since boot, see NOW()). */
void set_timer(struct timer *t, s_time_t expires);
/* Disarm t; when this returns t's function is not pending. */
void stop_timer(struct timer *t);
/*
 * Disarm t and wait until its function is not running either (on another
 * CPU): before freeing what it uses. Not from t's own function.
 */
void kill_timer(struct timer *t);
bool timer_is_active(const struct timer *t);

void timer_init(void);

#endif
