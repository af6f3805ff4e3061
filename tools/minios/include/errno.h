/*
 * errno, one per thread. The values are Xen's (public/errno.h), so a
 * library that sets errno to a hypercall's -rc follows the C names.
 */
#ifndef MINIOS_ERRNO_H
#define MINIOS_ERRNO_H

#include <public/errno.h>

int *__errno_location(void);
#define errno (*__errno_location())

#define EPERM XEN_EPERM
#define ENOENT XEN_ENOENT
#define ESRCH XEN_ESRCH
#define EINTR XEN_EINTR
#define EIO XEN_EIO
#define ENXIO XEN_ENXIO
#define E2BIG XEN_E2BIG
#define ENOEXEC XEN_ENOEXEC
#define EBADF XEN_EBADF
#define ECHILD XEN_ECHILD
#define EAGAIN XEN_EAGAIN
#define ENOMEM XEN_ENOMEM
#define EACCES XEN_EACCES
#define EFAULT XEN_EFAULT
#define EBUSY XEN_EBUSY
#define EEXIST XEN_EEXIST
#define EXDEV XEN_EXDEV
#define ENODEV XEN_ENODEV
#define EINVAL XEN_EINVAL
#define ENOSPC XEN_ENOSPC
#define EDOM XEN_EDOM
#define ERANGE XEN_ERANGE
#define EDEADLK XEN_EDEADLK
#define ENOSYS XEN_ENOSYS
#define ENODATA XEN_ENODATA
#define ETIME XEN_ETIME
#define EOVERFLOW XEN_EOVERFLOW
#define EILSEQ XEN_EILSEQ
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define ETIMEDOUT XEN_ETIMEDOUT

#endif /* MINIOS_ERRNO_H */
