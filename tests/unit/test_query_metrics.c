/* test_query_metrics.c: the figures of /metrics as the store keeps them:
 * runs and task instances by DAG and state, tries started/retried/failed and
 * their durations, stream restarts and crash loops, all moved by the daemon's
 * own store functions (store_daemon.h) in transactions, then read back by
 * query_metrics in one snapshot; and the daemon status row status.c writes
 * (at most once a second). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scheduler/daemon.h"
#include "scheduler/query.h"
#include "scheduler/query_metrics.h"
#include "scheduler/status.h"
#include "scheduler/store_daemon.h"

#define STORE_FIXTURE_NAME "test_query_metrics"
#include "tests/unit/store_fixture.h"

static int64_t count_of(const struct query_metric_count *c, size_t n, const char *dag_id, const char *state)
{
	for (size_t i = 0; i < n; i++)
		if ((!dag_id || strcmp(c[i].dag_id, dag_id) == 0) && strcmp(c[i].state, state) == 0)
			return c[i].n;
	return -1;
}

static const struct query_metric_tries *tries_of(const struct query_metrics *m, const char *dag_id,
						 const char *task_id)
{
	for (size_t i = 0; i < m->ntries; i++)
		if (strcmp(m->tries[i].dag_id, dag_id) == 0 && strcmp(m->tries[i].task_id, task_id) == 0)
			return &m->tries[i];
	return NULL;
}

/* One try of task: queued, running, ended state after dur_us. */
static void one_try(struct store *s, int64_t run, const char *task, int n, const char *state, int64_t dur_us)
{
	assert_int_equal(store_try_begin(s, run, task, n, "queued", 0, 1000, NULL), 0);
	assert_int_equal(store_try_begin(s, run, task, n, "running", 42, 2000, NULL), 0);
	struct store_try_end e = { .run = run, .task_id = task, .try_number = n, .state = state,
				   .exit_code = strcmp(state, "success") ? 1 : 0, .ended_us = 2000 + dur_us };
	assert_int_equal(store_try_end(s, &e, true), 0);
}

static void set_ti(struct store *s, int64_t run, const char *task, enum ti_state old, enum ti_state new,
		   int restarts)
{
	struct store_ti ti = { .run = run, .dag_id = "d", .task_id = task, .state = new, .try_number = 1,
			       .max_tries = 2, .restarts = restarts };
	assert_int_equal(store_ti_set(s, &ti, old, "test"), 0);
}

static void test_counts_follow_transitions(void **state)
{
	struct store *s = *state;
	int64_t run = store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0);
	assert_true(run > 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_run_started(s, run, "d", 1000), 0);
	assert_int_equal(store_ti_create(s, run, "a", 2), 0);
	assert_int_equal(store_ti_create(s, run, "b", 1), 0);
	set_ti(s, run, "a", TI_NONE, TI_RUNNING, 0);
	one_try(s, run, "a", 1, "failed", 500000);		/* 0.5 s */
	one_try(s, run, "a", 2, "success", 7000000);		/* 7 s: a retry */
	set_ti(s, run, "a", TI_RUNNING, TI_SUCCESS, 0);
	/* a try given back before it started: never counted as started */
	assert_int_equal(store_try_begin(s, run, "b", 1, "queued", 0, 1000, NULL), 0);
	assert_int_equal(store_ti_never_started(s, run, "d", "b", 1, TI_QUEUED), 0);
	one_try(s, run, "map[0]", 1, "failed", 1000);
	one_try(s, run, "map[0]", 2, "success", 1000);
	one_try(s, run, "map[1]", 1, "success", 1000);
	assert_int_equal(store_commit(s), 0);

	struct query_metrics m;
	char err[512];
	assert_int_equal(query_metrics(s, &m, err, sizeof err), Q_OK);
	assert_int_equal(count_of(m.runs, m.nruns, "d", "running"), 1);
	assert_int_equal(count_of(m.runs, m.nruns, "d", "queued"), 0);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "success"), 1);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "scheduled"), 1);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "running"), 0);
	const struct query_metric_tries *a = tries_of(&m, "d", "a");
	assert_non_null(a);
	assert_int_equal(a->started, 2);
	assert_int_equal(a->retried, 1);
	assert_int_equal(a->failed, 1);
	assert_int_equal(a->duration_count, 2);
	assert_true(a->duration_sum > 7.49 && a->duration_sum < 7.51);
	assert_int_equal(a->buckets[0], 1);	/* <= 1 s */
	assert_int_equal(a->buckets[1], 1);	/* <= 5 s */
	assert_int_equal(a->buckets[2], 2);	/* <= 10 s */
	const struct query_metric_tries *b = tries_of(&m, "d", "b");
	assert_true(!b || b->started == 0);
	/* a mapped task's instances are one series, their task's */
	assert_null(tries_of(&m, "d", "map[0]"));
	const struct query_metric_tries *mt = tries_of(&m, "d", "map");
	assert_non_null(mt);
	assert_int_equal(mt->started, 3);
	assert_int_equal(mt->failed, 1);
	assert_false(m.daemon.beating);
	query_metrics_free(&m);

	/* the history cleaned: the gauges drop, the counters stay */
	assert_int_equal(store_exec(s, "BEGIN; DELETE FROM tries; DELETE FROM task_instances; DELETE FROM runs;"
				       " COMMIT"), 0);
	assert_int_equal(query_metrics(s, &m, err, sizeof err), Q_OK);
	assert_int_equal(count_of(m.runs, m.nruns, "d", "running"), 0);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "success"), 0);
	assert_int_equal(tries_of(&m, "d", "a")->started, 2);
	query_metrics_free(&m);
}

static void test_stream_restarts_and_crash_loops(void **state)
{
	struct store *s = *state;
	int64_t run = store_create_run(s, "d", "UTC", 100, 200, "manual", NULL, 0, 100, "t", NULL, 0);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_ti_create(s, run, "svc", 1), 0);
	assert_int_equal(store_ti_create(s, run, "batch", 2), 0);
	set_ti(s, run, "svc", TI_NONE, TI_RUNNING, 0);
	set_ti(s, run, "svc", TI_RUNNING, TI_UP_FOR_RETRY, 1);
	set_ti(s, run, "svc", TI_UP_FOR_RETRY, TI_RUNNING, 1);
	set_ti(s, run, "svc", TI_RUNNING, TI_CRASH_LOOP, 2);
	/* a batch task's retry is no stream restart */
	set_ti(s, run, "batch", TI_NONE, TI_RUNNING, 0);
	set_ti(s, run, "batch", TI_RUNNING, TI_UP_FOR_RETRY, 0);
	assert_int_equal(store_commit(s), 0);
	struct query_metrics m;
	char err[512];
	assert_int_equal(query_metrics(s, &m, err, sizeof err), Q_OK);
	assert_int_equal(m.daemon.stream_restarts, 2);
	assert_int_equal(m.daemon.crash_loops, 1);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "crash_loop"), 1);
	assert_int_equal(count_of(m.tis, m.ntis, "d", "up_for_retry"), 1);
	query_metrics_free(&m);
}

/* status.c: the first write is at once, the next only a second later; the
 * loop figures are cumulative buckets. */
static void test_status_heartbeat(void **state)
{
	struct store *s = *state;
	struct daemon d = { .store = s, .nprocs = 3 };
	struct status st;
	status_init(&st, 1000);
	status_pass_done(&st, 800);		/* <= 1 ms */
	status_pass_done(&st, 20000);		/* <= 50 ms */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(status_write(&st, &d, 5000000), 0);
	assert_int_equal(store_commit(s), 0);
	status_pass_done(&st, 7000000);		/* over every bound */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(status_write(&st, &d, 5500000), 0);	/* not due: nothing written */
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(s, "SELECT heartbeat_us FROM daemon_status"), 5000000);
	struct query_metrics m;
	char err[512];
	assert_int_equal(query_metrics(s, &m, err, sizeof err), Q_OK);
	assert_true(m.daemon.beating);
	assert_int_equal(m.daemon.pid, getpid());
	assert_int_equal(m.daemon.loops, 2);
	assert_int_equal(m.daemon.loop_us_max, 20000);
	assert_int_equal(m.daemon.loop_buckets[0], 1);
	assert_int_equal(m.daemon.loop_buckets[3], 2);
	assert_int_equal(m.daemon.running_tries, 3);
	query_metrics_free(&m);
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(status_write(&st, &d, 6000000), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(q1(s, "SELECT heartbeat_us * 10 + loops FROM daemon_status"), 60000003);
	assert_int_equal(q1(s, "SELECT loop_b7 FROM daemon_status"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_follow_transitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_restarts_and_crash_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_heartbeat, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
