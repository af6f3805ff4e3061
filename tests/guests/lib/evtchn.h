/*
 * Event channels for 32-bit test guests: event_channel_op, the
 * shared-info page (mapped with memory_op add_to_physmap, Xen's 32-bit
 * layout), hvm_op set_param/get_param and SCHEDOP_poll.
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

#define __HYPERVISOR_event_channel_op 32

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9

#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

/* Virtual interrupts (TIMER per vCPU; CONSOLE global, vCPU 0). */
#define VIRQ_TIMER 0
#define VIRQ_CONSOLE 2
#define NR_VIRQS 24

typedef uint32_t evtchn_port_t;

struct evtchn_alloc_unbound {
	uint16_t dom, remote_dom;
	evtchn_port_t port;
};

struct evtchn_bind_interdomain {
	uint16_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

struct evtchn_status {
	uint16_t dom;
	evtchn_port_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			uint16_t dom;
		} unbound;
		struct {
			uint16_t dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t raw[2];
	} u;
};

/* The 32-bit shared-info layout (Xen's compat one). */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint32_t evtchn_pending_sel __attribute__((aligned(4)));
	uint32_t cr2, pad[5];
	uint8_t time[32];
};

struct shared_info {
	struct vcpu_info vcpu_info[32];
	uint32_t evtchn_pending[32];
	uint32_t evtchn_mask[32];
	uint32_t wc_version, wc_sec, wc_nsec;
};

#define EVTCHN_NR_PORTS 1024

/* memory_op add_to_physmap (32-bit layout). */
#define XENMEM_add_to_physmap 7
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

/* hvm_op set_param / get_param. */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_PAGING_RING_PFN 27
#define HVM_NR_PARAMS 39
/* CALLBACK_IRQ's value for an upcall on vector v. */
#define HVM_CALLBACK_VECTOR(v) ((2ULL << 56) | (v))

struct xen_hvm_param {
	uint16_t domid;
	uint32_t index;
	uint64_t value;
};

/* SCHEDOP_poll (32-bit layout). */
#define SCHEDOP_poll 3

struct sched_poll {
	uint32_t ports;
	uint32_t nr_ports;
	uint64_t timeout;
};

long hypercall_event_channel_op(unsigned int cmd, void *arg);

/* A new unbound port in dom that remote may bind: port, or -errno. */
long evtchn_alloc_unbound(uint16_t dom, uint16_t remote);
/* Bind to remote's port: the new local port, or -errno. */
long evtchn_bind_interdomain(uint16_t remote, evtchn_port_t port);
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

/* Block until one of ports is pending or timeout_ns (absolute; 0 none). */
long sched_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout_ns);

/*
 * Map the shared-info page at page (a page of the guest's RAM, which the
 * hypervisor takes back) and use it from now on: 0 or -errno.
 */
long evtchn_map_shared_info(void *page);
/* The page mapped by evtchn_map_shared_info(). */
struct shared_info *shared_info(void);

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
