/* render.h: turns one task of a DAG, for one run and try, into exactly what
 * execve gets (argv, the full environment, cwd) or the sensor's path. Shared
 * by schedulerd (every try) and `schedctl test`, so a test run sees the same
 * environment a real try gets.
 *
 * Environment of a try: the daemon's own environment, then SCHED_DAG_ID,
 * SCHED_RUN_ID, SCHED_TASK_ID, SCHED_TRY, SCHED_DS, SCHED_TS,
 * SCHED_DATA_INTERVAL_START, SCHED_DATA_INTERVAL_END, then the task's env:
 * (templates rendered), later entries overriding earlier ones. */
#ifndef SCHED_RENDER_H
#define SCHED_RENDER_H

#include <stddef.h>

#include "scheduler/dag.h"
#include "scheduler/template.h"

struct rendered_task {
	char **argv;	/* NULL-terminated; {"/bin/sh", "-c", cmd} for shell: true */
	char **envp;	/* NULL-terminated "K=V" */
	char *cwd;	/* NULL = inherit */
	char *wait_path;	/* sensors only */
};

int render_task(const struct dag_task *t, const struct template_ctx *ctx,
		struct rendered_task *out, char *err, size_t errlen);
void rendered_task_free(struct rendered_task *r);

#endif
