/*
 * Hypercalls, 32-bit HVM convention: EAX = number, arguments in EBX, ECX,
 * EDX, ESI, EDI, result in EAX (a negative Xen errno on failure). The
 * instruction (VMCALL or VMMCALL) is chosen from the CPU vendor at start.
 * Only valid when xtf_has_xen() says a hypervisor is there. Numbers,
 * structures and errno values are the public ABI's (xen/include/public/).
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <public/errno.h>
#include <public/hvm_op.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

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

/*
 * SCHEDOP_poll: block until one of ports is pending or timeout_ns
 * (absolute; 0 none). In the caller's layout (compat when 32-bit).
 */
long sched_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout_ns);

#ifndef __x86_64__
/*
 * An extent op on the caller's own gfns, in a 32-bit caller's layout:
 * extents completed, or -errno.
 */
static inline long hypercall_reservation(unsigned int op, uint32_t *gfns,
					 unsigned int nr, unsigned int order)
{
	struct compat_memory_reservation r = {
		.nr_extents = nr,
		.extent_order = order,
		.domid = DOMID_SELF,
	};

	set_compat_handle(r.extent_start, gfns);
	return hypercall_memory_op(op, &r);
}
#endif

/* current_reservation, maximum_reservation or maximum_gpfn of domid. */
static inline long hypercall_memory_count(unsigned int op, domid_t domid)
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
