/*
 * hvm_op (hypercall 34): (cmd, arg). set_param and get_param (params.c),
 * get_time (ns since boot) and set_evtchn_upcall_vector (the vector, 0x10
 * and up, on which a vCPU of the caller's domain takes its event upcall;
 * it also fixes the caller's shared-info layout to its current mode).
 */
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <asm/time.h>
#include <public/hvm_op.h>

/* The vCPU id and the vector: the struct's padding is not read. */
static long read_upcall_vector(unsigned long arg,
			       struct xen_hvm_evtchn_upcall_vector *up)
{
	XEN_GUEST_HANDLE(xen_hvm_evtchn_upcall_vector_t) h =
		guest_handle_from_param(arg, xen_hvm_evtchn_upcall_vector_t);

	return copy_field_from_guest(up, h, vcpu) ||
			       copy_field_from_guest(up, h, vector) ?
		       -EFAULT :
		       0;
}

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
		return copy_to_guest(
			guest_handle_from_param(arg, xen_hvm_get_time_t), &t,
			1);
	case HVMOP_set_evtchn_upcall_vector:
		if (read_upcall_vector(arg, &up))
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
