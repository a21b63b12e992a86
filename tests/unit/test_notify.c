/* test_notify.c: the alerts' enqueue (scheduler/notify.c, docs/alerts.md):
 * one row per listening channel with the contract's key, channel and
 * payload; the same state change enqueued twice writes once; a disabled
 * channel is written skipped; a rolled-back transaction leaves no row; the
 * log tail is bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define STORE_FIXTURE_NAME "test_notify"
#include "tests/unit/store_fixture.h"

#include "scheduler/dag.h"
#include "scheduler/notify.h"
#include "scheduler/store_daemon.h"

static const char yaml[] =
	"dag: etl\n"
	"schedule: \"0 2 * * *\"\n"
	"notify:\n"
	"  - {on: [task_failed, run_failed], webhook: \"http://127.0.0.1:1/{{ dag_id }}\"}\n"
	"  - {on: task_failed, webhook: \"{{ env.TEST_NOTIFY_UNSET }}\"}\n"
	"  - {on: run_succeeded, command: [tool]}\n"
	"tasks:\n"
	"  - id: load\n"
	"    command: [x]\n"
	"    notify: [{on: task_failed, command: [\"{{ env.TEST_NOTIFY_TOOL }}\", \"{{ cause }}\"]}]\n";

static struct dag *load_dag(void)
{
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("etl.yaml", yaml, strlen(yaml), &l);
	assert_non_null(d);
	return d;
}

static char *q_text(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	assert_non_null(st);
	char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void assert_q(struct store *s, const char *sql, const char *want)
{
	char *v = q_text(s, sql);
	if (!v || strcmp(v, want))
		print_message("%s\n  got:  %s\n  want: %s\n", sql, v ? v : "(null)", want);
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static struct notify_what task_failed(const struct dag *d, const char *log)
{
	return (struct notify_what){ .event = "task_failed", .listens = NOTIFY_TASK_FAILED, .dag = d,
				     .task = &d->tasks[0], .run = 7, .run_id = "scheduled__2026-03-04T02:00:00+00:00",
				     .logical_date = 1772589600, .try_number = 2, .state = "failed",
				     .cause = "exit code 3", .start_us = 1772600000000000LL,
				     .end_us = 1772600001500000LL, .log_path = log, .web_url = "http://ui:8080/" };
}

static void test_task_failed_rows(void **state)
{
	struct store *s = *state;
	unsetenv("TEST_NOTIFY_UNSET");
	setenv("TEST_NOTIFY_TOOL", "/bin/true", 1);
	struct dag *d = load_dag();
	char log[64];
	snprintf(log, sizeof log, "/tmp/test_notify.%d.log", (int)getpid());
	FILE *f = fopen(log, "w");
	assert_non_null(f);
	for (int i = 1; i <= 50; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	struct notify_what w = task_failed(d, log);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(notify_enqueue(s, &w, 1772600002000000LL), 0);
	assert_int_equal(notify_enqueue(s, &w, 1772600003000000LL), 0);	/* again: nothing new */
	assert_int_equal(store_commit(s), 0);
	unlink(log);
	/* d0 and d1 listen, d2 does not; the task's t0 does. */
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications"), 3);
	assert_q(s, "SELECT group_concat(key || ' ' || state, ',') FROM (SELECT * FROM notifications ORDER BY key)",
		 "etl/7/load/2/task_failed/d0 pending,etl/7/load/2/task_failed/d1 skipped,"
		 "etl/7/load/2/task_failed/t0 pending");
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications WHERE created_us=1772600002000000"
			       " AND attempts=0 AND run=7 AND task_id='load' AND try_number=2 AND event='task_failed'"
			       " AND (state='pending' AND next_attempt_us=created_us AND done_us IS NULL"
			       " OR state='skipped' AND done_us=created_us)"), 3);
	assert_q(s, "SELECT channel FROM notifications WHERE key LIKE '%/t0'",
		 "{\"type\":\"command\",\"argv\":[\"{{ env.TEST_NOTIFY_TOOL }}\",\"{{ cause }}\"],\"timeout\":\"30s\"}");
	assert_q(s, "SELECT last_error FROM notifications WHERE state='skipped'",
		 "channel disabled: its webhook url '{{ env.TEST_NOTIFY_UNSET }}' renders empty: env.TEST_NOTIFY_UNSET:"
		 " environment variable TEST_NOTIFY_UNSET is not set");
	/* The payload: every field of the contract, in order. */
	char *p = q_text(s, "SELECT json_remove(payload, '$.log_tail') FROM notifications WHERE key LIKE '%/d0'");
	assert_string_equal(p, "{\"id\":\"etl/7/load/2/task_failed/d0\",\"event\":\"task_failed\",\"dag_id\":\"etl\","
			       "\"run_id\":\"scheduled__2026-03-04T02:00:00+00:00\",\"logical_date\":\"2026-03-04T02:00:00+00:00\","
			       "\"task_id\":\"load\",\"map_index\":-1,\"try_number\":2,\"state\":\"failed\",\"cause\":\"exit code 3\","
			       "\"start_date\":\"2026-03-04T04:53:20Z\",\"end_date\":\"2026-03-04T04:53:21Z\","
			       "\"url\":\"http://ui:8080/dags/etl/runs/scheduled__2026-03-04T02%3A00%3A00%2B00%3A00/tasks/load\","
			       "\"deadline\":null}");
	free(p);
	char *tail = q_text(s, "SELECT json_extract(payload, '$.log_tail') FROM notifications WHERE key LIKE '%/d0'");
	char want[400] = "";
	for (int i = 31; i <= 50; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want), "line %d\n", i);
	assert_string_equal(tail, want);
	free(tail);
	dag_free(d);
}

static void test_run_event_and_rollback(void **state)
{
	struct store *s = *state;
	struct dag *d = load_dag();
	struct notify_what w = { .event = "run_succeeded", .listens = NOTIFY_RUN_SUCCEEDED, .dag = d, .run = 9,
				 .run_id = "manual__x", .logical_date = 0, .state = "success", .cause = "ok" };
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(notify_enqueue(s, &w, 5), 0);
	store_rollback(s);	/* the state change did not commit: neither does its notification */
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications"), 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(notify_enqueue(s, &w, 5), 0);
	assert_int_equal(store_commit(s), 0);
	assert_q(s, "SELECT key || ' ' || (json_extract(payload, '$.task_id') IS NULL) || ' ' ||"
		    " (json_extract(payload, '$.url') IS NULL) FROM notifications", "etl/9/-/0/run_succeeded/d2 1 1");
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications WHERE task_id IS NULL AND try_number IS NULL"), 1);
	/* Nobody listens to deadline_missed: nothing is written. */
	w.event = "deadline_missed";
	w.listens = NOTIFY_DEADLINE_MISSED;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(notify_enqueue(s, &w, 6), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM notifications"), 1);
	dag_free(d);
}

static void test_log_tail_bounds(void **state)
{
	(void)state;
	char log[64];
	snprintf(log, sizeof log, "/tmp/test_notify_tail.%d.log", (int)getpid());
	FILE *f = fopen(log, "w");
	assert_non_null(f);
	for (int i = 0; i < 3; i++) {	/* three 3000-byte lines: 4 KiB holds the end of one */
		for (int k = 0; k < 3000; k++)
			fputc('a' + i, f);
		fputc('\n', f);
	}
	fclose(f);
	char *t = notify_log_tail(log);
	assert_non_null(t);
	assert_true(strlen(t) <= 4096);
	assert_int_equal(strlen(t), 3001);	/* the last whole line only */
	assert_int_equal(t[0], 'c');
	free(t);
	f = fopen(log, "w");
	fputs("no newline at the end", f);
	fclose(f);
	t = notify_log_tail(log);
	assert_string_equal(t, "no newline at the end");
	free(t);
	unlink(log);
	assert_null(notify_log_tail(log));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_task_failed_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_event_and_rollback, setup, teardown),
		cmocka_unit_test(test_log_tail_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
