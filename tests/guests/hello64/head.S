/*
 * hello64's entry: 64-bit mode, paging on (the hypervisor's identity map),
 * interrupts off, RBX = guest-physical address of the start info. Every
 * vCPU enters here at once and takes the next free stack (in order of
 * arrival, not of vCPU id), then calls guest_main(start_info).
 */
#include "layout.h"

	.section .text.head, "ax", @progbits
	.code64
	.global _start
_start:
	cli
	cld
	mov	$1, %eax
	lock xadd %eax, entered(%rip)
	cmp	$MAX_VCPUS, %eax
	jae	1f
	inc	%eax
	imul	$STACK_SIZE, %eax
	lea	stacks(%rip), %rsp
	add	%rax, %rsp
	mov	%rbx, %rdi
	call	guest_main
1:	cli
	hlt
	jmp	1b

	.bss
	.p2align 2
entered:
	.long 0
	.p2align 4
stacks:
	.skip MAX_VCPUS * STACK_SIZE

	.section .note.GNU-stack, "", @progbits
