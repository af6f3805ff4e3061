/*
 * Xen's public hypercall ABI: the hypercall numbers (RAX/EAX) and the
 * small sub-operation sets that need no header of their own. Values are
 * Xen's; see docs/hypercalls.md for what is implemented.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_iret 23
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_hvm_op 34

/* A domid argument that names the caller's own domain. */
#define DOMID_SELF 0x7ff0
/* The hypervisor itself (the owner of its own vCPUs, such as the reaper) */
#define DOMID_XEN 0x7ff2

/* console_io: (cmd, count, buffer). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

#endif
