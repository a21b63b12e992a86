/* cmd_dags.c: `schedctl dags`: every DAG the daemon knows, with its schedule,
 * paused flag, last run, next run and the problems of its file; files that
 * failed to load at all are listed too, since they are what a person looks
 * for when a DAG is missing. The rows come from query_dags; a read error is
 * an error (exit 1), never an empty list. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "scheduler/tz.h"

static void print_json(const struct query_dag_list *l)
{
	fputs("{\"dags\":[", stdout);
	for (size_t i = 0; i < l->ndags; i++) {
		const struct query_dag_summary *d = &l->dags[i];
		bool f = true;
		fputs(i ? ",{" : "{", stdout);
		json_key(stdout, &f, "dag_id"); json_str(stdout, d->dag_id);
		json_key(stdout, &f, "file"); json_str(stdout, d->file);
		json_key(stdout, &f, "description"); json_str(stdout, d->description);
		json_key(stdout, &f, "schedule"); json_str(stdout, d->schedule);
		json_key(stdout, &f, "timezone"); json_str(stdout, d->timezone);
		json_key(stdout, &f, "paused"); fputs(d->paused ? "true" : "false", stdout);
		json_key(stdout, &f, "active"); fputs(d->active ? "true" : "false", stdout);
		json_key(stdout, &f, "tasks"); printf("%d", d->ntasks);
		json_key(stdout, &f, "last_run_state"); json_str(stdout, d->last_state);
		json_key(stdout, &f, "last_logical_date");
		if (d->last_state) json_date(stdout, d->last_logical_date, d->timezone); else fputs("null", stdout);
		json_key(stdout, &f, "next_run");
		if (d->next_run > 0) json_date(stdout, (time_t)d->next_run, d->timezone); else fputs("null", stdout);
		json_key(stdout, &f, "errors"); json_str(stdout, d->errors);
		fputs("}", stdout);
	}
	fputs("],\"broken_files\":[", stdout);
	for (size_t i = 0; i < l->nbroken; i++) {
		bool f = true;
		fputs(i ? ",{" : "{", stdout);
		json_key(stdout, &f, "file"); json_str(stdout, l->broken[i].file);
		json_key(stdout, &f, "errors"); json_str(stdout, l->broken[i].errors);
		fputs("}", stdout);
	}
	fputs("]}\n", stdout);
}

static void print_table(const struct cli *cli, const struct query_dag_list *l)
{
	struct table t;
	table_init(&t, 8);
	const char *hdr[] = { "DAG", "SCHEDULE", "TZ", "PAUSED", "TASKS", "LAST RUN", "NEXT RUN",
			      "ERRORS" };
	table_add(&t, hdr);
	for (size_t i = 0; i < l->ndags; i++) {
		const struct query_dag_summary *d = &l->dags[i];
		char nbuf[40] = "-", lbuf[64] = "-", tbuf[16];
		if (d->next_run > 0)
			tz_format(d->timezone, (time_t)d->next_run, "%Y-%m-%d %H:%M", nbuf, sizeof nbuf);
		if (d->last_state) {
			char day[32];
			tz_format(d->timezone, d->last_logical_date, "%Y-%m-%d", day, sizeof day);
			snprintf(lbuf, sizeof lbuf, "%s %s", day, d->last_state);
		}
		snprintf(tbuf, sizeof tbuf, "%d", d->ntasks);
		char ebuf[120] = "-";
		if (d->errors) {
			const char *nl = strchr(d->errors, '\n');
			snprintf(ebuf, sizeof ebuf, "%.*s%s", (int)(nl ? nl - d->errors : 100), d->errors,
				 nl ? " (more)" : "");
		}
		const char *row[] = { d->dag_id, d->schedule, d->timezone, d->paused ? "yes" : "no", tbuf,
				      lbuf, d->active ? nbuf : "(file gone)", ebuf };
		table_add(&t, row);
		if (d->last_state)
			table_color_last(&t, 5, state_color(d->last_state));
		if (d->errors)
			table_color_last(&t, 7, "31");
	}
	if (t.nrows == 1)
		printf("no DAGs in %s (is schedulerd running with the same --state and --dags?)\n",
		       tsafe(cli->state_path));
	else
		table_print(&t, stdout, cli->color);
	table_free(&t);
	if (l->nbroken) {
		struct table b;
		table_init(&b, 2);
		const char *bh[] = { "FILE", "ERRORS" };
		table_add(&b, bh);
		for (size_t i = 0; i < l->nbroken; i++) {
			const char *row[] = { l->broken[i].file, l->broken[i].errors };
			table_add(&b, row);
		}
		printf("\nfiles that did not load:\n");
		table_print(&b, stdout, cli->color);
		table_free(&b);
	}
}

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
	struct query_dag_list l;
	char err[1024];
	if (query_dags(s, &l, err, sizeof err) != Q_OK) {
		cli_err("dags: %s", err);
		store_close(s);
		return SC_FAIL;
	}
	store_close(s);
	if (json)
		print_json(&l);
	else
		print_table(cli, &l);
	query_dag_list_free(&l);
	return SC_OK;
}
