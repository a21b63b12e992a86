/* test_window.c: the overspeed window engine: window boundaries, the
 * watermark and lateness, out-of-order input, midnight, multi-partition
 * watermarks, the offset ledger, replay floors and rule switches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "jobs/common/evtime.h"
#include "jobs/overspeed/window.h"

static int64_t T(const char *s14)
{
	int64_t t;
	assert_int_equal(evtime_parse14(s14, &t), 0);
	return t;
}

/* adds "ts,car,...,speed,area" */
static enum win_add_result add(struct win_engine *e, const char *ts, const char *car, int speed, const char *area,
			       int part, int64_t off)
{
	char line[128];
	struct win_record r;
	job_err why;
	snprintf(line, sizeof line, "%s,%s,1,0,F,N,%d,%s", ts, car, speed, area);
	if (win_parse_driver(line, strlen(line), &r, NULL, &why) != 0)
		fail_msg("'%s': %s", line, why.msg);
	return win_add(e, &r, part, off);
}

static struct win_engine *engine(double threshold, int64_t lateness)
{
	struct ovs_rule *r = rule_default();
	r->threshold = threshold;
	r->lateness_s = lateness;
	struct win_engine *e = win_new(r);
	rule_unref(r);
	return e;
}

/* overspeed reads records by the shared driver parser (records.h); its own
 * rules (any car of 1-15 bytes, speeds to 9999, any area) are gone. */
static void test_parse(void **state)
{
	(void)state;
	struct win_record r;
	job_err why;
	const char *ok = "20160101000140,E0001,5,0,L2,N,110,B09\r";
	assert_int_equal(win_parse_driver(ok, strlen(ok), &r, NULL, &why), 0);
	assert_int_equal(r.ts, T("20160101000140"));
	assert_int_equal(r.speed, 110);
	assert_int_equal(r.car_len, 5);
	assert_memory_equal(r.car, "E0001", 5);
	assert_int_equal(r.area_len, 3);
	assert_memory_equal(r.area, "B09", 3);
	static const char *bad[][2] = {
		{ "20160101000140,E0001,5,0,L2,N,110", "got 7" },
		{ "20160101000140,E0001,5,0,L2,N,110,B09,x", "got 9" },
		{ "2016010100014,E0001,5,0,L2,N,110,B09", "date" },
		{ "20160230000140,E0001,5,0,L2,N,110,B09", "date" },	/* Feb 30 */
		{ "20160101240000,E0001,5,0,L2,N,110,B09", "date" },	/* 24:00:00 */
		{ "20160101000140,,5,0,L2,N,110,B09", "car_number" },
		{ "20160101000140,CAR1,5,0,L2,N,110,B09", "car_number" },
		{ "20160101000140,E00001,5,0,L2,N,110,B09", "car_number" },
		{ "20160101000140,E0001,5,0,L2,N,1x0,B09", "speed" },
		{ "20160101000140,E0001,5,0,L2,N,,B09", "speed" },
		{ "20160101000140,E0001,5,0,L2,N,00001,B09", "speed" },	/* the fuzzer's disagreement */
		{ "20160101000140,E0001,5,0,L2,N,251,B09", "speed" },
		{ "20160101000140,E0001,5,0,L2,N,110,", "area_number" },
		{ "20160101000140,E0001,5,0,L2,N,110,Z99", "area_number" },
		{ "20160101000140,E0001,9,0,L2,N,110,B09", "speed_pedal" },
		{ "SmartCar Status Information,CarNum", "got 2" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(win_parse_driver(bad[i][0], strlen(bad[i][0]), &r, NULL, &why), -1);
		if (!strstr(why.msg, bad[i][1]))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i][0], why.msg, bad[i][1]);
	}
	/* the cache gives the same answer, and a bad date is not cached */
	rec_tscache c = { 0 };
	assert_int_equal(win_parse_driver(ok, strlen(ok), &r, &c, &why), 0);
	assert_int_equal(win_parse_driver(ok, strlen(ok), &r, &c, &why), 0);
	assert_int_equal(r.ts, T("20160101000140"));
	assert_int_equal(win_parse_driver(bad[3][0], strlen(bad[3][0]), &r, &c, &why), -1);
	assert_int_equal(win_parse_driver(bad[3][0], strlen(bad[3][0]), &r, &c, &why), -1);
}

static void test_boundaries_and_close(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	/* window [00:00:00, 00:00:30): 29 s belongs to it, 30 s to the next */
	assert_int_equal(add(e, "20160101000000", "R0001", 100, "A01", 0, 0), WIN_ADDED);
	assert_int_equal(add(e, "20160101000029", "R0001", 60, "A01", 0, 1), WIN_ADDED);
	assert_int_equal(add(e, "20160101000030", "R0001", 200, "A01", 0, 2), WIN_ADDED);
	assert_int_equal(win_open_count(e), 2);
	/* 00:00:34 - 5 = 29: not closed; 00:00:35 - 5 = 30 >= end: closed */
	add(e, "20160101000034", "R0002", 10, "A01", 0, 3);
	assert_null(win_pending(e));
	add(e, "20160101000035", "R0002", 10, "A01", 0, 4);
	struct win_pane *p = win_pending(e);
	assert_non_null(p);
	assert_int_equal(p->start, T("20160101000000"));
	assert_int_equal(p->end, T("20160101000030"));
	assert_int_equal(p->n_det, 0);	/* (100 + 60) / 2 = 80 is not > 80 */
	assert_int_equal(p->cars, 1);
	assert_int_equal(p->records, 2);
	win_ack(e, p);
	assert_int_equal(win_acked_through(e), T("20160101000030"));
	win_close_all(e);
	p = win_pending(e);
	assert_non_null(p);
	assert_int_equal(p->n_det, 1);	/* R0001: 200; R0002: 10 */
	assert_string_equal(p->det[0].car, "R0001");
	assert_true(p->det[0].avg == 200.0);
	assert_int_equal(p->det[0].count, 1);
	win_ack(e, p);
	assert_null(win_pending(e));
	win_free(e);
}

static void test_threshold_strict(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	add(e, "20160101000000", "A0001", 80, "A01", 0, -1);
	add(e, "20160101000001", "A0002", 81, "A01", 0, -1);
	add(e, "20160101000001", "A0002", 80, "A01", 0, -1);	/* 80.5 */
	add(e, "20160101000002", "A0003", 250, "A01", 0, -1);
	add(e, "20160101000003", "A0003", 0, "A01", 0, -1);	/* 125 */
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	assert_int_equal(p->n_det, 2);
	assert_string_equal(p->det[0].car, "A0002");
	assert_true(p->det[0].avg == 80.5);
	assert_string_equal(p->det[1].car, "A0003");
	assert_int_equal(p->cars, 3);
	win_ack(e, p);
	win_free(e);
}

static void test_lateness_and_out_of_order(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	add(e, "20160101000010", "C0001", 90, "A01", 0, 0);
	add(e, "20160101000033", "C0001", 90, "A01", 0, 1);	/* wm 28 */
	/* out of order but within lateness: joins the still open window */
	assert_int_equal(add(e, "20160101000012", "C0001", 0, "A01", 0, 2), WIN_ADDED);
	add(e, "20160101000040", "C0001", 90, "A01", 0, 3);	/* wm 35: first window closes */
	struct win_pane *p = win_pending(e);
	assert_non_null(p);
	assert_int_equal(p->n_det, 0);	/* (90 + 0) / 2 = 45 */
	assert_int_equal(p->records, 2);
	/* beyond lateness: counted and dropped */
	assert_int_equal(add(e, "20160101000029", "C0001", 250, "A01", 0, 4), WIN_LATE);
	assert_int_equal(win_stats(e)->late, 1);
	assert_int_equal(p->records, 2);
	win_ack(e, p);
	/* late record's offset is done: the safe offset only waits for the open pane (offset 1) */
	assert_int_equal(win_safe_offset(e, 0), 1);
	win_free(e);
}

static void test_midnight(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	const char *ts[] = {"20160101235950", "20160101235955", "20160101235959", "20160102000000", "20160102000005"};
	int sp[] = {100, 100, 100, 50, 50};
	for (int i = 0; i < 5; i++)
		add(e, ts[i], "Z0020", sp[i], "A01", 0, i);
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	char day[9], st[15], key[64];
	struct rule_fmt_args a = {p->det[0].car, p->start, p->end, 30};
	assert_int_equal(p->n_det, 1);
	evtime_format8(p->start, day);
	evtime_format14(p->start, st);
	assert_string_equal(day, "20160101");
	assert_string_equal(st, "20160101235930");
	assert_true(rule_format(p->rule->member_fmt, &a, key, sizeof key) > 0);
	assert_string_equal(key, "Z0020-20160101235930");
	win_ack(e, p);
	p = win_pending(e);
	assert_int_equal(p->n_det, 0);
	evtime_format8(p->start, day);
	assert_string_equal(day, "20160102");
	assert_int_equal(p->end - p->start, 30);
	win_ack(e, p);
	win_free(e);
}

static void test_partitions_hold_watermark(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 0);
	win_track_partition(e, 0);
	win_track_partition(e, 1);
	add(e, "20160101000000", "P0001", 90, "A01", 0, 10);
	add(e, "20160101000100", "P0001", 90, "A01", 0, 11);
	/* partition 1 has said nothing: nothing closes, its records are not late */
	assert_null(win_pending(e));
	assert_int_equal(add(e, "20160101000005", "P0002", 95, "A01", 1, 500), WIN_ADDED);
	/* partition 1 at 00:00:05: watermark 5, still nothing closes */
	assert_null(win_pending(e));
	assert_int_equal(win_safe_offset(e, 0), 10);
	assert_int_equal(win_safe_offset(e, 1), 500);
	/* partition 1 reaches its end: it no longer holds the watermark back */
	win_set_eof(e, 1, 1);
	struct win_pane *p = win_pending(e);
	assert_non_null(p);
	assert_int_equal(p->n_det, 2);
	/* closed but not acknowledged: offsets still held */
	assert_int_equal(win_safe_offset(e, 0), 10);
	assert_int_equal(win_safe_offset(e, 1), 500);
	win_ack(e, p);
	assert_int_equal(win_safe_offset(e, 0), 11);	/* 00:01:00 window still open */
	assert_int_equal(win_safe_offset(e, 1), 501);
	assert_int_equal(win_safe_offset(e, 2), -1);
	win_free(e);
}

static void test_replay_floor(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	/* restored from a commit: windows ending at or before 00:00:30 are written */
	win_set_floor(e, 0, T("20160101000030"));
	assert_int_equal(win_acked_through(e), T("20160101000030"));
	assert_int_equal(add(e, "20160101000020", "F0001", 200, "A01", 0, 7), WIN_REPLAYED);
	assert_int_equal(add(e, "20160101000031", "F0001", 200, "A01", 0, 8), WIN_ADDED);
	assert_int_equal(win_stats(e)->replayed, 1);
	assert_int_equal(win_safe_offset(e, 0), 8);
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	assert_int_equal(p->n_det, 1);
	assert_int_equal(p->records, 1);
	win_ack(e, p);
	assert_int_equal(win_safe_offset(e, 0), 9);
	win_free(e);
}

static void test_rule_switch(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	add(e, "20160101000000", "S0001", 90, "A01", 0, -1);	/* window 00:00 under 80 */
	struct ovs_rule *r100 = rule_default();
	r100->threshold = 100;
	win_set_rule(e, r100);
	rule_unref(r100);
	add(e, "20160101000010", "S0002", 90, "A01", 0, -1);	/* same window: old rule */
	add(e, "20160101000030", "S0001", 90, "A01", 0, -1);	/* next window: new rule */
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	assert_int_equal(p->n_det, 2);
	assert_true(p->rule->threshold == 80);
	win_ack(e, p);
	p = win_pending(e);
	assert_int_equal(p->n_det, 0);
	assert_true(p->rule->threshold == 100);
	win_ack(e, p);

	/* window length 30 -> 60 while a 30 s window is open at 01:00:00 */
	add(e, "20160101010000", "L0001", 90, "A01", 0, -1);
	struct ovs_rule *r60 = rule_default();
	r60->window_s = 60;
	win_set_rule(e, r60);
	rule_unref(r60);
	add(e, "20160101010040", "L0001", 90, "A01", 0, -1);	/* before 01:01:00: old rule, 30 s */
	add(e, "20160101010100", "L0001", 90, "A01", 0, -1);	/* new rule, 60 s */
	win_close_all(e);
	int64_t expect[][2] = {{T("20160101010000"), 30}, {T("20160101010030"), 30}, {T("20160101010100"), 60}};
	for (int i = 0; i < 3; i++) {
		p = win_pending(e);
		assert_non_null(p);
		assert_int_equal(p->start, expect[i][0]);
		assert_int_equal(p->end - p->start, expect[i][1]);
		win_ack(e, p);
	}
	win_free(e);
}

static void test_conditions(void **state)
{
	(void)state;
	char err[256];
	const char *y = "conditions:\n  areas: [A10, B02]\n  min_records: 2\n";
	struct ovs_rule *r = rule_parse(y, strlen(y), "t.yaml", err, sizeof err);
	assert_non_null(r);
	struct win_engine *e = win_new(r);
	rule_unref(r);
	assert_int_equal(add(e, "20160101000000", "K0001", 200, "C01", 0, -1), WIN_FILTERED);
	add(e, "20160101000001", "K0001", 200, "A10", 0, -1);	/* one record only: below min_records */
	add(e, "20160101000002", "K0002", 200, "B02", 0, -1);
	add(e, "20160101000004", "K0002", 100, "A10", 0, -1);
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	assert_int_equal(p->n_det, 1);
	assert_string_equal(p->det[0].car, "K0002");
	assert_int_equal(p->det[0].count, 2);
	assert_int_equal(win_stats(e)->filtered, 1);
	win_ack(e, p);
	win_free(e);
}

static void test_many_cars_and_reset(void **state)
{
	(void)state;
	struct win_engine *e = engine(80, 5);
	char car[16];
	for (int s = 0; s < 30; s += 2)
		for (int c = 0; c < 5000; c++) {
			snprintf(car, sizeof car, "M%04d", c);
			char ts[32];
			snprintf(ts, sizeof ts, "201601010000%02d", s);
			add(e, ts, car, c % 2 ? 120 : 40, "A01", 0, s * 5000 + c);
		}
	win_close_all(e);
	struct win_pane *p = win_pending(e);
	assert_int_equal(p->cars, 5000);
	assert_int_equal(p->n_det, 2500);
	assert_int_equal(p->det[0].count, 15);
	/* reset drops the pending pane; offsets start over */
	win_reset(e);
	assert_null(win_pending(e));
	assert_int_equal(win_safe_offset(e, 0), -1);
	assert_int_equal(add(e, "20160101000000", "M0001", 90, "A01", 0, 0), WIN_ADDED);
	win_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_boundaries_and_close),
		cmocka_unit_test(test_threshold_strict),
		cmocka_unit_test(test_lateness_and_out_of_order),
		cmocka_unit_test(test_midnight),
		cmocka_unit_test(test_partitions_hold_watermark),
		cmocka_unit_test(test_replay_floor),
		cmocka_unit_test(test_rule_switch),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_many_cars_and_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
