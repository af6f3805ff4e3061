/*
 * Guest memory for handler tests. The shim provides the arch hook under
 * the typed guest handles (copy_from_guest_virt(), copy_to_guest_virt():
 * shim/fake_guest.c) over a test's buffer mem[size]: a guest-virtual
 * address is an offset into it, whichever vCPU copies. Anything outside
 * it is -EFAULT, and so is a write that touches the read-only window
 * [ro_start, ro_end); a failed write writes nothing. Until a test sets a
 * buffer every copy is -EFAULT.
 */
#ifndef UNIT_FAKE_GUEST_H
#define UNIT_FAKE_GUEST_H

#include <stddef.h>

struct vcpu;

void fake_guest_mem(void *mem, size_t size, unsigned long ro_start,
		    unsigned long ro_end);

/* Copies asked of the hook so far, both ways, failed ones included. */
extern unsigned long fake_guest_copies;

/*
 * The shim's arch_vcpu_raise_upcall() calls this, if a test set it. Its
 * arch_vcpu_irqs_enabled() reads RFLAGS.IF of the vCPU's struct hvm_vcpu
 * (v->hvm; none: interrupts off).
 */
extern void (*fake_guest_upcall)(struct vcpu *v);

#endif
