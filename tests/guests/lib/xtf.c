#include <public/cpuid.h>

#include "runtime.h"
#include "xtf.h"

#define BARRIER_TIMEOUT_S 30

/* Written by vCPU 0 before it sets `ready`; read-only after. */
static bool has_xen;
static unsigned int domid, nr_vcpus;
static uint32_t tsc_khz;
static unsigned int ready;

static unsigned int verdict_given;

bool xtf_has_xen(void)
{
	return has_xen;
}

unsigned int xtf_domid(void)
{
	return domid;
}

unsigned int xtf_nr_vcpus(void)
{
	return nr_vcpus;
}

uint64_t xtf_p2m_end(void)
{
	unsigned int bits = cpuid(0x80000008).eax & 0xff;

	return 1ull << ((bits < 48 ? bits : 48) - 12);
}

uint32_t xtf_tsc_khz(void)
{
	return tsc_khz;
}

void xtf_spin_ms(unsigned int ms)
{
	uint64_t start = rdtsc();

	while (rdtsc() - start < (uint64_t)ms * tsc_khz)
		cpu_relax();
}

void xtf_idle_ms(unsigned int ms)
{
	local_irq_enable();
	xtf_spin_ms(ms);
	local_irq_disable();
	local_irq_enable();
	cpu_relax();
	cpu_relax();
}

bool xtf_verdict_given(void)
{
	return atomic_read(&verdict_given);
}

static void detect_xen(void)
{
	struct cpuid_regs r = cpuid(XEN_CPUID_FIRST_LEAF);

	/* Without a hypervisor these leaves may echo another leaf's data. */
	has_xen = r.ebx == XEN_CPUID_SIGNATURE_EBX &&
		  r.ecx == XEN_CPUID_SIGNATURE_ECX &&
		  r.edx == XEN_CPUID_SIGNATURE_EDX;
	if (!has_xen)
		return;
	if (r.eax >= XEN_CPUID_TIME)
		tsc_khz = cpuid_count(XEN_CPUID_TIME, 0).ecx;
	if (r.eax >= XEN_CPUID_HVM) {
		r = cpuid(XEN_CPUID_HVM);
		if (r.eax & XEN_HVM_CPUID_DOMID_PRESENT)
			domid = r.ecx;
	}
}

/* Block until the domain is gone; nothing ever wakes a test guest. */
static noreturn void park(void)
{
	while (has_xen && hypercall_block() == 0)
		;
	for (;;)
		cli_hlt();
}

static noreturn void shutdown(unsigned int reason)
{
	if (has_xen)
		printf("shutdown hypercall returned %ld\n",
		       hypercall_shutdown(reason));
	for (;;)
		cli_hlt();
}

/* The first verdict on any vCPU wins: exactly one result line per run. */
static noreturn void verdict(unsigned int reason, const char *result,
			     const char *fmt, va_list *ap)
{
	char why[200];

	if (atomic_xchg(&verdict_given, 1))
		park();
	if (fmt) {
		vsnprintf(why, sizeof(why), fmt, *ap);
		printf("Test result: %s: %s\n", result, why);
	} else {
		printf("Test result: %s\n", result);
	}
	shutdown(reason);
}

noreturn void xtf_success(void)
{
	verdict(SHUTDOWN_poweroff, "SUCCESS", NULL, NULL);
}

#define DEFINE_VERDICT(fn, reason, result)         \
	noreturn void fn(const char *fmt, ...)     \
	{                                          \
		va_list ap;                        \
                                                   \
		va_start(ap, fmt);                 \
		verdict(reason, result, fmt, &ap); \
	}

DEFINE_VERDICT(xtf_skip, SHUTDOWN_poweroff, "SKIP")
DEFINE_VERDICT(xtf_error, SHUTDOWN_crash, "ERROR")
DEFINE_VERDICT(xtf_failure, SHUTDOWN_crash, "FAILURE")

/*
 * One step of waiting for another vCPU: yield to the hypervisor now and
 * then, so that a vCPU of this domain sharing this pCPU gets to run.
 */
static void spin_wait(unsigned int spins)
{
	if (has_xen && !(spins % 1024))
		hypercall_yield();
	else
		cpu_relax();
}

void spin_lock(struct spinlock *l)
{
	unsigned int spins = 0;

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			spin_wait(++spins);
}

static unsigned int barrier_arrived, barrier_generation;

void xtf_barrier(unsigned int nr)
{
	xtf_barrier_within(nr, BARRIER_TIMEOUT_S);
}

void xtf_barrier_within(unsigned int nr, unsigned int seconds)
{
	/*
	 * Read before arriving: the generation cannot move on until this vCPU
	 * has arrived, and the last to arrive resets the count first.
	 */
	unsigned int gen = atomic_read(&barrier_generation);
	uint64_t start, limit;

	if (atomic_add_return(&barrier_arrived, 1) == nr) {
		atomic_set(&barrier_arrived, 0);
		atomic_set(&barrier_generation, gen + 1);
		return;
	}
	/* Without a reported TSC frequency, assume 1 GHz. */
	limit = (uint64_t)(tsc_khz ?: 1000000) * 1000 * seconds;
	start = rdtsc();
	for (unsigned int spins = 1; atomic_read(&barrier_generation) == gen;
	     spins++) {
		if (rdtsc() - start > limit)
			xtf_error("barrier: %u of %u vCPUs arrived in %u s",
				  atomic_read(&barrier_arrived), nr, seconds);
		spin_wait(spins);
	}
}

/*
 * The domain's vCPUs: ids 0 to N-1, each answering VCPUOP_is_up (up or
 * down); the first id past them is -EINVAL. One, without a hypervisor.
 */
static unsigned int count_vcpus(void)
{
	unsigned int n = 0;

	if (!has_xen)
		return 1;
	while (n <= XTF_MAX_VCPUS &&
	       hypercall_vcpu_op(VCPUOP_is_up, n, NULL) >= 0)
		n++;
	return n;
}

noreturn void xtf_start(unsigned int vcpu, uint32_t start_info_pa)
{
	if (vcpu == 0) {
		detect_xen();
		hypercall_init();
		traps_init();
		traps_load();
		start_info_init(start_info_pa);
		nr_vcpus = count_vcpus();
		if (nr_vcpus < 1 || nr_vcpus > XTF_MAX_VCPUS)
			xtf_error("%u vCPUs: the runtime supports 1 to %u",
				  nr_vcpus, XTF_MAX_VCPUS);
		atomic_set(&ready, 1);
	} else {
		while (!atomic_read(&ready))
			cpu_relax();
		traps_load();
	}
	test_main(vcpu);
	if (vcpu == 0)
		xtf_error("test_main() returned on vCPU 0 without a verdict");
	park();
}
