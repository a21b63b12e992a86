/* checkpoint.c: see checkpoint.h. */
#include "scheduler/checkpoint.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler/slog.h"

struct checkpointer {
	sqlite3 *db;
	int64_t interval_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static void checkpoint_once(struct checkpointer *c)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	if ((rc != SQLITE_OK && rc != SQLITE_BUSY) || log < 0)
		slog(SLOG_WARN, "checkpoint_failed", "error=%s log_frames=%d", sqlite3_errmsg(c->db), log);
}

static void *run(void *arg)
{
	struct checkpointer *c = arg;
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += c->interval_ms / 1000;
		until.tv_nsec += (c->interval_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (!c->stop && pthread_cond_timedwait(&c->cv, &c->mu, &until) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&c->mu);
		checkpoint_once(c);
		pthread_mutex_lock(&c->mu);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct checkpointer *checkpointer_start(const char *path, int64_t interval_ms, char *err, size_t errlen)
{
	struct checkpointer *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->interval_ms = interval_ms > 0 ? interval_ms : 1000;
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
		sqlite3_close_v2(c->db);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->db, 1000);
	/* A connection that has not read the database does not know it is in WAL
	 * mode, and its checkpoints silently do nothing: read it once. And a
	 * database that is not in WAL mode (the file system refused it) has
	 * nothing to checkpoint: no thread, rather than a warning every pass. */
	char mode[16] = "";
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(c->db));
	} else {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
		if (strcmp(mode, "wal") != 0)
			snprintf(err, errlen, "%s: not in WAL mode (journal_mode %s)", path, mode);
	}
	sqlite3_finalize(st);
	if (strcmp(mode, "wal") != 0) {
		sqlite3_close_v2(c->db);
		free(c);
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&c->mu, NULL);
	/* The thread must not take signals meant for the daemon's signalfd: it
	 * inherits the mask the daemon blocked them with before calling us. */
	int rc = pthread_create(&c->thread, NULL, run, c);
	if (rc != 0) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		sqlite3_close_v2(c->db);
		free(c);
		return NULL;
	}
	return c;
}

void checkpointer_stop(struct checkpointer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	checkpoint_once(c);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	sqlite3_close_v2(c->db);
	free(c);
}
