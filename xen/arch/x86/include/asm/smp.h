/* CPU bring-up and per-CPU areas (arch side). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <xen/types.h>

/* Copy pristine per-CPU data aside and point GS at the boot CPU's area. */
void percpu_save_template(void);
int percpu_alloc(unsigned int cpu);
void percpu_load(unsigned int cpu);

/* Bring up the CPUs ACPI listed, at most max_cpus in all. */
void smp_boot_cpus(unsigned int max_cpus);
void smp_ipi_init(void);
/*
 * Record the result rc of a CPU's HVM bring-up: it joins guest_cpu_map
 * unless HVM is on and the bring-up failed (or hvm_fail_cpu= fakes that).
 */
void cpu_hvm_ready(unsigned int cpu, int rc);

/* Set by smp_send_stop(): an NMI then halts the CPU that takes it. */
extern bool cpus_stopping;

/* Flush the TLBs of the CPUs in mask (and wait for them). */
struct cpumask;
void flush_tlb_mask(const struct cpumask *mask);

#endif
