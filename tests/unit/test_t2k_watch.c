/* test_t2k_watch.c: tail2kafka's end-of-file sleep ends at once when the
 * followed path changes (append, creation, rotation by rename, truncation),
 * changes made before the wait are not missed, other entries of the directory
 * do not wake it, and without a change it sleeps the whole timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobs/tail2kafka/t2k_watch.h"

static char dir[64], path[128];

static int64_t ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void append(const char *p, const char *s)
{
	FILE *f = fopen(p, "a");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/t2kw.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/app.log", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A wait that must end by an event: long timeout, short elapsed time. */
static void assert_woken(struct t2k_watch *w)
{
	int64_t t0 = ms();
	assert_int_equal(t2k_watch_wait(w, 5000), 1);
	assert_true(ms() - t0 < 1000);
}

static void test_timeout_without_change(void **state)
{
	(void)state;
	struct t2k_watch w;
	append(path, "a\n");
	assert_int_equal(t2k_watch_open(&w, path), 0);
	int64_t t0 = ms();
	assert_int_equal(t2k_watch_wait(&w, 60), 0);
	assert_true(ms() - t0 >= 55);
	t2k_watch_close(&w);
}

static void test_append_before_wait(void **state)
{
	(void)state;
	struct t2k_watch w;
	append(path, "a\n");
	assert_int_equal(t2k_watch_open(&w, path), 0);
	append(path, "b\n");	/* between the reader's last read and its sleep */
	assert_woken(&w);
	assert_int_equal(t2k_watch_wait(&w, 0), 0);	/* the event was consumed */
	append(path, "c\n");
	assert_woken(&w);
	t2k_watch_close(&w);
}

static void test_created_late(void **state)
{
	(void)state;
	struct t2k_watch w;
	assert_int_equal(t2k_watch_open(&w, path), 0);
	assert_int_equal(t2k_watch_wait(&w, 0), 0);
	append(path, "a\n");
	assert_woken(&w);	/* the file is watched from here on: read it */
	assert_int_equal(t2k_watch_wait(&w, 0), 0);
	append(path, "b\n");
	assert_woken(&w);
	t2k_watch_close(&w);
}

static void test_rotation_and_truncation(void **state)
{
	(void)state;
	struct t2k_watch w;
	char old[160];
	snprintf(old, sizeof old, "%s.1", path);
	append(path, "a\n");
	assert_int_equal(t2k_watch_open(&w, path), 0);
	assert_int_equal(rename(path, old), 0);
	assert_woken(&w);
	append(path, "new\n");
	assert_woken(&w);
	t2k_watch_wait(&w, 0);
	append(path, "more\n");	/* the watch moved to the new file */
	assert_woken(&w);
	assert_int_equal(truncate(path, 0), 0);
	assert_woken(&w);
	t2k_watch_close(&w);
}

static void test_other_entries_ignored(void **state)
{
	(void)state;
	struct t2k_watch w;
	char other[160];
	snprintf(other, sizeof other, "%s/other.log", dir);
	append(path, "a\n");
	assert_int_equal(t2k_watch_open(&w, path), 0);
	append(other, "x\n");
	assert_int_equal(unlink(other), 0);
	assert_int_equal(t2k_watch_wait(&w, 50), 0);
	t2k_watch_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_timeout_without_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_before_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_created_late, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation_and_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_entries_ignored, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
