/* test_dag_parse.c: the DAG parse worker (dag_parse.c): its wire format, and
 * the child process with its time budget. The child is this test program
 * itself ("--parse-dags", as schedulerd does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "scheduler/dag.h"
#include "scheduler/dag_parse.h"
#include "scheduler/diag.h"

static const char rich_yaml[] =
	"dag: rich\n"
	"description: Every kind of field\n"
	"schedule: \"30 2 * * 1-5\"\n"
	"timezone: Asia/Seoul\n"
	"start_date: 1970-07-20\n"
	"end_date: 2030-01-01\n"
	"catchup: true\n"
	"paused_on_create: false\n"
	"max_active_runs: 3\n"
	"concurrency: 7\n"
	"params: {region: kr, n: '5'}\n"
	"deadline: 90m\n"
	"notify:\n"
	"  - {on: [run_failed, deadline_missed], webhook: \"{{ env.HOOK }}\", format: slack}\n"
	"  - {on: task_failed, command: [tool, \"{{ cause }}\"], timeout: 5s}\n"
	"default: {retries: 2, env: {A: '1'}}\n"
	"tasks:\n"
	"  - id: a\n"
	"    command: [run, \"{{ ds }}\", \"{{ params.region }}\"]\n"
	"    timeout: 5m\n"
	"    no_retry_exit_codes: [3, 4]\n"
	"    cwd: /tmp\n"
	"    outlets: [\"hdfs:///d/{{ ds_nodash }}\", \"file:///x\"]\n"
	"  - id: s\n"
	"    wait_for: {path: \"/data/{{ ds }}/done\", poke: 10s, timeout: 2h}\n"
	"  - id: b\n"
	"    command: \"echo hi\"\n"
	"    shell: true\n"
	"    depends_on: [a, s]\n"
	"    trigger_rule: one_success\n"
	"    retry_backoff: exponential\n"
	"    max_active_tis_per_dag: 1\n"
	"    executor: slurm\n"
	"    slurm: {partition: batch, cpus: 2, mem: 1G, time: 90s, account: etl, qos: normal}\n"
	"    notify: [{on: task_retry, email: {to: a@b.c, from: s@b.c, smtp: \"smtp://h\"}}]\n"
	"    pool: hbase\n"
	"    pool_slots: 3\n"
	"    priority_weight: -7\n"
	"    expand: {over: [x, y], as: part, max_length: 5}\n";

static const char datasets_yaml[] =
	"dag: consumer\n"
	"schedule: {datasets: [\"hdfs:///a\", \"s3://b/c\"]}\n"
	"tasks:\n"
	"  - {id: t, command: [\"true\"]}\n";

static void test_wire_datasets(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("c.yaml", datasets_yaml, strlen(datasets_yaml), &l);
	assert_non_null(d);
	size_t len;
	unsigned char *w = dag_wire_encode(d, &l, &len);
	struct dag *back = NULL;
	assert_int_equal(dag_wire_decode(w, len, "c.yaml", &back, &l), 0);
	assert_non_null(back);
	assert_int_equal(back->kind, SCHEDULE_DATASETS);
	assert_int_equal(back->ndatasets, 2);
	assert_string_equal(back->datasets[1], "s3://b/c");
	for (size_t cut = 0; cut < len; cut++) {	/* every truncation is refused, nothing leaks */
		struct dag *x = NULL;
		assert_int_equal(dag_wire_decode(w, cut, "c.yaml", &x, &l), -1);
		assert_null(x);
	}
	free(w);
	dag_free(back);
	dag_free(d);
	diag_list_clear(&l);
}

static void test_wire_round_trip(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("rich.yaml", rich_yaml, strlen(rich_yaml), &l);
	assert_non_null(d);
	size_t len, len2;
	unsigned char *w = dag_wire_encode(d, &l, &len);
	struct dag *back = NULL;
	assert_int_equal(dag_wire_decode(w, len, "rich.yaml", &back, &l), 0);
	assert_non_null(back);
	assert_int_equal(l.n, 0);
	/* Every field: the copy encodes to the same bytes. */
	unsigned char *w2 = dag_wire_encode(back, &l, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(w, w2, len);
	assert_string_equal(back->dag_id, "rich");
	assert_string_equal(back->source, rich_yaml);	/* stored as the DAG's version */
	assert_true(back->has_start_date);
	assert_true(back->has_paused_on_create);	/* "false" given: kept apart from unset */
	assert_false(back->paused_on_create);
	assert_int_equal(back->start_date, 200 * 86400 - 9 * 3600);	/* 1970-07-20, UTC+9 */
	assert_int_equal(back->ntasks, 3);
	assert_int_equal(back->tasks[0].noutlets, 2);
	assert_string_equal(back->tasks[0].outlets[1], "file:///x");
	assert_int_equal(back->tasks[2].nupstream, 2);
	assert_string_equal(back->tasks[2].pool, "hbase");
	assert_int_equal(back->tasks[2].pool_slots, 3);
	assert_int_equal(back->tasks[2].priority_weight, -7);
	assert_string_equal(back->tasks[2].map_over, "[\"x\",\"y\"]");
	assert_true(back->tasks[2].map_literal);
	assert_string_equal(back->tasks[2].map_as, "part");
	assert_int_equal(back->tasks[2].map_max, 5);
	assert_null(back->tasks[0].map_over);
	assert_null(back->tasks[0].pool);
	assert_int_equal(back->tasks[0].pool_slots, 1);
	assert_int_equal(back->tasks[0].priority_weight, 1);
	assert_int_equal(back->tasks[2].upstream[1], 1);
	assert_int_equal(back->tasks[0].ndownstream, 1);
	assert_string_equal(back->tasks[0].command[2], "{{ params.region }}");
	assert_null(back->tasks[0].command[3]);
	assert_null(back->tasks[1].command);
	assert_string_equal(back->tasks[1].wait_path, "/data/{{ ds }}/done");
	assert_int_equal(back->tasks[1].wait_timeout_ms, 2 * 3600 * 1000);
	assert_string_equal(back->tasks[2].env[0].key, "A");
	assert_int_equal(back->cron.hour, 1u << 2);
	assert_int_equal(back->tasks[2].executor, EXECUTOR_SLURM);
	assert_int_equal(back->tasks[0].executor, EXECUTOR_LOCAL);
	assert_string_equal(back->tasks[2].slurm.partition, "batch");
	assert_string_equal(back->tasks[2].slurm.account, "etl");
	assert_string_equal(back->tasks[2].slurm.qos, "normal");
	assert_int_equal(back->tasks[2].slurm.cpus, 2);
	assert_int_equal(back->tasks[2].slurm.mem_mb, 1024);
	assert_int_equal(back->tasks[2].slurm.time_min, 2);	/* 90 s: rounded up to minutes */
	assert_int_equal(back->deadline_ms, 90 * 60 * 1000);
	assert_int_equal(back->nnotify, 2);
	assert_int_equal(back->notify[0].events, (1u << NOTIFY_RUN_FAILED) | (1u << NOTIFY_DEADLINE_MISSED));
	assert_string_equal(back->notify[0].spec, "{\"type\":\"webhook\",\"url\":\"{{ env.HOOK }}\",\"format\":\"slack\"}");
	assert_string_equal(back->notify[0].address, "{{ env.HOOK }}");
	assert_string_equal(back->notify[1].spec, "{\"type\":\"command\",\"argv\":[\"tool\",\"{{ cause }}\"],\"timeout\":\"5s\"}");
	assert_int_equal(back->tasks[2].nnotify, 1);
	assert_int_equal(back->tasks[2].notify[0].type, NOTIFY_EMAIL);
	assert_string_equal(back->tasks[2].notify[0].spec,
			    "{\"type\":\"email\",\"to\":[\"a@b.c\"],\"from\":\"s@b.c\",\"smtp\":\"smtp://h\"}");
	assert_string_equal(back->tasks[2].notify[0].address, "smtp://h");
	/* Any cut of the bytes is refused, never read past. */
	for (size_t cut = 0; cut < len; cut++) {
		struct dag *x = NULL;
		assert_int_equal(dag_wire_decode(w, cut, "rich.yaml", &x, &l), -1);
		assert_null(x);
		diag_list_clear(&l);
	}
	free(w);
	free(w2);
	dag_free(d);
	dag_free(back);

	/* A failed load travels as its diagnostics. */
	d = dag_load_buffer("bad.yaml", "dag: x\ntasks: [{id: a}]\n", 24, &l);
	assert_null(d);
	assert_int_equal(l.n, 1);
	w = dag_wire_encode(NULL, &l, &len);
	struct diag_list l2 = { 0 };
	assert_int_equal(dag_wire_decode(w, len, "bad.yaml", &back, &l2), 0);
	assert_null(back);
	assert_int_equal(l2.n, 1);
	assert_string_equal(l2.items[0].msg, l.items[0].msg);
	assert_int_equal(l2.items[0].line, l.items[0].line);
	assert_int_equal(l2.items[0].column, l.items[0].column);
	free(w);
	diag_list_clear(&l);
	diag_list_clear(&l2);
	free(l.items);
	free(l2.items);
}

static char dir[] = "/tmp/test_dag_parse_XXXXXX";
static char self[4096];	/* this program, the parser's executable (not /proc/self/exe: valgrind) */

static const char *write_file(const char *name, const char *body, size_t len)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, 512, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(body, 1, len, f), len);
	fclose(f);
	return p;
}

static struct dag_parse_result wait_result(struct dag_parser *p)
{
	struct dag_parse_result r;
	while (!dag_parser_next(p, &r)) {
		assert_true(dag_parser_busy(p));
		dag_parser_wait(p);
	}
	return r;
}

/* Results come back in order, each for its file; a file that loads and one
 * that does not. */
static void test_parser_results(void **state)
{
	(void)state;
	struct dag_limits lim = { 0 };
	struct dag_parser *p = dag_parser_new(self, &lim, 0);
	const char *good = write_file("good.yaml", rich_yaml, strlen(rich_yaml));
	dag_parser_submit(p, good, 1);
	const char *bad = write_file("bad.yaml", "dag: x\ntasks: 3\n", 16);
	dag_parser_submit(p, bad, 2);
	struct dag_parse_result r = wait_result(p);
	assert_string_equal(r.path, good);
	assert_int_equal(r.gen, 1);
	assert_non_null(r.dag);
	assert_string_equal(r.dag->dag_id, "rich");
	assert_string_equal(r.dag->file, good);
	dag_parse_result_free(&r);
	r = wait_result(p);
	assert_string_equal(r.path, bad);
	assert_null(r.dag);
	assert_int_equal(r.diags.n, 1);
	assert_string_equal(r.diags.items[0].msg, "tasks: expected a list of tasks, got '3'");
	assert_string_equal(r.diags.items[0].file, bad);
	dag_parse_result_free(&r);
	assert_false(dag_parser_busy(p));
	assert_int_equal(dag_parser_fd(p), -1);
	dag_parser_free(p);
}

/* A file over the budget gets its own error and the file after it still
 * loads (in a new child). The slow file is what libyaml is quadratic on, with
 * the nesting bound lifted: minutes of work against a 2 s budget. */
static void test_parser_budget(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *slow = malloc(n + 32);
	assert_non_null(slow);
	int off = sprintf(slow, "dag: slow\ntasks: ");
	memset(slow + off, '[', n);
	const char *slow_path = write_file("slow.yaml", slow, off + n);
	free(slow);
	const char *good = write_file("after.yaml", rich_yaml, strlen(rich_yaml));
	struct dag_limits lim = { .max_depth = 10000000 };
	struct dag_parser *p = dag_parser_new(self, &lim, 2000);
	dag_parser_submit(p, slow_path, 7);
	dag_parser_submit(p, good, 8);
	struct dag_parse_result r = wait_result(p);
	assert_string_equal(r.path, slow_path);
	assert_null(r.dag);
	assert_int_equal(r.diags.n, 1);
	assert_string_equal(r.diags.items[0].msg,
			    "parsing took longer than 2s (schedulerd --parse-timeout); the file is skipped until it changes");
	dag_parse_result_free(&r);
	r = wait_result(p);
	assert_string_equal(r.path, good);
	assert_int_equal(r.gen, 8);
	assert_non_null(r.dag);
	dag_parse_result_free(&r);
	dag_parser_free(p);
}

/* More files than one child takes (its argv is bounded): every file gets
 * its result, in order. */
static void test_parser_many_files(void **state)
{
	(void)state;
	struct dag_limits lim = { 0 };
	struct dag_parser *p = dag_parser_new(self, &lim, 0);
	size_t n = 600;
	char name[64], body[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "many_%zu.yaml", i);
		int len = snprintf(body, sizeof body, "dag: many_%zu\ntasks: [{id: a, command: [x]}]\n", i);
		dag_parser_submit(p, write_file(name, body, (size_t)len), i);
	}
	for (size_t i = 0; i < n; i++) {
		struct dag_parse_result r = wait_result(p);
		assert_int_equal(r.gen, i);
		assert_non_null(r.dag);
		snprintf(name, sizeof name, "many_%zu", i);
		assert_string_equal(r.dag->dag_id, name);
		unlink(r.path);
		dag_parse_result_free(&r);
	}
	assert_false(dag_parser_busy(p));
	dag_parser_free(p);
}

/* The pid of our one child process (the parser's), or 0. */
static pid_t our_child(void)
{
	DIR *dp = opendir("/proc");
	assert_non_null(dp);
	pid_t found = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *rp = strrchr(buf, ')');
		char st;
		int ppid;
		if (rp && sscanf(rp + 1, " %c %d", &st, &ppid) == 2 && ppid == getpid() && st != 'Z')
			found = (pid_t)atoi(e->d_name);
	}
	closedir(dp);
	return found;
}

/* A child killed from outside: the file goes to one more child; a second
 * death is the file's error, and the file after it still loads. */
static void test_parser_child_dies(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *slow = malloc(n + 32);
	assert_non_null(slow);
	int off = sprintf(slow, "dag: slow\ntasks: ");
	memset(slow + off, '[', n);
	const char *slow_path = write_file("slow.yaml", slow, off + n);
	free(slow);
	const char *good = write_file("after.yaml", rich_yaml, strlen(rich_yaml));
	struct dag_limits lim = { .max_depth = 10000000 };
	struct dag_parser *p = dag_parser_new(self, &lim, 0);
	dag_parser_submit(p, slow_path, 1);
	dag_parser_submit(p, good, 2);
	for (int death = 0; death < 2; death++) {
		dag_parser_pump(p, 0);
		pid_t pid = our_child();
		assert_true(pid > 0);
		assert_int_equal(kill(pid, SIGKILL), 0);
		/* Until its pipe says so. */
		struct pollfd pf = { dag_parser_fd(p), POLLIN, 0 };
		assert_int_equal(poll(&pf, 1, 60000), 1);
	}
	struct dag_parse_result r = wait_result(p);
	assert_string_equal(r.path, slow_path);
	assert_null(r.dag);
	assert_int_equal(r.diags.n, 1);
	assert_non_null(strstr(r.diags.items[0].msg, "the parser process died while reading this file"));
	dag_parse_result_free(&r);
	r = wait_result(p);
	assert_string_equal(r.path, good);
	assert_non_null(r.dag);
	dag_parse_result_free(&r);
	dag_parser_free(p);
}

/* Freed while a child works: the child is killed, nothing leaks. */
static void test_parser_free_busy(void **state)
{
	(void)state;
	const char *good = write_file("busy.yaml", rich_yaml, strlen(rich_yaml));
	struct dag_limits lim = { 0 };
	struct dag_parser *p = dag_parser_new(self, &lim, 0);
	dag_parser_submit(p, good, 1);
	dag_parser_submit(p, good, 2);	/* still queued: one parse, the newer gen */
	dag_parser_pump(p, 0);
	assert_true(dag_parser_busy(p));
	dag_parser_free(p);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--parse-dags") == 0)
		return dag_parse_child_main(argc - 2, argv + 2);
	setenv("TZ", "UTC", 1);
	assert_non_null(mkdtemp(dir));
	assert_non_null(realpath(argv[0], self));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_round_trip),
		cmocka_unit_test(test_wire_datasets),
		cmocka_unit_test(test_parser_results),
		cmocka_unit_test(test_parser_budget),
		cmocka_unit_test(test_parser_many_files),
		cmocka_unit_test(test_parser_child_dies),
		cmocka_unit_test(test_parser_free_busy),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "%s/slow.yaml", dir);
	unlink(cmd);
	const char *names[] = { "good.yaml", "bad.yaml", "after.yaml", "busy.yaml" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", dir, names[i]);
		unlink(cmd);
	}
	rmdir(dir);
	return rc;
}
