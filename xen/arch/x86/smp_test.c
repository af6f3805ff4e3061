/* Self-tests of IPIs: cross-CPU calls, TLB shootdown, NMIs, fixups. */
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/selftest.h>
#include <xen/smp.h>
#include <asm/apic.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/system.h>
#include <asm/time.h>
#include <asm/traps.h>

static unsigned int hits[NR_CPUS];

static void count_hit(void *arg)
{
	__atomic_fetch_add(&hits[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

SELFTEST(ipi_call_function)
{
	cpumask_t one;
	unsigned int cpu, target;

	memset(hits, 0, sizeof(hits));
	on_each_cpu(count_hit, NULL, true);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		CHECK(hits[cpu] ==
		      (cpumask_test_cpu(cpu, &cpu_online_map) ? 1U : 0U));

	/* Only the selected CPU runs it. */
	target = cpumask_next(0, &cpu_online_map);
	if (target >= NR_CPUS)
		target = 0;
	cpumask_clear(&one);
	cpumask_set_cpu(target, &one);
	memset(hits, 0, sizeof(hits));
	on_selected_cpus(&one, count_hit, NULL, true);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		CHECK(hits[cpu] == (cpu == target ? 1U : 0U));
	return TEST_PASS;
}

/* A hypervisor address no other code maps: the ioremap area's last page. */
#define TLB_TEST_VA (IOREMAP_VIRT_START + IOREMAP_SIZE - PAGE_SIZE)

static u64 seen[NR_CPUS];

static void read_test_va(void *arg)
{
	seen[smp_processor_id()] = *(volatile u64 *)TLB_TEST_VA;
}

static bool all_saw(u64 v)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (seen[cpu] != v)
			return false;
	return true;
}

SELFTEST(tlb_shootdown)
{
	u64 *a = alloc_xenheap_page(), *b = alloc_xenheap_page();

	CHECK(a && b);
	*a = 0xaaaa;
	*b = 0xbbbb;
	CHECK(!map_pages_to_xen(TLB_TEST_VA, __pa(a), 1, PAGE_HYPERVISOR_RW,
				false));
	on_each_cpu(read_test_va, NULL, true); /* every TLB now caches it */
	CHECK(all_saw(0xaaaa));

	CHECK(!map_pages_to_xen(TLB_TEST_VA, __pa(b), 1, PAGE_HYPERVISOR_RW,
				false));
	flush_tlb_mask(&cpu_online_map);
	on_each_cpu(read_test_va, NULL, true);
	CHECK(all_saw(0xbbbb));

	unmap_pages_from_xen(TLB_TEST_VA, 1);
	flush_tlb_mask(&cpu_online_map);
	CHECK(xen_va_to_pa(TLB_TEST_VA) == ~(paddr_t)0);
	free_xenheap_page(a);
	free_xenheap_page(b);
	return TEST_PASS;
}

static unsigned int nmis[NR_CPUS];

static bool count_nmi(struct cpu_user_regs *regs)
{
	__atomic_fetch_add(&nmis[smp_processor_id()], 1, __ATOMIC_RELAXED);
	return true;
}

SELFTEST(nmi_ipi_each_cpu)
{
	unsigned int cpu;
	s_time_t end;

	memset(nmis, 0, sizeof(nmis));
	nmi_callback = count_nmi;
	for_each_online_cpu(cpu)
		send_nmi(cpu);
	end = NOW() + SECONDS(1);
	for_each_online_cpu(cpu)
		while (!__atomic_load_n(&nmis[cpu], __ATOMIC_RELAXED) &&
		       NOW() < end)
			cpu_relax();
	nmi_callback = NULL;
	for_each_online_cpu(cpu)
		CHECK(nmis[cpu] == 1);
	return TEST_PASS;
}

/* Load from addr; a fault is recovered through the exception table. */
static int load_with_fixup(unsigned long addr, u64 *val)
{
	int rc;

	__asm__ __volatile__("1: mov (%[addr]), %[val]\n\t"
			     "xor %[rc], %[rc]\n"
			     "2:\n\t"
			     ".pushsection .fixup, \"ax\"\n"
			     "3: mov %[fault], %[rc]\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t"
			     ".pushsection .ex_table, \"a\"\n\t"
			     ".quad 1b, 3b\n\t"
			     ".popsection"
			     : [val] "+r"(*val), [rc] "=&r"(rc)
			     : [addr] "r"(addr), [fault] "i"(-EFAULT));
	return rc;
}

SELFTEST(exception_fixup)
{
	u64 v = 7, good = 0x1234;

	/* A non-canonical address: #GP, recovered, v left alone. */
	CHECK(load_with_fixup(0x8000000000000000UL, &v) == -EFAULT);
	CHECK(v == 7);
	/* Unmapped (below the direct map): #PF, recovered. */
	CHECK(load_with_fixup(0x1000, &v) == -EFAULT);
	CHECK(load_with_fixup((unsigned long)&good, &v) == 0);
	CHECK(v == 0x1234);
	CHECK(rdmsr_safe(MSR_EFER, &v) == 0);
	CHECK(v & EFER_LME);
	return TEST_PASS;
}
