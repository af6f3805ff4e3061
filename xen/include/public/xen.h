/*
 * Xen's public hypercall ABI: the hypercall numbers (RAX/EAX), the types
 * every other public header uses and the small sub-operation sets that
 * need no header of their own. Values are Xen's; see docs/hypercalls.md
 * for what is implemented.
 *
 * The public headers compile on their own in a hosted or freestanding C99
 * build, 64-bit or 32-bit, with nothing but <stdint.h>: the hypervisor,
 * the test guests and tools all include them (scripts/check-public-headers.sh).
 * Structures named xen_* or plain are a 64-bit caller's, compat_* a 32-bit
 * caller's; each has the same layout whichever compiler includes it.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_iret 23
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36

/* A domid argument that names the caller's own domain. */
#define DOMID_SELF 0x7ff0
/* The hypervisor itself (the owner of its own vCPUs, such as the reaper) */
#define DOMID_XEN 0x7ff2
/* The idle domain: never a valid argument. */
#define DOMID_IDLE 0x7fff

/* console_io: (cmd, count, buffer). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

#include <stdint.h>

typedef uint16_t domid_t;

/*
 * A 64-bit field aligned to 8 bytes whatever the compiler: i386 aligns a
 * uint64_t member to 4, which would move the fields after it and shorten
 * the structure for a 32-bit tool.
 */
typedef uint64_t uint64_aligned_t __attribute__((__aligned__(8)));

/*
 * Guest handles: where a buffer of the named type is, as a guest-virtual
 * address, in the structures the hypercalls take. name is one identifier
 * (a typedef); DEFINE_XEN_GUEST_HANDLE(name) defines the handle types of
 * an element type, XEN_GUEST_HANDLE(name) names one.
 *
 * A 64-bit caller's handle (in xen_ and plain structures) is 8 bytes,
 * 8-aligned, whatever compiler includes it: the pointer shares the space
 * with a 64-bit integer, so a 32-bit tool's 4-byte pointer fills its low
 * half (set_xen_guest_handle() clears the rest). A 32-bit caller's (in
 * compat_ structures) is a 4-byte address: COMPAT_HANDLE(name).
 */
#define DEFINE_XEN_GUEST_HANDLE(name) \
	typedef union {               \
		name *p;              \
		uint64_aligned_t q;   \
	} __guest_handle_##name;      \
	typedef struct {              \
		uint32_t c;           \
	} __compat_handle_##name
#define XEN_GUEST_HANDLE(name) __guest_handle_##name
#define COMPAT_HANDLE(name) __compat_handle_##name

/* Point hnd at the array val (NULL: no buffer). */
#define set_xen_guest_handle(hnd, val) \
	do {                           \
		(hnd).q = 0;           \
		(hnd).p = (val);       \
	} while (0)
/* Point a 32-bit caller's handle at address val (a pointer or integer). */
#define set_compat_handle(hnd, val) ((hnd).c = (uint32_t)(uintptr_t)(val))

DEFINE_XEN_GUEST_HANDLE(char);
DEFINE_XEN_GUEST_HANDLE(uint8_t);
DEFINE_XEN_GUEST_HANDLE(int32_t);
DEFINE_XEN_GUEST_HANDLE(uint32_t);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(domid_t);

#endif
