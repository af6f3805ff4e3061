/*
 * The domctl sub-ops that build a domain: createdomain (an empty HVM
 * domain, paused, no vCPU running) and setvcpucontext, which creates and
 * starts a vCPU (or gives a stopped one new registers); with no context
 * (a null handle) it creates the vCPU offline with no start state, as a
 * PVH guest's secondary vCPUs are: the guest starts it (INIT/SIPI or
 * VCPUOP_initialise). getvcpucontext reads a context back. Each holds domctl_lock (xen/domctl.h) while it
 * changes the domain, never across a guest copy.
 */
#include <xen/build_spec.h>
#include <xen/domctl.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <asm/hvm.h>

/*
 * Every created domain's gfns with range locks of their own, however much
 * memory it will hold (its p2m takes every gfn the guest can address).
 */
#define CREATED_GFNS (DOMAIN_MEM_MAX >> PAGE_SHIFT)
#define CREATE_FLAGS (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)

/* A name: printable, no spaces, NUL-terminated in the field; "" is ok. */
static bool name_ok(const char *name)
{
	size_t len = strnlen(name, XEN_DOMAIN_NAME_MAX);
	size_t i;

	if (len == XEN_DOMAIN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

static long check_create(const struct xen_domctl *dc)
{
	const struct xen_domctl_createdomain *c = &dc->u.createdomain;

	if (c->flags != CREATE_FLAGS || !c->max_vcpus ||
	    c->max_vcpus > MAX_VCPUS || !name_ok(c->name) ||
	    dc->domain >= DOMID_SELF)
		return -EINVAL;
	if (c->name[0] && domain_find_name(c->name))
		return -EEXIST;
	return 0;
}

/* Its p2m, and the pause that unpausedomain undoes: 0 or -errno. */
static int init_created(struct domain *d,
			const struct xen_domctl_createdomain *c)
{
	int rc = hvm_domain_init(d, CREATED_GFNS);

	if (rc)
		return rc;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	d->ssidref = c->ssidref;
	d->kept_after_shutdown = true;
	/* No vCPU to pause yet: setvcpucontext gives each its share. */
	d->controller_pause_count = 1;
	return 0;
}

long domctl_createdomain(struct vcpu *v, struct xen_domctl *dc)
{
	struct xen_domctl_createdomain *c = &dc->u.createdomain;
	struct domain *d;
	int rc;

	spin_lock(&domctl_lock);
	rc = check_create(dc);
	/* max_pages 0: it holds nothing until max_mem. */
	d = rc ? NULL :
		 domain_create(dc->domain, c->name, c->max_vcpus, 0, &rc);
	if (d) {
		if (!c->name[0])
			snprintf(d->name, sizeof(d->name), "d%u", d->domain_id);
		/* The reference domain_destroy_unbuilt() wants on failure. */
		domain_get(d->domain_id);
		rc = init_created(d, c);
		if (rc)
			domain_destroy_unbuilt(d);
		else
			domain_put(d);
	}
	spin_unlock(&domctl_lock);
	if (rc)
		return rc;
	dc->domain = d->domain_id;
	printk("d%u (%s): created by d%u, %u vCPU%s\n", d->domain_id, d->name,
	       v->domain->domain_id, c->max_vcpus, c->max_vcpus > 1 ? "s" : "");
	return 0;
}

/*
 * A new vCPU for d, registers from start, paused as often as the domain
 * is (controller_pause_count), so that it runs now only if the domain
 * does. Under domctl_lock.
 */
static int start_new_vcpu(struct domain *d, unsigned int id,
			  const struct hvm_vcpu *start)
{
	unsigned int pauses = d->controller_pause_count;
	struct vcpu *nv;
	int rc;

	rc = vcpu_create(d, id, hvm_vcpu_loop);
	if (rc)
		return rc;
	nv = d->vcpu[id];
	rc = hvm_vcpu_init(nv, start);
	if (rc) {
		vcpu_destroy_unstarted(nv);
		return rc;
	}
	/* Created with one pause: ours, until the shutdown check below. */
	__atomic_fetch_add(&nv->pause_count, pauses, __ATOMIC_SEQ_CST);
	/*
	 * A shutdown that came first did not see the vCPU and stops it
	 * with our pause left in place; one that comes after sees it (it
	 * sets is_shutting_down before it looks at the vCPUs).
	 */
	smp_mb();
	if (READ_ONCE(d->is_shutting_down))
		return 0;
	vcpu_unpause(nv);
	if (start->unstarted)
		printk("d%uv%u: offline until the guest starts it\n",
		       d->domain_id, id);
	else
		printk("d%uv%u: entry %#lx%s\n", d->domain_id, id,
		       (unsigned long)start->rip,
		       pauses ? " (domain paused)" : "");
	return 0;
}

/* An existing vCPU given new registers: only while the domain is paused */
static int restart_vcpu(struct domain *d, struct vcpu *t,
			const struct hvm_vcpu *start)
{
	if (!d->controller_pause_count)
		return -EBUSY;
	vcpu_sleep_sync(t);
	/* Asleep in the hypervisor (a wait queue): it would resume there. */
	if (READ_ONCE(t->waitqueue))
		return -EBUSY;
	hvm_vcpu_reset(t, start);
	return 0;
}

long domctl_setvcpucontext(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc)
{
	unsigned int id = dc->u.vcpucontext.vcpu;
	struct vcpu_hvm_context ctx;
	struct hvm_vcpu start;
	long rc;

	bool offline = guest_handle_is_null(dc->u.vcpucontext.ctxt);

	if (d == v->domain || id >= d->max_vcpus || !d->p2m)
		return -EINVAL;
	if (offline) {
		/* No context: offline, unstarted, as a PVH guest's APs. */
		start = (struct hvm_vcpu){ .down = true, .unstarted = true };
	} else {
		if (copy_from_guest(&ctx, dc->u.vcpucontext.ctxt, 1))
			return -EFAULT;
		rc = hvm_context_to_start(&ctx, &start);
		if (rc)
			return rc;
	}
	spin_lock(&domctl_lock);
	if (READ_ONCE(d->is_shutting_down))
		rc = -EINVAL;
	else if (!d->vcpu[id])
		rc = start_new_vcpu(d, id, &start);
	else if (offline) /* taking a running vCPU back is not offered */
		rc = -EEXIST;
	else
		rc = restart_vcpu(d, d->vcpu[id], &start);
	spin_unlock(&domctl_lock);
	return rc;
}

long domctl_getvcpucontext(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc)
{
	unsigned int id = dc->u.vcpucontext.vcpu;
	struct vcpu_hvm_context ctx;
	struct vcpu *t;
	long rc = 0;

	if (d == v->domain || id >= d->max_vcpus)
		return -EINVAL;
	spin_lock(&domctl_lock);
	t = d->vcpu[id];
	if (!t || !t->hvm || READ_ONCE(hvm_of(t)->unstarted))
		rc = -ENODATA; /* never given a context */
	else if (!d->controller_pause_count && !READ_ONCE(d->is_shutting_down))
		rc = -EBUSY;
	if (!rc) {
		vcpu_sleep_sync(t);
		hvm_context_from_vcpu(hvm_of(t), &ctx);
	}
	spin_unlock(&domctl_lock);
	if (!rc && copy_to_guest(dc->u.vcpucontext.ctxt, &ctx, 1))
		rc = -EFAULT;
	return rc;
}
