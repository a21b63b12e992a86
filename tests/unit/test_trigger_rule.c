/* test_trigger_rule.c: every trigger rule against the upstream outcomes that
 * decide it, with Airflow's semantics (scheduler/trigger_rule.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "scheduler/trigger_rule.h"

/* total, success, failed, upstream_failed, skipped */
static enum tr_decision ev(enum trigger_rule r, size_t total, size_t ok, size_t f, size_t uf, size_t sk)
{
	struct upstream_counts c = { total, ok, f, uf, sk };
	return trigger_rule_evaluate(r, &c);
}

static void test_no_upstream_runs(void **state)
{
	(void)state;
	for (int r = TR_ALL_SUCCESS; r <= TR_NONE_FAILED; r++)
		assert_int_equal(ev((enum trigger_rule)r, 0, 0, 0, 0, 0), TR_RUN);
}

static void test_all_success(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_ALL_SUCCESS, 2, 2, 0, 0, 0), TR_RUN);
	assert_int_equal(ev(TR_ALL_SUCCESS, 2, 1, 0, 0, 0), TR_WAIT);
	assert_int_equal(ev(TR_ALL_SUCCESS, 3, 0, 1, 0, 0), TR_UPSTREAM_FAILED);	/* decided early */
	assert_int_equal(ev(TR_ALL_SUCCESS, 2, 1, 0, 1, 0), TR_UPSTREAM_FAILED);
	assert_int_equal(ev(TR_ALL_SUCCESS, 2, 1, 0, 0, 1), TR_SKIP);
}

static void test_all_failed(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_ALL_FAILED, 2, 0, 1, 1, 0), TR_RUN);
	assert_int_equal(ev(TR_ALL_FAILED, 2, 0, 1, 0, 0), TR_WAIT);
	assert_int_equal(ev(TR_ALL_FAILED, 2, 1, 0, 0, 0), TR_SKIP);
	assert_int_equal(ev(TR_ALL_FAILED, 2, 0, 0, 0, 1), TR_SKIP);
}

static void test_all_done(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_ALL_DONE, 4, 1, 1, 1, 1), TR_RUN);
	assert_int_equal(ev(TR_ALL_DONE, 4, 1, 1, 1, 0), TR_WAIT);
}

static void test_one_success(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_ONE_SUCCESS, 3, 1, 0, 0, 0), TR_RUN);	/* early */
	assert_int_equal(ev(TR_ONE_SUCCESS, 3, 0, 1, 0, 0), TR_WAIT);
	assert_int_equal(ev(TR_ONE_SUCCESS, 2, 0, 1, 0, 1), TR_UPSTREAM_FAILED);
	assert_int_equal(ev(TR_ONE_SUCCESS, 2, 0, 0, 0, 2), TR_SKIP);
}

static void test_one_failed(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_ONE_FAILED, 3, 0, 1, 0, 0), TR_RUN);	/* early */
	assert_int_equal(ev(TR_ONE_FAILED, 3, 0, 0, 1, 0), TR_RUN);
	assert_int_equal(ev(TR_ONE_FAILED, 2, 1, 0, 0, 0), TR_WAIT);
	assert_int_equal(ev(TR_ONE_FAILED, 2, 1, 0, 0, 1), TR_SKIP);
}

static void test_none_failed(void **state)
{
	(void)state;
	assert_int_equal(ev(TR_NONE_FAILED, 2, 1, 0, 0, 1), TR_RUN);	/* skipped is fine */
	assert_int_equal(ev(TR_NONE_FAILED, 2, 0, 0, 0, 2), TR_RUN);
	assert_int_equal(ev(TR_NONE_FAILED, 2, 1, 0, 0, 0), TR_WAIT);
	assert_int_equal(ev(TR_NONE_FAILED, 3, 0, 1, 0, 0), TR_UPSTREAM_FAILED);
	assert_int_equal(ev(TR_NONE_FAILED, 2, 0, 0, 1, 0), TR_UPSTREAM_FAILED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(tr_decision_name(TR_UPSTREAM_FAILED), "upstream_failed");
	assert_string_equal(tr_decision_name(TR_WAIT), "wait");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_upstream_runs), cmocka_unit_test(test_all_success),
		cmocka_unit_test(test_all_failed), cmocka_unit_test(test_all_done),
		cmocka_unit_test(test_one_success), cmocka_unit_test(test_one_failed),
		cmocka_unit_test(test_none_failed), cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
