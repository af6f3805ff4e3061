/* The AMD VMCB (APM vol. 2, appendix B): control area, then save area. */
#ifndef HVM_SVM_VMCB_H
#define HVM_SVM_VMCB_H

#include <xen/compiler.h>
#include <xen/types.h>

struct vmcb_seg {
	u16 sel;
	u16 attr; /* descriptor bits 40-47, then 52-55 */
	u32 limit;
	u64 base;
} __packed;

struct vmcb {
	u32 cr_intercepts; /* 0x000: reads (low 16), writes (high 16) */
	u32 dr_intercepts; /* 0x004 */
	u32 exception_intercepts; /* 0x008 */
	u32 intercepts1; /* 0x00c */
	u32 intercepts2; /* 0x010 */
	u8 res0[0x040 - 0x014];
	u64 iopm_base_pa; /* 0x040 */
	u64 msrpm_base_pa; /* 0x048 */
	u64 tsc_offset; /* 0x050 */
	u32 asid; /* 0x058 */
	u8 tlb_control; /* 0x05c */
	u8 res1[3];
	u64 vintr; /* 0x060 */
	u64 interrupt_shadow; /* 0x068 */
	u64 exitcode; /* 0x070 */
	u64 exitinfo1; /* 0x078 */
	u64 exitinfo2; /* 0x080 */
	u64 exitintinfo; /* 0x088 */
	u64 np_enable; /* 0x090 */
	u8 res2[0x0a8 - 0x098];
	u64 eventinj; /* 0x0a8 */
	u64 n_cr3; /* 0x0b0 */
	u64 virt_ext; /* 0x0b8 */
	u32 clean_bits; /* 0x0c0 */
	u32 res3;
	u64 nrip; /* 0x0c8 */
	u8 insn_len; /* 0x0d0 */
	u8 insn_bytes[15];
	u8 res4[0x400 - 0x0e0];

	/* Save area. */
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr; /* 0x460 */
	u8 res5[0x4cb - 0x4a0];
	u8 cpl; /* 0x4cb */
	u32 res6;
	u64 efer; /* 0x4d0 */
	u8 res7[0x548 - 0x4d8];
	u64 cr4; /* 0x548 */
	u64 cr3; /* 0x550 */
	u64 cr0; /* 0x558 */
	u64 dr7; /* 0x560 */
	u64 dr6; /* 0x568 */
	u64 rflags; /* 0x570 */
	u64 rip; /* 0x578 */
	u8 res8[0x5d8 - 0x580];
	u64 rsp; /* 0x5d8 */
	u8 res9[0x5f8 - 0x5e0];
	u64 rax; /* 0x5f8 */
	u64 star, lstar, cstar; /* 0x600 */
	u64 sfmask, kernel_gs_base; /* 0x618 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip; /* 0x628 */
	u64 cr2; /* 0x640 */
	u8 res10[0x668 - 0x648];
	u64 g_pat; /* 0x668 */
	u8 res11[0x1000 - 0x670];
} __packed;

/* cr_intercepts: reads in bits 0-15, writes in 16-31 */
#define INTERCEPT_CR0_WRITE (1u << 16)
#define INTERCEPT_CR4_WRITE (1u << 20)

/* intercepts1 */
#define INTERCEPT_INTR (1u << 0)
#define INTERCEPT_NMI (1u << 1)
#define INTERCEPT_SMI (1u << 2)
#define INTERCEPT_INIT (1u << 3)
#define INTERCEPT_VINTR (1u << 4)
#define INTERCEPT_CPUID (1u << 18)
#define INTERCEPT_INTN (1u << 21)
#define INTERCEPT_HLT (1u << 24)
#define INTERCEPT_INVLPGA (1u << 26)
#define INTERCEPT_IOIO (1u << 27)
#define INTERCEPT_MSR (1u << 28)
#define INTERCEPT_TASK_SWITCH (1u << 29)
#define INTERCEPT_SHUTDOWN (1u << 31)
/* intercepts2 */
#define INTERCEPT_VMRUN (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD (1u << 2)
#define INTERCEPT_VMSAVE (1u << 3)
#define INTERCEPT_STGI (1u << 4)
#define INTERCEPT_CLGI (1u << 5)
#define INTERCEPT_SKINIT (1u << 6)
#define INTERCEPT_XSETBV (1u << 13)

/* vintr */
#define VINTR_TPR_MASK 0xfUL
#define VINTR_IRQ (1UL << 8)
#define VINTR_PRIO_SHIFT 16
#define VINTR_IGN_TPR (1UL << 20)
#define VINTR_MASKING (1UL << 24)
#define VINTR_VECTOR_SHIFT 32

/* eventinj */
#define EVENTINJ_VALID (1UL << 31)
#define EVENTINJ_ERR_VALID (1UL << 11)
#define EVENTINJ_TYPE_INTR (0UL << 8)
#define EVENTINJ_TYPE_NMI (2UL << 8)
#define EVENTINJ_TYPE_EXCEPTION (3UL << 8)
#define EVENTINJ_TYPE_SOFT_INT (4UL << 8)

/* NPF EXITINFO1 */
#define NPF_PRESENT (1UL << 0)
#define NPF_WRITE (1UL << 1)
#define NPF_FETCH (1UL << 4)
#define NPF_IN_GUEST_WALK (1UL << 33)

/* Exit codes. */
#define VMEXIT_CR0_WRITE 0x10
#define VMEXIT_CR4_WRITE 0x14
#define VMEXIT_EXCEPTION_BASE 0x40
#define VMEXIT_INTR 0x60
#define VMEXIT_NMI 0x61
#define VMEXIT_SMI 0x62
#define VMEXIT_INIT 0x63
#define VMEXIT_VINTR 0x64
#define VMEXIT_CPUID 0x72
#define VMEXIT_SWINT 0x75
#define VMEXIT_HLT 0x78
#define VMEXIT_IOIO 0x7b
#define VMEXIT_MSR 0x7c
#define VMEXIT_TASK_SWITCH 0x7d
#define VMEXIT_SHUTDOWN 0x7f
#define VMEXIT_VMRUN 0x80
#define VMEXIT_VMMCALL 0x81
#define VMEXIT_XSETBV 0x8d
#define VMEXIT_NPF 0x400
#define VMEXIT_INVALID 0xffffffffu

#endif
