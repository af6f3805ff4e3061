/*
 * A guest vCPU's local APIC: its state, the registers (one access path
 * for the xAPIC page and the x2APIC MSRs), and the APIC_BASE MSR.
 *
 * APIC_BASE: the base is fixed at HVM_LAPIC_BASE; a write that moves it
 * is taken for its other bits and the base stays (the ACPI MADT names
 * that address; Xen does not relocate it either). The enable and EXTD
 * bits follow the SDM's state machine (vol. 3, 11.12.5): disabled <->
 * xAPIC <-> x2APIC, x2APIC -> disabled; x2APIC -> xAPIC, disabled ->
 * x2APIC and EXTD without enable are #GP. Disabling resets the APIC.
 *
 * x2APIC MSRs are #GP when the APIC is not in x2APIC mode, for registers
 * x2APIC does not have (DFR, ICR high, APR, RRD), for writes to read-only
 * ones and reads of write-only ones (EOI, SELF IPI), and for non-zero
 * writes to EOI and ESR (vol. 3, 11.12.1.2).
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/hvm_irq.h>
#include <asm/hvm_mmio.h>
#include <asm/vlapic.h>
#include <public/hvm_platform.h>

/* Register offsets in the xAPIC page (the x2APIC MSR is 0x800 + off/16) */
#define REG_ID 0x20
#define REG_VERSION 0x30
#define REG_TPR 0x80
#define REG_APR 0x90
#define REG_PPR 0xa0
#define REG_EOI 0xb0
#define REG_RRD 0xc0
#define REG_LDR 0xd0
#define REG_DFR 0xe0
#define REG_SVR 0xf0
#define REG_ISR 0x100
#define REG_TMR 0x180
#define REG_IRR 0x200
#define REG_ESR 0x280
#define REG_ICR 0x300
#define REG_ICR_HI 0x310
#define REG_LVT 0x320 /* LVT timer; the others follow every 0x10 */
#define REG_LVT_END (REG_LVT + NR_LVT * 0x10)
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0
#define REG_SELF_IPI 0x3f0

/* Version 0x14 (integrated APIC), LVT entries - 1 in bits 16-23. */
#define APIC_VERSION (0x14 | ((NR_LVT - 1) << 16))
/* Vector, enable and focus-processor checking: no EOI suppression. */
#define SVR_WRITABLE 0x3ffu
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000UL

/* The bits of each LVT entry a guest can write (delivery status is RO). */
static const u32 lvt_writable[NR_LVT] = {
	[LVT_TIMER] = 0x700ff, /* vector, mask, mode (one-shot/periodic/TSC) */
	[LVT_THERMAL] = 0x107ff, [LVT_PERF] = 0x107ff,
	[LVT_LINT0] = 0x1a7ff, /* and polarity, trigger (remote IRR is RO) */
	[LVT_LINT1] = 0x1a7ff,	 [LVT_ERROR] = 0x100ff,
};

/* x2APIC's logical ID: cluster (ID / 16) and one bit of 16 in it. */
static u32 x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

void vlapic_reset(struct vlapic *vl)
{
	unsigned int i;

	vlapic_timer_stop(vl);
	vl->tpr = vl->esr = vl->esr_pending = 0;
	vl->icr_lo = vl->icr_hi = 0;
	vl->dfr = 0xffffffffu;
	vl->ldr = vlapic_x2apic_mode(vl) ? x2apic_ldr(vl->v->vcpu_id) : 0;
	vl->svr = 0xff;
	for (i = 0; i < NR_LVT; i++)
		vl->lvt[i] = LVT_MASKED;
	vl->timer_initial = vl->timer_divide = 0;
	vl->tsc_deadline = 0;
	memset(vl->irr, 0, sizeof(vl->irr));
	memset(vl->isr, 0, sizeof(vl->isr));
	memset(vl->tmr, 0, sizeof(vl->tmr));
	vl->nmi_pending = false;
}

int vlapic_init(struct vcpu *v)
{
	struct vlapic *vl = alloc_xenheap_page();

	BUILD_BUG_ON(sizeof(*vl) > PAGE_SIZE);
	if (!vl)
		return -ENOMEM;
	memset(vl, 0, sizeof(*vl));
	vl->v = v;
	spin_lock_init(&vl->lock, "vlapic", LR_VLAPIC);
	/* Enabled in xAPIC mode at reset; vCPU 0 is the bootstrap CPU. */
	vl->base_msr = HVM_LAPIC_BASE | APIC_BASE_ENABLE |
		       (v->vcpu_id ? 0 : APIC_BASE_BSP);
	vlapic_timer_init(vl);
	vlapic_reset(vl);
	hvm_of(v)->vlapic = vl;
	return 0;
}

void vlapic_destroy(struct vcpu *v)
{
	struct vlapic *vl = vcpu_vlapic(v);

	if (!vl)
		return;
	kill_timer(&vl->timer);
	free_xenheap_page(vl);
	hvm_of(v)->vlapic = NULL;
}

/* 32 bits of a 256-bit vector set, as the registers show them. */
static u32 set_word(const unsigned long *set, unsigned int i)
{
	return (u32)(set[i / 2] >> (32 * (i % 2)));
}

/* Read register off (lock held): 0, or -1 if it does not read. */
static int reg_read(struct vlapic *vl, unsigned int off, u64 *val)
{
	bool x2 = vlapic_x2apic_mode(vl);
	u32 id = vl->v->vcpu_id;

	switch (off) {
	case REG_ID:
		*val = x2 ? id : id << 24;
		return 0;
	case REG_VERSION:
		*val = APIC_VERSION;
		return 0;
	case REG_TPR:
		*val = vl->tpr;
		return 0;
	case REG_PPR:
		*val = vlapic_ppr(vl);
		return 0;
	case REG_LDR:
		*val = vl->ldr;
		return 0;
	case REG_SVR:
		*val = vl->svr;
		return 0;
	case REG_ISR ... REG_ISR + 0x70:
		*val = set_word(vl->isr, (off - REG_ISR) >> 4);
		return 0;
	case REG_TMR ... REG_TMR + 0x70:
		*val = set_word(vl->tmr, (off - REG_TMR) >> 4);
		return 0;
	case REG_IRR ... REG_IRR + 0x70:
		*val = set_word(vl->irr, (off - REG_IRR) >> 4);
		return 0;
	case REG_ESR:
		*val = vl->esr;
		return 0;
	case REG_ICR:
		*val = x2 ? (u64)vl->icr_hi << 32 | vl->icr_lo : vl->icr_lo;
		return 0;
	case REG_LVT ... REG_LVT_END - 1:
		*val = vl->lvt[(off - REG_LVT) >> 4];
		return 0;
	case REG_TIMER_INITIAL:
		*val = vl->timer_initial;
		return 0;
	case REG_TIMER_CURRENT:
		*val = vlapic_timer_current(vl);
		return 0;
	case REG_TIMER_DIVIDE:
		*val = vl->timer_divide;
		return 0;
	}
	if (x2)
		return -1;
	/* xAPIC only: DFR, ICR high; the rest reads 0. */
	*val = off == REG_DFR ? vl->dfr : off == REG_ICR_HI ? vl->icr_hi : 0;
	return 0;
}

/* Enabling software: mask bits stay set while the APIC is disabled. */
static void write_svr(struct vlapic *vl, u32 val)
{
	unsigned int i;

	vl->svr = val & SVR_WRITABLE;
	if (vlapic_sw_enabled(vl))
		return;
	for (i = 0; i < NR_LVT; i++)
		vl->lvt[i] |= LVT_MASKED;
}

static void write_lvt(struct vlapic *vl, unsigned int i, u32 val)
{
	u32 old = vl->lvt[i];

	val &= lvt_writable[i];
	if (!vlapic_sw_enabled(vl))
		val |= LVT_MASKED;
	vl->lvt[i] = val;
	if (i == LVT_TIMER && ((old ^ val) & LVT_TIMER_MODE_MASK))
		vlapic_timer_mode_changed(vl);
}

/*
 * Registers whose write acts outside the APIC (EOI, ICR, SELF IPI):
 * done without the lock. 1 if off is none of them.
 */
static int write_unlocked(struct vlapic *vl, unsigned int off, u64 val)
{
	struct vcpu *v = vl->v;
	bool x2 = vlapic_x2apic_mode(vl);
	struct apic_msg m;
	unsigned long flags;

	switch (off) {
	case REG_EOI:
		if (x2 && val)
			return -1;
		vlapic_eoi(v);
		return 0;
	case REG_SELF_IPI:
		if (!x2)
			return 0;
		if (val >> 8)
			return -1;
		vlapic_accept_irq(v, (u8)val, false);
		return 0;
	case REG_ICR:
		spin_lock_irqsave(&vl->lock, flags);
		/* Delivery status (bit 12) always reads idle. */
		vl->icr_lo = (u32)val & 0xcfeff;
		if (x2)
			vl->icr_hi = val >> 32;
		m = (struct apic_msg){
			.dest = x2 ? vl->icr_hi : vl->icr_hi >> 24,
			.logical = val & (1u << 11),
			.wide_dest = x2,
			.shorthand = (val >> 18) & 3,
			.mode = (val >> 8) & 7,
			.vector = (u8)val,
			/* The trigger mode only matters to INIT (de-assert). */
			.level = ((val >> 8) & 7) == APIC_MODE_INIT &&
				 (val & (1u << 15)),
			.assert = val & (1u << 14),
		};
		spin_unlock_irqrestore(&vl->lock, flags);
		vlapic_send(v->domain, v, &m);
		return 0;
	}
	return 1;
}

/* Write register off: 0, or -1 if the write is refused (#GP in x2APIC) */
static int reg_write(struct vlapic *vl, unsigned int off, u64 val)
{
	bool x2 = vlapic_x2apic_mode(vl);
	unsigned long flags;
	int rc = write_unlocked(vl, off, val);

	if (rc <= 0)
		return rc;
	/* Every other x2APIC register is 32 bits wide. */
	if (x2 && val >> 32)
		return -1;
	rc = 0;
	spin_lock_irqsave(&vl->lock, flags);
	switch (off) {
	case REG_TPR:
		if (x2 && val >> 8)
			rc = -1;
		else
			vl->tpr = (u8)val;
		break;
	case REG_LDR:
		if (x2)
			rc = -1;
		else
			vl->ldr = (u32)val & 0xff000000u;
		break;
	case REG_DFR:
		if (x2)
			rc = -1;
		else
			vl->dfr = (u32)val | 0x0fffffffu;
		break;
	case REG_SVR:
		if (x2 && (val & ~(u64)SVR_WRITABLE))
			rc = -1;
		else
			write_svr(vl, (u32)val);
		break;
	case REG_ESR:
		if (x2 && val) {
			rc = -1;
			break;
		}
		/* A write latches the errors seen since the last one. */
		vl->esr = vl->esr_pending;
		vl->esr_pending = 0;
		break;
	case REG_ICR_HI:
		if (x2)
			rc = -1;
		else
			vl->icr_hi = (u32)val & 0xff000000u;
		break;
	case REG_LVT ... REG_LVT_END - 1:
		write_lvt(vl, (off - REG_LVT) >> 4, (u32)val);
		break;
	case REG_TIMER_INITIAL:
		vl->timer_initial = (u32)val;
		vlapic_timer_restart(vl);
		break;
	case REG_TIMER_DIVIDE:
		if (x2 && (val & ~0xbUL))
			rc = -1;
		else
			vl->timer_divide = (u32)val & 0xb;
		break;
	default:
		/* Read-only or absent: ignored in xAPIC mode, #GP in x2APIC */
		rc = x2 ? -1 : 0;
		break;
	}
	spin_unlock_irqrestore(&vl->lock, flags);
	return rc;
}

static int write_base(struct vlapic *vl, u64 val)
{
	u64 mode_mask = APIC_BASE_ENABLE | APIC_BASE_EXTD;
	u64 old = vl->base_msr & mode_mask, new = val &mode_mask;
	unsigned long flags;

	if (val & ~(APIC_BASE_ADDR_MASK | mode_mask | APIC_BASE_BSP))
		return -1;
	if (new == APIC_BASE_EXTD ||
	    (old == mode_mask && new != mode_mask &&new) ||
	    (!old && new == mode_mask))
		return -1;
	spin_lock_irqsave(&vl->lock, flags);
	vl->base_msr = HVM_LAPIC_BASE | (vl->base_msr & APIC_BASE_BSP) | new;
	if (!new)
		vlapic_reset(vl);
	else if (new != old &&new == mode_mask)
		vl->ldr = x2apic_ldr(vl->v->vcpu_id);
	spin_unlock_irqrestore(&vl->lock, flags);
	return 0;
}

int vlapic_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;
	int rc;

	if (msr == MSR_APIC_BASE) {
		*val = vl->base_msr;
		return 0;
	}
	if (msr == MSR_TSC_DEADLINE) {
		*val = READ_ONCE(vl->tsc_deadline);
		return 0;
	}
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST ||
	    !vlapic_x2apic_mode(vl))
		return -1;
	switch ((msr - MSR_X2APIC_FIRST) << 4) {
	case REG_EOI:
	case REG_SELF_IPI:
		return -1; /* write-only */
	}
	spin_lock_irqsave(&vl->lock, flags);
	rc = reg_read(vl, (msr - MSR_X2APIC_FIRST) << 4, val);
	spin_unlock_irqrestore(&vl->lock, flags);
	return rc;
}

int vlapic_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;

	if (msr == MSR_APIC_BASE)
		return write_base(vl, val);
	if (msr == MSR_TSC_DEADLINE) {
		spin_lock_irqsave(&vl->lock, flags);
		vlapic_set_tsc_deadline(vl, val);
		spin_unlock_irqrestore(&vl->lock, flags);
		return 0;
	}
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST ||
	    !vlapic_x2apic_mode(vl))
		return -1;
	return reg_write(vl, (msr - MSR_X2APIC_FIRST) << 4, val);
}

unsigned int vlapic_get_cr8(struct vcpu *v)
{
	return READ_ONCE(vcpu_vlapic(v)->tpr) >> 4;
}

/* CR8 is TPR[7:4]; writing it clears TPR[3:0] (SDM vol. 3, 11.8.6). */
void vlapic_set_cr8(struct vcpu *v, unsigned int cr8)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned long flags;

	if (READ_ONCE(vl->tpr) >> 4 == cr8)
		return;
	spin_lock_irqsave(&vl->lock, flags);
	if (vl->tpr >> 4 != cr8)
		vl->tpr = cr8 << 4;
	spin_unlock_irqrestore(&vl->lock, flags);
}

/*
 * The xAPIC page: each vCPU sees its own APIC at HVM_LAPIC_BASE. Its
 * registers are 32 bits wide at 16-byte offsets; a narrower read gets
 * the bytes it covers, any other write is dropped. While the APIC is
 * disabled or in x2APIC mode the page is not there: reads all-ones,
 * writes dropped (where nothing is, as hvm/mmio.c does).
 */
static bool xapic_page_on(const struct vlapic *vl)
{
	return vlapic_hw_enabled(vl) && !vlapic_x2apic_mode(vl);
}

static int xapic_read(struct vcpu *v, paddr_t gpa, unsigned int size, u64 *val)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned int off = (unsigned int)(gpa - HVM_LAPIC_BASE);
	unsigned long flags;
	u64 reg = 0;

	if (!xapic_page_on(vl)) {
		*val = ~0UL;
		return 0;
	}
	if ((off & 0xf) + size <= 4) {
		spin_lock_irqsave(&vl->lock, flags);
		reg_read(vl, off & ~0xfu, &reg);
		spin_unlock_irqrestore(&vl->lock, flags);
		reg >>= (off & 3) * 8;
	}
	*val = size == 8 ? reg : reg & ((1UL << (size * 8)) - 1);
	return 0;
}

static int xapic_write(struct vcpu *v, paddr_t gpa, unsigned int size, u64 val)
{
	struct vlapic *vl = vcpu_vlapic(v);
	unsigned int off = (unsigned int)(gpa - HVM_LAPIC_BASE);

	if (xapic_page_on(vl) && size == 4 && !(off & 0xf))
		reg_write(vl, off, (u32)val);
	return 0;
}

static const struct hvm_mmio_ops xapic_mmio = {
	.base = HVM_LAPIC_BASE,
	.size = PAGE_SIZE,
	.read = xapic_read,
	.write = xapic_write,
};

void vlapic_mmio_register(void)
{
	hvm_mmio_register(&xapic_mmio);
}
