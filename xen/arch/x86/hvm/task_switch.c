/*
 * Hardware task switches (SDM vol. 3, 7.3; APM vol. 2, 12.3), which a
 * guest starts and neither vendor performs in a guest: VMX exits, and
 * the SVM intercept is set (asm/hvm.h has the contract). Done in three
 * steps, as the CPU does them:
 *
 * 1. checks and reads, in the old task's context: for INT n, INT3 and
 *    INTO the task gate's DPL; the new TSS descriptor (in the GDT;
 *    available, or busy for IRET; present; a limit of at least 0x67), the
 *    new TSS and the old one. A check that fails is the CPU's fault with
 *    RIP still at the instruction or event, nothing changed.
 * 2. the switch: the old task's EIP (past the instruction that switched,
 *    if one did), EFLAGS (NT clear for IRET), general registers and
 *    selectors into its TSS; the old descriptor's busy bit cleared (JMP,
 *    IRET); the back link and NT for CALL and the gates; the new
 *    descriptor's busy bit (not IRET); TR; CR3 (with paging on); EIP,
 *    EFLAGS and the registers from the new TSS; CR0.TS; DR7's local
 *    enables cleared.
 * 3. LDTR and the six segment registers from the new TSS, each checked
 *    against its descriptor: a bad one is #TS, #NP or #SS in the new
 *    task, as on the CPU; the registers not loaded by then keep their
 *    old hidden parts (the guest state stays one VM entry accepts). Then
 *    the error code of an exception is pushed on the new stack.
 *
 * Not emulated (the domain is crashed with a message saying so): 16-bit
 * TSSs (types 1 and 3), a new task in virtual-8086 mode, a switch in long
 * mode (the CPU refuses one there before it exits), guest memory that
 * cannot be read or written. The new TSS's T flag raises #DB (DR6.BT
 * set) once the switch is done, before the task's first instruction.
 * Descriptors are read and written through the guest's page
 * tables with supervisor rights (<xen/guest-copy.h>), pages that are
 * paged out or PoD brought in.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define TRAP_debug 1
#define TRAP_invalid_tss 10
#define TRAP_no_segment 11
#define TRAP_stack_error 12

#define EFLAGS_NT (1u << 14)
#define EFLAGS_VM (1u << 17)
/* The EFLAGS bits a TSS loads; bit 1 always reads 1. */
#define EFLAGS_LOADED 0x3f7fd5u
#define EFLAGS_FIXED 0x2u

/* DR7's local enables L0-L3 and LE: a task switch clears them. */
#define DR7_LOCAL 0x155UL

/* System descriptor types (S clear). */
#define DESC_LDT 0x2
#define DESC_TSS16_AVAIL 0x1
#define DESC_TSS16_BUSY 0x3
#define DESC_TSS32_AVAIL 0x9
#define DESC_TSS32_BUSY 0xb
#define DESC_TSS_BUSY 0x2 /* the type bit that marks a TSS busy */
/* Code and data segment types (S set). */
#define DESC_ACCESSED 0x1
#define DESC_WRITABLE 0x2 /* data; readable for code */
#define DESC_CONFORMING 0x4 /* code */
#define DESC_CODE 0x8

/* The 32-bit TSS (SDM vol. 3, figure 7-2). */
struct tss32 {
	u16 link, rsvd0;
	u32 esp0, ss0, esp1, ss1, esp2, ss2;
	u32 cr3;
	u32 eip; /* 0x20: the state a switch saves starts here */
	u32 eflags;
	u32 gpr[8]; /* as ModRM numbers them: EAX, ECX, EDX, EBX, ESP... */
	u32 seg[HVM_NR_SEGS]; /* selectors in the low 16 bits, ES to GS */
	u32 ldt; /* 0x60: ... and ends here */
	u16 trap, iomap;
} __packed;

#define TSS32_MIN_LIMIT 0x67
#define TSS_TRAP 0x1 /* T: a debug trap on entry to the task */
#define DR6_BT (1UL << 15) /* the debug trap came from a task switch */
#define TSS_SAVED_START __builtin_offsetof(struct tss32, eip)
#define TSS_SAVED_END __builtin_offsetof(struct tss32, ldt)

struct task_switch {
	struct vcpu *v;
	struct hvm_vcpu *h;
	enum hvm_task_source source;
	u16 sel; /* the new TSS's */
	unsigned int insn_len; /* of the instruction that switched, or 0 */
	u16 ext; /* error codes' EXT bit: an event not from an instruction */
	struct hvm_segment gdtr, tr;
	u64 desc, old_desc; /* the new and the old TSS descriptors */
	struct tss32 tss, old_tss;
	/* A check failed: the fault to raise. */
	unsigned int vector;
	u16 error;
};

/* The outcome of a step: done, a fault to raise, or the domain crashed. */
enum { TS_OK, TS_FAULT, TS_CRASHED };

static int fault(struct task_switch *t, unsigned int vector, u16 error)
{
	t->vector = vector;
	t->error = error;
	return TS_FAULT;
}

static u64 desc_base(u64 d)
{
	return ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
}

static u32 desc_limit(u64 d)
{
	u32 limit = (d & 0xffff) | (((d >> 48) & 0xf) << 16);

	return d & (1UL << 55) ? (limit << 12) | 0xfff : limit;
}

/* As struct hvm_segment's attr: bits 40-47, then 52-55. */
static u16 desc_attr(u64 d)
{
	return ((d >> 40) & 0xff) | ((d >> 44) & 0xf00);
}

static unsigned int desc_type(u64 d)
{
	return (d >> 40) & 0xf;
}

static bool desc_is_system(u64 d)
{
	return !(d & (1UL << 44));
}

static bool desc_present(u64 d)
{
	return d & (1UL << 47);
}

/* The 8 bytes of the descriptor sel names in the table at base. */
static int read_desc(struct task_switch *t, u64 base, u16 sel, u64 *d)
{
	unsigned long at = (u32)(base + (sel & ~7u));

	if (copy_from_guest_virt(t->v, d, at, sizeof(*d))) {
		domain_crash(t->v->domain,
			     "task switch: descriptor %#x at %#lx unreadable",
			     sel, at);
		return TS_CRASHED;
	}
	return TS_OK;
}

/* Write back the access byte (type, S, DPL, P) of a descriptor read. */
static int write_desc_access(struct task_switch *t, u64 base, u16 sel, u64 d)
{
	unsigned long at = (u32)(base + (sel & ~7u) + 5);
	u8 access = d >> 40;

	if (copy_to_guest_virt(t->v, at, &access, 1)) {
		domain_crash(t->v->domain,
			     "task switch: descriptor %#x at %#lx not writable",
			     sel, at - 5);
		return TS_CRASHED;
	}
	return TS_OK;
}

static int read_tss(struct task_switch *t, u64 base, struct tss32 *tss)
{
	if (copy_from_guest_virt(t->v, tss, (u32)base, sizeof(*tss))) {
		domain_crash(t->v->domain,
			     "task switch: TSS at %#lx unreadable",
			     (unsigned long)(u32)base);
		return TS_CRASHED;
	}
	return TS_OK;
}

/* Is sel beyond the table (GDT or LDT) with this limit? */
static bool beyond(const struct hvm_segment *table, u16 sel)
{
	return (u32)(sel & ~7u) + 7 > table->limit;
}

/*
 * Step 1: the CPU's checks of the new TSS descriptor, as each source
 * makes them (IRET's are #TS, the others' #GP), then the reads.
 */
static int check_new_task(struct task_switch *t)
{
	bool iret = t->source == HVM_TASK_IRET;
	unsigned int bad_type_vector = iret ? TRAP_invalid_tss : TRAP_gp_fault;
	u16 err = (t->sel & ~3u) | t->ext;
	unsigned int type;
	int rc;

	if ((t->sel & 4) || beyond(&t->gdtr, t->sel))
		return fault(t, bad_type_vector, err);
	rc = read_desc(t, t->gdtr.base, t->sel, &t->desc);
	if (rc)
		return rc;
	type = desc_type(t->desc);
	if (desc_is_system(t->desc) &&
	    (type == DESC_TSS16_AVAIL || type == DESC_TSS16_BUSY)) {
		domain_crash(t->v->domain,
			     "task switch to selector %#x: a 16-bit TSS is "
			     "not emulated",
			     t->sel);
		return TS_CRASHED;
	}
	if (!desc_is_system(t->desc) ||
	    type != (iret ? DESC_TSS32_BUSY : DESC_TSS32_AVAIL))
		return fault(t, bad_type_vector, err);
	if (!desc_present(t->desc))
		return fault(t, TRAP_no_segment, err);
	if (desc_limit(t->desc) < TSS32_MIN_LIMIT)
		return fault(t, TRAP_invalid_tss, err);
	rc = read_tss(t, desc_base(t->desc), &t->tss);
	if (rc)
		return rc;
	if (t->tss.eflags & EFLAGS_VM) {
		domain_crash(t->v->domain,
			     "task switch to selector %#x: a virtual-8086 "
			     "task is not emulated",
			     t->sel);
		return TS_CRASHED;
	}
	return TS_OK;
}

/*
 * INT n, INT3 and INTO go through a task gate only if its DPL is at least
 * the CPL, else #GP with the gate's IDT error code. VMX makes the check
 * before it exits (SDM vol. 3, "Treatment of Task Switches"); the APM
 * does not say SVM does: it is made again. CALL and JMP are checked by both before they exit
 * (through a gate its DPL, to a TSS the descriptor's).
 */
static int check_int_gate(struct task_switch *t, int vector)
{
	struct hvm_segment idtr;
	u16 err = vector * 8 + 2; /* IDT */
	u64 gate;
	int rc;

	if (vector < 0)
		return TS_OK;
	hvm_funcs->get_segment(t->v, HVM_SEG_IDTR, &idtr);
	if ((u32)vector * 8 + 7 > idtr.limit)
		return fault(t, TRAP_gp_fault, err);
	rc = read_desc(t, idtr.base, vector * 8, &gate);
	if (rc)
		return rc;
	if (((gate >> 45) & 3) < t->h->cpl)
		return fault(t, TRAP_gp_fault, err);
	return TS_OK;
}

/* Step 1 for the old task: TR must hold a busy 32-bit TSS. */
static int check_old_task(struct task_switch *t)
{
	unsigned int type = t->tr.attr & 0x1f; /* type and S */

	if (type == DESC_TSS16_BUSY) {
		domain_crash(t->v->domain,
			     "task switch from selector %#x: a 16-bit TSS is "
			     "not emulated",
			     t->tr.sel);
		return TS_CRASHED;
	}
	if (type != DESC_TSS32_BUSY || t->tr.limit < TSS32_MIN_LIMIT) {
		domain_crash(t->v->domain,
			     "task switch from TR %#x (attributes %#x, limit "
			     "%#x): not a 32-bit TSS",
			     t->tr.sel, t->tr.attr, t->tr.limit);
		return TS_CRASHED;
	}
	/* JMP and IRET clear its busy bit: they need its descriptor. */
	if (t->source == HVM_TASK_JMP || t->source == HVM_TASK_IRET) {
		if ((t->tr.sel & 4) || beyond(&t->gdtr, t->tr.sel)) {
			domain_crash(t->v->domain,
				     "task switch from TR %#x: beyond the GDT",
				     t->tr.sel);
			return TS_CRASHED;
		}
		return read_desc(t, t->gdtr.base, t->tr.sel, &t->old_desc);
	}
	return TS_OK;
}

/* Step 2: save the old task, mark the descriptors, load TR and the rest */
static int switch_task(struct task_switch *t)
{
	const struct hvm_function_table *f = hvm_funcs;
	struct hvm_vcpu *h = t->h;
	bool nest = t->source != HVM_TASK_JMP && t->source != HVM_TASK_IRET;
	struct hvm_segment s;
	unsigned int i;
	int rc;

	if (!nest) {
		rc = write_desc_access(t, t->gdtr.base, t->tr.sel,
				       t->old_desc &
					       ~((u64)DESC_TSS_BUSY << 40));
		if (rc)
			return rc;
	}
	t->old_tss.eip = (u32)(h->rip + t->insn_len);
	t->old_tss.eflags = (u32)h->rflags;
	if (t->source == HVM_TASK_IRET)
		t->old_tss.eflags &= ~EFLAGS_NT;
	for (i = 0; i < 8; i++)
		t->old_tss.gpr[i] = (u32)*hvm_gpr(h, i);
	for (i = 0; i < HVM_NR_SEGS; i++) {
		f->get_segment(t->v, i, &s);
		/* The upper half of each selector slot is reserved: kept. */
		t->old_tss.seg[i] = (t->old_tss.seg[i] & 0xffff0000u) | s.sel;
	}
	if (copy_to_guest_virt(t->v, (u32)(t->tr.base + TSS_SAVED_START),
			       (u8 *)&t->old_tss + TSS_SAVED_START,
			       TSS_SAVED_END - TSS_SAVED_START)) {
		domain_crash(t->v->domain,
			     "task switch: the current TSS at %#lx is not "
			     "writable",
			     (unsigned long)t->tr.base);
		return TS_CRASHED;
	}

	if (nest) {
		t->tss.link = t->tr.sel;
		t->tss.eflags |= EFLAGS_NT;
		if (copy_to_guest_virt(t->v, (u32)desc_base(t->desc),
				       &t->tss.link, sizeof(t->tss.link))) {
			domain_crash(t->v->domain,
				     "task switch: the new TSS at %#lx is not "
				     "writable",
				     (unsigned long)desc_base(t->desc));
			return TS_CRASHED;
		}
	}
	if (t->source != HVM_TASK_IRET) {
		t->desc |= (u64)DESC_TSS_BUSY << 40;
		rc = write_desc_access(t, t->gdtr.base, t->sel, t->desc);
		if (rc)
			return rc;
	}

	/* From here on the new task runs: faults are raised in it. */
	f->set_segment(t->v, HVM_SEG_TR,
		       &(struct hvm_segment){
			       .sel = t->sel,
			       .attr = desc_attr(t->desc), /* busy */
			       .limit = desc_limit(t->desc),
			       .base = desc_base(t->desc),
		       });
	if ((h->cr0 & X86_CR0_PG) && f->set_cr(t->v, 3, t->tss.cr3)) {
		domain_crash(t->v->domain,
			     "task switch: the PDPTEs at CR3 %#x unreadable",
			     t->tss.cr3);
		return TS_CRASHED;
	}
	h->rip = t->tss.eip;
	h->rflags = (t->tss.eflags & EFLAGS_LOADED) | EFLAGS_FIXED;
	for (i = 0; i < 8; i++)
		*hvm_gpr(h, i) = t->tss.gpr[i];
	f->set_cr(t->v, 0, h->cr0 | X86_CR0_TS);
	f->set_dr7(t->v, f->get_dr7(t->v) & ~DR7_LOCAL);
	return TS_OK;
}

/* Step 3: LDTR from the new TSS (every fault there is #TS). */
static int load_ldtr(struct task_switch *t, struct hvm_segment *ldtr)
{
	u16 sel = (u16)t->tss.ldt;
	u64 d;
	int rc;

	*ldtr = (struct hvm_segment){ .sel = sel };
	if (!(sel & ~3u))
		return TS_OK;
	if ((sel & 4) || beyond(&t->gdtr, sel))
		return fault(t, TRAP_invalid_tss, sel & ~3u);
	rc = read_desc(t, t->gdtr.base, sel, &d);
	if (rc)
		return rc;
	if (!desc_is_system(d) || desc_type(d) != DESC_LDT || !desc_present(d))
		return fault(t, TRAP_invalid_tss, sel & ~3u);
	*ldtr = (struct hvm_segment){
		.sel = sel,
		.attr = desc_attr(d),
		.limit = desc_limit(d),
		.base = desc_base(d),
	};
	return TS_OK;
}

/*
 * The checks a segment load from a TSS makes at privilege level cpl (SDM
 * vol. 3, the #TS conditions of interrupt 10; not present: #NP, or #SS
 * for SS).
 */
static int check_segment(struct task_switch *t, unsigned int seg, u16 sel,
			 u64 d, unsigned int cpl)
{
	unsigned int type = desc_type(d), dpl = (d >> 45) & 3, rpl = sel & 3;
	u16 err = sel & ~3u;

	if (desc_is_system(d))
		return fault(t, TRAP_invalid_tss, err);
	switch (seg) {
	case HVM_SEG_CS:
		if (!(type & DESC_CODE) ||
		    (type & DESC_CONFORMING ? dpl > rpl : dpl != rpl))
			return fault(t, TRAP_invalid_tss, err);
		break;
	case HVM_SEG_SS:
		if ((type & DESC_CODE) || !(type & DESC_WRITABLE) ||
		    rpl != cpl || dpl != cpl)
			return fault(t, TRAP_invalid_tss, err);
		if (!desc_present(d))
			return fault(t, TRAP_stack_error, err);
		return TS_OK;
	default:
		if ((type & DESC_CODE) && !(type & DESC_WRITABLE))
			return fault(t, TRAP_invalid_tss, err);
		if ((!(type & DESC_CODE) || !(type & DESC_CONFORMING)) &&
		    (dpl < cpl || dpl < rpl))
			return fault(t, TRAP_invalid_tss, err);
		break;
	}
	if (!desc_present(d))
		return fault(t, TRAP_no_segment, err);
	return TS_OK;
}

static int load_segment(struct task_switch *t, const struct hvm_segment *ldtr,
			unsigned int seg, unsigned int cpl)
{
	u16 sel = (u16)t->tss.seg[seg];
	const struct hvm_segment *table = sel & 4 ? ldtr : &t->gdtr;
	struct hvm_segment s = { .sel = sel };
	u64 d;
	int rc;

	if (!(sel & ~3u)) {
		/* A null CS or SS cannot be loaded; another is unusable. */
		if (seg == HVM_SEG_CS || seg == HVM_SEG_SS)
			return fault(t, TRAP_invalid_tss, 0);
		hvm_funcs->set_segment(t->v, seg, &s);
		return TS_OK;
	}
	if (((sel & 4) && !(ldtr->attr & HVM_SEG_ATTR_P)) || beyond(table, sel))
		return fault(t, TRAP_invalid_tss, sel & ~3u);
	rc = read_desc(t, table->base, sel, &d);
	if (!rc)
		rc = check_segment(t, seg, sel, d, cpl);
	if (rc)
		return rc;
	/* Loading a segment marks its descriptor accessed. */
	if (!(desc_type(d) & DESC_ACCESSED)) {
		d |= (u64)DESC_ACCESSED << 40;
		rc = write_desc_access(t, table->base, sel, d);
		if (rc)
			return rc;
	}
	s.attr = desc_attr(d);
	s.limit = desc_limit(d);
	s.base = desc_base(d);
	hvm_funcs->set_segment(t->v, seg, &s);
	return TS_OK;
}

/* Step 3: LDTR, CS, SS, then the data segments, as the CPU orders them */
static int load_segments(struct task_switch *t)
{
	static const unsigned int order[] = { HVM_SEG_CS, HVM_SEG_SS,
					      HVM_SEG_ES, HVM_SEG_DS,
					      HVM_SEG_FS, HVM_SEG_GS };
	unsigned int cpl = t->tss.seg[HVM_SEG_CS] & 3, i;
	struct hvm_segment ldtr, cs;
	int rc = load_ldtr(t, &ldtr);

	hvm_funcs->set_segment(t->v, HVM_SEG_LDTR, &ldtr);
	if (rc)
		return rc;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		rc = load_segment(t, &ldtr, order[i], cpl);
		if (rc)
			return rc;
	}
	t->h->cpl = cpl;
	hvm_funcs->get_segment(t->v, HVM_SEG_CS, &cs);
	if (t->h->rip > cs.limit)
		return fault(t, TRAP_gp_fault, 0);
	return TS_OK;
}

/* An exception's error code, pushed on the new task's stack. */
static int push_error_code(struct task_switch *t, u32 error_code)
{
	struct hvm_vcpu *h = t->h;
	struct hvm_segment ss;
	u64 sp;

	hvm_funcs->get_segment(t->v, HVM_SEG_SS, &ss);
	/* A 16-bit stack wraps SP and keeps ESP's upper half. */
	if (ss.attr & HVM_SEG_ATTR_D)
		sp = (u32)(h->rsp - 4);
	else
		sp = (h->rsp & 0xffff0000u) | (u16)(h->rsp - 4);
	if (copy_to_guest_virt(t->v, (u32)(ss.base + (sp & 0xffffffffu)),
			       &error_code, sizeof(error_code))) {
		domain_crash(t->v->domain,
			     "task switch: the new task's stack at %#lx is "
			     "not writable",
			     (unsigned long)(u32)(ss.base + sp));
		return TS_CRASHED;
	}
	h->rsp = sp;
	return TS_OK;
}

void hvm_task_switch(struct vcpu *v, u16 selector, enum hvm_task_source source,
		     bool has_error_code, u32 error_code)
{
	const struct hvm_function_table *f = hvm_funcs;
	struct task_switch t = {
		.v = v,
		.h = hvm_of(v),
		.source = source,
		.sel = selector,
		.ext = source == HVM_TASK_GATE,
	};
	struct hvm_task_insn insn = { .len = 0, .vector = -1 };
	struct hvm_segment cs;
	int rc;

	BUILD_BUG_ON(sizeof(struct tss32) != TSS32_MIN_LIMIT + 1);
	if (t.h->efer & EFER_LMA) {
		domain_crash(v->domain, "task switch in long mode");
		return;
	}
	f->get_segment(v, HVM_SEG_GDTR, &t.gdtr);
	f->get_segment(v, HVM_SEG_TR, &t.tr);
	f->get_segment(v, HVM_SEG_CS, &cs);
	if (source != HVM_TASK_GATE &&
	    hvm_decode_task_insn(v, &cs, source, &insn)) {
		domain_crash(v->domain,
			     "task switch to selector %#x by an instruction "
			     "not decoded at %#lx",
			     selector, (unsigned long)(cs.base + t.h->rip));
		return;
	}
	t.insn_len = insn.len;
	rc = check_int_gate(&t, insn.vector);
	if (!rc)
		rc = check_new_task(&t);
	if (!rc)
		rc = check_old_task(&t);
	if (!rc)
		rc = read_tss(&t, t.tr.base, &t.old_tss);
	if (!rc)
		rc = switch_task(&t);
	if (!rc)
		rc = load_segments(&t);
	if (!rc && has_error_code)
		rc = push_error_code(&t, error_code);
	if (rc == TS_FAULT)
		f->inject_exception(v, t.vector, t.error);
	/* The new TSS's T flag: a debug trap before its first instruction. */
	if (rc == TS_OK && (t.tss.trap & TSS_TRAP)) {
		f->set_dr6(v, f->get_dr6(v) | DR6_BT);
		f->inject_exception(v, TRAP_debug, -1);
	}
}

bool hvm_idt_task_gate_to(struct vcpu *v, unsigned int vector, u16 selector)
{
	struct hvm_segment idtr;
	u32 gate[2];

	hvm_funcs->get_segment(v, HVM_SEG_IDTR, &idtr);
	if (vector * 8 + 7 > idtr.limit ||
	    copy_from_guest_virt(v, gate, (u32)(idtr.base + vector * 8),
				 sizeof(gate)))
		return false;
	/* Present, system descriptor of type 5; the TSS's selector, RPL aside */
	return (gate[1] & 0x9f00) == 0x8500 &&
	       ((gate[0] >> 16) & ~3u) == (selector & ~3u);
}
