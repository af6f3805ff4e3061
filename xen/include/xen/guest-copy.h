/*
 * The arch's copies to and from a vCPU's guest-virtual memory: the one
 * hook under the typed guest handles of <xen/guest_access.h>, which act
 * for the current vCPU (x86: arch/x86/hvm/guest_access.c; the unit tests'
 * shim has its own; docs/hypercalls.md has the rules). v is current, or a
 * vCPU that is not running, so its paging state holds still. Returns 0,
 * or -EFAULT (a copy to the guest then wrote nothing).
 */
#ifndef XEN_GUEST_COPY_H
#define XEN_GUEST_COPY_H

#include <stddef.h>

struct vcpu;

int copy_from_guest_virt(struct vcpu *v, void *dst, unsigned long gva,
			 size_t len);
int copy_to_guest_virt(struct vcpu *v, unsigned long gva, const void *src,
		       size_t len);

#endif
