/* rowstore_sqlite.c: the embedded row-store backend, "sqlite:PATH[?table=T&sync=full]".
 *
 * Each row-store table T is the SQL table "rs_T"(row, family, qualifier, ts,
 * value) with PRIMARY KEY(row, family, qualifier, ts) WITHOUT ROWID: the
 * primary key is the row-range index (rows sort bytewise, like HBase), and a
 * replayed cell (same key and ts) replaces itself, so replays are idempotent.
 * Catalog tables rowstore_tables and rowstore_families hold the schema, so a
 * put into an unknown family fails as it does in HBase.
 *
 * Durability: a batch is one transaction; WAL mode with synchronous=FULL by
 * default, so a put that returned OK survives a crash of the process and of
 * the machine (sync=normal trades the latter for speed). busy_timeout lets
 * several writers (kafka2hbase, rowctl) share the file. */
#include "jobs/common/rowstore_backend.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sq {
	sqlite3 *db;
	char *path;
	/* the statement and families of the last table put into */
	char *put_table;
	sqlite3_stmt *put_stmt;
	char **families;
	size_t nfamilies;
};

static int db_fail(struct sq *s, struct rowstore_err *err, const char *what)
{
	return rowstore_fail(err, ROWSTORE_EIO, "sqlite %s: %s: %s", s->path, what,
			     sqlite3_errmsg(s->db));
}

static int exec(struct sq *s, const char *sql, struct rowstore_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = rowstore_fail(err, ROWSTORE_EIO, "sqlite %s: %s: %s", s->path, sql,
				       msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return rc;
	}
	return ROWSTORE_OK;
}

static void forget_put_table(struct sq *s)
{
	sqlite3_finalize(s->put_stmt);
	s->put_stmt = NULL;
	free(s->put_table);
	s->put_table = NULL;
	for (size_t i = 0; i < s->nfamilies; i++)
		free(s->families[i]);
	free(s->families);
	s->families = NULL;
	s->nfamilies = 0;
}

static void sq_close(struct rowstore *rs)
{
	struct sq *s = rs->impl;
	forget_put_table(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* 1 exists, 0 not, or -(error code). */
static int table_exists(struct sq *s, const char *table, struct rowstore_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM rowstore_tables WHERE name=?1", -1, &st, NULL))
		return -db_fail(s, err, "reading the table catalog");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return -db_fail(s, err, "reading the table catalog");
}

static int need_table(struct sq *s, const char *table, struct rowstore_err *err)
{
	int e = table_exists(s, table, err);
	if (e < 0)
		return -e;
	if (e == 0)
		return rowstore_fail(err, ROWSTORE_ENOTFOUND, "table '%s' not found in %s", table,
				     s->path);
	return ROWSTORE_OK;
}

static int sq_create(struct rowstore *rs, const char *table, const char *const *families,
		     size_t nfamilies, int if_missing, struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	int rc = exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	int e = table_exists(s, table, err);
	if (e != 0) {
		exec(s, "ROLLBACK", NULL);
		if (e < 0)
			return -e;
		return if_missing ? ROWSTORE_OK
				  : rowstore_fail(err, ROWSTORE_EEXISTS, "table '%s' already exists",
						  table);
	}
	char sql[512];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE \"rs_%s\"(row TEXT NOT NULL, family TEXT NOT NULL, qualifier TEXT NOT NULL,"
		 " ts INTEGER NOT NULL, value BLOB NOT NULL,"
		 " PRIMARY KEY(row, family, qualifier, ts DESC)) WITHOUT ROWID", table);
	rc = exec(s, sql, err);
	sqlite3_stmt *st = NULL;
	if (!rc && sqlite3_prepare_v2(s->db, "INSERT INTO rowstore_tables(name, created_ms) VALUES(?1, ?2)",
				      -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, rowstore_now_ms());
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, err, "creating the table");
		sqlite3_finalize(st);
		st = NULL;
	} else if (!rc) {
		rc = db_fail(s, err, "creating the table");
	}
	if (!rc && sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO rowstore_families(tbl, family) VALUES(?1, ?2)",
				      -1, &st, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < nfamilies && !rc; i++) {
			sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, families[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_fail(s, err, "creating the table");
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	} else if (!rc) {
		rc = db_fail(s, err, "creating the table");
	}
	if (!rc)
		rc = exec(s, "COMMIT", err);
	if (rc)
		exec(s, "ROLLBACK", NULL);
	return rc;
}

/* Prepares the insert and loads the families of table (cached for the next put). */
static int load_put_table(struct sq *s, const char *table, struct rowstore_err *err)
{
	if (s->put_table && strcmp(s->put_table, table) == 0)
		return ROWSTORE_OK;
	forget_put_table(s);
	int rc = need_table(s, table, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT family FROM rowstore_families WHERE tbl=?1", -1, &st, NULL))
		return db_fail(s, err, "reading the families");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **nf = realloc(s->families, (s->nfamilies + 1) * sizeof *nf);
		if (!nf)
			break;
		s->families = nf;
		s->families[s->nfamilies++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		forget_put_table(s);
		return db_fail(s, err, "reading the families");
	}
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO \"rs_%s\"(row, family, qualifier, ts, value)"
		 " VALUES(?1, ?2, ?3, ?4, ?5)", table);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->put_stmt, NULL)) {
		rc = db_fail(s, err, "preparing the insert");
		forget_put_table(s);
		return rc;
	}
	s->put_table = strdup(table);
	return ROWSTORE_OK;
}

static int sq_put(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		  struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	int rc = load_put_table(s, table, err);
	if (rc)
		return rc;
	/* families first, so a bad batch writes nothing */
	size_t last_family = (size_t)-1;
	for (size_t i = 0; i < b->n; i++) {
		if (b->cells[i].family == last_family)
			continue;
		const char *fam = rowstore_bstr(b, b->cells[i].family);
		size_t j = 0;
		while (j < s->nfamilies && strcmp(s->families[j], fam) != 0)
			j++;
		if (j == s->nfamilies)
			return rowstore_fail(err, ROWSTORE_ENOTFOUND,
					     "put %s: no column family '%s' in table '%s'",
					     rowstore_bstr(b, b->cells[i].row), fam, table);
		last_family = b->cells[i].family;
	}
	rc = exec(s, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	int64_t now = rowstore_now_ms();
	sqlite3_stmt *st = s->put_stmt;
	for (size_t i = 0; i < b->n; i++) {
		const struct rowstore_bcell *c = &b->cells[i];
		sqlite3_bind_text(st, 1, rowstore_bstr(b, c->row), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rowstore_bstr(b, c->family), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rowstore_bstr(b, c->qualifier), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, c->ts < 0 ? now : c->ts);
		sqlite3_bind_blob(st, 5, rowstore_bstr(b, c->value), (int)c->value_len, SQLITE_STATIC);
		int src = sqlite3_step(st);
		sqlite3_reset(st);
		if (src != SQLITE_DONE) {
			rc = db_fail(s, err, "writing a batch");
			exec(s, "ROLLBACK", NULL);
			return rc;
		}
	}
	sqlite3_clear_bindings(st);
	rc = exec(s, "COMMIT", err);
	if (rc)
		exec(s, "ROLLBACK", NULL);
	return rc;
}

/* Feeds the statement's (row, family, qualifier, ts, value) rows, ordered by
 * row, family, qualifier, ts DESC, through the filter to fn. */
static int feed_rows(struct sq *s, sqlite3_stmt *st, const struct rowstore_filter *f, long limit,
		     rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	struct rowstore_rowbuf rb = {0};
	int rc = ROWSTORE_OK, src, stop = 0, skip = 0;
	long emitted = 0;
	while (!stop && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		int klen = sqlite3_column_bytes(st, 0);
		const char *cur = rowstore_rowbuf_key(&rb);
		if (!cur || strcmp(cur, key) != 0 || (skip && !rb.open)) {
			if (cur && !skip) {
				int e = rowstore_rowbuf_emit(&rb, f, fn, ctx, &stop);
				if (e < 0) {
					rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
					break;
				}
				emitted += e;
				if (stop || (limit > 0 && emitted >= limit)) {
					stop = 1;
					break;
				}
			}
			if (rowstore_rowbuf_start(&rb, key, (size_t)klen)) {
				rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
				break;
			}
			skip = !rowstore_filter_row_ok(f, key);
		}
		if (skip)
			continue;
		const void *fam = sqlite3_column_text(st, 1);
		size_t flen = (size_t)sqlite3_column_bytes(st, 1);
		const void *qual = sqlite3_column_text(st, 2);
		size_t qlen = (size_t)sqlite3_column_bytes(st, 2);
		const void *val = sqlite3_column_blob(st, 4);
		size_t vlen = (size_t)sqlite3_column_bytes(st, 4);
		if (rowstore_rowbuf_add(&rb, fam, flen, qual, qlen, sqlite3_column_int64(st, 3),
					val ? val : "", vlen)) {
			rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
			break;
		}
	}
	if (!rc && !stop) {
		if (src != SQLITE_DONE)
			rc = db_fail(s, err, "reading rows");
		else if (!skip && rowstore_rowbuf_emit(&rb, f, fn, ctx, &stop) < 0)
			rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	}
	rowstore_rowbuf_free(&rb);
	return rc;
}

static int sq_get(struct rowstore *rs, const char *table, const char *row,
		  const char *const *columns, size_t ncolumns, rowstore_row_fn fn, void *ctx,
		  struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	struct rowstore_scan_opts o = {.columns = columns, .ncolumns = ncolumns};
	struct rowstore_filter f;
	int rc = need_table(s, table, err);
	if (rc || (rc = rowstore_filter_init(&f, &o, err)))
		return rc;
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT row, family, qualifier, ts, value FROM \"rs_%s\""
		 " WHERE row=?1 ORDER BY row, family, qualifier, ts DESC", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) {
		rowstore_filter_free(&f);
		return db_fail(s, err, "preparing a get");
	}
	sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
	rc = feed_rows(s, st, &f, 1, fn, ctx, err);
	sqlite3_finalize(st);
	rowstore_filter_free(&f);
	return rc;
}

static int prepare_range(struct sq *s, const char *table, const char *what,
			 const struct rowstore_scan_opts *o, sqlite3_stmt **st, struct rowstore_err *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM \"rs_%s\" WHERE 1%s%s%s", what, table,
		 o->start_row ? " AND row >= ?1" : "", o->stop_row ? " AND row < ?2" : "",
		 strcmp(what, "row, family, qualifier, ts, value") == 0
			 ? " ORDER BY row, family, qualifier, ts DESC" : "");
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL))
		return db_fail(s, err, "preparing a scan");
	if (o->start_row)
		sqlite3_bind_text(*st, 1, o->start_row, -1, SQLITE_STATIC);
	if (o->stop_row)
		sqlite3_bind_text(*st, 2, o->stop_row, -1, SQLITE_STATIC);
	return ROWSTORE_OK;
}

static int sq_scan(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *o,
		   rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	struct rowstore_filter f;
	int rc = need_table(s, table, err);
	if (rc || (rc = rowstore_filter_init(&f, o, err)))
		return rc;
	sqlite3_stmt *st;
	rc = prepare_range(s, table, "row, family, qualifier, ts, value", o, &st, err);
	if (!rc) {
		rc = feed_rows(s, st, &f, o->limit, fn, ctx, err);
		sqlite3_finalize(st);
	}
	rowstore_filter_free(&f);
	return rc;
}

static int count_one(const struct rowstore_row *row, void *ctx)
{
	(void)row;
	++*(uint64_t *)ctx;
	return 0;
}

static int sq_count(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *o,
		    uint64_t *count, struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	if ((o->row_regex && *o->row_regex) || o->nwhere || o->ncolumns)
		return sq_scan(rs, table, o, count_one, count, err);
	int rc = need_table(s, table, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	/* distinct rows straight off the primary key, no cells copied */
	rc = prepare_range(s, table, "count(DISTINCT row)", o, &st, err);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = (uint64_t)sqlite3_column_int64(st, 0);
	else
		rc = db_fail(s, err, "counting rows");
	sqlite3_finalize(st);
	if (o->limit > 0 && *count > (uint64_t)o->limit)
		*count = (uint64_t)o->limit;
	return rc;
}

static int sq_delete(struct rowstore *rs, const char *table, const char *row, const char *column,
		     struct rowstore_err *err)
{
	struct sq *s = rs->impl;
	int rc = need_table(s, table, err);
	if (rc)
		return rc;
	char *fam = NULL, *qual = NULL;
	if (column && (rc = rowstore_split_column(column, &fam, &qual, err)))
		return rc;
	char sql[300];
	snprintf(sql, sizeof sql, "DELETE FROM \"rs_%s\" WHERE row=?1%s%s", table,
		 fam ? " AND family=?2" : "", qual ? " AND qualifier=?3" : "");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) {
		free(fam);
		free(qual);
		return db_fail(s, err, "preparing a delete");
	}
	sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
	if (fam)
		sqlite3_bind_text(st, 2, fam, -1, SQLITE_STATIC);
	if (qual)
		sqlite3_bind_text(st, 3, qual, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, err, "deleting");
	sqlite3_finalize(st);
	free(fam);
	free(qual);
	return rc;
}

static const struct rowstore_ops sq_ops = {
	.name = "sqlite",
	.close = sq_close,
	.create_table = sq_create,
	.put = sq_put,
	.get = sq_get,
	.scan = sq_scan,
	.count = sq_count,
	.delete_ = sq_delete,
};

/* "PATH[?table=T&sync=off|normal|full]" */
static int parse_uri(struct rowstore *rs, const char *rest, char **path, const char **sync,
		     struct rowstore_err *err)
{
	const char *q = strchr(rest, '?');
	size_t plen = q ? (size_t)(q - rest) : strlen(rest);
	if (plen == 0)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "bad row store URI 'sqlite:%s': no file path",
				     rest);
	*path = strndup(rest, plen);
	*sync = "FULL";
	while (q && *q) {
		q++;
		const char *amp = strchr(q, '&');
		size_t n = amp ? (size_t)(amp - q) : strlen(q);
		if (n > 6 && strncmp(q, "table=", 6) == 0) {
			free(rs->default_table);
			rs->default_table = strndup(q + 6, n - 6);
		} else if (n == 8 && strncmp(q, "sync=off", 8) == 0) {
			*sync = "OFF";
		} else if (n == 11 && strncmp(q, "sync=normal", 11) == 0) {
			*sync = "NORMAL";
		} else if (n == 9 && strncmp(q, "sync=full", 9) == 0) {
			*sync = "FULL";
		} else {
			free(*path);
			return rowstore_fail(err, ROWSTORE_EUSAGE,
					     "bad row store URI 'sqlite:%s': unknown parameter '%.*s'"
					     " (known: table=NAME, sync=off|normal|full)", rest, (int)n, q);
		}
		q = amp;
	}
	return ROWSTORE_OK;
}

int rowstore_sqlite_open(struct rowstore *rs, const char *rest, struct rowstore_err *err)
{
	char *path = NULL;
	const char *sync = "FULL";
	int rc = parse_uri(rs, rest, &path, &sync, err);
	if (rc)
		return rc;
	struct sq *s = calloc(1, sizeof *s);
	s->path = path;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = rowstore_fail(err, ROWSTORE_EIO, "sqlite %s: cannot open: %s", path,
				   s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(path);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, (int)rs->opts.timeout_ms);
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA synchronous=%s", sync);
	if (!(rc = exec(s, "PRAGMA journal_mode=WAL", err)) && !(rc = exec(s, sql, err)) &&
	    !(rc = exec(s, "PRAGMA cache_size=-65536", err)))
		rc = exec(s, "CREATE TABLE IF NOT EXISTS rowstore_tables(name TEXT PRIMARY KEY, created_ms INTEGER);"
			  "CREATE TABLE IF NOT EXISTS rowstore_families(tbl TEXT NOT NULL, family TEXT NOT NULL,"
			  " PRIMARY KEY(tbl, family)) WITHOUT ROWID", err);
	if (rc) {
		sqlite3_close(s->db);
		free(path);
		free(s);
		return rc;
	}
	rs->impl = s;
	rs->ops = &sq_ops;
	return ROWSTORE_OK;
}
