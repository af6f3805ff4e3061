/*
 * The wall clock: the host's RTC (CMOS ports 0x70/0x71), read once at
 * boot, as nanoseconds since 1970 (UTC, as the RTC is assumed to keep)
 * at system time 0. Guests see it in their shared-info page and their
 * emulated RTC (hvm/rtc.c). Without a readable RTC it stays 0 (1970).
 */
#include <xen/date.h>
#include <xen/lib.h>
#include <asm/io.h>
#include <asm/time.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define RTC_A_UIP 0x80
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04
#define RTC_HOUR_PM 0x80
/* An update lasts under 2 ms; give up after 20 (no RTC, or a stuck one). */
#define UIP_WAIT_MS 20

u64 wallclock_base_ns;

static u8 cmos_read(u8 reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

static unsigned int from_bcd(u8 v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

/* One reading outside an update: false if the RTC stays busy. */
static bool read_rtc(struct date_time *t)
{
	s_time_t end = NOW() + MILLISECS(UIP_WAIT_MS);
	u8 b, hour, century;
	bool binary;

	while (cmos_read(RTC_STATUS_A) & RTC_A_UIP)
		if (NOW() > end)
			return false;
	b = cmos_read(RTC_STATUS_B);
	binary = b & RTC_B_BINARY;
	t->sec = from_bcd(cmos_read(RTC_SEC), binary);
	t->min = from_bcd(cmos_read(RTC_MIN), binary);
	hour = cmos_read(RTC_HOUR);
	t->day = from_bcd(cmos_read(RTC_DAY), binary);
	t->month = from_bcd(cmos_read(RTC_MONTH), binary);
	t->year = from_bcd(cmos_read(RTC_YEAR), binary);
	century = cmos_read(RTC_CENTURY);
	t->hour = from_bcd(hour & ~RTC_HOUR_PM, binary);
	if (!(b & RTC_B_24H)) {
		/* 12-hour mode: 12 AM is 0, 12 PM is 12. */
		t->hour %= 12;
		if (hour & RTC_HOUR_PM)
			t->hour += 12;
	}
	century = (u8)from_bcd(century, binary);
	t->wday = 0; /* not read: readings are compared whole */
	t->year += (century >= 19 && century <= 99 ? century : 20) * 100;
	return true;
}

void wallclock_init(void)
{
	struct date_time t, again;
	unsigned int tries;
	bool ok = false;

	/* Two equal readings in a row: no update slipped in between. */
	for (tries = 0; tries < 3 && !ok; tries++)
		ok = read_rtc(&t) && read_rtc(&again) &&
		     !memcmp(&t, &again, sizeof(t));
	if (!ok || !date_valid(&t)) {
		printk(XENLOG_WARNING "RTC: unreadable: the wall clock "
				      "starts at 1970-01-01\n");
		return;
	}
	wallclock_base_ns = date_to_seconds(&t) * 1000000000ULL - NOW();
	printk(XENLOG_INFO "RTC: %04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year,
	       t.month, t.day, t.hour, t.min, t.sec);
}
