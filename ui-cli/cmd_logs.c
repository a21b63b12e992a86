/* cmd_logs.c: `schedctl logs DAG TASK [--date D] [--try N] [--follow]`: the
 * log file of one try (the latest by default). TASK may name a mapped task's
 * instance, load_part[3] (scheduler/mapindex.h); the mapped task itself has
 * no tries, so naming it says which instances there are. --follow keeps reading the
 * file as it grows until the try has ended (tries.ended_us set by the
 * daemon), like tail -f but ending by itself. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler/mapindex.h"

/* Whether try try_number has ended (and *succeeded), or -1 on a read error
 * (printed). */
static int try_ended(struct store *s, int64_t run, const char *task, int try_number,
		     bool *succeeded)
{
	struct query_try t;
	char err[1024];
	int rc = query_try(s, run, task, try_number, &t, err, sizeof err);
	if (rc == Q_ERROR) {
		cli_err("logs: %s", err);
		return -1;
	}
	if (rc == Q_NOTFOUND)
		return 1;	/* cleared meanwhile: nothing more will come */
	*succeeded = strcmp(t.state, "success") == 0;
	int ended = t.ended;
	query_try_free(&t);
	return ended;
}

/* How many mapped instances task has in run (0 if it is not mapped, or on
 * an error: the caller's own message stands then). */
static int mapped_instances(struct store *s, int64_t run, const char *task)
{
	struct query_tis tis;
	char err[1024];
	if (query_ti_states(s, run, &tis, err, sizeof err) != Q_OK)
		return 0;
	int n = 0;
	size_t len = strlen(task);
	for (size_t i = 0; i < tis.n; i++)
		if (tis.v[i].map_index >= 0 && strncmp(tis.v[i].task_id, task, len) == 0 &&
		    tis.v[i].task_id[len] == '[')
			n++;
	query_tis_free(&tis);
	return n;
}

static size_t copy_from(FILE *f, long *offset)
{
	char buf[65536];
	size_t total = 0, n;
	fseek(f, *offset, SEEK_SET);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		fwrite(buf, 1, n, stdout);
		total += n;
	}
	*offset += (long)total;
	clearerr(f);
	fflush(stdout);
	return total;
}

int cmd_logs(struct cli *cli, int argc, char **argv)
{
	const char *date = NULL, *run_id = NULL;
	long try_n = 0;
	bool follow = false;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "the run of logical date D (a day, or YYYY-MM-DDTHH:MM; default: the latest run)" },
		{ OPT_STRING, "run-id", &run_id, "ID", "the run of that run id (as `runs` prints it)" },
		{ OPT_INT, "try", &try_n, "N", "try number N (default: the latest try)" },
		{ OPT_FLAG, "follow", &follow, NULL, "keep printing as the log grows until the try ends;"
						     " exit 1 if it did not succeed" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[2];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl logs DAG TASK [--run-id ID | --date D] [--try N] [--follow]",
			   "Prints the log (stdout and stderr) of one try of a task.", pos, 2, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 2) {
		cli_err("logs: usage: schedctl logs DAG TASK [--run-id ID | --date D] [--try N] [--follow]");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct query_dag d;
	struct query_run r;
	struct query_try tr = { 0 };
	char err[1024];
	int ret = SC_FAIL;
	if (meta_load(s, pos[0], &d, err, sizeof err) != Q_OK) {
		cli_err("%s", err);
		store_close(s);
		return SC_FAIL;
	}
	int f = run_find(s, &d, run_id, date, &r, err, sizeof err);
	if (f != SC_OK) {
		cli_err("logs: %s", err);
		ret = f;
		goto out;
	}
	/* The run's own version: a task renamed since still has its logs. */
	if (meta_pin_run(s, &d, &r, err, sizeof err) == Q_ERROR) {
		cli_err("%s", err);
		goto out;
	}
	if (query_ti_task_index(&d, pos[1]) < 0) {
		meta_unknown_task(&d, pos[1], err, sizeof err);
		cli_err("%s", err);
		goto out;
	}
	int q = query_try(s, r.id, pos[1], (int)try_n, &tr, err, sizeof err);
	if (q == Q_NOTFOUND && !map_name_parse(pos[1], NULL, NULL)) {
		int n = mapped_instances(s, r.id, pos[1]);
		if (n > 0) {
			cli_err("logs: %s is a mapped task of %d instance%s in run %s: name one, %s[0] .. %s[%d]",
				pos[1], n, n == 1 ? "" : "s", r.run_id, pos[1], pos[1], n - 1);
			goto out;
		}
	}
	if (q != Q_OK) {
		cli_err("logs: %s%s%s", err, q == Q_NOTFOUND ? " in run " : "",
			q == Q_NOTFOUND ? r.run_id : "");
		goto out;
	}
	int tn = tr.try_number;
	char *path = tr.log_path;
	if (!path) {
		cli_err("try %d of task %s (run %s) has no log file recorded", tn, pos[1], r.run_id);
		goto out;
	}
	FILE *lf = fopen(path, "rb");
	if (!lf && !follow) {
		cli_err("%s: cannot open the log of try %d of %s: %m", path, tn, pos[1]);
		goto out;
	}
	long offset = 0;
	bool ok = false;
	ret = SC_OK;
	if (lf)
		copy_from(lf, &offset);
	if (follow) {
		/* Read, then check whether the try ended, then read once more: a
		 * try that ends between the two still has its last bytes printed. */
		for (;;) {
			int ended = try_ended(s, r.id, pos[1], tn, &ok);
			if (!lf)
				lf = fopen(path, "rb");
			if (lf)
				copy_from(lf, &offset);
			if (ended < 0)
				ok = false;
			if (ended)
				break;
			nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
		}
		ret = ok ? SC_OK : SC_FAIL;
	}
	if (lf)
		fclose(lf);
out:
	query_try_free(&tr);
	query_dag_free(&d);
	store_close(s);
	return ret;
}
