/* fuzz_dag_load.c: the DAG loader (scheduler/dag_load.c), YAML text in: every
 * top-level key, `default:`, tasks and their keys, anchors and aliases. A DAG
 * that loads is then rendered (every task, one run and try) as schedulerd
 * would, so what the loader accepts must be something render_task can use.
 * Invariants checked: a NULL result has at least one diagnostic, a DAG has
 * none; every task's upstream index is in range; every notify channel's
 * spec is a JSON object with a type, and a task's channels listen to task
 * events only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scheduler/dag.h"
#include "scheduler/render.h"
#include "scheduler/template.h"

static void check_channel(const struct dag_notify *c, bool task)
{
	json_t *o = json_loads(c->spec, 0, NULL);
	if (!o || !json_is_object(o) || !json_is_string(json_object_get(o, "type")) || !c->address || !c->events ||
	    (task && (c->events & ~NOTIFY_TASK_EVENTS)))
		abort();
	json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list l = { 0 };
	struct dag *d = dag_load_buffer("fuzz.yaml", (const char *)data, size, &l);
	if (!d) {
		if (l.n == 0)
			abort();	/* rejected without saying why */
		for (size_t i = 0; i < l.n; i++)
			free(diag_format(&l.items[i]));
		diag_list_clear(&l);
		return 0;
	}
	if (l.n != 0)
		abort();	/* loaded although a problem was reported */
	for (size_t i = 0; i < d->nnotify; i++)
		check_channel(&d->notify[i], false);
	for (size_t i = 0; i < d->ntasks; i++) {
		const struct dag_task *t = &d->tasks[i];
		for (size_t k = 0; k < t->nnotify; k++)
			check_channel(&t->notify[k], true);
		for (size_t k = 0; k < t->nupstream; k++)
			if (t->upstream[k] >= d->ntasks || t->upstream[k] == i)
				abort();
		struct template_ctx c = { .dag = d, .task_id = t->id, .run_id = "scheduled__2026-03-04",
					  .interval_start = 1772582400, .interval_end = 1772668800,
					  .try_number = 1 };
		struct rendered_task r = { 0 };
		char err[256];
		if (render_task(t, &c, &r, err, sizeof err) == 0)
			rendered_task_free(&r);
	}
	dag_free(d);
	diag_list_clear(&l);
	return 0;
}
