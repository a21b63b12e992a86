/* evtime.h: event time of the pipeline's records. Timestamps are the 14-digit
 * civil times of the simulator (yyyyMMddHHmmss, no time zone); we count them
 * as seconds since 1970-01-01 00:00:00 of the same civil calendar, so that
 * window arithmetic is plain integer arithmetic and midnight is a multiple of
 * 86400. Pure functions, no locale, no time zone database; the calendar
 * arithmetic is lib/civil.h. */
#ifndef EVTIME_H
#define EVTIME_H

#include <stddef.h>
#include <stdint.h>

#include "lib/civil.h"	/* the calendar: days from civil and back */

/* Parses exactly 14 digits yyyyMMddHHmmss into seconds. 0, or -1 when the text
 * is not 14 digits or not a valid date and time (month 13, Feb 30, 24:00:00...). */
int evtime_parse14(const char *s, int64_t *secs);
/* Parses exactly 8 digits yyyyMMdd into days since 1970. 0 or -1. */
int evtime_parse8(const char *s, int64_t *days);
/* Writes 14 digits and a NUL into buf (at least 15 bytes). */
void evtime_format14(int64_t secs, char *buf);
/* Writes 8 digits (the day of secs) and a NUL into buf (at least 9 bytes). */
void evtime_format8(int64_t secs, char *buf);
/* floor(a / b) for b > 0. */
static inline int64_t evtime_floor_div(int64_t a, int64_t b)
{
	return civil_floor_div(a, b);
}

#endif
