/* Constants shared by setup.S, head.S, guest.lds and main.c. */
#ifndef BZBOOT_LAYOUT_H
#define BZBOOT_LAYOUT_H

/* Where the protected-mode kernel runs: pref_address, kernel_alignment */
#define BZ_LOAD 0x200000
#define BZ_ALIGN 0x200000
/* The setup sectors before it in the file: one, with the boot sector. */
#define BZ_SETUP_SECTS 1
#define BZ_SETUP_SIZE ((BZ_SETUP_SECTS + 1) * 512)
/* The longest command line it takes (cmdline_size). */
#define BZ_CMDLINE_SIZE 255
#define STACK_SIZE 8192

#endif /* BZBOOT_LAYOUT_H */
