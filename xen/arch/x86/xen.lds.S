/*
 * The hypervisor image: the multiboot2 header and 32-bit entry are linked
 * at their load address (virtual == physical); everything else at
 * XEN_VIRT_START + physical, reached through the boot page tables.
 */
#include <asm/config.h>
#include <asm/page.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start)

PHDRS
{
	head PT_LOAD FLAGS(7);
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = XEN_LOAD_ADDR;
	__image_start_phys = .;
	.head : {
		*(.text.head)
		*(.data.head)
		. = ALIGN(PAGE_SIZE);
		*(.bss.head)
		. = ALIGN(PAGE_SIZE);
	} :head

	. += XEN_VIRT_START;
	_stext = .;
	.text : AT(ADDR(.text) - XEN_VIRT_START) {
		*(.text .text.*)
		*(.fixup)
		. = ALIGN(16);
		__trampoline_start = .;
		*(.trampoline)
		__trampoline_end = .;
	} :text
	_etext = .;

	. = ALIGN(PAGE_SIZE);
	.rodata : AT(ADDR(.rodata) - XEN_VIRT_START) {
		*(.rodata .rodata.*)
		*(.rodata.symbols)
		. = ALIGN(8);
		__ex_table_start = .;
		*(.ex_table)
		__ex_table_end = .;
		. = ALIGN(8);
		__param_start = .;
		*(.param)
		__param_end = .;
		. = ALIGN(8);
		__selftest_start = .;
		*(.selftest)
		__selftest_end = .;
	} :text

	. = ALIGN(PAGE_SIZE);
	.data : AT(ADDR(.data) - XEN_VIRT_START) {
		__per_cpu_start = .;
		*(.data.percpu.first)
		*(.data.percpu)
		. = ALIGN(64);
		__per_cpu_end = .;
		*(.data .data.*)
	} :data

	. = ALIGN(PAGE_SIZE);
	.bss : AT(ADDR(.bss) - XEN_VIRT_START) {
		__bss_start = .;
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
		. = ALIGN(PAGE_SIZE);
		__bss_end = .;
	} :data
	_end = .;

	/DISCARD/ : {
		*(.comment)
		*(.note.*)
		*(.eh_frame)
	}
}
