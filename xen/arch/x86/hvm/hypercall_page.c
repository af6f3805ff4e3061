/*
 * The hypercall page, as Xen guests expect it: CPUID leaf 0x40000002 names
 * the MSR (HVM_HYPERCALL_PAGE_MSR); a guest writes a page's guest-physical
 * address there and gets 128 stubs of 32 bytes, stub i being
 *
 *   b8 <i as imm32>    mov $i, %eax
 *   0f 01 c1 / d9      vmcall (VMX) or vmmcall (SVM)
 *   c3                 ret
 *
 * then int3 padding. Stub 23 (iret, a PV-only hypercall) is ud2 instead.
 * A value that is not the address of a whole page of writable RAM makes
 * the WRMSR fault (#GP); nothing is written then.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/hvm.h>
#include <public/xen.h>

#define STUB_SIZE 32
#define NR_STUBS (PAGE_SIZE / STUB_SIZE)

static void write_stub(u8 *p, u32 nr)
{
	if (nr == __HYPERVISOR_iret) {
		p[0] = 0x0f; /* ud2 */
		p[1] = 0x0b;
		return;
	}
	p[0] = 0xb8; /* mov $nr, %eax */
	memcpy(p + 1, &nr, sizeof(nr));
	memcpy(p + 5, hvm_funcs->hypercall_insn,
	       sizeof(hvm_funcs->hypercall_insn));
	p[8] = 0xc3; /* ret */
}

int hvm_write_hypercall_page(struct vcpu *v, u64 gpa)
{
	u8 *page;
	unsigned int i;
	int rc;

	/* Xen reads the low 12 bits as a page index: only page 0 exists. */
	if (gpa & ~PAGE_MASK)
		return -EINVAL;
	page = alloc_xenheap_page();
	if (!page)
		return -ENOMEM;
	memset(page, 0xcc, PAGE_SIZE); /* int3 */
	for (i = 0; i < NR_STUBS; i++)
		write_stub(page + i * STUB_SIZE, i);
	/* One page: the p2m is checked once, then the whole page copied. */
	rc = hvm_copy_to_guest_phys(v->domain, gpa, page, PAGE_SIZE);
	free_xenheap_page(page);
	return rc;
}
