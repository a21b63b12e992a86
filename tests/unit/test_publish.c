/* test_publish.c: jobs/common/publish.c on the local storage. A publish from
 * start to end (with and without an old partition), then every state a run
 * killed between two transitions leaves, built with the transitions
 * themselves, recovered by publish_recover: the partition is then the old one
 * before the swap and the new one after it, complete (_SUCCESS), with no
 * _tmp_/_old_ left. The WebHDFS side runs in the spool-loader and rollup
 * integration tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/publish.h"

struct fx {
	char dir[64];
	storage *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/test_publish.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	job_err e;
	f->st = storage_open(f->dir, &e);
	assert_non_null(f->st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	job_err e;
	assert_int_equal(storage_delete(f->st, f->dir, 1, &e), 0);
	storage_free(f->st);
	free(f);
	return 0;
}

/* The text of PARENT/NAME/data, "" when missing. */
static void content(struct fx *f, const char *rel, char *out, size_t cap)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->dir, rel);
	FILE *fp = fopen(path, "r");
	out[0] = 0;
	if (!fp)
		return;
	size_t n = fread(out, 1, cap - 1, fp);
	out[n] = 0;
	fclose(fp);
}

static int present(struct fx *f, const char *rel)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->dir, rel);
	return access(path, F_OK) == 0;
}

/* Names under the parent that start with '_'. */
static int debris(struct fx *f, const char *parent)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->dir, parent);
	DIR *d = opendir(path);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += de->d_name[0] == '_';
	closedir(d);
	return n;
}

static void write_data(struct fx *f, publish *p, const char *text)
{
	job_err e;
	char *path = storage_join(publish_build_dir(p), "data");
	assert_int_equal(storage_write_file(f->st, path, text, strlen(text), 1, &e), 0);
	free(path);
	(void)f;
}

/* A whole publish of text as par/wrk_date=1. */
static void publish_text(struct fx *f, const char *par, const char *text)
{
	job_err e;
	publish p;
	char *parent = storage_join(f->dir, par);
	assert_int_equal(publish_recover(f->st, parent, "wrk_date=1", &e), 0);
	assert_int_equal(publish_begin(&p, f->st, parent, "wrk_date=1", NULL, &e), 0);
	write_data(f, &p, text);
	assert_int_equal(publish_commit(&p, &e), 0);
	publish_free(&p);
	free(parent);
}

static void test_publish_whole(void **state)
{
	struct fx *f = *state;
	char got[64];
	publish_text(f, "out", "one");
	content(f, "out/wrk_date=1/data", got, sizeof got);
	assert_string_equal(got, "one");
	assert_true(present(f, "out/wrk_date=1/_SUCCESS"));
	publish_text(f, "out", "two");
	content(f, "out/wrk_date=1/data", got, sizeof got);
	assert_string_equal(got, "two");
	assert_true(present(f, "out/wrk_date=1/_SUCCESS"));
	assert_int_equal(debris(f, "out"), 0);
}

/* Runs the transitions of a publish of "new" over "old" up to `steps`
 * (0 begin, 1 data written, 2 sealed, 3 parked, 4 swapped), as a run killed
 * there leaves them, then recovers and checks the partition holds want. */
static void killed_after(struct fx *f, int steps, const char *want)
{
	job_err e;
	publish p;
	char got[64];
	char *parent = storage_join(f->dir, "out");
	publish_text(f, "out", "old");
	assert_int_equal(publish_begin(&p, f->st, parent, "wrk_date=1", "77-1", &e), 0);
	if (steps >= 1)
		write_data(f, &p, "new");
	if (steps >= 2)
		assert_int_equal(publish_seal(&p, &e), 0);
	if (steps >= 3)
		assert_int_equal(publish_park(&p, &e), 0);
	if (steps >= 4)
		assert_int_equal(publish_swap(&p, &e), 0);
	publish_free(&p);	/* killed: no abort, no drop */
	assert_int_equal(publish_recover(f->st, parent, "wrk_date=1", &e), 0);
	content(f, "out/wrk_date=1/data", got, sizeof got);
	assert_string_equal(got, want);
	assert_true(present(f, "out/wrk_date=1/_SUCCESS"));
	assert_int_equal(debris(f, "out"), 0);
	/* and a rerun publishes over it */
	publish_text(f, "out", "again");
	content(f, "out/wrk_date=1/data", got, sizeof got);
	assert_string_equal(got, "again");
	assert_int_equal(debris(f, "out"), 0);
	assert_int_equal(storage_delete(f->st, parent, 1, &e), 0);
	free(parent);
}

static void test_killed_at_every_step(void **state)
{
	struct fx *f = *state;
	killed_after(f, 0, "old");	/* building, empty */
	killed_after(f, 1, "old");	/* building */
	killed_after(f, 2, "old");	/* sealed, never swapped in */
	killed_after(f, 3, "new");	/* parked, build complete: rolled forward */
	killed_after(f, 4, "new");	/* swapped, old not dropped */
}

/* Parked before the build was sealed (a protocol that parks early, or a
 * build damaged by hand): the old partition is put back. */
static void test_parked_unsealed_rolls_back(void **state)
{
	struct fx *f = *state;
	job_err e;
	char got[64];
	publish_text(f, "out", "old");
	char path[256], path2[256];
	snprintf(path, sizeof path, "%s/out/wrk_date=1", f->dir);
	snprintf(path2, sizeof path2, "%s/out/_old_wrk_date=1.9-9", f->dir);
	assert_int_equal(rename(path, path2), 0);
	snprintf(path, sizeof path, "%s/out/_tmp_wrk_date=1.9-9", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	char *parent = storage_join(f->dir, "out");
	assert_int_equal(publish_recover(f->st, parent, "wrk_date=1", &e), 0);
	free(parent);
	content(f, "out/wrk_date=1/data", got, sizeof got);
	assert_string_equal(got, "old");
	assert_int_equal(debris(f, "out"), 0);
}

/* Recovery touches only its own partition's traces. */
static void test_other_partitions_untouched(void **state)
{
	struct fx *f = *state;
	job_err e;
	char path[256];
	snprintf(path, sizeof path, "%s/out/_tmp_wrk_date=12.1-1", f->dir);
	char *parent = storage_join(f->dir, "out");
	assert_int_equal(storage_mkdirs(f->st, path, &e), 0);
	assert_int_equal(publish_recover(f->st, parent, "wrk_date=1", &e), 0);
	assert_true(present(f, "out/_tmp_wrk_date=12.1-1"));
	assert_int_equal(publish_recover(f->st, parent, "wrk_date=12", &e), 0);
	assert_false(present(f, "out/_tmp_wrk_date=12.1-1"));
	free(parent);
}

/* A partition name or run id that is not one path component is refused
 * before anything is created: nothing lands outside PARENT. */
static void test_names_stay_under_parent(void **state)
{
	struct fx *f = *state;
	job_err e;
	publish p;
	char *parent = storage_join(f->dir, "out");
	assert_int_equal(publish_recover(f->st, parent, "..", &e), -1);
	assert_non_null(strstr(e.msg, "partition name '..'"));
	assert_int_equal(publish_begin(&p, f->st, parent, "../escaped", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "contains '/'"));
	publish_free(&p);
	assert_int_equal(publish_begin(&p, f->st, parent, "wrk_date=1", "../../x", &e), -1);
	assert_non_null(strstr(e.msg, "run id"));
	publish_free(&p);
	assert_false(present(f, "escaped"));
	assert_false(present(f, "out"));
	free(parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_publish_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_at_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parked_unsealed_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_partitions_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_stay_under_parent, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
