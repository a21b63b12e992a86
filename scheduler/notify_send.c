/* notify_send.c: the sender of the alerts outbox (why a worker process:
 * notify_send.h; the row contract: docs/alerts.md).
 *
 * The state machine of a row (table notifications), every transition one
 * short transaction of its own, guarded by `state = 'pending'` so a row
 * another process changed meanwhile is left as it is:
 *
 *   pending --due, delivered----------------------------> delivered
 *   pending --due, failed, give-up time not reached-----> pending
 *               (attempts+1, next_attempt_us = now + backoff with jitter,
 *                last_error)
 *   pending --due, failed past created_us + give-up time,
 *             or failed for good (template error, 4xx, bad spec)--> given_up
 *   pending --due, the channel's endpoint renders empty-> skipped
 *
 * delivered, given_up and skipped are final: attempts counts every
 * attempt, done_us is when it ended, last_error keeps the last failure
 * (the reason for skipped). A row is marked only after its attempt, so a
 * worker killed between a delivery and its mark delivers it again after
 * the restart: at least once, the row key (X-Idempotency-Key, Message-ID)
 * letting the receiver drop the duplicate.
 *
 * Deliveries of one worker are one after the other: a channel that hangs
 * delays the rows after it by at most its timeout (10 s webhook, 30 s email
 * and command by default), never the scheduling loop. */
#include "scheduler/notify_send.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/xalloc.h"
#include "scheduler/daemon.h"
#include "scheduler/dag_parse.h"
#include "scheduler/slog.h"
#include "scheduler/store.h"

#define NOTIFY_BATCH 64

int64_t notify_retry_delay_us(int attempts, double jitter)
{
	int64_t d = NOTIFY_FIRST_RETRY_US;
	for (int i = 1; i < attempts && d < NOTIFY_MAX_RETRY_US; i++)
		d *= 2;
	if (d > NOTIFY_MAX_RETRY_US)
		d = NOTIFY_MAX_RETRY_US;
	return (int64_t)((double)d * (0.8 + 0.4 * jitter));
}

/* ---- the transitions ---------------------------------------------------- */

struct notify_row {
	int64_t id, created_us;
	int attempts;
	char *key, *channel, *payload;
};

/* One UPDATE of a pending row, in its own transaction. */
static int row_update(struct store *s, const char *sql, const struct notify_row *r, int64_t a, const char *err)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st) {
		store_rollback(s);
		return -1;
	}
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int(st, 3, r->attempts + 1);
	if (err)
		sqlite3_bind_text(st, 4, err, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 4);
	if (store_step(s, st, "notification transition") < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

static int notify_mark_delivered(struct store *s, const struct notify_row *r, int64_t now)
{
	slog(SLOG_INFO, "notify_delivered", "key=%s attempts=%d", r->key, r->attempts + 1);
	return row_update(s,
			  "UPDATE notifications SET state='delivered', done_us=?2, attempts=?3,"
			  " last_error=coalesce(?4, last_error)"
			  " WHERE id=?1 AND state='pending'",
			  r, now, NULL);
}

static int notify_mark_retry(struct store *s, const struct notify_row *r, int64_t at, const char *err)
{
	slog(SLOG_WARN, "notify_retry", "key=%s attempts=%d error=%s next_in_ms=%lld", r->key, r->attempts + 1, err,
	     (long long)((at - store_now_us()) / 1000));
	return row_update(s,
			  "UPDATE notifications SET next_attempt_us=?2, attempts=?3, last_error=?4"
			  " WHERE id=?1 AND state='pending'",
			  r, at, err);
}

static int notify_mark_given_up(struct store *s, const struct notify_row *r, int64_t now, const char *err)
{
	slog(SLOG_ERROR, "notify_given_up", "key=%s attempts=%d error=%s", r->key, r->attempts + 1, err);
	return row_update(s,
			  "UPDATE notifications SET state='given_up', done_us=?2, attempts=?3, last_error=?4"
			  " WHERE id=?1 AND state='pending'",
			  r, now, err);
}

static int notify_mark_skipped(struct store *s, const struct notify_row *r, int64_t now, const char *why)
{
	slog(SLOG_INFO, "notify_skipped", "key=%s reason=%s", r->key, why);
	return row_update(s,
			  "UPDATE notifications SET state='skipped', done_us=?2, attempts=?3, last_error=?4"
			  " WHERE id=?1 AND state='pending'",
			  r, now, why);
}

/* ---- one attempt -------------------------------------------------------- */

static double jitter(void)
{
	static unsigned seed;
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)store_now_us();
	return (double)(rand_r(&seed) % 10000) / 10000.0;
}

static enum notify_outcome notify_attempt(const struct notify_row *r, json_t *channel, int64_t now,
					  char *err, size_t errlen)
{
	json_error_t je;
	json_t *payload = json_loads(r->payload, 0, &je);
	if (!json_is_object(channel) || !json_is_object(payload)) {
		snprintf(err, errlen, "the row's %s is not a JSON object", json_is_object(channel) ? "payload" : "channel");
		json_decref(payload);
		return NOTIFY_GIVE_UP;
	}
	struct notify_item it = { .key = r->key, .channel = channel, .payload = payload,
				  .payload_text = r->payload, .now_us = now };
	const char *type = json_string_value(json_object_get(channel, "type"));
	enum notify_outcome o;
	if (type && strcmp(type, "webhook") == 0)
		o = notify_webhook_deliver(&it, err, errlen);
	else if (type && strcmp(type, "email") == 0)
		o = notify_email_deliver(&it, err, errlen);
	else if (type && strcmp(type, "command") == 0)
		o = notify_command_deliver(&it, err, errlen);
	else {
		snprintf(err, errlen, "channel type '%s' is not webhook, email or command", type ? type : "(none)");
		o = NOTIFY_GIVE_UP;
	}
	json_decref(payload);
	return o;
}

/* Delivers row r and makes its transition. */
static int notify_deliver_row(struct store *s, const struct notify_row *r)
{
	char err[NOTIFY_ERR_MAX] = "";
	json_error_t je;
	json_t *channel = json_loads(r->channel, 0, &je);
	int64_t now = store_now_us();
	enum notify_outcome o = notify_attempt(r, channel, now, err, sizeof err);
	int64_t end = store_now_us();
	int rc;
	if (o == NOTIFY_DELIVERED) {
		rc = notify_mark_delivered(s, r, end);
	} else if (o == NOTIFY_SKIPPED) {
		rc = notify_mark_skipped(s, r, end, err);
	} else if (o == NOTIFY_GIVE_UP) {
		rc = notify_mark_given_up(s, r, end, err);
	} else {
		char e2[64];
		int64_t give_up_ms = channel ? notify_duration_field(channel, "give_up_after",
								     NOTIFY_GIVE_UP_US / 1000, e2, sizeof e2)
					     : -1;
		if (give_up_ms < 0)
			give_up_ms = NOTIFY_GIVE_UP_US / 1000;
		int64_t at = end + notify_retry_delay_us(r->attempts + 1, jitter());
		if (at > r->created_us + give_up_ms * 1000) {
			char e3[NOTIFY_ERR_MAX + 64];
			snprintf(e3, sizeof e3, "%s (retried for %llds, given up)", err,
				 (long long)((end - r->created_us) / 1000000));
			rc = notify_mark_given_up(s, r, end, e3);
		} else {
			rc = notify_mark_retry(s, r, at, err);
		}
	}
	json_decref(channel);
	return rc;
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

/* The due rows, oldest first, at most NOTIFY_BATCH; -1 on error. */
static int notify_fetch_due(struct store *s, int64_t now, struct notify_row *rows)
{
	sqlite3_stmt *st = store_cached(s, "SELECT id, key, channel, payload, attempts, created_us FROM notifications"
					   " WHERE state='pending' AND next_attempt_us<=?1"
					   " ORDER BY next_attempt_us, id LIMIT 64");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	int n = 0, rc = SQLITE_DONE;
	while (n < NOTIFY_BATCH && (rc = store_step(s, st, "due notifications")) == SQLITE_ROW) {
		struct notify_row *r = &rows[n++];
		r->id = sqlite3_column_int64(st, 0);
		r->key = col_text(st, 1);
		r->channel = col_text(st, 2);
		r->payload = col_text(st, 3);
		r->attempts = sqlite3_column_int(st, 4);
		r->created_us = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (n < NOTIFY_BATCH && rc < 0) {
		for (int i = 0; i < n; i++) {
			free(rows[i].key);
			free(rows[i].channel);
			free(rows[i].payload);
		}
		return -1;
	}
	return n;
}

static int64_t notify_next_due(struct store *s)
{
	sqlite3_stmt *st = store_cached(s, "SELECT next_attempt_us FROM notifications WHERE state='pending'"
					   " ORDER BY next_attempt_us LIMIT 1");
	if (!st)
		return -1;
	int rc = store_step(s, st, "next notification");
	int64_t at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc < 0 ? -1 : at;
}

int64_t notify_send_pass(struct store *s, int64_t now)
{
	struct notify_row rows[NOTIFY_BATCH];
	for (;;) {
		int n = notify_fetch_due(s, now, rows);
		if (n < 0)
			return -1;
		int failed = 0;
		for (int i = 0; i < n; i++) {
			if (!failed && notify_deliver_row(s, &rows[i]) < 0)
				failed = 1;
			free(rows[i].key);
			free(rows[i].channel);
			free(rows[i].payload);
		}
		if (failed)
			return -1;
		if (n < NOTIFY_BATCH)
			break;
	}
	return notify_next_due(s);
}

/* ---- the worker --------------------------------------------------------- */

static volatile sig_atomic_t worker_stop;

static void worker_on_term(int sig)
{
	(void)sig;
	/* A delivery in flight is not recorded: it is delivered again by the
	 * next worker (at least once). Its command's group goes with us. */
	notify_command_kill_running();
	_exit(0);
}

static void sleep_us(int64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

/* Waiting for another connection's commit: every commit writes the WAL,
 * so an inotify watch on <state>-wal wakes the worker at once (the check
 * after it is PRAGMA data_version, which tells others' commits from its
 * own writes and from checkpoints). Without the watch (no inotify, the WAL
 * not there yet or removed when its last connection closed), a poll every
 * NOTIFY_POLL_US. With it, still a look every NOTIFY_WATCHED_POLL_US. */
#define NOTIFY_WATCHED_POLL_US 250000LL

struct wal_watch {
	int fd, wd;
	char path[4200];
};

static void wal_wait(struct wal_watch *w, int64_t until)
{
	if (w->fd >= 0 && w->wd < 0)
		w->wd = inotify_add_watch(w->fd, w->path, IN_MODIFY);
	int64_t left = until - store_now_us();
	if (w->wd < 0) {
		sleep_us(left < NOTIFY_POLL_US ? (left > 0 ? left : 0) : NOTIFY_POLL_US);
		return;
	}
	if (left > NOTIFY_WATCHED_POLL_US)
		left = NOTIFY_WATCHED_POLL_US;
	struct pollfd pf = { w->fd, POLLIN, 0 };
	if (poll(&pf, 1, left > 0 ? (int)((left + 999) / 1000) : 0) > 0) {
		char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
		ssize_t n;
		while ((n = read(w->fd, buf, sizeof buf)) > 0) {
			for (char *p = buf; p < buf + n;) {
				const struct inotify_event *e = (const struct inotify_event *)p;
				if (e->mask & IN_IGNORED)
					w->wd = -1;	/* the WAL went away: watched again next time */
				p += sizeof *e + e->len;
			}
		}
	}
}

/* The worker's lock on <state>.notify.lock: one worker per state file. */
static int worker_lock(const char *state, pid_t daemon_pid)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.notify.lock", state);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		slog(SLOG_ERROR, "notify_worker_failed", "file=%s error=%s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (getppid() != daemon_pid) {
			close(fd);
			return -1;
		}
		sleep_us(100000);	/* the previous worker is ending */
	}
	return fd;
}

int notify_send_worker_main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "schedulerd --notify-worker STATE DAEMON_PID (started by schedulerd)\n");
		return 2;
	}
	pid_t daemon_pid = (pid_t)atol(argv[1]);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != daemon_pid)
		return 0;	/* the daemon is gone already */
	signal(SIGTERM, worker_on_term);
	signal(SIGINT, worker_on_term);
	signal(SIGPIPE, SIG_IGN);	/* a command that does not read its stdin */
	int lock = worker_lock(argv[0], daemon_pid);
	if (lock < 0)
		return 1;
	char err[512];
	struct store *s = store_open(argv[0], STORE_WRITE, err, sizeof err);
	if (!s) {
		slog(SLOG_ERROR, "notify_worker_failed", "error=%s", err);
		close(lock);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	slog(SLOG_INFO, "notify_worker_started", "pid=%d", (int)getpid());
	struct wal_watch ww = { .fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), .wd = -1 };
	snprintf(ww.path, sizeof ww.path, "%s-wal", argv[0]);
	while (!worker_stop) {
		int64_t now = store_now_us();
		int64_t next = notify_send_pass(s, now);
		if (next < 0) {
			slog(SLOG_ERROR, "notify_pass_failed", "error=%s action=%s", s->err, "retry in 1 s");
			next = now + 1000000;
		}
		/* Until the next row is due, another process commits (a new
		 * row, maybe), or a second passed (a clock step). */
		int64_t until = now + 1000000;
		if (next > 0 && next < until)
			until = next;
		while (store_now_us() < until && !store_changed_externally(s))
			wal_wait(&ww, until);
	}
	if (ww.fd >= 0)
		close(ww.fd);
	curl_global_cleanup();
	store_close(s);
	close(lock);
	return 0;
}

/* ---- the daemon's side -------------------------------------------------- */

void notify_send_child_gone(struct daemon *d, pid_t pid)
{
	if (pid > 0 && pid == d->notify_pid) {
		d->notify_pid = 0;
		slog(SLOG_WARN, "notify_worker_gone", "pid=%d action=%s", (int)pid, "started again");
	}
}

void notify_send_tick(struct daemon *d, int64_t now)
{
	if (d->notify_pid > 0) {
		pid_t r = waitpid(d->notify_pid, NULL, WNOHANG);
		if (r == d->notify_pid || (r < 0 && errno == ECHILD))
			notify_send_child_gone(d, d->notify_pid);
	}
	if (d->notify_pid > 0 || now < d->notify_next_us)
		return;
	d->notify_next_us = now + NOTIFY_RESPAWN_US;
	char pid[32];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	char *argv[] = { "schedulerd", "--notify-worker", (char *)d->cfg.state_path, pid, NULL };
	pid_t child;
	int rc = dag_worker_spawn(&child, "/proc/self/exe", NULL, argv);
	if (rc != 0) {
		slog(SLOG_ERROR, "notify_worker_failed", "error=%s action=%s", strerror(rc), "retry in 5 s");
		return;
	}
	d->notify_pid = child;
}

void notify_send_stop(struct daemon *d)
{
	if (d->notify_pid <= 0)
		return;
	pid_t r = waitpid(d->notify_pid, NULL, WNOHANG);
	if (r == 0) {
		kill(d->notify_pid, SIGTERM);
		while (waitpid(d->notify_pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	d->notify_pid = 0;
}
