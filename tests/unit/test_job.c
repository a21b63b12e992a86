/* test_job.c: the shared job manners: key=value quoting, option parsers with
 * the flag in the message, the JSON result line, the stop flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobs/common/job.h"

static size_t kv(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = job_format_kv(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_kv_quoting(void **st)
{
	(void)st;
	char b[256];
	kv(b, sizeof b, "file=%s lines=%zu ratio=%.2f", "/tmp/a b", (size_t)12, 0.5);
	assert_string_equal(b, "file=\"/tmp/a b\" lines=12 ratio=0.50");
	kv(b, sizeof b, "x=%s y=%d z=%lld", "", -3, 1234567890123LL);
	assert_string_equal(b, "x=\"\" y=-3 z=1234567890123");
	kv(b, sizeof b, "err=%s", "say \"hi\"\n");
	assert_string_equal(b, "err=\"say \\\"hi\\\"\\n\"");
	kv(b, sizeof b, "w=%*d p=%.3s pct=100%%", 4, 7, "abcdef");
	assert_string_equal(b, "w=\"   7\" p=abc pct=100%");
	kv(b, sizeof b, "u=%u h=%x c=%c", 7u, 255u, 'q');
	assert_string_equal(b, "u=7 h=ff c=q");
}

static void test_parse_size(void **st)
{
	(void)st;
	uint64_t v;
	job_err e;
	assert_int_equal(job_parse_size("--roll-size", "64M", &v, &e), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(job_parse_size("--roll-size", "1G", &v, &e), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(job_parse_size("--roll-size", "512k", &v, &e), 0);
	assert_int_equal(v, 512ull << 10);
	assert_int_equal(job_parse_size("--roll-size", "100", &v, &e), 0);
	assert_int_equal(v, 100);
	assert_int_equal(job_parse_size("--roll-size", "64MiB", &v, &e), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(job_parse_size("--roll-size", "64Q", &v, &e), -1);
	assert_non_null(strstr(e.msg, "--roll-size"));
	assert_non_null(strstr(e.msg, "64Q"));
	assert_int_equal(job_parse_size("--roll-size", "-1", &v, &e), -1);
	assert_int_equal(job_parse_size("--roll-size", "", &v, &e), -1);
}

static void test_parse_numbers(void **st)
{
	(void)st;
	long long i;
	double d;
	job_err e;
	assert_int_equal(job_parse_int("--cars", "100", 1, 9999, &i, &e), 0);
	assert_int_equal(i, 100);
	assert_int_equal(job_parse_int("--cars", "0", 1, 9999, &i, &e), -1);
	assert_non_null(strstr(e.msg, "--cars"));
	assert_int_equal(job_parse_int("--cars", "12x", 1, 9999, &i, &e), -1);
	assert_non_null(strstr(e.msg, "not an integer"));
	assert_int_equal(job_parse_ratio("--max-reject-ratio", "0.25", &d, &e), 0);
	assert_true(d == 0.25);
	assert_int_equal(job_parse_ratio("--max-reject-ratio", "1.5", &d, &e), -1);
	assert_non_null(strstr(e.msg, "--max-reject-ratio"));
	assert_int_equal(job_parse_ratio("--max-reject-ratio", "abc", &d, &e), -1);
}

static void test_parse_date(void **st)
{
	(void)st;
	char out[9];
	job_err e;
	assert_int_equal(job_parse_date("--date", "20160101", out, &e), 0);
	assert_string_equal(out, "20160101");
	assert_int_equal(job_parse_date("--date", "20160229", out, &e), 0);
	assert_int_equal(job_parse_date("--date", "20150229", out, &e), -1);
	assert_int_equal(job_parse_date("--date", "20161301", out, &e), -1);
	assert_int_equal(job_parse_date("--date", "2016-01-01", out, &e), -1);
	assert_non_null(strstr(e.msg, "--date"));
}

static void test_result_line(void **st)
{
	(void)st;
	char path[] = "/tmp/test_job_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	job_result_add("records_read", 5);
	job_result_add("records_read", 2);
	job_result_set_int("rejected", 1);
	job_result_set_str("dest", "a\"b");
	job_result_set_double("mb_per_s", 1.5);
	job_result_set_str("file", "x\xffy");	/* not UTF-8: repaired, the line stays JSON */
	job_result_set_double("ratio", 2.0 / 3);
	job_result_set_double("bad", NAN);
	assert_int_equal(job_result_get_int("records_read"), 7);
	job_result_print();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	char buf[512] = { 0 };
	assert_true(pread(fd, buf, sizeof buf - 1, 0) > 0);
	close(fd);
	unlink(path);
	assert_non_null(strstr(buf, "{\"job\":\"test\",\"records_read\":7,\"rejected\":1,\"dest\":\"a\\\"b\",\"mb_per_s\":1.5,"
				    "\"file\":\"x\xef\xbf\xbdy\",\"ratio\":0.666667,\"bad\":null,\"seconds\":"));
	assert_non_null(strstr(buf, "}\n"));
	int lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1);
}

/* Off a terminal, progress is an info line every JOB_PROGRESS_SECONDS (the
 * line is waited for, with a generous bound), none at the finish. */
static void test_progress_lines(void **st)
{
	(void)st;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	int saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	setenv("JOB_PROGRESS_SECONDS", "0.01", 1);
	job_progress_start("loading", 1024, "items");
	char got[4096];
	ssize_t n = 0;
	for (int i = 0; i < 30000 && n <= 0; i++) {
		job_progress_add(1);
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		n = read(fds[0], got, sizeof got - 1);
	}
	job_progress_finish();
	dup2(saved, STDERR_FILENO);
	close(saved);
	unsetenv("JOB_PROGRESS_SECONDS");
	assert_true(n > 0);
	got[n] = '\0';
	assert_non_null(strstr(got, " level=info job="));
	assert_non_null(strstr(got, " msg=\"progress\" what=loading done="));
	assert_non_null(strstr(got, " total=1024.0 unit=items percent="));
	assert_non_null(strstr(got, " rate="));
	assert_null(strchr(got, '\r'));		/* no bar off a terminal */
	close(fds[0]);
	close(fds[1]);
}

static void test_stop_flag(void **st)
{
	(void)st;
	assert_false(job_stopping());
	raise(SIGTERM);
	assert_true(job_stopping());
	assert_int_equal(job_stop_signal(), SIGTERM);
}

static void test_mono_ms(void **st)
{
	(void)st;
	int64_t a = job_mono_ms();
	usleep(30000);
	int64_t b = job_mono_ms();
	assert_true(b - a >= 25 && b - a < 5000);
}

static void test_err_prefix(void **st)
{
	(void)st;
	job_err e;
	job_err_set(&e, "disk full");
	job_err_prefix(&e, "writing %s", "x.log");
	assert_string_equal(e.msg, "writing x.log: disk full");
}

int main(int argc, char **argv)
{
	job_init("test", argc, argv);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kv_quoting),   cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_numbers), cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_result_line),  cmocka_unit_test(test_err_prefix),
		cmocka_unit_test(test_stop_flag),    cmocka_unit_test(test_mono_ms),
		cmocka_unit_test(test_progress_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
