/* Time: the TSC as clock source. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <xen/types.h>

#define MILLISECS(ms) ((s_time_t)(ms)*1000000)
#define MICROSECS(us) ((s_time_t)(us)*1000)
#define SECONDS(s) ((s_time_t)(s)*1000000000)

extern unsigned long tsc_khz;

/* Calibrate the TSC against the PIT (boot CPU, interrupts off). */
void tsc_calibrate(void);
/* Nanoseconds since tsc_calibrate(). */
s_time_t NOW(void);
void udelay(unsigned long us);
/*
 * Arm this CPU's one-shot timer for deadline (one already past fires at
 * once), or disarm it with STIME_NEVER. Every other value, 0 and negative
 * ones included, is a deadline.
 */
#define STIME_NEVER ((s_time_t)0x7fffffffffffffffLL)
void reprogram_timer(s_time_t deadline);

#endif
