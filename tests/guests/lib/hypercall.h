/*
 * Hypercalls, 32-bit HVM convention: EAX = number, arguments in EBX, ECX,
 * EDX, ESI, EDI, result in EAX (a negative Xen errno on failure). The
 * instruction (VMCALL or VMMCALL) is chosen from the CPU vendor at start.
 * Only valid when xtf_has_xen() says a hypervisor is there.
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <stdint.h>

#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_sched_op 29

#define CONSOLEIO_write 0

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3

struct sched_shutdown {
	uint32_t reason;
};

/* Pick VMCALL or VMMCALL for this CPU: once, before any hypercall. */
void hypercall_init(void);

long hypercall_console_write(const char *buf, unsigned int len);
long hypercall_sched_op(unsigned int cmd, void *arg);

static inline long hypercall_yield(void)
{
	return hypercall_sched_op(SCHEDOP_yield, 0);
}

static inline long hypercall_block(void)
{
	return hypercall_sched_op(SCHEDOP_block, 0);
}

static inline long hypercall_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return hypercall_sched_op(SCHEDOP_shutdown, &s);
}

#endif /* XTF_HYPERCALL_H */
