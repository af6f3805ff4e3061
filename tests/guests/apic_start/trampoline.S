/*
 * The real-mode code a SIPI starts vCPU 1 at (copied to a page below
 * 1 MiB): it records CS, EDX and the machine status word in the words
 * after it, then the magic, and halts for good.
 */
#include "trampoline.h"

	.text
	.code16
	.globl sipi_tramp, sipi_tramp_end
sipi_tramp:
	mov	%cs, %ax
	mov	%ax, %ds
	mov	%ax, TRAMP_CS
	mov	%edx, TRAMP_EDX
	smsw	TRAMP_MSW
	movl	$TRAMP_MAGIC_VALUE, TRAMP_MAGIC
1:	cli
	hlt
	jmp	1b
sipi_tramp_end:
	.code32

	.section .note.GNU-stack, "", @progbits
