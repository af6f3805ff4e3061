/*
 * Intel VMX hardware definitions (SDM vol. 3, chapters 24-27 and
 * appendices A-C): capability MSRs, VMCS field encodings, control bits,
 * exit reasons, and the VMX instructions. Only what this backend uses.
 */
#ifndef HVM_VMX_VMCS_H
#define HVM_VMX_VMCS_H

/* VMCS field encodings (appendix B). */
#define VMCS_VPID 0x0000
#define VMCS_GUEST_ES_SEL 0x0800 /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 */
#define VMCS_HOST_ES_SEL 0x0c00
#define VMCS_HOST_CS_SEL 0x0c02
#define VMCS_HOST_SS_SEL 0x0c04
#define VMCS_HOST_DS_SEL 0x0c06
#define VMCS_HOST_FS_SEL 0x0c08
#define VMCS_HOST_GS_SEL 0x0c0a
#define VMCS_HOST_TR_SEL 0x0c0c
#define VMCS_EPTP 0x201a
#define VMCS_GUEST_PHYS_ADDR 0x2400
#define VMCS_GUEST_LINEAR_ADDR 0x640a
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_DEBUGCTL 0x2802
#define VMCS_GUEST_EFER 0x2806
#define VMCS_GUEST_PDPTE0 0x280a /* PDPTE0-3: +2 */
#define VMCS_HOST_EFER 0x2c02
#define VMCS_PIN_CTLS 0x4000
#define VMCS_PREEMPT_TIMER 0x482e
#define VMCS_PROC_CTLS 0x4002
#define VMCS_EXCEPTION_BITMAP 0x4004
#define VMCS_CR3_TARGET_COUNT 0x400a
#define VMCS_EXIT_CTLS 0x400c
#define VMCS_EXIT_MSR_STORE_COUNT 0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_ENTRY_CTLS 0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_ENTRY_INTR_INFO 0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR 0x4018
#define VMCS_ENTRY_INSN_LEN 0x401a
#define VMCS_PROC_CTLS2 0x401e
#define VMCS_INSN_ERROR 0x4400
#define VMCS_EXIT_REASON 0x4402
#define VMCS_EXIT_INTR_INFO 0x4404
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERROR 0x440a
#define VMCS_EXIT_INSN_LEN 0x440c
#define VMCS_GUEST_ES_LIMIT 0x4800 /* ES .. TR as the selectors, GDTR, IDTR */
#define VMCS_GUEST_ES_AR 0x4814 /* ES .. TR as the selectors */
#define VMCS_GUEST_CS_AR 0x4816
#define VMCS_GUEST_SS_AR 0x4818
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY 0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_HOST_SYSENTER_CS 0x4c00
#define VMCS_CR0_MASK 0x6000
#define VMCS_CR4_MASK 0x6002
#define VMCS_CR0_SHADOW 0x6004
#define VMCS_CR4_SHADOW 0x6006
#define VMCS_EXIT_QUALIFICATION 0x6400
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_ES_BASE 0x6806 /* ES .. TR as the selectors, GDTR, IDTR */
#define VMCS_GUEST_CS_BASE 0x6808
#define VMCS_GUEST_DR7 0x681a
#define VMCS_GUEST_RSP 0x681c
#define VMCS_GUEST_RIP 0x681e
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DBG 0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0 0x6c00
#define VMCS_HOST_CR3 0x6c02
#define VMCS_HOST_CR4 0x6c04
#define VMCS_HOST_FS_BASE 0x6c06
#define VMCS_HOST_GS_BASE 0x6c08
#define VMCS_HOST_TR_BASE 0x6c0a
#define VMCS_HOST_GDTR_BASE 0x6c0c
#define VMCS_HOST_IDTR_BASE 0x6c0e
#define VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMCS_HOST_RSP 0x6c14
#define VMCS_HOST_RIP 0x6c16

/* Guest segment registers, in the order of their encodings. */
#define SEG_ES 0
#define SEG_CS 1
#define SEG_SS 2
#define SEG_DS 3
#define SEG_FS 4
#define SEG_GS 5
#define SEG_LDTR 6
#define SEG_TR 7
#define SEG_GDTR 8 /* limit and base only */
#define SEG_IDTR 9

#ifndef __ASSEMBLY__

#include <xen/compiler.h>
#include <xen/types.h>

/* Capability MSRs (appendix A). */
#define MSR_FEATURE_CONTROL 0x3a
#define FEATURE_CONTROL_LOCKED (1UL << 0)
#define FEATURE_CONTROL_VMXON (1UL << 2) /* outside SMX */
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_MISC 0x485
#define VMX_BASIC_REVISION(b) ((u32)(b)&0x7fffffffu)
#define VMX_BASIC_VMCS_SIZE(b) (((b) >> 32) & 0x1fff)
#define VMX_BASIC_32BIT_ADDR (1UL << 48)
#define VMX_BASIC_MEMTYPE(b) (((b) >> 50) & 0xf)
#define VMX_BASIC_TRUE_CTLS (1UL << 55)
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED_CTLS2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_VMX_TRUE_ENTRY_CTLS 0x490

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_WALK_4 (1UL << 6)
#define EPT_CAP_WB (1UL << 14)
#define EPT_CAP_2M (1UL << 16)
#define EPT_CAP_1G (1UL << 17)
#define EPT_CAP_INVEPT (1UL << 20)
#define EPT_CAP_AD (1UL << 21) /* accessed and dirty flags */
#define EPT_CAP_INVEPT_SINGLE (1UL << 25)
#define EPT_CAP_INVEPT_ALL (1UL << 26)
#define VPID_CAP_INVVPID (1UL << 32)
#define VPID_CAP_INVVPID_SINGLE (1UL << 41)
#define VPID_CAP_INVVPID_ALL (1UL << 42)

/* EPT pointer: write-back, 4-level walk; bit 6 enables A/D flags. */
#define EPTP_WB_4LEVEL ((3UL << 3) | 6)
#define EPTP_AD (1UL << 6)

/* Pin-based controls. */
#define PIN_EXT_INTR_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_PREEMPT_TIMER (1u << 6)
/* Primary processor-based controls. */
#define PROC_INTR_WINDOW_EXITING (1u << 2)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_UNCOND_IO_EXITING (1u << 24)
#define PROC_SECONDARY (1u << 31)
/* Secondary processor-based controls. */
#define PROC2_EPT (1u << 1)
#define PROC2_RDTSCP (1u << 3)
#define PROC2_VPID (1u << 5)
#define PROC2_UNRESTRICTED (1u << 7)
#define PROC2_INVPCID (1u << 12)
/* VM-exit controls. */
#define EXIT_HOST_64BIT (1u << 9)
#define EXIT_SAVE_EFER (1u << 20)
#define EXIT_LOAD_EFER (1u << 21)
/* VM-entry controls. */
#define ENTRY_IA32E_GUEST (1u << 9)
#define ENTRY_LOAD_EFER (1u << 15)

/* Interruption information (entry, exit, IDT vectoring). */
#define INTR_INFO_VECTOR(i) ((i)&0xff)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7)
#define INTR_TYPE_EXT_INTR 0
#define INTR_TYPE_NMI 2
#define INTR_TYPE_HW_EXCEPTION 3
#define INTR_TYPE_SW_INTR 4
#define INTR_TYPE_PRIV_SW_EXCEPTION 5
#define INTR_TYPE_SW_EXCEPTION 6
#define INTR_INFO_DELIVER_ERROR (1u << 11)
#define INTR_INFO_VALID (1u << 31)
/* The bits an IDT-vectoring event keeps when it is injected again. */
#define INTR_INFO_REINJECT_MASK (INTR_INFO_VALID | 0xfffu)

/* Guest interruptibility state. */
#define BLOCKING_BY_STI (1u << 0)
#define BLOCKING_BY_MOV_SS (1u << 1)
#define BLOCKING_BY_NMI (1u << 3)

/* Segment access rights (the descriptor's bits 40-55, bit 16 unusable). */
#define AR_CODE32 0xc09b
#define AR_CODE64 0xa09b
#define AR_DATA32 0xc093
#define AR_CODE16 0x009b /* real mode: 16-bit, accessed */
#define AR_DATA16 0x0093
#define AR_TSS_BUSY 0x008b
#define AR_UNUSABLE 0x10000
#define AR_DPL(ar) (((ar) >> 5) & 3)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)

/* Basic exit reasons (appendix C); bit 31 marks a failed VM entry. */
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXT_INTR 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INTR_WINDOW 7
#define EXIT_REASON_TASK_SWITCH 9
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_HLT 12
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19 /* 19-27: VMX instructions */
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_IO 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_BAD_GUEST_STATE 33
#define EXIT_REASON_MSR_LOADING 34
#define EXIT_REASON_MACHINE_CHECK 41
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_PREEMPT_TIMER 52
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_BASIC(r) ((r)&0xffff)
#define EXIT_REASON_ENTRY_FAILED (1u << 31)

/* Exit qualifications. */
#define IO_QUAL_SIZE(q) (((q)&7) + 1)
#define IO_QUAL_IN (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_PORT(q) ((u16)((q) >> 16))
#define CR_QUAL_CR(q) ((q)&0xf)
#define CR_QUAL_TYPE(q) (((q) >> 4) & 3) /* 0: MOV to CR, 1: from */
#define CR_QUAL_GPR(q) (((q) >> 8) & 0xf)
#define EPT_QUAL_WRITE (1u << 1)
#define EPT_QUAL_FETCH (1u << 2)
#define EPT_QUAL_ENTRY_RWX (7u << 3)
#define EPT_QUAL_GLA_VALID (1u << 7)
#define EPT_QUAL_FINAL (1u << 8)

#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXT 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXT 2

/* A VMX instruction failed where it never should: a hypervisor bug. */
__noreturn void vmx_insn_failed(const char *insn, unsigned long operand);

static inline bool vmxon(paddr_t region)
{
	bool fail;

	__asm__ __volatile__("vmxon %[pa]"
			     : "=@ccbe"(fail)
			     : [pa] "m"(region)
			     : "memory");
	return !fail;
}

static inline void vmclear(paddr_t vmcs)
{
	bool fail;

	__asm__ __volatile__("vmclear %[pa]"
			     : "=@ccbe"(fail)
			     : [pa] "m"(vmcs)
			     : "memory");
	if (unlikely(fail))
		vmx_insn_failed("VMCLEAR", vmcs);
}

static inline void vmptrld(paddr_t vmcs)
{
	bool fail;

	__asm__ __volatile__("vmptrld %[pa]"
			     : "=@ccbe"(fail)
			     : [pa] "m"(vmcs)
			     : "memory");
	if (unlikely(fail))
		vmx_insn_failed("VMPTRLD", vmcs);
}

static inline unsigned long vmread(unsigned long field)
{
	unsigned long val;
	bool fail;

	__asm__ __volatile__("vmread %[field], %[val]"
			     : [val] "=r"(val), "=@ccbe"(fail)
			     : [field] "r"(field));
	if (unlikely(fail))
		vmx_insn_failed("VMREAD", field);
	return val;
}

static inline void vmwrite(unsigned long field, unsigned long val)
{
	bool fail;

	__asm__ __volatile__("vmwrite %[val], %[field]"
			     : "=@ccbe"(fail)
			     : [field] "r"(field), [val] "rm"(val));
	if (unlikely(fail))
		vmx_insn_failed("VMWRITE", field);
}

static inline void invept(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp, zero;
	} desc = { eptp, 0 };
	bool fail;

	__asm__ __volatile__("invept %[desc], %[type]"
			     : "=@ccbe"(fail)
			     : [desc] "m"(desc), [type] "r"(type)
			     : "memory");
	if (unlikely(fail))
		vmx_insn_failed("INVEPT", eptp);
}

static inline void invvpid(unsigned long type, u16 vpid)
{
	struct {
		u64 vpid, linear;
	} desc = { vpid, 0 };
	bool fail;

	__asm__ __volatile__("invvpid %[desc], %[type]"
			     : "=@ccbe"(fail)
			     : [desc] "m"(desc), [type] "r"(type)
			     : "memory");
	if (unlikely(fail))
		vmx_insn_failed("INVVPID", vpid);
}

#endif /* __ASSEMBLY__ */
#endif
