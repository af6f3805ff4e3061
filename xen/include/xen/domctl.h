/*
 * The domctl sub-ops' shared pieces: the lock that serialises the ones
 * that create domains and vCPUs or count the control domain's pauses,
 * the sub-ops of domctl_create.c, and the domain info that getdomaininfo
 * and sysctl's getdomaininfolist give (domain_info.c).
 */
#ifndef XEN_DOMCTL_H
#define XEN_DOMCTL_H

#include <xen/sched.h>
#include <xen/spinlock.h>
#include <public/domctl.h>

/*
 * Held by createdomain, setvcpucontext, getvcpucontext, pausedomain,
 * unpausedomain and domain_fill_info(): a vCPU is created (or undone)
 * and given its share of the pauses while no pause count moves and no
 * reader looks at the domain's vCPUs. Never held across a guest copy.
 */
extern spinlock_t domctl_lock;

/* d's state in Xen's layout (see public/domctl.h). */
void domain_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info);

/* domctl_create.c: the sub-ops that build domains. */
long domctl_createdomain(struct vcpu *v, struct xen_domctl *dc);
long domctl_setvcpucontext(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc);
long domctl_getvcpucontext(struct vcpu *v, struct domain *d,
			   struct xen_domctl *dc);

#endif
