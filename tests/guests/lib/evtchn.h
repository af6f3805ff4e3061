/*
 * Event channels for 32-bit test guests: event_channel_op, the
 * shared-info page (mapped with memory_op add_to_physmap, Xen's 32-bit
 * compat layout) and hvm_op set_param/get_param.
 *
 * The 2-level ABI: port P is pending when bit P of evtchn_pending is set,
 * masked when bit P of evtchn_mask is. The hypervisor flags a port that
 * becomes pending and is not masked in the notified vCPU's
 * evtchn_pending_sel (bit P / 32) and evtchn_upcall_pending, and raises
 * the upcall when evtchn_upcall_pending was 0. evtchn_scan() is the
 * guest's side of that: clear, then collect.
 */
#ifndef XTF_EVTCHN_H
#define XTF_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/shared_info.h>
#include <public/xen.h>

/* The ports of a 32-bit guest's 2-level ABI. */
#define EVTCHN_NR_PORTS EVTCHN_2L_NR_PORTS_COMPAT

/* CALLBACK_IRQ's value for an upcall on vector v. */
#define HVM_CALLBACK_VECTOR(v)                      \
	((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR   \
		 << HVM_PARAM_CALLBACK_TYPE_SHIFT | \
	 (v))

long hypercall_event_channel_op(unsigned int cmd, void *arg);

/* A new unbound port in dom that remote may bind: port, or -errno. */
long evtchn_alloc_unbound(domid_t dom, domid_t remote);
/* Bind to remote's port: the new local port, or -errno. */
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t port);
/* A port for virq on vcpu, or one whose sends notify vcpu: or -errno. */
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu);
long evtchn_bind_ipi(uint32_t vcpu);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
long evtchn_unmask_port(evtchn_port_t port);
long evtchn_bind_vcpu(evtchn_port_t port, unsigned int vcpu);
long evtchn_status(uint16_t dom, evtchn_port_t port, struct evtchn_status *s);

long hvm_set_param(uint16_t domid, uint32_t index, uint64_t value);
long hvm_get_param(uint16_t domid, uint32_t index, uint64_t *value);

/*
 * Map the shared-info page at page (a page of the guest's RAM, which the
 * hypervisor takes back) and use it from now on: 0 or -errno.
 */
long evtchn_map_shared_info(void *page);
/* The page mapped by evtchn_map_shared_info(). */
struct compat_shared_info *shared_info(void);

bool evtchn_is_pending(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);

/*
 * The upcall's work for vCPU vcpu: clear evtchn_upcall_pending, take the
 * selector, and for every pending unmasked port in the words it names
 * clear the pending bit and call fn(port). Returns the ports handled.
 */
unsigned int evtchn_scan(unsigned int vcpu, void (*fn)(evtchn_port_t port));

#endif /* XTF_EVTCHN_H */
