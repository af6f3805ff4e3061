/* vcpu_op (hypercall 24): (cmd, vcpu id, arg). */
#ifndef PUBLIC_VCPU_H
#define PUBLIC_VCPU_H

#include <stdint.h>

#include "xen.h"

#define VCPUOP_initialise 0 /* arg: struct vcpu_hvm_context (hvm_vcpu.h) */
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_get_runstate_info 4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer 6
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9
#define VCPUOP_register_vcpu_info 10
#define VCPUOP_register_vcpu_time_memory_area 13

/* Refuse (-ETIME) a deadline already past. */
#define VCPU_SSHOTTMR_future (1u << 0)

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
} __attribute__((__packed__));
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

/*
 * What a vCPU did since it was created: the state it is in since
 * state_entry_time (ns on the hypervisor's clock) and the ns spent in
 * each state before. 48 bytes for a 64-bit caller, 44 for a 32-bit one
 * (i386 aligns the 64-bit fields to 4).
 */
#define RUNSTATE_running 0 /* on a CPU */
#define RUNSTATE_runnable 1 /* ready, waiting for a CPU */
#define RUNSTATE_blocked 2 /* waiting for an event */
#define RUNSTATE_offline 3 /* down, or not started */
struct vcpu_runstate_info {
	int32_t state;
	uint64_aligned_t state_entry_time;
	uint64_aligned_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

struct compat_vcpu_runstate_info {
	int32_t state;
	uint64_t state_entry_time __attribute__((aligned(4)));
	uint64_t time[4] __attribute__((aligned(4)));
} __attribute__((packed, aligned(4)));

/*
 * register_runstate_memory_area: the guest-virtual address the hypervisor
 * keeps the vCPU's vcpu_runstate_info at (0: none). A 64-bit field for a
 * 64-bit caller, 32-bit for a 32-bit one.
 */
struct vcpu_register_runstate_memory_area {
	uint64_aligned_t addr;
};
struct compat_vcpu_register_runstate_memory_area {
	uint32_t addr;
};

/* set_periodic_timer: VIRQ_TIMER every period_ns (at least 1 ms). */
struct vcpu_set_periodic_timer {
	uint64_aligned_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

/*
 * register_vcpu_info: the vCPU's vcpu_info moves from the shared-info
 * page to offset bytes into the guest frame mfn (a gfn for an HVM
 * guest). 16 bytes for either caller.
 */
struct vcpu_register_vcpu_info {
	uint64_aligned_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);

#endif
