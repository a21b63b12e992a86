/* store.c: the SQLite state store shared by schedulerd and schedctl.
 *
 * Durability argument (kill -9 at any instant): every transition is a single
 * SQLite transaction in WAL mode with synchronous=NORMAL. A commit is in the
 * WAL file before COMMIT returns, so it survives the death of the process
 * (only a power loss can drop the last commits with NORMAL; --sync full in
 * schedulerd trades speed for that). A transaction that had not committed is
 * rolled back by SQLite on the next open. Nothing outside SQLite is trusted to
 * be atomic with it: the executor's files (lock, status) are reconciled with
 * the store on restart (see scheduler/recover.c).
 *
 * Migrations: PRAGMA user_version holds the schema version; each step below
 * upgrades one version inside one transaction, so a crash mid-migration leaves
 * the previous version intact. */
#include "scheduler/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/path.h"
#include "lib/xalloc.h"
#include "scheduler/tz.h"

static const char *const ti_names[TI__COUNT] = {
	"none", "scheduled", "queued", "running", "success", "failed",
	"up_for_retry", "upstream_failed", "skipped", "restarting", "crash_loop"
};
static const char *const run_names[RUN__COUNT] = { "queued", "running", "success", "failed" };

const char *ti_state_name(enum ti_state s) { return (unsigned)s < TI__COUNT ? ti_names[s] : "?"; }
const char *run_state_name(enum run_state s) { return (unsigned)s < RUN__COUNT ? run_names[s] : "?"; }

int ti_state_parse(const char *s)
{
	for (int i = 0; s && i < TI__COUNT; i++)
		if (strcmp(s, ti_names[i]) == 0)
			return i;
	return -1;
}

int run_state_parse(const char *s)
{
	for (int i = 0; s && i < RUN__COUNT; i++)
		if (strcmp(s, run_names[i]) == 0)
			return i;
	return -1;
}

bool ti_state_finished(enum ti_state s)
{
	return s == TI_SUCCESS || s == TI_FAILED || s == TI_UPSTREAM_FAILED || s == TI_SKIPPED;
}

int64_t store_now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void set_err(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
}

int store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	if (s->depth > 0 && s->aborted)
		return -1;	/* a failed transaction takes no more work */
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_err(s, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		if (s->depth > 0)
			s->aborted = true;
		return -1;
	}
	return 0;
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		set_err(s, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return NULL;
	}
	return st;
}

int store_fail(struct store *s, const char *what)
{
	if (!(s->depth > 0 && s->aborted))	/* the first failure's message stays */
		set_err(s, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if (s->depth > 0)
		s->aborted = true;
	return -1;
}

int store_step(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	sqlite3_reset(st);
	return store_fail(s, what);
}

sqlite3_stmt *store_cached(struct store *s, const char *sql)
{
	if (s->depth > 0 && s->aborted)
		return NULL;	/* a failed transaction takes no more work (s->err has why) */
	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	sqlite3_stmt *st = store_prepare(s, sql);
	if (st) {
		if (s->ncache == s->capcache) {
			int cap = s->capcache ? s->capcache * 2 : 32;
			struct store_cached_stmt *c = realloc(s->cache, (size_t)cap * sizeof *c);
			if (!c) {	/* never handed out uncached: it would leak */
				sqlite3_finalize(st);
				set_err(s, "out of memory");
				return NULL;
			}
			s->cache = c;
			s->capcache = cap;
		}
		s->cache[s->ncache++] = (struct store_cached_stmt){ sql, st };
	}
	return st;
}

/* Version 1: the whole schema of store.h. */
static const char schema_v1[] =
	"CREATE TABLE dags("
	" dag_id TEXT PRIMARY KEY, file TEXT NOT NULL, hash TEXT NOT NULL,"
	" schedule TEXT NOT NULL, timezone TEXT NOT NULL, description TEXT,"
	" paused INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,"
	" next_interval INTEGER, next_run INTEGER, tasks TEXT NOT NULL DEFAULT '[]', errors TEXT,"
	" loaded_us INTEGER NOT NULL);"
	"CREATE TABLE dag_files(file TEXT PRIMARY KEY, dag_id TEXT, errors TEXT,"
	" checked_us INTEGER NOT NULL);"
	"CREATE TABLE runs("
	" id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, run_id TEXT NOT NULL,"
	" logical_date INTEGER NOT NULL, interval_end INTEGER NOT NULL,"
	" run_type TEXT NOT NULL, state TEXT NOT NULL, conf TEXT,"
	" backfill_id INTEGER, sort_key INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL, started_us INTEGER, ended_us INTEGER,"
	" UNIQUE(dag_id, logical_date));"
	"CREATE INDEX runs_by_state ON runs(state, sort_key);"
	"CREATE TABLE task_instances("
	" run INTEGER NOT NULL, task_id TEXT NOT NULL, state TEXT NOT NULL,"
	" try_number INTEGER NOT NULL DEFAULT 0, max_tries INTEGER NOT NULL DEFAULT 1,"
	" pid INTEGER, started_us INTEGER, ended_us INTEGER, exit_code INTEGER,"
	" next_retry_us INTEGER, log_path TEXT, result TEXT,"
	" restarts INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY(run, task_id)) WITHOUT ROWID;"
	"CREATE TABLE tries("
	" run INTEGER NOT NULL, task_id TEXT NOT NULL, try_number INTEGER NOT NULL,"
	" state TEXT NOT NULL, pid INTEGER, started_us INTEGER, ended_us INTEGER,"
	" exit_code INTEGER, signal INTEGER, log_path TEXT, result TEXT, cause TEXT,"
	" PRIMARY KEY(run, task_id, try_number)) WITHOUT ROWID;"
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, dag_id TEXT, run INTEGER,"
	" task_id TEXT, try_number INTEGER, old_state TEXT, new_state TEXT, cause TEXT);"
	"CREATE INDEX events_by_run ON events(run);"
	"CREATE TABLE backfills("
	" id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, from_date INTEGER NOT NULL,"
	" to_date INTEGER NOT NULL, max_active INTEGER NOT NULL, reverse INTEGER NOT NULL,"
	" created_us INTEGER NOT NULL);"
	"CREATE TABLE requests("
	" id INTEGER PRIMARY KEY, created_us INTEGER NOT NULL, kind TEXT NOT NULL,"
	" dag_id TEXT, run INTEGER, task_id TEXT, args TEXT,"
	" state TEXT NOT NULL DEFAULT 'pending', result TEXT, done_us INTEGER);"
	"CREATE INDEX requests_pending ON requests(state);";

/* Version 2 (run management): a run's own cause and its pinned DAG version,
 * run ids unique per DAG, who did what in the event log, the DAG versions,
 * and an index for cleaning history by end time. */
static const char schema_v2[] =
	"ALTER TABLE runs ADD COLUMN cause TEXT;"
	"ALTER TABLE runs ADD COLUMN version INTEGER;"
	"CREATE UNIQUE INDEX runs_by_run_id ON runs(dag_id, run_id);"
	"CREATE INDEX runs_by_end ON runs(ended_us);"
	"ALTER TABLE events ADD COLUMN actor TEXT;"
	"ALTER TABLE dags ADD COLUMN version INTEGER;"
	"CREATE TABLE dag_versions("
	" id INTEGER PRIMARY KEY, dag_id TEXT NOT NULL, hash TEXT NOT NULL,"
	" file TEXT NOT NULL, source TEXT NOT NULL, tasks TEXT NOT NULL DEFAULT '[]',"
	" created_us INTEGER NOT NULL,"
	" UNIQUE(dag_id, hash));";

/* Version 3 (alerts, the HTTP server, cluster execution, data-aware
 * scheduling). One section per concern; each is owned by the code named in
 * its comment, and store.h documents every column. */
static const char schema_v3[] =
	/* alerts (scheduler/notify*.c): the durable outbox. A row is written in
	 * the transaction of the state change that causes it; the sender
	 * delivers it at least once, `key` being its stable idempotency id. */
	"CREATE TABLE notifications("
	" id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, created_us INTEGER NOT NULL,"
	" event TEXT NOT NULL, dag_id TEXT NOT NULL, run INTEGER, task_id TEXT,"
	" try_number INTEGER, channel TEXT NOT NULL, payload TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt_us INTEGER NOT NULL, last_error TEXT, done_us INTEGER);"
	"CREATE INDEX notifications_due ON notifications(state, next_attempt_us);"
	"ALTER TABLE runs ADD COLUMN deadline_us INTEGER;"
	/* deadline_missed_us: when deadline_missed was enqueued (NULL: not
	 * yet); the partial index holds only the runs still to be checked, so
	 * the daemon's check per pass does not grow with history. */
	"ALTER TABLE runs ADD COLUMN deadline_missed_us INTEGER;"
	"CREATE INDEX runs_deadline_due ON runs(deadline_us)"
	" WHERE deadline_us IS NOT NULL AND deadline_missed_us IS NULL AND state <> 'success';"
	/* end of alerts */

	/* the daemon's heartbeat and loop statistics (health, metrics): one row,
	 * there from the start; the daemon writes it (scheduler/status.c) at most
	 * once a second, in its pass's transaction. Loop durations: loop_b<i>
	 * counts the passes that took at most STATUS_LOOP_BOUNDS_US[i]
	 * (cumulative, as Prometheus' buckets). stream_restarts and crash_loops
	 * count transitions over the store's life (triggers below). */
	"CREATE TABLE daemon_status( id INTEGER PRIMARY KEY CHECK(id = 1), pid INTEGER, host TEXT, "
	"started_us INTEGER, heartbeat_us INTEGER, loops INTEGER NOT NULL DEFAULT 0, loop_us_sum "
	"INTEGER NOT NULL DEFAULT 0, loop_us_max INTEGER NOT NULL DEFAULT 0, loop_b0 INTEGER NOT NULL "
	"DEFAULT 0, loop_b1 INTEGER NOT NULL DEFAULT 0, loop_b2 INTEGER NOT NULL DEFAULT 0, loop_b3 "
	"INTEGER NOT NULL DEFAULT 0, loop_b4 INTEGER NOT NULL DEFAULT 0, loop_b5 INTEGER NOT NULL "
	"DEFAULT 0, loop_b6 INTEGER NOT NULL DEFAULT 0, loop_b7 INTEGER NOT NULL DEFAULT 0, "
	"queue_depth INTEGER NOT NULL DEFAULT 0, running_tries INTEGER NOT NULL DEFAULT 0, "
	"stream_restarts INTEGER NOT NULL DEFAULT 0, crash_loops INTEGER NOT NULL DEFAULT 0);"
	"INSERT INTO daemon_status(id) VALUES(1);"
	/* A stream task's try ended and it restarts (only stream tasks count restarts). */
	"CREATE TRIGGER status_stream_restart AFTER UPDATE OF state ON task_instances WHEN "
	"NEW.restarts > 0 AND NEW.state IN ('up_for_retry','crash_loop') AND OLD.state <> NEW.state "
	"BEGIN UPDATE daemon_status SET stream_restarts = stream_restarts + 1 WHERE id = 1; END;"
	"CREATE TRIGGER status_crash_loop AFTER UPDATE OF state ON task_instances WHEN NEW.state = "
	"'crash_loop' AND OLD.state <> 'crash_loop' BEGIN UPDATE daemon_status SET crash_loops = "
	"crash_loops + 1 WHERE id = 1; END;"
	/* Runs and task instances by DAG and state, kept by triggers in the
	 * transaction of every change, so a scrape reads a few rows, not the
	 * history (kind 'run' or 'ti'; a count that drops to 0 stays as 0). */
	"CREATE TABLE state_counts( kind TEXT NOT NULL, dag_id TEXT NOT NULL, state TEXT NOT NULL, n "
	"INTEGER NOT NULL, PRIMARY KEY(kind, dag_id, state)) WITHOUT ROWID;"
	"INSERT INTO state_counts SELECT 'run', dag_id, state, count(*) FROM runs GROUP BY dag_id, "
	"state;"
	"INSERT INTO state_counts SELECT 'ti', r.dag_id, t.state, count(*) FROM task_instances t JOIN "
	"runs r ON r.id = t.run GROUP BY r.dag_id, t.state;"
	"CREATE TRIGGER counts_run_insert AFTER INSERT ON runs BEGIN INSERT INTO state_counts "
	"VALUES('run', NEW.dag_id, NEW.state, 1) ON CONFLICT(kind, dag_id, state) DO UPDATE SET n = n "
	"+ 1; END;"
	"CREATE TRIGGER counts_run_update AFTER UPDATE OF state ON runs WHEN OLD.state <> NEW.state "
	"BEGIN UPDATE state_counts SET n = n - 1 WHERE kind = 'run' AND dag_id = OLD.dag_id AND state "
	"= OLD.state; INSERT INTO state_counts VALUES('run', NEW.dag_id, NEW.state, 1) ON "
	"CONFLICT(kind, dag_id, state) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER counts_run_delete AFTER DELETE ON runs BEGIN UPDATE state_counts SET n = n - "
	"1 WHERE kind = 'run' AND dag_id = OLD.dag_id AND state = OLD.state; END;"
	"CREATE TRIGGER counts_ti_insert AFTER INSERT ON task_instances BEGIN INSERT INTO "
	"state_counts VALUES('ti', coalesce((SELECT dag_id FROM runs WHERE id = NEW.run), ''), "
	"NEW.state, 1) ON CONFLICT(kind, dag_id, state) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER counts_ti_update AFTER UPDATE OF state ON task_instances WHEN OLD.state <> "
	"NEW.state BEGIN UPDATE state_counts SET n = n - 1 WHERE kind = 'ti' AND dag_id = "
	"coalesce((SELECT dag_id FROM runs WHERE id = OLD.run), '') AND state = OLD.state; INSERT "
	"INTO state_counts VALUES('ti', coalesce((SELECT dag_id FROM runs WHERE id = NEW.run), ''), "
	"NEW.state, 1) ON CONFLICT(kind, dag_id, state) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER counts_ti_delete AFTER DELETE ON task_instances BEGIN UPDATE state_counts SET "
	"n = n - 1 WHERE kind = 'ti' AND dag_id = coalesce((SELECT dag_id FROM runs WHERE id = "
	"OLD.run), '') AND state = OLD.state; END;"
	/* Tries by DAG and task: started (state running), retried (started with
	 * try_number > 1), failed (ended failed), and the durations of the tries
	 * that ran (running -> ended) as cumulative buckets d<seconds> (count,
	 * sum in seconds). Counters over the store's life: history cleaning
	 * (db clean, --retain) does not lower them. */
	"CREATE TABLE try_stats( dag_id TEXT NOT NULL, task_id TEXT NOT NULL, started INTEGER NOT "
	"NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, "
	"duration_count INTEGER NOT NULL DEFAULT 0, duration_sum REAL NOT NULL DEFAULT 0, d1 INTEGER "
	"NOT NULL DEFAULT 0, d5 INTEGER NOT NULL DEFAULT 0, d10 INTEGER NOT NULL DEFAULT 0, d30 "
	"INTEGER NOT NULL DEFAULT 0, d60 INTEGER NOT NULL DEFAULT 0, d120 INTEGER NOT NULL DEFAULT 0, "
	"d300 INTEGER NOT NULL DEFAULT 0, d600 INTEGER NOT NULL DEFAULT 0, d1800 INTEGER NOT NULL "
	"DEFAULT 0, d3600 INTEGER NOT NULL DEFAULT 0, d21600 INTEGER NOT NULL DEFAULT 0, PRIMARY "
	"KEY(dag_id, task_id)) WITHOUT ROWID;"
	"INSERT INTO try_stats SELECT r.dag_id, t.task_id, total(t.state <> 'queued'), total(t.state <> "
	"'queued' AND t.try_number > 1), total(t.state = 'failed'), total(t.ended_us IS NOT NULL AND "
	"t.started_us IS NOT NULL), total(CASE WHEN t.ended_us IS NOT NULL THEN (t.ended_us - "
	"t.started_us) / 1e6 END), total(t.ended_us - t.started_us <= 1000000), total(t.ended_us - "
	"t.started_us <= 5000000), total(t.ended_us - t.started_us <= 10000000), total(t.ended_us - "
	"t.started_us <= 30000000), total(t.ended_us - t.started_us <= 60000000), total(t.ended_us - "
	"t.started_us <= 120000000), total(t.ended_us - t.started_us <= 300000000), total(t.ended_us - "
	"t.started_us <= 600000000), total(t.ended_us - t.started_us <= 1800000000), total(t.ended_us - "
	"t.started_us <= 3600000000), total(t.ended_us - t.started_us <= 21600000000) FROM tries t JOIN "
	"runs r ON r.id = t.run GROUP BY r.dag_id, t.task_id;"
	"CREATE TRIGGER stats_try_insert AFTER INSERT ON tries WHEN NEW.state = 'running' BEGIN "
	"INSERT INTO try_stats(dag_id, task_id, started, retried) VALUES(coalesce((SELECT dag_id FROM "
	"runs WHERE id = NEW.run), ''), NEW.task_id, 1, NEW.try_number > 1) ON CONFLICT(dag_id, "
	"task_id) DO UPDATE SET started = started + 1, retried = retried + excluded.retried; END;"
	"CREATE TRIGGER stats_try_running AFTER UPDATE OF state ON tries WHEN OLD.state = 'queued' "
	"AND NEW.state = 'running' BEGIN INSERT INTO try_stats(dag_id, task_id, started, retried) "
	"VALUES(coalesce((SELECT dag_id FROM runs WHERE id = NEW.run), ''), NEW.task_id, 1, "
	"NEW.try_number > 1) ON CONFLICT(dag_id, task_id) DO UPDATE SET started = started + 1, "
	"retried = retried + excluded.retried; END;"
	"CREATE TRIGGER stats_try_failed AFTER UPDATE OF state ON tries WHEN NEW.state = 'failed' AND "
	"OLD.state <> 'failed' BEGIN INSERT INTO try_stats(dag_id, task_id, failed) "
	"VALUES(coalesce((SELECT dag_id FROM runs WHERE id = NEW.run), ''), NEW.task_id, 1) ON "
	"CONFLICT(dag_id, task_id) DO UPDATE SET failed = failed + 1; END;"
	"CREATE TRIGGER stats_try_duration AFTER UPDATE OF ended_us ON tries WHEN OLD.state = "
	"'running' AND OLD.ended_us IS NULL AND NEW.ended_us IS NOT NULL AND NEW.started_us IS NOT "
	"NULL BEGIN INSERT INTO try_stats(dag_id, task_id, duration_count, duration_sum, d1, d5, d10, "
	"d30, d60, d120, d300, d600, d1800, d3600, d21600) VALUES(coalesce((SELECT dag_id FROM runs "
	"WHERE id = NEW.run), ''), NEW.task_id, 1, (NEW.ended_us - NEW.started_us) / 1e6, "
	"(NEW.ended_us - NEW.started_us) <= 1000000, (NEW.ended_us - NEW.started_us) <= 5000000, "
	"(NEW.ended_us - NEW.started_us) <= 10000000, (NEW.ended_us - NEW.started_us) <= 30000000, "
	"(NEW.ended_us - NEW.started_us) <= 60000000, (NEW.ended_us - NEW.started_us) <= 120000000, "
	"(NEW.ended_us - NEW.started_us) <= 300000000, (NEW.ended_us - NEW.started_us) <= 600000000, "
	"(NEW.ended_us - NEW.started_us) <= 1800000000, (NEW.ended_us - NEW.started_us) <= "
	"3600000000, (NEW.ended_us - NEW.started_us) <= 21600000000) ON CONFLICT(dag_id, task_id) DO "
	"UPDATE SET duration_count = duration_count + 1, duration_sum = duration_sum + "
	"excluded.duration_sum, d1 = d1 + excluded.d1, d5 = d5 + excluded.d5, d10 = d10 + "
	"excluded.d10, d30 = d30 + excluded.d30, d60 = d60 + excluded.d60, d120 = d120 + "
	"excluded.d120, d300 = d300 + excluded.d300, d600 = d600 + excluded.d600, d1800 = d1800 + "
	"excluded.d1800, d3600 = d3600 + excluded.d3600, d21600 = d21600 + excluded.d21600; END;"
	/* end of daemon status */

	/* cluster execution (executors/slurm*.c): where a try runs */
	"ALTER TABLE tries ADD COLUMN executor TEXT;"
	"ALTER TABLE tries ADD COLUMN external_id TEXT;"
	/* end of cluster execution */

	/* data-aware scheduling: dataset events (scheduler/store_dataset.c).
	 * Event ids only grow (AUTOINCREMENT): a consumer's watermark stays
	 * meaningful after old events are deleted. */
	"CREATE TABLE dataset_events("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, uri TEXT NOT NULL, dag_id TEXT NOT NULL,"
	" run INTEGER NOT NULL, task_id TEXT NOT NULL, at_us INTEGER NOT NULL, extra TEXT);"
	"CREATE INDEX dataset_events_by_uri ON dataset_events(uri, id);"
	"CREATE INDEX dataset_events_by_run ON dataset_events(run);"
	"CREATE TABLE dataset_consumers(dag_id TEXT PRIMARY KEY, last_event INTEGER NOT NULL);"
	"CREATE TABLE dataset_runs(run INTEGER PRIMARY KEY, after_event INTEGER NOT NULL,"
	" upto_event INTEGER NOT NULL);"
	/* end of dataset events */

	/* data-aware scheduling: pools, priorities, mapped tasks */
	"CREATE TABLE pools(name TEXT PRIMARY KEY, slots INTEGER NOT NULL, description TEXT);"
	/* end of pools */
	"";

static const char *const migrations[] = { schema_v1, schema_v2, schema_v3 };

static int migrate(struct store *s)
{
	sqlite3_stmt *st = store_prepare(s, "PRAGMA user_version");
	if (!st)
		return -1;
	int rc = store_step(s, st, "schema version");
	int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION) {
		set_err(s, "%s: schema version %d is newer than this program's %d; upgrade it", s->path,
			version, STORE_SCHEMA_VERSION);
		return -1;
	}
	for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version=%d", v + 1);
		if (store_begin(s) < 0)
			return -1;
		if (store_exec(s, migrations[v]) < 0 || store_exec(s, bump) < 0) {
			store_rollback(s);
			return -1;
		}
		if (store_commit(s) < 0)
			return -1;
	}
	return 0;
}

static int busy_wait(void *arg, int attempts)
{
	(void)arg;
	if (attempts >= 5000)
		return 0;	/* SQLITE_BUSY: "database is locked" */
	struct timespec ts = { 0, 1000000 };
	nanosleep(&ts, NULL);
	return 1;
}

/* Why SQLite could not open or read path, found by trying the files it
 * needs: the state file, then its -wal and -shm (a WAL-mode state file needs
 * both, and needs to write the -shm even to read). Falls back to SQLite's
 * own message. */
static void open_cause(const char *path, bool write, const char *sqlite_msg, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: cannot open state: %s", path, strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot open state: %s", path, strerror(EISDIR));
		return;
	}
	int fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open state for %s: %s", path, write ? "writing" : "reading",
			 strerror(errno));
		return;
	}
	close(fd);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	static const char *const suffixes[] = { "-shm", "-wal" };
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char side[4200];
		snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
		fd = open(side, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: cannot open state: %s: %s (SQLite needs to write it even to"
				 " read the state)", path, side, strerror(errno));
			return;
		}
		if (access(dir, W_OK | X_OK) < 0) {
			snprintf(err, errlen, "%s: cannot open state: cannot create %s in %s: %s (SQLite needs"
				 " it even to read the state)", path, side, dir, strerror(errno));
			return;
		}
	}
	struct statvfs vfs;
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		snprintf(err, errlen, "%s: cannot open state: %s (SQLite needs to write %s-shm even to read"
			 " the state)", path, strerror(EROFS), path);
		return;
	}
	snprintf(err, errlen, "%s: cannot open state: %s", path, sqlite_msg);
}

/* 0 when s is a state file of this program's schema version; else -1 with
 * err saying what it is instead, or why it could not be read. */
static int check_version(struct store *s, bool write, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_NOTADB)
			snprintf(err, errlen, "%s: not a scheduler state file (not an SQLite database)", s->path);
		else
			open_cause(s->path, write, sqlite3_errmsg(s->db), err, errlen);
		return -1;
	}
	if (v == 0) {
		snprintf(err, errlen, "%s: not a scheduler state file (no schema: schedulerd creates it on its"
			 " first start; schedctl never does)", s->path);
		return -1;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema version %d, this program's is %d (%s)", s->path, v,
			 STORE_SCHEMA_VERSION, v > STORE_SCHEMA_VERSION ? "upgrade schedctl" :
			 "start this version's schedulerd once to migrate it");
		return -1;
	}
	return 0;
}

struct store *store_open(const char *path, enum store_mode mode, char *err, size_t errlen)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->path = strdup(path);
	int flags = mode == STORE_READ ? SQLITE_OPEN_READONLY :
		    mode == STORE_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	flags |= SQLITE_OPEN_NOMUTEX;
	if (!s->path || sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		if (s->db)
			open_cause(path, mode != STORE_READ, sqlite3_errmsg(s->db), err, errlen);
		else
			snprintf(err, errlen, "out of memory");
		store_close(s);
		return NULL;
	}
	/* A writer waits its turn for up to about 5 s, looking every
	 * millisecond: SQLite's own busy_timeout sleeps 1, 2, 5 ... 100 ms
	 * between looks, and against the daemon's back-to-back passes a
	 * schedctl write lost its turn for 100 ms and more. */
	sqlite3_busy_handler(s->db, busy_wait, NULL);
	/* Children must never inherit the database descriptors: SQLite opens its
	 * files with O_CLOEXEC on Linux (unixOpen uses O_CLOEXEC). */
	if (mode == STORE_CREATE &&
	    (store_exec(s, "PRAGMA journal_mode=WAL") < 0 ||
	     store_exec(s, "PRAGMA synchronous=NORMAL") < 0 || migrate(s) < 0)) {
		snprintf(err, errlen, "%s", s->err);
		store_close(s);
		return NULL;
	}
	/* schedctl: the schema is checked before anything is written (WAL mode
	 * is the file's, set by the daemon). */
	if (mode != STORE_CREATE && check_version(s, mode == STORE_WRITE, err, errlen) < 0) {
		store_close(s);
		return NULL;
	}
	if (mode == STORE_WRITE && store_exec(s, "PRAGMA synchronous=NORMAL") < 0) {
		snprintf(err, errlen, "%s", s->err);
		store_close(s);
		return NULL;
	}
	store_changed_externally(s);
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}

bool store_changed_externally(struct store *s)
{
	/* PRAGMA data_version moves only for other connections' commits (the
	 * file-control of the same name counts ours too). */
	int64_t v = -1;
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st = store_cached(s, sql);
	if (st && store_step(s, st, "data_version") == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	bool changed = v != s->data_version;
	s->data_version = v;
	return changed;
}

/* A statement without results through the statement cache: the daemon
 * begins and commits a transaction on every pass of its loop, and parsing
 * the same two words each time showed in its profile. */
static int store_step_cached(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	int rc = store_step(s, st, sql);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* SQLite may have rolled back already (an I/O error, a full disk): then
 * there is nothing to undo. A ROLLBACK that fails leaves the connection to
 * SQLite's own recovery on the next statement; the message is kept. */
static void rollback_now(struct store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return;
	char *msg = NULL;
	if (sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, &msg) != SQLITE_OK)
		set_err(s, "%s: rollback: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
	sqlite3_free(msg);
}

int store_begin(struct store *s)
{
	if (s->depth++ > 0)
		return 0;	/* joins the outer one (which fails if anything rolled back) */
	s->aborted = false;
	/* A ROLLBACK that failed (an I/O error, a full disk) left the last
	 * transaction open: end it now, or no transaction could ever begin. */
	rollback_now(s);
	if (!sqlite3_get_autocommit(s->db)) {
		s->depth = 0;
		return -1;
	}
	static const char begin[] = "BEGIN IMMEDIATE";
	if (store_step_cached(s, begin) < 0) {
		s->depth = 0;
		return -1;
	}
	return 0;
}

int store_commit(struct store *s)
{
	if (s->depth > 1) {
		s->depth--;
		return s->aborted ? -1 : 0;
	}
	s->depth = 0;
	if (s->aborted) {
		s->aborted = false;
		rollback_now(s);
		return -1;
	}
	static const char commit[] = "COMMIT";
	if (store_step_cached(s, commit) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (s->depth > 1) {
		/* Inside a nesting: the outermost commit rolls back; until then the
		 * statements stay in the doomed transaction, not in autocommit. */
		s->aborted = true;
		s->depth--;
		return;
	}
	s->depth = 0;
	s->aborted = false;
	rollback_now(s);
}

int store_event(struct store *s, const char *dag_id, int64_t run, const char *task_id,
		int try_number, const char *old_state, const char *new_state, const char *cause)
{
	return store_event_by(s, dag_id, run, task_id, try_number, old_state, new_state, cause, s->actor);
}

int store_event_by(struct store *s, const char *dag_id, int64_t run, const char *task_id, int try_number,
		   const char *old_state, const char *new_state, const char *cause, const char *actor)
{
	static const char sql[] =
		"INSERT INTO events(at_us, dag_id, run, task_id, try_number, old_state, new_state, cause,"
		" actor) VALUES(?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, store_now_us());
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	if (run > 0)
		sqlite3_bind_int64(st, 3, run);
	sqlite3_bind_text(st, 4, task_id, -1, SQLITE_STATIC);
	if (try_number > 0)
		sqlite3_bind_int(st, 5, try_number);
	sqlite3_bind_text(st, 6, old_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, new_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, cause, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, actor, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "event");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void store_format_run_id(const char *run_type, const char *tz, time_t logical_date, char *buf,
			 size_t len)
{
	char iso[64];
	tz_format_iso(tz, logical_date, iso, sizeof iso);
	snprintf(buf, len, "%s__%s", run_type, iso);
}

int64_t store_create_run(struct store *s, const char *dag_id, const char *tz, time_t logical_date,
			 time_t interval_end, const char *run_type, const char *conf_json,
			 int64_t backfill_id, int64_t sort_key, const char *cause,
			 char *existing, size_t existing_len)
{
	return store_create_run_as(s, dag_id, NULL, tz, logical_date, interval_end, run_type,
				   conf_json, backfill_id, sort_key, cause, existing, existing_len);
}

int64_t store_create_run_as(struct store *s, const char *dag_id, const char *run_id_as,
			    const char *tz, time_t logical_date, time_t interval_end,
			    const char *run_type, const char *conf_json, int64_t backfill_id,
			    int64_t sort_key, const char *cause, char *existing, size_t existing_len)
{
	static const char get[] = "SELECT run_id FROM runs WHERE dag_id=? AND logical_date=?";
	static const char taken[] = "SELECT 1 FROM runs WHERE dag_id=? AND run_id=?";
	static const char ins[] = "INSERT INTO runs(dag_id, run_id, logical_date, interval_end, run_type,"
				  " state, conf, backfill_id, sort_key, created_us, version)"
				  " VALUES(?,?,?,?,?,'queued',?,?,?,?,"
				  " (SELECT version FROM dags WHERE dag_id=?))";
	char run_id[PATH_NAME_MAX + 1];
	if (run_id_as)
		snprintf(run_id, sizeof run_id, "%s", run_id_as);
	else
		store_format_run_id(run_type, tz, logical_date, run_id, sizeof run_id);
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st;
	if (run_id_as) {
		if (!(st = store_cached(s, taken)))
			goto fail;
		sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, run_id, -1, SQLITE_STATIC);
		int t = store_step(s, st, "create run");
		sqlite3_reset(st);
		if (t < 0)
			goto fail;
		if (t == SQLITE_ROW)
			return store_commit(s) < 0 ? -1 : -2;
	}
	st = store_cached(s, get);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, logical_date);
	int rc = store_step(s, st, "create run");
	if (rc < 0)
		goto fail;
	if (rc == SQLITE_ROW) {
		if (existing)
			snprintf(existing, existing_len, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		/* Nothing written: a commit, so that an enclosing transaction
		 * (the daemon's pass) goes on. */
		return store_commit(s) < 0 ? -1 : 0;
	}
	sqlite3_reset(st);
	if (!(st = store_cached(s, ins)))
		goto fail;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, run_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, logical_date);
	sqlite3_bind_int64(st, 4, interval_end);
	sqlite3_bind_text(st, 5, run_type, -1, SQLITE_STATIC);
	if (conf_json)
		sqlite3_bind_text(st, 6, conf_json, -1, SQLITE_STATIC);
	if (backfill_id > 0)
		sqlite3_bind_int64(st, 7, backfill_id);
	sqlite3_bind_int64(st, 8, sort_key);
	sqlite3_bind_int64(st, 9, store_now_us());
	sqlite3_bind_text(st, 10, dag_id, -1, SQLITE_STATIC);	/* pinned to the DAG's current version */
	rc = store_step(s, st, "create run");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	int64_t id = sqlite3_last_insert_rowid(s->db);
	if (store_event(s, dag_id, id, NULL, 0, NULL, "queued", cause) < 0)
		goto fail;
	if (store_commit(s) < 0)
		return -1;
	return id;
fail:
	store_rollback(s);
	return -1;
}

/* The instances of task_id in run, if it is an expanded mapped task: each
 * live one restarting (with a fresh budget), each other one deleted, with an
 * event. 1 when it had instances, 0, -1. */
static int clear_instances(struct store *s, sqlite3_stmt *inst, sqlite3_stmt *drop, sqlite3_stmt *restart,
			   const char *dag_id, int64_t run, const char *task_id, int retries, const char *cause)
{
	struct row { char *id, *state; int try_number; } *rows = NULL;
	size_t n = 0, cap = 0;
	sqlite3_reset(inst);
	sqlite3_bind_int64(inst, 1, run);
	sqlite3_bind_text(inst, 2, task_id, -1, SQLITE_STATIC);
	int rc;
	while ((rc = store_step(s, inst, "clear: mapped instances")) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		rows[n].id = xstrdup((const char *)sqlite3_column_text(inst, 0));
		rows[n].state = xstrdup((const char *)sqlite3_column_text(inst, 1));
		rows[n].try_number = sqlite3_column_int(inst, 2);
		n++;
	}
	sqlite3_reset(inst);
	int out = rc == SQLITE_DONE ? n > 0 : -1;
	for (size_t i = 0; i < n; i++) {
		const char *st = rows[i].state;
		bool live = !strcmp(st, "running") || !strcmp(st, "queued") || !strcmp(st, "restarting");
		sqlite3_stmt *w = live ? restart : drop;
		sqlite3_reset(w);
		int k = 1;
		if (live)
			sqlite3_bind_int(w, k++, rows[i].try_number + 1 + retries);
		sqlite3_bind_int64(w, k++, run);
		sqlite3_bind_text(w, k, rows[i].id, -1, SQLITE_STATIC);
		if (out >= 0 && (sqlite3_step(w) != SQLITE_DONE ||
				 store_event(s, dag_id, run, rows[i].id, rows[i].try_number, st,
					     live ? "restarting" : "none", cause) < 0)) {
			set_err(s, "%s: clear: %s", s->path, sqlite3_errmsg(s->db));
			out = -1;
		}
		free(rows[i].id);
		free(rows[i].state);
	}
	free(rows);
	return out;
}

int store_clear_tasks(struct store *s, int64_t run, const char *const *task_ids, size_t n,
		      const int *retries, const char *cause)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *get = store_prepare(s, "SELECT state, try_number FROM task_instances"
					     " WHERE run=? AND task_id=?");
	sqlite3_stmt *upd = store_prepare(s, "UPDATE task_instances SET state='none', max_tries=?,"
					     " next_retry_us=NULL, pid=NULL, exit_code=NULL, result=NULL,"
					     " started_us=NULL, ended_us=NULL WHERE run=? AND task_id=?");
	/* A live try keeps its columns: the daemon stops it, then clears it. */
	sqlite3_stmt *restart = store_prepare(s, "UPDATE task_instances SET state='restarting', max_tries=?"
						 " WHERE run=? AND task_id=?");
	sqlite3_stmt *dag = store_prepare(s, "SELECT dag_id, state FROM runs WHERE id=?");
	/* A mapped task's instances ("task[i]", between "task[" and "task" plus a
	 * backslash): live ones restart, the others go (their tries stay); its
	 * own row, an aggregate without a try, becomes none. */
	sqlite3_stmt *inst = store_prepare(s, "SELECT task_id, state, try_number FROM task_instances"
					      " WHERE run=?1 AND task_id > ?2 || '[' AND task_id < ?2 || '\\'");
	sqlite3_stmt *drop = store_prepare(s, "DELETE FROM task_instances WHERE run=? AND task_id=?");
	if (!get || !upd || !restart || !dag || !inst || !drop)
		goto fail;
	sqlite3_bind_int64(dag, 1, run);
	int found = store_step(s, dag, "clear: run");
	if (found < 0)
		goto fail;
	if (found != SQLITE_ROW) {
		set_err(s, "run %lld does not exist", (long long)run);
		goto fail;
	}
	char *dag_id = strdup((const char *)sqlite3_column_text(dag, 0));
	char *run_state = strdup((const char *)sqlite3_column_text(dag, 1));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, run);
		sqlite3_bind_text(get, 2, task_ids[i], -1, SQLITE_STATIC);
		int got = store_step(s, get, "clear: task instance");
		if (got < 0) {
			rc = -1;
			break;
		}
		if (got != SQLITE_ROW)
			continue;	/* never instantiated: it will be created fresh */
		const char *state = (const char *)sqlite3_column_text(get, 0);
		int try_number = sqlite3_column_int(get, 1);
		bool live = strcmp(state, "running") == 0 || strcmp(state, "queued") == 0 ||
			    strcmp(state, "restarting") == 0;
		int mapped = clear_instances(s, inst, drop, restart, dag_id, run, task_ids[i],
					     retries ? retries[i] : 0, cause);
		if (mapped < 0) {
			rc = -1;
			break;
		}
		live = live && !mapped;
		sqlite3_stmt *w = live ? restart : upd;
		char *old = strdup(state);
		sqlite3_reset(w);
		sqlite3_bind_int(w, 1, try_number + 1 + (retries ? retries[i] : 0));
		sqlite3_bind_int64(w, 2, run);
		sqlite3_bind_text(w, 3, task_ids[i], -1, SQLITE_STATIC);
		if (sqlite3_step(w) != SQLITE_DONE ||
		    store_event(s, dag_id, run, task_ids[i], try_number, old, live ? "restarting" : "none",
				cause) < 0) {
			set_err(s, "%s: clear: %s", s->path, sqlite3_errmsg(s->db));
			rc = -1;
		}
		free(old);
	}
	if (rc == 0 && (strcmp(run_state, "success") == 0 || strcmp(run_state, "failed") == 0)) {
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE runs SET state='queued', ended_us=NULL WHERE id=%lld",
			 (long long)run);
		if (store_exec(s, sql) < 0 ||
		    store_event(s, dag_id, run, NULL, 0, run_state, "queued", cause) < 0)
			rc = -1;
	}
	free(dag_id);
	free(run_state);
	sqlite3_finalize(get);
	sqlite3_finalize(upd);
	sqlite3_finalize(restart);
	sqlite3_finalize(dag);
	sqlite3_finalize(inst);
	sqlite3_finalize(drop);
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
fail:
	sqlite3_finalize(get);
	sqlite3_finalize(upd);
	sqlite3_finalize(restart);
	sqlite3_finalize(dag);
	sqlite3_finalize(inst);
	sqlite3_finalize(drop);
	store_rollback(s);
	return -1;
}

int store_set_paused(struct store *s, const char *dag_id, bool paused, const char *cause)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_prepare(s, "UPDATE dags SET paused=? WHERE dag_id=?");
	if (!st)
		goto fail;
	sqlite3_bind_int(st, 1, paused);
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_changes(s->db) != 1) {
		set_err(s, "no DAG '%s' in %s", dag_id, s->path);
		goto fail;
	}
	if (store_event(s, dag_id, 0, NULL, 0, paused ? "unpaused" : "paused",
			paused ? "paused" : "unpaused", cause) < 0)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

int64_t store_request(struct store *s, const char *kind, const char *dag_id, int64_t run,
		      const char *task_id, const char *args_json)
{
	sqlite3_stmt *st = store_prepare(s, "INSERT INTO requests(created_us, kind, dag_id, run,"
					    " task_id, args) VALUES(?,?,?,?,?,?)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, store_now_us());
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, dag_id, -1, SQLITE_STATIC);
	if (run > 0)
		sqlite3_bind_int64(st, 4, run);
	sqlite3_bind_text(st, 5, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, args_json, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		set_err(s, "%s: request: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return sqlite3_last_insert_rowid(s->db);
}
