/*
 * The TSC as clock: calibrated once against PIT channel 2, then NOW() gives
 * nanoseconds since boot. (Under Bochs the TSC counts instructions, so time
 * there is emulated time, consistently so.)
 *
 * NOW() scales TSC ticks exactly as a guest's pvclock does (a shift, then
 * a 32.32 multiply: tsc_scale), from one TSC value taken at calibration,
 * so a vcpu_time_info holding that value, system time 0 and the scale
 * gives every guest the hypervisor's own clock to the nanosecond, on every
 * CPU, for ever (the TSC is assumed synchronised and invariant).
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
u64 tsc_boot;
struct tsc_scale tsc_scale;

/*
 * The most precise scale for khz: ns per tick in 32.32 fixed point,
 * normalised so that the multiplier has its top bit set (bits gained by
 * a negative shift come from the division's remainder).
 */
static struct tsc_scale scale_for(unsigned long khz)
{
	u64 q = (1000000ULL << 32) / khz, r = (1000000ULL << 32) % khz;
	int shift = 0;

	while (q >> 32) {
		q >>= 1;
		shift++;
	}
	while (!(q & (1ULL << 31))) {
		q <<= 1;
		r <<= 1;
		if (r >= khz) {
			r -= khz;
			q |= 1;
		}
		shift--;
	}
	return (struct tsc_scale){ .mul = (u32)q, .shift = (s8)shift };
}

u64 tsc_scale_delta(u64 delta, struct tsc_scale s)
{
	delta = s.shift < 0 ? delta >> -s.shift : delta << s.shift;
	return (u64)(((unsigned __int128)delta * s.mul) >> 32);
}

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
	tsc_scale = scale_for(tsc_khz);
	tsc_boot = t1;
	printk(XENLOG_INFO "TSC: %lu.%03lu MHz\n", tsc_khz / 1000,
	       tsc_khz % 1000);
}

s_time_t NOW(void)
{
	return (s_time_t)tsc_scale_delta(rdtsc() - tsc_boot, tsc_scale);
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
