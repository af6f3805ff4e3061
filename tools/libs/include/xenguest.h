/*
 * libxenguest: building a guest from dom0. The domain is one that
 * xc_domain_create() made (paused, empty, its vCPUs offline); the builder
 * gives it its RAM, loads the image through foreign mappings with the
 * layout the hypervisor's boot-time builder uses (libimage: the same
 * code), sets its special gfns and starts its vCPUs at the entry. The
 * domain stays paused: xc_domain_unpause() runs it.
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"

/* The one special gfn after RAM: the paging ring (HVM_PARAM_PAGING_RING_PFN). */
#define XG_SPECIAL_GFNS 1

struct xg_dom_args {
	uint64_t mem; /* bytes of RAM, [0, mem): whole pages, 1 MiB to 4 GiB */
	const char *cmdline; /* the guest's command line, or NULL */
	unsigned int vcpus; /* started at the entry: 1 to the domain's vCPUs */
};

/*
 * Build domid from the ELF image[size] (32-bit, entered the PVH way, or
 * 64-bit, entered in long mode): 0, or -1 with errno set and the reason
 * in why[why_size]. EINVAL: an image the loader cannot take, or bad
 * arguments; ENOMEM: not enough memory; others as the hypervisor said.
 * On failure the domain may hold some memory: destroy it.
 */
int xg_dom_build(xc_interface *xch, uint32_t domid, const void *image,
		 size_t size, const struct xg_dom_args *args, char *why,
		 size_t why_size);

#endif
