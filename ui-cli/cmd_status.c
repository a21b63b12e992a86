/* cmd_status.c: `schedctl status DAG [--date D]`: one run (the latest by
 * default) and each of its task instances: state, try, start, duration, exit
 * code and the counters of the try's result. Tasks the daemon has not
 * instantiated yet are shown as "none" so the table always covers the DAG. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "scheduler/tz.h"

struct ti_row {
	char *task_id, *state, *result, *log_path;
	int try_number, max_tries, restarts;
	int64_t started_us, ended_us;
	bool has_exit;
	int exit_code;
};

static char *dupt(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *date = NULL;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "the run of logical date D (default: the latest run)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl status DAG [--date D] [--json]",
			   "Shows one run and each task: state, try, start, duration, exit code and"
			   " the result's counters.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("status: which DAG? usage: schedctl status DAG [--date D]");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct meta_dag d;
	struct run_row r;
	char err[1024];
	if (meta_load(s, pos[0], &d, err, sizeof err) < 0) {
		cli_err("%s", err);
		store_close(s);
		return SC_FAIL;
	}
	int f = run_find(s, &d, date, &r, err, sizeof err);
	if (f < 0) {
		cli_err("%s", err);
		meta_free(&d);
		store_close(s);
		return f == -2 ? SC_USAGE : SC_FAIL;
	}
	/* Rows: the DAG's tasks in order, then instances of tasks no longer in it. */
	size_t n = d.ntasks;
	struct ti_row *rows = calloc(n ? n : 1, sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		rows[i].task_id = strdup(d.tasks[i].id);
		rows[i].state = strdup("none");
	}
	sqlite3_stmt *st = store_prepare(s, "SELECT task_id, state, try_number, max_tries,"
					    " started_us, ended_us, exit_code, result, restarts,"
					    " log_path FROM task_instances WHERE run=?");
	sqlite3_bind_int64(st, 1, r.id);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *tid = (const char *)sqlite3_column_text(st, 0);
		long k = meta_task_index(&d, tid);
		struct ti_row *row;
		if (k >= 0) {
			row = &rows[k];
			free(row->state);
		} else {
			struct ti_row *nr = realloc(rows, (n + 1) * sizeof *rows);
			if (!nr)
				break;
			rows = nr;
			row = &rows[n++];
			memset(row, 0, sizeof *row);
			row->task_id = strdup(tid);
		}
		row->state = dupt(st, 1);
		row->try_number = sqlite3_column_int(st, 2);
		row->max_tries = sqlite3_column_int(st, 3);
		row->started_us = sqlite3_column_int64(st, 4);
		row->ended_us = sqlite3_column_int64(st, 5);
		row->has_exit = sqlite3_column_type(st, 6) != SQLITE_NULL;
		row->exit_code = sqlite3_column_int(st, 6);
		row->result = dupt(st, 7);
		row->restarts = sqlite3_column_int(st, 8);
		row->log_path = dupt(st, 9);
	}
	sqlite3_finalize(st);

	char ld[40];
	tz_format(d.timezone, r.logical_date, "%Y-%m-%d %H:%M %Z", ld, sizeof ld);
	if (json) {
		bool fr = true;
		fputs("{", stdout);
		json_key(stdout, &fr, "dag_id"); json_str(stdout, d.dag_id);
		json_key(stdout, &fr, "run_id"); json_str(stdout, r.run_id);
		json_key(stdout, &fr, "logical_date"); json_date(stdout, r.logical_date, d.timezone);
		json_key(stdout, &fr, "interval_end"); json_date(stdout, r.interval_end, d.timezone);
		json_key(stdout, &fr, "type"); json_str(stdout, r.type);
		json_key(stdout, &fr, "state"); json_str(stdout, r.state);
		json_key(stdout, &fr, "started"); json_time_us(stdout, r.started_us);
		json_key(stdout, &fr, "ended"); json_time_us(stdout, r.ended_us);
		json_key(stdout, &fr, "tasks");
		fputs("[", stdout);
		for (size_t i = 0; i < n; i++) {
			bool f2 = true;
			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &f2, "task_id"); json_str(stdout, rows[i].task_id);
			json_key(stdout, &f2, "state"); json_str(stdout, rows[i].state);
			json_key(stdout, &f2, "try_number"); printf("%d", rows[i].try_number);
			json_key(stdout, &f2, "max_tries"); printf("%d", rows[i].max_tries);
			json_key(stdout, &f2, "started"); json_time_us(stdout, rows[i].started_us);
			json_key(stdout, &f2, "ended"); json_time_us(stdout, rows[i].ended_us);
			json_key(stdout, &f2, "duration_ms");
			if (rows[i].started_us > 0 && rows[i].ended_us > 0)
				printf("%lld", (long long)((rows[i].ended_us - rows[i].started_us) / 1000));
			else
				fputs("null", stdout);
			json_key(stdout, &f2, "exit_code");
			if (rows[i].has_exit) printf("%d", rows[i].exit_code); else fputs("null", stdout);
			json_key(stdout, &f2, "restarts"); printf("%d", rows[i].restarts);
			json_key(stdout, &f2, "log_path"); json_str(stdout, rows[i].log_path);
			json_key(stdout, &f2, "result"); json_raw_or_null(stdout, rows[i].result);
			fputs("}", stdout);
		}
		fputs("]}\n", stdout);
	} else {
		printf("%s  %s  %s  (%s)\n\n", d.dag_id, ld, r.run_id, r.state);
		/* Restarts only matter for stream tasks: a column only when there are some. */
		bool any_restarts = false;
		for (size_t i = 0; i < n; i++)
			any_restarts |= rows[i].restarts > 0;
		struct table t;
		table_init(&t, any_restarts ? 8 : 7);
		const char *hdr[] = { "TASK", "STATE", "TRY", "STARTED", "DURATION", "EXIT", "RESULT",
				      "RESTARTS" };
		table_add(&t, hdr);
		for (size_t i = 0; i < n; i++) {
			char tr[24] = "-", started[40], dur[32] = "-", ex[16] = "-";
			if (rows[i].try_number > 0)
				snprintf(tr, sizeof tr, "%d/%d", rows[i].try_number, rows[i].max_tries);
			date_format_us(rows[i].started_us, d.timezone, started, sizeof started);
			if (rows[i].started_us > 0)
				date_format_duration_us((rows[i].ended_us > 0 ? rows[i].ended_us
									     : store_now_us()) -
								rows[i].started_us, dur, sizeof dur);
			if (rows[i].has_exit)
				snprintf(ex, sizeof ex, "%d", rows[i].exit_code);
			char res[96] = "-";
			if (rows[i].result)
				snprintf(res, sizeof res, "%.90s%s", rows[i].result,
					 strlen(rows[i].result) > 90 ? "..." : "");
			char rs[16];
			snprintf(rs, sizeof rs, "%d", rows[i].restarts);
			const char *row[] = { rows[i].task_id, rows[i].state, tr, started, dur, ex, res, rs };
			table_add(&t, row);
			table_color_last(&t, 1, state_color(rows[i].state));
		}
		table_print(&t, stdout, cli->color);
		table_free(&t);
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].task_id);
		free(rows[i].state);
		free(rows[i].result);
		free(rows[i].log_path);
	}
	free(rows);
	meta_free(&d);
	store_close(s);
	return SC_OK;
}
