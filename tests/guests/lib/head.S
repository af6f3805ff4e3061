/*
 * Entry, the PVH way: 32-bit protected mode, paging and interrupts off, EBX =
 * guest-physical address of the start info. Every vCPU enters here at once:
 * each loads the GDT, finds its id (CPUID 0x40000004, else 0), takes the
 * stack of that id and calls xtf_start(vcpu, start_info). The .bss must read
 * as zero (the loader zeroes p_memsz beyond p_filesz): nothing here clears
 * it, since the other vCPUs already run.
 */
#include "layout.h"

/*
 * No XEN_ELFNOTE_PHYS32_ENTRY note here: with one, a builder starts vCPU 0
 * alone (PVH), and most guests want every vCPU at e_entry. A guest that
 * wants the PVH entry carries its own (startinfo/pvh_note.S).
 */
	.section .text.head, "ax", @progbits
	.code32
	.global _start
_start:
	cli
	cld
	mov	%ebx, %ebp		/* cpuid clobbers ebx */
	lgdt	gdt_ptr
	ljmp	$XTF_CS, $1f
1:	mov	$XTF_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

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
2:	mov	$too_many_msg, %esi
	cmp	$XTF_MAX_VCPUS, %edi
	jae	stop
	/* Two vCPUs on one stack would corrupt each other: one per id. */
	mov	$1, %eax
	lock xadd %eax, entered(, %edi, 4)
	mov	$twice_msg, %esi
	test	%eax, %eax
	jnz	stop

	lea	1(%edi), %eax
	imul	$XTF_STACK_SIZE, %eax
	lea	stacks(%eax), %esp
	push	%ebp
	push	%edi
	call	xtf_start
	ud2

#include "head-common.inc"

	.section .rodata
/* Flat 4 GiB segments; accessed bits preset so the CPU never writes here. */
	.p2align 3
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* XTF_CS: 32-bit code */
	.quad 0x00cf93000000ffff	/* XTF_DS: data */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.long gdt

	.section .note.GNU-stack, "", @progbits
