/*
 * AMD SVM: per-CPU enable, VMCBs, ASIDs, running a vCPU and decoding its
 * exits into the common handlers (hvm/exits.c).
 *
 * ASIDs are handed out per CPU by generation: a vCPU keeps its ASID while
 * it stays on the CPU and the generation is unchanged; when a CPU runs out
 * (QEMU offers 16) it starts a new generation and flushes all ASIDs at the
 * next VMRUN. A p2m change (its flush generation moved) also gives the
 * vCPU a new ASID, so no stale translation survives.
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <asm/p2m.h>
#include <xen/percpu.h>
#include <asm/hvm.h>
#include <asm/hvm_irq.h>
#include <asm/processor.h>
#include <asm/system.h>
#include <asm/traps.h>
#include <asm/vlapic.h>
#include "vmcb.h"

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS (1UL << 4)

#define CPUID_SVM_FEATURES 0x8000000a
#define SVM_FEATURE_NPT (1u << 0)
#define SVM_FEATURE_NRIPS (1u << 3)
#define SVM_FEATURE_FLUSH_BY_ASID (1u << 6)

#define IOPM_ORDER 2 /* 12 KiB used */
#define MSRPM_ORDER 1 /* 8 KiB */

struct svm_vcpu {
	struct hvm_vcpu hvm; /* first: v->hvm points here */
	struct vmcb *vmcb;
	paddr_t vmcb_pa;
	/*
	 * EFER as the guest wrote it (LMA aside). The VMCB gets LME only
	 * while paging is on: with LME and paging off in the VMCB at an exit,
	 * QEMU restores the host's CR0 without paging. The CPU behaves the
	 * same either way, since CR0 writes exit and LME acts only when
	 * paging is turned on.
	 */
	u64 efer;
	u32 asid;
	unsigned long asid_gen;
	unsigned int asid_cpu;
	/* The last VMRUN's EVENTINJ and RIP (see handle_task_switch). */
	u64 entry_event, entry_rip;
	/*
	 * Exits for a software interrupt memory did not hold, one after the
	 * other (no other exit between) at stale_rip.
	 */
	unsigned int stale_swints;
	unsigned long stale_rip;
	bool stale_seen, stale_gave_up; /* each logged once per vCPU */
};

struct svm_cpu {
	void *hsave;
	struct vmcb *host_vmcb;
	paddr_t host_vmcb_pa;
	u32 next_asid;
	unsigned long generation;
};

static DEFINE_PER_CPU(struct svm_cpu, svm_cpu);
static u32 nr_asids;
static bool has_nrips;

/*
 * The software-interrupt recheck (hvm/soft_int.c), for the emulators
 * whose SVM keeps stale copies of code: QEMU's TCG, whose SVM has no
 * NRIPS (every AMD CPU since 2010 has it). int3_recheck=0 turns it off.
 * Only in long mode: outside it, INT n may go through a task gate, which
 * handle_task_switch() decodes at the RIP the CPU reports.
 */
static bool opt_int3_recheck = true;
boolean_param("int3_recheck", opt_int3_recheck);
static bool int3_recheck;
/*
 * Exits in a row at one RIP for a software interrupt memory does not hold
 * before it is delivered as the CPU reported it (an INT3). A stale copy
 * can outlive a refresh (the next run of the code before the emulator
 * drops it), so a few in a row are normal: 40 were seen.
 */
#define STALE_SWINT_MAX 10000
/* Shared by every vCPU: all ports and all MSRs but msrpm_init()'s. */
static void *iopm, *msrpm;

u64 svm_vmrun(paddr_t vmcb, paddr_t host_vmcb, struct hvm_regs *regs);

static struct svm_vcpu *svm_of(struct vcpu *v)
{
	return v->hvm;
}

static int svm_cpu_up(void)
{
	struct svm_cpu *c = &this_cpu(svm_cpu);
	u64 vm_cr;

	if (!rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS)) {
		printk(XENLOG_ERR "CPU%u: SVM disabled by firmware\n",
		       smp_processor_id());
		return -ENODEV;
	}
	if (!c->hsave) {
		c->hsave = alloc_xenheap_page();
		c->host_vmcb = alloc_xenheap_page();
		if (!c->hsave || !c->host_vmcb)
			return -ENOMEM;
		memset(c->hsave, 0, PAGE_SIZE);
		memset(c->host_vmcb, 0, PAGE_SIZE);
		c->host_vmcb_pa = __pa(c->host_vmcb);
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, __pa(c->hsave));
	/* The host's FS/GS/TR/LDTR and syscall MSRs, restored after exits. */
	__asm__ __volatile__("vmsave" ::"a"(c->host_vmcb_pa) : "memory");
	c->next_asid = 1;
	c->generation = 1;
	return 0;
}

static void set_seg(struct vmcb_seg *s, u16 sel, u16 attr, u32 limit)
{
	*s = (struct vmcb_seg){ .sel = sel, .attr = attr, .limit = limit };
}

/* The VMCB's EFER from the guest's and its CR0 (see struct svm_vcpu). */
static void load_efer(struct svm_vcpu *s)
{
	bool lma = (s->vmcb->cr0 & X86_CR0_PG) && (s->efer & EFER_LME);

	s->vmcb->efer = (s->efer & ~(EFER_LME | EFER_LMA)) | EFER_SVME |
			(lma ? EFER_LME | EFER_LMA : 0);
	s->hvm.efer = s->efer | (lma ? EFER_LMA : 0);
}

/* V_TPR (the guest's CR8) is the guest's: every other VINTR bit is ours */
static void set_vintr(struct vmcb *vmcb, u64 bits)
{
	vmcb->vintr = (vmcb->vintr & VINTR_TPR_MASK) | bits;
}

static void vmcb_set_tpr(struct vmcb *vmcb, unsigned int cr8)
{
	vmcb->vintr = (vmcb->vintr & ~VINTR_TPR_MASK) | cr8;
}

/*
 * Real mode at entry_cs:rip, as after INIT and SIPI (SDM vol. 3, 10.1):
 * segments of 64 KiB at base 0 but CS's (entry_cs << 4), CR0.PE clear
 * (nested paging runs real mode as it is).
 */
static void init_real_mode(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;

	set_seg(&vmcb->cs, s->hvm.entry_cs, 0x9b, 0xffff);
	vmcb->cs.base = (u64)s->hvm.entry_cs << 4;
	set_seg(&vmcb->ds, 0, 0x93, 0xffff);
	vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs = vmcb->ds;
	set_seg(&vmcb->tr, 0, 0x8b, 0xffff);
	set_seg(&vmcb->ldtr, 0, 0x82, 0xffff);
	set_seg(&vmcb->gdtr, 0, 0, 0xffff);
	set_seg(&vmcb->idtr, 0, 0, 0xffff);
	vmcb->cr0 = X86_CR0_ET;
	vmcb->cr4 = 0;
	vmcb->cr3 = 0;
}

/*
 * PVH 32-bit, or 64-bit with paging: flat segments (selectors as
 * hvm_boot_cs()).
 */
static void init_protected_mode(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	bool lm = s->hvm.entry_64bit;

	set_seg(&vmcb->cs, hvm_boot_cs(lm), lm ? 0xa9b : 0xc9b, 0xffffffff);
	set_seg(&vmcb->ds, hvm_boot_cs(lm) + 8, 0xc93, 0xffffffff);
	vmcb->es = vmcb->ss = vmcb->fs = vmcb->gs = vmcb->ds;
	set_seg(&vmcb->tr, 0, 0x8b, 0x67);
	set_seg(&vmcb->ldtr, 0, 0x82, 0);
	set_seg(&vmcb->gdtr, 0, 0, 0);
	set_seg(&vmcb->idtr, 0, 0, 0);
	vmcb->cr0 = X86_CR0_PE | X86_CR0_ET | (lm ? X86_CR0_PG : 0);
	vmcb->cr4 = lm ? X86_CR4_PAE : 0;
	vmcb->cr3 = lm ? s->hvm.cr3 : 0;
}

/* The architectural start state the hvm_vcpu asks for. */
static void init_guest_state(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	bool lm = s->hvm.entry_64bit && !s->hvm.entry_real;

	if (s->hvm.entry_real)
		init_real_mode(s);
	else
		init_protected_mode(s);
	s->hvm.cr0 = vmcb->cr0;
	s->hvm.cr3 = vmcb->cr3;
	s->hvm.cr4 = vmcb->cr4;
	s->hvm.long_mode = lm;
	s->efer = lm ? EFER_LME : 0;
	load_efer(s);
	/* RIP, RSP, RFLAGS and RAX go in from s->hvm at every entry. */
	vmcb->rflags = s->hvm.rflags;
	vmcb->rip = s->hvm.rip;
	vmcb->rsp = s->hvm.rsp;
	vmcb->eventinj = 0;
	vmcb->dr6 = 0xffff0ff0;
	vmcb->dr7 = 0x400;
	vmcb->g_pat = 0x0007040600070406UL;
	vmcb->cpl = 0;
}

static int svm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct svm_vcpu *s = alloc_xenheap_page();
	struct vmcb *vmcb = alloc_xenheap_page();

	if (!s || !vmcb) {
		free_xenheap_page(s);
		free_xenheap_page(vmcb);
		return -ENOMEM;
	}
	BUILD_BUG_ON(sizeof(struct vmcb) != PAGE_SIZE);
	memset(s, 0, sizeof(*s));
	memset(vmcb, 0, PAGE_SIZE);
	s->hvm = *start;
	s->vmcb = vmcb;
	s->vmcb_pa = __pa(vmcb);
	s->asid_cpu = ~0u;

	vmcb->intercepts1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI |
			    INTERCEPT_INIT | INTERCEPT_CPUID | INTERCEPT_HLT |
			    INTERCEPT_INVLPGA | INTERCEPT_IOIO | INTERCEPT_MSR |
			    INTERCEPT_TASK_SWITCH | INTERCEPT_SHUTDOWN;
	vmcb->intercepts2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL |
			    INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
			    INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT |
			    INTERCEPT_XSETBV;
	/* Checked against the policy before they reach the VMCB. */
	vmcb->cr_intercepts = INTERCEPT_CR0_WRITE | INTERCEPT_CR4_WRITE;
	vmcb->iopm_base_pa = __pa(iopm);
	vmcb->msrpm_base_pa = __pa(msrpm);
	/*
	 * A guest double fault is the end of it: crash the domain there
	 * rather than rely on the shutdown (triple fault) intercept alone.
	 */
	vmcb->exception_intercepts = 1u << 8;
	/* The guest's CR8 is V_TPR; the host's TPR is out of its reach. */
	vmcb->vintr = VINTR_MASKING;
	vmcb->np_enable = 1;
	vmcb->n_cr3 = (u64)mfn_x(p2m_root(v->domain->p2m)) << PAGE_SHIFT;
	init_guest_state(s);
	v->hvm = s;
	return 0;
}

/* A stopped vCPU starts again from the state in s->hvm (hvm.c). */
static void svm_vcpu_reset(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);

	init_guest_state(s);
	s->vmcb->interrupt_shadow = 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);

	free_xenheap_page(s->vmcb);
	free_xenheap_page(s);
	v->hvm = NULL;
}

/* Give v an ASID valid on this CPU; flush what must be flushed. */
static void svm_asid(struct vcpu *v, struct svm_vcpu *s)
{
	struct svm_cpu *c = &this_cpu(svm_cpu);
	unsigned long gen = p2m_flush_generation(v->domain->p2m);

	s->vmcb->tlb_control = 0;
	if (s->asid_cpu == smp_processor_id() && s->asid_gen == c->generation &&
	    s->hvm.flush_gen_seen == gen)
		return;
	if (c->next_asid >= nr_asids) {
		c->generation++;
		c->next_asid = 1;
		s->vmcb->tlb_control = 1; /* flush every ASID */
	}
	s->asid = c->next_asid++;
	s->asid_gen = c->generation;
	s->asid_cpu = smp_processor_id();
	s->hvm.flush_gen_seen = gen;
	s->vmcb->asid = s->asid;
}

static void sync_from_vmcb(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;

	s->hvm.regs.rax = vmcb->rax;
	s->hvm.rip = vmcb->rip;
	s->hvm.rsp = vmcb->rsp;
	s->hvm.rflags = vmcb->rflags;
	s->hvm.cr0 = vmcb->cr0;
	s->hvm.cr3 = vmcb->cr3;
	s->hvm.cr4 = vmcb->cr4;
	/* LMA is LME and PG (the VMCB's may be stale: see handle_cr_write) */
	if ((vmcb->cr0 & X86_CR0_PG) && (s->efer & EFER_LME))
		s->hvm.efer = s->efer | EFER_LMA;
	else
		s->hvm.efer = s->efer;
	s->hvm.cpl = vmcb->cpl;
	s->hvm.long_mode = (s->hvm.efer & EFER_LMA) && (vmcb->cs.attr & 0x200);
}

static void sync_to_vmcb(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;

	vmcb->rax = s->hvm.regs.rax;
	vmcb->rip = s->hvm.rip;
	vmcb->rsp = s->hvm.rsp;
	vmcb->rflags = s->hvm.rflags;
}

/* Move RIP past the instruction that exited, of len bytes if no NRIPS. */
/*
 * Move RIP past the instruction that exited, of len bytes if no NRIPS. An
 * STI or MOV SS shadow covered only that instruction: it is over too.
 */
static void advance_rip(struct svm_vcpu *s, unsigned int len)
{
	s->hvm.rip = has_nrips ? s->vmcb->nrip : s->hvm.rip + len;
	s->vmcb->interrupt_shadow = 0;
}

static void svm_inject_exception(struct vcpu *v, unsigned int vector,
				 int error_code)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;

	vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_EXCEPTION | vector;
	if (error_code >= 0)
		vmcb->eventinj |= EVENTINJ_ERR_VALID |
				  ((u64)(u32)error_code << 32);
}

static void handle_ioio(struct vcpu *v, struct svm_vcpu *s)
{
	u64 info = s->vmcb->exitinfo1;
	u16 port = (u16)(info >> 16);
	unsigned int size = (info >> 4) & 7; /* one-hot: 1, 2 or 4 bytes */
	bool in = info & 1;
	u32 val = (u32)s->hvm.regs.rax;

	if (info & (1u << 2)) { /* string I/O */
		domain_crash(v->domain,
			     "string I/O to port %#x is not "
			     "emulated",
			     port);
		return;
	}
	size = size == 1 ? 1 : size == 2 ? 2 : 4;
	hvm_portio(v, port, size, in, &val);
	if (in) {
		u64 mask = size == 4 ? 0xffffffffUL : (1UL << (size * 8)) - 1;

		s->hvm.regs.rax = (s->hvm.regs.rax & ~mask) | (val & mask);
	}
	/* EXITINFO2 is the next RIP for IOIO exits, NRIPS or not. */
	s->hvm.rip = s->vmcb->exitinfo2;
	s->vmcb->interrupt_shadow = 0;
}

static void handle_msr(struct vcpu *v, struct svm_vcpu *s)
{
	u32 msr = (u32)s->hvm.regs.rcx;
	u64 val;

	if (s->vmcb->exitinfo1) {
		val = (s->hvm.regs.rdx << 32) | (u32)s->hvm.regs.rax;
		if (hvm_wrmsr(v, msr, val)) {
			svm_inject_exception(v, TRAP_gp_fault, 0);
			return;
		}
		if (msr == MSR_EFER) {
			s->efer = val & ~EFER_LMA;
			load_efer(s);
		}
	} else {
		if (hvm_rdmsr(v, msr, &val)) {
			svm_inject_exception(v, TRAP_gp_fault, 0);
			return;
		}
		if (msr == MSR_EFER)
			val = s->hvm.efer;
		s->hvm.regs.rax = (u32)val;
		s->hvm.regs.rdx = val >> 32;
	}
	advance_rip(s, 2);
}

/* The D/B bit of a VMCB segment's attributes (descriptor bit 54). */
#define SEG_ATTR_D (1u << 10)

/*
 * EXITINFO1: bit 0 the entry was present, 1 a write, 4 a fetch, 33 during
 * the guest's own page walk; EXITINFO2: the gpa. No linear address.
 */
static void handle_npf(struct vcpu *v, const struct vmcb *vmcb)
{
	u64 info = vmcb->exitinfo1;
	struct hvm_fault f = {
		.gpa = vmcb->exitinfo2,
		.access = P2M_R | (info & NPF_WRITE ? P2M_W : 0) |
			  (info & NPF_FETCH ? P2M_X : 0),
		.kind = info & NPF_PRESENT ? HVM_FAULT_DENIED :
					     HVM_FAULT_NOT_PRESENT,
		.in_guest_walk = info & NPF_IN_GUEST_WALK,
		.in_event_delivery = vmcb->exitintinfo & EVENTINJ_VALID,
		.seg_base = { vmcb->es.base, vmcb->cs.base, vmcb->ss.base,
			      vmcb->ds.base, vmcb->fs.base, vmcb->gs.base },
		.cs_d = vmcb->cs.attr & SEG_ATTR_D,
	};
	unsigned long rip = svm_of(v)->hvm.rip;

	hvm_nested_fault(v, &f);
	/* An access emulated: the instruction completed (see advance_rip) */
	if (svm_of(v)->hvm.rip != rip)
		svm_of(v)->vmcb->interrupt_shadow = 0;
}

/* Translations made under other paging controls: a new ASID drops them. */
static void flush_guest_tlb(struct svm_vcpu *s)
{
	s->asid_cpu = ~0u;
}

static int set_cr0(struct svm_vcpu *s, u64 value)
{
	u64 old = s->vmcb->cr0;

	if (hvm_check_cr0(&s->hvm, value))
		return -EINVAL;
	value = hvm_cr0_canonical(value);
	s->vmcb->cr0 = s->hvm.cr0 = value;
	/* Paging on or off (de)activates long mode: the CPU did not see it. */
	load_efer(s);
	if ((old ^ value) & (X86_CR0_PG | X86_CR0_PE | X86_CR0_WP))
		flush_guest_tlb(s);
	return 0;
}

static int set_cr4(struct svm_vcpu *s, u64 value)
{
	if (hvm_check_cr4(&s->hvm, value))
		return -EINVAL;
	if (value != s->vmcb->cr4)
		flush_guest_tlb(s);
	s->vmcb->cr4 = s->hvm.cr4 = value;
	return 0;
}

/* A write to CR0 or CR4 (the intercepted ones): emulated after checks. */
static void handle_cr_write(struct vcpu *v, struct svm_vcpu *s, unsigned int cr)
{
	struct hvm_vcpu *h = &s->hvm;
	struct hvm_cr_insn insn;
	u64 value;
	int rc;

	/*
	 * Bochs clears EFER.LMA of a MOV to CR0 that turns paging off before
	 * the intercept exits: the VMCB's EFER is rebuilt from ours.
	 */
	load_efer(s);
	rc = hvm_decode_cr_insn(v, s->vmcb->cs.base, &insn);

	if (rc || insn.op == HVM_CR_MOV_FROM || insn.mem ||
	    (insn.op == HVM_CR_MOV_TO ? insn.cr != cr : cr != 0)) {
		domain_crash(v->domain,
			     "CR%u write exit at an instruction not emulated "
			     "(%s)",
			     cr, rc == -EFAULT ? "unreadable" : "other");
		return;
	}
	switch (insn.op) {
	case HVM_CR_CLTS:
		value = h->cr0 & ~X86_CR0_TS;
		break;
	case HVM_CR_LMSW:
		/* The low four bits, but PE is never cleared by LMSW. */
		value = (h->cr0 & ~(X86_CR0_MP | X86_CR0_EM | X86_CR0_TS)) |
			(*hvm_gpr(h, insn.gpr) & 0xf);
		break;
	default:
		value = *hvm_gpr(h, insn.gpr);
		if (!h->long_mode)
			value = (u32)value;
		break;
	}
	rc = cr == 0 ? set_cr0(s, value) : set_cr4(s, value);
	if (rc)
		svm_inject_exception(v, TRAP_gp_fault, 0);
	else
		advance_rip(s, insn.len);
}

/* The VMCB's segment register seg (the first six follow each other). */
static struct vmcb_seg *vmcb_seg(struct vmcb *vmcb, enum hvm_seg seg)
{
	switch (seg) {
	case HVM_SEG_LDTR:
		return &vmcb->ldtr;
	case HVM_SEG_TR:
		return &vmcb->tr;
	case HVM_SEG_GDTR:
		return &vmcb->gdtr;
	case HVM_SEG_IDTR:
		return &vmcb->idtr;
	default:
		return &vmcb->es + seg;
	}
}

static void svm_get_segment(struct vcpu *v, enum hvm_seg seg,
			    struct hvm_segment *out)
{
	const struct vmcb_seg *vs = vmcb_seg(svm_of(v)->vmcb, seg);

	*out = (struct hvm_segment){ .sel = vs->sel,
				     .attr = vs->attr,
				     .limit = vs->limit,
				     .base = vs->base };
}

/* SS's DPL is the CPL, which the VMCB holds apart. */
static void svm_set_segment(struct vcpu *v, enum hvm_seg seg,
			    const struct hvm_segment *in)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;

	*vmcb_seg(vmcb, seg) = (struct vmcb_seg){ .sel = in->sel,
						  .attr = in->attr,
						  .limit = in->limit,
						  .base = in->base };
	if (seg == HVM_SEG_SS)
		vmcb->cpl = HVM_SEG_ATTR_DPL(in->attr);
}

/* With nested paging the CPU reads the PDPTEs from memory: nothing to do */
static int svm_set_cr(struct vcpu *v, unsigned int cr, u64 value)
{
	struct svm_vcpu *s = svm_of(v);

	if (cr == 0)
		return set_cr0(s, value);
	/* A MOV to CR3 in the guest flushes; so does the new ASID. */
	s->vmcb->cr3 = s->hvm.cr3 = value;
	flush_guest_tlb(s);
	return 0;
}

static u64 svm_get_dr6(struct vcpu *v)
{
	return svm_of(v)->vmcb->dr6;
}

static void svm_set_dr6(struct vcpu *v, u64 value)
{
	svm_of(v)->vmcb->dr6 = value;
}

static u64 svm_get_dr7(struct vcpu *v)
{
	return svm_of(v)->vmcb->dr7;
}

static void svm_set_dr7(struct vcpu *v, u64 value)
{
	svm_of(v)->vmcb->dr7 = value;
}

#define TASK_SWITCH_IRET (1UL << 36)
#define TASK_SWITCH_JMP (1UL << 38)
#define TASK_SWITCH_ERROR_CODE (1UL << 44)
#define EXITINTINFO_TYPE(i) (((i) >> 8) & 7)
#define EXITINTINFO_TYPE_SOFT_INT 4

/*
 * Whether EXITINTINFO is the event that started this switch. Bochs leaves
 * it as it was for an INT n (it records only the events it injects and
 * the exceptions), so it is believed only if its vector's IDT gate is a
 * task gate to the new TSS; and an external interrupt or NMI, which
 * reaches the guest only by our EVENTINJ before its first instruction,
 * only if it is the event injected at this VMRUN, at its RIP.
 */
static bool event_started_switch(struct vcpu *v, const struct svm_vcpu *s)
{
	u64 event = s->vmcb->exitintinfo;
	unsigned int type = EXITINTINFO_TYPE(event);

	if (!(event & EVENTINJ_VALID) ||
	    !hvm_idt_task_gate_to(v, event & 0xff, (u16)s->vmcb->exitinfo1))
		return false;
	if (type == EXITINTINFO_TYPE_SOFT_INT ||
	    type == (EVENTINJ_TYPE_EXCEPTION >> 8))
		return true;
	return (s->entry_event & EVENTINJ_VALID) &&
	       (u32)s->entry_event == (u32)event &&
	       s->entry_rip == s->vmcb->rip;
}

/*
 * INT n, INT3 and INTO (software interrupts, exceptions 3 and 4, APM
 * 15.20) resume past their instruction; other events do not.
 */
static enum hvm_task_source event_source(u64 event)
{
	unsigned int type = EXITINTINFO_TYPE(event), vector = event & 0xff;

	if (type == EXITINTINFO_TYPE_SOFT_INT)
		return HVM_TASK_INT;
	if (type == (EVENTINJ_TYPE_EXCEPTION >> 8) &&
	    (vector == 3 || vector == 4))
		return HVM_TASK_INT;
	return HVM_TASK_GATE;
}

/*
 * EXITINFO1: the new TSS's selector; EXITINFO2: an IRET (bit 36), a JMP
 * (38), an error code to push (44, in bits 31:0). Neither: the event
 * EXITINTINFO holds, delivered through a task gate, or else a far CALL or
 * an INT n the CPU did not record, told apart by the decoder. The intercept has
 * fault semantics: RIP is at the instruction (INT n, INT3 and INTO too,
 * KVM finds the same), so the old task resumes past it.
 */
static void handle_task_switch(struct vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	u64 info2 = vmcb->exitinfo2;
	u64 event = vmcb->exitintinfo;
	enum hvm_task_source source = HVM_TASK_CALL_OR_INT;

	if (info2 & TASK_SWITCH_IRET) {
		source = HVM_TASK_IRET;
	} else if (info2 & TASK_SWITCH_JMP) {
		source = HVM_TASK_JMP;
	} else if (event_started_switch(v, s)) {
		source = event_source(event);
	}
	/* The switch delivers the event (or it was stale): not at VMRUN. */
	if (event & EVENTINJ_VALID)
		vmcb->eventinj = 0;
	hvm_task_switch(v, (u16)vmcb->exitinfo1, source,
			info2 & TASK_SWITCH_ERROR_CODE, (u32)info2);
	vmcb->interrupt_shadow = 0;
}

/*
 * A software interrupt, intercepted only to check that memory holds one
 * (int3_recheck). If it does, it is injected as a software interrupt
 * with RIP past it, so that the CPU delivers it as it would have (the
 * gate's DPL checked; INTO only with OF set). If not, the CPU ran an old
 * copy of the code: it is refreshed and the guest runs the instruction at
 * RIP again, now as memory holds it. A CPU that keeps reporting one
 * there, exit after exit, gets its way: after STALE_SWINT_MAX the guest
 * gets the INT3 the CPU ran, rather than loop for ever.
 */
static void handle_swint(struct vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	unsigned long at = vmcb->cs.base + s->hvm.rip;
	struct hvm_soft_int si;
	int rc = hvm_decode_soft_int(v, vmcb->cs.base, &si);

	if (rc || si.kind == HVM_SOFT_INT_STALE) {
		if (s->stale_rip != s->hvm.rip)
			s->stale_swints = 0;
		s->stale_rip = s->hvm.rip;
		if (++s->stale_swints <= STALE_SWINT_MAX) {
			if (!rc)
				hvm_refresh_stale_code(v, vmcb->cs.base, &si);
			if (!s->stale_seen)
				printk(XENLOG_INFO
				       "d%uv%u: ran an old copy of the code at "
				       "%#lx (a software interrupt where memory "
				       "holds byte %02x): refreshed\n",
				       v->domain->domain_id, v->vcpu_id, at,
				       rc ? 0 : si.first);
			s->stale_seen = true;
			return;
		}
		if (!s->stale_gave_up)
			printk(XENLOG_WARNING
			       "d%uv%u: %u exits in a row for an INT3 at %#lx "
			       "that memory does not hold: delivered\n",
			       v->domain->domain_id, v->vcpu_id,
			       STALE_SWINT_MAX, at);
		s->stale_gave_up = true;
		si = (struct hvm_soft_int){ .kind = HVM_SOFT_INT_INT3,
					    .len = 1,
					    .vector = 3 };
	}
	s->stale_swints = 0;
	s->hvm.rip += si.len;
	vmcb->interrupt_shadow = 0;
	/* INTO traps only with OF set. */
	if (si.kind == HVM_SOFT_INT_INTO && !(s->hvm.rflags & X86_EFLAGS_OF))
		return;
	/*
	 * The CPU pushes the RIP after the instruction: the VMCB's, or with
	 * NRIPS the next RIP.
	 */
	if (has_nrips)
		vmcb->nrip = s->hvm.rip;
	vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_SOFT_INT | si.vector;
}

static void handle_exit(struct vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	u32 code = (u32)vmcb->exitcode;

	/* Stale software interrupts count only one exit after the other. */
	if (code != VMEXIT_SWINT)
		s->stale_swints = 0;
	switch (code) {
	case VMEXIT_INTR:
	case VMEXIT_NMI:
	case VMEXIT_SMI:
		/* Already handled on the host (at STGI). */
		break;
	case VMEXIT_VINTR:
		/* The guest can take the upcall now: EVENTINJ at entry. */
		set_vintr(vmcb, VINTR_MASKING);
		vmcb->intercepts1 &= ~INTERCEPT_VINTR;
		hvm_window_at_hlt(v, vmcb->cs.base);
		break;
	case VMEXIT_CPUID:
		hvm_cpuid(v);
		advance_rip(s, 2);
		break;
	case VMEXIT_SWINT:
		handle_swint(v, s);
		break;
	case VMEXIT_HLT:
		advance_rip(s, 1);
		arch_vcpu_halt(v);
		break;
	case VMEXIT_IOIO:
		handle_ioio(v, s);
		break;
	case VMEXIT_MSR:
		handle_msr(v, s);
		break;
	case VMEXIT_CR0_WRITE:
	case VMEXIT_CR4_WRITE:
		handle_cr_write(v, s, code - VMEXIT_CR0_WRITE);
		break;
	case VMEXIT_XSETBV:
		if (hvm_xsetbv(v, (u32)s->hvm.regs.rcx,
			       (s->hvm.regs.rdx << 32) | (u32)s->hvm.regs.rax))
			advance_rip(s, 3);
		break;
	case VMEXIT_VMMCALL:
		if (hvm_hypercall(v) == HVM_HCALL_completed)
			advance_rip(s, 3);
		break;
	case VMEXIT_NPF:
		handle_npf(v, vmcb);
		break;
	case VMEXIT_SHUTDOWN:
		domain_crash(v->domain, "triple fault (shutdown intercept)");
		break;
	case VMEXIT_EXCEPTION_BASE + 8:
		domain_crash(v->domain, "double fault");
		break;
	case VMEXIT_TASK_SWITCH:
		handle_task_switch(v, s);
		break;
	case VMEXIT_INIT:
	case VMEXIT_VMRUN:
	case 0x82 ... 0x87: /* VMLOAD, VMSAVE, STGI, CLGI, SKINIT, RDTSCP */
	case 0x7a: /* INVLPGA */
		svm_inject_exception(v, 6, -1); /* #UD */
		break;
	case VMEXIT_INVALID:
		domain_crash(v->domain, "VMRUN refused the guest state");
		break;
	default:
		domain_crash(v->domain,
			     "unhandled SVM exit %#x (info1 %lx, "
			     "info2 %lx)",
			     code, (unsigned long)vmcb->exitinfo1,
			     (unsigned long)vmcb->exitinfo2);
		break;
	}
}

/*
 * The next interrupt (hvm/intr.c) goes in by EVENTINJ when the guest can
 * take it: no interrupt shadow, nothing else being injected, and for all
 * but an NMI, RFLAGS.IF. Otherwise a virtual interrupt with the VINTR
 * intercept asks the CPU for an exit as soon as the guest can take it:
 * the upcall with V_IGN_TPR (it ignores the guest's TPR, like Xen's
 * callback vector), a LAPIC vector at its own priority, which also covers
 * one the TPR alone holds back: the exit comes once the guest lowers
 * CR8 (a MOV to CR8 does not exit). A blocked NMI waits for the next
 * exit.
 */
static void svm_deliver_intr(struct vcpu *v, struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;
	struct hvm_intr i = hvm_intr_next(v);
	bool can = !(vmcb->interrupt_shadow & 1) &&
		   !(vmcb->eventinj & EVENTINJ_VALID);
	u64 window;
	int held;

	set_vintr(vmcb, VINTR_MASKING);
	vmcb->intercepts1 &= ~INTERCEPT_VINTR;
	if (i.type == HVM_INTR_NMI) {
		if (can && hvm_intr_ack(v, i))
			vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_NMI |
					 i.vector;
		return;
	}
	if (i.type != HVM_INTR_NONE && can && (s->hvm.rflags & X86_EFLAGS_IF) &&
	    hvm_intr_ack(v, i)) {
		vmcb->eventinj = EVENTINJ_VALID | EVENTINJ_TYPE_INTR | i.vector;
		return;
	}
	if (i.type == HVM_INTR_NONE) {
		held = vlapic_tpr_blocked_vector(v);
		if (held < 0)
			return;
		i.vector = (u8)held;
	}
	window = i.type == HVM_INTR_UPCALL ?
			 VINTR_IGN_TPR | (0xfUL << VINTR_PRIO_SHIFT) :
			 (u64)(i.vector >> 4) << VINTR_PRIO_SHIFT;
	set_vintr(vmcb, VINTR_MASKING | VINTR_IRQ | window |
				((u64)i.vector << VINTR_VECTOR_SHIFT));
	vmcb->intercepts1 |= INTERCEPT_VINTR;
}

static bool svm_event_pending(struct vcpu *v)
{
	return svm_of(v)->vmcb->eventinj & EVENTINJ_VALID;
}

static void svm_run(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_cpu *c = &this_cpu(svm_cpu);

	local_irq_disable();
	if (!vcpu_runnable(v) || need_resched()) {
		local_irq_enable();
		return;
	}
	/* Published before the flush generation is read (hvm.c). */
	__atomic_store_n(&s->hvm.in_guest, true, __ATOMIC_SEQ_CST);
	svm_asid(v, s);
	/* The guest's CR8 is V_TPR: the APIC's TPR in, and back out below. */
	vmcb_set_tpr(s->vmcb, vlapic_get_cr8(v));
	svm_deliver_intr(v, s);
	sync_to_vmcb(s);
	if (int3_recheck && (s->hvm.efer & EFER_LMA))
		s->vmcb->intercepts1 |= INTERCEPT_INTN;
	else
		s->vmcb->intercepts1 &= ~INTERCEPT_INTN;
	s->entry_event = s->vmcb->eventinj;
	s->entry_rip = s->vmcb->rip;
	/* VMRUN loads CR2 from the VMCB, but Bochs 2.7's does not. */
	if (read_cr2() != s->vmcb->cr2)
		write_cr2(s->vmcb->cr2);
	svm_vmrun(s->vmcb_pa, c->host_vmcb_pa, &s->hvm.regs);
	WRITE_ONCE(s->hvm.in_guest, false);
	/* An event the exit interrupted is delivered again next time. */
	s->vmcb->eventinj = s->vmcb->exitintinfo & EVENTINJ_VALID ?
				    s->vmcb->exitintinfo :
				    0;
	local_irq_enable();

	vlapic_set_cr8(v, s->vmcb->vintr & VINTR_TPR_MASK);
	sync_from_vmcb(s);
	handle_exit(v, s);
	sync_to_vmcb(s);
}

static void svm_show_state(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct vmcb *vmcb = s->vmcb;

	printk("d%uv%u: RIP %04x:%016lx RSP %016lx RFLAGS %08lx exit %#lx\n",
	       v->domain->domain_id, v->vcpu_id, vmcb->cs.sel,
	       (unsigned long)vmcb->rip, (unsigned long)vmcb->rsp,
	       (unsigned long)vmcb->rflags, (unsigned long)vmcb->exitcode);
	printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n",
	       (unsigned long)vmcb->rax, s->hvm.regs.rbx, s->hvm.regs.rcx,
	       s->hvm.regs.rdx);
	printk("  cr0 %08lx cr3 %08lx cr4 %08lx efer %08lx info1 %lx info2 "
	       "%lx\n",
	       (unsigned long)vmcb->cr0, (unsigned long)vmcb->cr3,
	       (unsigned long)vmcb->cr4, (unsigned long)vmcb->efer,
	       (unsigned long)vmcb->exitinfo1, (unsigned long)vmcb->exitinfo2);
}

/* Nested walks set A in the nested tables as host walks do (APM 15.25) */
static bool svm_npt_accessed_bits(void)
{
	return true;
}

static const struct hvm_function_table svm_funcs = {
	.name = "SVM with nested paging",
	.p2m_format = P2M_FORMAT_NPT,
	.p2m_accessed_bits = svm_npt_accessed_bits,
	.cpu_up = svm_cpu_up,
	.vcpu_init = svm_vcpu_init,
	.vcpu_reset = svm_vcpu_reset,
	.vcpu_destroy = svm_vcpu_destroy,
	.run = svm_run,
	.show_state = svm_show_state,
	.event_pending = svm_event_pending,
	.inject_exception = svm_inject_exception,
	.get_segment = svm_get_segment,
	.set_segment = svm_set_segment,
	.set_cr = svm_set_cr,
	.get_dr6 = svm_get_dr6,
	.set_dr6 = svm_set_dr6,
	.get_dr7 = svm_get_dr7,
	.set_dr7 = svm_set_dr7,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 }, /* vmmcall */
	.switches_cr2_dr6_syscall = true,
};

/*
 * MSRs the guest reads and writes itself: VMLOAD and VMSAVE switch them
 * with the VMCB (two bits per MSR, read then write, in three ranges).
 */
static void msr_passthrough(u32 msr)
{
	static const u32 range_base[] = { 0, 0xc0000000, 0xc0010000 };
	unsigned int i, bit;

	for (i = 0; i < ARRAY_SIZE(range_base); i++) {
		if (msr - range_base[i] >= 0x2000)
			continue;
		bit = i * 0x800 * 8 + (msr - range_base[i]) * 2;
		__clear_bit(bit, (unsigned long *)msrpm);
		__clear_bit(bit + 1, (unsigned long *)msrpm);
		return;
	}
}

static void msrpm_init(void)
{
	static const u32 switched[] = {
		MSR_FS_BASE,	  MSR_GS_BASE,	   MSR_KERNEL_GS_BASE,
		MSR_STAR,	  MSR_LSTAR,	   MSR_CSTAR,
		MSR_SFMASK,	  MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
		MSR_SYSENTER_EIP,
	};
	unsigned int i;

	memset(msrpm, 0xff, PAGE_SIZE << MSRPM_ORDER);
	for (i = 0; i < ARRAY_SIZE(switched); i++)
		msr_passthrough(switched[i]);
}

const struct hvm_function_table *svm_probe(void)
{
	struct cpuid_regs r;

	if (cpuid(0x80000000).eax < CPUID_SVM_FEATURES ||
	    !(cpuid(0x80000001).ecx & (1u << 2)))
		return NULL;
	r = cpuid(CPUID_SVM_FEATURES);
	if (!(r.edx & SVM_FEATURE_NPT))
		return NULL;
	nr_asids = r.ebx;
	has_nrips = r.edx & SVM_FEATURE_NRIPS;
	iopm = alloc_xenheap_pages(IOPM_ORDER, 0);
	msrpm = alloc_xenheap_pages(MSRPM_ORDER, 0);
	if (!iopm || !msrpm || nr_asids < 2)
		return NULL;
	memset(iopm, 0xff, PAGE_SIZE << IOPM_ORDER);
	msrpm_init();
	int3_recheck = opt_int3_recheck && !has_nrips;
	printk("SVM: %u ASIDs, NRIPS %s, flush by ASID %s, INT3 recheck %s\n",
	       nr_asids, has_nrips ? "yes" : "no",
	       r.edx & SVM_FEATURE_FLUSH_BY_ASID ? "yes" : "no",
	       int3_recheck ? "on" : "off");
	return &svm_funcs;
}
