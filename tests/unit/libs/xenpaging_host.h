/*
 * xenpaging's system (xenpaging_os.h) for the host tests: output goes to
 * a buffer, a "thread" is a run function called by xp_host_run() and by
 * every sleep (as dom0's cooperative threads run while one sleeps), and
 * the clock advances only when something sleeps.
 */
#ifndef UNIT_LIBS_XENPAGING_HOST_H
#define UNIT_LIBS_XENPAGING_HOST_H

#include <stdbool.h>

/* The output so far, and forget it. */
const char *xp_host_output(void);
void xp_host_clear_output(void);
/* Run each live thread's function once: how many still run. */
unsigned int xp_host_run(void);
/* Threads started and not ended. */
unsigned int xp_host_threads(void);
/* Forget every thread (a test that ends with some). */
void xp_host_reset(void);

#endif
