/* fuzz_cron.c: cron expressions (scheduler/cron.c): cron_parse on the text,
 * and for a schedule that parses, next/prev fire times in a zone picked by the
 * first byte (UTC, a DST zone of each hemisphere, a half-hour zone).
 * Invariants: next > t, prev < t, and prev(next(t)) never lands after t. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/cron.h"

static const char *const zones[] = { "UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney",
				     "Asia/Kolkata" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256)
		return 0;
	const char *tz = zones[data[0] % (sizeof zones / sizeof zones[0])];
	char expr[257];
	memcpy(expr, data + 1, size - 1);
	expr[size - 1] = '\0';
	struct cron c;
	char err[256];
	if (cron_parse(expr, &c, err, sizeof err) != 0) {
		if (err[0] == '\0')
			abort();	/* an error without a message */
		return 0;
	}
	time_t t = 1772582400;	/* 2026-03-04 00:00:00 UTC */
	time_t next = cron_next_after(&c, tz, t);
	if (next != (time_t)-1 && next <= t)
		abort();
	time_t prev = cron_prev_before(&c, tz, t);
	if (prev != (time_t)-1 && prev >= t)
		abort();
	if (next != (time_t)-1) {
		time_t back = cron_prev_before(&c, tz, next);
		if (back != (time_t)-1 && back > t && back < next)
			abort();	/* a fire time between t and "the first after t" */
	}
	return 0;
}
