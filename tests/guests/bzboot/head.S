/*
 * bzboot's protected-mode kernel. At BZ_LOAD the 32-bit entry (boot=linux32):
 * 32-bit flat protected mode, paging off, ESI = boot_params, no stack. It
 * keeps the state it came in with in entry32 (layout.h's offsets) for
 * guest_main to check, maps the first 4 GiB 1:1 with 2 MiB pages (its own
 * tables, in .data: .bss is cleared later) and goes on to the 64-bit
 * entry in long mode, as a Linux kernel's startup_32 does. At +0x200 the
 * 64-bit entry: long mode on the loader's identity page tables (or those),
 * RSI = boot_params, no stack. It keeps RFLAGS as it came, clears its
 * .bss (the boot protocol does not) and calls guest_main(boot_params,
 * rflags) on its stack. A second vCPU that comes in is a failure (vCPU 0
 * alone starts): it stops.
 */
#include "layout.h"

#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR0_PE_PG 0x80000001
#define CR4_PAE 0x20
#define PDE_2M 0x83 /* present, writable, 2 MiB */
#define PTE_TABLE 0x3 /* present, writable */

	.section .text.head, "ax", @progbits
	.code32
startup_32:
	mov	%esi, entry32 + E32_ESI
	mov	%ebx, entry32 + E32_EBX
	mov	%ebp, entry32 + E32_EBP
	mov	%edi, entry32 + E32_EDI
	mov	%cr0, %eax
	mov	%eax, entry32 + E32_CR0
	mov	%cs, entry32 + E32_CS
	mov	%ds, entry32 + E32_DS
	mov	%es, entry32 + E32_ES
	mov	%ss, entry32 + E32_SS
	/* No stack comes with the entry either: ours, to read EFLAGS. */
	mov	$stack32_top, %esp
	pushfl
	popl	entry32 + E32_EFLAGS
	movl	$1, entry32 + E32_USED
	cli
	/* 2048 2 MiB entries in four page directories: 4 GiB. */
	mov	$pd, %edi
	mov	$PDE_2M, %eax
	mov	$2048, %ecx
1:	mov	%eax, (%edi)
	movl	$0, 4(%edi)
	add	$0x200000, %eax
	add	$8, %edi
	loop	1b
	mov	$pd + PTE_TABLE, %eax
	mov	$pdpt, %edi
	mov	$4, %ecx
2:	mov	%eax, (%edi)
	add	$0x1000, %eax
	add	$8, %edi
	loop	2b
	movl	$pdpt + PTE_TABLE, pml4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PE_PG, %eax
	mov	%eax, %cr0
	lgdt	gdt_desc
	ljmp	$0x08, $from32
	.code64
from32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%esi, %esi /* boot_params, zero-extended */
	/* The 64-bit entry again reads RFLAGS: as the 32-bit entry had it. */
	pushq	entry32 + E32_EFLAGS
	popfq
	jmp	startup_64

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
	.global entry32
entry32:
	.skip E32_SIZE
	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: flat data */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt
	.p2align 4
	.skip 64
stack32_top:
	/* The 32-bit entry's page tables: zero in the file, filled there. */
	.p2align 12
pml4:
	.skip 4096
pdpt:
	.skip 4096
pd:
	.skip 4 * 4096

	.bss
	.p2align 4
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
