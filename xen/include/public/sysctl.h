/*
 * sysctl (hypercall 35): the control domain asking about the host as a
 * whole. arg is a struct xen_sysctl; interface_version must be
 * XEN_SYSCTL_INTERFACE_VERSION (-EACCES otherwise) and only the control
 * domain may call it (-EPERM). Xen's numbers and layouts.
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <stdint.h>

#include "domctl.h"
#include "xen.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_getdomaininfolist 6

/*
 * readconsole: the hypervisor's log ring (what it printed, `(XEN) ` and
 * `(dN) ` lines alike). count in: the buffer's size; out: bytes written
 * (no terminating NUL). With incremental, reading starts at index (in)
 * and index (out) is where the next call continues; bytes overwritten
 * before they were read are skipped. Without it, the newest count bytes.
 * clear empties the ring after the read.
 */
struct xen_sysctl_readconsole {
	uint8_t clear;
	uint8_t incremental;
	uint8_t pad0, pad1;
	uint32_t index;
	XEN_GUEST_HANDLE(char) buffer;
	uint32_t count;
};

/* physinfo: CPUs, memory (in 4 KiB pages) and what the host can do. */
#define XEN_SYSCTL_PHYSCAP_hvm (1u << 0)
#define XEN_SYSCTL_PHYSCAP_pv (1u << 1)
#define XEN_SYSCTL_PHYSCAP_directio (1u << 2)
#define XEN_SYSCTL_PHYSCAP_hap (1u << 3)
#define XEN_SYSCTL_PHYSCAP_shadow (1u << 4)

struct xen_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus; /* online */
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities; /* XEN_SYSCTL_PHYSCAP_* */
	uint32_t arch_capabilities;
	uint32_t pad;
	uint64_aligned_t total_pages;
	uint64_aligned_t free_pages;
	uint64_aligned_t scrub_pages;
	uint64_aligned_t outstanding_pages;
	uint64_aligned_t max_mfn;
	uint32_t hw_cap[8];
};

/*
 * getdomaininfolist: the domains with ids from first_domain up, in id
 * order, at most max_domains of them, into buffer; num_domains (out) is
 * how many were written.
 */
struct xen_sysctl_getdomaininfolist {
	domid_t first_domain;
	uint16_t pad;
	uint32_t max_domains;
	XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t) buffer;
	uint32_t num_domains;
};

/* 136 bytes, the same for 32-bit callers. */
struct xen_sysctl {
	uint32_t cmd; /* XEN_SYSCTL_* */
	uint32_t interface_version;
	union {
		struct xen_sysctl_readconsole readconsole;
		struct xen_sysctl_physinfo physinfo;
		struct xen_sysctl_getdomaininfolist getdomaininfolist;
		uint8_t pad[128];
	} u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

#endif
