/*
 * The TSC as clock: calibrated once against PIT channel 2, then NOW() gives
 * nanoseconds since boot. (Under Bochs the TSC counts instructions, so time
 * there is emulated time, consistently so.)
 */
#include <xen/lib.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/system.h>
#include <asm/time.h>

#define PIT_HZ 1193182UL
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE 0x61
#define CALIBRATE_MS 20

unsigned long tsc_khz;
static u64 tsc_boot;
/* Nanoseconds per TSC tick as a 32.32 fixed-point number. */
static u64 ns_per_tick_32;

void tsc_calibrate(void)
{
	unsigned long count = PIT_HZ * CALIBRATE_MS / 1000;
	u64 t0, t1;
	unsigned long spins = 0;

	/* Gate on, speaker off; channel 2, lo/hi byte, mode 0. */
	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
	outb(0xb0, PIT_MODE);
	outb(count & 0xff, PIT_CH2);
	outb(count >> 8, PIT_CH2);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		if (++spins > 100000000UL)
			panic("PIT channel 2 does not count\n");
	t1 = rdtsc();

	tsc_khz = (t1 - t0) / CALIBRATE_MS;
	if (!tsc_khz)
		panic("TSC does not count\n");
	ns_per_tick_32 = (1000000UL << 32) / tsc_khz;
	tsc_boot = t1;
	printk(XENLOG_INFO "TSC: %lu.%03lu MHz\n", tsc_khz / 1000,
	       tsc_khz % 1000);
}

s_time_t NOW(void)
{
	u64 delta = rdtsc() - tsc_boot;

	return (s_time_t)(((unsigned __int128)delta * ns_per_tick_32) >> 32);
}

void udelay(unsigned long us)
{
	s_time_t end = NOW() + MICROSECS(us);

	while (NOW() < end)
		cpu_relax();
}

void reprogram_timer(s_time_t deadline)
{
	s_time_t now = NOW();

	if (deadline == STIME_NEVER) {
		lapic_timer_program(0);
		return;
	}
	/* A deadline already past fires as soon as possible. */
	lapic_timer_program(deadline > now ? deadline - now : 1);
}
