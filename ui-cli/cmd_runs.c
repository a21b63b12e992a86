/* cmd_runs.c: `schedctl runs DAG [--last N] [--run-state S] [--run-id ID | --date D]`:
 * the runs of a DAG (or of one day, or one run), newest first, with their
 * run ids, read through the (dag_id,
 * logical_date) index. The filter was `--state S` until it was renamed: that
 * spelling is the global state-file option, so here it is refused with the
 * new name rather than taken either way. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/tz.h"

int cmd_runs(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	long last = 20;
	const char *state = NULL, *old_state = NULL, *run_id = NULL, *date = NULL;
	const struct opt opts[] = {
		{ OPT_INT, "last", &last, "N", "the N newest runs (default 20, 0 = all)" },
		{ OPT_STRING, "run-state", &state, "S", "only runs in state S (queued running success failed)" },
		{ OPT_STRING, "state", &old_state, "S", "refused: the filter is --run-state (--state PATH"
							" goes before the command)" },
		{ OPT_STRING, "run-id", &run_id, "ID", "only the run of that run id" },
		{ OPT_STRING, "date", &date, "D", "only the runs of that day (or of that instant: YYYY-MM-DDTHH:MM)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl runs DAG [--last N] [--run-state S] [--run-id ID | --date D] [--json]",
			   "Lists the runs of a DAG, newest first.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("runs: which DAG? usage: schedctl runs DAG");
		return SC_USAGE;
	}
	if (old_state) {
		cli_err("runs: --state is the state file option, given before the command"
			" (schedctl --state PATH runs DAG); to list only the runs in state %s, use"
			" --run-state %s", old_state, old_state);
		return SC_USAGE;
	}
	if (state && run_state_parse(state) < 0) {
		cli_err("runs: --run-state: unknown run state '%s' (queued, running, success, failed)",
			state);
		return SC_USAGE;
	}
	struct query_dag d;
	struct store *s = cli_open_dag(cli, false, pos[0], &d);
	if (!s)
		return SC_FAIL;
	struct query_runs runs = { 0 };
	char err[1024];
	int q;
	time_t from, to;
	if (run_id && date) {
		cli_err("runs: --run-id and --date both name runs; give one");
		q = SC_USAGE;
	} else if (run_id) {
		/* One run: the resolver's answer, shown as a list of one. */
		struct query_run r;
		q = query_run_resolve(s, d.dag_id, run_id, 0, 0, &r, err, sizeof err) == Q_OK
			    ? SC_OK : SC_FAIL;
		if (q != SC_OK) {
			cli_err("runs: %s", err);
		} else if (!state || strcmp(r.state, state) == 0) {
			runs.v = xmalloc(sizeof *runs.v);
			runs.v[runs.n++] = r;
		}
	} else if (date) {
		if (run_when(date, d.timezone, &from, &to, err, sizeof err) < 0) {
			cli_err("runs: %s", err);
			q = SC_USAGE;
		} else {
			q = query_runs_in(s, d.dag_id, from, to, last, &runs, err, sizeof err) == Q_OK
				    ? SC_OK : SC_FAIL;
			if (q != SC_OK)
				cli_err("runs: %s", err);
			/* The state filter over a day's runs: few, filtered here. */
			if (q == SC_OK && state) {
				size_t k = 0;
				for (size_t i = 0; i < runs.n; i++)
					if (strcmp(runs.v[i].state, state) == 0)
						runs.v[k++] = runs.v[i];
				runs.n = k;
			}
		}
	} else {
		q = query_runs(s, d.dag_id, state, last, &runs, err, sizeof err) == Q_OK ? SC_OK
											: SC_FAIL;
		if (q != SC_OK)
			cli_err("runs: %s", err);
	}
	if (q != SC_OK) {
		query_runs_free(&runs);
		query_dag_free(&d);
		store_close(s);
		return q;
	}
	struct table t;
	table_init(&t, 7);
	const char *hdr[] = { "LOGICAL DATE", "RUN ID", "TYPE", "STATE", "STARTED", "DURATION",
			      "BACKFILL" };
	table_add(&t, hdr);
	json_t *jruns = json ? json_array() : NULL;
	for (size_t i = 0; i < runs.n; i++) {
		const struct query_run r = runs.v[i];
		if (json) {
			json_t *o = json_object();
			jx_set(o, "run_id", jv_str(r.run_id));
			jx_set(o, "logical_date", jv_date(r.logical_date, d.timezone));
			jx_set(o, "interval_end", jv_date(r.interval_end, d.timezone));
			jx_set(o, "type", jv_str(r.type));
			jx_set(o, "state", jv_str(r.state));
			jx_set(o, "created", jv_time_us(r.created_us));
			jx_set(o, "started", jv_time_us(r.started_us));
			jx_set(o, "ended", jv_time_us(r.ended_us));
			jx_set(o, "backfill_id", r.backfill_id ? json_integer(r.backfill_id) : json_null());
			json_array_append_new(jruns, o);
			continue;
		}
		char ld[40], started[40], dur[32] = "-", bf[24] = "-";
		tz_format(d.timezone, r.logical_date, "%Y-%m-%d %H:%M", ld, sizeof ld);
		date_format_us(r.started_us, d.timezone, started, sizeof started);
		if (r.started_us > 0 && (r.ended_us > 0 || strcmp(r.state, "running") == 0))
			date_format_duration_us((r.ended_us > 0 ? r.ended_us : store_now_us()) -
						r.started_us, dur, sizeof dur);
		if (r.backfill_id)
			snprintf(bf, sizeof bf, "%lld", (long long)r.backfill_id);
		const char *row[] = { ld, r.run_id, r.type, r.state, started, dur, bf };
		table_add(&t, row);
		table_color_last(&t, 3, state_color(r.state));
	}
	if (json) {
		json_t *doc = json_object();
		jx_set(doc, "dag_id", jv_str(d.dag_id));
		jx_set(doc, "runs", jruns);
		json_print(doc);
	} else if (t.nrows == 1)
		printf("DAG %s has no runs%s%s\n", tsafe(d.dag_id), state ? " in state " : "", state ? tsafe(state) : "");
	else
		table_print(&t, stdout, cli->color);
	table_free(&t);
	query_runs_free(&runs);
	query_dag_free(&d);
	store_close(s);
	return SC_OK;
}
