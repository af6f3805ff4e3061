/*
 * The common HVM layer: what the rest of the hypervisor asks of hardware
 * virtualisation, implemented by a vendor backend (SVM or VMX) chosen at
 * boot.
 */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <xen/guest-copy.h>
#include <xen/sched.h>
#include <xen/wait.h>
#include <asm/p2m.h>
#include <asm/processor.h>

/* Guest registers the hardware does not keep in the VMCB/VMCS. */
struct hvm_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * Guest state neither the VMCB nor the VMCS switches (extra_state.c):
 * saved when the vCPU is switched out and loaded when it is switched in,
 * whatever runs in between, so no other vCPU (nor the host) sees it. While
 * the vCPU runs, including its exit handlers, the CPU holds the live
 * values; these copies are only current while it is switched out.
 */
struct hvm_extra_state {
	void *fpu; /* x87, SSE, AVX...: asm/xstate.h */
	u64 xcr0;
	u64 dr[4]; /* DR0-DR3 */
	/* Only where the vendor does not switch them (VMX): */
	u64 dr6, cr2;
	u64 kernel_gs_base, star, lstar, cstar, sfmask;
	/* No vendor switches it. */
	u64 tsc_aux;
};

/* The guest's MTRRs (msr_platform.c): what it wrote, checked. */
#define HVM_MTRR_VAR 8
struct hvm_mtrr {
	u64 def_type;
	u64 fixed[11]; /* 64K_00000, 16K_80000, 16K_A0000, 4K_C0000... */
	u64 var[2 * HVM_MTRR_VAR]; /* PHYSBASE0, PHYSMASK0, ... */
};

/*
 * Vendor-neutral guest state, first in every vendor's vCPU structure. At
 * each exit the vendor code copies rip..efer in; after the handlers ran it
 * copies rip, rsp, rflags and rax back.
 */
struct hvm_vcpu {
	struct hvm_regs regs; /* the entry code uses these offsets */
	u64 rip, rsp, rflags;
	u64 cr0, cr3, cr4, efer;
	bool long_mode; /* executing 64-bit code */
	unsigned int cpl;
	/* The p2m flush generation this vCPU's TLB state reflects. */
	unsigned long flush_gen_seen;
	/* Between entering and leaving the guest (read by remote flushes). */
	bool in_guest;
	/* Start state, applied by the vendor at its first entry. */
	bool entry_64bit;
	/* Or real mode at entry_cs:rip (CS base entry_cs << 4): a SIPI's. */
	bool entry_real;
	u16 entry_cs;
	/* Brought down by VCPUOP_down: sleeps on down_wq until VCPUOP_up. */
	bool down;
	/*
	 * No start state yet (a PVH image's secondary vCPUs start so): down
	 * as well, until VCPUOP_initialise or INIT/SIPI gives it one.
	 */
	bool unstarted;
	struct waitqueue_head down_wq;
	struct hvm_extra_state extra;
	struct vlapic *vlapic; /* asm/vlapic.h */
	struct hvm_mtrr mtrr;
};

static inline struct hvm_vcpu *hvm_of(struct vcpu *v)
{
	return v->hvm;
}

/*
 * Segment registers, numbered as instructions encode them (the first
 * HVM_NR_SEGS), then the system ones, in the order VMX numbers its fields.
 */
enum hvm_seg {
	HVM_SEG_ES,
	HVM_SEG_CS,
	HVM_SEG_SS,
	HVM_SEG_DS,
	HVM_SEG_FS,
	HVM_SEG_GS,
	HVM_NR_SEGS,
	HVM_SEG_LDTR = HVM_NR_SEGS,
	HVM_SEG_TR,
	HVM_SEG_GDTR, /* base and limit only */
	HVM_SEG_IDTR, /* base and limit only */
};

/*
 * A segment register with its hidden part. attr holds the descriptor's
 * bits 40-47 (type, S, DPL, P) in bits 0-7 and its bits 52-55 (AVL, L,
 * D/B, G) in bits 8-11, as the VMCB keeps them; a null or unusable
 * register has P clear. limit is in bytes (G already applied).
 */
struct hvm_segment {
	u16 sel;
	u16 attr;
	u32 limit;
	u64 base;
};

#define HVM_SEG_ATTR_S (1u << 4)
#define HVM_SEG_ATTR_DPL(a) (((a) >> 5) & 3)
#define HVM_SEG_ATTR_P (1u << 7)
#define HVM_SEG_ATTR_D (1u << 10)
#define HVM_SEG_ATTR_G (1u << 11)

struct hvm_function_table {
	const char *name;
	/* The p2m format this vendor's nested paging walks. */
	enum p2m_format p2m_format;
	/* Does this CPU set the accessed bits of that format's leaves? */
	bool (*p2m_accessed_bits)(void);
	/* Per-CPU enable (VMXON / EFER.SVME and host save area). */
	int (*cpu_up)(void);
	int (*vcpu_init)(struct vcpu *v, const struct hvm_vcpu *start);
	/* Load the start state now in v's hvm_vcpu (v is stopped). */
	void (*vcpu_reset)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Enter the guest; returns after one VM exit has been handled. */
	void (*run)(struct vcpu *v);
	void (*show_state)(struct vcpu *v);
	/* An interrupt is waiting to be delivered to the guest. */
	bool (*event_pending)(struct vcpu *v);
	/* Deliver an exception to the guest at its next entry. */
	void (*inject_exception)(struct vcpu *v, unsigned int vector,
				 int error_code);
	/*
	 * Guest state the task-switch emulation (task_switch.c) reads and
	 * writes beyond struct hvm_vcpu, while v runs its exit handler.
	 * Segment registers of every kind (enum hvm_seg); CR0 and CR3 (set_cr:
	 * the value was checked, and is what MOV to CR would load; the
	 * vendor flushes the translations it changes and keeps hvm_vcpu's
	 * copy in step; 0, or -EFAULT if CR3's PAE PDPTEs, which VMX loads
	 * from the VMCS, cannot be read); DR6 and DR7.
	 */
	void (*get_segment)(struct vcpu *v, enum hvm_seg seg,
			    struct hvm_segment *s);
	void (*set_segment)(struct vcpu *v, enum hvm_seg seg,
			    const struct hvm_segment *s);
	int (*set_cr)(struct vcpu *v, unsigned int cr, u64 value);
	u64 (*get_dr6)(struct vcpu *v);
	void (*set_dr6)(struct vcpu *v, u64 value);
	u64 (*get_dr7)(struct vcpu *v);
	void (*set_dr7)(struct vcpu *v, u64 value);
	/* The hypercall instruction (VMCALL or VMMCALL), for the stubs. */
	u8 hypercall_insn[3];
	/*
	 * The VMCB/VMCS switches CR2, DR6 and the SYSCALL MSRs (SVM's VMLOAD
	 * and VMSAVE); otherwise extra_state.c does (VMX).
	 */
	bool switches_cr2_dr6_syscall;
};

extern const struct hvm_function_table *hvm_funcs;

/* Vendor probes: the backend if this CPU can run guests, else NULL. */
const struct hvm_function_table *svm_probe(void);
const struct hvm_function_table *vmx_probe(void);

/* Detect SVM or VMX on the boot CPU (0 or -ENODEV) and enable this CPU. */
int hvm_init(void);
int hvm_cpu_up(void);
bool hvm_enabled(void);

/* The guest's MAXPHYADDR: CPUID leaf 0x80000008 reaches it unchanged. */
unsigned int hvm_guest_maxphyaddr(void);

/*
 * d's p2m takes every gfn below the guest's MAXPHYADDR; ram_gfns (its RAM,
 * and room for foreign mappings in the control domain) get a range lock
 * each, the sparse gfns above share one. 0 or -errno.
 */
int hvm_domain_init(struct domain *d, unsigned long ram_gfns);
void hvm_domain_destroy(struct domain *d);
/*
 * Give v vendor state starting at start's rip, rsp, rflags, regs, cr3 and
 * entry mode (entry_64bit: long mode on the page tables at cr3; else
 * 32-bit protected mode, paging off, flat segments).
 */
int hvm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start);
/*
 * The CS selector of a protected-mode start, data segments the next one:
 * 32-bit, the Linux boot protocol's __BOOT_CS and __BOOT_DS (0x10, 0x18;
 * PVH leaves them open); 64-bit, 0x08 and 0x10. No GDT is loaded: the
 * kernel loads its own before it reloads a segment.
 */
static inline u16 hvm_boot_cs(bool long_mode)
{
	return long_mode ? 0x08 : 0x10;
}
/* The same for a vCPU that has vendor state: v must be off every CPU. */
void hvm_vcpu_reset(struct vcpu *v, const struct hvm_vcpu *start);
void hvm_vcpu_destroy(struct vcpu *v);
void hvm_vcpu_show_state(struct vcpu *v);
/* The entry of every guest vCPU: run the guest until the domain stops. */
void hvm_vcpu_loop(struct vcpu *v);

/* Exit handlers shared by the vendors (hvm/exits.c). */
void hvm_cpuid(struct vcpu *v);
/* Port I/O of size bytes; *val is read (out) or filled (in). */
void hvm_portio(struct vcpu *v, u16 port, unsigned int size, bool in, u32 *val);

/*
 * A hypercall at the guest's RIP (hvm/hypercall.c). Completed: the vendor
 * code moves RIP past the instruction. Preempted (a continuation): RIP
 * stays, so the guest executes it again with its updated arguments.
 */
enum hvm_hcall_result { HVM_HCALL_completed, HVM_HCALL_preempted };
enum hvm_hcall_result hvm_hypercall(struct vcpu *v);

/* The MSR CPUID leaf 0x40000002 names: its WRMSR installs the page. */
#define HVM_HYPERCALL_PAGE_MSR 0x40000000
/* Fill the guest page at gpa with the hypercall stubs (hypercall_page.c) */
int hvm_write_hypercall_page(struct vcpu *v, u64 gpa);

/* An interrupt window opened: a HLT at RIP completes first (exits.c). */
void hvm_window_at_hlt(struct vcpu *v, unsigned long cs_base);
/* A nested page fault (SVM) or EPT violation (VMX), as one record. */
struct hvm_fault {
	paddr_t gpa; /* the guest-physical byte accessed */
	unsigned long gla; /* the linear address, when gla_valid */
	bool gla_valid;
	unsigned int access; /* P2M_R, P2M_W, P2M_X: what the access needed */
	enum {
		HVM_FAULT_NOT_PRESENT, /* no translation of the gpa at all */
		HVM_FAULT_DENIED, /* a translation without those rights */
	} kind;
	bool in_guest_walk; /* while the CPU walked the guest's own tables */
	/* While delivering an event (the access is not the instruction's) */
	bool in_event_delivery;
	/* For emulating the access (asm/hvm_mmio.h): the segment bases, */
	unsigned long seg_base[HVM_NR_SEGS];
	bool cs_d; /* and CS.D (32-bit code, outside long mode) */
};

/* Handle fault f; crashes the domain if the guest cannot go on. */
void hvm_nested_fault(struct vcpu *v, const struct hvm_fault *f);
/* The MSRs common to both vendors: 0, or -1 for #GP. */
int hvm_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int hvm_wrmsr(struct vcpu *v, u32 msr, u64 val);

/* The general-purpose register n, numbered as in ModRM (4 is RSP). */
u64 *hvm_gpr(struct hvm_vcpu *h, unsigned int n);

/*
 * The legacy prefixes (segment overrides, operand and address size, LOCK,
 * REP), for the decoders of decode_cr.c and decode_task.c.
 */
static inline bool hvm_is_legacy_prefix(u8 b)
{
	switch (b) {
	case 0x26:
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
	case 0x66:
	case 0x67:
	case 0xf0:
	case 0xf2:
	case 0xf3:
		return true;
	}
	return false;
}

/*
 * A software interrupt an intercept reported (soft_int.c): what the bytes
 * at CS:RIP hold. STALE: no software interrupt (memory holds another
 * instruction, or INTO in 64-bit mode), so the CPU ran an old copy of the
 * code; first is the byte at CS:RIP.
 */
struct hvm_soft_int {
	enum {
		HVM_SOFT_INT_INT3,
		HVM_SOFT_INT_INTO,
		HVM_SOFT_INT_N,
		HVM_SOFT_INT_STALE,
	} kind;
	unsigned int len; /* with its prefixes */
	u8 vector;
	u8 first;
};
/* Decode the one at v's RIP: 0, or -EFAULT (a byte not readable). */
int hvm_decode_soft_int(struct vcpu *v, unsigned long cs_base,
			struct hvm_soft_int *si);
/*
 * For STALE: write si->first back at CS:RIP as it is, so that an emulator
 * drops its old copy of the code there (hvm_rewrite_guest_virt_byte).
 */
int hvm_refresh_stale_code(struct vcpu *v, unsigned long cs_base,
			   const struct hvm_soft_int *si);

/* An instruction that reads or writes a control register (decode_cr.c). */
struct hvm_cr_insn {
	enum { HVM_CR_MOV_TO, HVM_CR_MOV_FROM, HVM_CR_CLTS, HVM_CR_LMSW } op;
	unsigned int len;
	unsigned int cr; /* MOV */
	unsigned int gpr; /* MOV, and LMSW from a register */
	bool mem; /* LMSW from memory (its operand is not decoded) */
};
/* Decode the one at v's RIP: 0, -EFAULT (not readable), -EINVAL (other) */
int hvm_decode_cr_insn(struct vcpu *v, unsigned long cs_base,
		       struct hvm_cr_insn *insn);

/*
 * task_switch.c: a hardware task switch the guest started and the CPU
 * left to us (a VMX exit, an SVM intercept), done as the CPU does it for
 * a 32-bit TSS (SDM vol. 3, 7.3), RIP at the instruction or event that
 * started it. source says what: a far CALL or JMP (to a TSS or a task
 * gate), an IRET with NT set, an exception or external interrupt (or
 * NMI) through a task gate in the IDT (GATE: the old task resumes at
 * RIP), or INT n, INT3, INTO or INT1 through one (INT: it resumes after
 * the instruction). An exception's error code is pushed on the new
 * task's stack. A check that fails injects the fault the CPU raises; a TSS
 * nothing emulates (16-bit, virtual-8086, in long mode) or guest memory
 * that cannot be read or written crashes the domain with a message.
 */
enum hvm_task_source {
	HVM_TASK_CALL,
	HVM_TASK_IRET,
	HVM_TASK_JMP,
	HVM_TASK_GATE,
	HVM_TASK_INT,
	/* A far CALL or a software interrupt: whichever is at CS:RIP. */
	HVM_TASK_CALL_OR_INT,
};
void hvm_task_switch(struct vcpu *v, u16 selector, enum hvm_task_source source,
		     bool has_error_code, u32 error_code);
/* Whether v's IDT gate for vector is a task gate to the TSS at selector. */
bool hvm_idt_task_gate_to(struct vcpu *v, unsigned int vector, u16 selector);

/*
 * decode_task.c: the instruction at CS:RIP that started a task switch
 * from source (CALL, JMP, IRET, INT, or CALL_OR_INT: either of those
 * two): 0 with its length and, for INT n,
 * INT3 and INTO, the vector whose gate it went through (else -1);
 * -EFAULT (its bytes cannot be read) or -EINVAL (not such an instruction).
 */
struct hvm_task_insn {
	unsigned int len;
	int vector;
};
int hvm_decode_task_insn(struct vcpu *v, const struct hvm_segment *cs,
			 enum hvm_task_source source,
			 struct hvm_task_insn *insn);

/* cpu_policy.c: what guests are offered, read once at boot. */
struct hvm_guest_caps {
	u64 cr4; /* CR4 bits a guest may set */
	u64 efer; /* EFER bits a guest may set (LMA is the CPU's) */
	u64 xcr0; /* XCR0 components (0: XSETBV not offered) */
	bool tsc_aux; /* TSC_AUX exists (RDTSCP or RDPID) */
};
extern struct hvm_guest_caps hvm_guest_caps;
void hvm_guest_caps_init(void);
/* Edit the host's CPUID answer r into what h's guest sees. */
void hvm_cpuid_policy(const struct hvm_vcpu *h, u32 leaf, u32 sub,
		      struct cpuid_regs *r);
/* Then the leaves that name v: its APIC ID and the x2APIC topology. */
void hvm_cpuid_topology(const struct vcpu *v, u32 leaf, u32 sub,
			struct cpuid_regs *r);
/* Whether h may load value (0) or takes #GP (-EINVAL). */
int hvm_check_cr0(const struct hvm_vcpu *h, u64 value);
int hvm_check_cr4(const struct hvm_vcpu *h, u64 value);
int hvm_check_efer(const struct hvm_vcpu *h, u64 value);
int hvm_check_xcr0(u64 value);
/* CR0 as the CPU loads it: undefined bits dropped, ET set. */
u64 hvm_cr0_canonical(u64 value);

/* extra_state.c: see struct hvm_extra_state. */
int hvm_extra_init(struct hvm_vcpu *h);
void hvm_extra_destroy(struct hvm_vcpu *h);
void hvm_extra_save(struct hvm_vcpu *h);
void hvm_extra_load(const struct hvm_vcpu *h);
/* MSRs kept in the extra state: 1 if msr is not one, else 0 or -1 (#GP). */
int hvm_extra_rdmsr(struct hvm_vcpu *h, u32 msr, u64 *val);
int hvm_extra_wrmsr(struct hvm_vcpu *h, u32 msr, u64 val);
/*
 * msr_platform.c: the MTRRs and the other registers a kernel touches
 * early, answered as Xen answers. 1 if msr is not one, else 0 or -1 (#GP).
 */
void hvm_mtrr_init(struct hvm_mtrr *m);
int hvm_platform_rdmsr(struct hvm_vcpu *h, u32 msr, u64 *val);
int hvm_platform_wrmsr(struct hvm_vcpu *h, u32 msr, u64 val);
/*
 * vuart.c: the domain's COM1. Port I/O to it (true if port is one of its
 * eight); init (0 or -ENOMEM) and destroy with the domain's HVM state.
 */
int hvm_uart_init(struct domain *d);
void hvm_uart_destroy(struct domain *d);
bool hvm_uart_io(struct vcpu *v, u16 port, unsigned int size, bool in,
		 u32 *val);
/*
 * Console input for d (it has the focus) into its receive FIFO, as much
 * as fits: false if the guest is not receiving (DTR down, or loopback),
 * so the input should go elsewhere. The console-input poll's (CPU0).
 */
bool hvm_uart_receive(struct domain *d);
/* acpi_sleep.c: port I/O to the ACPI sleep registers (true if it was). */
bool hvm_acpi_sleep_io(struct vcpu *v, u16 port, unsigned int size, bool in,
		       u32 *val);

/*
 * XSETBV at the guest's RIP: true if it completed (the vendor moves RIP
 * on); false if an exception was injected instead.
 */
bool hvm_xsetbv(struct vcpu *v, u32 index, u64 value);

/*
 * vcpu_context.c: a tools' register context (public/hvm_vcpu.h) as a
 * start state (0, or -EINVAL for a state the vendors cannot start in),
 * and a stopped vCPU's registers as a context.
 */
struct vcpu_hvm_context;
int hvm_context_to_start(const struct vcpu_hvm_context *c,
			 struct hvm_vcpu *start);
void hvm_context_from_vcpu(const struct hvm_vcpu *h,
			   struct vcpu_hvm_context *c);

/* hvm_op set_param and get_param (hvm/params.c). */
long hvm_set_param(struct vcpu *v, unsigned long arg, bool compat);
long hvm_get_param(struct vcpu *v, unsigned long arg);

/*
 * Guest memory (hvm/guest_access.c): 0 or -EFAULT. Guest-virtual copies
 * are <xen/guest-copy.h>'s.
 */
int hvm_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src,
			   size_t len);
int hvm_copy_from_guest_phys(struct domain *d, void *dst, paddr_t gpa,
			     size_t len);
/*
 * Compare-and-exchange the byte at v's guest-virtual gva with itself: if
 * it still holds val, store val there again. The guest sees no change;
 * a CPU emulator that tracks writes to code drops its translations of
 * it. 0 if it held val, -EAGAIN if it held another (someone wrote it
 * meanwhile), -EFAULT if the byte is not readable RAM.
 */
int hvm_rewrite_guest_virt_byte(struct vcpu *v, unsigned long gva, u8 val);
int hvm_clear_guest_phys(struct domain *d, paddr_t gpa, size_t len);

#endif
