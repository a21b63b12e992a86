/* loggen_opts.c: loggen's options (loggen_opts.h), as in docs/jobs-loggen.md. */
#include "jobs/loggen/loggen_opts.h"

#include <string.h>

#include "lib/options.h"
#include "lib/suggest.h"

/* The table's destinations: the raw strings, checked and converted by
 * loggen_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *date, *cars, *seed, *out, *threads, *garbage, *speedup;
	bool realtime;
} in;

static const struct opt loggen_table[] = {
	{ OPT_STRING, "date", &in.date, "D", "the simulated day, YYYYMMDD" },
	{ OPT_STRING, "cars", &in.cars, "N", "number of cars, 1-9999" },
	{ OPT_STRING, "seed", &in.seed, "S", "random seed (default 1)" },
	{ OPT_STRING, "out", &in.out, "PATH", "directory (status) or file (driver)" },
	{ OPT_STRING, "threads", &in.threads, "T", "status: worker threads (default: online cores)" },
	{ OPT_STRING, "garbage-ratio", &in.garbage, "R", "add malformed lines at this ratio per record (0-1, default 0)" },
	{ OPT_FLAG, "realtime", &in.realtime, NULL, "driver: append records paced like the cars (until SIGTERM or day end)" },
	{ OPT_STRING, "speedup", &in.speedup, "X", "driver --realtime: simulated seconds per wall second (default 20)" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};

static const struct opts_cmd loggen_cmd = {
	.usage = "loggen status --date YYYYMMDD --cars N [--seed S] --out DIR [--threads T] [--garbage-ratio R]\n"
		 "       loggen driver --date YYYYMMDD --cars N [--seed S] --out FILE [--realtime [--speedup X]]\n"
		 "                     [--garbage-ratio R]",
	.description = "Generates the smart car status log (DIR/SmartCarStatusInfo_YYYYMMDD.txt, 13 fields) or the\n"
		       "driver log (FILE, 8 fields). Same date, cars and seed give the same bytes.",
	.epilog = "Exit: 0 done, 1 failed, 2 usage error.",
	.opts = loggen_table,
};

void loggen_opts_help(FILE *f)
{
	opts_help(&loggen_cmd, f);
}

int loggen_opts_parse(int argc, char **argv, int threads, struct loggen_opts *o, job_err *e)
{
	memset(&in, 0, sizeof in);
	*o = (struct loggen_opts){ .seed = 1, .speedup = 20, .threads = threads };
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return OPTS_HELP;
	if (argc < 2 || (strcmp(argv[1], "status") != 0 && strcmp(argv[1], "driver") != 0)) {
		static const char *const modes[] = { "status", "driver" };
		const char *near = argc >= 2 ? suggest_nearest(argv[1], modes, 2) : NULL;
		job_err_set(e, "the first argument must be 'status' or 'driver', not '%s'%s%s%s",
			    argc >= 2 ? argv[1] : "", near ? "; did you mean '" : " (see --help)", near ? near : "",
			    near ? "'?" : "");
		return OPTS_USAGE;
	}
	o->mode = argv[1];
	size_t npos;
	int rc = opts_parse(&loggen_cmd, argc - 1, argv + 1, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		return rc;
	long long v;
	if (in.date && job_parse_date("--date", in.date, o->date, e) < 0)
		return OPTS_USAGE;
	if (in.cars) {
		if (job_parse_int("--cars", in.cars, 1, 9999, &v, e) < 0)
			return OPTS_USAGE;
		o->cars = (int)v;
	}
	if (in.seed) {
		if (job_parse_int("--seed", in.seed, 0, INT64_MAX, &v, e) < 0)
			return OPTS_USAGE;
		o->seed = (uint64_t)v;
	}
	if (in.threads) {
		if (job_parse_int("--threads", in.threads, 1, 64, &v, e) < 0)
			return OPTS_USAGE;
		o->threads = (int)v;
	}
	if ((in.garbage && job_parse_ratio("--garbage-ratio", in.garbage, &o->garbage, e) < 0) ||
	    (in.speedup && job_parse_double("--speedup", in.speedup, 0.001, 1e6, &o->speedup, e) < 0))
		return OPTS_USAGE;
	o->out = in.out;
	o->realtime = in.realtime;
	if (!in.date || !in.cars || !o->out) {
		job_err_set(e, "--date, --cars and --out are required");
		return OPTS_USAGE;
	}
	if (strcmp(o->mode, "status") == 0 && o->realtime) {
		job_err_set(e, "--realtime is only for 'loggen driver'");
		return OPTS_USAGE;
	}
	return OPTS_OK;
}
