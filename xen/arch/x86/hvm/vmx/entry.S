/*
 * int vmx_enter(struct hvm_regs *regs, bool launched)
 *
 * Called with interrupts off and the vCPU's VMCS current. Saves the
 * hypervisor's callee-saved registers on this vCPU's stack, makes that
 * stack the host RSP, loads the guest's registers and enters the guest
 * (VMLAUNCH the first time, VMRESUME after). A VM exit lands in vmx_exit
 * on the same stack with interrupts still off; it stores the guest's
 * registers and returns 0 from vmx_enter. If the entry instruction fails
 * it falls through: 1 for VMfailValid (ZF, error in the VMCS), 2 for
 * VMfailInvalid (CF).
 */
#include "vmcs.h"

#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8 56
#define R_R9 64
#define R_R10 72
#define R_R11 80
#define R_R12 88
#define R_R13 96
#define R_R14 104
#define R_R15 112

	.text
	.globl vmx_enter
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* 0(%rsp): regs, found again at exit */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lfail
	test %sil, %sil			/* the loads below keep the flags */
	mov R_RAX(%rdi), %rax
	mov R_RBX(%rdi), %rbx
	mov R_RCX(%rdi), %rcx
	mov R_RDX(%rdi), %rdx
	mov R_RSI(%rdi), %rsi
	mov R_RBP(%rdi), %rbp
	mov R_R8(%rdi), %r8
	mov R_R9(%rdi), %r9
	mov R_R10(%rdi), %r10
	mov R_R11(%rdi), %r11
	mov R_R12(%rdi), %r12
	mov R_R13(%rdi), %r13
	mov R_R14(%rdi), %r14
	mov R_R15(%rdi), %r15
	mov R_RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp .Lfail
1:	vmresume
.Lfail:
	mov $1, %eax
	mov $2, %ecx
	cmovc %ecx, %eax
	jmp .Lreturn

	.globl vmx_exit
vmx_exit:
	push %rdi
	mov 8(%rsp), %rdi		/* regs */
	mov %rax, R_RAX(%rdi)
	mov %rbx, R_RBX(%rdi)
	mov %rcx, R_RCX(%rdi)
	mov %rdx, R_RDX(%rdi)
	mov %rsi, R_RSI(%rdi)
	mov %rbp, R_RBP(%rdi)
	mov %r8, R_R8(%rdi)
	mov %r9, R_R9(%rdi)
	mov %r10, R_R10(%rdi)
	mov %r11, R_R11(%rdi)
	mov %r12, R_R12(%rdi)
	mov %r13, R_R13(%rdi)
	mov %r14, R_R14(%rdi)
	mov %r15, R_R15(%rdi)
	popq R_RDI(%rdi)
	xor %eax, %eax
.Lreturn:
	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
