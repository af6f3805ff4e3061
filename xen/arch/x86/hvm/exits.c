/*
 * Exit handling shared by SVM and VMX: CPUID, port I/O (the guest
 * console), HLT, MSRs (the hypercall page's among them) and nested page
 * faults.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/p2m.h>
#include <xen/version.h>
#include <asm/hvm.h>
#include <asm/hvm_irq.h>
#include <asm/hvm_mmio.h>
#include <asm/processor.h>
#include <asm/vlapic.h>
#include <asm/time.h>
#include <public/cpuid.h>

/* The last of Xen's leaves a guest may ask for (it lists them in leaf 0). */
#define XEN_CPUID_MAX XEN_CPUID_LEAF(5)

#define DEBUGCON_PORT 0xe9

static void xen_leaves(struct vcpu *v, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	*r = (struct cpuid_regs){ 0 };
	switch (leaf) {
	case XEN_CPUID_FIRST_LEAF:
		r->eax = XEN_CPUID_MAX;
		r->ebx = XEN_CPUID_SIGNATURE_EBX; /* "XenVMMXenVMM" */
		r->ecx = XEN_CPUID_SIGNATURE_ECX;
		r->edx = XEN_CPUID_SIGNATURE_EDX;
		break;
	case XEN_CPUID_VERSION:
		r->eax = (XEN_VERSION << 16) | XEN_SUBVERSION;
		break;
	case XEN_CPUID_HYPERCALL_PAGE:
		r->eax = 1; /* hypercall pages */
		r->ebx = HVM_HYPERCALL_PAGE_MSR;
		break;
	case XEN_CPUID_TIME:
		xen_time_leaf(sub, r);
		break;
	case XEN_CPUID_HVM:
		r->eax = XEN_HVM_CPUID_VCPU_ID_PRESENT |
			 XEN_HVM_CPUID_DOMID_PRESENT;
		r->ebx = v->vcpu_id;
		r->ecx = v->domain->domain_id;
		break;
	}
}

void hvm_cpuid(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);
	u32 leaf = (u32)h->regs.rax, sub = (u32)h->regs.rcx;
	struct cpuid_regs r;

	if (leaf >= XEN_CPUID_FIRST_LEAF &&
	    leaf < XEN_CPUID_FIRST_LEAF + 0x100) {
		/* Hidden: as a CPU with no hypervisor leaves (AMD's zeros). */
		if (v->domain->hide_xen_cpuid)
			r = (struct cpuid_regs){ 0 };
		else
			xen_leaves(v, leaf, sub, &r);
	} else {
		r = cpuid_count(leaf, sub);
		hvm_cpuid_policy(h, leaf, sub, &r);
		hvm_cpuid_topology(v, leaf, sub, &r);
	}
	h->regs.rax = r.eax;
	h->regs.rbx = r.ebx;
	h->regs.rcx = r.ecx;
	h->regs.rdx = r.edx;
}

u64 *hvm_gpr(struct hvm_vcpu *h, unsigned int n)
{
	struct hvm_regs *r = &h->regs;
	u64 *const by_number[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &h->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8,  &r->r9,  &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return by_number[n & 15];
}

void hvm_portio(struct vcpu *v, u16 port, unsigned int size, bool in, u32 *val)
{
	char c = (char)*val;

	if (hvm_acpi_sleep_io(v, port, size, in, val) ||
	    hvm_uart_io(v, port, size, in, val))
		return;
	if (vrtc_portio(v->domain, port, in, val))
		return;
	if (in) {
		*val = 0xffffffffu; /* nothing there: the bus floats high */
		return;
	}
	if (port == DEBUGCON_PORT)
		domain_console_write(v->domain, &c, 1);
}

#define HLT_OPCODE 0xf4

void arch_vcpu_halt(struct vcpu *v)
{
	/* Sleep until an event is pending (the guest's timer, an upcall). */
	vcpu_set_blocked(v);
	if (hvm_intr_wakes(v) || hvm_funcs->event_pending(v))
		vcpu_cancel_block(v);
	else
		schedule();
}

/*
 * An interrupt window opened (VINTR / interrupt-window exit) with RIP on
 * a HLT: complete the HLT before the upcall goes in, as if it had halted
 * and been woken at once. Both orders are allowed (the interrupt may come
 * an instruction later), but only this one keeps `sti; hlt` safe when an
 * exit landed between the two: emulators (QEMU's SVM) report the window
 * open there although the STI shadow still covers the HLT, and the
 * handler would return to the HLT and halt for good.
 */
void hvm_window_at_hlt(struct vcpu *v, unsigned long cs_base)
{
	struct hvm_vcpu *h = hvm_of(v);
	/* 64-bit code ignores the CS base; other code wraps at 4 GiB. */
	unsigned long linear = h->long_mode ? h->rip : (u32)(cs_base + h->rip);
	struct hvm_intr i = hvm_intr_next(v);
	u8 insn;

	if (i.type == HVM_INTR_NONE || i.type == HVM_INTR_NMI ||
	    !(h->rflags & X86_EFLAGS_IF))
		return;
	if (!copy_from_guest_virt(v, &insn, linear, 1) && insn == HLT_OPCODE)
		h->rip = h->long_mode ? h->rip + 1 : (u32)(h->rip + 1);
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	__atomic_store_n(&v->upcall_pending, true, __ATOMIC_SEQ_CST);
	hvm_vcpu_kick(v);
}

int hvm_rdmsr(struct vcpu *v, u32 msr, u64 *val)
{
	int rc = hvm_extra_rdmsr(hvm_of(v), msr, val);

	if (rc > 0)
		rc = hvm_platform_rdmsr(hvm_of(v), msr, val);
	if (rc <= 0)
		return rc;
	switch (msr) {
	case MSR_EFER:
		*val = 0; /* the vendor code fills the guest's own */
		return 0;
	case 0x277: /* PAT */
		*val = 0x0007040600070406UL;
		return 0;
	case MSR_APIC_BASE:
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_rdmsr(v, msr, val);
	}
	return -1;
}

int hvm_wrmsr(struct vcpu *v, u32 msr, u64 val)
{
	int rc = hvm_extra_wrmsr(hvm_of(v), msr, val);

	if (rc > 0)
		rc = hvm_platform_wrmsr(hvm_of(v), msr, val);
	if (rc <= 0)
		return rc;
	switch (msr) {
	case MSR_EFER:
		/* Checked here, loaded by the vendor code. */
		return hvm_check_efer(hvm_of(v), val) ? -1 : 0;
	case 0x277: /* PAT: accepted, the guest keeps its reset value */
		return 0;
	case HVM_HYPERCALL_PAGE_MSR:
		return hvm_write_hypercall_page(v, val) ? -1 : 0;
	case MSR_APIC_BASE:
	case MSR_TSC_DEADLINE:
	case MSR_X2APIC_FIRST ... MSR_X2APIC_LAST:
		return vlapic_wrmsr(v, msr, val);
	}
	return -1;
}

void hvm_nested_fault(struct vcpu *v, const struct hvm_fault *f)
{
	struct domain *d = v->domain;
	struct p2m_domain *p2m = d->p2m;
	paddr_t gpa = f->gpa;
	gfn_t gfn = _gfn(gpa >> PAGE_SHIFT);
	struct p2m_lookup r;
	unsigned int need = P2M_R | f->access;
	bool write = f->access & P2M_W, fetch = f->access & P2M_X;
	const struct hvm_mmio_ops *dev = hvm_mmio_find(gpa);
	int rc;

	/* A device, or beyond the domain's memory (nothing there). */
	if (dev || gfn_x(gfn) >= p2m->max_gfn) {
		hvm_mmio_fault(v, f, dev);
		return;
	}
	/*
	 * ALLOC fixes up PoD and paged entries (and may sleep doing so); a
	 * write also breaks sharing (UNSHARE).
	 */
	rc = p2m_get_gfn(p2m, gfn, write ? P2M_UNSHARE : P2M_ALLOC, &r);
	put_gfn(p2m, gfn);
	/* Woken from a page-in wait because d is going: it stops on exit. */
	if (rc == -ESRCH && READ_ONCE(d->is_shutting_down))
		return;
	if (rc) {
		domain_crash(d, "gpa %lx cannot be made present (error %d)",
			     (unsigned long)gpa, rc);
		return;
	}
	/* Unpopulated (never, or ballooned out): nothing there either. */
	if (r.t == p2m_invalid) {
		hvm_mmio_fault(v, f, NULL);
		return;
	}
	if ((p2m_effective_perms(r.t, r.a) & need) != need)
		domain_crash(d,
			     "%s access to gpa %lx denied (type %s, access "
			     "%#x)",
			     fetch ? "execute" :
			     write ? "write" :
				     "read",
			     (unsigned long)gpa, p2m_type_name(r.t), r.a);
	/* Otherwise the entry is fine now: the guest retries the access. */
}
