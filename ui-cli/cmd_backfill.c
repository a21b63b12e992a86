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

/* Task ids of the run to clear: all, or only failed/upstream_failed. */
static int clear_run(struct store *s, const struct meta_dag *d, int64_t run, bool only_failed)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT task_id FROM task_instances WHERE run=? AND"
					    " (?2=0 OR state IN ('failed','upstream_failed'))");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int(st, 2, only_failed);
	char **ids = NULL;
	int *retries = NULL;
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char **ni = realloc(ids, (n + 1) * sizeof *ni);
		int *nr = realloc(retries, (n + 1) * sizeof *nr);
		if (ni)
			ids = ni;
		if (nr)
			retries = nr;
		if (!ni || !nr)
			break;
		ids[n] = strdup((const char *)sqlite3_column_text(st, 0));
		long k = meta_task_index(d, ids[n]);
		retries[n] = k >= 0 ? d->tasks[k].retries : 0;
		n++;
	}
	sqlite3_finalize(st);
	int rc = store_clear_tasks(s, run, (const char *const *)ids, n, retries, "schedctl backfill");
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(retries);
	return rc;
}

/* Follows the runs of the backfill until none is queued or running. */
static int wait_backfill(struct store *s, int64_t backfill_id, size_t total)
{
	struct progress pr;
	progress_init(&pr);
	char label[64];
	snprintf(label, sizeof label, "backfill %lld", (long long)backfill_id);
	sqlite3_stmt *st = store_prepare(
		s, "SELECT count(*), sum(state='success'), sum(state='failed'), sum(state='running')"
		   " FROM runs WHERE backfill_id=?");
	if (!st)
		return -1;
	int failed = 0;
	for (;;) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, backfill_id);
		if (sqlite3_step(st) != SQLITE_ROW)
			break;
		int n = sqlite3_column_int(st, 0), ok = sqlite3_column_int(st, 1);
		int running = sqlite3_column_int(st, 3);
		failed = sqlite3_column_int(st, 2);
		int done = ok + failed;
		char extra[80];
		snprintf(extra, sizeof extra, ", %d running, %d failed", running, failed);
		progress_show(&pr, label, done, n, "runs", extra, done == n);
		if (done == n)
			break;
		nanosleep(&(struct timespec){ 0, 250 * 1000 * 1000 }, NULL);
	}
	sqlite3_finalize(st);
	printf("backfill %lld finished: %zu runs, %d failed\n", (long long)backfill_id, total, failed);
	return failed;
}

int cmd_backfill(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	bool reset = false, failed_only = false, reverse = false, dry = false, wait = false;
	bool json = false;
	long max_active = 16;
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
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl backfill DAG --from D --to D [--reset] [--failed-only]"
			   " [--max-active N] [--reverse] [--dry-run] [--wait] [--json]",
			   "Creates one run per schedule interval starting between --from and --to.",
			   pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
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
	struct meta_dag d;
	char err[1024];
	struct step *steps = NULL;
	size_t nsteps = 0;
	int ret = SC_FAIL;
	if (meta_load(s, pos[0], &d, err, sizeof err) < 0) {
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
	sqlite3_stmt *find = store_prepare(s, "SELECT id, state FROM runs WHERE dag_id=? AND"
					      " logical_date=?");
	for (time_t t = cron_next_after(&c, d.timezone, t_from - 1); t != (time_t)-1 && t < t_end;
	     t = cron_next_after(&c, d.timezone, t)) {
		if (nsteps == BACKFILL_MAX_INTERVALS) {
			cli_err("backfill: more than %d intervals in the range; split it",
				BACKFILL_MAX_INTERVALS);
			sqlite3_finalize(find);
			goto out;
		}
		if (nsteps % 256 == 0)
			steps = realloc(steps, (nsteps + 256) * sizeof *steps);
		struct step *p = &steps[nsteps++];
		memset(p, 0, sizeof *p);
		p->start = t;
		p->end = cron_next_after(&c, d.timezone, t);
		sqlite3_reset(find);
		sqlite3_bind_text(find, 1, d.dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(find, 2, t);
		if (find && sqlite3_step(find) == SQLITE_ROW) {
			p->run = sqlite3_column_int64(find, 0);
			snprintf(p->state, sizeof p->state, "%s", sqlite3_column_text(find, 1));
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
	sqlite3_finalize(find);
	if (nsteps == 0) {
		cli_err("backfill: no interval of '%s' (%s) starts between %s and %s", d.schedule,
			d.timezone, from, to);
		goto out;
	}
	size_t count[ACT_NONE + 1] = { 0 };
	for (size_t i = 0; i < nsteps; i++)
		count[steps[i].act]++;

	if (json) {
		printf("{\"dag_id\":");
		json_str(stdout, d.dag_id);
		printf(",\"dry_run\":%s,\"max_active\":%ld,\"reverse\":%s,\"intervals\":[",
		       dry ? "true" : "false", max_active, reverse ? "true" : "false");
		static const char *const act_json[] = { "create", "keep", "reset", "rerun_failed",
							"leave_active", "skip" };
		for (size_t i = 0; i < nsteps; i++) {
			bool f = true;
			fputs(i ? ",{" : "{", stdout);
			json_key(stdout, &f, "logical_date"); json_date(stdout, steps[i].start, d.timezone);
			json_key(stdout, &f, "interval_end"); json_date(stdout, steps[i].end, d.timezone);
			json_key(stdout, &f, "existing_state");
			json_str(stdout, steps[i].run ? steps[i].state : NULL);
			json_key(stdout, &f, "action"); json_str(stdout, act_json[steps[i].act]);
			fputs("}", stdout);
		}
		printf("]}\n");
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
						      "backfill", NULL, bf, key, "schedctl backfill",
						      existing, sizeof existing);
			if (id == 0) {
				/* Created meanwhile (by the daemon's schedule): leave it. */
				fprintf(stderr, "schedctl: backfill: %s appeared meanwhile; left alone\n",
					existing);
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
	       d.dag_id, work, max_active, d.paused ? "; the DAG is paused: they start when unpaused" : "");
	ret = SC_OK;
	if (wait) {
		fflush(stdout);
		int failed = wait_backfill(s, bf, work);
		ret = failed == 0 ? SC_OK : SC_FAIL;
	}
out:
	free(steps);
	meta_free(&d);
	store_close(s);
	return ret;
}
