/*
 * The one vendor-neutral answer to "which interrupt goes in next": the
 * vendor code (svm.c, vmx/vmexit.c) asks before each entry, injects it
 * when the guest's RFLAGS.IF and interrupt shadow allow, and otherwise
 * asks the CPU for an exit once they do.
 */
#include <xen/lib.h>
#include <asm/hvm_irq.h>
#include <asm/vlapic.h>

struct hvm_intr hvm_intr_next(struct vcpu *v)
{
	u8 upcall = READ_ONCE(v->upcall_vector);
	int vector;

	if (READ_ONCE(vcpu_vlapic(v)->nmi_pending))
		return (struct hvm_intr){ HVM_INTR_NMI, 2 };
	if (READ_ONCE(v->upcall_pending) && upcall)
		return (struct hvm_intr){ HVM_INTR_UPCALL, upcall };
	vector = vlapic_next_vector(v);
	if (vector >= 0)
		return (struct hvm_intr){ HVM_INTR_LAPIC, (u8)vector };
	return (struct hvm_intr){ HVM_INTR_NONE, 0 };
}

bool hvm_intr_ack(struct vcpu *v, struct hvm_intr i)
{
	switch (i.type) {
	case HVM_INTR_NMI:
		return __atomic_exchange_n(&vcpu_vlapic(v)->nmi_pending, false,
					   __ATOMIC_SEQ_CST);
	case HVM_INTR_UPCALL:
		WRITE_ONCE(v->upcall_pending, false);
		return true;
	case HVM_INTR_LAPIC:
		return vlapic_ack_vector(v, i.vector);
	default:
		return false;
	}
}

/*
 * The upcall wakes a halted vCPU even without a vector (as it always
 * did: SCHEDOP_block returns for it); INIT and SIPI bring it down or up.
 */
bool hvm_intr_wakes(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);

	return READ_ONCE(v->upcall_pending) || READ_ONCE(h->down) ||
	       READ_ONCE(vcpu_vlapic(v)->start.pending) ||
	       hvm_intr_next(v).type != HVM_INTR_NONE;
}

void hvm_vcpu_kick(struct vcpu *v)
{
	struct hvm_vcpu *h = hvm_of(v);

	/*
	 * The work is published before in_guest is read; entry publishes
	 * in_guest before it looks for work: one of us sees the other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vcpu_wake(v);
	if (__atomic_load_n(&h->in_guest, __ATOMIC_SEQ_CST) &&
	    v->processor != smp_processor_id())
		send_event_check(v->processor);
}
