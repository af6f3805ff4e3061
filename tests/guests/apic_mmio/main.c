/*
 * apic_mmio: the local APIC through its xAPIC page at 0xfee00000 and the
 * IOAPIC at 0xfec00000 (paging off: these are guest-physical), in this
 * order:
 *
 *   xapic     ID is the vCPU id in bits 31:24, version 0x14 with 6 LVT
 *             entries; TPR and SVR read back; a byte read gets its byte;
 *   timer     a 5 ms one-shot programmed through the page fires, its
 *             handler EOIs through the page and ISR is clear after;
 *   ipi       a fixed IPI with ICR high naming APIC 1 reaches vCPU 1; a
 *             logical one to 0x02 (flat DFR, vCPU 1's LDR 0x02000000)
 *             reaches vCPU 1 only; self by shorthand reaches vCPU 0;
 *   x2apic    once in x2APIC mode the page reads all-ones and ignores
 *             writes (the MSRs answer instead);
 *   ioapic    ID 1, version 0x11 with 24 pins (0x170011), every entry
 *             masked at reset; an entry's writable bits read back, remote
 *             IRR and delivery status stay clear.
 *
 * SUCCESS if all hold, else FAILURE naming the first check that did not.
 */
#include <apic.h>

#define XAPIC_BASE 0xfee00000u
#define IOAPIC_BASE 0xfec00000u
#define VEC_TIMER 0x44
#define VEC_FIXED 0x45
#define VEC_LOGICAL 0x46
#define VEC_SELF 0x47

static volatile unsigned int count[2][256];
static volatile unsigned int stage;
static volatile bool isr_after_eoi;

static volatile uint32_t *xapic(unsigned int reg)
{
	return (volatile uint32_t *)(uintptr_t)(XAPIC_BASE + reg);
}

static uint32_t ioapic_read(uint32_t reg)
{
	*(volatile uint32_t *)(uintptr_t)IOAPIC_BASE = reg;
	return *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + 0x10);
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)IOAPIC_BASE = reg;
	*(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + 0x10) = val;
}

static void counted(uint8_t vector)
{
	count[*xapic(APIC_ID) >> 24 & 1][vector]++;
	*xapic(APIC_EOI) = 0;
	if (vector == VEC_TIMER)
		isr_after_eoi = *xapic(APIC_ISR + (VEC_TIMER / 32) * 0x10) &
				(1u << (VEC_TIMER % 32));
}

static void irq_timer(void)
{
	counted(VEC_TIMER);
}

static void irq_fixed(void)
{
	counted(VEC_FIXED);
}

static void irq_logical(void)
{
	counted(VEC_LOGICAL);
}

static void irq_self(void)
{
	counted(VEC_SELF);
}

static void send(uint8_t dest, uint32_t icr)
{
	*xapic(APIC_ICR_HI) = (uint32_t)dest << 24;
	*xapic(APIC_ICR) = icr;
}

/* vCPU 1: flat logical ID 0x02, then halt taking IPIs until done. */
static void receiver(void)
{
	apic_watchdog_init(1);
	*xapic(APIC_SVR) = SVR_ENABLE | 0xff;
	*xapic(APIC_DFR) = 0xffffffffu;
	*xapic(APIC_LDR) = 0x02000000u;
	stage = 1;
	while (stage != 2)
		apic_halt_until(1, &stage, 2, 1000);
}

static void check_xapic(void)
{
	uint32_t ver = *xapic(APIC_VERSION);

	check(*xapic(APIC_ID) == 0, "xapic: ID %#x", *xapic(APIC_ID));
	check((ver & 0xff) == 0x14 && ((ver >> 16) & 0xff) == 5,
	      "xapic: version %#x", ver);
	*xapic(APIC_SVR) = SVR_ENABLE | 0xff;
	check(*xapic(APIC_SVR) == (SVR_ENABLE | 0xff), "xapic: SVR %#x",
	      *xapic(APIC_SVR));
	*xapic(APIC_TPR) = 0x30;
	check(*xapic(APIC_TPR) == 0x30, "xapic: TPR %#x", *xapic(APIC_TPR));
	check(*(volatile uint8_t *)(uintptr_t)(XAPIC_BASE + APIC_VERSION + 2) ==
		      5,
	      "xapic: byte 2 of the version");
	*xapic(APIC_TPR) = 0;
}

static void check_timer(void)
{
	*xapic(APIC_TIMER_DIVIDE) = TIMER_DIVIDE_BY_1;
	*xapic(APIC_LVT_TIMER) = VEC_TIMER;
	*xapic(APIC_TIMER_INITIAL) = 5000000;
	check(*xapic(APIC_TIMER_CURRENT) != 0, "timer: not counting");
	check(apic_halt_until(0, &count[0][VEC_TIMER], 1, 1000),
	      "timer: no interrupt within 1 s");
	check(!isr_after_eoi, "timer: ISR set after an EOI through the page");
}

static void check_ipi(void)
{
	send(1, VEC_FIXED);
	check(apic_spin_until(&count[1][VEC_FIXED], 1, 1000),
	      "ipi: fixed IPI to APIC 1 did not arrive");
	send(0x02, ICR_LOGICAL | VEC_LOGICAL);
	check(apic_spin_until(&count[1][VEC_LOGICAL], 1, 1000),
	      "ipi: logical IPI to 0x02 did not arrive");
	send(0, ICR_SELF | VEC_SELF);
	check(apic_halt_until(0, &count[0][VEC_SELF], 1, 1000),
	      "ipi: self IPI did not arrive");
	check(!count[0][VEC_FIXED] && !count[0][VEC_LOGICAL] &&
		      !count[1][VEC_SELF],
	      "ipi: an IPI reached the wrong vCPU");
}

static void check_x2apic(void)
{
	apic_enable_x2apic();
	check(*xapic(APIC_ID) == 0xffffffffu,
	      "x2apic: the page reads %#x in x2APIC mode", *xapic(APIC_ID));
	*xapic(APIC_TPR) = 0x50;
	check(apic_read(APIC_TPR) == 0, "x2apic: a page write reached TPR");
}

static void check_ioapic(void)
{
	check(ioapic_read(0) == 1u << 24, "ioapic: ID %#x", ioapic_read(0));
	check(ioapic_read(1) == 0x170011, "ioapic: version %#x",
	      ioapic_read(1));
	for (unsigned int pin = 0; pin < 24; pin++)
		check(ioapic_read(0x10 + 2 * pin) == LVT_MASKED &&
			      ioapic_read(0x11 + 2 * pin) == 0,
		      "ioapic: pin %u reads %#x %#x at reset", pin,
		      ioapic_read(0x10 + 2 * pin), ioapic_read(0x11 + 2 * pin));
	ioapic_write(0x10 + 2 * 4, 0xffffffffu);
	check(ioapic_read(0x10 + 2 * 4) == 0x1afff, "ioapic: entry reads %#x",
	      ioapic_read(0x10 + 2 * 4));
	ioapic_write(0x11 + 2 * 4, 0x03000000u);
	check(ioapic_read(0x11 + 2 * 4) == 0x03000000u,
	      "ioapic: destination reads %#x", ioapic_read(0x11 + 2 * 4));
	ioapic_write(0x10 + 2 * 4, LVT_MASKED);
}

void test_main(unsigned int vcpu)
{
	apic_test_needs(2);
	if (vcpu == 1) {
		receiver();
		return;
	}
	if (vcpu)
		return;
	xtf_set_irq_handler(VEC_TIMER, irq_timer);
	xtf_set_irq_handler(VEC_FIXED, irq_fixed);
	xtf_set_irq_handler(VEC_LOGICAL, irq_logical);
	xtf_set_irq_handler(VEC_SELF, irq_self);
	apic_watchdog_init(0);
	for (uint64_t end = rdtsc() + apic_tsc_ms(5000); stage != 1;
	     hypercall_yield())
		check(rdtsc() < end, "vCPU 1 never set up its APIC");
	check_xapic();
	check_timer();
	check_ipi();
	stage = 2;
	send(1, VEC_FIXED);
	check_x2apic();
	check_ioapic();
	printf("apic_mmio: the xAPIC page and the IOAPIC's registers work\n");
	xtf_success();
}
