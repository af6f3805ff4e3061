/* What main.c and tasks.S share: the GDT's selectors and the records. */
#ifndef TASK_SWITCH_H
#define TASK_SWITCH_H

/* The test's GDT: the runtime's code and data, then the tasks'. */
#define SEL_TSS_A 0x18 /* the test's own task, loaded with LTR */
#define SEL_TSS_B 0x20 /* reached by JMP, jumps back */
#define SEL_TSS_C 0x28 /* reached by CALL through SEL_GATE_C, IRETs back */
#define SEL_GATE_C 0x30 /* a task gate to SEL_TSS_C */
#define SEL_TSS_D 0x38 /* INT 0x40 through an IDT task gate, IRETs back */
#define SEL_TSS_E 0x40 /* #GP through an IDT task gate */
#define SEL_TSS_F 0x48 /* #NP through an IDT task gate */
#define SEL_TSS_NP 0x50 /* a TSS descriptor marked not present */
#define SEL_TSS16 0x50 /* with tss16=1: a 16-bit TSS instead */
#define GDT_ENTRIES 11
#define SEL_BEYOND 0x80 /* past the GDT's limit */

#define VEC_INT 0x40

/* A linear address each task's page tables map to a page of its own. */
#define WINDOW 0x40000000

/* struct task_seen's layout, for tasks.S. */
#define SEEN_GPR 0
#define SEEN_EFLAGS 32
#define SEEN_CR0 36
#define SEEN_TR 40
#define SEEN_SEG 44 /* ES, CS, SS, DS, FS, GS: 4 bytes each */
#define SEEN_ERROR 68
#define SEEN_RUNS 72
#define SEEN_ACCESS 76 /* GDT_ENTRIES access bytes */

/* The TSS's EIP field (resume_eip goes there in SEL_TSS_A's TSS). */
#define TSS_EIP 0x20

#endif
