/*
 * The VMX backend's own state, shared by its files: vmx.c (capabilities,
 * VMXON, running a vCPU), vmcs.c (a vCPU's VMCS and where it is loaded)
 * and vmexit.c (exit decoding and event injection).
 */
#ifndef HVM_VMX_VMX_H
#define HVM_VMX_VMX_H

#include <xen/percpu.h>
#include <asm/hvm.h>
#include <asm/processor.h>

#define VMX_NO_CPU (~0u)

/* What the boot CPU offers, read once by vmx_probe(). */
struct vmx_caps {
	u32 revision;
	u32 pin, proc, proc2, exit, entry; /* the controls every VMCS gets */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid;
	/* The preemption timer counts TSC >> this; -1 if there is none. */
	int preempt_shift;
};

extern struct vmx_caps vmx_caps;

struct vmx_cpu {
	void *vmxon_region;
	paddr_t current_vmcs; /* VMPTRLDed here and not cleared since, or 0 */
};

DECLARE_PER_CPU(struct vmx_cpu, vmx_cpu);

struct vmx_vcpu {
	struct hvm_vcpu hvm; /* first: v->hvm points here */
	void *vmcs;
	paddr_t vmcs_pa;
	u64 eptp;
	u16 vpid;
	/* The CPU the VMCS is active on (VMX_NO_CPU: clear, on none). */
	unsigned int cpu;
	bool launched;

	/*
	 * Software copies: between an exit and the next entry the VMCS may
	 * not be current (the handlers can sleep and other vCPUs run here),
	 * so everything the handlers read is saved at the exit and all they
	 * change is written back just before the next entry.
	 */
	u32 exit_reason;
	u64 exit_qual;
	u32 exit_insn_len;
	u32 exit_intr_info;
	u64 exit_gpa, exit_gla;
	u32 idt_vectoring_info;
	u32 intr_state; /* guest interruptibility */
	u32 proc_ctls;
	u64 cr0_shadow, cr4_shadow; /* the guest's view of host-owned bits */
	/* An event to inject at the next entry (entry interruption info). */
	u32 inject_info, inject_error, inject_insn_len;
	unsigned int dirty; /* VMX_DIRTY_*: fields to write at entry */
};

#define VMX_DIRTY_EFER (1u << 0)
#define VMX_DIRTY_CR0_SHADOW (1u << 1)
#define VMX_DIRTY_PROC_CTLS (1u << 2)

static inline struct vmx_vcpu *vmx_of(struct vcpu *v)
{
	return v->hvm;
}

/* CR0 and CR4 bits VMX operation forces to 1 in the guest too. */
static inline u64 vmx_cr0_forced(void)
{
	/* Unrestricted guests choose PE and PG themselves. */
	return vmx_caps.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
}

static inline u64 vmx_cr4_forced(void)
{
	return vmx_caps.cr4_fixed0;
}

/*
 * CR4 bits the host owns: those VMX forces, and every bit the guest may
 * not set, so that setting one exits (and is #GP) instead of reaching
 * the CPU.
 */
static inline u64 vmx_cr4_mask(void)
{
	return vmx_cr4_forced() | ~hvm_guest_caps.cr4;
}

/*
 * The host-owned bits: the guest reads them from the read shadows. Also
 * CD and NW, which VM entry and exit never load: a guest's own would stay
 * in the CPU and reach the host (the p2m sets memory types anyway).
 */
static inline u64 vmx_cr0_mask(void)
{
	return vmx_cr0_forced() | X86_CR0_CD | X86_CR0_NW;
}

/* entry.S: 0 after a VM exit, else why VMLAUNCH/VMRESUME failed. */
#define VMX_ENTER_FAIL_VALID 1 /* VM-instruction error in the VMCS */
#define VMX_ENTER_FAIL_INVALID 2 /* no current VMCS */
int vmx_enter(struct hvm_regs *regs, bool launched);
void vmx_exit(void); /* host RIP */

/* vmcs.c */
int vmx_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start);
void vmx_vcpu_reset(struct vcpu *v);
void vmx_vcpu_destroy(struct vcpu *v);
/* Make x's VMCS inactive wherever it is (interrupts on). */
void vmx_vmcs_unload(struct vmx_vcpu *x);
/* Make x's VMCS current on this CPU (interrupts off); true if new here. */
bool vmx_vmcs_load(struct vmx_vcpu *x);
/* Flush x's guest-physical translations if the p2m changed since. */
void vmx_flush_ept(struct vcpu *v, struct vmx_vcpu *x, bool new_cpu);

/* vmexit.c */
void vmx_save_exit_state(struct vmx_vcpu *x);
void vmx_load_entry_state(struct vcpu *v, struct vmx_vcpu *x);
void vmx_handle_exit(struct vcpu *v, struct vmx_vcpu *x);
void vmx_inject_exception(struct vcpu *v, unsigned int vector, int error_code);
bool vmx_event_pending(struct vcpu *v);
void vmx_show_state(struct vcpu *v);

/* guest_state.c: asm/hvm.h's accessors of guest state in the VMCS. */
void vmx_get_segment(struct vcpu *v, enum hvm_seg seg, struct hvm_segment *s);
void vmx_set_segment(struct vcpu *v, enum hvm_seg seg,
		     const struct hvm_segment *s);
int vmx_set_cr(struct vcpu *v, unsigned int cr, u64 value);
u64 vmx_get_dr6(struct vcpu *v);
void vmx_set_dr6(struct vcpu *v, u64 value);
u64 vmx_get_dr7(struct vcpu *v);
void vmx_set_dr7(struct vcpu *v, u64 value);

#endif
