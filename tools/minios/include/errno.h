/*
 * errno, one per thread. The values are Xen's (public/errno.h, under C's
 * names as the hypervisor's <xen/errno.h> gives them), so a library that
 * sets errno to a hypercall's -rc follows the C names.
 */
#ifndef MINIOS_ERRNO_H
#define MINIOS_ERRNO_H

#include <xen/errno.h>

/* One the hypervisor itself does not use. */
#ifndef ETIMEDOUT
#define ETIMEDOUT XEN_ETIMEDOUT
#endif

int *__errno_location(void);
#define errno (*__errno_location())

#endif /* MINIOS_ERRNO_H */
