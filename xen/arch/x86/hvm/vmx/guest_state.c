/*
 * Guest state the VMCS alone holds, for an exit handler that needs more
 * than vmx_save_exit_state() copied out (task switches: asm/hvm.h's
 * get_segment and the rest). The handler may have slept since the exit,
 * so each access makes the VMCS current here first, with interrupts off.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/processor.h>
#include <asm/system.h>
#include "vmcs.h"
#include "vmx.h"

/*
 * The VMCS as the current one on this CPU. If it was active on none (the
 * vCPU moved while it slept), it is cleared again after the access, so
 * that the next entry loads it as a new CPU's, with the EPT flush that
 * takes (vmx_flush_ept()).
 */
struct vmcs_access {
	unsigned long flags;
	bool fresh;
};

static struct vmcs_access vmcs_begin(struct vmx_vcpu *x)
{
	struct vmcs_access a;

	if (x->cpu != VMX_NO_CPU && x->cpu != smp_processor_id())
		vmx_vmcs_unload(x);
	a.flags = local_irq_save();
	a.fresh = vmx_vmcs_load(x);
	return a;
}

static void vmcs_end(struct vmx_vcpu *x, struct vmcs_access a)
{
	local_irq_restore(a.flags);
	if (a.fresh)
		vmx_vmcs_unload(x);
}

/* Access rights: descriptor bits 40-47 and 52-55 at 0-7 and 12-15. */
static u16 ar_to_attr(u32 ar)
{
	return ar & AR_UNUSABLE ? 0 : (ar & 0xff) | ((ar >> 4) & 0xf00);
}

static u32 attr_to_ar(u16 attr)
{
	if (!(attr & HVM_SEG_ATTR_P))
		return AR_UNUSABLE;
	return (attr & 0xff) | ((u32)(attr & 0xf00) << 4);
}

/* The fields of seg are at its number, times two, from ES's. */
void vmx_get_segment(struct vcpu *v, enum hvm_seg seg, struct hvm_segment *s)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmcs_access a = vmcs_begin(x);
	bool table = seg == HVM_SEG_GDTR || seg == HVM_SEG_IDTR;

	s->sel = table ? 0 : vmread(VMCS_GUEST_ES_SEL + 2 * seg);
	s->attr = table ? 0 : ar_to_attr(vmread(VMCS_GUEST_ES_AR + 2 * seg));
	s->limit = vmread(VMCS_GUEST_ES_LIMIT + 2 * seg);
	s->base = vmread(VMCS_GUEST_ES_BASE + 2 * seg);
	vmcs_end(x, a);
}

void vmx_set_segment(struct vcpu *v, enum hvm_seg seg,
		     const struct hvm_segment *s)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmcs_access a = vmcs_begin(x);

	if (seg != HVM_SEG_GDTR && seg != HVM_SEG_IDTR) {
		vmwrite(VMCS_GUEST_ES_SEL + 2 * seg, s->sel);
		vmwrite(VMCS_GUEST_ES_AR + 2 * seg, attr_to_ar(s->attr));
	}
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * seg, s->limit);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * seg, s->base);
	vmcs_end(x, a);
}

/*
 * CR0: the bits the host owns go to the read shadow, the rest to the
 * guest's CR0 with the bits VMX forces. CR3: no MOV to CR3 ran, so the
 * guest's linear translations (tagged with its VPID) are flushed here,
 * and under PAE paging its four PDPTEs, which VM entry loads from the
 * VMCS with EPT, are read from the new table (SDM vol. 3, 4.4.1).
 */
int vmx_set_cr(struct vcpu *v, unsigned int cr, u64 value)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct hvm_vcpu *h = &x->hvm;
	u64 mask = vmx_cr0_mask(), pdpte[4];
	bool pae = (h->cr0 & X86_CR0_PG) && (h->cr4 & X86_CR4_PAE) &&
		   !(h->efer & EFER_LMA);
	struct vmcs_access a;
	unsigned int i;

	if (cr == 0) {
		x->cr0_shadow = (x->cr0_shadow & ~mask) | (value & mask);
		x->dirty |= VMX_DIRTY_CR0_SHADOW;
		a = vmcs_begin(x);
		vmwrite(VMCS_GUEST_CR0, (vmread(VMCS_GUEST_CR0) & mask) |
						(value & ~mask) |
						vmx_cr0_forced());
		vmcs_end(x, a);
		h->cr0 = value;
		return 0;
	}
	if (pae &&
	    hvm_copy_from_guest_phys(v->domain, pdpte, (u32)value & ~0x1fUL,
				     sizeof(pdpte)))
		return -EFAULT;
	a = vmcs_begin(x);
	vmwrite(VMCS_GUEST_CR3, value);
	for (i = 0; pae && i < 4; i++)
		vmwrite(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	invvpid(vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE ?
			INVVPID_SINGLE_CONTEXT :
			INVVPID_ALL_CONTEXT,
		x->vpid);
	vmcs_end(x, a);
	h->cr3 = value;
	return 0;
}

/* DR6 is not in the VMCS: the CPU holds v's while v runs its exit handler. */
u64 vmx_get_dr6(struct vcpu *v)
{
	return read_dr(6);
}

void vmx_set_dr6(struct vcpu *v, u64 value)
{
	write_dr(6, value);
}

u64 vmx_get_dr7(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmcs_access a = vmcs_begin(x);
	u64 dr7 = vmread(VMCS_GUEST_DR7);

	vmcs_end(x, a);
	return dr7;
}

void vmx_set_dr7(struct vcpu *v, u64 value)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmcs_access a = vmcs_begin(x);

	vmwrite(VMCS_GUEST_DR7, value);
	vmcs_end(x, a);
}
