/*
 * The emulated RTC/CMOS (xen/vrtc.h). The clock is computed at each read
 * from the wall clock (the host RTC at boot, wallclock.c) plus NOW() plus
 * the guest's offset, so it never stalls: an update is never in progress
 * (status A's UIP reads 0), the registers always hold a whole second.
 * Status B's data mode (BCD or binary) and hour mode (12 or 24) are the
 * guest's, as it wrote them; writing a clock register moves the clock
 * (an invalid date is ignored). C reads 0 (no interrupt is ever raised),
 * D reads "RAM valid". The other bytes are plain CMOS RAM, zero at first.
 */
#include <xen/date.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/vrtc.h>
#include <asm/time.h>

#define RTC_INDEX_PORT 0x70
#define RTC_DATA_PORT 0x71
#define RTC_INDEX_MASK 0x7f /* bit 7 of an index write: NMI off */

#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_WDAY 0x06
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_A 0x0a
#define RTC_B 0x0b
#define RTC_C 0x0c
#define RTC_D 0x0d
#define RTC_CENTURY 0x32

#define RTC_A_UIP 0x80
#define RTC_A_RESET 0x26 /* 32.768 kHz base, 1024 Hz rate */
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04
#define RTC_B_RESET RTC_B_24H
#define RTC_D_VRT 0x80
#define RTC_HOUR_PM 0x80

#define NSEC_PER_SEC 1000000000ULL

/* One lock for every domain's RTC: guests touch it a few times a boot. */
static DEFINE_SPINLOCK(vrtc_lock, LR_VRTC);

static u64 clock_seconds(const struct vrtc *r)
{
	return (u64)((s64)((wallclock_base_ns + (u64)NOW()) / NSEC_PER_SEC) +
		     r->offset);
}

static u8 to_bcd(unsigned int v)
{
	return (u8)(((v / 10) << 4) | (v % 10));
}

static u8 encode(const struct vrtc *r, unsigned int v)
{
	return r->cmos[RTC_B] & RTC_B_BINARY ? (u8)v : to_bcd(v % 100);
}

/* A register value the guest wrote; ~0u if it is not a number. */
static unsigned int decode(const struct vrtc *r, u8 v)
{
	if (r->cmos[RTC_B] & RTC_B_BINARY)
		return v;
	if ((v >> 4) > 9 || (v & 0xf) > 9)
		return ~0u;
	return (v >> 4) * 10 + (v & 0xf);
}

static u8 encode_hour(const struct vrtc *r, unsigned int h)
{
	unsigned int h12;

	if (r->cmos[RTC_B] & RTC_B_24H)
		return encode(r, h);
	h12 = h % 12 ? h % 12 : 12;
	return encode(r, h12) | (h >= 12 ? RTC_HOUR_PM : 0);
}

static unsigned int decode_hour(const struct vrtc *r, u8 v)
{
	unsigned int h;

	if (r->cmos[RTC_B] & RTC_B_24H)
		return decode(r, v);
	h = decode(r, v & ~RTC_HOUR_PM);
	if (h < 1 || h > 12)
		return ~0u;
	return h % 12 + (v & RTC_HOUR_PM ? 12 : 0);
}

static u8 read_clock(const struct vrtc *r, u8 reg)
{
	struct date_time t;

	date_from_seconds(clock_seconds(r), &t);
	switch (reg) {
	case RTC_SEC:
		return encode(r, t.sec);
	case RTC_MIN:
		return encode(r, t.min);
	case RTC_HOUR:
		return encode_hour(r, t.hour);
	case RTC_WDAY:
		return encode(r, t.wday);
	case RTC_DAY:
		return encode(r, t.day);
	case RTC_MONTH:
		return encode(r, t.month);
	case RTC_YEAR:
		return encode(r, t.year % 100);
	default: /* RTC_CENTURY */
		return encode(r, t.year / 100);
	}
}

/* The guest sets one field of the clock: the offset moves with it. */
static void write_clock(struct vrtc *r, u8 reg, u8 val)
{
	u64 now = clock_seconds(r);
	unsigned int v = reg == RTC_HOUR ? decode_hour(r, val) : decode(r, val);
	struct date_time t;

	date_from_seconds(now, &t);
	switch (reg) {
	case RTC_SEC:
		t.sec = v;
		break;
	case RTC_MIN:
		t.min = v;
		break;
	case RTC_HOUR:
		t.hour = v;
		break;
	case RTC_WDAY:
		return; /* derived from the date */
	case RTC_DAY:
		t.day = v;
		break;
	case RTC_MONTH:
		t.month = v;
		break;
	case RTC_YEAR:
		t.year = t.year / 100 * 100 + v;
		break;
	default: /* RTC_CENTURY */
		t.year = v * 100 + t.year % 100;
		break;
	}
	if (v != ~0u && date_valid(&t))
		r->offset += (s64)(date_to_seconds(&t) - now);
}

static bool is_clock(u8 reg)
{
	return (reg <= RTC_YEAR && reg != 1 && reg != 3 && reg != 5) ||
	       reg == RTC_CENTURY;
}

static u8 rtc_read(struct vrtc *r)
{
	u8 reg = r->index;

	if (is_clock(reg))
		return read_clock(r, reg);
	switch (reg) {
	case RTC_A:
		return r->cmos[RTC_A] & ~RTC_A_UIP;
	case RTC_C:
		return 0;
	case RTC_D:
		return RTC_D_VRT;
	}
	return r->cmos[reg];
}

static void rtc_write(struct vrtc *r, u8 val)
{
	u8 reg = r->index;

	if (is_clock(reg))
		write_clock(r, reg, val);
	else if (reg == RTC_A)
		r->cmos[RTC_A] = val & ~RTC_A_UIP;
	else if (reg != RTC_C && reg != RTC_D)
		r->cmos[reg] = val;
}

bool vrtc_portio(struct domain *d, u16 port, bool in, u32 *val)
{
	struct vrtc *r = &d->vrtc;
	unsigned long flags;

	if (port != RTC_INDEX_PORT && port != RTC_DATA_PORT)
		return false;
	spin_lock_irqsave(&vrtc_lock, flags);
	if (!r->initialised) {
		r->cmos[RTC_A] = RTC_A_RESET;
		r->cmos[RTC_B] = RTC_B_RESET;
		r->initialised = true;
	}
	if (port == RTC_INDEX_PORT) {
		if (in)
			*val = r->index;
		else
			r->index = (u8)*val & RTC_INDEX_MASK;
	} else if (in) {
		*val = rtc_read(r);
	} else {
		rtc_write(r, (u8)*val);
	}
	spin_unlock_irqrestore(&vrtc_lock, flags);
	return true;
}
