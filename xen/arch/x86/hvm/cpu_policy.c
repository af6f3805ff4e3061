/*
 * What a guest is offered, in one place: the CPUID it sees and, matching
 * it, the CR0, CR4, EFER and XCR0 values it may load. A value the policy
 * refuses is #GP in the guest (the vendor code injects it) and never
 * reaches the VMCB or the VMCS: VMRUN and VM entry only ever see state the
 * hardware accepts, whatever an emulator would let through.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/xstate.h>

#define CPUID1_ECX_VMX (1u << 5)
#define CPUID1_ECX_SMX (1u << 6)
#define CPUID1_ECX_MONITOR (1u << 3)
#define CPUID1_ECX_PCID (1u << 17)
#define CPUID1_ECX_X2APIC (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID1_EDX_VME (1u << 1)
#define CPUID1_EDX_APIC (1u << 9)
#define CPUID7_EBX_FSGSBASE (1u << 0)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)
#define CPUID7_ECX_PKU (1u << 3)
#define CPUID7_ECX_OSPKE (1u << 4)
#define CPUID7_ECX_CET_SS (1u << 7)
#define CPUID7_ECX_LA57 (1u << 16)
#define CPUID7_ECX_RDPID (1u << 22)
#define CPUID7_ECX_PKS (1u << 31)
#define CPUID7_EDX_CET_IBT (1u << 20)
#define CPUIDD1_EAX_XSAVES (1u << 3)
#define CPUID81_ECX_SVM (1u << 2)
#define CPUID81_ECX_TCE (1u << 17)
#define CPUID81_EDX_NX (1u << 20)
#define CPUID81_EDX_FFXSR (1u << 25)
#define CPUID81_EDX_RDTSCP (1u << 27)

/* CR0 bits with a meaning; loads of the others are ignored (ET is 1). */
#define CR0_DEFINED                                                       \
	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
	 X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | \
	 X86_CR0_PG)
/* CR4 bits every x86-64 CPU has. */
#define CR4_BASE                                                              \
	(X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | \
	 X86_CR4_PGE | X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

struct hvm_guest_caps hvm_guest_caps;

void hvm_guest_caps_init(void)
{
	struct hvm_guest_caps *c = &hvm_guest_caps;
	struct cpuid_regs l1 = cpuid(1), l7 = { 0 }, l81 = cpuid(0x80000001);

	if (cpuid(0).eax >= 7)
		l7 = cpuid_count(7, 0);
	c->cr4 = CR4_BASE;
	if (l1.edx & CPUID1_EDX_VME)
		c->cr4 |= X86_CR4_VME | X86_CR4_PVI;
	if (l1.ecx & CPUID1_ECX_PCID)
		c->cr4 |= X86_CR4_PCIDE;
	if (xstate_xsave)
		c->cr4 |= X86_CR4_OSXSAVE;
	if (l7.ebx & CPUID7_EBX_FSGSBASE)
		c->cr4 |= X86_CR4_FSGSBASE;
	if (l7.ebx & CPUID7_EBX_SMEP)
		c->cr4 |= X86_CR4_SMEP;
	if (l7.ebx & CPUID7_EBX_SMAP)
		c->cr4 |= X86_CR4_SMAP;
	if (l7.ecx & CPUID7_ECX_UMIP)
		c->cr4 |= X86_CR4_UMIP;
	if ((l7.ecx & CPUID7_ECX_PKU) && (xstate_mask & XSTATE_PKRU))
		c->cr4 |= X86_CR4_PKE;
	c->efer = EFER_SCE | EFER_LME |
		  (l81.edx & CPUID81_EDX_NX ? EFER_NXE : 0);
	c->xcr0 = xstate_xsave ? xstate_mask : 0;
	c->tsc_aux = (l81.edx & CPUID81_EDX_RDTSCP) ||
		     (l7.ecx & CPUID7_ECX_RDPID);
}

/* Set or clear bit in *reg as on says. */
static void set_bit_if(u32 *reg, u32 bit, bool on)
{
	*reg = on ? *reg | bit : *reg & ~bit;
}

void hvm_cpuid_policy(const struct hvm_vcpu *h, u32 leaf, u32 sub,
		      struct cpuid_regs *r)
{
	const struct hvm_guest_caps *c = &hvm_guest_caps;

	switch (leaf) {
	case 1:
		r->ecx &=
			~(CPUID1_ECX_VMX | CPUID1_ECX_SMX | CPUID1_ECX_MONITOR);
		/* Every vCPU has a local APIC (hvm/vlapic.c): x2APIC too. */
		r->ecx |= CPUID1_ECX_HYPERVISOR | CPUID1_ECX_X2APIC |
			  CPUID1_ECX_TSC_DEADLINE;
		r->edx |= CPUID1_EDX_APIC;
		set_bit_if(&r->ecx, CPUID1_ECX_XSAVE, xstate_xsave);
		/* OSXSAVE mirrors the guest's CR4, not the host's. */
		set_bit_if(&r->ecx, CPUID1_ECX_OSXSAVE,
			   h->cr4 & X86_CR4_OSXSAVE);
		break;
	case 7:
		if (sub)
			break;
		r->ecx &=
			~(CPUID7_ECX_LA57 | CPUID7_ECX_PKS | CPUID7_ECX_CET_SS);
		r->edx &= ~CPUID7_EDX_CET_IBT;
		set_bit_if(&r->ecx, CPUID7_ECX_PKU, c->cr4 & X86_CR4_PKE);
		set_bit_if(&r->ecx, CPUID7_ECX_OSPKE, h->cr4 & X86_CR4_PKE);
		break;
	case 0xd:
		if (!xstate_xsave) {
			*r = (struct cpuid_regs){ 0 };
		} else if (sub == 0) {
			/* EBX (size for the current XCR0) is the guest's. */
			r->eax = (u32)c->xcr0;
			r->edx = (u32)(c->xcr0 >> 32);
		} else if (sub == 1) {
			/* No IA32_XSS: no supervisor states, no XSAVES. */
			r->eax &= ~CPUIDD1_EAX_XSAVES;
			r->ebx = r->ecx = r->edx = 0;
		}
		break;
	case 0x80000001:
		r->ecx &= ~(CPUID81_ECX_SVM | CPUID81_ECX_TCE);
		r->edx &= ~CPUID81_EDX_FFXSR;
		break;
	case 0x80000007: /* invariant TSC: guests' pvclock and NOW() use it */
		r->edx |= 1u << 8;
		break;
	case 0x8000000a: /* SVM features: none */
		*r = (struct cpuid_regs){ 0 };
		break;
	}
}

/* Topology levels (CPUID 0xb and 0x1f, ECX bits 15:8). */
#define TOPO_LEVEL_SMT 1
#define TOPO_LEVEL_CORE 2

/*
 * The x2APIC ID is the vCPU id, in one package of max_vcpus cores with
 * one thread each: leaf 0xb (and 0x1f, so that the host's topology does
 * not show through) levels SMT (shift 0) and core (the shift that holds
 * every vCPU id).
 */
static void topology_leaf(const struct vcpu *v, u32 sub, struct cpuid_regs *r)
{
	unsigned int n = v->domain->max_vcpus, shift = 0;

	while ((1u << shift) < n)
		shift++;
	*r = (struct cpuid_regs){ .ecx = sub & 0xff, .edx = v->vcpu_id };
	if (sub == 0) {
		r->eax = 0;
		r->ebx = 1;
		r->ecx |= TOPO_LEVEL_SMT << 8;
	} else if (sub == 1) {
		r->eax = shift;
		r->ebx = n;
		r->ecx |= TOPO_LEVEL_CORE << 8;
	}
}

void hvm_cpuid_topology(const struct vcpu *v, u32 leaf, u32 sub,
			struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		r->ebx = (r->ebx & 0x00ffffff) | v->vcpu_id << 24;
		break;
	case 0xb:
	case 0x1f:
		if (cpuid(0).eax >= leaf)
			topology_leaf(v, sub, r);
		break;
	}
}

u64 hvm_cr0_canonical(u64 value)
{
	return (value & CR0_DEFINED) | X86_CR0_ET;
}

int hvm_check_cr0(const struct hvm_vcpu *h, u64 value)
{
	bool paging_on = !(h->cr0 & X86_CR0_PG) && (value & X86_CR0_PG);
	bool paging_off = (h->cr0 & X86_CR0_PG) && !(value & X86_CR0_PG);

	if (value >> 32)
		return -EINVAL;
	if ((value & X86_CR0_NW) && !(value & X86_CR0_CD))
		return -EINVAL;
	if ((value & X86_CR0_PG) && !(value & X86_CR0_PE))
		return -EINVAL;
	/* Long mode needs PAE paging; 64-bit code cannot turn paging off. */
	if (paging_on && (h->efer & EFER_LME) && !(h->cr4 & X86_CR4_PAE))
		return -EINVAL;
	if (paging_off && h->long_mode)
		return -EINVAL;
	return 0;
}

int hvm_check_cr4(const struct hvm_vcpu *h, u64 value)
{
	if (value & ~hvm_guest_caps.cr4)
		return -EINVAL;
	if ((h->efer & EFER_LMA) && !(value & X86_CR4_PAE))
		return -EINVAL;
	/* PCIDs only in long mode, and only from PCID 0. */
	if ((value & X86_CR4_PCIDE) && !(h->cr4 & X86_CR4_PCIDE) &&
	    (!(h->efer & EFER_LMA) || (h->cr3 & 0xfff)))
		return -EINVAL;
	return 0;
}

int hvm_check_efer(const struct hvm_vcpu *h, u64 value)
{
	if (value & ~(hvm_guest_caps.efer | EFER_LMA))
		return -EINVAL;
	/* LME changes only with paging off. */
	if (((value ^ h->efer) & EFER_LME) && (h->cr0 & X86_CR0_PG))
		return -EINVAL;
	return 0;
}

/* A group of components is enabled all together or not at all. */
static bool all_or_none(u64 value, u64 group)
{
	return !(value & group) || (value & group) == group;
}

int hvm_check_xcr0(u64 value)
{
	if (!(value & XSTATE_X87) || (value & ~hvm_guest_caps.xcr0))
		return -EINVAL;
	if ((value & XSTATE_YMM) && !(value & XSTATE_SSE))
		return -EINVAL;
	if ((value & XSTATE_AVX512) && !(value & XSTATE_YMM))
		return -EINVAL;
	if (!all_or_none(value, XSTATE_AVX512) ||
	    !all_or_none(value, XSTATE_BNDREGS | XSTATE_BNDCSR) ||
	    !all_or_none(value, XSTATE_TILECFG | XSTATE_TILEDATA))
		return -EINVAL;
	return 0;
}
