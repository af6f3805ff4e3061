/* libxenforeignmemory over xen_os_map_foreign() (xenforeignmemory.h). */
#include <errno.h>
#include <stdlib.h>

#include <xen_os.h>
#include <xenforeignmemory.h>

#include "../common/xen_errno.h"

/* Mapping needs no state of its own: the handle marks an open. */
struct xenforeignmemory_handle {
	unsigned int open_flags;
};

xenforeignmemory_handle *xenforeignmemory_open(void *logger,
					       unsigned int open_flags)
{
	xenforeignmemory_handle *fmem;

	if (logger || open_flags) {
		errno = EINVAL;
		return NULL;
	}
	fmem = calloc(1, sizeof(*fmem));
	if (!fmem)
		errno = ENOMEM;
	return fmem;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	free(fmem);
	return 0;
}

/* Map with a per-page error array the caller gave, or one of ours. */
static void *map(uint32_t dom, size_t num, const xen_pfn_t arr[], int err[])
{
	void *addr;
	int rc;

	addr = xen_os_map_foreign((domid_t)dom, arr, err, (unsigned int)num,
				  &rc);
	for (size_t i = 0; i < num; i++)
		if (err[i])
			err[i] = -xen_errno_to_errno(-err[i]);
	if (!addr)
		errno = xen_errno_to_errno(-rc);
	return addr;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
			   int prot, size_t num, const xen_pfn_t arr[],
			   int err[])
{
	int *errs = err;
	void *addr;

	if (!num || num > UINT32_MAX ||
	    (prot &
	     ~(XENFOREIGNMEMORY_PROT_READ | XENFOREIGNMEMORY_PROT_WRITE))) {
		errno = EINVAL;
		return NULL;
	}
	if (dom > UINT16_MAX) {
		errno = ESRCH;
		return NULL;
	}
	if (!errs) {
		errs = malloc(num * sizeof(*errs));
		if (!errs) {
			errno = ENOMEM;
			return NULL;
		}
	}
	addr = map(dom, num, arr, errs);
	if (err)
		return addr;
	/* No array to report in: the first failed page fails the call. */
	for (size_t i = 0; addr && i < num; i++) {
		if (errs[i]) {
			xen_os_unmap_foreign(addr, (unsigned int)num);
			errno = -errs[i];
			addr = NULL;
		}
	}
	free(errs);
	return addr;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
			   size_t num)
{
	if (!num || num > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	return (int)xen_rc_to_errno(
		xen_os_unmap_foreign(addr, (unsigned int)num));
}
