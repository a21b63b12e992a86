/* cmd_trigger.c: `schedctl trigger DAG [--date D] [--run-id ID] [--param K=V]...
 * [--allow-future] [--wait]`: one manual run, queued for the daemon, and with
 * --wait followed to its end.
 * The logical date (now without --date) is exactly what --date gives with a
 * time of day ("2026-11-29T01:30", in the DAG's zone, or with an offset); for
 * a day alone it is that day's first cron fire time in the DAG's zone (01:30
 * for "30 1 * * *", midnight for @daily or an hourly cron, and midnight for a
 * DAG without a cron schedule), so a date names the run the schedule would
 * have made. A logical date after now is refused without --allow-future (as
 * Airflow does). --run-id names the run (default "manual__<ISO date>"): one
 * path component (lib/path.h), unique in the DAG. The interval ends at the next cron fire time (or at the logical date itself
 * for a DAG without a cron schedule). Params are checked against the DAG
 * file's declared params, so a typo fails here rather than as a surprise
 * value in a command. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/path.h"
#include "scheduler/cron.h"
#include "lib/json.h"
#include "scheduler/dag.h"
#include "scheduler/tz.h"
#include "scheduler/wake.h"

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Follows run id until it ends; SC_OK if it succeeded, SC_FAIL if not. Its
 * state is read every 1/200 of the time waited so far (2 to 100 ms: the end
 * is seen within half a percent of the run's length, and a long wait costs
 * ten small reads a second); the tasks are counted for the progress at most
 * once a second. */
static int wait_run(struct store *s, int64_t id, const char *label, size_t ntasks)
{
	struct progress pr;
	progress_init(&pr, STDERR_FILENO, 5.0, true);
	double t0 = mono_s(), counted = 0;
	char err[1024];
	int done = 0;
	struct query_run r;
	for (;;) {
		if (query_run_by_id(s, id, &r, err, sizeof err) != Q_OK) {
			cli_err("trigger: %s", err);
			return SC_FAIL;
		}
		bool end = strcmp(r.state, "success") == 0 || strcmp(r.state, "failed") == 0;
		double now = mono_s();
		if (end || now - counted >= 1) {
			if (query_run_finished_tasks(s, id, &done, err, sizeof err) != Q_OK) {
				cli_err("trigger: %s", err);
				return SC_FAIL;
			}
			counted = now;
			char extra[64];
			snprintf(extra, sizeof extra, ", run %s", r.state);
			cli_progress_show(&pr, label, done, (int)ntasks, "tasks", extra, end);
		}
		if (end)
			break;
		double step = (now - t0) / 200;
		step = step < 0.002 ? 0.002 : step > 0.1 ? 0.1 : step;
		nanosleep(&(struct timespec){ 0, (long)(step * 1e9) }, NULL);
	}
	printf("%s finished: %s in %.1f s\n", tsafe(label), tsafe(r.state), mono_s() - t0);
	return strcmp(r.state, "success") == 0 ? SC_OK : SC_FAIL;
}

int cmd_trigger(struct cli *cli, int argc, char **argv)
{
	const char *date = NULL, *run_id_as = NULL;
	struct opt_list params = { 0 };
	bool wait = false, allow_future = false;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "logical date YYYY-MM-DD, YYYYMMDD or YYYY-MM-DDTHH:MM[:SS]"
						  "[+HH:MM] (default: now; a day alone: its first cron time)" },
		{ OPT_STRING, "run-id", &run_id_as, "ID", "the run's id (default manual__<logical date>);"
							  " unique in the DAG" },
		{ OPT_FLAG, "allow-future", &allow_future, NULL, "accept a logical date after now" },
		{ OPT_LIST, "param", &params, "K=V", "set param K of the run (must be declared in the DAG)" },
		{ OPT_FLAG, "wait", &wait, NULL, "follow the run until it ends; exit 1 if it failed" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	int rc = opt_parse(argc, argv, opts, "schedctl trigger DAG [--date D] [--run-id ID] [--param K=V]..."
			   " [--allow-future] [--wait]",
			   "Creates a manual run of DAG for logical date D; the daemon starts it.",
			   pos, 1, &npos);
	if (rc) {
		opt_list_free(&params);
		return rc < 0 ? SC_OK : rc;
	}
	if (npos != 1) {
		cli_err("trigger: which DAG? usage: schedctl trigger DAG [--date D] [--param K=V]");
		opt_list_free(&params);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, true);
	if (!s) {
		opt_list_free(&params);
		return SC_FAIL;
	}
	struct query_dag d;
	char err[1024];
	char *conf = NULL;
	int ret = SC_FAIL;
	if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		opt_list_free(&params);
		return SC_FAIL;
	}
	if (strcmp(d.schedule, "stream") == 0) {
		cli_err("trigger: %s is a stream DAG: it has no runs; its tasks run while it is"
			" unpaused (schedctl unpause %s)", d.dag_id, d.dag_id);
		goto out;
	}
	const char *why;
	if (run_id_as && (why = path_name_problem(run_id_as))) {
		cli_err("trigger: --run-id '%s' %s (a run id is one path component of at most %d"
			" bytes)", run_id_as, why, PATH_NAME_MAX);
		ret = SC_USAGE;
		goto out;
	}
	/* The prefixes of the ids the daemon and schedctl make themselves: a
	 * chosen id taking one could block the scheduled run of some date. */
	static const char *const reserved[] = { "scheduled__", "manual__", "backfill__", "test__" };
	for (size_t i = 0; run_id_as && i < sizeof reserved / sizeof *reserved; i++) {
		if (strncmp(run_id_as, reserved[i], strlen(reserved[i])) == 0) {
			cli_err("trigger: --run-id '%s' starts with '%s', kept for the run ids the"
				" scheduler makes", run_id_as, reserved[i]);
			ret = SC_USAGE;
			goto out;
		}
	}
	time_t logical = time(NULL), now = logical;
	struct cron c;
	char cerr[256];
	bool cron = cron_parse(d.schedule, &c, cerr, sizeof cerr) == 0;
	if (date && logical_of_date(date, d.timezone, cron ? &c : NULL, &logical, err,
				    sizeof err) < 0) {
		cli_err("trigger: %s", err);
		ret = SC_USAGE;
		goto out;
	}
	if (logical > now && !allow_future) {
		char when[64];
		tz_format_iso(d.timezone, logical, when, sizeof when);
		cli_err("trigger: logical date %s is in the future; --allow-future to create it"
			" anyway", when);
		ret = SC_USAGE;
		goto out;
	}
	time_t end = logical;
	if (cron) {
		end = cron_next_after(&c, d.timezone, logical);
		if (end == (time_t)-1)
			end = logical;
	}
	if (params.n && !(conf = params_conf_of_file("trigger", &d, &params))) {
		ret = SC_USAGE;
		goto out;
	}
	char existing[PATH_NAME_MAX + 1];
	int64_t id = store_create_run_as(s, d.dag_id, run_id_as, d.timezone, logical, end, "manual",
					 conf, 0, logical, "schedctl trigger", existing,
					 sizeof existing);
	char ld[64];
	tz_format_iso(d.timezone, logical, ld, sizeof ld);
	if (id == -2) {
		cli_err("trigger: DAG %s already has a run with id '%s' (run ids are unique per DAG)",
			d.dag_id, run_id_as);
	} else if (id < 0) {
		cli_err("trigger: %s", s->err);
	} else if (id == 0) {
		cli_err("trigger: DAG %s already has a run for logical date %s: %s (use"
			" `schedctl clear %s --date ...` to run it again)", d.dag_id, ld, existing,
			d.dag_id);
	} else {
		char run_id[PATH_NAME_MAX + 1];
		if (run_id_as)
			snprintf(run_id, sizeof run_id, "%s", run_id_as);
		else
			store_format_run_id("manual", d.timezone, logical, run_id, sizeof run_id);
		printf("created run %s of %s (logical date %s), queued%s\n", tsafe(run_id), tsafe(d.dag_id), ld,
		       d.paused ? "; the DAG is paused: it starts when unpaused" : "");
		ret = SC_OK;
		if (wait) {
			fflush(stdout);
			/* Committed: the daemon may start it now (rung here, not
			 * again when schedctl exits). */
			cli->wrote = false;
			if (wake_daemon(cli->state_path) == 0)
				fprintf(stderr, "schedctl: trigger: no schedulerd is running on %s (nothing listens on"
						" %s.wake); waiting for one to start\n", tsafe(cli->state_path), tsafe(cli->state_path));
			char label[2 * PATH_NAME_MAX + 16];
			snprintf(label, sizeof label, "run %s of %s", run_id, d.dag_id);
			ret = wait_run(s, id, label, d.ntasks);
		}
	}
out:
	free(conf);
	query_dag_free(&d);
	store_close(s);
	opt_list_free(&params);
	return ret;
}
