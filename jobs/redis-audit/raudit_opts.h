/* raudit_opts.h: redis-audit's command line: its one option table
 * (lib/options.h) and the checks of the values, outside main so the fuzz
 * harness drives the real table (tests/fuzz/fuzz_options.c). */
#ifndef RAUDIT_OPTS_H
#define RAUDIT_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "jobs/common/job.h"

struct raudit_opts {
	const char *redis_uri, *match;
	long long count, ttl, retention, top;
	int64_t today;	/* days since 1970-01-01 */
	int fix, dry_run, strict;
};

/* OPTS_OK, OPTS_HELP (print raudit_opts_help on stdout, exit 0) or OPTS_USAGE
 * with e naming the option. today: the default of --today (days). */
int raudit_opts_parse(int argc, char **argv, int64_t today, struct raudit_opts *o, job_err *e);
void raudit_opts_help(FILE *f);

#endif
