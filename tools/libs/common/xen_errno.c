/* Xen's error numbers as errno values (see xen_errno.h). */
#include <errno.h>
#include <stddef.h>

#include <public/errno.h>

#include "xen_errno.h"

/* Every error a hypercall may return to a caller (not XEN_ERESTART). */
static const struct {
	int xen, host;
} errnos[] = {
	{ XEN_EPERM, EPERM },
	{ XEN_ENOENT, ENOENT },
	{ XEN_ESRCH, ESRCH },
	{ XEN_EINTR, EINTR },
	{ XEN_EIO, EIO },
	{ XEN_ENXIO, ENXIO },
	{ XEN_E2BIG, E2BIG },
	{ XEN_ENOEXEC, ENOEXEC },
	{ XEN_EBADF, EBADF },
	{ XEN_ECHILD, ECHILD },
	{ XEN_EAGAIN, EAGAIN },
	{ XEN_ENOMEM, ENOMEM },
	{ XEN_EACCES, EACCES },
	{ XEN_EFAULT, EFAULT },
	{ XEN_EBUSY, EBUSY },
	{ XEN_EEXIST, EEXIST },
	{ XEN_EXDEV, EXDEV },
	{ XEN_ENODEV, ENODEV },
	{ XEN_EINVAL, EINVAL },
	{ XEN_ENOSPC, ENOSPC },
	{ XEN_EDOM, EDOM },
	{ XEN_ERANGE, ERANGE },
	{ XEN_EDEADLK, EDEADLK },
	{ XEN_ENOSYS, ENOSYS },
	{ XEN_ENODATA, ENODATA },
	{ XEN_ETIME, ETIME },
	{ XEN_EOVERFLOW, EOVERFLOW },
	{ XEN_EILSEQ, EILSEQ },
	{ XEN_EOPNOTSUPP, EOPNOTSUPP },
	{ XEN_ETIMEDOUT, ETIMEDOUT },
};

int xen_errno_to_errno(int xen_err)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].xen == xen_err)
			return errnos[i].host;
	return EIO;
}

long xen_rc_to_errno(long rc)
{
	if (rc >= 0)
		return rc;
	errno = xen_errno_to_errno((int)-rc);
	return -1;
}
