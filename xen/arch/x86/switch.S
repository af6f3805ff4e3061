/*
 * void switch_stacks(unsigned long *save_rsp, unsigned long new_rsp)
 *
 * Save the callee-saved registers on the current stack, store the stack
 * pointer in *save_rsp, load new_rsp and return on that stack with its
 * callee-saved registers restored. A fresh vCPU stack is prepared so that
 * this "returns" into vcpu_trampoline (see arch_vcpu_stack_init).
 */
	.text
	.globl switch_stacks, vcpu_trampoline
switch_stacks:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

vcpu_trampoline:
	xor %ebp, %ebp
	call vcpu_first_run
	ud2
