/* loggen_opts.h: loggen's command line (loggen status|driver [options]): its
 * one option table (lib/options.h) and the checks of the values, outside main
 * so the fuzz harness drives the real table (tests/fuzz/fuzz_options.c). */
#ifndef LOGGEN_OPTS_H
#define LOGGEN_OPTS_H

#include <stdint.h>
#include <stdio.h>

#include "jobs/common/job.h"

struct loggen_opts {
	const char *mode, *out;	/* mode: "status" or "driver" */
	char date[9];
	int cars, threads, realtime;
	uint64_t seed;
	double garbage, speedup;
};

/* argv[1] is the mode. OPTS_OK, OPTS_HELP (print loggen_opts_help on stdout,
 * exit 0) or OPTS_USAGE with e naming the option. threads is the default of
 * --threads (the online cores). */
int loggen_opts_parse(int argc, char **argv, int threads, struct loggen_opts *o, job_err *e);
void loggen_opts_help(FILE *f);

#endif
