/*
 * sched_op (hypercall 29): (cmd, arg). yield, block (until an upcall is
 * pending), shutdown of the caller's domain, shutdown_code (the reason its
 * coming shutdown will report) and remote_shutdown (the control domain
 * stops another domain).
 */
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>

static long read_reason(struct vcpu *v, unsigned long arg, u32 *reason)
{
	struct sched_shutdown s;

	if (hvm_copy_from_guest_virt(v, &s, arg, sizeof(s)))
		return -EFAULT;
	*reason = s.reason;
	return s.reason > SHUTDOWN_crash ? -EINVAL : 0;
}

/* The first code recorded wins, as in Xen. */
static long shutdown_code(struct vcpu *v, unsigned long arg)
{
	struct domain *d = v->domain;
	u32 reason;
	long rc = read_reason(v, arg, &reason);

	if (rc)
		return rc;
	spin_lock(&d->shutdown_lock);
	if (d->recorded_shutdown_code < 0)
		d->recorded_shutdown_code = reason;
	spin_unlock(&d->shutdown_lock);
	return 0;
}

static long remote_shutdown(struct vcpu *v, unsigned long arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (!is_control_domain(v->domain))
		return -EPERM;
	if (hvm_copy_from_guest_virt(v, &rs, arg, sizeof(rs)))
		return -EFAULT;
	if (rs.reason > SHUTDOWN_crash)
		return -EINVAL;
	d = domain_get(rs.domain_id);
	if (!d)
		return -ESRCH;
	domain_shutdown(d, rs.reason);
	domain_put(d);
	return 0;
}

long do_sched_op(struct vcpu *v, struct hypercall_args *args)
{
	unsigned long arg = args->a[1];
	u32 reason;
	long rc;

	switch (args->a[0]) {
	case SCHEDOP_yield:
		vcpu_yield();
		return 0;
	case SCHEDOP_block:
		hvm_hlt(v);
		return 0;
	case SCHEDOP_shutdown:
		rc = read_reason(v, arg, &reason);
		if (!rc)
			domain_shutdown(v->domain, reason);
		return rc;
	case SCHEDOP_shutdown_code:
		return shutdown_code(v, arg);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v, arg);
	}
	return -ENOSYS;
}
