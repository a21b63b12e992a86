/* test_render.c: one task of a DAG turned into what execve gets: argv with
 * templates rendered (no shell unless shell: true), the daemon's environment
 * plus the SCHED_* variables and the task's env: overriding in that order,
 * cwd, a sensor's path; a name without a value here fails, naming the task. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler/dag.h"
#include "scheduler/render.h"

static struct dag *load(const char *yaml)
{
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("r.yaml", yaml, strlen(yaml), &l);
	for (size_t i = 0; i < l.n; i++)
		print_message("diag: %s\n", l.items[i].msg);
	diag_list_clear(&l);
	assert_non_null(d);
	return d;
}

static const char *env_get(char **envp, const char *key)
{
	size_t kl = strlen(key);
	const char *found = NULL;
	for (char **p = envp; *p; p++)
		if (strncmp(*p, key, kl) == 0 && (*p)[kl] == '=') {
			assert_null(found);	/* every name once */
			found = *p + kl + 1;
		}
	return found;
}

static struct template_ctx ctx_of(const struct dag *d, size_t idx)
{
	time_t start = 1772582400;	/* 2026-03-04T00:00:00Z */
	return (struct template_ctx){ .dag = d, .task_id = d->tasks[idx].id, .run_id = "manual__x",
				      .interval_start = start, .interval_end = start + 86400, .try_number = 3 };
}

static void test_argv_env_cwd(void **state)
{
	(void)state;
	setenv("RENDER_KEEP", "kept", 1);
	setenv("RENDER_OVER", "daemon", 1);
	setenv("SCHED_TRY", "from-daemon", 1);
	struct dag *d = load("dag: r\ntimezone: UTC\ntasks:\n"
			     "  - id: t\n    command: [prog, \"{{ ds }}\", \"a b; $(x)\"]\n"
			     "    env: {RENDER_OVER: \"task-{{ ds_nodash }}\", NEW: x}\n    cwd: /tmp/{{ ds }}\n"
			     "  - id: s\n    shell: true\n    command: [\"echo {{ ds }} | wc\"]\n");
	struct template_ctx c = ctx_of(d, 0);
	struct rendered_task rt;
	char err[256] = "";
	assert_int_equal(render_task(&d->tasks[0], &c, &rt, err, sizeof err), 0);
	assert_string_equal(rt.argv[0], "prog");
	assert_string_equal(rt.argv[1], "2026-03-04");
	assert_string_equal(rt.argv[2], "a b; $(x)");	/* one argument, never a shell's */
	assert_null(rt.argv[3]);
	assert_string_equal(rt.cwd, "/tmp/2026-03-04");
	assert_string_equal(env_get(rt.envp, "RENDER_KEEP"), "kept");
	assert_string_equal(env_get(rt.envp, "RENDER_OVER"), "task-20260304");
	assert_string_equal(env_get(rt.envp, "NEW"), "x");
	assert_string_equal(env_get(rt.envp, "SCHED_TRY"), "3");
	assert_string_equal(env_get(rt.envp, "SCHED_DAG_ID"), "r");
	assert_string_equal(env_get(rt.envp, "SCHED_TASK_ID"), "t");
	assert_string_equal(env_get(rt.envp, "SCHED_RUN_ID"), "manual__x");
	assert_string_equal(env_get(rt.envp, "SCHED_DS"), "2026-03-04");
	assert_string_equal(env_get(rt.envp, "SCHED_DATA_INTERVAL_END"), "2026-03-05T00:00:00+00:00");
	rendered_task_free(&rt);

	c = ctx_of(d, 1);
	assert_int_equal(render_task(&d->tasks[1], &c, &rt, err, sizeof err), 0);
	assert_string_equal(rt.argv[0], "/bin/sh");
	assert_string_equal(rt.argv[1], "-c");
	assert_string_equal(rt.argv[2], "echo 2026-03-04 | wc");
	assert_null(rt.argv[3]);
	assert_null(rt.cwd);
	rendered_task_free(&rt);
	dag_free(d);
	unsetenv("RENDER_KEEP");
	unsetenv("RENDER_OVER");
	unsetenv("SCHED_TRY");
}

static void test_sensor_and_errors(void **state)
{
	(void)state;
	struct dag *d = load("dag: r\ntimezone: UTC\ntasks:\n"
			     "  - id: w\n    wait_for: {path: \"/data/{{ ds_nodash }}/_SUCCESS\", poke: 5s, timeout: 1h}\n"
			     "  - id: c\n    command: [prog, \"{{ run_id }}\"]\n");
	struct template_ctx c = ctx_of(d, 0);
	struct rendered_task rt;
	char err[256] = "";
	assert_int_equal(render_task(&d->tasks[0], &c, &rt, err, sizeof err), 0);
	assert_string_equal(rt.wait_path, "/data/20260304/_SUCCESS");
	rendered_task_free(&rt);
	c = ctx_of(d, 1);
	c.run_id = NULL;	/* as for `schedctl test`, which has no run */
	assert_int_equal(render_task(&d->tasks[1], &c, &rt, err, sizeof err), -1);
	assert_non_null(strstr(err, "task c"));
	assert_null(rt.argv);
	dag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_env_cwd),
		cmocka_unit_test(test_sensor_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
