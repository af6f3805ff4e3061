/*
 * Event channels: the shared-info page, the upcall and per-port handlers.
 * dom0 runs on vCPU 0 only, so every port notifies vCPU 0. The bitmap
 * words are changed with atomic operations (the hypervisor changes them
 * at the same time); the handler table only with interrupts off.
 */
#include <stddef.h>
#include <stdint.h>

#include <minios/arch.h>
#include <minios/evtchn.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/layout.h>
#include <minios/page_alloc.h>

#define BITS_PER_WORD 64

static struct shared_info *shinfo;

static struct {
	evtchn_handler_t fn;
	void *arg;
} handlers[EVTCHN_NR_PORTS];

static uint64_t bit(evtchn_port_t port)
{
	return 1ULL << (port % BITS_PER_WORD);
}

void evtchn_init(void)
{
	void *page = alloc_pages(1);
	struct xen_add_to_physmap a = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
	};
	struct xen_hvm_evtchn_upcall_vector up = {
		.vcpu = 0,
		.vector = UPCALL_VECTOR,
	};
	long rc;

	if (!page)
		panic("no page for the shared info");
	/* The hypervisor takes the RAM page back: it is never freed. */
	a.gpfn = (uintptr_t)page >> PAGE_SHIFT;
	rc = hypercall_memory_op(XENMEM_add_to_physmap, &a);
	if (rc)
		panic("mapping the shared info failed: %ld", rc);
	shinfo = page;
	rc = hypercall_hvm_op(HVMOP_set_evtchn_upcall_vector, &up);
	if (rc)
		panic("setting the upcall vector failed: %ld", rc);
}

void evtchn_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&shinfo->evtchn_mask[port / BITS_PER_WORD], bit(port),
			  __ATOMIC_SEQ_CST);
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return __atomic_load_n(&shinfo->evtchn_mask[port / BITS_PER_WORD],
			       __ATOMIC_SEQ_CST) &
	       bit(port);
}

long evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	return hypercall_evtchn_op(EVTCHNOP_unmask, &u);
}

static void dispatch(evtchn_port_t port)
{
	evtchn_handler_t fn = handlers[port].fn;

	if (!fn) {
		/* Kept pending: evtchn_set_handler() unmasks it. */
		evtchn_mask(port);
		return;
	}
	__atomic_fetch_and(&shinfo->evtchn_pending[port / BITS_PER_WORD],
			   ~bit(port), __ATOMIC_SEQ_CST);
	fn(port, handlers[port].arg);
}

void evtchn_do_upcall(void)
{
	struct vcpu_info *vi = &shinfo->vcpu_info[0];

	while (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0,
				   __ATOMIC_SEQ_CST)) {
		uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
						   __ATOMIC_SEQ_CST);

		while (sel) {
			unsigned int word = __builtin_ctzll(sel);
			uint64_t ready;

			sel &= sel - 1;
			ready = __atomic_load_n(&shinfo->evtchn_pending[word],
						__ATOMIC_SEQ_CST) &
				~__atomic_load_n(&shinfo->evtchn_mask[word],
						 __ATOMIC_SEQ_CST);
			while (ready) {
				unsigned int b = __builtin_ctzll(ready);

				ready &= ready - 1;
				dispatch(word * BITS_PER_WORD + b);
			}
		}
	}
}

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
	unsigned long flags = irq_save();

	handlers[port].fn = fn;
	handlers[port].arg = arg;
	irq_restore(flags);
	evtchn_unmask(port);
}

void evtchn_clear_handler(evtchn_port_t port)
{
	unsigned long flags = irq_save();

	handlers[port].fn = NULL;
	handlers[port].arg = NULL;
	irq_restore(flags);
}

long evtchn_bind_virq(unsigned int virq, unsigned int vcpu, evtchn_handler_t fn,
		      void *arg)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = hypercall_evtchn_op(EVTCHNOP_bind_virq, &b);

	if (rc)
		return rc;
	evtchn_set_handler(b.port, fn, arg);
	return b.port;
}

long evtchn_alloc_unbound(domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = remote };
	long rc = hypercall_evtchn_op(EVTCHNOP_alloc_unbound, &a);

	return rc ? rc : (long)a.port;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port)
{
	struct evtchn_bind_interdomain b = { .remote_dom = remote,
					     .remote_port = remote_port };
	long rc = hypercall_evtchn_op(EVTCHNOP_bind_interdomain, &b);

	return rc ? rc : (long)b.local_port;
}

long evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return hypercall_evtchn_op(EVTCHNOP_send, &s);
}

long evtchn_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };
	long rc = hypercall_evtchn_op(EVTCHNOP_close, &c);

	if (!rc && port < EVTCHN_NR_PORTS)
		evtchn_clear_handler(port);
	return rc;
}
