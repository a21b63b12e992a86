/* grid.c: the layout of `schedctl grid`: tasks as rows (in the DAG's order,
 * then any task that only exists in old runs), runs as columns (oldest left,
 * as Airflow's grid reads). Kept apart from the printing so it can be tested.
 *
 * Mapped tasks (expand:, scheduler/mapindex.h): an instance "NAME[N]" is
 * counted on NAME's row (which holds the aggregate state the daemon keeps);
 * with g->mapped it also gets a row of its own, and grid_finish orders those
 * rows after their task's by index. Rows are found through g->hint first:
 * the store's rows come in name order (query_tis), the same in every run, so
 * a run of 2,000 instances costs 2,000 lookups of one or two compares. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/mapindex.h"

/* The store's own name of the state (a static string), or "unknown". */
static const char *intern_state(const char *s)
{
	int k = ti_state_parse(s);
	return k < 0 ? "unknown" : ti_state_name((enum ti_state)k);
}

void grid_init(struct grid *g, const struct query_dag *d, struct query_run *runs, size_t nruns)
{
	memset(g, 0, sizeof *g);
	g->nruns = nruns;
	g->runs = xmalloc((nruns ? nruns : 1) * sizeof *g->runs);
	if (nruns)
		memcpy(g->runs, runs, nruns * sizeof *runs);
	g->ntasks = d ? d->ntasks : 0;
	g->task_ids = xmalloc((g->ntasks ? g->ntasks : 1) * sizeof *g->task_ids);
	g->map_index = xmalloc((g->ntasks ? g->ntasks : 1) * sizeof *g->map_index);
	g->cells = xcalloc((g->ntasks ? g->ntasks : 1) * (nruns ? nruns : 1), sizeof *g->cells);
	g->counts = xcalloc((g->ntasks ? g->ntasks : 1) * (nruns ? nruns : 1), sizeof *g->counts);
	for (size_t i = 0; i < g->ntasks; i++) {
		g->task_ids[i] = xstrdup(d->tasks[i].id);
		g->map_index[i] = -1;
	}
}

static bool grid_row_is(const struct grid *g, size_t row, const char *name, size_t len)
{
	return strncmp(g->task_ids[row], name, len) == 0 && g->task_ids[row][len] == '\0';
}

/* The row of name[0..len), appended when new; *hint: the row found last. */
static size_t grid_row(struct grid *g, size_t *hint, const char *name, size_t len, int map_index)
{
	for (size_t k = 0; k < 2; k++)
		if (*hint + k < g->ntasks && grid_row_is(g, *hint + k, name, len))
			return *hint += k;
	for (size_t row = 0; row < g->ntasks; row++)
		if (grid_row_is(g, row, name, len))
			return *hint = row;
	size_t n = g->ntasks, cols = g->nruns ? g->nruns : 1;
	g->task_ids = xrealloc(g->task_ids, (n + 1) * sizeof *g->task_ids);
	g->map_index = xrealloc(g->map_index, (n + 1) * sizeof *g->map_index);
	g->cells = xrealloc(g->cells, (n + 1) * cols * sizeof *g->cells);
	g->counts = xrealloc(g->counts, (n + 1) * cols * sizeof *g->counts);
	memset(&g->cells[n * cols], 0, cols * sizeof *g->cells);
	memset(&g->counts[n * cols], 0, cols * sizeof *g->counts);
	g->task_ids[n] = xstrndup(name, len);
	g->map_index[n] = map_index;
	g->ntasks = n + 1;
	return *hint = n;
}

void grid_set(struct grid *g, size_t col, const char *task_id, const char *state)
{
	if (col >= g->nruns || !task_id)
		return;
	size_t len;
	int index;
	if (map_name_parse(task_id, &len, &index)) {
		size_t task = grid_row(g, &g->task_hint, task_id, len, -1);
		g->counts[task * g->nruns + col]++;
		if (!g->mapped)
			return;
	}
	size_t row = grid_row(g, &g->hint, task_id, strlen(task_id), index);
	g->cells[row * g->nruns + col] = intern_state(state);
}

struct grid_key {
	size_t task_row, row;	/* the row of the task (its own for a task), the row */
	int map_index;
};

static int grid_key_cmp(const void *a, const void *b)
{
	const struct grid_key *x = a, *y = b;
	if (x->task_row != y->task_row)
		return x->task_row < y->task_row ? -1 : 1;
	if (x->map_index != y->map_index)
		return x->map_index < y->map_index ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

void grid_finish(struct grid *g)
{
	if (!g->mapped || g->ntasks < 2)
		return;
	size_t n = g->ntasks, cols = g->nruns ? g->nruns : 1;
	struct grid_key *k = xmalloc(n * sizeof *k);
	for (size_t r = 0; r < n; r++) {
		k[r].row = r;
		k[r].map_index = g->map_index[r];
		k[r].task_row = r;
		if (g->map_index[r] >= 0) {
			size_t len;
			map_name_parse(g->task_ids[r], &len, NULL);
			k[r].task_row = grid_row(g, &g->task_hint, g->task_ids[r], len, -1);	/* grid_set made it */
		}
	}
	qsort(k, n, sizeof *k, grid_key_cmp);
	char **ids = xmalloc(n * sizeof *ids);
	int *mi = xmalloc(n * sizeof *mi);
	const char **cells = xmalloc(n * cols * sizeof *cells);
	int *counts = xmalloc(n * cols * sizeof *counts);
	for (size_t r = 0; r < n; r++) {
		ids[r] = g->task_ids[k[r].row];
		mi[r] = g->map_index[k[r].row];
		memcpy(&cells[r * cols], &g->cells[k[r].row * cols], cols * sizeof *cells);
		memcpy(&counts[r * cols], &g->counts[k[r].row * cols], cols * sizeof *counts);
	}
	free(g->task_ids);
	free(g->map_index);
	free(g->cells);
	free(g->counts);
	g->task_ids = ids;
	g->map_index = mi;
	g->cells = cells;
	g->counts = counts;
	g->hint = g->task_hint = 0;
	free(k);
}

const char *grid_cell(const struct grid *g, size_t row, size_t col)
{
	if (row >= g->ntasks || col >= g->nruns)
		return NULL;
	return g->cells[row * g->nruns + col];
}

int grid_count(const struct grid *g, size_t row, size_t col)
{
	if (row >= g->ntasks || col >= g->nruns)
		return 0;
	return g->counts[row * g->nruns + col];
}

int grid_map_count(const struct grid *g, size_t row)
{
	for (size_t c = g->nruns; c-- > 0;)
		if (grid_count(g, row, c) > 0)
			return grid_count(g, row, c);
	return -1;
}

void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->ntasks; i++)
		free(g->task_ids[i]);
	free(g->task_ids);
	free(g->map_index);
	free(g->runs);
	free(g->cells);
	free(g->counts);
	memset(g, 0, sizeof *g);
}
