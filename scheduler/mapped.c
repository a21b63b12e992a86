/* mapped.c: the in-memory side of dynamic task mapping (mapped.h says what
 * it keeps true and why). */
#include "scheduler/mapped.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/mapindex.h"

size_t mapped_append(struct run *r)
{
	if (r->ntis == r->capti) {
		r->capti *= 2;
		r->tis = xrealloc(r->tis, r->capti * sizeof *r->tis);
	}
	memset(&r->tis[r->ntis], 0, sizeof *r->tis);
	return r->ntis++;
}

size_t mapped_new_instance(struct run *r, size_t idx, int i, const char *name, int last_try, int retries)
{
	size_t k = mapped_append(r);
	struct ti *ti = &r->tis[k];
	ti->task = idx;
	ti->map_index = i;
	ti->name = xstrdup(name);
	ti->state = TI_NONE;
	ti->try_number = last_try;
	ti->max_tries = last_try + 1 + retries;
	r->tis[idx].map_done[TI_NONE]++;
	return k;
}

json_t *mapped_list_check(const char *text, int max, char *cause, size_t len)
{
	json_t *a = json_loads(text, JSON_DECODE_ANY, NULL);
	if (!json_is_array(a))
		snprintf(cause, len, "expand.over: rendered '%.200s', not a JSON list", text);
	else if (json_array_size(a) > (size_t)max)
		snprintf(cause, len, "expand.over: %zu elements, over max_length %d", json_array_size(a), max);
	else
		return a;
	json_decref(a);
	return NULL;
}

void mapped_install(struct run *r, size_t idx, size_t *map, size_t n, json_t *items)
{
	struct ti *m = &r->tis[idx];
	for (size_t i = n; i < m->nmap; i++)	/* past the new list's end */
		r->tis[m->map[i]].map_index = MAP_DROPPED;
	free(m->map);
	m->map = map;
	m->nmap = n;
	memset(m->map_done, 0, sizeof m->map_done);
	for (size_t i = 0; i < n; i++)
		m->map_done[r->tis[map[i]].state]++;
	json_decref(m->items);
	m->items = items;
}

void mapped_drop(struct run *r, size_t idx)
{
	mapped_install(r, idx, NULL, 0, NULL);
}

void mapped_count_upstream(const struct run *r, size_t u, struct upstream_counts *c)
{
	const struct ti *ti = &r->tis[u];
	if (ti->nmap > 0 && ti->state != TI_NONE) {
		c->total += ti->nmap - 1;	/* the task was counted once in total */
		c->success += ti->map_done[TI_SUCCESS];
		c->failed += ti->map_done[TI_FAILED];
		c->upstream_failed += ti->map_done[TI_UPSTREAM_FAILED];
		c->skipped += ti->map_done[TI_SKIPPED];
		return;
	}
	switch (ti->state) {
	case TI_SUCCESS: c->success++; break;
	case TI_FAILED: c->failed++; break;
	case TI_UPSTREAM_FAILED: c->upstream_failed++; break;
	case TI_SKIPPED: c->skipped++; break;
	default: break;
	}
}

enum ti_state mapped_settled(const struct ti *m, char *cause, size_t len)
{
	size_t ok = m->map_done[TI_SUCCESS], skipped = m->map_done[TI_SKIPPED];
	size_t bad = m->map_done[TI_FAILED] + m->map_done[TI_UPSTREAM_FAILED];
	if (ok + skipped + bad < m->nmap)
		return TI_RUNNING;
	if (bad)
		snprintf(cause, len, "%zu of %zu mapped instances failed", bad, m->nmap);
	else
		snprintf(cause, len, "%zu mapped instances succeeded, %zu skipped", ok, skipped);
	return bad ? TI_FAILED : skipped == m->nmap ? TI_SKIPPED : TI_SUCCESS;
}

static int cmp_instance(const void *a, const void *b, void *arg)
{
	const struct ti *tis = arg, *x = &tis[*(const size_t *)a], *y = &tis[*(const size_t *)b];
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	return (x->map_index > y->map_index) - (x->map_index < y->map_index);
}

void mapped_link(struct run *r)
{
	size_t n = r->ntis - r->dag->ntasks;
	if (n == 0)
		return;
	size_t *order = xcalloc(n, sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = r->dag->ntasks + i;
	qsort_r(order, n, sizeof *order, cmp_instance, r->tis);
	for (size_t i = 0; i < n;) {
		size_t task = r->tis[order[i]].task, j = i;
		while (j < n && r->tis[order[j]].task == task)
			j++;
		struct ti *m = &r->tis[task];
		m->map = xcalloc(j - i, sizeof *m->map);
		for (size_t k = i; k < j; k++) {
			struct ti *ti = &r->tis[order[k]];
			if (ti->map_index != (int)m->nmap) {
				ti->map_index = MAP_DROPPED;
				continue;
			}
			m->map[m->nmap++] = order[k];
			m->map_done[ti->state]++;
		}
		i = j;
	}
	free(order);
}

long mapped_ti_index(const struct run *r, const char *name)
{
	size_t tl;
	int i;
	if (map_name_parse(name, &tl, &i) != 1)
		return dag_task_index(r->dag, name);
	char task[300];
	snprintf(task, sizeof task, "%.*s", (int)tl, name);
	long t = dag_task_index(r->dag, task);
	return t >= 0 && (size_t)i < r->tis[t].nmap ? (long)r->tis[t].map[i] : -1;
}
