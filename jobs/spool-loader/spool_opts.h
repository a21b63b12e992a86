/* spool_opts.h: spool-loader's command line: its one option table
 * (lib/options.h) and the checks of the values, outside main so the fuzz
 * harness drives the real table (tests/fuzz/fuzz_options.c). */
#ifndef SPOOL_OPTS_H
#define SPOOL_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "jobs/common/job.h"

struct spool_cfg {
	const char *spool, *dest, *pattern;
	char wrk_date[9];
	uint64_t roll_size;
	int done_rename, replace;
	double max_reject, settle_s;
};

/* OPTS_OK, OPTS_HELP (print spool_opts_help on stdout, exit 0) or OPTS_USAGE
 * with e naming the option. */
int spool_opts_parse(int argc, char **argv, struct spool_cfg *c, job_err *e);
void spool_opts_help(FILE *f);

#endif
