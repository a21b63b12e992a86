/* rollup_opts.c: rollup's subcommands and options (rollup_opts.h), as in
 * docs/jobs-rollup.md. */
#include "jobs/rollup/rollup_opts.h"

#include <string.h>

#include "lib/options.h"
#include "lib/suggest.h"

/* The tables' destinations: the raw strings, checked and converted by
 * rollup_opts_parse. One parse at a time (a process parses its argv once). */
static struct {
	const char *src, *dest, *store, *table, *date, *threads, *week, *month, *year, *max_reject;
	bool allow_incomplete, require_complete;
} in;

#define DEST_OPT(what) { OPT_STRING, "dest", &in.dest, "URI", what }
#define COMPLETE_OPT { OPT_FLAG, "require-complete", &in.require_complete, NULL, \
		       "fail (exit 1) when a day of the period is missing" }

static const struct opt status_day_table[] = {
	{ OPT_STRING, "src", &in.src, "URI", "the loaded status log (wrk_date=D partitions)" },
	DEST_OPT("where day/date=D/ is written"),
	{ OPT_STRING, "date", &in.date, "YYYYMMDD", "the day to aggregate" },
	{ OPT_STRING, "threads", &in.threads, "N", "reader threads, 1-64 (default: one per CPU)" },
	{ OPT_FLAG, "allow-incomplete", &in.allow_incomplete, NULL, "aggregate a partition without _SUCCESS" },
	{ OPT_STRING, "max-reject-ratio", &in.max_reject, "R",
	  "unparseable lines allowed, 0-1 (default 0.1); above it exit 3, nothing written" },
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt status_week_table[] = {
	DEST_OPT("the aggregates (day/ read, week/ written)"),
	{ OPT_STRING, "week", &in.week, "YYYY-Www", "the ISO week" }, COMPLETE_OPT,
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt status_month_table[] = {
	DEST_OPT("the aggregates (day/ read, month/ written)"),
	{ OPT_STRING, "month", &in.month, "YYYYMM", "the month" }, COMPLETE_OPT,
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt status_year_table[] = {
	DEST_OPT("the aggregates (day/ read, year/ written)"),
	{ OPT_STRING, "year", &in.year, "YYYY", "the year" }, COMPLETE_OPT,
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt drive_day_table[] = {
	{ OPT_STRING, "store", &in.store, "URI", "the row store (sqlite:PATH or hbase://HOST:PORT)" },
	{ OPT_STRING, "table", &in.table, "T", "the driver table (default DriverCarInfo)" },
	{ OPT_STRING, "date", &in.date, "YYYYMMDD", "the day to aggregate" },
	DEST_OPT("where drive/day/date=D/ is written"),
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt drive_week_table[] = {
	DEST_OPT("the aggregates (drive/day/ read, drive/week/ written)"),
	{ OPT_STRING, "week", &in.week, "YYYY-Www", "the ISO week" }, COMPLETE_OPT,
	{ OPT_END, NULL, NULL, NULL, NULL },
};
static const struct opt drive_month_table[] = {
	DEST_OPT("the aggregates (drive/day/ read, drive/month/ written)"),
	{ OPT_STRING, "month", &in.month, "YYYYMM", "the month" }, COMPLETE_OPT,
	{ OPT_END, NULL, NULL, NULL, NULL },
};

#define EPILOG "Exit: 0 done, 1 failed, 2 usage error. See docs/jobs-rollup.md."

static const struct opts_cmd rollup_cmds[] = {
	[ROLLUP_STATUS_DAY] = { "rollup status-day --src URI --dest URI --date YYYYMMDD [--threads N] [--allow-incomplete]\n"
				"                  [--max-reject-ratio R]",
				"Aggregates one day of the status log per car.", EPILOG, status_day_table, 0 },
	[ROLLUP_STATUS_WEEK] = { "rollup status-week --dest URI --week YYYY-Www [--require-complete]",
				 "Rebuilds a week from the days' exact sums.", EPILOG, status_week_table, 0 },
	[ROLLUP_STATUS_MONTH] = { "rollup status-month --dest URI --month YYYYMM [--require-complete]",
				  "Rebuilds a month from the days' exact sums.", EPILOG, status_month_table, 0 },
	[ROLLUP_STATUS_YEAR] = { "rollup status-year --dest URI --year YYYY [--require-complete]",
				 "Rebuilds a year from the days' exact sums.", EPILOG, status_year_table, 0 },
	[ROLLUP_DRIVE_DAY] = { "rollup drive-day --store URI [--table DriverCarInfo] --date YYYYMMDD --dest URI",
			       "Aggregates one day of driver records per car and area.", EPILOG, drive_day_table, 0 },
	[ROLLUP_DRIVE_WEEK] = { "rollup drive-week --dest URI --week YYYY-Www [--require-complete]",
				"Rebuilds a week of driving from the days' sums.", EPILOG, drive_week_table, 0 },
	[ROLLUP_DRIVE_MONTH] = { "rollup drive-month --dest URI --month YYYYMM [--require-complete]",
				 "Rebuilds a month of driving from the days' sums.", EPILOG, drive_month_table, 0 },
};
static const char *const rollup_names[] = { "status-day", "status-week", "status-month", "status-year",
					     "drive-day", "drive-week", "drive-month" };
#define NSUB (sizeof rollup_names / sizeof *rollup_names)

void rollup_opts_help(FILE *f, const char *name)
{
	for (size_t i = 0; name && i < NSUB; i++)
		if (strcmp(name, rollup_names[i]) == 0) {
			opts_help(&rollup_cmds[i], f);
			return;
		}
	fputs("usage:\n", f);
	for (size_t i = 0; i < NSUB; i++)
		fprintf(f, "  %s\n", rollup_cmds[i].usage);
	fputs("\n'rollup SUBCOMMAND --help' lists a subcommand's options.\n" EPILOG "\n", f);
}

int rollup_opts_parse(int argc, char **argv, struct rollup_opts *o, job_err *e)
{
	memset(&in, 0, sizeof in);
	memset(o, 0, sizeof *o);
	if (argc < 2) {
		job_err_set(e, "no subcommand (see --help)");
		return OPTS_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return OPTS_HELP;
	size_t sub = 0;
	while (sub < NSUB && strcmp(argv[1], rollup_names[sub]) != 0)
		sub++;
	if (sub == NSUB) {
		const char *near = suggest_nearest(argv[1], rollup_names, NSUB);
		if (near)
			job_err_set(e, "unknown subcommand '%s'; did you mean '%s'?", argv[1], near);
		else
			job_err_set(e, "unknown subcommand '%s' (see --help)", argv[1]);
		return OPTS_USAGE;
	}
	o->sub = (enum rollup_sub)sub;
	o->name = rollup_names[sub];
	size_t npos;
	int rc = opts_parse(&rollup_cmds[sub], argc - 1, argv + 1, NULL, &npos, e->msg, sizeof e->msg);
	if (rc != OPTS_OK)
		return rc;
	o->src = in.src;
	o->dest = in.dest;
	o->store = in.store;
	o->table = in.table ? in.table : "DriverCarInfo";
	o->allow_incomplete = in.allow_incomplete;
	o->require_complete = in.require_complete;
	const char *missing = NULL;
	switch (o->sub) {
	case ROLLUP_STATUS_DAY:
		missing = !o->src ? "--src" : !o->dest ? "--dest" : !in.date ? "--date" : NULL;
		break;
	case ROLLUP_DRIVE_DAY:
		missing = !o->store ? "--store" : !in.date ? "--date" : !o->dest ? "--dest" : NULL;
		break;
	case ROLLUP_STATUS_WEEK:
	case ROLLUP_DRIVE_WEEK:
		missing = !o->dest ? "--dest" : !in.week ? "--week" : NULL;
		break;
	case ROLLUP_STATUS_MONTH:
	case ROLLUP_DRIVE_MONTH:
		missing = !o->dest ? "--dest" : !in.month ? "--month" : NULL;
		break;
	case ROLLUP_STATUS_YEAR:
		missing = !o->dest ? "--dest" : !in.year ? "--year" : NULL;
		break;
	}
	if (missing) {
		job_err_set(e, "%s is required", missing);
		return OPTS_USAGE;
	}
	if (in.date && job_parse_date("--date", in.date, o->date, e) < 0)
		return OPTS_USAGE;
	if (in.threads && job_parse_int("--threads", in.threads, 1, 64, &o->threads, e) < 0)
		return OPTS_USAGE;
	o->max_reject = JOB_MAX_REJECT_RATIO;
	if (in.max_reject && job_parse_ratio("--max-reject-ratio", in.max_reject, &o->max_reject, e) < 0)
		return OPTS_USAGE;
	o->spec = in.week ? in.week : in.month ? in.month : in.year;
	if ((in.week && period_parse_week("--week", in.week, &o->p, e) < 0) ||
	    (in.month && period_parse_month("--month", in.month, &o->p, e) < 0) ||
	    (in.year && period_parse_year("--year", in.year, &o->p, e) < 0))
		return OPTS_USAGE;
	return OPTS_OK;
}
