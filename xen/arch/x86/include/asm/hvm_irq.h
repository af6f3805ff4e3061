/*
 * Interrupts into guest vCPUs: which one goes in next (hvm/intr.c), and
 * the domain's IOAPIC with the API devices raise their lines through
 * (hvm/vioapic.c).
 */
#ifndef ASM_HVM_IRQ_H
#define ASM_HVM_IRQ_H

#include <xen/sched.h>

enum hvm_intr_type {
	HVM_INTR_NONE,
	HVM_INTR_NMI,
	HVM_INTR_UPCALL, /* the event-channel upcall vector */
	HVM_INTR_LAPIC, /* a local APIC vector */
};

struct hvm_intr {
	enum hvm_intr_type type;
	u8 vector;
};

/*
 * What goes in next, whatever RFLAGS.IF and interrupt shadows say (the
 * vendor code checks those): an NMI, else the upcall (it bypasses the
 * local APIC as Xen's callback vector does: no EOI, TPR ignored), else
 * the highest IRR vector above the PPR.
 */
struct hvm_intr hvm_intr_next(struct vcpu *v);
/* The vendor code injects i: take it (false: it is gone, inject nothing) */
bool hvm_intr_ack(struct vcpu *v, struct hvm_intr i);
/*
 * v has new work (published before the call): it is woken if halted, and
 * made to exit if it runs its guest on another CPU.
 */
void hvm_vcpu_kick(struct vcpu *v);
/* A halted v must wake: an interrupt, the upcall, or a start/INIT. */
bool hvm_intr_wakes(struct vcpu *v);

/* The IOAPIC (HVM_IOAPIC_BASE): 0 or -ENOMEM. */
int vioapic_init(struct domain *d);
void vioapic_destroy(struct domain *d);
/* A local APIC's EOI of a level-triggered vector, broadcast. */
void vioapic_eoi(struct domain *d, u8 vector);
/* The IOREGSEL/IOWIN page (HVM_IOAPIC_BASE): always 0. */
/* At boot: claim the IOAPIC's page (HVM_IOAPIC_BASE) for every domain. */
void vioapic_mmio_register(void);
/* A device raises or lowers its line (GSI, 0 to HVM_IOAPIC_PINS - 1). */
void hvm_gsi_assert(struct domain *d, unsigned int gsi);
void hvm_gsi_deassert(struct domain *d, unsigned int gsi);

#endif
