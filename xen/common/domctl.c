/*
 * domctl (hypercall 36): the control domain acting on another domain.
 * One struct xen_domctl in and out; the interface version, the caller's
 * privilege and the domain are checked here once for every sub-op, and
 * the table below says which sub-ops exist. docs/hypercalls.md lists
 * them.
 */
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/vm_event.h>
#include <public/domctl.h>

static long pause_domain(struct vcpu *v, struct domain *d,
			 struct xen_domctl *dc)
{
	if (d == v->domain)
		return -EINVAL;
	__atomic_fetch_add(&d->controller_pause_count, 1, __ATOMIC_SEQ_CST);
	domain_pause(d);
	return 0;
}

/* Undo one pause of the control domain's; -EINVAL if there is none. */
static long unpause_domain(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc)
{
	unsigned int n = READ_ONCE(d->controller_pause_count);

	do {
		if (!n)
			return -EINVAL;
	} while (!__atomic_compare_exchange_n(&d->controller_pause_count, &n,
					      n - 1, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	domain_unpause(d);
	return 0;
}

static long vm_event_op(struct vcpu *v, struct domain *d, struct xen_domctl *dc)
{
	return vm_event_domctl(v, d, &dc->u.vm_event_op);
}

struct domctl_desc {
	long (*fn)(struct vcpu *v, struct domain *d, struct xen_domctl *dc);
	bool copy_back; /* the sub-op has results in the structure */
};

static const struct domctl_desc domctls[] = {
	[XEN_DOMCTL_pausedomain] = { pause_domain, false },
	[XEN_DOMCTL_unpausedomain] = { unpause_domain, false },
	[XEN_DOMCTL_vm_event_op] = { vm_event_op, true },
};

long do_domctl(struct vcpu *v, struct hypercall_args *args)
{
	XEN_GUEST_HANDLE(xen_domctl_t) hnd =
		guest_handle_from_param(args->a[0], xen_domctl_t);
	const struct domctl_desc *desc;
	struct xen_domctl dc;
	struct domain *d;
	long rc;

	if (!is_control_domain(v->domain))
		return -EPERM;
	if (copy_from_guest(&dc, hnd, 1))
		return -EFAULT;
	if (dc.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	if (dc.cmd >= ARRAY_SIZE(domctls) || !domctls[dc.cmd].fn)
		return -ENOSYS;
	desc = &domctls[dc.cmd];
	d = domain_get(dc.domain);
	if (!d)
		return -ESRCH;
	rc = desc->fn(v, d, &dc);
	domain_put(d);
	if (!rc && desc->copy_back && copy_to_guest(hnd, &dc, 1))
		rc = -EFAULT;
	return rc;
}
