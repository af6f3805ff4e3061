/*
 * Host shim: per-CPU variables are arrays indexed by the CPU number of the
 * calling thread (see shim_thread_start() in shim.h; the main thread is
 * CPU 0).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <xen/compiler.h>
#include <xen/config.h>

extern __thread unsigned int shim_cpu_id;

#define DECLARE_PER_CPU(type, name) \
	extern __typeof__(type) per_cpu__##name[NR_CPUS]
#define DEFINE_PER_CPU(type, name) __typeof__(type) per_cpu__##name[NR_CPUS]

#define per_cpu(name, cpu) (per_cpu__##name[cpu])
#define this_cpu(name) per_cpu(name, smp_processor_id())

#define smp_processor_id() ((unsigned int)shim_cpu_id)

#endif
