/*
 * libxenguest: building a guest from dom0. The domain is one that
 * xc_domain_create() made (paused, empty, its vCPUs offline); the builder
 * gives it its RAM, loads the image through foreign mappings with the
 * layout the hypervisor's boot-time builder uses (libimage: the same
 * code, with the same ACPI tables and ramdisk placement), sets its special
 * gfns and starts its vCPUs at the entry. The domain stays paused:
 * xc_domain_unpause() runs it.
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"

/*
 * The special gfns after RAM, as the boot-time builder lays them out: the
 * paging ring (HVM_PARAM_PAGING_RING_PFN, left empty for a pager), then
 * the PV console's page (HVM_PARAM_CONSOLE_PFN, populated).
 */
#define XG_SPECIAL_GFNS 2

/*
 * Lazy start: where the pages of a domain built with its RAM paged out
 * go (the pager's store). Each returns 0 or a negative errno.
 */
struct xg_lazy_ops {
	void *ctx;
	/* gfn's page so far into page (4096 bytes; zeros if none yet). */
	int (*read)(void *ctx, uint64_t gfn, void *page);
	int (*write)(void *ctx, uint64_t gfn, const void *page);
};

struct xg_dom_args {
	uint64_t mem; /* bytes of RAM, [0, mem): whole pages, 1 MiB to 4 GiB */
	const char *cmdline; /* the guest's command line, or NULL */
	/*
	 * The domain's vCPUs (1 to the domain's max_vcpus), in its MADT. An
	 * image without a PVH note: all start at the entry. With one: vCPU
	 * 0 alone starts; the others get no context and stay offline until
	 * the guest gives them a start state.
	 */
	unsigned int vcpus;
	/* The initrd (NULL: none): the first start-info module. */
	const void *ramdisk;
	size_t ramdisk_size;
	/*
	 * NULL: RAM is populated and the image loaded into it. Otherwise
	 * every gfn of RAM is made paged out (populate_evicted, no memory
	 * taken) and the pages the image and start-up data fill go to
	 * lazy->write: a pager must serve the domain before it runs.
	 */
	const struct xg_lazy_ops *lazy;
	/*
	 * How a bzImage boots: XG_BOOT_DEFAULT or XG_BOOT_LINUX, the Linux
	 * boot protocol (vCPU 0 alone starts, RSI = boot_params) at the
	 * 64-bit entry (the 32-bit one for a 32-bit kernel);
	 * XG_BOOT_LINUX32, the same at the 32-bit entry; XG_BOOT_PVH, the
	 * PVH ELF in its payload (decompressed into a malloc'ed buffer). An
	 * ELF takes only the default.
	 */
	unsigned int boot;
};
#define XG_BOOT_DEFAULT 0
#define XG_BOOT_LINUX 1
#define XG_BOOT_PVH 2
#define XG_BOOT_LINUX32 3

/*
 * Build domid from the ELF image[size] (one with a PVH note, or 32-bit,
 * entered the PVH way; 64-bit without one, entered in long mode) or the
 * bzImage image[size] (args->boot): 0, or
 * -1 with errno set and the reason
 * in why[why_size]. EINVAL: an image the loader cannot take, or bad
 * arguments; ENOMEM: not enough memory; others as the hypervisor said.
 * On failure the domain may hold some memory: destroy it.
 */
int xg_dom_build(xc_interface *xch, uint32_t domid, const void *image,
		 size_t size, const struct xg_dom_args *args, char *why,
		 size_t why_size);

#endif
