/* params.c: `--param K=V` of trigger, backfill and test. Every K must be a
 * param the DAG file declares (a typo fails here, exit 2, naming the nearest
 * declared one, rather than as a surprise value in a command); a repeated K:
 * the last wins. The checked list becomes the run's conf (a JSON object, as
 * trigger and backfill store it) or the conf pairs of a template context (as
 * test renders with, the daemon's runner reads them from that JSON). */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/dag.h"
#include "scheduler/dag_params.h"

/* Checks one item; 0, or -1 after printing why. *eq points at its '='. */
static int param_check(const char *cmd, const struct dag *dag, const char *item, const char **eq)
{
	*eq = strchr(item, '=');
	if (!*eq || *eq == item) {
		cli_err("%s: --param '%s' is not NAME=VALUE", cmd, item);
		return -1;
	}
	size_t klen = (size_t)(*eq - item);
	char *key = xmalloc(klen + 1);
	memcpy(key, item, klen);
	key[klen] = 0;
	char err[600];
	int rc = dag_params_check(dag, key, err, sizeof err);
	if (rc < 0)
		cli_err("%s: --param %s: %s", cmd, key, err);
	free(key);
	return rc;
}

char *params_conf_json(const char *cmd, const struct dag *dag, const struct opt_list *params)
{
	json_t *conf = json_object();
	for (size_t i = 0; i < params->n; i++) {
		const char *eq;
		if (param_check(cmd, dag, params->items[i], &eq) < 0) {
			json_decref(conf);
			return NULL;
		}
		char *key = xstrndup(params->items[i], (size_t)(eq - params->items[i]));
		jx_set(conf, key, jx_str(eq + 1));
		free(key);
	}
	char *text = jx_dump(conf);
	json_decref(conf);
	return text;
}

char *params_conf_of_file(const char *cmd, const struct query_dag *d,
			  const struct opt_list *params)
{
	char err[1200];
	struct dag *dag = dag_params_load(d->file, err, sizeof err);
	if (!dag) {
		cli_err("%s: cannot check --param: %s", cmd, err);
		return NULL;
	}
	char *text = params_conf_json(cmd, dag, params);
	dag_free(dag);
	return text;
}

int params_conf_kv(const char *cmd, const struct dag *dag, const struct opt_list *params,
		   struct dag_kv **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!params->n)
		return 0;
	struct dag_kv *kv = xcalloc(params->n, sizeof *kv);
	size_t m = 0;
	for (size_t i = 0; i < params->n; i++) {
		const char *eq;
		if (param_check(cmd, dag, params->items[i], &eq) < 0) {
			params_kv_free(kv, m);
			return -1;
		}
		char *key = xstrndup(params->items[i], (size_t)(eq - params->items[i]));
		size_t k = 0;
		while (k < m && strcmp(kv[k].key, key) != 0)
			k++;
		if (k < m) {	/* a repeated NAME: the last wins */
			free(key);
			free(kv[k].value);
		} else {
			kv[m++].key = key;
		}
		kv[k].value = xstrdup(eq + 1);
	}
	*out = kv;
	*n = m;
	return 0;
}

void params_kv_free(struct dag_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}
