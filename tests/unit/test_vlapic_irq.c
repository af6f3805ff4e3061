/*
 * xen/arch/x86/hvm/vlapic_irq.c: vectors through a local APIC (IRR, the
 * PPR from TPR and ISR, IRR to ISR, EOI and its broadcast to the IOAPIC
 * for level-triggered vectors, a disabled APIC and illegal vectors) and
 * interrupt messages to the APICs they name (physical, broadcast, flat
 * and cluster logical, x2APIC cluster, shorthands, lowest priority, NMI,
 * INIT and its de-assert, SIPI). The IOAPIC's EOI, INIT, SIPI and the
 * kick of a vCPU given work are faked here (recorded).
 *
 * Three vCPUs, each with its APIC enabled (xAPIC, flat model) and
 * software-enabled; vCPU i's flat logical ID is bit i.
 */
#define vioapic_eoi vl_vioapic_eoi
#define hvm_vcpu_init_ipi vl_init_ipi
#define hvm_vcpu_sipi vl_sipi
#include "../../xen/arch/x86/hvm/vlapic_irq.c"

#include "harness.h"
#include "shim.h"

static struct domain dom = { .max_vcpus = 3 };
static struct vcpu vcpus[3];
static struct hvm_vcpu hvms[3];
static struct vlapic vls[3];
static int eoi_vector, sipi_vector;
static struct vcpu *init_target, *sipi_target;

void vl_vioapic_eoi(struct domain *d, u8 vector)
{
	CHECK(d == &dom);
	eoi_vector = vector;
}

static unsigned int kicks;

void hvm_vcpu_kick(struct vcpu *v)
{
	kicks |= 1u << v->vcpu_id;
}

void vl_init_ipi(struct vcpu *v)
{
	init_target = v;
}

void vl_sipi(struct vcpu *v, u8 vector)
{
	sipi_target = v;
	sipi_vector = vector;
}

static void setup(void)
{
	for (unsigned int i = 0; i < 3; i++) {
		vcpus[i] = (struct vcpu){ .vcpu_id = i, .domain = &dom };
		hvms[i] = (struct hvm_vcpu){ .vlapic = &vls[i] };
		vls[i] = (struct vlapic){
			.v = &vcpus[i],
			.base_msr = APIC_BASE_ENABLE,
			.svr = 0x1ff,
			.dfr = 0xffffffffu,
			.ldr = (1u << i) << 24,
		};
		spin_lock_init(&vls[i].lock, "vlapic", LR_VLAPIC);
		vcpus[i].hvm = &hvms[i];
		dom.vcpu[i] = &vcpus[i];
	}
	kicks = 0;
	eoi_vector = sipi_vector = -1;
	init_target = sipi_target = NULL;
}

static bool in_irr(unsigned int i, u8 vector)
{
	return test_bit(vector, vls[i].irr);
}

static void send(unsigned int from, u32 dest, bool logical,
		 unsigned int shorthand, unsigned int mode, u8 vector)
{
	struct apic_msg m = { .dest = dest,
			      .logical = logical,
			      .shorthand = shorthand,
			      .mode = mode,
			      .vector = vector,
			      .assert = true };

	vlapic_send(&dom, &vcpus[from], &m);
}

/* Which vCPUs have vector in IRR, as bits; their IRRs are emptied. */
static unsigned int reached(u8 vector)
{
	unsigned int mask = 0;

	for (unsigned int i = 0; i < 3; i++)
		if (in_irr(i, vector)) {
			mask |= 1u << i;
			__clear_bit(vector, vls[i].irr);
		}
	return mask;
}

TEST(vlapic_priority_ack_eoi)
{
	struct vcpu *v = &vcpus[0];

	setup();
	CHECK_EQ(vlapic_next_vector(v), -1);
	vlapic_accept_irq(v, 0x40, false);
	CHECK_EQ(kicks, 0x1);
	CHECK_EQ(vlapic_next_vector(v), 0x40);
	CHECK(vlapic_ack_vector(v, 0x40));
	CHECK(!vlapic_ack_vector(v, 0x40));
	CHECK_EQ(vlapic_ppr(&vls[0]), 0x40);
	/* Its class is in service: the same class waits, a higher one not. */
	vlapic_accept_irq(v, 0x4f, false);
	CHECK_EQ(vlapic_next_vector(v), -1);
	vlapic_accept_irq(v, 0x50, false);
	CHECK_EQ(vlapic_next_vector(v), 0x50);
	CHECK(vlapic_ack_vector(v, 0x50));
	/* EOI ends the highest in service; edge: nothing to the IOAPIC. */
	vlapic_eoi(v);
	CHECK(test_bit(0x40, vls[0].isr) && !test_bit(0x50, vls[0].isr));
	CHECK_EQ(vlapic_next_vector(v), -1);
	vlapic_eoi(v);
	CHECK_EQ(vlapic_next_vector(v), 0x4f);
	CHECK(vlapic_ack_vector(v, 0x4f));
	vlapic_eoi(v);
	CHECK_EQ(eoi_vector, -1);
	/* An EOI with nothing in service changes nothing. */
	vlapic_eoi(v);
	CHECK_EQ(eoi_vector, -1);
	/* Level: TMR set, the EOI goes to the IOAPIC; edge again clears it */
	vlapic_accept_irq(v, 0x60, true);
	CHECK(test_bit(0x60, vls[0].tmr));
	CHECK(vlapic_ack_vector(v, 0x60));
	vlapic_eoi(v);
	CHECK_EQ(eoi_vector, 0x60);
	vlapic_accept_irq(v, 0x60, false);
	CHECK(!test_bit(0x60, vls[0].tmr));
}

TEST(vlapic_tpr)
{
	struct vcpu *v = &vcpus[1];

	setup();
	vls[1].tpr = 0x70;
	vlapic_accept_irq(v, 0x56, false);
	CHECK_EQ(vlapic_next_vector(v), -1);
	CHECK_EQ(vlapic_tpr_blocked_vector(v), 0x56);
	CHECK_EQ(vlapic_ppr(&vls[1]), 0x70);
	vlapic_accept_irq(v, 0x81, false);
	CHECK_EQ(vlapic_next_vector(v), 0x81);
	vls[1].tpr = 0;
	CHECK_EQ(vlapic_tpr_blocked_vector(v), -1);
	CHECK(vlapic_ack_vector(v, 0x81));
	/* Held back by ISR, not by TPR: not "TPR blocked". */
	CHECK_EQ(vlapic_tpr_blocked_vector(v), -1);
	CHECK_EQ(vlapic_next_vector(v), -1);
	vlapic_eoi(v);
	CHECK_EQ(vlapic_next_vector(v), 0x56);
}

TEST(vlapic_refused_vectors)
{
	setup();
	/* Software-disabled, or globally disabled: nothing is taken. */
	vls[0].svr = 0xff;
	vlapic_accept_irq(&vcpus[0], 0x40, false);
	vls[1].base_msr = 0;
	vlapic_accept_irq(&vcpus[1], 0x40, false);
	CHECK(!in_irr(0, 0x40) && !in_irr(1, 0x40));
	CHECK_EQ(kicks, 0);
	/* Vectors 0-15: the receiver's ESR, or the sender's. */
	vlapic_accept_irq(&vcpus[2], 5, false);
	CHECK(!in_irr(2, 5));
	CHECK_EQ(vls[2].esr_pending, ESR_RECEIVE_ILLEGAL_VECTOR);
	send(2, 0, false, 0, APIC_MODE_FIXED, 15);
	CHECK(!in_irr(0, 15));
	CHECK_EQ(vls[2].esr_pending,
		 ESR_RECEIVE_ILLEGAL_VECTOR | ESR_SEND_ILLEGAL_VECTOR);
}

TEST(vlapic_destinations)
{
	setup();
	send(0, 1, false, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0x2);
	send(0, 0xff, false, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0x7);
	send(0, 7, false, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0);
	/* Flat logical: a bit per APIC. */
	send(0, 0x06, true, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0x6);
	/* Lowest priority: one of them, the lowest-numbered. */
	send(0, 0x06, true, 0, APIC_MODE_LOWEST, 0x30);
	CHECK_EQ(reached(0x30), 0x2);
	/* Cluster model: cluster in the high nibble, a bit in the low. */
	for (unsigned int i = 0; i < 3; i++)
		vls[i].dfr = 0x0fffffffu;
	vls[0].ldr = 0x11u << 24;
	vls[1].ldr = 0x12u << 24;
	vls[2].ldr = 0x21u << 24;
	send(0, 0x13, true, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0x3);
	send(0, 0x21, true, 0, APIC_MODE_FIXED, 0x30);
	CHECK_EQ(reached(0x30), 0x4);
	/* x2APIC: 32-bit IDs, cluster ID / 16, bit ID % 16; broadcast ~0. */
	for (unsigned int i = 0; i < 3; i++) {
		vls[i].base_msr |= APIC_BASE_EXTD;
		vls[i].ldr = 1u << i;
	}
	struct apic_msg m = { .dest = 0x00000005,
			      .logical = true,
			      .wide_dest = true,
			      .vector = 0x31 };
	vlapic_send(&dom, &vcpus[1], &m);
	CHECK_EQ(reached(0x31), 0x5);
	m.dest = 0x00010005; /* cluster 1: nobody */
	vlapic_send(&dom, &vcpus[1], &m);
	CHECK_EQ(reached(0x31), 0);
	m = (struct apic_msg){ .dest = 0xff,
			       .wide_dest = true,
			       .vector = 0x31 };
	vlapic_send(&dom, &vcpus[1], &m);
	CHECK_EQ(reached(0x31), 0);
	m.dest = 0xffffffffu;
	vlapic_send(&dom, &vcpus[1], &m);
	CHECK_EQ(reached(0x31), 0x7);
}

TEST(vlapic_shorthands_and_modes)
{
	setup();
	send(1, 0, false, 1, APIC_MODE_FIXED, 0x40);
	CHECK_EQ(reached(0x40), 0x2);
	send(1, 0, false, 2, APIC_MODE_FIXED, 0x40);
	CHECK_EQ(reached(0x40), 0x7);
	send(1, 0, false, 3, APIC_MODE_FIXED, 0x40);
	CHECK_EQ(reached(0x40), 0x5);
	kicks = 0;
	send(0, 2, false, 0, APIC_MODE_NMI, 0);
	CHECK(vls[2].nmi_pending && !vls[0].nmi_pending && !vls[1].nmi_pending);
	CHECK_EQ(kicks, 0x4);
	send(0, 1, false, 0, APIC_MODE_INIT, 0);
	CHECK(init_target == &vcpus[1]);
	/* INIT level de-assert: nothing. */
	init_target = NULL;
	struct apic_msg m = { .dest = 2,
			      .mode = APIC_MODE_INIT,
			      .level = true };
	vlapic_send(&dom, &vcpus[0], &m);
	CHECK(!init_target);
	send(0, 2, false, 0, APIC_MODE_STARTUP, 0x9a);
	CHECK(sipi_target == &vcpus[2]);
	CHECK_EQ(sipi_vector, 0x9a);
	/* SMI and ExtINT go nowhere. */
	send(0, 0xff, false, 0, APIC_MODE_SMI, 0x40);
	send(0, 0xff, false, 0, APIC_MODE_EXTINT, 0x40);
	CHECK_EQ(reached(0x40), 0);
}
