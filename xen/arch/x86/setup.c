/* The boot CPU's path from the multiboot2 entry to a running system. */
#include <xen/autoexit.h>
#include <xen/console.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/selftest.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/config.h>
#include <asm/dom_build.h>
#include <asm/hvm.h>
#include <asm/i8259.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <asm/stack.h>
#include <asm/system.h>
#include <asm/time.h>
#include <asm/traps.h>

void __noreturn __start_xen(unsigned long mbi);

/* The boot CPU's stack, above one guard page (unmapped by stack_init()). */
u8 cpu0_stack[PAGE_SIZE + STACK_SIZE] __aligned(STACK_SIZE)
	__section(".bss.page_aligned");

static unsigned int opt_maxcpus = NR_CPUS;
integer_param("maxcpus", opt_maxcpus);

/* Hold back this much RAM at boot, for memory hot-add at run time. */
static unsigned long opt_mem_hotplug;
size_param("mem_hotplug", opt_mem_hotplug);

extern char __image_start_phys[], __bss_end[];

/* printk formats into 512 bytes: a long command line goes out in pieces. */
static void show_cmdline(const char *s)
{
	size_t len = strlen(s), off;

	printk("Command line: ");
	for (off = 0; off < len; off += 256)
		printk("%.256s", s + off);
	printk("\n");
}

static void show_memory_map(void)
{
	unsigned int i;

	printk("Boot loader: %s%s\n", boot_info.loader,
	       boot_info.efi ? " (EFI)" : "");
	show_cmdline(boot_info.cmdline);
	printk("RAM:\n");
	for (i = 0; i < boot_info.nr_ram; i++)
		printk(" %016lx - %016lx (%lu MiB)\n",
		       (unsigned long)boot_info.ram[i].start,
		       (unsigned long)boot_info.ram[i].end,
		       (unsigned long)(boot_info.ram[i].end -
				       boot_info.ram[i].start) >>
			       20);
}

/*
 * Take opt_mem_hotplug bytes (2 MiB aligned) out of the highest RAM range
 * that holds them; what lies above the held range stays RAM.
 */
static void hold_back_hotplug_memory(void)
{
	const paddr_t align = SUBSECTION_PAGES << PAGE_SHIFT;
	paddr_t size = ROUNDUP(opt_mem_hotplug, align);
	unsigned int i;

	if (!size)
		return;
	for (i = boot_info.nr_ram; i-- > 0;) {
		struct mem_range *r = &boot_info.ram[i];
		paddr_t end = ROUNDDOWN(r->end, align), start = end - size;

		if (end < size || start < r->start ||
		    boot_info.nr_ram == MAX_MEM_RANGES)
			continue;
		if (memory_hotplug_hold(start >> PAGE_SHIFT, end >> PAGE_SHIFT))
			break;
		if (end < r->end) {
			memmove(r + 2, r + 1,
				(boot_info.nr_ram - i - 1) * sizeof(*r));
			r[1] = (struct mem_range){ end, r->end };
			boot_info.nr_ram++;
		}
		r->end = start;
		printk("Held back for hot-add: %016lx - %016lx\n",
		       (unsigned long)start, (unsigned long)end);
		return;
	}
	printk(XENLOG_WARNING "mem_hotplug: cannot hold back %lu MiB\n",
	       (unsigned long)size >> 20);
}

/* Frame table for every RAM range, merged over shared sub-sections. */
static void frametable_init(void)
{
	const paddr_t sub = SUBSECTION_PAGES << PAGE_SHIFT;
	unsigned int i = 0;

	while (i < boot_info.nr_ram) {
		paddr_t s = ROUNDDOWN(boot_info.ram[i].start, sub);
		paddr_t e = ROUNDUP(boot_info.ram[i].end, sub);
		int rc;

		for (i++; i < boot_info.nr_ram &&
			  ROUNDDOWN(boot_info.ram[i].start, sub) <= e;
		     i++)
			e = max(e, ROUNDUP(boot_info.ram[i].end, sub));
		rc = frametable_add(s >> PAGE_SHIFT, e >> PAGE_SHIFT);
		if (rc)
			panic("frame table for %lx-%lx: error %d\n",
			      (unsigned long)s, (unsigned long)e, rc);
	}
}

static void memory_init(void)
{
	unsigned int i;

	hold_back_hotplug_memory();
	bootmem_init();
	bootmem_reserve((paddr_t)__image_start_phys, __pa(__bss_end));
	bootmem_reserve(boot_info.mbi_start, boot_info.mbi_end);
	for (i = 0; i < boot_info.nr_modules; i++)
		bootmem_reserve(boot_info.modules[i].start,
				boot_info.modules[i].end);

	paging_init();
	frametable_init();
	bootmem_release_to_heap();
	paging_heap_ready();
	printk("Heap: %lu MiB free\n", total_free_pages() >> (20 - PAGE_SHIFT));
}

void __start_xen(unsigned long mbi)
{
	percpu_save_template();
	console_init();
	trap_init_early();
	printk("Xen-lineage microhypervisor starting\n");

	multiboot2_parse(mbi);
	cmdline_parse(boot_info.cmdline);
	console_init();
	show_memory_map();
	memory_init();
	stack_init();
	trap_init_guards();

	if (acpi_init(boot_info.rsdp))
		acpi_cpus.lapic_base = 0xfee00000;
	i8259_disable();
	lapic_map(acpi_cpus.lapic_base);
	lapic_init();
	tsc_calibrate();
	wallclock_init();
	lapic_timer_calibrate();
	timer_init();
	scheduler_init();
	console_input_init();
	smp_ipi_init();
	cpu_hvm_ready(0, hvm_init());
	smp_boot_cpus(opt_maxcpus ? opt_maxcpus : 1);
	reaper_init();
	local_irq_enable();

	if (selftest_requested())
		selftest_run();
	autoexit_domains_start();
	if (boot_info.nr_modules) {
		unsigned int built = build_domains_from_modules();
		unsigned int given =
			boot_info.nr_modules + boot_info.nr_modules_refused;

		printk("%u domain%s built from %u boot module%s\n", built,
		       built == 1 ? "" : "s", given, given == 1 ? "" : "s");
	}

	printk("Boot complete: %u CPU%s, %lu MiB free.\n", num_online_cpus(),
	       num_online_cpus() == 1 ? "" : "s",
	       total_free_pages() >> (20 - PAGE_SHIFT));
	stack_overflow_test_start();
	autoexit_boot_done();
	idle_loop();
}
