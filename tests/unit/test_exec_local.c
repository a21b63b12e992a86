/* test_exec_local.c: the local executor's supervisor: output in the log, the
 * last stdout line, exit codes and signals in the status file, the lock that
 * tells a live supervisor from a gone one, and no inherited descriptors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "executors/local.h"

extern char **environ;
static char dir[64];

static pid_t run(const char *script, const char *name)
{
	char base[256];
	snprintf(base, sizeof base, "%s/%s/try-1", dir, name);
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	char err[256];
	pid_t pid = exec_start(&r, err, sizeof err);
	assert_true(pid > 0);
	return pid;
}

static void wait_status(const char *name, struct exec_status *st, pid_t pid)
{
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	char base[256];
	snprintf(base, sizeof base, "%s/%s/try-1", dir, name);
	assert_int_equal(exec_read_status(base, st), 1);
}

static void test_success_and_result(void **state)
{
	(void)state;
	pid_t pid = run("echo to-stderr >&2; echo first; printf '{\"n\": 1}'", "ok");
	struct exec_status st;
	wait_status("ok", &st, pid);
	assert_int_equal(st.exit_code, 0);
	assert_int_equal(st.term_signal, 0);
	assert_string_equal(st.last_line, "{\"n\": 1}");
	exec_status_free(&st);
	char path[256], buf[256] = { 0 };
	snprintf(path, sizeof path, "%s/ok/try-1.log", dir);
	int fd = open(path, O_RDONLY);
	assert_true(read(fd, buf, sizeof buf - 1) > 0);
	close(fd);
	assert_non_null(strstr(buf, "to-stderr"));
	assert_non_null(strstr(buf, "first"));
}

static void test_failure_and_signal(void **state)
{
	(void)state;
	struct exec_status st;
	pid_t pid = run("exit 3", "three");
	wait_status("three", &st, pid);
	assert_int_equal(st.exit_code, 3);
	assert_null(st.last_line);
	exec_status_free(&st);
	pid = run("kill -9 $$", "killed");
	wait_status("killed", &st, pid);
	assert_int_equal(st.exit_code, -1);
	assert_int_equal(st.term_signal, 9);
	exec_status_free(&st);
}

static void test_probe_and_group_signal(void **state)
{
	(void)state;
	pid_t pid = run("echo up; exec sleep 30", "alive");
	char base[256];
	snprintf(base, sizeof base, "%s/alive/try-1", dir);
	pid_t seen = 0;
	for (int i = 0; i < 100 && seen == 0; i++) {
		assert_int_equal(exec_probe(base, &seen), EXEC_ALIVE);
		usleep(10000);
	}
	assert_int_equal(seen, pid);
	/* Wait until the command runs (its output reached the log). */
	char logp[300];
	snprintf(logp, sizeof logp, "%s.log", base);
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(logp, "r");
		int c = f ? fgetc(f) : EOF;
		if (f)
			fclose(f);
		if (c == 'u')
			break;
		usleep(10000);
	}
	usleep(50000);
	/* The supervisor ignores SIGTERM; the command in its group gets it. */
	assert_int_equal(exec_signal(pid, SIGTERM), 0);
	struct exec_status st;
	wait_status("alive", &st, pid);
	assert_int_equal(st.term_signal, SIGTERM);
	exec_status_free(&st);
	assert_int_equal(exec_probe(base, &seen), EXEC_GONE);
	snprintf(base, sizeof base, "%s/never/try-1", dir);
	assert_int_equal(exec_probe(base, &seen), EXEC_NEVER_STARTED);
}

static void test_no_inherited_fds(void **state)
{
	(void)state;
	int leak = open("/dev/null", O_RDONLY);	/* without O_CLOEXEC on purpose */
	pid_t pid = run("ls /proc/self/fd | wc -l", "fds");
	struct exec_status st;
	wait_status("fds", &st, pid);
	/* 0 1 2 and the fd ls uses to read the directory */
	assert_string_equal(st.last_line, "4");
	exec_status_free(&st);
	close(leak);
}

static void test_missing_program(void **state)
{
	(void)state;
	char base[256];
	snprintf(base, sizeof base, "%s/missing/try-1", dir);
	char *argv[] = { "/no/such/program", NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	char err[256];
	pid_t pid = exec_start(&r, err, sizeof err);
	struct exec_status st;
	wait_status("missing", &st, pid);
	assert_int_equal(st.exit_code, 127);
	exec_status_free(&st);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_exec.%d", (int)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_and_result), cmocka_unit_test(test_failure_and_signal),
		cmocka_unit_test(test_probe_and_group_signal), cmocka_unit_test(test_no_inherited_fds),
		cmocka_unit_test(test_missing_program),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
