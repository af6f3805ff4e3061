/* Interrupt flag, barriers and spin-wait hints. */
#ifndef ASM_SYSTEM_H
#define ASM_SYSTEM_H

#include <xen/types.h>

#define X86_EFLAGS_IF 0x200UL
#define X86_EFLAGS_OF 0x800UL

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/*
 * A CPU waiting for a spinlock or rwlock calls arch_lock_wait() between
 * looks at it, and every release calls arch_lock_released(). A physical
 * CPU only pauses; the host test shim's CPUs are threads, which sleep there
 * so that a preempted lock holder gets the host CPU back.
 */
static inline void arch_lock_wait(void)
{
	cpu_relax();
}

static inline void arch_lock_released(void)
{
}

static inline void smp_mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

#define smp_rmb() __asm__ __volatile__("" ::: "memory")
#define smp_wmb() __asm__ __volatile__("" ::: "memory")

/*
 * Full barrier right after a locked read-modify-write (an __atomic
 * exchange, add or compare-exchange). On x86 that instruction already is
 * one: earlier stores and later loads cannot pass it (Intel SDM vol. 3A,
 * 8.2.2), so only the compiler is held back.
 */
#define smp_mb__after_atomic() __asm__ __volatile__("" ::: "memory")

static inline unsigned long read_rflags(void)
{
	unsigned long f;

	__asm__ __volatile__("pushf; pop %0" : "=r"(f)::"memory");
	return f;
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline bool local_irq_is_enabled(void)
{
	return read_rflags() & X86_EFLAGS_IF;
}

static inline unsigned long local_irq_save(void)
{
	unsigned long f = read_rflags();

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/* Enable interrupts and halt with no window for a wakeup to be missed. */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

#endif
