/*
 * Cross-CPU calls and TLB shootdown over IPIs. One call (and one flush) is
 * in flight at a time, serialised by its lock; the initiator waits for the
 * targets with interrupts enabled, so two CPUs calling each other cannot
 * deadlock.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>

cpumask_t cpu_online_map;
cpumask_t cpu_present_map;
unsigned int nr_cpu_ids = 1;

static DEFINE_SPINLOCK(call_lock, LR_CALL_FUNCTION);
static struct {
	void (*fn)(void *);
	void *info;
	bool wait;
	cpumask_t selected; /* cleared by a target once it read fn/info */
	cpumask_t running;  /* cleared by a target once fn returned */
} call_data;

static DEFINE_SPINLOCK(flush_lock, LR_TLB_FLUSH);
static cpumask_t flush_pending;

static void call_function_interrupt(struct cpu_user_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	void (*fn)(void *) = call_data.fn;
	void *info = call_data.info;

	if (!cpumask_test_cpu(cpu, &call_data.selected))
		return;
	/* fn and info were read before we let the initiator go on. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cpumask_clear_cpu(cpu, &call_data.selected);
	fn(info);
	cpumask_clear_cpu(cpu, &call_data.running);
}

void on_selected_cpus(const cpumask_t *mask, void (*fn)(void *), void *info,
		      bool wait)
{
	unsigned int cpu, me;
	bool self;

	ASSERT(local_irq_is_enabled());
	spin_lock(&call_lock);
	me = smp_processor_id();
	call_data.fn = fn;
	call_data.info = info;
	call_data.wait = wait;
	cpumask_copy(&call_data.selected, mask);
	cpumask_clear_cpu(me, &call_data.selected);
	for_each_cpu(cpu, &call_data.selected)
		if (!cpumask_test_cpu(cpu, &cpu_online_map))
			cpumask_clear_cpu(cpu, &call_data.selected);
	cpumask_copy(&call_data.running, &call_data.selected);
	self = cpumask_test_cpu(me, mask);
	smp_mb();

	for_each_cpu(cpu, &call_data.selected)
		send_ipi(cpu, CALL_FUNCTION_VECTOR);
	if (self) {
		unsigned long flags = local_irq_save();

		fn(info);
		local_irq_restore(flags);
	}
	while (!cpumask_empty(wait ? &call_data.running : &call_data.selected))
		cpu_relax();
	spin_unlock(&call_lock);
}

void on_each_cpu(void (*fn)(void *), void *info, bool wait)
{
	on_selected_cpus(&cpu_online_map, fn, info, wait);
}

static void invalidate_interrupt(struct cpu_user_regs *regs)
{
	flush_tlb_local();
	cpumask_clear_cpu(smp_processor_id(), &flush_pending);
}

void flush_tlb_mask(const cpumask_t *mask)
{
	unsigned int cpu, me;

	ASSERT(local_irq_is_enabled());
	spin_lock(&flush_lock);
	me = smp_processor_id();
	cpumask_copy(&flush_pending, mask);
	cpumask_clear_cpu(me, &flush_pending);
	for_each_cpu(cpu, &flush_pending)
		if (!cpumask_test_cpu(cpu, &cpu_online_map))
			cpumask_clear_cpu(cpu, &flush_pending);
	smp_mb();
	for_each_cpu(cpu, &flush_pending)
		send_ipi(cpu, INVALIDATE_TLB_VECTOR);
	if (cpumask_test_cpu(me, mask))
		flush_tlb_local();
	while (!cpumask_empty(&flush_pending))
		cpu_relax();
	spin_unlock(&flush_lock);
}

void smp_ipi_init(void)
{
	set_irq_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	set_irq_handler(INVALIDATE_TLB_VECTOR, invalidate_interrupt);
}
