/* test_store_cli.c: the run operations of scheduler/store_cli.c on a fresh
 * state file: stop (live tasks failed with a stop request, the rest skipped,
 * the run failed with its cause, events with the actor; an ended run refused
 * with nothing changed), mark (the run ends when every task has finished, a
 * finished run goes back to queued otherwise, upstream_failed downstream goes
 * back to none), delete (refused while active or while a try is still
 * ending; then every row of the run gone and its log paths returned) and
 * backfill cancel (only queued runs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/store.h"
#include "scheduler/store_cli.h"

#define STORE_FIXTURE_NAME "test_store_cli"
#include "tests/unit/store_fixture.h"
static const char *const all[] = { "a", "b", "c" };


/* A run of DAG d with a and b in the given states (c never instantiated). */
static int64_t run_with(struct store *s, time_t date, const char *run_state, const char *a, const char *b)
{
	int64_t id = store_create_run(s, "d", "UTC", date, date + 86400, "manual", NULL, 0, date, "t", NULL, 0);
	assert_true(id > 0);
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO task_instances(run, task_id, state, try_number)"
		 " VALUES(%lld,'a','%s',1),(%lld,'b','%s',1); UPDATE runs SET state='%s' WHERE id=%lld",
		 (long long)id, a, (long long)id, b, run_state, (long long)id);
	assert_int_equal(store_exec(s, sql), 0);
	return id;
}

static void test_stop(void **state)
{
	struct store *s = *state;
	int64_t id = run_with(s, 100000, "running", "running", "up_for_retry");
	size_t n = 9;
	assert_int_equal(store_stop_run(s, id, all, 3, "stopped by alice", "alice", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(q1(s, "SELECT state='failed' AND cause='stopped by alice' AND ended_us>0 FROM runs"), 1);
	assert_int_equal(q1(s, "SELECT group_concat(state, ' ') = 'failed skipped skipped' FROM"
			       " (SELECT state FROM task_instances ORDER BY task_id)"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM requests WHERE kind='stop' AND task_id='a'"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE actor='alice'"), 4);
	/* ended: refused, nothing written */
	long long events = q1(s, "SELECT count(*) FROM events");
	assert_int_equal(store_stop_run(s, id, all, 3, "stopped by bob", "bob", &n), -1);
	assert_non_null(strstr(s->err, "already ended (failed)"));
	assert_int_equal(q1(s, "SELECT count(*) FROM events"), events);
	assert_int_equal(store_stop_run(s, 999, all, 3, "x", "bob", &n), -1);
}

static void test_mark(void **state)
{
	struct store *s = *state;
	/* a failed, b upstream_failed, c never ran: a success resets b; c keeps
	 * the run unfinished, so the failed run is queued again */
	int64_t id = run_with(s, 100000, "failed", "failed", "upstream_failed");
	const char *a[] = { "a" }, *down[] = { "b", "c" };
	size_t n;
	assert_int_equal(store_mark_tasks(s, id, "success", a, 1, down, 2, all, 3, "marked success by al", "al", &n),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(q1(s, "SELECT group_concat(state, ' ') = 'success none' FROM"
			       " (SELECT state FROM task_instances ORDER BY task_id)"), 1);
	assert_int_equal(q1(s, "SELECT state='queued' AND ended_us IS NULL FROM runs"), 1);
	/* every task marked: the run ends; a running one gets a stop request */
	assert_int_equal(store_exec(s, "UPDATE task_instances SET state='running' WHERE task_id='b';"
				       " UPDATE runs SET state='running'"), 0);
	assert_int_equal(store_mark_tasks(s, id, "failed", down, 2, NULL, 0, all, 3, "marked failed by al", "al", &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(q1(s, "SELECT state='failed' AND cause='marked failed by al' FROM runs"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM task_instances WHERE state='failed'"), 2);
	assert_int_equal(store_mark_tasks(s, id, "running", a, 1, NULL, 0, all, 3, "x", "al", &n), -1);
}

static void test_delete(void **state)
{
	struct store *s = *state;
	int64_t keep = run_with(s, 100000, "success", "success", "success");
	int64_t id = run_with(s, 200000, "running", "success", "running");
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO tries(run, task_id, try_number, state, log_path) VALUES"
		 " (%lld,'a',1,'success','/l/a/try-1.log'),(%lld,'b',1,'running','/l/b/try-1.log'),"
		 " (%lld,'a',1,'success','/l/keep.log')", (long long)id, (long long)id, (long long)keep);
	assert_int_equal(store_exec(s, sql), 0);
	struct store_paths logs;
	assert_int_equal(store_delete_run(s, id, "del", "al", &logs), -1);
	assert_non_null(strstr(s->err, "is running"));
	assert_int_equal(logs.n, 0);
	/* stopped, but b's try is still ending */
	size_t n;
	assert_int_equal(store_stop_run(s, id, all, 3, "stopped", "al", &n), 0);
	assert_int_equal(store_delete_run(s, id, "del", "al", &logs), -1);
	assert_non_null(strstr(s->err, "still running"));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM runs WHERE id=%lld", (long long)id);
	assert_int_equal(q1(s, sql), 1);
	assert_int_equal(store_exec(s, "UPDATE tries SET state='failed' WHERE task_id='b'"), 0);
	assert_int_equal(store_delete_run(s, id, "run x deleted by al", "al", &logs), 0);
	assert_int_equal(logs.n, 2);
	assert_string_equal(logs.v[0], "/l/a/try-1.log");
	store_paths_free(&logs);
	const char *tables[] = { "runs WHERE id", "task_instances WHERE run", "tries WHERE run", "events WHERE run",
				 "requests WHERE run" };
	for (size_t i = 0; i < 5; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s=%lld", tables[i], (long long)id);
		assert_int_equal(q1(s, sql), 0);
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM tries WHERE run=%lld", (long long)keep);
	assert_int_equal(q1(s, sql), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='deleted' AND actor='al' AND run IS NULL"),
			 1);
}

static void test_cancel_backfill(void **state)
{
	struct store *s = *state;
	int64_t bf = store_create_backfill(s, "d", 0, 400000, 1, false, "t");
	assert_true(bf > 0);
	int64_t r1 = run_with(s, 100000, "running", "running", "none");
	int64_t r2 = run_with(s, 200000, "queued", "none", "none");
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE runs SET backfill_id=%lld WHERE id IN (%lld, %lld)", (long long)bf,
		 (long long)r1, (long long)r2);
	assert_int_equal(store_exec(s, sql), 0);
	size_t nc, nr;
	assert_int_equal(store_cancel_backfill(s, "other", bf, all, 3, "c", "al", &nc, &nr), -1);
	assert_int_equal(store_cancel_backfill(s, "d", bf, all, 3, "cancelled", "al", &nc, &nr), 0);
	assert_int_equal(nc, 1);
	assert_int_equal(nr, 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs WHERE state='running'"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs WHERE state='failed' AND cause='cancelled'"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM requests"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_backfill, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
