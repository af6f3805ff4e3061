/*
 * Reading a vCPU's guest-virtual memory, for common code that needs no
 * other HVM interface (arch/x86/hvm/guest_access.c has the copies,
 * <asm/hvm.h> includes this, docs/hypercalls.md has the rules).
 * Returns 0 or -EFAULT.
 */
#ifndef XEN_GUEST_COPY_H
#define XEN_GUEST_COPY_H

#include <stddef.h>

struct vcpu;

int hvm_copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			     size_t len);
int hvm_copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
			   size_t len);

#endif
