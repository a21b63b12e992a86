/* dag.c: small accessors of the DAG model (dag.h) and its destructor; the
 * loader that builds it lives in dag_load.c. */
#include "scheduler/dag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void notify_free(struct dag_notify *n, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(n[i].spec);
		free(n[i].address);
	}
	free(n);
}

const char *const notify_event_names[NOTIFY_NEVENTS] = {
	"task_failed", "task_retry", "run_failed", "run_succeeded", "deadline_missed", "schedule_missed",
	"stream_crash_loop",
};

const char *notify_event_name(enum notify_event e)
{
	return (unsigned)e < NOTIFY_NEVENTS ? notify_event_names[e] : NULL;
}

static void dag_task_free(struct dag_task *t)
{
	free(t->id);
	for (size_t i = 0; i < t->ncommand; i++)
		free(t->command[i]);
	free(t->command);
	for (size_t i = 0; i < t->nenv; i++) {
		free(t->env[i].key);
		free(t->env[i].value);
	}
	free(t->env);
	free(t->cwd);
	for (size_t i = 0; i < t->nupstream; i++)
		free(t->depends_on[i]);
	free(t->depends_on);
	free(t->upstream);
	free(t->downstream);
	free(t->no_retry_exit_codes);
	free(t->wait_path);
	free(t->slurm.partition);
	free(t->slurm.account);
	free(t->slurm.qos);
	notify_free(t->notify, t->nnotify);
	free(t->wait_dag);
	free(t->wait_task);
	free(t->wait_date);
	free(t->pool);
	free(t->map_over);
	free(t->map_as);
	for (size_t i = 0; i < t->noutlets; i++)
		free(t->outlets[i]);
	free(t->outlets);
}

void dag_free(struct dag *d)
{
	if (!d)
		return;
	free(d->dag_id);
	free(d->description);
	free(d->file);
	free(d->source);
	free(d->schedule);
	free(d->timezone);
	for (size_t i = 0; i < d->nparams; i++) {
		free(d->params[i].key);
		free(d->params[i].value);
	}
	free(d->params);
	for (size_t i = 0; i < d->ntasks; i++)
		dag_task_free(&d->tasks[i]);
	free(d->tasks);
	notify_free(d->notify, d->nnotify);
	for (size_t i = 0; i < d->ndatasets; i++)
		free(d->datasets[i]);
	free(d->datasets);
	free(d);
}

long dag_task_index(const struct dag *d, const char *task_id)
{
	for (size_t i = 0; i < d->ntasks; i++)
		if (d->tasks[i].id && strcmp(d->tasks[i].id, task_id) == 0)
			return (long)i;
	return -1;
}

const char *dag_param(const struct dag *d, const char *key)
{
	for (size_t i = 0; i < d->nparams; i++)
		if (strcmp(d->params[i].key, key) == 0)
			return d->params[i].value;
	return NULL;
}

const char *trigger_rule_name(enum trigger_rule r)
{
	switch (r) {
	case TR_ALL_SUCCESS: return "all_success";
	case TR_ALL_DONE: return "all_done";
	case TR_ALL_FAILED: return "all_failed";
	case TR_ONE_SUCCESS: return "one_success";
	case TR_ONE_FAILED: return "one_failed";
	case TR_NONE_FAILED: return "none_failed";
	}
	return "?";
}

int dag_limits_parse(struct dag_limits *lim, const char *size, const char *depth, char *err, size_t errlen)
{
	if (size) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(size, &end, 10), mul = 1;
		if (*end == 'K' || *end == 'k')
			mul = 1024, end++;
		else if (*end == 'M' || *end == 'm')
			mul = 1024 * 1024, end++;
		if (errno || end == size || *end || size[0] == '-' || n > (1ULL << 30) / mul || n * mul < 1024) {
			snprintf(err, errlen, "--max-dag-size: '%s' is not a size from 1K to 1024M (bytes, or with K or M)",
				 size);
			return -1;
		}
		lim->max_bytes = (size_t)(n * mul);
	}
	if (depth) {
		char *end;
		errno = 0;
		long n = strtol(depth, &end, 10);
		if (errno || end == depth || *end || n < 4 || n > 1000000) {
			snprintf(err, errlen, "--max-dag-depth: '%s' is not a number from 4 to 1000000", depth);
			return -1;
		}
		lim->max_depth = (int)n;
	}
	return 0;
}
