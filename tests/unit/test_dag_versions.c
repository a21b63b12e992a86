/* test_dag_versions.c: the store and query functions of DAG versions
 * (issue 16): a content is stored once per (dag, hash) and dags.version
 * follows the current one; a run is pinned at creation to dags.version;
 * store_run_repin moves it to the current version with an event naming the
 * actor; query_dag_at_version reads a version's tasks and
 * query_dag_versions lists the versions with their runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/query.h"
#include "scheduler/store.h"
#include "scheduler/store_cli.h"
#include "scheduler/store_daemon.h"

#define STORE_FIXTURE_NAME "test_dag_versions"
#include "tests/unit/store_fixture.h"

/* What dagbag.c records when the daemon loads a file of that content. */
static int64_t load(struct store *s, const char *hash, const char *source, const char *tasks)
{
	struct store_dag_row row = { "d", "/dags/d.yaml", hash, "none", "UTC", NULL, tasks, source };
	bool paused;
	time_t ni;
	int64_t version = -1;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_dag_record(s, &row, false, &paused, &ni, &version), 0);
	assert_int_equal(store_commit(s), 0);
	return version;
}

#define TASKS_AB "[{\"id\":\"a\",\"upstream\":[]},{\"id\":\"b\",\"upstream\":[\"a\"]}]"
#define TASKS_AB2 "[{\"id\":\"a\",\"upstream\":[]},{\"id\":\"b2\",\"upstream\":[\"a\"]}]"

static void test_version_stored_once(void **state)
{
	struct store *s = *state;
	int64_t v1 = load(s, "h1", "dag: d\n# b\n", TASKS_AB);
	assert_true(v1 > 0);
	assert_int_equal(q1(s, "SELECT version FROM dags WHERE dag_id='d'"), v1);
	assert_int_equal(load(s, "h1", "dag: d\n# b\n", TASKS_AB), v1);	/* same content: same version */
	int64_t v2 = load(s, "h2", "dag: d\n# b2\n", TASKS_AB2);
	assert_true(v2 > v1);
	assert_int_equal(q1(s, "SELECT version FROM dags WHERE dag_id='d'"), v2);
	assert_int_equal(load(s, "h1", "dag: d\n# b\n", TASKS_AB), v1);	/* reverted: the old version again */
	assert_int_equal(q1(s, "SELECT count(*) FROM dag_versions"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM dag_versions WHERE source='dag: d\n# b2\n'"), 1);
	assert_int_equal(load(s, "h2", NULL, TASKS_AB2), v2);	/* without source: looked up only */
	assert_int_equal(load(s, "h3", NULL, TASKS_AB2), 0);
	assert_int_equal(q1(s, "SELECT count(*) FROM dag_versions"), 2);
}

static void test_run_pinned_and_repinned(void **state)
{
	struct store *s = *state;
	int64_t v1 = load(s, "h1", "one", TASKS_AB);
	int64_t r = store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0);
	assert_true(r > 0);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT version FROM runs WHERE id=%lld", (long long)r);
	assert_int_equal(q1(s, sql), v1);
	int64_t v2 = load(s, "h2", "two", TASKS_AB2);
	assert_int_equal(q1(s, sql), v1);	/* a new version changes no run */

	/* The queries see the run's version and its tasks. */
	char err[512];
	struct query_run qr;
	assert_int_equal(query_run_by_id(s, r, &qr, err, sizeof err), Q_OK);
	assert_int_equal(qr.version, v1);
	struct query_dag d;
	assert_int_equal(query_dag(s, "d", &d, err, sizeof err), Q_OK);
	assert_int_equal(d.version, v2);
	assert_true(query_task_index(&d, "b2") >= 0 && query_task_index(&d, "b") < 0);
	assert_int_equal(query_dag_at_version(s, &d, v1, err, sizeof err), Q_OK);
	assert_int_equal(d.version, v1);
	assert_int_equal(d.ntasks, 2);
	assert_true(query_task_index(&d, "b") == 1 && query_task_index(&d, "b2") < 0);
	assert_int_equal(d.tasks[1].nup, 1);
	assert_int_equal(d.tasks[1].up[0], 0);
	assert_int_equal(query_dag_at_version(s, &d, 999, err, sizeof err), Q_NOTFOUND);
	assert_non_null(strstr(err, "no version 999"));
	assert_int_equal(d.version, v1);	/* unchanged */
	query_dag_free(&d);

	struct query_dag_versions vs;
	assert_int_equal(query_dag_versions(s, "d", &vs, err, sizeof err), Q_OK);
	assert_int_equal(vs.n, 2);
	assert_int_equal(vs.v[0].id, v1);
	assert_int_equal(vs.v[0].nruns, 1);
	assert_int_equal(vs.v[0].nactive, 1);
	assert_string_equal(vs.v[0].run_ids, "[\"manual__1970-01-01T00:01:40+00:00\"]");
	assert_false(vs.v[0].current);
	assert_int_equal(vs.v[1].nruns, 0);
	assert_true(vs.v[1].current);
	assert_int_equal(vs.v[1].ntasks, 2);
	query_dag_versions_free(&vs);

	int64_t from, to;
	assert_int_equal(store_run_repin(s, r, "alice", &from, &to), 1);
	assert_int_equal(from, v1);
	assert_int_equal(to, v2);
	assert_int_equal(q1(s, sql), v2);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE actor='alice'"
			    " AND cause LIKE '%version 1 -> 2'"), 1);
	assert_int_equal(store_run_repin(s, r, "alice", &from, &to), 0);	/* already current */
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE actor='alice'"), 1);
	assert_int_equal(store_run_repin(s, 12345, "alice", &from, &to), -1);	/* no such run */
}

static void test_run_before_any_version(void **state)
{
	struct store *s = *state;
	int64_t r = store_create_run(s, "nodag", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0);
	assert_true(r > 0);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT version IS NULL FROM runs WHERE id=%lld", (long long)r);
	assert_int_equal(q1(s, sql), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_pinned_and_repinned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_before_any_version, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
