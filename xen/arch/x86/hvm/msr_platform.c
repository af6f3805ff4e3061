/*
 * The model-specific registers a kernel reads or writes on its first lines
 * besides those the vendor code switches: answered as Xen answers an HVM
 * guest, so that a stock kernel finds what it expects instead of a #GP.
 * The MTRRs are per vCPU (struct hvm_mtrr) and start as Xen starts a PVH
 * guest's: enabled, write-back by default, every fixed range write-back,
 * no variable range in use; they only describe memory types to the guest
 * (the nested tables keep the host's). Both vendors' registers are
 * answered whatever the CPU is: a kernel reads only its vendor's.
 */
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/processor.h>

#define MSR_PLATFORM_ID 0x17
#define MSR_FEATURE_CONTROL_GUEST 0x3a
#define MSR_BIOS_UPDT_TRIG 0x79
#define MSR_UCODE_REV 0x8b /* AMD: the patch level */
#define MSR_PLATFORM_INFO 0xce
#define MSR_MTRRCAP 0xfe
#define MSR_MISC_FEATURES_ENABLES 0x140
#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MISC_ENABLE 0x1a0
#define MSR_DEBUGCTL 0x1d9
#define MSR_MTRR_PHYS_FIRST 0x200
#define MSR_MTRR_FIX_64K 0x250
#define MSR_MTRR_FIX_16K_80000 0x258
#define MSR_MTRR_FIX_16K_A0000 0x259
#define MSR_MTRR_FIX_4K_FIRST 0x268
#define MSR_MTRR_FIX_4K_LAST 0x26f
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_AMD_HWCR 0xc0010015
#define MSR_AMD_DE_CFG 0xc0011029

/* VCNT variable ranges, fixed ranges, write-combining. */
#define MTRRCAP_VALUE (HVM_MTRR_VAR | (1u << 8) | (1u << 10))
#define MTRR_DEF_E (1u << 11)
#define MTRR_DEF_FE (1u << 10)
#define MTRR_TYPE_WB 6
#define MTRR_FIXED_ALL_WB 0x0606060606060606UL
#define MTRR_MASK_VALID (1u << 11)
/* Feature control: locked, VMX off (no nested virtualisation). */
#define FEATURE_CONTROL_LOCKED 1
/* Branch-trace and PEBS storage unavailable; fast strings on. */
#define MISC_ENABLE_VALUE ((1u << 0) | (1u << 11) | (1u << 12))
/* HWCR.TscFreqSel: the TSC counts at the P0 frequency. */
#define AMD_HWCR_VALUE (1u << 24)
/* DE_CFG: LFENCE is dispatch-serialising. */
#define AMD_DE_CFG_VALUE (1u << 1)

void hvm_mtrr_init(struct hvm_mtrr *m)
{
	unsigned int i;

	*m = (struct hvm_mtrr){ .def_type = MTRR_DEF_E | MTRR_DEF_FE |
					    MTRR_TYPE_WB };
	for (i = 0; i < ARRAY_SIZE(m->fixed); i++)
		m->fixed[i] = MTRR_FIXED_ALL_WB;
}

static bool mtrr_type_ok(unsigned int type)
{
	/* UC, WC, WT, WP, WB: 2, 3 and 7 and up are reserved. */
	return type == 0 || type == 1 || (type >= 4 && type <= 6);
}

/* Bits above the guest's physical address width, and 12..63 masks. */
static u64 phys_reserved(void)
{
	return ~((1UL << hvm_guest_maxphyaddr()) - 1);
}

/* The fixed-range register msr's index in hvm_mtrr.fixed, or -1. */
static int fixed_index(u32 msr)
{
	if (msr == MSR_MTRR_FIX_64K)
		return 0;
	if (msr == MSR_MTRR_FIX_16K_80000)
		return 1;
	if (msr == MSR_MTRR_FIX_16K_A0000)
		return 2;
	if (msr >= MSR_MTRR_FIX_4K_FIRST && msr <= MSR_MTRR_FIX_4K_LAST)
		return 3 + (int)(msr - MSR_MTRR_FIX_4K_FIRST);
	return -1;
}

static bool is_var_mtrr(u32 msr)
{
	return msr >= MSR_MTRR_PHYS_FIRST &&
	       msr < MSR_MTRR_PHYS_FIRST + 2 * HVM_MTRR_VAR;
}

static int mtrr_write(struct hvm_mtrr *m, u32 msr, u64 val)
{
	int fixed = fixed_index(msr);
	unsigned int i;

	if (msr == MSR_MTRR_DEF_TYPE) {
		if ((val & ~(u64)(0xff | MTRR_DEF_E | MTRR_DEF_FE)) ||
		    !mtrr_type_ok(val & 0xff))
			return -1;
		m->def_type = val;
		return 0;
	}
	if (fixed >= 0) {
		for (i = 0; i < 8; i++)
			if (!mtrr_type_ok((val >> (i * 8)) & 0xff))
				return -1;
		m->fixed[fixed] = val;
		return 0;
	}
	i = msr - MSR_MTRR_PHYS_FIRST;
	if (i & 1) { /* PHYSMASK: valid bit 11, mask bits 12 and up */
		if (val & (phys_reserved() | 0x7ff))
			return -1;
	} else if ((val & (phys_reserved() | 0xf00)) ||
		   !mtrr_type_ok(val & 0xff)) {
		return -1;
	}
	m->var[i] = val;
	return 0;
}

static int mtrr_read(const struct hvm_mtrr *m, u32 msr, u64 *val)
{
	int fixed = fixed_index(msr);

	if (msr == MSR_MTRRCAP)
		*val = MTRRCAP_VALUE;
	else if (msr == MSR_MTRR_DEF_TYPE)
		*val = m->def_type;
	else if (fixed >= 0)
		*val = m->fixed[fixed];
	else
		*val = m->var[msr - MSR_MTRR_PHYS_FIRST];
	return 0;
}

static bool is_mtrr(u32 msr)
{
	return msr == MSR_MTRRCAP || msr == MSR_MTRR_DEF_TYPE ||
	       fixed_index(msr) >= 0 || is_var_mtrr(msr);
}

int hvm_platform_rdmsr(struct hvm_vcpu *h, u32 msr, u64 *val)
{
	if (is_mtrr(msr))
		return mtrr_read(&h->mtrr, msr, val);
	switch (msr) {
	case MSR_PLATFORM_ID:
	case MSR_UCODE_REV:
	case MSR_PLATFORM_INFO:
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_MCG_CAP: /* no machine-check banks */
	case MSR_MCG_STATUS:
	case MSR_DEBUGCTL:
		*val = 0;
		return 0;
	case MSR_FEATURE_CONTROL_GUEST:
		*val = FEATURE_CONTROL_LOCKED;
		return 0;
	case MSR_MISC_ENABLE:
		*val = MISC_ENABLE_VALUE;
		return 0;
	case MSR_AMD_HWCR:
		*val = AMD_HWCR_VALUE;
		return 0;
	case MSR_AMD_DE_CFG:
		*val = AMD_DE_CFG_VALUE;
		return 0;
	}
	return 1;
}

int hvm_platform_wrmsr(struct hvm_vcpu *h, u32 msr, u64 val)
{
	if (msr == MSR_MTRRCAP)
		return -1; /* read-only */
	if (is_mtrr(msr))
		return mtrr_write(&h->mtrr, msr, val);
	switch (msr) {
	case MSR_BIOS_UPDT_TRIG: /* no microcode to load: ignored */
	case MSR_UCODE_REV: /* written 0 before CPUID latches it */
	case MSR_MISC_ENABLE: /* kept as it reads */
	case MSR_AMD_HWCR:
	case MSR_AMD_DE_CFG:
		return 0;
	case MSR_MISC_FEATURES_ENABLES: /* no CPUID faulting offered */
	case MSR_MCG_STATUS:
	case MSR_DEBUGCTL: /* no LBR or BTF offered */
		return val ? -1 : 0;
	}
	return msr == MSR_FEATURE_CONTROL_GUEST ? -1 : 1;
}
