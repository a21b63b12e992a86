/* cmd_grid.c: `schedctl grid DAG [--last N] [--run-id ID | --date D] [--mapped]`:
 * Airflow's grid view in a terminal: the last N runs as columns (oldest left;
 * with --run-id or --date, the N runs ending at that one), tasks as rows, one cell
 * per task instance, coloured by state on a terminal and a letter otherwise,
 * with a legend. A mapped task (expand:) is one row, its aggregate state,
 * named with its instance count ("load_part [50]"); --mapped adds a row per
 * instance after it. Reads N runs through the (dag_id, logical_date) index and
 * each run's instances through the task_instances primary key, so the cost
 * does not grow with the history. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/tz.h"

static const char *const legend_states[] = { "success", "failed", "upstream_failed",
					      "up_for_retry", "running", "restarting", "crash_loop",
					      "queued", "scheduled", "skipped", "none" };

static void print_cell(const struct cli *cli, const char *state, int width)
{
	char letter = state ? state_letter(state) : ' ';
	const char *k = state ? state_color(state) : NULL;
	if (cli->color && k) {
		/* Background colour (4x) of the state's foreground (3x). */
		printf("\033[%s;30m", strcmp(k, "2") == 0 ? "47" : (char[]){ '4', k[1], 0 });
		printf("%*c%*s\033[0m", width / 2 + 1, letter, width - width / 2 - 1, "");
	} else {
		printf("%*c%*s", width / 2 + 1, letter, width - width / 2 - 1, "");
	}
	fputc(' ', stdout);
}

/* The last runs of d (oldest first) and each one's task instance states,
 * in one snapshot so that a run's column and its state agree. */
static int read_grid(struct store *s, const struct query_dag *d, long last, const char *run_id,
		     const char *date, bool mapped, struct grid *g, char *err, size_t errlen)
{
	struct query_runs runs;
	int rc = query_snapshot_begin(s, err, errlen);
	if (rc == Q_OK && (run_id || date)) {
		struct query_run end;
		int f = run_find(s, d, run_id, date, &end, err, errlen);
		if (f != SC_OK)
			return f == SC_USAGE ? Q_AMBIGUOUS : Q_NOTFOUND;
		rc = query_runs_upto(s, d->dag_id, end.logical_date, last, &runs, err, errlen);
	} else if (rc == Q_OK) {
		rc = query_runs(s, d->dag_id, NULL, last, &runs, err, errlen);
	}
	if (rc != Q_OK)
		return rc;
	for (size_t i = 0; i < runs.n / 2; i++) {	/* oldest first */
		struct query_run tmp = runs.v[i];
		runs.v[i] = runs.v[runs.n - 1 - i];
		runs.v[runs.n - 1 - i] = tmp;
	}
	grid_init(g, d, runs.v, runs.n);
	g->mapped = mapped;
	query_runs_free(&runs);
	for (size_t c = 0; c < g->nruns; c++) {
		struct query_tis tis;
		rc = query_ti_states(s, g->runs[c].id, &tis, err, errlen);
		if (rc != Q_OK) {
			grid_free(g);
			return rc;
		}
		query_tis_sort_dag(d, &tis);	/* each row found at the grid's hint */
		for (size_t i = 0; i < tis.n; i++)
			grid_set(g, c, tis.v[i].task_id, tis.v[i].state);
		query_tis_free(&tis);
	}
	grid_finish(g);
	rc = query_snapshot_end(s, err, errlen);
	if (rc != Q_OK)
		grid_free(g);
	return rc;
}

int cmd_grid(struct cli *cli, int argc, char **argv)
{
	bool json = false, mapped = false;
	long last = 10;
	const char *run_id = NULL, *date = NULL;
	const struct opt opts[] = {
		{ OPT_INT, "last", &last, "N", "the N newest runs (default 10)" },
		{ OPT_STRING, "run-id", &run_id, "ID", "the N runs ending at that run" },
		{ OPT_STRING, "date", &date, "D", "the N runs ending at the run of logical date D" },
		{ OPT_FLAG, "mapped", &mapped, NULL, "a row per instance of each mapped task too (load_part[0], ...)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl grid DAG [--last N] [--run-id ID | --date D] [--mapped] [--json]",
			   "Shows the last runs as columns and the tasks as rows, one cell per"
			   " task instance state; a mapped task is one row with its instance count.",
			   pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("grid: which DAG? usage: schedctl grid DAG [--last N]");
		return SC_USAGE;
	}
	if (last < 1)
		last = 1;
	struct query_dag d;
	struct store *s = cli_open_dag(cli, false, pos[0], &d);
	if (!s)
		return SC_FAIL;
	struct grid g;
	char err[1024];
	rc = read_grid(s, &d, last, run_id, date, mapped, &g, err, sizeof err);
	store_close(s);
	if (rc != Q_OK) {
		cli_err("grid: %s", err);
		query_dag_free(&d);
		return rc == Q_AMBIGUOUS ? SC_USAGE : SC_FAIL;
	}

	if (json) {
		json_t *runs = json_array(), *tasks = json_array();
		for (size_t c = 0; c < g.nruns; c++) {
			json_t *o = json_object();
			jx_set(o, "run_id", jv_str(g.runs[c].run_id));
			jx_set(o, "logical_date", jv_date(g.runs[c].logical_date, d.timezone));
			jx_set(o, "state", jv_str(g.runs[c].state));
			json_array_append_new(runs, o);
		}
		for (size_t r = 0; r < g.ntasks; r++) {
			json_t *states = json_array();
			for (size_t c = 0; c < g.nruns; c++)
				json_array_append_new(states, jv_str(grid_cell(&g, r, c)));
			json_t *o = json_object();
			jx_set(o, "task_id", jv_str(g.task_ids[r]));
			jx_set(o, "states", states);
			jx_set(o, "map_index", json_integer(g.map_index[r]));
			if (grid_map_count(&g, r) >= 0) {	/* a mapped task: its instances per run */
				json_t *counts = json_array();
				for (size_t c = 0; c < g.nruns; c++)
					json_array_append_new(counts, json_integer(grid_count(&g, r, c)));
				jx_set(o, "map_counts", counts);
			}
			json_array_append_new(tasks, o);
		}
		json_t *doc = json_object();
		jx_set(doc, "dag_id", jv_str(d.dag_id));
		jx_set(doc, "runs", runs);
		jx_set(doc, "tasks", tasks);
		json_print(doc);
		goto out;
	}
	if (g.nruns == 0) {
		printf("DAG %s has no runs yet\n", tsafe(d.dag_id));
		goto out;
	}
	/* Column labels: MM-DD when every run is on its own day, else DD HH:MM. */
	const char *fmt = "%m-%d";
	for (size_t c = 1; c < g.nruns; c++) {
		char a[16], b[16];
		tz_format(d.timezone, g.runs[c - 1].logical_date, "%Y%m%d", a, sizeof a);
		tz_format(d.timezone, g.runs[c].logical_date, "%Y%m%d", b, sizeof b);
		if (strcmp(a, b) == 0)
			fmt = "%d %H:%M";
	}
	int width = strcmp(fmt, "%m-%d") == 0 ? 5 : 8;
	/* Row names: a mapped task's with its instance count, an instance's
	 * indented under it. */
	char **names = xcalloc(g.ntasks + 1, sizeof *names);
	int namew = 4;
	for (size_t r = 0; r < g.ntasks; r++) {
		int count = grid_map_count(&g, r);
		const char *id = tsafe(g.task_ids[r]);
		size_t len = strlen(id) + 32;
		names[r] = xmalloc(len);
		if (g.map_index[r] >= 0)
			snprintf(names[r], len, "  %s", id);
		else if (count >= 0)
			snprintf(names[r], len, "%s [%d]", id, count);
		else
			snprintf(names[r], len, "%s", id);
		if ((int)strlen(names[r]) > namew)
			namew = (int)strlen(names[r]);
	}
	printf("%-*s  ", namew, "");
	for (size_t c = 0; c < g.nruns; c++) {
		char lab[32];
		tz_format(d.timezone, g.runs[c].logical_date, fmt, lab, sizeof lab);
		printf("%-*s ", width, lab);
	}
	printf("\n%-*s  ", namew, "(run)");
	for (size_t c = 0; c < g.nruns; c++)
		print_cell(cli, g.runs[c].state, width);
	fputc('\n', stdout);
	for (size_t r = 0; r < g.ntasks; r++) {
		printf("%-*s  ", namew, names[r]);
		for (size_t c = 0; c < g.nruns; c++)
			print_cell(cli, grid_cell(&g, r, c), width);
		fputc('\n', stdout);
	}
	for (size_t r = 0; r < g.ntasks; r++)
		free(names[r]);
	free(names);
	printf("\nlegend:");
	for (size_t i = 0; i < sizeof legend_states / sizeof legend_states[0]; i++) {
		const char *k = state_color(legend_states[i]);
		if (cli->color && k)
			printf(" \033[%sm%c\033[0m=%s", k, state_letter(legend_states[i]),
			       legend_states[i]);
		else
			printf(" %c=%s", state_letter(legend_states[i]), legend_states[i]);
	}
	printf("  (blank: no task instance)\n");
	bool any_mapped = false;
	for (size_t r = 0; r < g.ntasks && !mapped; r++)
		any_mapped |= grid_map_count(&g, r) >= 0;
	if (any_mapped)
		printf("mapped tasks: one row each, [N] its instances in the newest run; --mapped shows a row per instance\n");
out:
	grid_free(&g);
	query_dag_free(&d);
	return SC_OK;
}
