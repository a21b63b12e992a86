/* proc.c: the one owner of struct proc; its states and invariants are in
 * proc.h. Every phase change is one function below. */
#include "scheduler/proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/daemon.h"
#include "scheduler/slog.h"

static char *xstrdup(const char *s)
{
	char *c = strdup(s ? s : "");
	if (!c)
		abort();
	return c;
}

/* A slot is held (counted) by every proc but a RECORDED one. */
static void hold_slot(struct daemon *d, const struct proc *p, int delta)
{
	d->nprocs += delta;
	struct dagslot *slot = dagbag_find(d, p->dag_id);
	if (slot)
		slot->running_tasks += delta;
}

int64_t proc_deadline(int64_t now_us, int64_t ms)
{
	if (ms <= 0)
		return 0;
	if (ms > (INT64_MAX - now_us) / 1000)
		return INT64_MAX;
	return now_us + ms * 1000;
}

static struct proc *make(struct daemon *d, const struct proc_spec *sp, enum proc_phase phase)
{
	struct proc *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->run_id = sp->run_id;
	p->dag_id = xstrdup(sp->dag_id);
	p->task_id = xstrdup(sp->task_id);
	p->task_idx = sp->task_idx;
	p->try_number = sp->try_number;
	p->base = xstrdup(sp->base);
	p->pool = sp->pool ? xstrdup(sp->pool) : NULL;
	p->pool_slots = sp->pool_slots;
	p->started_us = sp->started_us;
	p->deadline_us = proc_deadline(sp->started_us, sp->timeout_ms);
	p->phase = phase;
	p->next = d->procs;
	d->procs = p;
	hold_slot(d, p, +1);
	return p;
}

struct proc *proc_new_try(struct daemon *d, const struct proc_spec *sp, uint64_t token)
{
	struct proc *p = make(d, sp, PROC_UNSUBMITTED);
	p->token = token;
	return p;
}

struct proc *proc_new_adopted(struct daemon *d, const struct proc_spec *sp, pid_t pid)
{
	struct proc *p = make(d, sp, PROC_WATCHED);
	p->pid = pid;
	return p;
}

struct proc *proc_new_ended(struct daemon *d, const struct proc_spec *sp, pid_t pid)
{
	struct proc *p = make(d, sp, PROC_EXITED);
	p->pid = pid;
	return p;
}

struct proc *proc_new_slurm(struct daemon *d, const struct proc_spec *sp, int64_t job_id)
{
	struct proc *p = make(d, sp, PROC_WATCHED);
	p->slurm = true;
	p->intent_committed = true;
	p->job_id = job_id;
	return p;
}

void proc_job_submitted(struct proc *p, int64_t job_id)
{
	if (p->phase != PROC_UNSUBMITTED)
		return;
	p->phase = PROC_STARTING;
	p->job_id = job_id;
	p->job_id_pending = true;
}

void proc_submit_unsure(struct proc *p)
{
	if (p->phase == PROC_UNSUBMITTED)
		p->phase = PROC_WATCHED;
}

void proc_never_submitted(struct proc *p)
{
	if (p->phase != PROC_WATCHED)
		return;
	p->phase = PROC_EXITED;
	p->never_submitted = true;
	free(p->start_error);
	p->start_error = xstrdup("never submitted to Slurm (no job has its name, no exit record)");
}

void proc_job_seen(struct proc *p)
{
	if (p->phase == PROC_WATCHED)
		p->phase = PROC_RUNNING;
}

void proc_job_ended(struct proc *p, int code, int sig, const char *cause, int64_t ended_us)
{
	if (p->phase != PROC_STARTING && p->phase != PROC_RUNNING && p->phase != PROC_WATCHED)
		return;
	p->phase = PROC_EXITED;
	p->have_record = true;
	p->record = (struct exec_status){ .exit_code = code, .term_signal = sig, .started_us = p->started_us,
					  .ended_us = ended_us };
	p->wait_status = sig ? sig : (code & 0xff) << 8;
	free(p->start_error);
	p->start_error = NULL;
	if (cause) {
		free(p->job_cause);
		p->job_cause = xstrdup(cause);	/* the outcome's words (runner.c) */
	}
}

static void unlink_free(struct daemon *d, struct proc *p)
{
	for (struct proc **pp = &d->procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	if (p->phase != PROC_RECORDED)
		hold_slot(d, p, -1);
	free(p->record.last_line);
	free(p->start_error);
	free(p->wait_reason);
	free(p->job_cause);
	free(p->task_id);
	free(p->dag_id);
	free(p->pool);
	free(p->base);
	free(p);
}

void proc_submitted(struct proc *p, unsigned launcher_gen)
{
	if (p->phase != PROC_UNSUBMITTED)
		return;
	p->phase = PROC_STARTING;
	p->launcher_gen = launcher_gen;
}

void proc_started(struct proc *p, pid_t pid, int64_t spawned_us)
{
	if (p->phase != PROC_STARTING)
		return;
	p->phase = PROC_RUNNING;
	p->pid = pid;
	if (spawned_us > 0)	/* when the command started, not when we decided to */
		p->started_us = spawned_us;
	p->started_pending = true;
	if (p->term_sent_us && !p->slurm)	/* a timeout or a stop came while it was starting */
		exec_signal(pid, SIGTERM);
}

void proc_start_failed(struct daemon *d, struct proc *p, const char *err)
{
	(void)d;
	if (p->phase != PROC_STARTING && p->phase != PROC_UNSUBMITTED)
		return;
	p->phase = PROC_EXITED;
	free(p->start_error);
	p->start_error = xstrdup(err);
}

void proc_exited(struct proc *p, int wait_status, const struct exec_status *record)
{
	if (p->phase != PROC_RUNNING)
		return;
	p->phase = PROC_EXITED;
	p->wait_status = wait_status;
	p->record = *record;
	p->record.last_line = record->last_line ? xstrdup(record->last_line) : NULL;
	p->have_record = true;
}

void proc_launcher_lost(struct daemon *d)
{
	/* What it was told to start is watched by its lock (its pid, if any,
	 * comes from its .sup); what was not sent yet goes to the next one. */
	for (struct proc *p = d->procs; p; p = p->next)
		if (!p->slurm && (p->phase == PROC_STARTING || p->phase == PROC_RUNNING))
			p->phase = PROC_WATCHED;
}

void proc_lock_free(struct proc *p)
{
	if (p->phase == PROC_WATCHED)
		p->phase = PROC_EXITED;
}

void proc_started_written(struct proc *p)
{
	p->started_pending = false;
	p->started_in_pass = true;
}

void proc_recorded(struct daemon *d, struct proc *p)
{
	if (p->phase != PROC_EXITED)
		return;
	p->phase = PROC_RECORDED;
	hold_slot(d, p, -1);
}

void proc_pass_committed(struct daemon *d)
{
	for (struct proc *p = d->procs, *next; p; p = next) {
		next = p->next;
		p->started_in_pass = false;
		p->job_id_in_pass = false;
		if (p->phase == PROC_RECORDED)
			unlink_free(d, p);
	}
}

void proc_pass_rolled_back(struct daemon *d)
{
	for (struct proc *p = d->procs, *next; p; p = next) {
		next = p->next;
		if (p->started_in_pass) {
			p->started_in_pass = false;
			p->started_pending = true;
		}
		if (p->job_id_in_pass) {
			p->job_id_in_pass = false;
			p->job_id_pending = true;
		}
		if (p->phase == PROC_UNSUBMITTED && !p->intent_committed) {
			unlink_free(d, p);
		} else if (p->phase == PROC_RECORDED) {
			p->phase = PROC_EXITED;
			hold_slot(d, p, +1);
		}
	}
}

void proc_terminate(struct proc *p, int64_t now_us, bool stopping, bool timed_out)
{
	if (stopping)
		p->stopping = true;
	if (timed_out)
		p->timed_out = true;
	if (p->term_sent_us)
		return;
	p->term_sent_us = now_us;
	if (p->pid > 0 && !p->slurm)	/* a starting one is signalled by proc_started; a
					 * Slurm job is cancelled by slurm_dispatch_poll */
		exec_signal(p->pid, SIGTERM);
}

struct proc *proc_find(struct daemon *d, int64_t run, const char *task_id, int try_number)
{
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->run_id == run && p->try_number == try_number && strcmp(p->task_id, task_id) == 0)
			return p;
	return NULL;
}

void proc_recount(struct daemon *d)
{
	d->nprocs = 0;
	for (size_t i = 0; i < d->nslots; i++)
		d->slots[i]->running_tasks = 0;
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->phase != PROC_RECORDED)
			hold_slot(d, p, +1);
}

void proc_free_all(struct daemon *d)
{
	while (d->procs)
		unlink_free(d, d->procs);
}
