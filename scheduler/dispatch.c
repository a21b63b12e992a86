/* dispatch.c: the daemon's side of its launcher (executors/launcher.h), an
 * adapter: STARTED / START_FAILED / EXITED become proc.c transitions (the
 * loop's next pass records them in the store), tries go out once their intent
 * committed, acknowledgements once their outcome committed, and a new
 * launcher replaces a lost one. It calls nothing of the runner's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executors/launcher.h"
#include "scheduler/daemon.h"
#include "scheduler/slog.h"

/* The launcher died (or never came up): its tries are no longer reported, so
 * watch them by their locks like adopted ones, and start a new launcher
 * (forking the grown daemon: rare, and only on a fault). */
void dispatch_launcher_lost(struct daemon *d)
{
	if (d->launcher) {
		slog(SLOG_WARN, "launcher_lost", "pid=%d running=%d", (int)launcher_pid(d->launcher), d->nprocs);
		launcher_close(d->launcher);
		d->launcher = NULL;
	}
	proc_launcher_lost(d);
	char err[256];
	d->launcher = launcher_start(d->lock_fd, err, sizeof err);
	d->launcher_gen++;	/* the old one's tokens are never acked to this one */
	if (!d->launcher)
		slog(SLOG_ERROR, "launcher_failed", "error=%s", err);
}

static struct proc *proc_by_token(struct daemon *d, uint64_t token, enum proc_phase phase)
{
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->phase == phase && p->token == token && p->launcher_gen == d->launcher_gen)
			return p;
	return NULL;
}

void dispatch_read_events(struct daemon *d)
{
	struct launcher_event ev;
	int got;
	while (d->launcher && (got = launcher_next_event(d->launcher, &ev)) != 0) {
		if (got < 0) {
			dispatch_launcher_lost(d);
			return;
		}
		struct proc *p;
		switch (ev.kind) {
		case LAUNCHER_STARTED:
			if ((p = proc_by_token(d, ev.token, PROC_STARTING))) {
				proc_started(p, ev.pid, ev.record.started_us);
				slog(SLOG_INFO, "task_started", "dag=%s run=%lld task=%s try=%d pid=%d", p->dag_id,
				     (long long)p->run_id, p->task_id, p->try_number, (int)ev.pid);
			}
			break;
		case LAUNCHER_START_FAILED:
			if ((p = proc_by_token(d, ev.token, PROC_STARTING)))
				proc_start_failed(d, p, ev.err);
			break;
		case LAUNCHER_EXITED:
			if ((p = proc_by_token(d, ev.token, PROC_RUNNING)))
				proc_exited(p, ev.status, &ev.record);
			break;
		}
	}
}

/* The pass committed: the launcher may let go of the locks of the tries
 * whose outcome it recorded. */
void dispatch_send_acks(struct daemon *d)
{
	for (struct proc *p = d->procs; p && d->launcher; p = p->next)
		if (p->phase == PROC_RECORDED && p->have_record && !p->slurm && p->launcher_gen == d->launcher_gen &&
		    launcher_ack(d->launcher, p->token) < 0)
			dispatch_launcher_lost(d);
}

int dispatch_submit(struct daemon *d, const struct exec_request *r, uint64_t token, char *err, size_t errlen)
{
	/* A request whose write failed never reached a launcher that could start
	 * it (a partial one reads as the daemon gone): safe to send again. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!d->launcher)
			dispatch_launcher_lost(d);
		if (!d->launcher)
			break;
		if (launcher_submit(d->launcher, token, r) == 0)
			return 0;
		dispatch_launcher_lost(d);
	}
	snprintf(err, errlen, "no launcher process to start tries (see launcher_failed in the log)");
	return -1;
}
