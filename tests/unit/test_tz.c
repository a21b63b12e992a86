/* test_tz.c: zone names, wall time <-> instant across DST gaps and overlaps
 * (New York, Berlin, a half-hour zone), datetime parsing and formatting, and
 * switching between zones in any order. Expected instants are written in UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scheduler/tz.h"

/* An instant written in UTC, "YYYY-MM-DDTHH:MM[:SS]". */
static time_t utc(const char *s)
{
	time_t t;
	if (tz_parse_datetime("UTC", s, &t) != 0)
		fail_msg("bad UTC literal %s", s);
	return t;
}

static struct tm wall(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	return tm;
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(tz_valid("UTC"));
	assert_true(tz_valid("Europe/Berlin"));
	assert_true(tz_valid("America/New_York"));
	assert_true(tz_valid("Asia/Kolkata"));
	assert_true(tz_valid("Etc/GMT+5"));
	assert_false(tz_valid(NULL));
	assert_false(tz_valid(""));
	assert_false(tz_valid("../../etc/passwd"));
	assert_false(tz_valid("Europe/../Europe/Berlin"));
	assert_false(tz_valid("/usr/share/zoneinfo/Europe/Berlin"));
	assert_false(tz_valid("America"));		/* a directory */
	assert_false(tz_valid("zone.tab"));		/* a file, not a zone */
	assert_false(tz_valid("Nowhere/Land"));
	assert_false(tz_valid("Europe/Berlin "));
	assert_false(tz_valid("Europe/Berlin\n"));
}

static void test_valid_tzdir(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_tz_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/Fake", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("TZif2 pretend", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/NotTz", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("hello", f);
	fclose(f);

	setenv("TZDIR", dir, 1);
	assert_true(tz_valid("Fake"));
	assert_false(tz_valid("NotTz"));
	assert_false(tz_valid("Europe/Berlin"));	/* not in this TZDIR */
	assert_true(tz_valid("UTC"));			/* always */
	unsetenv("TZDIR");
	assert_false(tz_valid("Fake"));
	assert_true(tz_valid("Europe/Berlin"));

	snprintf(path, sizeof path, "%s/Fake", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/NotTz", dir);
	unlink(path);
	rmdir(dir);
}

static void test_localtime(void **state)
{
	(void)state;
	struct tm tm;
	tz_localtime("America/New_York", utc("2026-03-08T06:59:59"), &tm);
	assert_int_equal(tm.tm_hour, 1);
	assert_int_equal(tm.tm_min, 59);
	assert_int_equal(tm.tm_gmtoff, -5 * 3600);
	tz_localtime("America/New_York", utc("2026-03-08T07:00:00"), &tm);
	assert_int_equal(tm.tm_hour, 3);
	assert_int_equal(tm.tm_gmtoff, -4 * 3600);
	tz_localtime("Europe/Berlin", utc("2026-12-31T23:30"), &tm);
	assert_int_equal(tm.tm_year, 2027 - 1900);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 0);
	tz_localtime(NULL, utc("2026-12-31T23:30"), &tm);
	assert_int_equal(tm.tm_year, 2026 - 1900);
	assert_int_equal(tm.tm_hour, 23);
	assert_int_equal(tm.tm_gmtoff, 0);
	tz_localtime("", utc("2024-02-29T12:00"), &tm);
	assert_int_equal(tm.tm_mday, 29);
	assert_int_equal(tm.tm_wday, 4);
}

static void test_mktime_plain(void **state)
{
	(void)state;
	bool gap = true;
	struct tm tm = wall(2026, 7, 1, 12, 0, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-07-01T16:00"));
	assert_false(gap);
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-07-01T10:00"));
	assert_true(tz_mktime("Europe/Berlin", &tm, NULL) == utc("2026-07-01T10:00"));
	assert_true(tz_mktime("UTC", &tm, &gap) == utc("2026-07-01T12:00"));
	assert_true(tz_mktime(NULL, &tm, &gap) == utc("2026-07-01T12:00"));
	assert_true(tz_mktime("Asia/Kolkata", &tm, &gap) == utc("2026-07-01T06:30"));
	tm = wall(2026, 1, 15, 8, 0, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-01-15T13:00"));
	assert_true(tz_mktime(NULL, NULL, &gap) == (time_t)-1);
}

static void test_mktime_normalises(void **state)
{
	(void)state;
	struct tm tm = wall(2026, 1, 32, 0, 0, 0);	/* Jan 32 = Feb 1 */
	assert_true(tz_mktime("UTC", &tm, NULL) == utc("2026-02-01T00:00"));
	tm = wall(2026, 13, 1, 0, 0, 0);		/* month 13 = next January */
	assert_true(tz_mktime("UTC", &tm, NULL) == utc("2027-01-01T00:00"));
	tm = wall(2026, 1, 1, 0, 0, 0);
	tm.tm_mon = -1;					/* December of the year before */
	assert_true(tz_mktime("UTC", &tm, NULL) == utc("2025-12-01T00:00"));
	tm = wall(2026, 3, 1, -1, 0, 0);
	assert_true(tz_mktime("Europe/Berlin", &tm, NULL) == utc("2026-02-28T22:00"));
	tm = wall(2026, 1, 1, 0, 0, 90);
	assert_true(tz_mktime("UTC", &tm, NULL) == utc("2026-01-01T00:01:30"));
}

static void test_mktime_gap(void **state)
{
	(void)state;
	bool gap = false;
	/* New York 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z. */
	struct tm tm = wall(2026, 3, 8, 2, 30, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-03-08T07:00"));
	assert_true(gap);
	tm = wall(2026, 3, 8, 2, 0, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-03-08T07:00"));
	assert_true(gap);
	tm = wall(2026, 3, 8, 2, 59, 59);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-03-08T07:00"));
	assert_true(gap);
	tm = wall(2026, 3, 8, 3, 0, 0);			/* first real time after the gap */
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-03-08T07:00"));
	assert_false(gap);
	tm = wall(2026, 3, 8, 1, 59, 59);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-03-08T06:59:59"));
	assert_false(gap);
	/* Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z. */
	tm = wall(2026, 3, 29, 2, 30, 0);
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-03-29T01:00"));
	assert_true(gap);
	/* is_dst is ignored. */
	tm.tm_isdst = 1;
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-03-29T01:00"));
	tm.tm_isdst = 0;
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-03-29T01:00"));
}

static void test_mktime_overlap(void **state)
{
	(void)state;
	bool gap = true;
	/* New York 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:xx twice. */
	struct tm tm = wall(2026, 11, 1, 1, 30, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-11-01T05:30"));
	assert_false(gap);
	tm.tm_isdst = 0;	/* asking for "standard time" changes nothing */
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-11-01T05:30"));
	tm = wall(2026, 11, 1, 1, 0, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-11-01T05:00"));
	tm = wall(2026, 11, 1, 2, 0, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-11-01T07:00"));
	tm = wall(2026, 11, 1, 0, 59, 0);
	assert_true(tz_mktime("America/New_York", &tm, &gap) == utc("2026-11-01T04:59"));
	/* Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z. */
	tm = wall(2026, 10, 25, 2, 30, 0);
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-10-25T00:30"));
	assert_false(gap);
	tm = wall(2026, 10, 25, 3, 0, 0);
	assert_true(tz_mktime("Europe/Berlin", &tm, &gap) == utc("2026-10-25T02:00"));
}

static void test_parse_datetime(void **state)
{
	(void)state;
	time_t t;
	assert_int_equal(tz_parse_datetime("UTC", "2026-03-04", &t), 0);
	assert_true(t == 1772582400);
	assert_int_equal(tz_parse_datetime(NULL, "20260304", &t), 0);
	assert_true(t == 1772582400);
	assert_int_equal(tz_parse_datetime("Europe/Berlin", "2026-03-04", &t), 0);
	assert_true(t == utc("2026-03-03T23:00"));
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-03-04T10:15", &t), 0);
	assert_true(t == utc("2026-03-04T15:15"));
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-03-04 10:15:30", &t), 0);
	assert_true(t == utc("2026-03-04T15:15:30"));
	/* An explicit offset wins over the zone. */
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-03-04T10:15Z", &t), 0);
	assert_true(t == utc("2026-03-04T10:15"));
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-03-04T10:15:00+05:30", &t), 0);
	assert_true(t == utc("2026-03-04T04:45"));
	assert_int_equal(tz_parse_datetime("UTC", "2026-03-04T10:15-0400", &t), 0);
	assert_true(t == utc("2026-03-04T14:15"));
	/* Wall times in a gap / overlap follow tz_mktime. */
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-03-08 02:30", &t), 0);
	assert_true(t == utc("2026-03-08T07:00"));
	assert_int_equal(tz_parse_datetime("America/New_York", "2026-11-01 01:30", &t), 0);
	assert_true(t == utc("2026-11-01T05:30"));
	assert_int_equal(tz_parse_datetime("UTC", "2024-02-29", &t), 0);

	const char *bad[] = {
		"", "2026", "2026-03", "2026-3-4", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
		"2026-04-31", "2026-03-04T24:00", "2026-03-04T10:60", "2026-03-04T10:15:60",
		"2026-03-04T10", "2026-03-04x", "2026-03-04T10:15 ", "20260304T10:15", "2026030",
		"2026-03-04T10:15+5", "2026-03-04T10:15+24:00", "abcd-03-04", " 2026-03-04",
		"2026-03-04T10:15:00.5", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		t = 42;
		if (tz_parse_datetime("UTC", bad[i], &t) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(t == 42);
	}
	assert_int_equal(tz_parse_datetime("UTC", NULL, &t), -1);
}

static void test_format(void **state)
{
	(void)state;
	char buf[64];
	time_t t = utc("2026-03-03T23:00");
	tz_format_iso("Europe/Berlin", t, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-04T00:00:00+01:00");
	tz_format("Europe/Berlin", t, "%Y-%m-%d", buf, sizeof buf);
	assert_string_equal(buf, "2026-03-04");
	tz_format("Europe/Berlin", t, "%Y%m%d", buf, sizeof buf);
	assert_string_equal(buf, "20260304");
	tz_format("UTC", t, "%Y-%m-%d", buf, sizeof buf);
	assert_string_equal(buf, "2026-03-03");
	tz_format_iso("UTC", t, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-03T23:00:00+00:00");
	tz_format_iso(NULL, t, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-03T23:00:00+00:00");
	tz_format_iso("America/New_York", utc("2026-11-01T05:30"), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-01T01:30:00-04:00");
	tz_format_iso("America/New_York", utc("2026-11-01T06:30"), buf, sizeof buf);
	assert_string_equal(buf, "2026-11-01T01:30:00-05:00");
	tz_format_iso("Asia/Kolkata", utc("2026-03-03T23:00"), buf, sizeof buf);
	assert_string_equal(buf, "2026-03-04T04:30:00+05:30");
	tz_format_iso("America/St_Johns", utc("2026-01-10T12:00"), buf, sizeof buf);
	assert_string_equal(buf, "2026-01-10T08:30:00-03:30");
	tz_format("Europe/Berlin", t, "%Y-%m-%d", buf, 5);	/* too small: empty, not garbage */
	assert_string_equal(buf, "");
}

static void test_zone_switching(void **state)
{
	(void)state;
	/* Alternate zones (and UTC, which never touches TZ): each answer must
	 * depend only on the zone asked for, never on the previous call. */
	time_t t = utc("2026-06-15T12:00");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tz_offset("Europe/Berlin", t), 7200);
		assert_int_equal(tz_offset("America/New_York", t), -4 * 3600);
		assert_int_equal(tz_offset(NULL, t), 0);
		assert_int_equal(tz_offset("America/New_York", t), -4 * 3600);
		assert_int_equal(tz_offset("Asia/Kolkata", t), 19800);
		assert_int_equal(tz_offset("UTC", t), 0);
	}
	assert_string_equal(getenv("TZ"), "Asia/Kolkata");	/* the last real zone stays loaded */
	assert_int_equal(tz_offset("Europe/Berlin", utc("2026-01-15T12:00")), 3600);
	assert_string_equal(getenv("TZ"), "Europe/Berlin");
	/* Someone else changing TZ behind our back does not confuse us. */
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	assert_int_equal(tz_offset("Europe/Berlin", utc("2026-01-15T12:00")), 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_valid_tzdir),
		cmocka_unit_test(test_localtime),
		cmocka_unit_test(test_mktime_plain),
		cmocka_unit_test(test_mktime_normalises),
		cmocka_unit_test(test_mktime_gap),
		cmocka_unit_test(test_mktime_overlap),
		cmocka_unit_test(test_parse_datetime),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_zone_switching),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
