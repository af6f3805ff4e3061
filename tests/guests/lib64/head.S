/*
 * Entry of a 64-bit guest on the runtime (lib/ built 64-bit): the
 * hypervisor enters every vCPU at once in long mode on its identity page
 * tables, interrupts off, RBX = guest-physical address of the start info,
 * with no GDT, IDT or stack of ours. Each vCPU finds its id (CPUID
 * 0x40000004, else 0), takes the stack of that id, loads the GDT (a 64-bit
 * code segment for the IDT's gates) and calls xtf_start(vcpu, start_info). FS and
 * GS are left alone: their bases are the hypervisor's reset values, which
 * tests check. The .bss must read as zero, as for 32-bit guests.
 */
#include "layout.h"

	.section .text.head, "ax", @progbits
	.code64
	.global _start
_start:
	cli
	cld
	mov	%rbx, %rbp		/* cpuid clobbers rbx */

	/* vCPU id in edi: 0 unless the hypervisor's leaves report one. */
	xor	%edi, %edi
	mov	$0x40000000, %eax
	cpuid
	cmp	$0x566e6558, %ebx	/* "XenVMMXenVMM" */
	jne	2f
	cmp	$0x65584d4d, %ecx
	jne	2f
	cmp	$0x4d4d566e, %edx
	jne	2f
	cmp	$0x40000004, %eax
	jb	2f
	mov	$0x40000004, %eax
	xor	%ecx, %ecx
	cpuid
	test	$(1 << 3), %eax		/* VCPU_ID_PRESENT */
	jz	2f
	mov	%ebx, %edi
2:	lea	too_many_msg(%rip), %rsi
	cmp	$XTF_MAX_VCPUS, %edi
	jae	stop
	/* Two vCPUs on one stack would corrupt each other: one per id. */
	mov	$1, %eax
	lea	entered(%rip), %rdx
	lock xadd %eax, (%rdx, %rdi, 4)
	lea	twice_msg(%rip), %rsi
	test	%eax, %eax
	jnz	stop

	lea	1(%edi), %eax
	imul	$XTF_STACK_SIZE, %eax
	lea	stacks(%rip), %rsp
	add	%rax, %rsp
	/* Our GDT, reloading CS through the new stack. */
	lgdt	gdt_ptr(%rip)
	pushq	$XTF_CS
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	mov	$XTF_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%ebp, %esi		/* the start info lies below 4 GiB */
	call	xtf_start
	ud2

#include "../lib/head-common.inc"

	.section .rodata
/* Flat segments; accessed bits preset so the CPU never writes here. */
	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* XTF_CS: 64-bit code */
	.quad 0x00cf93000000ffff	/* XTF_DS: data */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.quad gdt

	.section .note.GNU-stack, "", @progbits
