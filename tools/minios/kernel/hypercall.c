/*
 * The hypercall page: the hypervisor fills it with one 32-byte stub per
 * hypercall (mov $nr, %eax; vmcall or vmmcall; ret) when dom0 writes its
 * address to the MSR that CPUID leaf 0x40000002 names, so dom0 need not
 * know the CPU's vendor. Every hypercall goes through it.
 */
#include <stdint.h>

#include <public/cpuid.h>
#include <xen_os.h>

#include <minios/arch.h>
#include <minios/hypercall.h>
#include <minios/kernel.h>
#include <minios/layout.h>

#define STUB_SIZE 32

static uint8_t hypercall_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void hypercall_init(void)
{
	struct cpuid_regs r = cpuid(XEN_CPUID_FIRST_LEAF);

	if (r.ebx != XEN_CPUID_SIGNATURE_EBX ||
	    r.ecx != XEN_CPUID_SIGNATURE_ECX ||
	    r.edx != XEN_CPUID_SIGNATURE_EDX || r.eax < XEN_CPUID_HVM)
		/* No console either: there is nobody to tell. */
		for (;;)
			asm volatile("cli; hlt");
	wrmsr(cpuid(XEN_CPUID_HYPERCALL_PAGE).ebx, (uintptr_t)hypercall_page);
}

/* The hypervisor may clobber every argument register, used or not. */
long hypercall5(unsigned int op, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4, unsigned long a5)
{
	const void *stub = hypercall_page + op * STUB_SIZE;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	long ret;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
		       "+r"(r8), [stub] "+c"(stub)
		     :
		     : "r9", "r11", "memory");
	return ret;
}

long xen_os_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		      unsigned long a3, unsigned long a4, unsigned long a5)
{
	if (op >= PAGE_SIZE / STUB_SIZE)
		return -XEN_ENOSYS;
	return hypercall5(op, a1, a2, a3, a4, a5);
}
