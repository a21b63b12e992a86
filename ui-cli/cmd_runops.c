/* cmd_runops.c: what a person does to one run after it exists:
 *   schedctl stop DAG --run-id ID|--date D [--yes]
 *   schedctl mark success|failed DAG --run-id ID|--date D [--task T]...
 *                 [--upstream] [--downstream] [--yes]
 *   schedctl delete DAG --run-id ID|--date D [--yes]
 * Each prints what it will change, asks on a terminal (--yes skips it and is
 * required when stdin is not one), then makes the change in one transaction
 * of scheduler/store_cli.c with the events, the actor being the login name
 * (cli_actor). Live tries are stopped by the daemon through "stop" requests
 * written in that transaction (schedctl rings the wake FIFO after writes);
 * the states are final at once. */
#include "ui-cli/schedctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "scheduler/logpath.h"
#include "scheduler/store_cli.h"

/* The run chosen by --run-id or --date (one of them; the shared resolver,
 * runsel.c). SC_OK, or the exit code after printing why. */
static int pick_run(struct store *s, const struct query_dag *d, const char *cmd, const char *run_id,
		    const char *date, struct query_run *r)
{
	char err[1024];
	if (!run_id && !date) {
		cli_err("%s: name the run with --run-id ID or --date D", cmd);
		return SC_USAGE;
	}
	int f = run_find(s, d, run_id, date, r, err, sizeof err);
	if (f != SC_OK)
		cli_err("%s: %s", cmd, err);
	return f;
}

/* --yes, or a terminal's answer. SC_OK to go on; else the exit code. */
static int ask(struct cli *cli, const char *cmd, bool yes, const char *question)
{
	if (yes)
		return SC_OK;
	if (!cli->tty_in) {
		cli_err("%s: stdin is not a terminal, so nothing was changed; add --yes to %s without asking",
			cmd, cmd);
		return SC_USAGE;
	}
	if (!cli_confirm(question)) {
		printf("nothing changed\n");
		return SC_FAIL;
	}
	return SC_OK;
}

static bool ti_live(const char *st)
{
	return strcmp(st, "running") == 0 || strcmp(st, "queued") == 0 || strcmp(st, "restarting") == 0;
}

static bool ti_finished(const char *st)
{
	return strcmp(st, "success") == 0 || strcmp(st, "failed") == 0 || strcmp(st, "skipped") == 0 ||
	       strcmp(st, "upstream_failed") == 0;
}

/* states[i]: the state of task i of d in run ("none" when not instantiated). */
static char (*run_states(struct store *s, int64_t run, const struct query_dag *d, const char *cmd))[16]
{
	char (*states)[16] = xcalloc(d->ntasks ? d->ntasks : 1, sizeof *states);
	for (size_t i = 0; i < d->ntasks; i++)
		snprintf(states[i], 16, "none");
	struct query_tis tis;
	char err[1024];
	if (query_ti_states(s, run, &tis, err, sizeof err) != Q_OK) {
		cli_err("%s: %s", cmd, err);
		free(states);
		return NULL;
	}
	for (size_t i = 0; i < tis.n; i++) {
		long k = query_task_index(d, tis.v[i].task_id);
		if (k >= 0)
			snprintf(states[k], 16, "%s", tis.v[i].state);
	}
	query_tis_free(&tis);
	return states;
}

/* TASK, STATE, NEW STATE rows of the tasks whose new[i] is set. */
static void print_changes(struct cli *cli, const struct query_dag *d, char (*states)[16], const char **news)
{
	struct table t;
	table_init(&t, 3);
	const char *hdr[] = { "TASK", "STATE", "NEW STATE" };
	table_add(&t, hdr);
	for (size_t i = 0; i < d->ntasks; i++)
		if (news[i]) {
			const char *row[] = { d->tasks[i].id, states[i], news[i] };
			table_add(&t, row);
			table_color_last(&t, 2, state_color(news[i]));
		}
	table_print(&t, stdout, cli->color);
	table_free(&t);
	fflush(stdout);
}

struct runop {
	const char *run_id, *date;
	bool yes;
	struct store *s;
	struct query_dag d;
	struct query_run r;
};

/* Opens the state, the DAG and the run. SC_OK or the exit code (printed). */
static int runop_open(struct cli *cli, struct runop *o, const char *cmd, const char *dag)
{
	if (!o->run_id && !o->date) {
		cli_err("%s: give the run: --run-id ID or --date D", cmd);
		return SC_USAGE;
	}
	if (o->run_id && o->date) {
		cli_err("%s: give --run-id or --date, not both", cmd);
		return SC_USAGE;
	}
	o->s = cli_open_dag(cli, true, dag, &o->d);
	if (!o->s)
		return SC_FAIL;
	int rc = pick_run(o->s, &o->d, cmd, o->run_id, o->date, &o->r);
	if (rc != SC_OK) {
		query_dag_free(&o->d);
		store_close(o->s);
		o->s = NULL;
	}
	return rc;
}

static void runop_close(struct runop *o)
{
	if (!o->s)
		return;
	query_dag_free(&o->d);
	store_close(o->s);
}

int cmd_stop(struct cli *cli, int argc, char **argv)
{
	struct runop o = { 0 };
	const struct opt opts[] = {
		{ OPT_STRING, "run-id", &o.run_id, "ID", "the run with this run id" },
		{ OPT_STRING, "date", &o.date, "D", "the run of this logical date" },
		{ OPT_FLAG, "yes", &o.yes, NULL, "do not ask (needed when stdin is not a terminal)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl stop DAG --run-id ID|--date D [--yes]",
			   "Stops a queued or running run: its running tries are terminated (SIGTERM, then"
			   " SIGKILL after the daemon's kill grace) and their task instances fail, every task"
			   " that had not started is skipped, and the run ends failed with the cause"
			   " \"stopped by <user>\".", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("stop: usage: schedctl stop DAG --run-id ID|--date D [--yes] (DAG missing)");
		return SC_USAGE;
	}
	rc = runop_open(cli, &o, "stop", pos[0]);
	if (rc != SC_OK)
		return rc;
	rc = SC_FAIL;
	char (*states)[16] = run_states(o.s, o.r.id, &o.d, "stop");
	if (!states)
		goto out;
	if (strcmp(o.r.state, "queued") != 0 && strcmp(o.r.state, "running") != 0) {
		cli_err("stop: run %s of %s has already ended (%s): nothing to stop", o.r.run_id, o.d.dag_id,
			o.r.state);
		goto out;
	}
	const char **news = xcalloc(o.d.ntasks ? o.d.ntasks : 1, sizeof *news);
	const char **ids = xcalloc(o.d.ntasks ? o.d.ntasks : 1, sizeof *ids);
	for (size_t i = 0; i < o.d.ntasks; i++) {
		ids[i] = o.d.tasks[i].id;
		if (!ti_finished(states[i]))
			news[i] = ti_live(states[i]) ? "failed" : "skipped";
	}
	printf("run %s of %s (%s) will end failed:\n", tsafe(o.r.run_id), tsafe(o.d.dag_id), tsafe(o.r.state));
	print_changes(cli, &o.d, states, news);
	rc = ask(cli, "stop", o.yes, "Stop this run?");
	if (rc == SC_OK) {
		char cause[300];
		snprintf(cause, sizeof cause, "stopped by %s", cli_actor());
		size_t nstopped;
		if (store_stop_run(o.s, o.r.id, ids, o.d.ntasks, cause, cli_actor(), &nstopped) == 0) {
			printf("run %s %s; %zu running tr%s being stopped by the daemon\n", tsafe(o.r.run_id),
			       cause, nstopped, nstopped == 1 ? "y is" : "ies are");
		} else {
			cli_err("stop: %s", o.s->err);
			rc = SC_FAIL;
		}
	}
	free(news);
	free(ids);
out:
	free(states);
	runop_close(&o);
	return rc;
}

int cmd_mark(struct cli *cli, int argc, char **argv)
{
	struct runop o = { 0 };
	struct opt_list tasks = { 0 };
	bool down = false, up = false;
	const struct opt opts[] = {
		{ OPT_STRING, "run-id", &o.run_id, "ID", "the run with this run id" },
		{ OPT_STRING, "date", &o.date, "D", "the run of this logical date" },
		{ OPT_LIST, "task", &tasks, "T", "mark task T (default: every unfinished task)" },
		{ OPT_FLAG, "downstream", &down, NULL, "also every task downstream of those" },
		{ OPT_FLAG, "upstream", &up, NULL, "also every task upstream of those" },
		{ OPT_FLAG, "yes", &o.yes, NULL, "do not ask (needed when stdin is not a terminal)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[2];
	size_t npos;
	const char *usage = "schedctl mark success|failed DAG --run-id ID|--date D [--task T]... [--upstream]"
			    " [--downstream] [--yes]";
	int rc = opt_parse(argc, argv, opts, usage,
			   "Sets task instances to success or failed without running anything (a running"
			   " try of one is stopped first); the daemon then goes on as if they had ended"
			   " that way. Without --task it marks every unfinished task of the run.",
			   pos, 2, &npos);
	if (rc) {
		opt_list_free(&tasks);
		return rc < 0 ? SC_OK : rc;
	}
	if (npos != 2 || (strcmp(pos[0], "success") != 0 && strcmp(pos[0], "failed") != 0)) {
		cli_err("mark: usage: %s (%s)", usage,
			npos < 1 ? "the state is missing" : npos < 2 ? "DAG missing" : "the state is success or failed");
		opt_list_free(&tasks);
		return SC_USAGE;
	}
	const char *target = pos[0];
	rc = runop_open(cli, &o, "mark", pos[1]);
	if (rc != SC_OK) {
		opt_list_free(&tasks);
		return rc;
	}
	rc = SC_FAIL;
	size_t nt = o.d.ntasks ? o.d.ntasks : 1;
	bool *sel = xcalloc(nt, sizeof *sel), *downs = xcalloc(nt, sizeof *downs);
	const char **news = xcalloc(nt, sizeof *news), **marked = xcalloc(nt, sizeof *marked),
		   **reset = xcalloc(nt, sizeof *reset), **all = xcalloc(nt, sizeof *all);
	char (*states)[16] = run_states(o.s, o.r.id, &o.d, "mark");
	if (!states)
		goto out;
	for (size_t i = 0; i < tasks.n; i++) {
		long k = query_task_index(&o.d, tasks.items[i]);
		if (k < 0) {
			char err[1024];
			meta_unknown_task(&o.d, tasks.items[i], err, sizeof err);
			cli_err("mark: %s", err);
			rc = SC_USAGE;
			goto out;
		}
		sel[k] = true;
	}
	for (size_t i = 0; tasks.n == 0 && i < o.d.ntasks; i++)
		sel[i] = !ti_finished(states[i]);
	meta_closure(&o.d, sel, down, up);
	/* Downstream of the marked ones: decided again if an upstream failure
	 * decided them. */
	memcpy(downs, sel, nt * sizeof *downs);
	meta_closure(&o.d, downs, true, false);
	size_t nmarked = 0, nreset = 0;
	for (size_t i = 0; i < o.d.ntasks; i++) {
		all[i] = o.d.tasks[i].id;
		if (sel[i] && strcmp(states[i], target) != 0) {
			news[i] = target;
			marked[nmarked++] = o.d.tasks[i].id;
		} else if (!sel[i] && downs[i] && strcmp(target, "success") == 0 &&
			   strcmp(states[i], "upstream_failed") == 0) {
			news[i] = "none";
			reset[nreset++] = o.d.tasks[i].id;
		}
	}
	if (nmarked == 0) {
		printf("nothing to mark in run %s: %s\n", tsafe(o.r.run_id),
		       tasks.n ? "the tasks are in that state already" : "every task has finished");
		rc = SC_OK;
		goto out;
	}
	printf("run %s of %s (%s): %zu task instance%s to mark %s:\n", tsafe(o.r.run_id), tsafe(o.d.dag_id),
	       tsafe(o.r.state), nmarked, nmarked == 1 ? "" : "s", target);
	print_changes(cli, &o.d, states, news);
	char question[64];
	snprintf(question, sizeof question, "Mark %s?", nmarked == 1 ? "this task instance" : "these task instances");
	rc = ask(cli, "mark", o.yes, question);
	if (rc != SC_OK)
		goto out;
	char cause[300];
	snprintf(cause, sizeof cause, "marked %s by %s", target, cli_actor());
	size_t nstopped;
	if (store_mark_tasks(o.s, o.r.id, target, marked, nmarked, reset, nreset, all, o.d.ntasks, cause,
			     cli_actor(), &nstopped) == 0) {
		printf("marked %zu task instance%s of %s %s", nmarked, nmarked == 1 ? "" : "s", tsafe(o.r.run_id),
		       target);
		if (nstopped)
			printf("; %zu running tr%s being stopped by the daemon", nstopped,
			       nstopped == 1 ? "y is" : "ies are");
		printf("\n");
	} else {
		cli_err("mark: %s", o.s->err);
		rc = SC_FAIL;
	}
out:
	free(states);
	free(sel);
	free(downs);
	free(news);
	free(marked);
	free(reset);
	free(all);
	runop_close(&o);
	opt_list_free(&tasks);
	return rc;
}

/* The try's files (scheduler/logpath.h); -1 after printing what stayed. */
static int remove_try_files(const char *log_path)
{
	char err[4400];
	if (logpath_remove_try(log_path, err, sizeof err) == 0)
		return 0;
	cli_err("delete: %s", err);
	return -1;
}

int cmd_delete(struct cli *cli, int argc, char **argv)
{
	struct runop o = { 0 };
	const struct opt opts[] = {
		{ OPT_STRING, "run-id", &o.run_id, "ID", "the run with this run id" },
		{ OPT_STRING, "date", &o.date, "D", "the run of this logical date" },
		{ OPT_FLAG, "yes", &o.yes, NULL, "do not ask (needed when stdin is not a terminal)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl delete DAG --run-id ID|--date D [--yes]",
			   "Removes a finished run: its task instances, tries, events and log files. A"
			   " queued or running run is refused (stop it first).", pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 1) {
		cli_err("delete: usage: schedctl delete DAG --run-id ID|--date D [--yes] (DAG missing)");
		return SC_USAGE;
	}
	rc = runop_open(cli, &o, "delete", pos[0]);
	if (rc != SC_OK)
		return rc;
	rc = SC_FAIL;
	if (strcmp(o.r.state, "queued") == 0 || strcmp(o.r.state, "running") == 0) {
		cli_err("delete: run %s of %s is %s: stop it first (schedctl stop), or wait until it ends",
			o.r.run_id, o.d.dag_id, o.r.state);
		goto out;
	}
	printf("run %s of %s (%s) will be deleted with its task instances, tries, events and logs\n",
	       tsafe(o.r.run_id), tsafe(o.d.dag_id), tsafe(o.r.state));
	fflush(stdout);
	rc = ask(cli, "delete", o.yes, "Delete this run?");
	if (rc != SC_OK)
		goto out;
	char cause[600];
	snprintf(cause, sizeof cause, "run %s deleted by %s", o.r.run_id, cli_actor());
	struct store_paths logs;
	if (store_delete_run(o.s, o.r.id, cause, cli_actor(), &logs) < 0) {
		cli_err("delete: %s", o.s->err);
		rc = SC_FAIL;
		goto out;
	}
	size_t failed = 0;
	for (size_t i = 0; i < logs.n; i++)
		failed += remove_try_files(logs.v[i]) < 0;
	printf("deleted run %s of %s (%zu tr%s)\n", tsafe(o.r.run_id), tsafe(o.d.dag_id), logs.n,
	       logs.n == 1 ? "y" : "ies");
	if (failed) {
		cli_err("delete: the run's rows are gone, but %zu tr%s log files could not be removed (above)",
			failed, failed == 1 ? "y's" : "ies'");
		rc = SC_FAIL;
	}
	store_paths_free(&logs);
out:
	runop_close(&o);
	return rc;
}

int backfill_cancel(struct cli *cli, const char *dag, long backfill_id, bool yes)
{
	struct query_dag d;
	struct store *s = cli_open_dag(cli, true, dag, &d);
	if (!s)
		return SC_FAIL;
	int rc = SC_FAIL;
	printf("backfill %ld of %s: its queued runs will be stopped (their tasks skipped, the runs failed);"
	       " running runs finish\n", backfill_id, tsafe(d.dag_id));
	fflush(stdout);
	rc = ask(cli, "backfill --cancel", yes, "Cancel this backfill?");
	if (rc != SC_OK)
		goto out;
	const char **ids = xcalloc(d.ntasks ? d.ntasks : 1, sizeof *ids);
	for (size_t i = 0; i < d.ntasks; i++)
		ids[i] = d.tasks[i].id;
	char cause[300];
	snprintf(cause, sizeof cause, "backfill %ld cancelled by %s", backfill_id, cli_actor());
	size_t ncancelled, nrunning;
	if (store_cancel_backfill(s, d.dag_id, backfill_id, ids, d.ntasks, cause, cli_actor(), &ncancelled,
				  &nrunning) == 0) {
		printf("backfill %ld cancelled: %zu queued run%s stopped, %zu running run%s left to finish\n",
		       backfill_id, ncancelled, ncancelled == 1 ? "" : "s", nrunning, nrunning == 1 ? "" : "s");
	} else {
		cli_err("backfill: %s", s->err);
		rc = SC_FAIL;
	}
	free(ids);
out:
	query_dag_free(&d);
	store_close(s);
	return rc;
}
