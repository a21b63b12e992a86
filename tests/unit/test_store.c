/* test_store.c: the state store: schema creation and version, run creation
 * and duplicate refusal, clearing with a fresh retry budget, refusal to clear
 * running tasks, pause, events for every transition, and that a second
 * connection's commit is seen as an external change. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/checkpoint.h"
#include "scheduler/store.h"

#define STORE_FIXTURE_NAME "test_store"
#include "tests/unit/store_fixture.h"

static void test_schema_version(void **state)
{
	struct store *s = *state;
	assert_int_equal(q1(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	char err[256];
	struct store *ro = store_open(path, STORE_READ, err, sizeof err);
	assert_non_null(ro);
	store_close(ro);
	ro = store_open("/nonexistent/dir/x.db", STORE_READ, err, sizeof err);
	assert_null(ro);
	assert_non_null(strstr(err, "/nonexistent/dir/x.db"));
}

/* A version 1 state file (the tables versions 2 and 3 change, with a run) is
 * migrated in place by the daemon's open: the run is kept, the new columns
 * and tables exist; schedctl's modes refuse it until then. */
static void test_migrates_version_1(void **state)
{
	(void)state;
	char v1[80], err[512];
	snprintf(v1, sizeof v1, "%s.v1", path);
	unlink(v1);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(v1, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE dags(dag_id TEXT PRIMARY KEY, file TEXT NOT NULL, hash TEXT NOT NULL,"
		" schedule TEXT NOT NULL, timezone TEXT NOT NULL, description TEXT,"
		" paused INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,"
		" next_interval INTEGER, next_run INTEGER, tasks TEXT NOT NULL DEFAULT '[]', errors TEXT,"
		" loaded_us INTEGER NOT NULL);"
		"CREATE TABLE runs(id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, run_id TEXT NOT NULL,"
		" logical_date INTEGER NOT NULL, interval_end INTEGER NOT NULL, run_type TEXT NOT NULL,"
		" state TEXT NOT NULL, conf TEXT, backfill_id INTEGER, sort_key INTEGER NOT NULL,"
		" created_us INTEGER NOT NULL, started_us INTEGER, ended_us INTEGER,"
		" UNIQUE(dag_id, logical_date));"
		"CREATE TABLE events(id INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, dag_id TEXT, run INTEGER,"
		" task_id TEXT, try_number INTEGER, old_state TEXT, new_state TEXT, cause TEXT);"
		"CREATE TABLE tries(run INTEGER NOT NULL, task_id TEXT NOT NULL, try_number INTEGER NOT NULL,"
		" state TEXT NOT NULL, pid INTEGER, started_us INTEGER, ended_us INTEGER,"
		" exit_code INTEGER, signal INTEGER, log_path TEXT, result TEXT, cause TEXT,"
		" PRIMARY KEY(run, task_id, try_number)) WITHOUT ROWID;"
		"CREATE TABLE task_instances(run INTEGER NOT NULL, task_id TEXT NOT NULL, state TEXT NOT NULL,"
		" try_number INTEGER NOT NULL DEFAULT 0, max_tries INTEGER NOT NULL DEFAULT 1,"
		" pid INTEGER, started_us INTEGER, ended_us INTEGER, exit_code INTEGER,"
		" next_retry_us INTEGER, log_path TEXT, result TEXT, restarts INTEGER NOT NULL DEFAULT 0,"
		" PRIMARY KEY(run, task_id)) WITHOUT ROWID;"
		"INSERT INTO task_instances(run, task_id, state, try_number) VALUES(1,'t','success',1);"
		"INSERT INTO tries VALUES(1,'t',1,'success',NULL,1,2000001,0,NULL,NULL,NULL,NULL);"
		"INSERT INTO runs VALUES(1,'d','manual__1',0,86400,'manual','success',NULL,NULL,0,1,2,3);"
		"PRAGMA user_version=1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(v1, STORE_READ, err, sizeof err));
	struct store *m = store_open(v1, STORE_CREATE, err, sizeof err);
	assert_non_null(m);
	assert_int_equal(q1(m, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(q1(m, "SELECT count(*) FROM runs WHERE run_id='manual__1' AND cause IS NULL AND version IS NULL"), 1);
	assert_int_equal(q1(m, "SELECT count(*) FROM dag_versions"), 0);
	assert_int_equal(q1(m, "SELECT count(*) FROM events WHERE actor IS NULL"), 0);
	/* version 3: the outbox, deadlines, executors, datasets, pools */
	assert_int_equal(q1(m, "SELECT count(*) FROM tries WHERE executor IS NULL AND external_id IS NULL"), 1);
	assert_int_equal(q1(m, "SELECT count(*) FROM runs WHERE deadline_us IS NULL AND deadline_missed_us IS NULL"), 1);
	assert_int_equal(q1(m, "SELECT count(*) FROM notifications"), 0);
	assert_int_equal(q1(m, "SELECT count(*) FROM dataset_events"), 0);
	assert_int_equal(q1(m, "SELECT count(*) FROM pools"), 0);
	/* the daemon status' row, and the metrics' counts of the history so far */
	assert_int_equal(q1(m, "SELECT count(*) FROM daemon_status WHERE id=1 AND heartbeat_us IS NULL"), 1);
	assert_int_equal(q1(m, "SELECT n FROM state_counts WHERE kind='run' AND dag_id='d' AND state='success'"), 1);
	assert_int_equal(q1(m, "SELECT n FROM state_counts WHERE kind='ti' AND dag_id='d' AND state='success'"), 1);
	assert_int_equal(q1(m, "SELECT started + 10 * failed + 100 * duration_count + 1000 * d1 + 10000 * d5"
			       " FROM try_stats WHERE dag_id='d' AND task_id='t'"), 10101);
	store_close(m);
	char p[96];
	unlink(v1);
	snprintf(p, sizeof p, "%s-wal", v1);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", v1);
	unlink(p);
}

/* Only STORE_CREATE makes a schema: schedctl's modes leave an empty file
 * empty and say what it is; a missing file is not created. */
static void test_cli_modes_never_create(void **state)
{
	struct store *s = *state;
	char err[512], empty[80];
	struct store *w = store_open(path, STORE_WRITE, err, sizeof err);
	assert_non_null(w);	/* the daemon's state file: fine */
	store_close(w);
	snprintf(empty, sizeof empty, "%s.empty", path);
	FILE *f = fopen(empty, "w");
	assert_non_null(f);
	fclose(f);
	for (int mode = STORE_READ; mode <= STORE_WRITE; mode++) {
		assert_null(store_open(empty, (enum store_mode)mode, err, sizeof err));
		assert_non_null(strstr(err, "not a scheduler state file (no schema"));
		struct stat st;
		assert_int_equal(stat(empty, &st), 0);
		assert_int_equal(st.st_size, 0);
	}
	unlink(empty);
	assert_null(store_open(empty, STORE_WRITE, err, sizeof err));
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(access(empty, F_OK), -1);
	(void)s;
}

static void test_create_run_and_duplicate(void **state)
{
	struct store *s = *state;
	char existing[128] = "";
	int64_t id = store_create_run(s, "d", "UTC", 1772582400, 1772668800, "manual", "{\"a\":\"1\"}", 0,
				      1772582400, "test", existing, sizeof existing);
	assert_true(id > 0);
	assert_int_equal(store_create_run(s, "d", "UTC", 1772582400, 1772668800, "backfill", NULL, 0, 0,
					  "test", existing, sizeof existing), 0);
	assert_string_equal(existing, "manual__2026-03-04T00:00:00+00:00");
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='queued'"), 1);
}

static void test_clear_gives_fresh_budget(void **state)
{
	struct store *s = *state;
	int64_t id = store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0);
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO task_instances(run, task_id, state, try_number, max_tries)"
		 " VALUES(%lld,'a','failed',3,3),(%lld,'b','running',1,1);"
		 "UPDATE runs SET state='failed' WHERE id=%lld", (long long)id, (long long)id, (long long)id);
	assert_int_equal(store_exec(s, sql), 0);
	const char *a[] = { "a" };
	int retries[] = { 2 };
	assert_int_equal(store_clear_tasks(s, id, a, 1, retries, "test clear"), 0);
	snprintf(sql, sizeof sql, "SELECT max_tries FROM task_instances WHERE run=%lld AND task_id='a'", (long long)id);
	assert_int_equal(q1(s, sql), 3 + 1 + 2);
	snprintf(sql, sizeof sql, "SELECT state='none' FROM task_instances WHERE run=%lld AND task_id='a'", (long long)id);
	assert_int_equal(q1(s, sql), 1);
	snprintf(sql, sizeof sql, "SELECT state='queued' FROM runs WHERE id=%lld", (long long)id);
	assert_int_equal(q1(s, sql), 1);
	/* a running one is restarting: the daemon stops its try, then runs it again */
	const char *b[] = { "b" };
	assert_int_equal(store_clear_tasks(s, id, b, 1, NULL, "test clear"), 0);
	snprintf(sql, sizeof sql, "SELECT state='restarting' AND max_tries=2 FROM task_instances WHERE run=%lld"
		 " AND task_id='b'", (long long)id);
	assert_int_equal(q1(s, sql), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE cause='test clear' AND new_state='restarting'"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE cause='test clear'"), 3);
}

static void test_pause_and_external_change(void **state)
{
	struct store *s = *state;
	assert_int_equal(store_exec(s, "INSERT INTO dags(dag_id, file, hash, schedule, timezone, loaded_us)"
				       " VALUES('d','f','h','none','UTC',0)"), 0);
	assert_int_equal(store_set_paused(s, "d", true, "t"), 0);
	assert_int_equal(q1(s, "SELECT paused FROM dags"), 1);
	assert_int_equal(store_set_paused(s, "nope", true, "t"), -1);
	assert_false(store_changed_externally(s));	/* our own writes do not count */
	char err[256];
	struct store *other = store_open(path, STORE_CREATE, err, sizeof err);
	assert_non_null(other);
	assert_true(store_request(other, "stop", "d", 1, "a", NULL) > 0);
	assert_true(store_changed_externally(s));
	assert_false(store_changed_externally(s));
	store_close(other);
}

/* Transactions nest: inner pairs join the outermost one, which alone commits;
 * a rollback anywhere dooms all of it: statements after it are refused (they
 * neither fall into autocommit nor run in the doomed transaction, as SQLite's
 * pager refuses work in its error state), and the outermost commit says so. */
static void test_nested_transactions(void **state)
{
	struct store *s = *state;
	static const char ins[] = "INSERT INTO dags(dag_id, file, hash, schedule, timezone, loaded_us)"
				  " VALUES('%s','f','h','none','UTC',0)";
	char sql[256];
	char err[256];
	struct store *other = store_open(path, STORE_CREATE, err, sizeof err);
	assert_non_null(other);

	assert_int_equal(store_begin(s), 0);
	snprintf(sql, sizeof sql, ins, "a");
	assert_int_equal(store_exec(s, sql), 0);
	assert_int_equal(store_begin(s), 0);
	snprintf(sql, sizeof sql, ins, "b");
	assert_int_equal(store_exec(s, sql), 0);
	assert_int_equal(store_commit(s), 0);	/* inner: nothing committed yet */
	assert_int_equal(q1(other, "SELECT count(*) FROM dags"), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(other, "SELECT count(*) FROM dags"), 2);

	assert_int_equal(store_begin(s), 0);
	snprintf(sql, sizeof sql, ins, "c");
	assert_int_equal(store_exec(s, sql), 0);
	assert_int_equal(store_begin(s), 0);
	store_rollback(s);			/* inner failure */
	snprintf(sql, sizeof sql, ins, "d");
	assert_int_equal(store_exec(s, sql), -1);	/* refused: the transaction is doomed */
	assert_null(store_cached(s, "SELECT 1"));
	assert_int_equal(q1(other, "SELECT count(*) FROM dags"), 2);
	assert_int_equal(store_commit(s), -1);
	assert_int_equal(q1(other, "SELECT count(*) FROM dags"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM dags WHERE dag_id IN ('c','d')"), 0);

	/* and the next transaction starts clean */
	assert_int_equal(store_begin(s), 0);
	snprintf(sql, sizeof sql, ins, "e");
	assert_int_equal(store_exec(s, sql), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(other, "SELECT count(*) FROM dags"), 3);
	store_close(other);
}

static long long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long long)st.st_size : -1;
}

/* With automatic checkpoints off, commits stay in the WAL; the checkpointer's
 * thread copies them into the database file on its own. */
/* A failed step inside a transaction dooms all of it (the daemon's pass
 * rolls back whole); an existing run found by store_create_run does not. */
static void test_failed_step_dooms_transaction(void **state)
{
	struct store *s = *state;
	static const char bad[] = "INSERT INTO dags(dag_id) VALUES('y')";	/* NOT NULL columns */
	assert_int_equal(store_begin(s), 0);
	assert_true(store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0) > 0);
	char existing[128] = "";
	assert_int_equal(store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", existing,
					  sizeof existing), 0);
	assert_string_equal(existing, "manual__1970-01-01T00:01:40+00:00");
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 1);

	assert_int_equal(store_begin(s), 0);
	assert_true(store_create_run(s, "d", "UTC", 300, 400, "manual", NULL, 0, 300, "t", NULL, 0) > 0);
	sqlite3_stmt *st = store_cached(s, bad);
	assert_non_null(st);
	assert_int_equal(store_step(s, st, "bad insert"), -1);
	assert_non_null(strstr(s->err, "bad insert"));
	assert_int_equal(store_exec(s, "SELECT 1"), -1);
	assert_int_equal(store_commit(s), -1);
	assert_int_equal(q1(s, "SELECT count(*) FROM runs"), 1);
}

static void test_checkpointer_thread(void **state)
{
	struct store *s = *state;
	assert_int_equal(store_exec(s, "PRAGMA wal_autocheckpoint=0"), 0);
	assert_int_equal(store_exec(s, "CREATE TABLE filler(x)"), 0);
	assert_int_equal(store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
	long long before = file_size(path);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_exec(s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
				       " INSERT INTO filler SELECT randomblob(500) FROM n"), 0);
	assert_int_equal(store_commit(s), 0);
	usleep(200000);
	assert_int_equal(file_size(path), before);	/* all of it still in the WAL */
	char err[256];
	struct checkpointer *c = checkpointer_start(path, 50, err, sizeof err);
	assert_non_null(c);
	for (int i = 0; i < 100 && file_size(path) <= before + 500 * 1000; i++)
		usleep(20000);
	assert_true(file_size(path) > before + 500 * 1000);
	checkpointer_stop(c);
	assert_int_equal(q1(s, "SELECT count(*) FROM filler"), 2000);
}

/* A database that is not in WAL mode has nothing to checkpoint: no thread,
 * and a reason, instead of a warning every pass. */
static void test_checkpointer_needs_wal(void **state)
{
	(void)state;
	char p[64] = "/tmp/test_store_nowal.XXXXXX";
	int fd = mkstemp(p);
	assert_true(fd >= 0);
	close(fd);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char err[256] = "";
	assert_null(checkpointer_start(p, 50, err, sizeof err));
	assert_non_null(strstr(err, "not in WAL mode (journal_mode delete)"));
	unlink(p);
}

static void test_state_names(void **state)
{
	(void)state;
	for (int i = 0; i < TI__COUNT; i++)
		assert_int_equal(ti_state_parse(ti_state_name((enum ti_state)i)), i);
	for (int i = 0; i < RUN__COUNT; i++)
		assert_int_equal(run_state_parse(run_state_name((enum run_state)i)), i);
	assert_int_equal(ti_state_parse("bogus"), -1);
	assert_true(ti_state_finished(TI_UPSTREAM_FAILED));
	assert_false(ti_state_finished(TI_UP_FOR_RETRY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_modes_never_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_run_and_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_gives_fresh_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause_and_external_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_step_dooms_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpointer_thread, setup, teardown),
		cmocka_unit_test(test_checkpointer_needs_wal),
		cmocka_unit_test(test_state_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
