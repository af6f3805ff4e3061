/*
 * xen/arch/x86/hvm/cpu_policy.c, the controls a guest may load (CR0, CR4,
 * EFER, XCR0) and the CPUID it sees, and xen/arch/x86/hvm/decode_cr.c, the
 * decoder of the instructions that write CR0 and CR4 (SVM without decode
 * assists). The policy is set by hand (hvm_guest_caps, xstate_mask), not
 * read from the host's CPUID. Guest-virtual addresses are offsets into
 * code[] (fake_guest.h), where each test puts its instruction.
 */
#include "../../xen/arch/x86/hvm/cpu_policy.c"
#include "../../xen/arch/x86/hvm/decode_cr.c"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define FULL_XCR0 \
	(XSTATE_X87 | XSTATE_SSE | XSTATE_YMM | XSTATE_AVX512 | XSTATE_PKRU)

u64 xstate_mask;
bool xstate_xsave;
static u8 code[32];

static void set_policy(void)
{
	xstate_xsave = true;
	xstate_mask = FULL_XCR0;
	hvm_guest_caps = (struct hvm_guest_caps){
		.cr4 = CR4_BASE | X86_CR4_PCIDE | X86_CR4_OSXSAVE |
		       X86_CR4_FSGSBASE,
		.efer = EFER_SCE | EFER_LME | EFER_NXE,
		.xcr0 = FULL_XCR0,
	};
}

/* A 32-bit vCPU with paging off, as PVH guests start. */
static struct hvm_vcpu flat32(void)
{
	return (struct hvm_vcpu){ .cr0 = X86_CR0_PE | X86_CR0_ET };
}

TEST(cpu_policy_cr0)
{
	struct hvm_vcpu h = flat32();

	set_policy();
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | X86_CR0_CD | X86_CR0_NW), 0);
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | X86_CR0_NW), -EINVAL);
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PG), -EINVAL);
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | (1UL << 32)), -EINVAL);
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | X86_CR0_PG), 0);
	/* Long mode needs PAE paging. */
	h.efer = EFER_LME;
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | X86_CR0_PG), -EINVAL);
	h.cr4 = X86_CR4_PAE;
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE | X86_CR0_PG), 0);
	/* 64-bit code cannot turn paging off; compatibility mode can. */
	h.cr0 |= X86_CR0_PG;
	h.efer |= EFER_LMA;
	h.long_mode = true;
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE), -EINVAL);
	h.long_mode = false;
	CHECK_EQ(hvm_check_cr0(&h, X86_CR0_PE), 0);
	/* Undefined low bits are dropped, ET is always 1. */
	CHECK_EQ(hvm_cr0_canonical(X86_CR0_PE | (1UL << 7)),
		 X86_CR0_PE | X86_CR0_ET);
}

TEST(cpu_policy_cr4)
{
	struct hvm_vcpu h = flat32();

	set_policy();
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_PAE | X86_CR4_OSXSAVE), 0);
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_VMXE), -EINVAL);
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_SMXE), -EINVAL);
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_LA57), -EINVAL);
	CHECK_EQ(hvm_check_cr4(&h, 1UL << 15), -EINVAL);
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_SMEP), -EINVAL); /* not offered */
	/* PCIDE only in long mode, and from PCID 0. */
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_PCIDE), -EINVAL);
	h.efer = EFER_LME | EFER_LMA;
	h.cr4 = X86_CR4_PAE;
	h.cr3 = 0x1000;
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_PAE | X86_CR4_PCIDE), 0);
	h.cr3 = 0x1001;
	CHECK_EQ(hvm_check_cr4(&h, X86_CR4_PAE | X86_CR4_PCIDE), -EINVAL);
	/* Long mode keeps PAE. */
	CHECK_EQ(hvm_check_cr4(&h, 0), -EINVAL);
}

TEST(cpu_policy_efer)
{
	struct hvm_vcpu h = flat32();

	set_policy();
	CHECK_EQ(hvm_check_efer(&h, EFER_SCE | EFER_NXE | EFER_LME), 0);
	CHECK_EQ(hvm_check_efer(&h, EFER_LMA), 0); /* ignored, not refused */
	CHECK_EQ(hvm_check_efer(&h, EFER_SVME), -EINVAL);
	CHECK_EQ(hvm_check_efer(&h, 1UL << 14), -EINVAL); /* FFXSR */
	CHECK_EQ(hvm_check_efer(&h, 1UL << 1), -EINVAL);
	CHECK_EQ(hvm_check_efer(&h, 1UL << 63), -EINVAL);
	hvm_guest_caps.efer &= ~EFER_NXE;
	CHECK_EQ(hvm_check_efer(&h, EFER_NXE), -EINVAL);
	/* LME changes only with paging off. */
	h.cr0 |= X86_CR0_PG;
	CHECK_EQ(hvm_check_efer(&h, EFER_LME), -EINVAL);
	CHECK_EQ(hvm_check_efer(&h, EFER_SCE), 0);
}

TEST(cpu_policy_xcr0)
{
	set_policy();
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87), 0);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | XSTATE_SSE | XSTATE_YMM), 0);
	CHECK_EQ(hvm_check_xcr0(FULL_XCR0), 0);
	CHECK_EQ(hvm_check_xcr0(XSTATE_SSE), -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | XSTATE_YMM), -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | XSTATE_SSE | XSTATE_YMM |
				XSTATE_OPMASK),
		 -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | XSTATE_SSE | XSTATE_AVX512),
		 -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | (1UL << 8)), -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | XSTATE_BNDREGS), -EINVAL);
	CHECK_EQ(hvm_check_xcr0(XSTATE_X87 | (1UL << 63)), -EINVAL);
}

TEST(cpu_policy_cpuid_follows_guest_cr4)
{
	struct hvm_vcpu h = flat32();
	struct cpuid_regs r = { .ecx = (1u << 5) | (1u << 27) };

	set_policy();
	hvm_cpuid_policy(&h, 1, 0, &r);
	CHECK_EQ(r.ecx & (1u << 5), 0); /* VMX hidden */
	CHECK_EQ(r.ecx & (1u << 27), 0); /* OSXSAVE as the guest's CR4 */
	CHECK(r.ecx & (1u << 26));
	h.cr4 = X86_CR4_OSXSAVE;
	hvm_cpuid_policy(&h, 1, 0, &r);
	CHECK(r.ecx & (1u << 27));
	r = (struct cpuid_regs){ .eax = 0xff, .edx = 0xff };
	hvm_cpuid_policy(&h, 0xd, 0, &r);
	CHECK_EQ(r.eax, (u32)FULL_XCR0);
	CHECK_EQ(r.edx, 0);
	r = (struct cpuid_regs){ .ecx = 1u << 16 };
	hvm_cpuid_policy(&h, 7, 0, &r);
	CHECK_EQ(r.ecx & (1u << 16), 0); /* LA57 hidden */
}

/* Decode code[0..len) at RIP 0 in a vCPU of the given mode. */
static int decode(const u8 *bytes, size_t len, bool long_mode,
		  struct hvm_cr_insn *insn)
{
	static struct hvm_vcpu h;
	static struct vcpu v;

	h = (struct hvm_vcpu){ .long_mode = long_mode };
	v.hvm = &h;
	memcpy(code, bytes, len);
	fake_guest_mem(code, len, 0, 0);
	return hvm_decode_cr_insn(&v, 0, insn);
}

TEST(decode_cr_moves)
{
	static const u8 mov_cr0_eax[] = { 0x0f, 0x22, 0xc0 };
	static const u8 mov_cr4_r9[] = { 0x41, 0x0f, 0x22, 0xe1 };
	static const u8 mov_cr12_rdx[] = { 0x66, 0x44, 0x0f, 0x20, 0xe2 };
	static const u8 lock_mov_cr0[] = { 0xf0, 0x0f, 0x22, 0xc3 };
	struct hvm_cr_insn insn;

	CHECK_EQ(decode(mov_cr0_eax, 3, false, &insn), 0);
	CHECK(insn.op == HVM_CR_MOV_TO && insn.cr == 0 && insn.gpr == 0);
	CHECK_EQ(insn.len, 3);
	/* REX.B names r9; outside 64-bit mode 0x41 is not a prefix. */
	CHECK_EQ(decode(mov_cr4_r9, 4, true, &insn), 0);
	CHECK(insn.op == HVM_CR_MOV_TO && insn.cr == 4 && insn.gpr == 9);
	CHECK_EQ(insn.len, 4);
	CHECK_EQ(decode(mov_cr4_r9, 4, false, &insn), -EINVAL);
	/* REX.R extends the CR number (CR12) and ModRM.rm names RDX. */
	CHECK_EQ(decode(mov_cr12_rdx, 5, true, &insn), 0);
	CHECK(insn.op == HVM_CR_MOV_FROM && insn.cr == 12 && insn.gpr == 2);
	/* AMD's LOCK MOV CR0 is CR8. */
	CHECK_EQ(decode(lock_mov_cr0, 4, false, &insn), 0);
	CHECK(insn.cr == 8 && insn.gpr == 3);
}

TEST(decode_cr_clts_lmsw_and_bad_bytes)
{
	static const u8 clts[] = { 0x0f, 0x06 };
	static const u8 lmsw_ax[] = { 0x0f, 0x01, 0xf0 };
	static const u8 lmsw_mem[] = { 0x0f, 0x01, 0x30 };
	static const u8 sgdt[] = { 0x0f, 0x01, 0x00 };
	static const u8 nop[] = { 0x90 };
	static const u8 prefixes[16] = { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
					 0x66, 0x66, 0x0f, 0x06 };
	struct hvm_cr_insn insn;

	CHECK_EQ(decode(clts, 2, false, &insn), 0);
	CHECK(insn.op == HVM_CR_CLTS && insn.len == 2);
	CHECK_EQ(decode(lmsw_ax, 3, false, &insn), 0);
	CHECK(insn.op == HVM_CR_LMSW && !insn.mem && insn.gpr == 0);
	CHECK_EQ(decode(lmsw_mem, 3, false, &insn), 0);
	CHECK(insn.op == HVM_CR_LMSW && insn.mem);
	CHECK_EQ(decode(sgdt, 3, false, &insn), -EINVAL);
	CHECK_EQ(decode(nop, 1, false, &insn), -EINVAL);
	/* Cut short by unreadable memory, or longer than 15 bytes. */
	CHECK_EQ(decode(clts, 1, false, &insn), -EFAULT);
	CHECK_EQ(decode(prefixes, 16, false, &insn), -EFAULT);
	CHECK_EQ(decode(prefixes + 1, 15, false, &insn), 0);
	CHECK_EQ(insn.len, 15);
}
