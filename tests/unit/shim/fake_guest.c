/*
 * The arch's guest-virtual copies, upcall and interrupt flag, for handler
 * tests: see
 * fake_guest.h. Every test runs in a child of its own, so the buffer a
 * test set is gone for the next.
 */
#include <string.h>

#include <xen/errno.h>
#include <xen/guest-copy.h>
#include <xen/sched.h>
#include <asm/hvm.h>

#include "fake_guest.h"

unsigned long fake_guest_copies;
void (*fake_guest_upcall)(struct vcpu *v);

static void *guest_mem;
static size_t guest_size;
static unsigned long guest_ro_start, guest_ro_end;

void fake_guest_mem(void *mem, size_t size, unsigned long ro_start,
		    unsigned long ro_end)
{
	guest_mem = mem;
	guest_size = size;
	guest_ro_start = ro_start;
	guest_ro_end = ro_end;
}

static bool in_guest(unsigned long gva, size_t len)
{
	return gva < guest_size && guest_size - gva >= len;
}

int copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			 size_t len)
{
	fake_guest_copies++;
	if (!in_guest(gva, len))
		return -EFAULT;
	memcpy(dst, (char *)guest_mem + gva, len);
	return 0;
}

int copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
		       size_t len)
{
	fake_guest_copies++;
	if (!in_guest(gva, len) ||
	    (gva < guest_ro_end && gva + len > guest_ro_start))
		return -EFAULT;
	memcpy((char *)guest_mem + gva, src, len);
	return 0;
}

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	if (fake_guest_upcall)
		fake_guest_upcall(v);
}

/* Interrupts on: from the vCPU's x86 state, if the test gave it one. */
bool arch_vcpu_irqs_enabled(const struct vcpu *v)
{
	const struct hvm_vcpu *h = v->hvm;

	return h && (h->rflags & X86_EFLAGS_IF);
}
