/* trigger_rule.c: Airflow's trigger rules, decided from upstream counts only.
 *
 * Semantics follow Airflow's TriggerRuleDep:
 *  all_success  run when all succeeded; upstream_failed as soon as one failed
 *               or is upstream_failed; skipped as soon as one was skipped.
 *  all_failed   run when all failed/upstream_failed; skipped as soon as one
 *               succeeded or was skipped.
 *  all_done     run when all finished, whatever the outcome.
 *  one_success  run as soon as one succeeded; when all finished without a
 *               success: skipped if all were skipped, else upstream_failed.
 *  one_failed   run as soon as one failed/upstream_failed; skipped when all
 *               finished without one.
 *  none_failed  run when all finished and none failed/upstream_failed
 *               (skipped upstream is fine); upstream_failed as soon as one
 *               failed/upstream_failed.
 * A task without upstream always runs. */
#include "scheduler/trigger_rule.h"

const char *tr_decision_name(enum tr_decision d)
{
	switch (d) {
	case TR_WAIT: return "wait";
	case TR_RUN: return "run";
	case TR_SKIP: return "skip";
	case TR_UPSTREAM_FAILED: return "upstream_failed";
	}
	return "?";
}

enum tr_decision trigger_rule_evaluate(enum trigger_rule rule, const struct upstream_counts *c)
{
	if (c->total == 0)
		return TR_RUN;
	size_t failed = c->failed + c->upstream_failed;
	size_t done = c->success + failed + c->skipped;
	bool all_done = done >= c->total;

	switch (rule) {
	case TR_ALL_SUCCESS:
		if (failed)
			return TR_UPSTREAM_FAILED;
		if (c->skipped)
			return TR_SKIP;
		return all_done ? TR_RUN : TR_WAIT;
	case TR_ALL_FAILED:
		if (c->success || c->skipped)
			return TR_SKIP;
		return all_done ? TR_RUN : TR_WAIT;
	case TR_ALL_DONE:
		return all_done ? TR_RUN : TR_WAIT;
	case TR_ONE_SUCCESS:
		if (c->success)
			return TR_RUN;
		if (!all_done)
			return TR_WAIT;
		return c->skipped == c->total ? TR_SKIP : TR_UPSTREAM_FAILED;
	case TR_ONE_FAILED:
		if (failed)
			return TR_RUN;
		return all_done ? TR_SKIP : TR_WAIT;
	case TR_NONE_FAILED:
		if (failed)
			return TR_UPSTREAM_FAILED;
		return all_done ? TR_RUN : TR_WAIT;
	}
	return TR_WAIT;
}
