/*
 * acpi_s5: the sleep registers of the domain's hardware-reduced ACPI
 * (public/hvm_platform.h). The status register reads 0; a sleep type
 * other than S5 with SLP_EN (twice: the hypervisor says so once) and S5
 * without SLP_EN change nothing, the domain runs on. Then it prints
 * SUCCESS and writes S5 with SLP_EN, which must power the domain off at
 * once: still running 1 s later is a FAILURE (which overrides the
 * SUCCESS). tests/boot/check-acpi-s5.sh checks the hypervisor's lines.
 */
#include <xtf.h>
#include <public/hvm_platform.h>

static uint8_t in_byte(uint16_t port)
{
	uint8_t val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static void sleep_control(unsigned int type, bool enable)
{
	outb((uint8_t)(type << HVM_ACPI_SLP_TYP_SHIFT |
		       (enable ? HVM_ACPI_SLP_EN : 0)),
	     HVM_ACPI_SLEEP_CONTROL_PORT);
}

void test_main(unsigned int vcpu)
{
	uint64_t start, limit = (uint64_t)xtf_tsc_khz() * 1000;
	uint8_t status;

	if (vcpu)
		return;
	if (!xtf_has_xen() || !limit)
		xtf_skip("needs the hypervisor and its TSC frequency");
	status = in_byte(HVM_ACPI_SLEEP_STATUS_PORT);
	check(status == 0, "the sleep status register reads %#x", status);
	sleep_control(3, true);
	sleep_control(3, true);
	sleep_control(HVM_ACPI_SLP_TYP_S5, false);
	printf("acpi_s5: still running after S3 and S5 without SLP_EN\n");
	printf("Test result: SUCCESS\n");
	sleep_control(HVM_ACPI_SLP_TYP_S5, true);
	start = rdtsc();
	while (rdtsc() - start < limit)
		;
	xtf_failure("still running 1 s after S5 with SLP_EN");
}
