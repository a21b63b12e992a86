/* test_query.c: the read layer (scheduler/query.c) on a real state file:
 * each question's rows, Q_NOTFOUND for what does not exist, and Q_ERROR --
 * never fewer rows -- when SQLite fails: a page of the runs table overwritten
 * with garbage, a table missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/query.h"

#define NRUNS 400

struct fx {
	char dir[64], path[128];
	struct store *s;
};

static void exec_ok(struct store *s, const char *sql)
{
	assert_int_equal(store_exec(s, sql), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_query.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/state.db", f->dir);
	char err[512];
	struct store *w = store_open(f->path, STORE_CREATE, err, sizeof err);
	if (!w)
		return -1;
	exec_ok(w, "INSERT INTO dags(dag_id, file, hash, schedule, timezone, tasks, loaded_us)"
		   " VALUES('etl','etl.yaml','h','@daily','UTC',"
		   " '[{\"id\":\"a\"},{\"id\":\"b\",\"upstream\":[\"a\"],\"retries\":2,\"mapped\":true}]',0),"
		   " ('other','o.yaml','h','@daily','UTC','[]',0)");
	exec_ok(w, "INSERT INTO dag_files(file, dag_id, errors, checked_us)"
		   " VALUES('bad.yaml', NULL, 'bad.yaml:1:1: oops', 0)");
	/* Runs one day apart with long run ids, so the runs table spans pages. */
	exec_ok(w, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i+1<400)"
		   " INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state,"
		   " sort_key, created_us) SELECT 'etl', 'scheduled__' || i || printf('%.100c', 'x'),"
		   " i*86400, (i+1)*86400, 'scheduled', CASE WHEN i%2 THEN 'failed' ELSE 'success' END,"
		   " i, 1 FROM n");
	exec_ok(w, "INSERT INTO task_instances(run, task_id, state, try_number, max_tries, exit_code)"
		   " VALUES(400, 'a', 'failed', 1, 1, 3), (400, 'b', 'upstream_failed', 0, 3, NULL)");
	exec_ok(w, "INSERT INTO tries(run, task_id, try_number, state, ended_us, exit_code, signal,"
		   " log_path, cause) VALUES(400, 'a', 1, 'failed', 5, 3, NULL, '/l/a.log', 'exit code 3')");
	exec_ok(w, "INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state,"
		   " cause) VALUES(1,'etl',400,'a',1,'queued','running','process started'),"
		   " (2,'etl',400,'b',0,'none','upstream_failed','all_success'),"
		   " (3,'other',NULL,NULL,NULL,'unpaused','paused','schedctl'),"
		   " (4,'etl',399,'a',1,'running','success','exit code 0')");
	store_close(w);
	f->s = store_open(f->path, STORE_READ, err, sizeof err);
	if (!f->s)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	const char *files[] = { "state.db", "state.db-wal", "state.db-shm" };
	for (int i = 0; i < 3; i++) {
		char p[192];
		snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_dags_and_runs(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct query_dag d;
	assert_int_equal(query_dag(f->s, "etl", &d, err, sizeof err), Q_OK);
	assert_int_equal(d.ntasks, 2);
	assert_int_equal(d.tasks[1].nup, 1);
	assert_int_equal(d.tasks[1].up[0], 0);
	assert_int_equal(d.tasks[1].retries, 2);
	query_dag_free(&d);
	assert_int_equal(query_dag(f->s, "nope", &d, err, sizeof err), Q_NOTFOUND);
	assert_non_null(strstr(err, "no DAG 'nope'"));

	struct query_dag_list l;
	assert_int_equal(query_dags(f->s, &l, err, sizeof err), Q_OK);
	assert_int_equal(l.ndags, 2);
	assert_string_equal(l.dags[0].last_state, "failed");	/* run 400, i = 399 */
	assert_null(l.dags[1].last_state);
	assert_int_equal(l.nbroken, 1);
	assert_string_equal(l.broken[0].file, "bad.yaml");
	query_dag_list_free(&l);

	struct query_runs runs;
	assert_int_equal(query_runs(f->s, "etl", NULL, 0, &runs, err, sizeof err), Q_OK);
	assert_int_equal(runs.n, NRUNS);
	assert_int_equal(runs.v[0].logical_date, (NRUNS - 1) * 86400);
	query_runs_free(&runs);
	assert_int_equal(query_runs(f->s, "etl", "success", 5, &runs, err, sizeof err), Q_OK);
	assert_int_equal(runs.n, 5);
	assert_string_equal(runs.v[4].state, "success");
	query_runs_free(&runs);

	struct query_run r;
	assert_int_equal(query_run_latest(f->s, "other", &r, err, sizeof err), Q_NOTFOUND);
	assert_int_equal(query_run_at(f->s, "etl", 86400, &r, err, sizeof err), Q_OK);
	assert_int_equal(r.id, 2);
	char *dag = NULL;
	assert_int_equal(query_run_by_run_id(f->s, NULL, r.run_id, &r, &dag, err, sizeof err), Q_OK);
	assert_string_equal(dag, "etl");
	free(dag);
	time_t near[6];
	size_t n;
	assert_int_equal(query_run_dates_near(f->s, "etl", 10 * 86400, near, &n, err, sizeof err), Q_OK);
	assert_int_equal(n, 6);
	assert_int_equal(near[0], 7 * 86400);
	struct query_backfill_progress p;
	assert_int_equal(query_backfill_progress(f->s, 9, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.runs, 0);
}

static void test_task_instances_and_events(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct query_tis tis;
	assert_int_equal(query_task_instances(f->s, 400, &tis, err, sizeof err), Q_OK);
	assert_int_equal(tis.n, 2);
	assert_string_equal(tis.v[0].task_id, "a");
	assert_true(tis.v[0].has_exit);
	assert_int_equal(tis.v[0].exit_code, 3);
	assert_string_equal(tis.v[0].try_cause, "exit code 3");
	assert_string_equal(tis.v[0].cause, "process started");	/* its latest event */
	assert_string_equal(tis.v[1].cause, "all_success");	/* no try: the event says */
	assert_null(tis.v[1].try_cause);
	query_tis_free(&tis);

	struct query_try t;
	assert_int_equal(query_try(f->s, 400, "a", 0, &t, err, sizeof err), Q_OK);
	assert_int_equal(t.try_number, 1);
	assert_true(t.ended);
	assert_string_equal(t.log_path, "/l/a.log");
	query_try_free(&t);
	assert_int_equal(query_try(f->s, 400, "a", 2, &t, err, sizeof err), Q_NOTFOUND);

	struct query_events ev;
	struct query_event_filter all = { 0 };
	assert_int_equal(query_events(f->s, &all, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 4);
	assert_int_equal(ev.v[0].id, 1);	/* oldest first */
	assert_non_null(ev.v[0].run_id);
	assert_null(ev.v[2].run_id);
	query_events_free(&ev);
	struct query_event_filter last2 = { .dag_id = "etl", .last = 2 };
	assert_int_equal(query_events(f->s, &last2, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].id, 2);
	assert_int_equal(ev.v[1].id, 4);
	query_events_free(&ev);
	struct query_event_filter run = { .run = 400, .task_id = "b" };
	assert_int_equal(query_events(f->s, &run, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.v[0].new_state, "upstream_failed");
	query_events_free(&ev);
	struct query_event_filter after = { .after_id = 3 };
	assert_int_equal(query_events(f->s, &after, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 1);
	query_events_free(&ev);
	int64_t last;
	assert_int_equal(query_events_last_id(f->s, &last, err, sizeof err), Q_OK);
	assert_int_equal(last, 4);
}

/* Mapped instances (expand:): rows "b[N]" come right after b by index (not
 * SQL's b[10] before b[2]), with map_index; query_tis_sort_dag puts a run in
 * the DAG's order, instances under their task, unknown tasks last; events of
 * a task can include its instances' (not those of "b_x", nor "b[" alone). */
static void test_mapped_instances(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct store *w = store_open(f->path, STORE_WRITE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "INSERT INTO task_instances(run, task_id, state, try_number, max_tries) VALUES"
		   " (398, 'b[10]', 'failed', 1, 1), (398, 'b', 'failed', 0, 1), (398, 'zz', 'success', 1, 1),"
		   " (398, 'b[2]', 'success', 1, 1), (398, 'a', 'success', 1, 1), (398, 'b[0]', 'success', 1, 1),"
		   " (398, 'b_x', 'success', 1, 1), (398, 'a-1[3]', 'success', 1, 1)");
	exec_ok(w, "INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause) VALUES"
		   " (10,'etl',398,'b[2]',1,'running','success','exit code 0'),"
		   " (11,'etl',398,'b_x',1,'running','success','exit code 0'),"
		   " (12,'etl',398,'b',0,'running','failed','1 of 3 instances failed')");
	store_close(w);

	struct query_tis tis;
	assert_int_equal(query_task_instances(f->s, 398, &tis, err, sizeof err), Q_OK);
	static const char *const by_name[] = { "a", "a-1[3]", "b", "b[0]", "b[2]", "b[10]", "b_x", "zz" };
	static const int index[] = { -1, 3, -1, 0, 2, 10, -1, -1 };
	assert_int_equal(tis.n, 8);
	for (size_t i = 0; i < tis.n; i++) {
		assert_string_equal(tis.v[i].task_id, by_name[i]);
		assert_int_equal(tis.v[i].map_index, index[i]);
	}
	struct query_dag d;
	assert_int_equal(query_dag(f->s, "etl", &d, err, sizeof err), Q_OK);	/* tasks a, b */
	assert_false(d.tasks[0].mapped);
	assert_true(d.tasks[1].mapped);
	assert_int_equal(query_ti_task_index(&d, "b[10]"), 1);
	assert_int_equal(query_ti_task_index(&d, "b"), 1);
	assert_int_equal(query_ti_task_index(&d, "a"), 0);
	assert_int_equal(query_ti_task_index(&d, "b_x"), -1);
	assert_int_equal(query_ti_task_index(&d, "c[1]"), -1);
	assert_int_equal(query_task_index(&d, "b[10]"), -1);	/* not a task of the model */
	query_tis_sort_dag(&d, &tis);
	static const char *const by_dag[] = { "a", "b", "b[0]", "b[2]", "b[10]", "a-1[3]", "b_x", "zz" };
	for (size_t i = 0; i < tis.n; i++)
		assert_string_equal(tis.v[i].task_id, by_dag[i]);
	query_tis_free(&tis);
	query_dag_free(&d);

	assert_int_equal(query_ti_states(f->s, 398, &tis, err, sizeof err), Q_OK);
	assert_string_equal(tis.v[5].task_id, "b[10]");	/* the same order without ORDER BY */
	query_tis_free(&tis);

	struct query_events ev;
	struct query_event_filter task = { .run = 398, .task_id = "b", .task_instances = true };
	assert_int_equal(query_events(f->s, &task, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.v[0].task_id, "b[2]");
	assert_string_equal(ev.v[1].task_id, "b");
	query_events_free(&ev);
	struct query_event_filter own = { .dag_id = "etl", .task_id = "b" };	/* and run 400's b */
	assert_int_equal(query_events(f->s, &own, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.v[1].cause, "1 of 3 instances failed");
	query_events_free(&ev);
	struct query_event_page_filter pf = { .task_id = "b", .task_instances = true, .after_us = INT64_MIN,
					       .before_us = INT64_MAX, .order = QEO_ID, .limit = 10 };
	struct query_event_page page;
	assert_int_equal(query_events_page(f->s, &pf, &page, err, sizeof err), Q_OK);
	assert_int_equal(page.total, 3);	/* run 400's b, b[2], b; not b_x */
	assert_string_equal(page.v[1].task_id, "b[2]");
	query_event_page_free(&page);
	pf.task_instances = false;
	assert_int_equal(query_events_page(f->s, &pf, &page, err, sizeof err), Q_OK);
	assert_int_equal(page.total, 2);
	query_event_page_free(&page);
	struct query_event_filter one = { .task_id = "b[2]", .task_instances = false };
	assert_int_equal(query_events(f->s, &one, &ev, err, sizeof err), Q_OK);
	assert_int_equal(ev.n, 1);
	query_events_free(&ev);
}

/* The web UI's reads: grid cells with the current try's cause and no event,
 * every try of an instance, a run's conf, the count of runs, a stored file. */
static void test_web_ui_reads(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct query_tis tis;
	assert_int_equal(query_grid_cells(f->s, 400, &tis, err, sizeof err), Q_OK);
	assert_int_equal(tis.n, 2);
	size_t a = strcmp(tis.v[0].task_id, "a") == 0 ? 0 : 1;
	assert_string_equal(tis.v[a].state, "failed");
	assert_int_equal(tis.v[a].try_number, 1);
	assert_string_equal(tis.v[a].cause, "exit code 3");	/* the try's, not the event's */
	assert_null(tis.v[1 - a].cause);
	query_tis_free(&tis);

	struct query_tries tries;
	assert_int_equal(query_tries(f->s, 400, "a", &tries, err, sizeof err), Q_OK);
	assert_int_equal(tries.n, 1);
	assert_int_equal(tries.v[0].try_number, 1);
	assert_string_equal(tries.v[0].state, "failed");
	assert_true(tries.v[0].has_exit);
	assert_int_equal(tries.v[0].exit_code, 3);
	assert_string_equal(tries.v[0].cause, "exit code 3");
	query_tries_free(&tries);
	assert_int_equal(query_tries(f->s, 400, "b", &tries, err, sizeof err), Q_OK);
	assert_int_equal(tries.n, 0);
	query_tries_free(&tries);

	char *conf;
	assert_int_equal(query_run_conf(f->s, 400, &conf, err, sizeof err), Q_OK);
	assert_null(conf);
	assert_int_equal(query_run_conf(f->s, 4000, &conf, err, sizeof err), Q_NOTFOUND);

	int64_t n;
	assert_int_equal(query_run_count(f->s, "etl", &n, err, sizeof err), Q_OK);
	assert_int_equal(n, NRUNS);
	assert_int_equal(query_run_count(f->s, "nope", &n, err, sizeof err), Q_OK);
	assert_int_equal(n, 0);

	char *file, *source;
	assert_int_equal(query_dag_source(f->s, "etl", 0, &file, &source, err, sizeof err), Q_NOTFOUND);
	assert_non_null(strstr(err, "etl"));
	/* two stored versions: 0 asks for the DAG's current one */
	struct store *w = store_open(f->path, STORE_WRITE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "INSERT INTO dag_versions(id, dag_id, hash, file, source, created_us)"
		   " VALUES(7, 'etl', 'a', 'etl.yaml', 'dag: etl # old', 1), (8, 'etl', 'b', 'etl.yaml', 'dag: etl', 2)");
	exec_ok(w, "UPDATE dags SET version=8 WHERE dag_id='etl'");
	store_close(w);
	assert_int_equal(query_dag_source(f->s, "etl", 0, &file, &source, err, sizeof err), Q_OK);
	assert_string_equal(file, "etl.yaml");
	assert_string_equal(source, "dag: etl");
	free(file);
	free(source);
	assert_int_equal(query_dag_source(f->s, "etl", 7, &file, &source, err, sizeof err), Q_OK);
	assert_string_equal(source, "dag: etl # old");
	free(file);
	free(source);
	/* a version of another DAG is not this one's */
	assert_int_equal(query_dag_source(f->s, "other", 7, &file, &source, err, sizeof err), Q_NOTFOUND);
}

/* A run id two DAGs share names both; with the DAG it is found. */
static void test_ambiguous_run_id(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct store *w = store_open(f->path, STORE_CREATE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state,"
		   " sort_key, created_us) VALUES('other', 'manual__x', 0, 0, 'manual', 'queued', 0, 1),"
		   " ('etl', 'manual__x', -1, 0, 'manual', 'queued', 0, 1)");
	store_close(w);
	struct query_run r;
	char *dag = NULL;
	assert_int_equal(query_run_by_run_id(f->s, NULL, "manual__x", &r, &dag, err, sizeof err),
			 Q_NOTFOUND);
	assert_null(dag);
	assert_non_null(strstr(err, "DAG etl and DAG other; name the DAG"));
	assert_int_equal(query_run_by_run_id(f->s, "other", "manual__x", &r, &dag, err, sizeof err),
			 Q_OK);
	assert_string_equal(dag, "other");
	assert_string_equal(r.run_id, "manual__x");
	free(dag);
	assert_int_equal(query_run_by_run_id(f->s, "etl", "nope", &r, NULL, err, sizeof err),
			 Q_NOTFOUND);
	assert_non_null(strstr(err, "DAG etl has no run 'nope'"));
}

/* Inside a snapshot, a commit by another connection is not seen; after it, it is. */
static void test_snapshot(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct query_runs runs;
	assert_int_equal(query_snapshot_begin(f->s, err, sizeof err), Q_OK);
	assert_int_equal(query_runs(f->s, "etl", NULL, 0, &runs, err, sizeof err), Q_OK);
	assert_int_equal(runs.n, NRUNS);
	query_runs_free(&runs);
	struct store *w = store_open(f->path, STORE_CREATE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type, state,"
		   " sort_key, created_us) VALUES('etl', 'late', -5, 0, 'manual', 'queued', 0, 1)");
	store_close(w);
	assert_int_equal(query_runs(f->s, "etl", NULL, 0, &runs, err, sizeof err), Q_OK);
	assert_int_equal(runs.n, NRUNS);	/* the snapshot's state */
	query_runs_free(&runs);
	assert_int_equal(query_snapshot_end(f->s, err, sizeof err), Q_OK);
	assert_int_equal(query_runs(f->s, "etl", NULL, 0, &runs, err, sizeof err), Q_OK);
	assert_int_equal(runs.n, NRUNS + 1);
	query_runs_free(&runs);
	assert_int_equal(query_snapshot_end(f->s, err, sizeof err), Q_OK);	/* none open: fine */
}

/* Overwrites the root page of the runs table (an interior page: the table
 * spans several) with garbage. */
static void corrupt_runs(struct fx *f)
{
	char err[512];
	store_close(f->s);
	struct store *w = store_open(f->path, STORE_CREATE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_stmt *st = store_prepare(w, "SELECT rootpage FROM sqlite_schema WHERE name='runs'");
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int page = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = store_prepare(w, "PRAGMA page_size");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	store_close(w);
	char *junk = malloc((size_t)size);
	memset(junk, 0x5a, (size_t)size);
	int fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, (size_t)size, (off_t)(page - 1) * size), size);
	close(fd);
	free(junk);
	f->s = store_open(f->path, STORE_READ, err, sizeof err);
	assert_non_null(f->s);
}

/* The REST API's pages: filters, order and limit/offset are SQL's, the
 * total counts every match. 400 runs of etl, day i: failed when i is odd. */
static void test_run_and_event_pages(void **state)
{
	struct fx *f = *state;
	char err[512];
	struct query_run_filter rf;
	struct query_run_page p;
	query_run_filter_init(&rf);
	rf.dag_ids_json = "[\"etl\"]";
	rf.limit = 25;
	rf.offset = 10;
	assert_int_equal(query_runs_page(f->s, &rf, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.total, NRUNS);
	assert_int_equal(p.n, 25);
	assert_int_equal(p.v[0].r.logical_date, 10 * 86400);
	assert_string_equal(p.v[0].dag_id, "etl");
	assert_null(p.v[0].conf);
	query_run_page_free(&p);
	/* newest first, failed only, logical dates within days [100, 199] */
	rf.desc = true;
	rf.offset = 0;
	rf.states_json = "[\"failed\"]";
	rf.ld_gte = 100 * 86400;
	rf.ld_lte = 199 * 86400;
	assert_int_equal(query_runs_page(f->s, &rf, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.total, 50);
	assert_int_equal(p.n, 25);
	assert_int_equal(p.v[0].r.logical_date, 199 * 86400);
	assert_string_equal(p.v[0].r.state, "failed");
	assert_int_equal(p.v[24].r.logical_date, 151 * 86400);
	query_run_page_free(&p);
	/* several DAGs, and every DAG (the other has no runs) */
	query_run_filter_init(&rf);
	rf.dag_ids_json = "[\"etl\",\"other\"]";
	rf.order = QRO_RUN_ID;
	rf.limit = 1;
	assert_int_equal(query_runs_page(f->s, &rf, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.total, NRUNS);
	assert_int_equal(p.n, 1);
	assert_true(strncmp(p.v[0].r.run_id, "scheduled__0x", 13) == 0);
	query_run_page_free(&p);
	query_run_filter_init(&rf);
	rf.dag_ids_json = "[\"other\"]";
	assert_int_equal(query_runs_page(f->s, &rf, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.total, 0);
	assert_int_equal(p.n, 0);
	query_run_page_free(&p);
	query_run_filter_init(&rf);
	rf.sd_gte = 1;	/* no run has started: a bound on a date it lacks excludes it */
	assert_int_equal(query_runs_page(f->s, &rf, &p, err, sizeof err), Q_OK);
	assert_int_equal(p.total, 0);
	query_run_page_free(&p);

	struct query_event_page_filter ef = { .after_us = INT64_MIN, .before_us = INT64_MAX };
	struct query_event_page ep;
	ef.dag_id = "etl";
	ef.order = QEO_WHEN;
	ef.desc = true;
	ef.limit = 2;
	assert_int_equal(query_events_page(f->s, &ef, &ep, err, sizeof err), Q_OK);
	assert_int_equal(ep.total, 3);
	assert_int_equal(ep.n, 2);
	assert_int_equal(ep.v[0].at_us, 4);
	assert_int_equal(ep.v[1].at_us, 2);
	query_event_page_free(&ep);
	ef.dag_id = NULL;
	ef.task_id = "a";
	ef.after_us = 2;
	ef.limit = 0;
	assert_int_equal(query_events_page(f->s, &ef, &ep, err, sizeof err), Q_OK);
	assert_int_equal(ep.total, 1);
	assert_int_equal(ep.v[0].at_us, 4);
	assert_string_equal(ep.v[0].new_state, "success");
	query_event_page_free(&ep);
}

static void test_corrupt_page_is_an_error(void **state)
{
	struct fx *f = *state;
	corrupt_runs(f);
	char err[1024];
	struct query_runs runs;
	assert_int_equal(query_runs(f->s, "etl", NULL, 0, &runs, err, sizeof err), Q_ERROR);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err, "malformed"));
	assert_null(runs.v);
	struct query_run r;
	assert_int_equal(query_run_latest(f->s, "etl", &r, err, sizeof err), Q_ERROR);
	struct query_dag_list l;
	assert_int_equal(query_dags(f->s, &l, err, sizeof err), Q_ERROR);
	assert_int_equal(l.ndags, 0);
	struct query_events ev;
	struct query_event_filter all = { 0 };	/* joins runs for the run ids */
	assert_int_equal(query_events(f->s, &all, &ev, err, sizeof err), Q_ERROR);
	/* The dags table is intact: its record still reads. */
	struct query_dag d;
	assert_int_equal(query_dag(f->s, "etl", &d, err, sizeof err), Q_OK);
	query_dag_free(&d);
}

static void test_missing_table_is_an_error(void **state)
{
	struct fx *f = *state;
	char err[1024];
	store_close(f->s);
	struct store *w = store_open(f->path, STORE_CREATE, err, sizeof err);
	assert_non_null(w);
	exec_ok(w, "DROP TABLE task_instances");
	store_close(w);
	f->s = store_open(f->path, STORE_READ, err, sizeof err);
	assert_non_null(f->s);
	struct query_tis tis;
	assert_int_equal(query_task_instances(f->s, 400, &tis, err, sizeof err), Q_ERROR);
	assert_non_null(strstr(err, "no such table"));
	assert_int_equal(query_ti_states(f->s, 400, &tis, err, sizeof err), Q_ERROR);
	int n = -1;
	assert_int_equal(query_run_finished_tasks(f->s, 400, &n, err, sizeof err), Q_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dags_and_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_instances_and_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapped_instances, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_run_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web_ui_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_and_event_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_page_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_table_is_an_error, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
