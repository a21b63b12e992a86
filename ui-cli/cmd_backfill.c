/* cmd_backfill.c: `schedctl backfill DAG --from D --to D ...`: one run per
 * schedule interval whose start lies in [from, to] (days in the DAG's zone, to
 * inclusive), grouped under a backfills row the daemon uses to cap how many of
 * them run at once (--max-active, default 16, Airflow's max_active_runs).
 *
 * Existing runs are never duplicated: succeeded ones are kept (--reset clears
 * all their tasks), failed ones get their failed and upstream_failed tasks
 * cleared, queued or running ones are left alone. The plan is computed first
 * and printed, so --dry-run shows exactly what a real call would do. With
 * --reverse the sort keys are negated so the daemon, which starts queued runs
 * by sort_key, goes newest first. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scheduler/cron.h"
#include "scheduler/store_cli.h"
#include "scheduler/tz.h"

enum action { ACT_CREATE, ACT_KEEP, ACT_RESET, ACT_RERUN_FAILED, ACT_LEAVE_ACTIVE, ACT_NONE };
static const char *const action_names[] = { "create", "keep (succeeded)", "reset (clear all tasks)",
					    "rerun failed tasks", "leave (in progress)",
					    "skip (no run)" };

struct step {
	time_t start, end;
	int64_t run;	/* existing run id or 0 */
	char state[16];
	enum action act;
};

#define BACKFILL_MAX_INTERVALS 100000

/* Midnight of the day after t (in tz). */
static time_t next_midnight(const char *tz, time_t t)
{
	struct tm tm;
	tz_localtime(tz, t + 26 * 3600, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	bool gap;
	return tz_mktime(tz, &tm, &gap);
}

/* Clears the task instances of a run: all, or only failed/upstream_failed. */
static int clear_run(struct store *s, const struct query_dag *d, int64_t run, bool only_failed)
{
	struct query_tis tis;
	if (query_ti_states(s, run, &tis, s->err, sizeof s->err) != Q_OK)
		return -1;
	const char **ids = malloc((tis.n + 1) * sizeof *ids);
	int *retries = malloc((tis.n + 1) * sizeof *retries);
	size_t n = 0;
	int rc = -1;
	if (!ids || !retries) {
		snprintf(s->err, sizeof s->err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < tis.n; i++) {
		const char *st = tis.v[i].state;
		if (only_failed && strcmp(st, "failed") != 0 && strcmp(st, "upstream_failed") != 0)
			continue;
		long k = query_task_index(d, tis.v[i].task_id);
		ids[n] = tis.v[i].task_id;
		retries[n++] = k >= 0 ? d->tasks[k].retries : 0;
	}
	rc = store_clear_tasks(s, run, ids, n, retries, "schedctl backfill");
out:
	free(ids);
	free(retries);
	query_tis_free(&tis);
	return rc;
}

/* Follows the runs of the backfill until none is queued or running; the
 * number of failed runs, or -1 after printing a read error. */
static int wait_backfill(struct store *s, int64_t backfill_id, size_t total)
{
	struct progress pr;
	progress_init(&pr, STDERR_FILENO, 5.0, true);
	char label[64], err[1024];
	snprintf(label, sizeof label, "backfill %lld", (long long)backfill_id);
	struct query_backfill_progress p;
	for (;;) {
		if (query_backfill_progress(s, backfill_id, &p, err, sizeof err) != Q_OK) {
			cli_err("backfill: %s", err);
			return -1;
		}
		int done = p.success + p.failed;
		char extra[80];
		snprintf(extra, sizeof extra, ", %d running, %d failed", p.running, p.failed);
		cli_progress_show(&pr, label, done, p.runs, "runs", extra, done == p.runs);
		if (done == p.runs)
			break;
		nanosleep(&(struct timespec){ 0, 250 * 1000 * 1000 }, NULL);
	}
	printf("backfill %lld finished: %zu runs, %d failed\n", (long long)backfill_id, total,
	       p.failed);
	return p.failed;
}

static int backfill_main(struct cli *cli, int argc, char **argv, struct opt_list *params);

/* The options' lists are freed here, whichever way backfill_main returns. */
int cmd_backfill(struct cli *cli, int argc, char **argv)
{
	struct opt_list params = { 0 };
	int ret = backfill_main(cli, argc, argv, &params);
	opt_list_free(&params);
	return ret;
}

static int backfill_main(struct cli *cli, int argc, char **argv, struct opt_list *params)
{
	const char *from = NULL, *to = NULL;
	bool reset = false, failed_only = false, reverse = false, dry = false, wait = false;
	bool json = false;
	long max_active = 16, cancel = 0;
	bool yes = false;
	const struct opt opts[] = {
		{ OPT_STRING, "from", &from, "D", "first day (YYYY-MM-DD or YYYYMMDD, DAG's zone)" },
		{ OPT_STRING, "to", &to, "D", "last day, inclusive" },
		{ OPT_FLAG, "reset", &reset, NULL, "also rerun runs that succeeded (all their tasks)" },
		{ OPT_FLAG, "failed-only", &failed_only, NULL, "only rerun failed runs; create none" },
		{ OPT_INT, "max-active", &max_active, "N", "at most N runs of this backfill at once (default 16)" },
		{ OPT_FLAG, "reverse", &reverse, NULL, "run the newest interval first" },
		{ OPT_FLAG, "dry-run", &dry, NULL, "print the plan, change nothing" },
		{ OPT_FLAG, "wait", &wait, NULL, "follow until every run finished; exit 1 if any failed" },
		{ OPT_FLAG, "json", &json, NULL, "print the plan as JSON" },
		{ OPT_LIST, "param", params, "K=V", "set param K of the runs it creates (must be declared in the DAG)" },
		{ OPT_INT, "cancel", &cancel, "N", "cancel backfill N: its queued runs are stopped (cmd_runops.c)" },
		{ OPT_FLAG, "yes", &yes, NULL, "with --cancel: do not ask" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl backfill DAG --from D --to D [--reset] [--failed-only]"
			   " [--max-active N] [--reverse] [--param K=V]... [--dry-run] [--wait] [--json]\n"
			   "       schedctl backfill DAG --cancel N [--yes]",
			   "Creates one run per schedule interval starting between --from and --to.",
			   pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (cancel && npos == 1)
		return backfill_cancel(cli, pos[0], cancel, yes);
	if (npos != 1 || !from || !to) {
		cli_err("backfill: usage: schedctl backfill DAG --from D --to D (%s missing)",
			npos != 1 ? "DAG" : !from ? "--from" : "--to");
		return SC_USAGE;
	}
	if (max_active < 1) {
		cli_err("backfill: --max-active must be at least 1");
		return SC_USAGE;
	}
	if (reset && failed_only) {
		cli_err("backfill: --reset and --failed-only contradict each other");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, !dry);
	if (!s)
		return SC_FAIL;
	struct query_dag d;
	char err[1024];
	struct step *steps = NULL;
	size_t nsteps = 0;
	int ret = SC_FAIL;
	char *conf = NULL;
	if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		return SC_FAIL;
	}
	struct cron c;
	char cerr[256];
	if (cron_parse(d.schedule, &c, cerr, sizeof cerr) < 0) {
		cli_err("backfill: DAG %s has schedule '%s': backfill needs a cron schedule (use"
			" schedctl trigger %s --date D)", d.dag_id, d.schedule, d.dag_id);
		goto out;
	}
	if (params->n && !(conf = params_conf_of_file("backfill", &d, params))) {
		ret = SC_USAGE;
		goto out;
	}
	time_t t_from, t_to;
	if (date_parse_in_zone("--from", from, d.timezone, &t_from, err, sizeof err) < 0 ||
	    date_parse_in_zone("--to", to, d.timezone, &t_to, err, sizeof err) < 0) {
		cli_err("backfill: %s", err);
		ret = SC_USAGE;
		goto out;
	}
	if (t_to < t_from) {
		cli_err("backfill: --to %s is before --from %s", to, from);
		ret = SC_USAGE;
		goto out;
	}
	time_t t_end = next_midnight(d.timezone, t_to);

	/* The plan. */
	for (time_t t = cron_next_after(&c, d.timezone, t_from - 1); t != (time_t)-1 && t < t_end;
	     t = cron_next_after(&c, d.timezone, t)) {
		if (nsteps == BACKFILL_MAX_INTERVALS) {
			cli_err("backfill: more than %d intervals in the range; split it",
				BACKFILL_MAX_INTERVALS);
			goto out;
		}
		if (nsteps % 256 == 0) {
			struct step *ns = realloc(steps, (nsteps + 256) * sizeof *steps);
			if (!ns) {
				cli_err("backfill: out of memory");
				goto out;
			}
			steps = ns;
		}
		struct step *p = &steps[nsteps++];
		memset(p, 0, sizeof *p);
		p->start = t;
		p->end = cron_next_after(&c, d.timezone, t);
		struct query_run run;
		int q = query_run_at(s, d.dag_id, t, &run, err, sizeof err);
		if (q == Q_ERROR) {
			cli_err("backfill: %s", err);
			goto out;
		}
		if (q == Q_OK) {
			p->run = run.id;
			snprintf(p->state, sizeof p->state, "%s", run.state);
		}
		if (!p->run)
			p->act = failed_only ? ACT_NONE : ACT_CREATE;
		else if (strcmp(p->state, "success") == 0)
			p->act = reset ? ACT_RESET : ACT_KEEP;
		else if (strcmp(p->state, "failed") == 0)
			p->act = ACT_RERUN_FAILED;
		else
			p->act = ACT_LEAVE_ACTIVE;
	}
	if (nsteps == 0) {
		cli_err("backfill: no interval of '%s' (%s) starts between %s and %s", d.schedule,
			d.timezone, from, to);
		goto out;
	}
	size_t count[ACT_NONE + 1] = { 0 };
	for (size_t i = 0; i < nsteps; i++)
		count[steps[i].act]++;

	if (json) {
		static const char *const act_json[] = { "create", "keep", "reset", "rerun_failed",
							"leave_active", "skip" };
		json_t *intervals = json_array();
		for (size_t i = 0; i < nsteps; i++) {
			json_t *o = json_object();
			jx_set(o, "logical_date", jv_date(steps[i].start, d.timezone));
			jx_set(o, "interval_end", jv_date(steps[i].end, d.timezone));
			jx_set(o, "existing_state", jv_str(steps[i].run ? steps[i].state : NULL));
			jx_set(o, "action", jv_str(act_json[steps[i].act]));
			json_array_append_new(intervals, o);
		}
		json_t *doc = json_object();
		jx_set(doc, "dag_id", jv_str(d.dag_id));
		jx_set(doc, "dry_run", json_boolean(dry));
		jx_set(doc, "max_active", json_integer(max_active));
		jx_set(doc, "reverse", json_boolean(reverse));
		jx_set(doc, "intervals", intervals);
		json_print(doc);
	} else if (dry || nsteps <= 50) {
		struct table t;
		table_init(&t, 3);
		const char *hdr[] = { "LOGICAL DATE", "EXISTING", "ACTION" };
		table_add(&t, hdr);
		for (size_t i = 0; i < nsteps; i++) {
			char ld[40];
			tz_format(d.timezone, steps[i].start, "%Y-%m-%d %H:%M", ld, sizeof ld);
			const char *row[] = { ld, steps[i].run ? steps[i].state : "-",
					      action_names[steps[i].act] };
			table_add(&t, row);
			if (steps[i].run)
				table_color_last(&t, 1, state_color(steps[i].state));
		}
		table_print(&t, stdout, cli->color);
		table_free(&t);
	}
	if (!json)
		printf("%s%zu intervals: %zu to create, %zu to reset, %zu failed to rerun, %zu kept,"
		       " %zu left alone (in progress), %zu without run skipped%s\n", dry ? "dry run: " : "",
		       nsteps, count[ACT_CREATE], count[ACT_RESET], count[ACT_RERUN_FAILED],
		       count[ACT_KEEP], count[ACT_LEAVE_ACTIVE], count[ACT_NONE],
		       dry ? "; nothing changed" : "");
	if (dry) {
		ret = SC_OK;
		goto out;
	}
	size_t work = count[ACT_CREATE] + count[ACT_RESET] + count[ACT_RERUN_FAILED];
	if (work == 0) {
		printf("nothing to do\n");
		ret = SC_OK;
		goto out;
	}

	int64_t bf = store_create_backfill(s, d.dag_id, t_from, t_to, (int)max_active, reverse,
					   "schedctl backfill");
	if (bf < 0) {
		cli_err("backfill: %s", s->err);
		goto out;
	}
	for (size_t i = 0; i < nsteps; i++) {
		struct step *p = &steps[i];
		int64_t key = reverse ? -(int64_t)p->start : (int64_t)p->start;
		char existing[160];
		if (p->act == ACT_CREATE) {
			int64_t id = store_create_run(s, d.dag_id, d.timezone, p->start, p->end,
						      "backfill", conf, bf, key, "schedctl backfill",
						      existing, sizeof existing);
			if (id == 0) {
				/* Created meanwhile (by the daemon's schedule): leave it. */
				fprintf(stderr, "schedctl: backfill: %s appeared meanwhile; left alone\n",
					tsafe(existing));
				continue;
			}
			if (id < 0) {
				cli_err("backfill: %s", s->err);
				goto out;
			}
		} else if (p->act == ACT_RESET || p->act == ACT_RERUN_FAILED) {
			if (clear_run(s, &d, p->run, p->act == ACT_RERUN_FAILED) < 0 ||
			    store_attach_run(s, p->run, bf, key) < 0) {
				cli_err("backfill: %s", s->err);
				goto out;
			}
		}
	}
	printf("backfill %lld of %s: %zu runs queued (at most %ld at once)%s\n", (long long)bf,
	       tsafe(d.dag_id), work, max_active, d.paused ? "; the DAG is paused: they start when unpaused" : "");
	ret = SC_OK;
	if (wait) {
		fflush(stdout);
		int failed = wait_backfill(s, bf, work);
		ret = failed == 0 ? SC_OK : SC_FAIL;	/* -1: a read error, printed */
	}
out:
	free(conf);
	free(steps);
	query_dag_free(&d);
	store_close(s);
	return ret;
}
