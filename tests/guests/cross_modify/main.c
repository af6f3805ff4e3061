/*
 * cross_modify: vCPU 1 patches code that vCPU 0 runs, the way Linux
 * patches its text (text_poke_bp): INT3 on the site, an IPI to vCPU 0
 * and a wait for its handler to answer (taking an interrupt serializes
 * it), the old byte back, the IPI again. vCPU 0 calls the site (XOR EAX;
 * the patched byte, a NOP; RET, whose fixup makes an INT3 trap return 3)
 * with interrupts off, and reads whether a patch is in progress before it
 * takes the next IPI. A trap while none is means it ran a copy of the
 * site that memory stopped holding at least one serializing IPI earlier.
 *
 * QEMU's multi-threaded TCG keeps such stale copies (docs/guests.md,
 * Known problems); the hypervisor's INT3 recheck must hide them: any
 * stale trap is a FAILURE. The patcher waits for vCPU 0 to call the site
 * twice after each patch, so a stale copy gets run while no patch is in
 * progress. It patches for seconds=S (default 2) or rounds=N (default
 * 100000); SUCCESS needs at least one trap during a patch (the site was
 * caught with its INT3), so the window was really exercised. SKIP with
 * fewer than 2 vCPUs.
 */
#include <stdint.h>

#include "apic.h"
#include "arch.h"
#include "runtime.h"
#include "xtf.h"

#define IPI_VECTOR 0x40
#define OPCODE_INT3 0xcc
#define OPCODE_NOP 0x90

/* The site, alone in its page: EAX is 3 if the patched byte trapped. */
asm(".pushsection .text.cross_modify, \"ax\"\n"
    ".balign 4096\n"
    "site:\n\t"
    "xor %eax, %eax\n"
    "site_patch:\n\t"
    "nop\n"
    "site_ret:\n\t"
    "ret\n\t"
    ".balign 4096\n"
    ".popsection");
asm(ASM_EXTABLE(site_ret, site_ret));
extern uint8_t site_patch[];

static volatile uint32_t runner_apic_id;
static volatile unsigned int runner_ready, acks, patching, finished;
static volatile unsigned long calls;

static unsigned int call_site(void)
{
	unsigned int trapped;

	asm volatile("call site" : "=a"(trapped) : : "memory");
	return trapped;
}

static void ipi_handler(void)
{
	acks++;
	apic_eoi();
}

/* vCPU 0: calls the site until vCPU 1 is done; FAILURE on a stale trap. */
static void run(void)
{
	unsigned long traps = 0;
	uint64_t end = rdtsc() + (uint64_t)xtf_tsc_khz() * 1000 *
					 (cmdline_uint("seconds", 2) + 30);

	apic_enable_x2apic();
	xtf_set_irq_handler(IPI_VECTOR, ipi_handler);
	runner_apic_id = apic_read(APIC_ID);
	__atomic_store_n(&runner_ready, 1, __ATOMIC_SEQ_CST);
	while (!finished) {
		unsigned int trapped, busy;

		local_irq_disable();
		trapped = call_site();
		busy = __atomic_load_n(&patching, __ATOMIC_SEQ_CST);
		local_irq_enable();
		calls++;
		check(rdtsc() < end, "vCPU 1 did not finish its patches");
		if (trapped != 3)
			continue;
		check(busy,
		      "an INT3 trap at the site after call %lu, "
		      "with no patch in progress: vCPU 0 ran code "
		      "memory no longer held",
		      calls);
		traps++;
	}
	check(traps,
	      "no INT3 trap in %lu calls: the site was never caught "
	      "during a patch",
	      calls);
	printf("cross_modify: %lu calls, %lu traps during a patch, none "
	       "after\n",
	       calls, traps);
	xtf_success();
}

/* Send the IPI and wait for vCPU 0's handler to take it. */
static void sync_runner(void)
{
	unsigned int seen = acks;

	apic_send(runner_apic_id, ICR_FIXED | IPI_VECTOR);
	while (acks == seen)
		cpu_relax();
}

/* vCPU 1: patches the site, Linux's way, for a time or a count. */
static void patch(void)
{
	unsigned long rounds = cmdline_uint("rounds", 100000), i;
	uint64_t end = rdtsc() + (uint64_t)xtf_tsc_khz() * 1000 *
					 cmdline_uint("seconds", 2);

	apic_enable_x2apic();
	while (!__atomic_load_n(&runner_ready, __ATOMIC_SEQ_CST))
		cpu_relax();
	for (i = 0; i < rounds && rdtsc() < end; i++) {
		unsigned long seen;

		__atomic_store_n(&patching, 1, __ATOMIC_SEQ_CST);
		*(volatile uint8_t *)site_patch = OPCODE_INT3;
		sync_runner();
		*(volatile uint8_t *)site_patch = OPCODE_NOP;
		sync_runner();
		__atomic_store_n(&patching, 0, __ATOMIC_SEQ_CST);
		seen = calls;
		while (calls - seen < 2)
			cpu_relax();
	}
	printf("cross_modify: %lu patches\n", i);
	finished = 1;
}

void test_main(unsigned int vcpu)
{
	if (vcpu == 0) {
		apic_test_needs(2);
		run();
	}
	if (vcpu == 1)
		patch();
}
