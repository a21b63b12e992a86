/* store_cli.c: the state transitions of schedctl's backfill: the backfills row
 * and attaching runs that already existed to it. Each is one transaction with
 * its event, like store.c's. */
#include "scheduler/store_cli.h"

#include <stdio.h>

int64_t store_create_backfill(struct store *s, const char *dag_id, time_t from_date,
			      time_t to_date, int max_active, bool reverse, const char *cause)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_prepare(s, "INSERT INTO backfills(dag_id, from_date, to_date,"
					    " max_active, reverse, created_us) VALUES(?,?,?,?,?,?)");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from_date);
	sqlite3_bind_int64(st, 3, to_date);
	sqlite3_bind_int(st, 4, max_active);
	sqlite3_bind_int(st, 5, reverse);
	sqlite3_bind_int64(st, 6, store_now_us());
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s: create backfill: %s", s->path,
			 sqlite3_errmsg(s->db));
		goto fail;
	}
	int64_t id = sqlite3_last_insert_rowid(s->db);
	char what[64];
	snprintf(what, sizeof what, "backfill %lld", (long long)id);
	if (store_event(s, dag_id, 0, NULL, 0, NULL, what, cause) < 0)
		goto fail;
	if (store_commit(s) < 0)
		return -1;
	return id;
fail:
	store_rollback(s);
	return -1;
}

int store_attach_run(struct store *s, int64_t run, int64_t backfill_id, int64_t sort_key)
{
	sqlite3_stmt *st = store_prepare(s, "UPDATE runs SET backfill_id=?, sort_key=? WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, backfill_id);
	sqlite3_bind_int64(st, 2, sort_key);
	sqlite3_bind_int64(st, 3, run);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s: attach run: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int store_run_repin(struct store *s, int64_t run, const char *actor, int64_t *from, int64_t *to)
{
	static const char get[] = "SELECT r.dag_id, coalesce(r.version, 0), coalesce(d.version, 0), r.state"
				  " FROM runs r LEFT JOIN dags d ON d.dag_id=r.dag_id WHERE r.id=?";
	static const char upd[] = "UPDATE runs SET version=? WHERE id=?";
	static const char ev[] = "INSERT INTO events(at_us, dag_id, run, old_state, new_state, cause, actor)"
				 " VALUES(?,?,?,?,?,?,?)";
	*from = *to = 0;
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, get);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "re-pin run");
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			store_fail(s, "re-pin run: no such run");
		goto fail;
	}
	char dag_id[256], state[16];
	snprintf(dag_id, sizeof dag_id, "%s", (const char *)sqlite3_column_text(st, 0));
	*from = sqlite3_column_int64(st, 1);
	*to = sqlite3_column_int64(st, 2);
	snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	if (*to == 0 || *to == *from)
		return store_commit(s) < 0 ? -1 : 0;	/* nothing to change */
	if (!(st = store_cached(s, upd)))
		goto fail;
	sqlite3_bind_int64(st, 1, *to);
	sqlite3_bind_int64(st, 2, run);
	rc = store_step(s, st, "re-pin run");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	char cause[128];
	snprintf(cause, sizeof cause, "re-pinned to the latest DAG version: version %lld -> %lld", (long long)*from,
		 (long long)*to);
	if (!(st = store_cached(s, ev)))
		goto fail;
	sqlite3_bind_int64(st, 1, store_now_us());
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, run);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, cause, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, actor, -1, SQLITE_STATIC);
	rc = store_step(s, st, "re-pin event");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return store_commit(s) < 0 ? -1 : 1;
fail:
	store_rollback(s);
	return -1;
}
