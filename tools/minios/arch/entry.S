/*
 * Trap entry: a stub per exception vector (0-31) and one for the upcall
 * vector. Each pushes a 0 error code where the CPU pushes none, then its
 * vector, and joins trap_common, which saves the general registers as a
 * struct trap_frame (arch/traps.h) and calls trap_dispatch(frame). The
 * gates are interrupt gates: handlers run with interrupts off.
 */
#include <minios/layout.h>

/* Bit v set: the CPU pushes an error code (vectors 8, 10-14, 17, 21, 29, 30) */
#define ERROR_CODE_VECTORS 0x60227d00

	.macro stub v
	.text
	.p2align 3
1:
	.if (\v >= 32) || !((ERROR_CODE_VECTORS >> (\v & 31)) & 1)
	pushq	$0
	.endif
	pushq	$\v
	jmp	trap_common
	.pushsection .rodata
	.quad	1b
	.popsection
	.endm

	.section .rodata
	.p2align 3
	.global exception_stubs
exception_stubs:
	.set	vector, 0
	.rept	32
	stub	vector
	.set	vector, vector + 1
	.endr
	/* Each stub leaves us in .text: back to the table. */
	.section .rodata
	.global upcall_stub
upcall_stub:
	stub	UPCALL_VECTOR

	.text
	.code64
trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	trap_dispatch
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
