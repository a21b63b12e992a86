/* spool_opts.c: spool-loader's options (spool_opts.h), as in docs/jobs-batch.md. */
#include "jobs/spool-loader/spool_opts.h"

#include <string.h>

#include "lib/options.h"

/* The table's destinations: the raw strings, checked and converted by
 * spool_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *spool, *dest, *wrk_date, *pattern, *roll_size, *done, *max_reject, *settle;
	bool replace;
} in;

static const struct opt spool_table[] = {
	{ OPT_STRING, "spool", &in.spool, "DIR", "the spool directory (hidden, _*, *.tmp and *.COMPLETED files ignored)" },
	{ OPT_STRING, "dest", &in.dest, "URI", "a path, file:///path, webhdfs://HOST:PORT/path?user=NAME or swebhdfs://..." },
	{ OPT_STRING, "wrk-date", &in.wrk_date, "D", "the processing day (the partition), YYYYMMDD" },
	{ OPT_STRING, "pattern", &in.pattern, "REGEX", "POSIX extended regex a kept line matches (default ^[0-9]{14})" },
	{ OPT_STRING, "roll-size", &in.roll_size, "SIZE", "roll part files at this size (default 64M)" },
	{ OPT_STRING, "done", &in.done, "delete|rename",
	  "what happens to a loaded source (default delete; rename: NAME.COMPLETED)" },
	{ OPT_STRING, "max-reject-ratio", &in.max_reject, "R",
	  "fail with exit 3, storing nothing, above this rejected/read ratio (default 0.1)" },
	{ OPT_FLAG, "replace", &in.replace, NULL, "rebuild the partition from the spool's files and swap it in" },
	{ OPT_STRING, "settle", &in.settle, "S", "ignore files modified less than S seconds ago (default 1)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd spool_cmd = {
	.usage = "spool-loader --spool DIR --dest URI --wrk-date YYYYMMDD [--pattern REGEX] [--roll-size 64M]\n"
		 "                    [--done delete|rename] [--max-reject-ratio R] [--replace] [--settle SECONDS]",
	.description = "Loads the complete files of DIR into <dest>/wrk_date=<D>/car-batch-log.<n>.log, keeping lines\n"
		       "that match ^\\d{14} (or REGEX) with \",<D>\" appended, exactly once.",
	.epilog = "Exit: 0 done, 1 failed (retry), 2 usage error, 3 too many rejected lines.",
	.opts = spool_table,
};

void spool_opts_help(FILE *f)
{
	opts_help(&spool_cmd, f);
}

int spool_opts_parse(int argc, char **argv, struct spool_cfg *c, job_err *e)
{
	memset(&in, 0, sizeof in);
	*c = (struct spool_cfg){ .roll_size = 64ull << 20, .max_reject = JOB_MAX_REJECT_RATIO, .settle_s = 1 };
	size_t npos;
	int rc = opts_parse(&spool_cmd, argc, argv, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		return rc;
	if (in.wrk_date && job_parse_date("--wrk-date", in.wrk_date, c->wrk_date, e) < 0)
		return OPTS_USAGE;
	if (in.roll_size) {
		if (job_parse_size("--roll-size", in.roll_size, &c->roll_size, e) < 0)
			return OPTS_USAGE;
		if (c->roll_size < 1024) {
			job_err_set(e, "--roll-size: %s is too small (at least 1K)", in.roll_size);
			return OPTS_USAGE;
		}
	}
	if (in.done) {
		if (strcmp(in.done, "delete") == 0)
			c->done_rename = 0;
		else if (strcmp(in.done, "rename") == 0)
			c->done_rename = 1;
		else {
			job_err_set(e, "--done: '%s' is not delete or rename", in.done);
			return OPTS_USAGE;
		}
	}
	if ((in.max_reject && job_parse_ratio("--max-reject-ratio", in.max_reject, &c->max_reject, e) < 0) ||
	    (in.settle && job_parse_double("--settle", in.settle, 0, 86400, &c->settle_s, e) < 0))
		return OPTS_USAGE;
	c->spool = in.spool;
	c->dest = in.dest;
	c->pattern = in.pattern;
	c->replace = in.replace;
	if (!c->spool || !c->dest || !in.wrk_date) {
		job_err_set(e, "--spool, --dest and --wrk-date are required (see --help)");
		return OPTS_USAGE;
	}
	return OPTS_OK;
}
