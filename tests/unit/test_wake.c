/* test_wake.c: the daemon's doorbell FIFO: nobody listening, a ring seen by
 * poll() and drained, a full FIFO that never blocks the ringer, a non-FIFO in
 * the way, and a listener that went away. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scheduler/wake.h"

struct fixture {
	char dir[64];
	char state[128];
	char fifo[160];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/test_wake.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->state, sizeof f->state, "%s/state.db", f->dir);
	snprintf(f->fifo, sizeof f->fifo, "%s.wake", f->state);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->fifo);
	rmdir(f->dir);
	free(f);
	return 0;
}

static bool readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void test_nobody_listens(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(wake_daemon(f->state), 0);	/* no FIFO */
	assert_int_equal(mkfifo(f->fifo, 0600), 0);
	assert_int_equal(wake_daemon(f->state), 0);	/* a FIFO, no reader: ENXIO, no block */
}

static void test_ring_seen_and_drained(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	int fd = wake_listen(f->state, err, sizeof err);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(stat(f->fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_false(readable(fd));
	assert_int_equal(wake_daemon(f->state), 1);
	assert_int_equal(wake_daemon(f->state), 1);
	assert_true(readable(fd));
	wake_drain(fd);
	assert_false(readable(fd));
	/* Listening again over an existing FIFO (a restart after kill -9). */
	int fd2 = wake_listen(f->state, err, sizeof err);
	assert_true(fd2 >= 0);
	assert_int_equal(wake_daemon(f->state), 1);
	assert_true(readable(fd2));
	close(fd2);
	close(fd);
	assert_int_equal(wake_daemon(f->state), 0);	/* the listener went away */
}

static void test_full_fifo_never_blocks(void **state)
{
	struct fixture *f = *state;
	char err[256];
	int fd = wake_listen(f->state, err, sizeof err);
	assert_true(fd >= 0);
	for (int i = 0; i < 70000; i++)	/* more than a pipe's 64 KiB */
		assert_int_equal(wake_daemon(f->state), 1);
	wake_drain(fd);
	assert_false(readable(fd));
	close(fd);
}

static void test_not_a_fifo(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->fifo, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	char err[256] = "";
	assert_int_equal(wake_listen(f->state, err, sizeof err), -1);
	assert_non_null(strstr(err, f->fifo));
	assert_non_null(strstr(err, "not a FIFO"));
	assert_int_equal(wake_daemon(f->state), -1);
	struct stat st;
	assert_int_equal(stat(f->fifo, &st), 0);
	assert_int_equal(st.st_size, 0);	/* nothing written into a regular file */
}

static void test_path_too_long(void **state)
{
	(void)state;
	char longp[5000];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	char err[256] = "", buf[64];
	assert_int_equal(wake_listen(longp, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(wake_daemon(longp), -1);
	assert_int_equal(wake_path("s.db", buf, sizeof buf), 0);
	assert_string_equal(buf, "s.db.wake");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nobody_listens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_seen_and_drained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_fifo_never_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_too_long, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
