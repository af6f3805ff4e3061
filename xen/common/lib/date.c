/*
 * Dates to and from a day count: the civil-from-days arithmetic on
 * 400-year eras (146097 days each), with years starting in March so that
 * the leap day is the last day of a year.
 */
#include <xen/date.h>

#define SECS_PER_DAY 86400u
#define DAYS_PER_ERA 146097u
/* Days from 0000-03-01 to 1970-01-01. */
#define EPOCH_DAYS 719468u

static u64 days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (u64)era * DAYS_PER_ERA + doe - EPOCH_DAYS;
}

u64 date_to_seconds(const struct date_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * SECS_PER_DAY +
	       t->hour * 3600u + t->min * 60u + t->sec;
}

void date_from_seconds(u64 secs, struct date_time *t)
{
	u64 days = secs / SECS_PER_DAY + EPOCH_DAYS;
	unsigned int rem = (unsigned int)(secs % SECS_PER_DAY);
	unsigned int era = (unsigned int)(days / DAYS_PER_ERA);
	unsigned int doe = (unsigned int)(days - (u64)era * DAYS_PER_ERA);
	unsigned int yoe =
		(doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153;

	t->day = doy - (153 * mp + 2) / 5 + 1;
	t->month = mp < 10 ? mp + 3 : mp - 9;
	t->year = yoe + era * 400 + (t->month <= 2);
	t->hour = rem / 3600;
	t->min = rem / 60 % 60;
	t->sec = rem % 60;
	/* 1970-01-01 was a Thursday (5). */
	t->wday = (unsigned int)((secs / SECS_PER_DAY + 4) % 7) + 1;
}

static bool is_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid(const struct date_time *t)
{
	static const u8 mdays[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };

	if (t->year < 1970 || t->month < 1 || t->month > 12 || t->day < 1)
		return false;
	if (t->day > mdays[t->month - 1] +
			     (unsigned int)(t->month == 2 && is_leap(t->year)))
		return false;
	return t->hour < 24 && t->min < 60 && t->sec < 60;
}
