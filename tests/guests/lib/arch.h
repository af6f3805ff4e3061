/* x86 instructions the test guests use, as inline functions. */
#ifndef XTF_ARCH_H
#define XTF_ARCH_H

#include <stdint.h>

#include "layout.h"

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline void outb(uint8_t val, uint16_t port)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void cli_hlt(void)
{
	asm volatile("cli; hlt" ::: "memory");
}

#define X86_EFLAGS_IF (1u << 9)

static inline void local_irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

/*
 * Enable interrupts and halt until one arrives. STI's one-instruction
 * shadow covers HLT, so an interrupt pending at the STI wakes the HLT
 * rather than being taken before it: check the wake-up condition with
 * interrupts off, then call this. Returns with interrupts on.
 */
static inline void sti_hlt(void)
{
	asm volatile("sti; hlt" ::: "memory");
}

static inline uint32_t read_eflags(void)
{
	uint32_t flags;

	asm volatile("pushf; pop %0" : "=r"(flags));
	return flags;
}

/*
 * An exception fixup: if the instruction at label `from` raises an
 * exception, execution resumes at label `to` with EAX = the vector,
 * instead of the exception ending the test (traps.c looks it up).
 */
#define ASM_EXTABLE(from, to)               \
	".pushsection .ex_table, \"a\"\n\t" \
	".long " #from ", " #to "\n\t"      \
	".popsection\n\t"

/* WRMSR: 0 if it took, else the vector of its exception (13: #GP). */
static inline unsigned int wrmsr_safe(uint32_t msr, uint64_t val)
{
	unsigned int fault;

	asm volatile("1: wrmsr\n\t"
		     "xor %%eax, %%eax\n\t"
		     "2:\n\t" ASM_EXTABLE(1b, 2b)
		     : "=a"(fault)
		     : "c"(msr), "0"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return fault;
}

/* RDMSR: 0 and *val if it took, else the vector of its exception. */
static inline unsigned int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo, hi, faulted;

	asm volatile("1: rdmsr\n\t"
		     "xor %%ecx, %%ecx\n\t"
		     "jmp 3f\n"
		     "2: mov $1, %%ecx\n\t" /* EAX: the vector */
		     "xor %%edx, %%edx\n"
		     "3:\n\t" ASM_EXTABLE(1b, 2b)
		     : "=a"(lo), "=d"(hi), "=c"(faulted)
		     : "2"(msr)
		     : "memory");
	*val = faulted ? 0 : (uint64_t)hi << 32 | lo;
	return faulted ? lo : 0;
}

/* The base is 32-bit in 32-bit code, 64-bit in 64-bit code (lib64/). */
struct desc_ptr {
	uint16_t limit;
	uintptr_t base;
} __attribute__((packed));

static inline void lidt(const struct desc_ptr *dp)
{
	asm volatile("lidt %0" : : "m"(*dp));
}

#endif /* XTF_ARCH_H */
