/* test_cron.c: cron_parse (each field's errors, names, steps, presets, the
 * Vixie day OR rule) and cron_next_after / cron_prev_before in UTC and across
 * DST in America/New_York and Europe/Berlin, with exact UTC instants. Ends with
 * a small timing of next/prev calls (printed, never asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "scheduler/cron.h"
#include "scheduler/tz.h"
#include "lib/civil.h"

static const char *NY = "America/New_York";
static const char *BER = "Europe/Berlin";

static struct cron parse_ok(const char *expr)
{
	struct cron c;
	char err[256] = "";
	if (cron_parse(expr, &c, err, sizeof err) != 0)
		fail_msg("cron_parse(\"%s\") failed: %s", expr, err);
	return c;
}

static void expect_error(const char *expr, const char *msg)
{
	struct cron c;
	char err[256] = "";
	if (cron_parse(expr, &c, err, sizeof err) != -1)
		fail_msg("cron_parse(\"%s\") accepted", expr);
	assert_string_equal(err, msg);
}

static time_t utc(const char *s)
{
	time_t t;
	if (tz_parse_datetime("UTC", s, &t) != 0)
		fail_msg("bad UTC literal %s", s);
	return t;
}

/* Fire times as UTC strings, so a failure shows readable instants. */
static char *iso(time_t t, char *buf)
{
	if (t == (time_t)-1)
		strcpy(buf, "none");
	else
		tz_format("UTC", t, "%Y-%m-%dT%H:%M:%SZ", buf, 32);
	return buf;
}

/* Checks the next n fire times after from, and then the same walk backwards. */
static void expect_next(const char *expr, const char *tz, const char *from, const char *const *want)
{
	struct cron c = parse_ok(expr);
	time_t t = utc(from);
	char got[32];
	int n = 0;
	for (; want[n]; n++) {
		t = cron_next_after(&c, tz, t);
		if (strcmp(iso(t, got), want[n]) != 0)
			fail_msg("%s in %s: fire %d after %s: got %s, want %s", expr, tz, n + 1, from, got, want[n]);
	}
	/* Backwards from the last one gives the same list in reverse. */
	for (int i = n - 2; i >= 0; i--) {
		t = cron_prev_before(&c, tz, t);
		if (strcmp(iso(t, got), want[i]) != 0)
			fail_msg("%s in %s: prev before %s: got %s, want %s", expr, tz, want[i + 1], got, want[i]);
	}
}

static void expect_one(const char *expr, const char *tz, bool next, const char *from, const char *want)
{
	struct cron c = parse_ok(expr);
	time_t t = next ? cron_next_after(&c, tz, utc(from)) : cron_prev_before(&c, tz, utc(from));
	char got[32];
	if (strcmp(iso(t, got), want) != 0)
		fail_msg("%s in %s: %s %s: got %s, want %s", expr, tz, next ? "next after" : "prev before",
			 from, got, want);
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("60 * * * *", "field 1 (minute): 60 is out of range 0-59");
	expect_error("0 25 * * *", "field 2 (hour): 25 is out of range 0-23");
	expect_error("0 0 0 * *", "field 3 (day-of-month): 0 is out of range 1-31");
	expect_error("0 0 32 * *", "field 3 (day-of-month): 32 is out of range 1-31");
	expect_error("0 0 * 13 *", "field 4 (month): 13 is out of range 1-12");
	expect_error("0 0 * 0 *", "field 4 (month): 0 is out of range 1-12");
	expect_error("0 0 * * 8", "field 5 (day-of-week): 8 is out of range 0-7");
	expect_error("0 0 * * *,9", "field 5 (day-of-week): 9 is out of range 0-7");
	expect_error("0 0-24 * * *", "field 2 (hour): 24 is out of range 0-23");
	expect_error("0 0 * * * *", "expected 5 fields, got 6 (minute hour day-of-month month day-of-week, "
		     "or a preset such as @daily)");
	expect_error("0 0 * *", "expected 5 fields, got 4 (minute hour day-of-month month day-of-week, "
		     "or a preset such as @daily)");
	expect_error("", "expected 5 fields, got 0 (minute hour day-of-month month day-of-week, "
		     "or a preset such as @daily)");
	expect_error("0 0 * JNA *", "field 4 (month): unknown month name 'JNA' (use JAN-DEC)");
	expect_error("0 0 * * SUNDAY", "field 5 (day-of-week): unknown weekday name 'SUNDAY' (use SUN-SAT)");
	expect_error("0 0 * * XYZ", "field 5 (day-of-week): unknown weekday name 'XYZ' (use SUN-SAT)");
	expect_error("MON 0 * * *", "field 1 (minute): 'MON' is not a number");
	expect_error("0 JAN * * *", "field 2 (hour): 'JAN' is not a number");
	expect_error("0 0 1x * *", "field 3 (day-of-month): '1x' is not a number");
	expect_error("*/0 * * * *", "field 1 (minute): step must be at least 1");
	expect_error("*/ * * * *", "field 1 (minute): missing step after '/'");
	expect_error("*/a * * * *", "field 1 (minute): step 'a' is not a number");
	expect_error("0 5-1 * * *", "field 2 (hour): range 5-1 is backwards");
	expect_error("1,,2 * * * *", "field 1 (minute): empty list element");
	expect_error("1, * * * *", "field 1 (minute): empty list element");
	expect_error("-5 * * * *", "field 1 (minute): missing number");
	expect_error("0 0 * * FRI-MON", "field 5 (day-of-week): range FRI-MON is backwards");
	expect_error("@often", "unknown preset '@often' (use @hourly, @daily, @midnight, @weekly, "
		     "@monthly, @yearly, @annually)");
	expect_error("@reboot", "unknown preset '@reboot' (use @hourly, @daily, @midnight, @weekly, "
		     "@monthly, @yearly, @annually)");
	expect_error("@daily 5", "unexpected text after @daily: '5'");
	struct cron c;
	char err[64];
	assert_int_equal(cron_parse(NULL, &c, err, sizeof err), -1);
}

static void test_parse_fields(void **state)
{
	(void)state;
	struct cron c = parse_ok("1,5 * * * *");
	assert_true(c.minute == ((1ull << 1) | (1ull << 5)));
	assert_true(c.hour == 0xffffff);
	assert_true(c.dom == 0xfffffffe);
	assert_true(c.month == 0x1ffe);
	assert_true(c.dow == 0x7f);
	assert_true(c.dom_star && c.dow_star);

	c = parse_ok("*/15 1-5 * * *");
	assert_true(c.minute == ((1ull << 0) | (1ull << 15) | (1ull << 30) | (1ull << 45)));
	assert_true(c.hour == 0x3e);
	c = parse_ok("10-50/5 */6 1-31/10 * *");
	uint64_t m = 0;
	for (int i = 10; i <= 50; i += 5)
		m |= 1ull << i;
	assert_true(c.minute == m);
	assert_true(c.hour == ((1u << 0) | (1u << 6) | (1u << 12) | (1u << 18)));
	assert_true(c.dom == ((1u << 1) | (1u << 11) | (1u << 21) | (1u << 31)));
	c = parse_ok("30/10 0 * * *");		/* a/step: a to the end */
	assert_true(c.minute == ((1ull << 30) | (1ull << 40) | (1ull << 50)));
	c = parse_ok("0 0 * jan-Mar,DEC *");
	assert_true(c.month == ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 12)));
	c = parse_ok("0 0 * * mon-FRI");
	assert_true(c.dow == 0x3e);
	assert_false(c.dow_star);
	c = parse_ok("0 0 * * 7");		/* 7 is Sunday */
	assert_true(c.dow == 0x01);
	c = parse_ok("0 0 * * 5-7");
	assert_true(c.dow == ((1u << 5) | (1u << 6) | (1u << 0)));
	c = parse_ok("0 0 * * SUN,sat");
	assert_true(c.dow == ((1u << 0) | (1u << 6)));
	c = parse_ok("0 0 * * */2");
	assert_true(c.dow == ((1u << 0) | (1u << 2) | (1u << 4) | (1u << 6)));
	assert_true(c.dow_star);		/* Vixie: a field starting with '*' */
	c = parse_ok("0 0 * * 1/2");
	assert_true(c.dow == ((1u << 1) | (1u << 3) | (1u << 5)));
	c = parse_ok("  59\t23  31 12   6  ");
	assert_true(c.minute == 1ull << 59 && c.hour == 1u << 23 && c.dom == 1u << 31 && c.month == 1u << 12 &&
		    c.dow == 1u << 6);
	assert_false(c.dom_star || c.dow_star);
}

static void test_presets(void **state)
{
	(void)state;
	const char *pairs[][2] = {
		{ "@hourly", "0 * * * *" }, { "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
		{ "@weekly", "0 0 * * 0" }, { "@monthly", "0 0 1 * *" }, { "@yearly", "0 0 1 1 *" },
		{ "@annually", "0 0 1 1 *" }, { "@DAILY", "0 0 * * *" }, { "  @hourly ", "0 * * * *" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		struct cron a = parse_ok(pairs[i][0]), b = parse_ok(pairs[i][1]);
		if (memcmp(&a, &b, sizeof a) != 0)
			fail_msg("%s differs from %s", pairs[i][0], pairs[i][1]);
	}
	/* 2026-03-04 is a Wednesday. */
	expect_next("@weekly", NULL, "2026-03-04T10:00", LIST("2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"));
	expect_next("@monthly", NULL, "2026-03-04T10:00", LIST("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"));
	expect_next("@yearly", NULL, "2026-03-04T10:00", LIST("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
	expect_next("@hourly", NULL, "2026-03-04T10:00", LIST("2026-03-04T11:00:00Z", "2026-03-04T12:00:00Z"));
	expect_next("@daily", BER, "2026-03-04T10:00", LIST("2026-03-04T23:00:00Z", "2026-03-05T23:00:00Z"));
}

static void test_next_utc(void **state)
{
	(void)state;
	expect_next("*/15 * * * *", "UTC", "2026-03-04T10:07:30",
		    LIST("2026-03-04T10:15:00Z", "2026-03-04T10:30:00Z", "2026-03-04T10:45:00Z",
			 "2026-03-04T11:00:00Z"));
	/* Strictly after: a fire time itself is not returned again. */
	expect_one("*/15 * * * *", "UTC", true, "2026-03-04T10:15", "2026-03-04T10:30:00Z");
	expect_one("*/15 * * * *", "UTC", false, "2026-03-04T10:15", "2026-03-04T10:00:00Z");
	expect_one("*/15 * * * *", "UTC", false, "2026-03-04T10:15:01", "2026-03-04T10:15:00Z");
	expect_next("30 2 * * 1-5", NULL, "2026-03-05T12:00",	/* Thursday */
		    LIST("2026-03-06T02:30:00Z", "2026-03-09T02:30:00Z", "2026-03-10T02:30:00Z"));
	expect_next("0 9-17/4 * * *", "", "2026-03-04T09:00",
		    LIST("2026-03-04T13:00:00Z", "2026-03-04T17:00:00Z", "2026-03-05T09:00:00Z"));
	expect_next("59 23 31 * *", "UTC", "2026-01-31T23:59",	/* months with a 31st only */
		    LIST("2026-03-31T23:59:00Z", "2026-05-31T23:59:00Z", "2026-07-31T23:59:00Z",
			 "2026-08-31T23:59:00Z"));
	expect_next("0 12 * FEB,nov *", "UTC", "2026-02-27T13:00",
		    LIST("2026-02-28T12:00:00Z", "2026-11-01T12:00:00Z"));
	/* Across the year end. */
	expect_next("0 0 1 1 *", "UTC", "2026-12-31T23:59:59", LIST("2027-01-01T00:00:00Z"));
	expect_one("0 0 1 1 *", "UTC", false, "2027-01-01T00:00", "2026-01-01T00:00:00Z");
	expect_next("45 23 * * *", "UTC", "2026-12-31T23:44",
		    LIST("2026-12-31T23:45:00Z", "2027-01-01T23:45:00Z"));
	expect_one("* * * * *", "UTC", true, "2026-12-31T23:59:59", "2027-01-01T00:00:00Z");
	expect_one("* * * * *", "UTC", false, "2027-01-01T00:00:00", "2026-12-31T23:59:00Z");
	expect_one("0 0 * * SUN", "UTC", false, "2027-01-01T00:00", "2026-12-27T00:00:00Z");
}

static void test_leap_and_impossible(void **state)
{
	(void)state;
	expect_next("0 0 29 2 *", "UTC", "2026-03-01T00:00",
		    LIST("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"));
	expect_one("0 0 29 2 *", "UTC", false, "2026-03-01T00:00", "2024-02-29T00:00:00Z");
	expect_one("0 0 29 2 *", NY, true, "2026-03-01T00:00", "2028-02-29T05:00:00Z");
	expect_one("0 0 30 2 *", "UTC", true, "2026-03-01T00:00", "none");
	expect_one("0 0 30 2 *", "UTC", false, "2026-03-01T00:00", "none");
	expect_one("0 0 31 4,6,9,11 *", BER, true, "2026-03-01T00:00", "none");
	/* 2100 is not a leap year: the next 29 February after 2096 is 2104, past 5 years. */
	expect_one("0 0 29 2 *", "UTC", true, "2097-01-01T00:00", "none");
}

static void test_vixie_or(void **state)
{
	(void)state;
	/* Both restricted: the 15th OR any Monday. 2026-02-15 is a Sunday. */
	expect_next("0 0 15 * 1", "UTC", "2026-02-01T00:00",
		    LIST("2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-15T00:00:00Z",
			 "2026-02-16T00:00:00Z", "2026-02-23T00:00:00Z", "2026-03-02T00:00:00Z"));
	/* Only one restricted: plain AND (the other field is '*'). */
	expect_next("0 0 15 * *", "UTC", "2026-02-01T00:00", LIST("2026-02-15T00:00:00Z", "2026-03-15T00:00:00Z"));
	expect_next("0 0 * * 1", "UTC", "2026-02-01T00:00", LIST("2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z"));
	/* "*" + "/2" counts as '*' (Vixie): odd days that are Mondays. */
	expect_next("0 0 */2 * 1", "UTC", "2026-02-01T00:00",
		    LIST("2026-02-09T00:00:00Z", "2026-02-23T00:00:00Z", "2026-03-09T00:00:00Z"));
	/* Friday the 13th is not what "0 0 13 * 5" means: it is the 13th or any Friday. */
	expect_next("0 0 13 * 5", "UTC", "2026-03-01T00:00",
		    LIST("2026-03-06T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00Z",
			 "2026-03-27T00:00:00Z", "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z",
			 "2026-04-13T00:00:00Z"));
}

/* New York 2026: 02:00 EST -> 03:00 EDT on 03-08 at 07:00Z; 02:00 EDT -> 01:00 EST on 11-01 at 06:00Z. */
static void test_dst_new_york(void **state)
{
	(void)state;
	/* Spring gap: 02:30 does not exist on 03-08, fires once at 03:00 EDT. */
	expect_next("30 2 * * *", NY, "2026-03-06T12:00",
		    LIST("2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"));
	expect_one("30 2 * * *", NY, false, "2026-03-08T12:00", "2026-03-08T07:00:00Z");
	expect_next("0 2 * * *", NY, "2026-03-07T12:00", LIST("2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"));
	/* Several gap times collapse into one firing. */
	expect_next("*/20 * * * *", NY, "2026-03-08T06:30",
		    LIST("2026-03-08T06:40:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:20:00Z"));
	expect_next("* * * * *", NY, "2026-03-08T06:58",
		    LIST("2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:01:00Z"));
	expect_next("0 * * * *", NY, "2026-03-08T05:30",
		    LIST("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"));
	/* Fall overlap: 01:30 happens twice on 11-01, fires only at 01:30 EDT. */
	expect_next("30 1 * * *", NY, "2026-10-30T12:00",
		    LIST("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"));
	expect_one("30 1 * * *", NY, true, "2026-11-01T06:15", "2026-11-02T06:30:00Z");	/* 01:15 EST */
	expect_one("30 1 * * *", NY, true, "2026-11-01T06:30", "2026-11-02T06:30:00Z");	/* 01:30 EST */
	/* From inside the repeated hour, the first 01:30 is already behind. */
	expect_one("30 1 * * *", NY, false, "2026-11-01T06:00", "2026-11-01T05:30:00Z");
	expect_one("30 1 * * *", NY, false, "2026-11-01T06:45", "2026-11-01T05:30:00Z");
	expect_one("30 1 * * *", NY, false, "2026-11-01T06:15", "2026-11-01T05:30:00Z");	/* 01:15 EST */
	expect_one("45 1 * * *", NY, false, "2026-11-01T06:01", "2026-11-01T05:45:00Z");	/* 01:01 EST */
	expect_one("30 1 * * *", NY, false, "2026-11-01T05:30", "2026-10-31T05:30:00Z");
	/* Hourly: 01:00 EDT, then 02:00 EST; the second 01:00 is not repeated. */
	expect_next("0 * * * *", NY, "2026-11-01T03:30",
		    LIST("2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z",
			 "2026-11-01T08:00:00Z"));
	expect_one("0 * * * *", NY, true, "2026-11-01T06:00", "2026-11-01T07:00:00Z");
	expect_one("0 * * * *", NY, false, "2026-11-01T06:30", "2026-11-01T05:00:00Z");
	expect_one("0 * * * *", NY, false, "2026-11-01T07:00", "2026-11-01T05:00:00Z");
	expect_next("*/30 * * * *", NY, "2026-11-01T04:50",
		    LIST("2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z",
			 "2026-11-01T07:30:00Z"));
	expect_one("59 1 * * *", NY, false, "2026-11-01T06:59:30", "2026-11-01T05:59:00Z");
	/* Every minute, asked from inside the repeated hour: next is 02:00 EST. */
	expect_one("* * * * *", NY, true, "2026-11-01T06:00", "2026-11-01T07:00:00Z");
	expect_one("* * * * *", NY, true, "2026-11-01T06:59:30", "2026-11-01T07:00:00Z");
	expect_one("* * * * *", NY, false, "2026-11-01T06:30", "2026-11-01T05:59:00Z");
	expect_one("5 2 * * *", NY, true, "2026-11-01T06:10", "2026-11-01T07:05:00Z");
}

/* Berlin 2026: 02:00 CET -> 03:00 CEST on 03-29 at 01:00Z; 03:00 CEST -> 02:00 CET on 10-25 at 01:00Z. */
static void test_dst_berlin(void **state)
{
	(void)state;
	expect_next("30 2 * * *", BER, "2026-03-27T12:00",
		    LIST("2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"));
	expect_next("0 * * * *", BER, "2026-03-28T23:30",
		    LIST("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"));
	expect_next("30 2 * * *", BER, "2026-10-23T12:00",
		    LIST("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"));
	expect_next("30 1 * * *", BER, "2026-10-23T12:00",	/* not ambiguous in Berlin */
		    LIST("2026-10-23T23:30:00Z", "2026-10-24T23:30:00Z", "2026-10-26T00:30:00Z"));
	expect_one("30 2 * * *", BER, false, "2026-10-25T01:45", "2026-10-25T00:30:00Z");
	expect_one("30 2 * * *", BER, false, "2026-10-25T01:15", "2026-10-25T00:30:00Z");	/* 02:15 CET */
	/* Hourly: 02:00 CEST, then 03:00 CET; the second 02:00 is not repeated. */
	expect_next("0 * * * *", BER, "2026-10-24T22:30",
		    LIST("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z",
			 "2026-10-25T03:00:00Z"));
	expect_one("*/15 * * * *", BER, true, "2026-10-25T01:20", "2026-10-25T02:00:00Z");	/* 02:20 CET */
	/* Across the year end in the zone, not in UTC. */
	expect_next("0 0 1 1 *", BER, "2026-12-31T12:00", LIST("2026-12-31T23:00:00Z", "2027-12-31T23:00:00Z"));
	expect_next("30 23 31 12 *", NY, "2026-12-31T12:00", LIST("2027-01-01T04:30:00Z", "2028-01-01T04:30:00Z"));
}

/* A slow, independent reference in UTC: walks day by day and minute by minute,
 * matching each field against the parsed bits with the Vixie rule written
 * out again here. */
static bool ref_day(const struct cron *c, int64_t days)
{
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	int dow = (int)((days % 7 + 7 + 4) % 7);
	if (!(c->month & (1u << m)))
		return false;
	bool dom = c->dom & (1u << d), dw = c->dow & (1u << dow);
	return (c->dom_star || c->dow_star) ? (dom && dw) : (dom || dw);
}

static time_t ref_next(const struct cron *c, time_t t, int max_days)
{
	int64_t m = t / 60 + 1;	/* t >= 0 here */
	for (int64_t day = m / 1440; day < t / 86400 + max_days; day++, m = day * 1440) {
		if (!ref_day(c, day))
			continue;
		for (; m < (day + 1) * 1440; m++) {
			int h = (int)(m % 1440 / 60), mi = (int)(m % 60);
			if ((c->hour & (1u << h)) && (c->minute & (1ull << mi)))
				return (time_t)(m * 60);
		}
	}
	return (time_t)-1;
}

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* A random field: '*', a step, a range or a short list. */
static void rnd_field(char *buf, size_t len, int lo, int hi)
{
	switch (rnd(4)) {
	case 0:
		snprintf(buf, len, "*");
		break;
	case 1:
		snprintf(buf, len, "*/%u", 1 + rnd((unsigned)(hi - lo) + 1));
		break;
	case 2: {
		int a = lo + (int)rnd((unsigned)(hi - lo + 1)), b = a + (int)rnd((unsigned)(hi - a + 1));
		snprintf(buf, len, "%d-%d", a, b);
		break;
	}
	default: {
		int n = 1 + (int)rnd(3);
		size_t off = 0;
		for (int i = 0; i < n; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%d", i ? "," : "",
						lo + (int)rnd((unsigned)(hi - lo + 1)));
	}
	}
}

static void test_random_vs_reference(void **state)
{
	(void)state;
	for (int i = 0; i < 300; i++) {
		char f[5][64], expr[400];
		rnd_field(f[0], sizeof f[0], 0, 59);
		rnd_field(f[1], sizeof f[1], 0, 23);
		rnd_field(f[2], sizeof f[2], 1, 31);
		rnd_field(f[3], sizeof f[3], 1, 12);
		rnd_field(f[4], sizeof f[4], 0, 7);
		snprintf(expr, sizeof expr, "%s %s %s %s %s", f[0], f[1], f[2], f[3], f[4]);
		struct cron c = parse_ok(expr);
		time_t t = utc("2026-01-01T00:00") + (time_t)rnd(3 * 365) * 86400 + (time_t)rnd(86400);
		for (int k = 0; k < 5; k++) {
			time_t want = ref_next(&c, t, 5 * 366);
			time_t got = cron_next_after(&c, "UTC", t);
			char a[32], b[32], from[32];
			if (want != (time_t)-1 && got != want)
				fail_msg("%s: next after %s: got %s, want %s", expr, iso(t, from), iso(got, a), iso(want, b));
			if (want == (time_t)-1)
				break;
			time_t back = cron_prev_before(&c, "UTC", want);
			if (back != (time_t)-1 && ref_next(&c, back, 7 * 366) != want)
				fail_msg("%s: prev before %s gave %s, whose next is not it", expr, iso(want, a), iso(back, b));
			t = want;
		}
	}
}

/* The DST rules restated over instants: walk minute by minute; a minute whose
 * wall time was already shown (the repeated hour) never fires; after a jump
 * forward, fire if any skipped wall minute, or the new one, matches. */
static bool ref_wall_matches(const struct cron *c, int64_t wall)
{
	int64_t m = wall / 60;
	return (c->hour & (1u << (m % 1440 / 60))) && (c->minute & (1ull << (m % 60)));
}

static time_t ref_next_dst(const struct cron *c, const char *tz, time_t t, int max_minutes)
{
	time_t x = t - t % 60;
	int64_t seen = INT64_MIN;	/* highest wall minute shown so far (overlaps here are 1 h) */
	for (time_t y = x - 4 * 3600; y <= x; y += 60)
		if ((int64_t)y + tz_offset(tz, y) > seen)
			seen = (int64_t)y + tz_offset(tz, y);
	for (int i = 0; i < max_minutes; i++) {
		x += 60;
		int64_t w = (int64_t)x + tz_offset(tz, x);
		if (w <= seen)
			continue;
		for (int64_t v = seen + 60; v <= w; v += 60)
			if (ref_wall_matches(c, v))
				return x;
		seen = w;
	}
	return (time_t)-1;
}

static void test_random_dst_vs_reference(void **state)
{
	(void)state;
	const char *zones[] = { NY, BER };
	const char *transitions[] = { "2026-03-08T07:00", "2026-11-01T06:00", "2026-03-29T01:00",
				      "2026-10-25T01:00" };
	for (int i = 0; i < 120; i++) {
		char f[2][64], expr[200];
		rnd_field(f[0], sizeof f[0], 0, 59);
		rnd_field(f[1], sizeof f[1], 0, 23);
		snprintf(expr, sizeof expr, "%s %s * * *", f[0], f[1]);
		struct cron c = parse_ok(expr);
		int z = (int)rnd(2);
		const char *tz = zones[z];
		time_t t = utc(transitions[2 * z + (int)rnd(2)]) - 6 * 3600 + (time_t)rnd(8 * 3600);
		for (int k = 0; k < 4; k++) {
			time_t want = ref_next_dst(&c, tz, t, 2 * 1440);
			time_t got = cron_next_after(&c, tz, t);
			char a[32], b[32], from[32];
			if (got != want)
				fail_msg("%s in %s: next after %s: got %s, want %s", expr, tz, iso(t, from), iso(got, a),
					 iso(want, b));
			time_t back = cron_prev_before(&c, tz, want);
			if (ref_next_dst(&c, tz, back, 2 * 1440) != want)
				fail_msg("%s in %s: prev before %s gave %s, whose next is not it", expr, tz, iso(want, a),
					 iso(back, b));
			t = want;
		}
	}
}

static double bench_ns(const struct cron *c, const char *tz, bool next)
{
	struct timespec a, b;
	const time_t start = utc("2026-01-01T00:00");
	time_t t = start;
	const int n = 3000;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++) {
		if (i % 500 == 0)
			t = start;	/* stay in this century's years, as the planner does */
		time_t r = next ? cron_next_after(c, tz, t) : cron_prev_before(c, tz, t);
		t = r == (time_t)-1 ? t + 3600 : r;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

/* Timing only: prints ns per call; the assertions are elsewhere. */
static void test_speed(void **state)
{
	(void)state;
	const char *exprs[] = { "*/15 * * * *", "30 2 * * 1-5", "0 0 29 2 *" };
	const char *zones[] = { "UTC", NY };
	for (size_t z = 0; z < 2; z++) {
		for (size_t e = 0; e < 3; e++) {
			struct cron c = parse_ok(exprs[e]);
			printf("cron speed: %-16s %-13s next %5.0f ns/call  prev %5.0f ns/call\n", zones[z],
			       exprs[e], bench_ns(&c, zones[z], true), bench_ns(&c, zones[z], false));
		}
	}
}

/* A cron that matches no date at all; next_after agrees (-1). */
static void test_can_fire(void **state)
{
	(void)state;
	const char *never[] = { "0 0 30 2 *", "0 0 31 2,4,6,9,11 *", "0 0 30-31 2 *" };
	const char *ever[] = { "0 0 29 2 *", "0 0 30 2 1", "0 0 31 * *", "* * * * *", "@yearly", "0 0 * 2 SUN" };
	struct cron c;
	char err[200];
	for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
		assert_int_equal(cron_parse(never[i], &c, err, sizeof err), 0);
		assert_false(cron_can_fire(&c));
		assert_int_equal(cron_next_after(&c, "UTC", 1700000000), (time_t)-1);
	}
	for (size_t i = 0; i < sizeof ever / sizeof *ever; i++) {
		assert_int_equal(cron_parse(ever[i], &c, err, sizeof err), 0);
		assert_true(cron_can_fire(&c));
		assert_true(cron_next_after(&c, "UTC", 1700000000) > 1700000000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_can_fire),
		cmocka_unit_test(test_parse_fields),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_next_utc),
		cmocka_unit_test(test_leap_and_impossible),
		cmocka_unit_test(test_vixie_or),
		cmocka_unit_test(test_dst_new_york),
		cmocka_unit_test(test_dst_berlin),
		cmocka_unit_test(test_random_vs_reference),
		cmocka_unit_test(test_random_dst_vs_reference),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
