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
	json_t *dags = json_array(), *broken = json_array();
	for (size_t i = 0; i < l->ndags; i++) {
		const struct query_dag_summary *d = &l->dags[i];
		json_t *o = json_object();
		jx_set(o, "dag_id", jv_str(d->dag_id));
		jx_set(o, "file", jv_str(d->file));
		jx_set(o, "description", jv_str(d->description));
		jx_set(o, "schedule", jv_str(d->schedule));
		jx_set(o, "timezone", jv_str(d->timezone));
		jx_set(o, "paused", json_boolean(d->paused));
		jx_set(o, "active", json_boolean(d->active));
		jx_set(o, "tasks", json_integer(d->ntasks));
		jx_set(o, "last_run_state", jv_str(d->last_state));
		jx_set(o, "last_logical_date",
		       d->last_state ? jv_date(d->last_logical_date, d->timezone) : json_null());
		jx_set(o, "next_run", d->next_run > 0 ? jv_date((time_t)d->next_run, d->timezone) : json_null());
		jx_set(o, "errors", jv_str(d->errors));
		json_array_append_new(dags, o);
	}
	for (size_t i = 0; i < l->nbroken; i++) {
		json_t *o = json_object();
		jx_set(o, "file", jv_str(l->broken[i].file));
		jx_set(o, "errors", jv_str(l->broken[i].errors));
		json_array_append_new(broken, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "dags", dags);
	jx_set(doc, "broken_files", broken);
	json_print(doc);
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
	bool json = false, versions = false;
	const struct opt opts[] = {
		{ OPT_FLAG, "json", &json, NULL, "JSON output (see docs/schedctl.md)" },
		{ OPT_FLAG, "versions", &versions, NULL, "the stored versions of DAG and the runs pinned to each" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl dags [DAG --versions] [--json]",
			   "Lists every DAG with its schedule, paused flag, last run state, next run"
			   " time and file errors; with DAG --versions, the versions of that DAG.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (versions != (npos == 1)) {
		cli_err("dags: %s", versions ? "--versions needs a DAG: schedctl dags DAG --versions"
					     : "a DAG is given only with --versions: schedctl dags DAG --versions");
		return SC_USAGE;
	}
	if (versions)
		return dags_versions(cli, pos[0], json);
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
