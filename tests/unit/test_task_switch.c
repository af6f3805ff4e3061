/*
 * xen/arch/x86/hvm/task_switch.c against a vendor that keeps its guest
 * state in a struct (the segment registers, CR0, CR3, DR7, an injected
 * exception) and guest memory in mem[] (fake_guest.h: a guest-virtual
 * address is an offset into it): a GDT with code and data descriptors, an
 * LDT, the running task A and the task B it switches to. The paths a
 * guest cannot reach under the emulators (which check the new TSS
 * descriptor before they exit) are here: each fault before the switch
 * changes nothing, each one after it is raised in the new task.
 */
#define hvm_funcs ts_hvm_funcs
#define hvm_gpr ts_hvm_gpr
#define hvm_decode_task_insn ts_decode_task_insn
#include "../../xen/arch/x86/hvm/task_switch.c"

#include "fake_guest.h"
#include "harness.h"
#include "shim.h"

#define GDT 0x1000
#define LDT 0x1800
#define TSS_A 0x2000
#define TSS_B 0x2100
#define STACK_B 0x4000
#define MEM_SIZE 0x5000

#define SEL_CS 0x08
#define SEL_DS 0x10
#define SEL_TSS_A 0x18
#define SEL_TSS_B 0x20
#define SEL_LDT 0x28
#define SEL_DS_NOT_ACCESSED 0x30
#define SEL_DS_NOT_PRESENT 0x38
#define GDT_LIMIT 0x47
#define SEL_LDT_DS 0x0c /* LDT entry 1 */

#define RIP 0x500
#define INSN_LEN 7
#define IDT 0x3000
#define VEC_INT 0x40 /* INT n decodes as INT 0x40 */

static u8 mem[MEM_SIZE];
static struct hvm_vcpu h;
static struct domain dom;
static struct vcpu vc;
static struct hvm_segment segs[HVM_SEG_IDTR + 1];
static u64 dr7;
static int injected_vector, injected_error;
static unsigned int crs_set;

u64 *ts_hvm_gpr(struct hvm_vcpu *hv, unsigned int n)
{
	struct hvm_regs *r = &hv->regs;
	u64 *const by_number[8] = {
		&r->rax,  &r->rcx, &r->rdx, &r->rbx,
		&hv->rsp, &r->rbp, &r->rsi, &r->rdi,
	};

	return by_number[n & 7];
}

int ts_decode_task_insn(struct vcpu *v, const struct hvm_segment *cs,
			enum hvm_task_source source, struct hvm_task_insn *insn)
{
	*insn = (struct hvm_task_insn){
		.len = source == HVM_TASK_INT ? 2 : INSN_LEN,
		.vector = source == HVM_TASK_INT ? VEC_INT : -1,
	};
	return 0;
}

static void get_segment(struct vcpu *v, enum hvm_seg seg, struct hvm_segment *s)
{
	*s = segs[seg];
}

static void set_segment(struct vcpu *v, enum hvm_seg seg,
			const struct hvm_segment *s)
{
	segs[seg] = *s;
}

static int set_cr(struct vcpu *v, unsigned int cr, u64 value)
{
	crs_set |= 1u << cr;
	if (cr == 0)
		h.cr0 = value;
	else
		h.cr3 = value;
	return 0;
}

static u64 get_dr7(struct vcpu *v)
{
	return dr7;
}

static void set_dr7(struct vcpu *v, u64 value)
{
	dr7 = value;
}

static void inject_exception(struct vcpu *v, unsigned int vector,
			     int error_code)
{
	injected_vector = vector;
	injected_error = error_code;
}

const struct hvm_function_table *ts_hvm_funcs = &(struct hvm_function_table){
	.inject_exception = inject_exception,
	.get_segment = get_segment,
	.set_segment = set_segment,
	.set_cr = set_cr,
	.get_dr7 = get_dr7,
	.set_dr7 = set_dr7,
};

static u64 desc(u32 base, u32 limit, u16 attr)
{
	return (limit & 0xffff) | (u64)(base & 0xffffff) << 16 |
	       (u64)(attr & 0xff) << 40 | (u64)((limit >> 16) & 0xf) << 48 |
	       (u64)(attr >> 8) << 52 | (u64)(base >> 24) << 56;
}

static u64 *gdt_entry(u16 sel)
{
	return (u64 *)(mem + GDT + (sel & ~7));
}

static struct tss32 *tss(u32 at)
{
	return (struct tss32 *)(mem + at);
}

/* Task A runs (TR busy); B is available, with registers to load. */
static void setup(void)
{
	struct tss32 *b = tss(TSS_B);
	unsigned int i;

	memset(mem, 0, sizeof(mem));
	fake_guest_mem(mem, sizeof(mem), 0, 0);
	*gdt_entry(SEL_CS) = desc(0, 0xfffff, 0xc9b);
	*gdt_entry(SEL_DS) = desc(0, 0xfffff, 0xc93);
	*gdt_entry(SEL_TSS_A) = desc(TSS_A, 0x67, 0x8b);
	*gdt_entry(SEL_TSS_B) = desc(TSS_B, 0x67, 0x89);
	*gdt_entry(SEL_LDT) = desc(LDT, 0xf, 0x82);
	*gdt_entry(SEL_DS_NOT_ACCESSED) = desc(0x100000, 0xfff, 0x492);
	*gdt_entry(SEL_DS_NOT_PRESENT) = desc(0, 0xfffff, 0xc13);
	*(u64 *)(mem + LDT + 8) = desc(0x2000000, 0xffff, 0x93);

	b->eip = 0x700;
	b->eflags = 0x246;
	for (i = 0; i < 8; i++)
		b->gpr[i] = 0xb0 + i;
	b->gpr[4] = STACK_B;
	for (i = 0; i < HVM_NR_SEGS; i++)
		b->seg[i] = i == HVM_SEG_CS ? SEL_CS : SEL_DS;
	b->cr3 = 0x9000;

	h = (struct hvm_vcpu){ .rip = RIP, .rsp = 0xa4, .rflags = 0x203 };
	h.regs = (struct hvm_regs){ .rax = 0xa0,
				    .rcx = 0xa1,
				    .rdx = 0xa2,
				    .rbx = 0xa3,
				    .rbp = 0xa5,
				    .rsi = 0xa6,
				    .rdi = 0xa7 };
	h.cr0 = X86_CR0_PE | X86_CR0_ET;
	memset(segs, 0, sizeof(segs));
	segs[HVM_SEG_CS] = (struct hvm_segment){ SEL_CS, 0xc9b, ~0u, 0 };
	for (i = 0; i < HVM_NR_SEGS; i++)
		if (i != HVM_SEG_CS)
			segs[i] = (struct hvm_segment){ SEL_DS, 0xc93, ~0u, 0 };
	segs[HVM_SEG_TR] = (struct hvm_segment){ SEL_TSS_A, 0x8b, 0x67, TSS_A };
	segs[HVM_SEG_GDTR] = (struct hvm_segment){ 0, 0, GDT_LIMIT, GDT };
	segs[HVM_SEG_IDTR] = (struct hvm_segment){ 0, 0, 0x7ff, IDT };
	/* INT 0x40: a task gate to B, DPL 3 */
	*(u64 *)(mem + IDT + VEC_INT * 8) = (u64)SEL_TSS_B << 16 |
					    (u64)0xe5 << 40;
	dr7 = 0x4ff;
	injected_vector = injected_error = -1;
	crs_set = 0;
	dom = (struct domain){ .domain_id = 1 };
	vc = (struct vcpu){ .domain = &dom, .hvm = &h };
}

static u8 access_byte(u16 sel)
{
	return *gdt_entry(sel) >> 40;
}

TEST(task_switch_jmp)
{
	struct tss32 *a = tss(TSS_A);

	setup();
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK_EQ(injected_vector, -1);
	CHECK(!dom.is_shutting_down);
	/* A saved: EIP past the JMP, EFLAGS, registers, selectors. */
	CHECK_EQ(a->eip, RIP + INSN_LEN);
	CHECK_EQ(a->eflags, 0x203);
	CHECK_EQ(a->gpr[0], 0xa0);
	CHECK_EQ(a->gpr[4], 0xa4);
	CHECK_EQ(a->gpr[7], 0xa7);
	CHECK_EQ(a->seg[HVM_SEG_CS], SEL_CS);
	CHECK_EQ(a->seg[HVM_SEG_GS], SEL_DS);
	/* JMP: A available, B busy, no back link, NT as B's TSS has it. */
	CHECK_EQ(access_byte(SEL_TSS_A), 0x89);
	CHECK_EQ(access_byte(SEL_TSS_B), 0x8b);
	CHECK_EQ(tss(TSS_B)->link, 0);
	CHECK_EQ(h.rflags, 0x246);
	/* B loaded. */
	CHECK_EQ(segs[HVM_SEG_TR].sel, SEL_TSS_B);
	CHECK_EQ(segs[HVM_SEG_TR].base, TSS_B);
	CHECK_EQ(segs[HVM_SEG_TR].limit, 0x67);
	CHECK_EQ(segs[HVM_SEG_TR].attr, 0x8b);
	CHECK_EQ(h.rip, 0x700);
	CHECK_EQ(h.rsp, STACK_B);
	CHECK_EQ(h.regs.rax, 0xb0);
	CHECK_EQ(h.regs.rdi, 0xb7);
	CHECK_EQ(segs[HVM_SEG_SS].sel, SEL_DS);
	CHECK_EQ(segs[HVM_SEG_SS].attr, 0xc93);
	CHECK_EQ(segs[HVM_SEG_SS].limit, 0xffffffff);
	CHECK_EQ(segs[HVM_SEG_LDTR].attr & HVM_SEG_ATTR_P, 0);
	/* Paging off: CR3 not loaded. CR0.TS set, DR7's local enables off. */
	CHECK_EQ(crs_set, 1u << 0);
	CHECK(h.cr0 & X86_CR0_TS);
	CHECK_EQ(dr7, 0x4aa);
}

TEST(task_switch_call_nests_and_iret_returns)
{
	struct tss32 *a = tss(TSS_A), *b = tss(TSS_B);

	setup();
	h.cr0 |= X86_CR0_PG;
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_CALL, false, 0);
	CHECK_EQ(injected_vector, -1);
	CHECK_EQ(b->link, SEL_TSS_A);
	CHECK_EQ(h.rflags, 0x246 | EFLAGS_NT);
	CHECK_EQ(access_byte(SEL_TSS_A), 0x8b);
	CHECK_EQ(access_byte(SEL_TSS_B), 0x8b);
	CHECK_EQ(h.cr3, 0x9000); /* paging on: B's CR3 */
	CHECK_EQ(a->eip, RIP + INSN_LEN);

	/* B's IRET back to A: B saved with NT clear and available again. */
	h.rip = 0x720;
	a->cr3 = 0x8000;
	hvm_task_switch(&vc, SEL_TSS_A, HVM_TASK_IRET, false, 0);
	CHECK_EQ(injected_vector, -1);
	CHECK_EQ(b->eflags, 0x246);
	CHECK_EQ(b->eip, 0x720 + INSN_LEN);
	CHECK_EQ(access_byte(SEL_TSS_B), 0x89);
	CHECK_EQ(access_byte(SEL_TSS_A), 0x8b);
	CHECK_EQ(segs[HVM_SEG_TR].sel, SEL_TSS_A);
	CHECK_EQ(h.rip, RIP + INSN_LEN);
	CHECK_EQ(h.rflags, 0x203);
	CHECK_EQ(h.regs.rax, 0xa0);
	CHECK_EQ(h.rsp, 0xa4);
	CHECK_EQ(h.cr3, 0x8000);
}

TEST(task_switch_gate_pushes_error_code)
{
	setup();
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_GATE, true, 0x80);
	CHECK_EQ(injected_vector, -1);
	/* An exception's old task resumes at the instruction. */
	CHECK_EQ(tss(TSS_A)->eip, RIP);
	CHECK_EQ(tss(TSS_B)->link, SEL_TSS_A);
	CHECK_EQ(h.rsp, STACK_B - 4);
	CHECK_EQ(*(u32 *)(mem + STACK_B - 4), 0x80);
}

TEST(task_switch_loads_ldt_and_marks_accessed)
{
	struct tss32 *b = tss(TSS_B);

	setup();
	b->ldt = SEL_LDT;
	b->seg[HVM_SEG_DS] = SEL_LDT_DS;
	b->seg[HVM_SEG_ES] = SEL_DS_NOT_ACCESSED;
	b->seg[HVM_SEG_FS] = 0;
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK_EQ(injected_vector, -1);
	CHECK_EQ(segs[HVM_SEG_LDTR].sel, SEL_LDT);
	CHECK_EQ(segs[HVM_SEG_LDTR].base, LDT);
	CHECK_EQ(segs[HVM_SEG_DS].base, 0x2000000);
	CHECK_EQ(segs[HVM_SEG_DS].limit, 0xffff);
	/* Loaded: accessed in the register and in the GDT; G scales. */
	CHECK_EQ(segs[HVM_SEG_ES].attr, 0x493);
	CHECK_EQ(segs[HVM_SEG_ES].limit, 0xfff);
	CHECK_EQ(access_byte(SEL_DS_NOT_ACCESSED), 0x93);
	/* A null FS is loaded unusable. */
	CHECK_EQ(segs[HVM_SEG_FS].sel, 0);
	CHECK_EQ(segs[HVM_SEG_FS].attr & HVM_SEG_ATTR_P, 0);
}

/* A fault before the switch: raised with nothing changed. */
static void check_refused(u16 sel, enum hvm_task_source source, int vector,
			  int error)
{
	u8 before[MEM_SIZE];

	memcpy(before, mem, sizeof(mem));
	hvm_task_switch(&vc, sel, source, false, 0);
	CHECK_EQ(injected_vector, vector);
	CHECK_EQ(injected_error, error);
	CHECK(!memcmp(before, mem, sizeof(mem)));
	CHECK_EQ(h.rip, RIP);
	CHECK_EQ(segs[HVM_SEG_TR].sel, SEL_TSS_A);
	CHECK_EQ(crs_set, 0);
	CHECK(!dom.is_shutting_down);
}

/* INT n through a task gate: past the INT, if the gate's DPL allows. */
TEST(task_switch_int_checks_gate_dpl)
{
	setup();
	h.cpl = 3;
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_INT, false, 0);
	CHECK_EQ(injected_vector, -1);
	CHECK_EQ(tss(TSS_A)->eip, RIP + 2);
	CHECK_EQ(tss(TSS_B)->link, SEL_TSS_A);

	/* A DPL 0 gate from CPL 3: #GP(vector, IDT), nothing changed. */
	setup();
	h.cpl = 3;
	*(u64 *)(mem + IDT + VEC_INT * 8) &= ~((u64)3 << 45);
	check_refused(SEL_TSS_B, HVM_TASK_INT, TRAP_gp_fault, VEC_INT * 8 + 2);
	setup();
	segs[HVM_SEG_IDTR].limit = VEC_INT * 8 + 6;
	check_refused(SEL_TSS_B, HVM_TASK_INT, TRAP_gp_fault, VEC_INT * 8 + 2);
}

TEST(task_switch_new_tss_checks)
{
	setup();
	check_refused(SEL_TSS_B | 4, HVM_TASK_JMP, TRAP_gp_fault,
		      SEL_TSS_B | 4);
	setup();
	check_refused(0x48, HVM_TASK_CALL, TRAP_gp_fault, 0x48);
	setup();
	check_refused(0x48, HVM_TASK_IRET, TRAP_invalid_tss, 0x48);
	/* A busy TSS for JMP, an available one for IRET, not a TSS. */
	setup();
	check_refused(SEL_TSS_A, HVM_TASK_JMP, TRAP_gp_fault, SEL_TSS_A);
	setup();
	check_refused(SEL_TSS_B, HVM_TASK_IRET, TRAP_invalid_tss, SEL_TSS_B);
	setup();
	check_refused(SEL_DS, HVM_TASK_CALL, TRAP_gp_fault, SEL_DS);
	/* Not present: #NP; a limit below 0x67: #TS; EXT for a gate. */
	setup();
	*gdt_entry(SEL_TSS_B) = desc(TSS_B, 0x67, 0x09);
	check_refused(SEL_TSS_B, HVM_TASK_JMP, TRAP_no_segment, SEL_TSS_B);
	setup();
	*gdt_entry(SEL_TSS_B) = desc(TSS_B, 0x66, 0x89);
	check_refused(SEL_TSS_B, HVM_TASK_GATE, TRAP_invalid_tss,
		      SEL_TSS_B | 1);
}

/* A fault after the switch: in the new task, TR and EIP already its. */
static void check_fault_in_new_task(int vector, int error)
{
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK_EQ(injected_vector, vector);
	CHECK_EQ(injected_error, error);
	CHECK_EQ(segs[HVM_SEG_TR].sel, SEL_TSS_B);
	CHECK_EQ(h.rip, 0x700);
	CHECK_EQ(access_byte(SEL_TSS_B), 0x8b);
	CHECK(!dom.is_shutting_down);
}

TEST(task_switch_new_segment_checks)
{
	setup();
	tss(TSS_B)->seg[HVM_SEG_SS] = 0;
	check_fault_in_new_task(TRAP_invalid_tss, 0);
	setup();
	tss(TSS_B)->seg[HVM_SEG_CS] = SEL_DS;
	check_fault_in_new_task(TRAP_invalid_tss, SEL_DS);
	setup();
	tss(TSS_B)->seg[HVM_SEG_SS] = SEL_DS_NOT_PRESENT;
	check_fault_in_new_task(TRAP_stack_error, SEL_DS_NOT_PRESENT);
	setup();
	tss(TSS_B)->seg[HVM_SEG_GS] = SEL_DS_NOT_PRESENT;
	check_fault_in_new_task(TRAP_no_segment, SEL_DS_NOT_PRESENT);
	setup();
	tss(TSS_B)->seg[HVM_SEG_DS] = 0x80; /* past the GDT */
	check_fault_in_new_task(TRAP_invalid_tss, 0x80);
	setup();
	tss(TSS_B)->ldt = SEL_DS;
	check_fault_in_new_task(TRAP_invalid_tss, SEL_DS);
	setup();
	tss(TSS_B)->eip = 0x100000; /* past CS's limit */
	*gdt_entry(SEL_CS) = desc(0, 0xfffff, 0x49b);
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK_EQ(injected_vector, TRAP_gp_fault);
	CHECK_EQ(injected_error, 0);
}

TEST(task_switch_not_emulated_crashes)
{
	setup();
	*gdt_entry(SEL_TSS_B) = desc(TSS_B, 0x2b, 0x81);
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK(dom.is_shutting_down);
	CHECK(strstr(dom.crash_reason, "a 16-bit TSS is not emulated"));
	CHECK_EQ(injected_vector, -1);

	setup();
	tss(TSS_B)->eflags |= EFLAGS_VM;
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK(strstr(dom.crash_reason, "virtual-8086"));
	CHECK_EQ(access_byte(SEL_TSS_A), 0x8b); /* nothing changed */

	/* The new TSS beyond guest memory: a message, not a fault. */
	setup();
	*gdt_entry(SEL_TSS_B) = desc(MEM_SIZE - 0x20, 0x67, 0x89);
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK(strstr(dom.crash_reason, "unreadable"));

	setup();
	h.efer = EFER_LMA | EFER_LME;
	hvm_task_switch(&vc, SEL_TSS_B, HVM_TASK_JMP, false, 0);
	CHECK(strstr(dom.crash_reason, "long mode"));
}
