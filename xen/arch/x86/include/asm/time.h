/* Time: the TSC as clock source. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <xen/types.h>

#define MILLISECS(ms) ((s_time_t)(ms)*1000000)
#define MICROSECS(us) ((s_time_t)(us)*1000)
#define SECONDS(s) ((s_time_t)(s)*1000000000)

extern unsigned long tsc_khz;

/*
 * TSC ticks to ns as a pvclock scales them: (ticks << shift) * mul >> 32
 * (>> -shift when negative). NOW() is tsc_scale_delta(rdtsc() - tsc_boot,
 * tsc_scale) exactly.
 */
struct tsc_scale {
	u32 mul;
	s8 shift;
};
extern struct tsc_scale tsc_scale;
extern u64 tsc_boot;
u64 tsc_scale_delta(u64 delta, struct tsc_scale s);

/*
 * The wall clock at system time 0, in ns since 1970 (UTC): the host RTC
 * as wallclock_init() read it after tsc_calibrate(); 0 without an RTC.
 */
extern u64 wallclock_base_ns;
void wallclock_init(void);

/* Xen's time leaf (CPUID 0x40000003), subleaf sub (arch/x86/pvtime.c). */
struct cpuid_regs;
void xen_time_leaf(u32 sub, struct cpuid_regs *r);

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
