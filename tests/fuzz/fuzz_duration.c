/* fuzz_duration.c: durations and dates, the small parsers of DAG files,
 * schedctl flags and the jobs' records: duration_parse (scheduler/duration.c)
 * with the round trip parse(format(ms)) == ms; tz_parse_datetime
 * (scheduler/tz.c, start_date/end_date) with its format in the same zone
 * parsed back; schedctl's date_parse_ymd and date_parse_in_zone
 * (ui-cli/dates.c); evtime_parse14/parse8 (jobs/common/evtime.c: fields of a
 * record, read from a pointer into the line, so only the first 14 or 8 bytes
 * count) with their formats back. The first byte picks the zone. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/evtime.h"
#include "lib/civil.h"
#include "scheduler/duration.h"
#include "scheduler/tz.h"
#include "ui-cli/schedctl.h"

static const char *const zones[] = { "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
				     "Asia/Kolkata" };

static void fuzz_duration(const char *s)
{
	int64_t ms = -1, back = -1;
	char err[256] = "", buf[64];
	if (duration_parse(s, &ms, err, sizeof err) != 0) {
		if (err[0] == '\0')
			abort();
		return;
	}
	if (ms < 0)
		abort();
	duration_format(ms, buf, sizeof buf);
	if (duration_parse(buf, &back, err, sizeof err) != 0 || back != ms)
		abort();	/* format gave something parse reads differently */
}

static void fuzz_datetime(const char *tz, const char *s)
{
	time_t t;
	/* Round trip only from 1970: before, zones ran on local mean time with
	 * offsets in seconds (New York -4:56:02), which +HH:MM cannot write. */
	if (tz_parse_datetime(tz, s, &t) == 0 && t >= 0) {
		char iso[64];
		time_t back;
		tz_format_iso(tz, t, iso, sizeof iso);
		if (tz_parse_datetime(tz, iso, &back) != 0 || back != t)
			abort();	/* our own ISO output does not read back */
	}
	int y, m, d;
	if (date_parse_ymd(s, &y, &m, &d) == 0 && (m < 1 || m > 12 || d < 1 || d > civil_days_in_month(y, m)))
		abort();
	char err[256];
	date_parse_in_zone("--from", s, tz, &t, err, sizeof err);
}

static void fuzz_evtime(const char *s)
{
	int64_t secs, days;
	char buf[16];
	if (evtime_parse14(s, &secs) == 0) {
		evtime_format14(secs, buf);
		if (memcmp(buf, s, 14) != 0)
			abort();
	}
	if (evtime_parse8(s, &days) == 0) {
		evtime_format8(days * 86400, buf);
		if (memcmp(buf, s, 8) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 128)
		return 0;
	const char *tz = zones[data[0] % (sizeof zones / sizeof zones[0])];
	char s[129];
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	fuzz_duration(s);
	fuzz_datetime(tz, s);
	fuzz_evtime(s);
	return 0;
}
