/* cmd_dags.c: `schedctl dags`: every DAG the daemon knows, with its schedule,
 * paused flag, last run, next run and the problems of its file; files that
 * failed to load at all are listed too, since they are what a person looks
 * for when a DAG is missing. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "scheduler/tz.h"

int cmd_dags(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", &json, NULL, "JSON output (see docs/schedctl.md)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl dags [--json]",
			   "Lists every DAG with its schedule, paused flag, last run state, next run"
			   " time and file errors.", pos, 0, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	sqlite3_stmt *st = store_prepare(
		s, "SELECT d.dag_id, d.schedule, d.timezone, d.paused, d.active, d.next_run,"
		   " d.file, coalesce(d.errors, f.errors), d.description,"
		   " (SELECT state FROM runs r WHERE r.dag_id=d.dag_id ORDER BY logical_date DESC LIMIT 1),"
		   " (SELECT logical_date FROM runs r WHERE r.dag_id=d.dag_id ORDER BY logical_date DESC LIMIT 1),"
		   " json_array_length(d.tasks)"
		   " FROM dags d LEFT JOIN dag_files f ON f.file=d.file ORDER BY d.dag_id");
	sqlite3_stmt *broken = store_prepare(
		s, "SELECT file, errors FROM dag_files WHERE errors IS NOT NULL AND"
		   " (dag_id IS NULL OR dag_id NOT IN (SELECT dag_id FROM dags)) ORDER BY file");
	if (!st || !broken) {
		cli_err("%s", s->err);
		sqlite3_finalize(st);
		store_close(s);
		return SC_FAIL;
	}
	struct table t;
	table_init(&t, 8);
	const char *hdr[] = { "DAG", "SCHEDULE", "TZ", "PAUSED", "TASKS", "LAST RUN", "NEXT RUN",
			      "ERRORS" };
	table_add(&t, hdr);
	if (json)
		fputs("{\"dags\":[", stdout);
	bool firstrow = true;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *sched = (const char *)sqlite3_column_text(st, 1);
		const char *tz = (const char *)sqlite3_column_text(st, 2);
		bool paused = sqlite3_column_int(st, 3);
		bool active = sqlite3_column_int(st, 4);
		int64_t next = sqlite3_column_int64(st, 5);
		const char *file = (const char *)sqlite3_column_text(st, 6);
		const char *errors = (const char *)sqlite3_column_text(st, 7);
		const char *desc = (const char *)sqlite3_column_text(st, 8);
		const char *last = (const char *)sqlite3_column_text(st, 9);
		int64_t last_date = sqlite3_column_int64(st, 10);
		int ntasks = sqlite3_column_int(st, 11);
		if (json) {
			bool f = true;
			fputs(firstrow ? "{" : ",{", stdout);
			firstrow = false;
			json_key(stdout, &f, "dag_id"); json_str(stdout, id);
			json_key(stdout, &f, "file"); json_str(stdout, file);
			json_key(stdout, &f, "description"); json_str(stdout, desc);
			json_key(stdout, &f, "schedule"); json_str(stdout, sched);
			json_key(stdout, &f, "timezone"); json_str(stdout, tz);
			json_key(stdout, &f, "paused"); fputs(paused ? "true" : "false", stdout);
			json_key(stdout, &f, "active"); fputs(active ? "true" : "false", stdout);
			json_key(stdout, &f, "tasks"); printf("%d", ntasks);
			json_key(stdout, &f, "last_run_state"); json_str(stdout, last);
			json_key(stdout, &f, "last_logical_date");
			if (last) json_date(stdout, (time_t)last_date, tz); else fputs("null", stdout);
			json_key(stdout, &f, "next_run");
			if (next > 0) json_date(stdout, (time_t)next, tz); else fputs("null", stdout);
			json_key(stdout, &f, "errors"); json_str(stdout, errors);
			fputs("}", stdout);
			continue;
		}
		char nbuf[40] = "-", lbuf[64] = "-", tbuf[16];
		if (next > 0)
			tz_format(tz, (time_t)next, "%Y-%m-%d %H:%M", nbuf, sizeof nbuf);
		if (last) {
			char day[32];
			tz_format(tz, (time_t)last_date, "%Y-%m-%d", day, sizeof day);
			snprintf(lbuf, sizeof lbuf, "%s %s", day, last);
		}
		snprintf(tbuf, sizeof tbuf, "%d", ntasks);
		char ebuf[120] = "-";
		if (errors) {
			const char *nl = strchr(errors, '\n');
			snprintf(ebuf, sizeof ebuf, "%.*s%s", (int)(nl ? nl - errors : 100), errors,
				 nl ? " (more)" : "");
		}
		const char *row[] = { id, sched, tz, paused ? "yes" : "no", tbuf, lbuf,
				      active ? nbuf : "(file gone)", ebuf };
		table_add(&t, row);
		if (last)
			table_color_last(&t, 5, state_color(last));
		if (errors)
			table_color_last(&t, 7, "31");
	}
	if (json)
		fputs("],\"broken_files\":[", stdout);
	firstrow = true;
	struct table b;
	table_init(&b, 2);
	const char *bh[] = { "FILE", "ERRORS" };
	table_add(&b, bh);
	while (sqlite3_step(broken) == SQLITE_ROW) {
		const char *file = (const char *)sqlite3_column_text(broken, 0);
		const char *errors = (const char *)sqlite3_column_text(broken, 1);
		if (json) {
			bool f = true;
			fputs(firstrow ? "{" : ",{", stdout);
			json_key(stdout, &f, "file"); json_str(stdout, file);
			json_key(stdout, &f, "errors"); json_str(stdout, errors);
			fputs("}", stdout);
		} else {
			const char *row[] = { file, errors };
			table_add(&b, row);
		}
		firstrow = false;
	}
	if (json) {
		fputs("]}\n", stdout);
	} else {
		if (t.nrows == 1)
			printf("no DAGs in %s (is schedulerd running with the same --state and --dags?)\n",
			       cli->state_path);
		else
			table_print(&t, stdout, cli->color);
		if (b.nrows > 1) {
			printf("\nfiles that did not load:\n");
			table_print(&b, stdout, cli->color);
		}
	}
	table_free(&t);
	table_free(&b);
	sqlite3_finalize(st);
	sqlite3_finalize(broken);
	store_close(s);
	return SC_OK;
}
