/* cmd_graph.c: `schedctl graph DAG [--dot] [--json]`: the dependency tree as
 * the daemon loaded it. Text: each root, then its downstream tasks indented
 * beneath it; a task reached a second time is printed once more with "(see
 * above)" rather than its subtree again, so diamonds stay readable. A
 * mapped task (expand:) is marked "load[]  (mapped)".
 * `schedctl graph --datasets`: the DAGs joined by datasets instead. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

static void print_tree(const struct query_dag *d, size_t i, int depth, bool *shown)
{
	printf("%*s%s%s%s", depth * 4, "", depth ? "└── " : "", tsafe(d->tasks[i].id),
	       d->tasks[i].mapped ? "[]  (mapped)" : "");
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

/* graph --datasets: DAGs joined by datasets, from query_datasets. Text:
 * each producing DAG, its datasets beneath it (with the task), their
 * consumers beneath them; datasets nobody produced come last. */
static int graph_datasets(struct cli *cli, bool dot, bool json)
{
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_datasets l;
	char err[1024];
	int q = query_datasets(s, NULL, 0, &l, err, sizeof err);
	store_close(s);
	if (q != Q_OK) {
		cli_err("graph: %s", err);
		return SC_FAIL;
	}
	if (dot) {
		printf("digraph datasets {\n  rankdir=LR;\n  node [shape=box];\n");
		for (size_t i = 0; i < l.n; i++) {
			printf("  ");
			json_str(stdout, l.v[i].uri);
			printf(" [shape=ellipse];\n");
			for (size_t k = 0; k < l.v[i].nproducers; k++) {
				printf("  ");
				json_str(stdout, l.v[i].producers[k].dag_id);
				printf(" -> ");
				json_str(stdout, l.v[i].uri);
				printf(" [label=");
				json_str(stdout, l.v[i].producers[k].task_id);
				printf("];\n");
			}
			for (size_t k = 0; k < l.v[i].nconsumers; k++) {
				printf("  ");
				json_str(stdout, l.v[i].uri);
				printf(" -> ");
				json_str(stdout, l.v[i].consumers[k].dag_id);
				printf(";\n");
			}
		}
		printf("}\n");
	} else if (json) {
		json_t *list = json_array();
		for (size_t i = 0; i < l.n; i++) {
			json_t *o = json_object(), *prod = json_array(), *cons = json_array();
			jx_set(o, "uri", jv_str(l.v[i].uri));
			for (size_t k = 0; k < l.v[i].nproducers; k++) {
				json_t *p = json_object();
				jx_set(p, "dag_id", jv_str(l.v[i].producers[k].dag_id));
				jx_set(p, "task_id", jv_str(l.v[i].producers[k].task_id));
				json_array_append_new(prod, p);
			}
			for (size_t k = 0; k < l.v[i].nconsumers; k++)
				json_array_append_new(cons, jv_str(l.v[i].consumers[k].dag_id));
			jx_set(o, "producers", prod);
			jx_set(o, "consumers", cons);
			json_array_append_new(list, o);
		}
		json_t *doc = json_object();
		jx_set(doc, "datasets", list);
		json_print(doc);
	} else if (l.n == 0) {
		printf("no datasets (no task declares outlets and no DAG is scheduled on datasets)\n");
	} else {
		/* Producing DAGs in order of first appearance (datasets are by URI). */
		size_t ndags = 0, capdags = 1;
		for (size_t i = 0; i < l.n; i++)
			capdags += l.v[i].nproducers;
		const char **dags = calloc(capdags, sizeof *dags);
		for (size_t i = 0; dags && i < l.n; i++)
			for (size_t k = 0; k < l.v[i].nproducers; k++) {
				size_t j = 0;
				while (j < ndags && strcmp(dags[j], l.v[i].producers[k].dag_id))
					j++;
				if (j == ndags && ndags < capdags)
					dags[ndags++] = l.v[i].producers[k].dag_id;
			}
		for (size_t j = 0; j < ndags; j++) {
			printf("%s\n", tsafe(dags[j]));
			for (size_t i = 0; i < l.n; i++)
				for (size_t k = 0; k < l.v[i].nproducers; k++) {
					if (strcmp(l.v[i].producers[k].dag_id, dags[j]))
						continue;
					printf("└── %s  (task %s)\n", tsafe(l.v[i].uri), tsafe(l.v[i].producers[k].task_id));
					for (size_t c = 0; c < l.v[i].nconsumers; c++)
						printf("    └── %s\n", tsafe(l.v[i].consumers[c].dag_id));
				}
		}
		bool header = false;
		for (size_t i = 0; i < l.n; i++) {
			if (l.v[i].nproducers)
				continue;
			if (!header)
				printf("(no producer seen)\n");
			header = true;
			printf("└── %s\n", tsafe(l.v[i].uri));
			for (size_t c = 0; c < l.v[i].nconsumers; c++)
				printf("    └── %s\n", tsafe(l.v[i].consumers[c].dag_id));
		}
		free(dags);
	}
	query_datasets_free(&l);
	return SC_OK;
}

int cmd_graph(struct cli *cli, int argc, char **argv)
{
	bool dot = false, json = false, datasets = false;
	long version = 0;
	const struct opt opts[] = {
		{ OPT_INT, "version", &version, "V", "draw version V of the DAG (schedctl dags DAG --versions)" },
		{ OPT_FLAG, "dot", &dot, NULL, "Graphviz DOT (pipe into dot -Tsvg)" },
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_FLAG, "datasets", &datasets, NULL, "instead of a DAG's tasks: the DAGs joined by datasets" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl graph (DAG [--version V] | --datasets) [--dot | --json]",
			   "Prints the dependency tree of a DAG, or with --datasets the DAGs joined by datasets"
			   " (producer -> dataset -> consumer).", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (datasets) {
		if (npos || version) {
			cli_err("graph: --datasets draws every DAG: no DAG and no --version with it");
			return SC_USAGE;
		}
		return graph_datasets(cli, dot, json);
	}
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
			jx_set(o, "mapped", json_boolean(d.tasks[i].mapped));
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
