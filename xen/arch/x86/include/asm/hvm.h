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

/* Guest registers the hardware does not keep in the VMCB/VMCS. */
struct hvm_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
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
	/* Brought down by VCPUOP_down: sleeps on down_wq until VCPUOP_up. */
	bool down;
	struct waitqueue_head down_wq;
};

static inline struct hvm_vcpu *hvm_of(struct vcpu *v)
{
	return v->hvm;
}

struct hvm_function_table {
	const char *name;
	/* The p2m format this vendor's nested paging walks. */
	const struct p2m_backend_ops *p2m_ops;
	/* Per-CPU enable (VMXON / EFER.SVME and host save area). */
	int (*cpu_up)(void);
	int (*vcpu_init)(struct vcpu *v, const struct hvm_vcpu *start);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Enter the guest; returns after one VM exit has been handled. */
	void (*run)(struct vcpu *v);
	void (*show_state)(struct vcpu *v);
	/* An interrupt is waiting to be delivered to the guest. */
	bool (*event_pending)(struct vcpu *v);
	/* Deliver an exception to the guest at its next entry. */
	void (*inject_exception)(struct vcpu *v, unsigned int vector,
				 int error_code);
	/* The hypercall instruction (VMCALL or VMMCALL), for the stubs. */
	u8 hypercall_insn[3];
};

extern const struct hvm_function_table *hvm_funcs;

/* Vendor probes: the backend if this CPU can run guests, else NULL. */
const struct hvm_function_table *svm_probe(void);
const struct hvm_function_table *vmx_probe(void);

/* Detect SVM or VMX on the boot CPU (0 or -ENODEV) and enable this CPU. */
int hvm_init(void);
int hvm_cpu_up(void);
bool hvm_enabled(void);

int hvm_domain_init(struct domain *d, unsigned long max_gfn);
void hvm_domain_destroy(struct domain *d);
/* Give v vendor state starting at start's rip, regs, cr3, entry mode. */
int hvm_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start);
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

void hvm_hlt(struct vcpu *v);
/* An interrupt window opened: a HLT at RIP completes first (exits.c). */
void hvm_window_at_hlt(struct vcpu *v, unsigned long cs_base);
/* Raise v's event upcall (its vector is delivered at the next entry). */
void hvm_raise_upcall(struct vcpu *v);
/* Nested page fault / EPT violation at gpa; crashes the domain if fatal. */
void hvm_nested_fault(struct vcpu *v, paddr_t gpa, bool write, bool fetch);
int hvm_rdmsr(struct vcpu *v, u32 msr, u64 *val);
int hvm_wrmsr(struct vcpu *v, u32 msr, u64 val);

/* hvm_op set_param and get_param (hvm/params.c). */
long hvm_set_param(struct vcpu *v, unsigned long arg, bool compat);
long hvm_get_param(struct vcpu *v, unsigned long arg);

/* Guest memory (hvm/guest_access.c): 0 or -EFAULT. */
int hvm_copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
			   size_t len);
int hvm_copy_to_guest_phys(struct domain *d, paddr_t gpa, const void *src,
			   size_t len);
int hvm_clear_guest_phys(struct domain *d, paddr_t gpa, size_t len);

#endif
