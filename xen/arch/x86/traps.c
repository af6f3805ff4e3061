/*
 * GDT, TSS and IDT per CPU; exception handling with register dumps,
 * frame-pointer backtraces and fixups; interrupt dispatch.
 */
#include <xen/lib.h>
#include <xen/percpu.h>
#include <xen/shutdown.h>
#include <xen/spinlock.h>
#include <xen/mm.h>
#include <xen/symbols.h>
#include <asm/apic.h>
#include <asm/config.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/stack.h>
#include <asm/system.h>
#include <asm/traps.h>

#define GDT_CODE 0x08
#define GDT_DATA 0x10
#define GDT_TSS 0x18
#define GDT_ENTRIES 5
#define IST_NMI 1
#define IST_DF 2
#define IST_MCE 3

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct idt_entry {
	u16 offset_lo, selector;
	u8 ist, type_attr;
	u16 offset_mid;
	u32 offset_hi, zero;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

struct ex_entry {
	unsigned long insn, fixup;
};

extern const char trap_stubs[];
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static struct idt_entry idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];
bool (*nmi_callback)(struct cpu_user_regs *regs);

static DEFINE_PER_CPU(u64, gdt[GDT_ENTRIES]);
static DEFINE_PER_CPU(struct tss, tss);
/*
 * Separate stacks for NMI, #DF and #MC, so they work on a broken stack (a
 * stack overflow's #PF cannot be delivered: it becomes a #DF). The boot
 * CPU's are in the image: it takes exceptions before the heap exists.
 */
static u8 cpu0_ist[STACK_NR_IST][PAGE_SIZE] __aligned(PAGE_SIZE);

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection fault",
	"page fault",
	"reserved",
	"x87 FP error",
	"alignment check",
	"machine check",
	"SIMD FP error",
	"virtualization",
	"control protection",
};

static void set_gate(unsigned int vec, unsigned int ist)
{
	unsigned long addr = (unsigned long)trap_stubs + vec * 16;

	idt[vec] = (struct idt_entry){
		.offset_lo = (u16)addr,
		.selector = GDT_CODE,
		.ist = (u8)ist,
		.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
		.offset_mid = (u16)(addr >> 16),
		.offset_hi = (u32)(addr >> 32),
	};
}

void trap_init_early(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(TRAP_nmi, IST_NMI);
	set_gate(TRAP_double_fault, IST_DF);
	set_gate(TRAP_machine_check, IST_MCE);
	percpu_traps_init(0);
}

/* Point cpu's TSS at its IST pages at pa, mapped behind guard pages. */
static void set_ist_stacks(unsigned int cpu, paddr_t pa)
{
	unsigned long tops[STACK_NR_IST];
	unsigned int i;

	if (stack_map_ist(cpu, pa, tops))
		panic("no memory for CPU%u exception stacks\n", cpu);
	for (i = 0; i < STACK_NR_IST; i++)
		per_cpu(tss, cpu).ist[i] = tops[i];
}

void trap_init_guards(void)
{
	set_ist_stacks(0, __pa(cpu0_ist));
}

void percpu_traps_init(unsigned int cpu)
{
	u64 *gdt = per_cpu(gdt, cpu);
	struct tss *tss = &per_cpu(tss, cpu);
	unsigned long base = (unsigned long)tss;
	struct desc_ptr gdtr = { sizeof(per_cpu(gdt, cpu)) - 1,
				 (unsigned long)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (unsigned long)idt };
	unsigned int i;

	if (cpu == 0) {
		/* Unguarded until trap_init_guards() */
		for (i = 0; i < STACK_NR_IST; i++)
			tss->ist[i] =
				(unsigned long)cpu0_ist + (i + 1) * PAGE_SIZE;
	} else {
		/* Order 2: STACK_NR_IST pages, physically contiguous. */
		void *ist = alloc_xenheap_pages(2, 0);

		if (!ist)
			panic("no memory for CPU%u exception stacks\n", cpu);
		set_ist_stacks(cpu, __pa(ist));
	}
	tss->iomap_base = sizeof(*tss);

	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffUL; /* 64-bit code */
	gdt[2] = 0x00cf93000000ffffUL; /* data */
	gdt[3] = (sizeof(*tss) - 1) | ((base & 0xffffff) << 16) |
		 (0x89UL << 40) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	__asm__ __volatile__("lgdt %0\n\t"
			     "lidt %1\n\t"
			     "mov %2, %%ds\n\t"
			     "mov %2, %%es\n\t"
			     "mov %2, %%ss\n\t"
			     "pushq %3\n\t"
			     "lea 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "ltr %w4"
			     :
			     : "m"(gdtr), "m"(idtr), "r"(GDT_DATA),
			       "i"(GDT_CODE), "r"(GDT_TSS)
			     : "rax", "memory");
}

void set_irq_handler(unsigned int vector, irq_handler_t handler)
{
	irq_handlers[vector] = handler;
}

static void print_symbol_line(unsigned long addr)
{
	unsigned long off;
	const char *name = symbol_lookup(addr, &off);

	if (name)
		printk("  [<%016lx>] %s+%#lx\n", addr, name, off);
	else
		printk("  [<%016lx>]\n", addr);
}

void show_registers(const struct cpu_user_regs *r)
{
	printk("CPU%u: RIP %04lx:%016lx RFLAGS %016lx vector %lu error %lx\n",
	       smp_processor_id(), (unsigned long)r->cs, (unsigned long)r->rip,
	       (unsigned long)r->rflags, (unsigned long)r->vector,
	       (unsigned long)r->error_code);
	print_symbol_line(r->rip);
	printk("rax %016lx rbx %016lx rcx %016lx\n", r->rax, r->rbx, r->rcx);
	printk("rdx %016lx rsi %016lx rdi %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("rbp %016lx rsp %016lx r8  %016lx\n", r->rbp, r->rsp, r->r8);
	printk("r9  %016lx r10 %016lx r11 %016lx\n", r->r9, r->r10, r->r11);
	printk("r12 %016lx r13 %016lx r14 %016lx\n", r->r12, r->r13, r->r14);
	printk("r15 %016lx cr0 %016lx cr2 %016lx\n", r->r15, read_cr0(),
	       read_cr2());
	printk("cr3 %016lx cr4 %016lx\n", read_cr3(), read_cr4());
}

static bool frame_readable(unsigned long addr)
{
	/* Only follow frames inside the hypervisor's own address space. */
	return addr >= DIRECTMAP_VIRT_START && IS_ALIGNED(addr, 8) &&
	       xen_va_to_pa(addr) != ~(paddr_t)0 &&
	       xen_va_to_pa(addr + 15) != ~(paddr_t)0;
}

void show_backtrace(unsigned long rbp)
{
	unsigned int depth;

	printk("Backtrace:\n");
	for (depth = 0; depth < 32 && frame_readable(rbp); depth++) {
		const unsigned long *frame = (const unsigned long *)rbp;

		print_symbol_line(frame[1]);
		if (frame[0] <= rbp)
			break; /* frames must move up the stack */
		rbp = frame[0];
	}
}

static bool fixup_exception(struct cpu_user_regs *regs)
{
	const struct ex_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	return false;
}

static void do_nmi(struct cpu_user_regs *regs)
{
	if (READ_ONCE(cpus_stopping))
		machine_halt();
	if (nmi_callback && nmi_callback(regs))
		return;
	printk(XENLOG_WARNING "CPU%u: unexpected NMI\n", smp_processor_id());
	show_registers(regs);
}

/*
 * A fault on a guard page is a stack overflow. Usually the #PF could not
 * be pushed on the full stack and arrives as a #DF (on its IST stack):
 * then CR2 may not say the guard, but the stack pointer is at or below the
 * stack's bottom, so the next push (rsp - 8) lands in the guard.
 */
static void check_stack_overflow(const struct cpu_user_regs *regs)
{
	char which[64];

	if (stack_guard_owner(read_cr2(), which, sizeof(which)) ||
	    (regs->vector == TRAP_double_fault &&
	     stack_guard_owner(regs->rsp - 8, which, sizeof(which)))) {
		show_registers(regs);
		panic("stack overflow: %s\n", which);
	}
}

void do_trap(struct cpu_user_regs *regs)
{
	unsigned int vec = (unsigned int)regs->vector;

	if (vec >= 32) {
		unsigned int lock_ctx = lock_irq_enter();

		if (irq_handlers[vec])
			irq_handlers[vec](regs);
		else if (vec != SPURIOUS_VECTOR)
			printk(XENLOG_WARNING "CPU%u: no handler for vector "
					      "%#x\n",
			       smp_processor_id(), vec);
		if (vec != SPURIOUS_VECTOR)
			lapic_eoi();
		lock_irq_exit(lock_ctx);
		return;
	}
	if (vec == TRAP_nmi) {
		do_nmi(regs);
		return;
	}
	if (fixup_exception(regs))
		return;
	if (vec == TRAP_page_fault || vec == TRAP_double_fault)
		check_stack_overflow(regs);

	printk("*** %s (#%u) in hypervisor ***\n",
	       exception_names[vec] ? exception_names[vec] : "exception", vec);
	if (vec == TRAP_page_fault)
		printk("page fault at %016lx: %s %s%s\n", read_cr2(),
		       regs->error_code & 1 ? "protection violation" :
					      "not present",
		       regs->error_code & 2 ? "write" : "read",
		       regs->error_code & 16 ? " (instruction fetch)" : "");
	show_registers(regs);
	show_backtrace(regs->rbp);
	panic("fatal exception %u on CPU%u\n", vec, smp_processor_id());
}

int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo, hi;
	int rc;

	__asm__ __volatile__("1: rdmsr\n\t"
			     "xor %[rc], %[rc]\n"
			     "2:\n\t"
			     ".pushsection .fixup, \"ax\"\n"
			     "3: mov %[fault], %[rc]\n\t"
			     "xor %%eax, %%eax\n\t"
			     "xor %%edx, %%edx\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t"
			     ".pushsection .ex_table, \"a\"\n\t"
			     ".quad 1b, 3b\n\t"
			     ".popsection"
			     : "=a"(lo), "=d"(hi), [rc] "=&r"(rc)
			     : "c"(msr), [fault] "i"(-14));
	*val = ((u64)hi << 32) | lo;
	return rc;
}
