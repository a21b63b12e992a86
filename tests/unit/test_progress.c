/* test_progress.c: lib/progress.c, the one progress reporter: when a report is
 * due (at once or after one interval, one winner per interval), the bar's
 * exact text, a terminal detected as one, the bar taken by a log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/progress.h"

static void test_due(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct progress p;
	progress_init(&p, fds[1], 3600, true);
	assert_false(p.tty);
	assert_int_equal(p.interval_ms, 3600 * 1000);
	assert_true(progress_due(&p));		/* report_now */
	assert_false(progress_due(&p));		/* one winner, then an hour */
	progress_init(&p, fds[1], 3600, false);
	assert_false(progress_due(&p));
	progress_init(&p, fds[1], 0, false);	/* no interval given: 5 s */
	assert_int_equal(p.interval_ms, 5000);

	/* A short interval comes due again (waited for, with a generous bound). */
	progress_init(&p, fds[1], 0.02, false);
	int wins = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		wins += progress_due(&p);
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (wins < 2 && now.tv_sec - t0.tv_sec < 30);
	assert_int_equal(wins, 2);
	close(fds[0]);
	close(fds[1]);
}

static char *drain(int fd)
{
	static char got[512];
	ssize_t n = read(fd, got, sizeof got - 1);
	got[n > 0 ? n : 0] = '\0';
	return got;
}

static void test_bar_text(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct progress p;
	progress_init(&p, fds[1], 5, false);
	progress_bar(&p, "loading", 0.5, "512.0 MB 20.0 MB/s", false);
	assert_string_equal(drain(fds[0]),
			    "\r\033[Kloading [###############...............]  50% 512.0 MB 20.0 MB/s");
	assert_true(progress_take_bar(&p));	/* a log line clears it first */
	assert_false(progress_take_bar(&p));
	progress_bar(&p, "scan", -1, "7 rows", false);
	assert_string_equal(drain(fds[0]), "\r\033[Kscan 7 rows");
	progress_bar(&p, "all", 1.7, "", true);	/* capped at 100 %, the line ended */
	assert_string_equal(drain(fds[0]), "\r\033[Kall [##############################] 100%\n");
	assert_false(progress_take_bar(&p));
	close(fds[0]);
	close(fds[1]);
}

static void test_terminal(void **state)
{
	(void)state;
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
		skip();
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	assert_true(s >= 0);
	struct progress p;
	progress_init(&p, s, 5, false);
	assert_true(p.tty);
	assert_int_equal(p.interval_ms, 100);	/* a bar is redrawn ten times a second */
	close(s);
	close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_bar_text),
		cmocka_unit_test(test_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
