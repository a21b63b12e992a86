/* cmd_test.c: `schedctl test DAG TASK --date D [--param K=V]... [--dags DIR]`:
 * the one command
 * that runs a task. It loads the DAG file (the one the daemon recorded in the
 * dags table, or the file in DIR declaring DAG), renders the task with the
 * daemon's own render_task (same argv, environment and cwd a real try gets),
 * prints the argv, runs it in the foreground and exits with its exit code.
 * The program is found and started by the launcher's own code
 * (executors/command.h: argv[0] in the try's PATH, not schedctl's).
 * Nothing is recorded in the state file. A mapped task (docs/mapping.md) is
 * run as one instance: TASK[N] (TASK alone: [0]) over its list rendered for
 * the date, or over the element --item gives (a list from an upstream's
 * result needs a run, so it needs --item here). */
#include "ui-cli/schedctl.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executors/command.h"
#include "scheduler/cron.h"
#include "lib/json.h"
#include "scheduler/dag.h"
#include "scheduler/mapindex.h"
#include "scheduler/template.h"
#include "scheduler/render.h"
#include "scheduler/tz.h"

static struct dag *load_quiet(const char *path)
{
	struct diag_list diags = { 0 };
	struct dag *d = dag_load_file(path, &diags);
	if (!d)
		for (size_t i = 0; i < diags.n; i++) {
			char *m = diag_format(&diags.items[i]);
			fprintf(stderr, "%s\n", tsafe(m ? m : diags.items[i].msg));
			free(m);
		}
	diag_list_clear(&diags);
	return d;
}

static int yaml_file(const struct dirent *e)
{
	size_t l = strlen(e->d_name);
	return (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0) ||
	       (l > 4 && strcmp(e->d_name + l - 4, ".yml") == 0);
}

/* The DAG named dag_id among DIR's files. */
static struct dag *load_from_dir(const char *dir, const char *dag_id)
{
	struct dirent **list;
	int n = scandir(dir, &list, yaml_file, alphasort);
	if (n < 0) {
		cli_err("test: --dags %s: %m", dir);
		return NULL;
	}
	struct dag *found = NULL;
	char **names = calloc((size_t)n + 1, sizeof *names);
	size_t nn = 0;
	for (int i = 0; i < n; i++) {
		char *path;
		if (!found && asprintf(&path, "%s/%s", dir, list[i]->d_name) >= 0) {
			struct diag_list diags = { 0 };
			struct dag *d = dag_load_file(path, &diags);
			diag_list_clear(&diags);
			free(path);
			if (d && strcmp(d->dag_id, dag_id) == 0)
				found = d;
			else if (d) {
				if (names)
					names[nn++] = strdup(d->dag_id);
				dag_free(d);
			}
		}
		free(list[i]);
	}
	free(list);
	if (!found) {
		char hint[400];
		nearest_hint(dag_id, (const char *const *)names, names ? nn : 0, hint, sizeof hint);
		cli_err("test: no file in %s declares DAG '%s'; %s", dir, dag_id, hint);
	}
	for (size_t i = 0; names && i < nn; i++)
		free(names[i]);
	free(names);
	return found;
}

static void print_argv(char **argv)
{
	fputs("+", stderr);
	for (char **a = argv; *a; a++) {
		bool plain = **a && strspn(*a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "0123456789-_./=:,+@%") == strlen(*a);
		if (plain) {
			fprintf(stderr, " %s", *a);	/* plain: nothing to escape */
			continue;
		}
		fputs(" '", stderr);
		for (const char *p = tsafe(*a); *p; p++)
			if (*p == '\'')
				fputs("'\\''", stderr);
			else
				fputc(*p, stderr);
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

static int run_foreground(const struct rendered_task *rt)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		cli_err("test: fork: %m");
		return SC_FAIL;
	}
	if (pid == 0)	/* found and started exactly as the launcher starts a try */
		exec_command(rt->argv, rt->envp, rt->cwd, "schedctl: test");
	/* Ctrl-C goes to the child (same process group); we wait for it. */
	signal(SIGINT, SIG_IGN);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	signal(SIGINT, SIG_DFL);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "schedctl: test: killed by signal %d\n", WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	int code = WEXITSTATUS(status);
	fprintf(stderr, "schedctl: test: exit code %d\n", code);
	return code;
}

static int cmd_test_run(struct cli *cli, const char *date, const char *dags_dir, const char *item,
			const struct opt_list *params, char **pos, size_t npos);

int cmd_test(struct cli *cli, int argc, char **argv)
{
	const char *date = NULL, *dags_dir = NULL, *item = NULL;
	struct opt_list params = { 0 };
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "logical date (required)" },
		{ OPT_LIST, "param", &params, "K=V", "set param K as trigger --param does (must be declared in the DAG)" },
		{ OPT_STRING, "dags", &dags_dir, "DIR", "load the DAG from the files in DIR instead of"
							" the file the daemon recorded" },
		{ OPT_STRING, "item", &item, "JSON", "a mapped task's element (JSON, else a string) instead of"
						     " its list's" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[2];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl test DAG TASK[N] --date D [--param K=V]... [--dags DIR]"
			   " [--item JSON]",
			   "Renders one task for logical date D, prints its argv and runs it in the"
			   " foreground with the environment a real try gets. Records nothing;"
			   " exits with the task's exit code.", pos, 2, &npos);
	if (rc) {
		opt_list_free(&params);
		return rc < 0 ? SC_OK : rc;
	}
	int ret = cmd_test_run(cli, date, dags_dir, item, &params, pos, npos);
	opt_list_free(&params);
	return ret;
}

/* The element of instance index of mapped task t (malloc'd JSON), from
 * item or from its list rendered in ctx; NULL after saying why. */
static char *test_element(const struct dag_task *t, const struct template_ctx *ctx, const char *item, int index)
{
	char err[512];
	if (item) {
		json_t *v = json_loads(item, JSON_DECODE_ANY, NULL);
		char *out = jx_dump(v ? v : jx_str(item));
		json_decref(v);
		return out;
	}
	char *text = t->map_literal ? strdup(t->map_over) : template_render(t->map_over, ctx, err, sizeof err);
	if (!text) {
		cli_err("test: task %s is mapped over '%s': %s; give the element with --item", t->id, t->map_over, err);
		return NULL;
	}
	json_t *a = json_loads(text, JSON_DECODE_ANY, NULL);
	char *out = NULL;
	if (!json_is_array(a))
		cli_err("test: task %s: expand.over rendered '%.200s', not a JSON list", t->id, text);
	else if ((size_t)index >= json_array_size(a))
		cli_err("test: task %s: its list has %zu element%s, no [%d]", t->id, json_array_size(a),
			json_array_size(a) == 1 ? "" : "s", index);
	else
		out = jx_dump(json_array_get(a, (size_t)index));
	json_decref(a);
	free(text);
	return out;
}

static int cmd_test_run(struct cli *cli, const char *date, const char *dags_dir, const char *item,
			const struct opt_list *params, char **pos, size_t npos)
{
	if (npos != 2 || !date) {
		cli_err("test: usage: schedctl test DAG TASK --date D (%s missing)",
			npos != 2 ? "DAG and TASK" : "--date");
		return SC_USAGE;
	}
	struct dag *dag = NULL;
	if (dags_dir) {
		dag = load_from_dir(dags_dir, pos[0]);
	} else {
		struct store *s = cli_open_store(cli, false);
		if (!s)
			return SC_FAIL;
		struct query_dag m;
		char err[1024];
		if (meta_load(s, pos[0], &m, err, sizeof err) != Q_OK)
			cli_err("%s", err);
		else {
			dag = load_quiet(m.file);
			if (!dag)
				cli_err("test: the DAG file %s of %s does not load (above)", m.file,
					m.dag_id);
			query_dag_free(&m);
		}
		store_close(s);
	}
	if (!dag)
		return SC_FAIL;
	int ret = SC_FAIL;
	char err[1024], task[300];
	size_t tl;
	int index = 0;
	bool instance = map_name_parse(pos[1], &tl, &index) == 1;
	if (!instance)
		index = 0;	/* a mapped TASK alone: its first instance */
	snprintf(task, sizeof task, "%.*s", (int)tl, pos[1]);
	long k = dag_task_index(dag, task);
	if (k >= 0 && instance && !dag_task_is_mapped(&dag->tasks[k])) {
		cli_err("test: task %s is not mapped (no expand:), so it has no instance %s", task, pos[1]);
		dag_free(dag);
		return SC_USAGE;
	}
	if (k < 0) {
		const char **names = malloc((dag->ntasks + 1) * sizeof *names);
		for (size_t i = 0; names && i < dag->ntasks; i++)
			names[i] = dag->tasks[i].id;
		char hint[400];
		nearest_hint(pos[1], names, names ? dag->ntasks : 0, hint, sizeof hint);
		cli_err("test: no task '%s' in DAG %s; %s", pos[1], dag->dag_id, hint);
		free(names);
		dag_free(dag);
		return SC_FAIL;
	}
	time_t start, end;
	if (logical_of_date(date, dag->timezone, dag->kind == SCHEDULE_CRON ? &dag->cron : NULL,
			    &start, err, sizeof err) < 0) {
		cli_err("test: %s", err);
		dag_free(dag);
		return SC_USAGE;
	}
	end = start;
	if (dag->kind == SCHEDULE_CRON) {
		end = cron_next_after(&dag->cron, dag->timezone, start);
		if (end == (time_t)-1)
			end = start;
	}
	struct dag_kv *conf;
	size_t nconf;
	if (params_conf_kv("test", dag, params, &conf, &nconf) < 0) {
		dag_free(dag);
		return SC_USAGE;
	}
	char run_id[160];
	store_format_run_id("test", dag->timezone, start, run_id, sizeof run_id);
	struct template_ctx ctx = {
		.dag = dag, .task_id = dag->tasks[k].id, .run_id = run_id,
		.interval_start = start, .interval_end = end, .try_number = 1,
		.conf = conf, .nconf = nconf,
	};
	struct rendered_task rt = { 0 };
	char *element = NULL;
	if (dag_task_is_mapped(&dag->tasks[k])) {
		if (!(element = test_element(&dag->tasks[k], &ctx, item, index))) {
			params_kv_free(conf, nconf);
			dag_free(dag);
			return SC_FAIL;
		}
		ctx.map_as = dag->tasks[k].map_as;
		ctx.map_item = element;
		ctx.map_index = index;
	}
	if (render_task(&dag->tasks[k], &ctx, &rt, err, sizeof err) < 0) {
		cli_err("test: %s: task %s: %s", dag->file, dag->tasks[k].id, err);
	} else if (!rt.argv) {
		/* A sensor: poke once. */
		glob_t g;
		bool found = rt.wait_path && glob(rt.wait_path, 0, NULL, &g) == 0;
		if (rt.wait_path && found)
			globfree(&g);
		printf("sensor %s: %s %s\n", tsafe(dag->tasks[k].id), rt.wait_path ? tsafe(rt.wait_path) : "?",
		       found ? "exists" : "does not exist (yet)");
		ret = found ? SC_OK : SC_FAIL;
	} else {
		print_argv(rt.argv);
		ret = run_foreground(&rt);
	}
	rendered_task_free(&rt);
	free(element);
	params_kv_free(conf, nconf);
	dag_free(dag);
	return ret;
}
