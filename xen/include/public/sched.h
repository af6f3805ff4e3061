/* sched_op (hypercall 29): (cmd, arg). */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stdint.h>

#include "event_channel.h"
#include "xen.h"

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2 /* arg: struct sched_shutdown */
#define SCHEDOP_poll 3
#define SCHEDOP_remote_shutdown 4 /* arg: struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code 5 /* arg: struct sched_shutdown */
#define SCHEDOP_watchdog 6

/* Shutdown reasons. */
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5

struct sched_shutdown {
	uint32_t reason;
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/* domain_id at offset 0, reason at offset 4: 8 bytes. */
struct sched_remote_shutdown {
	uint16_t domain_id;
	uint32_t reason;
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

/*
 * SCHEDOP_poll: block until one of nr_ports ports (at most 128) is
 * pending, whether masked or not, or until timeout (ns on the
 * HVMOP_get_time clock; 0: none). 64-bit callers: ports is a 64-bit
 * handle (24 bytes); 32-bit callers: struct compat_sched_poll (16 bytes).
 */
struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports; /* [nr_ports] */
	uint32_t nr_ports;
	uint64_aligned_t timeout;
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct compat_sched_poll {
	COMPAT_HANDLE(evtchn_port_t) ports;
	uint32_t nr_ports;
	uint64_t timeout;
} __attribute__((packed));
typedef struct compat_sched_poll compat_sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(compat_sched_poll_t);

#define SCHED_POLL_MAX_PORTS 128

#endif
