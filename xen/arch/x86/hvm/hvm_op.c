/*
 * hvm_op (hypercall 34): (cmd, arg). set_param and get_param (params.c),
 * get_time (ns since boot) and set_evtchn_upcall_vector (the vector, 0x10
 * and up, on which a vCPU of the caller's domain takes its event upcall;
 * it also fixes the caller's shared-info layout to its current mode).
 */
#include <xen/event.h>
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
	case HVMOP_set_param:
		return hvm_set_param(v, arg, args->compat);
	case HVMOP_get_param:
		return hvm_get_param(v, arg);
	case HVMOP_get_time:
		t.now = NOW();
		return hvm_copy_to_guest_virt(v, arg, &t, sizeof(t));
	case HVMOP_set_evtchn_upcall_vector:
		if (hvm_copy_from_guest_virt(v, &up, arg, UPCALL_VECTOR_BYTES))
			return -EFAULT;
		if (up.vcpu >= v->domain->max_vcpus ||
		    !v->domain->vcpu[up.vcpu] || up.vector < 0x10)
			return -EINVAL;
		WRITE_ONCE(v->domain->vcpu[up.vcpu]->upcall_vector, up.vector);
		shared_info_latch(v->domain, args->compat);
		return 0;
	}
	return -ENOSYS;
}
