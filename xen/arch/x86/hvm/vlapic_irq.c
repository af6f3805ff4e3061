/*
 * Vectors through a local APIC: accepting them into IRR (from IPIs, the
 * timer, the IOAPIC), the priority that picks the next one, moving it to
 * ISR when the vendor code injects it, and EOI; and interrupt messages,
 * routed to the APICs they name.
 *
 * Lowest-priority delivery goes to the lowest-numbered vCPU of those
 * named (the SDM lets the choice be model specific).
 */
#include <xen/bitops.h>
#include <xen/lib.h>
#include <asm/hvm_irq.h>
#include <asm/vlapic.h>

#define ESR_RECEIVE_ILLEGAL_VECTOR 0x40
#define ESR_SEND_ILLEGAL_VECTOR 0x20

/* The highest vector in a 256-bit set, or -1. */
static int highest(const unsigned long *set)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (set[i])
			return i * BITS_PER_LONG + (int)flsl0(set[i]);
	return -1;
}

u32 vlapic_ppr(const struct vlapic *vl)
{
	int isrv = highest(vl->isr);

	if (isrv < 0 || (vl->tpr & 0xf0) >= ((u32)isrv & 0xf0))
		return vl->tpr;
	return (u32)isrv & 0xf0;
}

void vlapic_accept_irq(struct vcpu *v, u8 vector, bool level)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	bool taken = false;

	spin_lock_irqsave(&vl->lock, flags);
	if (!vlapic_hw_enabled(vl) || !vlapic_sw_enabled(vl)) {
		/* A disabled APIC takes no fixed interrupt. */
	} else if (vector < 16) {
		vl->esr_pending |= ESR_RECEIVE_ILLEGAL_VECTOR;
	} else {
		__set_bit(vector, vl->irr);
		if (level)
			__set_bit(vector, vl->tmr);
		else
			__clear_bit(vector, vl->tmr);
		taken = true;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	if (taken)
		hvm_vcpu_kick(v);
}

int vlapic_next_vector(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	int irrv;

	spin_lock_irqsave(&vl->lock, flags);
	irrv = highest(vl->irr);
	if (irrv >= 0 && ((u32)irrv & 0xf0) <= (vlapic_ppr(vl) & 0xf0))
		irrv = -1;
	spin_unlock_irqrestore(&vl->lock, flags);
	return irrv;
}

int vlapic_tpr_blocked_vector(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	int irrv, isrv;

	spin_lock_irqsave(&vl->lock, flags);
	irrv = highest(vl->irr);
	isrv = highest(vl->isr);
	if (irrv < 0 || (isrv >= 0 && (irrv & 0xf0) <= (isrv & 0xf0)) ||
	    ((u32)irrv & 0xf0) > (vl->tpr & 0xf0))
		irrv = -1;
	spin_unlock_irqrestore(&vl->lock, flags);
	return irrv;
}

bool vlapic_ack_vector(struct vcpu *v, u8 vector)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	bool taken;

	spin_lock_irqsave(&vl->lock, flags);
	taken = test_bit(vector, vl->irr);
	if (taken) {
		__clear_bit(vector, vl->irr);
		__set_bit(vector, vl->isr);
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	return taken;
}

void vlapic_eoi(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	bool level = false;
	int isrv;

	spin_lock_irqsave(&vl->lock, flags);
	isrv = highest(vl->isr);
	if (isrv >= 0) {
		__clear_bit(isrv, vl->isr);
		level = test_bit(isrv, vl->tmr);
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	/* Broadcast to the IOAPIC: its level entries may fire again. */
	if (level)
		vioapic_eoi(v->domain, (u8)isrv);
}

/* Whether the message's destination (no shorthand) names t's APIC. */
static bool dest_match(const struct vlapic *t, const struct apic_msg *m)
{
	u32 broadcast = m->wide_dest ? 0xffffffffu : 0xffu;
	u8 ldr, dest;

	if (m->dest == broadcast)
		return true;
	if (!m->logical)
		return m->dest == t->v->vcpu_id;
	if (vlapic_x2apic_mode(t))
		/* Cluster in bits 31:16, a bit per APIC in 15:0. */
		return (m->dest >> 16) == (t->ldr >> 16) &&
		       (m->dest & t->ldr & 0xffff);
	ldr = t->ldr >> 24;
	dest = (u8)m->dest;
	if ((t->dfr >> 28) == 0xf) /* flat model */
		return dest & ldr;
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

static bool named(struct vcpu *t, struct vcpu *from, const struct apic_msg *m)
{
	switch (m->shorthand) {
	case 1:
		return t == from;
	case 2:
		return true;
	case 3:
		return t != from;
	}
	return dest_match(vcpu_vlapic(t), m);
}

static void deliver(struct vcpu *t, const struct apic_msg *m)
{
	struct vlapic *vl = vcpu_vlapic(t);
	unsigned long flags;

	switch (m->mode) {
	case APIC_MODE_FIXED:
	case APIC_MODE_LOWEST:
		vlapic_accept_irq(t, m->vector, m->level);
		break;
	case APIC_MODE_NMI:
		spin_lock_irqsave(&vl->lock, flags);
		vl->nmi_pending = true;
		spin_unlock_irqrestore(&vl->lock, flags);
		hvm_vcpu_kick(t);
		break;
	case APIC_MODE_INIT:
		/* A level-triggered INIT with level 0 is a de-assert: no-op. */
		if (!m->level || m->assert)
			hvm_vcpu_init_ipi(t);
		break;
	case APIC_MODE_STARTUP:
		hvm_vcpu_sipi(t, m->vector);
		break;
	}
	/* SMI and ExtINT: there is neither SMM nor an 8259 to answer. */
}

void vlapic_send(struct domain *d, struct vcpu *from, const struct apic_msg *m)
{
	struct vcpu *lowest = NULL;
	unsigned int i;

	if (from && m->vector < 16 &&
	    (m->mode == APIC_MODE_FIXED || m->mode == APIC_MODE_LOWEST)) {
		struct vlapic *vl = vcpu_vlapic(from);
		unsigned long flags;

		spin_lock_irqsave(&vl->lock, flags);
		vl->esr_pending |= ESR_SEND_ILLEGAL_VECTOR;
		spin_unlock_irqrestore(&vl->lock, flags);
		return;
	}
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = d->vcpu[i];

		if (!t || !t->hvm || !vcpu_vlapic(t) || !named(t, from, m))
			continue;
		if (m->mode == APIC_MODE_LOWEST) {
			lowest = lowest ? lowest : t;
			continue;
		}
		deliver(t, m);
	}
	if (lowest)
		deliver(lowest, m);
}
