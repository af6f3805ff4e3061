/*
 * msrs: the model-specific registers a stock kernel touches on its first
 * lines, answered as Xen answers an HVM guest. MTRRs: MTRRcap says 8
 * variable ranges, fixed ranges and WC; the default type is write-back,
 * enabled with the fixed ranges; every fixed range is write-back and no
 * variable range is in use. Legal writes read back, and each vCPU has its
 * own (vCPU 1 still sees the reset default after vCPU 0 changed its own);
 * reserved bits, bad memory types and a write to MTRRcap are #GP and
 * change nothing. Then feature control (locked, VMX off; writes #GP),
 * MISC_ENABLE, DEBUGCTL (0; only 0 may be written), platform id and info,
 * the microcode revision, MCG_CAP/MCG_STATUS, AMD's HWCR and DE_CFG, and
 * an MSR nobody has (#GP). Every check runs; FAILURE names the first.
 */
#include <xtf.h>

#define GP 13
#define MTRRCAP 0xfe
#define MTRR_DEF_TYPE 0x2ff
#define MTRR_PHYSBASE0 0x200
#define MTRR_PHYSMASK0 0x201
#define MTRR_FIX_64K 0x250
#define MTRR_FIX_4K_F8000 0x26f

static unsigned int failures;
static char first[160];
static unsigned int def_changed, vcpu1_done;

static void fail(const char *what, uint32_t msr, uint64_t got)
{
	if (!failures++)
		snprintf(first, sizeof(first), "%s (MSR %#x: %#llx)", what, msr,
			 (unsigned long long)got);
	printf("msrs: %s (MSR %#x: %#llx)\n", what, msr,
	       (unsigned long long)got);
}

static void expect_read(uint32_t msr, uint64_t want)
{
	uint64_t val;
	unsigned int fault = rdmsr_safe(msr, &val);

	if (fault)
		fail("read faulted", msr, fault);
	else if (val != want)
		fail("read a value not the one expected", msr, val);
}

static void expect_write(uint32_t msr, uint64_t val)
{
	unsigned int fault = wrmsr_safe(msr, val);

	if (fault)
		fail("a legal write faulted", msr, val);
	else
		expect_read(msr, val);
}

/* A write that must be #GP and leave the value read before it. */
static void expect_gp(uint32_t msr, uint64_t val)
{
	uint64_t before = 0;
	bool readable = !rdmsr_safe(msr, &before);
	unsigned int fault = wrmsr_safe(msr, val);

	if (fault != GP)
		fail("a bad write was not #GP", msr, val);
	else if (readable)
		expect_read(msr, before);
}

static void mtrrs(void)
{
	expect_read(MTRRCAP, 0x508);
	expect_read(MTRR_DEF_TYPE, 0xc06);
	expect_read(MTRR_FIX_64K, 0x0606060606060606ULL);
	expect_read(MTRR_FIX_4K_F8000, 0x0606060606060606ULL);
	expect_read(MTRR_PHYSBASE0, 0);
	expect_read(MTRR_PHYSMASK0, 0);
	expect_gp(MTRRCAP, 0x508);
	expect_gp(MTRR_DEF_TYPE, 0xc06 | 1u << 12); /* reserved bit */
	expect_gp(MTRR_DEF_TYPE, 0xc02); /* type 2 is reserved */
	expect_gp(MTRR_FIX_64K, 0x0606060606060607ULL); /* type 7 */
	expect_gp(MTRR_PHYSBASE0, 0x100000 | 1u << 8); /* reserved bit */
	expect_gp(MTRR_PHYSMASK0, 0xfff00000 | 1u << 3);
	expect_write(MTRR_PHYSBASE0, 0x100000 | 5); /* WP at 1 MiB */
	expect_write(MTRR_PHYSMASK0, 0xfff00000 | 1u << 11);
	expect_write(MTRR_PHYSMASK0, 0);
	expect_write(MTRR_FIX_64K, 0x0004050600000000ULL);
	expect_write(MTRR_DEF_TYPE, 0x800); /* enabled, UC, fixed off */
}

static void others(void)
{
	expect_read(0x3a, 1); /* feature control: locked, VMX off */
	expect_gp(0x3a, 5);
	expect_read(0x1a0, 0x1801); /* misc enable */
	expect_write(0x1a0, 0x1801);
	expect_read(0x1d9, 0); /* debugctl */
	expect_write(0x1d9, 0);
	expect_gp(0x1d9, 1);
	expect_read(0x17, 0); /* platform id */
	expect_read(0xce, 0); /* platform info */
	expect_write(0x8b, 0); /* microcode revision: written 0, reads 0 */
	expect_read(0x179, 0); /* MCG_CAP: no banks */
	expect_read(0x17a, 0);
	expect_gp(0x17a, 1);
	expect_read(0xc0010015, 1u << 24); /* AMD HWCR: TscFreqSel */
	expect_read(0xc0011029, 2); /* AMD DE_CFG: LFENCE serialising */
	expect_gp(0x4b564d00, 1); /* nobody's */
}

void test_main(unsigned int vcpu)
{
	uint64_t start, limit = (uint64_t)xtf_tsc_khz() * 5000;

	if (vcpu == 1) {
		start = rdtsc();
		while (!atomic_read(&def_changed) && rdtsc() - start < limit)
			;
		expect_read(MTRR_DEF_TYPE, 0xc06);
		atomic_set(&vcpu1_done, 1);
		return;
	}
	if (vcpu)
		return;
	if (!xtf_has_xen() || !limit)
		xtf_skip("needs the hypervisor and its TSC frequency");
	mtrrs();
	atomic_set(&def_changed, 1);
	others();
	if (xtf_nr_vcpus() > 1) {
		start = rdtsc();
		while (!atomic_read(&vcpu1_done))
			if (rdtsc() - start > limit)
				xtf_error("vCPU 1 did not report in 5 s");
	}
	if (failures)
		xtf_failure("%u check%s failed, first: %s", failures,
			    failures == 1 ? "" : "s", first);
	xtf_success();
}
