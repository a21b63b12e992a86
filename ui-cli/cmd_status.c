/* cmd_status.c: `schedctl status DAG [--date D]`: one run (the latest by
 * default) and each of its task instances: state, try, start, duration, exit
 * code, the cause of its state (query_ti.cause: the daemon's own words, "exit
 * code 3", "killed by signal 9", "timeout after 120s", a template error ...)
 * and the counters of the try's result. Tasks the daemon has not
 * instantiated yet are shown as "none" so the table always covers the DAG. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/tz.h"

/* The CAUSE column is cut here (--json has it whole). */
#define STATUS_CAUSE_WIDTH 60

int cmd_status(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *date = NULL, *run_id = NULL;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "the run of logical date D (a day, or YYYY-MM-DDTHH:MM; default: the latest run)" },
		{ OPT_STRING, "run-id", &run_id, "ID", "the run of that run id (as `runs` prints it)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl status DAG [--run-id ID | --date D] [--json]",
			   "Shows one run and each task: state, try, start, duration, exit code, the"
			   " cause of its state and the result's counters.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("status: which DAG? usage: schedctl status DAG [--run-id ID | --date D]");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_dag d;
	struct query_run r;
	char err[1024];
	/* One snapshot: the run's state and its task instances agree. */
	if (query_snapshot_begin(s, err, sizeof err) != Q_OK) {
		cli_err("status: %s", err);
		store_close(s);
		return SC_FAIL;
	}
	if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		return SC_FAIL;
	}
	int f = run_find(s, &d, run_id, date, &r, err, sizeof err);
	if (f != SC_OK) {
		cli_err("status: %s", err);
		query_dag_free(&d);
		store_close(s);
		return f;
	}
	/* Rows: the tasks of the run's version in order ("none" until
	 * instantiated), then instances of tasks not in it (a run re-pinned by
	 * clear --latest-version, or made before versions). */
	struct query_tis tis;
	if (meta_pin_run(s, &d, &r, err, sizeof err) == Q_ERROR ||
	    query_task_instances(s, r.id, &tis, err, sizeof err) != Q_OK ||
	    query_snapshot_end(s, err, sizeof err) != Q_OK) {
		cli_err("status: %s", err);
		query_dag_free(&d);
		store_close(s);
		return SC_FAIL;
	}
	store_close(s);
	size_t n = 0;
	const struct query_ti **rows = calloc(d.ntasks + tis.n + 1, sizeof *rows);
	struct query_ti *none = calloc(d.ntasks + 1, sizeof *none);
	if (!rows || !none) {
		cli_err("status: out of memory");
		free(rows);
		free(none);
		query_tis_free(&tis);
		query_dag_free(&d);
		return SC_FAIL;
	}
	/* Each task, then its mapped instances by index (x[2] before x[10]),
	 * then the rows of tasks the version does not have. */
	query_tis_sort_dag(&d, &tis);
	size_t j = 0;
	for (size_t i = 0; i < d.ntasks; i++) {
		none[i].task_id = d.tasks[i].id;
		none[i].state = "none";
		none[i].map_index = -1;
		bool own = j < tis.n && tis.v[j].map_index < 0 && strcmp(tis.v[j].task_id, d.tasks[i].id) == 0;
		rows[n++] = own ? &tis.v[j++] : &none[i];
		size_t len = strlen(d.tasks[i].id);
		while (j < tis.n && tis.v[j].map_index >= 0 && strncmp(tis.v[j].task_id, d.tasks[i].id, len) == 0 &&
		       tis.v[j].task_id[len] == '[')
			rows[n++] = &tis.v[j++];
	}
	while (j < tis.n)
		rows[n++] = &tis.v[j++];

	/* This attempt's tries (since the latest clear), and a sensor's pokes. */
	int *pokes = calloc(n + 1, sizeof *pokes);
	if (!pokes) {
		cli_err("status: out of memory");
		free(rows);
		free(none);
		query_tis_free(&tis);
		query_dag_free(&d);
		return SC_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		long k = query_ti_task_index(&d, rows[i]->task_id);
		pokes[i] = k >= 0 && d.tasks[k].sensor && rows[i]->try_number > 0
				   ? query_sensor_pokes(rows[i]->log_path) : -1;
	}

	char ld[40];
	tz_format(d.timezone, r.logical_date, "%Y-%m-%d %H:%M %Z", ld, sizeof ld);
	if (json) {
		json_t *tasks = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct query_ti *ti = rows[i];
			json_t *o = json_object();
			jx_set(o, "task_id", jv_str(ti->task_id));
			jx_set(o, "state", jv_str(ti->state));
			jx_set(o, "try_number", json_integer(ti->try_number));
			jx_set(o, "max_tries", json_integer(ti->max_tries));
			jx_set(o, "attempt_try", json_integer(ti->try_number - ti->tries_before));
			jx_set(o, "attempt_max_tries", json_integer(ti->max_tries - ti->tries_before));
			jx_set(o, "pokes", pokes[i] >= 0 ? json_integer(pokes[i]) : json_null());
			jx_set(o, "started", jv_time_us(ti->started_us));
			jx_set(o, "ended", jv_time_us(ti->ended_us));
			jx_set(o, "duration_ms", ti->started_us > 0 && ti->ended_us > 0
					 ? json_integer((ti->ended_us - ti->started_us) / 1000) : json_null());
			jx_set(o, "exit_code", ti->has_exit ? json_integer(ti->exit_code) : json_null());
			jx_set(o, "signal", ti->signal ? json_integer(ti->signal) : json_null());
			jx_set(o, "cause", jv_str(ti->cause));
			jx_set(o, "try_cause", jv_str(ti->try_cause));
			jx_set(o, "restarts", json_integer(ti->restarts));
			jx_set(o, "log_path", jv_str(ti->log_path));
			jx_set(o, "result", jv_doc_or_text(ti->result));
			jx_set(o, "map_index", json_integer(ti->map_index));
			json_array_append_new(tasks, o);
		}
		json_t *doc = json_object();
		jx_set(doc, "dag_id", jv_str(d.dag_id));
		jx_set(doc, "run_id", jv_str(r.run_id));
		jx_set(doc, "logical_date", jv_date(r.logical_date, d.timezone));
		jx_set(doc, "interval_end", jv_date(r.interval_end, d.timezone));
		jx_set(doc, "type", jv_str(r.type));
		jx_set(doc, "state", jv_str(r.state));
		jx_set(doc, "version", r.version > 0 ? json_integer(r.version) : json_null());
		jx_set(doc, "started", jv_time_us(r.started_us));
		jx_set(doc, "ended", jv_time_us(r.ended_us));
		jx_set(doc, "tasks", tasks);
		json_print(doc);
	} else {
		char ver[48] = "";
		if (r.version > 0)
			snprintf(ver, sizeof ver, "  version %lld", (long long)r.version);
		printf("%s  %s  %s  (%s)%s\n\n", tsafe(d.dag_id), ld, tsafe(r.run_id), tsafe(r.state), ver);
		/* Restarts only matter for stream tasks: a column only when there are some. */
		bool any_restarts = false;
		for (size_t i = 0; i < n; i++)
			any_restarts |= rows[i]->restarts > 0;
		struct table t;
		table_init(&t, any_restarts ? 9 : 8);
		const char *hdr[] = { "TASK", "STATE", "TRY", "STARTED", "DURATION", "EXIT", "CAUSE", "RESULT",
				      "RESTARTS" };
		table_add(&t, hdr);
		for (size_t i = 0; i < n; i++) {
			char tr[48] = "-", started[40], dur[32] = "-", ex[16] = "-";
			int at = rows[i]->try_number - rows[i]->tries_before;
			int amax = rows[i]->max_tries - rows[i]->tries_before;
			if (at > 0 && pokes[i] >= 0 && amax > 1)
				snprintf(tr, sizeof tr, "%d/%d, %d poke%s", at, amax, pokes[i],
					 pokes[i] == 1 ? "" : "s");
			else if (at > 0 && pokes[i] >= 0)
				snprintf(tr, sizeof tr, "%d poke%s", pokes[i], pokes[i] == 1 ? "" : "s");
			else if (at > 0)
				snprintf(tr, sizeof tr, "%d/%d", at, amax);
			date_format_us(rows[i]->started_us, d.timezone, started, sizeof started);
			if (rows[i]->started_us > 0)
				date_format_duration_us((rows[i]->ended_us > 0 ? rows[i]->ended_us
									     : store_now_us()) -
								rows[i]->started_us, dur, sizeof dur);
			if (rows[i]->has_exit)
				snprintf(ex, sizeof ex, "%d", rows[i]->exit_code);
			char res[96] = "-";
			if (rows[i]->result)
				snprintf(res, sizeof res, "%.90s%s", rows[i]->result,
					 strlen(rows[i]->result) > 90 ? "..." : "");
			char rs[16];
			snprintf(rs, sizeof rs, "%d", rows[i]->restarts);
			char cause[STATUS_CAUSE_WIDTH + 4] = "-";
			if (rows[i]->cause)
				snprintf(cause, sizeof cause, "%.*s%s", STATUS_CAUSE_WIDTH, rows[i]->cause,
					 strlen(rows[i]->cause) > STATUS_CAUSE_WIDTH ? "..." : "");
			const char *row[] = { rows[i]->task_id, rows[i]->state, tr, started, dur, ex, cause,
					      res, rs };
			table_add(&t, row);
			table_color_last(&t, 1, state_color(rows[i]->state));
		}
		table_print(&t, stdout, cli->color);
		table_free(&t);
	}
	free(pokes);
	free(rows);
	free(none);
	query_tis_free(&tis);
	query_dag_free(&d);
	return SC_OK;
}
