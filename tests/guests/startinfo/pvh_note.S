/*
 * This guest's PVH note: the builder enters pvh_start (vCPU 0 alone), which
 * records that it came this way and goes on at the usual entry.
 */
#include <public/elfnote.h>

	.section .note.Xen, "a", @note
	.p2align 2
	.long 4				/* namesz */
	.long 4				/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.text
	.code32
	.global pvh_start
pvh_start:
	movl	$1, entered_at_note
	jmp	_start

	.section .note.GNU-stack, "", @progbits
