/* hvm_op (hypercall 34): (cmd, arg). */
#ifndef PUBLIC_HVM_OP_H
#define PUBLIC_HVM_OP_H

#include <stdint.h>

#define HVMOP_get_time 10
#define HVMOP_set_evtchn_upcall_vector 23

struct xen_hvm_get_time {
	uint64_t now; /* ns since boot */
};

/* 5 bytes are read: the vCPU id, then the vector (0x10 and up). */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};

#endif
