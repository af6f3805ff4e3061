/*
 * The tasks' code and the test task's side of each switch. Every task
 * records what the switch left it (struct task_seen in main.c: its
 * registers, EFLAGS, CR0, TR, selectors and the GDT's access bytes),
 * clears CR0.TS and goes back: B by JMP to the test task, the others by
 * IRET. A task runs again from after that instruction, so each one loops.
 * The test task's routines are C functions (cdecl) that load patterns
 * into every register first, switch, and record the registers they
 * resume with in a_seen.
 */
#include "task_switch.h"

	.macro	record seen
	mov	%eax, \seen + SEEN_GPR + 0
	mov	%ecx, \seen + SEEN_GPR + 4
	mov	%edx, \seen + SEEN_GPR + 8
	mov	%ebx, \seen + SEEN_GPR + 12
	mov	%esp, \seen + SEEN_GPR + 16
	mov	%ebp, \seen + SEEN_GPR + 20
	mov	%esi, \seen + SEEN_GPR + 24
	mov	%edi, \seen + SEEN_GPR + 28
	pushf
	popl	\seen + SEEN_EFLAGS
	mov	%cr0, %eax
	mov	%eax, \seen + SEEN_CR0
	xor	%eax, %eax
	str	%ax
	mov	%eax, \seen + SEEN_TR
	mov	%es, %ax
	mov	%eax, \seen + SEEN_SEG + 0
	mov	%cs, %ax
	mov	%eax, \seen + SEEN_SEG + 4
	mov	%ss, %ax
	mov	%eax, \seen + SEEN_SEG + 8
	mov	%ds, %ax
	mov	%eax, \seen + SEEN_SEG + 12
	mov	%fs, %ax
	mov	%eax, \seen + SEEN_SEG + 16
	mov	%gs, %ax
	mov	%eax, \seen + SEEN_SEG + 20
	xor	%ecx, %ecx
1:	movb	ts_gdt + 5(, %ecx, 8), %al
	movb	%al, \seen + SEEN_ACCESS(%ecx)
	inc	%ecx
	cmp	$GDT_ENTRIES, %ecx
	jb	1b
	incl	\seen + SEEN_RUNS
	clts
	.endm

	.text
	.code32

	.global	task_b
task_b:
	record	task_seen
	/* The #DB a TSS's T flag raises before task_b runs: EAX = 1. */
	.pushsection .ex_table, "a"
	.long	task_b, task_b
	.popsection
	ljmp	$SEL_TSS_A, $0
	jmp	task_b

	/* B again, with paging on: what it reads through its own CR3. */
	.global	task_cr3
task_cr3:
	mov	WINDOW, %eax
	mov	%eax, cr3_window_seen
	mov	%cr3, %eax
	mov	%eax, cr3_seen
	mov	%cr0, %eax
	mov	%eax, task_seen + SEEN_CR0
	incl	task_seen + SEEN_RUNS
	clts
	ljmp	$SEL_TSS_A, $0
	jmp	task_cr3

	/* C (CALL) and D (INT): back by IRET, NT set. */
	.global	task_iret
task_iret:
	record	task_seen
	iret
	jmp	task_iret

	/*
	 * E and F, for exceptions with an error code: it is on the stack.
	 * The test task resumes at resume_eip, past what faulted.
	 */
	.global	task_fault
task_fault:
	record	task_seen
	popl	task_seen + SEEN_ERROR
	mov	resume_eip, %eax
	mov	%eax, tss_a + TSS_EIP
	iret
	jmp	task_fault

	/*
	 * The test task's side: patterns in every register, CF set, then
	 * the switch; whatever resumes it records its registers.
	 */
	.macro	switch_out insn:vararg
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	%esp, a_esp_before
	movl	$2f, resume_eip
	mov	$0xa0a0a0a0, %eax
	mov	$0xa1a1a1a1, %ecx
	mov	$0xa2a2a2a2, %edx
	mov	$0xa3a3a3a3, %ebx
	mov	$0xa5a5a5a5, %ebp
	mov	$0xa6a6a6a6, %esi
	mov	$0xa7a7a7a7, %edi
	stc
	pushf
	popl	a_eflags_before
	\insn
2:	record	a_seen
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret
	.endm

	.global	jmp_to_b
jmp_to_b:
	switch_out ljmp $SEL_TSS_B, $0

	.global	call_gate_c
call_gate_c:
	switch_out lcall $SEL_GATE_C, $0

	.global	int_gate_d
int_gate_d:
	switch_out int $VEC_INT

	/* #GP(SEL_BEYOND): a selector past the GDT into FS. */
	.global	load_beyond
load_beyond:
	switch_out mov beyond_sel, %fs

	.section .rodata
beyond_sel:
	.word	SEL_BEYOND
	.text

	/* #GP(SEL_TSS_A): the running task is busy. */
	.global	jmp_busy
jmp_busy:
	switch_out ljmp $SEL_TSS_A, $0

	/* #NP(SEL_TSS_NP) */
	.global	jmp_not_present
jmp_not_present:
	switch_out ljmp $SEL_TSS_NP, $0

	/* A JMP to a 16-bit TSS, which is not emulated. */
	.global	jmp_tss16
jmp_tss16:
	ljmp	$SEL_TSS16, $0
	ret

	.section .note.GNU-stack, "", @progbits
