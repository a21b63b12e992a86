/* dag_versions.c: `schedctl dags DAG --versions`: every stored version of a
 * DAG (one per distinct content of its file), when it was first loaded, how
 * many tasks it has, which one is current and which runs are pinned to each.
 * The rows come from query_dag_versions. */
#include "ui-cli/schedctl.h"

#include <string.h>

#define VERSIONS_RUNS_SHOWN 3	/* run ids per version in the table; --json has all */

static void print_json(const char *dag_id, const struct query_dag_versions *v)
{
	json_t *list = json_array();
	for (size_t i = 0; i < v->n; i++) {
		const struct query_dag_version *x = &v->v[i];
		json_t *o = json_object();
		jx_set(o, "version", json_integer(x->id));
		jx_set(o, "hash", jv_str(x->hash));
		jx_set(o, "file", jv_str(x->file));
		jx_set(o, "created", jv_time_us(x->created_us));
		jx_set(o, "tasks", json_integer(x->ntasks));
		jx_set(o, "current", json_boolean(x->current));
		jx_set(o, "active_runs", json_integer(x->nactive));
		jx_set(o, "runs", jv_doc_or_text(x->run_ids));
		json_array_append_new(list, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "dag_id", jv_str(dag_id));
	jx_set(doc, "versions", list);
	json_print(doc);
}

/* "a, b, c (+N more)" from the JSON array of run ids. */
static void runs_cell(const struct query_dag_version *x, char *buf, size_t len)
{
	snprintf(buf, len, "-");
	json_t *a = x->run_ids ? json_loads(x->run_ids, 0, NULL) : NULL;
	if (json_is_array(a) && json_array_size(a) > 0) {
		size_t n = json_array_size(a), used = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < n && i < VERSIONS_RUNS_SHOWN; i++) {
			const char *id = json_string_value(json_array_get(a, i));
			int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", id ? id : "?");
			if (w < 0 || (size_t)w >= len - used)
				break;
			used += (size_t)w;
		}
		if (n > VERSIONS_RUNS_SHOWN && used < len)
			snprintf(buf + used, len - used, " (+%zu more)", n - VERSIONS_RUNS_SHOWN);
	}
	json_decref(a);
}

int dags_versions(struct cli *cli, const char *dag_id, bool json)
{
	struct query_dag d;
	struct store *s = cli_open_dag(cli, false, dag_id, &d);
	if (!s)
		return SC_FAIL;
	struct query_dag_versions v;
	char err[1024];
	int rc = query_dag_versions(s, dag_id, &v, err, sizeof err);
	store_close(s);
	if (rc != Q_OK) {
		cli_err("dags: %s", err);
		query_dag_free(&d);
		return SC_FAIL;
	}
	if (json) {
		print_json(dag_id, &v);
	} else if (v.n == 0) {
		printf("no versions of %s stored yet (the daemon stores one when it loads the file)\n",
		       tsafe(dag_id));
	} else {
		struct table t;
		table_init(&t, 6);
		const char *hdr[] = { "VERSION", "CREATED", "TASKS", "CURRENT", "RUNS", "RUN IDS" };
		table_add(&t, hdr);
		for (size_t i = 0; i < v.n; i++) {
			const struct query_dag_version *x = &v.v[i];
			char id[24], created[40], tasks[16], runs[32], ids[400];
			snprintf(id, sizeof id, "%lld", (long long)x->id);
			date_format_us(x->created_us, d.timezone, created, sizeof created);
			snprintf(tasks, sizeof tasks, "%d", x->ntasks);
			if (x->nactive)
				snprintf(runs, sizeof runs, "%d (%d active)", x->nruns, x->nactive);
			else
				snprintf(runs, sizeof runs, "%d", x->nruns);
			runs_cell(x, ids, sizeof ids);
			const char *row[] = { id, created, tasks, x->current ? "yes" : "-", runs, ids };
			table_add(&t, row);
		}
		table_print(&t, stdout, cli->color);
		table_free(&t);
	}
	query_dag_versions_free(&v);
	query_dag_free(&d);
	return SC_OK;
}
