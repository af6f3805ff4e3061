/*
 * The shared-info page: one 4 KiB page per domain that the hypervisor and
 * the guest both write. It starts with a vcpu_info for each of the first
 * 32 vCPUs, then the 2-level event-channel bitmaps: a port's pending bit
 * and mask bit are bit (port % W) of word (port / W), W being the bits in
 * a xen_ulong_t (64 for a 64-bit guest, 32 for a 32-bit one). Within a
 * bitmap, bit N is bit N % 8 of byte N / 8 for either word size
 * (little-endian), but the mask bitmap and the vcpu_info's
 * evtchn_pending_sel (one bit per word) sit at different offsets.
 */
#ifndef PUBLIC_SHARED_INFO_H
#define PUBLIC_SHARED_INFO_H

#include <stdint.h>

#include "xen.h"

#define XEN_LEGACY_MAX_VCPUS 32

/*
 * The per-vCPU time record (32 bytes), Xen's pvclock: the hypervisor's
 * clock (ns) at TSC t is
 *
 *     system_time + (((t - tsc_timestamp) << tsc_shift) * mul) >> 32
 *
 * (a right shift by -tsc_shift if it is negative). version is odd while
 * the hypervisor rewrites the record: a reader retries until it reads the
 * same even version before and after the other fields.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags; /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};

/* The TSC runs at one rate on every CPU: the records agree with each other. */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1u << 0)

/* A 64-bit guest's vcpu_info (64 bytes). */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint64_aligned_t evtchn_pending_sel; /* bit i: word i has pending ports */
	uint64_aligned_t cr2, pad;
	struct vcpu_time_info time;
};

/* A 32-bit guest's (64 bytes): a 32-bit selector, 4-byte alignment. */
struct compat_vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint32_t evtchn_pending_sel __attribute__((aligned(4)));
	uint32_t cr2, pad[5];
	struct vcpu_time_info time;
} __attribute__((packed, aligned(4)));

/* 64-bit: 64 words of 64 bits, 4096 ports. */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint64_aligned_t evtchn_pending[64];
	uint64_aligned_t evtchn_mask[64];
	/*
	 * The wall clock (seconds since 1970, UTC) when system_time was 0,
	 * versioned as vcpu_time_info; wc_sec_hi has the seconds' bits 63:32.
	 */
	uint32_t wc_version, wc_sec, wc_nsec, wc_sec_hi;
};

/* 32-bit: 32 words of 32 bits, 1024 ports. */
struct compat_shared_info {
	struct compat_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint32_t evtchn_pending[32];
	uint32_t evtchn_mask[32];
	uint32_t wc_version, wc_sec, wc_nsec;
};

#define EVTCHN_2L_NR_PORTS 4096
#define EVTCHN_2L_NR_PORTS_COMPAT 1024

#endif
