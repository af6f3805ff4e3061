/*
 * VMX exits: save what the handlers need while the VMCS is current,
 * decode each exit into the common handlers (hvm/exits.c), and write the
 * results and any event to inject back before the next entry.
 */
#include <xen/lib.h>
#include <asm/system.h>
#include <asm/hvm_irq.h>
#include <asm/traps.h>
#include <asm/vlapic.h>
#include "vmcs.h"
#include "vmx.h"

#define EXC_DF 8

void vmx_save_exit_state(struct vmx_vcpu *x)
{
	struct hvm_vcpu *h = &x->hvm;
	u64 cr0_mask = vmx_cr0_mask(), cr4_mask = vmx_cr4_mask();
	u32 ss_ar;

	x->exit_reason = (u32)vmread(VMCS_EXIT_REASON);
	x->exit_qual = vmread(VMCS_EXIT_QUALIFICATION);
	/* A failed entry left the guest state as it was. */
	if (x->exit_reason & EXIT_REASON_ENTRY_FAILED)
		return;
	h->rip = vmread(VMCS_GUEST_RIP);
	h->rsp = vmread(VMCS_GUEST_RSP);
	h->rflags = vmread(VMCS_GUEST_RFLAGS);
	h->cr0 = (vmread(VMCS_GUEST_CR0) & ~cr0_mask) |
		 (x->cr0_shadow & cr0_mask);
	h->cr3 = vmread(VMCS_GUEST_CR3);
	h->cr4 = (vmread(VMCS_GUEST_CR4) & ~cr4_mask) |
		 (x->cr4_shadow & cr4_mask);
	h->efer = vmread(VMCS_GUEST_EFER);
	ss_ar = (u32)vmread(VMCS_GUEST_SS_AR);
	h->cpl = AR_DPL(ss_ar); /* SS.DPL is the CPL */
	h->long_mode = (h->efer & EFER_LMA) &&
		       (vmread(VMCS_GUEST_CS_AR) & AR_L);
	x->intr_state = (u32)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	x->exit_insn_len = (u32)vmread(VMCS_EXIT_INSN_LEN);

	switch (x->exit_reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		x->exit_intr_info = (u32)vmread(VMCS_EXIT_INTR_INFO);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		if (x->exit_qual & EPT_QUAL_GLA_VALID)
			x->exit_gla = vmread(VMCS_GUEST_LINEAR_ADDR);
		x->exit_gpa = vmread(VMCS_GUEST_PHYS_ADDR);
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		x->exit_gpa = vmread(VMCS_GUEST_PHYS_ADDR);
		break;
	}

	/* An event the exit interrupted is delivered again next time. */
	x->idt_vectoring_info = (u32)vmread(VMCS_IDT_VECTORING_INFO);
	if (x->idt_vectoring_info & INTR_INFO_VALID) {
		x->inject_info = x->idt_vectoring_info &
				 INTR_INFO_REINJECT_MASK;
		x->inject_error = (u32)vmread(VMCS_IDT_VECTORING_ERROR);
		x->inject_insn_len = x->exit_insn_len;
	}
}

static void set_intr_window(struct vmx_vcpu *x, bool on)
{
	u32 ctls = on ? x->proc_ctls | PROC_INTR_WINDOW_EXITING :
			x->proc_ctls & ~PROC_INTR_WINDOW_EXITING;

	if (ctls != x->proc_ctls) {
		x->proc_ctls = ctls;
		x->dirty |= VMX_DIRTY_PROC_CTLS;
	}
}

/*
 * The next interrupt (hvm/intr.c) goes in when the guest can take it: no
 * STI or MOV-SS shadow, nothing else being injected, and for all but an
 * NMI, RFLAGS.IF; otherwise interrupt-window exiting brings it back as
 * soon as it can. A LAPIC vector the TPR holds back needs no window: a
 * MOV to CR8 exits. Without virtual NMIs there is no NMI window, and
 * IRET does not end NMI blocking: an NMI goes in past it, or waits for
 * the next exit if a shadow or another event is in the way.
 */
static void deliver_intr(struct vcpu *v, struct vmx_vcpu *x)
{
	struct hvm_intr i = hvm_intr_next(v);
	bool can = !(x->intr_state & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) &&
		   !(x->inject_info & INTR_INFO_VALID);

	if (i.type == HVM_INTR_NMI) {
		if (can && hvm_intr_ack(v, i)) {
			x->intr_state &= ~BLOCKING_BY_NMI;
			x->inject_info = INTR_INFO_VALID |
					 (INTR_TYPE_NMI << 8) | i.vector;
		}
		set_intr_window(x, false);
		return;
	}
	if (i.type != HVM_INTR_NONE && can && (x->hvm.rflags & X86_EFLAGS_IF) &&
	    hvm_intr_ack(v, i)) {
		x->inject_info = INTR_INFO_VALID | (INTR_TYPE_EXT_INTR << 8) |
				 i.vector;
		set_intr_window(x, false);
		return;
	}
	set_intr_window(x, i.type != HVM_INTR_NONE);
}

void vmx_load_entry_state(struct vcpu *v, struct vmx_vcpu *x)
{
	struct hvm_vcpu *h = &x->hvm;
	unsigned int type;

	deliver_intr(v, x);
	vmwrite(VMCS_GUEST_RIP, h->rip);
	vmwrite(VMCS_GUEST_RSP, h->rsp);
	vmwrite(VMCS_GUEST_RFLAGS, h->rflags);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, x->intr_state);
	/* Injected once: if its delivery exits, IDT vectoring brings it back */
	if (x->inject_info & INTR_INFO_VALID) {
		type = INTR_INFO_TYPE(x->inject_info);
		vmwrite(VMCS_ENTRY_INTR_INFO, x->inject_info);
		if (x->inject_info & INTR_INFO_DELIVER_ERROR)
			vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, x->inject_error);
		if (type == INTR_TYPE_SW_INTR ||
		    type == INTR_TYPE_PRIV_SW_EXCEPTION ||
		    type == INTR_TYPE_SW_EXCEPTION)
			vmwrite(VMCS_ENTRY_INSN_LEN, x->inject_insn_len);
		x->inject_info = 0;
	}
	if (x->dirty & VMX_DIRTY_EFER)
		vmwrite(VMCS_GUEST_EFER, h->efer);
	if (x->dirty & VMX_DIRTY_CR0_SHADOW)
		vmwrite(VMCS_CR0_SHADOW, x->cr0_shadow);
	if (x->dirty & VMX_DIRTY_PROC_CTLS)
		vmwrite(VMCS_PROC_CTLS, x->proc_ctls);
	x->dirty = 0;
}

void vmx_inject_exception(struct vcpu *v, unsigned int vector, int error_code)
{
	struct vmx_vcpu *x = vmx_of(v);

	x->inject_info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) |
			 vector;
	/* Real mode (unrestricted guest) pushes no error code. */
	if (error_code >= 0 && (x->hvm.cr0 & X86_CR0_PE)) {
		x->inject_info |= INTR_INFO_DELIVER_ERROR;
		x->inject_error = (u32)error_code;
	}
}

bool vmx_event_pending(struct vcpu *v)
{
	u32 info = vmx_of(v)->inject_info;

	return (info & INTR_INFO_VALID) &&
	       INTR_INFO_TYPE(info) == INTR_TYPE_EXT_INTR;
}

/* Past the instruction that exited; it completed, so its shadow ends. */
static void advance_rip(struct vmx_vcpu *x)
{
	x->hvm.rip += x->exit_insn_len;
	x->intr_state &= ~(BLOCKING_BY_STI | BLOCKING_BY_MOV_SS);
}

static void handle_io(struct vcpu *v, struct vmx_vcpu *x)
{
	struct hvm_regs *r = &x->hvm.regs;
	u64 q = x->exit_qual;
	unsigned int size = IO_QUAL_SIZE(q);
	bool in = q & IO_QUAL_IN;
	u32 val = (u32)r->rax;

	if (q & IO_QUAL_STRING) {
		domain_crash(v->domain,
			     "string I/O to port %#x is not "
			     "emulated",
			     IO_QUAL_PORT(q));
		return;
	}
	hvm_portio(v, IO_QUAL_PORT(q), size, in, &val);
	if (in && size == 4) {
		r->rax = val; /* a 32-bit result clears the upper half */
	} else if (in) {
		u64 mask = (1UL << (size * 8)) - 1;

		r->rax = (r->rax & ~mask) | (val & mask);
	}
	advance_rip(x);
}

/*
 * MSRs the VMCS holds: read and written there (the VMCS is current from
 * the exit until the handler returns). 1 if msr is not one of them.
 */
static int vmcs_msr(u32 msr, bool write, u64 *val)
{
	unsigned long field;

	switch (msr) {
	case MSR_FS_BASE:
		field = VMCS_GUEST_ES_BASE + 2 * SEG_FS;
		break;
	case MSR_GS_BASE:
		field = VMCS_GUEST_ES_BASE + 2 * SEG_GS;
		break;
	case MSR_SYSENTER_CS:
		field = VMCS_GUEST_SYSENTER_CS;
		break;
	case MSR_SYSENTER_ESP:
		field = VMCS_GUEST_SYSENTER_ESP;
		break;
	case MSR_SYSENTER_EIP:
		field = VMCS_GUEST_SYSENTER_EIP;
		break;
	default:
		return 1;
	}
	if (!write) {
		*val = vmread(field);
		return 0;
	}
	/* VM entry refuses non-canonical bases: #GP now, as the CPU does. */
	if (msr == MSR_SYSENTER_CS ? *val >> 32 : !is_canonical(*val))
		return -1;
	vmwrite(field, *val);
	return 0;
}

static void handle_msr(struct vcpu *v, struct vmx_vcpu *x, bool write)
{
	struct hvm_vcpu *h = &x->hvm;
	u32 msr = (u32)h->regs.rcx;
	u64 val = (h->regs.rdx << 32) | (u32)h->regs.rax;
	int rc = vmcs_msr(msr, write, &val);

	if (rc > 0)
		rc = write ? hvm_wrmsr(v, msr, val) : hvm_rdmsr(v, msr, &val);
	if (rc) {
		vmx_inject_exception(v, TRAP_gp_fault, 0);
		return;
	}
	if (msr == MSR_EFER && write) {
		/* Checked by hvm_wrmsr(); LMA is the CPU's. */
		h->efer = (val & ~EFER_LMA) | (h->efer & EFER_LMA);
		x->dirty |= VMX_DIRTY_EFER;
	} else if (msr == MSR_EFER) {
		val = h->efer;
	}
	if (!write) {
		h->regs.rax = (u32)val;
		h->regs.rdx = val >> 32;
	}
	advance_rip(x);
}

/* MOV to or from CR8: the guest's local APIC TPR (bits 7:4). */
static void handle_cr8(struct vcpu *v, struct vmx_vcpu *x, bool write, u64 *reg)
{
	if (!write) {
		*reg = vlapic_get_cr8(v);
	} else if (*reg >> 4) {
		vmx_inject_exception(v, TRAP_gp_fault, 0);
		return;
	} else {
		vlapic_set_cr8(v, (unsigned int)*reg);
	}
	advance_rip(x);
}

/*
 * Only MOV to or from CR8, and a MOV to CR0 or CR4 that changes a
 * host-owned bit, exit. CR4's host-owned bits are those the guest may
 * not set (vmx_cr4_mask()): #GP. CR0's (NE, CD, NW) go through the same
 * checks as every control write; a legal value is taken into the read
 * shadow and the instruction is left to run again: with shadow and value
 * now agreeing it runs without an exit, and the CPU does the rest
 * (paging, long mode activation, PDPTEs).
 */
static void handle_cr(struct vcpu *v, struct vmx_vcpu *x)
{
	u64 q = x->exit_qual;
	u64 mask = vmx_cr0_mask();
	u64 *reg = hvm_gpr(&x->hvm, CR_QUAL_GPR(q));
	u64 value = x->hvm.long_mode ? *reg : (u32)*reg;

	if (CR_QUAL_CR(q) == 8 && CR_QUAL_TYPE(q) <= 1) {
		handle_cr8(v, x, CR_QUAL_TYPE(q) == 0, reg);
		return;
	}
	if (CR_QUAL_TYPE(q) != 0 ||
	    (CR_QUAL_CR(q) != 0 && CR_QUAL_CR(q) != 4)) {
		domain_crash(v->domain,
			     "unexpected CR access (qualification %#lx)",
			     (unsigned long)q);
		return;
	}
	if (CR_QUAL_CR(q) == 4 || hvm_check_cr0(&x->hvm, value)) {
		vmx_inject_exception(v, TRAP_gp_fault, 0);
		return;
	}
	x->cr0_shadow = (x->cr0_shadow & ~mask) | (value & mask);
	x->dirty |= VMX_DIRTY_CR0_SHADOW;
}

/*
 * The qualification: bits 0-2 the access (read, write, fetch), 3-5 what
 * the entry allowed (none: not present), 7 the linear address is valid,
 * and 8 with it: the final translation, not the guest's own page walk.
 */
static void handle_ept_violation(struct vcpu *v, struct vmx_vcpu *x)
{
	u64 q = x->exit_qual;
	struct hvm_fault f = {
		.gpa = x->exit_gpa,
		.gla = x->exit_gla,
		.gla_valid = q & EPT_QUAL_GLA_VALID,
		.access = P2M_R | (q & EPT_QUAL_WRITE ? P2M_W : 0) |
			  (q & EPT_QUAL_FETCH ? P2M_X : 0),
		.kind = q & EPT_QUAL_ENTRY_RWX ? HVM_FAULT_DENIED :
						 HVM_FAULT_NOT_PRESENT,
		.in_guest_walk = (q & EPT_QUAL_GLA_VALID) &&
				 !(q & EPT_QUAL_FINAL),
		.in_event_delivery = x->idt_vectoring_info & INTR_INFO_VALID,
		.cs_d = vmread(VMCS_GUEST_CS_AR) & AR_DB,
	};
	unsigned long rip = x->hvm.rip;
	unsigned int seg;

	/* ES..GS: their base fields follow each other in that order. */
	for (seg = 0; seg < HVM_NR_SEGS; seg++)
		f.seg_base[seg] = vmread(VMCS_GUEST_ES_BASE + 2 * seg);
	hvm_nested_fault(v, &f);
	/* An access emulated: the instruction completed (see advance_rip) */
	if (x->hvm.rip != rip)
		x->intr_state &= ~(BLOCKING_BY_STI | BLOCKING_BY_MOV_SS);
}

/*
 * The qualification: the new TSS's selector (bits 15:0) and what started
 * the switch (31:30: CALL, IRET, JMP, a task gate in the IDT). Through a
 * gate, IDT vectoring holds the event (and its error code): the switch
 * delivers it, so it is not injected again; INT n, INT3, INTO and INT1
 * resume past their instruction. RIP is at the instruction or event.
 */
static void handle_task_switch(struct vcpu *v, struct vmx_vcpu *x)
{
	static const enum hvm_task_source by_qual[4] = {
		HVM_TASK_CALL, HVM_TASK_IRET, HVM_TASK_JMP, HVM_TASK_GATE
	};
	enum hvm_task_source source = by_qual[(x->exit_qual >> 30) & 3];
	u32 event = x->idt_vectoring_info;
	bool has_error_code = false;

	if (source == HVM_TASK_GATE && (event & INTR_INFO_VALID)) {
		switch (INTR_INFO_TYPE(event)) {
		case INTR_TYPE_SW_INTR:
		case INTR_TYPE_PRIV_SW_EXCEPTION:
		case INTR_TYPE_SW_EXCEPTION:
			source = HVM_TASK_INT;
			break;
		case INTR_TYPE_NMI:
			/* Delivered: NMIs are blocked until an IRET. */
			x->intr_state |= BLOCKING_BY_NMI;
			break;
		}
		has_error_code = event & INTR_INFO_DELIVER_ERROR;
		x->inject_info = 0;
	}
	hvm_task_switch(v, (u16)x->exit_qual, source, has_error_code,
			x->inject_error);
	x->intr_state &= ~(BLOCKING_BY_STI | BLOCKING_BY_MOV_SS);
}

static const char *entry_failure_name(u32 reason)
{
	switch (EXIT_REASON_BASIC(reason)) {
	case EXIT_REASON_BAD_GUEST_STATE:
		return "invalid guest state";
	case EXIT_REASON_MSR_LOADING:
		return "MSR loading";
	case EXIT_REASON_MACHINE_CHECK:
		return "machine check";
	}
	return "unknown reason";
}

void vmx_handle_exit(struct vcpu *v, struct vmx_vcpu *x)
{
	u32 reason = x->exit_reason;

	if (reason & EXIT_REASON_ENTRY_FAILED) {
		domain_crash(v->domain,
			     "VM entry failed: %s (exit reason %#x, "
			     "qualification %#lx)",
			     entry_failure_name(reason), reason,
			     (unsigned long)x->exit_qual);
		return;
	}
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		/* An NMI was handled on the host at the exit. */
		if (INTR_INFO_TYPE(x->exit_intr_info) == INTR_TYPE_NMI)
			break;
		if (INTR_INFO_VECTOR(x->exit_intr_info) == EXC_DF)
			domain_crash(v->domain, "double fault");
		else
			domain_crash(v->domain, "unexpected exception exit %#x",
				     x->exit_intr_info);
		break;
	case EXIT_REASON_EXT_INTR:
		/* Taken on the host when interrupts were enabled. */
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		domain_crash(v->domain, "triple fault");
		break;
	case EXIT_REASON_INTR_WINDOW:
		/* The upcall goes in at the next entry. */
		set_intr_window(x, false);
		hvm_window_at_hlt(v, vmread(VMCS_GUEST_CS_BASE));
		break;
	case EXIT_REASON_CPUID:
		hvm_cpuid(v);
		advance_rip(x);
		break;
	case EXIT_REASON_HLT:
		advance_rip(x);
		arch_vcpu_halt(v);
		break;
	case EXIT_REASON_VMCALL:
		if (hvm_hypercall(v) == HVM_HCALL_completed)
			advance_rip(x);
		break;
	case EXIT_REASON_CR_ACCESS:
		handle_cr(v, x);
		break;
	case EXIT_REASON_IO:
		handle_io(v, x);
		break;
	case EXIT_REASON_RDMSR:
	case EXIT_REASON_WRMSR:
		handle_msr(v, x, reason == EXIT_REASON_WRMSR);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		handle_ept_violation(v, x);
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		domain_crash(v->domain, "EPT misconfiguration at gpa %lx",
			     (unsigned long)x->exit_gpa);
		break;
	case EXIT_REASON_XSETBV:
		if (hvm_xsetbv(v, (u32)x->hvm.regs.rcx,
			       (x->hvm.regs.rdx << 32) | (u32)x->hvm.regs.rax))
			advance_rip(x);
		break;
	case EXIT_REASON_PREEMPT_TIMER:
		sched_check_slice();
		break;
	case EXIT_REASON_TASK_SWITCH:
		handle_task_switch(v, x);
		break;
	case EXIT_REASON_VMCLEAR ... EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		vmx_inject_exception(v, TRAP_invalid_op, -1);
		break;
	default:
		domain_crash(v->domain,
			     "unhandled VMX exit %u (qualification %#lx)",
			     reason, (unsigned long)x->exit_qual);
		break;
	}
}

void vmx_show_state(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct hvm_vcpu *h = &x->hvm;

	printk("d%uv%u: RIP %016lx RSP %016lx RFLAGS %08lx exit %#x qual "
	       "%lx\n",
	       v->domain->domain_id, v->vcpu_id, (unsigned long)h->rip,
	       (unsigned long)h->rsp, (unsigned long)h->rflags, x->exit_reason,
	       (unsigned long)x->exit_qual);
	printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", h->regs.rax,
	       h->regs.rbx, h->regs.rcx, h->regs.rdx);
	printk("  cr0 %08lx cr3 %08lx cr4 %08lx efer %08lx gpa %lx intr %x "
	       "idt-vectoring %x\n",
	       (unsigned long)h->cr0, (unsigned long)h->cr3,
	       (unsigned long)h->cr4, (unsigned long)h->efer,
	       (unsigned long)x->exit_gpa, x->intr_state,
	       x->idt_vectoring_info);
}
