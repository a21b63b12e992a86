/* dagmeta.c: a DAG as the daemon recorded it in the dags table (schedule,
 * zone, tasks and their upstream lists as JSON). schedctl works from this
 * record rather than the YAML file so it shows what the daemon really runs,
 * and works when the file has since been broken or removed. The JSON is
 * taken apart by SQLite's own json_each, not by a parser of ours. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

static void unknown_dag(struct store *s, const char *dag_id, char *err, size_t errlen)
{
	char **names = NULL;
	size_t n = 0;
	sqlite3_stmt *st = store_prepare(s, "SELECT dag_id FROM dags ORDER BY dag_id");
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn)
			break;
		names = nn;
		names[n++] = dup_col(st, 0);
	}
	sqlite3_finalize(st);
	char hint[400];
	nearest_hint(dag_id, (const char *const *)names, n, hint, sizeof hint);
	snprintf(err, errlen, "no DAG '%s' in %s; %s", dag_id, s->path, hint);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int meta_load(struct store *s, const char *dag_id, struct meta_dag *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = store_prepare(s, "SELECT dag_id, file, schedule, timezone, description,"
					    " errors, paused, next_run FROM dags WHERE dag_id=?");
	if (!st) {
		snprintf(err, errlen, "%s", s->err);
		return -1;
	}
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		unknown_dag(s, dag_id, err, errlen);
		return -1;
	}
	out->dag_id = dup_col(st, 0);
	out->file = dup_col(st, 1);
	out->schedule = dup_col(st, 2);
	out->timezone = dup_col(st, 3);
	out->description = dup_col(st, 4);
	out->errors = dup_col(st, 5);
	out->paused = sqlite3_column_int(st, 6) != 0;
	out->next_run = sqlite3_column_int64(st, 7);
	sqlite3_finalize(st);

	/* Tasks in file order; upstream ids resolved to indexes in a second pass. */
	st = store_prepare(s, "SELECT json_extract(t.value,'$.id'),"
			      " coalesce(json_extract(t.value,'$.retries'),0),"
			      " json_extract(t.value,'$.trigger_rule'),"
			      " coalesce(json_extract(t.value,'$.upstream'),'[]')"
			      " FROM dags, json_each(dags.tasks) t WHERE dags.dag_id=? ORDER BY t.key");
	sqlite3_stmt *ups = store_prepare(s, "SELECT value FROM json_each(?)");
	if (!st || !ups) {
		snprintf(err, errlen, "%s", s->err);
		sqlite3_finalize(st);
		sqlite3_finalize(ups);
		meta_free(out);
		return -1;
	}
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	char **upjson = NULL;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (out->ntasks == cap) {
			cap = cap ? cap * 2 : 8;
			out->tasks = realloc(out->tasks, cap * sizeof *out->tasks);
			upjson = realloc(upjson, cap * sizeof *upjson);
		}
		struct meta_task *t = &out->tasks[out->ntasks];
		memset(t, 0, sizeof *t);
		t->id = dup_col(st, 0);
		if (!t->id)
			t->id = strdup("?");
		t->retries = sqlite3_column_int(st, 1);
		t->trigger_rule = dup_col(st, 2);
		upjson[out->ntasks++] = dup_col(st, 3);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < out->ntasks; i++) {
		struct meta_task *t = &out->tasks[i];
		sqlite3_reset(ups);
		sqlite3_bind_text(ups, 1, upjson[i], -1, SQLITE_STATIC);
		while (sqlite3_step(ups) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(ups, 0);
			long k = name ? meta_task_index(out, name) : -1;
			if (k < 0)
				continue;
			t->up = realloc(t->up, (t->nup + 1) * sizeof *t->up);
			t->up[t->nup++] = (size_t)k;
		}
		free(upjson[i]);
	}
	sqlite3_finalize(ups);
	free(upjson);
	return 0;
}

void meta_free(struct meta_dag *d)
{
	free(d->dag_id);
	free(d->file);
	free(d->schedule);
	free(d->timezone);
	free(d->description);
	free(d->errors);
	for (size_t i = 0; i < d->ntasks; i++) {
		free(d->tasks[i].id);
		free(d->tasks[i].trigger_rule);
		free(d->tasks[i].up);
	}
	free(d->tasks);
	memset(d, 0, sizeof *d);
}

long meta_task_index(const struct meta_dag *d, const char *task_id)
{
	for (size_t i = 0; i < d->ntasks; i++)
		if (strcmp(d->tasks[i].id, task_id) == 0)
			return (long)i;
	return -1;
}

void meta_unknown_task(const struct meta_dag *d, const char *task_id, char *err, size_t errlen)
{
	const char **names = malloc((d->ntasks + 1) * sizeof *names);
	if (!names) {
		snprintf(err, errlen, "no task '%s' in DAG %s", task_id, d->dag_id);
		return;
	}
	for (size_t i = 0; i < d->ntasks; i++)
		names[i] = d->tasks[i].id;
	char hint[400];
	nearest_hint(task_id, names, d->ntasks, hint, sizeof hint);
	snprintf(err, errlen, "no task '%s' in DAG %s; %s", task_id, d->dag_id, hint);
	free(names);
}

/* One direction at a time from the original selection: with both flags the
 * upstream of a downstream task is not wanted (Airflow's clear does the same). */
static void closure_one(const struct meta_dag *d, bool *sel, bool downstream)
{
	/* Fixed point over the edges: DAGs have tens of tasks, so simplicity
	 * wins over a worklist. */
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < d->ntasks; i++)
			for (size_t k = 0; k < d->tasks[i].nup; k++) {
				size_t u = d->tasks[i].up[k];
				if (downstream && sel[u] && !sel[i])
					sel[i] = changed = true;
				if (!downstream && sel[i] && !sel[u])
					sel[u] = changed = true;
			}
	}
}

void meta_closure(const struct meta_dag *d, bool *sel, bool downstream, bool upstream)
{
	bool *up = malloc((d->ntasks ? d->ntasks : 1) * sizeof *up);
	if (!up)
		return;
	memcpy(up, sel, d->ntasks * sizeof *up);
	if (downstream)
		closure_one(d, sel, true);
	if (upstream) {
		closure_one(d, up, false);
		for (size_t i = 0; i < d->ntasks; i++)
			sel[i] = sel[i] || up[i];
	}
	free(up);
}
