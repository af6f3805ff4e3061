/* CPU registers, CPUID and MSRs. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <xen/types.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_MP (1UL << 1)
#define X86_CR0_EM (1UL << 2)
#define X86_CR0_TS (1UL << 3)
#define X86_CR0_ET (1UL << 4)
#define X86_CR0_NE (1UL << 5)
#define X86_CR0_WP (1UL << 16)
#define X86_CR0_AM (1UL << 18)
#define X86_CR0_NW (1UL << 29)
#define X86_CR0_CD (1UL << 30)
#define X86_CR0_PG (1UL << 31)

#define X86_CR4_VME (1UL << 0)
#define X86_CR4_PVI (1UL << 1)
#define X86_CR4_TSD (1UL << 2)
#define X86_CR4_DE (1UL << 3)
#define X86_CR4_PSE (1UL << 4)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_MCE (1UL << 6)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_PCE (1UL << 8)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_UMIP (1UL << 11)
#define X86_CR4_LA57 (1UL << 12)
#define X86_CR4_VMXE (1UL << 13)
#define X86_CR4_SMXE (1UL << 14)
#define X86_CR4_FSGSBASE (1UL << 16)
#define X86_CR4_PCIDE (1UL << 17)
#define X86_CR4_OSXSAVE (1UL << 18)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define X86_CR4_PKE (1UL << 22)

/* XCR0 state components (XSETBV/XGETBV, register 0). */
#define XSTATE_X87 (1UL << 0)
#define XSTATE_SSE (1UL << 1)
#define XSTATE_YMM (1UL << 2)
#define XSTATE_BNDREGS (1UL << 3)
#define XSTATE_BNDCSR (1UL << 4)
#define XSTATE_OPMASK (1UL << 5)
#define XSTATE_ZMM_HI256 (1UL << 6)
#define XSTATE_HI16_ZMM (1UL << 7)
#define XSTATE_PKRU (1UL << 9)
#define XSTATE_TILECFG (1UL << 17)
#define XSTATE_TILEDATA (1UL << 18)
#define XSTATE_AVX512 (XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM)

#define MSR_EFER 0xc0000080
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)
#define EFER_NXE (1UL << 11)
#define EFER_SVME (1UL << 12)
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_APIC_BASE 0x1b

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(u32 leaf, u32 sub)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx),
			       "=d"(r.edx)
			     : "a"(leaf), "c"(sub));
	return r;
}

static inline struct cpuid_regs cpuid(u32 leaf)
{
	return cpuid_count(leaf, 0);
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((u32)v),
			     "d"((u32)(v >> 32)));
}

/* rdmsr that survives a #GP (via the exception fixup table): 0 or -EFAULT */
int rdmsr_safe(u32 msr, u64 *val);

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                               \
	static inline unsigned long read_cr##n(void)                         \
	{                                                                    \
		unsigned long v;                                             \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                                    \
	}                                                                    \
	static inline void write_cr##n(unsigned long v)                      \
	{                                                                    \
		__asm__ __volatile__("mov %0, %%cr" #n ::"r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

/* Debug registers: DR0-DR3 (breakpoint addresses), DR6 (status). */
#define read_dr(n)                                                     \
	({                                                             \
		unsigned long v_;                                      \
		__asm__ __volatile__("mov %%db" #n ", %0" : "=r"(v_)); \
		v_;                                                    \
	})
#define write_dr(n, v) \
	__asm__ __volatile__("mov %0, %%db" #n ::"r"((unsigned long)(v)))

static inline u64 xgetbv(u32 index)
{
	u32 lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv(u32 index, u64 v)
{
	__asm__ __volatile__("xsetbv" ::"c"(index), "a"((u32)v),
			     "d"((u32)(v >> 32)));
}

/* A 48-bit linear address: bits 63:47 all equal. */
static inline bool is_canonical(u64 addr)
{
	return (u64)((s64)(addr << 16) >> 16) == addr;
}

static inline void invlpg(const void *va)
{
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

/* Flush all non-global TLB entries of this CPU. */
static inline void flush_tlb_local(void)
{
	write_cr3(read_cr3());
}

#endif
