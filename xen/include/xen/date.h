/*
 * Calendar dates (UTC, proleptic Gregorian) to and from seconds since
 * 1970-01-01, for the RTCs (the host's, read at boot, and the guests').
 */
#ifndef XEN_DATE_H
#define XEN_DATE_H

#include <xen/types.h>

struct date_time {
	unsigned int year; /* 1970 and up */
	unsigned int month; /* 1-12 */
	unsigned int day; /* 1-31 */
	unsigned int hour, min, sec;
	unsigned int wday; /* 1 (Sunday) to 7, as the RTC counts */
};

/* Seconds since 1970 of t (its wday is ignored); t must be valid. */
u64 date_to_seconds(const struct date_time *t);
/* The date secs seconds after 1970. */
void date_from_seconds(u64 secs, struct date_time *t);
/* Whether t names a real date and time (wday ignored), 1970 and later. */
bool date_valid(const struct date_time *t);

#endif
