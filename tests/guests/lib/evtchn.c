/* Event channels and the shared-info page for test guests (evtchn.h). */
#include "evtchn.h"
#include "hypercall.h"

static struct compat_shared_info *shinfo;

long hypercall_event_channel_op(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_event_channel_op, cmd, (uintptr_t)arg,
			  0);
}

long evtchn_alloc_unbound(domid_t dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
	long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &a);

	return rc ? rc : (long)a.port;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote,
					     .remote_port = port };
	long rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &b);

	return rc ? rc : (long)b.local_port;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &b);

	return rc ? rc : (long)b.port;
}

long evtchn_bind_ipi(uint32_t vcpu)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };
	long rc = hypercall_event_channel_op(EVTCHNOP_bind_ipi, &b);

	return rc ? rc : (long)b.port;
}

long evtchn_send(evtchn_port_t port)
{
	return hypercall_event_channel_op(EVTCHNOP_send, &port);
}

long evtchn_close(evtchn_port_t port)
{
	return hypercall_event_channel_op(EVTCHNOP_close, &port);
}

long evtchn_unmask_port(evtchn_port_t port)
{
	return hypercall_event_channel_op(EVTCHNOP_unmask, &port);
}

long evtchn_bind_vcpu(evtchn_port_t port, unsigned int vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return hypercall_event_channel_op(EVTCHNOP_bind_vcpu, &b);
}

long evtchn_status(uint16_t dom, evtchn_port_t port, struct evtchn_status *s)
{
	*s = (struct evtchn_status){ .dom = dom, .port = port };
	return hypercall_event_channel_op(EVTCHNOP_status, s);
}

long hvm_set_param(uint16_t domid, uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = domid,
				   .index = index,
				   .value = value };

	return hypercall_hvm_op(HVMOP_set_param, &p);
}

long hvm_get_param(uint16_t domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index };
	long rc = hypercall_hvm_op(HVMOP_get_param, &p);

	if (!rc)
		*value = p.value;
	return rc;
}

long evtchn_map_shared_info(void *page)
{
	struct compat_add_to_physmap a = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.gpfn = (uintptr_t)page >> 12,
	};
	long rc = hypercall_memory_op(XENMEM_add_to_physmap, &a);

	if (!rc)
		shinfo = page;
	return rc;
}

struct compat_shared_info *shared_info(void)
{
	return shinfo;
}

static uint32_t bit(evtchn_port_t port)
{
	return 1u << (port % 32);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return __atomic_load_n(&shinfo->evtchn_pending[port / 32],
			       __ATOMIC_SEQ_CST) &
	       bit(port);
}

void evtchn_clear_pending(evtchn_port_t port)
{
	__atomic_fetch_and(&shinfo->evtchn_pending[port / 32], ~bit(port),
			   __ATOMIC_SEQ_CST);
}

void evtchn_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&shinfo->evtchn_mask[port / 32], bit(port),
			  __ATOMIC_SEQ_CST);
}

void evtchn_unmask(evtchn_port_t port)
{
	__atomic_fetch_and(&shinfo->evtchn_mask[port / 32], ~bit(port),
			   __ATOMIC_SEQ_CST);
}

unsigned int evtchn_scan(unsigned int vcpu, void (*fn)(evtchn_port_t port))
{
	struct compat_vcpu_info *vi = &shinfo->vcpu_info[vcpu];
	unsigned int handled = 0;
	uint32_t sel;

	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int word = __builtin_ctz(sel);
		uint32_t ready;

		sel &= sel - 1;
		ready = __atomic_load_n(&shinfo->evtchn_pending[word],
					__ATOMIC_SEQ_CST) &
			~__atomic_load_n(&shinfo->evtchn_mask[word],
					 __ATOMIC_SEQ_CST);
		while (ready) {
			evtchn_port_t port = word * 32 + __builtin_ctz(ready);

			ready &= ready - 1;
			evtchn_clear_pending(port);
			fn(port);
			handled++;
		}
	}
	return handled;
}
