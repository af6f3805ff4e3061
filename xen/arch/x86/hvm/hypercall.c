/*
 * The hypercalls guests need so far: console_io (write), sched_op (yield,
 * block, shutdown), vcpu_op (up, down, is_up, one-shot timer), hvm_op
 * (get_time, the event upcall vector). Xen's numbers and register conventions:
 * 64-bit guests pass arguments in RDI, RSI, RDX, R10, R8; 32-bit guests in
 * EBX, ECX, EDX, ESI, EDI; the result goes to RAX.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/wait.h>
#include <asm/hvm.h>
#include <asm/time.h>

#define HYPERVISOR_console_io 18
#define HYPERVISOR_vcpu_op 24
#define HYPERVISOR_sched_op 29
#define HYPERVISOR_hvm_op 34
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9
#define VCPU_SSHOTTMR_future 1
#define HVMOP_get_time 10
#define HVMOP_set_evtchn_upcall_vector 23
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

static void singleshot_fired(void *arg)
{
	hvm_raise_upcall(arg);
}

/* Bring another vCPU of the domain down or up (see hvm_vcpu_loop). */
static long vcpu_up_down(struct vcpu *v, unsigned long cmd, unsigned long id)
{
	struct hvm_vcpu *t;

	if (id >= v->domain->max_vcpus || !v->domain->vcpu[id])
		return -EINVAL;
	t = hvm_of(v->domain->vcpu[id]);
	switch (cmd) {
	case VCPUOP_is_up:
		return !READ_ONCE(t->down);
	case VCPUOP_down:
		WRITE_ONCE(t->down, true);
		/* It stops at its next pass through the loop, if not us. */
		if (v->domain->vcpu[id] != v)
			send_event_check(v->domain->vcpu[id]->processor);
		return 0;
	default: /* VCPUOP_up */
		WRITE_ONCE(t->down, false);
		wake_up_all(&t->down_wq);
		return 0;
	}
}

static long do_vcpu_op(struct vcpu *v, unsigned long cmd, unsigned long id,
		       unsigned long arg)
{
	struct {
		u64 timeout_abs_ns;
		u32 flags;
	} __packed t;

	if (cmd == VCPUOP_up || cmd == VCPUOP_down || cmd == VCPUOP_is_up)
		return vcpu_up_down(v, cmd, id);
	/* A vCPU programs its own timer only. */
	if (id != v->vcpu_id)
		return id < v->domain->max_vcpus ? -EPERM : -EINVAL;
	switch (cmd) {
	case VCPUOP_set_singleshot_timer:
		if (hvm_copy_from_guest_virt(v, &t, arg, sizeof(t)))
			return -EFAULT;
		if (t.flags & ~VCPU_SSHOTTMR_future)
			return -EINVAL;
		if ((t.flags & VCPU_SSHOTTMR_future) &&
		    (s64)t.timeout_abs_ns < NOW())
			return -ETIME;
		if (!v->singleshot.fn)
			init_timer(&v->singleshot, singleshot_fired, v,
				   v->processor);
		set_timer(&v->singleshot, (s_time_t)t.timeout_abs_ns);
		return 0;
	case VCPUOP_stop_singleshot_timer:
		if (v->singleshot.fn)
			stop_timer(&v->singleshot);
		return 0;
	}
	return -ENOSYS;
}

static long do_hvm_op(struct vcpu *v, unsigned long cmd, unsigned long arg)
{
	struct {
		u32 vcpu;
		u8 vector;
	} up;
	u64 now;

	switch (cmd) {
	case HVMOP_get_time:
		now = NOW();
		return hvm_copy_to_guest_virt(v, arg, &now, sizeof(now));
	case HVMOP_set_evtchn_upcall_vector:
		if (hvm_copy_from_guest_virt(v, &up, arg, 5))
			return -EFAULT;
		if (up.vcpu >= v->domain->max_vcpus || up.vector < 0x10)
			return -EINVAL;
		v->domain->vcpu[up.vcpu]->upcall_vector = up.vector;
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
	case HYPERVISOR_vcpu_op:
		ret = do_vcpu_op(v, a1, a2, a3);
		break;
	case HYPERVISOR_hvm_op:
		ret = do_hvm_op(v, a1, a2);
		break;
	default:
		ret = -ENOSYS;
		break;
	}
out:
	r->rax = h->long_mode ? (unsigned long)ret : (u32)ret;
}
