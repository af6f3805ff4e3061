/*
 * Wait queues: a vCPU sleeps anywhere in hypervisor code until a condition
 * holds, and resumes there (its stack is its own). Sleeping holding a lock
 * or with interrupts off (in_atomic()) is a bug: it is logged and the
 * sleeper's domain is crashed, never the host; wait_event() then returns
 * -EDEADLK without sleeping. wait_event() needs <xen/sched.h>, which
 * includes this header.
 */
#ifndef XEN_WAIT_H
#define XEN_WAIT_H

#include <xen/spinlock.h>

struct vcpu;

struct waitqueue_head {
	/* Protects the list of sleepers (linked through vcpu.wait_next). */
	spinlock_t lock;
	struct vcpu *sleepers;
};

void init_waitqueue_head(struct waitqueue_head *wq);
/* Wake every sleeper (each re-checks its condition). */
void wake_up_all(struct waitqueue_head *wq);

int prepare_to_wait(struct waitqueue_head *wq);
void finish_wait(struct waitqueue_head *wq);

/* Sleep until cond is true. Returns 0, or -EDEADLK (see above). */
#define wait_event(wq, cond)                        \
	({                                          \
		int __rc = 0;                       \
		while (!(cond)) {                   \
			__rc = prepare_to_wait(wq); \
			if (__rc)                   \
				break;              \
			if (!(cond))                \
				schedule();         \
			finish_wait(wq);            \
		}                                   \
		__rc;                               \
	})

#endif
