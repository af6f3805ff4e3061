/*
 * Host shim: interrupt flag, barriers and spin-wait hints.
 *
 * Each thread is a CPU with its own interrupt flag (thread-local), so that
 * in_atomic() and the irqsave lock forms behave as on the real machine.
 */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <xen/types.h>

#define X86_EFLAGS_IF 0x200UL

/* Interrupts of this thread's CPU are disabled (starts enabled). */
extern __thread bool shim_irqs_disabled;

/* Yields the host CPU: lock holders may be threads waiting to run. */
void cpu_relax(void);

/*
 * A spinlock or rwlock waiter spins briefly, then sleeps until the next
 * release (or 1 ms): threads that only yield keep a loaded host's CPUs
 * from a preempted holder, and the ticket locks then convoy (a contended
 * test took minutes, not a second). The p2m's range locks still yield.
 */
void arch_lock_wait(void);
void arch_lock_released(void);

static inline void smp_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

/*
 * Full barrier right after a locked read-modify-write (an __atomic
 * exchange, add or compare-exchange). On x86 that instruction already is
 * one: earlier stores and later loads cannot pass it (Intel SDM vol. 3A,
 * 8.2.2), so only the compiler is held back.
 */
#define smp_mb__after_atomic() __asm__ __volatile__("" ::: "memory")

static inline void local_irq_disable(void)
{
	barrier();
	shim_irqs_disabled = true;
	barrier();
}

static inline void local_irq_enable(void)
{
	barrier();
	shim_irqs_disabled = false;
	barrier();
}

static inline bool local_irq_is_enabled(void)
{
	return !shim_irqs_disabled;
}

static inline unsigned long local_irq_save(void)
{
	unsigned long f = local_irq_is_enabled() ? X86_EFLAGS_IF : 0;

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

#endif
