/*
 * bzboot's setup sectors: the boot sector and one more, holding the setup
 * header of boot protocol 2.15 at 0x1f1 (Documentation/x86/boot.rst). No
 * real-mode code: the hypervisor enters at the 64-bit entry. loadflags
 * sets KEEP_SEGMENTS and CAN_USE_HEAP, and type_of_loader and setup_data
 * hold junk, for the loader to put right (main.c checks it did).
 */
#include "layout.h"

	.section .setup, "a"
setup_start:
	.org	0x1f1
	.byte	BZ_SETUP_SECTS		/* setup_sects */
	.word	0			/* root_flags */
	.long	__syssize		/* syssize */
	.word	0, 0, 0			/* ram_size, vid_mode, root_dev */
	.word	0xaa55			/* boot_flag */
	.byte	0xeb, hdr_end - setup_start - 0x202 /* jump: the end */
	.ascii	"HdrS"
	.word	0x020f			/* version 2.15 */
	.long	0			/* realmode_swtch */
	.word	0, 0			/* start_sys_seg, kernel_version */
	.byte	0x5a			/* type_of_loader: junk */
	.byte	0x01 | 0x40 | 0x80	/* LOADED_HIGH, KEEP_SEGMENTS, HEAP */
	.word	0			/* setup_move_size */
	.long	0x100000		/* code32_start */
	.long	0, 0			/* ramdisk_image, ramdisk_size */
	.long	0			/* bootsect_kludge */
	.word	0x1234			/* heap_end_ptr: junk */
	.byte	0, 0			/* ext_loader_ver, ext_loader_type */
	.long	0			/* cmd_line_ptr */
	.long	0x7fffffff		/* initrd_addr_max */
	.long	BZ_ALIGN		/* kernel_alignment */
	.byte	1			/* relocatable_kernel */
	.byte	21			/* min_alignment */
	.word	0x1			/* xloadflags: XLF_KERNEL_64 */
	.long	BZ_CMDLINE_SIZE		/* cmdline_size */
	.long	0			/* hardware_subarch */
	.quad	0			/* hardware_subarch_data */
	.long	0, 0			/* payload_offset, payload_length */
	.quad	0xdeadbeef		/* setup_data: junk */
	.quad	BZ_LOAD			/* pref_address */
	.long	__init_size		/* init_size */
	.long	0			/* handover_offset */
	.long	0			/* kernel_info_offset */
hdr_end:
	.org	BZ_SETUP_SIZE

	.section .note.GNU-stack, "", @progbits
