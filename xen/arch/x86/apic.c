/* The local APIC: mapping, per-CPU enable, IPIs and the one-shot timer. */
#include <xen/lib.h>
#include <xen/percpu.h>
#include <asm/apic.h>
#include <asm/pgtable.h>
#include <asm/system.h>
#include <asm/time.h>
#include <asm/traps.h>

u32 cpu_to_apicid[NR_CPUS];

static volatile u32 *lapic_base;
/* LAPIC timer ticks (bus clock / 16) per millisecond; same on all CPUs. */
static u64 lapic_ticks_per_ms;

u32 apic_read(unsigned int reg)
{
	return lapic_base[reg / 4];
}

void apic_write(unsigned int reg, u32 v)
{
	lapic_base[reg / 4] = v;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

u32 lapic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

void lapic_map(paddr_t base)
{
	lapic_base = ioremap(base, PAGE_SIZE);
	if (!lapic_base)
		panic("cannot map the local APIC at %lx\n",
		      (unsigned long)base);
}

void lapic_init(void)
{
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_DM_NMI);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);
	apic_write(APIC_TIMER_DIV, 0x3); /* divide by 16 */
	apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR); /* enable */
	apic_write(APIC_ESR, 0);
	lapic_eoi();
}

void send_ipi_apicid(u32 apicid, u32 dm, u8 vector)
{
	unsigned long flags = local_irq_save();

	while (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR_HI, apicid << 24);
	apic_write(APIC_ICR_LO, dm | APIC_ICR_LEVEL_ASSERT | vector);
	local_irq_restore(flags);
}

void send_ipi(unsigned int cpu, u8 vector)
{
	send_ipi_apicid(cpu_to_apicid[cpu], APIC_DM_FIXED, vector);
}

void send_nmi(unsigned int cpu)
{
	send_ipi_apicid(cpu_to_apicid[cpu], APIC_DM_NMI, 0);
}

void lapic_timer_calibrate(void)
{
	u64 start = NOW();
	u32 elapsed;

	apic_write(APIC_TIMER_INIT, 0xffffffff);
	while (NOW() - start < 10 * MILLISECS(1))
		cpu_relax();
	elapsed = 0xffffffff - apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);
	lapic_ticks_per_ms = elapsed / 10;
	if (!lapic_ticks_per_ms)
		panic("LAPIC timer does not count\n");
	printk(XENLOG_INFO "LAPIC timer: %lu ticks/ms\n",
	       (unsigned long)lapic_ticks_per_ms);
}

void lapic_timer_program(s64 ns)
{
	u64 ticks;

	if (ns <= 0) {
		apic_write(APIC_TIMER_INIT, 0);
		return;
	}
	/* Far deadlines come back early and are re-armed: no overflow. */
	ticks = (u64)min(ns, (s64)10000000000LL) * lapic_ticks_per_ms / 1000000;
	apic_write(APIC_LVT_TIMER, TIMER_VECTOR); /* one-shot, unmasked */
	apic_write(APIC_TIMER_INIT, (u32)min(max(ticks, 1UL), 0xffffffffUL));
}
