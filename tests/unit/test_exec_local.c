/* test_exec_local.c: the local executor's supervisor: output in the log, the
 * last stdout line, exit codes and signals in the exit record, the lock that
 * tells a live supervisor from a gone one, no inherited descriptors; and the
 * launcher that forks supervisors for the daemon. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "executors/launcher.h"
#include "executors/local.h"

extern char **environ;
static char dir[64];
static struct launcher *L;	/* one for the group, forked in setup */
static int leak_fd = -1;	/* open without O_CLOEXEC when it was forked */

static int launcher_wait(struct launcher *l, pid_t want, struct exec_status *rec, uint64_t *token);
static pid_t exec_sync(struct launcher *l, const struct exec_request *r, char *err, size_t errlen);

static pid_t run(const char *script, const char *name)
{
	char base[256];
	snprintf(base, sizeof base, "%s/%s/try-1", dir, name);
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	char err[256];
	pid_t pid = exec_sync(L, &r, err, sizeof err);
	assert_true(pid > 0);
	return pid;
}

/* Waits for the try's EXITED, takes its record, and acks it: until then its
 * log stays locked (the outcome is not committed anywhere yet); after, not. */
static void wait_status(const char *name, struct exec_status *st, pid_t pid)
{
	uint64_t token;
	launcher_wait(L, pid, st, &token);
	char base[256];
	snprintf(base, sizeof base, "%s/%s/try-1", dir, name);
	pid_t seen;
	assert_int_equal(exec_probe(base, &seen), EXEC_ALIVE);
	assert_int_equal(launcher_ack(L, token), 0);
	for (int i = 0; i < 500 && exec_probe(base, &seen) == EXEC_ALIVE; i++)
		usleep(2000);
	assert_int_equal(exec_probe(base, &seen), EXEC_NEVER_STARTED);	/* no .sup: nothing to recover */
	struct exec_status none;
	assert_int_equal(exec_read_status(base, &none), 0);
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
	assert_int_equal(exec_probe(base, &seen), EXEC_ALIVE);
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
	/* The command leads its group: signalling the group reaches it. */
	assert_int_equal(exec_signal(pid, SIGTERM), 0);
	struct exec_status st;
	wait_status("alive", &st, pid);
	assert_int_equal(st.term_signal, SIGTERM);
	assert_int_equal(st.exit_code, -1);
	exec_status_free(&st);
	snprintf(base, sizeof base, "%s/never/try-1", dir);
	assert_int_equal(exec_probe(base, &seen), EXEC_NEVER_STARTED);
}

static void test_no_inherited_fds(void **state)
{
	(void)state;
	pid_t pid = run("echo $(ls /proc/self/fd | wc -l) $(readlink /proc/self/fd/3)", "fds");
	struct exec_status st;
	wait_status("fds", &st, pid);
	/* 0 1 2, the try's lock at 3, and the fd ls reads the directory with:
	 * nothing of the test process (leak_fd) nor of the launcher. */
	char want[300];
	snprintf(want, sizeof want, "5 %s/fds/try-1.log", dir);
	assert_string_equal(st.last_line, want);
	exec_status_free(&st);
}

/* A command that could not run: exit 127 (under valgrind the forked child's
 * leak check turns it into the error exit code; run-unit.sh says so) and the
 * reason at the top of its log, as a shell says it. Frees st. */
static void assert_could_not_run(struct exec_status *st, const char *base, const char *reason)
{
	if (!getenv("UNIT_UNDER_VALGRIND"))
		assert_int_equal(st->exit_code, 127);
	exec_status_free(st);
	char logp[300], line[300] = "";
	snprintf(logp, sizeof logp, "%s.log", base);
	FILE *f = fopen(logp, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_non_null(strstr(line, reason));
}

static void test_missing_program(void **state)
{
	(void)state;
	char base[256];
	snprintf(base, sizeof base, "%s/missing/try-1", dir);
	char *argv[] = { "/no/such/program", NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	char err[256];
	pid_t pid = exec_sync(L, &r, err, sizeof err);
	/* A program that is not there is started the slow way, fork then exec:
	 * the command starts, fails to exec and exits 127. */
	assert_true(pid > 0);
	struct exec_status st;
	wait_status("missing", &st, pid);
	assert_true(st.exit_code != 0);
	assert_could_not_run(&st, base, "cannot run /no/such/program");
}

static void write_file(const char *path, const char *text)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "mkdir -p $(dirname %s)", path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The exit record is taken only whole: a supervisor killed while appending it
 * leaves a record without its final newline, which must read as "no status". */
static void test_exit_record_whole_or_nothing(void **state)
{
	(void)state;
	char base[256], path[300];
	snprintf(base, sizeof base, "%s/rec/try-1", dir);
	snprintf(path, sizeof path, "%s.sup", base);
	struct exec_status st;
	const char *cut[] = { "", "123\n", "123\n0 0 10 20", "123\n0 0 10 20\n", "123\n0 0 10 20\n{\"a\":" };
	for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
		write_file(path, cut[i]);
		assert_int_equal(exec_read_status(base, &st), 0);
	}
	write_file(path, "123\n3 0 10 20\n\n");
	assert_int_equal(exec_read_status(base, &st), 1);
	assert_int_equal(st.exit_code, 3);
	assert_null(st.last_line);
	assert_int_equal(st.started_us, 10);
	assert_int_equal(st.ended_us, 20);
	write_file(path, "123\n-1 9 10 20\n{\"rows\": 5}\n");
	assert_int_equal(exec_read_status(base, &st), 1);
	assert_int_equal(st.term_signal, 9);
	assert_string_equal(st.last_line, "{\"rows\": 5}");
	exec_status_free(&st);
	snprintf(base, sizeof base, "%s/rec/none", dir);
	assert_int_equal(exec_read_status(base, &st), 0);
}

/* EXITED events seen while waiting for something else. */
static struct { pid_t pid; uint64_t token; struct exec_status rec; } seen_exits[64];
static int nseen;

/* The next event, waiting up to 10 s: 1, or -1 when the launcher is gone. */
static int next_event(struct launcher *l, struct launcher_event *ev)
{
	for (int i = 0; i < 1000; i++) {
		int got = launcher_next_event(l, ev);
		if (got != 0)
			return got;
		struct pollfd pf = { launcher_event_fd(l), POLLIN, 0 };
		poll(&pf, 1, 10);
	}
	fail_msg("no event from the launcher in 10 s");
	return -1;
}

static struct exec_status copy_record(const struct exec_status *r)
{
	struct exec_status c = *r;
	c.last_line = r->last_line ? strdup(r->last_line) : NULL;
	return c;
}

/* Submits and waits for its STARTED (the pid) or START_FAILED (-1 with err);
 * -2 when the launcher is gone. */
static pid_t exec_sync(struct launcher *l, const struct exec_request *r, char *err, size_t errlen)
{
	static uint64_t token;
	if (launcher_submit(l, ++token, r) < 0)
		return -2;
	struct launcher_event ev;
	for (;;) {
		if (next_event(l, &ev) < 0)
			return -2;
		if (ev.kind == LAUNCHER_EXITED) {
			assert_true(nseen < 64);
			seen_exits[nseen].pid = ev.pid;
			seen_exits[nseen].token = ev.token;
			seen_exits[nseen++].rec = copy_record(&ev.record);
			continue;
		}
		assert_true(ev.token == token);
		if (ev.kind == LAUNCHER_STARTED)
			return ev.pid;
		snprintf(err, errlen, "%.200s", ev.err);
		return -1;
	}
}

/* Waits for the launcher to report pid ended: its wait status, exit record
 * (*rec, to free) and token. */
static int launcher_wait(struct launcher *l, pid_t want, struct exec_status *rec, uint64_t *token)
{
	for (int i = 0; i < nseen; i++)
		if (seen_exits[i].pid == want) {
			*rec = seen_exits[i].rec;
			*token = seen_exits[i].token;
			seen_exits[i] = seen_exits[--nseen];
			return 0;
		}
	struct launcher_event ev;
	for (;;) {
		assert_int_equal(next_event(l, &ev), 1);
		if (ev.kind == LAUNCHER_EXITED && ev.pid == want) {
			*rec = copy_record(&ev.record);
			*token = ev.token;
			return ev.status;
		}
	}
}

/* A launcher of the test's own (the group's L is shared by the others). */
static struct launcher *own_launcher(void)
{
	char err[256];
	struct launcher *l = launcher_start(-1, err, sizeof err);
	if (!l)
		fail_msg("launcher_start: %s", err);
	return l;
}

static void test_launcher_runs_and_reports(void **state)
{
	(void)state;
	char err[256];
	struct launcher *l = own_launcher();
	char base[256];
	snprintf(base, sizeof base, "%s/via/try-1", dir);
	char *argv[] = { "sh", "-c", "echo hello; echo '{\"n\": 1}'; exit 4", NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", "X=1", NULL };
	struct exec_request r = { .argv = argv, .envp = envp, .cwd = "/", .base = base };
	pid_t pid = exec_sync(l, &r, err, sizeof err);
	assert_true(pid > 0);
	struct exec_status st;
	uint64_t token;
	int ws = launcher_wait(l, pid, &st, &token);
	assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 4);
	assert_int_equal(st.exit_code, 4);
	assert_string_equal(st.last_line, "{\"n\": 1}");
	assert_true(st.started_us > 0 && st.ended_us >= st.started_us);
	exec_status_free(&st);
	/* A second start of the same try while nothing holds it is allowed; an
	 * error of the executor comes back as an error, not a pid. */
	snprintf(base, sizeof base, "/proc/no-such-dir/try-1");
	r.base = base;
	assert_int_equal(exec_sync(l, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create log directory"));
	launcher_close(l);
}

/* The launcher dying never lets a second try start beside a live one: the
 * command holds its lock (fd 3) on its own, so it reads as alive until it
 * ends; then, with nobody to write its exit record, as gone without one (a
 * failed try). The daemon side learns that the launcher is gone. */
static void test_launcher_death_keeps_lock(void **state)
{
	(void)state;
	char err[256];
	struct launcher *l = own_launcher();
	char base[256];
	snprintf(base, sizeof base, "%s/orphan/try-1", dir);
	char *argv[] = { "sleep", "0.3", NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	pid_t pid = exec_sync(l, &r, err, sizeof err);
	assert_true(pid > 0);
	assert_int_equal(kill(launcher_pid(l), SIGKILL), 0);
	waitpid(launcher_pid(l), NULL, 0);
	pid_t seen = 0;
	assert_int_equal(exec_probe(base, &seen), EXEC_ALIVE);
	struct launcher_event ev;
	assert_int_equal(next_event(l, &ev), -1);
	assert_int_equal(exec_sync(l, &r, err, sizeof err), -2);
	for (int i = 0; i < 300 && exec_probe(base, &seen) == EXEC_ALIVE; i++)
		usleep(10000);
	/* No record anywhere: the daemon learns from its store that it started. */
	assert_int_equal(exec_probe(base, &seen), EXEC_NEVER_STARTED);
	struct exec_status st;
	assert_int_equal(exec_read_status(base, &st), 0);
	launcher_close(l);
}

/* A launcher whose daemon is gone writes what a new daemon needs: the record
 * of a try that ended but was not acknowledged (then lets go of its lock),
 * the pid of a live one, and that one's record when it ends. */
static void test_orphaned_launcher_writes_records(void **state)
{
	(void)state;
	char err[256], ba[256], bb[256];
	struct launcher *l = own_launcher();
	snprintf(ba, sizeof ba, "%s/orph-live/try-1", dir);
	snprintf(bb, sizeof bb, "%s/orph-ended/try-1", dir);
	char *la[] = { "sh", "-c", "sleep 0.4; echo late", NULL }, *lb[] = { "sh", "-c", "echo early", NULL };
	struct exec_request ra = { .argv = la, .envp = environ, .base = ba };
	struct exec_request rb = { .argv = lb, .envp = environ, .base = bb };
	pid_t pa = exec_sync(l, &ra, err, sizeof err), pb = exec_sync(l, &rb, err, sizeof err);
	assert_true(pa > 0 && pb > 0);
	struct exec_status st;
	uint64_t token;
	launcher_wait(l, pb, &st, &token);	/* ended, never acked */
	exec_status_free(&st);
	pid_t seen;
	assert_int_equal(exec_probe(bb, &seen), EXEC_ALIVE);
	launcher_close(l);	/* the daemon goes away */
	for (int i = 0; i < 300 && exec_probe(bb, &seen) == EXEC_ALIVE; i++)
		usleep(10000);
	assert_int_equal(exec_probe(bb, &seen), EXEC_GONE);
	assert_int_equal(seen, pb);
	assert_int_equal(exec_read_status(bb, &st), 1);
	assert_int_equal(st.exit_code, 0);
	assert_string_equal(st.last_line, "early");
	exec_status_free(&st);
	seen = 0;
	for (int i = 0; i < 300 && seen == 0; i++) {
		assert_int_equal(exec_probe(ba, &seen), EXEC_ALIVE);
		usleep(2000);
	}
	assert_int_equal(seen, pa);
	assert_int_equal(exec_read_status(ba, &st), 0);	/* still running */
	for (int i = 0; i < 300 && exec_probe(ba, &seen) == EXEC_ALIVE; i++)
		usleep(10000);
	assert_int_equal(exec_probe(ba, &seen), EXEC_GONE);
	assert_int_equal(exec_read_status(ba, &st), 1);
	assert_int_equal(st.exit_code, 0);
	assert_string_equal(st.last_line, "late");
	assert_true(st.ended_us - st.started_us >= 300000);
	exec_status_free(&st);
}

/* A second start of a try whose command still runs is refused. */
static void test_live_try_not_started_twice(void **state)
{
	(void)state;
	char base[256], err[256];
	snprintf(base, sizeof base, "%s/twice/try-1", dir);
	char *argv[] = { "sleep", "0.2", NULL };
	struct exec_request r = { .argv = argv, .envp = environ, .base = base };
	pid_t pid = exec_sync(L, &r, err, sizeof err);
	assert_true(pid > 0);
	assert_int_equal(exec_sync(L, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "still alive"));
	struct exec_status st;
	wait_status("twice", &st, pid);
	assert_int_equal(st.exit_code, 0);
	exec_status_free(&st);
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The launcher holds a STARTED back a few milliseconds, to send it with the
 * EXITED of a short command; a long command's STARTED still comes long
 * before its end (the daemon shows it running, and knows its pid). */
static void test_started_not_held_until_exit(void **state)
{
	(void)state;
	int64_t t0 = mono_us();
	pid_t pid = run("exec sleep 2", "held");
	int64_t waited = mono_us() - t0;
	assert_true(waited < 1000000);
	exec_signal(pid, SIGTERM);
	struct exec_status st;
	wait_status("held", &st, pid);
	assert_int_equal(st.term_signal, SIGTERM);
	exec_status_free(&st);
}

/* Runs argv with envp and cwd as try NAME: its record, and its pid. */
static pid_t run_request(char **argv, char **envp, const char *cwd, const char *name, struct exec_status *st)
{
	char base[256], err[256];
	snprintf(base, sizeof base, "%s/%s/try-1", dir, name);
	struct exec_request r = { .argv = argv, .envp = envp, .cwd = cwd, .base = base };
	pid_t pid = exec_sync(L, &r, err, sizeof err);
	assert_true(pid > 0);
	wait_status(name, st, pid);
	return pid;
}

/* What a command starts with, whichever way the launcher started it: its name
 * found in the try's PATH (not the launcher's), the try's cwd, a session of
 * its own, no signal ignored or blocked (the launcher ignores SIGTERM and
 * blocks SIGCHLD); a bad cwd and a script without #! behave as in a shell. */
static void test_command_environment(void **state)
{
	(void)state;
	char bin[128], path[256], script[200];
	snprintf(bin, sizeof bin, "%s/bin", dir);
	snprintf(script, sizeof script, "%s/hello-sched", bin);
	write_file(script, "#!/bin/sh\n"
			   "echo \"$(pwd) $$ $(cut -d' ' -f6 /proc/$$/stat) $(sed -n 's/^SigIgn:\\t//p' /proc/$$/status)"
			   " $(sed -n 's/^SigBlk:\\t//p' /proc/$$/status) $X\"\n");
	assert_int_equal(chmod(script, 0755), 0);
	snprintf(path, sizeof path, "PATH=%s:/usr/bin:/bin", bin);
	char *argv[] = { "hello-sched", NULL };
	char *envp[] = { path, "X=from-try", NULL };
	struct exec_status st;
	pid_t pid = run_request(argv, envp, bin, "env", &st);
	assert_int_equal(st.exit_code, 0);
	assert_non_null(st.last_line);
	char cwd[200], x[32];
	int p, sid;
	unsigned long long ign, blk;
	assert_int_equal(sscanf(st.last_line, "%199s %d %d %llx %llx %31s", cwd, &p, &sid, &ign, &blk, x), 6);
	assert_string_equal(cwd, bin);
	assert_int_equal(p, pid);
	assert_int_equal(sid, pid);
	assert_string_equal(x, "from-try");
	assert_int_equal(blk, 0);
	/* glibc's posix_spawn leaves its two internal signals (32 and 33, which
	 * no program can use through libc) ignored; every other one is default. */
	assert_int_equal(ign & ~(3ULL << 31), 0);
	exec_status_free(&st);

	run_request(argv, envp, "/no/such/dir", "badcwd", &st);
	char base[256];
	snprintf(base, sizeof base, "%s/badcwd/try-1", dir);
	assert_could_not_run(&st, base, "cannot change to directory /no/such/dir");

	snprintf(script, sizeof script, "%s/no-shebang", bin);
	write_file(script, "echo plain script\n");
	assert_int_equal(chmod(script, 0755), 0);
	char *argv2[] = { "no-shebang", NULL };
	run_request(argv2, envp, NULL, "noshebang", &st);
	assert_int_equal(st.exit_code, 0);
	assert_string_equal(st.last_line, "plain script");
	exec_status_free(&st);

	/* The first of a name in PATH runs, even when it is such a script and
	 * a later one would be easier to start. */
	char later[100];
	snprintf(later, sizeof later, "%s/later", dir);
	snprintf(script, sizeof script, "%s/no-shebang", later);
	write_file(script, "#!/bin/sh\necho the later one\n");
	assert_int_equal(chmod(script, 0755), 0);
	snprintf(path, sizeof path, "PATH=%s:%s:/usr/bin:/bin", bin, later);
	run_request(argv2, envp, NULL, "first-in-path", &st);
	assert_int_equal(st.exit_code, 0);
	assert_string_equal(st.last_line, "plain script");
	exec_status_free(&st);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_exec.%d", (int)getpid());
	leak_fd = open("/dev/null", O_RDONLY);	/* without O_CLOEXEC on purpose */
	char err[256];
	L = launcher_start(-1, err, sizeof err);
	return L ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	launcher_close(L);
	close(leak_fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_and_result), cmocka_unit_test(test_failure_and_signal),
		cmocka_unit_test(test_probe_and_group_signal), cmocka_unit_test(test_no_inherited_fds),
		cmocka_unit_test(test_missing_program), cmocka_unit_test(test_exit_record_whole_or_nothing),
		cmocka_unit_test(test_launcher_runs_and_reports), cmocka_unit_test(test_launcher_death_keeps_lock),
		cmocka_unit_test(test_live_try_not_started_twice),
		cmocka_unit_test(test_orphaned_launcher_writes_records), cmocka_unit_test(test_command_environment),
		cmocka_unit_test(test_started_not_held_until_exit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
