/*
 * apic_start: starting vCPU 1 again, in this order (vCPU 1 parks first):
 *
 *   running   VCPUOP_initialise of vCPU 1 while it runs is -EEXIST;
 *   init      INIT (an IPI to APIC ID 1) takes it down: VCPUOP_is_up 0,
 *             and VCPUOP_up -EINVAL (no start state);
 *   sipi      a SIPI with vector 0x08 starts it in real mode at 0800:0000:
 *             the trampoline there (copied to 0x8000) finds CS 0x0800,
 *             EDX the processor signature (CPUID 1 EAX) and CR0.PE clear;
 *             VCPUOP_is_up 1;
 *   twice     a second SIPI while it runs is ignored;
 *   hypercall after another INIT, VCPUOP_initialise gives it a 32-bit
 *             start state (EIP, ESP, EBX) but it stays down until
 *             VCPUOP_up, then runs there with that EBX; initialise again
 *             is -EEXIST.
 *
 * SUCCESS if all hold, else FAILURE naming the first check that did not.
 */
#include <apic.h>
#include <public/cpuid.h>
#include <public/hvm_vcpu.h>
#include <public/vcpu.h>

#include "trampoline.h"

#define TRAMP_PAGE 0x8000u
#define SIPI_VECTOR (TRAMP_PAGE >> 12)
#define AP_EBX 0x1234abcdu

extern const char sipi_tramp[], sipi_tramp_end[];

static volatile unsigned int parked;
static volatile uint32_t ap_ran, ap_ebx;
static uint8_t ap_stack[4096] __attribute__((aligned(16)));

/* Where VCPUOP_initialise starts vCPU 1: flat 32-bit, no IDT. */
void ap_entry(void);
void ap_main(void);
asm(".pushsection .text\n"
    ".globl ap_entry\n"
    "ap_entry:\n\t"
    "mov %ebx, ap_ebx\n\t"
    "call ap_main\n"
    ".popsection");

void ap_main(void)
{
	ap_ran = cpuid(XEN_CPUID_HVM).ebx + 1;
	for (;;)
		cli_hlt();
}

static volatile uint32_t *tramp_word(unsigned int offset)
{
	return (volatile uint32_t *)(uintptr_t)(TRAMP_PAGE + offset);
}

static long vcpu_op(unsigned int cmd, void *arg)
{
	return hypercall_vcpu_op(cmd, 1, arg);
}

/* Spin up to ms for *p to become non-zero. */
static bool spin_nonzero(volatile uint32_t *p, unsigned int ms)
{
	uint64_t end = rdtsc() + apic_tsc_ms(ms);

	while (!*p) {
		if (rdtsc() > end)
			return false;
		hypercall_yield();
	}
	return true;
}

static void init_vcpu1(const char *what)
{
	apic_send(1, ICR_INIT | ICR_ASSERT);
	check(vcpu_op(VCPUOP_is_up, 0) == 0, "%s: vCPU 1 is up after INIT",
	      what);
	check_rc(vcpu_op(VCPUOP_up, 0), -XEN_EINVAL, "VCPUOP_up after INIT");
}

static void context(struct vcpu_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_32B;
	c->cpu_regs.x86_32.eip = (uint32_t)(uintptr_t)ap_entry;
	c->cpu_regs.x86_32.esp =
		(uint32_t)(uintptr_t)(ap_stack + sizeof(ap_stack) - 4);
	c->cpu_regs.x86_32.ebx = AP_EBX;
	c->cpu_regs.x86_32.cr0 = 1; /* PE */
}

static void check_sipi(void)
{
	size_t len = (size_t)(sipi_tramp_end - sipi_tramp);
	volatile uint32_t *magic = tramp_word(TRAMP_MAGIC);

	if (xtf_in_use(TRAMP_PAGE, TRAMP_PAGE + 0x1000))
		xtf_error("the trampoline page %#x is in use", TRAMP_PAGE);
	check(len < TRAMP_MAGIC, "trampoline of %u bytes", (unsigned int)len);
	memcpy((void *)(uintptr_t)TRAMP_PAGE, sipi_tramp, len);
	*magic = 0;
	apic_send(1, ICR_STARTUP | SIPI_VECTOR);
	check(spin_nonzero(magic, 2000), "sipi: vCPU 1 did not report in");
	check(*magic == TRAMP_MAGIC_VALUE, "sipi: magic %#x", *magic);
	check((uint16_t)*tramp_word(TRAMP_CS) == SIPI_VECTOR << 8,
	      "sipi: CS %#x", (uint16_t)*tramp_word(TRAMP_CS));
	check(*tramp_word(TRAMP_EDX) == cpuid(1).eax,
	      "sipi: EDX %#x, not the signature %#x", *tramp_word(TRAMP_EDX),
	      cpuid(1).eax);
	check(!(*tramp_word(TRAMP_MSW) & 1), "sipi: CR0.PE set (MSW %#x)",
	      (uint16_t)*tramp_word(TRAMP_MSW));
	check_rc(vcpu_op(VCPUOP_is_up, 0), 1, "VCPUOP_is_up after SIPI");

	*magic = 0;
	apic_send(1, ICR_STARTUP | SIPI_VECTOR);
	apic_spin_ms(50);
	check(!*magic, "twice: a SIPI restarted a running vCPU");
}

static void check_initialise(void)
{
	struct vcpu_hvm_context c;

	context(&c);
	init_vcpu1("hypercall");
	check_rc(vcpu_op(VCPUOP_initialise, &c), 0, "VCPUOP_initialise");
	apic_spin_ms(20);
	check(!ap_ran, "hypercall: vCPU 1 ran before VCPUOP_up");
	check_rc(vcpu_op(VCPUOP_is_up, 0), 0, "VCPUOP_is_up before up");
	check_rc(vcpu_op(VCPUOP_up, 0), 0, "VCPUOP_up");
	check(spin_nonzero(&ap_ran, 2000), "hypercall: vCPU 1 never ran");
	check(ap_ran == 2, "hypercall: ran as vCPU %u", ap_ran - 1);
	check(ap_ebx == AP_EBX, "hypercall: EBX %#x", ap_ebx);
	check_rc(vcpu_op(VCPUOP_initialise, &c), -XEN_EEXIST,
		 "VCPUOP_initialise of a running vCPU");
}

void test_main(unsigned int vcpu)
{
	struct vcpu_hvm_context c;

	if (vcpu == 1)
		parked = 1;
	if (vcpu)
		return;
	apic_test_needs(2);
	apic_enable_x2apic();
	check(spin_nonzero(&parked, 5000), "vCPU 1 never started");
	/* Let it reach its parking hypercall. */
	apic_spin_ms(10);
	context(&c);
	check_rc(vcpu_op(VCPUOP_initialise, &c), -XEN_EEXIST,
		 "VCPUOP_initialise of a running vCPU");
	init_vcpu1("init");
	check_sipi();
	check_initialise();
	printf("apic_start: INIT/SIPI started vCPU 1 in real mode, "
	       "VCPUOP_initialise and up in 32-bit mode\n");
	xtf_success();
}
