/*
 * The local APIC through its x2APIC MSRs (SDM vol. 3, 11.12), for the
 * apic_* guests. Register names are their xAPIC offsets; the MSR is
 * 0x800 + offset / 16.
 */
#ifndef XTF_APIC_H
#define XTF_APIC_H

#include <xtf.h>

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define APIC_BASE_BSP (1u << 8)
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_DEFAULT_BASE 0xfee00000u

#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_PPR 0xa0
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0
#define APIC_SELF_IPI 0x3f0

#define APIC_MSR(reg) (0x800u + ((reg) >> 4))

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIVIDE_BY_1 0xb

/* ICR: delivery mode, destination mode, level, trigger, shorthand. */
#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_LOGICAL (1u << 11)
#define ICR_ASSERT (1u << 14)
#define ICR_SELF (1u << 18)
#define ICR_ALL (2u << 18)
#define ICR_ALL_BUT_SELF (3u << 18)

#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID1_EDX_APIC (1u << 9)

/* SKIP unless the hypervisor, vcpus vCPUs and the TSC frequency are there */
static inline void apic_test_needs(unsigned int vcpus)
{
	if (!xtf_has_xen())
		xtf_skip("needs the hypervisor");
	if (xtf_nr_vcpus() < vcpus)
		xtf_skip("needs %u vCPUs", vcpus);
	if (!xtf_tsc_khz())
		xtf_skip("no TSC frequency");
}

/* RDMSR that must work: a fault is a FAILURE naming the MSR. */
static inline uint64_t apic_rdmsr(uint32_t msr)
{
	uint64_t val;
	unsigned int fault = rdmsr_safe(msr, &val);

	check(!fault, "RDMSR %#x raised vector %u", msr, fault);
	return val;
}

static inline void apic_wrmsr(uint32_t msr, uint64_t val)
{
	unsigned int fault = wrmsr_safe(msr, val);

	check(!fault, "WRMSR %#x <- %#llx raised vector %u", msr,
	      (unsigned long long)val, fault);
}

static inline uint32_t apic_read(unsigned int reg)
{
	return (uint32_t)apic_rdmsr(APIC_MSR(reg));
}

static inline void apic_write(unsigned int reg, uint64_t val)
{
	apic_wrmsr(APIC_MSR(reg), val);
}

/* x2APIC mode, software enabled, spurious vector 0xff. */
static inline void apic_enable_x2apic(void)
{
	uint64_t base = apic_rdmsr(MSR_APIC_BASE);

	apic_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
	apic_write(APIC_SVR, SVR_ENABLE | 0xff);
}

static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Whether vector's bit is set in the 256-bit register at reg (ISR...). */
static inline bool apic_vector_set(unsigned int reg, uint8_t vector)
{
	return apic_read(reg + (vector / 32) * 0x10) & (1u << (vector % 32));
}

/* x2APIC ICR: one 64-bit write, the destination in bits 63:32. */
static inline void apic_send(uint32_t dest, uint32_t icr)
{
	apic_write(APIC_ICR, (uint64_t)dest << 32 | icr);
}

/* TSC ticks in ms milliseconds. */
static inline uint64_t apic_tsc_ms(unsigned int ms)
{
	return (uint64_t)xtf_tsc_khz() * ms;
}

/*
 * Spin for ms, yielding: the vCPU it waits for may share this CPU (and a
 * spinning guest need not be preempted soon).
 */
static inline void apic_spin_ms(unsigned int ms)
{
	uint64_t end = rdtsc() + apic_tsc_ms(ms);

	while (rdtsc() < end)
		hypercall_yield();
}

/*
 * The hypervisor's one-shot timer as a watchdog for halts: its upcall (on
 * APIC_WATCHDOG_VECTOR, which needs no EOI) ends a HLT that nothing else
 * would. Each vCPU that halts calls apic_watchdog_init() once.
 */
#define APIC_WATCHDOG_VECTOR 0x30

static inline void apic_watchdog_irq(void)
{
}

static inline void apic_watchdog_init(unsigned int vcpu)
{
	xtf_set_irq_handler(APIC_WATCHDOG_VECTOR, apic_watchdog_irq);
	check_rc(hypercall_set_evtchn_upcall_vector(vcpu, APIC_WATCHDOG_VECTOR),
		 0, "set_evtchn_upcall_vector");
}

/*
 * Halt with IF=1 until *p reaches n (false after ms milliseconds): for a
 * count that interrupts of this vCPU move. Returns with IF=0.
 */
static inline bool apic_halt_until(unsigned int vcpu, volatile unsigned int *p,
				   unsigned int n, unsigned int ms)
{
	uint64_t end = rdtsc() + apic_tsc_ms(ms), now;

	check_rc(hypercall_get_time(&now), 0, "get_time");
	check_rc(hypercall_set_singleshot_timer(vcpu, now + ms * 1000000ULL, 0),
		 0, "set_singleshot_timer");
	for (;;) {
		local_irq_disable();
		if (*p >= n)
			return true;
		if (rdtsc() > end)
			return false;
		sti_hlt();
	}
}

/* Spin with IF=1 until *p reaches n (false after ms): another vCPU's. */
static inline bool apic_spin_until(volatile unsigned int *p, unsigned int n,
				   unsigned int ms)
{
	uint64_t end = rdtsc() + apic_tsc_ms(ms);
	bool ok;

	local_irq_enable();
	while (*p < n && rdtsc() <= end)
		hypercall_yield();
	ok = *p >= n;
	local_irq_disable();
	return ok;
}

#endif /* XTF_APIC_H */
