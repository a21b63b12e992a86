/* test_mapped.c: the in-memory side of dynamic task mapping
 * (scheduler/mapped.c): a mapped task's view of its instances, the counts a
 * downstream trigger rule reads (the set, as if each instance were an
 * upstream), settling, linking rows read back in any order, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scheduler/mapped.h"

/* up -> m (mapped) -> down */
static const char yaml[] =
	"dag: t\ntasks:\n"
	"  - {id: up, command: [x]}\n"
	"  - {id: m, depends_on: up, expand: {over: [a, b, c]}, command: [x]}\n"
	"  - {id: down, depends_on: m, command: [x]}\n";

static struct run *run_new(void)
{
	struct diag_list l = { 0 };
	struct dag *g = dag_load_buffer("t.yaml", yaml, sizeof yaml - 1, &l);
	assert_non_null(g);
	struct run *r = calloc(1, sizeof *r);
	r->dag = g;
	r->ntis = r->capti = g->ntasks;
	r->tis = calloc(g->ntasks, sizeof *r->tis);
	for (size_t i = 0; i < g->ntasks; i++) {
		r->tis[i].task = i;
		r->tis[i].map_index = -1;
	}
	return r;
}

static void run_del(struct run *r)
{
	for (size_t i = 0; i < r->ntis; i++) {
		free(r->tis[i].name);
		free(r->tis[i].map);
		json_decref(r->tis[i].items);
	}
	free(r->tis);
	dag_free(r->dag);
	free(r);
}

/* Expands m (index 1) into n new instances. */
static void expand_n(struct run *r, size_t n)
{
	size_t *map = calloc(n, sizeof *map);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "m[%zu]", i);
		map[i] = mapped_new_instance(r, 1, (int)i, name, 0, 2);
	}
	mapped_install(r, 1, map, n, json_array());
	run_ti_state(r, 1, TI_RUNNING);
}

static enum tr_decision down_decides(const struct run *r, enum trigger_rule rule)
{
	struct upstream_counts c = { .total = 1 };
	mapped_count_upstream(r, 1, &c);
	return trigger_rule_evaluate(rule, &c);
}

static void test_set_counts_and_rules(void **state)
{
	(void)state;
	struct run *r = run_new();
	expand_n(r, 3);
	assert_int_equal(r->ntis, 6);
	assert_int_equal(r->tis[1].nmap, 3);
	assert_int_equal(r->tis[1].map_done[TI_NONE], 3);
	assert_string_equal(run_ti_name(r, r->tis[1].map[2]), "m[2]");
	assert_int_equal(r->tis[r->tis[1].map[0]].max_tries, 3);
	for (int i = 0; i < 3; i++)
		run_ti_state(r, r->tis[1].map[i], TI_SCHEDULED);
	assert_int_equal(r->tis[1].map_done[TI_NONE], 0);
	assert_int_equal(r->tis[1].map_done[TI_SCHEDULED], 3);
	assert_int_equal(down_decides(r, TR_ALL_SUCCESS), TR_WAIT);
	run_ti_state(r, r->tis[1].map[0], TI_SUCCESS);
	assert_int_equal(down_decides(r, TR_ONE_SUCCESS), TR_RUN);	/* at the first success */
	assert_int_equal(down_decides(r, TR_ALL_SUCCESS), TR_WAIT);	/* not before all */
	assert_int_equal(down_decides(r, TR_ONE_FAILED), TR_WAIT);
	run_ti_state(r, r->tis[1].map[1], TI_FAILED);
	assert_int_equal(down_decides(r, TR_ONE_FAILED), TR_RUN);	/* at the first failure */
	assert_int_equal(down_decides(r, TR_ALL_SUCCESS), TR_UPSTREAM_FAILED);
	assert_int_equal(down_decides(r, TR_ALL_DONE), TR_WAIT);	/* m[2] still scheduled */
	char cause[200];
	assert_int_equal(mapped_settled(&r->tis[1], cause, sizeof cause), TI_RUNNING);
	run_ti_state(r, r->tis[1].map[2], TI_SUCCESS);
	assert_int_equal(down_decides(r, TR_ALL_DONE), TR_RUN);
	assert_int_equal(mapped_settled(&r->tis[1], cause, sizeof cause), TI_FAILED);
	assert_string_equal(cause, "1 of 3 mapped instances failed");
	run_ti_state(r, r->tis[1].map[1], TI_SUCCESS);	/* retried: cleared, succeeded */
	assert_int_equal(mapped_settled(&r->tis[1], cause, sizeof cause), TI_SUCCESS);
	assert_string_equal(cause, "3 mapped instances succeeded, 0 skipped");
	assert_int_equal(down_decides(r, TR_ALL_SUCCESS), TR_RUN);
	/* a task that is not mapped counts once */
	struct upstream_counts c = { .total = 1 };
	run_ti_state(r, 0, TI_SUCCESS);
	mapped_count_upstream(r, 0, &c);
	assert_int_equal(c.total, 1);
	assert_int_equal(c.success, 1);
	run_del(r);
}

static void test_all_skipped_and_drop(void **state)
{
	(void)state;
	struct run *r = run_new();
	expand_n(r, 2);
	char cause[200];
	run_ti_state(r, r->tis[1].map[0], TI_SKIPPED);
	run_ti_state(r, r->tis[1].map[1], TI_SKIPPED);
	assert_int_equal(mapped_settled(&r->tis[1], cause, sizeof cause), TI_SKIPPED);
	size_t first = r->tis[1].map[0];
	mapped_drop(r, 1);
	assert_int_equal(r->tis[1].nmap, 0);
	assert_null(r->tis[1].items);
	assert_int_equal(r->tis[first].map_index, MAP_DROPPED);
	assert_false(run_ti_has_tries(r, first));
	assert_int_equal(mapped_ti_index(r, "m[0]"), -1);
	/* without instances, the task counts as itself (its own state) */
	run_ti_state(r, 1, TI_FAILED);
	struct upstream_counts c = { .total = 1 };
	mapped_count_upstream(r, 1, &c);
	assert_int_equal(c.failed, 1);
	run_del(r);
}

/* Rows come back in any order (the store's key order: m[10] before m[2]);
 * a gap drops what follows it. */
static void test_link_and_names(void **state)
{
	(void)state;
	struct run *r = run_new();
	static const int order[] = { 10, 2, 0, 1, 3, 4, 5, 6, 7, 8, 9, 12 };	/* 11 missing */
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		size_t k = mapped_append(r);
		r->tis[k].task = 1;
		r->tis[k].map_index = order[i];
		r->tis[k].state = order[i] % 2 ? TI_SUCCESS : TI_RUNNING;
		char name[32];
		snprintf(name, sizeof name, "m[%d]", order[i]);
		r->tis[k].name = strdup(name);
	}
	mapped_link(r);
	assert_int_equal(r->tis[1].nmap, 11);	/* 0..10 */
	for (size_t i = 0; i < 11; i++)
		assert_int_equal(r->tis[r->tis[1].map[i]].map_index, (int)i);
	assert_int_equal(r->tis[1].map_done[TI_SUCCESS], 5);
	assert_int_equal(r->tis[1].map_done[TI_RUNNING], 6);
	long k12 = -1;
	for (size_t i = r->dag->ntasks; i < r->ntis; i++)
		if (!strcmp(r->tis[i].name, "m[12]"))
			k12 = (long)i;
	assert_true(k12 > 0);
	assert_int_equal(r->tis[k12].map_index, MAP_DROPPED);
	assert_int_equal(mapped_ti_index(r, "m[12]"), -1);
	long k3 = mapped_ti_index(r, "m[3]");
	assert_true(k3 >= 3);
	assert_string_equal(run_ti_name(r, (size_t)k3), "m[3]");
	assert_int_equal(mapped_ti_index(r, "down"), 2);
	assert_int_equal(mapped_ti_index(r, "zz[1]"), -1);
	assert_int_equal(mapped_ti_index(r, "m"), 1);
	run_del(r);
}

static void test_list_check(void **state)
{
	(void)state;
	char cause[300];
	json_t *a = mapped_list_check("[1, \"b\", {\"k\": 2}]", 3, cause, sizeof cause);
	assert_non_null(a);
	assert_int_equal(json_array_size(a), 3);
	json_decref(a);
	assert_null(mapped_list_check("[1, 2, 3, 4]", 3, cause, sizeof cause));
	assert_string_equal(cause, "expand.over: 4 elements, over max_length 3");
	assert_null(mapped_list_check("{\"a\": 1}", 3, cause, sizeof cause));
	assert_string_equal(cause, "expand.over: rendered '{\"a\": 1}', not a JSON list");
	assert_null(mapped_list_check("a, b", 3, cause, sizeof cause));
	assert_string_equal(cause, "expand.over: rendered 'a, b', not a JSON list");
	a = mapped_list_check("[]", 3, cause, sizeof cause);
	assert_non_null(a);	/* empty: the runner skips the task */
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_counts_and_rules),
		cmocka_unit_test(test_all_skipped_and_drop),
		cmocka_unit_test(test_link_and_names),
		cmocka_unit_test(test_list_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
