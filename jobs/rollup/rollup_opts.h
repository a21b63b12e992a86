/* rollup_opts.h: rollup's command line, `rollup SUBCOMMAND [options]`: one
 * option table per subcommand (lib/options.h) and the checks of the values
 * (dates, periods), outside main so the fuzz harness drives the real tables
 * (tests/fuzz/fuzz_options.c). */
#ifndef ROLLUP_OPTS_H
#define ROLLUP_OPTS_H

#include <stdio.h>

#include "jobs/common/job.h"
#include "jobs/rollup/period.h"

enum rollup_sub {
	ROLLUP_STATUS_DAY,
	ROLLUP_STATUS_WEEK,
	ROLLUP_STATUS_MONTH,
	ROLLUP_STATUS_YEAR,
	ROLLUP_DRIVE_DAY,
	ROLLUP_DRIVE_WEEK,
	ROLLUP_DRIVE_MONTH,
};

struct rollup_opts {
	enum rollup_sub sub;
	const char *name;	/* "status-day", ... */
	const char *src, *dest, *store, *table;
	char date[9];		/* the -day subcommands */
	long long threads;	/* status-day --threads; 0 = one per CPU */
	double max_reject;	/* status-day --max-reject-ratio */
	int allow_incomplete, require_complete;
	const char *spec;	/* --week, --month or --year as given */
	period p;		/* and parsed */
};

/* argv[1] is the subcommand. OPTS_OK, OPTS_HELP (print rollup_opts_help on
 * stdout, exit 0) or OPTS_USAGE with e naming the subcommand or option;
 * o->name is set as soon as the subcommand is known (NULL before). */
int rollup_opts_parse(int argc, char **argv, struct rollup_opts *o, job_err *e);
/* The help of subcommand name, or the list of subcommands when name is NULL. */
void rollup_opts_help(FILE *f, const char *name);

#endif
