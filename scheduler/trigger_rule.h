/* trigger_rule.h: Airflow's trigger rules as one pure function of the states
 * of a task's upstream tasks. */
#ifndef SCHED_TRIGGER_RULE_H
#define SCHED_TRIGGER_RULE_H

#include <stddef.h>

#include "scheduler/dag.h"

/* How many upstream tasks are in each finished state. */
struct upstream_counts {
	size_t total;
	size_t success, failed, upstream_failed, skipped;
};

enum tr_decision {
	TR_WAIT,		/* not decidable yet */
	TR_RUN,
	TR_SKIP,		/* becomes skipped */
	TR_UPSTREAM_FAILED	/* becomes upstream_failed */
};

enum tr_decision trigger_rule_evaluate(enum trigger_rule rule, const struct upstream_counts *c);
const char *tr_decision_name(enum tr_decision d);

#endif
