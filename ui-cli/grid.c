/* grid.c: the layout of `schedctl grid`: tasks as rows (in the DAG's order,
 * then any task that only exists in old runs), runs as columns (oldest left,
 * as Airflow's grid reads). Kept apart from the printing so it can be tested. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

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
	g->runs = malloc((nruns ? nruns : 1) * sizeof *g->runs);
	if (g->runs && nruns)
		memcpy(g->runs, runs, nruns * sizeof *runs);
	g->ntasks = d ? d->ntasks : 0;
	g->task_ids = malloc((g->ntasks ? g->ntasks : 1) * sizeof *g->task_ids);
	g->cells = calloc((g->ntasks ? g->ntasks : 1) * (nruns ? nruns : 1), sizeof *g->cells);
	for (size_t i = 0; i < g->ntasks; i++)
		g->task_ids[i] = strdup(d->tasks[i].id);
}

void grid_set(struct grid *g, size_t col, const char *task_id, const char *state)
{
	if (col >= g->nruns || !g->cells)
		return;
	size_t row = 0;
	while (row < g->ntasks && strcmp(g->task_ids[row], task_id) != 0)
		row++;
	if (row == g->ntasks) {
		char **ids = realloc(g->task_ids, (g->ntasks + 1) * sizeof *ids);
		const char **cells = realloc(g->cells, (g->ntasks + 1) * g->nruns * sizeof *cells);
		if (!ids || !cells) {
			if (ids)
				g->task_ids = ids;
			if (cells)
				g->cells = cells;
			return;
		}
		g->task_ids = ids;
		g->cells = cells;
		memset(&g->cells[g->ntasks * g->nruns], 0, g->nruns * sizeof *cells);
		g->task_ids[g->ntasks++] = strdup(task_id);
	}
	g->cells[row * g->nruns + col] = intern_state(state);
}

const char *grid_cell(const struct grid *g, size_t row, size_t col)
{
	if (row >= g->ntasks || col >= g->nruns)
		return NULL;
	return g->cells[row * g->nruns + col];
}

void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->ntasks; i++)
		free(g->task_ids[i]);
	free(g->task_ids);
	free(g->runs);
	free(g->cells);
	memset(g, 0, sizeof *g);
}
