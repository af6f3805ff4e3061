/*
 * A vCPU's VMCS: its controls, host state and architectural start state,
 * its VPID, and which CPU it is active on.
 *
 * A VMCS is active on at most one CPU. vcpu_init leaves it clear; the
 * first entry on a CPU loads it there (VMPTRLD, the host state of that
 * CPU, flushes); moving to another CPU first clears it on the old one
 * (VMCLEAR by IPI). Every VMX instruction on a VMCS runs with interrupts
 * off, so the VMCLEAR IPI never lands between a VMPTRLD and its use.
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/p2m.h>
#include <xen/smp.h>
#include <asm/system.h>
#include "vmcs.h"
#include "vmx.h"

#define NR_VPIDS (1u << 16) /* VPID 0 is the host's */

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* Taken and released with atomic bit operations, so no lock is needed. */
static unsigned long vpid_map[BITS_TO_LONGS(NR_VPIDS)];

static u16 vpid_alloc(void)
{
	for (;;) {
		unsigned long n = find_next_zero_bit(vpid_map, NR_VPIDS, 1);

		if (n >= NR_VPIDS)
			return 0;
		if (!test_and_set_bit(n, vpid_map))
			return (u16)n;
	}
}

/* ES .. TR: selector, limit, access rights and a zero base. */
static void set_seg(unsigned int seg, u16 sel, u32 ar, u32 limit)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * seg, sel);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * seg, limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * seg, ar);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * seg, 0);
}

/*
 * Real mode at entry_cs:rip, as after INIT and SIPI (SDM vol. 3, 10.1):
 * 64 KiB segments at base 0 but CS's (entry_cs << 4). It runs as an
 * unrestricted guest (vmx_probe() requires that control).
 */
static void init_real_mode_segs(const struct vmx_vcpu *x)
{
	unsigned int seg;

	for (seg = SEG_ES; seg <= SEG_GS; seg++)
		set_seg(seg, 0, AR_DATA16, 0xffff);
	set_seg(SEG_CS, x->hvm.entry_cs, AR_CODE16, 0xffff);
	vmwrite(VMCS_GUEST_CS_BASE, (u64)x->hvm.entry_cs << 4);
	set_seg(SEG_LDTR, 0, AR_UNUSABLE, 0);
	set_seg(SEG_TR, 0, AR_TSS_BUSY, 0xffff);
	for (seg = SEG_GDTR; seg <= SEG_IDTR; seg++) {
		vmwrite(VMCS_GUEST_ES_LIMIT + 2 * seg, 0xffff);
		vmwrite(VMCS_GUEST_ES_BASE + 2 * seg, 0);
	}
}

/* PVH (flat CS 0x08 and data 0x10) or 64-bit with paging. */
static void init_protected_mode_segs(bool lm)
{
	unsigned int seg;

	for (seg = SEG_ES; seg <= SEG_GS; seg++)
		set_seg(seg, hvm_boot_cs(lm) + 8, AR_DATA32, 0xffffffff);
	set_seg(SEG_CS, hvm_boot_cs(lm), lm ? AR_CODE64 : AR_CODE32,
		0xffffffff);
	set_seg(SEG_LDTR, 0, AR_UNUSABLE, 0);
	set_seg(SEG_TR, 0, AR_TSS_BUSY, 0x67);
	for (seg = SEG_GDTR; seg <= SEG_IDTR; seg++) {
		vmwrite(VMCS_GUEST_ES_LIMIT + 2 * seg, 0);
		vmwrite(VMCS_GUEST_ES_BASE + 2 * seg, 0);
	}
}

/*
 * The architectural start state, as svm.c's: real mode, PVH (32-bit
 * protected mode, paging off) or 64-bit with paging. The CR0/CR4 bits
 * VMX forces (NE, VMXE) are set for real and hidden behind the masks and
 * read shadows.
 */
static void init_guest_state(struct vmx_vcpu *x)
{
	bool real = x->hvm.entry_real;
	bool lm = x->hvm.entry_64bit && !real;
	u64 cr0 = (real ? 0 : X86_CR0_PE) | X86_CR0_ET | (lm ? X86_CR0_PG : 0);
	u64 cr4 = lm ? X86_CR4_PAE : 0;

	if (real)
		init_real_mode_segs(x);
	else
		init_protected_mode_segs(lm);

	/* RIP, RSP, RFLAGS go in from these copies at every entry. */
	x->hvm.cr0 = x->cr0_shadow = cr0;
	x->hvm.cr4 = x->cr4_shadow = cr4;
	x->hvm.cr3 = lm ? x->hvm.cr3 : 0;
	x->hvm.efer = lm ? EFER_LME | EFER_LMA : 0;
	x->hvm.long_mode = lm;
	vmwrite(VMCS_CR0_MASK, vmx_cr0_mask());
	vmwrite(VMCS_CR4_MASK, vmx_cr4_mask());
	vmwrite(VMCS_CR0_SHADOW, cr0);
	vmwrite(VMCS_CR4_SHADOW, cr4);
	vmwrite(VMCS_GUEST_CR0, cr0 | vmx_cr0_forced());
	vmwrite(VMCS_GUEST_CR4, cr4 | vmx_cr4_forced());
	vmwrite(VMCS_GUEST_CR3, x->hvm.cr3);
	vmwrite(VMCS_GUEST_EFER, x->hvm.efer);
	vmwrite(VMCS_ENTRY_CTLS, vmx_caps.entry | (lm ? ENTRY_IA32E_GUEST : 0));

	vmwrite(VMCS_GUEST_DR7, 0x400);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_LINK_POINTER, ~0UL);
}

/*
 * Everything but the host state: that depends on the CPU and is written
 * when the VMCS is loaded there. All I/O and (no MSR bitmap) all MSR
 * accesses exit; of the exceptions only #DF.
 */
static void init_controls(struct vmx_vcpu *x)
{
	x->proc_ctls = vmx_caps.proc;
	vmwrite(VMCS_PIN_CTLS, vmx_caps.pin);
	vmwrite(VMCS_PROC_CTLS, x->proc_ctls);
	vmwrite(VMCS_PROC_CTLS2, vmx_caps.proc2);
	vmwrite(VMCS_EXIT_CTLS, vmx_caps.exit);
	vmwrite(VMCS_EXCEPTION_BITMAP, 1u << 8);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_VPID, x->vpid);
	vmwrite(VMCS_EPTP, x->eptp);
	vmwrite(VMCS_HOST_RIP, (unsigned long)vmx_exit);
}

int vmx_vcpu_init(struct vcpu *v, const struct hvm_vcpu *start)
{
	struct vmx_vcpu *x = alloc_xenheap_page();
	void *vmcs = alloc_xenheap_page();
	unsigned long flags;

	BUILD_BUG_ON(sizeof(*x) > PAGE_SIZE);
	if (!x || !vmcs) {
		free_xenheap_page(x);
		free_xenheap_page(vmcs);
		return -ENOMEM;
	}
	memset(x, 0, sizeof(*x));
	memset(vmcs, 0, PAGE_SIZE);
	*(u32 *)vmcs = vmx_caps.revision;
	x->hvm = *start;
	x->vmcs = vmcs;
	x->vmcs_pa = __pa(vmcs);
	/* The p2m's accessed bits: on where the CPU has them (hvm.c) */
	x->eptp = ((u64)mfn_x(p2m_root(v->domain->p2m)) << PAGE_SHIFT) |
		  EPTP_WB_4LEVEL |
		  (v->domain->p2m->accessed_bits ? EPTP_AD : 0);
	x->cpu = VMX_NO_CPU;
	x->vpid = vpid_alloc();
	if (!x->vpid) {
		free_xenheap_page(vmcs);
		free_xenheap_page(x);
		return -EBUSY;
	}

	flags = local_irq_save();
	vmclear(x->vmcs_pa);
	vmptrld(x->vmcs_pa);
	init_controls(x);
	init_guest_state(x);
	/* Clear again (data to memory): the first entry loads it anywhere. */
	vmclear(x->vmcs_pa);
	this_cpu(vmx_cpu).current_vmcs = 0;
	local_irq_restore(flags);

	v->hvm = x;
	return 0;
}

/*
 * A stopped vCPU starts again from the state in x->hvm (hvm.c): the VMCS
 * is cleared wherever it was active and written afresh here, and nothing
 * is left to inject.
 */
void vmx_vcpu_reset(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	unsigned long flags;

	vmx_vmcs_unload(x);
	x->inject_info = 0;
	x->intr_state = 0;
	x->idt_vectoring_info = 0;
	x->dirty = 0;
	x->proc_ctls = vmx_caps.proc;
	flags = local_irq_save();
	vmptrld(x->vmcs_pa);
	vmwrite(VMCS_PROC_CTLS, x->proc_ctls);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	init_guest_state(x);
	vmclear(x->vmcs_pa);
	this_cpu(vmx_cpu).current_vmcs = 0;
	local_irq_restore(flags);
}

void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);

	/* The CPU may still cache it: clear it there before it is reused. */
	vmx_vmcs_unload(x);
	clear_bit(x->vpid, vpid_map);
	free_xenheap_page(x->vmcs);
	free_xenheap_page(x);
	v->hvm = NULL;
}

static void vmclear_here(void *arg)
{
	struct vmx_vcpu *x = arg;
	struct vmx_cpu *c = &this_cpu(vmx_cpu);

	vmclear(x->vmcs_pa);
	if (c->current_vmcs == x->vmcs_pa)
		c->current_vmcs = 0;
}

void vmx_vmcs_unload(struct vmx_vcpu *x)
{
	cpumask_t mask;

	if (x->cpu == VMX_NO_CPU)
		return;
	cpumask_clear(&mask);
	cpumask_set_cpu(x->cpu, &mask);
	on_selected_cpus(&mask, vmclear_here, x, true);
	x->cpu = VMX_NO_CPU;
	x->launched = false;
}

#define read_seg(reg)                                                    \
	({                                                               \
		u16 sel_;                                                \
		__asm__ __volatile__("mov %%" #reg ", %0" : "=r"(sel_)); \
		sel_;                                                    \
	})

/*
 * This CPU's state, loaded at every exit: control registers, selectors,
 * the per-CPU GDT and TSS (the TSS base is read back from its
 * descriptor), the shared IDT, and GS base, which holds the per-CPU
 * pointer. The host stack pointer is written by entry.S at each entry.
 */
static void write_host_state(void)
{
	struct desc_ptr gdtr, idtr;
	const u64 *tss_desc;
	u64 tss_base;
	u16 tr;

	__asm__ __volatile__("str %0" : "=r"(tr));
	__asm__ __volatile__("sgdt %0" : "=m"(gdtr));
	__asm__ __volatile__("sidt %0" : "=m"(idtr));
	tss_desc = (const u64 *)gdtr.base + (tr >> 3);
	tss_base = ((tss_desc[0] >> 16) & 0xffffff) |
		   (((tss_desc[0] >> 56) & 0xff) << 24) | (tss_desc[1] << 32);

	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, read_seg(cs));
	vmwrite(VMCS_HOST_SS_SEL, read_seg(ss));
	vmwrite(VMCS_HOST_DS_SEL, read_seg(ds));
	vmwrite(VMCS_HOST_ES_SEL, read_seg(es));
	vmwrite(VMCS_HOST_FS_SEL, read_seg(fs));
	vmwrite(VMCS_HOST_GS_SEL, read_seg(gs));
	vmwrite(VMCS_HOST_TR_SEL, tr);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(VMCS_HOST_TR_BASE, tss_base);
	vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
}

bool vmx_vmcs_load(struct vmx_vcpu *x)
{
	struct vmx_cpu *c = &this_cpu(vmx_cpu);
	unsigned int cpu = smp_processor_id();

	ASSERT(!local_irq_is_enabled());
	ASSERT(x->cpu == cpu || x->cpu == VMX_NO_CPU);
	if (c->current_vmcs != x->vmcs_pa) {
		vmptrld(x->vmcs_pa);
		c->current_vmcs = x->vmcs_pa;
	}
	if (x->cpu == cpu)
		return false;
	x->cpu = cpu;
	write_host_state();
	/* A VPID may have served an earlier vCPU on this CPU. */
	invvpid(vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE ?
			INVVPID_SINGLE_CONTEXT :
			INVVPID_ALL_CONTEXT,
		x->vpid);
	return true;
}

/*
 * After the p2m changed (its flush generation moved) or on a CPU new to
 * this vCPU (it may hold translations of an older p2m whose root had the
 * same address), the guest-physical and combined mappings of this EPTP
 * go. Called after in_guest is published (see hvm_flush_guest_tlbs).
 */
void vmx_flush_ept(struct vcpu *v, struct vmx_vcpu *x, bool new_cpu)
{
	unsigned long gen = p2m_flush_generation(v->domain->p2m);

	if (!new_cpu && x->hvm.flush_gen_seen == gen)
		return;
	invept(vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE ?
		       INVEPT_SINGLE_CONTEXT :
		       INVEPT_ALL_CONTEXT,
	       x->eptp);
	x->hvm.flush_gen_seen = gen;
}
