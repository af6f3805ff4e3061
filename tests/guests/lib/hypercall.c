#include <stdbool.h>

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

/*
 * The hypervisor may clobber every argument register, used or not (Xen's
 * debug builds do), so all five are outputs or clobbers.
 */
static long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	long ret = nr;

	if (use_vmmcall)
		asm volatile("vmmcall"
			     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
			     :
			     : "esi", "edi", "memory");
	else
		asm volatile("vmcall"
			     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
			     :
			     : "esi", "edi", "memory");
	return ret;
}

long hypercall_console_write(const char *buf, unsigned int len)
{
	/* Paging is off: a pointer is a guest-physical address. */
	return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			  (uintptr_t)buf);
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
