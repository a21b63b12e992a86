/* cmd_clear.c: `schedctl clear DAG --date D [--task T]... [--downstream]
 * [--upstream] [--failed-only] [--yes] [--force]`: reprocess one date
 * partition. The chosen task instances go back to "none" with a fresh retry
 * budget (store_clear_tasks), and the daemon runs them again; earlier tries
 * and their logs stay. The set is printed before anything changes, and a
 * person at a terminal is asked. A running or queued instance is only touched
 * with --force: store_clear_tasks makes it restarting (Airflow's state), in
 * the same transaction as the rest of the set; the daemon then stops its try
 * (no failure: no trigger rule fires on it) and runs it again.
 * Mapped tasks (docs/mapping.md): --task T clears the whole task (it expands
 * again), --task 'T[3]' one instance; with --failed-only a mapped task's
 * failed instances are cleared, not the whole task. */
#include "ui-cli/schedctl.h"

#include "scheduler/mapindex.h"
#include "scheduler/store_cli.h"

#include <stdlib.h>
#include <string.h>

static bool is_active(const char *state)
{
	return strcmp(state, "running") == 0 || strcmp(state, "queued") == 0;
}

/* Current state of each task of the run ("none" when never instantiated),
 * and every task instance of it in tis (mapped instances too); -1 after
 * printing a read error. */
static int read_states(struct store *s, int64_t run, const struct query_dag *d, char (*states)[16],
		       struct query_tis *tis)
{
	for (size_t i = 0; i < d->ntasks; i++)
		snprintf(states[i], 16, "none");
	char err[1024];
	if (query_ti_states(s, run, tis, err, sizeof err) != Q_OK) {
		cli_err("clear: %s", err);
		return -1;
	}
	for (size_t i = 0; i < tis->n; i++) {
		long k = query_task_index(d, tis->v[i].task_id);
		if (k >= 0)
			snprintf(states[k], 16, "%s", tis->v[i].state);
	}
	return 0;
}

/* The task index of a mapped instance's name in d, or -1 (not an instance). */
static long instance_task(const struct query_dag *d, const char *name)
{
	return map_name_index(name) >= 0 ? query_ti_task_index(d, name) : -1;
}

static bool confirm(size_t n)
{
	char q[64];
	if (n == 1)
		snprintf(q, sizeof q, "Clear this task instance?");
	else
		snprintf(q, sizeof q, "Clear these %zu task instances?", n);
	return cli_confirm(q);
}

int cmd_clear(struct cli *cli, int argc, char **argv)
{
	const char *date = NULL, *run_id = NULL;
	struct opt_list tasks = { 0 };
	bool down = false, up = false, failed_only = false, yes = false, force = false, latest = false;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "logical date of the run (a day, or YYYY-MM-DDTHH:MM)" },
		{ OPT_STRING, "run-id", &run_id, "ID", "the run of that run id (as `runs` prints it)" },
		{ OPT_LIST, "task", &tasks, "T", "clear task T (default: every task)" },
		{ OPT_FLAG, "downstream", &down, NULL, "also every task downstream of those" },
		{ OPT_FLAG, "upstream", &up, NULL, "also every task upstream of those" },
		{ OPT_FLAG, "failed-only", &failed_only, NULL, "only failed and upstream_failed instances" },
		{ OPT_FLAG, "yes", &yes, NULL, "do not ask (needed when stdin is not a terminal)" },
		{ OPT_FLAG, "force", &force, NULL, "also running or queued instances (they restart)" },
		{ OPT_FLAG, "latest-version", &latest, NULL, "rerun with the DAG's current version, not the"
			   " run's own (the run is re-pinned to it)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl clear DAG (--run-id ID | --date D) [--task T]... [--downstream] [--upstream]"
			   " [--failed-only] [--yes] [--force] [--latest-version]",
			   "Runs task instances of one run again with a fresh retry budget; earlier"
			   " tries and their logs are kept.", pos, 1, &npos);
	if (rc) {
		opt_list_free(&tasks);
		return rc < 0 ? SC_OK : rc;
	}
	if (npos != 1 || (!date && !run_id)) {
		cli_err("clear: usage: schedctl clear DAG (--run-id ID | --date D) [--task T]..."
			" (%s missing)", npos != 1 ? "DAG" : "--run-id or --date");
		opt_list_free(&tasks);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, true);
	if (!s) {
		opt_list_free(&tasks);
		return SC_FAIL;
	}
	struct query_dag d;
	struct query_run r;
	char err[1024];
	int ret = SC_FAIL;
	bool *sel = NULL;
	char (*states)[16] = NULL;
	struct query_tis tis = { 0 };
	bool *isel = NULL;	/* mapped instances chosen one by one, by their index in tis */
	if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		opt_list_free(&tasks);
		return SC_FAIL;
	}
	int f = run_find(s, &d, run_id, date, &r, err, sizeof err);
	if (f != SC_OK) {
		cli_err("clear: %s", err);
		ret = f;
		goto out;
	}
	/* The tasks are the run's version's, unless it moves to the current one
	 * (or its version is gone: then the daemon runs the current one too). */
	if (!latest && meta_pin_run(s, &d, &r, err, sizeof err) == Q_ERROR) {
		cli_err("clear: %s", err);
		goto out;
	}
	bool repin = latest && d.version > 0 && r.version != d.version;
	sel = calloc(d.ntasks ? d.ntasks : 1, sizeof *sel);
	states = calloc(d.ntasks ? d.ntasks : 1, sizeof *states);
	if (!sel || !states || read_states(s, r.id, &d, states, &tis) < 0 ||
	    !(isel = calloc(tis.n ? tis.n : 1, sizeof *isel)))
		goto out;
	for (size_t i = 0; i < tasks.n; i++) {
		long k = query_task_index(&d, tasks.items[i]);
		if (k < 0 && instance_task(&d, tasks.items[i]) >= 0) {
			size_t j = 0;
			while (j < tis.n && strcmp(tis.v[j].task_id, tasks.items[i]) != 0)
				j++;
			if (j == tis.n) {
				cli_err("clear: run %s has no mapped instance '%s'", tsafe(r.run_id), tasks.items[i]);
				goto out;
			}
			isel[j] = true;
			sel[instance_task(&d, tasks.items[i])] |= down || up;	/* for the closure only */
			continue;
		}
		if (k < 0) {
			meta_unknown_task(&d, tasks.items[i], err, sizeof err);
			cli_err("clear: %s", err);
			goto out;
		}
		sel[k] = true;
	}
	bool *own = calloc(d.ntasks ? d.ntasks : 1, sizeof *own);	/* chosen as a whole, not for an instance */
	if (!own)
		goto out;
	for (size_t i = 0; i < tasks.n; i++) {
		long k = query_task_index(&d, tasks.items[i]);
		if (k >= 0)
			own[k] = true;
	}
	if (tasks.n == 0)
		for (size_t i = 0; i < d.ntasks; i++)
			sel[i] = own[i] = true;
	bool *before = malloc((d.ntasks ? d.ntasks : 1) * sizeof *before);
	if (!before) {
		free(own);
		goto out;
	}
	memcpy(before, sel, d.ntasks * sizeof *sel);
	meta_closure(&d, sel, down, up);
	for (size_t i = 0; i < d.ntasks; i++)	/* an instance's task is in only for its closure */
		if (before[i] && !own[i])
			sel[i] = false;
	free(before);
	free(own);
	/* --failed-only: a mapped task's failed instances, not the whole task
	 * (mapped_failed[k]: task k is cleared through them). One pass over the
	 * rows, whatever the number of tasks. */
	bool *mapped_failed = calloc(d.ntasks ? d.ntasks : 1, sizeof *mapped_failed);
	if (!mapped_failed)
		goto out;
	for (size_t j = 0; failed_only && j < tis.n; j++) {
		long k = instance_task(&d, tis.v[j].task_id);
		if (k >= 0 && sel[k] && (!strcmp(tis.v[j].state, "failed") || !strcmp(tis.v[j].state, "upstream_failed")))
			isel[j] = mapped_failed[k] = true;
	}
	size_t n = 0, nactive = 0;
	for (size_t i = 0; i < d.ntasks; i++) {
		if (sel[i] && failed_only && ((strcmp(states[i], "failed") != 0 &&
					       strcmp(states[i], "upstream_failed") != 0) || mapped_failed[i]))
			sel[i] = false;
		if (sel[i]) {
			n++;
			nactive += is_active(states[i]);
		}
	}
	free(mapped_failed);
	for (size_t j = 0; j < tis.n; j++)
		if (isel[j]) {
			n++;
			nactive += is_active(tis.v[j].state);
		}
	if (n == 0) {
		printf("nothing to clear in run %s%s\n", tsafe(r.run_id),
		       failed_only ? " (no failed task instance in the set)" : "");
		ret = SC_OK;
		goto out;
	}
	printf("run %s of %s (%s): %zu task instance%s to clear:\n", tsafe(r.run_id), tsafe(d.dag_id), tsafe(r.state), n,
	       n == 1 ? "" : "s");
	if (repin)
		printf("the run moves from DAG version %lld to the current version %lld\n", (long long)r.version,
		       (long long)d.version);
	struct table t;
	table_init(&t, 2);
	const char *hdr[] = { "TASK", "STATE" };
	table_add(&t, hdr);
	for (size_t i = 0; i < d.ntasks; i++)
		if (sel[i]) {
			const char *row[] = { d.tasks[i].id, states[i] };
			table_add(&t, row);
			table_color_last(&t, 1, state_color(states[i]));
		}
	for (size_t j = 0; j < tis.n; j++)
		if (isel[j]) {
			const char *row[] = { tis.v[j].task_id, tis.v[j].state };
			table_add(&t, row);
			table_color_last(&t, 1, state_color(tis.v[j].state));
		}
	table_print(&t, stdout, cli->color);
	table_free(&t);
	fflush(stdout);
	if (nactive && !force) {
		cli_err("clear: %zu of them %s running or queued; add --force to restart %s",
			nactive, nactive == 1 ? "is" : "are", nactive == 1 ? "it" : "them");
		goto out;
	}
	if (!yes) {
		if (!cli->tty_in) {
			cli_err("clear: stdin is not a terminal, so nothing was cleared; add --yes to"
				" clear without asking");
			ret = SC_USAGE;
			goto out;
		}
		if (!confirm(n)) {
			printf("nothing cleared\n");
			goto out;
		}
	}
	const char **ids = malloc(n * sizeof *ids);
	int *retries = malloc(n * sizeof *retries);
	size_t k = 0;
	for (size_t i = 0; ids && retries && i < d.ntasks; i++)
		if (sel[i]) {
			ids[k] = d.tasks[i].id;
			retries[k++] = d.tasks[i].retries;
		}
	for (size_t j = 0; ids && retries && j < tis.n; j++)
		if (isel[j]) {
			ids[k] = tis.v[j].task_id;
			retries[k++] = d.tasks[instance_task(&d, tis.v[j].task_id)].retries;
		}
	/* The re-pin and the clear commit together (store transactions nest). */
	int64_t from, to;
	bool done = ids && retries && store_begin(s) == 0;
	if (done && repin && store_run_repin(s, r.id, cli_actor(), &from, &to) < 0)
		done = false;
	if (done && store_clear_tasks(s, r.id, ids, k, retries, "schedctl clear") < 0)
		done = false;
	if (done)
		done = store_commit(s) == 0;
	else if (ids && retries && s->depth > 0)
		store_rollback(s);
	if (done) {
		printf("cleared %zu task instance%s of %s; the daemon runs them again\n", k,
		       k == 1 ? "" : "s", tsafe(r.run_id));
		if (nactive)
			printf("%zu of them %s restarting: the daemon stops %s try and starts a new one\n", nactive,
			       nactive == 1 ? "is" : "are", nactive == 1 ? "its" : "their");
		ret = SC_OK;
	} else {
		cli_err("clear: %s", s->err);
	}
	free(ids);
	free(retries);
out:
	free(sel);
	free(states);
	free(isel);
	query_tis_free(&tis);
	query_dag_free(&d);
	store_close(s);
	opt_list_free(&tasks);
	return ret;
}
