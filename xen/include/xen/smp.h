/* CPU numbering and cross-CPU calls. */
#ifndef XEN_SMP_H
#define XEN_SMP_H

#include <xen/cpumask.h>
#include <xen/percpu.h>

/*
 * Run fn(info) on every CPU in mask (the caller's own CPU included if it is
 * in the mask); with wait, return only after all have finished. Must be
 * called with interrupts enabled and no spinlock held.
 */
void on_selected_cpus(const cpumask_t *mask, void (*fn)(void *), void *info,
		      bool wait);
void on_each_cpu(void (*fn)(void *), void *info, bool wait);

/* Stop every other CPU (panic path): they halt with interrupts off. */
void smp_send_stop(void);

#endif
