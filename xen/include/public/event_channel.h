/*
 * event_channel_op (hypercall 32): (cmd, arg). The argument structures
 * have the same layout for 32-bit and 64-bit callers. Ports are numbered
 * from 1 (port 0 is never allocated).
 */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13

/*
 * Virtual interrupts: a port that the hypervisor makes pending. Per-vCPU
 * ones (TIMER, DEBUG, XENOPROF, XENPMU) are bound on the vCPU they come
 * from; the others are global, bound on vCPU 0 (bind_vcpu may move them).
 */
#define VIRQ_TIMER 0 /* the vCPU's one-shot timer fired */
#define VIRQ_DEBUG 1
#define VIRQ_CONSOLE 2 /* console input arrived (the control domain's) */
#define VIRQ_DOM_EXC 3 /* a domain shut down or was destroyed (control) */
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_XENPMU 13
#define NR_VIRQS 24

/* Bind virq on vcpu to a new port (12 bytes). */
struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port; /* out */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_bind_virq_t);

/* A new port whose sends notify vcpu of the caller's domain (8 bytes). */
struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port; /* out */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_bind_ipi_t);

/* A new port in dom that only remote_dom may bind to (8 bytes). */
struct evtchn_alloc_unbound {
	uint16_t dom; /* DOMID_SELF, or any domain for the control domain */
	uint16_t remote_dom; /* DOMID_SELF: the caller */
	evtchn_port_t port; /* out */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_alloc_unbound_t);

/* Bind a new local port to remote_dom's unbound port (12 bytes). */
struct evtchn_bind_interdomain {
	uint16_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port; /* out */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_bind_interdomain_t);

struct evtchn_send {
	evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_send_t);

struct evtchn_close {
	evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_close_t);

struct evtchn_unmask {
	evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_unmask_t);

/* Which vCPU a port's events are delivered to. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_bind_vcpu_t);

#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

/* A port's state (24 bytes). */
struct evtchn_status {
	uint16_t dom; /* DOMID_SELF, or any domain for the control domain */
	evtchn_port_t port;
	uint32_t status; /* out: EVTCHNSTAT_* */
	uint32_t vcpu; /* out: the vCPU it notifies */
	union {
		struct {
			uint16_t dom;
		} unbound; /* the domain that may bind */
		struct {
			uint16_t dom;
			evtchn_port_t port;
		} interdomain; /* the other end */
		uint32_t pirq;
		uint32_t virq; /* at offset 16 */
	} u;
};
typedef struct evtchn_status evtchn_status_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_status_t);

#endif
