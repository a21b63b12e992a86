/* template.h: {{ name }} templates in task commands, env and cwd.
 *
 * Known names: ds ds_nodash ts data_interval_start data_interval_end prev_ds
 * next_ds iso_week ym run_id try_number dag_id task_id triggering_dataset_events
 * params.NAME env.NAME ti.TASK.result ti.TASK.result.KEY[.KEY...] (the stored
 * JSON result of an upstream task of the same run: a string as it is, any
 * other value as compact JSON; a KEY of an array is an index; of a mapped
 * upstream, the array of its instances' results in map order). In a mapped
 * task (expand:) also map_index and AS[.KEY...], its element (AS: expand.as).
 * A name outside this list (or params.X not declared in the DAG) is an error at
 * load time (template_check), never an empty string at run time. Rendering
 * produces the string given to execve: no shell ever sees it unless the task
 * asked for shell: true. */
#ifndef SCHED_TEMPLATE_H
#define SCHED_TEMPLATE_H

#include <stddef.h>
#include <time.h>

#include "scheduler/dag.h"

/* Checks every {{ ... }} of s. Returns 0, or -1 with err ("unknown template
 * name 'dss'") and *offset set to the byte offset of the bad "{{" in s. */
int template_check(const char *s, const struct dag *d, size_t *offset, char *err, size_t errlen);
/* Same in a mapped task's template: map_index and MAP_AS[.KEY...] (its
 * element, or a value in it) are known names too; map_as NULL: none. */
int template_check_map(const char *s, const struct dag *d, const char *map_as, size_t *offset, char *err,
		       size_t errlen);

struct template_ctx {
	const struct dag *dag;
	const char *task_id;
	const char *run_id;
	time_t interval_start;	/* = logical date */
	time_t interval_end;
	int try_number;
	const struct dag_kv *conf;	/* run conf (trigger --param), overrides params */
	size_t nconf;
	const char *triggering_dataset_events;	/* JSON (store_dataset_triggering); NULL: "{}" */
	/* {{ ti.TASK.result... }}: the stored result of TASK in this run (valid
	 * until the next call), NULL when none; result_of NULL: no results here */
	const char *(*result_of)(void *arg, const char *task_id);
	void *result_arg;
	/* A mapped task instance (expand:): the element's name (NULL: not one),
	 * the element as JSON text, and its index. */
	const char *map_as;
	const char *map_item;
	int map_index;
};

/* Templates over a caller's own names (notifications: the fields of the
 * payload, scheduler/notify.h), same syntax: {{ field }}, {{ env.NAME }},
 * {{ 'literal' }}. Check: 0, or -1 with err and *offset like template_check.
 * Render: value(arg, field) gives a field's text (NULL: an error naming it),
 * env.NAME comes from getenv (unset: an error); malloc'd, or NULL with err. */
int template_check_fields(const char *s, const char *const *fields, size_t nfields, size_t *offset, char *err,
			  size_t errlen);
char *template_render_fields(const char *s, const char *const *fields, size_t nfields,
			     const char *(*value)(void *arg, const char *field), void *arg, char *err, size_t errlen);
/* Calls fn for every {{ ti.TASK.result... }} of s with TASK and the byte
 * offset of its "{{" (the loader checks TASK is an upstream); the count. */
int template_ti_refs(const char *s, void (*fn)(void *arg, const char *task_id, size_t offset), void *arg);

/* Renders s; malloc'd result, or NULL with err (e.g. env.NAME unset). */
char *template_render(const char *s, const struct template_ctx *ctx, char *err, size_t errlen);

#endif
