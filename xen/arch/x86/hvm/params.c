/*
 * HVM parameters: hvm_op set_param and get_param. Each domain has
 * HVM_NR_PARAMS 64-bit values, stored as given. A guest may read and
 * write a few of its own (the table below, as Xen allows them); the
 * control domain may read and write any parameter of any domain, which
 * is how a toolstack hands a guest its xenstore and console pages and
 * ports, or finds a domain's paging ring.
 *
 * CONSOLE_PFN (the control domain's to set) makes the hypervisor serve
 * the console ring in that page of the domain, and sets CONSOLE_EVTCHN
 * (pv_console_attach(): -EBUSY if it has one, -EINVAL for a gfn that is
 * not its writable RAM).
 *
 * CALLBACK_IRQ acts too: type "vector" (2) sets the upcall
 * vector of every vCPU of the domain (a later set_evtchn_upcall_vector
 * overrides it per vCPU), 0 turns the upcall off. Other types (a GSI, a
 * PCI INTx line) need a virtual interrupt controller there is none of:
 * -EINVAL. A guest setting it on itself also fixes its shared-info
 * layout to its current mode.
 */
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <asm/hvm.h>
#include <public/hvm_op.h>
#include <public/xen.h>

#define GUEST_GET 1u
#define GUEST_SET 2u

static const u8 guest_access[HVM_NR_PARAMS] = {
	[HVM_PARAM_CALLBACK_IRQ] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_STORE_PFN] = GUEST_GET,
	[HVM_PARAM_STORE_EVTCHN] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_CONSOLE_PFN] = GUEST_GET,
	[HVM_PARAM_CONSOLE_EVTCHN] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_VM86_TSS] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_VM86_TSS_SIZED] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_ACPI_IOPORTS_LOCATION] = GUEST_GET | GUEST_SET,
	[HVM_PARAM_ALTP2M] = GUEST_GET,
	[HVM_PARAM_X87_FIP_WIDTH] = GUEST_GET | GUEST_SET,
};

/* The type (bits 63:56) and, for the vector type, the vector (7:0). */
#define CALLBACK_VECTOR_BITS 0xffUL
#define CALLBACK_VALID_BITS \
	(CALLBACK_VECTOR_BITS | (0xffUL << HVM_PARAM_CALLBACK_TYPE_SHIFT))

static long set_callback(struct domain *d, u64 value)
{
	u64 type = value >> HVM_PARAM_CALLBACK_TYPE_SHIFT;
	u8 vector = value & CALLBACK_VECTOR_BITS;
	unsigned int i;

	if (value && (type != HVM_PARAM_CALLBACK_TYPE_VECTOR ||
		      (value & ~CALLBACK_VALID_BITS) || vector < 0x10))
		return -EINVAL;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			WRITE_ONCE(d->vcpu[i]->upcall_vector, vector);
	return 0;
}

/*
 * The domain the request names (hypercall_get_domain()), if the caller
 * may do what need says on index there.
 */
static long get_param_domain(struct vcpu *v, const struct xen_hvm_param *p,
			     unsigned int need, struct domain **out)
{
	long rc;

	if (p->index >= HVM_NR_PARAMS)
		return -EINVAL;
	rc = hypercall_get_domain(v, p->domid, out);
	if (!rc && !may_control(v->domain, *out) &&
	    !(guest_access[p->index] & need))
		rc = -EPERM;
	return rc;
}

long hvm_set_param(struct vcpu *v, unsigned long arg, bool compat)
{
	struct xen_hvm_param p;
	struct domain *d;
	long rc;

	if (copy_from_guest(&p, guest_handle_from_param(arg, xen_hvm_param_t),
			    1))
		return -EFAULT;
	rc = get_param_domain(v, &p, GUEST_SET, &d);
	if (rc)
		return rc;
	/* The toolstack names the console ring's page: it is served. */
	if (p.index == HVM_PARAM_CONSOLE_PFN) {
		rc = pv_console_attach(d, p.value);
		hypercall_put_domain(v, d);
		return rc;
	}
	event_lock(d);
	if (p.index == HVM_PARAM_CALLBACK_IRQ)
		rc = set_callback(d, p.value);
	if (!rc)
		d->hvm_params[p.index] = p.value;
	event_unlock(d);
	if (!rc && p.index == HVM_PARAM_CALLBACK_IRQ && d == v->domain)
		shared_info_latch(d, compat);
	hypercall_put_domain(v, d);
	return rc;
}

long hvm_get_param(struct vcpu *v, unsigned long arg)
{
	XEN_GUEST_HANDLE(xen_hvm_param_t) h =
		guest_handle_from_param(arg, xen_hvm_param_t);
	struct xen_hvm_param p;
	struct domain *d;
	long rc;

	if (copy_from_guest(&p, h, 1))
		return -EFAULT;
	rc = get_param_domain(v, &p, GUEST_GET, &d);
	if (rc)
		return rc;
	event_lock(d);
	p.value = d->hvm_params[p.index];
	event_unlock(d);
	hypercall_put_domain(v, d);
	return copy_to_guest(h, &p, 1);
}

_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param");
