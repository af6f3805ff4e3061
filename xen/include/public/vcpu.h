/* vcpu_op (hypercall 24): (cmd, vcpu id, arg). */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stdint.h>

#include "xen.h"

#define VCPUOP_initialise 0 /* arg: struct vcpu_hvm_context (hvm_vcpu.h) */
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9

/* Refuse (-ETIME) a deadline already past. */
#define VCPU_SSHOTTMR_future (1u << 0)

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
} __attribute__((__packed__));
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

#endif
