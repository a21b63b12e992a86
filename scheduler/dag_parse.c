/* dag_parse.c: DAG files parsed in a child process with a time budget
 * (dag_parse.h).
 *
 * States of the parser (one child at a time, files in submission order):
 *
 *   IDLE     no child; queue empty
 *     -- submit --> QUEUED
 *   QUEUED   no child; files waiting            (parser_spawn)  --> PARSING
 *   PARSING  a child owns files inflight[next..]; each record it writes
 *            finishes inflight[next] and restarts the budget clock
 *     -- all records, EOF -------------------- (parser_reap)    --> IDLE or QUEUED
 *     -- budget over for inflight[next] ------ (parser_kill)    --> QUEUED
 *     -- EOF early: child died on inflight[next] ------ (parser_reap) --> QUEUED
 *
 * Invariants: the file being parsed is inflight[next]; every submitted file
 * gets exactly one result (a dag, or diagnostics). A file whose parse timed
 * out is not given to a child again (the daemon submits it again only once
 * it changed); one whose child died is given to one more child (the death
 * may have been a kill from outside), and a second death is its error.
 * Files after it go back to the head of the queue, in order, for a new
 * child.
 *
 * Wire format (one record per file, little-endian as the host: parent and
 * child are the same executable): u32 length of the rest, u32 file index,
 * then dag_wire_encode's bytes. It must follow struct dag (dag.h): a field
 * added there is added to wire_put_dag and wire_get_dag. */
#include "scheduler/dag_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scheduler/duration.h"
#include "scheduler/slog.h"

int dag_worker_spawn(pid_t *pid, const char *exe, const posix_spawn_file_actions_t *fa, char *const argv[])
{
	/* Not the daemon's mask (signals go to its signalfd) nor its SIG_IGN. */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none, dflt;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int rc = posix_spawn(pid, exe, fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	return rc;
}

extern char **environ;

/* ---- the wire format ---------------------------------------------------- */

struct wbuf {
	unsigned char *b;
	size_t len, cap;
};

static void wb_put(struct wbuf *w, const void *p, size_t n)
{
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap < w->len + n)
			cap *= 2;
		unsigned char *b = realloc(w->b, cap);
		if (!b)
			abort();	/* the child: nothing to report it with */
		w->b = b;
		w->cap = cap;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void wb_u32(struct wbuf *w, uint32_t v) { wb_put(w, &v, sizeof v); }
static void wb_i64(struct wbuf *w, int64_t v) { wb_put(w, &v, sizeof v); }

static void wb_str(struct wbuf *w, const char *s)
{
	if (!s) {
		wb_u32(w, UINT32_MAX);
		return;
	}
	size_t n = strlen(s);
	wb_u32(w, (uint32_t)n);
	wb_put(w, s, n);
}

struct rbuf {
	const unsigned char *b;
	size_t len, at;
	bool bad;
};

static bool rb_get(struct rbuf *r, void *p, size_t n)
{
	if (r->bad || r->len - r->at < n) {
		r->bad = true;
		memset(p, 0, n);
		return false;
	}
	memcpy(p, r->b + r->at, n);
	r->at += n;
	return true;
}

static uint32_t rb_u32(struct rbuf *r)
{
	uint32_t v;
	rb_get(r, &v, sizeof v);
	return v;
}

static int64_t rb_i64(struct rbuf *r)
{
	int64_t v;
	rb_get(r, &v, sizeof v);
	return v;
}

/* A count of items of at least min_size bytes each: bounded by what is left. */
static size_t rb_count(struct rbuf *r, size_t min_size)
{
	uint32_t n = rb_u32(r);
	if (r->bad || (size_t)n > (r->len - r->at) / (min_size ? min_size : 1)) {
		r->bad = true;
		return 0;
	}
	return n;
}

static char *rb_str(struct rbuf *r)
{
	uint32_t n = rb_u32(r);
	if (r->bad || n == UINT32_MAX)
		return NULL;
	if (r->len - r->at < n) {
		r->bad = true;
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	memcpy(s, r->b + r->at, n);
	s[n] = '\0';
	r->at += n;
	return s;
}

static void wire_put_kvs(struct wbuf *w, const struct dag_kv *kv, size_t n)
{
	wb_u32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		wb_str(w, kv[i].key);
		wb_str(w, kv[i].value);
	}
}

static struct dag_kv *wire_get_kvs(struct rbuf *r, size_t *n)
{
	*n = rb_count(r, 8);
	struct dag_kv *kv = calloc(*n ? *n : 1, sizeof *kv);
	if (!kv) {
		r->bad = true;
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		kv[i].key = rb_str(r);
		kv[i].value = rb_str(r);
	}
	return kv;
}

/* A list of strings (outlets, datasets): count, then each; NULL when empty. */
static void wire_put_strs(struct wbuf *w, char *const *v, size_t n)
{
	wb_u32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		wb_str(w, v[i]);
}

static char **wire_get_strs(struct rbuf *r, size_t *n)
{
	*n = rb_count(r, 4);
	if (!*n)
		return NULL;
	char **v = calloc(*n, sizeof *v);
	if (!v) {
		r->bad = true;
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < *n; i++)
		if (!(v[i] = rb_str(r)))
			r->bad = true;
	return v;
}

static void wire_put_sizes(struct wbuf *w, const size_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wb_i64(w, (int64_t)v[i]);
}

static size_t *wire_get_sizes(struct rbuf *r, size_t n, size_t limit)
{
	size_t *v = calloc(n ? n : 1, sizeof *v);
	if (!v) {
		r->bad = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = (size_t)rb_i64(r);
		if (v[i] >= limit)
			r->bad = true;	/* an index out of the DAG */
	}
	return v;
}

static void wire_put_notify(struct wbuf *w, const struct dag_notify *n, size_t count)
{
	wb_u32(w, (uint32_t)count);
	for (size_t i = 0; i < count; i++) {
		wb_u32(w, n[i].events);
		wb_u32(w, (uint32_t)n[i].type);
		wb_str(w, n[i].spec);
		wb_str(w, n[i].address);
	}
}

static struct dag_notify *wire_get_notify(struct rbuf *r, size_t *count)
{
	*count = rb_count(r, 16);
	struct dag_notify *n = calloc(*count ? *count : 1, sizeof *n);
	if (!n) {
		r->bad = true;
		*count = 0;
		return NULL;
	}
	for (size_t i = 0; i < *count; i++) {
		n[i].events = rb_u32(r);
		n[i].type = (enum notify_type)rb_u32(r);
		n[i].spec = rb_str(r);
		n[i].address = rb_str(r);
		if (!n[i].spec || !n[i].address)
			r->bad = true;
	}
	return n;
}

static void wire_put_task(struct wbuf *w, const struct dag_task *t)
{
	wb_str(w, t->id);
	wb_u32(w, (uint32_t)t->ncommand);
	for (size_t i = 0; i < t->ncommand; i++)
		wb_str(w, t->command[i]);
	wb_u32(w, t->shell);
	wire_put_kvs(w, t->env, t->nenv);
	wb_str(w, t->cwd);
	wb_u32(w, (uint32_t)t->nupstream);
	for (size_t i = 0; i < t->nupstream; i++)
		wb_str(w, t->depends_on[i]);
	wire_put_sizes(w, t->upstream, t->nupstream);
	wb_u32(w, (uint32_t)t->ndownstream);
	wire_put_sizes(w, t->downstream, t->ndownstream);
	wb_u32(w, (uint32_t)t->trigger_rule);
	wb_i64(w, t->retries);
	wb_i64(w, t->retry_delay_ms);
	wb_u32(w, (uint32_t)t->retry_backoff);
	wb_i64(w, t->max_retry_delay_ms);
	wb_i64(w, t->timeout_ms);
	wb_i64(w, t->max_active_tis);
	wb_u32(w, (uint32_t)t->nno_retry_exit_codes);
	for (size_t i = 0; i < t->nno_retry_exit_codes; i++)
		wb_i64(w, t->no_retry_exit_codes[i]);
	wb_str(w, t->wait_path);
	wb_i64(w, t->poke_ms);
	wb_i64(w, t->wait_timeout_ms);
	wire_put_notify(w, t->notify, t->nnotify);
	wb_i64(w, t->line);
	wb_i64(w, t->column);
	wb_u32(w, (uint32_t)t->executor);
	wb_str(w, t->slurm.partition);
	wb_str(w, t->slurm.account);
	wb_str(w, t->slurm.qos);
	wb_i64(w, t->slurm.cpus);
	wb_i64(w, t->slurm.mem_mb);
	wb_i64(w, t->slurm.time_min);
	wire_put_strs(w, t->outlets, t->noutlets);
	wb_str(w, t->wait_dag);
	wb_str(w, t->wait_task);
	wb_str(w, t->wait_date);
	wb_i64(w, t->wait_offset_s);
	wb_u32(w, t->wait_allowed);
	wb_u32(w, t->wait_failed);
	wb_str(w, t->pool);
	wb_i64(w, t->pool_slots);
	wb_i64(w, t->priority_weight);
	wb_str(w, t->map_over);
	wb_u32(w, t->map_literal);
	wb_str(w, t->map_as);
	wb_i64(w, t->map_max);
}

static void wire_get_task(struct rbuf *r, struct dag_task *t, size_t ntasks)
{
	t->id = rb_str(r);
	t->ncommand = rb_count(r, 4);
	if (t->ncommand) {
		t->command = calloc(t->ncommand + 1, sizeof *t->command);
		if (!t->command) {
			r->bad = true;
			t->ncommand = 0;
		}
		for (size_t i = 0; i < t->ncommand; i++)
			t->command[i] = rb_str(r);
	}
	t->shell = rb_u32(r) != 0;
	t->env = wire_get_kvs(r, &t->nenv);
	t->cwd = rb_str(r);
	t->nupstream = rb_count(r, 4);
	t->depends_on = calloc(t->nupstream ? t->nupstream : 1, sizeof *t->depends_on);
	if (!t->depends_on) {
		r->bad = true;
		t->nupstream = 0;
	}
	for (size_t i = 0; i < t->nupstream; i++)
		t->depends_on[i] = rb_str(r);
	t->upstream = wire_get_sizes(r, t->nupstream, ntasks);
	t->ndownstream = rb_count(r, 8);
	t->downstream = wire_get_sizes(r, t->ndownstream, ntasks);
	t->trigger_rule = (enum trigger_rule)rb_u32(r);
	t->retries = (int)rb_i64(r);
	t->retry_delay_ms = rb_i64(r);
	t->retry_backoff = (enum retry_backoff)rb_u32(r);
	t->max_retry_delay_ms = rb_i64(r);
	t->timeout_ms = rb_i64(r);
	t->max_active_tis = (int)rb_i64(r);
	t->nno_retry_exit_codes = rb_count(r, 8);
	t->no_retry_exit_codes = calloc(t->nno_retry_exit_codes ? t->nno_retry_exit_codes : 1, sizeof(int));
	if (!t->no_retry_exit_codes) {
		r->bad = true;
		t->nno_retry_exit_codes = 0;
	}
	for (size_t i = 0; i < t->nno_retry_exit_codes; i++)
		t->no_retry_exit_codes[i] = (int)rb_i64(r);
	t->wait_path = rb_str(r);
	t->poke_ms = rb_i64(r);
	t->wait_timeout_ms = rb_i64(r);
	t->notify = wire_get_notify(r, &t->nnotify);
	t->line = (int)rb_i64(r);
	t->column = (int)rb_i64(r);
	t->executor = rb_u32(r) == EXECUTOR_SLURM ? EXECUTOR_SLURM : EXECUTOR_LOCAL;
	t->slurm.partition = rb_str(r);
	t->slurm.account = rb_str(r);
	t->slurm.qos = rb_str(r);
	t->slurm.cpus = (int)rb_i64(r);
	t->slurm.mem_mb = rb_i64(r);
	t->slurm.time_min = rb_i64(r);
	t->outlets = wire_get_strs(r, &t->noutlets);
	t->wait_dag = rb_str(r);
	t->wait_task = rb_str(r);
	t->wait_date = rb_str(r);
	t->wait_offset_s = rb_i64(r);
	t->wait_allowed = rb_u32(r);
	t->wait_failed = rb_u32(r);
	t->pool = rb_str(r);
	t->pool_slots = (int)rb_i64(r);
	t->priority_weight = (int)rb_i64(r);
	t->map_over = rb_str(r);
	t->map_literal = rb_u32(r) != 0;
	t->map_as = rb_str(r);
	t->map_max = (int)rb_i64(r);
}

unsigned char *dag_wire_encode(const struct dag *d, const struct diag_list *diags, size_t *len)
{
	struct wbuf w = { 0 };
	wb_u32(&w, (uint32_t)diags->n);
	for (size_t i = 0; i < diags->n; i++) {
		wb_i64(&w, diags->items[i].line);
		wb_i64(&w, diags->items[i].column);
		wb_str(&w, diags->items[i].msg);
	}
	wb_u32(&w, d != NULL);
	if (d) {
		wb_str(&w, d->dag_id);
		wb_str(&w, d->description);
		wb_str(&w, d->file);
		wb_put(&w, d->hash, sizeof d->hash);
		wb_str(&w, d->source);
		wb_str(&w, d->schedule);
		wb_u32(&w, (uint32_t)d->kind);
		wb_put(&w, &d->cron, sizeof d->cron);
		wb_str(&w, d->timezone);
		wb_i64(&w, (int64_t)d->start_date);
		wb_u32(&w, d->has_start_date);
		wb_i64(&w, (int64_t)d->end_date);
		wb_u32(&w, d->has_end_date);
		wb_u32(&w, d->catchup);
		wb_u32(&w, d->has_paused_on_create);
		wb_u32(&w, d->paused_on_create);
		wb_i64(&w, d->max_active_runs);
		wb_i64(&w, d->concurrency);
		wire_put_kvs(&w, d->params, d->nparams);
		wb_u32(&w, (uint32_t)d->ntasks);
		for (size_t i = 0; i < d->ntasks; i++)
			wire_put_task(&w, &d->tasks[i]);
		wire_put_notify(&w, d->notify, d->nnotify);
		wb_i64(&w, d->deadline_ms);
		wire_put_strs(&w, d->datasets, d->ndatasets);
	}
	*len = w.len;
	return w.b;
}

int dag_wire_decode(const unsigned char *buf, size_t len, const char *file, struct dag **out,
		    struct diag_list *diags)
{
	struct rbuf r = { buf, len, 0, false };
	*out = NULL;
	size_t nd = rb_count(&r, 20);
	for (size_t i = 0; i < nd && !r.bad; i++) {
		int line = (int)rb_i64(&r), col = (int)rb_i64(&r);
		char *msg = rb_str(&r);
		if (msg)
			diag_add(diags, file, line, col, "%s", msg);
		free(msg);
	}
	if (!rb_u32(&r))
		return r.bad || r.at != r.len ? -1 : 0;
	struct dag *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	d->dag_id = rb_str(&r);
	d->description = rb_str(&r);
	d->file = rb_str(&r);
	rb_get(&r, d->hash, sizeof d->hash);
	d->hash[sizeof d->hash - 1] = '\0';
	d->source = rb_str(&r);
	d->schedule = rb_str(&r);
	d->kind = (enum schedule_kind)rb_u32(&r);
	rb_get(&r, &d->cron, sizeof d->cron);
	d->timezone = rb_str(&r);
	d->start_date = (time_t)rb_i64(&r);
	d->has_start_date = rb_u32(&r) != 0;
	d->end_date = (time_t)rb_i64(&r);
	d->has_end_date = rb_u32(&r) != 0;
	d->catchup = rb_u32(&r) != 0;
	d->has_paused_on_create = rb_u32(&r) != 0;
	d->paused_on_create = rb_u32(&r) != 0;
	d->max_active_runs = (int)rb_i64(&r);
	d->concurrency = (int)rb_i64(&r);
	d->params = wire_get_kvs(&r, &d->nparams);
	size_t n = rb_count(&r, 64);
	d->tasks = calloc(n ? n : 1, sizeof *d->tasks);
	if (!d->tasks)
		r.bad = true;
	else
		for (d->ntasks = 0; d->ntasks < n && !r.bad; d->ntasks++)
			wire_get_task(&r, &d->tasks[d->ntasks], n);
	if (!r.bad) {
		d->notify = wire_get_notify(&r, &d->nnotify);
		d->deadline_ms = rb_i64(&r);
	}
	if (!r.bad)
		d->datasets = wire_get_strs(&r, &d->ndatasets);
	if (r.bad || r.at != r.len || !d->dag_id || !d->file || !d->schedule || !d->timezone) {
		dag_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* ---- the child ---------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The address space the child may use: libyaml's tree of a file costs up to
 * about 100 bytes per 2 bytes of a flow list, plus the executable. */
static rlim_t child_memory_limit(size_t max_bytes)
{
	return (rlim_t)256 * 1024 * 1024 + (rlim_t)max_bytes * 96;
}

int dag_parse_child_main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	struct dag_limits lim = { .max_bytes = (size_t)strtoull(argv[0], NULL, 10), .max_depth = atoi(argv[1]) };
	/* Dies with the daemon, even in the middle of a slow file. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#if !defined(__SANITIZE_ADDRESS__)
	/* Not under AddressSanitizer, which reserves terabytes of address space. */
	struct rlimit rl = { child_memory_limit(lim.max_bytes), child_memory_limit(lim.max_bytes) };
	setrlimit(RLIMIT_AS, &rl);
#endif
	for (int i = 2; i < argc; i++) {
		struct diag_list diags = { 0 };
		struct dag *d = dag_load_file_limits(argv[i], &lim, &diags);
		size_t len;
		unsigned char *body = dag_wire_encode(d, &diags, &len);
		uint32_t head[2] = { (uint32_t)(len + 4), (uint32_t)(i - 2) };
		int rc = write_all(1, head, sizeof head) < 0 || write_all(1, body, len) < 0 ? -1 : 0;
		free(body);
		dag_free(d);
		diag_list_clear(&diags);
		free(diags.items);
		if (rc < 0)
			return 1;	/* the daemon is gone, or killed us */
	}
	return 0;
}

/* ---- the parent --------------------------------------------------------- */

struct parse_job {
	char *path;
	uint64_t gen;
	int deaths;	/* children that died on it */
};

struct dag_parser {
	char *exe;
	struct dag_limits lim;
	int64_t budget_ms;
	struct parse_job *queue;	/* not yet given to a child */
	size_t nqueue, capqueue;
	pid_t pid;			/* 0: no child */
	int fd;				/* its stdout; -1 without a child */
	struct parse_job *inflight;	/* the files of the running child, in order */
	size_t ninflight, next;		/* inflight[next] is being parsed */
	int64_t file_started_us;	/* when inflight[next] began (spawn or last record) */
	int64_t retry_spawn_us;		/* after a failed spawn */
	unsigned char *buf;		/* bytes read, not yet a whole record */
	size_t len, cap;
	struct dag_parse_result *done;	/* finished, not yet taken */
	size_t ndone, capdone;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct dag_parser *dag_parser_new(const char *exe, const struct dag_limits *lim, int64_t budget_ms)
{
	struct dag_parser *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->exe = strdup(exe ? exe : "/proc/self/exe");
	p->lim = *lim;
	if (!p->lim.max_bytes)
		p->lim.max_bytes = DAG_DEFAULT_MAX_BYTES;
	if (p->lim.max_depth <= 0)
		p->lim.max_depth = DAG_DEFAULT_MAX_DEPTH;
	p->budget_ms = budget_ms;
	p->fd = -1;
	return p;
}

void dag_parse_result_free(struct dag_parse_result *r)
{
	free(r->path);
	dag_free(r->dag);
	diag_list_clear(&r->diags);
	free(r->diags.items);
	memset(r, 0, sizeof *r);
}

static void push_job(struct parse_job **v, size_t *n, size_t *cap, struct parse_job j)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		struct parse_job *nv = realloc(*v, *cap * sizeof **v);
		if (!nv)
			abort();
		*v = nv;
	}
	(*v)[(*n)++] = j;
}

void dag_parser_submit(struct dag_parser *p, const char *path, uint64_t gen)
{
	for (size_t i = 0; i < p->nqueue; i++)
		if (!strcmp(p->queue[i].path, path)) {	/* not started: parse it once, as of now */
			p->queue[i].gen = gen;
			return;
		}
	char *s = strdup(path);
	if (!s)
		abort();
	push_job(&p->queue, &p->nqueue, &p->capqueue, (struct parse_job){ s, gen, 0 });
}

/* Finishes inflight[next] with dag/diags (taking them). */
static void finish_file(struct dag_parser *p, struct dag *dag, struct diag_list *diags)
{
	struct parse_job *j = &p->inflight[p->next++];
	if (p->ndone == p->capdone) {
		p->capdone = p->capdone ? p->capdone * 2 : 16;
		struct dag_parse_result *nd = realloc(p->done, p->capdone * sizeof *nd);
		if (!nd)
			abort();
		p->done = nd;
	}
	p->done[p->ndone++] = (struct dag_parse_result){ j->path, j->gen, dag, *diags };
	j->path = NULL;
	memset(diags, 0, sizeof *diags);
}

/* Finishes inflight[next] with one error. */
static void fail_file(struct dag_parser *p, const char *fmt, const char *arg)
{
	struct diag_list diags = { 0 };
	diag_add(&diags, p->inflight[p->next].path, 0, 0, fmt, arg);
	finish_file(p, NULL, &diags);
}

/* Files given to one child: its argv stays far below ARG_MAX. */
#define PARSE_BATCH 256

/* QUEUED -> PARSING: one child for the first PARSE_BATCH queued files. */
static void parser_spawn(struct dag_parser *p, int64_t now)
{
	if (p->pid || !p->nqueue || now < p->retry_spawn_us)
		return;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		slog(SLOG_ERROR, "parser_failed", "error=%s action=%s", strerror(errno), "retry in 1s");
		p->retry_spawn_us = now + 1000000;
		return;
	}
	char bytes[32], depth[16];
	snprintf(bytes, sizeof bytes, "%zu", p->lim.max_bytes);
	snprintf(depth, sizeof depth, "%d", p->lim.max_depth);
	size_t batch = p->nqueue < PARSE_BATCH ? p->nqueue : PARSE_BATCH;
	char **argv = calloc(batch + 5, sizeof *argv);
	if (!argv)
		abort();
	argv[0] = "schedulerd";
	argv[1] = "--parse-dags";
	argv[2] = bytes;
	argv[3] = depth;
	for (size_t i = 0; i < batch; i++)
		argv[4 + i] = p->queue[i].path;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	pid_t pid;
	int rc = dag_worker_spawn(&pid, p->exe, &fa, argv);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		slog(SLOG_ERROR, "parser_failed", "exe=%s error=%s action=%s", p->exe, strerror(rc), "retry in 1s");
		p->retry_spawn_us = now + 1000000;
		return;
	}
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	/* A 50,000-task model is ~10 MB: fewer wake-ups of the loop with a
	 * larger pipe (best effort: the default 64 KiB works too). */
	fcntl(pfd[0], F_SETPIPE_SZ, 1 << 20);
	p->pid = pid;
	p->fd = pfd[0];
	free(p->inflight);
	p->inflight = malloc(batch * sizeof *p->inflight);
	if (!p->inflight)
		abort();
	memcpy(p->inflight, p->queue, batch * sizeof *p->inflight);
	p->ninflight = batch;
	p->next = 0;
	memmove(p->queue, p->queue + batch, (p->nqueue - batch) * sizeof *p->queue);
	p->nqueue -= batch;
	p->len = 0;
	p->file_started_us = now;
}

/* The files after inflight[next] go back to the head of the queue. */
static void requeue_rest(struct dag_parser *p)
{
	struct parse_job *q = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = p->next; i < p->ninflight; i++) {
		push_job(&q, &n, &cap, p->inflight[i]);
		p->inflight[i].path = NULL;
	}
	for (size_t i = 0; i < p->nqueue; i++)
		push_job(&q, &n, &cap, p->queue[i]);
	free(p->queue);
	p->queue = q;
	p->nqueue = n;
	p->capqueue = cap;
}

/* The child is gone (or made gone): back to IDLE or QUEUED. */
static void parser_reap(struct dag_parser *p)
{
	close(p->fd);
	p->fd = -1;
	/* Our child, exiting or killed; the daemon's SIGCHLD handler may reap it
	 * first (ECHILD), and a zombie left here is reaped by that handler. */
	for (int i = 0; i < 200; i++) {
		pid_t r = waitpid(p->pid, NULL, WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	p->pid = 0;
	requeue_rest(p);
	for (size_t i = 0; i < p->ninflight; i++)
		free(p->inflight[i].path);
	free(p->inflight);
	p->inflight = NULL;
	p->ninflight = p->next = 0;
	/* The read buffer grew to the largest record: not kept while idle. */
	free(p->buf);
	p->buf = NULL;
	p->len = p->cap = 0;
}

/* Decodes every whole record in buf. */
static void parser_take_records(struct dag_parser *p, int64_t now)
{
	size_t at = 0;
	while (p->len - at >= 8) {
		uint32_t rlen, idx;
		memcpy(&rlen, p->buf + at, 4);
		memcpy(&idx, p->buf + at + 4, 4);
		if (p->len - at - 4 < rlen)
			break;
		if (idx == p->next && p->next < p->ninflight) {
			struct dag *d = NULL;
			struct diag_list diags = { 0 };
			if (dag_wire_decode(p->buf + at + 8, rlen - 4, p->inflight[p->next].path, &d, &diags) < 0) {
				diag_list_clear(&diags);
				free(diags.items);
				fail_file(p, "the parser process sent a malformed result for %s", p->inflight[p->next].path);
			} else {
				finish_file(p, d, &diags);
			}
			p->file_started_us = now;
		}
		at += 4 + rlen;
	}
	memmove(p->buf, p->buf + at, p->len - at);
	p->len -= at;
}

/* Reads what the child wrote; true at EOF. */
static bool parser_read(struct dag_parser *p, int64_t now)
{
	for (;;) {
		if (p->cap - p->len < 65536) {
			size_t cap = p->cap ? p->cap * 2 : 131072;
			unsigned char *b = realloc(p->buf, cap);
			if (!b)
				abort();
			p->buf = b;
			p->cap = cap;
		}
		ssize_t n = read(p->fd, p->buf + p->len, p->cap - p->len);
		if (n > 0) {
			p->len += (size_t)n;
			continue;
		}
		parser_take_records(p, now);
		if (n == 0)
			return true;
		if (errno == EINTR)
			continue;
		return errno != EAGAIN;
	}
}

void dag_parser_pump(struct dag_parser *p, int64_t now_us)
{
	(void)now_us;	/* the budget runs on the monotonic clock */
	int64_t now = mono_us();
	for (int round = 0; round < 2; round++) {
		parser_spawn(p, now);
		if (!p->pid)
			return;
		if (parser_read(p, now)) {
			/* EOF: the child exited; a file it did not answer killed it. */
			if (p->next < p->ninflight && p->inflight[p->next].deaths++ == 0) {
				slog(SLOG_WARN, "dag_parse_lost", "file=%s action=%s", p->inflight[p->next].path,
				     "parsed again by a new worker");
			} else if (p->next < p->ninflight) {
				slog(SLOG_ERROR, "dag_parse_lost", "file=%s", p->inflight[p->next].path);
				char lim[32];
				snprintf(lim, sizeof lim, "%zu MiB", (size_t)(child_memory_limit(p->lim.max_bytes) >> 20));
				fail_file(p, "the parser process died while reading this file (over its memory limit of %s?)",
					  lim);
			}
			parser_reap(p);
			continue;	/* files after it: a new child */
		}
		if (p->budget_ms > 0 && now - p->file_started_us > p->budget_ms * 1000) {
			char b[32];
			duration_format(p->budget_ms, b, sizeof b);
			slog(SLOG_ERROR, "dag_parse_timeout", "file=%s budget_ms=%lld", p->inflight[p->next].path,
			     (long long)p->budget_ms);
			kill(p->pid, SIGKILL);
			fail_file(p, "parsing took longer than %s (schedulerd --parse-timeout); the file is skipped until it changes",
				  b);
			parser_reap(p);
			continue;
		}
		return;
	}
}

bool dag_parser_next(struct dag_parser *p, struct dag_parse_result *out)
{
	if (!p->ndone)
		return false;
	*out = p->done[0];
	memmove(p->done, p->done + 1, (p->ndone - 1) * sizeof *p->done);
	p->ndone--;
	return true;
}

int dag_parser_fd(const struct dag_parser *p)
{
	return p ? p->fd : -1;
}

bool dag_parser_busy(const struct dag_parser *p)
{
	return p && (p->pid || p->nqueue);
}

void dag_parser_wait(struct dag_parser *p)
{
	while (dag_parser_busy(p)) {
		dag_parser_pump(p, 0);
		if (!p->pid) {
			if (p->nqueue) {	/* a spawn failed: it is retried in a second */
				struct timespec ts = { 0, 100 * 1000 * 1000 };
				nanosleep(&ts, NULL);
			}
			continue;
		}
		struct pollfd pf = { p->fd, POLLIN, 0 };
		poll(&pf, 1, 100);
	}
}

void dag_parser_free(struct dag_parser *p)
{
	if (!p)
		return;
	if (p->pid) {
		kill(p->pid, SIGKILL);
		p->next = p->ninflight;
		parser_reap(p);
	}
	for (size_t i = 0; i < p->nqueue; i++)
		free(p->queue[i].path);
	free(p->queue);
	for (size_t i = 0; i < p->ndone; i++)
		dag_parse_result_free(&p->done[i]);
	free(p->done);
	free(p->buf);
	free(p->exe);
	free(p);
}
