/*
 * Hypercalls, made through the hypercall page (the 64-bit convention:
 * RAX = number, arguments in RDI, RSI, RDX, R10, R8; the result in RAX, a
 * negative Xen errno on failure). Pointers are guest-physical addresses:
 * dom0's memory is mapped 1:1.
 */
#ifndef MINIOS_HYPERCALL_H
#define MINIOS_HYPERCALL_H

#include <public/event_channel.h>
#include <public/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

/*
 * Ask the hypervisor to write the hypercall page (its MSR, named by CPUID
 * leaf 0x40000002); nothing works before. Panics if it is not there.
 */
void hypercall_init(void);

long hypercall5(unsigned int op, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4, unsigned long a5);

static inline long hypercall_console_io(unsigned int cmd, unsigned int len,
					void *buf)
{
	return hypercall5(__HYPERVISOR_console_io, cmd, len, (unsigned long)buf,
			  0, 0);
}

static inline long hypercall_sched_op(unsigned int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0,
			  0);
}

static inline long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu,
				     void *arg)
{
	return hypercall5(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
			  0, 0);
}

static inline long hypercall_evtchn_op(unsigned int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_event_channel_op, cmd,
			  (unsigned long)arg, 0, 0, 0);
}

static inline long hypercall_hvm_op(unsigned int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg, 0, 0,
			  0);
}

static inline long hypercall_memory_op(unsigned int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0,
			  0);
}

static inline long hypercall_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return hypercall_sched_op(SCHEDOP_shutdown, &s);
}

#endif /* MINIOS_HYPERCALL_H */
