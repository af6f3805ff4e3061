/*
 * Hypervisor stacks with guard pages. Every vCPU stack, every AP's idle
 * stack and every CPU's IST stacks live in the stack area, one 32 KiB slot
 * each, with unmapped pages below every stack: an overflow faults on a
 * guard page (the #DF handler runs on its own IST stack) and panics with
 * the stack's name. The boot CPU's stack is in the image, with its lowest
 * page unmapped.
 */
#ifndef ASM_STACK_H
#define ASM_STACK_H

#include <xen/types.h>

enum stack_ist { STACK_IST_NMI, STACK_IST_DF, STACK_IST_MCE, STACK_NR_IST };

/* Set up the stack area and the boot CPU's guard page (heap ready). */
void stack_init(void);

/*
 * STACK_SIZE bytes of stack (returns the lowest address) with a guard
 * below, for vCPU vcpu_id of domain domid or for the idle vCPU of CPU
 * cpu; NULL if out of memory or slots. stack_free() takes either back
 * (interrupts enabled: it flushes every CPU's TLB).
 */
void *stack_alloc_vcpu(unsigned int domid, unsigned int vcpu_id);
void *stack_alloc_cpu(unsigned int cpu);
void stack_free(void *stack);

/*
 * Map CPU cpu's STACK_NR_IST pages of IST stacks (physically contiguous
 * at pa), one per guard; returns the top of each in tops[], or -ENOMEM.
 */
int stack_map_ist(unsigned int cpu, paddr_t pa,
		  unsigned long tops[STACK_NR_IST]);

/*
 * Whether addr lies in a guard page; if so writes which stack it guards
 * ("hypervisor stack (vCPU d1v0)", "idle stack (CPU 1)", ...) to buf.
 */
bool stack_guard_owner(unsigned long addr, char *buf, size_t len);

/* The lowest address of CPU cpu's idle stack, or 0 if it has none. */
unsigned long stack_cpu_base(unsigned int cpu);

/* With stack_overflow_test on the command line: overflow a vCPU stack. */
void stack_overflow_test_start(void);

#endif
