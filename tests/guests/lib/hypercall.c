#include <stdbool.h>

#include <public/cpuid.h>

#include "arch.h"
#include "hypercall.h"

static bool use_vmmcall;

void hypercall_init(void)
{
	struct cpuid_regs r = cpuid(0);

	/* "AuthenticAMD" and "HygonGenuine" have SVM; the others VMX. */
	use_vmmcall = (r.ebx == 0x68747541 && r.edx == 0x69746e65 &&
		       r.ecx == 0x444d4163) ||
		      (r.ebx == 0x6f677948 && r.edx == 0x6e65476e &&
		       r.ecx == 0x656e6975);
}

bool hypercall_uses_vmmcall(void)
{
	return use_vmmcall;
}

/*
 * The hypervisor may clobber every argument register, used or not (Xen's
 * debug builds do), so all five are outputs or clobbers. 64-bit guests
 * (lib64/) pass arguments in RDI, RSI, RDX, R10, R8; 32-bit ones in EBX,
 * ECX, EDX, ESI, EDI.
 */
#ifdef __x86_64__
#define HYPERCALL_ASM(insn)                                    \
	asm volatile(insn                                      \
		     : "+a"(ret), "+D"(r1), "+S"(r2), "+d"(r3) \
		     :                                         \
		     : "r8", "r10", "memory")
#else
#define HYPERCALL_ASM(insn)                                    \
	asm volatile(insn                                      \
		     : "+a"(ret), "+b"(r1), "+c"(r2), "+d"(r3) \
		     :                                         \
		     : "esi", "edi", "memory")
#endif

long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	unsigned long r1 = a1, r2 = a2, r3 = a3;
	long ret = nr;

	if (use_vmmcall)
		HYPERCALL_ASM("vmmcall");
	else
		HYPERCALL_ASM("vmcall");
	return ret;
}

unsigned int hypercall_page_install(uint64_t gpa)
{
	return wrmsr_safe(cpuid(XEN_CPUID_HYPERCALL_PAGE).ebx, gpa);
}

long hypercall_page_call3(const void *page, unsigned int nr, uint32_t a1,
			  uint32_t a2, uint32_t a3)
{
	const char *stub = (const char *)page + nr * HYPERCALL_STUB_SIZE;
	unsigned long r1 = a1, r2 = a2, r3 = a3;
	long ret;

#ifdef __x86_64__
	asm volatile("call *%[stub]"
		     : "=a"(ret), "+D"(r1), "+S"(r2),
		       "+d"(r3), [stub] "+c"(stub)
		     :
		     : "r8", "r10", "memory");
#else
	asm volatile("call *%[stub]"
		     : "=a"(ret), "+b"(r1), "+c"(r2),
		       "+d"(r3), [stub] "+S"(stub)
		     :
		     : "edi", "memory");
#endif
	return ret;
}

/* Paging is off, or 1:1: a pointer is a guest-physical address. */
long hypercall_console_write(const char *buf, unsigned int len)
{
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			  (uintptr_t)buf);
}

long hypercall_console_read(char *buf, unsigned int len)
{
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_read, len,
			  (uintptr_t)buf);
}

long hypercall_xen_version(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_xen_version, cmd, (uintptr_t)arg, 0);
}

long hypercall_sched_op(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_sched_op, cmd, (uintptr_t)arg, 0);
}

long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg);
}

long hypercall_hvm_op(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_hvm_op, cmd, (uintptr_t)arg, 0);
}

long hypercall_memory_op(unsigned int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0);
}

long sched_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout_ns)
{
#ifdef __x86_64__
	struct sched_poll p = { .nr_ports = nr, .timeout = timeout_ns };

	set_xen_guest_handle(p.ports, ports);
#else
	struct compat_sched_poll p = { .nr_ports = nr, .timeout = timeout_ns };

	set_compat_handle(p.ports, ports);
#endif
	return hypercall_sched_op(SCHEDOP_poll, &p);
}
