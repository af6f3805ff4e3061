/*
 * Exception stubs: each pushes a 0 error code where the CPU pushes none, then
 * its vector, and joins exception_common, which hands the frame (struct
 * exception_frame in traps.c) to do_exception().
 */

/* Bit v set: the CPU pushes an error code (vectors 8, 10-14, 17, 21, 29, 30) */
#define ERROR_CODE_VECTORS 0x60227d00

	.macro stub v
	.p2align 3
exception_\v:
	.if !((ERROR_CODE_VECTORS >> \v) & 1)
	pushl	$0
	.endif
	pushl	$\v
	jmp	exception_common
	.endm

	.text
	.code32
	.irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	stub \v
	.endr
	.irp v, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	stub \v
	.endr

exception_common:
	pushal
	cld
	pushl	%esp
	call	do_exception
	ud2

	.section .rodata
	.p2align 2
	.global exception_stubs
exception_stubs:
	.irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.long	exception_\v
	.endr
	.irp v, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.long	exception_\v
	.endr

	.section .note.GNU-stack, "", @progbits
