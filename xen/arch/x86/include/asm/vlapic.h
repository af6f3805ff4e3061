/*
 * The local APIC each guest vCPU sees (hvm/vlapic*.c): xAPIC through MMIO
 * at HVM_LAPIC_BASE, x2APIC through MSRs 0x800-0x8ff; its ID is the vCPU
 * id. Its timer counts at HVM_APIC_BUS_HZ divided by the divide
 * configuration, or against the guest's TSC in TSC-deadline mode.
 */
#ifndef ASM_VLAPIC_H
#define ASM_VLAPIC_H

#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <asm/hvm.h>

/* The bus clock the timer counts: one tick per ns before the divider. */
#define HVM_APIC_BUS_HZ 1000000000UL

#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST 0x8ff
#define MSR_TSC_DEADLINE 0x6e0

/* APIC_BASE MSR bits. */
#define APIC_BASE_BSP (1UL << 8)
#define APIC_BASE_EXTD (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)

/* Delivery modes (ICR, LVT and IOAPIC entries bits 8-10). */
#define APIC_MODE_FIXED 0
#define APIC_MODE_LOWEST 1
#define APIC_MODE_SMI 2
#define APIC_MODE_NMI 4
#define APIC_MODE_INIT 5
#define APIC_MODE_STARTUP 6
#define APIC_MODE_EXTINT 7

/* LVT timer bits 17-18: one-shot, periodic or TSC-deadline. */
#define LVT_TIMER_MODE_MASK (3u << 17)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define LVT_MASKED (1u << 16)

/* LVT entries, in register order from LVT timer (0x320) to error. */
enum vlapic_lvt {
	LVT_TIMER,
	LVT_THERMAL,
	LVT_PERF,
	LVT_LINT0,
	LVT_LINT1,
	LVT_ERROR,
	NR_LVT,
};

/*
 * A start state waiting to be applied on the vCPU's own stack (the VMCS
 * of a VMX vCPU can only be loaded on one CPU): set by INIT/SIPI or
 * VCPUOP_initialise from any CPU under the vlapic's lock, taken by the
 * vCPU itself in hvm_vcpu_loop (hvm_vcpu_apply_start()) before it enters
 * the guest again.
 */
struct hvm_start_request {
	bool pending;
	struct hvm_vcpu state;
};

struct vlapic {
	struct vcpu *v;
	/*
	 * Protects everything below: any CPU may deliver to this APIC (IPIs,
	 * the IOAPIC), its timer fires in interrupt context on v's CPU, and
	 * v itself reads and acknowledges at each entry. Never held while
	 * waking a vCPU or calling into the IOAPIC.
	 */
	spinlock_t lock;
	u64 base_msr;
	u32 tpr, ldr, dfr, svr, esr, esr_pending, icr_lo, icr_hi;
	u32 lvt[NR_LVT];
	u32 timer_initial, timer_divide;
	/* 256-bit vector sets: requested, in service, level triggered. */
	unsigned long irr[4], isr[4], tmr[4];
	bool nmi_pending;

	/*
	 * The timer: armed until deadline (ns since boot), counting one per
	 * tick ns; period 0: once.
	 */
	struct timer timer;
	bool timer_running;
	s_time_t timer_deadline, timer_period, timer_tick;
	u64 tsc_deadline; /* the TSC-deadline MSR, 0 when disarmed */

	struct hvm_start_request start;
};

static inline struct vlapic *vcpu_vlapic(struct vcpu *v)
{
	return hvm_of(v)->vlapic;
}

static inline bool vlapic_hw_enabled(const struct vlapic *vl)
{
	return vl->base_msr & APIC_BASE_ENABLE;
}

static inline bool vlapic_x2apic_mode(const struct vlapic *vl)
{
	return vl->base_msr & APIC_BASE_EXTD;
}

/* SVR bit 8: software enable. */
static inline bool vlapic_sw_enabled(const struct vlapic *vl)
{
	return vl->svr & (1u << 8);
}

/* vlapic.c: state, registers, APIC_BASE and the x2APIC MSRs. */
int vlapic_init(struct vcpu *v);
void vlapic_destroy(struct vcpu *v);
/* Back to the state after INIT: ID and APIC_BASE are kept. */
void vlapic_reset(struct vlapic *vl);
/* MSR access (APIC_BASE, 0x800-0x8ff, TSC deadline): 0, or -1 for #GP */
int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val);
/* At boot: claim the xAPIC page (HVM_LAPIC_BASE) for every vCPU. */
void vlapic_mmio_register(void);
/* The guest's CR8 (TPR bits 7:4), as MOV to/from CR8 sees it. */
unsigned int vlapic_get_cr8(struct vcpu *v);
void vlapic_set_cr8(struct vcpu *v, unsigned int cr8);

/* vlapic_irq.c: accepting, prioritising and acknowledging vectors. */
/* Put vector in v's IRR (level: TMR set, the IOAPIC wants the EOI). */
void vlapic_accept_irq(struct vcpu *v, u8 vector, bool level);
/* The highest IRR vector above PPR, or -1. */
int vlapic_next_vector(struct vcpu *v);
/* The highest IRR vector held back by the TPR alone, or -1. */
int vlapic_tpr_blocked_vector(struct vcpu *v);
/* vector moves from IRR to ISR; false if it is no longer requested. */
bool vlapic_ack_vector(struct vcpu *v, u8 vector);
/* EOI: the highest ISR vector is done (level ones go to the IOAPIC). */
void vlapic_eoi(struct vcpu *v);
u32 vlapic_ppr(const struct vlapic *vl); /* lock held */
/* An interrupt message to every APIC of d it names (IPIs, IOAPIC). */
struct apic_msg {
	u32 dest;
	bool logical; /* destination mode */
	bool wide_dest; /* 32-bit x2APIC destination (ICR in x2APIC mode) */
	unsigned int shorthand; /* 0 none, 1 self, 2 all, 3 all but self */
	unsigned int mode; /* APIC_MODE_* */
	u8 vector;
	bool level; /* trigger mode */
	bool assert; /* level bit (INIT de-assert has it clear) */
};
void vlapic_send(struct domain *d, struct vcpu *from, const struct apic_msg *m);

/* vlapic_timer.c */
void vlapic_timer_init(struct vlapic *vl);
/* The rest with the lock held. */
void vlapic_timer_stop(struct vlapic *vl);
/* The LVT timer's mode changed: the timer is disarmed. */
void vlapic_timer_mode_changed(struct vlapic *vl);
/* The initial count was written: count down from it (0: stop). */
void vlapic_timer_restart(struct vlapic *vl);
u32 vlapic_timer_current(const struct vlapic *vl);
/* The TSC-deadline MSR (ignored unless in TSC-deadline mode). */
void vlapic_set_tsc_deadline(struct vlapic *vl, u64 tsc);

/* vcpu_start.c: INIT, SIPI and VCPUOP_initialise/up. */
void hvm_vcpu_init_ipi(struct vcpu *v);
void hvm_vcpu_sipi(struct vcpu *v, u8 vector);
/* Give an unstarted or down vCPU a start state: 0 or -EEXIST. */
int hvm_vcpu_set_start(struct vcpu *v, const struct hvm_vcpu *start);
/* VCPUOP_up: -EINVAL for a vCPU with no start state. */
int hvm_vcpu_up(struct vcpu *v);
/* In v's own loop: apply a start state waiting for it. */
void hvm_vcpu_apply_start(struct vcpu *v);

#endif
