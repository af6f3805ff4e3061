/* libxenctrl: HVM parameters and the host as a whole (hvm_op, sysctl). */
#include <errno.h>

#include "xc_private.h"

static int hvm_param(unsigned int op, uint32_t domid, uint32_t param,
		     struct xen_hvm_param *arg)
{
	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	arg->domid = (domid_t)domid;
	arg->index = param;
	return (int)xc_hypercall2(__HYPERVISOR_hvm_op, op, arg);
}

int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t *value)
{
	struct xen_hvm_param arg = { 0 };

	if (hvm_param(HVMOP_get_param, domid, param, &arg))
		return -1;
	*value = arg.value;
	return 0;
}

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param,
		     uint64_t value)
{
	struct xen_hvm_param arg = { .value = value };

	return hvm_param(HVMOP_set_param, domid, param, &arg);
}

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
	struct xen_sysctl sc = { 0 };

	if (xc_sysctl(xch, XEN_SYSCTL_physinfo, &sc))
		return -1;
	*info = sc.u.physinfo;
	return 0;
}

int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
		       int clear, int incremental, uint32_t *pindex)
{
	struct xen_sysctl sc = { 0 };
	struct xen_sysctl_readconsole *rc = &sc.u.readconsole;

	if (incremental && !pindex) {
		errno = EINVAL;
		return -1;
	}
	rc->clear = !!clear;
	rc->incremental = !!incremental;
	rc->index = incremental ? *pindex : 0;
	rc->count = *pnr_chars;
	set_xen_guest_handle(rc->buffer, buffer);
	if (xc_sysctl(xch, XEN_SYSCTL_readconsole, &sc))
		return -1;
	*pnr_chars = rc->count;
	if (incremental)
		*pindex = rc->index;
	return 0;
}
