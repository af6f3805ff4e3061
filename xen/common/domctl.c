/*
 * domctl (hypercall 36): the control domain acting on another domain.
 * One struct xen_domctl in and out; the interface version, the caller's
 * privilege and the domain are checked here once for every sub-op, and
 * the tables below say which sub-ops exist: Xen's by number, ours
 * (from XEN_DOMCTL_getdomainname up) in a second one. docs/hypercalls.md
 * lists them.
 */
#include <xen/domctl.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/vm_event.h>
#include <asm/p2m.h>
#include <public/domctl.h>

DEFINE_SPINLOCK(domctl_lock, LR_DOMCTL);

static long pause_domain(struct vcpu *v, struct domain *d,
			 struct xen_domctl *dc)
{
	if (d == v->domain)
		return -EINVAL;
	spin_lock(&domctl_lock);
	__atomic_fetch_add(&d->controller_pause_count, 1, __ATOMIC_SEQ_CST);
	domain_pause(d);
	spin_unlock(&domctl_lock);
	return 0;
}

/* Undo one pause of the control domain's; -EINVAL if there is none. */
static long unpause_domain(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc)
{
	long rc = -EINVAL;

	spin_lock(&domctl_lock);
	if (d->controller_pause_count) {
		__atomic_fetch_sub(&d->controller_pause_count, 1,
				   __ATOMIC_SEQ_CST);
		domain_unpause(d);
		rc = 0;
	}
	spin_unlock(&domctl_lock);
	return rc;
}

/* Not the caller itself: it would never return to say so. */
static long destroy_domain(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc)
{
	if (d == v->domain)
		return -EINVAL;
	domain_kill(d);
	return 0;
}

static long getdomaininfo(struct vcpu *v, struct domain *d,
			  struct xen_domctl *dc)
{
	domain_fill_info(d, &dc->u.getdomaininfo);
	return 0;
}

/*
 * The most d may hold, in KiB rounded down to pages. Below what it holds
 * is allowed (as in Xen: it cannot grow until it gave pages back); more
 * than the host has is -ENOMEM, as no domain could ever get that.
 */
static long max_mem(struct vcpu *v, struct domain *d, struct xen_domctl *dc)
{
	u64 pages = dc->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);

	if (pages > total_heap_pages())
		return -ENOMEM;
	spin_lock(&d->page_alloc_lock);
	d->max_pages = pages;
	d->overalloc_reported = false;
	spin_unlock(&d->page_alloc_lock);
	return 0;
}

/*
 * d may then act on the target as the control domain does. The target
 * must be the older domain: a foreign map holds the target's gfn while
 * it takes d's, and p2m locks are ordered by creation (physmap_foreign.c)
 */
static long set_target(struct vcpu *v, struct domain *d, struct xen_domctl *dc)
{
	struct domain *t = domain_get(dc->u.set_target.target);
	long rc;

	if (!t)
		return -ESRCH;
	if (d == t || !d->p2m || !t->p2m || !p2m_locks_before(t->p2m, d->p2m))
		rc = -EINVAL;
	else
		rc = domain_set_target(d, t);
	domain_put(t);
	return rc;
}

static long getdomainname(struct vcpu *v, struct domain *d,
			  struct xen_domctl *dc)
{
	BUILD_BUG_ON(sizeof(dc->u.getdomainname.name) < sizeof(d->name));
	memset(dc->u.getdomainname.name, 0, sizeof(dc->u.getdomainname.name));
	strlcpy(dc->u.getdomainname.name, d->name,
		sizeof(dc->u.getdomainname.name));
	return 0;
}

static long vm_event_op(struct vcpu *v, struct domain *d, struct xen_domctl *dc)
{
	return vm_event_domctl(v, d, &dc->u.vm_event_op);
}

static long create_domain(struct vcpu *v, struct domain *d,
			  struct xen_domctl *dc)
{
	return domctl_createdomain(v, dc);
}

static void undo_create(domid_t id)
{
	struct domain *d = domain_get(id);

	if (d) {
		domain_kill(d);
		domain_put(d);
	}
}

struct domctl_desc {
	long (*fn)(struct vcpu *v, struct domain *d, struct xen_domctl *dc);
	bool copy_back; /* the sub-op has results in the structure */
	bool no_domain; /* `domain` names no existing domain (d is NULL) */
};

static const struct domctl_desc domctls[] = {
	[XEN_DOMCTL_createdomain] = { create_domain, true, true },
	[XEN_DOMCTL_destroydomain] = { destroy_domain, false },
	[XEN_DOMCTL_pausedomain] = { pause_domain, false },
	[XEN_DOMCTL_unpausedomain] = { unpause_domain, false },
	[XEN_DOMCTL_getdomaininfo] = { getdomaininfo, true },
	[XEN_DOMCTL_max_mem] = { max_mem, false },
	[XEN_DOMCTL_setvcpucontext] = { domctl_setvcpucontext, false },
	[XEN_DOMCTL_getvcpucontext] = { domctl_getvcpucontext, false },
	[XEN_DOMCTL_set_target] = { set_target, false },
	[XEN_DOMCTL_vm_event_op] = { vm_event_op, true },
};

/* Ours: entry n is sub-op XEN_DOMCTL_getdomainname + n. */
static const struct domctl_desc own_domctls[] = {
	[0] = { getdomainname, true }, /* XEN_DOMCTL_getdomainname */
};

static const struct domctl_desc *lookup(u32 cmd)
{
	const struct domctl_desc *desc = NULL;

	if (cmd < ARRAY_SIZE(domctls))
		desc = &domctls[cmd];
	else if (cmd - XEN_DOMCTL_getdomainname < ARRAY_SIZE(own_domctls))
		desc = &own_domctls[cmd - XEN_DOMCTL_getdomainname];
	return desc && desc->fn ? desc : NULL;
}

long do_domctl(struct vcpu *v, struct hypercall_args *args)
{
	XEN_GUEST_HANDLE(xen_domctl_t) hnd =
		guest_handle_from_param(args->a[0], xen_domctl_t);
	const struct domctl_desc *desc;
	struct xen_domctl dc;
	struct domain *d = NULL;
	long rc;

	if (!is_control_domain(v->domain))
		return -EPERM;
	if (copy_from_guest(&dc, hnd, 1))
		return -EFAULT;
	if (dc.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	desc = lookup(dc.cmd);
	if (!desc)
		return -ENOSYS;
	if (!desc->no_domain) {
		d = domain_get(dc.domain);
		if (!d)
			return -ESRCH;
	}
	rc = desc->fn(v, d, &dc);
	if (d)
		domain_put(d);
	if (!rc && desc->copy_back && copy_to_guest(hnd, &dc, 1)) {
		rc = -EFAULT;
		/* Nobody learnt the new domain's id: it goes again. */
		if (dc.cmd == XEN_DOMCTL_createdomain)
			undo_create(dc.domain);
	}
	return rc;
}
