/* dispatch.c: the daemon's side of its launcher (executors/launcher.h): tries
 * handed over, STARTED / START_FAILED / EXITED turned into the runner's calls,
 * acknowledgements once a pass committed, a new launcher when one is lost. */
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
	d->nacks = 0;	/* tokens of the old launcher; the array is kept for the new one's */
	/* What it was told to start is watched by its lock (its pid, if any,
	 * comes from its .sup); what was not sent yet goes to the new one. */
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->phase == PROC_STARTING || p->phase == PROC_RUNNING)
			p->phase = PROC_WATCHED;
	char err[256];
	d->launcher = launcher_start(d->lock_fd, err, sizeof err);
	if (!d->launcher)
		slog(SLOG_ERROR, "launcher_failed", "error=%s", err);
}

static struct proc *proc_by_token(struct daemon *d, uint64_t token)
{
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->phase == PROC_STARTING && p->token == token)
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
			if ((p = proc_by_token(d, ev.token)))
				runner_proc_started(d, p, ev.pid, ev.record.started_us);
			break;
		case LAUNCHER_START_FAILED:
			if ((p = proc_by_token(d, ev.token)))
				runner_proc_start_failed(d, p, ev.err);
			break;
		case LAUNCHER_EXITED:
			for (p = d->procs; p; p = p->next)
				if (p->token == ev.token && p->phase == PROC_RUNNING) {
					p->phase = PROC_EXITED;
					p->wait_status = ev.status;
					p->record = ev.record;
					if (ev.record.last_line)
						p->record.last_line = strdup(ev.record.last_line);
					p->have_record = true;
					break;
				}
			break;
		}
	}
}

void dispatch_ack_later(struct daemon *d, uint64_t token)
{
	if (d->nacks == d->capacks) {
		d->capacks = d->capacks ? d->capacks * 2 : 64;
		d->acks = realloc(d->acks, d->capacks * sizeof *d->acks);
		if (!d->acks)
			abort();
	}
	d->acks[d->nacks++] = token;
}

/* The pass committed: the launcher may let go of those tries' locks. */
void dispatch_send_acks(struct daemon *d)
{
	for (size_t i = 0; i < d->nacks && d->launcher; i++)
		if (launcher_ack(d->launcher, d->acks[i]) < 0)
			dispatch_launcher_lost(d);
	d->nacks = 0;
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
