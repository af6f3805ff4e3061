/* The x86 instructions dom0 uses, as inline functions. */
#ifndef MINIOS_ARCH_H
#define MINIOS_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(0));
	return r;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static inline void write_cr3(uint64_t val)
{
	asm volatile("mov %0, %%cr3" : : "r"(val) : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t val;

	asm volatile("mov %%cr2, %0" : "=r"(val));
	return val;
}

static inline void invlpg(const void *va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void lidt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

#define X86_EFLAGS_IF (1UL << 9)

static inline unsigned long irq_save(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		asm volatile("sti" ::: "memory");
}

static inline void irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

static inline bool irqs_enabled(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=r"(flags));
	return flags & X86_EFLAGS_IF;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#endif /* MINIOS_ARCH_H */
