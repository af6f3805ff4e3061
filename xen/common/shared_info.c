/*
 * The shared-info page of a domain: a zeroed xenheap page allocated with
 * the domain and freed with it. It never belongs to the domain (no owner,
 * not in its page list or reservation), so the guest can map it
 * (physmap.c) but not free it.
 *
 * The layout's word size is latched from the guest's mode when it maps
 * the page or names its upcall (a 32-bit guest: 1024 ports, a 64-bit
 * one: 4096). Ports already bound keep their pending and mask bits only
 * if the layout does not change under them: guests set it up first.
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/shared_info.h>

int shared_info_alloc(struct domain *d)
{
	d->shared_info = alloc_xenheap_page();
	if (!d->shared_info)
		return -ENOMEM;
	memset(d->shared_info, 0, PAGE_SIZE);
	d->shared_info_gfn = SHARED_INFO_UNMAPPED;
	spin_lock_init(&d->physmap_lock, "physmap_lock", LR_DOMAIN_PHYSMAP);
	return 0;
}

void shared_info_free(struct domain *d)
{
	free_xenheap_page(d->shared_info);
	d->shared_info = NULL;
}

void shared_info_latch(struct domain *d, bool compat)
{
	WRITE_ONCE(d->shinfo_compat, compat);
}

/* Both layouts' vcpu_info are 64 bytes: slot i is at 64 * i. */
void *vcpu_info_of(struct vcpu *v)
{
	void *info = __atomic_load_n(&v->pvtime.info, __ATOMIC_ACQUIRE);

	if (info)
		return info;
	if (v->vcpu_id >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	return &((struct shared_info *)v->domain->shared_info)
			->vcpu_info[v->vcpu_id];
}

/* Xen's layouts, which guests compute offsets from. */
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");
_Static_assert(sizeof(struct compat_vcpu_info) == 64, "compat_vcpu_info");
_Static_assert(offsetof(struct compat_vcpu_info, evtchn_pending_sel) == 4,
	       "compat evtchn_pending_sel");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info time");
_Static_assert(offsetof(struct compat_vcpu_info, time) == 32,
	       "compat vcpu_info time");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048,
	       "evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560,
	       "evtchn_mask");
_Static_assert(offsetof(struct compat_shared_info, evtchn_pending) == 2048,
	       "compat evtchn_pending");
_Static_assert(offsetof(struct compat_shared_info, evtchn_mask) == 2176,
	       "compat evtchn_mask");
_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE, "shared_info size");
