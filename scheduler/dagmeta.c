/* dagmeta.c: a DAG as the daemon recorded it in the dags table (schedule,
 * zone, tasks and their upstream lists as JSON). schedctl and schedweb work
 * from this record rather than the YAML file so they show what the daemon
 * really runs, and work when the file has since been broken or removed. The
 * record is read by scheduler/query.c; what is here only names and walks it. */
#include "scheduler/dagmeta.h"

#include <stdio.h>

#include "lib/suggest.h"

#include <stdlib.h>
#include <string.h>

int meta_load(struct store *s, const char *dag_id, struct query_dag *out, char *err, size_t errlen)
{
	int rc = query_dag(s, dag_id, out, err, errlen);
	if (rc != Q_NOTFOUND)
		return rc;
	/* Unknown: name the nearest DAG, or the ones there are. */
	struct query_names names;
	int nrc = query_dag_ids(s, &names, err, errlen);
	if (nrc != Q_OK)
		return nrc;
	char hint[400];
	suggest_hint(dag_id, (const char *const *)names.v, names.n, hint, sizeof hint);
	snprintf(err, errlen, "no DAG '%s' in %s; %s", dag_id, s->path, hint);
	query_names_free(&names);
	return Q_NOTFOUND;
}

/* Q_NOTFOUND (the version's row is gone) leaves d as it is: the daemon,
 * too, runs such a run with the current definition. */
int meta_pin_run(struct store *s, struct query_dag *d, const struct query_run *r, char *err, size_t errlen)
{
	if (r->version <= 0 || r->version == d->version)
		return Q_OK;
	return query_dag_at_version(s, d, r->version, err, errlen);
}

void meta_unknown_task(const struct query_dag *d, const char *task_id, char *err, size_t errlen)
{
	const char **names = malloc((d->ntasks + 1) * sizeof *names);
	if (!names) {
		snprintf(err, errlen, "no task '%s' in DAG %s", task_id, d->dag_id);
		return;
	}
	for (size_t i = 0; i < d->ntasks; i++)
		names[i] = d->tasks[i].id;
	char hint[400];
	suggest_hint(task_id, names, d->ntasks, hint, sizeof hint);
	snprintf(err, errlen, "no task '%s' in DAG %s; %s", task_id, d->dag_id, hint);
	free(names);
}

/* One direction at a time from the original selection: with both flags the
 * upstream of a downstream task is not wanted (Airflow's clear does the same). */
static void closure_one(const struct query_dag *d, bool *sel, bool downstream)
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

void meta_closure(const struct query_dag *d, bool *sel, bool downstream, bool upstream)
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
