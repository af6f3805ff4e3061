/* Bringing up the application processors listed in the MADT. */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/config.h>
#include <asm/hvm.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <asm/stack.h>
#include <asm/system.h>
#include <asm/time.h>
#include <asm/traps.h>

extern char trampoline_start[], trampoline_end[];
extern u64 tramp_cr3, tramp_stack, tramp_entry;

cpumask_t guest_cpu_map;

/*
 * Test aid: treat this CPU's HVM bring-up as failed (boot tests of vCPU
 * placement). Out of range (the default) fakes nothing.
 */
static unsigned int opt_hvm_fail_cpu = NR_CPUS;
integer_param("hvm_fail_cpu", opt_hvm_fail_cpu);

void cpu_hvm_ready(unsigned int cpu, int rc)
{
	if (hvm_enabled() && cpu == opt_hvm_fail_cpu)
		rc = -EIO;
	if (hvm_enabled() && rc) {
		printk(XENLOG_ERR "CPU%u: cannot enable HVM (error %d): "
				  "no guest vCPU will run on it\n",
		       cpu, rc);
		return;
	}
	cpumask_set_cpu(cpu, &guest_cpu_map);
}

/* The CPU number the AP now starting should take (one at a time). */
static volatile unsigned int booting_cpu;

/* Where a trampoline variable lives in the copy at TRAMPOLINE_ADDR. */
static u64 *tramp_var(u64 *var)
{
	return __va(TRAMPOLINE_ADDR + ((char *)var - trampoline_start));
}

static void __noreturn ap_start(void)
{
	unsigned int cpu = booting_cpu;

	percpu_load(cpu);
	percpu_traps_init(cpu);
	lapic_init();
	scheduler_init_cpu(cpu);
	cpu_hvm_ready(cpu, hvm_cpu_up());
	cpumask_set_cpu(cpu, &cpu_online_map);
	local_irq_enable();
	idle_loop();
}

static bool start_cpu(unsigned int cpu, u32 apic_id)
{
	void *stack = NULL;
	s_time_t deadline;

	if (percpu_alloc(cpu) || !(stack = stack_alloc_cpu(cpu))) {
		printk(XENLOG_ERR "CPU%u: no memory to start it\n", cpu);
		return false;
	}
	cpu_to_apicid[cpu] = apic_id;
	booting_cpu = cpu;
	*tramp_var(&tramp_stack) = (unsigned long)stack + STACK_SIZE;
	*tramp_var(&tramp_entry) = (unsigned long)ap_start;
	smp_mb();

	send_ipi_apicid(apic_id, APIC_DM_INIT, 0);
	udelay(10000);
	send_ipi_apicid(apic_id, APIC_DM_STARTUP, TRAMPOLINE_ADDR >> 12);
	udelay(200);
	if (!cpumask_test_cpu(cpu, &cpu_online_map))
		send_ipi_apicid(apic_id, APIC_DM_STARTUP,
				TRAMPOLINE_ADDR >> 12);

	deadline = NOW() + SECONDS(2);
	while (!cpumask_test_cpu(cpu, &cpu_online_map))
		if (NOW() > deadline) {
			printk(XENLOG_ERR "CPU%u (APIC id %u) did not start\n",
			       cpu, apic_id);
			return false;
		}
	return true;
}

void smp_boot_cpus(unsigned int max_cpus)
{
	u32 bsp = lapic_id();
	unsigned int i, cpu = 1;

	cpu_to_apicid[0] = bsp;
	cpumask_set_cpu(0, &cpu_present_map);
	cpumask_set_cpu(0, &cpu_online_map);

	memcpy(__va(TRAMPOLINE_ADDR), trampoline_start,
	       (size_t)(trampoline_end - trampoline_start));
	*tramp_var(&tramp_cr3) = __pa(idle_pg_table);

	for (i = 0; i < acpi_cpus.nr; i++) {
		u32 id = acpi_cpus.apic_ids[i];

		if (id == bsp)
			continue;
		if (cpu >= max_cpus || cpu >= NR_CPUS) {
			printk(XENLOG_INFO "not starting CPU with APIC id %u "
					   "(limit %u)\n",
			       id, min(max_cpus, (unsigned int)NR_CPUS));
			continue;
		}
		cpumask_set_cpu(cpu, &cpu_present_map);
		if (start_cpu(cpu, id))
			cpu++;
		else
			cpumask_clear_cpu(cpu, &cpu_present_map);
	}
	nr_cpu_ids = cpu;
	printk(XENLOG_INFO "%u CPU%s online\n", num_online_cpus(),
	       num_online_cpus() == 1 ? "" : "s");
}
