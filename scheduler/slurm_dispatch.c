/* slurm_dispatch.c: the daemon's side of the Slurm executor, an adapter like
 * dispatch.c: tries whose task says `executor: slurm` go to slurmrestd
 * (executors/slurm_client.h) instead of the launcher, and what slurmctld
 * says of their jobs becomes proc.c transitions that the loop's next pass
 * records. It calls nothing of the runner's and writes the store only in
 * slurm_dispatch_record, inside the pass.
 *
 * Crash safety: the protocol, step by step, and what a kill -9 between two
 * steps leaves:
 *   1. The pass commits the try's intent: TI queued, tries row with
 *      executor 'slurm' and no external_id (runner.c start_try).
 *   2. After the commit, POST /job/submit. The job's name is the try's
 *      identity, sched.<run>.<try>.<task> (its comment says it in words).
 *   3. The next pass commits tries.external_id = the job id.
 *   4. Every poll, one GET /jobs for all of this daemon's jobs; a job in a
 *      final state becomes the try's outcome (pass, as for a local exit).
 * A restarted daemon finds every try the store calls queued or running with
 * executor 'slurm' (recover.c -> proc_new_slurm) and asks slurmctld for the
 * whole job list once (update_time=0):
 *   - killed between 1 and 2: no job has the name, no exit record: the try
 *     never reached Slurm; its try number is given back and it is scheduled
 *     again (never submitted twice: the name was not taken).
 *   - killed between 2 and 3: the job is found by its name; its id is
 *     recorded then. A job is never submitted again for the same try.
 *     A submission that went out and got no answer (a timeout) is the same
 *     case without a crash: the try is looked for by name at once.
 *   - after 3: found by its id.
 *   - the job ended and left slurmctld's memory (MinJobAge, 300 s by
 *     default) while the daemon was down: the outcome comes from the exit
 *     record the job's script wrote into the shared log root (<base>.exit,
 *     executors/slurm_api.h). We chose that over jobcomp/filetxt: the exit
 *     record is ours (no cluster configuration needed, no parsing of a
 *     site-wide file that rotates, readable wherever the log root is
 *     mounted) and sits next to the try's log, so it is cleaned with it.
 *     A job killed before its script could write it (scancel, node failure)
 *     and purged meanwhile has no record: the try is failed with that said,
 *     and retried by the task's retries.
 * slurmrestd unreachable or slurmctld down (no answer, a 5xx, "Unable to
 * contact slurm controller"): nothing is failed for it. No request goes out
 * for 2 s after one got no answer (a hung slurmrestd costs the loop at most
 * one request's 5 s bound every 2 s, not one per try); then submissions are
 * tried again (the try stays queued with one event saying why), polls and
 * cancellations at their next turn. A timeout still counts from the try's
 * start.
 *
 * Polling is batched: one GET /jobs?update_time=T per poll (every 500 ms
 * while this daemon has jobs, none otherwise; one at a time, fetched by a
 * thread of its own so that a slow answer never stalls the loop) whatever
 * the number of jobs,
 * T the time of the previous answer less 5 s, so slurmctld answers "no
 * change" (an empty list) when nothing moved; every 30 s, and after a
 * restart, update_time=0 asks for the whole list (a job missing from it is
 * gone). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/local.h"
#include "executors/slurm_client.h"
#include "scheduler/daemon.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"

#define POLL_US 500000LL
#define FULL_EVERY_US 30000000LL
#define SUBMIT_RETRY_US 2000000LL
#define LIST_TIMEOUT_MS 60000L

/* A job of an answer, owned (the answer's JSON is gone by then). */
struct job_copy {
	struct slurm_job j;	/* name and job_state point into the strings below */
	char *name, *job_state;
};

/* The thread that fetches the job list: the loop asks (asked), the thread
 * answers (done) and rings efd. Everything below mu is shared. */
struct lister {
	pthread_t th;
	bool started;
	int efd;
	struct slurm_client *c;	/* its own connection */
	atomic_bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool asked, done;
	int64_t since;
	int rc;
	char err[512];
	struct job_copy *jobs;
	size_t njobs, cap;
};

struct slurm_dispatch {
	struct slurm_client *c;
	struct lister l;
	bool in_flight;		/* a list asked for, its answer not yet taken */
	int64_t asked_us;	/* when it was asked for */
	int64_t asked_since;
	int64_t next_poll_us;
	int64_t last_full_us;
	int64_t since_s;	/* update_time of the next poll; 0 = full list */
	bool need_full;		/* a try was adopted: list everything once */
	bool unreachable;	/* the last request got no answer (logged once) */
	int64_t retry_at_us;	/* unreachable: no request before this (one slow
				 * slurmrestd must not stall the loop once per try) */
};

int slurm_dispatch_open(struct daemon *d, char *err, size_t errlen)
{
	if (!d->cfg.slurm_url)
		return 0;
	struct slurm_dispatch *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->c = slurm_client_new(d->cfg.slurm_url, d->cfg.slurm_api, d->cfg.slurm_user, d->cfg.slurm_token, err,
				errlen);
	if (!s->c) {
		free(s);
		return -1;
	}
	s->need_full = true;
	struct lister *l = &s->l;
	l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	l->c = slurm_client_new(d->cfg.slurm_url, d->cfg.slurm_api, d->cfg.slurm_user, d->cfg.slurm_token, err,
				errlen);
	if (l->efd < 0 || !l->c) {
		if (l->efd < 0)
			snprintf(err, errlen, "eventfd: %s", strerror(errno));
		else
			close(l->efd);
		slurm_client_free(l->c);
		slurm_client_free(s->c);
		free(s);
		return -1;
	}
	slurm_client_set_timeout(l->c, LIST_TIMEOUT_MS);
	atomic_init(&l->stop, false);
	slurm_client_set_abort(l->c, &l->stop);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	d->slurm = s;
	return 0;
}

static void copies_free(struct job_copy *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].job_state);
	}
	free(v);
}

void slurm_dispatch_close(struct daemon *d)
{
	if (!d->slurm)
		return;
	struct lister *l = &d->slurm->l;
	if (l->started) {
		pthread_mutex_lock(&l->mu);
		atomic_store(&l->stop, true);	/* also aborts a request in flight */
		pthread_cond_signal(&l->cv);
		pthread_mutex_unlock(&l->mu);
		pthread_join(l->th, NULL);
	}
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	copies_free(l->jobs, l->njobs);
	close(l->efd);
	slurm_client_free(l->c);
	slurm_client_free(d->slurm->c);
	free(d->slurm);
	d->slurm = NULL;
}

int slurm_dispatch_fd(const struct daemon *d)
{
	return d->slurm ? d->slurm->l.efd : -1;
}

struct collect {
	struct job_copy *v;
	size_t n, cap;
};

static void collect_job(void *arg, const struct slurm_job *j)
{
	struct collect *c = arg;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		if (!c->v)
			abort();
	}
	struct job_copy *x = &c->v[c->n++];
	x->j = *j;
	x->name = strdup(j->name);
	x->job_state = strdup(j->job_state);
	if (!x->name || !x->job_state)
		abort();
	x->j.name = x->name;
	x->j.job_state = x->job_state;
}

static void *lister_main(void *arg)
{
	struct lister *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (!l->asked && !atomic_load(&l->stop))
			pthread_cond_wait(&l->cv, &l->mu);
		if (atomic_load(&l->stop))
			break;
		int64_t since = l->since;
		pthread_mutex_unlock(&l->mu);
		struct collect c = { 0 };
		char err[512] = "";
		int rc = slurm_client_jobs(l->c, since, collect_job, &c, err, sizeof err);
		pthread_mutex_lock(&l->mu);
		l->asked = false;
		l->done = true;
		l->rc = rc;
		snprintf(l->err, sizeof l->err, "%s", err);
		copies_free(l->jobs, l->njobs);
		l->jobs = c.v;
		l->njobs = c.n;
		uint64_t one = 1;
		if (write(l->efd, &one, sizeof one) < 0) {
			/* the counter is already non-zero: the loop will look */
		}
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* Asks the thread for the job list (starting it the first time). */
static int lister_ask(struct lister *l, int64_t since)
{
	if (!l->started) {
		sigset_t all, old;
		sigfillset(&all);	/* signals stay the loop's signalfd's */
		pthread_sigmask(SIG_BLOCK, &all, &old);
		int e = pthread_create(&l->th, NULL, lister_main, l);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (e != 0)
			return -1;
		l->started = true;
	}
	pthread_mutex_lock(&l->mu);
	l->since = since;
	l->asked = true;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

/* Takes the thread's answer if there is one: 1 (and the jobs, the caller's),
 * 0 if none yet. */
static int lister_take(struct lister *l, int *rc, char *err, size_t errlen, struct job_copy **jobs, size_t *n)
{
	uint64_t v;
	if (read(l->efd, &v, sizeof v) < 0) {
		/* nothing rung (EAGAIN): still look, a ring may be pending */
	}
	pthread_mutex_lock(&l->mu);
	int got = l->done;
	if (got) {
		l->done = false;
		*rc = l->rc;
		snprintf(err, errlen, "%s", l->err);
		*jobs = l->jobs;
		*n = l->njobs;
		l->jobs = NULL;
		l->njobs = 0;
	}
	pthread_mutex_unlock(&l->mu);
	return got;
}

void slurm_dispatch_adopted(struct daemon *d)
{
	if (d->slurm)
		d->slurm->need_full = true;
}

/* mkdir -p of the directory of path. */
static int make_parent(const char *path)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *s = dir + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(dir, 0777) < 0 && errno != EEXIST)
				return -1;
			*s = '/';
		}
	return mkdir(dir, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static void went_unreachable(struct daemon *d, const char *err)
{
	d->slurm->retry_at_us = store_now_us() + SUBMIT_RETRY_US;
	if (!d->slurm->unreachable)
		slog(SLOG_WARN, "slurm_unreachable", "url=%s error=%s action=%s", d->cfg.slurm_url, err,
		     "tries wait; nothing is failed for it");
	d->slurm->unreachable = true;
}

static void reachable(struct daemon *d)
{
	if (d->slurm->unreachable)
		slog(SLOG_INFO, "slurm_reachable", "url=%s", d->cfg.slurm_url);
	d->slurm->unreachable = false;
}

int slurm_dispatch_submit(struct daemon *d, struct proc *p, const struct slurm_submit *req, char *err, size_t errlen)
{
	int64_t now = store_now_us();
	p->intent_committed = true;
	if (!d->slurm) {
		snprintf(err, errlen, "executor: slurm, but schedulerd has no --slurm-url");
		return SLURM_REFUSED;
	}
	char exit_path[4200];
	snprintf(exit_path, sizeof exit_path, "%s.exit", p->base);
	if (make_parent(p->base) < 0) {
		snprintf(err, errlen, "cannot create the log directory of %s: %s", p->base, strerror(errno));
		return SLURM_REFUSED;
	}
	remove(exit_path);	/* never one of an earlier life of this path */
	int64_t job_id = 0;
	int rc;
	if (d->slurm->unreachable && now < d->slurm->retry_at_us) {
		snprintf(err, errlen, "slurmrestd unreachable (retried every %llds)",
			 (long long)(SUBMIT_RETRY_US / 1000000));
		rc = SLURM_UNREACHABLE;
		p->next_submit_us = d->slurm->retry_at_us;
	} else {
		rc = slurm_client_submit(d->slurm->c, req, &job_id, err, errlen);
	}
	if (rc == SLURM_UNREACHABLE) {
		if (now >= d->slurm->retry_at_us)
			went_unreachable(d, err);
		p->next_submit_us = d->slurm->retry_at_us;
		if (!p->wait_reason) {
			char why[700];
			snprintf(why, sizeof why, "waiting for the Slurm cluster: %s", err);
			p->wait_reason = strdup(why);
			if (!p->wait_reason)
				abort();
		}
		return rc;
	}
	if (rc == SLURM_UNSURE) {
		/* It may have been taken: never submitted again before a whole
		 * job list says no job has its name. */
		went_unreachable(d, err);
		proc_submit_unsure(p);
		p->job_known_us = now;	/* only a list asked for after now can miss it */
		d->slurm->need_full = true;
		slog(SLOG_WARN, "task_submit_unsure", "dag=%s run=%lld task=%s try=%d error=%s action=%s", p->dag_id,
		     (long long)p->run_id, p->task_id, p->try_number, err, "looked for by name");
		return 0;
	}
	if (rc == 0) {
		reachable(d);
		proc_job_submitted(p, job_id);
		p->job_known_us = store_now_us();
		slog(SLOG_INFO, "task_submitted", "dag=%s run=%lld task=%s try=%d job=%lld", p->dag_id,
		     (long long)p->run_id, p->task_id, p->try_number, (long long)job_id);
		if (d->slurm->next_poll_us > now + POLL_US)
			d->slurm->next_poll_us = now + POLL_US;
	}
	return rc;
}

/* The exit status a job's script wrote: 1 with *code, 0 if none. */
static int read_exit_record(const struct proc *p, int *code)
{
	char path[4200], buf[32];
	snprintf(path, sizeof path, "%s.exit", p->base);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	char *end;
	long v = ok ? strtol(buf, &end, 10) : -1;
	if (!ok || end == buf || (*end && *end != '\n') || v < 0 || v > 255)
		return 0;
	*code = (int)v;
	return 1;
}

/* The log's last complete line (stdout and stderr share the log: a job
 * prints its result line last), as the launcher keeps it; NULL if none. */
static char *last_line(const struct proc *p)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.log", p->base);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[EXEC_LAST_LINE_MAX + 2];
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	long from = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
	size_t n = size > 0 && fseek(f, from, SEEK_SET) == 0 ? fread(buf, 1, sizeof buf - 1, f) : 0;
	fclose(f);
	if (n == 0 || buf[n - 1] != '\n')
		return NULL;
	buf[--n] = '\0';
	char *start = memrchr(buf, '\n', n);
	start = start ? start + 1 : (from == 0 ? buf : NULL);
	return start && *start ? strdup(start) : NULL;
}

struct poll_ctx {
	struct daemon *d;
	struct proc **byid;	/* this daemon's Slurm procs with a job id, sorted by it */
	size_t nbyid;
	struct proc **byname;	/* those with none (adopted, id never recorded) */
	size_t nbyname;
	char **names;
	size_t njobs;
	bool *seen_id, *seen_name;
};

static int cmp_job(const void *a, const void *b)
{
	int64_t x = (*(struct proc *const *)a)->job_id, y = (*(struct proc *const *)b)->job_id;
	return x < y ? -1 : x > y;
}

static bool live(const struct proc *p)
{
	return p->slurm && (p->phase == PROC_STARTING || p->phase == PROC_RUNNING || p->phase == PROC_WATCHED);
}

static void job_final(struct proc *p, const struct slurm_job *j)
{
	int code, sig;
	slurm_decode_exit(j->exit_code, &code, &sig);
	char cause[160] = "";
	if (strcmp(j->job_state, "COMPLETED") != 0 && strcmp(j->job_state, "FAILED") != 0)
		snprintf(cause, sizeof cause, "slurm job %lld %s", (long long)j->job_id, j->job_state);
	else if (j->state == SLURM_ST_FAILED && code == 0 && sig == 0)
		code = 1;	/* FAILED with exit 0: a failure of the launch itself */
	int64_t ended = j->end_time > 0 ? j->end_time * 1000000 : store_now_us();
	if (ended < p->started_us)
		ended = p->started_us;
	proc_job_ended(p, code, sig, *cause ? cause : NULL, ended);
	p->record.last_line = last_line(p);
}

static void on_job(void *arg, const struct slurm_job *j)
{
	struct poll_ctx *cx = arg;
	cx->njobs++;
	struct proc key = { .job_id = j->job_id }, *kp = &key, *p = NULL;
	struct proc **hit = cx->nbyid ? bsearch(&kp, cx->byid, cx->nbyid, sizeof *cx->byid, cmp_job) : NULL;
	if (hit) {
		p = *hit;
		cx->seen_id[hit - cx->byid] = true;
	} else {
		for (size_t i = 0; i < cx->nbyname; i++)
			if (strcmp(cx->names[i], j->name) == 0 && (!cx->byname[i]->job_id ||
								     j->job_id > cx->byname[i]->job_id)) {
				p = cx->byname[i];
				cx->seen_name[i] = true;
				p->job_id = j->job_id;	/* found by name: recorded by the next pass */
				p->job_id_pending = true;
				slog(SLOG_INFO, "task_job_found", "dag=%s run=%lld task=%s try=%d job=%lld how=%s",
				     p->dag_id, (long long)p->run_id, p->task_id, p->try_number,
				     (long long)j->job_id, "by name");
			}
	}
	if (!p || !live(p))
		return;
	if (j->state == SLURM_ST_RUNNING) {
		/* Slurm's clock is in seconds: never before our own start. */
		if (p->phase == PROC_STARTING)
			proc_started(p, 0, j->start_time * 1000000 > p->started_us ? j->start_time * 1000000 : 0);
		else if (p->phase == PROC_WATCHED) {
			proc_job_seen(p);
			p->started_pending = true;	/* "running", if the store says queued */
		}
	} else if (slurm_state_final(j->state)) {
		job_final(p, j);
	}
}

/* A live proc missing from a whole list: its job is gone from slurmctld. */
static void missing(struct proc *p)
{
	int code;
	if (read_exit_record(p, &code)) {
		proc_job_ended(p, code, 0, "outcome from the job's exit record (slurmctld no longer has the job)",
			       store_now_us());
		p->record.last_line = last_line(p);
		slog(SLOG_INFO, "task_job_record", "dag=%s task=%s try=%d job=%lld exit=%d", p->dag_id, p->task_id,
		     p->try_number, (long long)p->job_id, code);
	} else if (p->job_id == 0) {
		/* Never reached Slurm: the intent committed, the daemon died
		 * before (or while) submitting. */
		proc_never_submitted(p);
		slog(SLOG_INFO, "task_never_submitted", "dag=%s run=%lld task=%s try=%d", p->dag_id,
		     (long long)p->run_id, p->task_id, p->try_number);
	} else {
		char cause[200];
		snprintf(cause, sizeof cause, "slurm job %lld vanished: slurmctld no longer has it and it left no"
			 " exit record", (long long)p->job_id);
		proc_job_ended(p, -1, 0, cause, store_now_us());
	}
}

static void send_cancels(struct daemon *d)
{
	for (struct proc *p = d->procs; p; p = p->next) {
		if (!p->slurm || !p->term_sent_us || p->cancel_sent)
			continue;
		if (p->phase == PROC_UNSUBMITTED) {	/* stopped before it reached Slurm */
			proc_start_failed(d, p, p->timed_out ? "timed out before Slurm took it" :
							       "stopped before it reached Slurm");
			continue;
		}
		if (!live(p) || p->job_id <= 0)
			continue;	/* an adopted one without id: cancelled once found */
		if (d->slurm->unreachable && store_now_us() < d->slurm->retry_at_us)
			return;
		char err[512];
		int rc = slurm_client_cancel(d->slurm->c, p->job_id, err, sizeof err);
		if (rc == SLURM_UNREACHABLE) {
			went_unreachable(d, err);
			return;
		}
		reachable(d);
		p->cancel_sent = true;	/* done, or refused: it had ended */
		slog(SLOG_INFO, "task_job_cancel", "dag=%s task=%s try=%d job=%lld result=%s", p->dag_id, p->task_id,
		     p->try_number, (long long)p->job_id, rc == 0 ? "cancelled" : err);
	}
}

/* Turns one answer into proc transitions. */
static void take_answer(struct daemon *d, int rc, const char *err, struct job_copy *jobs, size_t njobs)
{
	struct slurm_dispatch *s = d->slurm;
	size_t n = 0;
	for (struct proc *p = d->procs; p; p = p->next)
		n += live(p);
	struct poll_ctx cx = { .d = d };
	cx.byid = calloc(n + 1, sizeof *cx.byid);
	cx.byname = calloc(n + 1, sizeof *cx.byname);
	cx.names = calloc(n + 1, sizeof *cx.names);
	cx.seen_id = calloc(n + 1, sizeof *cx.seen_id);
	cx.seen_name = calloc(n + 1, sizeof *cx.seen_name);
	if (!cx.byid || !cx.byname || !cx.names || !cx.seen_id || !cx.seen_name)
		abort();
	for (struct proc *p = d->procs; p; p = p->next) {
		if (!live(p))
			continue;
		if (p->job_id > 0) {
			cx.byid[cx.nbyid++] = p;
		} else {
			char name[600];
			slurm_job_name(name, sizeof name, (long long)p->run_id, p->try_number, p->task_id);
			cx.names[cx.nbyname] = strdup(name);
			if (!cx.names[cx.nbyname])
				abort();
			cx.byname[cx.nbyname++] = p;
		}
	}
	qsort(cx.byid, cx.nbyid, sizeof *cx.byid, cmp_job);
	if (rc == SLURM_UNREACHABLE) {
		went_unreachable(d, err);
	} else if (rc == SLURM_REFUSED) {
		slog(SLOG_WARN, "slurm_poll_refused", "error=%s", err);
	} else {
		reachable(d);
		for (size_t i = 0; i < njobs; i++)
			on_job(&cx, &jobs[i].j);
		s->since_s = s->asked_us / 1000000 - 5;
		/* A whole list: asked for with 0, or any answer that is not "no
		 * change" (slurmctld sends every job when one changed). Only jobs
		 * known before the list was asked for can be missing from it. */
		if (s->asked_since == 0 || njobs > 0) {
			for (size_t i = 0; i < cx.nbyid; i++)
				if (!cx.seen_id[i] && live(cx.byid[i]) && cx.byid[i]->job_known_us < s->asked_us)
					missing(cx.byid[i]);
			if (s->asked_since == 0)
				for (size_t i = 0; i < cx.nbyname; i++)
					if (!cx.seen_name[i] && live(cx.byname[i]) &&
					    cx.byname[i]->job_known_us < s->asked_us)
						missing(cx.byname[i]);
		}
		if (s->asked_since == 0)
			s->last_full_us = s->asked_us;
	}
	for (size_t i = 0; i < cx.nbyname; i++)
		free(cx.names[i]);
	free(cx.names);
	free(cx.byid);
	free(cx.byname);
	free(cx.seen_id);
	free(cx.seen_name);
}

int64_t slurm_dispatch_poll(struct daemon *d, int64_t now)
{
	if (!d->slurm)
		return 0;
	struct slurm_dispatch *s = d->slurm;
	if (s->in_flight) {
		int rc;
		char err[512];
		struct job_copy *jobs = NULL;
		size_t njobs = 0;
		if (lister_take(&s->l, &rc, err, sizeof err, &jobs, &njobs)) {
			s->in_flight = false;
			take_answer(d, rc, err, jobs, njobs);
			copies_free(jobs, njobs);
		}
	}
	size_t n = 0, nwait = 0, nbyname = 0;
	for (struct proc *p = d->procs; p; p = p->next) {
		n += live(p);
		nbyname += live(p) && p->job_id == 0;
		nwait += p->slurm && p->phase == PROC_UNSUBMITTED;
	}
	send_cancels(d);	/* also ends stopped tries that never reached Slurm */
	if (n == 0)
		return nwait ? now + SUBMIT_RETRY_US : 0;
	if (s->in_flight)
		return 0;	/* its answer rings slurm_dispatch_fd */
	if (now < s->next_poll_us)
		return s->next_poll_us;
	if (s->unreachable && now < s->retry_at_us) {
		s->next_poll_us = s->retry_at_us;
		return s->next_poll_us;
	}
	bool full = s->need_full || nbyname > 0 || now - s->last_full_us >= FULL_EVERY_US;
	s->asked_since = full ? 0 : s->since_s;
	s->asked_us = now;
	if (full)
		s->need_full = false;	/* asked: a later adoption asks again */
	if (lister_ask(&s->l, s->asked_since) < 0) {
		slog(SLOG_ERROR, "slurm_poll_failed", "error=%s", "cannot start the job list thread");
		s->next_poll_us = now + SUBMIT_RETRY_US;
		return s->next_poll_us;
	}
	s->in_flight = true;
	/* The next list no sooner than POLL_US after this one was asked for. */
	s->next_poll_us = now + POLL_US;
	return 0;
}

void slurm_dispatch_record(struct daemon *d)
{
	for (struct proc *p = d->procs; p; p = p->next) {
		if (!p->slurm)
			continue;
		if (p->job_id_pending && p->job_id > 0) {
			if (store_try_slurm_set(d->store, p->run_id, p->task_id, p->try_number, p->job_id) < 0)
				return;	/* the pass rolls back; written again */
			p->job_id_pending = false;
			p->job_id_in_pass = true;
		}
		if (p->wait_reason && !p->waiting_logged && p->phase == PROC_UNSUBMITTED) {
			if (store_event(d->store, p->dag_id, p->run_id, p->task_id, p->try_number, "queued", "queued",
					p->wait_reason) < 0)
				return;
			p->waiting_logged = true;
		}
	}
}
