/* cmd_runs.c: `schedctl runs DAG [--last N] [--state S]`: the runs of a DAG,
 * newest first, read through the (dag_id, logical_date) index. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "scheduler/tz.h"

int cmd_runs(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	long last = 20;
	const char *state = NULL;
	const struct opt opts[] = {
		{ OPT_INT, "last", &last, "N", "the N newest runs (default 20, 0 = all)" },
		{ OPT_STRING, "state", &state, "S", "only runs in state S (queued running success failed)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl runs DAG [--last N] [--state S] [--json]",
			   "Lists the runs of a DAG, newest first.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("runs: which DAG? usage: schedctl runs DAG");
		return SC_USAGE;
	}
	if (state && run_state_parse(state) < 0) {
		cli_err("runs: --state: unknown run state '%s' (queued, running, success, failed)",
			state);
		return SC_USAGE;
	}
	struct query_dag d;
	struct store *s = cli_open_dag(cli, false, pos[0], &d);
	if (!s)
		return SC_FAIL;
	struct query_runs runs;
	char err[1024];
	if (query_runs(s, d.dag_id, state, last, &runs, err, sizeof err) != Q_OK) {
		cli_err("runs: %s", err);
		query_dag_free(&d);
		store_close(s);
		return SC_FAIL;
	}
	struct table t;
	table_init(&t, 7);
	const char *hdr[] = { "LOGICAL DATE", "RUN ID", "TYPE", "STATE", "STARTED", "DURATION",
			      "BACKFILL" };
	table_add(&t, hdr);
	if (json)
		fputs("{\"dag_id\":", stdout), json_str(stdout, d.dag_id), fputs(",\"runs\":[", stdout);
	for (size_t i = 0; i < runs.n; i++) {
		const struct query_run r = runs.v[i];
		if (json) {
			bool f = true;
			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &f, "run_id"); json_str(stdout, r.run_id);
			json_key(stdout, &f, "logical_date"); json_date(stdout, r.logical_date, d.timezone);
			json_key(stdout, &f, "interval_end"); json_date(stdout, r.interval_end, d.timezone);
			json_key(stdout, &f, "type"); json_str(stdout, r.type);
			json_key(stdout, &f, "state"); json_str(stdout, r.state);
			json_key(stdout, &f, "created"); json_time_us(stdout, r.created_us);
			json_key(stdout, &f, "started"); json_time_us(stdout, r.started_us);
			json_key(stdout, &f, "ended"); json_time_us(stdout, r.ended_us);
			json_key(stdout, &f, "backfill_id");
			if (r.backfill_id) printf("%lld", (long long)r.backfill_id); else fputs("null", stdout);
			fputs("}", stdout);
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
	if (json)
		fputs("]}\n", stdout);
	else if (t.nrows == 1)
		printf("DAG %s has no runs%s%s\n", tsafe(d.dag_id), state ? " in state " : "", state ? tsafe(state) : "");
	else
		table_print(&t, stdout, cli->color);
	table_free(&t);
	query_runs_free(&runs);
	query_dag_free(&d);
	store_close(s);
	return SC_OK;
}
