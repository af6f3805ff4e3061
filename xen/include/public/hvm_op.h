/* hvm_op (hypercall 34): (cmd, arg). */
#ifndef PUBLIC_HVM_OP_H
#define PUBLIC_HVM_OP_H

#include <stdint.h>

#include "xen.h"

#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVMOP_get_time 10
#define HVMOP_set_evtchn_upcall_vector 23

struct xen_hvm_get_time {
	uint64_aligned_t now; /* ns since boot */
};
typedef struct xen_hvm_get_time xen_hvm_get_time_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_time_t);

/* 5 bytes are read: the vCPU id, then the vector (0x10 and up). */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};
typedef struct xen_hvm_evtchn_upcall_vector xen_hvm_evtchn_upcall_vector_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_evtchn_upcall_vector_t);

/* set_param, get_param: (16 bytes for 32-bit and 64-bit callers). */
struct xen_hvm_param {
	domid_t domid; /* DOMID_SELF, or any domain for the control domain */
	uint32_t index; /* HVM_PARAM_* */
	uint64_aligned_t value;
};
typedef struct xen_hvm_param xen_hvm_param_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_param_t);

/*
 * The parameters, by Xen's numbers. CALLBACK_IRQ's value carries its
 * type in bits 63:56; only the vector type (2, vector in bits 7:0) and 0
 * (none) are accepted here.
 */
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_CALLBACK_TYPE_VECTOR 2
#define HVM_PARAM_CALLBACK_TYPE_SHIFT 56
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_PAE_ENABLED 4
#define HVM_PARAM_IOREQ_PFN 5
#define HVM_PARAM_BUFIOREQ_PFN 6
#define HVM_PARAM_TIMER_MODE 10
#define HVM_PARAM_HPET_ENABLED 11
#define HVM_PARAM_IDENT_PT 12
#define HVM_PARAM_ACPI_S_STATE 14
#define HVM_PARAM_VM86_TSS 15
#define HVM_PARAM_VPT_ALIGN 16
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19
#define HVM_PARAM_NESTEDHVM 24
#define HVM_PARAM_PAGING_RING_PFN 27
#define HVM_PARAM_MONITOR_RING_PFN 28
#define HVM_PARAM_SHARING_RING_PFN 29
#define HVM_PARAM_TRIPLE_FAULT_REASON 31
#define HVM_PARAM_ALTP2M 35
#define HVM_PARAM_X87_FIP_WIDTH 36
#define HVM_PARAM_VM86_TSS_SIZED 37
#define HVM_PARAM_MCA_CAP 38
#define HVM_NR_PARAMS 39

#endif
