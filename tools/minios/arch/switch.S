/*
 * Thread context switch (kernel/thread.c). Only the callee-saved
 * registers need keeping: a switch is a function call.
 *
 *   void context_switch(unsigned long *save_sp, unsigned long new_sp);
 *
 * A new thread's stack is laid out by thread_create() as if it had
 * switched away: six registers (r12 = function, r13 = argument), then
 * thread_trampoline as the return address.
 */
	.text
	.code64
	.global context_switch
context_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.global thread_trampoline
thread_trampoline:
	mov	%r12, %rdi
	mov	%r13, %rsi
	call	thread_main
	ud2

	.section .note.GNU-stack, "", @progbits
