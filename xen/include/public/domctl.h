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
#include "hvm_vcpu.h"
#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000018

#define XEN_DOMCTL_createdomain 1
#define XEN_DOMCTL_destroydomain 2
#define XEN_DOMCTL_pausedomain 3
#define XEN_DOMCTL_unpausedomain 4
#define XEN_DOMCTL_getdomaininfo 5
#define XEN_DOMCTL_max_mem 11
#define XEN_DOMCTL_setvcpucontext 12
#define XEN_DOMCTL_getvcpucontext 13
#define XEN_DOMCTL_set_target 46
#define XEN_DOMCTL_vm_event_op 56
/*
 * destroydomain: the domain dies at once (its vCPUs never run again, its
 * foreign mappings by others stay valid until unmapped) and is freed when
 * the last reference to it goes. A domain cannot destroy itself (-EINVAL).
 * A domain createdomain made stays after its shutdown, for its state to
 * be read, until it is destroyed.
 */
/* Not in Xen, which keeps domain names in xenstore. */
#define XEN_DOMCTL_getdomainname 0x1000

/*
 * createdomain: `domain` is the new domain's id, or 0 for the lowest free
 * one; it is written back. The domain starts paused (one pause of the
 * control domain's, undone by unpausedomain), with no memory (populate it
 * with memory_op, up to max_mem) and max_vcpus vCPUs that are all offline
 * until setvcpucontext starts them. flags must be HVM and HAP: there are
 * no PV domains. Fields after arch are ours; a Xen caller leaves them 0,
 * which names the domain "dN". A name is printable ASCII with no spaces
 * and unique among the domains not being destroyed (-EEXIST).
 */
#define XEN_DOMCTL_CDF_hvm (1u << 0)
#define XEN_DOMCTL_CDF_hap (1u << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1u << 2)
#define XEN_DOMCTL_CDF_oos_off (1u << 3)
#define XEN_DOMCTL_CDF_xs_domain (1u << 4)
#define XEN_DOMCTL_CDF_iommu (1u << 5)
#define XEN_DOMCTL_CDF_nested_virt (1u << 6)
#define XEN_DOMCTL_CDF_vpmu (1u << 7)

#define XEN_DOMAIN_NAME_MAX 32 /* with the terminating NUL */

struct xen_arch_domainconfig {
	uint32_t emulation_flags;
	uint32_t misc_flags;
};

typedef uint8_t xen_domain_handle_t[16];

struct xen_domctl_createdomain {
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t flags; /* XEN_DOMCTL_CDF_* */
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;
	int32_t max_maptrack_frames;
	uint32_t grant_opts;
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	struct xen_arch_domainconfig arch;
	char name[XEN_DOMAIN_NAME_MAX]; /* ours: NUL-terminated, or "" */
};

/*
 * getdomaininfo: the domain `domain` names (Xen's layout). flags has the
 * state bits and, while the domain is shut down, the reason in bits
 * 23:16 (SHUTDOWN_* of sched.h). Pages are 4 KiB; cpu_time is in ns.
 * Unlike Xen, which answers with the next domain up, a `domain` that does
 * not exist is -ESRCH: XEN_SYSCTL_getdomaininfolist walks the domains.
 */
#define XEN_DOMINF_dying (1u << 0)
#define XEN_DOMINF_hvm_guest (1u << 1)
#define XEN_DOMINF_shutdown (1u << 2)
#define XEN_DOMINF_paused (1u << 3)
#define XEN_DOMINF_blocked (1u << 4)
#define XEN_DOMINF_running (1u << 5)
#define XEN_DOMINF_debugged (1u << 6)
#define XEN_DOMINF_xs_domain (1u << 7)
#define XEN_DOMINF_hap (1u << 8)
#define XEN_DOMINF_shutdownshift 16
#define XEN_DOMINF_shutdownmask 0xffu

struct xen_domctl_getdomaininfo {
	domid_t domain;
	uint16_t pad1;
	uint32_t flags; /* XEN_DOMINF_* */
	uint64_aligned_t tot_pages;
	uint64_aligned_t max_pages;
	uint64_aligned_t outstanding_pages;
	uint64_aligned_t shr_pages;
	uint64_aligned_t paged_pages;
	uint64_aligned_t shared_info_frame;
	uint64_aligned_t cpu_time;
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	xen_domain_handle_t handle;
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);

/*
 * max_mem: the most memory the domain may hold, in KiB (rounded down to
 * pages). Less than it holds is allowed, as in Xen (it gives pages back
 * before it grows again); more than the host has is -ENOMEM.
 */
struct xen_domctl_max_mem {
	uint64_aligned_t max_memkb;
};

/*
 * setvcpucontext: vCPU `vcpu` starts (or, while the domain is paused, is
 * given) the registers ctxt points at; -EBUSY if it runs. getvcpucontext
 * reads them from a vCPU of a paused or shut-down domain (-EBUSY
 * otherwise, -ENODATA if it never had a context). Xen's handle is to a
 * vcpu_guest_context; ours is to an HVM context (hvm_vcpu.h), as HVM
 * vCPUs are started by VCPUOP_initialise.
 */
struct xen_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t pad;
	XEN_GUEST_HANDLE(vcpu_hvm_context_t) ctxt;
};

/*
 * set_target: `domain` may act on `target` as the control domain may, for
 * memory_op and HVM params, until either shuts down. The target must be
 * the older domain (-EINVAL otherwise, and for the domain itself);
 * -EEXIST if `domain` has a target.
 */
struct xen_domctl_set_target {
	domid_t target;
};

/* getdomainname (ours): the domain's name, NUL-terminated. */
struct xen_domctl_getdomainname {
	char name[XEN_DOMAIN_NAME_MAX];
};

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
		struct xen_domctl_createdomain createdomain;
		struct xen_domctl_getdomaininfo getdomaininfo;
		struct xen_domctl_max_mem max_mem;
		struct xen_domctl_vcpucontext vcpucontext;
		struct xen_domctl_set_target set_target;
		struct xen_domctl_vm_event_op vm_event_op;
		struct xen_domctl_getdomainname getdomainname;
		uint8_t pad[128];
	} u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

#endif
