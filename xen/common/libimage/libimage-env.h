/*
 * libimage's environment: the hypervisor's library, or (built into the
 * tools with -DLIBIMAGE_TOOLS) the C library's. Either way refuse(),
 * the string functions and the E* error numbers (the same values in both).
 */
#ifndef LIBIMAGE_ENV_H
#define LIBIMAGE_ENV_H

#ifdef LIBIMAGE_TOOLS

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Write the reason into why[size] and return err (as the hypervisor's). */
static inline __attribute__((format(printf, 4, 5))) int
refuse(int err, char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return err;
}

#else

#include <xen/errno.h>
#include <xen/lib.h>

#endif

#endif
