/* test_store_clean.c: history retention (scheduler/store_clean.h): the count
 * (--dry-run) equals what the clean removes; only finished runs that ended
 * before the cut go, with their task instances, tries, events and log files
 * (and the directories that emptied); active runs, later runs and other DAGs'
 * runs (with dag_id) stay; unused DAG versions go, used ones stay; work is
 * done in several batches with progress reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/store.h"
#include "scheduler/store_clean.h"

static char path[64], logs[64];

static long long q1(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	assert_non_null(st);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

static void exec(struct store *s, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_int_equal(store_exec(s, sql), 0);
}

#define OLD 1000000LL	/* ended_us of the old runs */
#define CUT 2000000LL

/* A run with two tasks, one try each with a real log file, three events. */
static void add_run(struct store *s, int id, const char *dag, const char *state, long long ended, int version)
{
	char ended_s[32];
	snprintf(ended_s, sizeof ended_s, "%lld", ended);
	exec(s, "INSERT INTO runs(id, dag_id, run_id, logical_date, interval_end, run_type, state, sort_key,"
		" created_us, ended_us, version) VALUES(%d, '%s', 'r%d', %d, %d, 'manual', '%s', %d, 1, %s, %s)",
	     id, dag, id, id, id, state, id, ended > 0 ? ended_s : "NULL", version ? "0" : "NULL");
	if (version)
		exec(s, "UPDATE runs SET version=%d WHERE id=%d", version, id);
	for (int t = 0; t < 2; t++) {
		char dir[256], log[320];
		snprintf(dir, sizeof dir, "%s/%s/%d/t%d", logs, dag, id, t);
		char sub[256];
		snprintf(sub, sizeof sub, "%s/%s", logs, dag);
		mkdir(sub, 0700);
		snprintf(sub, sizeof sub, "%s/%s/%d", logs, dag, id);
		mkdir(sub, 0700);
		mkdir(dir, 0700);
		snprintf(log, sizeof log, "%s/try-1.log", dir);
		FILE *f = fopen(log, "w");
		assert_non_null(f);
		fputs("x\n", f);
		fclose(f);
		exec(s, "INSERT INTO task_instances(run, task_id, state, try_number, log_path)"
			" VALUES(%d, 't%d', 'success', 1, '%s')", id, t, log);
		exec(s, "INSERT INTO tries(run, task_id, try_number, state, log_path) VALUES(%d, 't%d', 1, 'success', '%s')",
		     id, t, log);
	}
	for (int e = 0; e < 3; e++)
		exec(s, "INSERT INTO events(at_us, dag_id, run, new_state) VALUES(1, '%s', %d, 'x')", dag, id);
}

static bool exists(const char *dag, int id, int t)
{
	char p[320];
	snprintf(p, sizeof p, "%s/%s/%d/t%d/try-1.log", logs, dag, id, t);
	return access(p, F_OK) == 0;
}

static bool dir_exists(const char *dag, int id)
{
	char p[320];
	snprintf(p, sizeof p, "%s/%s/%d", logs, dag, id);
	return access(p, F_OK) == 0;
}

static int setup(void **state)
{
	snprintf(path, sizeof path, "/tmp/test_store_clean.%d.db", (int)getpid());
	snprintf(logs, sizeof logs, "/tmp/test_store_clean.%d.logs", (int)getpid());
	unlink(path);
	mkdir(logs, 0700);
	char err[256];
	struct store *s = store_open(path, STORE_CREATE, err, sizeof err);
	assert_non_null(s);
	exec(s, "BEGIN");
	for (int i = 1; i <= 300; i++)	/* old, finished: they go */
		add_run(s, i, "etl", i % 3 ? "success" : "failed", OLD + i, i == 7 ? 11 : 0);
	add_run(s, 400, "etl", "running", 0, 0);		/* active */
	add_run(s, 401, "etl", "queued", 0, 0);		/* active */
	add_run(s, 402, "etl", "success", CUT + 1, 12);	/* ended after the cut */
	add_run(s, 403, "etl", "running", OLD, 0);	/* active with an ended_us: still never */
	add_run(s, 500, "other", "success", OLD, 0);	/* another DAG */
	exec(s, "INSERT INTO dags(dag_id, file, hash, schedule, timezone, loaded_us, version)"
		" VALUES('etl', 'etl.yaml', 'h', 'none', 'UTC', 1, 13)");
	for (int v = 10; v <= 13; v++)	/* 10 unused, 11 by a run that goes, 12 by one that stays, 13 current */
		exec(s, "INSERT INTO dag_versions(id, dag_id, hash, file, source, created_us)"
			" VALUES(%d, 'etl', 'h%d', 'etl.yaml', '', 1)", v, v);
	exec(s, "COMMIT");
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	char p[128];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof p, "rm -rf %s", logs);	/* test clean-up only */
	if (system(p) != 0)
		fprintf(stderr, "could not remove %s\n", logs);
	return 0;
}

struct seen {
	int calls;
	int64_t total, last_runs;
};

static void on_batch(void *arg, const struct store_clean_counts *c, int64_t total)
{
	struct seen *w = arg;
	w->calls++;
	w->total = total;
	assert_true(c->runs >= w->last_runs);
	w->last_runs = c->runs;
}

static void test_count_then_clean(void **state)
{
	struct store *s = *state;
	struct seen w = { 0 };
	struct store_clean_opts o = { .before_us = CUT, .dag_id = "etl", .actor = "alice", .cause = "test",
				      .progress = on_batch, .progress_arg = &w };
	struct store_clean_counts dry, c;
	assert_int_equal(store_clean_count(s, &o, &dry), 0);
	assert_int_equal(dry.runs, 300);
	assert_int_equal(dry.task_instances, 600);
	assert_int_equal(dry.tries, 600);
	assert_int_equal(dry.events, 900);
	assert_int_equal(dry.versions, 2);
	assert_int_equal(dry.log_files, 600);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 305);	/* the count changed nothing */

	assert_int_equal(store_clean(s, &o, &c), 0);
	assert_int_equal(c.runs, dry.runs);
	assert_int_equal(c.task_instances, dry.task_instances);
	assert_int_equal(c.tries, dry.tries);
	assert_int_equal(c.events, dry.events);
	assert_int_equal(c.versions, dry.versions);
	assert_int_equal(c.log_files, dry.log_files);
	assert_int_equal(c.log_errors, 0);
	assert_true(c.batches >= 2);	/* the first batch is small */
	assert_true(c.longest_lock_us > 0 && c.longest_lock_us < STORE_CLEAN_MAX_LOCK_US);
	assert_true(w.calls >= 2);
	assert_int_equal(w.total, 300);
	assert_int_equal(w.last_runs, 300);

	assert_int_equal(q1(s, "SELECT count(*) FROM runs WHERE id IN (400, 401, 402, 403, 500)"), 5);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 5);
	assert_int_equal(q1(s, "SELECT count(*) FROM task_instances"), 10);
	assert_int_equal(q1(s, "SELECT count(*) FROM tries"), 10);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE run IS NOT NULL"), 15);
	assert_int_equal(q1(s, "SELECT count(*) FROM dag_versions WHERE id IN (12, 13)"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM dag_versions"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='clean' AND actor='alice'"
			       " AND dag_id='etl' AND cause LIKE 'test: removed 300 runs%'"), 1);
	assert_false(exists("etl", 1, 0));
	assert_false(exists("etl", 300, 1));
	assert_false(dir_exists("etl", 1));	/* emptied: removed */
	assert_true(exists("etl", 400, 0));
	assert_true(exists("etl", 402, 1));
	assert_true(exists("other", 500, 0));

	/* Again: nothing left, no second event. */
	assert_int_equal(store_clean(s, &o, &c), 0);
	assert_int_equal(c.runs, 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='clean'"), 1);
}

static void test_every_dag(void **state)
{
	struct store *s = *state;
	struct store_clean_opts o = { .before_us = CUT };
	struct store_clean_counts c;
	assert_int_equal(store_clean(s, &o, &c), 0);
	assert_int_equal(c.runs, 301);	/* etl's 300 and other's one */
	assert_false(exists("other", 500, 0));
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 4);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='clean' AND actor IS NULL AND dag_id IS NULL"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_count_then_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_dag, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
