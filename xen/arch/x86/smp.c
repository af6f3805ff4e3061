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

struct call_data {
	void (*fn)(void *);
	void *info;
	bool wait;
	cpumask_t selected; /* cleared by a target once it read the call */
	cpumask_t running; /* cleared by a target once fn returned (wait) */
};

/*
 * The call being handed out: set under call_lock until every target has
 * read it. It lives on the initiator's stack, which the initiator leaves
 * only once no target will touch it again.
 */
static DEFINE_SPINLOCK(call_lock, LR_CALL_FUNCTION);
static struct call_data *call_data;

static DEFINE_SPINLOCK(flush_lock, LR_TLB_FLUSH);
static cpumask_t flush_pending;

static void call_function_interrupt(struct cpu_user_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	struct call_data *d = READ_ONCE(call_data);
	void (*fn)(void *);
	void *info;
	bool wait;

	if (!d || !cpumask_test_cpu(cpu, &d->selected))
		return;
	fn = d->fn;
	info = d->info;
	wait = d->wait;
	/* Without wait, d may vanish as soon as our selected bit clears. */
	cpumask_clear_cpu(cpu, &d->selected);
	fn(info);
	if (wait)
		cpumask_clear_cpu(cpu, &d->running);
}

void on_selected_cpus(const cpumask_t *mask, void (*fn)(void *), void *info,
		      bool wait)
{
	struct call_data d = { .fn = fn, .info = info, .wait = wait };
	unsigned int cpu, me;

	ASSERT(local_irq_is_enabled());
	spin_lock(&call_lock);
	me = smp_processor_id();
	cpumask_copy(&d.selected, mask);
	cpumask_clear_cpu(me, &d.selected);
	for_each_cpu(cpu, &d.selected)
		if (!cpumask_test_cpu(cpu, &cpu_online_map))
			cpumask_clear_cpu(cpu, &d.selected);
	cpumask_copy(&d.running, &d.selected);
	WRITE_ONCE(call_data, &d);
	smp_mb();
	for_each_cpu(cpu, &d.selected)
		send_ipi(cpu, CALL_FUNCTION_VECTOR);
	while (!cpumask_empty(&d.selected))
		cpu_relax();
	WRITE_ONCE(call_data, NULL);
	spin_unlock(&call_lock);

	/* Locally with no lock held: fn may take any lock it likes. */
	if (cpumask_test_cpu(me, mask)) {
		unsigned long flags = local_irq_save();

		fn(info);
		local_irq_restore(flags);
	}
	while (wait && !cpumask_empty(&d.running))
		cpu_relax();
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

bool cpus_stopping;

void smp_send_stop(void)
{
	unsigned int cpu, me = smp_processor_id();

	WRITE_ONCE(cpus_stopping, true);
	for_each_online_cpu(cpu)
		if (cpu != me)
			send_nmi(cpu);
}
