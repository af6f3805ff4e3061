/*
 * apic_timer: the local APIC of vCPU 0 through its x2APIC MSRs, and its
 * timer, in this order:
 *
 *   cpuid     leaf 1 offers the APIC, x2APIC and the TSC-deadline timer;
 *   base      APIC_BASE reads enabled, BSP, at 0xfee00000; x2APIC MSRs
 *             are #GP until EXTD is set; EXTD without enable is #GP;
 *   regs      in x2APIC mode: ID 0, version 0x14 with 6 LVT entries, LDR
 *             derived (cluster 0, bit 0); writes to ID and LDR, reads of
 *             EOI and SELF IPI, DFR and ICR high are #GP; x2APIC back to
 *             xAPIC is #GP; TPR and divide read back;
 *   oneshot   at divide 1 (1 GHz) a 20 ms count fires once, no earlier
 *             than 20 ms, the current count falling meanwhile and 0
 *             after; in the handler its vector is in ISR, gone after EOI;
 *   periodic  a 5 ms period fires 4 times in no less than 20 ms, and
 *             keeps firing; masked it raises nothing for 30 ms (the count
 *             runs on); initial count 0 stops it;
 *   masked    a masked one-shot raises nothing and counts to 0;
 *   deadline  TSC-deadline mode: a deadline 20 ms ahead fires once, no
 *             earlier, and the MSR reads 0 after; one in the past fires
 *             at once; writing 0 disarms one; the initial count is ignored.
 *
 * SUCCESS if all hold, else FAILURE naming the first check that did not.
 */
#include <apic.h>

#define VEC_ONESHOT 0x40
#define VEC_PERIODIC 0x41
#define VEC_DEADLINE 0x42

static volatile unsigned int fired[3];
static volatile uint64_t fired_tsc[3];
static volatile bool in_isr, isr_after_eoi;

static void on_timer(unsigned int i, uint8_t vector)
{
	fired[i]++;
	fired_tsc[i] = rdtsc();
	in_isr = apic_vector_set(APIC_ISR, vector);
	apic_eoi();
	isr_after_eoi = apic_vector_set(APIC_ISR, vector);
}

static void oneshot_irq(void)
{
	on_timer(0, VEC_ONESHOT);
}

static void periodic_irq(void)
{
	on_timer(1, VEC_PERIODIC);
}

static void deadline_irq(void)
{
	on_timer(2, VEC_DEADLINE);
}

/* Halt until fired[i] reaches n, or ms passed: false then. */
static bool wait_fired(unsigned int i, unsigned int n, unsigned int ms)
{
	return apic_halt_until(0, &fired[i], n, ms);
}

/* Spin ms with IF=1: interrupts are taken as they come. */
static void spin_irqs_on(unsigned int ms)
{
	local_irq_enable();
	apic_spin_ms(ms);
	local_irq_disable();
}

static void check_cpuid(void)
{
	struct cpuid_regs r = cpuid(1);

	check(r.edx & CPUID1_EDX_APIC, "cpuid: no APIC (EDX %#x)", r.edx);
	check(r.ecx & CPUID1_ECX_X2APIC, "cpuid: no x2APIC (ECX %#x)", r.ecx);
	check(r.ecx & CPUID1_ECX_TSC_DEADLINE,
	      "cpuid: no TSC-deadline timer (ECX %#x)", r.ecx);
	check(r.ebx >> 24 == 0, "cpuid: APIC ID %u", r.ebx >> 24);
}

static void check_base(void)
{
	uint64_t base = apic_rdmsr(MSR_APIC_BASE), val;

	check(base == (APIC_DEFAULT_BASE | APIC_BASE_ENABLE | APIC_BASE_BSP),
	      "base: APIC_BASE %#llx", (unsigned long long)base);
	check(rdmsr_safe(APIC_MSR(APIC_ID), &val) == 13,
	      "base: x2APIC ID MSR readable in xAPIC mode");
	check(wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EXTD) ==
		      13,
	      "base: EXTD without enable taken");
	check(apic_rdmsr(MSR_APIC_BASE) == base, "base: changed by a #GP");
	apic_enable_x2apic();
	check(apic_rdmsr(MSR_APIC_BASE) == (base | APIC_BASE_EXTD),
	      "base: %#llx after enabling x2APIC",
	      (unsigned long long)apic_rdmsr(MSR_APIC_BASE));
}

static void check_regs(void)
{
	uint32_t ver = apic_read(APIC_VERSION);
	uint64_t val;

	check(apic_read(APIC_ID) == 0, "regs: ID %u", apic_read(APIC_ID));
	check((ver & 0xff) == 0x14 && ((ver >> 16) & 0xff) == 5,
	      "regs: version %#x", ver);
	check(apic_read(APIC_LDR) == 1, "regs: LDR %#x", apic_read(APIC_LDR));
	check(wrmsr_safe(APIC_MSR(APIC_ID), 3) == 13, "regs: ID written");
	check(wrmsr_safe(APIC_MSR(APIC_LDR), 3) == 13, "regs: LDR written");
	check(rdmsr_safe(APIC_MSR(APIC_EOI), &val) == 13, "regs: EOI read");
	check(rdmsr_safe(APIC_MSR(APIC_SELF_IPI), &val) == 13,
	      "regs: SELF IPI read");
	check(rdmsr_safe(APIC_MSR(APIC_DFR), &val) == 13, "regs: DFR read");
	check(rdmsr_safe(APIC_MSR(APIC_ICR_HI), &val) == 13,
	      "regs: ICR high read");
	check(wrmsr_safe(APIC_MSR(APIC_EOI), 1) == 13,
	      "regs: EOI of a non-zero value taken");
	check(wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
						APIC_BASE_BSP) == 13,
	      "regs: x2APIC back to xAPIC taken");
	apic_write(APIC_TPR, 0x20);
	check(apic_read(APIC_TPR) == 0x20 && apic_read(APIC_PPR) == 0x20,
	      "regs: TPR %#x PPR %#x", apic_read(APIC_TPR),
	      apic_read(APIC_PPR));
	apic_write(APIC_TPR, 0);
	apic_write(APIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	check(apic_read(APIC_TIMER_DIVIDE) == TIMER_DIVIDE_BY_1,
	      "regs: divide %#x", apic_read(APIC_TIMER_DIVIDE));
}

static void check_oneshot(void)
{
	const uint32_t count = 20000000; /* 20 ms at 1 GHz */
	uint64_t start;
	uint32_t c1, c2;

	apic_write(APIC_LVT_TIMER, VEC_ONESHOT);
	start = rdtsc();
	apic_write(APIC_TIMER_INITIAL, count);
	c1 = apic_read(APIC_TIMER_CURRENT);
	apic_spin_ms(2);
	c2 = apic_read(APIC_TIMER_CURRENT);
	check(c1 && c1 <= count && c2 < c1,
	      "oneshot: current count %u then %u (initial %u)", c1, c2, count);
	check(wait_fired(0, 1, 1000), "oneshot: no interrupt within 1 s");
	check(fired_tsc[0] - start >= apic_tsc_ms(20),
	      "oneshot: fired after %llu TSC ticks, before 20 ms (%llu)",
	      (unsigned long long)(fired_tsc[0] - start),
	      (unsigned long long)apic_tsc_ms(20));
	check(in_isr && !isr_after_eoi,
	      "oneshot: vector in ISR %d in the handler, %d after EOI", in_isr,
	      isr_after_eoi);
	spin_irqs_on(30);
	check(fired[0] == 1, "oneshot: fired %u times", fired[0]);
	check(apic_read(APIC_TIMER_CURRENT) == 0,
	      "oneshot: current count %u after it fired",
	      apic_read(APIC_TIMER_CURRENT));
}

static void check_periodic(void)
{
	uint64_t start;
	unsigned int n;

	apic_write(APIC_LVT_TIMER, VEC_PERIODIC | LVT_TIMER_PERIODIC);
	start = rdtsc();
	apic_write(APIC_TIMER_INITIAL, 5000000); /* 5 ms */
	check(wait_fired(1, 4, 2000), "periodic: %u interrupts in 2 s",
	      fired[1]);
	check(fired_tsc[1] - start >= apic_tsc_ms(20),
	      "periodic: 4 periods of 5 ms in %llu TSC ticks",
	      (unsigned long long)(fired_tsc[1] - start));
	check(wait_fired(1, 6, 2000), "periodic: stopped after %u", fired[1]);
	apic_write(APIC_LVT_TIMER,
		   VEC_PERIODIC | LVT_TIMER_PERIODIC | LVT_MASKED);
	n = fired[1];
	spin_irqs_on(30);
	check(fired[1] == n, "periodic: %u interrupts while masked",
	      fired[1] - n);
	check(apic_read(APIC_TIMER_CURRENT) != 0,
	      "periodic: the masked timer stopped counting");
	apic_write(APIC_TIMER_INITIAL, 0);
	check(apic_read(APIC_TIMER_CURRENT) == 0,
	      "periodic: current count %u after initial 0",
	      apic_read(APIC_TIMER_CURRENT));
	apic_write(APIC_LVT_TIMER, VEC_PERIODIC | LVT_TIMER_PERIODIC);
	spin_irqs_on(20);
	check(fired[1] == n, "periodic: fired after initial count 0");
}

static void check_masked(void)
{
	apic_write(APIC_LVT_TIMER, VEC_ONESHOT | LVT_MASKED);
	apic_write(APIC_TIMER_INITIAL, 10000000); /* 10 ms */
	spin_irqs_on(30);
	check(fired[0] == 1, "masked: a masked one-shot fired");
	check(apic_read(APIC_TIMER_CURRENT) == 0,
	      "masked: current count %u 20 ms after it ran out",
	      apic_read(APIC_TIMER_CURRENT));
}

static void check_deadline(void)
{
	uint64_t start, deadline;

	apic_write(APIC_LVT_TIMER, VEC_DEADLINE | LVT_TIMER_TSC_DEADLINE);
	/* The initial count does nothing in this mode. */
	apic_write(APIC_TIMER_INITIAL, 1000);
	spin_irqs_on(5);
	check(fired[2] == 0, "deadline: the initial count started a timer");
	start = rdtsc();
	deadline = start + apic_tsc_ms(20);
	apic_wrmsr(MSR_TSC_DEADLINE, deadline);
	check(apic_rdmsr(MSR_TSC_DEADLINE) == deadline,
	      "deadline: MSR reads %#llx",
	      (unsigned long long)apic_rdmsr(MSR_TSC_DEADLINE));
	check(wait_fired(2, 1, 1000), "deadline: no interrupt within 1 s");
	check(fired_tsc[2] >= deadline, "deadline: fired %llu TSC ticks early",
	      (unsigned long long)(deadline - fired_tsc[2]));
	check(apic_rdmsr(MSR_TSC_DEADLINE) == 0,
	      "deadline: MSR reads %#llx after it fired",
	      (unsigned long long)apic_rdmsr(MSR_TSC_DEADLINE));
	/* Past: at once. */
	apic_wrmsr(MSR_TSC_DEADLINE, 1);
	check(wait_fired(2, 2, 1000), "deadline: one in the past did not fire");
	/* Disarmed by 0. */
	apic_wrmsr(MSR_TSC_DEADLINE, rdtsc() + apic_tsc_ms(10));
	apic_wrmsr(MSR_TSC_DEADLINE, 0);
	spin_irqs_on(30);
	check(fired[2] == 2, "deadline: fired after being disarmed");
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	apic_test_needs(1);
	xtf_set_irq_handler(VEC_ONESHOT, oneshot_irq);
	xtf_set_irq_handler(VEC_PERIODIC, periodic_irq);
	xtf_set_irq_handler(VEC_DEADLINE, deadline_irq);
	apic_watchdog_init(0);
	check_cpuid();
	check_base();
	check_regs();
	check_oneshot();
	check_periodic();
	check_masked();
	check_deadline();
	printf("apic_timer: one-shot, periodic and TSC-deadline timers fire "
	       "on time\n");
	xtf_success();
}
