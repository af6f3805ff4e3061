/*
 * A guest's pvclock and vcpu_info (docs/hypercalls.md, "Time and
 * vcpu_info").
 *
 * Every vcpu_time_info holds the same record: TSC value tsc_boot, system
 * time 0 and NOW()'s own scale (time.c), flagged TSC-stable. A guest
 * computing from it gets NOW() exactly, on any vCPU at any time, so the
 * record is written once per location (a vCPU's shared-info slot before
 * it first enters the guest, a registered vcpu_info when it is
 * registered) and never goes stale. The wall clock in the shared-info
 * page is the host RTC's at system time 0 (wallclock.c).
 */
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/pvtime.h>
#include <xen/sched.h>
#include <asm/hvm.h>
#include <asm/p2m.h>
#include <asm/system.h>
#include <asm/time.h>
#include <public/cpuid.h>
#include <public/shared_info.h>

#define NSEC_PER_SEC 1000000000ULL
#define CPUID81_EDX_RDTSCP (1u << 27)

/* Xen's version protocol: odd while the fields change. */
static u32 version_begin(u32 *version)
{
	u32 odd = (READ_ONCE(*version) + 1) | 1;

	WRITE_ONCE(*version, odd);
	smp_wmb();
	return odd;
}

static void version_end(u32 *version, u32 odd)
{
	smp_wmb();
	WRITE_ONCE(*version, odd + 1);
}

static void pvclock_write(struct vcpu_time_info *t)
{
	u32 odd = version_begin(&t->version);

	t->tsc_timestamp = tsc_boot;
	t->system_time = 0;
	t->tsc_to_system_mul = tsc_scale.mul;
	t->tsc_shift = tsc_scale.shift;
	t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	version_end(&t->version, odd);
}

/* time is at offset 32 of either vcpu_info layout. */
static struct vcpu_time_info *time_of(void *vcpu_info)
{
	return &((struct vcpu_info *)vcpu_info)->time;
}

/*
 * The wall clock in the layout the domain has latched, written again if
 * the layout changes: the other layout's fields are cleared then (the
 * 32-bit ones lie in the 64-bit pending bitmap).
 */
static void wallclock_write(struct domain *d)
{
	struct compat_shared_info *c = d->shared_info;
	struct shared_info *n = d->shared_info;
	u64 sec = wallclock_base_ns / NSEC_PER_SEC;
	u32 nsec = (u32)(wallclock_base_ns % NSEC_PER_SEC), odd;
	u8 layout;

	event_lock(d);
	layout = d->shinfo_compat ? 2 : 1;
	if (d->wallclock_layout != layout) {
		if (layout == 2) {
			n->wc_version = n->wc_sec = n->wc_nsec = 0;
			n->wc_sec_hi = 0;
			odd = version_begin(&c->wc_version);
			c->wc_sec = (u32)sec;
			c->wc_nsec = nsec;
			version_end(&c->wc_version, odd);
		} else {
			if (d->wallclock_layout)
				c->wc_version = c->wc_sec = c->wc_nsec = 0;
			odd = version_begin(&n->wc_version);
			n->wc_sec = (u32)sec;
			n->wc_sec_hi = (u32)(sec >> 32);
			n->wc_nsec = nsec;
			version_end(&n->wc_version, odd);
		}
		d->wallclock_layout = layout;
	}
	event_unlock(d);
}

void pvtime_vcpu_enter(struct vcpu *v)
{
	struct domain *d = v->domain;
	u8 layout = READ_ONCE(d->shinfo_compat) ? 2 : 1;

	if (!v->pvtime.slot_time_published) {
		if (v->vcpu_id < XEN_LEGACY_MAX_VCPUS)
			pvclock_write(&((struct shared_info *)d->shared_info)
					       ->vcpu_info[v->vcpu_id]
					       .time);
		v->pvtime.slot_time_published = true;
	}
	if (READ_ONCE(d->wallclock_layout) != layout)
		wallclock_write(d);
	runstate_copy_out(v);
}

struct page_info *guest_frame_get(struct domain *d, unsigned long gfn)
{
	struct p2m_domain *p2m = d->p2m;
	struct page_info *pg = NULL;
	struct p2m_lookup r;

	if (gfn >= p2m->max_gfn)
		return NULL;
	if (!p2m_get_gfn(p2m, _gfn(gfn), P2M_UNSHARE, &r) &&
	    r.t == p2m_ram_rw && pfn_valid(mfn_x(r.mfn))) {
		pg = pfn_to_page(mfn_x(r.mfn));
		if (page_get_owner(pg) != d || !get_page(pg, d))
			pg = NULL;
	}
	put_gfn(p2m, _gfn(gfn));
	return pg;
}

/*
 * As Xen's map_vcpu_info(): once per vCPU, by the vCPU itself or for a
 * vCPU that is down, a whole vcpu_info inside the frame, aligned for
 * the domain's layout. The old vcpu_info is copied over, then every
 * selector bit and evtchn_upcall_pending are set: an event flagged in the
 * old place meanwhile is found (the guest copes with a spurious upcall).
 */
int register_vcpu_info(struct vcpu *v, unsigned long gfn, unsigned int offset)
{
	struct domain *d = v->domain;
	struct page_info *pg;
	void *old, *info;
	int rc = 0;

	if (offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
	    offset % (d->shinfo_compat ? 4 : 8))
		return -EINVAL;
	if (v != current && !(v->hvm && READ_ONCE(hvm_of(v)->down)))
		return -EINVAL;
	if (READ_ONCE(v->pvtime.info))
		return -EINVAL;
	pg = guest_frame_get(d, gfn);
	if (!pg)
		return -EINVAL;
	info = (u8 *)page_to_virt(pg) + offset;

	event_lock(d);
	old = vcpu_info_of(v);
	if (v->pvtime.info) {
		rc = -EINVAL;
	} else {
		if (old)
			memcpy(info, old, sizeof(struct vcpu_info));
		else
			memset(info, 0, sizeof(struct vcpu_info));
		pvclock_write(time_of(info));
		v->pvtime.info_pg = pg;
		__atomic_store_n(&v->pvtime.info, info, __ATOMIC_RELEASE);
	}
	event_unlock(d);
	if (rc) {
		put_page(pg);
		return rc;
	}
	if (d->shinfo_compat)
		__atomic_store_n(
			&((struct compat_vcpu_info *)info)->evtchn_pending_sel,
			~0U, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n(
			&((struct vcpu_info *)info)->evtchn_pending_sel, ~0UL,
			__ATOMIC_SEQ_CST);
	if (!__atomic_exchange_n(
		    &((struct vcpu_info *)info)->evtchn_upcall_pending, 1,
		    __ATOMIC_SEQ_CST))
		arch_vcpu_raise_upcall(v);
	return 0;
}

void pvtime_domain_destroy(struct domain *d)
{
	unsigned int i;

	pv_console_destroy(d);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (v && v->pvtime.info_pg) {
			v->pvtime.info = NULL;
			put_page(v->pvtime.info_pg);
			v->pvtime.info_pg = NULL;
		}
	}
}

/*
 * As Xen fills it for an HVM domain in its default TSC mode: the TSC is
 * never emulated here, the host's is taken as reliable (NOW() relies on
 * it), RDTSCP as the CPU has it; the guest's TSC runs at the
 * host's rate with no offset, scaled as vcpu_time_info says.
 */
void xen_time_leaf(u32 sub, struct cpuid_regs *r)
{
	switch (sub) {
	case 0:
		r->eax = XEN_CPUID_HOST_TSC_RELIABLE;
		if (cpuid_count(0x80000001, 0).edx & CPUID81_EDX_RDTSCP)
			r->eax |= XEN_CPUID_RDTSCP_INSTR_AVAIL;
		r->ebx = XEN_CPUID_TSC_MODE_DEFAULT;
		r->ecx = (u32)tsc_khz;
		break;
	case 1:
		r->ecx = tsc_scale.mul;
		r->edx = (u32)(s32)tsc_scale.shift;
		break;
	case 2:
		r->eax = (u32)tsc_khz;
		break;
	}
}
