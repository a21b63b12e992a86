/* test_rule.c: the overspeed rule file: a full example, defaults, every kind
 * of error with its file:line:column, key formats, and change detection used
 * for reloading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobs/common/evtime.h"
#include "jobs/overspeed/rule.h"

static void test_full_example(void **state)
{
	(void)state;
	char err[256];
	const char *y =
		"# overspeed rule\n"
		"window: 1m\n"
		"threshold: 100.5\n"
		"lateness: 10s\n"
		"ttl: 7d\n"
		"key: \"speed:{day}\"\n"
		"member: \"{car}@{start}\"\n"
		"detail: \"why:{car}:{start}\"\n"
		"conditions:\n"
		"  areas: [A10, B02]\n"
		"  min_records: 5\n";
	struct ovs_rule *r = rule_parse(y, strlen(y), "r.yaml", err, sizeof err);
	assert_non_null(r);
	assert_int_equal(r->window_s, 60);
	assert_true(r->threshold == 100.5);
	assert_int_equal(r->lateness_s, 10);
	assert_int_equal(r->ttl_s, 604800);
	assert_string_equal(r->key_fmt, "speed:{day}");
	assert_string_equal(r->member_fmt, "{car}@{start}");
	assert_string_equal(r->detail_fmt, "why:{car}:{start}");
	assert_int_equal(r->n_areas, 2);
	assert_true(rule_area_ok(r, "B02", 3));
	assert_false(rule_area_ok(r, "B03", 3));
	assert_false(rule_area_ok(r, "B0", 2));
	assert_int_equal(r->min_records, 5);
	assert_string_equal(r->source, "r.yaml");
	rule_unref(r);
}

static void test_defaults(void **state)
{
	(void)state;
	char err[256];
	const char *y = "threshold: 80\n";
	struct ovs_rule *r = rule_parse(y, strlen(y), "d.yaml", err, sizeof err);
	assert_non_null(r);
	assert_int_equal(r->window_s, 30);
	assert_int_equal(r->lateness_s, 5);
	assert_int_equal(r->ttl_s, 604800);
	assert_string_equal(r->key_fmt, "{day}");
	assert_string_equal(r->member_fmt, "{car}-{start}");
	assert_string_equal(r->detail_fmt, "overspeed:{day}:{car}-{start}");
	assert_int_equal(r->n_areas, 0);
	assert_true(rule_area_ok(r, "Z99", 3));
	rule_unref(r);
	y = "detail: none\nlateness: 0\n";
	r = rule_parse(y, strlen(y), "d.yaml", err, sizeof err);
	assert_non_null(r);
	assert_null(r->detail_fmt);
	assert_int_equal(r->lateness_s, 0);
	rule_unref(r);
}

static void expect_error(const char *y, const char *where, const char *what)
{
	char err[512];
	struct ovs_rule *r = rule_parse(y, strlen(y), "bad.yaml", err, sizeof err);
	if (r)
		fail_msg("accepted: %s", y);
	if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, what))
		fail_msg("for %s\n got: %s\n want: %s ... %s", y, err, where, what);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("threshold: fast\n", "bad.yaml:1:12:", "not a speed");
	expect_error("threshold: -3\n", "bad.yaml:1:12:", "not a speed");
	expect_error("window: 30s\nthreshhold: 80\n", "bad.yaml:2:1:", "unknown key \"threshhold\"");
	expect_error("window: 7s\n", "bad.yaml:1:9:", "does not divide a day");
	expect_error("window: 0\n", "bad.yaml:1:9:", "not a duration");
	expect_error("ttl: 3x\n", "bad.yaml:1:6:", "not a duration");
	expect_error("lateness: [1]\n", "bad.yaml:1:11:", "expected a single value");
	expect_error("key: \"{day\"\n", "bad.yaml:1:6:", "unclosed");
	expect_error("member: \"{car}-{begin}\"\n", "bad.yaml:1:9:", "unknown placeholder {begin}");
	expect_error("key: \"\"\n", "bad.yaml:1:6:", "must not be empty");
	expect_error("conditions:\n  areas: A10\n", "bad.yaml:2:10:", "expected a list");
	expect_error("conditions:\n  areas: []\n", "bad.yaml:2:10:", "empty list");
	expect_error("conditions:\n  min_records: 0\n", "bad.yaml:2:16:", "whole number");
	expect_error("conditions:\n  speed: 3\n", "bad.yaml:2:3:", "unknown key \"speed\"");
	expect_error("conditions: 3\n", "bad.yaml:1:13:", "expected a mapping");
	expect_error("- 1\n- 2\n", "bad.yaml:1:1:", "expected a mapping");
	expect_error("threshold: [80\n", "bad.yaml:2:1:", "YAML error");
	expect_error("", "bad.yaml:0:0:", "empty rule file");
}

static void test_format(void **state)
{
	(void)state;
	char buf[64], err[128];
	int64_t t;
	assert_int_equal(evtime_parse14("20160103010000", &t), 0);
	struct rule_fmt_args a = {"Z0020", t, t + 30, 30};
	assert_int_equal(rule_format("{day}", &a, buf, sizeof buf), 8);
	assert_string_equal(buf, "20160103");
	rule_format("overspeed:{day}:{car}-{start}", &a, buf, sizeof buf);
	assert_string_equal(buf, "overspeed:20160103:Z0020-20160103010000");
	rule_format("{end}/{window}", &a, buf, sizeof buf);
	assert_string_equal(buf, "20160103010030/30");
	assert_int_equal(rule_format("{start}", &a, buf, 14), -1);	/* does not fit */
	assert_int_equal(rule_format_check("x}", err, sizeof err), -1);
	assert_int_equal(rule_format_check("{car}{day}", err, sizeof err), 0);
}

static void test_watch_and_load(void **state)
{
	(void)state;
	char path[] = "/tmp/test_rule_XXXXXX";
	char err[256];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "threshold: 80\n", 14), 14);
	close(fd);
	struct ovs_rule *r = rule_load(path, err, sizeof err);
	assert_non_null(r);
	assert_true(r->threshold == 80);
	rule_unref(r);

	struct rule_watch w;
	rule_watch_init(&w, path);
	assert_false(rule_watch_changed(&w));
	FILE *f = fopen(path, "w");
	fputs("threshold: 100\n", f);	/* one byte longer: changes even within one mtime tick */
	fclose(f);
	assert_true(rule_watch_changed(&w));
	r = rule_load(path, err, sizeof err);
	assert_non_null(r);
	assert_true(r->threshold == 100);
	rule_unref(r);
	rule_watch_mark(&w);
	assert_false(rule_watch_changed(&w));
	/* a broken edit is noticed, and load says why */
	f = fopen(path, "w");
	fputs("threshold: 1OO\n", f);
	fclose(f);
	struct timespec ts[2] = {{0, 0}, {1, 0}};	/* force a different mtime too */
	utimensat(AT_FDCWD, path, ts, 0);
	assert_true(rule_watch_changed(&w));
	assert_null(rule_load(path, err, sizeof err));
	assert_non_null(strstr(err, ":1:12: threshold"));
	unlink(path);
	assert_false(rule_watch_changed(&w));	/* missing for now: wait for it */
	assert_null(rule_load(path, err, sizeof err));
	assert_non_null(strstr(err, "cannot open"));
	rule_watch_free(&w);
}

static void test_evtime(void **state)
{
	(void)state;
	int64_t t, d;
	char b[15];
	assert_int_equal(evtime_parse14("19700101000000", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(evtime_parse14("20160229235959", &t), 0);
	evtime_format14(t, b);
	assert_string_equal(b, "20160229235959");
	evtime_format14(t + 1, b);
	assert_string_equal(b, "20160301000000");
	assert_int_equal(evtime_parse14("20150229000000", &t), -1);
	assert_int_equal(evtime_parse14("2016010100000a", &t), -1);
	assert_int_equal(evtime_parse8("20160103", &d), 0);
	assert_int_equal(d * 86400, evtime_parse14("20160103000000", &t) == 0 ? t : -1);
	assert_int_equal(evtime_parse8("20161301", &d), -1);
	evtime_format8(-1, b);
	assert_string_equal(b, "19691231");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_watch_and_load),
		cmocka_unit_test(test_evtime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
