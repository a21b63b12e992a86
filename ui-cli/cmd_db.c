/* cmd_db.c: `schedctl db clean --before DATE [--dag D] [--dry-run] [--yes]
 * [--json]`: history retention. What would go is counted and printed first
 * (store_clean_count); --dry-run stops there; a person at a terminal is
 * asked, like clear; then store_clean removes it in short batches while the
 * daemon keeps scheduling, with progress on stderr (a bar on a terminal,
 * lines otherwise), and the counts of what was removed are printed. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/store_clean.h"

static void print_counts(const char *verb, const struct store_clean_counts *c)
{
	printf("%s %lld runs, %lld task instances, %lld tries, %lld events, %lld DAG versions, %lld log files\n",
	       verb, (long long)c->runs, (long long)c->task_instances, (long long)c->tries,
	       (long long)c->events, (long long)c->versions, (long long)c->log_files);
}

static void json_counts(bool dry, const char *before, const char *dag, const struct store_clean_counts *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "dry_run", json_boolean(dry));
	json_object_set_new(o, "before", json_string(before));
	json_object_set_new(o, "dag", jv_str(dag));
	json_object_set_new(o, "runs", json_integer(c->runs));
	json_object_set_new(o, "task_instances", json_integer(c->task_instances));
	json_object_set_new(o, "tries", json_integer(c->tries));
	json_object_set_new(o, "events", json_integer(c->events));
	json_object_set_new(o, "versions", json_integer(c->versions));
	json_object_set_new(o, "log_files", json_integer(c->log_files));
	if (!dry) {
		json_object_set_new(o, "log_errors", json_integer(c->log_errors));
		json_object_set_new(o, "batches", json_integer(c->batches));
		json_object_set_new(o, "longest_lock_ms", json_real((double)c->longest_lock_us / 1000.0));
	}
	json_object_set_new(o, "elapsed_ms", json_real((double)c->elapsed_us / 1000.0));
	json_print(o);
}

struct db_progress {
	struct progress p;
};

static void on_batch(void *arg, const struct store_clean_counts *c, int64_t total)
{
	struct db_progress *dp = arg;
	cli_progress_show(&dp->p, "db clean", (int)c->runs, (int)total, "runs", "", c->runs >= total);
}

static int db_clean(struct cli *cli, int argc, char **argv)
{
	const char *before = NULL, *dag = NULL;
	bool dry = false, yes = false, json = false;
	const struct opt opts[] = {
		{ OPT_STRING, "before", &before, "DATE", "runs that ended before midnight UTC of DATE (required)" },
		{ OPT_STRING, "dag", &dag, "D", "only runs of DAG D" },
		{ OPT_FLAG, "dry-run", &dry, NULL, "count what would be removed, change nothing" },
		{ OPT_FLAG, "yes", &yes, NULL, "do not ask (needed when stdin is not a terminal)" },
		{ OPT_FLAG, "json", &json, NULL, "print the counts as JSON" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[1];
	size_t npos;
	static const char usage[] = "schedctl db clean --before DATE [--dag D] [--dry-run] [--yes] [--json]";
	int rc = opt_parse(argc, argv, opts, usage,
			   "Deletes finished runs (success, failed) that ended before DATE, with their task"
			   " instances, tries, events and log files, and the DAG versions no run or DAG uses"
			   " any more. Never an active run. Works in short batches while the daemon runs.",
			   pos, 1, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 0 || !before) {
		cli_err("db clean: usage: %s (%s)", usage, npos ? "unexpected argument" : "--before missing");
		return SC_USAGE;
	}
	char err[1024];
	time_t t;
	if (date_parse_in_zone("--before", before, "UTC", &t, err, sizeof err) < 0) {
		cli_err("db clean: %s", err);
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, !dry);
	if (!s)
		return SC_FAIL;
	if (dag) {
		struct query_dag d;
		if (meta_load(s, dag, &d, err, sizeof err) != Q_OK) {
			cli_err("db clean: --dag: %s", err);
			store_close(s);
			return SC_FAIL;
		}
		query_dag_free(&d);
	}
	struct db_progress dp;
	progress_init(&dp.p, STDERR_FILENO, 5.0, false);
	struct store_clean_opts o = { .before_us = (int64_t)t * 1000000, .dag_id = dag, .actor = cli_actor(),
				      .cause = "schedctl db clean", .progress = on_batch, .progress_arg = &dp };
	struct store_clean_counts c;
	int ret = SC_FAIL;
	if (store_clean_count(s, &o, &c) < 0) {
		cli_err("db clean: %s", s->err);
		goto out;
	}
	if (dry || (c.runs == 0 && c.versions == 0)) {
		if (json)
			json_counts(true, before, dag, &c);
		else
			print_counts(dry ? "would remove" : "nothing to remove:", &c);
		ret = SC_OK;
		goto out;
	}
	if (!json)
		print_counts("to remove:", &c);
	fflush(stdout);
	if (!yes) {
		if (!cli->tty_in) {
			cli_err("db clean: stdin is not a terminal, so nothing was removed; add --yes to"
				" remove without asking");
			ret = SC_USAGE;
			goto out;
		}
		if (!cli_confirm("Delete this history for good?")) {
			printf("nothing removed\n");
			goto out;
		}
	}
	int64_t total = c.runs;
	int crc = store_clean(s, &o, &c);
	if (c.runs < total && progress_take_bar(&dp.p))	/* fewer than counted (cleared meanwhile) */
		cli_progress_show(&dp.p, "db clean", (int)c.runs, (int)total, "runs", "", true);
	if (crc < 0) {
		cli_err("db clean: %s (what was removed before the failure stays removed: %lld runs)", s->err,
			(long long)c.runs);
		goto out;
	}
	if (json) {
		json_counts(false, before, dag, &c);
	} else {
		print_counts("removed", &c);
		if (c.log_errors)
			printf("%lld log files could not be removed (permissions?)\n", (long long)c.log_errors);
	}
	ret = c.log_errors ? SC_FAIL : SC_OK;
out:
	store_close(s);
	return ret;
}

int cmd_db(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "clean") == 0)
		return db_clean(cli, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: schedctl db clean --before DATE [--dag D] [--dry-run] [--yes] [--json]\n"
		       "  clean  delete the history of runs that ended before DATE\n");
		return SC_OK;
	}
	cli_err("db: usage: schedctl db clean --before DATE [--dag D] [--dry-run] [--yes] (%s)",
		argc >= 2 ? "unknown subcommand" : "subcommand missing");
	return SC_USAGE;
}
