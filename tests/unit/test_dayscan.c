/* test_dayscan.c: status-day's parallel read of a partition: the same table
 * whatever the number of threads, data files told from markers, bad lines
 * counted, a file that cannot be read failing the whole read with its path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jobs/rollup/dayscan.h"

static char dir[64];

/* Writes n status lines of cars car0.. into dir/name, one bad line every
 * bad_every lines (0: none). Returns the file's size. */
static uint64_t write_part(const char *name, int n, int cars, int bad_every, int seed)
{
	char path[160];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < n; i++) {
		if (bad_every && i % bad_every == bad_every - 1) {
			fputs("not,a,status,line\n", f);
			continue;
		}
		int v = (i * 7 + seed) % 36;	/* tyres 60-98 */
		fprintf(f, "20160101%06d,%c%04d,%d,%d,%d,%d,1,1,%d,1,%c,%c,%d,20160101\n", i % 240000,
			'A' + (i % cars) % 26, 1 + (i % cars), 60 + v, 61 + v, 62 + v, 63 + v, 1 + (i % 2),
			"ABC"[i % 3], "ABC"[(i + 1) % 3], 100 - v);
	}
	long size = ftell(f);
	fclose(f);
	return (uint64_t)size;
}

static int setup(void **st)
{
	(void)st;
	strcpy(dir, "/tmp/test_dayscan.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void scan(storage_entry *files, size_t n, int threads, agg_table *t, dayscan_stats *ds, int want_rc)
{
	job_err e = { 0 };
	assert_int_equal(agg_table_init(t, &e), 0);
	storage *in = storage_open(dir, &e);
	assert_non_null(in);
	int rc = dayscan_run(in, dir, dir, files, n, threads, t, ds, &e);
	storage_free(in);
	if (rc != want_rc)
		fail_msg("dayscan_run: %d (%s)", rc, e.msg);
	if (rc < 0)
		assert_non_null(strstr(e.msg, "part-gone"));
}

static void test_threads_agree(void **st)
{
	(void)st;
	storage_entry files[] = {
		{ "part-0", 0, write_part("part-0", 30000, 37, 0, 1) },
		{ "_SUCCESS", 0, 0 },
		{ "part-1", 0, write_part("part-1", 20000, 37, 997, 2) },
		{ "sub", 1, 0 },
		{ "part-2", 0, write_part("part-2", 5000, 11, 0, 3) },
		{ ".part-3.tmp", 0, 100 },
		{ "_MANIFEST.1", 0, 10 },
	};
	size_t n = sizeof files / sizeof *files;
	assert_true(dayscan_is_data(&files[0]));
	assert_false(dayscan_is_data(&files[1]));
	assert_false(dayscan_is_data(&files[3]));
	assert_false(dayscan_is_data(&files[5]));
	assert_false(dayscan_is_data(&files[6]));
	agg_table one, many;
	dayscan_stats s1, s3;
	scan(files, n, 1, &one, &s1, 0);
	scan(files, n, 3, &many, &s3, 0);
	assert_int_equal(s1.threads, 1);
	assert_int_equal(s3.threads, 3);
	assert_int_equal(s1.files, 3);
	assert_int_equal(s3.files, 3);
	assert_int_equal(s1.bad, 20000 / 997);
	assert_int_equal(s3.bad, s1.bad);
	assert_int_equal(s1.records, 55000 - s1.bad);
	assert_int_equal(s3.records, s1.records);
	agg_table_sort(&one);
	agg_table_sort(&many);
	assert_int_equal(one.n, 37);
	assert_int_equal(many.n, one.n);
	for (size_t i = 0; i < one.n; i++) {
		char a[256], b[256];
		agg_format_sums(&one.cars[i], a);
		agg_format_sums(&many.cars[i], b);
		assert_string_equal(a, b);
	}
	agg_table_free(&one);
	agg_table_free(&many);
}

static void test_unreadable_file_fails(void **st)
{
	(void)st;
	storage_entry files[] = {
		{ "part-a", 0, write_part("part-a", 20000, 5, 0, 1) },
		{ "part-gone", 0, 1u << 30 },	/* listed, not there: read first (largest) */
		{ "part-b", 0, write_part("part-b", 20000, 5, 0, 2) },
	};
	agg_table t;
	dayscan_stats s;
	scan(files, 3, 2, &t, &s, -1);
	agg_table_free(&t);
	scan(files, 3, 1, &t, &s, -1);
	assert_int_equal(s.files, 0);	/* the largest first: it stopped the read */
	agg_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_agree),
		cmocka_unit_test(test_unreadable_file_fails),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
