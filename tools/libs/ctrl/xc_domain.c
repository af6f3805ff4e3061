/* libxenctrl: domains' lifecycle, state and vCPUs (domctl, sched_op). */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
		     struct xen_domctl_createdomain *config)
{
	struct xen_domctl dc = { .u.createdomain = *config };

	if (*pdomid > UINT16_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (xc_domctl(xch, XEN_DOMCTL_createdomain, *pdomid, &dc))
		return -1;
	*pdomid = dc.domain;
	return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
	struct xen_domctl dc = { 0 };

	return xc_domctl(xch, XEN_DOMCTL_destroydomain, domid, &dc);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
	struct xen_domctl dc = { 0 };

	return xc_domctl(xch, XEN_DOMCTL_pausedomain, domid, &dc);
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
	struct xen_domctl dc = { 0 };

	return xc_domctl(xch, XEN_DOMCTL_unpausedomain, domid, &dc);
}

int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
	struct sched_remote_shutdown arg = { .reason = (uint32_t)reason };

	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	arg.domain_id = (uint16_t)domid;
	return (int)xc_hypercall2(__HYPERVISOR_sched_op,
				  SCHEDOP_remote_shutdown, &arg);
}

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid,
			     xc_domaininfo_t *info)
{
	struct xen_domctl dc = { 0 };

	if (xc_domctl(xch, XEN_DOMCTL_getdomaininfo, domid, &dc))
		return -1;
	*info = dc.u.getdomaininfo;
	return 0;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
			  unsigned int max_domains, xc_domaininfo_t *info)
{
	struct xen_sysctl sc = { 0 };

	if (!max_domains) {
		errno = EINVAL;
		return -1;
	}
	/* No domain has an id that does not fit a domid_t. */
	if (first_domain > UINT16_MAX)
		return 0;
	sc.u.getdomaininfolist.first_domain = (domid_t)first_domain;
	sc.u.getdomaininfolist.max_domains = max_domains;
	set_xen_guest_handle(sc.u.getdomaininfolist.buffer, info);
	if (xc_sysctl(xch, XEN_SYSCTL_getdomaininfolist, &sc))
		return -1;
	return (int)sc.u.getdomaininfolist.num_domains;
}

int xc_domain_getname(xc_interface *xch, uint32_t domid, char *name,
		      size_t size)
{
	struct xen_domctl dc = { 0 };
	size_t len;

	if (xc_domctl(xch, XEN_DOMCTL_getdomainname, domid, &dc))
		return -1;
	len = strnlen(dc.u.getdomainname.name, XEN_DOMAIN_NAME_MAX - 1);
	if (len >= size) {
		errno = ERANGE;
		return -1;
	}
	memcpy(name, dc.u.getdomainname.name, len);
	name[len] = '\0';
	return 0;
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
	struct xen_domctl dc = { .u.max_mem.max_memkb = max_memkb };

	return xc_domctl(xch, XEN_DOMCTL_max_mem, domid, &dc);
}

int xc_domain_set_target(xc_interface *xch, uint32_t domid, uint32_t target)
{
	struct xen_domctl dc = { 0 };

	if (target > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	dc.u.set_target.target = (domid_t)target;
	return xc_domctl(xch, XEN_DOMCTL_set_target, domid, &dc);
}

static int vcpucontext(xc_interface *xch, uint32_t cmd, uint32_t domid,
		       uint32_t vcpu, vcpu_hvm_context_t *ctxt)
{
	struct xen_domctl dc = { .u.vcpucontext.vcpu = vcpu };

	set_xen_guest_handle(dc.u.vcpucontext.ctxt, ctxt);
	return xc_domctl(xch, cmd, domid, &dc);
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_hvm_context_t *ctxt)
{
	return vcpucontext(xch, XEN_DOMCTL_setvcpucontext, domid, vcpu, ctxt);
}

int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
		       vcpu_hvm_context_t *ctxt)
{
	return vcpucontext(xch, XEN_DOMCTL_getvcpucontext, domid, vcpu, ctxt);
}
