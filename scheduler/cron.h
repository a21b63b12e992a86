/* cron.h: 5-field cron expressions and presets, evaluated in an IANA time zone.
 *
 * A schedule is parsed once (cron_parse) into bit sets and then asked for fire
 * times. Fire times are instants (time_t, UTC seconds); the fields are matched
 * against the wall clock of the given zone. DST rules (see cron.c):
 *  - a wall time that does not exist (spring-forward gap) fires once, at the
 *    first instant after the gap;
 *  - a wall time that exists twice (fall-back) fires once, at its first
 *    occurrence. */
#ifndef SCHED_CRON_H
#define SCHED_CRON_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

struct cron {
	uint64_t minute;	/* bit m set: minute m (0-59) matches */
	uint32_t hour;		/* bits 0-23 */
	uint32_t dom;		/* bits 1-31 */
	uint16_t month;		/* bits 1-12 */
	uint8_t dow;		/* bits 0-6, Sunday = 0 (7 is accepted as Sunday) */
	bool dom_star;		/* day-of-month field was '*' (Vixie cron OR rule) */
	bool dow_star;
};

/* Parses "m h dom mon dow" (lists, ranges, steps, names JAN-DEC / SUN-SAT) or a
 * preset (@hourly @daily @midnight @weekly @monthly @yearly @annually).
 * Returns 0, or -1 with a message in err ("field 2 (hour): 25 is out of range 0-23"). */
int cron_parse(const char *expr, struct cron *out, char *err, size_t errlen);

/* false if c matches no date at all, whatever the year ("0 0 30 2 *":
 * February has no 30th); "0 0 29 2 *" fires, in leap years. */
bool cron_can_fire(const struct cron *c);

/* The first fire time strictly after t, in zone tz (NULL or "" = UTC).
 * Returns (time_t)-1 if there is none within 5 years (e.g. "0 0 30 2 *"). */
time_t cron_next_after(const struct cron *c, const char *tz, time_t t);

/* The last fire time strictly before t; (time_t)-1 if none within 5 years. */
time_t cron_prev_before(const struct cron *c, const char *tz, time_t t);

#endif
