/*
 * Internal to the tool libraries: a hypervisor result turned into the C
 * library's convention. Xen's error numbers (public/errno.h) are mapped to
 * the errno names of the system the library runs on, name by name, as
 * the two need not have the same values.
 */
#ifndef TOOLS_LIBS_XEN_ERRNO_H
#define TOOLS_LIBS_XEN_ERRNO_H

/* The errno value of Xen error xen_err (positive); EIO if it has none. */
int xen_errno_to_errno(int xen_err);

/*
 * rc as a hypercall returned it: rc itself if it is >= 0, else -1 with
 * errno set to the error's errno value.
 */
long xen_rc_to_errno(long rc);

#endif
