/* libxenctrl: handles, and the hypercalls under every function. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen_os.h>

#include "../common/xen_errno.h"
#include "xc_private.h"

xc_interface *xc_interface_open(void *logger, void *dombuild_logger,
				unsigned int open_flags)
{
	xc_interface *xch;

	if (logger || dombuild_logger || open_flags) {
		errno = EINVAL;
		return NULL;
	}
	xch = calloc(1, sizeof(*xch));
	if (!xch)
		errno = ENOMEM;
	return xch;
}

int xc_interface_close(xc_interface *xch)
{
	free(xch);
	return 0;
}

long xc_hypercall2(unsigned int op, unsigned long cmd, void *arg)
{
	return xen_rc_to_errno(
		xen_os_hypercall(op, cmd, (unsigned long)arg, 0, 0, 0));
}

int xc_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid,
	      struct xen_domctl *dc)
{
	if (domid > UINT16_MAX) {
		errno = ESRCH;
		return -1;
	}
	dc->cmd = cmd;
	dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	dc->domain = (domid_t)domid;
	return (int)xen_rc_to_errno(xen_os_hypercall(
		__HYPERVISOR_domctl, (unsigned long)dc, 0, 0, 0, 0));
}

int xc_sysctl(xc_interface *xch, uint32_t cmd, struct xen_sysctl *sc)
{
	sc->cmd = cmd;
	sc->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return (int)xen_rc_to_errno(xen_os_hypercall(
		__HYPERVISOR_sysctl, (unsigned long)sc, 0, 0, 0, 0));
}
