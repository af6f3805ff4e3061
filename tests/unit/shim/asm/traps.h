/*
 * The host has no traps: what wait.c uses of <asm/traps.h>, and the
 * vector hvm/task_switch.c raises.
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

/* Logs nothing on the host (a test sees the printk before it). */
void show_backtrace(unsigned long rbp);

#define TRAP_gp_fault 13

#endif
