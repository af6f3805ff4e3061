/*
 * sysctl (hypercall 35): the control domain asking about the host as a
 * whole. One struct xen_sysctl in and out; the caller's privilege and
 * the interface version are checked here once for every sub-op.
 * docs/hypercalls.md lists them.
 */
#include <xen/console.h>
#include <xen/cpumask.h>
#include <xen/domctl.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/time.h>
#include <public/sysctl.h>

/* Bytes of the console ring copied per step (on the stack, no lock held) */
#define READCONSOLE_CHUNK 256

static long readconsole(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_readconsole *r = &op->u.readconsole;
	char chunk[READCONSOLE_CHUNK];
	u32 idx = r->incremental ? r->index : console_ring_newest(r->count);
	size_t done = 0;

	while (done < r->count) {
		size_t n = console_ring_read(&idx, chunk,
					     min((size_t)(r->count - done),
						 sizeof(chunk)));

		if (!n)
			break;
		if (copy_to_guest_offset(r->buffer, done, chunk, n))
			return -EFAULT;
		done += n;
	}
	r->count = done;
	r->index = idx;
	if (r->clear)
		console_ring_clear();
	return 0;
}

static long physinfo(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_physinfo *p = &op->u.physinfo;
	unsigned int cpu, nr = 0, max = 0;

	for_each_online_cpu(cpu) {
		nr++;
		max = cpu;
	}
	memset(p, 0, sizeof(*p));
	p->threads_per_core = 1;
	p->cores_per_socket = nr;
	p->nr_cpus = nr;
	p->max_cpu_id = max;
	p->nr_nodes = 1;
	p->cpu_khz = tsc_khz;
	p->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap;
	p->total_pages = total_heap_pages();
	p->free_pages = total_free_pages();
	p->max_mfn = max_valid_pfn();
	return 0;
}

/* From first_domain up, in id order, as many as fit. */
static long getdomaininfolist(struct vcpu *v, struct xen_sysctl *op)
{
	struct xen_sysctl_getdomaininfolist *l = &op->u.getdomaininfolist;
	struct xen_domctl_getdomaininfo info;
	u32 n = 0;
	u32 from = l->first_domain;

	while (n < l->max_domains && from < DOMID_SELF) {
		struct domain *d = domain_get_from(from);

		if (!d)
			break;
		domain_fill_info(d, &info);
		from = d->domain_id + 1u;
		domain_put(d);
		if (copy_to_guest_offset(l->buffer, n, &info, 1))
			return -EFAULT;
		n++;
	}
	l->num_domains = n;
	return 0;
}

typedef long (*sysctl_fn_t)(struct vcpu *v, struct xen_sysctl *op);

static const sysctl_fn_t sysctls[] = {
	[XEN_SYSCTL_readconsole] = readconsole,
	[XEN_SYSCTL_physinfo] = physinfo,
	[XEN_SYSCTL_getdomaininfolist] = getdomaininfolist,
};

long do_sysctl(struct vcpu *v, struct hypercall_args *args)
{
	XEN_GUEST_HANDLE(xen_sysctl_t) hnd =
		guest_handle_from_param(args->a[0], xen_sysctl_t);
	struct xen_sysctl op;
	long rc;

	if (!is_control_domain(v->domain))
		return -EPERM;
	if (copy_from_guest(&op, hnd, 1))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;
	if (op.cmd >= ARRAY_SIZE(sysctls) || !sysctls[op.cmd])
		return -ENOSYS;
	rc = sysctls[op.cmd](v, &op);
	if (!rc && copy_to_guest(hnd, &op, 1))
		rc = -EFAULT;
	return rc;
}
