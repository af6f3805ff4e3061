/*
 * selftest's checks (shell/selftest*.c), one function each: NULL if it
 * held, else why not (in a buffer the next failure overwrites).
 */
#ifndef MINIOS_SELFTEST_H
#define MINIOS_SELFTEST_H

#include <stdio.h>

#include <public/xen.h>

#include <minios/time.h>

#define MS NSEC_PER_MSEC
/*
 * A thread waiting for an event gives up after WAIT_LIMIT_MS; one that
 * waited until then was not woken by the event, which must wake it
 * within WOKEN_WITHIN_MS.
 */
#define WAIT_LIMIT_MS 2000
#define WOKEN_WITHIN_MS 500

extern char selftest_why[160];

#define FAIL(...)                                                          \
	({                                                                 \
		snprintf(selftest_why, sizeof(selftest_why), __VA_ARGS__); \
		selftest_why;                                              \
	})

/* selftest_sched.c */
const char *check_threads(void);
const char *check_sleep(void);
const char *check_sleepers(void);
const char *check_timers(void);
const char *check_waitq(void);
const char *check_waitq_deadline(void);
/* selftest_mem.c */
const char *check_malloc(void);
/* selftest_xen.c */
const char *check_evtchn(void);
const char *check_foreign(void);
const char *check_foreign_domain(domid_t dom);
const char *check_hypercall(void);
/* selftest_libs.c */
const char *check_libs(void);

#endif /* MINIOS_SELFTEST_H */
