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

/*
 * The 32-bit entry's state, kept by head.S in `entry32` (struct entry32
 * in main.c): byte offsets of its 32-bit words.
 */
#define E32_USED 0
#define E32_ESI 4
#define E32_EBX 8
#define E32_EBP 12
#define E32_EDI 16
#define E32_CR0 20
#define E32_EFLAGS 24
#define E32_CS 28
#define E32_DS 32
#define E32_ES 36
#define E32_SS 40
#define E32_SIZE 44

#endif /* BZBOOT_LAYOUT_H */
