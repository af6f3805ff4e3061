/*
 * xen_cpuid: the domain option xen_cpuid=off hides Xen's CPUID leaves
 * from a kernel that should not see Xen. With `hidden=1` on its command
 * line (its domain built with xen_cpuid=off) every leaf 0x40000000 to
 * 0x400000ff must read all zeros, so nothing says Xen; without it leaf
 * 0x40000000 must carry the "XenVMMXenVMM" signature. Without Xen's
 * leaves it cannot find the hypercall page, so it ends through the ACPI
 * sleep register (S5) either way, after its verdict line.
 */
#include <xtf.h>
#include <public/cpuid.h>
#include <public/hvm_platform.h>

static void power_off(void)
{
	outb(HVM_ACPI_SLP_TYP_S5 << HVM_ACPI_SLP_TYP_SHIFT | HVM_ACPI_SLP_EN,
	     HVM_ACPI_SLEEP_CONTROL_PORT);
	for (;;)
		cli_hlt();
}

/* The first of Xen's leaves that is not all zeros, or 0 if none. */
static uint32_t first_nonzero_leaf(void)
{
	uint32_t leaf;

	for (leaf = XEN_CPUID_FIRST_LEAF; leaf < XEN_CPUID_FIRST_LEAF + 0x100;
	     leaf++) {
		struct cpuid_regs r = cpuid(leaf);

		if (r.eax | r.ebx | r.ecx | r.edx)
			return leaf;
	}
	return 0;
}

void test_main(unsigned int vcpu)
{
	bool hidden = cmdline_uint("hidden", 0);
	uint32_t leaf;

	if (vcpu)
		return;
	leaf = first_nonzero_leaf();
	if (hidden && leaf)
		printf("Test result: FAILURE: leaf %#x is not zero with Xen's "
		       "leaves hidden\n",
		       leaf);
	else if (!hidden && !xtf_has_xen())
		printf("Test result: FAILURE: no Xen signature at leaf %#x\n",
		       XEN_CPUID_FIRST_LEAF);
	else
		printf("Test result: SUCCESS\n");
	power_off();
}
