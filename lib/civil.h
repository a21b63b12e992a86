/* civil.h: civil-date arithmetic of the proleptic Gregorian calendar, once for
 * the whole project (the scheduler's time zones, the jobs' record timestamps,
 * schedctl's dates, the rollups' ISO weeks).
 *
 * Invariants: a day number counts days since 1970-01-01 (negative before);
 * months are 1-12, days 1-31, ISO weekdays 1 (Monday) to 7 (Sunday). No time
 * zone, no locale, no table of the C library: pure integer functions, exact
 * for every date whose day number fits in int64_t / 400-year eras.
 * Time zones (wall time <-> instant) are the scheduler's (scheduler/tz.c). */
#ifndef BASE_CIVIL_H
#define BASE_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of y-m-d (H. Hinnant's days_from_civil), and back. */
int64_t civil_to_days(int64_t y, int m, int d);
void civil_from_days(int64_t days, int64_t *y, int *m, int *d);

bool civil_is_leap(int64_t y);
int civil_days_in_month(int64_t y, int m);	/* m 1-12 */

/* 1 = Monday ... 7 = Sunday. */
int civil_iso_weekday(int64_t days);
/* The ISO 8601 week of a day: its year (the year of the week's Thursday,
 * which may differ from the calendar year near January 1) and number 1-53. */
void civil_iso_week(int64_t days, int64_t *iso_year, int *week);
/* The Monday of week `week` of ISO year iso_year. */
int64_t civil_iso_week_monday(int64_t iso_year, int week);

/* floor(a / b) for b > 0: the day of an instant is floor(secs / 86400). */
static inline int64_t civil_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Date texts. Forms accepted by civil_scan_date, or-ed together: */
enum {
	CIVIL_DASHED = 1,	/* YYYY-MM-DD */
	CIVIL_COMPACT = 2,	/* YYYYMMDD */
};

/* Reads a valid date (month 1-12, day within the month) at the start of s in
 * one of the forms, and returns the first byte after it, or NULL. What
 * follows the date is the caller's to check. Years are 4 digits (0000-9999). */
const char *civil_scan_date(const char *s, unsigned forms, int *y, int *m, int *d);

/* Reads exactly n decimal digits (n <= 9) at s; false if any is not a digit. */
bool civil_digits(const char *s, int n, int *out);

/* Writes v as exactly n decimal digits (its n lowest), no NUL. */
void civil_put_digits(char *out, int64_t v, int n);

/* Writes the day as "YYYYMMDD" plus a NUL (9 bytes), the year's 4 lowest digits. */
void civil_format_compact(int64_t days, char out[9]);

#endif
