/* test_dag_load.c: the DAG file loader and validator (dag_load.c, dag.c, diag.c).
 *
 * A fully-featured DAG checks every field and default; then one test per
 * class of error asserts the exact file:line:column and message. Messages
 * that embed another module's text (cron_parse, duration_parse) are checked
 * up to that text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <unistd.h>

#include "scheduler/dag.h"
#include "scheduler/diag.h"
#include "scheduler/store.h"
#include "scheduler/tz.h"

#define RULE "(an id is 1 to 250 letters, digits, '_', '.', '-', not only dots)"

static struct dag *load(const char *yaml, struct diag_list *l)
{
	return dag_load_buffer("t.yaml", yaml, strlen(yaml), l);
}

/* The i-th diagnostic, formatted; static buffer valid until the next call. */
static const char *diag_at(const struct diag_list *l, size_t i)
{
	static char buf[1024];
	assert_true(i < l->n);
	char *s = diag_format(&l->items[i]);
	assert_non_null(s);
	snprintf(buf, sizeof buf, "%s", s);
	free(s);
	return buf;
}

/* Loading yaml fails with exactly one diagnostic, equal to want. */
static void expect_error(const char *yaml, const char *want)
{
	struct diag_list l = { 0 };
	struct dag *d = load(yaml, &l);
	assert_null(d);
	if (l.n != 1) {
		for (size_t i = 0; i < l.n; i++)
			print_message("diag: %s\n", diag_at(&l, i));
	}
	assert_int_equal(l.n, 1);
	assert_string_equal(diag_at(&l, 0), want);
	diag_list_clear(&l);
}

static const char full_yaml[] =
	"dag: full.dag-1\n"
	"description: Every key\n"
	"schedule: \"30 2 * * 1-5\"\n"
	"timezone: Asia/Seoul\n"
	"start_date: 2026-01-05\n"
	"end_date: 2026-12-31T23:00:00\n"
	"catchup: true\n"
	"paused_on_create: true\n"
	"max_active_runs: 3\n"
	"concurrency: 5\n"
	"params:\n"
	"  region: eu\n"
	"  limit: 10\n"
	"  empty:\n"
	"default:\n"
	"  retries: 4\n"
	"  retry_delay: 1m\n"
	"  retry_backoff: exponential\n"
	"  max_retry_delay: 2h\n"
	"  timeout: 90\n"
	"  no_retry_exit_codes: [2, 3, 77]\n"
	"  env:\n"
	"    A: from-default\n"
	"    B: \"{{ ds }}\"\n"
	"  cwd: /srv\n"
	"tasks:\n"
	"  - id: extract\n"
	"    command: [extract, --date, \"{{ ds }}\", \"--region={{params.region}}\"]\n"
	"    env:\n"
	"      A: mine\n"
	"      C: \"{{ env.HOME }}\"\n"
	"  - id: wait\n"
	"    depends_on: extract\n"
	"    wait_for:\n"
	"      path: \"/data/{{ ds_nodash }}/_SUCCESS\"\n"
	"      poke: 5s\n"
	"      timeout: 3h\n"
	"  - id: load\n"
	"    depends_on: [extract, wait]\n"
	"    shell: true\n"
	"    command: \"load | gzip > out.{{ ym }}\"\n"
	"    cwd: \"/tmp/{{ dag_id }}\"\n"
	"    trigger_rule: one_success\n"
	"    retries: 0\n"
	"    retry_delay: 10s\n"
	"    retry_backoff: fixed\n"
	"    max_retry_delay: 30s\n"
	"    timeout: 1d\n"
	"    no_retry_exit_codes: []\n"
	"  - id: notify\n"
	"    depends_on:\n"
	"      - load\n"
	"    shell: yes\n"
	"    command: [\"echo done\"]\n"
	"    trigger_rule: all_done\n";

static void test_full_dag(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load(full_yaml, &l);
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", diag_at(&l, i));
	assert_non_null(d);
	assert_int_equal(l.n, 0);

	assert_string_equal(d->dag_id, "full.dag-1");
	assert_string_equal(d->description, "Every key");
	assert_string_equal(d->file, "t.yaml");
	assert_string_equal(d->schedule, "30 2 * * 1-5");
	assert_int_equal(d->kind, SCHEDULE_CRON);
	assert_true(d->cron.minute == (1ULL << 30));
	assert_true(d->cron.hour == (1u << 2));
	assert_true(d->cron.dow == 0x3e);
	assert_string_equal(d->timezone, "Asia/Seoul");
	assert_int_equal(d->start_date, 1767538800);	/* 2026-01-05T00:00+09:00 */
	assert_int_equal(d->end_date, 1798725600);	/* 2026-12-31T23:00+09:00 */
	assert_true(d->catchup);
	assert_true(d->has_paused_on_create && d->paused_on_create);
	assert_int_equal(d->max_active_runs, 3);
	assert_int_equal(d->concurrency, 5);
	assert_int_equal(d->nparams, 3);
	assert_string_equal(dag_param(d, "region"), "eu");
	assert_string_equal(dag_param(d, "limit"), "10");
	assert_string_equal(dag_param(d, "empty"), "");
	assert_null(dag_param(d, "nope"));
	assert_int_equal(strlen(d->hash), 16);

	assert_int_equal(d->ntasks, 4);
	assert_int_equal(dag_task_index(d, "extract"), 0);
	assert_int_equal(dag_task_index(d, "notify"), 3);
	assert_int_equal(dag_task_index(d, "nope"), -1);

	const struct dag_task *t = &d->tasks[0];
	assert_string_equal(t->id, "extract");
	assert_int_equal(t->line, 27);
	assert_int_equal(t->column, 5);
	assert_int_equal(t->ncommand, 4);
	assert_string_equal(t->command[0], "extract");
	assert_string_equal(t->command[1], "--date");
	assert_string_equal(t->command[2], "{{ ds }}");
	assert_string_equal(t->command[3], "--region={{params.region}}");
	assert_null(t->command[4]);
	assert_false(t->shell);
	/* env: the default's B, then the task's own A (overriding) and C. */
	assert_int_equal(t->nenv, 3);
	assert_string_equal(t->env[0].key, "B");
	assert_string_equal(t->env[0].value, "{{ ds }}");
	assert_string_equal(t->env[1].key, "A");
	assert_string_equal(t->env[1].value, "mine");
	assert_string_equal(t->env[2].key, "C");
	assert_string_equal(t->cwd, "/srv");
	assert_int_equal(t->nupstream, 0);
	assert_int_equal(t->ndownstream, 2);
	assert_int_equal(t->downstream[0], 1);
	assert_int_equal(t->downstream[1], 2);
	assert_int_equal(t->trigger_rule, TR_ALL_SUCCESS);
	assert_int_equal(t->retries, 4);
	assert_int_equal(t->retry_delay_ms, 60000);
	assert_int_equal(t->retry_backoff, BACKOFF_EXPONENTIAL);
	assert_int_equal(t->max_retry_delay_ms, 7200000);
	assert_int_equal(t->timeout_ms, 90000);
	assert_int_equal(t->nno_retry_exit_codes, 3);
	assert_int_equal(t->no_retry_exit_codes[0], 2);
	assert_int_equal(t->no_retry_exit_codes[1], 3);
	assert_int_equal(t->no_retry_exit_codes[2], 77);
	assert_null(t->wait_path);

	t = &d->tasks[1];
	assert_string_equal(t->id, "wait");
	assert_null(t->command);
	assert_int_equal(t->ncommand, 0);
	assert_string_equal(t->wait_path, "/data/{{ ds_nodash }}/_SUCCESS");
	assert_int_equal(t->poke_ms, 5000);
	assert_int_equal(t->wait_timeout_ms, 3 * 3600000);
	assert_int_equal(t->nupstream, 1);
	assert_string_equal(t->depends_on[0], "extract");
	assert_int_equal(t->upstream[0], 0);
	assert_int_equal(t->ndownstream, 1);
	assert_int_equal(t->downstream[0], 2);
	assert_int_equal(t->nenv, 2);	/* A and B from default */

	t = &d->tasks[2];
	assert_true(t->shell);
	assert_int_equal(t->ncommand, 1);
	assert_string_equal(t->command[0], "load | gzip > out.{{ ym }}");
	assert_null(t->command[1]);
	assert_string_equal(t->cwd, "/tmp/{{ dag_id }}");
	assert_int_equal(t->trigger_rule, TR_ONE_SUCCESS);
	assert_int_equal(t->retries, 0);
	assert_int_equal(t->retry_delay_ms, 10000);
	assert_int_equal(t->retry_backoff, BACKOFF_FIXED);
	assert_int_equal(t->max_retry_delay_ms, 30000);
	assert_int_equal(t->timeout_ms, 86400000);
	assert_int_equal(t->nno_retry_exit_codes, 0);
	assert_int_equal(t->nupstream, 2);
	assert_int_equal(t->upstream[0], 0);
	assert_int_equal(t->upstream[1], 1);
	assert_int_equal(t->ndownstream, 1);
	assert_int_equal(t->downstream[0], 3);

	t = &d->tasks[3];
	assert_true(t->shell);
	assert_int_equal(t->ncommand, 1);
	assert_string_equal(t->command[0], "echo done");
	assert_int_equal(t->trigger_rule, TR_ALL_DONE);
	assert_int_equal(t->ndownstream, 0);
	assert_int_equal(t->line, 50);

	dag_free(d);
	diag_list_clear(&l);
}

static void test_defaults(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: tiny\ntasks:\n  - id: a\n    command: [true]\n", &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	assert_null(d->description);
	assert_string_equal(d->schedule, "none");
	assert_int_equal(d->kind, SCHEDULE_NONE);
	assert_string_equal(d->timezone, "UTC");
	assert_int_equal(d->start_date, 0);
	assert_int_equal(d->end_date, 0);
	assert_false(d->catchup);
	assert_false(d->has_paused_on_create);	/* the daemon's --paused-on-create decides */
	assert_int_equal(d->max_active_runs, 16);
	assert_int_equal(d->concurrency, 16);
	assert_int_equal(d->nparams, 0);
	assert_int_equal(d->ntasks, 1);
	const struct dag_task *t = &d->tasks[0];
	assert_int_equal(t->line, 3);
	assert_int_equal(t->column, 5);
	assert_int_equal(t->ncommand, 1);
	assert_string_equal(t->command[0], "true");
	assert_false(t->shell);
	assert_int_equal(t->nenv, 0);
	assert_null(t->cwd);
	assert_int_equal(t->nupstream, 0);
	assert_int_equal(t->ndownstream, 0);
	assert_int_equal(t->trigger_rule, TR_ALL_SUCCESS);
	assert_int_equal(t->retries, 0);
	assert_int_equal(t->retry_delay_ms, 300000);
	assert_int_equal(t->retry_backoff, BACKOFF_FIXED);
	assert_int_equal(t->max_retry_delay_ms, 3600000);
	assert_int_equal(t->timeout_ms, 0);
	assert_int_equal(t->max_active_tis, 0);	/* no limit */
	assert_int_equal(t->nno_retry_exit_codes, 1);
	assert_int_equal(t->no_retry_exit_codes[0], 2);
	assert_null(t->wait_path);
	dag_free(d);

	d = load("dag: s\nschedule: stream\ntasks:\n  - id: w\n    wait_for: {path: /x}\n", &l);
	assert_non_null(d);
	assert_int_equal(d->kind, SCHEDULE_STREAM);
	assert_string_equal(d->schedule, "stream");
	assert_int_equal(d->tasks[0].poke_ms, 30000);
	assert_int_equal(d->tasks[0].wait_timeout_ms, 86400000);
	dag_free(d);

	d = load("dag: p\nschedule: \"@daily\"\ntasks:\n  - {id: a, command: [x]}\n", &l);
	assert_non_null(d);
	assert_int_equal(d->kind, SCHEDULE_CRON);
	assert_true(d->cron.minute == 1 && d->cron.hour == 1);
	dag_free(d);
	assert_int_equal(l.n, 0);
	diag_list_clear(&l);
}

/* max_active_tis_per_dag: on a task, or from default: (a task's own wins). */
static void test_max_active_tis(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: m\ndefault:\n  max_active_tis_per_dag: 2\ntasks:\n"
			     "  - {id: a, command: [x]}\n  - {id: b, command: [x], max_active_tis_per_dag: 1}\n", &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	assert_int_equal(d->tasks[0].max_active_tis, 2);
	assert_int_equal(d->tasks[1].max_active_tis, 1);
	dag_free(d);
	diag_list_clear(&l);
}

static void test_executor_slurm(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: s\ndefault:\n  executor: slurm\n"
			     "  slurm: {partition: batch, cpus: 4, mem: 8G, time: 2h, account: etl, qos: normal}\n"
			     "tasks:\n  - {id: a, command: [x]}\n  - {id: b, command: [x], executor: local}\n"
			     "  - {id: c, command: [x], slurm: {mem: 512}}\n"
			     "  - {id: w, wait_for: {path: /x}}\n", &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	assert_int_equal(d->tasks[0].executor, EXECUTOR_SLURM);
	assert_string_equal(d->tasks[0].slurm.partition, "batch");
	assert_int_equal(d->tasks[0].slurm.cpus, 4);
	assert_int_equal(d->tasks[0].slurm.mem_mb, 8192);
	assert_int_equal(d->tasks[0].slurm.time_min, 120);
	assert_string_equal(d->tasks[0].slurm.account, "etl");
	assert_string_equal(d->tasks[0].slurm.qos, "normal");
	assert_int_equal(d->tasks[1].executor, EXECUTOR_LOCAL);
	/* a task's mapping replaces the default's whole */
	assert_int_equal(d->tasks[2].slurm.mem_mb, 512);
	assert_null(d->tasks[2].slurm.partition);
	assert_int_equal(d->tasks[2].slurm.cpus, 0);
	dag_free(d);
	d = load("dag: s\ntasks:\n  - {id: a, command: [x]}\n", &l);
	assert_int_equal(d->tasks[0].executor, EXECUTOR_LOCAL);	/* the default */
	dag_free(d);
	diag_list_clear(&l);

	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], executor: k8s}\n",
		     "t.yaml:3:37: executor: unknown value 'k8s' (one of: local, slurm)");
	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], slurm: {mem: 8X}}\n",
		     "t.yaml:3:40: slurm.mem: expected a size in MiB with an optional M, G or T (512M, 8G), got '8X'");
	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], slurm: {cpus: 0}}\n",
		     "t.yaml:3:41: slurm.cpus: must be at least 1, got 0");
	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], slurm: {partition: \"a;b\"}}\n",
		     "t.yaml:3:46: slurm.partition: bad name 'a;b' (letters, digits, '_', '-', '.')");
	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], slurm: {time: 0s}}\n",
		     "t.yaml:3:41: slurm.time: must be greater than 0");
	expect_error("dag: s\ntasks:\n  - {id: a, command: [x], slurm: [batch]}\n",
		     "t.yaml:3:34: slurm: expected a mapping of partition, cpus, mem, time, account, qos, got a sequence");
	expect_error("dag: s\ntasks:\n  - {id: a, executor: slurm, wait_for: {path: /x}}\n",
		     "t.yaml:3:23: task 'a': a sensor (wait_for) is poked by the daemon; executor: slurm does not apply");
}

/* pool, pool_slots, priority_weight, weight_rule: defaults (no pool, 1, 1),
 * from default:, a task's own winning; the refused values (docs/pools.md). */
/* One diagnostic, containing want. */
static void expect_error_has(const char *yaml, const char *want)
{
	struct diag_list l = { 0 };
	struct dag *d = load(yaml, &l);
	assert_null(d);
	assert_int_equal(l.n, 1);
	if (!strstr(diag_at(&l, 0), want))
		fail_msg("'%s' not in '%s'", want, diag_at(&l, 0));
	diag_list_clear(&l);
}

static void test_pools(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: p\ndefault: {pool: shared, priority_weight: 5, weight_rule: absolute}\ntasks:\n"
			     "  - {id: a, command: [x]}\n"
			     "  - {id: b, command: [x], pool: other, pool_slots: 2, priority_weight: -3}\n", &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	assert_string_equal(d->tasks[0].pool, "shared");
	assert_int_equal(d->tasks[0].pool_slots, 1);
	assert_int_equal(d->tasks[0].priority_weight, 5);
	assert_string_equal(d->tasks[1].pool, "other");
	assert_int_equal(d->tasks[1].pool_slots, 2);
	assert_int_equal(d->tasks[1].priority_weight, -3);
	dag_free(d);
	d = load("dag: q\ntasks:\n  - {id: a, command: [x]}\n", &l);
	assert_non_null(d);
	assert_null(d->tasks[0].pool);
	assert_int_equal(d->tasks[0].pool_slots, 1);
	assert_int_equal(d->tasks[0].priority_weight, 1);
	dag_free(d);
	diag_list_clear(&l);
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], pool: \"a/b\"}\n",
		     "t.yaml:3:33: pool: bad pool name 'a/b'");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], pool_slots: 0}\n",
		     "t.yaml:3:39: pool_slots: must be at least 1, got 0");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], priority_weight: 1000001}\n",
		     "priority_weight: 1000001 is over the limit of 1000000");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], priority_weight: -1000001}\n",
		     "priority_weight: must be at least -1000000");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], weight_rule: downstream}\n",
		     "weight_rule: 'downstream' is not implemented");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], weight_rule: absolut}\n",
		     "weight_rule: unknown value");
}

static void test_expand(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: m\nparams: {parts: '[1]'}\ntasks:\n"
			     "  - {id: list, command: [x]}\n"
			     "  - id: each\n    depends_on: [list]\n"
			     "    expand: {over: \"{{ ti.list.result.parts }}\", as: part, max_length: 2000}\n"
			     "    command: [x, \"{{ part.day }}\", \"{{ map_index }}\"]\n"
			     "  - {id: lit, expand: {over: [a, 'b c']}, command: [x, \"{{ item }}\"]}\n"
			     "  - {id: par, expand: {over: \"{{ params.parts }}\"}, env: {P: \"{{ item }}\"}, command: [x]}\n",
			     &l);
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", diag_at(&l, i));
	assert_non_null(d);
	assert_false(dag_task_is_mapped(&d->tasks[0]));
	assert_true(dag_task_is_mapped(&d->tasks[1]));
	assert_string_equal(d->tasks[1].map_over, "{{ ti.list.result.parts }}");
	assert_false(d->tasks[1].map_literal);
	assert_string_equal(d->tasks[1].map_as, "part");
	assert_int_equal(d->tasks[1].map_max, 2000);
	assert_string_equal(d->tasks[2].map_over, "[\"a\",\"b c\"]");
	assert_true(d->tasks[2].map_literal);
	assert_string_equal(d->tasks[2].map_as, "item");
	assert_int_equal(d->tasks[2].map_max, DAG_MAP_DEFAULT_MAX);
	dag_free(d);
	diag_list_clear(&l);
	expect_error("dag: x\ntasks:\n  - {id: a, command: [x, \"{{ map_index }}\"]}\n",
		     "t.yaml:3:27: command: 'map_index' is known only in a task with 'expand:'");
	expect_error("dag: x\ntasks:\n  - {id: a, command: [x, \"{{ item }}\"]}\n",
		     "t.yaml:3:27: command: unknown template name 'item'");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [a], as: ds}}\n",
			 "expand.as: 'ds' is already a template name; choose another");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [a], as: 'a-b'}}\n",
			 "expand.as: bad name 'a-b'");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [a], max_length: 100001}}\n",
			 "expand.max_length: 100001 is over the limit of 100000");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [a, b], max_length: 1}}\n",
			 "expand.over: 2 elements, over max_length 1");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {as: y}}\n",
			 "expand: missing required key 'over'");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: abc}}\n",
			 "expand.over: expected a list or a template giving a JSON list");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [[a]]}}\n",
			 "expand.over: element 0: expected a scalar");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: [a], ass: b}}\n",
			 "unknown key 'ass'");
	expect_error_has("dag: x\ntasks:\n  - {id: u, command: [x]}\n"
			 "  - {id: a, command: [x], expand: {over: \"{{ ti.u.result }}\"}}\n",
			 "expand.over: 'ti.u.result': 'u' is not an upstream of 'a'");
	expect_error_has("dag: x\ntasks:\n  - {id: a, command: [x], expand: {over: \"{{ item }}\"}}\n",
			 "expand.over: unknown template name 'item'");
	expect_error_has("dag: x\nschedule: stream\ntasks:\n  - {id: a, command: [x], expand: {over: [a]}}\n",
			 "expand: a stream DAG's tasks run side by side");
}

static void test_hash(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	const char *y = "dag: h\ntasks:\n  - {id: a, command: [x]}\n";
	struct dag *d = load(y, &l);
	assert_non_null(d);
	/* FNV-1a 64 of those bytes, computed independently. */
	assert_string_equal(d->hash, "4cb221229e9f00ef");
	dag_free(d);
	d = load("dag: h\ntasks:\n  - {id: a, command: [y]}\n", &l);
	assert_non_null(d);
	assert_string_not_equal(d->hash, "4cb221229e9f00ef");
	dag_free(d);
	diag_list_clear(&l);
}

static void test_yaml_syntax_error(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n   command: [x]\n",
		     "t.yaml:4:4: YAML syntax error: did not find expected '-' indicator "
		     "(while parsing a block collection at line 3)");
	expect_error("dag: x\nschedule: @daily\ntasks: []\n",
		     "t.yaml:2:11: YAML syntax error: found character that cannot start any token "
		     "(while scanning for the next token at line 2); a value starting with '@', '*' or '`' "
		     "must be quoted, e.g. \"@daily\"");
	expect_error("dag: \"x\ntasks: 1\n",
		     "t.yaml:3:1: YAML syntax error: found unexpected end of stream "
		     "(while scanning a quoted scalar at line 1)");
}

static void test_top_not_mapping(void **state)
{
	(void)state;
	expect_error("- a\n- b\n", "t.yaml:1:1: the top level must be a mapping (dag:, tasks:, ...), got a sequence");
	expect_error("just text\n", "t.yaml:1:1: the top level must be a mapping (dag:, tasks:, ...), got 'just text'");
	expect_error("", "t.yaml:1:1: the file is empty (expected a mapping with 'dag' and 'tasks')");
	expect_error("# only a comment\n", "t.yaml:1:1: the file is empty (expected a mapping with 'dag' and 'tasks')");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    depend_on: b\n",
		     "t.yaml:5:5: unknown key 'depend_on' (did you mean 'depends_on'?)");
	expect_error("dag: x\nschedul: none\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:1: unknown key 'schedul' (did you mean 'schedule'?)");
	expect_error("dag: x\nowner: me\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:1: unknown key 'owner'");
	expect_error("dag: x\ntasks:\n  - id: a\n    wait_for: {path: /x, pokes: 1s}\n",
		     "t.yaml:4:26: unknown key 'pokes' (did you mean 'poke'?)");
	expect_error("dag: x\ndefault:\n  retires: 1\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:3: unknown key 'retires' (did you mean 'retries'?)");
	expect_error("dag: x\ndefault:\n  command: [x]\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:3: default: 'command' cannot have a default; set it on each task");
	expect_error("dag: x\ndag: y\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:1: duplicate key 'dag' (first at line 1)");
}

static void test_missing_required(void **state)
{
	(void)state;
	expect_error("description: d\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:1:1: missing required key 'dag' (the DAG's id)");
	expect_error("dag: x\n", "t.yaml:1:1: missing required key 'tasks' (a list of tasks)");
	expect_error("dag: x\ntasks: []\n", "t.yaml:2:8: tasks: must not be empty");
	expect_error("dag: x\ntasks:\n  - command: [x]\n", "t.yaml:3:5: task is missing required key 'id'");
	expect_error("dag: x\ntasks:\n  - id: w\n    wait_for:\n      poke: 1s\n",
		     "t.yaml:5:7: wait_for: missing required key 'path' or 'dag'");
	expect_error("dag:\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:1:5: missing required key 'dag' (the DAG's id)");
}

static void test_wrong_type(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    retries: three\n",
		     "t.yaml:5:14: retries: expected an integer, got 'three'");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    retries: -1\n",
		     "t.yaml:5:14: retries: must be at least 0, got -1");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    max_active_tis_per_dag: 0\n",
		     "t.yaml:5:29: max_active_tis_per_dag: must be at least 1, got 0");
	expect_error("dag: x\nmax_active_runs: 0\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:18: max_active_runs: must be at least 1, got 0");
	expect_error("dag: x\nconcurrency: [1]\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:14: concurrency: expected an integer, got a sequence");
	expect_error("dag: x\ncatchup: maybe\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:10: catchup: expected true or false, got 'maybe'");
	expect_error("dag: x\npaused_on_create: 1\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:19: paused_on_create: expected true or false, got '1'");
	expect_error("dag: x\ntasks: {a: 1}\n", "t.yaml:2:8: tasks: expected a list of tasks, got a mapping");
	expect_error("dag: x\ntasks:\n  - a\n",
		     "t.yaml:3:5: tasks: each task must be a mapping (id:, command:, ...), got 'a'");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: echo hi\n",
		     "t.yaml:4:14: command: expected a list of strings (argv), got 'echo hi'; "
		     "a single string is run by /bin/sh -c only with 'shell: true'");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: []\n", "t.yaml:4:14: command: must not be empty");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [a, [b]]\n",
		     "t.yaml:4:18: command: argument 2: expected a string, got a sequence");
	expect_error("dag: x\ntasks:\n  - id: a\n    shell: true\n    command: [a, b]\n",
		     "t.yaml:5:14: command: with 'shell: true' the command is one string, got a list of 2");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    env: [A]\n",
		     "t.yaml:5:10: env: expected a mapping of NAME: value, got a sequence");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    env: {1A: x}\n",
		     "t.yaml:5:11: env: bad variable name '1A' (letters, digits, '_', not starting with a digit)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    no_retry_exit_codes: [2, 256]\n",
		     "t.yaml:5:30: no_retry_exit_codes: 256 is out of range 0-255");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    no_retry_exit_codes: 2\n",
		     "t.yaml:5:26: no_retry_exit_codes: expected a list of exit codes, got '2'");
	expect_error("dag: x\nparams:\n  p: [1]\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:6: params.p: expected a scalar value, got a sequence");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    depends_on: {a: b}\n",
		     "t.yaml:5:17: depends_on: expected a task id or a list of task ids, got a mapping");
	expect_error("dag: 'a b'\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:1:6: dag: bad id 'a b': has a character not allowed " RULE);
	expect_error("dag: x\ntasks:\n  - id: a/b\n    command: [x]\n",
		     "t.yaml:3:9: id: bad task id 'a/b': has a character not allowed " RULE);
}

/* An id names a directory of the logs: '..' would put a task's logs (and
 * its lock) outside --logs, a 10,000-byte id fails every try with
 * ENAMETOOLONG. Both are load errors naming the line and field. */
static void test_ids_are_path_components(void **state)
{
	(void)state;
	expect_error("dag: '..'\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:1:6: dag: bad id '..': is made only of dots " RULE);
	expect_error("dag: x\ntasks:\n  - id: '.'\n    command: [x]\n",
		     "t.yaml:3:9: id: bad task id '.': is made only of dots " RULE);
	expect_error("dag: x\ntasks:\n  - id: \"x\\e]0;T\\a\"\n    command: [x]\n",
		     "t.yaml:3:9: id: bad task id 'x\033]0;T\a': has a character not allowed " RULE);

	char id[10001];
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	char *yaml = NULL;
	assert_true(asprintf(&yaml, "dag: x\ntasks:\n  - id: %s\n    command: [x]\n", id) > 0);
	expect_error(yaml, "t.yaml:3:9: id: bad task id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...':"
		     " is longer than 250 bytes " RULE);
	free(yaml);

	/* 250 bytes is the longest id; more dots than letters is fine */
	id[250] = '\0';
	assert_true(asprintf(&yaml, "dag: %s\ntasks:\n  - id: ..a\n    command: [x]\n", id) > 0);
	struct diag_list l = { 0 };
	struct dag *d = load(yaml, &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	assert_int_equal(strlen(d->dag_id), 250);
	dag_free(d);
	free(yaml);
}

static void test_duplicate_task_id(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n  - id: b\n    command: [x]\n"
		     "  - id: a\n    command: [y]\n",
		     "t.yaml:7:9: duplicate task id 'a' (first defined at line 3)");
}

static void test_unknown_dependency(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: extract\n    command: [x]\n  - id: load\n    command: [x]\n"
		     "    depends_on: [extrct]\n",
		     "t.yaml:7:18: unknown dependency 'extrct' (did you mean 'extract'?)");
	expect_error("dag: x\ntasks:\n  - id: extract\n    command: [x]\n  - id: load\n    command: [x]\n"
		     "    depends_on: zzz\n",
		     "t.yaml:7:17: unknown dependency 'zzz' (no task has that id; tasks: extract, load)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    depends_on: a\n",
		     "t.yaml:5:17: task 'a' depends on itself");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n  - id: b\n    command: [x]\n"
		     "    depends_on: [a, a]\n",
		     "t.yaml:7:21: depends_on: 'a' is listed twice");
}

static void test_unknown_dependency_many_tasks(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n"
		     "  - {id: t1, command: [x]}\n  - {id: t2, command: [x]}\n  - {id: t3, command: [x]}\n"
		     "  - {id: t4, command: [x]}\n  - {id: t5, command: [x]}\n  - {id: t6, command: [x]}\n"
		     "  - {id: t7, command: [x], depends_on: [nothing_like_it]}\n",
		     "t.yaml:9:41: unknown dependency 'nothing_like_it' (no task has that id; "
		     "tasks: t1, t2, t3, t4, t5, t6, ...)");
}

/* A chain of n tasks; with cycle, the first depends on the last. */
static char *make_chain(size_t n, bool cycle, size_t *len)
{
	size_t cap = n * 80, l = 0;
	char *y = malloc(cap);
	assert_non_null(y);
	l += (size_t)snprintf(y + l, cap - l, "dag: big\ntasks:\n");
	for (size_t i = 0; i < n; i++) {
		l += (size_t)snprintf(y + l, cap - l, "  - id: task_%05zu\n    command: [x]\n", i);
		if (i || cycle)
			l += (size_t)snprintf(y + l, cap - l, "    depends_on: task_%05zu\n", i ? i - 1 : n - 1);
	}
	*len = l;
	return y;
}

/* A long chain (a few hundred KiB) loads, with every edge right. */
static void test_large_dag(void **state)
{
	(void)state;
	size_t n = 8000, len;
	char *y = make_chain(n, false, &len);
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("big.yaml", y, len, &l);
	assert_non_null(d);
	assert_int_equal(d->ntasks, n);
	for (size_t i = 1; i < n; i++) {
		assert_int_equal(d->tasks[i].nupstream, 1);
		assert_int_equal(d->tasks[i].upstream[0], i - 1);
		assert_int_equal(d->tasks[i - 1].ndownstream, 1);
		assert_int_equal(d->tasks[i - 1].downstream[0], i);
	}
	assert_int_equal(dag_task_index(d, "task_07999"), 7999);
	dag_free(d);
	free(y);

	/* Closed into a cycle: found once, printed through all the tasks. */
	y = make_chain(n, true, &len);
	assert_null(dag_load_buffer("big.yaml", y, len, &l));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].line, 5);
	assert_int_equal(l.items[0].column, 17);
	assert_true(strncmp(l.items[0].msg, "dependency cycle: task_00000 -> task_00001 -> ", 46) == 0);
	size_t ml = strlen(l.items[0].msg);
	assert_string_equal(l.items[0].msg + ml - 24, "task_07999 -> task_00000");
	assert_int_equal(ml, strlen("dependency cycle: ") + (n + 1) * 10 + n * 4);
	free(y);
	diag_list_clear(&l);
}

static void test_cycle(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n"
		     "  - id: a\n    command: [x]\n    depends_on: c\n"
		     "  - id: b\n    command: [x]\n    depends_on: a\n"
		     "  - id: c\n    command: [x]\n    depends_on: b\n"
		     "  - id: d\n    command: [x]\n    depends_on: c\n",
		     "t.yaml:5:17: dependency cycle: a -> b -> c -> a");
	expect_error("dag: x\ntasks:\n"
		     "  - id: a\n    command: [x]\n    depends_on: [b]\n"
		     "  - id: b\n    command: [x]\n    depends_on: [a]\n",
		     "t.yaml:5:18: dependency cycle: a -> b -> a");
}

static void test_bad_cron(void **state)
{
	(void)state;
	expect_error("dag: x\nschedule: \"0 25 * * *\"\ntasks:\n  - id: a\n    command: [x]\n",
			    "t.yaml:2:11: schedule: bad cron expression '0 25 * * *': field 2 (hour): 25 is out of range 0-23");
	expect_error("dag: x\nschedule: \"@fortnightly\"\ntasks:\n  - id: a\n    command: [x]\n",
			    "t.yaml:2:11: schedule: bad cron expression '@fortnightly': unknown preset '@fortnightly' "
		     "(use @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually)");
}

/* A cron that matches no date is refused; one that fires only in leap years
 * or by the day-of-week OR rule is not. */
static void test_cron_never_fires(void **state)
{
	(void)state;
	expect_error("dag: x\nschedule: \"0 0 30 2 *\"\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:11: schedule: '0 0 30 2 *' never fires (no month it names has a day of month it names)");
	expect_error("dag: x\nschedule: \"0 0 31 4,6,9,11 *\"\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:11: schedule: '0 0 31 4,6,9,11 *' never fires (no month it names has a day of month it names)");
	const char *fires[] = { "0 0 29 2 *", "0 0 30 2 1", "0 0 31 4,6,9,12 *", "0 0 30 * *" };
	for (size_t i = 0; i < sizeof fires / sizeof *fires; i++) {
		char y[200];
		snprintf(y, sizeof y, "dag: x\nschedule: \"%s\"\ntasks:\n  - id: a\n    command: [x]\n", fires[i]);
		struct diag_list l = { 0 };
		struct dag *d = load(y, &l);
		assert_non_null(d);
		dag_free(d);
	}
}

/* What the daemon cannot compute with is refused at load: durations it adds
 * to the clock in microseconds, try numbers, instants before the epoch; and
 * timeout: 0, which would mean "killed at start". */
static void test_edge_values(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    timeout: 200000000d\n",
		     "t.yaml:5:14: timeout: '200000000d' is longer than the limit of 3650d (10 years)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    timeout: 0\n",
		     "t.yaml:5:14: timeout: must be greater than 0 (leave it out for no timeout)");
	expect_error("dag: x\ndefault: {timeout: 0s}\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:20: timeout: must be greater than 0 (leave it out for no timeout)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    max_retry_delay: 0s\n",
		     "t.yaml:5:22: max_retry_delay: must be greater than 0");
	expect_error("dag: x\ntasks:\n  - id: w\n    wait_for: {path: /x, timeout: 3651d}\n",
		     "t.yaml:4:35: wait_for.timeout: '3651d' is longer than the limit of 3650d (10 years)");
	expect_error("dag: x\ntasks:\n  - id: w\n    wait_for: {path: /x, poke: 99999999999999}\n",
		     "t.yaml:4:32: wait_for.poke: '99999999999999' is longer than the limit of 3650d (10 years)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    retries: 2147483647\n",
		     "t.yaml:5:14: retries: 2147483647 is over the limit of 10000");
	expect_error("dag: x\nschedule: \"@daily\"\nstart_date: 1969-07-20\ncatchup: true\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:13: start_date: '1969-07-20' is not after 1970-01-01T00:00:00Z, the earliest instant the "
		     "scheduler represents");
	expect_error("dag: x\nschedule: \"@daily\"\nstart_date: 1970-01-01\ncatchup: true\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:13: start_date: '1970-01-01' is not after 1970-01-01T00:00:00Z, the earliest instant the "
		     "scheduler represents");
	expect_error("dag: x\ntimezone: Europe/Paris\nend_date: 1970-01-01\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:11: end_date: '1970-01-01' is not after 1970-01-01T00:00:00Z, the earliest instant the "
		     "scheduler represents");
	/* The bounds themselves load; a start_date is known by has_start_date. */
	struct diag_list l = { 0 };
	const char ok[] = "dag: x\nschedule: \"@daily\"\nstart_date: 1970-01-02\ncatchup: true\ntasks:\n"
			  "  - {id: a, command: [x], timeout: 3650d, retries: 10000, max_retry_delay: 1ms}\n";
	struct dag *d = load(ok, &l);
	assert_non_null(d);
	assert_true(d->has_start_date);
	assert_int_equal(d->start_date, 86400);
	assert_false(d->has_end_date);
	assert_int_equal(d->tasks[0].timeout_ms, DAG_MAX_DURATION_MS);
	assert_int_equal(d->tasks[0].retries, 10000);
	dag_free(d);
	d = load("dag: x\ntasks: [{id: a, command: [x]}]\n", &l);
	assert_non_null(d);
	assert_false(d->has_start_date);
	assert_int_equal(d->tasks[0].timeout_ms, 0);
	dag_free(d);
}

static void test_bad_timezone(void **state)
{
	(void)state;
	expect_error("dag: x\ntimezone: Europe/Pari\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:11: timezone: unknown time zone 'Europe/Pari' (an IANA name like Europe/Paris)");
	expect_error("dag: x\ntimezone: ../../etc/passwd\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:11: timezone: unknown time zone '../../etc/passwd' (an IANA name like Europe/Paris)");
}

static void test_bad_date(void **state)
{
	(void)state;
	expect_error("dag: x\nstart_date: 2026-13-01\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:13: start_date: bad date '2026-13-01' "
		     "(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])");
	expect_error("dag: x\nend_date: tomorrow\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:2:11: end_date: bad date 'tomorrow' "
		     "(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])");
	expect_error("dag: x\nstart_date: 2026-02-01\nend_date: 2026-01-01\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:11: end_date: must be after start_date (line 2)");
	expect_error("dag: x\nschedule: \"0 0 * * *\"\ncatchup: true\ntasks:\n  - id: a\n    command: [x]\n",
		     "t.yaml:3:1: catchup: a cron schedule with catchup needs a start_date");
}

static void test_bad_duration(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    timeout: 5 parsecs\n",
			    "t.yaml:5:14: timeout: bad duration '5 parsecs': unexpected character ' '");
	expect_error("dag: x\ndefault:\n  retry_delay: soon\ntasks:\n  - id: a\n    command: [x]\n",
			    "t.yaml:3:16: retry_delay: bad duration 'soon': expected a number before 's'");
	expect_error("dag: x\ntasks:\n  - id: w\n    wait_for: {path: /x, poke: 1y}\n",
			    "t.yaml:4:32: wait_for.poke: bad duration '1y': unknown unit 'y' (use ms, s, m, h, d)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    max_retry_delay: {a: 1}\n",
		     "t.yaml:5:22: max_retry_delay: expected a duration (30s, 5m, 1h, 7d), got a mapping");
}

static void test_bad_enum(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    trigger_rule: all_sucess\n",
		     "t.yaml:5:19: trigger_rule: unknown value 'all_sucess' (did you mean 'all_success'?)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    trigger_rule: whenever\n",
		     "t.yaml:5:19: trigger_rule: unknown value 'whenever' (one of: all_success, all_done, "
		     "all_failed, one_success, one_failed, none_failed)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    retry_backoff: linear\n",
		     "t.yaml:5:20: retry_backoff: unknown value 'linear' (one of: fixed, exponential)");
}

static void test_unknown_template(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [echo, \"at {{ dss }}\"]\n",
		     "t.yaml:4:25: command: unknown template name 'dss' (did you mean 'ds'?)");
	/* the second {{ of the value is the bad one */
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [echo, '{{ds}}-{{ foo }}']\n",
		     "t.yaml:4:29: command: unknown template name 'foo'");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    env:\n      D: \"{{ ds}} {{tss }}\"\n",
		     "t.yaml:6:19: env.D: unknown template name 'tss' (did you mean 'ts'?)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    cwd: /x/{{ run }}\n",
		     "t.yaml:5:13: cwd: unknown template name 'run'");
	expect_error("dag: x\ntasks:\n  - id: w\n    wait_for:\n      path: /d/{{ ds_nodahs }}/x\n",
		     "t.yaml:5:16: wait_for.path: unknown template name 'ds_nodahs' (did you mean 'ds_nodash'?)");
	/* a block scalar: the column is found on the line of the {{ */
	expect_error("dag: x\ntasks:\n  - id: a\n    shell: true\n    command: |\n      echo start\n"
		     "      echo {{ nope }}\n",
		     "t.yaml:7:12: command: unknown template name 'nope'");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [\"{{ ds \"]\n",
		     "t.yaml:4:16: command: unterminated '{{' (no '}}' after it)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [\"{{ ds | upper }}\"]\n",
		     "t.yaml:4:16: command: bad template 'ds | upper' (only {{ name }} or {{ 'literal' }}; "
		     "no filters or expressions)");
	/* UTF-8 before the {{ counts as one column per character */
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [\"\xc3\xa9t\xc3\xa9 {{ x }}\"]\n",
		     "t.yaml:4:20: command: unknown template name 'x'");
}

static void test_undeclared_param(void **state)
{
	(void)state;
	expect_error("dag: x\nparams:\n  region: eu\ntasks:\n  - id: a\n    command: [x, \"{{ params.regon }}\"]\n",
		     "t.yaml:6:19: command: unknown param 'params.regon' (did you mean 'params.region'?)");
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x, \"{{ params.limit }}\"]\n",
		     "t.yaml:4:19: command: unknown param 'params.limit' (declare it under 'params:')");
}

static void test_command_and_wait_for(void **state)
{
	(void)state;
	expect_error("dag: x\ntasks:\n  - id: a\n    command: [x]\n    wait_for: {path: /x}\n",
		     "t.yaml:5:5: task 'a' has both 'command' and 'wait_for' (a task runs a command or is a sensor)");
	expect_error("dag: x\ntasks:\n  - id: a\n    retries: 1\n",
		     "t.yaml:3:5: task 'a' has neither 'command' nor 'wait_for'");
}

static void test_file_too_big(void **state)
{
	(void)state;
	size_t n = 1024 * 1024 + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	struct diag_list l = { 0 };
	const struct dag_limits mib = { .max_bytes = 1024 * 1024 };
	assert_null(dag_load_buffer_limits("big.yaml", big, n, &mib, &l));
	assert_int_equal(l.n, 1);
	assert_string_equal(diag_at(&l, 0), "big.yaml: file is 1048577 bytes, over the limit of 1 MiB for a DAG file (schedulerd --max-dag-size)");
	diag_list_clear(&l);

	char path[] = "/tmp/test_dag_load_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, n), (ssize_t)n);
	close(fd);
	assert_null(dag_load_file_limits(path, &mib, &l));
	assert_int_equal(l.n, 1);
	char want[200];
	snprintf(want, sizeof want, "%s: file is 1048577 bytes, over the limit of 1 MiB for a DAG file (schedulerd --max-dag-size)", path);
	assert_string_equal(diag_at(&l, 0), want);
	diag_list_clear(&l);
	unlink(path);
	free(big);
}

/* The default limit admits more than the old 1 MiB (a 50,000-task file is
 * about 3.3 MB); the file is read whole. */
static void test_default_size_limit(void **state)
{
	(void)state;
	const char dag[] = "dag: padded\ntasks: [{id: a, command: [x]}]\n";
	size_t pad = 3 * 1024 * 1024, n = pad + sizeof dag - 1;
	char *big = malloc(n + 1);
	assert_non_null(big);
	for (size_t i = 0; i < pad; i += 64) {
		memset(big + i, ' ', 64);
		big[i] = '#';
		big[i + 63] = '\n';
	}
	memcpy(big + pad, dag, sizeof dag);
	char path[] = "/tmp/test_dag_load_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, n), (ssize_t)n);
	close(fd);
	struct diag_list l = { 0 };
	struct dag *d = dag_load_file(path, &l);
	assert_int_equal(l.n, 0);
	assert_non_null(d);
	assert_string_equal(d->dag_id, "padded");
	dag_free(d);
	const struct dag_limits small = { .max_bytes = 3 * 1024 * 1024 };
	assert_null(dag_load_file_limits(path, &small, &l));
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(diag_at(&l, 0), "over the limit of 3 MiB for a DAG file"));
	diag_list_clear(&l);
	unlink(path);
	free(big);
}

/* Nesting is refused at the collection that crosses the limit, with its
 * line and column, before libyaml's scanner gets slow (64k '[' took 12.9 s). */
static void test_nesting_depth(void **state)
{
	(void)state;
	size_t n = 65536;
	char *y = malloc(n + 64);
	assert_non_null(y);
	int off = sprintf(y, "dag: deep\ntasks: ");
	memset(y + off, '[', n);
	y[off + n] = '\0';
	struct diag_list l = { 0 };
	assert_null(dag_load_buffer("deep.yaml", y, strlen(y), &l));
	assert_int_equal(l.n, 1);
	/* The root mapping is level 1; the 32nd '[' would be level 33. */
	char want[200];
	snprintf(want, sizeof want, "deep.yaml:2:%d: YAML nesting deeper than %d levels (a DAG needs 4); "
		 "the file is not read further", 8 + DAG_DEFAULT_MAX_DEPTH - 1, DAG_DEFAULT_MAX_DEPTH);
	assert_string_equal(diag_at(&l, 0), want);
	diag_list_clear(&l);
	free(y);

	/* A limit of 3: top level -> tasks -> task; the command list is too deep. */
	const char ok[] = "dag: x\ntasks:\n  - id: a\n    command: [x]\n";
	const struct dag_limits three = { .max_depth = 3 }, four = { .max_depth = 4 };
	assert_null(dag_load_buffer_limits("t.yaml", ok, strlen(ok), &three, &l));
	assert_int_equal(l.n, 1);
	assert_string_equal(diag_at(&l, 0), "t.yaml:4:14: YAML nesting deeper than 3 levels (a DAG needs 4); "
					    "the file is not read further");
	diag_list_clear(&l);
	struct dag *d = dag_load_buffer_limits("t.yaml", ok, strlen(ok), &four, &l);
	assert_non_null(d);
	assert_int_equal(l.n, 0);
	dag_free(d);
}

/* "did you mean" compares with every task id: only the first
 * DAG_MAX_SUGGESTIONS unknown dependencies get one; the rest still get their
 * error. Diagnostics beyond DAG_MAX_ERRORS are counted, not kept. */
static void test_suggestion_and_error_bounds(void **state)
{
	(void)state;
	size_t nunknown = 300;
	char *y = malloc(64 * (nunknown + 10));
	assert_non_null(y);
	int off = sprintf(y, "dag: many\ntasks:\n  - {id: task_a, command: [x]}\n");
	for (size_t i = 0; i < nunknown; i++)
		off += sprintf(y + off, "  - {id: t%zu, command: [x], depends_on: [task_b]}\n", i);
	struct diag_list l = { 0 };
	assert_null(dag_load_buffer("m.yaml", y, (size_t)off, &l));
	assert_int_equal(l.n, DAG_MAX_ERRORS + 1);
	size_t suggested = 0;
	for (size_t i = 0; i < DAG_MAX_ERRORS; i++)
		suggested += strstr(diag_at(&l, i), "did you mean 'task_a'") != NULL;
	assert_int_equal(suggested, DAG_MAX_SUGGESTIONS);
	assert_string_equal(diag_at(&l, 0), "m.yaml:4:41: unknown dependency 'task_b' (did you mean 'task_a'?)");
	assert_string_equal(diag_at(&l, DAG_MAX_SUGGESTIONS),
			    "m.yaml:20:42: unknown dependency 'task_b' (no task has that id; tasks: task_a, t0, t1, t2, t3, t4, ...)");
	char want[100];
	snprintf(want, sizeof want, "m.yaml: %zu more errors not shown (the first %d are)", nunknown - DAG_MAX_ERRORS,
		 DAG_MAX_ERRORS);
	assert_string_equal(diag_at(&l, DAG_MAX_ERRORS), want);
	diag_list_clear(&l);
	free(y);
}

/* Duplicate checks are hash lookups: a task with 50,000 dependencies loads
 * (with a pairwise check this took seconds), and a duplicate is still found. */
static void test_long_depends_on(void **state)
{
	(void)state;
	size_t n = 50000;
	char *y = malloc(48 * n + 200);
	assert_non_null(y);
	int off = sprintf(y, "dag: wide\ntasks:\n");
	for (size_t i = 0; i < n; i++)
		off += sprintf(y + off, "- {id: u%zu, command: [x]}\n", i);
	off += sprintf(y + off, "- id: join\n  command: [x]\n  depends_on: [");
	for (size_t i = 0; i < n; i++)
		off += sprintf(y + off, "%su%zu", i ? "," : "", i);
	off += sprintf(y + off, "]\n");
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("w.yaml", y, (size_t)off, &l);
	assert_non_null(d);
	assert_int_equal(d->tasks[n].nupstream, n);
	dag_free(d);
	off -= 2;
	off += sprintf(y + off, ",u7]\n");
	assert_null(dag_load_buffer("w.yaml", y, (size_t)off, &l));
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(diag_at(&l, 0), "depends_on: 'u7' is listed twice"));
	diag_list_clear(&l);
	free(y);
}

static void test_load_file(void **state)
{
	(void)state;
	char path[] = "/tmp/test_dag_load_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *y = "dag: f\ntasks:\n  - id: a\n    command: [x]\n    retries: x\n";
	assert_int_equal(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	struct diag_list l = { 0 };
	assert_null(dag_load_file(path, &l));
	assert_int_equal(l.n, 1);
	char want[200];
	snprintf(want, sizeof want, "%s:5:14: retries: expected an integer, got 'x'", path);
	assert_string_equal(diag_at(&l, 0), want);
	diag_list_clear(&l);
	unlink(path);

	assert_null(dag_load_file("/nonexistent/dag.yaml", &l));
	assert_int_equal(l.n, 1);
	assert_string_equal(diag_at(&l, 0), "/nonexistent/dag.yaml: cannot open: No such file or directory");
	diag_list_clear(&l);
}

/* The shipped examples load cleanly (tests run from the repository root). */
static void test_examples(void **state)
{
	(void)state;
	glob_t g;
	assert_int_equal(glob("dags/examples/*.yaml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 2);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct diag_list l = { 0 };
		struct dag *d = dag_load_file(g.gl_pathv[i], &l);
		for (size_t j = 0; j < l.n; j++)
			print_message("diag: %s\n", diag_at(&l, j));
		assert_non_null(d);
		assert_string_equal(d->file, g.gl_pathv[i]);
		assert_true(d->ntasks > 0);
		dag_free(d);
		diag_list_clear(&l);
	}
	globfree(&g);
	struct diag_list l = { 0 };
	struct dag *d = dag_load_file("dags/examples/hello.yaml", &l);
	assert_non_null(d);
	assert_string_equal(d->dag_id, "hello");
	assert_int_equal(d->ntasks, 5);
	assert_int_equal(d->kind, SCHEDULE_CRON);
	dag_free(d);
}

/* Every prefix of a valid file either loads or fails with diagnostics: no
 * crash, no leak (valgrind / ASan runs check the latter). */
static void test_broken_file_no_crash(void **state)
{
	(void)state;
	size_t n = strlen(full_yaml);
	size_t failed = 0;
	for (size_t cut = 0; cut <= n; cut += 1) {
		struct diag_list l = { 0 };
		struct dag *d = dag_load_buffer("cut.yaml", full_yaml, cut, &l);
		if (d) {
			assert_int_equal(l.n, 0);
			dag_free(d);
		} else {
			assert_true(l.n > 0);
			for (size_t i = 0; i < l.n; i++)
				assert_string_equal(l.items[i].file, "cut.yaml");
			failed++;
		}
		diag_list_clear(&l);
	}
	assert_true(failed > n / 2);
	/* And some garbage. */
	const char *junk[] = { "\x01\x02\x03", "{{{{", "[[[", "dag: [x", "tasks: *nope", "\xff\xfe",
			       "dag: x\ntasks:\n  - &t {id: a, command: [x], depends_on: *t}\n", ":", "- - - -" };
	for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
		struct diag_list l = { 0 };
		assert_null(load(junk[i], &l));
		assert_true(l.n > 0);
		diag_list_clear(&l);
	}
}

static void test_many_errors_reported(void **state)
{
	(void)state;
	const char *y =
		"dag: x\n"					/* 1 */
		"timezone: Mars/Olympus\n"			/* 2 */
		"params:\n  region: eu\n"			/* 3-4 */
		"tasks:\n"					/* 5 */
		"  - id: a\n"					/* 6 */
		"    command: [echo, \"{{ dss }}\"]\n"		/* 7 */
		"    depend_on: b\n"				/* 8 */
		"    retries: three\n"				/* 9 */
		"  - id: b\n"					/* 10 */
		"    depends_on: [a, zzz]\n"			/* 11 */
		"  - id: a\n"					/* 12 */
		"    command: [x]\n";				/* 13 */
	struct diag_list l = { 0 };
	assert_null(load(y, &l));
	const char *want[] = {
		"t.yaml:2:11: timezone: unknown time zone 'Mars/Olympus' (an IANA name like Europe/Paris)",
		"t.yaml:7:22: command: unknown template name 'dss' (did you mean 'ds'?)",
		"t.yaml:8:5: unknown key 'depend_on' (did you mean 'depends_on'?)",
		"t.yaml:9:14: retries: expected an integer, got 'three'",
		"t.yaml:10:5: task 'b' has neither 'command' nor 'wait_for'",
		"t.yaml:11:21: unknown dependency 'zzz' (no task has that id; tasks: a, b)",
		"t.yaml:12:9: duplicate task id 'a' (first defined at line 6)",
	};
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", diag_at(&l, i));
	assert_int_equal(l.n, sizeof want / sizeof *want);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(diag_at(&l, i), want[i]);
	diag_list_clear(&l);
}

/* Earlier diagnostics of other files stay; the new ones are appended. */
static void test_diag_list_accumulates(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	diag_add(&l, "other.yaml", 0, 0, "cannot open: %s", "gone");
	assert_null(load("dag: x\n", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(diag_at(&l, 0), "other.yaml: cannot open: gone");
	assert_string_equal(diag_at(&l, 1), "t.yaml:1:1: missing required key 'tasks' (a list of tasks)");
	diag_add(&l, "f", 7, 0, "line only");
	assert_string_equal(diag_at(&l, 2), "f:7: line only");
	diag_list_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

static void test_anchors_and_merge_keys(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: x\n"
			     "tasks:\n"
			     "  - id: a\n    command: &cmd [run, \"{{ ds }}\"]\n"
			     "  - id: b\n    command: *cmd\n    env: &e {K: v}\n"
			     "  - id: c\n    command: *cmd\n    env: *e\n", &l);
	assert_non_null(d);
	assert_int_equal(d->tasks[2].ncommand, 2);
	assert_string_equal(d->tasks[2].command[1], "{{ ds }}");
	assert_string_equal(d->tasks[2].env[0].value, "v");
	dag_free(d);
	diag_list_clear(&l);
	expect_error("dag: x\ntasks:\n  - &base {id: a, command: [x]}\n  - <<: *base\n    id: b\n    command: [y]\n",
		     "t.yaml:4:5: merge keys ('<<') are not supported; repeat the keys, or use 'default' "
		     "for task settings");
}

static void test_shell_and_second_document(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: x\ndefault:\n  shell: true\ntasks:\n  - id: a\n    command: \"a && b\"\n"
			     "  - id: b\n    shell: false\n    command: [b]\n", &l);
	assert_non_null(d);
	assert_true(d->tasks[0].shell);
	assert_string_equal(d->tasks[0].command[0], "a && b");
	assert_false(d->tasks[1].shell);
	dag_free(d);
	diag_list_clear(&l);
	expect_error("dag: x\ntasks: [{id: a, command: [x]}]\n---\ndag: y\n",
		     "t.yaml:4:1: a second YAML document: one DAG per file");
}

/* Found by the fuzzer: a refused default list left nothing to copy, and the
 * copy into every task was memcpy(dst, NULL, 0) (UBSan aborts on it). The
 * error is the default's, once; an empty default list is copied as empty. */
static void test_default_exit_codes_refused_or_empty(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: x\ndefault: {no_retry_exit_codes: bad}\ntasks:\n  - {id: a, command: [true]}\n"
			     "  - {id: b, command: [true]}\n", &l);
	assert_null(d);
	assert_true(l.n >= 1);
	assert_non_null(strstr(diag_at(&l, 0), "no_retry_exit_codes: expected a list of exit codes"));
	diag_list_clear(&l);
	d = load("dag: x\ndefault: {no_retry_exit_codes: []}\ntasks:\n  - {id: a, command: [true]}\n", &l);
	assert_non_null(d);
	assert_int_equal(d->tasks[0].nno_retry_exit_codes, 0);
	dag_free(d);
	diag_list_clear(&l);
}

#define NT "tasks:\n  - id: a\n    command: [x]\n"
#define CRON "dag: x\nschedule: \"0 2 * * *\"\n"

/* notify: and deadline: (docs/alerts.md): each problem at its place. */
static void test_notify_errors(void **state)
{
	(void)state;
	expect_error(CRON "notify:\n  - on: [run_faild]\n    webhook: http://h/\n" NT,
		     "t.yaml:4:10: notify[1].on: unknown value 'run_faild' (did you mean 'run_failed'?)");
	expect_error(CRON "notify:\n  - webhook: http://h/\n" NT,
		     "t.yaml:4:5: notify[1]: missing 'on' (the events to notify: task_failed, task_retry, run_failed,"
		     " run_succeeded, deadline_missed, schedule_missed, stream_crash_loop)");
	expect_error(CRON "notify:\n  - on: run_failed\n" NT,
		     "t.yaml:4:5: notify[1]: missing channel (one of webhook:, email:, command:)");
	expect_error(CRON "notify:\n  - on: run_failed\n    webhook: http://h/\n    command: [x]\n" NT,
		     "t.yaml:6:5: notify[1]: two channels ('webhook' and 'command'); write one entry per channel");
	expect_error(CRON "notify:\n  - on: run_failed\n    webhook: ftp://h/\n" NT,
		     "t.yaml:5:14: notify[1].webhook: 'ftp://h/' is not an http:// or https:// URL");
	expect_error(CRON "notify:\n  - on: run_failed\n    webhook: https:///x\n" NT,
		     "t.yaml:5:14: notify[1].webhook: 'https:///x' has no host");
	expect_error(CRON "notify:\n  - on: run_failed\n    email: {from: a@b, smtp: smtp://h}\n" NT,
		     "t.yaml:5:12: notify[1].email: an email needs 'to' (one address or a list)");
	expect_error(CRON "notify:\n  - on: run_failed\n    email: {to: [], from: a@b, smtp: smtp://h}\n" NT,
		     "t.yaml:5:17: notify[1].email: an email needs at least one address in 'to'");
	expect_error(CRON "notify:\n  - on: run_failed\n    email: {to: a@b, smtp: smtp://h}\n" NT,
		     "t.yaml:5:12: notify[1].email.from: missing (required)");
	expect_error(CRON "notify:\n  - on: run_failed\n    command: [x, \"{{ dag_id }} {{ cuase }}\"]\n" NT,
		     "t.yaml:5:32: notify[1].command: unknown template name 'cuase' (did you mean 'cause'?)");
	expect_error(CRON "notify:\n  - on: run_failed\n    command: [x]\n    timeout: 0s\n" NT,
		     "t.yaml:6:14: notify[1].timeout: must be greater than 0");
	expect_error(CRON "notify:\n  - on: run_failed\n    webhook: http://h/\n    format: xml\n" NT,
		     "t.yaml:6:13: notify[1].format: unknown value 'xml' (one of: json, slack, text)");
	expect_error(CRON "notify:\n  - on: run_failed\n    command: [x]\n    format: json\n" NT,
		     "t.yaml:6:5: notify[1]: 'format' is for a webhook");
	expect_error(CRON "notify:\n  - on: [run_failed, run_failed]\n    command: [x]\n" NT,
		     "t.yaml:4:22: notify[1].on: 'run_failed' is listed twice");
	expect_error(CRON "notify: {on: run_failed}\n" NT,
		     "t.yaml:3:9: notify: expected a list of channels (- on: [...] with webhook:, email: or command:), got a mapping");
	expect_error(CRON "tasks:\n  - id: a\n    command: [x]\n    notify: [{on: run_failed, command: [x]}]\n",
		     "t.yaml:6:19: task 'a': notify[1].on: 'run_failed' is not an event of a task (a task's notify takes"
		     " task_failed, task_retry, stream_crash_loop; put it in the DAG's notify)");
	expect_error("dag: x\ndefault:\n  notify: [{on: task_failed, command: [x]}]\n" NT,
		     "t.yaml:3:3: default: 'notify' cannot have a default; set it on each task");
	expect_error(CRON "deadline: 2x\n" NT, "t.yaml:3:11: deadline: bad duration '2x': unknown unit 'x' (use ms, s, m, h, d)");
	expect_error(CRON "deadline: 0s\n" NT, "t.yaml:3:11: deadline: must be greater than 0 (leave it out for none)");
	expect_error("dag: x\ndeadline: 1h\n" NT,
		     "t.yaml:2:11: deadline: counts from the end of a scheduled interval, so it needs a cron schedule"
		     " (schedule: 'none')");
}

/* The keys only the sender reads: credentials and tokens by the name of
 * their environment variable, timeouts, how long to retry. */
static void test_notify_sender_keys(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load(CRON "notify:\n"
			     "  - {on: run_failed, webhook: \"https://h/x\", headers_env: {Authorization: ALERT_TOKEN},"
			     " timeout: 5s, give_up_after: 2h}\n"
			     "  - on: run_failed\n"
			     "    email: {to: a@b, from: s@b, smtp: \"smtp://h:25\", user_env: SMTP_USER,"
			     " password_env: SMTP_PASSWORD, starttls: true}\n"
			     "    give_up_after: 1d\n" NT, &l);
	assert_non_null(d);
	assert_string_equal(d->notify[0].spec, "{\"type\":\"webhook\",\"url\":\"https://h/x\",\"format\":\"json\","
			    "\"headers_env\":{\"Authorization\":\"ALERT_TOKEN\"},\"timeout\":\"5s\",\"give_up_after\":\"2h\"}");
	assert_string_equal(d->notify[1].spec, "{\"type\":\"email\",\"to\":[\"a@b\"],\"from\":\"s@b\","
			    "\"smtp\":\"smtp://h:25\",\"user_env\":\"SMTP_USER\",\"password_env\":\"SMTP_PASSWORD\","
			    "\"starttls\":true,\"give_up_after\":\"1d\"}");
	dag_free(d);
	diag_list_clear(&l);
	expect_error(CRON "notify:\n  - {on: run_failed, webhook: \"https://h/\", headers_env: {Authorization: \"{{ env.T }}\"}}\n" NT,
		     "t.yaml:4:74: notify[1].headers_env.Authorization: expected the name of an environment variable"
		     " (letters, digits, '_', not starting with a digit), got '{{ env.T }}'");
	expect_error(CRON "notify:\n  - {on: run_failed, webhook: \"https://h/\", headers_env: {\"Bad Header\": T}}\n" NT,
		     "t.yaml:4:59: notify[1].headers_env: bad header name 'Bad Header' (letters, digits and !#$%&'*+-.^_`|~)");
	expect_error(CRON "notify:\n  - {on: run_failed, command: [x], headers_env: {A: T}}\n" NT,
		     "t.yaml:4:36: notify[1]: 'headers_env' is for a webhook");
	expect_error(CRON "notify:\n  - {on: run_failed, command: [x], give_up_after: 0s}\n" NT,
		     "t.yaml:4:51: notify[1].give_up_after: must be greater than 0");
	expect_error(CRON "notify:\n  - {on: run_failed, email: {to: a@b, from: s@b, smtp: \"smtp://h\", starttls: maybe}}\n" NT,
		     "t.yaml:4:78: notify[1].email.starttls: expected true or false, got 'maybe'");
}

static void test_notify_model(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load(CRON "deadline: 2h\nnotify:\n"
			     "  - {on: [task_failed, schedule_missed], webhook: \"{{ env.URL }}/{{ dag_id }}\"}\n"
			     "  - on: deadline_missed\n"
			     "    email: {to: [a@b, c@d], from: s@b, smtp: \"{{ env.SMTP }}\", subject: \"{{ event }}\","
			     " body: \"{{ log_tail }}\"}\n"
			     "tasks:\n  - id: a\n    command: [x]\n"
			     "    notify: [{on: [task_retry, stream_crash_loop], command: [\"{{ env.TOOL }}\", \"{{ try_number }}\"],"
			     " timeout: 1m}]\n", &l);
	assert_non_null(d);
	assert_int_equal(d->deadline_ms, 2 * 3600 * 1000);
	assert_int_equal(d->nnotify, 2);
	assert_int_equal(d->notify[0].type, NOTIFY_WEBHOOK);
	assert_int_equal(d->notify[0].events, (1u << NOTIFY_TASK_FAILED) | (1u << NOTIFY_SCHEDULE_MISSED));
	assert_string_equal(d->notify[0].spec, "{\"type\":\"webhook\",\"url\":\"{{ env.URL }}/{{ dag_id }}\",\"format\":\"json\"}");
	assert_string_equal(d->notify[0].address, "{{ env.URL }}/{{ dag_id }}");
	assert_string_equal(d->notify[1].spec,
			    "{\"type\":\"email\",\"to\":[\"a@b\",\"c@d\"],\"from\":\"s@b\",\"smtp\":\"{{ env.SMTP }}\","
			    "\"subject\":\"{{ event }}\",\"body\":\"{{ log_tail }}\"}");
	assert_string_equal(d->notify[1].address, "{{ env.SMTP }}");
	assert_int_equal(d->tasks[0].nnotify, 1);
	assert_int_equal(d->tasks[0].notify[0].events, (1u << NOTIFY_TASK_RETRY) | (1u << NOTIFY_STREAM_CRASH_LOOP));
	assert_string_equal(d->tasks[0].notify[0].spec,
			    "{\"type\":\"command\",\"argv\":[\"{{ env.TOOL }}\",\"{{ try_number }}\"],\"timeout\":\"1m\"}");
	assert_string_equal(d->tasks[0].notify[0].address, "{{ env.TOOL }}");
	dag_free(d);
	diag_list_clear(&l);
}

static void test_datasets_schedule_and_outlets(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: c\n"
			     "schedule:\n  datasets: [\"hdfs:///a/b\", \"file:///x\"]\n"
			     "tasks:\n"
			     "  - id: t\n    outlets: [\"rowstore://r/{{ ds_nodash }}\"]\n    command: [\"true\"]\n", &l);
	assert_non_null(d);
	assert_int_equal(d->kind, SCHEDULE_DATASETS);
	assert_string_equal(d->schedule, "{\"datasets\":[\"hdfs:///a/b\",\"file:///x\"]}");
	assert_int_equal(d->ndatasets, 2);
	assert_string_equal(d->datasets[0], "hdfs:///a/b");
	assert_int_equal(d->tasks[0].noutlets, 1);
	assert_string_equal(d->tasks[0].outlets[0], "rowstore://r/{{ ds_nodash }}");
	dag_free(d);
	diag_list_clear(&l);
}

static void test_datasets_errors(void **state)
{
	(void)state;
	expect_error("dag: c\nschedule: {datasets: []}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:22: schedule.datasets: the list is empty (name at least one dataset URI)");
	expect_error("dag: c\nschedule: {datasets: [\"a b:c\"]}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:23: schedule.datasets: bad dataset URI 'a b:c': does not start with a scheme (like hdfs: or file:)");
	expect_error("dag: c\nschedule: {datasets: [\"hdfs:///{{ ds }}\"]}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:23: schedule.datasets: bad dataset URI 'hdfs:///{{ ds }}': contains a template ('{{'): URIs in a schedule are literal");
	expect_error("dag: c\nschedule: {datasets: [\"s3:x\", \"s3:x\"]}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:31: schedule.datasets: 's3:x' is listed twice");
	expect_error("dag: c\nschedule: {cron: '@daily', datasets: [\"s3:x\"]}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:12: schedule: 'cron' beside 'datasets' is not supported: a DAG runs on a cron or on"
		     " datasets; make a second DAG for the other (docs/datasets.md)");
	expect_error("dag: c\nschedule: {dataset: [\"s3:x\"]}\ntasks: [{id: t, command: [x]}]\n",
		     "t.yaml:2:12: schedule: unknown key 'dataset' (a schedule mapping has 'datasets')");
	expect_error("dag: c\ntasks: [{id: t, outlets: \"s3:x\", command: [x]}]\n",
		     "t.yaml:2:26: outlets: expected a list of dataset URIs, got 's3:x'");
	expect_error("dag: c\ntasks: [{id: t, outlets: [\"nope\"], command: [x]}]\n",
		     "t.yaml:2:27: outlets: bad dataset URI 'nope': does not start with a scheme (like hdfs: or file:)");
	expect_error("dag: c\ntasks: [{id: t, outlets: [\"s3:/{{ dss }}\"], command: [x]}]\n",
		     "t.yaml:2:32: outlets: unknown template name 'dss' (did you mean 'ds'?)");
	expect_error("dag: c\nschedule: stream\ntasks: [{id: t, outlets: [\"s3:x\"], command: [x]}]\n",
		     "t.yaml:3:17: outlets: a stream task never succeeds, so it would never record an event");
}

static void test_ti_result_refs(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: r\ntasks:\n"
			     "  - {id: a, command: [x]}\n"
			     "  - {id: b, depends_on: a, command: [\"{{ ti.a.result.n }}\"], env: {N: \"{{ ti.a.result }}\"}}\n",
			     &l);
	assert_non_null(d);
	dag_free(d);
	diag_list_clear(&l);
	expect_error("dag: r\ntasks:\n  - {id: a, command: [x]}\n"
		     "  - {id: b, command: [\"n={{ ti.zz.result.n }}\"]}\n",
		     "t.yaml:4:26: command: 'ti.zz.result': no task has the id 'zz'");
	expect_error("dag: r\ntasks:\n  - {id: a, command: [x]}\n"
		     "  - {id: b, command: [y], env: {N: \"{{ ti.a.result.n }}\"}}\n",
		     "t.yaml:4:37: env.N: 'ti.a.result': 'a' is not an upstream of 'b' (list it in depends_on:"
		     " a result is read once its task has finished)");
	expect_error("dag: r\ndefault: {cwd: \"/{{ ti.a.result.d }}\"}\ntasks:\n  - {id: a, command: [x]}\n",
		     "t.yaml:2:18: cwd: 'ti.a.result' cannot be a default (each task names its own upstream); set it on the task");
}

static void test_wait_for_dag(void **state)
{
	(void)state;
	struct diag_list l = { 0 };
	struct dag *d = load("dag: x\ntasks:\n"
			     "  - id: run\n    wait_for: {dag: other, logical_date: \"-1d\", poke: 1s}\n"
			     "  - id: task\n    wait_for: {dag: other, task: t, logical_date: \"{{ ds }}\",\n"
			     "               allowed_states: [success, skipped], failed_states: [failed]}\n", &l);
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", diag_at(&l, i));
	assert_non_null(d);
	assert_true(dag_task_is_sensor(&d->tasks[0]));
	assert_null(d->tasks[0].wait_path);
	assert_string_equal(d->tasks[0].wait_dag, "other");
	assert_null(d->tasks[0].wait_task);
	assert_null(d->tasks[0].wait_date);
	assert_int_equal(d->tasks[0].wait_offset_s, -86400);
	assert_int_equal(d->tasks[0].wait_allowed, 1u << RUN_SUCCESS);
	assert_int_equal(d->tasks[0].wait_failed, 1u << RUN_FAILED);
	assert_string_equal(d->tasks[1].wait_task, "t");
	assert_string_equal(d->tasks[1].wait_date, "{{ ds }}");
	assert_int_equal(d->tasks[1].wait_allowed, (1u << TI_SUCCESS) | (1u << TI_SKIPPED));
	assert_int_equal(d->tasks[1].wait_failed, 1u << TI_FAILED);
	dag_free(d);
	diag_list_clear(&l);
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {dag: o, path: /p}}\n",
		     "t.yaml:3:24: wait_for: 'path' and 'dag' together (a sensor waits for a path or for another DAG)");
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {path: /p, task: t}}\n",
		     "t.yaml:3:34: wait_for.task: only with 'dag'");
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {dag: o, logical_date: \"-1x\"}}\n",
		     "t.yaml:3:46: wait_for.logical_date: bad offset '-1x' (a sign and whole seconds, minutes, hours or"
		     " days: -1d, +2h)");
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {dag: o, allowed_states: [upstream_failed]}}\n",
		     "t.yaml:3:49: wait_for.allowed_states: 'upstream_failed' is not a run state (success, failed,"
		     " running, queued; or name a task)");
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {dag: o, task: t, allowed_states: [failed]}}\n",
		     "t.yaml:3:57: wait_for.failed_states: a state cannot be both allowed and failed");
	expect_error("dag: x\ntasks:\n  - {id: s, wait_for: {dag: o, logical_date: \"{{ dss }}\"}}\n",
		     "t.yaml:3:47: wait_for.logical_date: unknown template name 'dss' (did you mean 'ds'?)");
}

int main(void)
{
	/* Messages and dates must not depend on the caller's zone. */
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_dag),
		cmocka_unit_test(test_datasets_schedule_and_outlets), cmocka_unit_test(test_ti_result_refs),
		cmocka_unit_test(test_wait_for_dag),
		cmocka_unit_test(test_datasets_errors),
		cmocka_unit_test(test_defaults), cmocka_unit_test(test_max_active_tis),
		cmocka_unit_test(test_pools),
		cmocka_unit_test(test_hash), cmocka_unit_test(test_executor_slurm),
		cmocka_unit_test(test_yaml_syntax_error),
		cmocka_unit_test(test_top_not_mapping),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_ids_are_path_components),
		cmocka_unit_test(test_duplicate_task_id),
		cmocka_unit_test(test_unknown_dependency),
		cmocka_unit_test(test_unknown_dependency_many_tasks),
		cmocka_unit_test(test_large_dag),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_bad_cron),
		cmocka_unit_test(test_cron_never_fires),
		cmocka_unit_test(test_edge_values),
		cmocka_unit_test(test_bad_timezone),
		cmocka_unit_test(test_bad_date),
		cmocka_unit_test(test_bad_duration),
		cmocka_unit_test(test_bad_enum),
		cmocka_unit_test(test_unknown_template),
		cmocka_unit_test(test_undeclared_param),
		cmocka_unit_test(test_command_and_wait_for),
		cmocka_unit_test(test_file_too_big),
		cmocka_unit_test(test_default_size_limit),
		cmocka_unit_test(test_nesting_depth),
		cmocka_unit_test(test_suggestion_and_error_bounds),
		cmocka_unit_test(test_long_depends_on),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_broken_file_no_crash),
		cmocka_unit_test(test_many_errors_reported),
		cmocka_unit_test(test_diag_list_accumulates),
		cmocka_unit_test(test_anchors_and_merge_keys),
		cmocka_unit_test(test_shell_and_second_document),
		cmocka_unit_test(test_default_exit_codes_refused_or_empty),
		cmocka_unit_test(test_notify_errors),
		cmocka_unit_test(test_notify_model),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_notify_sender_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
