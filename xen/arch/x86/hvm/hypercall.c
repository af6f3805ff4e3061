/*
 * The hypercalls guests need so far: console_io (write) and sched_op
 * (yield, block, shutdown). Xen's numbers and register conventions:
 * 64-bit guests pass arguments in RDI, RSI, RDX, R10, R8; 32-bit guests in
 * EBX, ECX, EDX, ESI, EDI; the result goes to RAX.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/hvm.h>

#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define CONSOLEIO_write 0
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define CONSOLE_CHUNK 128

static long do_console_io(struct vcpu *v, unsigned long cmd,
			  unsigned long count, unsigned long buf)
{
	char chunk[CONSOLE_CHUNK];
	unsigned long done = 0;

	if (cmd != CONSOLEIO_write)
		return -ENOSYS;
	while (done < count) {
		size_t n = min(count - done, (unsigned long)sizeof(chunk));

		if (hvm_copy_from_guest_virt(v, chunk, buf + done, n))
			return -EFAULT;
		domain_console_write(v->domain, chunk, n);
		done += n;
	}
	return 0;
}

static long do_sched_op(struct vcpu *v, unsigned long cmd, unsigned long arg)
{
	u32 reason;

	switch (cmd) {
	case SCHEDOP_yield:
		vcpu_yield();
		return 0;
	case SCHEDOP_block:
		hvm_hlt(v);
		return 0;
	case SCHEDOP_shutdown:
		if (hvm_copy_from_guest_virt(v, &reason, arg, sizeof(reason)))
			return -EFAULT;
		if (reason > SHUTDOWN_crash)
			return -EINVAL;
		domain_shutdown(v->domain, reason);
		return 0;
	}
	return -ENOSYS;
}

void hvm_hypercall(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);
	struct hvm_regs *r = &h->regs;
	unsigned long nr = h->long_mode ? r->rax : (u32)r->rax;
	unsigned long a1, a2, a3;
	long ret;

	if (h->cpl) {
		ret = -EPERM;
		goto out;
	}
	if (h->long_mode) {
		a1 = r->rdi;
		a2 = r->rsi;
		a3 = r->rdx;
	} else {
		a1 = (u32)r->rbx;
		a2 = (u32)r->rcx;
		a3 = (u32)r->rdx;
	}
	switch (nr) {
	case HYPERVISOR_console_io:
		ret = do_console_io(v, a1, a2, a3);
		break;
	case HYPERVISOR_sched_op:
		ret = do_sched_op(v, a1, a2);
		break;
	default:
		ret = -ENOSYS;
		break;
	}
out:
	r->rax = h->long_mode ? (unsigned long)ret : (u32)ret;
}
