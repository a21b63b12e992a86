/* cmd_logs.c: `schedctl logs DAG TASK [--date D] [--try N] [--follow]`: the
 * log file of one try (the latest by default). --follow keeps reading the
 * file as it grows until the try has ended (tries.ended_us set by the
 * daemon), like tail -f but ending by itself. */
#include "ui-cli/schedctl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool try_ended(struct store *s, int64_t run, const char *task, int try_number,
		      bool *succeeded)
{
	sqlite3_stmt *st = store_cached(s, "SELECT ended_us IS NOT NULL, state FROM tries"
					   " WHERE run=? AND task_id=? AND try_number=?");
	if (!st)
		return true;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, try_number);
	bool ended = true;
	if (sqlite3_step(st) == SQLITE_ROW) {
		ended = sqlite3_column_int(st, 0) != 0;
		const char *state = (const char *)sqlite3_column_text(st, 1);
		*succeeded = state && strcmp(state, "success") == 0;
	}
	sqlite3_reset(st);
	return ended;
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
	const char *date = NULL;
	long try_n = 0;
	bool follow = false;
	const struct opt opts[] = {
		{ OPT_STRING, "date", &date, "D", "the run of logical date D (default: the latest run)" },
		{ OPT_INT, "try", &try_n, "N", "try number N (default: the latest try)" },
		{ OPT_FLAG, "follow", &follow, NULL, "keep printing as the log grows until the try ends;"
						     " exit 1 if it did not succeed" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *pos[2];
	size_t npos;
	int rc = opt_parse(argc, argv, opts,
			   "schedctl logs DAG TASK [--date D] [--try N] [--follow]",
			   "Prints the log (stdout and stderr) of one try of a task.", pos, 2, &npos);
	if (rc)
		return rc < 0 ? SC_OK : rc;
	if (npos != 2) {
		cli_err("logs: usage: schedctl logs DAG TASK [--date D] [--try N] [--follow]");
		return SC_USAGE;
	}
	struct store *s = cli_open_store(cli, false);
	if (!s)
		return SC_FAIL;
	struct meta_dag d;
	struct run_row r;
	char err[1024];
	int ret = SC_FAIL;
	if (meta_load(s, pos[0], &d, err, sizeof err) < 0) {
		cli_err("%s", err);
		store_close(s);
		return SC_FAIL;
	}
	int f = run_find(s, &d, date, &r, err, sizeof err);
	if (f < 0) {
		cli_err("%s", err);
		ret = f == -2 ? SC_USAGE : SC_FAIL;
		goto out;
	}
	if (meta_task_index(&d, pos[1]) < 0) {
		meta_unknown_task(&d, pos[1], err, sizeof err);
		cli_err("%s", err);
		goto out;
	}
	sqlite3_stmt *st = store_prepare(s, "SELECT try_number, log_path FROM tries WHERE run=? AND"
					    " task_id=? AND (?3=0 OR try_number=?3)"
					    " ORDER BY try_number DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_text(st, 2, pos[1], -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)try_n);
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (try_n)
			cli_err("task %s of run %s has no try %ld", pos[1], r.run_id, try_n);
		else
			cli_err("task %s of run %s has not run yet", pos[1], r.run_id);
		goto out;
	}
	int tn = sqlite3_column_int(st, 0);
	const unsigned char *lp = sqlite3_column_text(st, 1);
	char *path = lp ? strdup((const char *)lp) : NULL;
	sqlite3_finalize(st);
	if (!path) {
		cli_err("try %d of task %s (run %s) has no log file recorded", tn, pos[1], r.run_id);
		goto out;
	}
	FILE *lf = fopen(path, "rb");
	if (!lf && !follow) {
		cli_err("%s: cannot open the log of try %d of %s: %m", path, tn, pos[1]);
		free(path);
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
			bool ended = try_ended(s, r.id, pos[1], tn, &ok);
			if (!lf)
				lf = fopen(path, "rb");
			if (lf)
				copy_from(lf, &offset);
			if (ended)
				break;
			nanosleep(&(struct timespec){ 0, 200 * 1000 * 1000 }, NULL);
		}
		ret = ok ? SC_OK : SC_FAIL;
	}
	if (lf)
		fclose(lf);
	free(path);
out:
	meta_free(&d);
	store_close(s);
	return ret;
}
