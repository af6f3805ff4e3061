/* The host has no traps: what wait.c uses of <asm/traps.h>. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

/* Logs nothing on the host (a test sees the printk before it). */
void show_backtrace(unsigned long rbp);

#endif
