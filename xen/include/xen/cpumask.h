/* Sets of CPUs. */
#ifndef XEN_CPUMASK_H
#define XEN_CPUMASK_H

#include <xen/bitmap.h>
#include <xen/config.h>

typedef struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
} cpumask_t;

extern cpumask_t cpu_online_map;
extern cpumask_t cpu_present_map;
/*
 * The online CPUs that can run guest vCPUs: those whose HVM bring-up
 * succeeded (every online CPU when there is no HVM at all). vCPUs are
 * placed and may be moved only within it.
 */
extern cpumask_t guest_cpu_map;
extern unsigned int nr_cpu_ids;

static inline void cpumask_set_cpu(unsigned int cpu, cpumask_t *m)
{
	set_bit(cpu, m->bits);
}

static inline void cpumask_clear_cpu(unsigned int cpu, cpumask_t *m)
{
	clear_bit(cpu, m->bits);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const cpumask_t *m)
{
	return test_bit(cpu, m->bits);
}

static inline void cpumask_clear(cpumask_t *m)
{
	bitmap_zero(m->bits, NR_CPUS);
}

static inline void cpumask_copy(cpumask_t *dst, const cpumask_t *src)
{
	bitmap_copy(dst->bits, src->bits, NR_CPUS);
}

static inline bool cpumask_empty(const cpumask_t *m)
{
	return bitmap_empty(m->bits, NR_CPUS);
}

static inline unsigned int cpumask_weight(const cpumask_t *m)
{
	return bitmap_weight(m->bits, NR_CPUS);
}

static inline unsigned int cpumask_first(const cpumask_t *m)
{
	return find_first_bit(m->bits, NR_CPUS);
}

static inline unsigned int cpumask_next(int n, const cpumask_t *m)
{
	return find_next_bit(m->bits, NR_CPUS, n + 1);
}

#define for_each_cpu(c, m) \
	for ((c) = cpumask_first(m); (c) < NR_CPUS; (c) = cpumask_next(c, m))
#define for_each_online_cpu(c) for_each_cpu(c, &cpu_online_map)
#define num_online_cpus() cpumask_weight(&cpu_online_map)

#endif
