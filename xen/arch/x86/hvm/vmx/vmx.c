/*
 * Intel VMX: what the CPU offers, VMX operation on every CPU (VMXON), and
 * running a vCPU once: load its VMCS, flush, enter, save the exit, handle
 * it. VMCS set-up is in vmcs.c, exit decoding in vmexit.c.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/p2m.h>
#include <asm/system.h>
#include <asm/time.h>
#include "vmcs.h"
#include "vmx.h"

#define CPUID_1_ECX_VMX (1u << 5)
#define MEMTYPE_WB 6

#define PIN_REQUIRED (PIN_EXT_INTR_EXITING | PIN_NMI_EXITING)
/* CR8 exits: the guest's TPR is virtual, never the host LAPIC's. */
#define PROC_REQUIRED                                                 \
	(PROC_HLT_EXITING | PROC_UNCOND_IO_EXITING | PROC_SECONDARY | \
	 PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING)
#define PROC2_REQUIRED (PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED)
/* Guests see RDTSCP and INVPCID in CPUID: let them run where offered. */
#define PROC2_WANTED (PROC2_REQUIRED | PROC2_RDTSCP | PROC2_INVPCID)
#define EXIT_REQUIRED (EXIT_HOST_64BIT | EXIT_SAVE_EFER | EXIT_LOAD_EFER)
#define ENTRY_REQUIRED ENTRY_LOAD_EFER
/* The p2m makes 4-level tables with 2 MiB and 1 GiB leaves, all WB. */
#define EPT_REQUIRED                                             \
	(EPT_CAP_WALK_4 | EPT_CAP_WB | EPT_CAP_2M | EPT_CAP_1G | \
	 EPT_CAP_INVEPT | VPID_CAP_INVVPID)

struct vmx_caps vmx_caps;
DEFINE_PER_CPU(struct vmx_cpu, vmx_cpu);

/* VM-instruction error numbers (SDM vol. 3, 31.4). */
static const char *const insn_errors[] = {
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

static const char *insn_error_name(unsigned long err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown";
}

/* The error of the last failing instruction, if there is a current VMCS. */
static unsigned long insn_error(void)
{
	unsigned long err = 0;

	__asm__ __volatile__("vmread %1, %0"
			     : "+r"(err)
			     : "r"((unsigned long)VMCS_INSN_ERROR)
			     : "cc");
	return err;
}

void vmx_insn_failed(const char *insn, unsigned long operand)
{
	unsigned long err = insn_error();

	panic("%s %#lx failed: VM-instruction error %lu (%s)\n", insn, operand,
	      err, insn_error_name(err));
}

static int vmx_cpu_up(void)
{
	struct vmx_cpu *c = &this_cpu(vmx_cpu);
	unsigned int cpu = smp_processor_id();
	u64 fc = rdmsr(MSR_FEATURE_CONTROL);
	u64 cr0 = read_cr0() | vmx_caps.cr0_fixed0;
	u64 cr4 = read_cr4() | vmx_caps.cr4_fixed0;

	/* Unlocked (no firmware did it): allow VMXON and lock, as it would */
	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		fc |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON;
		wrmsr(MSR_FEATURE_CONTROL, fc);
	}
	if (!(fc & FEATURE_CONTROL_VMXON)) {
		printk(XENLOG_ERR "CPU%u: VMX disabled by firmware\n", cpu);
		return -ENODEV;
	}
	if ((cr0 & ~vmx_caps.cr0_fixed1) || (cr4 & ~vmx_caps.cr4_fixed1)) {
		printk(XENLOG_ERR "CPU%u: CR0 %lx / CR4 %lx not allowed in VMX "
				  "operation\n",
		       cpu, (unsigned long)cr0, (unsigned long)cr4);
		return -ENODEV;
	}
	if (!c->vmxon_region) {
		c->vmxon_region = alloc_xenheap_page();
		if (!c->vmxon_region)
			return -ENOMEM;
		memset(c->vmxon_region, 0, PAGE_SIZE);
		*(u32 *)c->vmxon_region = vmx_caps.revision;
	}
	write_cr0(cr0);
	write_cr4(cr4);
	if (!vmxon(__pa(c->vmxon_region))) {
		printk(XENLOG_ERR "CPU%u: VMXON failed\n", cpu);
		return -EIO;
	}
	c->current_vmcs = 0;
	return 0;
}

/* Log a failed VMLAUNCH/VMRESUME and crash the domain (interrupts on). */
static void enter_failed(struct vcpu *v, struct vmx_vcpu *x, int rc,
			 unsigned long err)
{
	const char *insn = x->launched ? "VMRESUME" : "VMLAUNCH";

	if (rc == VMX_ENTER_FAIL_INVALID)
		domain_crash(v->domain, "%s failed: no current VMCS", insn);
	else
		domain_crash(v->domain,
			     "%s failed: VM-instruction error %lu (%s)", insn,
			     err, insn_error_name(err));
}

/*
 * Bound the guest's run by the time slice with the preemption timer, so a
 * guest that never exits is preempted even where the host's timer
 * interrupt does not reach it (Bochs 2.7 delivers none in guest mode).
 */
static void vmx_arm_preempt_timer(void)
{
	s_time_t left;
	u64 ticks;

	if (vmx_caps.preempt_shift < 0)
		return;
	left = sched_slice_end() - NOW();
	if (left <= 0)
		left = 1;
	ticks = ((u64)left * tsc_khz / 1000000) >> vmx_caps.preempt_shift;
	vmwrite(VMCS_PREEMPT_TIMER, (u32)min(max(ticks, 1UL), 0xffffffffUL));
}

static void vmx_run(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	unsigned long err = 0;
	bool new_cpu;
	int rc;

	/* Moved here from another CPU: clear the VMCS there first. */
	if (x->cpu != VMX_NO_CPU && x->cpu != smp_processor_id())
		vmx_vmcs_unload(x);
	local_irq_disable();
	if (!vcpu_runnable(v) || need_resched()) {
		local_irq_enable();
		return;
	}
	new_cpu = vmx_vmcs_load(x);
	/* Published before the flush generation is read (hvm.c). */
	__atomic_store_n(&x->hvm.in_guest, true, __ATOMIC_SEQ_CST);
	vmx_flush_ept(v, x, new_cpu);
	vmx_load_entry_state(v, x);
	vmx_arm_preempt_timer();
	rc = vmx_enter(&x->hvm.regs, x->launched);
	WRITE_ONCE(x->hvm.in_guest, false);
	if (rc) {
		if (rc == VMX_ENTER_FAIL_VALID)
			err = vmread(VMCS_INSN_ERROR);
		local_irq_enable();
		enter_failed(v, x, rc, err);
		return;
	}
	x->launched = true;
	vmx_save_exit_state(x);
	/* An NMI exit consumed the host's NMI: run its handler now. */
	if (x->exit_reason == EXIT_REASON_EXCEPTION_NMI &&
	    INTR_INFO_TYPE(x->exit_intr_info) == INTR_TYPE_NMI)
		__asm__ __volatile__("int $2" ::: "memory");
	/* An external interrupt that made the exit is taken here. */
	local_irq_enable();
	vmx_handle_exit(v, x);
}

static bool vmx_ept_accessed_bits(void)
{
	return vmx_caps.ept_vpid & EPT_CAP_AD;
}

static const struct hvm_function_table vmx_funcs = {
	.name = "VMX with EPT",
	.p2m_format = P2M_FORMAT_EPT,
	.p2m_accessed_bits = vmx_ept_accessed_bits,
	.cpu_up = vmx_cpu_up,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_reset = vmx_vcpu_reset,
	.vcpu_destroy = vmx_vcpu_destroy,
	.run = vmx_run,
	.show_state = vmx_show_state,
	.event_pending = vmx_event_pending,
	.inject_exception = vmx_inject_exception,
	.get_segment = vmx_get_segment,
	.set_segment = vmx_set_segment,
	.set_cr = vmx_set_cr,
	.get_dr6 = vmx_get_dr6,
	.set_dr6 = vmx_set_dr6,
	.get_dr7 = vmx_get_dr7,
	.set_dr7 = vmx_set_dr7,
	.hypercall_insn = { 0x0f, 0x01, 0xc1 }, /* vmcall */
	.switches_cr2_dr6_syscall = false,
};

/* A control word: what we want plus what must be 1, less what cannot. */
static u32 adjust_ctls(u32 msr, u32 wanted)
{
	u64 allowed = rdmsr(msr);

	return (wanted | (u32)allowed) & (u32)(allowed >> 32);
}

/* Fill vmx_caps; NULL or why this CPU cannot run our guests. */
static const char *read_caps(void)
{
	u64 basic = rdmsr(MSR_VMX_BASIC);
	struct vmx_caps *c = &vmx_caps;

	if (!(basic & VMX_BASIC_TRUE_CTLS))
		return "no TRUE control MSRs";
	if (VMX_BASIC_VMCS_SIZE(basic) > PAGE_SIZE ||
	    (basic & VMX_BASIC_32BIT_ADDR) ||
	    VMX_BASIC_MEMTYPE(basic) != MEMTYPE_WB)
		return "VMCS not placeable in write-back RAM";
	c->revision = VMX_BASIC_REVISION(basic);
	c->pin = adjust_ctls(MSR_VMX_TRUE_PINBASED_CTLS,
			     PIN_REQUIRED | PIN_PREEMPT_TIMER);
	c->preempt_shift = c->pin & PIN_PREEMPT_TIMER ?
				   (int)(rdmsr(MSR_VMX_MISC) & 0x1f) :
				   -1;
	c->proc = adjust_ctls(MSR_VMX_TRUE_PROCBASED_CTLS, PROC_REQUIRED);
	c->proc2 = adjust_ctls(MSR_VMX_PROCBASED_CTLS2, PROC2_WANTED);
	c->exit = adjust_ctls(MSR_VMX_TRUE_EXIT_CTLS, EXIT_REQUIRED);
	c->entry = adjust_ctls(MSR_VMX_TRUE_ENTRY_CTLS, ENTRY_REQUIRED);
	if ((c->pin & PIN_REQUIRED) != PIN_REQUIRED ||
	    (c->proc & PROC_REQUIRED) != PROC_REQUIRED ||
	    (c->exit & EXIT_REQUIRED) != EXIT_REQUIRED ||
	    (c->entry & ENTRY_REQUIRED) != ENTRY_REQUIRED)
		return "a required VM-execution, exit or entry control is "
		       "missing";
	if ((c->proc2 & PROC2_REQUIRED) != PROC2_REQUIRED)
		return "no EPT, VPID or unrestricted guest";
	c->ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if ((c->ept_vpid & EPT_REQUIRED) != EPT_REQUIRED ||
	    !(c->ept_vpid & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)) ||
	    !(c->ept_vpid & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL)))
		return "EPT lacks 4-level WB tables, 2M/1G pages, INVEPT or "
		       "INVVPID";
	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	return NULL;
}

const struct hvm_function_table *vmx_probe(void)
{
	const char *why;

	/* entry.S addresses the registers by these offsets. */
	BUILD_BUG_ON(__builtin_offsetof(struct hvm_regs, rdi) != 40 ||
		     __builtin_offsetof(struct hvm_regs, r15) != 112);
	if (!(cpuid(1).ecx & CPUID_1_ECX_VMX))
		return NULL;
	why = read_caps();
	if (why) {
		printk(XENLOG_WARNING "VMX: %s\n", why);
		return NULL;
	}
	printk("VMX: revision %#x, CR0 fixed %lx, CR4 fixed %lx, INVEPT %s, "
	       "INVVPID %s, EPT A/D %s\n",
	       vmx_caps.revision, (unsigned long)vmx_caps.cr0_fixed0,
	       (unsigned long)vmx_caps.cr4_fixed0,
	       vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE ? "single" : "all",
	       vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE ? "single" : "all",
	       vmx_ept_accessed_bits() ? "on" : "off");
	return &vmx_funcs;
}
