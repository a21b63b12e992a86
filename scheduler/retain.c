/* retain.c: schedulerd --retain (see retain.h for why a worker process). */
#include "scheduler/retain.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scheduler/daemon.h"
#include "scheduler/dag_parse.h"
#include "scheduler/slog.h"
#include "scheduler/store_clean.h"

extern char **environ;

/* A pause between batches as long as the target hold: the daemon's pass,
 * waiting on the busy handler, gets the lock before the next batch. */
#define RETAIN_PAUSE_US STORE_CLEAN_TARGET_US

void retain_child_gone(struct daemon *d, pid_t pid)
{
	if (pid > 0 && pid == d->retain_pid)
		d->retain_pid = 0;	/* it logged its own outcome */
}

/* Reaps the worker if it ended (the loop's reap() may have taken it first:
 * then retain_child_gone cleared retain_pid already, so a pid of ours is
 * never waited for or signalled once the kernel may have reused it). */
static void retain_reaped(struct daemon *d)
{
	if (d->retain_pid <= 0)
		return;
	pid_t r = waitpid(d->retain_pid, NULL, WNOHANG);
	if (r == d->retain_pid || (r < 0 && errno == ECHILD))
		d->retain_pid = 0;
}

void retain_tick(struct daemon *d, int64_t now)
{
	if (d->cfg.retain_days <= 0 || d->draining)
		return;
	retain_reaped(d);
	if (d->retain_pid > 0 || now < d->retain_next_us)
		return;
	d->retain_next_us = now + RETAIN_EVERY_US;
	char days[32];
	snprintf(days, sizeof days, "%d", d->cfg.retain_days);
	char *argv[] = { "schedulerd", "--retain-worker", (char *)d->cfg.state_path, days, NULL };
	pid_t pid;
	int rc = dag_worker_spawn(&pid, "/proc/self/exe", NULL, argv);
	if (rc != 0) {
		slog(SLOG_ERROR, "retain_failed", "error=%s action=%s", strerror(rc), "retry in an hour");
		d->retain_next_us = now + RETAIN_EVERY_US / 24;
		return;
	}
	d->retain_pid = pid;
	slog(SLOG_INFO, "retain_started", "pid=%d days=%d", (int)pid, d->cfg.retain_days);
}

void retain_stop(struct daemon *d)
{
	retain_reaped(d);
	if (d->retain_pid <= 0)
		return;
	kill(d->retain_pid, SIGTERM);
	while (waitpid(d->retain_pid, NULL, 0) < 0 && errno == EINTR)
		;
	d->retain_pid = 0;
}

int retain_worker_main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "schedulerd --retain-worker STATE DAYS (started by schedulerd --retain)\n");
		return 2;
	}
	char *end;
	long days = strtol(argv[1], &end, 10);
	if (*end || days < 1) {
		fprintf(stderr, "schedulerd --retain-worker: DAYS '%s' is not a positive number\n", argv[1]);
		return 2;
	}
	char err[512];
	struct store *s = store_open(argv[0], STORE_WRITE, err, sizeof err);
	if (!s) {
		slog(SLOG_ERROR, "retain_failed", "error=%s", err);
		return 1;
	}
	char cause[64];
	snprintf(cause, sizeof cause, "schedulerd --retain %ld", days);
	struct store_clean_opts o = { .before_us = store_now_us() - days * 86400LL * 1000000, .cause = cause,
				      .pause_us = RETAIN_PAUSE_US };
	struct store_clean_counts c;
	int rc = store_clean(s, &o, &c);
	if (rc < 0)
		slog(SLOG_ERROR, "retain_failed", "error=%s removed_runs=%lld action=%s", s->err, (long long)c.runs,
		     "next try in a day");
	else
		slog(SLOG_INFO, "retain_done",
		     "days=%ld runs=%lld task_instances=%lld tries=%lld events=%lld versions=%lld log_files=%lld"
		     " log_errors=%lld batches=%lld longest_lock_ms=%.1f elapsed_ms=%.1f",
		     days, (long long)c.runs, (long long)c.task_instances, (long long)c.tries, (long long)c.events,
		     (long long)c.versions, (long long)c.log_files, (long long)c.log_errors, (long long)c.batches,
		     c.longest_lock_us / 1000.0, c.elapsed_us / 1000.0);
	store_close(s);
	return rc < 0 ? 1 : 0;
}
