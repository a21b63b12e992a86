/* test_t2k_acks.c: tail2kafka's in-flight window: the safe position only moves
 * over a prefix of settled lines, whatever order delivery reports come in; a
 * failure holds it; filtered lines cost no slot; the window bounds memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jobs/tail2kafka/t2k_acks.h"

static void test_out_of_order(void **state)
{
	(void)state;
	struct t2k_acks a;
	assert_int_equal(t2k_acks_init(&a, 8, 0, 100), 0);
	uint64_t s1 = t2k_acks_push(&a, 0, 110, 0);
	uint64_t s2 = t2k_acks_push(&a, 0, 120, 0);
	uint64_t s3 = t2k_acks_push(&a, 0, 130, 0);
	t2k_acks_settle(&a, s3, 1);
	t2k_acks_settle(&a, s2, 1);
	assert_int_equal(t2k_acks_advance(&a), 0);
	assert_int_equal(a.safe_end, 100);	/* line 1 not yet acknowledged */
	t2k_acks_settle(&a, s1, 1);
	assert_int_equal(t2k_acks_advance(&a), 1);
	assert_int_equal(a.safe_end, 130);
	assert_int_equal(t2k_acks_inflight(&a), 0);
	t2k_acks_free(&a);
}

static void test_failure_holds(void **state)
{
	(void)state;
	struct t2k_acks a;
	t2k_acks_init(&a, 8, 0, 0);
	uint64_t s1 = t2k_acks_push(&a, 0, 10, 0);
	uint64_t s2 = t2k_acks_push(&a, 0, 20, 0);
	uint64_t s3 = t2k_acks_push(&a, 0, 30, 0);
	t2k_acks_settle(&a, s1, 1);
	t2k_acks_settle(&a, s2, 0);
	t2k_acks_settle(&a, s3, 1);
	t2k_acks_settle(&a, s2, 1);	/* a second report for a settled line changes nothing */
	t2k_acks_advance(&a);
	assert_int_equal(a.safe_end, 10);
	assert_int_equal(a.failed, 1);
	t2k_acks_reset(&a);
	assert_int_equal(a.failed, 0);
	assert_int_equal(t2k_acks_inflight(&a), 0);
	assert_int_equal(a.safe_end, 10);
	t2k_acks_settle(&a, s3, 1);	/* stale report after reset: ignored */
	t2k_acks_free(&a);
}

static void test_settled_lines_merge_and_full(void **state)
{
	(void)state;
	struct t2k_acks a;
	t2k_acks_init(&a, 2, 0, 0);
	t2k_acks_push(&a, 0, 5, 1);	/* nothing in flight: safe at once */
	assert_int_equal(a.safe_end, 5);
	assert_int_equal(t2k_acks_inflight(&a), 0);
	uint64_t s = t2k_acks_push(&a, 0, 10, 0);
	t2k_acks_push(&a, 0, 15, 1);
	t2k_acks_push(&a, 0, 20, 1);	/* merged with the previous settled entry */
	assert_int_equal(t2k_acks_inflight(&a), 2);
	assert_true(t2k_acks_full(&a));
	t2k_acks_settle(&a, s, 1);
	t2k_acks_advance(&a);
	assert_int_equal(a.safe_end, 20);
	assert_false(t2k_acks_full(&a));
	/* a new generation (rotated file) starts a new entry */
	uint64_t s2 = t2k_acks_push(&a, 0, 30, 0);
	t2k_acks_push(&a, 1, 7, 1);
	t2k_acks_settle(&a, s2, 1);
	t2k_acks_advance(&a);
	assert_int_equal(a.safe_gen, 1);
	assert_int_equal(a.safe_end, 7);
	t2k_acks_free(&a);
}

static void test_wraps(void **state)
{
	(void)state;
	struct t2k_acks a;
	t2k_acks_init(&a, 3, 0, 0);
	for (int i = 1; i <= 100; i++) {
		uint64_t s = t2k_acks_push(&a, 0, i, 0);
		t2k_acks_settle(&a, s, 1);
		t2k_acks_advance(&a);
		assert_int_equal(a.safe_end, i);
	}
	t2k_acks_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_failure_holds),
		cmocka_unit_test(test_settled_lines_merge_and_full),
		cmocka_unit_test(test_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
