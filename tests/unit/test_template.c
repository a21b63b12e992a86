/* test_template.c: {{ name }} templates (template.c): every name, params
 * overridden by run conf, env, unknown names, spacing, DST zones, ISO weeks
 * at year boundaries, prev_ds / next_ds for cron and non-cron DAGs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/dag.h"
#include "scheduler/template.h"

/* A DAG with the given zone and schedule and params region=eu, limit=10. */
static struct dag *make_dag(const char *tz, const char *schedule)
{
	char y[512];
	snprintf(y, sizeof y,
		 "dag: tmpl\ntimezone: %s\nschedule: \"%s\"\nparams:\n  region: eu\n  limit: 10\n"
		 "tasks:\n  - id: t\n    command: [x]\n", tz, schedule);
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("t.yaml", y, strlen(y), &l);
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", l.items[i].msg);
	assert_non_null(d);
	diag_list_clear(&l);
	return d;
}

static struct template_ctx ctx_for(const struct dag *d, time_t start, time_t end)
{
	struct template_ctx c = {
		.dag = d, .task_id = "t", .run_id = "scheduled__2026-03-04", .interval_start = start,
		.interval_end = end, .try_number = 2, .conf = NULL, .nconf = 0,
	};
	return c;
}

/* Renders s in c and compares with want. */
static void expect_render(const struct template_ctx *c, const char *s, const char *want)
{
	char err[256] = "";
	char *out = template_render(s, c, err, sizeof err);
	if (!out)
		fail_msg("render '%s' failed: %s", s, err);
	assert_string_equal(out, want);
	free(out);
}

static void expect_render_error(const struct template_ctx *c, const char *s, const char *want)
{
	char err[256] = "";
	char *out = template_render(s, c, err, sizeof err);
	if (out)
		fail_msg("render '%s' gave '%s', expected an error", s, out);
	assert_string_equal(err, want);
}

static void expect_check_error(const struct dag *d, const char *s, size_t want_off, const char *want)
{
	char err[256] = "";
	size_t off = 9999;
	assert_int_equal(template_check(s, d, &off, err, sizeof err), -1);
	assert_int_equal(off, want_off);
	assert_string_equal(err, want);
}

/* 2026-03-04T00:00+09:00 .. 2026-03-05T00:00+09:00 */
#define SEOUL_START 1772550000
#define SEOUL_END 1772636400

static void test_every_name_seoul(void **state)
{
	(void)state;
	struct dag *d = make_dag("Asia/Seoul", "0 0 * * *");
	struct template_ctx c = ctx_for(d, SEOUL_START, SEOUL_END);
	/* In UTC the interval starts on 2026-03-03: ds is the zone's date. */
	expect_render(&c, "{{ ds }}", "2026-03-04");
	expect_render(&c, "{{ ds_nodash }}", "20260304");
	expect_render(&c, "{{ ts }}", "2026-03-04T00:00:00+09:00");
	expect_render(&c, "{{ data_interval_start }}", "2026-03-04T00:00:00+09:00");
	expect_render(&c, "{{ data_interval_end }}", "2026-03-05T00:00:00+09:00");
	expect_render(&c, "{{ prev_ds }}", "2026-03-03");
	expect_render(&c, "{{ next_ds }}", "2026-03-05");
	expect_render(&c, "{{ iso_week }}", "2026-W10");
	expect_render(&c, "{{ ym }}", "202603");
	expect_render(&c, "{{ run_id }}", "scheduled__2026-03-04");
	expect_render(&c, "{{ try_number }}", "2");
	expect_render(&c, "{{ dag_id }}", "tmpl");
	expect_render(&c, "{{ task_id }}", "t");
	expect_render(&c, "{{ params.region }}", "eu");
	expect_render(&c, "{{ params.limit }}", "10");
	expect_render(&c, "/data/{{ds}}/part-{{ try_number }}.{{ ym}}",
		      "/data/2026-03-04/part-2.202603");
	dag_free(d);
}

static void test_spaces_and_literals(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "@daily");
	struct template_ctx c = ctx_for(d, 1609459200, 1609459200 + 86400);	/* 2021-01-01 */
	expect_render(&c, "{{ds}}", "2021-01-01");
	expect_render(&c, "{{   ds   }}", "2021-01-01");
	expect_render(&c, "{{ds }}|{{ ds}}", "2021-01-01|2021-01-01");
	expect_render(&c, "no templates here", "no templates here");
	expect_render(&c, "", "");
	expect_render(&c, "a }} b { c {d}", "a }} b { c {d}");
	expect_render(&c, "{{ '{{' }} ds }}", "{{ ds }}");
	expect_render(&c, "{{'}}'}}", "}}");
	expect_render(&c, "x{{ '' }}y", "xy");
	expect_render(&c, "{{ ds }}{{ ds_nodash }}", "2021-01-0120210101");
	dag_free(d);
}

static void test_params_conf_override(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "none");
	struct template_ctx c = ctx_for(d, 1609459200, 1609459200);
	struct dag_kv conf[] = { { "region", "us" }, { "extra", "x" }, { "region", "ap" } };
	c.conf = conf;
	c.nconf = 3;
	expect_render(&c, "{{ params.region }}/{{ params.limit }}", "ap/10");	/* the last conf entry wins */
	expect_render(&c, "{{ params.extra }}", "x");
	c.nconf = 1;
	expect_render(&c, "{{ params.region }}", "us");
	c.nconf = 0;
	expect_render(&c, "{{ params.region }}", "eu");
	expect_render_error(&c, "{{ params.nope }}",
			    "params.nope: not declared in the DAG's params nor given in the run's conf");
	dag_free(d);
}

static void test_env(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "none");
	struct template_ctx c = ctx_for(d, 1609459200, 1609459200);
	setenv("TEMPLATE_TEST_VAR", "v a l", 1);
	setenv("TEMPLATE_TEST_EMPTY", "", 1);
	unsetenv("TEMPLATE_TEST_UNSET");
	expect_render(&c, "[{{ env.TEMPLATE_TEST_VAR }}]", "[v a l]");
	expect_render(&c, "[{{ env.TEMPLATE_TEST_EMPTY }}]", "[]");
	expect_render_error(&c, "{{ env.TEMPLATE_TEST_UNSET }}",
			    "env.TEMPLATE_TEST_UNSET: environment variable TEMPLATE_TEST_UNSET is not set");
	/* Rendering uses the environment at render time, not at load time. */
	setenv("TEMPLATE_TEST_UNSET", "now", 1);
	expect_render(&c, "{{ env.TEMPLATE_TEST_UNSET }}", "now");
	unsetenv("TEMPLATE_TEST_UNSET");
	/* No shell is involved: shell syntax comes out as is. */
	expect_render(&c, "$(id) `x` {{ env.TEMPLATE_TEST_VAR }} ; rm", "$(id) `x` v a l ; rm");
	dag_free(d);
}

static void test_check(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "none");
	char err[256];
	size_t off = 0;
	static const char *ok[] = {
		"{{ ds }} {{ ds_nodash }} {{ ts }} {{ data_interval_start }} {{ data_interval_end }}",
		"{{ prev_ds }} {{ next_ds }} {{ iso_week }} {{ ym }} {{ run_id }} {{ try_number }}",
		"{{ dag_id }} {{ task_id }} {{ params.region }} {{ env.ANYTHING_AT_ALL }} {{ '{{' }}",
		"plain", "}}", "{ {", "",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		assert_int_equal(template_check(ok[i], d, &off, err, sizeof err), 0);
	expect_check_error(d, "a {{ ds }} {{ dss }}", 11, "unknown template name 'dss' (did you mean 'ds'?)");
	expect_check_error(d, "{{ foo }}", 0, "unknown template name 'foo'");
	expect_check_error(d, "{{ DS }}", 0, "unknown template name 'DS' (did you mean 'ds'?)");
	expect_check_error(d, "x {{ prevds }}", 2, "unknown template name 'prevds' (did you mean 'prev_ds'?)");
	expect_check_error(d, "{{ params.regoin }}", 0, "unknown param 'params.regoin' (did you mean 'params.region'?)");
	expect_check_error(d, "{{ params.zzzzzz }}", 0, "unknown param 'params.zzzzzz' (declare it under 'params:')");
	expect_check_error(d, "{{ params. }}", 0, "unknown template name 'params.'");
	expect_check_error(d, "ok {{ ds", 3, "unterminated '{{' (no '}}' after it)");
	expect_check_error(d, "{{ }}", 0, "empty template '{{ }}'");
	expect_check_error(d, "{{ ds|upper }}", 0,
			   "bad template 'ds|upper' (only {{ name }} or {{ 'literal' }}; no filters or expressions)");
	expect_check_error(d, "{{ env.1X }}", 0, "bad environment variable name '1X'");
	expect_check_error(d, "{{ 'it's' }}", 0,
			   "unterminated '{{' (a quoted literal needs a closing quote, then '}}')");
	expect_check_error(d, "{{ 'open }}", 0,
			   "unterminated '{{' (a quoted literal needs a closing quote, then '}}')");
	/* Without a DAG, any params.NAME passes the check. */
	assert_int_equal(template_check("{{ params.whatever }}", NULL, &off, err, sizeof err), 0);
	dag_free(d);
}

static void test_render_errors(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "none");
	struct template_ctx c = ctx_for(d, 1609459200, 1609459200);
	expect_render_error(&c, "{{ nope }}", "unknown template name 'nope'");
	expect_render_error(&c, "x {{ ds", "unterminated '{{' (no '}}' after it)");
	c.run_id = NULL;
	expect_render_error(&c, "{{ run_id }}", "run_id: no run id in this context");
	c.task_id = NULL;
	expect_render_error(&c, "{{ task_id }}", "task_id: no task in this context");
	dag_free(d);
}

/* 2026-03-08 is the spring-forward day in New York: 23 hours long. */
#define NY_0308 1772946000	/* 2026-03-08T00:00-05:00 */
#define NY_0309 1773028800	/* 2026-03-09T00:00-04:00 */
#define NY_1101 1793505600	/* 2026-11-01T00:00-04:00 */
#define NY_1102 1793595600	/* 2026-11-02T00:00-05:00 (a 25-hour day) */

static void test_new_york_dst(void **state)
{
	(void)state;
	struct dag *d = make_dag("America/New_York", "0 0 * * *");
	struct template_ctx c = ctx_for(d, NY_0308, NY_0309);
	expect_render(&c, "{{ ds }}", "2026-03-08");
	expect_render(&c, "{{ ts }}", "2026-03-08T00:00:00-05:00");
	expect_render(&c, "{{ data_interval_end }}", "2026-03-09T00:00:00-04:00");
	expect_render(&c, "{{ prev_ds }} {{ next_ds }}", "2026-03-07 2026-03-09");
	c = ctx_for(d, NY_1101, NY_1102);
	expect_render(&c, "{{ ds }} {{ ts }}", "2026-11-01 2026-11-01T00:00:00-04:00");
	expect_render(&c, "{{ data_interval_end }}", "2026-11-02T00:00:00-05:00");
	expect_render(&c, "{{ prev_ds }} {{ next_ds }}", "2026-10-31 2026-11-02");
	dag_free(d);

	/* Not cron: prev/next shift by the interval's wall-clock length, so a
	 * 23-hour day still moves by one calendar day. */
	d = make_dag("America/New_York", "none");
	c = ctx_for(d, NY_0308, NY_0309);
	expect_render(&c, "{{ ds }} {{ prev_ds }} {{ next_ds }}", "2026-03-08 2026-03-07 2026-03-09");
	c = ctx_for(d, NY_1101, NY_1102);
	expect_render(&c, "{{ prev_ds }} {{ next_ds }}", "2026-10-31 2026-11-02");
	/* A zero-length interval (a manual trigger): prev and next are the same day. */
	c = ctx_for(d, NY_0308 + 3600 * 15, NY_0308 + 3600 * 15);
	expect_render(&c, "{{ prev_ds }} {{ ds }} {{ next_ds }}", "2026-03-08 2026-03-08 2026-03-08");
	dag_free(d);
}

static void test_weekly_cron_prev_next(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "0 0 * * 1");
	/* Monday 2026-03-02 .. Monday 2026-03-09 */
	struct template_ctx c = ctx_for(d, 1772409600, 1772409600 + 7 * 86400);
	expect_render(&c, "{{ prev_ds }} {{ ds }} {{ next_ds }}", "2026-02-23 2026-03-02 2026-03-09");
	expect_render(&c, "{{ iso_week }}", "2026-W10");
	dag_free(d);
}

static void test_iso_week_year_boundaries(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "@daily");
	struct {
		time_t t;
		const char *week, *ym;
	} cases[] = {
		{ 1609372800, "2020-W53", "202012" },	/* 2020-12-31 */
		{ 1609459200, "2020-W53", "202101" },	/* 2021-01-01: still week 53 of 2020 */
		{ 1609718400, "2021-W01", "202101" },	/* 2021-01-04 */
		{ 1735516800, "2025-W01", "202412" },	/* 2024-12-30 */
		{ 1766966400, "2026-W01", "202512" },	/* 2025-12-29: week 1 of 2026 */
		{ 1767225600, "2026-W01", "202601" },	/* 2026-01-01 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct template_ctx c = ctx_for(d, cases[i].t, cases[i].t + 86400);
		expect_render(&c, "{{ iso_week }}", cases[i].week);
		expect_render(&c, "{{ ym }}", cases[i].ym);
	}
	dag_free(d);
	/* In Seoul, 2025-12-28T15:00Z is already Monday 2025-12-29. */
	d = make_dag("Asia/Seoul", "@daily");
	struct template_ctx c = ctx_for(d, 1766966400 - 9 * 3600, 1766966400 + 15 * 3600);
	expect_render(&c, "{{ ds }} {{ iso_week }}", "2025-12-29 2026-W01");
	dag_free(d);
}

/* The cache of date values must never serve one run's dates to another. */
static void test_cache_keys(void **state)
{
	(void)state;
	struct dag *a = make_dag("UTC", "@daily");
	struct dag *b = make_dag("Asia/Seoul", "@daily");
	struct template_ctx ca = ctx_for(a, 1772582400, 1772582400 + 86400);	/* 2026-03-04T00:00Z */
	struct template_ctx cb = ctx_for(b, 1772582400, 1772582400 + 86400);	/* 09:00 in Seoul */
	for (int i = 0; i < 3; i++) {
		expect_render(&ca, "{{ ts }}", "2026-03-04T00:00:00+00:00");
		expect_render(&cb, "{{ ts }}", "2026-03-04T09:00:00+09:00");
	}
	ca.interval_start += 86400;
	ca.interval_end += 86400;
	expect_render(&ca, "{{ ds }}", "2026-03-05");
	ca.interval_end += 86400;
	expect_render(&ca, "{{ data_interval_end }}", "2026-03-07T00:00:00+00:00");
	dag_free(a);
	dag_free(b);
}

static const char *results_of_load(void *arg, const char *task_id)
{
	(void)arg;
	if (!strcmp(task_id, "load.v2"))
		return "{\"records_written\": 42, \"name\": \"day \\\"1\\\"\", \"parts\": [\"a\", {\"k\": true}],"
		       " \"nested\": {\"x\": null}}";
	return NULL;
}

static void test_ti_results(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "@daily");
	struct template_ctx c = ctx_for(d, 0, 86400);
	c.result_of = results_of_load;
	expect_render(&c, "n={{ ti.load.v2.result.records_written }}", "n=42");
	expect_render(&c, "{{ti.load.v2.result.name}}", "day \"1\"");	/* a string as it is */
	expect_render(&c, "{{ ti.load.v2.result.parts }}", "[\"a\",{\"k\":true}]");
	expect_render(&c, "{{ ti.load.v2.result.parts.1.k }}", "true");
	expect_render(&c, "{{ ti.load.v2.result.nested.x }}", "null");
	expect_render(&c, "{{ ti.load.v2.result }}",
		      "{\"records_written\":42,\"name\":\"day \\\"1\\\"\",\"parts\":[\"a\",{\"k\":true}],"
		      "\"nested\":{\"x\":null}}");
	expect_render_error(&c, "{{ ti.load.v2.result.missing }}", "ti.load.v2.result.missing: the result of load.v2 has no 'missing'");
	expect_render_error(&c, "{{ ti.load.v2.result.parts.2 }}", "ti.load.v2.result.parts.2: the result of load.v2 has no '2'");
	expect_render_error(&c, "{{ ti.load.v2.result.records_written.x }}",
			    "ti.load.v2.result.records_written.x: the result of load.v2 has no 'x'");
	expect_render_error(&c, "{{ ti.other.result.a }}",
			    "ti.other.result.a: task other has no stored result in this run (its last stdout line was not a JSON object)");
	c.result_of = NULL;
	expect_render_error(&c, "{{ ti.load.v2.result.a }}", "ti.load.v2.result.a: no results of other tasks here (only in a run of the daemon)");
	size_t off;
	char err[256];
	assert_int_equal(template_check("{{ ti.x.result.a.b }}", d, &off, err, sizeof err), 0);
	expect_check_error(d, "a {{ ti.x }}", 2, "bad reference 'ti.x' (expected ti.TASK.result or ti.TASK.result.KEY...)");
	expect_check_error(d, "{{ ti.x.result. }}", 0, "bad reference 'ti.x.result.' (expected ti.TASK.result or ti.TASK.result.KEY...)");
	expect_check_error(d, "{{ ti.x.result..a }}", 0, "bad reference 'ti.x.result..a' (expected ti.TASK.result or ti.TASK.result.KEY...)");
	expect_check_error(d, "{{ ti..result }}", 0, "bad reference 'ti..result' (expected ti.TASK.result or ti.TASK.result.KEY...)");
	dag_free(d);
}

/* A mapped instance's names: map_index, its element (AS) and values in it;
 * known only where the element's name is given (template_check_map). */
static void test_mapped_names(void **state)
{
	(void)state;
	struct dag *d = make_dag("UTC", "@daily");
	struct template_ctx c = ctx_for(d, 0, 86400);
	c.map_as = "part";
	c.map_index = 7;
	c.map_item = "{\"day\": \"2026-03-04\", \"n\": [1, 2]}";
	expect_render(&c, "{{ map_index }}:{{ part.day }}:{{ part.n.1 }}", "7:2026-03-04:2");
	expect_render(&c, "{{ part }}", "{\"day\":\"2026-03-04\",\"n\":[1,2]}");
	expect_render_error(&c, "{{ part.missing }}", "part.missing: element 7 has no 'missing'");
	c.map_item = "\"wrk_date=20260304\"";	/* a string as it is */
	expect_render(&c, "/x/{{ part }}", "/x/wrk_date=20260304");
	c.map_item = NULL;
	expect_render_error(&c, "{{ part }}", "part: no mapped element in this context");
	/* the name is not known outside a mapped task */
	c.map_as = NULL;
	expect_render_error(&c, "{{ part }}", "unknown template name 'part'");
	size_t off;
	char err[256];
	assert_int_equal(template_check_map("{{ item.a.b }} {{ map_index }}", d, "item", &off, err, sizeof err), 0);
	assert_int_equal(template_check_map("{{ item. }}", d, "item", &off, err, sizeof err), -1);
	assert_string_equal(err, "bad reference 'item.' (expected item or item.KEY...)");
	assert_int_equal(template_check_map("{{ items }}", d, "item", &off, err, sizeof err), -1);
	expect_check_error(d, "x {{ map_index }}", 2, "'map_index' is known only in a task with 'expand:'");
	dag_free(d);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_name_seoul),
		cmocka_unit_test(test_spaces_and_literals),
		cmocka_unit_test(test_params_conf_override),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_render_errors),
		cmocka_unit_test(test_new_york_dst),
		cmocka_unit_test(test_weekly_cron_prev_next),
		cmocka_unit_test(test_iso_week_year_boundaries),
		cmocka_unit_test(test_cache_keys),
		cmocka_unit_test(test_ti_results),
		cmocka_unit_test(test_mapped_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
