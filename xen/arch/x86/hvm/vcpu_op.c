/*
 * vcpu_op (hypercall 24): (cmd, vcpu id, arg). initialise, up, down and
 * is_up on any vCPU of the caller's domain (a vCPU that is down sleeps in
 * hvm_vcpu_loop until another brings it up; one with no start state yet
 * is down and cannot be brought up before initialise gives it one:
 * hvm/vcpu_start.c); the one-shot timer on the caller's own vCPU only
 * (another's: -EPERM).
 */
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/wait.h>
#include <asm/hvm.h>
#include <asm/time.h>
#include <asm/vlapic.h>
#include <public/hvm_vcpu.h>
#include <public/vcpu.h>

/*
 * VIRQ_TIMER if the vCPU bound it (what Xen guests expect), else the bare
 * upcall (what the test guests use).
 */
static void singleshot_fired(void *arg)
{
	if (!send_guest_vcpu_virq(arg, VIRQ_TIMER))
		arch_vcpu_raise_upcall(arg);
}

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
		return hvm_vcpu_up(v->domain->vcpu[id]);
	}
}

/*
 * The register state (struct vcpu_hvm_context, as Xen takes for HVM
 * guests) of a vCPU that is unstarted or down: -EINVAL for a state the
 * vendors cannot start in, -EEXIST if the vCPU runs.
 */
static long vcpu_initialise(struct vcpu *v, unsigned long id, unsigned long arg)
{
	struct vcpu_hvm_context ctx;
	struct hvm_vcpu start;

	if (id >= v->domain->max_vcpus || !v->domain->vcpu[id])
		return -EINVAL;
	if (copy_from_guest(
		    &ctx, guest_handle_from_param(arg, vcpu_hvm_context_t), 1))
		return -EFAULT;
	if (hvm_context_to_start(&ctx, &start))
		return -EINVAL;
	return hvm_vcpu_set_start(v->domain->vcpu[id], &start);
}

static long set_singleshot_timer(struct vcpu *v, unsigned long arg)
{
	struct vcpu_set_singleshot_timer t;

	if (copy_from_guest(
		    &t,
		    guest_handle_from_param(arg, vcpu_set_singleshot_timer_t),
		    1))
		return -EFAULT;
	if (t.flags & ~VCPU_SSHOTTMR_future)
		return -EINVAL;
	/* Unsigned, as in Xen: 2^63 ns and beyond are far future. */
	if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < (u64)NOW())
		return -ETIME;
	if (!v->singleshot.fn)
		init_timer(&v->singleshot, singleshot_fired, v, v->processor);
	set_timer(&v->singleshot,
		  (s_time_t)min(t.timeout_abs_ns, (u64)STIME_NEVER - 1));
	return 0;
}

long do_vcpu_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long cmd = args->a[0], id = args->a[1];
	struct domain *d = v->domain;

	switch (cmd) {
	case VCPUOP_initialise:
		return vcpu_initialise(v, id, args->a[2]);
	case VCPUOP_up:
	case VCPUOP_down:
	case VCPUOP_is_up:
		return vcpu_up_down(v, cmd, id);
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
		break;
	default:
		return vcpu_op_time(v, args);
	}
	/* A vCPU programs its own timer only. */
	if (id >= d->max_vcpus || !d->vcpu[id])
		return -EINVAL;
	if (id != v->vcpu_id)
		return -EPERM;
	if (cmd == VCPUOP_set_singleshot_timer)
		return set_singleshot_timer(v, args->a[2]);
	if (v->singleshot.fn)
		stop_timer(&v->singleshot);
	return 0;
}
