/* dag_params.c: see dag_params.h. */
#include "scheduler/dag_params.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/suggest.h"
#include "lib/xalloc.h"
#include "scheduler/dag.h"
#include "scheduler/diag.h"

int dag_params_check(const struct dag *dag, const char *key, char *err, size_t errlen)
{
	if (dag_param(dag, key))
		return 0;
	const char **names = xmalloc((dag->nparams + 1) * sizeof *names);
	for (size_t k = 0; k < dag->nparams; k++)
		names[k] = dag->params[k].key;
	char hint[400];
	suggest_hint(key, names, dag->nparams, hint, sizeof hint);
	snprintf(err, errlen, "DAG %s declares no param '%s'; %s", dag->dag_id, key, hint);
	free(names);
	return -1;
}

struct dag *dag_params_load(const char *file, char *err, size_t errlen)
{
	struct diag_list diags = { 0 };
	struct dag *dag = dag_load_file(file, &diags);
	if (!dag) {
		char *first = diags.n ? diag_format(&diags.items[0]) : NULL;
		snprintf(err, errlen, "the DAG file %s does not load now: %s", file, first ? first : "unreadable");
		free(first);
	}
	diag_list_clear(&diags);
	return dag;
}
