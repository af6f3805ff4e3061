/*
 * The Xen interface version we follow, as CPUID leaf 0x40000001 and
 * XENVER_version report it: (XEN_VERSION << 16) | XEN_SUBVERSION.
 */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#define XEN_VERSION 4
#define XEN_SUBVERSION 19
#define XEN_EXTRAVERSION ".0"

#endif
