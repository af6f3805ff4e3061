/* strerror: Xen's error numbers (the values of dom0's errno) by name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <minios/kernel.h>

static const char *const messages[] = {
	[EPERM] = "EPERM: operation not permitted",
	[ENOENT] = "ENOENT: no such entry",
	[ESRCH] = "ESRCH: no such domain",
	[EINTR] = "EINTR: interrupted",
	[EIO] = "EIO: I/O error",
	[ENXIO] = "ENXIO: no such device or address",
	[E2BIG] = "E2BIG: argument list too long",
	[ENOEXEC] = "ENOEXEC: not an executable",
	[EBADF] = "EBADF: bad handle",
	[ECHILD] = "ECHILD: no child",
	[EAGAIN] = "EAGAIN: try again",
	[ENOMEM] = "ENOMEM: out of memory",
	[EACCES] = "EACCES: permission denied",
	[EFAULT] = "EFAULT: bad address",
	[EBUSY] = "EBUSY: busy",
	[EEXIST] = "EEXIST: exists",
	[EXDEV] = "EXDEV: cross-domain",
	[ENODEV] = "ENODEV: no such device",
	[EINVAL] = "EINVAL: invalid argument",
	[ENOSPC] = "ENOSPC: no space left",
	[EDOM] = "EDOM: argument out of domain",
	[ERANGE] = "ERANGE: out of range",
	[EDEADLK] = "EDEADLK: deadlock",
	[ENOSYS] = "ENOSYS: not implemented",
	[ENODATA] = "ENODATA: no data",
	[ETIME] = "ETIME: timer expired",
	[EOVERFLOW] = "EOVERFLOW: value too large",
	[EILSEQ] = "EILSEQ: illegal sequence",
	[EOPNOTSUPP] = "EOPNOTSUPP: not supported",
	[ETIMEDOUT] = "ETIMEDOUT: timed out",
};

char *strerror(int err)
{
	/* One thread runs at a time, and none switches inside this. */
	static char unknown[32];

	if (err > 0 && (unsigned int)err < ARRAY_SIZE(messages) &&
	    messages[err])
		return (char *)messages[err];
	snprintf(unknown, sizeof(unknown), "error %d", err);
	return unknown;
}
