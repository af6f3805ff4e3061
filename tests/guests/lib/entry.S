/*
 * Trap stubs, one per vector (0-255): each pushes a 0 error code where the
 * CPU pushes none, then its vector, and joins trap_common, which hands the
 * frame (struct trap_frame in traps.c) to do_trap(). do_trap() returns only
 * for an interrupt with a handler (xtf_set_irq_handler()) or an exception
 * with a fixup (ASM_EXTABLE); trap_common then restores the registers (as
 * do_trap() left them in the frame) and returns with iret. trap_stubs[v]
 * is the entry of vector v, for the IDT.
 */

/* Bit v set: the CPU pushes an error code (vectors 8, 10-14, 17, 21, 29, 30) */
#define ERROR_CODE_VECTORS 0x60227d00

	.macro stub v
	.text
	.p2align 3
1:
	.if (\v >= 32) || !((ERROR_CODE_VECTORS >> (\v & 31)) & 1)
	pushl	$0
	.endif
	pushl	$\v
	jmp	trap_common
	.pushsection .rodata
	.long	1b
	.popsection
	.endm

	.section .rodata
	.p2align 2
	.global trap_stubs
trap_stubs:
	.set	vector, 0
	.rept	256
	stub	vector
	.set	vector, vector + 1
	.endr

	.text
	.code32
trap_common:
	pushal
	cld
	pushl	%esp
	call	do_trap
	addl	$4, %esp
	popal
	addl	$8, %esp		/* vector and error code */
	iret

	.section .note.GNU-stack, "", @progbits
