/*
 * Exceptions and the upcall vector (arch/traps.c, arch/entry.S). An
 * exception is a bug in dom0: it is reported with the registers and dom0
 * crashes (SCHEDOP_shutdown crash); the upcall vector runs the event
 * channels' dispatch (kernel/evtchn.c).
 */
#ifndef MINIOS_TRAPS_H
#define MINIOS_TRAPS_H

#include <stdint.h>

/* What entry.S pushes, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t ip, cs, flags, rsp, ss;
};

/* Load the IDT: exceptions, and the upcall vector's gate. */
void traps_init(void);
void trap_dispatch(struct trap_frame *f);

#endif /* MINIOS_TRAPS_H */
