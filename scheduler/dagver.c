/* dagver.c: the DAG versions the daemon holds: the definitions its slots
 * and active runs use (dag_versions rows, store.h).
 *
 * Invariants:
 *   - a run is scheduled from the version it is pinned to (runs.version), for
 *     its whole life: editing the DAG file changes the slot's current
 *     version, never a run's;
 *   - an entry is held while its refs (the slot whose current version it is,
 *     and each run in d->runs built on it) are above 0; at refs 0 it is freed
 *     by the next dagver_sweep, not at once, so the rebuild of every run
 *     (recover_sync) finds the versions it just dropped still parsed. Memory
 *     is therefore bounded by the DAGs loaded plus the versions of active runs;
 *   - a version not in memory is parsed on demand from dag_versions.source,
 *     in this process (not the parse worker): it is text the worker already
 *     loaded once within its time budget, and it goes through the same loader
 *     and the same size and depth limits. A version that does not load (the
 *     limits were lowered since, its row is gone) is logged and the run uses
 *     the slot's current definition, as before schema version 2;
 *   - id 0 is a definition with no stored version (a run made before schema
 *     version 2 uses the slot's current one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/daemon.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"
#include "lib/xalloc.h"

size_t *dagver_topo_order(const struct dag *g)
{
	size_t n = g->ntasks, *order = xcalloc(n + 1, sizeof *order), *indeg = xcalloc(n + 1, sizeof *indeg);
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < n; i++)
		indeg[i] = g->tasks[i].nupstream;
	for (size_t i = 0; i < n; i++)
		if (indeg[i] == 0)
			order[tail++] = i;
	while (head < tail) {
		const struct dag_task *t = &g->tasks[order[head++]];
		for (size_t k = 0; k < t->ndownstream; k++)
			if (--indeg[t->downstream[k]] == 0)
				order[tail++] = t->downstream[k];
	}
	free(indeg);
	return order;
}

static struct dagver *find(struct daemon *d, const char *dag_id, int64_t id)
{
	if (id <= 0)
		return NULL;
	for (size_t i = 0; i < d->nvers; i++)
		if (d->vers[i]->id == id && strcmp(d->vers[i]->dag->dag_id, dag_id) == 0)
			return d->vers[i];
	return NULL;
}

static struct dagver *add(struct daemon *d, int64_t id, struct dag *g)
{
	struct dagver *v = xcalloc(1, sizeof *v);
	v->id = id;
	v->dag = g;
	v->topo = dagver_topo_order(g);
	v->refs = 1;
	free(g->source);	/* kept in the store */
	g->source = NULL;
	if (d->nvers == d->capvers) {
		d->capvers = d->capvers ? d->capvers * 2 : 16;
		d->vers = xrealloc(d->vers, d->capvers * sizeof *d->vers);
	}
	d->vers[d->nvers++] = v;
	return v;
}

struct dagver *dagver_adopt(struct daemon *d, int64_t id, struct dag *g)
{
	struct dagver *v = find(d, g->dag_id, id);
	if (v) {
		dag_free(g);
		v->refs++;
		return v;
	}
	return add(d, id, g);
}

struct dagver *dagver_get(struct daemon *d, struct dagslot *slot, int64_t id)
{
	struct dagver *v = slot->ver;
	if (id > 0 && id != v->id) {
		struct dagver *f = find(d, slot->dag_id, id);
		if (f) {
			f->refs++;
			return f;
		}
		char *source = NULL;
		int found = store_dag_version_source(d->store, id, slot->dag_id, &source);
		struct dag *g = NULL;
		struct diag_list diags = { 0 };
		if (found == 1) {
			struct dag_limits lim = { .max_bytes = d->cfg.max_dag_bytes, .max_depth = d->cfg.max_dag_depth };
			g = dag_load_buffer_limits(slot->dag->file, source, strlen(source), &lim, &diags);
		}
		free(source);
		if (g && strcmp(g->dag_id, slot->dag_id) == 0) {
			diag_list_clear(&diags);
			free(diags.items);
			slog(SLOG_INFO, "dag_version_loaded", "dag=%s version=%lld tasks=%zu", slot->dag_id,
			     (long long)id, g->ntasks);
			return add(d, id, g);
		}
		slog(SLOG_ERROR, "dag_version_unloadable", "dag=%s version=%lld error=%s using=%lld", slot->dag_id,
		     (long long)id,
		     found < 0 ? d->store->err : found == 0 ? "no such version"
			: diags.n ? diags.items[0].msg : "it defines another DAG",
		     (long long)v->id);
		dag_free(g);
		diag_list_clear(&diags);
		free(diags.items);
	}
	v->refs++;
	return v;
}

void dagver_put(struct dagver *v)
{
	if (v)
		v->refs--;
}

static void ver_free(struct dagver *v)
{
	dag_free(v->dag);
	free(v->topo);
	free(v);
}

void dagver_sweep(struct daemon *d)
{
	size_t w = 0;
	for (size_t i = 0; i < d->nvers; i++) {
		if (d->vers[i]->refs > 0)
			d->vers[w++] = d->vers[i];
		else
			ver_free(d->vers[i]);
	}
	d->nvers = w;
}

void dagver_free_all(struct daemon *d)
{
	for (size_t i = 0; i < d->nvers; i++)
		ver_free(d->vers[i]);
	free(d->vers);
	d->vers = NULL;
	d->nvers = d->capvers = 0;
}
