/* t2k_opts.h: tail2kafka's command line: its one option table (lib/options.h)
 * and the checks of the values, outside main so the fuzz harness drives the
 * real table (tests/fuzz/fuzz_options.c). */
#ifndef T2K_OPTS_H
#define T2K_OPTS_H

#include <stdio.h>

#include "jobs/common/job.h"
#include "jobs/common/kconf.h"

struct t2k_opts {
	const char *file, *brokers, *topic, *pattern, *position_file;
	int key_field, poll_ms, position_ms, flush_ms, once;
	long max_inflight;
	size_t max_line;
	struct kconf kafka;	/* --kafka-config, then every -X in order */
};

/* OPTS_OK, OPTS_HELP (print t2k_opts_help on stdout, exit 0) or OPTS_USAGE
 * with e naming the option. The caller frees with t2k_opts_free either way. */
int t2k_opts_parse(int argc, char **argv, struct t2k_opts *o, job_err *e);
void t2k_opts_help(FILE *f);
void t2k_opts_free(struct t2k_opts *o);

#endif
