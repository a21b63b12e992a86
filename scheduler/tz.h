/* tz.h: IANA time zones through the C library's TZ database.
 *
 * glibc only converts in the process's current zone, so these functions switch
 * TZ when asked for another zone and remember the current one (the daemon is
 * single-threaded; they are not thread-safe). */
#ifndef SCHED_TZ_H
#define SCHED_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* true if name is "UTC" or names a zone file under the zoneinfo directory
 * (no "..", no leading '/'). */
bool tz_valid(const char *name);

/* Broken-down wall time of t in zone tz (NULL or "" = UTC). */
void tz_localtime(const char *tz, time_t t, struct tm *out);

/* The instant of wall time *tm in zone tz. is_dst of *tm is ignored.
 * For a wall time inside a DST gap: returns the first instant after the gap and
 * sets *nonexistent. For an ambiguous wall time: the earlier instant.
 * Returns (time_t)-1 on an invalid time. */
time_t tz_mktime(const char *tz, const struct tm *tm, bool *nonexistent);

/* Parses "YYYY-MM-DD", "YYYYMMDD", "YYYY-MM-DDTHH:MM[:SS]" or
 * "YYYY-MM-DD HH:MM[:SS]" as wall time in tz; a trailing 'Z' or "+HH:MM" means
 * that offset instead. Returns 0 or -1. */
int tz_parse_datetime(const char *tz, const char *s, time_t *out);

/* Formats t in tz: "%Y-%m-%d" (date), "%Y%m%d", or ISO 8601 with offset. */
void tz_format(const char *tz, time_t t, const char *fmt, char *buf, size_t len);
void tz_format_iso(const char *tz, time_t t, char *buf, size_t len); /* 2026-03-04T00:00:00+01:00 */

/* Lower-level pieces, shared with cron.c. A "wall" value counts the seconds of
 * a zone's wall clock since 1970-01-01T00:00 of that clock (t + UTC offset). */

/* The calendar arithmetic itself (days from civil and back, days in a month)
 * is lib/civil.h. */

/* Seconds east of UTC in effect in zone tz at instant t. */
long tz_offset(const char *tz, time_t t);

/* The instant of wall value wall in zone tz, with tz_mktime's rules for gaps
 * (first instant after the gap, *nonexistent set) and overlaps (the earlier). */
time_t tz_from_wall(const char *tz, int64_t wall, bool *nonexistent);

#endif
