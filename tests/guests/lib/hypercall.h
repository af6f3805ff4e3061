/*
 * Hypercalls, 32-bit HVM convention: EAX = number, arguments in EBX, ECX,
 * EDX, ESI, EDI, result in EAX (a negative Xen errno on failure). The
 * instruction (VMCALL or VMMCALL) is chosen from the CPU vendor at start.
 * Only valid when xtf_has_xen() says a hypervisor is there.
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_iret 23
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_hvm_op 34

#define CONSOLEIO_write 0
#define CONSOLEIO_read 1 /* the control domain's */

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SCHEDOP_remote_shutdown 4 /* the control domain's */
#define SCHEDOP_shutdown_code 5

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3

struct sched_shutdown {
	uint32_t reason;
};

struct sched_remote_shutdown {
	uint16_t domain_id;
	uint32_t reason;
};

/* xen_version: XENVER_version and XENVER_pagesize return their value. */
#define XENVER_version 0
#define XENVER_extraversion 1 /* char[16] */
#define XENVER_compile_info 2 /* struct xen_compile_info */
#define XENVER_capabilities 3 /* char[1024] */
#define XENVER_changeset 4 /* char[64] */
#define XENVER_platform_parameters 5 /* an unsigned long: virt_start */
#define XENVER_get_features 6 /* struct xen_feature_info */
#define XENVER_pagesize 7
#define XENVER_guest_handle 8 /* uint8_t[16] */
#define XENVER_commandline 9 /* char[1024]; the control domain's */
#define XENVER_build_id 10 /* the control domain's */

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_dom0 11

/* vcpu_op: the calling vCPU's one-shot timer (another id: -EPERM). */
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9

/* Refuse (-ETIME) a deadline that has already passed. */
#define VCPU_SSHOTTMR_future (1u << 0)

/* When it fires, the timer raises the vCPU's upcall. */
struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns; /* on the HVMOP_get_time clock */
	uint32_t flags; /* VCPU_SSHOTTMR_* */
} __attribute__((packed));

/* hvm_op */
#define HVMOP_get_time 10
#define HVMOP_set_evtchn_upcall_vector 23

struct xen_hvm_get_time {
	uint64_t now; /* ns since the hypervisor booted */
};

/*
 * The upcall arrives as an external interrupt on this vector (0x10 and up)
 * when the vCPU has IF=1. It is not an APIC interrupt: no EOI.
 */
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};

/* memory_op: cmd = op | start extent << MEMOP_EXTENT_SHIFT. */
#define MEMOP_EXTENT_SHIFT 6
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_current_reservation 3 /* arg: a domid_t */
#define XENMEM_maximum_reservation 4 /* arg: a domid_t */
#define XENMEM_populate_physmap 6
#define XENMEM_maximum_gpfn 14 /* arg: a domid_t */

#define DOMID_SELF 0x7ff0

/*
 * A 32-bit caller's reservation (Xen's compat layout, 20 bytes): the
 * handle, the count and each frame number in the list are 32-bit.
 */
struct xen_memory_reservation {
	uint32_t extent_start; /* uint32_t gfns[nr_extents] */
	uint32_t nr_extents;
	uint32_t extent_order; /* 0 or 9 */
	uint32_t mem_flags; /* 0 */
	uint16_t domid; /* DOMID_SELF, or another for the control domain */
};

/* Xen's errno values, negated in a hypercall's result. */
#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_ESRCH 3
#define XEN_ENOMEM 12
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EINVAL 22
#define XEN_ENOSPC 28
#define XEN_ENOSYS 38
#define XEN_ENODATA 61
#define XEN_ETIME 62
#define XEN_EOPNOTSUPP 95

/* Pick VMCALL or VMMCALL for this CPU: once, before any hypercall. */
void hypercall_init(void);
/* Whether hypercalls use VMMCALL (AMD, Hygon) rather than VMCALL. */
bool hypercall_uses_vmmcall(void);

/* Any hypercall, with three arguments (unused ones: pass 0). */
long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3);

/*
 * The hypercall page: the hypervisor fills the page at gpa (4 KiB aligned,
 * RAM) with one 32-byte stub per hypercall number when the guest writes gpa
 * to the MSR CPUID leaf 0x40000002 names. Returns 0, or the vector of the
 * exception the WRMSR raised (13: #GP for a bad gpa).
 */
#define HYPERCALL_STUB_SIZE 32
unsigned int hypercall_page_install(uint64_t gpa);
/* Hypercall nr through stub nr of an installed page. */
long hypercall_page_call3(const void *page, unsigned int nr, uint32_t a1,
			  uint32_t a2, uint32_t a3);

long hypercall_console_write(const char *buf, unsigned int len);
long hypercall_console_read(char *buf, unsigned int len);
long hypercall_xen_version(unsigned int cmd, void *arg);
long hypercall_sched_op(unsigned int cmd, void *arg);
long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg);
long hypercall_hvm_op(unsigned int cmd, void *arg);
long hypercall_memory_op(unsigned int cmd, void *arg);

/* An extent op on the caller's own gfns: extents completed, or -errno. */
static inline long hypercall_reservation(unsigned int op, uint32_t *gfns,
					 unsigned int nr, unsigned int order)
{
	struct xen_memory_reservation r = {
		.extent_start = (uintptr_t)gfns,
		.nr_extents = nr,
		.extent_order = order,
		.domid = DOMID_SELF,
	};

	return hypercall_memory_op(op, &r);
}

/* current_reservation, maximum_reservation or maximum_gpfn of domid. */
static inline long hypercall_memory_count(unsigned int op, uint16_t domid)
{
	return hypercall_memory_op(op, &domid);
}

static inline long hypercall_yield(void)
{
	return hypercall_sched_op(SCHEDOP_yield, 0);
}

/* Returns once the vCPU's upcall is pending, whatever its IF. */
static inline long hypercall_block(void)
{
	return hypercall_sched_op(SCHEDOP_block, 0);
}

static inline long hypercall_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return hypercall_sched_op(SCHEDOP_shutdown, &s);
}

/* The reason a later shutdown of this domain reports (the first wins). */
static inline long hypercall_shutdown_code(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return hypercall_sched_op(SCHEDOP_shutdown_code, &s);
}

static inline long hypercall_remote_shutdown(unsigned int domid,
					     unsigned int reason)
{
	struct sched_remote_shutdown s = {
		.domain_id = domid,
		.reason = reason,
	};

	return hypercall_sched_op(SCHEDOP_remote_shutdown, &s);
}

static inline long hypercall_set_singleshot_timer(unsigned int vcpu,
						  uint64_t timeout_abs_ns,
						  uint32_t flags)
{
	struct vcpu_set_singleshot_timer t = {
		.timeout_abs_ns = timeout_abs_ns,
		.flags = flags,
	};

	return hypercall_vcpu_op(VCPUOP_set_singleshot_timer, vcpu, &t);
}

static inline long hypercall_stop_singleshot_timer(unsigned int vcpu)
{
	return hypercall_vcpu_op(VCPUOP_stop_singleshot_timer, vcpu, 0);
}

/* The hypervisor's time in ns into *now; 0 or a negative errno. */
static inline long hypercall_get_time(uint64_t *now)
{
	struct xen_hvm_get_time t;
	long rc = hypercall_hvm_op(HVMOP_get_time, &t);

	if (!rc)
		*now = t.now;
	return rc;
}

static inline long hypercall_set_evtchn_upcall_vector(unsigned int vcpu,
						      uint8_t vector)
{
	struct xen_hvm_evtchn_upcall_vector up = {
		.vcpu = vcpu,
		.vector = vector,
	};

	return hypercall_hvm_op(HVMOP_set_evtchn_upcall_vector, &up);
}

#endif /* XTF_HYPERCALL_H */
