/* ovs_opts.h: overspeed's command line: its one option table (lib/options.h)
 * and the checks of the values, outside main so the fuzz harness drives the
 * real table (tests/fuzz/fuzz_options.c). */
#ifndef OVS_OPTS_H
#define OVS_OPTS_H

#include <stdio.h>

#include "jobs/common/job.h"
#include "jobs/common/kconf.h"
#include "jobs/common/kgroup.h"

struct ovs_opts {
	const char *rule_path, *redis_uri, *brokers, *topic, *group, *from_file;
	const char *instance;	/* --group-instance-id as given (NULL: auto) */
	char instance_id[KGROUP_ID_MAX];	/* resolved; "" = dynamic membership */
	long long session_ms;	/* 0: librdkafka's default */
	struct kconf kafka;	/* --kafka-config, then every -X in order */
	int exit_at_eof;
	long long commit_ms, rule_poll_ms, max_pending;
	double max_bad_ratio;
};

/* OPTS_OK, OPTS_HELP (print ovs_opts_help on stdout, exit 0) or OPTS_USAGE
 * with e naming the option. The caller frees with ovs_opts_free either way. */
int ovs_opts_parse(int argc, char **argv, struct ovs_opts *o, job_err *e);
void ovs_opts_help(FILE *f);
void ovs_opts_free(struct ovs_opts *o);

#endif
