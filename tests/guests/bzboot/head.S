/*
 * bzboot's protected-mode kernel. At BZ_LOAD the 32-bit entry, which the
 * hypervisor must not use (it stops); at +0x200 the 64-bit entry: long
 * mode on the loader's identity page tables, RSI = boot_params, no stack.
 * It keeps RFLAGS as it came, clears its .bss (the boot protocol does
 * not) and calls guest_main(boot_params, rflags) on its stack. A second vCPU
 * that comes in is a failure (vCPU 0 alone starts): it stops too.
 */
#include "layout.h"

	.section .text.head, "ax", @progbits
	.code32
startup_32:
	ud2
	.org	0x200
	.code64
	.global startup_64
startup_64:
	/* No stack comes with the entry: ours, to read RFLAGS. */
	lea	stack_top(%rip), %rsp
	pushfq
	pop	%r12
	cli
	cld
	mov	$1, %eax
	lock xadd %eax, entered(%rip)
	test	%eax, %eax
	jnz	1f
	mov	%rsi, %rbx
	lea	__bss_start(%rip), %rdi
	lea	__end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	lea	stack_top(%rip), %rsp
	mov	%rbx, %rdi
	mov	%r12, %rsi
	call	guest_main
1:	cli
	hlt
	jmp	1b

	/* In .data: the .bss is cleared by the first vCPU only. */
	.data
	.p2align 2
entered:
	.long 0

	.bss
	.p2align 4
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
