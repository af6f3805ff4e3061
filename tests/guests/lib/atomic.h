/* Atomics on 32-bit words, a spinlock, and a barrier across vCPUs. */
#ifndef XTF_ATOMIC_H
#define XTF_ATOMIC_H

#include "arch.h"

static inline unsigned int atomic_read(const unsigned int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void atomic_set(unsigned int *p, unsigned int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline unsigned int atomic_add_return(unsigned int *p, unsigned int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static inline unsigned int atomic_xchg(unsigned int *p, unsigned int v)
{
	return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

struct spinlock {
	unsigned int locked;
};

/*
 * The holder may be a vCPU of this domain that the hypervisor descheduled,
 * and the waiter may share its pCPU: so a waiter yields now and then. It
 * must not count on being preempted (Bochs never interrupts a guest that
 * runs with IF=0).
 */
void spin_lock(struct spinlock *l);

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/*
 * Wait until nr vCPUs have called xtf_barrier() (the same nr on each). An
 * ERROR verdict if they have not all arrived within 30 s.
 */
void xtf_barrier(unsigned int nr);
/* The same with its own limit, for vCPUs that may sleep for long. */
void xtf_barrier_within(unsigned int nr, unsigned int seconds);

#endif /* XTF_ATOMIC_H */
