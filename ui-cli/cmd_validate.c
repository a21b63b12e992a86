/* cmd_validate.c: `schedctl validate [PATH...]`: loads DAG files with the
 * daemon's own loader (dag_load_file_limits, with the daemon's limits and the
 * same flags to change them), so "valid here" means "loads there".
 * Directories are searched for *.yaml and *.yml (not recursively, like the
 * daemon's --dags). Every problem is printed as file:line:column: message;
 * a clean file gets a one-line summary of its DAG. A dag_id defined by two
 * files is a problem too, since the daemon can only keep one. When only
 * directories are validated (the whole DAG folder), a sensor's wait_for.dag
 * must name a DAG of the folder and wait_for.task one of its tasks: a typo
 * there would otherwise wait until the sensor's timeout. */
#include "ui-cli/schedctl.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scheduler/dag.h"

#define VALIDATE_DEFAULT_DIR "dags"

struct vfile {
	char *path;
	char *dag_id;	/* when it loaded */
	struct dag *dag;
	struct diag_list diags;
};

static int yaml_name(const struct dirent *e)
{
	size_t l = strlen(e->d_name);
	return e->d_name[0] != '.' &&
	       ((l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0) ||
		(l > 4 && strcmp(e->d_name + l - 4, ".yml") == 0));
}

static int add_path(const char *p, struct vfile **files, size_t *n)
{
	struct stat sb;
	if (stat(p, &sb) < 0) {
		cli_err("validate: %s: %m", p);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*files = realloc(*files, (*n + 1) * sizeof **files);
		(*files)[(*n)++] = (struct vfile){ .path = strdup(p) };
		return 1;	/* a file: the folder is not whole */
	}
	struct dirent **list;
	int k = scandir(p, &list, yaml_name, alphasort);
	if (k < 0) {
		cli_err("validate: %s: %m", p);
		return -1;
	}
	for (int i = 0; i < k; i++) {
		char *full;
		if (asprintf(&full, "%s/%s", p, list[i]->d_name) >= 0) {
			*files = realloc(*files, (*n + 1) * sizeof **files);
			(*files)[(*n)++] = (struct vfile){ .path = full };
		}
		free(list[i]);
	}
	free(list);
	return 0;
}

/* wait_for.dag and wait_for.task of every loaded DAG against the others. */
static void check_wait_for(struct vfile *files, size_t n)
{
	const char **ids = calloc(n ? n : 1, sizeof *ids);
	size_t nids = 0;
	for (size_t i = 0; ids && i < n; i++)
		if (files[i].dag_id)
			ids[nids++] = files[i].dag_id;
	for (size_t i = 0; ids && i < n; i++) {
		const struct dag *g = files[i].dag;
		for (size_t t = 0; g && t < g->ntasks; t++) {
			const struct dag_task *k = &g->tasks[t];
			if (!k->wait_dag)
				continue;
			const struct dag *other = NULL;
			for (size_t j = 0; j < n && !other; j++)
				if (files[j].dag && files[j].dag_id && !strcmp(files[j].dag_id, k->wait_dag))
					other = files[j].dag;
			char hint[400];
			if (!other) {
				nearest_hint(k->wait_dag, ids, nids, hint, sizeof hint);
				diag_add(&files[i].diags, files[i].path, k->line, k->column,
					 "task '%s': wait_for.dag: no DAG '%s' in the folder; %s", k->id, k->wait_dag, hint);
			} else if (k->wait_task && dag_task_index(other, k->wait_task) < 0) {
				const char **names = calloc(other->ntasks ? other->ntasks : 1, sizeof *names);
				for (size_t m = 0; names && m < other->ntasks; m++)
					names[m] = other->tasks[m].id;
				nearest_hint(k->wait_task, names, names ? other->ntasks : 0, hint, sizeof hint);
				diag_add(&files[i].diags, files[i].path, k->line, k->column,
					 "task '%s': wait_for.task: DAG %s has no task '%s'; %s", k->id, k->wait_dag,
					 k->wait_task, hint);
				free(names);
			}
		}
	}
	free(ids);
}

int cmd_validate(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	bool json = false;
	const char *max_size = getenv("SCHED_MAX_DAG_SIZE"), *max_depth = getenv("SCHED_MAX_DAG_DEPTH");
	const struct opt opts[] = {
		{ OPT_FLAG, "json", &json, NULL, "JSON output" },
		{ OPT_STRING, "max-dag-size", &max_size, "SIZE", "largest DAG file, as schedulerd's (8M)" },
		{ OPT_STRING, "max-dag-depth", &max_depth, "N", "deepest YAML nesting, as schedulerd's (32)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[256];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl validate [--json] [--max-dag-size SIZE] [--max-dag-depth N] [PATH...]",
			   "Checks DAG files (files, or directories of *.yaml/*.yml; default ./"
			   VALIDATE_DEFAULT_DIR "). Exit 1 if any file has a problem.",
			   pos, 256, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	struct dag_limits lim = { 0 };
	char lerr[256];
	if (dag_limits_parse(&lim, max_size && *max_size ? max_size : NULL,
			     max_depth && *max_depth ? max_depth : NULL, lerr, sizeof lerr) < 0) {
		cli_err("validate: %s", lerr);
		return SC_USAGE;
	}
	struct vfile *files = NULL;
	size_t nfiles = 0;
	int ret = SC_OK;
	bool whole = true;	/* only folders: cross-DAG references can be checked */
	if (npos == 0 && add_path(VALIDATE_DEFAULT_DIR, &files, &nfiles) < 0)
		return SC_FAIL;
	for (size_t i = 0; i < npos; i++) {
		int a = add_path(pos[i], &files, &nfiles);
		if (a < 0)
			ret = SC_FAIL;
		whole = whole && a == 0;
	}
	for (size_t i = 0; i < nfiles; i++) {
		files[i].dag = dag_load_file_limits(files[i].path, &lim, &files[i].diags);
		if (files[i].dag && !files[i].dag_id) {
			bool dup = false;
			for (size_t k = 0; k < i && !dup; k++)
				dup = files[k].dag_id && !strcmp(files[k].dag_id, files[i].dag->dag_id);
			if (!dup)
				files[i].dag_id = strdup(files[i].dag->dag_id);
		}
	}
	if (whole)
		check_wait_for(files, nfiles);
	size_t nproblems = 0;
	json_t *jfiles = json ? json_array() : NULL;
	for (size_t i = 0; i < nfiles; i++) {
		struct diag_list diags = files[i].diags;
		struct dag *dag = files[i].dag;
		const char *dup = NULL;
		if (dag)
			for (size_t k = 0; k < i; k++)
				if (files[k].dag_id && strcmp(files[k].dag_id, dag->dag_id) == 0)
					dup = files[k].path;
		if (dup)
			diag_add(&diags, files[i].path, 0, 0, "dag_id '%s' is also defined in %s",
				 dag->dag_id, dup);
		nproblems += diags.n;
		if (json) {
			json_t *problems = json_array();
			for (size_t k = 0; k < diags.n; k++) {
				json_t *p = json_object();
				jx_set(p, "line", json_integer(diags.items[k].line));
				jx_set(p, "column", json_integer(diags.items[k].column));
				jx_set(p, "message", jv_str(diags.items[k].msg));
				json_array_append_new(problems, p);
			}
			json_t *o = json_object();
			jx_set(o, "file", jv_str(files[i].path));
			jx_set(o, "ok", json_boolean(diags.n == 0));
			jx_set(o, "dag_id", jv_str(dag ? dag->dag_id : NULL));
			jx_set(o, "schedule", jv_str(dag ? dag->schedule : NULL));
			jx_set(o, "timezone", jv_str(dag ? dag->timezone : NULL));
			jx_set(o, "tasks", dag ? json_integer((json_int_t)dag->ntasks) : json_null());
			jx_set(o, "problems", problems);
			json_array_append_new(jfiles, o);
		} else if (diags.n) {
			for (size_t k = 0; k < diags.n; k++) {
				char *m = diag_format(&diags.items[k]);
				printf("%s\n", tsafe(m ? m : diags.items[k].msg));
				free(m);
			}
		} else {
			printf("%s: ok: DAG %s, %zu task%s, schedule %s (%s)%s\n", tsafe(files[i].path),
			       tsafe(dag->dag_id), dag->ntasks, dag->ntasks == 1 ? "" : "s", tsafe(dag->schedule),
			       tsafe(dag->timezone), dag->catchup ? ", catchup" : "");
		}
		diag_list_clear(&diags);
		dag_free(dag);
	}
	if (json) {
		json_t *doc = json_object();
		jx_set(doc, "files", jfiles);
		jx_set(doc, "problems", json_integer((json_int_t)nproblems));
		json_print(doc);
	} else if (nfiles == 0)
		printf("no DAG files found\n");
	else if (nproblems)
		printf("%zu problem%s in %zu file%s\n", nproblems, nproblems == 1 ? "" : "s", nfiles,
		       nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].dag_id);
	}
	/* (each file's dag and diags were freed as it was printed) */
	free(files);
	return nproblems ? SC_FAIL : ret;
}
