/*
 * domctl (hypercall 36): operations of the control domain on another
 * domain. arg is a struct xen_domctl; interface_version must be
 * XEN_DOMCTL_INTERFACE_VERSION (-EACCES otherwise), only the control
 * domain may call it (-EPERM) and `domain` must exist (-ESRCH).
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <stdint.h>

#include "event_channel.h"
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000018

#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_vm_event_op 56

/*
 * vm_event_op: the ring through which the hypervisor asks a helper (the
 * pager) for work on `domain` (public/vm_event.h has the ring).
 *
 *   ENABLE       the ring page is the domain's HVM_PARAM_PAGING_RING_PFN
 *                gfn (RAM the caller has mapped); it is taken out of the
 *                domain's physmap so that the guest cannot touch it. Out:
 *                u.enable.port, an unbound port of `domain` the helper
 *                binds with bind_interdomain. -EBUSY if a ring is active.
 *   DISABLE      the ring goes; requests not answered are sent again to
 *                the next helper that enables one.
 *   RESUME       read the responses the helper has put on the ring (as a
 *                send on the bound port does).
 *   GET_VERSION  u.version = VM_EVENT_INTERFACE_VERSION.
 */
#define XEN_VM_EVENT_ENABLE 0
#define XEN_VM_EVENT_DISABLE 1
#define XEN_VM_EVENT_RESUME 2
#define XEN_VM_EVENT_GET_VERSION 3

#define XEN_DOMCTL_VM_EVENT_OP_PAGING 1
#define XEN_DOMCTL_VM_EVENT_OP_MONITOR 2
#define XEN_DOMCTL_VM_EVENT_OP_SHARING 3

struct xen_domctl_vm_event_op {
	uint32_t op; /* XEN_VM_EVENT_* */
	uint32_t mode; /* XEN_DOMCTL_VM_EVENT_OP_* */
	union {
		struct {
			evtchn_port_t port; /* out */
		} enable;
		uint32_t version; /* out */
	} u;
};

/* 144 bytes, the same for 32-bit callers. */
struct xen_domctl {
	uint32_t cmd; /* XEN_DOMCTL_* */
	uint32_t interface_version;
	domid_t domain;
	uint16_t _pad[3];
	union {
		struct xen_domctl_vm_event_op vm_event_op;
		uint8_t pad[128];
	} u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

#endif
