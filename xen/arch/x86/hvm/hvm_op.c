/*
 * hvm_op (hypercall 34): (cmd, arg). get_time (ns since boot) and
 * set_evtchn_upcall_vector (the vector, 0x10 and up, on which a vCPU of
 * the caller's domain takes its event upcall).
 */
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/time.h>
#include <public/hvm_op.h>

/* The vCPU id and the vector: the struct's padding is not read. */
#define UPCALL_VECTOR_BYTES 5

long do_hvm_op(struct vcpu *v, struct hypercall_args *args)
{
	struct xen_hvm_evtchn_upcall_vector up;
	struct xen_hvm_get_time t;
	unsigned long arg = args->a[1];

	switch (args->a[0]) {
	case HVMOP_get_time:
		t.now = NOW();
		return hvm_copy_to_guest_virt(v, arg, &t, sizeof(t));
	case HVMOP_set_evtchn_upcall_vector:
		if (hvm_copy_from_guest_virt(v, &up, arg, UPCALL_VECTOR_BYTES))
			return -EFAULT;
		if (up.vcpu >= v->domain->max_vcpus || up.vector < 0x10)
			return -EINVAL;
		v->domain->vcpu[up.vcpu]->upcall_vector = up.vector;
		return 0;
	}
	return -ENOSYS;
}
