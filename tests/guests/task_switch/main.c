/*
 * Hardware task switches, which the hypervisor emulates (VMX exits on
 * every one; SVM intercepts them): 32-bit TSSs in a GDT of the test's
 * own, the test itself running as task A (LTR). In turn:
 *
 * - JMP to task B: B starts with the registers, EFLAGS and selectors of
 *   its TSS, TR = B, B busy and A not; B's JMP back resumes A after its
 *   JMP with every register, EFLAGS and selector as they were;
 * - the same with paging on, legacy (4 MiB pages) and PAE: each task runs
 *   on the CR3 of its TSS and sees its own page through one address;
 * - CALL through a task gate in the GDT to task C: C runs with NT set and
 *   A's selector as its back link, both busy; C's IRET returns to A after
 *   the CALL, NT clear in A and in C's saved EFLAGS, C available again;
 * - INT 0x40 through a task gate in the IDT to task D: the same nesting,
 *   and D's IRET returns after the INT;
 * - #GP from loading a selector past the GDT into FS, through a task gate
 *   to task E: the error code (the selector) is on E's stack, just below
 *   the ESP its TSS gives;
 * - JMP to the busy task A (itself): #GP with A's selector; JMP to a TSS
 *   descriptor marked not present: #NP with its selector (task F);
 *
 * - with tflag=1, JMP to task B with the T flag in its TSS: #DB before
 *   B's first instruction, DR6.BT set (not under QEMU, which switches
 *   tasks itself);
 *
 * and after every switch CR0.TS is set. The domain must survive all of
 * it. FAILURE names the step and the value. With tss16=1 it only jumps
 * to a 16-bit TSS, which must crash it.
 */
#include <xtf.h>
#include "task_switch.h"

#define EFLAGS_CF 0x1u
#define DR6_BT 0x8000u
#define EFLAGS_NT 0x4000u
#define CR0_TS 0x8u
#define ACCESS_TSS_AVAIL 0x89
#define ACCESS_TSS_BUSY 0x8b

struct tss32 {
	uint16_t link, rsvd0;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t gpr[8]; /* EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI */
	uint32_t seg[6]; /* ES, CS, SS, DS, FS, GS */
	uint32_t ldt;
	uint16_t trap, iomap;
} __attribute__((packed));

/* What a task found when it ran (tasks.S fills it: task_switch.h). */
struct task_seen {
	uint32_t gpr[8];
	uint32_t eflags, cr0, tr;
	uint32_t seg[6];
	uint32_t error, runs;
	uint8_t access[GDT_ENTRIES];
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct task_seen, eflags) == SEEN_EFLAGS,
	       "SEEN_EFLAGS");
_Static_assert(__builtin_offsetof(struct task_seen, seg) == SEEN_SEG,
	       "SEEN_SEG");
_Static_assert(__builtin_offsetof(struct task_seen, error) == SEEN_ERROR,
	       "SEEN_ERROR");
_Static_assert(__builtin_offsetof(struct task_seen, access) == SEEN_ACCESS,
	       "SEEN_ACCESS");
_Static_assert(__builtin_offsetof(struct tss32, eip) == TSS_EIP, "TSS_EIP");
_Static_assert(sizeof(struct tss32) == 0x68, "struct tss32");

#define STACK_SIZE 4096
enum { TASK_B, TASK_C, TASK_D, TASK_E, TASK_F, NR_TASKS };
static const uint16_t task_sel[NR_TASKS] = { SEL_TSS_B, SEL_TSS_C, SEL_TSS_D,
					     SEL_TSS_E, SEL_TSS_F };

uint64_t ts_gdt[GDT_ENTRIES] __attribute__((aligned(8)));
struct tss32 tss_a __attribute__((aligned(128)));
static struct tss32 tss[NR_TASKS] __attribute__((aligned(128)));
static uint8_t stacks[NR_TASKS][STACK_SIZE] __attribute__((aligned(16)));

/* tasks.S */
struct task_seen task_seen, a_seen;
uint32_t a_esp_before, a_eflags_before, resume_eip;
uint32_t cr3_seen, cr3_window_seen;
void task_b(void), task_cr3(void), task_iret(void), task_fault(void);
void jmp_to_b(void), call_gate_c(void), int_gate_d(void);
void load_beyond(void), jmp_busy(void), jmp_not_present(void);
void jmp_tss16(void);

/* The registers switch_out (tasks.S) loads; ESP is the caller's. */
static const uint32_t a_pattern[8] = { 0xa0a0a0a0, 0xa1a1a1a1, 0xa2a2a2a2,
				       0xa3a3a3a3, 0,	       0xa5a5a5a5,
				       0xa6a6a6a6, 0xa7a7a7a7 };
static const char *const gpr_name[8] = { "EAX", "ECX", "EDX", "EBX",
					 "ESP", "EBP", "ESI", "EDI" };
static const char *const seg_name[6] = { "ES", "CS", "SS", "DS", "FS", "GS" };

static uint64_t tss_desc(const struct tss32 *t, uint8_t access)
{
	uint32_t base = (uint32_t)t, limit = sizeof(*t) - 1;

	return (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)(limit >> 16) << 48 |
	       (uint64_t)(base >> 24) << 56;
}

static uint64_t task_gate(uint16_t tss_sel)
{
	return (uint64_t)tss_sel << 16 | (uint64_t)0x85 << 40;
}

static uint32_t task_eax(unsigned int task)
{
	return 0xb0000000u | task;
}

static uint32_t stack_top(unsigned int task)
{
	return (uint32_t)&stacks[task][STACK_SIZE];
}

/* A fresh task: entry, its stack, flat segments, a pattern per register */
static void init_task(unsigned int task, void (*entry)(void))
{
	struct tss32 *t = &tss[task];

	*t = (struct tss32){ .eip = (uint32_t)entry, .eflags = 0x2 };
	for (unsigned int i = 0; i < 8; i++)
		t->gpr[i] = task_eax(task) | (i << 8);
	t->gpr[4] = stack_top(task);
	for (unsigned int i = 0; i < 6; i++)
		t->seg[i] = i == 1 ? XTF_CS : XTF_DS;
	t->iomap = sizeof(*t);
}

static void fresh_tasks(void)
{
	static void (*const entry[NR_TASKS])(void) = { task_b, task_iret,
						       task_iret, task_fault,
						       task_fault };

	for (unsigned int i = 0; i < NR_TASKS; i++) {
		init_task(i, entry[i]);
		ts_gdt[task_sel[i] / 8] = tss_desc(&tss[i], ACCESS_TSS_AVAIL);
	}
	task_seen = (struct task_seen){ 0 };
	a_seen = (struct task_seen){ 0 };
}

static void setup_gdt(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed))
	gdtr = { sizeof(ts_gdt) - 1, (uint32_t)ts_gdt };

	ts_gdt[XTF_CS / 8] = 0x00cf9b000000ffffull;
	ts_gdt[XTF_DS / 8] = 0x00cf93000000ffffull;
	ts_gdt[SEL_TSS_A / 8] = tss_desc(&tss_a, ACCESS_TSS_AVAIL);
	ts_gdt[SEL_GATE_C / 8] = task_gate(SEL_TSS_C);
	ts_gdt[SEL_TSS_NP / 8] =
		tss_desc(&tss[TASK_F], ACCESS_TSS_AVAIL & 0x7f);
	fresh_tasks();
	asm volatile("lgdt %0" : : "m"(gdtr));
	asm volatile("ltr %w0" : : "r"(SEL_TSS_A));
}

/* The runtime's IDT, with task gates in three vectors for a while. */
static uint64_t *idt(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	return (uint64_t *)idtr.base;
}

static uint32_t read_cr0(void)
{
	uint32_t cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	return cr0;
}

/*
 * After every switch CR0.TS is set: in the task that ran and in A after
 * the switch back (each cleared it after recording: tasks.S).
 */
static void check_ts(const char *step)
{
	check(task_seen.cr0 & CR0_TS,
	      "%s: CR0.TS clear in the new task (CR0 %#x)", step,
	      task_seen.cr0);
	check(a_seen.cr0 & CR0_TS,
	      "%s: CR0.TS clear after the switch back (CR0 %#x)", step,
	      a_seen.cr0);
	check(!(read_cr0() & CR0_TS), "%s: CLTS did not clear CR0.TS", step);
}

/* A resumed with everything as switch_out left it. */
static void check_a_resumed(const char *step)
{
	for (unsigned int i = 0; i < 8; i++) {
		uint32_t want = i == 4 ? a_esp_before : a_pattern[i];

		check(a_seen.gpr[i] == want, "%s: task A's %s %#x, not %#x",
		      step, gpr_name[i], a_seen.gpr[i], want);
	}
	check(a_seen.eflags == a_eflags_before,
	      "%s: task A's EFLAGS %#x, not %#x", step, a_seen.eflags,
	      a_eflags_before);
	check(a_seen.eflags & EFLAGS_CF, "%s: task A's CF lost", step);
	for (unsigned int i = 0; i < 6; i++) {
		uint32_t want = i == 1 ? XTF_CS : XTF_DS;

		check(a_seen.seg[i] == want, "%s: task A's %s %#x, not %#x",
		      step, seg_name[i], a_seen.seg[i], want);
	}
	check(a_seen.tr == SEL_TSS_A, "%s: TR %#x back in task A", step,
	      a_seen.tr);
	check(a_seen.access[SEL_TSS_A / 8] == ACCESS_TSS_BUSY,
	      "%s: task A's descriptor %#x, not busy", step,
	      a_seen.access[SEL_TSS_A / 8]);
}

/* The task ran once, with the registers its TSS gave. */
static void check_task_started(const char *step, unsigned int task,
			       uint16_t sel, uint32_t eflags)
{
	check(task_seen.runs == 1, "%s: the task ran %u times", step,
	      task_seen.runs);
	for (unsigned int i = 0; i < 8; i++) {
		uint32_t want = i == 4 ? stack_top(task) :
					 task_eax(task) | (i << 8);

		/* A pushed error code is below the TSS's ESP: see E. */
		if (i == 4 && task >= TASK_E)
			want -= 4;
		check(task_seen.gpr[i] == want,
		      "%s: the task's %s %#x, not %#x", step, gpr_name[i],
		      task_seen.gpr[i], want);
	}
	check(task_seen.eflags == eflags, "%s: the task's EFLAGS %#x, not %#x",
	      step, task_seen.eflags, eflags);
	check(task_seen.tr == sel, "%s: TR %#x in the task, not %#x", step,
	      task_seen.tr, sel);
	check(task_seen.access[sel / 8] == ACCESS_TSS_BUSY,
	      "%s: the task's descriptor %#x while it ran, not busy", step,
	      task_seen.access[sel / 8]);
	for (unsigned int i = 0; i < 6; i++) {
		uint32_t want = i == 1 ? XTF_CS : XTF_DS;

		check(task_seen.seg[i] == want,
		      "%s: the task's %s %#x, not %#x", step, seg_name[i],
		      task_seen.seg[i], want);
	}
}

/* A nested task (CALL, gates): NT, the back link, A busy meanwhile. */
static void check_nested(const char *step, unsigned int task, uint16_t sel)
{
	check_task_started(step, task, sel, 0x2 | EFLAGS_NT);
	check(tss[task].link == SEL_TSS_A, "%s: back link %#x, not %#x", step,
	      tss[task].link, SEL_TSS_A);
	check(task_seen.access[SEL_TSS_A / 8] == ACCESS_TSS_BUSY,
	      "%s: task A's descriptor %#x in the nested task, not busy", step,
	      task_seen.access[SEL_TSS_A / 8]);
	check(!(tss[task].eflags & EFLAGS_NT),
	      "%s: NT set in the EFLAGS IRET saved (%#x)", step,
	      tss[task].eflags);
	check((uint8_t)(ts_gdt[sel / 8] >> 40) == ACCESS_TSS_AVAIL,
	      "%s: the task's descriptor still busy after its IRET", step);
	check(!(a_seen.eflags & EFLAGS_NT), "%s: NT set back in task A", step);
}

static void test_jmp(void)
{
	fresh_tasks();
	jmp_to_b();
	check_task_started("JMP", TASK_B, SEL_TSS_B, 0x2);
	check(task_seen.access[SEL_TSS_A / 8] == ACCESS_TSS_AVAIL,
	      "JMP: task A's descriptor %#x in task B, not available",
	      task_seen.access[SEL_TSS_A / 8]);
	check_a_resumed("JMP");
	check(a_seen.access[SEL_TSS_B / 8] == ACCESS_TSS_AVAIL,
	      "JMP: task B's descriptor %#x after its JMP back",
	      a_seen.access[SEL_TSS_B / 8]);
	check_ts("JMP");
}

static uint32_t read_dr6(void)
{
	uint32_t dr6;

	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	return dr6;
}

static void write_dr6(uint32_t dr6)
{
	asm volatile("mov %0, %%dr6" : : "r"(dr6));
}

/*
 * tflag=1: a JMP to task B with the T flag in its TSS raises #DB before
 * B's first instruction (the fixup at task_b gives B EAX = 1, the vector,
 * and lets it run), with DR6.BT set; a plain JMP leaves BT clear. Only
 * where the hypervisor switches tasks: QEMU does it itself.
 */
static void test_trap_flag(void)
{
	uint32_t dr6;

	write_dr6(0);
	test_jmp();
	dr6 = read_dr6();
	check(!(dr6 & DR6_BT), "JMP without the T flag: DR6 %#x has BT", dr6);
	fresh_tasks();
	tss[TASK_B].trap = 1;
	jmp_to_b();
	dr6 = read_dr6();
	check(task_seen.runs == 1, "T flag: task B ran %u times",
	      task_seen.runs);
	check(task_seen.gpr[0] == 1,
	      "T flag: task B's EAX %#x, not 1: no #DB before its first "
	      "instruction",
	      task_seen.gpr[0]);
	check(task_seen.gpr[1] == (task_eax(TASK_B) | 1u << 8),
	      "T flag: task B's ECX %#x, not %#x", task_seen.gpr[1],
	      task_eax(TASK_B) | 1u << 8);
	check(task_seen.tr == SEL_TSS_B, "T flag: TR %#x in task B",
	      task_seen.tr);
	check(dr6 & DR6_BT, "T flag: DR6 %#x without BT", dr6);
	check_a_resumed("T flag");
	check_ts("T flag");
}

/*
 * Page tables for tasks A and B: the first 8 MiB 1:1, and WINDOW onto a
 * page of each task's own, in legacy paging (4 MiB pages, a page table
 * for the window) and in PAE paging (2 MiB pages, a page directory and a
 * page table for the window; under VMX the PDPTEs are loaded apart).
 */
#define PAGE_ATTRS 0x3 /* present, writable */
#define PSE 0x80
#define CR0_PG 0x80000000u
#define CR4_PSE 0x10u
#define CR4_PAE 0x20u
#define MARKER(t) (0x7a5c0000u | (t))

struct task_tables {
	uint32_t pd[1024], pt_window[1024]; /* legacy */
	uint64_t pd_window[512], pt_window64[512]; /* PAE */
	uint32_t page[1024]; /* what WINDOW shows */
	uint64_t pdpt[4] __attribute__((aligned(32)));
} __attribute__((aligned(PAGE_SIZE)));

static struct task_tables tables[2];
static uint64_t pd_low[512] __attribute__((aligned(PAGE_SIZE)));

static uint32_t build_tables(unsigned int i, bool pae)
{
	struct task_tables *t = &tables[i];

	t->page[0] = MARKER(i);
	if (!pae) {
		t->pd[0] = 0x000000 | PSE | PAGE_ATTRS;
		t->pd[1] = 0x400000 | PSE | PAGE_ATTRS;
		t->pd[WINDOW >> 22] = (uint32_t)t->pt_window | PAGE_ATTRS;
		t->pt_window[0] = (uint32_t)t->page | PAGE_ATTRS;
		return (uint32_t)t->pd;
	}
	for (unsigned int j = 0; j < 4; j++)
		pd_low[j] = (uint64_t)j << 21 | PSE | PAGE_ATTRS;
	t->pdpt[0] = (uint32_t)pd_low | 1; /* PDPTEs: present only */
	t->pdpt[WINDOW >> 30] = (uint32_t)t->pd_window | 1;
	t->pd_window[0] = (uint32_t)t->pt_window64 | PAGE_ATTRS;
	t->pt_window64[0] = (uint32_t)t->page | PAGE_ATTRS;
	return (uint32_t)t->pdpt;
}

static uint32_t read_cr3(void)
{
	uint32_t cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

static uint32_t read_window(void)
{
	return *(volatile uint32_t *)WINDOW;
}

/* JMP to B and back with paging on: each task runs on its own CR3. */
static void test_cr3(bool pae)
{
	const char *mode = pae ? "PAE paging" : "legacy paging";
	uint32_t cr3_a = build_tables(0, pae), cr3_b = build_tables(1, pae);
	uint32_t cr0 = read_cr0(), window_a, window_after, cr3_after;

	fresh_tasks();
	tss_a.cr3 = cr3_a;
	tss[TASK_B].cr3 = cr3_b;
	tss[TASK_B].eip = (uint32_t)task_cr3;
	asm volatile("mov %0, %%cr4" : : "r"(pae ? CR4_PAE : CR4_PSE));
	asm volatile("mov %0, %%cr3" : : "r"(cr3_a));
	asm volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
	window_a = read_window();
	jmp_to_b();
	window_after = read_window();
	cr3_after = read_cr3();
	asm volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
	asm volatile("mov %0, %%cr4" : : "r"(0));

	check(window_a == MARKER(0), "%s: task A's window %#x, not %#x", mode,
	      window_a, MARKER(0));
	check(task_seen.runs == 1, "%s: task B ran %u times", mode,
	      task_seen.runs);
	check(cr3_seen == cr3_b, "%s: CR3 %#x in task B, not its TSS's %#x",
	      mode, cr3_seen, cr3_b);
	check(cr3_window_seen == MARKER(1),
	      "%s: task B's window %#x, not %#x (its CR3 not in use)", mode,
	      cr3_window_seen, MARKER(1));
	check(cr3_after == cr3_a, "%s: CR3 %#x back in task A, not %#x", mode,
	      cr3_after, cr3_a);
	check(window_after == MARKER(0),
	      "%s: task A's window %#x after the switch back, not %#x", mode,
	      window_after, MARKER(0));
	check_a_resumed(mode);
	check_ts(mode);
}

static void test_call(void)
{
	fresh_tasks();
	call_gate_c();
	check_nested("CALL", TASK_C, SEL_TSS_C);
	check_a_resumed("CALL");
	check_ts("CALL");
}

/* Vector v through a task gate to sel while fn runs. */
static void with_task_gate(unsigned int v, uint16_t sel, void (*fn)(void))
{
	uint64_t *table = idt(), old = table[v];

	table[v] = task_gate(sel);
	fn();
	table[v] = old;
}

static void test_int(void)
{
	fresh_tasks();
	with_task_gate(VEC_INT, SEL_TSS_D, int_gate_d);
	check_nested("INT", TASK_D, SEL_TSS_D);
	check_a_resumed("INT");
	check_ts("INT");
}

/* fn faults with vector and error code: task E or F takes it. */
static void test_fault(const char *step, unsigned int vector, unsigned int task,
		       void (*fn)(void), uint32_t error)
{
	uint16_t sel = task_sel[task];

	fresh_tasks();
	with_task_gate(vector, sel, fn);
	check(task_seen.runs == 1, "%s: the handler task ran %u times", step,
	      task_seen.runs);
	check(task_seen.error == error,
	      "%s: error code %#x on the handler's stack, not %#x", step,
	      task_seen.error, error);
	check_nested(step, task, sel);
	check_a_resumed(step);
	check_ts(step);
}

/*
 * tss16=1: a JMP to a 16-bit TSS, which the hypervisor does not emulate:
 * it must crash the domain saying so (expect=crash). Returning from the
 * JMP, or a fault, fails.
 */
static void test_tss16(void)
{
	ts_gdt[SEL_TSS16 / 8] = tss_desc(&tss[TASK_F], 0x81);
	jmp_tss16();
	xtf_failure("JMP to a 16-bit TSS returned");
}

void test_main(unsigned int vcpu)
{
	if (vcpu)
		return;
	setup_gdt();
	if (cmdline_uint("tss16", 0))
		test_tss16();
	test_jmp();
	printf("JMP to a TSS and back: ok\n");
	if (cmdline_uint("tflag", 0)) {
		test_trap_flag();
		printf("JMP to a TSS with the T flag: #DB, DR6.BT: ok\n");
	}
	test_cr3(false);
	printf("JMP with legacy paging: each task on its CR3: ok\n");
	test_cr3(true);
	printf("JMP with PAE paging: each task on its CR3: ok\n");
	test_call();
	printf("CALL through a task gate, IRET back: ok\n");
	test_int();
	printf("INT through an IDT task gate, IRET back: ok\n");
	test_fault("#GP loading FS", 13, TASK_E, load_beyond, SEL_BEYOND);
	printf("#GP through a task gate, error code pushed: ok\n");
	test_fault("JMP to a busy TSS", 13, TASK_E, jmp_busy, SEL_TSS_A);
	printf("JMP to a busy TSS: #GP(%#x): ok\n", SEL_TSS_A);
	test_fault("JMP to a TSS not present", 11, TASK_F, jmp_not_present,
		   SEL_TSS_NP);
	printf("JMP to a TSS not present: #NP(%#x): ok\n", SEL_TSS_NP);
	xtf_success();
}
