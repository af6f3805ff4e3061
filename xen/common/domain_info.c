/*
 * A domain's state as XEN_DOMCTL_getdomaininfo and XEN_SYSCTL_getdomaininfolist
 * give it (Xen's struct xen_domctl_getdomaininfo).
 */
#include <xen/domctl.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/p2m.h>

/* Guest-physical address bits its p2m covers. */
static u8 gpaddr_bits(const struct domain *d)
{
	unsigned long top = d->p2m ? d->p2m->max_gfn : 0;
	u8 bits = PAGE_SHIFT;

	while (top > 1) {
		top = (top + 1) / 2;
		bits++;
	}
	return bits;
}

/* Flags from the domain's shutdown state (shutdown_lock). */
static u32 lifecycle_flags(struct domain *d)
{
	u32 flags = 0;

	spin_lock(&d->shutdown_lock);
	if (d->is_dying)
		flags |= XEN_DOMINF_dying;
	/* One destroyed before it shut down has no shutdown reason. */
	if (d->is_shutting_down && !d->killed)
		flags |= XEN_DOMINF_shutdown |
			 (d->shutdown_code & XEN_DOMINF_shutdownmask)
				 << XEN_DOMINF_shutdownshift;
	spin_unlock(&d->shutdown_lock);
	return flags;
}

void domain_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	unsigned int i, online = 0, blocked = 0, running = 0;
	u64 cpu_time = 0;

	memset(info, 0, sizeof(*info));
	info->domain = d->domain_id;
	info->flags = lifecycle_flags(d);
	if (d->p2m)
		info->flags |= XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
	spin_lock(&domctl_lock);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		cpu_time += READ_ONCE(v->runtime);
		if (v->hvm && READ_ONCE(hvm_of(v)->down))
			continue;
		online++;
		blocked += READ_ONCE(v->state) == VCPU_BLOCKED;
		running += READ_ONCE(v->running);
	}
	if (READ_ONCE(d->controller_pause_count))
		info->flags |= XEN_DOMINF_paused;
	spin_unlock(&domctl_lock);
	/* As Xen: blocked if every online vCPU is, running if any is. */
	if (online && blocked == online)
		info->flags |= XEN_DOMINF_blocked;
	if (running)
		info->flags |= XEN_DOMINF_running;
	info->tot_pages = READ_ONCE(d->tot_pages);
	info->max_pages = READ_ONCE(d->max_pages);
	info->paged_pages = READ_ONCE(d->nr_paged);
	info->cpu_time = cpu_time;
	info->nr_online_vcpus = online;
	info->max_vcpu_id = d->max_vcpus - 1;
	info->ssidref = d->ssidref;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->gpaddr_bits = gpaddr_bits(d);
}
