/*
 * The x87/SSE/AVX register file of guests (XSAVE, or FXSAVE where the CPU
 * has no XSAVE). The hypervisor itself never uses these registers (it is
 * built with -mgeneral-regs-only), so whatever a guest left in them stays
 * there until its vCPU is switched out.
 */
#ifndef ASM_XSTATE_H
#define ASM_XSTATE_H

#include <xen/types.h>

/*
 * Every XCR0 component this CPU supports (x87 and SSE at least, without
 * XSAVE). The host runs with all of them enabled while it saves or loads
 * a register file; a guest may enable any subset XSETBV allows.
 */
extern u64 xstate_mask;
/* XSAVE is used (and XSETBV offered to guests). */
extern bool xstate_xsave;

/* Boot CPU: find the save layout; every CPU: CR0/CR4 bits and XCR0. */
void xstate_init(void);
void xstate_init_cpu(void);

/* A register file in its reset state (FNINIT, MXCSR 0x1f80), or NULL. */
void *xstate_alloc(void);
void xstate_free(void *area);

/* Save the registers to area; load them with xcr0 the guest's XCR0. */
void xstate_save(void *area);
void xstate_load(const void *area, u64 xcr0);

#endif
