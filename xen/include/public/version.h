/*
 * xen_version (hypercall 17): (cmd, arg). XENVER_version and
 * XENVER_pagesize return their value; the others copy a result to arg.
 */
#ifndef PUBLIC_VERSION_H
#define PUBLIC_VERSION_H

#include <stdint.h>

#include "xen.h"

#define XENVER_version 0 /* returns (major << 16) | minor */
#define XENVER_extraversion 1
#define XENVER_compile_info 2
#define XENVER_capabilities 3
#define XENVER_changeset 4
#define XENVER_platform_parameters 5
#define XENVER_get_features 6
#define XENVER_pagesize 7 /* returns the page size */
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];
typedef uint8_t xen_domain_handle_t[16];

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_compile_info_t);

/* virt_start is an unsigned long: 8 bytes for 64-bit callers... */
struct xen_platform_parameters {
	uint64_aligned_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
DEFINE_XEN_GUEST_HANDLE(xen_platform_parameters_t);

/* ...and 4 for 32-bit callers. */
struct compat_platform_parameters {
	uint32_t virt_start;
};
typedef struct compat_platform_parameters compat_platform_parameters_t;
DEFINE_XEN_GUEST_HANDLE(compat_platform_parameters_t);

struct xen_feature_info {
	uint32_t submap_idx; /* in: which 32 features */
	uint32_t submap; /* out: bit n = feature 32 * submap_idx + n */
};
typedef struct xen_feature_info xen_feature_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_feature_info_t);

/* Feature numbers (bits of submap 0). */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_hvm_callback_vector 8 /* HVM_PARAM_CALLBACK_IRQ type vector */
#define XENFEAT_hvm_safe_pvclock 9 /* vcpu_time_info is right for HVM */
#define XENFEAT_dom0 11
#define XENFEAT_NR_SUBMAPS 1

#endif
