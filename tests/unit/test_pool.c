/* test_pool.c: pools on a fresh state file: schedctl's writes (store_pool_set
 * creates, resizes and keeps the description unless given, with an event;
 * store_pool_delete says when there is none), query_pools (slots, and a pool
 * a task names that does not exist listed as missing), and the daemon's
 * accounting (scheduler/pool.c): slots held by procs not yet recorded count,
 * recorded ones and procs of other pools do not, pool_take never goes over
 * and tells an unknown pool and one too small apart. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/daemon.h"
#include "scheduler/pool.h"
#include "scheduler/query.h"
#include "scheduler/store.h"
#include "scheduler/store_cli.h"

#define STORE_FIXTURE_NAME "test_pool"
#include "tests/unit/store_fixture.h"

static void test_set_delete_query(void **state)
{
	struct store *s = *state;
	assert_int_equal(store_pool_set(s, "hbase", 4, "writers", "alice"), 0);
	assert_int_equal(store_pool_set(s, "hbase", 2, NULL, "alice"), 0);	/* resize keeps the text */
	assert_int_equal(q1(s, "SELECT slots FROM pools WHERE name='hbase'"), 2);
	assert_int_equal(q1(s, "SELECT count(*) FROM pools WHERE description='writers'"), 1);
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='pool_set' AND actor='alice'"), 2);
	/* A DAG whose task names a pool that does not exist. */
	sqlite3_stmt *st = store_prepare(s, "INSERT INTO dags(dag_id, file, hash, schedule, timezone, loaded_us, active, tasks)"
					    " VALUES('d', 'd.yaml', 'h', 'none', 'UTC', 0, 1,"
					    " '[{\"id\":\"t\",\"pool\":\"nosuch\",\"pool_slots\":1}]')");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	struct query_pools l;
	char err[512];
	assert_int_equal(query_pools(s, &l, err, sizeof err), Q_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "hbase");
	assert_int_equal(l.v[0].slots, 2);
	assert_false(l.v[0].missing);
	assert_string_equal(l.v[1].name, "nosuch");
	assert_true(l.v[1].missing);
	query_pools_free(&l);
	assert_int_equal(store_pool_delete(s, "hbase", "bob"), 1);
	assert_int_equal(store_pool_delete(s, "hbase", "bob"), 0);
	assert_non_null(strstr(s->err, "no pool 'hbase'"));
	assert_int_equal(q1(s, "SELECT count(*) FROM events WHERE new_state='pool_deleted'"), 1);
}

static void test_accounting(void **state)
{
	struct store *s = *state;
	assert_int_equal(store_pool_set(s, "p", 3, NULL, NULL), 0);
	assert_int_equal(store_pool_set(s, "zero", 0, NULL, NULL), 0);
	struct proc a = { .pool = "p", .pool_slots = 2, .phase = PROC_RUNNING };
	struct proc b = { .pool = "p", .pool_slots = 5, .phase = PROC_RECORDED, .next = &a };	/* left it */
	struct proc c = { .pool = "other", .pool_slots = 1, .phase = PROC_STARTING, .next = &b };
	struct proc e = { .pool = NULL, .phase = PROC_RUNNING, .next = &c };
	struct daemon d = { .store = s, .procs = &e };
	struct pool_table t = { 0 };
	assert_int_equal(pool_table_load(&d, &t), 0);
	int size = 0;
	assert_int_equal(pool_take(&t, "p", 2, &size), POOL_FULL);	/* 2 held of 3 */
	assert_int_equal(size, 3);
	assert_int_equal(pool_take(&t, "p", 1, &size), POOL_TAKEN);
	assert_int_equal(pool_take(&t, "p", 1, &size), POOL_FULL);
	assert_int_equal(pool_take(&t, "p", 4, &size), POOL_TOO_SMALL);
	assert_int_equal(pool_take(&t, "zero", 1, &size), POOL_TOO_SMALL);
	assert_int_equal(pool_take(&t, "other", 1, &size), POOL_UNKNOWN);
	/* The next pass reads again: a resize is seen. */
	assert_int_equal(store_pool_set(s, "p", 10, NULL, NULL), 0);
	assert_int_equal(pool_table_load(&d, &t), 0);
	assert_int_equal(pool_take(&t, "p", 8, &size), POOL_TAKEN);
	assert_int_equal(pool_take(&t, "p", 1, &size), POOL_FULL);
	pool_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_delete_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounting, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
