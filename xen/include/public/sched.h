/* sched_op (hypercall 29): (cmd, arg). */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stdint.h>

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

/* domain_id at offset 0, reason at offset 4: 8 bytes. */
struct sched_remote_shutdown {
	uint16_t domain_id;
	uint32_t reason;
};

#endif
