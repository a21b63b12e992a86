/* k2h_opts.h: kafka2hbase's command line: its one option table
 * (lib/options.h) and the checks of the values, outside main so the fuzz
 * harness drives the real table (tests/fuzz/fuzz_options.c). */
#ifndef K2H_OPTS_H
#define K2H_OPTS_H

#include <stdio.h>

#include "jobs/common/job.h"
#include "jobs/common/kconf.h"
#include "jobs/common/kgroup.h"

struct k2h_opts {
	const char *brokers, *topic, *group, *store, *table, *dead_letter;
	const char *instance;	/* --group-instance-id as given (NULL: auto) */
	char instance_id[KGROUP_ID_MAX];	/* resolved; "" = dynamic membership */
	long long batch, flush_ms, session_ms, max_backoff_ms, store_retries;
	struct kconf kafka;	/* --kafka-config, then every -X in order */
};

/* OPTS_OK, OPTS_HELP (print k2h_opts_help on stdout, exit 0) or OPTS_USAGE
 * with e naming the option. The caller frees with k2h_opts_free either way. */
int k2h_opts_parse(int argc, char **argv, struct k2h_opts *o, job_err *e);
void k2h_opts_help(FILE *f);
void k2h_opts_free(struct k2h_opts *o);

#endif
