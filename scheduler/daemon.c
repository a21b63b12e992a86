/* daemon.c: schedulerd's event loop. One thread, one poll():
 *   launcher   a try ended (executors/launcher.h): react at once, no polling
 *              sleep
 *   signalfd   SIGCHLD (the launcher, our only child), SIGHUP (reload DAGs),
 *              SIGTERM/SIGINT (drain, then exit)
 *   inotify    the DAG folder (a changed, new or removed file)
 *   wake FIFO  another process wrote a request into the store (wake.h)
 *   parser     the DAG parse worker wrote results (dag_parse.h); the pass
 *              applies them (dagbag_collect)
 *   slurm      the Slurm job list thread has an answer (slurm_dispatch.c)
 *   timeout    the earliest of: a cron interval ending, a retry due, a
 *              timeout or kill grace, a sensor poke, the next poll of the
 *              Slurm jobs (slurm_dispatch.c), and at most 250 ms so
 *              a writer that does not ring (a plain sqlite3) is seen too.
 * An exclusive lock on <state>.lock keeps a second daemon off the same state.
 * Each pass of the loop is one transaction (end_pass): committed whole, or
 * rolled back whole and the view rebuilt from the store (recover.c).
 * Tries go to the launcher and its events come back through dispatch.c; WAL
 * checkpoints run on a thread of their own (checkpoint.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executors/launcher.h"
#include "executors/local.h"
#include "scheduler/checkpoint.h"
#include "scheduler/daemon.h"
#include "scheduler/notify_send.h"
#include "scheduler/retain.h"
#include "scheduler/slog.h"
#include "scheduler/status.h"
#include "scheduler/store_daemon.h"
#include "scheduler/wake.h"

int daemon_run(const struct daemon_config *cfg);

static int lock_state(const char *state_path)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.lock", state_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		slog(SLOG_ERROR, "start_failed", "file=%s error=%s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char buf[32] = { 0 };
		ssize_t n = read(fd, buf, sizeof buf - 1);
		(void)n;
		slog(SLOG_ERROR, "start_failed", "error=%s pid=%s", "another schedulerd uses this state file",
		     buf[0] ? strtok(buf, "\n") : "?");
		close(fd);
		return -1;
	}
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == 0 && write(fd, buf, (size_t)n) < 0)
		slog(SLOG_WARN, "lock_write_failed", "file=%s", path);
	return fd;
}

/* Reaps launchers that exited (a lost one is noticed through its socket)
 * and the --retain and outbox workers (retain.c and notify_send.c are told,
 * so their pid is never used again). */
static void reap(struct daemon *d)
{
	pid_t pid;
	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		retain_child_gone(d, pid);
		notify_send_child_gone(d, pid);
	}
}

/* Records every proc that has ended: ours once the launcher reported them,
 * adopted ones once their lock is free (probed at most every 100 ms). */
static void finish_ended(struct daemon *d, int64_t now)
{
	bool probe = now - d->last_adopt_probe_us >= 100000;
	if (probe)
		d->last_adopt_probe_us = now;
	for (struct proc *p = d->procs; p; p = p->next) {
		if (p->phase == PROC_WATCHED && probe && !p->slurm) {	/* Slurm's: by polling */
			pid_t pid;
			enum exec_probe_result r = exec_probe(p->base, &pid);
			if (r != EXEC_ALIVE)
				proc_lock_free(p);
			else if (p->pid <= 0)
				p->pid = pid;
		}
		if (p->phase == PROC_EXITED)
			runner_record_exit(d, p);	/* -> RECORDED: stays listed until the commit */
	}
}

/* The end of a pass: committed, its tries go to the launcher and the tries
 * it recorded are acked; rolled back (a statement or the COMMIT failed, e.g.
 * a full disk), nothing is sent, the view is rebuilt from the store and the
 * ended tries are recorded again by the next pass. */
static bool end_pass(struct daemon *d)
{
	if (store_commit(d->store) < 0) {
		slog(SLOG_ERROR, "commit_failed", "error=%s action=%s", d->store->err,
		     "rolled back; rebuild from the store");
		proc_pass_rolled_back(d);
		dagbag_pass_rolled_back(d);
		d->need_sync = true;
		return false;
	}
	dispatch_send_acks(d);
	proc_pass_committed(d);
	runner_submit_pending(d);
	return true;
}

int daemon_run(const struct daemon_config *cfg)
{
	struct daemon dd = { .cfg = *cfg }, *d = &dd;
	char err[512];
	int lock_fd = lock_state(cfg->state_path);
	if (lock_fd < 0)
		return 1;
	/* Before the store and the DAGs make this process big: see launcher.h. */
	d->lock_fd = lock_fd;
	d->launcher = launcher_start(lock_fd, err, sizeof err);
	if (!d->launcher)
		slog(SLOG_ERROR, "launcher_failed", "error=%s", err);
	d->store = store_open(cfg->state_path, STORE_CREATE, err, sizeof err);
	if (!d->store || (cfg->sync_full && store_sync_full(d->store) < 0)) {
		slog(SLOG_ERROR, "start_failed", "error=%s", d->store ? d->store->err : err);
		store_close(d->store);
		launcher_close(d->launcher);	/* it ends when its daemon does */
		close(lock_fd);
		return 1;
	}
	if (slurm_dispatch_open(d, err, sizeof err) < 0) {
		slog(SLOG_ERROR, "start_failed", "error=%s", err);
		store_close(d->store);
		launcher_close(d->launcher);
		close(lock_fd);
		return 1;
	}

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	/* After the mask: the thread inherits it, so signals stay the signalfd's.
	 * SQLite's own checkpoint after a commit stays on: it is what rewinds the
	 * WAL, and with the thread keeping the backfill near the end it finds
	 * little or nothing left to copy and sync. */
	struct checkpointer *ckpt = checkpointer_start(cfg->state_path, 100, err, sizeof err);
	if (!ckpt)
		slog(SLOG_WARN, "checkpointer_failed", "error=%s fallback=%s", err, "checkpoint in commits");
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd >= 0 && inotify_add_watch(ifd, cfg->dags_dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
							     IN_DELETE | IN_CREATE | IN_ATTRIB) < 0)
		slog(SLOG_WARN, "watch_failed", "dir=%s error=%s fallback=%s", cfg->dags_dir, strerror(errno),
		     "rescan every 10s");

	int wfd = wake_listen(cfg->state_path, err, sizeof err);
	if (wfd < 0)
		slog(SLOG_WARN, "wake_fifo_failed", "error=%s fallback=%s", err, "requests seen within 250 ms");
	slog(SLOG_INFO, "started", "pid=%d dags=%s state=%s logs=%s parallelism=%d", (int)getpid(),
	     cfg->dags_dir, cfg->state_path, cfg->logs_dir, cfg->parallelism);
	dagbag_reload(d);
	dagbag_settle(d);	/* the first load, before runs are rebuilt on it */
	/* Start-up reconciliation is one transaction too; until it commits,
	 * each pass does it again. */
	bool recovered = false;
	struct status status;	/* the heartbeat and loop statistics (status.h) */
	status_init(&status, store_now_us());
	if (store_begin(d->store) == 0) {
		recover_sync(d, true);
		runner_process_requests(d);
		status_write(&status, d, store_now_us());
		recovered = end_pass(d);
	}

	int64_t reload_at = 0, last_rescan = store_now_us();
	int terms = 0;
	for (;;) {
		int64_t now = store_now_us();
		/* One transaction for every transition of this pass: what ended, what
		 * that made ready, the intents of the tries to start. The tries go to
		 * the launcher only once it is committed. When another writer holds
		 * the store past the busy timeout, the pass waits for the next turn:
		 * its transitions would otherwise commit one by one. */
		int timeout = 100;
		if (store_begin(d->store) < 0) {
			slog(SLOG_WARN, "store_busy", "error=%s action=%s", d->store->err, "pass retried in 100 ms");
			goto wait;
		}
		/* Another process's commit is seen before any exit is recorded
		 * (none can come in meanwhile: BEGIN IMMEDIATE holds the write
		 * lock): an exit handled on the runs as they were before a
		 * schedctl stop or mark would write over the states it set. */
		bool external = store_changed_externally(d->store);
		if (external) {
			dagbag_refresh_flags(d);
			d->need_sync = true;
		}
		if (d->need_sync || !recovered)
			recover_sync(d, !recovered);
		runner_record_started(d);
		slurm_dispatch_record(d);
		finish_ended(d, now);
		if ((reload_at && now >= reload_at) || d->need_reload || now - last_rescan > 10000000) {
			reload_at = 0;
			d->need_reload = false;
			last_rescan = now;
			dagbag_reload(d);
		}
		dagbag_collect(d);
		if (d->need_sync)	/* the reload may ask for it */
			recover_sync(d, !recovered);
		if (external)
			runner_process_requests(d);
		int64_t wake = planner_tick(d, now);
		int64_t w2 = runner_tick(d, now);
		if (w2 && (!wake || w2 < wake))
			wake = w2;
		status_write(&status, d, now);
		alerts_tick(d, now);	/* deadlines (docs/alerts.md) */
		bool committed = end_pass(d);
		if (committed)
			recovered = true;
		/* Outside the pass: HTTP to slurmrestd holds no store lock. */
		int64_t w3 = slurm_dispatch_poll(d, store_now_us());
		if (w3 && (!wake || w3 < wake))
			wake = w3;
		runner_drop_finished(d);
		retain_tick(d, now);
		status_pass_done(&status, store_now_us() - now);
		notify_send_tick(d, now);
		if (d->draining) {
			/* Slurm batch jobs go on on the cluster and are adopted by the
			 * next start: only local tries and cancellations are waited for. */
			int left = 0;
			for (struct proc *p = d->procs; p; p = p->next)
				left += p->phase != PROC_RECORDED &&
					(!p->slurm || (p->term_sent_us && !p->cancel_sent && p->job_id > 0));
			if (left == 0 || now >= d->drain_deadline_us)
				break;
		}
		/* Something finished during this pass: go round again at once
		 * (after a rolled-back pass, 100 ms later: a failing disk is
		 * retried, not spun on). */
		bool pending = false;
		for (struct proc *p = d->procs; p && !pending; p = p->next)
			pending = p->phase == PROC_EXITED || p->started_pending || p->job_id_pending;
		int64_t limit = now + 250000;
		if (reload_at && reload_at < limit)
			limit = reload_at;
		if (!wake || wake > limit)
			wake = limit;
		timeout = pending ? 0 : (int)((wake - now + 999) / 1000);
		if (timeout < 0)
			timeout = 0;
		if (!committed && timeout < 100)
			timeout = 100;
	wait:;
		struct pollfd pf[6] = { { sfd, POLLIN, 0 }, { ifd, POLLIN, 0 },
					{ d->launcher ? launcher_event_fd(d->launcher) : -1, POLLIN, 0 },
					{ wfd, POLLIN, 0 }, { dagbag_parse_fd(d), POLLIN, 0 },
					{ slurm_dispatch_fd(d), POLLIN, 0 } };	/* read by slurm_dispatch_poll */
		int n = poll(pf, 6, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == sizeof si) {
				if (si.ssi_signo == SIGCHLD) {
					reap(d);
				} else if (si.ssi_signo == SIGHUP) {
					slog(SLOG_INFO, "reload", "reason=%s", "SIGHUP");
					dagbag_reload(d);
					d->need_sync = true;
				} else if (++terms == 1) {
					slog(SLOG_INFO, "draining", "running=%d drain_ms=%lld", d->nprocs,
					     (long long)cfg->drain_ms);
					d->draining = true;
					d->drain_deadline_us = store_now_us() + cfg->drain_ms * 1000;
					runner_stop_all(d, true);
				} else {
					slog(SLOG_WARN, "stopping_now", "left_running=%d", d->nprocs);
					d->drain_deadline_us = 0;
				}
			}
			reap(d);
		}
		if (pf[2].revents)
			dispatch_read_events(d);	/* recorded by the next pass */
		if (ifd >= 0 && (pf[1].revents & POLLIN)) {
			char buf[8192];
			while (read(ifd, buf, sizeof buf) > 0)
				;
			reload_at = store_now_us() + 100000;	/* let an editor finish writing */
		}
		if (pf[3].revents & POLLIN)
			wake_drain(wfd);	/* the next pass reads the store */
	}
	retain_stop(d);
	notify_send_stop(d);
	slog(SLOG_INFO, "stopped", "left_running=%d", d->nprocs);
	runner_free_runs(d);
	free(d->runs);
	free(d->bfs);
	proc_free_all(d);
	dagbag_free(d);
	pool_table_free(&d->pools);
	free(d->ready);
	checkpointer_stop(ckpt);
	slurm_dispatch_close(d);
	store_close(d->store);
	launcher_close(d->launcher);
	close(sfd);
	if (ifd >= 0)
		close(ifd);
	if (wfd >= 0)
		close(wfd);
	close(lock_fd);
	return 0;
}
