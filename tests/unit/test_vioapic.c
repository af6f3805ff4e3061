/*
 * xen/arch/x86/hvm/vioapic.c: the IOAPIC's registers through IOREGSEL and
 * IOWIN (ID, version, arbitration, redirection entries masked at reset,
 * remote IRR read-only), and the messages its pins send: edge entries on
 * each rising edge, level entries while asserted with remote IRR clear
 * (set until the EOI of their vector, then again if still asserted, and
 * on unmasking), none for masked entries, delivery modes it cannot send,
 * or GSIs past its pins. vlapic_send() is faked (it records the messages)
 * and so are the page allocator (calloc) and hvm_mmio_register().
 */
#include <stdlib.h>

#define vlapic_send vio_send
#define alloc_xenheap_pages vio_alloc_pages
#define free_xenheap_pages vio_free_pages
#define hvm_mmio_register vio_mmio_register
#include "../../xen/arch/x86/hvm/vioapic.c"

#include "harness.h"
#include "shim.h"

#define IOWIN_GPA (HVM_IOAPIC_BASE + IOWIN)
#define RTE_LO(pin) (0x10 + 2 * (pin))
#define RTE_HI(pin) (0x11 + 2 * (pin))

static struct domain dom;
static struct vcpu vcpu0 = { .domain = &dom };
static struct apic_msg sent[8];
static unsigned int nr_sent;

void *vio_alloc_pages(unsigned int order, unsigned int memflags)
{
	return calloc(1, PAGE_SIZE << order);
}

void vio_free_pages(void *v, unsigned int order)
{
	free(v);
}

void vio_mmio_register(const struct hvm_mmio_ops *ops)
{
	CHECK(ops == &vioapic_mmio);
}

void vio_send(struct domain *d, struct vcpu *from, const struct apic_msg *m)
{
	CHECK(d == &dom);
	CHECK(!from);
	CHECK(nr_sent < ARRAY_SIZE(sent));
	sent[nr_sent++] = *m;
}

static u32 rd(u32 reg)
{
	u64 val;

	CHECK_EQ(vioapic_mmio_write(&vcpu0, HVM_IOAPIC_BASE, 4, reg), 0);
	CHECK_EQ(vioapic_mmio_read(&vcpu0, IOWIN_GPA, 4, &val), 0);
	return (u32)val;
}

static void wr(u32 reg, u32 val)
{
	CHECK_EQ(vioapic_mmio_write(&vcpu0, HVM_IOAPIC_BASE, 4, reg), 0);
	CHECK_EQ(vioapic_mmio_write(&vcpu0, IOWIN_GPA, 4, val), 0);
}

static void setup(void)
{
	if (dom.vioapic)
		vioapic_destroy(&dom);
	CHECK_EQ(vioapic_init(&dom), 0);
	nr_sent = 0;
}

TEST(vioapic_registers)
{
	u64 sel;

	setup();
	CHECK_EQ(rd(0x00), HVM_IOAPIC_ID << 24);
	CHECK_EQ(rd(0x01), 0x11 | (HVM_IOAPIC_PINS - 1) << 16);
	CHECK_EQ(rd(0x02), HVM_IOAPIC_ID << 24);
	CHECK_EQ(vioapic_mmio_read(&vcpu0, HVM_IOAPIC_BASE, 4, &sel), 0);
	CHECK_EQ(sel, 0x02);
	for (unsigned int pin = 0; pin < HVM_IOAPIC_PINS; pin++) {
		CHECK_EQ(rd(RTE_LO(pin)), RTE_MASKED);
		CHECK_EQ(rd(RTE_HI(pin)), 0);
	}
	/* Past the last pin, and the ID: nothing changes. */
	wr(RTE_LO(HVM_IOAPIC_PINS), 0x30);
	CHECK_EQ(rd(RTE_LO(HVM_IOAPIC_PINS)), 0);
	wr(0x00, 7 << 24);
	CHECK_EQ(rd(0x00), HVM_IOAPIC_ID << 24);
	/* Writable bits only; remote IRR and delivery status are read-only */
	wr(RTE_LO(3), 0xffffffffu);
	CHECK_EQ(rd(RTE_LO(3)), 0x1afff);
	wr(RTE_HI(3), 0xffffffffu);
	CHECK_EQ(rd(RTE_HI(3)), 0xff000000u);
	CHECK_EQ(nr_sent, 0);
}

TEST(vioapic_edge)
{
	setup();
	wr(RTE_HI(4), 1u << 24);
	wr(RTE_LO(4), 0x34);
	hvm_gsi_assert(&dom, 4);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0].vector, 0x34);
	CHECK_EQ(sent[0].dest, 1);
	CHECK(!sent[0].logical && !sent[0].level && !sent[0].wide_dest);
	CHECK_EQ(sent[0].mode, APIC_MODE_FIXED);
	/* Still high: no edge. Low then high: one more. */
	hvm_gsi_assert(&dom, 4);
	CHECK_EQ(nr_sent, 1);
	hvm_gsi_deassert(&dom, 4);
	hvm_gsi_assert(&dom, 4);
	CHECK_EQ(nr_sent, 2);
	CHECK_EQ(rd(RTE_LO(4)) & RTE_REMOTE_IRR, 0);
	/* Masked: nothing; an EOI of the vector changes nothing. */
	hvm_gsi_deassert(&dom, 4);
	wr(RTE_LO(4), 0x34 | RTE_MASKED);
	hvm_gsi_assert(&dom, 4);
	vioapic_eoi(&dom, 0x34);
	CHECK_EQ(nr_sent, 2);
	/* Logical, lowest priority. */
	hvm_gsi_deassert(&dom, 4);
	wr(RTE_LO(4), 0x35 | RTE_DEST_LOGICAL | APIC_MODE_LOWEST << 8);
	hvm_gsi_assert(&dom, 4);
	CHECK_EQ(nr_sent, 3);
	CHECK(sent[2].logical);
	CHECK_EQ(sent[2].mode, APIC_MODE_LOWEST);
}

TEST(vioapic_level)
{
	setup();
	wr(RTE_LO(9), 0x39 | RTE_LEVEL);
	hvm_gsi_assert(&dom, 9);
	CHECK_EQ(nr_sent, 1);
	CHECK(sent[0].level);
	CHECK(rd(RTE_LO(9)) & RTE_REMOTE_IRR);
	/* Remote IRR holds it back, whatever the line does. */
	hvm_gsi_assert(&dom, 9);
	hvm_gsi_deassert(&dom, 9);
	hvm_gsi_assert(&dom, 9);
	CHECK_EQ(nr_sent, 1);
	/* Another vector's EOI: nothing. Its own, line high: again. */
	vioapic_eoi(&dom, 0x38);
	CHECK_EQ(nr_sent, 1);
	vioapic_eoi(&dom, 0x39);
	CHECK_EQ(nr_sent, 2);
	CHECK(rd(RTE_LO(9)) & RTE_REMOTE_IRR);
	/* Line low at the EOI: remote IRR clear, quiet. */
	hvm_gsi_deassert(&dom, 9);
	vioapic_eoi(&dom, 0x39);
	CHECK_EQ(nr_sent, 2);
	CHECK_EQ(rd(RTE_LO(9)) & RTE_REMOTE_IRR, 0);
	/* The guest cannot set remote IRR. */
	wr(RTE_LO(9), 0x39 | RTE_LEVEL | RTE_REMOTE_IRR | RTE_MASKED);
	CHECK_EQ(rd(RTE_LO(9)) & RTE_REMOTE_IRR, 0);
	/* Asserted while masked: unmasking sends it. */
	hvm_gsi_assert(&dom, 9);
	CHECK_EQ(nr_sent, 2);
	wr(RTE_LO(9), 0x39 | RTE_LEVEL);
	CHECK_EQ(nr_sent, 3);
}

TEST(vioapic_refused)
{
	setup();
	/* INIT, SMI, ExtINT: not sent. */
	wr(RTE_LO(5), 0x50 | APIC_MODE_INIT << 8);
	wr(RTE_LO(6), 0x60 | APIC_MODE_EXTINT << 8);
	hvm_gsi_assert(&dom, 5);
	hvm_gsi_assert(&dom, 6);
	/* GSIs past the pins. */
	hvm_gsi_assert(&dom, HVM_IOAPIC_PINS);
	hvm_gsi_deassert(&dom, ~0u);
	CHECK_EQ(nr_sent, 0);
	/* NMI is. */
	wr(RTE_LO(7), APIC_MODE_NMI << 8);
	hvm_gsi_assert(&dom, 7);
	CHECK_EQ(nr_sent, 1);
	CHECK_EQ(sent[0].mode, APIC_MODE_NMI);
	vioapic_destroy(&dom);
	CHECK(!dom.vioapic);
	/* A domain without one: ignored. */
	hvm_gsi_assert(&dom, 4);
	vioapic_eoi(&dom, 0x34);
	CHECK_EQ(nr_sent, 1);
}
