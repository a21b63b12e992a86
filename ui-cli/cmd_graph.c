/* cmd_graph.c: `schedctl graph DAG [--dot] [--json]`: the dependency tree as
 * the daemon loaded it. Text: each root, then its downstream tasks indented
 * beneath it; a task reached a second time is printed once more with "(see
 * above)" rather than its subtree again, so diamonds stay readable. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

static void print_tree(const struct query_dag *d, size_t i, int depth, bool *shown)
{
	printf("%*s%s%s", depth * 4, "", depth ? "└── " : "", tsafe(d->tasks[i].id));
	if (d->tasks[i].nup > 1) {
		printf("  (after ");
		for (size_t k = 0; k < d->tasks[i].nup; k++)
			printf("%s%s", k ? ", " : "", tsafe(d->tasks[d->tasks[i].up[k]].id));
		printf(")");
	}
	if (shown[i]) {
		printf("  (see above)\n");
		return;
	}
	printf("\n");
	shown[i] = true;
	for (size_t j = 0; j < d->ntasks; j++)
		for (size_t k = 0; k < d->tasks[j].nup; k++)
			if (d->tasks[j].up[k] == i)
				print_tree(d, j, depth + 1, shown);
}

int cmd_graph(struct cli *cli, int argc, char **argv)
{
	bool dot = false, json = false;
	long version = 0;
	const struct opt opts[] = {
		{ OPT_INT, "version", &version, "V", "draw version V of the DAG (schedctl dags DAG --versions)" },
		{ OPT_FLAG, "dot", &dot, NULL, "Graphviz DOT (pipe into dot -Tsvg)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl graph DAG [--version V] [--dot | --json]",
			   "Prints the dependency tree of a DAG.", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("graph: which DAG? usage: schedctl graph DAG [--dot]");
		return SC_USAGE;
	}
	struct query_dag d;
	struct store *s = cli_open_dag(cli, false, pos[0], &d);
	if (!s)
		return SC_FAIL;
	char err[1024];
	if (version > 0 && query_dag_at_version(s, &d, version, err, sizeof err) != Q_OK) {
		cli_err("graph: %s", err);
		query_dag_free(&d);
		store_close(s);
		return SC_FAIL;
	}
	if (dot) {
		printf("digraph ");
		json_str(stdout, d.dag_id);	/* a DOT ID is quoted like a JSON string */
		printf(" {\n  rankdir=LR;\n  node [shape=box];\n");
		for (size_t i = 0; i < d.ntasks; i++) {
			printf("  ");
			json_str(stdout, d.tasks[i].id);
			printf(";\n");
		}
		for (size_t i = 0; i < d.ntasks; i++)
			for (size_t k = 0; k < d.tasks[i].nup; k++) {
				printf("  ");
				json_str(stdout, d.tasks[d.tasks[i].up[k]].id);
				printf(" -> ");
				json_str(stdout, d.tasks[i].id);
				printf(";\n");
			}
		printf("}\n");
	} else if (json) {
		json_t *tasks = json_array();
		for (size_t i = 0; i < d.ntasks; i++) {
			json_t *up = json_array();
			for (size_t k = 0; k < d.tasks[i].nup; k++)
				json_array_append_new(up, jv_str(d.tasks[d.tasks[i].up[k]].id));
			json_t *o = json_object();
			jx_set(o, "id", jv_str(d.tasks[i].id));
			jx_set(o, "trigger_rule", jv_str(d.tasks[i].trigger_rule));
			jx_set(o, "retries", json_integer(d.tasks[i].retries));
			jx_set(o, "upstream", up);
			json_array_append_new(tasks, o);
		}
		json_t *doc = json_object();
		jx_set(doc, "dag_id", jv_str(d.dag_id));
		jx_set(doc, "version", d.version > 0 ? json_integer(d.version) : json_null());
		jx_set(doc, "tasks", tasks);
		json_print(doc);
	} else {
		bool *shown = calloc(d.ntasks ? d.ntasks : 1, sizeof *shown);
		if (d.version > 0)
			printf("%s (%s, %zu tasks, version %lld)\n", tsafe(d.dag_id), tsafe(d.schedule), d.ntasks,
			       (long long)d.version);
		else
			printf("%s (%s, %zu tasks)\n", tsafe(d.dag_id), tsafe(d.schedule), d.ntasks);
		for (size_t i = 0; shown && i < d.ntasks; i++)
			if (d.tasks[i].nup == 0)
				print_tree(&d, i, 0, shown);
		free(shown);
	}
	query_dag_free(&d);
	store_close(s);
	return SC_OK;
}
