/*
 * 64-bit trap stubs, one per vector (0-255), as lib/entry.S for 32-bit
 * guests: each pushes a 0 error code where the CPU pushes none, then its
 * vector, and joins trap_common, which saves the general registers and
 * hands the frame (struct trap_frame in lib/traps.c) to do_trap(). On
 * return it restores the registers as do_trap() left them and returns with
 * iretq. The CPU aligns RSP to 16 bytes before it pushes its frame; with
 * the 17 quadwords pushed here the call is aligned as the ABI wants.
 */

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
	.global trap_stubs
trap_stubs:
	.set	vector, 0
	.rept	256
	stub	vector
	.set	vector, vector + 1
	.endr

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
	call	do_trap
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
