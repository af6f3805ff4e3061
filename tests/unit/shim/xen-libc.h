/*
 * The hypervisor's string and formatting functions next to libc's.
 *
 * xen/common/lib/string.c and vsnprintf.c define memset, snprintf and the
 * like, which would replace libc's (and the sanitizers' interceptors) in a
 * host program. The unit-test build compiles those two files with this
 * header forced in and XEN_LIBC_KEEP_NAMES defined, so that they define
 * xen_memset, xen_snprintf, ... instead. A test includes this header
 * before any other <xen/...> header to declare them under those names,
 * while memset, snprintf, ... stay libc's.
 */
#ifndef XEN_LIBC_H
#define XEN_LIBC_H

#if defined(XEN_LIB_H) || defined(XEN_STRING_H)
#error "include xen-libc.h before any <xen/...> header"
#endif

#define memset xen_memset
#define memcpy xen_memcpy
#define memmove xen_memmove
#define memcmp xen_memcmp
#define strlen xen_strlen
#define strnlen xen_strnlen
#define strcmp xen_strcmp
#define strncmp xen_strncmp
#define strchr xen_strchr
#define strstr xen_strstr
#define strlcpy xen_strlcpy
#define vsnprintf xen_vsnprintf
#define snprintf xen_snprintf

#include <xen/lib.h>
#include <xen/string.h>

#ifndef XEN_LIBC_KEEP_NAMES
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strstr
#undef strlcpy
#undef vsnprintf
#undef snprintf
#endif

#endif
