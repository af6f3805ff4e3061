/* Error numbers: Xen's public values (identical to Linux's for these). */
#ifndef XEN_ERRNO_H
#define XEN_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
#define ENODATA 61
#define ETIME 62
#define EOVERFLOW 75
#define EOPNOTSUPP 95
/* Internal: a hypercall stopped early, to be continued (never returned). */
#define ERESTART 85

#endif
