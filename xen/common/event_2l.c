/*
 * The 2-level event-channel ABI on the shared-info page: a port's pending
 * and mask bits, the per-vCPU selector of words with pending ports, and
 * the upcall that tells the vCPU to look. The guest changes the same
 * words (it clears pending bits and its selector, sets and clears mask
 * bits), so every change here is one atomic operation, and the order is
 * the one the guest's scan relies on: the port's pending bit, then its
 * selector bit, then evtchn_upcall_pending, then the upcall.
 */
#include <xen/bitops.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <public/shared_info.h>

#define PENDING_OFFSET offsetof(struct shared_info, evtchn_pending)

static unsigned long *pending_bits(const struct domain *d)
{
	return (unsigned long *)((u8 *)d->shared_info + PENDING_OFFSET);
}

static unsigned long *mask_bits(const struct domain *d)
{
	size_t off = d->shinfo_compat ?
			     offsetof(struct compat_shared_info, evtchn_mask) :
			     offsetof(struct shared_info, evtchn_mask);

	return (unsigned long *)((u8 *)d->shared_info + off);
}

unsigned int evtchn_2l_max_ports(const struct domain *d)
{
	return d->shinfo_compat ? EVTCHN_2L_NR_PORTS_COMPAT :
				  EVTCHN_2L_NR_PORTS;
}

/*
 * Set the selector bit of port's word in v's vcpu_info (vcpu_info_of():
 * the one it registered, or its slot in the page); true if it was clear.
 * A vCPU without either gets no upcall.
 */
static bool mark_word(struct vcpu *v, evtchn_port_t port)
{
	void *info = vcpu_info_of(v);

	if (!info)
		return false;
	if (v->domain->shinfo_compat) {
		struct compat_vcpu_info *ci = info;
		u32 bit = 1U << (port / 32);

		return !(__atomic_fetch_or(&ci->evtchn_pending_sel, bit,
					   __ATOMIC_SEQ_CST) &
			 bit);
	} else {
		struct vcpu_info *vi = info;
		u64 bit = 1UL << (port / 64);

		return !(__atomic_fetch_or(&vi->evtchn_pending_sel, bit,
					   __ATOMIC_SEQ_CST) &
			 bit);
	}
}

/* evtchn_upcall_pending is at offset 0 in both vcpu_info layouts. */
static void mark_vcpu(struct vcpu *v)
{
	struct vcpu_info *vi = vcpu_info_of(v);

	BUILD_BUG_ON(offsetof(struct compat_vcpu_info, evtchn_upcall_pending));
	if (!__atomic_exchange_n(&vi->evtchn_upcall_pending, 1,
				 __ATOMIC_SEQ_CST))
		arch_vcpu_raise_upcall(v);
}

static void notify(struct vcpu *v, evtchn_port_t port)
{
	if (mark_word(v, port))
		mark_vcpu(v);
}

/* Wake the domain's vCPUs blocked in SCHEDOP_poll on this port. */
static void wake_pollers(struct domain *d, evtchn_port_t port)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *p = d->vcpu[i];

		/* Pairs with the poller's store of polling, then its check. */
		if (p && __atomic_load_n(&p->polling, __ATOMIC_SEQ_CST) &&
		    (!READ_ONCE(p->poll_port) ||
		     READ_ONCE(p->poll_port) == port))
			vcpu_wake(p);
	}
}

void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;

	if (port >= evtchn_2l_max_ports(d) ||
	    test_and_set_bit(port, pending_bits(d)))
		return;
	if (!test_bit(port, mask_bits(d)))
		notify(v, port);
	wake_pollers(d, port);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	if (port < evtchn_2l_max_ports(d))
		clear_bit(port, pending_bits(d));
}

/*
 * Also when the guest cleared the mask bit itself before asking: a
 * pending port then still reaches the vCPU (an extra upcall is harmless).
 */
void evtchn_2l_unmask(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;

	if (port >= evtchn_2l_max_ports(d))
		return;
	clear_bit(port, mask_bits(d));
	if (test_bit(port, pending_bits(d)))
		notify(v, port);
}

bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
	return port < evtchn_2l_max_ports(d) && test_bit(port, pending_bits(d));
}

bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port)
{
	return port >= evtchn_2l_max_ports(d) || test_bit(port, mask_bits(d));
}
