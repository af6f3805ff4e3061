/*
 * Per-CPU areas. The boot CPU uses the linked .data.percpu section itself;
 * every other CPU gets a copy of the section as it was before anything ran,
 * saved by percpu_save_template() first thing at boot.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define PERCPU_MAX_SIZE (32 * 1024)

/* Offset of this area from the section; %gs:0 reads it (asm/percpu.h). */
__section(".data.percpu.first") unsigned long per_cpu__percpu_self_offset;
DEFINE_PER_CPU(unsigned int, cpu_id);

unsigned long __per_cpu_offset[NR_CPUS];
static u8 template[PERCPU_MAX_SIZE];

void percpu_save_template(void)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);

	if (size > sizeof(template))
		panic("per-CPU data is %zu bytes, more than %zu\n", size,
		      sizeof(template));
	memcpy(template, __per_cpu_start, size);
	wrmsr(MSR_GS_BASE, (unsigned long)__per_cpu_start);
}

int percpu_alloc(unsigned int cpu)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	unsigned int order = 0;
	u8 *area;

	while ((PAGE_SIZE << order) < size)
		order++;
	area = alloc_xenheap_pages(order, 0);
	if (!area)
		return -ENOMEM;
	memcpy(area, template, size);
	__per_cpu_offset[cpu] = (unsigned long)(area - (u8 *)__per_cpu_start);
	*(unsigned long *)area = __per_cpu_offset[cpu];
	per_cpu(cpu_id, cpu) = cpu;
	return 0;
}

void percpu_load(unsigned int cpu)
{
	wrmsr(MSR_GS_BASE,
	      (unsigned long)__per_cpu_start + __per_cpu_offset[cpu]);
}
