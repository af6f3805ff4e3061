/*
 * Multiboot2 entry: GRUB enters here in 32-bit protected mode, paging off,
 * EAX = multiboot2 magic, EBX = physical address of the boot information.
 * We build nothing dynamically here: static boot page tables map the low
 * 4 GiB three times (identity, direct map, and the first GiB at the
 * hypervisor image's virtual address), which is all C needs to start.
 */
#include <asm/page.h>
#include <asm/config.h>

#define MB2_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_ARCH_I386 0

#define PTE_P 0x001
#define PTE_W 0x002
#define PTE_PS 0x080
#define PML4_SLOT(va) (((va) >> 39) & 511)

	.section .text.head, "ax"
	.code32

	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* End tag. */
	.short 0, 0
	.long 8
mb2_header_end:

	.globl start
start:
	cli
	cld
	mov $boot_stack_top, %esp
	cmp $MB2_BOOTLOADER_MAGIC, %eax
	jne not_multiboot
	mov %ebx, %edi

	/* Long mode available? */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx		/* EFER: long mode, NX */
	rdmsr
	or $0x100, %eax
	wrmsr
	mov %cr0, %eax
	and $0x9fffffff, %eax		/* caches on: CD and NW clear */
	or $0x80010001, %eax		/* PG, WP, PE */
	mov %eax, %cr0
	lgdt boot_gdt_desc
	ljmp $0x08, $start64

not_multiboot:
	mov $msg_not_mb2, %esi
	jmp early_fail
no_long_mode:
	mov $msg_no_lm, %esi
early_fail:
	/* Print the message on COM1 and stop. */
	mov $0x3f8, %dx
1:	lodsb
	test %al, %al
	jz 2f
	out %al, %dx
	jmp 1b
2:	hlt
	jmp 2b

	.code64
start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $start_high, %rax
	jmp *%rax

	.section .data.head, "aw"
msg_not_mb2:
	.asciz "(XEN) not loaded by a multiboot2 loader\r\n"
msg_no_lm:
	.asciz "(XEN) this CPU has no long mode\r\n"

	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.align PAGE_SIZE
boot_pml4:
	.quad boot_pdpt_low + (PTE_P | PTE_W)
	.fill PML4_SLOT(DIRECTMAP_VIRT_START) - 1, 8, 0
	.quad boot_pdpt_low + (PTE_P | PTE_W)
	.fill 511 - PML4_SLOT(DIRECTMAP_VIRT_START) - 1, 8, 0
	.quad boot_pdpt_high + (PTE_P | PTE_W)

	.align PAGE_SIZE
boot_pdpt_low:
	.quad boot_pd + 0 * PAGE_SIZE + (PTE_P | PTE_W)
	.quad boot_pd + 1 * PAGE_SIZE + (PTE_P | PTE_W)
	.quad boot_pd + 2 * PAGE_SIZE + (PTE_P | PTE_W)
	.quad boot_pd + 3 * PAGE_SIZE + (PTE_P | PTE_W)
	.fill 508, 8, 0

	.align PAGE_SIZE
boot_pdpt_high:
	.fill 510, 8, 0
	.quad boot_pd + (PTE_P | PTE_W)	/* -2 GiB: the image's first GiB */
	.quad 0

	.align PAGE_SIZE
boot_pd:
	.set i, 0
	.rept 2048
	.quad (i << 21) + (PTE_P | PTE_W | PTE_PS)
	.set i, i + 1
	.endr

	.section .bss.head, "aw", @nobits
	.align 16
	.space 1024
boot_stack_top:

	.text
start_high:
	lea cpu0_stack + PAGE_SIZE + STACK_SIZE(%rip), %rsp
	xor %ebp, %ebp
	call __start_xen
	ud2
