/* Descriptor tables, exception handling and interrupt vectors. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/regs.h>

#define TRAP_nmi 2
#define TRAP_invalid_op 6
#define TRAP_double_fault 8
#define TRAP_gp_fault 13
#define TRAP_page_fault 14
#define TRAP_machine_check 18

/* Interrupt vectors we use (priority class 0xf, above everything else). */
#define TIMER_VECTOR 0xf0
#define CALL_FUNCTION_VECTOR 0xf1
#define INVALIDATE_TLB_VECTOR 0xf2
#define EVENT_CHECK_VECTOR 0xf3
#define SPURIOUS_VECTOR 0xff

typedef void (*irq_handler_t)(struct cpu_user_regs *regs);

/* Per-CPU descriptor tables; the boot CPU's on the early path. */
void trap_init_early(void);
void percpu_traps_init(unsigned int cpu);
/* Move the boot CPU's IST stacks behind guard pages (heap ready). */
void trap_init_guards(void);
void set_irq_handler(unsigned int vector, irq_handler_t handler);

/* Optional NMI callback (self-tests): returns true if it consumed it. */
extern bool (*nmi_callback)(struct cpu_user_regs *regs);

void show_registers(const struct cpu_user_regs *regs);
void show_backtrace(unsigned long rbp);

void do_trap(struct cpu_user_regs *regs);

#endif
