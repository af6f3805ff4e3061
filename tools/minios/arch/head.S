/*
 * dom0's entry, from the hypervisor's builder (docs/domains.md): every
 * vCPU enters here at once in long mode on the builder's identity page
 * tables, interrupts off, RBX = the start info. dom0 runs on vCPU 0 only:
 * the others halt for good with interrupts off (they take no events, so
 * nothing wakes them). vCPU 0 clears .bss, takes the boot stack, loads our
 * GDT and calls kernel_main(start_info).
 */
#include <minios/layout.h>

	.section .text.head, "ax", @progbits
	.code64
	.global _start
_start:
	cli
	cld
	mov	%rbx, %r12		/* cpuid clobbers rbx */

	/* The vCPU id, when the hypervisor's CPUID leaves report one. */
	xor	%r13d, %r13d
	mov	$0x40000000, %eax
	cpuid
	cmp	$0x566e6558, %ebx	/* "XenVMMXenVMM" */
	jne	1f
	cmp	$0x40000004, %eax
	jb	1f
	mov	$0x40000004, %eax
	xor	%ecx, %ecx
	cpuid
	test	$(1 << 3), %eax		/* VCPU_ID_PRESENT */
	jz	1f
	mov	%ebx, %r13d
1:	test	%r13d, %r13d
	jnz	park

	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb

	lea	boot_stack_top(%rip), %rsp
	lgdt	gdt_ptr(%rip)
	pushq	$KERNEL_CS
	lea	2f(%rip), %rax
	pushq	%rax
	lretq
2:	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%r12, %rdi
	call	kernel_main
	ud2

park:	cli
	hlt
	jmp	park

	.section .rodata
	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* KERNEL_CS: 64-bit code */
	.quad 0x00cf93000000ffff	/* KERNEL_DS: data */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.quad gdt

	.bss
	.p2align 12
	.global boot_stack
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
