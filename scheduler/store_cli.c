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
