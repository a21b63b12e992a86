/* test_schedctl_grid.c: grid layout (tasks in DAG order, then tasks only old
 * runs have; cells by run column), the state letters and colours, the option
 * parser's forms and errors, and table building. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ui-cli/schedctl.h"

static void test_layout(void **state)
{
	(void)state;
	struct query_task tasks[2] = { { .id = "extract" }, { .id = "load" } };
	struct query_dag d = { .dag_id = "x", .tasks = tasks, .ntasks = 2 };
	struct query_run runs[3] = { { .id = 10 }, { .id = 11 }, { .id = 12 } };
	struct grid g;
	grid_init(&g, &d, runs, 3);
	grid_set(&g, 0, "load", "failed");
	grid_set(&g, 2, "extract", "success");
	grid_set(&g, 1, "old_task", "skipped");	/* removed from the DAG since */
	grid_set(&g, 5, "extract", "success");	/* out of range: ignored */
	assert_int_equal(g.ntasks, 3);
	assert_int_equal(g.nruns, 3);
	assert_string_equal(g.task_ids[2], "old_task");
	assert_string_equal(grid_cell(&g, 1, 0), "failed");
	assert_string_equal(grid_cell(&g, 0, 2), "success");
	assert_string_equal(grid_cell(&g, 2, 1), "skipped");
	assert_null(grid_cell(&g, 0, 0));
	assert_null(grid_cell(&g, 2, 0));
	assert_null(grid_cell(&g, 3, 0));
	assert_int_equal(g.runs[1].id, 11);
	grid_set(&g, 1, "other", "weird_state");
	assert_string_equal(grid_cell(&g, 3, 1), "unknown");
	grid_free(&g);

	grid_init(&g, &d, runs, 0);	/* no runs yet */
	assert_int_equal(g.nruns, 0);
	assert_null(grid_cell(&g, 0, 0));
	grid_free(&g);
}

/* A mapped task: one row with its count per run; with mapped, a row per
 * instance after it, by index (x[2] before x[10]). */
static void test_layout_mapped(void **state)
{
	(void)state;
	struct query_task tasks[3] = { { .id = "list" }, { .id = "load" }, { .id = "report" } };
	struct query_dag d = { .dag_id = "x", .tasks = tasks, .ntasks = 3 };
	struct query_run runs[2] = { { .id = 1 }, { .id = 2 } };
	static const char *const names[] = { "list", "load", "load[0]", "load[1]", "load[10]", "load[2]", "report" };
	for (int mapped = 0; mapped < 2; mapped++) {
		struct grid g;
		grid_init(&g, &d, runs, 2);
		g.mapped = mapped;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			grid_set(&g, 1, names[i], strcmp(names[i], "load[10]") == 0 ? "failed" : "success");
		grid_set(&g, 0, "load[0]", "running");
		grid_set(&g, 1, "gone[3]", "success");	/* an instance of a task no longer in the DAG */
		grid_finish(&g);
		assert_int_equal(grid_count(&g, 1, 1), 4);
		assert_int_equal(grid_count(&g, 1, 0), 1);
		assert_int_equal(grid_map_count(&g, 1), 4);	/* the newest run's */
		assert_int_equal(grid_map_count(&g, 0), -1);
		if (!mapped) {
			assert_int_equal(g.ntasks, 4);
			assert_string_equal(g.task_ids[2], "report");
			assert_string_equal(g.task_ids[3], "gone");
			assert_null(grid_cell(&g, 3, 1));
			assert_int_equal(grid_count(&g, 3, 1), 1);
		} else {
			static const char *const rows[] = { "list",    "load",     "load[0]", "load[1]", "load[2]",
							    "load[10]", "report", "gone",    "gone[3]" };
			assert_int_equal(g.ntasks, 9);
			for (size_t r = 0; r < 9; r++)
				assert_string_equal(g.task_ids[r], rows[r]);
			assert_int_equal(g.map_index[5], 10);
			assert_int_equal(g.map_index[1], -1);
			assert_string_equal(grid_cell(&g, 5, 1), "failed");
			assert_string_equal(grid_cell(&g, 2, 0), "running");
			assert_null(grid_cell(&g, 3, 0));
			assert_string_equal(grid_cell(&g, 8, 1), "success");
		}
		grid_free(&g);
	}
}

static void test_letters_colors(void **state)
{
	(void)state;
	assert_int_equal(state_letter("success"), 'S');
	assert_int_equal(state_letter("failed"), 'F');
	assert_int_equal(state_letter("upstream_failed"), 'U');
	assert_int_equal(state_letter(NULL), ' ');
	assert_int_equal(state_letter("bogus"), '?');
	assert_string_equal(state_color("failed"), "31");
	assert_string_equal(state_color("success"), "32");
	assert_null(state_color("bogus"));
}

static void test_options(void **state)
{
	(void)state;
	bool flag = false;
	const char *str = NULL;
	long n = 5;
	struct opt_list list = { 0 };
	const struct opt opts[] = {
		{ OPT_FLAG, "yes", &flag, NULL, "" },
		{ OPT_STRING, "date", &str, "D", "" },
		{ OPT_INT, "last", &n, "N", "" },
		{ OPT_LIST, "task", &list, "T", "" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	char *argv[] = { "clear", "dag", "--task", "a", "--date=2026-01-02", "--yes", "--task=b",
			 "--last", "7", "--", "--odd", NULL };
	char *pos[4];
	size_t npos;
	assert_int_equal(opt_parse(11, argv, opts, "u", NULL, pos, 4, &npos), 0);
	assert_true(flag);
	assert_string_equal(str, "2026-01-02");
	assert_int_equal(n, 7);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[1], "b");
	assert_int_equal(npos, 2);
	assert_string_equal(pos[0], "dag");
	assert_string_equal(pos[1], "--odd");
	opt_list_free(&list);

	char *bad1[] = { "x", "--nope" };
	assert_int_equal(opt_parse(2, bad1, opts, "u", NULL, pos, 4, &npos), SC_USAGE);
	char *bad2[] = { "x", "--last", "-3" };
	assert_int_equal(opt_parse(3, bad2, opts, "u", NULL, pos, 4, &npos), SC_USAGE);
	char *bad3[] = { "x", "--date" };
	assert_int_equal(opt_parse(2, bad3, opts, "u", NULL, pos, 4, &npos), SC_USAGE);
	char *bad4[] = { "x", "a", "b" };
	assert_int_equal(opt_parse(3, bad4, opts, "u", NULL, pos, 1, &npos), SC_USAGE);
	char *bad5[] = { "x", "--yes=1" };
	assert_int_equal(opt_parse(2, bad5, opts, "u", NULL, pos, 4, &npos), SC_USAGE);
	char *bad6[] = { "x", "-y" };
	assert_int_equal(opt_parse(2, bad6, opts, "u", NULL, pos, 4, &npos), SC_USAGE);
}

static void test_table(void **state)
{
	(void)state;
	struct table t;
	table_init(&t, 2);
	for (int i = 0; i < 40; i++) {	/* past the first growth */
		const char *row[] = { i ? "task" : "NAME", NULL };
		table_add(&t, row);
	}
	table_color_last(&t, 1, "31");
	assert_int_equal(t.nrows, 40);
	assert_string_equal(t.cells[39 * 2 + 1], "-");	/* NULL cell shown as "-" */
	assert_string_equal(t.colors[39 * 2 + 1], "31");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	table_print(&t, f, false);
	fclose(f);
	assert_non_null(strstr(buf, "NAME  -\ntask  -\n"));
	assert_null(strchr(buf, '\033'));
	free(buf);
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout), cmocka_unit_test(test_layout_mapped),
		cmocka_unit_test(test_letters_colors),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
