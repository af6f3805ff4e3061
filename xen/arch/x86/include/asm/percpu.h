/*
 * Per-CPU areas: every CPU has a copy of the .data.percpu section; GS base
 * points at the CPU's copy, whose first word holds the copy's offset from
 * the link-time section (0 for the boot CPU, which uses the section itself).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <xen/compiler.h>
#include <xen/config.h>

extern unsigned long __per_cpu_offset[NR_CPUS];
extern char __per_cpu_start[], __per_cpu_end[];

#define DECLARE_PER_CPU(type, name) extern __typeof__(type) per_cpu__##name
#define DEFINE_PER_CPU(type, name) \
	__section(".data.percpu") __typeof__(type) per_cpu__##name

#define RELOC_HIDE(ptr, off)                              \
	({                                                \
		unsigned long __p = (unsigned long)(ptr); \
		__asm__("" : "+r"(__p));                  \
		(__typeof__(ptr))(__p + (off));           \
	})

static inline unsigned long this_cpu_offset(void)
{
	unsigned long off;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(off));
	return off;
}

#define per_cpu(name, cpu) \
	(*RELOC_HIDE(&per_cpu__##name, __per_cpu_offset[cpu]))
#define this_cpu(name) (*RELOC_HIDE(&per_cpu__##name, this_cpu_offset()))

DECLARE_PER_CPU(unsigned int, cpu_id);
#define smp_processor_id() (this_cpu(cpu_id))

#endif
