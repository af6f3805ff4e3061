/*
 * Exception and interrupt entry: one stub per vector pushes a dummy error
 * code where the CPU does not, then the vector, then jumps to a common path
 * that saves the registers as struct cpu_user_regs and calls do_trap().
 */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) \
	((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
	 (v) == 29 || (v) == 30)

	.text
	.align 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if HAS_ERROR_CODE(vec)
	.else
	push $0
	.endif
	push $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rax
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	/* A frame-pointer link, so backtraces cross into the interrupted code */
	mov %rsp, %rdi
	mov 17*8(%rsp), %rax		/* interrupted rip */
	push %rax
	push %rbp
	mov %rsp, %rbp
	cld
	call do_trap
	add $16, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rax
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	add $16, %rsp			/* vector, error code */
	iretq
