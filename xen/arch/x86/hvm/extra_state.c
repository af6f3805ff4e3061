/*
 * The guest state VM entry and exit leave in the CPU (struct
 * hvm_extra_state): switched eagerly at every context switch, so a vCPU
 * finds exactly what it left, and its registers are never seen by another
 * vCPU or left for the host. The guest's MSRs of this kind are read and
 * written live: during its exits the vCPU's own values are loaded.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <asm/xstate.h>

#define DR6_RESET 0xffff0ff0UL

static bool vendor_switches_more(void)
{
	return hvm_funcs->switches_cr2_dr6_syscall;
}

int hvm_extra_init(struct hvm_vcpu *h)
{
	struct hvm_extra_state *x = &h->extra;

	memset(x, 0, sizeof(*x));
	x->fpu = xstate_alloc();
	if (!x->fpu)
		return -ENOMEM;
	x->xcr0 = XSTATE_X87;
	x->dr6 = DR6_RESET;
	return 0;
}

void hvm_extra_destroy(struct hvm_vcpu *h)
{
	xstate_free(h->extra.fpu);
	h->extra.fpu = NULL;
}

/* Interrupts off (context switch): nothing else runs here meanwhile. */
void hvm_extra_save(struct hvm_vcpu *h)
{
	struct hvm_extra_state *x = &h->extra;

	/*
	 * The CPU's XCR0 is the guest's: QEMU 7.2 runs a guest's XSETBV
	 * without the intercept (its own checks are the CPU's).
	 */
	if (xstate_xsave)
		x->xcr0 = xgetbv(0);
	xstate_save(x->fpu);
	x->dr[0] = read_dr(0);
	x->dr[1] = read_dr(1);
	x->dr[2] = read_dr(2);
	x->dr[3] = read_dr(3);
	if (!vendor_switches_more()) {
		x->dr6 = read_dr(6);
		x->cr2 = read_cr2();
		/* SWAPGS changes it without an exit; the others only WRMSR. */
		x->kernel_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	}
}

void hvm_extra_load(const struct hvm_vcpu *h)
{
	const struct hvm_extra_state *x = &h->extra;

	xstate_load(x->fpu, x->xcr0);
	write_dr(0, x->dr[0]);
	write_dr(1, x->dr[1]);
	write_dr(2, x->dr[2]);
	write_dr(3, x->dr[3]);
	if (!vendor_switches_more()) {
		write_dr(6, x->dr6);
		write_cr2(x->cr2);
		wrmsr(MSR_KERNEL_GS_BASE, x->kernel_gs_base);
		wrmsr(MSR_STAR, x->star);
		wrmsr(MSR_LSTAR, x->lstar);
		wrmsr(MSR_CSTAR, x->cstar);
		wrmsr(MSR_SFMASK, x->sfmask);
	}
	if (hvm_guest_caps.tsc_aux)
		wrmsr(MSR_TSC_AUX, x->tsc_aux);
}

/* The MSR's copy in x, for those only WRMSR changes. */
static u64 *msr_copy(struct hvm_extra_state *x, u32 msr)
{
	switch (msr) {
	case MSR_STAR:
		return &x->star;
	case MSR_LSTAR:
		return &x->lstar;
	case MSR_CSTAR:
		return &x->cstar;
	case MSR_SFMASK:
		return &x->sfmask;
	case MSR_TSC_AUX:
		return &x->tsc_aux;
	}
	return NULL;
}

static bool is_extra_msr(u32 msr)
{
	if (msr == MSR_TSC_AUX)
		return hvm_guest_caps.tsc_aux;
	if (vendor_switches_more())
		return false;
	return msr == MSR_KERNEL_GS_BASE || msr == MSR_STAR ||
	       msr == MSR_LSTAR || msr == MSR_CSTAR || msr == MSR_SFMASK;
}

int hvm_extra_rdmsr(struct hvm_vcpu *h, u32 msr, u64 *val)
{
	if (!is_extra_msr(msr))
		return 1;
	*val = msr == MSR_KERNEL_GS_BASE ? rdmsr(msr) :
					   *msr_copy(&h->extra, msr);
	return 0;
}

/* As the CPU would: a value it refuses is #GP here, never in the host. */
static bool msr_value_ok(u32 msr, u64 val)
{
	switch (msr) {
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
		return is_canonical(val);
	case MSR_SFMASK:
	case MSR_TSC_AUX:
		return !(val >> 32);
	}
	return true;
}

int hvm_extra_wrmsr(struct hvm_vcpu *h, u32 msr, u64 val)
{
	if (!is_extra_msr(msr))
		return 1;
	if (!msr_value_ok(msr, val))
		return -1;
	if (msr != MSR_KERNEL_GS_BASE)
		*msr_copy(&h->extra, msr) = val;
	wrmsr(msr, val);
	return 0;
}

bool hvm_xsetbv(struct vcpu *v, u32 index, u64 value)
{
	struct hvm_vcpu *h = hvm_of(v);

	if (!xstate_xsave || !(h->cr4 & X86_CR4_OSXSAVE)) {
		hvm_funcs->inject_exception(v, TRAP_invalid_op, -1);
		return false;
	}
	if (h->cpl || index || hvm_check_xcr0(value)) {
		hvm_funcs->inject_exception(v, TRAP_gp_fault, 0);
		return false;
	}
	h->extra.xcr0 = value;
	xsetbv(0, value);
	return true;
}
