/* Internal to libxenctrl: the hypercalls its functions are made of. */
#ifndef TOOLS_LIBS_XC_PRIVATE_H
#define TOOLS_LIBS_XC_PRIVATE_H

#include <xenctrl.h>

/*
 * libxc's handle holds the privcmd device; the system under this library
 * needs none, so a handle only marks that xc_interface_open() was called.
 */
struct xc_interface_core {
	unsigned int open_flags;
};

/*
 * One domctl of cmd on domid, with interface_version filled in: 0, or -1
 * with errno. *dc holds the results.
 */
int xc_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid,
	      struct xen_domctl *dc);
/* One sysctl of cmd, as xc_domctl. */
int xc_sysctl(xc_interface *xch, uint32_t cmd, struct xen_sysctl *sc);
/* A hypercall with two arguments (op, arg): its result, or -1 with errno. */
long xc_hypercall2(unsigned int op, unsigned long cmd, void *arg);

#endif
