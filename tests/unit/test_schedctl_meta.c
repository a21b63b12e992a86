/* test_schedctl_meta.c: the DAG record as schedctl reads it from the dags
 * table (tasks JSON taken apart by SQLite), the closure that clear
 * --downstream/--upstream computes over it, and unknown names answered with
 * the nearest or the list. Uses a real state file in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui-cli/schedctl.h"

/*   a -> b -> d
 *   a -> c -> d -> e      f (alone) */
static const char tasks_json[] =
	"[{\"id\":\"a\",\"upstream\":[],\"retries\":1},"
	"{\"id\":\"b\",\"upstream\":[\"a\"],\"retries\":2,\"trigger_rule\":\"all_success\"},"
	"{\"id\":\"c\",\"upstream\":[\"a\"]},"
	"{\"id\":\"d\",\"upstream\":[\"b\",\"c\"],\"trigger_rule\":\"all_done\"},"
	"{\"id\":\"e\",\"upstream\":[\"d\"]},"
	"{\"id\":\"f\"}]";

struct fx {
	char dir[64];
	struct store *s;
	struct query_dag d;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_schedctl_meta.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char path[128], err[512];
	snprintf(path, sizeof path, "%s/state.db", f->dir);
	f->s = store_open(path, STORE_CREATE, err, sizeof err);
	if (!f->s)
		return -1;
	sqlite3_stmt *st = store_prepare(f->s, "INSERT INTO dags(dag_id, file, hash, schedule,"
					       " timezone, tasks, loaded_us) VALUES(?,'x.yaml','h',"
					       "'@daily','UTC',?,0)");
	const char *ids[] = { "sales_daily", "sales_weekly", "inventory" };
	for (int i = 0; i < 3; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, tasks_json, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return -1;
	}
	sqlite3_finalize(st);
	if (meta_load(f->s, "sales_daily", &f->d, err, sizeof err) != Q_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[160];
	query_dag_free(&f->d);
	store_close(f->s);
	const char *files[] = { "state.db", "state.db-wal", "state.db-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_load(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->d.ntasks, 6);
	assert_string_equal(f->d.tasks[3].id, "d");
	assert_int_equal(f->d.tasks[3].nup, 2);
	assert_int_equal(f->d.tasks[3].up[0], 1);
	assert_int_equal(f->d.tasks[3].up[1], 2);
	assert_int_equal(f->d.tasks[1].retries, 2);
	assert_int_equal(f->d.tasks[2].retries, 0);
	assert_string_equal(f->d.tasks[3].trigger_rule, "all_done");
	assert_null(f->d.tasks[2].trigger_rule);
	assert_int_equal(f->d.tasks[5].nup, 0);
	assert_string_equal(f->d.schedule, "@daily");
	assert_int_equal(query_task_index(&f->d, "e"), 4);
	assert_int_equal(query_task_index(&f->d, "z"), -1);
}

static void closure(struct fx *f, const char *start, bool down, bool up, const char *want)
{
	bool sel[6] = { 0 };
	for (const char *p = start; *p; p++)
		sel[*p - 'a'] = true;
	meta_closure(&f->d, sel, down, up);
	char got[8] = "";
	size_t n = 0;
	for (int i = 0; i < 6; i++)
		if (sel[i])
			got[n++] = (char)('a' + i);
	got[n] = 0;
	assert_string_equal(got, want);
}

static void test_closure(void **state)
{
	struct fx *f = *state;
	closure(f, "b", true, false, "bde");
	closure(f, "b", false, true, "ab");
	closure(f, "b", true, true, "abde");
	closure(f, "a", true, false, "abcde");
	closure(f, "e", false, true, "abcde");
	closure(f, "c", false, false, "c");
	closure(f, "f", true, true, "f");
	closure(f, "cf", true, false, "cdef");
}

static void test_unknown_names(void **state)
{
	struct fx *f = *state;
	char err[512];
	struct query_dag d;
	assert_int_equal(meta_load(f->s, "sales_daly", &d, err, sizeof err), Q_NOTFOUND);
	assert_non_null(strstr(err, "no DAG 'sales_daly'"));
	assert_non_null(strstr(err, "did you mean 'sales_daily'?"));
	assert_int_equal(meta_load(f->s, "zzz", &d, err, sizeof err), Q_NOTFOUND);
	assert_non_null(strstr(err, "known: inventory, sales_daily, sales_weekly"));
	meta_unknown_task(&f->d, "q", err, sizeof err);
	assert_non_null(strstr(err, "no task 'q' in DAG sales_daily"));

	const char *names[] = { "backfill", "trigger", "grid" };
	char hint[64];
	nearest_hint("trigerr", names, 3, hint, sizeof hint);
	assert_string_equal(hint, "did you mean 'trigger'?");
	nearest_hint("xyzzyq", names, 3, hint, sizeof hint);
	assert_string_equal(hint, "known: backfill, trigger, grid");
	nearest_hint("x", names, 0, hint, sizeof hint);
	assert_string_equal(hint, "there are none");
	nearest_hint("xyzzyq", names, 3, hint, 16);	/* truncated, still terminated */
	assert_int_equal(strlen(hint), 15);
	assert_string_equal(hint + 12, "...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
