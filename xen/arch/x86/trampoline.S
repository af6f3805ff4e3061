/*
 * AP start-up: copied to TRAMPOLINE_ADDR, entered in real mode by the
 * STARTUP IPI (CS = TRAMPOLINE_ADDR >> 4, IP = 0). Switches to protected
 * mode, then long mode on idle_pg_table (which identity maps this page),
 * and jumps to the C entry with the stack the boot CPU left in tramp_stack.
 */
#include <asm/config.h>

#define TR(sym) ((sym) - trampoline_start + TRAMPOLINE_ADDR)

	.section .trampoline, "ax"
	.code16
	.globl trampoline_start, trampoline_end
	.globl tramp_cr3, tramp_stack, tramp_entry
trampoline_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl TR(tramp_gdt_desc)
	mov %cr0, %eax
	or $1, %eax			/* PE */
	mov %eax, %cr0
	ljmpl $0x08, $TR(tramp32)

	.code32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov TR(tramp_cr3), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx		/* EFER: long mode, NX */
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	and $0x9fffffff, %eax		/* caches on: CD and NW clear */
	or $0x80010000, %eax		/* PG, WP */
	mov %eax, %cr0
	ljmp $0x18, $TR(tramp64)

	.code64
tramp64:
	mov TR(tramp_stack), %rsp
	mov TR(tramp_entry), %rax
	xor %ebp, %ebp
	jmp *%rax

	.align 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
	.quad 0x00af9b000000ffff	/* 0x18: 64-bit code */
tramp_gdt_desc:
	.word tramp_gdt_desc - tramp_gdt - 1
	.long TR(tramp_gdt)
	.align 8
tramp_cr3:
	.quad 0
tramp_stack:
	.quad 0
tramp_entry:
	.quad 0
trampoline_end:
