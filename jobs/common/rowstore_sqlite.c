/* rowstore_sqlite.c: the embedded row-store backend, "sqlite:PATH[?table=T&sync=full]".
 *
 * Layout (version 2, PRAGMA user_version): each row-store table T is the SQL
 * table "rsc_T"(row, family, ts, cells) with PRIMARY KEY(row, family, ts DESC)
 * WITHOUT ROWID, where cells packs every cell one put wrote into that row,
 * family and timestamp as a JSON object {"qualifier":"value",...}
 * (rowstore_cells.h). A driver record is then one B-tree entry, not eight:
 * per-statement and per-entry costs were nearly all of a batch put's time.
 * The primary key is the row-range index (rows sort bytewise, like HBase).
 * Putting cells again at the same row, family and timestamp merges them into
 * the entry (rs_merge: the new value of a qualifier wins, the others stay), so
 * a replayed record changes nothing, as in HBase. Reads unpack the entries of
 * a row and keep the newest version of each cell. The view "rs_T"(row,
 * family, qualifier, ts, value) shows one SQL row per cell for the sqlite3
 * shell. Catalog tables rowstore_tables and rowstore_families hold the schema,
 * so a put into an unknown family fails as it does in HBase.
 *
 * A file of the first layout (user_version 0: one SQL row per cell in the
 * table "rs_T") is migrated when it is opened, in one transaction; a file of
 * a later layout is refused.
 *
 * Durability: a batch is one transaction; WAL mode with synchronous=FULL by
 * default, so a put that returned OK survives a crash of the process and of
 * the machine, for one fsync per batch (sync=normal survives a crash of the
 * process only). busy_timeout lets several writers (kafka2hbase, rowctl) share
 * the file.
 *
 * Foreign files: a file that holds tables but no row-store catalog is refused
 * before anything is written to it (identify). A handle opened with
 * opts.readonly opens the file SQLITE_OPEN_READONLY: no WAL switch, no
 * catalog, no migration; a write through it fails. */
#include "jobs/common/rowstore_backend.h"
#include "lib/uri_redact.h"
#include "jobs/common/rowstore_cells.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAYOUT_VERSION 2

struct sq {
	sqlite3 *db;
	char *path;
	/* the statement and families of the last table put into */
	char *put_table;
	sqlite3_stmt *put_stmt;
	char **families;
	size_t nfamilies;
	struct buf json;	/* the packed cells of one entry, reused */
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
	buf_free(&s->json);
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

/* The packed table of T and its one-cell-per-row view. */
static int create_layout(struct sq *s, const char *table, struct rowstore_err *err)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE \"rsc_%s\"(row TEXT NOT NULL, family TEXT NOT NULL, ts INTEGER NOT NULL,"
		 " cells TEXT NOT NULL, PRIMARY KEY(row, family, ts DESC)) WITHOUT ROWID;"
		 "CREATE VIEW \"rs_%s\"(row, family, qualifier, ts, value) AS"
		 " SELECT c.row, c.family, j.key, c.ts, j.value FROM \"rsc_%s\" c, json_each(c.cells) j",
		 table, table, table);
	return exec(s, sql, err);
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
	rc = create_layout(s, table, err);
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
	char sql[400];
	snprintf(sql, sizeof sql, "INSERT INTO \"rsc_%s\"(row, family, ts, cells) VALUES(?1, ?2, ?3, ?4)"
		 " ON CONFLICT(row, family, ts) DO UPDATE SET cells = rs_merge(cells, excluded.cells)", table);
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->put_stmt, NULL)) {
		rc = db_fail(s, err, "preparing the insert");
		forget_put_table(s);
		return rc;
	}
	s->put_table = strdup(table);
	return ROWSTORE_OK;
}

/* Binds one packed entry (row, family, ts, cells) to an INSERT into "rsc_T"
 * and runs it: sq_put's and migrate_table's statements take the same four. */
static int write_entry(sqlite3_stmt *st, const char *row, const char *fam, int64_t ts,
		       const struct buf *cells)
{
	sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fam, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ts);
	sqlite3_bind_text(st, 4, cells->s, (int)cells->len, SQLITE_STATIC);
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	return src == SQLITE_DONE ? 0 : -1;
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
	/* one entry per run of cells with the same row, family and timestamp */
	for (size_t i = 0; i < b->n;) {
		const struct rowstore_bcell *c0 = &b->cells[i];
		const char *row = rowstore_bstr(b, c0->row), *fam = rowstore_bstr(b, c0->family);
		int64_t ts = c0->ts < 0 ? now : c0->ts;
		size_t j = i + 1;
		while (j < b->n) {
			const struct rowstore_bcell *c = &b->cells[j];
			if ((c->ts < 0 ? now : c->ts) != ts ||
			    (c->row != c0->row && strcmp(rowstore_bstr(b, c->row), row) != 0) ||
			    (c->family != c0->family && strcmp(rowstore_bstr(b, c->family), fam) != 0))
				break;
			j++;
		}
		buf_reset(&s->json);
		rs_cells_open(&s->json);
		for (size_t k = i; k < j; k++) {
			const char *q = rowstore_bstr(b, b->cells[k].qualifier);
			int dup = 0;	/* a qualifier twice in the run: the later cell wins */
			for (size_t l = k + 1; l < j && !dup; l++) {
				const char *lq = rowstore_bstr(b, b->cells[l].qualifier);
				dup = lq[0] == q[0] && strcmp(lq, q) == 0;
			}
			if (!dup)
				rs_cells_member(&s->json, q, strlen(q), rowstore_bstr(b, b->cells[k].value),
						b->cells[k].value_len);
		}
		rs_cells_close(&s->json);
		if (write_entry(st, row, fam, ts, &s->json)) {
			rc = db_fail(s, err, "writing a batch");
			sqlite3_clear_bindings(st);
			exec(s, "ROLLBACK", NULL);
			return rc;
		}
		i = j;
	}
	sqlite3_clear_bindings(st);
	rc = exec(s, "COMMIT", err);
	if (rc)
		exec(s, "ROLLBACK", NULL);
	return rc;
}

/* The entries of one row while it is read: the unpacked cells of every
 * (family, ts) entry, sorted at the end of the row into the order the row
 * buffer wants (family, qualifier, newest first). */
struct pending {
	char *key;
	size_t klen, kcap;
	int open, skip;
	struct buf a;		/* family, qualifier and value strings */
	struct pcell { size_t fam, qual, qlen, val, vlen, seq; int64_t ts; } *c;
	size_t n, cap;
};

static int pending_start(struct pending *p, const char *key, size_t klen)
{
	if (klen + 1 > p->kcap) {
		char *k = realloc(p->key, klen + 1);
		if (!k)
			return -1;
		p->key = k;
		p->kcap = klen + 1;
	}
	memcpy(p->key, key, klen);
	p->key[klen] = '\0';
	p->klen = klen;
	p->open = 1;
	buf_reset(&p->a);
	p->n = 0;
	return 0;
}

/* Unpacks one entry of the row. 0, -1 out of memory, -2 malformed cells. */
static int pending_entry(struct pending *p, const char *fam, size_t flen, int64_t ts, const char *cells,
			 size_t clen)
{
	size_t foff = p->a.len;
	buf_add(&p->a, fam, flen);
	buf_add(&p->a, "", 1);
	struct rs_cells_it it;
	if (rs_cells_init(&it, cells, clen))
		return -2;
	for (;;) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 32;
			struct pcell *nc = realloc(p->c, cap * sizeof *nc);
			if (!nc)
				return -1;
			p->c = nc;
			p->cap = cap;
		}
		struct pcell *c = &p->c[p->n];
		int r = rs_cells_next(&it, &p->a, &c->qual, &c->qlen, &c->val, &c->vlen);
		if (r == 0)
			return 0;
		if (r < 0)
			return -2;
		c->fam = foff;
		c->ts = ts;
		c->seq = p->n++;
	}
}

static int pcell_cmp(const void *x, const void *y, void *arena)
{
	const struct pcell *a = x, *b = y;
	const char *s = arena;
	int d = strcmp(s + a->fam, s + b->fam);
	if (d)
		return d;
	size_t m = a->qlen < b->qlen ? a->qlen : b->qlen;
	if ((d = memcmp(s + a->qual, s + b->qual, m)))
		return d;
	if (a->qlen != b->qlen)
		return a->qlen < b->qlen ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts > b->ts ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Hands the pending row to the row buffer and emits it: as rowstore_rowbuf_emit. */
static int pending_emit(struct pending *p, struct rowstore_rowbuf *rb, const struct rowstore_filter *f,
			rowstore_row_fn fn, void *ctx, int *stop)
{
	p->open = 0;
	qsort_r(p->c, p->n, sizeof *p->c, pcell_cmp, p->a.s);
	if (rowstore_rowbuf_start(rb, p->key, p->klen))
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct pcell *c = &p->c[i];
		const char *fam = p->a.s + c->fam;
		if (rowstore_rowbuf_add(rb, fam, strlen(fam), p->a.s + c->qual, c->qlen, c->ts,
					p->a.s + c->val, c->vlen))
			return -1;
	}
	return rowstore_rowbuf_emit(rb, f, fn, ctx, stop);
}

/* Feeds the statement's (row, family, ts, cells) entries, ordered by row,
 * family, ts DESC, through the filter to fn. */
static int feed_rows(struct sq *s, sqlite3_stmt *st, const struct rowstore_filter *f, long limit,
		     rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	struct rowstore_rowbuf rb = {0};
	struct pending p = {0};
	int rc = ROWSTORE_OK, src, stop = 0;
	long emitted = 0;
	while (!stop && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		size_t klen = (size_t)sqlite3_column_bytes(st, 0);
		if (!p.open || klen != p.klen || memcmp(p.key, key, klen) != 0) {
			if (p.open && !p.skip) {
				int e = pending_emit(&p, &rb, f, fn, ctx, &stop);
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
			if (pending_start(&p, key, klen)) {
				rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
				break;
			}
			p.skip = !rowstore_filter_row_ok(f, p.key);
		}
		if (p.skip)
			continue;
		int e = pending_entry(&p, (const char *)sqlite3_column_text(st, 1),
				      (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2),
				      (const char *)sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3));
		if (e) {
			rc = e == -1 ? rowstore_fail(err, ROWSTORE_EIO, "out of memory")
				     : rowstore_fail(err, ROWSTORE_EIO, "sqlite %s: row '%s': malformed cells", s->path, p.key);
			break;
		}
	}
	if (!rc && !stop) {
		if (src != SQLITE_DONE)
			rc = db_fail(s, err, "reading rows");
		else if (p.open && !p.skip && pending_emit(&p, &rb, f, fn, ctx, &stop) < 0)
			rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	}
	rowstore_rowbuf_free(&rb);
	free(p.key);
	free(p.c);
	buf_free(&p.a);
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
	snprintf(sql, sizeof sql, "SELECT row, family, ts, cells FROM \"rsc_%s\""
		 " WHERE row=?1 ORDER BY row, family, ts DESC", table);
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

#define ENTRY_COLUMNS "row, family, ts, cells"

static int prepare_range(struct sq *s, const char *table, const char *what,
			 const struct rowstore_scan_opts *o, sqlite3_stmt **st, struct rowstore_err *err)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM \"rsc_%s\" WHERE 1%s%s%s", what, table,
		 o->start_row ? " AND row >= ?1" : "", o->stop_row ? " AND row < ?2" : "",
		 strcmp(what, ENTRY_COLUMNS) == 0 ? " ORDER BY row, family, ts DESC" : "");
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
	rc = prepare_range(s, table, ENTRY_COLUMNS, o, &st, err);
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
	/* distinct rows straight off the primary key, no cells unpacked */
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

/* Runs sql with ?1 row, ?2 family, ?3 qualifier (those given). */
static int run_delete(struct sq *s, const char *sql, const char *row, const char *fam, const char *qual,
		      struct rowstore_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
		return db_fail(s, err, "preparing a delete");
	sqlite3_bind_text(st, 1, row, -1, SQLITE_STATIC);
	if (fam)
		sqlite3_bind_text(st, 2, fam, -1, SQLITE_STATIC);
	if (qual)
		sqlite3_bind_text(st, 3, qual, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? ROWSTORE_OK : db_fail(s, err, "deleting");
	sqlite3_finalize(st);
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
	if (!qual) {
		snprintf(sql, sizeof sql, "DELETE FROM \"rsc_%s\" WHERE row=?1%s", table,
			 fam ? " AND family=?2" : "");
		rc = run_delete(s, sql, row, fam, NULL, err);
	} else if (!(rc = exec(s, "BEGIN IMMEDIATE", err))) {
		/* one qualifier out of every entry of the family, then the emptied entries */
		snprintf(sql, sizeof sql, "UPDATE \"rsc_%s\" SET cells = rs_without(cells, ?3)"
			 " WHERE row=?1 AND family=?2", table);
		rc = run_delete(s, sql, row, fam, qual, err);
		if (!rc) {
			snprintf(sql, sizeof sql, "DELETE FROM \"rsc_%s\" WHERE row=?1 AND family=?2 AND cells='{}'",
				 table);
			rc = run_delete(s, sql, row, fam, NULL, err);
		}
		if (!rc)
			rc = exec(s, "COMMIT", err);
		if (rc)
			exec(s, "ROLLBACK", NULL);
	}
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
	char full[URI_REDACT_MAX], rb[URI_REDACT_MAX];
	snprintf(full, sizeof full, "sqlite:%s", rest);
	uri_redact(full, rb, sizeof rb);
	size_t plen = q ? (size_t)(q - rest) : strlen(rest);
	if (plen == 0)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "bad row store URI '%s': no file path",
				     rb);
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
					     "bad row store URI '%s': unknown parameter '%.*s'"
					     " (known: table=NAME, sync=off|normal|full)", rb,
					     (int)strcspn(q, "=&"), q);
		}
		q = amp;
	}
	return ROWSTORE_OK;
}

/* ---- SQL functions of the packed layout ---- */

/* The members of a packed cells text, decoded into a. -1 malformed or out of memory. */
struct members {
	struct buf a;
	struct { size_t q, ql, v, vl; } *m;
	size_t n, cap;
};

static int members_read(struct members *ms, const char *text, size_t len)
{
	struct rs_cells_it it;
	if (!text || rs_cells_init(&it, text, len))
		return -1;
	for (;;) {
		if (ms->n == ms->cap) {
			size_t cap = ms->cap ? ms->cap * 2 : 16;
			void *nm = realloc(ms->m, cap * sizeof *ms->m);
			if (!nm)
				return -1;
			ms->m = nm;
			ms->cap = cap;
		}
		int r = rs_cells_next(&it, &ms->a, &ms->m[ms->n].q, &ms->m[ms->n].ql, &ms->m[ms->n].v,
				      &ms->m[ms->n].vl);
		if (r <= 0)
			return r;
		ms->n++;
	}
}

static void members_free(struct members *ms)
{
	buf_free(&ms->a);
	free(ms->m);
}

static int members_has(const struct members *ms, const char *q, size_t ql)
{
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].ql == ql && memcmp(ms->a.s + ms->m[i].q, q, ql) == 0)
			return 1;
	return 0;
}

/* Appends the members of ms (all but those in skip, or the one named q) to out. */
static void members_write(const struct members *ms, const struct members *skip, const char *q, size_t ql,
			  struct buf *out)
{
	for (size_t i = 0; i < ms->n; i++) {
		const char *mq = ms->a.s + ms->m[i].q;
		size_t mql = ms->m[i].ql;
		if ((skip && members_has(skip, mq, mql)) || (q && mql == ql && memcmp(mq, q, ql) == 0))
			continue;
		rs_cells_member(out, mq, mql, ms->a.s + ms->m[i].v, ms->m[i].vl);
	}
}

/* rs_merge(old, new): the cells of old and new, new's value winning for a
 * qualifier in both (a put at an existing timestamp, HBase's overwrite). */
static void fn_merge(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *o = (const char *)sqlite3_value_text(argv[0]);
	int ol = sqlite3_value_bytes(argv[0]);
	const char *n = (const char *)sqlite3_value_text(argv[1]);
	int nl = sqlite3_value_bytes(argv[1]);
	if (o && n && ol == nl && memcmp(o, n, (size_t)ol) == 0) {	/* a replay */
		sqlite3_result_value(cx, argv[1]);
		return;
	}
	struct members om = {0}, nm = {0};
	struct buf out = BUF_INIT;
	if (members_read(&om, o, (size_t)ol) || members_read(&nm, n, (size_t)nl)) {
		sqlite3_result_error(cx, "rs_merge: malformed packed cells", -1);
	} else {
		rs_cells_open(&out);
		members_write(&nm, NULL, NULL, 0, &out);
		members_write(&om, &nm, NULL, 0, &out);
		rs_cells_close(&out);
		sqlite3_result_text(cx, out.s, (int)out.len, SQLITE_TRANSIENT);
	}
	buf_free(&out);
	members_free(&om);
	members_free(&nm);
}

/* rs_without(cells, qualifier): cells without that qualifier ('{}' when none is left). */
static void fn_without(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *c = (const char *)sqlite3_value_text(argv[0]);
	int cl = sqlite3_value_bytes(argv[0]);
	const char *q = (const char *)sqlite3_value_text(argv[1]);
	size_t ql = (size_t)sqlite3_value_bytes(argv[1]);
	struct members ms = {0};
	struct buf out = BUF_INIT;
	if (members_read(&ms, c, (size_t)cl)) {
		sqlite3_result_error(cx, "rs_without: malformed packed cells", -1);
	} else {
		rs_cells_open(&out);
		members_write(&ms, NULL, q ? q : "", ql, &out);
		rs_cells_close(&out);
		sqlite3_result_text(cx, out.s, (int)out.len, SQLITE_TRANSIENT);
	}
	buf_free(&out);
	members_free(&ms);
}

/* ---- layout version and migration ---- */

static int user_version(struct sq *s, int *v, struct rowstore_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL))
		return db_fail(s, err, "reading the layout version");
	int rc = sqlite3_step(st) == SQLITE_ROW ? ROWSTORE_OK : db_fail(s, err, "reading the layout version");
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* Layout 1 -> 2 for table T: the one-row-per-cell "rs_T" is packed into
 * "rsc_T" one (row, family, ts) at a time and replaced by the view. */
static int migrate_table(struct sq *s, const char *table, struct rowstore_err *err)
{
	char sql[600];
	snprintf(sql, sizeof sql, "ALTER TABLE \"rs_%s\" RENAME TO \"rs1_%s\"", table, table);
	int rc = exec(s, sql, err);
	if (rc || (rc = create_layout(s, table, err)))
		return rc;
	sqlite3_stmt *rd = NULL, *wr = NULL;
	snprintf(sql, sizeof sql, "SELECT row, family, ts, qualifier, value FROM \"rs1_%s\""
		 " ORDER BY row, family, ts DESC, qualifier", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &rd, NULL))
		return db_fail(s, err, "migrating the table (reading)");
	snprintf(sql, sizeof sql, "INSERT INTO \"rsc_%s\"(row, family, ts, cells) VALUES(?1, ?2, ?3, ?4)", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &wr, NULL)) {
		sqlite3_finalize(rd);
		return db_fail(s, err, "migrating the table (writing)");
	}
	struct buf key = BUF_INIT;	/* row NUL family NUL of the entry being packed */
	size_t rlen = 0;
	int64_t ts = 0;
	int have = 0, src;
	buf_reset(&s->json);
	for (;;) {
		src = sqlite3_step(rd);
		const char *row = NULL, *fam = NULL;
		int64_t t = 0;
		if (src == SQLITE_ROW) {
			row = (const char *)sqlite3_column_text(rd, 0);
			fam = (const char *)sqlite3_column_text(rd, 1);
			t = sqlite3_column_int64(rd, 2);
		}
		int same = have && src == SQLITE_ROW && t == ts && strcmp(key.s, row) == 0 &&
			   strcmp(key.s + rlen + 1, fam) == 0;
		if (have && !same) {	/* write the finished entry */
			rs_cells_close(&s->json);
			/* key.s: the row, NUL-terminated at rlen, then the family */
			if (write_entry(wr, key.s, key.s + rlen + 1, ts, &s->json)) {
				rc = db_fail(s, err, "migrating the table (writing)");
				break;
			}
			have = 0;
		}
		if (src != SQLITE_ROW)
			break;
		if (!have) {
			rlen = strlen(row);
			buf_reset(&key);
			buf_reset(&s->json);
			buf_add(&key, row, rlen + 1);
			buf_add(&key, fam, strlen(fam) + 1);
			rs_cells_open(&s->json);
			ts = t;
			have = 1;
		}
		const char *q = (const char *)sqlite3_column_text(rd, 3);
		rs_cells_member(&s->json, q ? q : "", (size_t)sqlite3_column_bytes(rd, 3),
				sqlite3_column_blob(rd, 4), (size_t)sqlite3_column_bytes(rd, 4));
	}
	if (!rc && src != SQLITE_DONE)
		rc = db_fail(s, err, "migrating the table (reading)");
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	buf_free(&key);
	if (!rc) {
		snprintf(sql, sizeof sql, "DROP TABLE \"rs1_%s\"", table);
		rc = exec(s, sql, err);
	}
	return rc;
}

/* Creates the catalog of a new file, migrates a file of layout 1, refuses a
 * later layout. Only a file not yet at this layout takes the write lock. */
static int layout_check(struct sq *s, struct rowstore_err *err)
{
	int v, rc = user_version(s, &v, err);
	if (rc || v == LAYOUT_VERSION)
		return rc;
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	if ((rc = user_version(s, &v, err)) == ROWSTORE_OK && v > LAYOUT_VERSION)
		rc = rowstore_fail(err, ROWSTORE_EUSAGE,
				   "sqlite %s: row store layout %d is newer than this program's (%d)", s->path,
				   v, LAYOUT_VERSION);
	if (!rc && v < LAYOUT_VERSION)
		rc = exec(s, "CREATE TABLE IF NOT EXISTS rowstore_tables(name TEXT PRIMARY KEY, created_ms INTEGER);"
			  "CREATE TABLE IF NOT EXISTS rowstore_families(tbl TEXT NOT NULL, family TEXT NOT NULL,"
			  " PRIMARY KEY(tbl, family)) WITHOUT ROWID", err);
	if (!rc && v < LAYOUT_VERSION) {	/* layout 1: every catalogued table that is still a table */
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, "SELECT t.name FROM rowstore_tables t JOIN sqlite_master m"
				       " ON m.type='table' AND m.name='rs_'||t.name", -1, &st, NULL)) {
			rc = db_fail(s, err, "reading the table catalog");
		} else {
			char **names = NULL;
			size_t n = 0;
			while (!rc && sqlite3_step(st) == SQLITE_ROW) {
				char **nn = realloc(names, (n + 1) * sizeof *nn);
				if (!nn || !(nn[n] = strdup((const char *)sqlite3_column_text(st, 0)))) {
					names = nn ? nn : names;
					rc = rowstore_fail(err, ROWSTORE_EIO, "out of memory");
					break;
				}
				names = nn;
				n++;
			}
			sqlite3_finalize(st);
			for (size_t i = 0; i < n; i++) {
				if (!rc)
					rc = migrate_table(s, names[i], err);
				free(names[i]);
			}
			free(names);
		}
	}
	if (!rc) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", LAYOUT_VERSION);
		rc = exec(s, sql, err);
	}
	if (!rc)
		rc = exec(s, "COMMIT", err);
	if (rc)
		exec(s, "ROLLBACK", NULL);
	return rc;
}

/* The errno when path cannot be opened for a reason no retry changes (its
 * directory is missing or not a directory, it is a directory, permission is
 * denied; for a writer, also a directory it cannot create the file in): a
 * configuration error, the job exits 2 at start instead of retrying forever.
 * 0 otherwise (worth a retry: ROWSTORE_EIO). */
static int open_is_config_error(const char *path, int readonly)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? EISDIR : access(path, readonly ? R_OK : R_OK | W_OK) < 0 ? errno : 0;
	if (errno != ENOENT)
		return errno == ENOTDIR || errno == EACCES ? errno : 0;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? errno : 0;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	return !readonly && access(dir, W_OK | X_OK) < 0 && errno == EACCES ? EACCES : 0;
}

/* What the file holds, read before anything is written to it: a file whose
 * schema has objects but no row-store catalog belongs to someone else (the
 * scheduler's state file, say) and is refused untouched, without the switch
 * to WAL or a catalog. A reader (opts.readonly) also refuses an empty file
 * and any layout but this program's, since it may not create or migrate. */
static int identify(struct sq *s, int readonly, struct rowstore_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), count(CASE WHEN name='rowstore_tables' THEN 1 END)"
			       " FROM sqlite_master", -1, &st, NULL))
		return db_fail(s, err, "reading the schema");
	int rc = sqlite3_step(st) == SQLITE_ROW ? ROWSTORE_OK : db_fail(s, err, "reading the schema");
	int objects = sqlite3_column_int(st, 0), catalog = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (objects && !catalog)
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "sqlite %s: not a row store (it holds other tables); left untouched", s->path);
	if (!readonly)
		return ROWSTORE_OK;
	if (!objects)
		return rowstore_fail(err, ROWSTORE_ENOTFOUND, "sqlite %s: an empty file, no row store table in it",
				     s->path);
	int v;
	if ((rc = user_version(s, &v, err)))
		return rc;
	if (v != LAYOUT_VERSION)
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "sqlite %s: row store layout %d, this program reads layout %d%s", s->path, v,
				     LAYOUT_VERSION, v < LAYOUT_VERSION ? " (open it once for writing to migrate it)" : "");
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
	int ro = rs->opts.readonly;
	/* NOMUTEX: a handle is used by one thread at a time (rowstore.h) */
	int oflags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		int cfg = open_is_config_error(path, ro);
		rc = rowstore_fail(err, cfg ? ROWSTORE_EUSAGE : ROWSTORE_EIO, "sqlite %s: cannot open%s: %s%s%s", path,
				   ro ? " for reading" : "", s->db ? sqlite3_errmsg(s->db) : "out of memory",
				   cfg ? ": " : "", cfg ? strerror(cfg) : "");
		sqlite3_close(s->db);
		free(path);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, (int)rs->opts.timeout_ms);
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA synchronous=%s", sync);
	int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function_v2(s->db, "rs_merge", 2, fl, NULL, fn_merge, NULL, NULL, NULL) ||
	    sqlite3_create_function_v2(s->db, "rs_without", 2, fl, NULL, fn_without, NULL, NULL, NULL))
		rc = db_fail(s, err, "registering functions");
	if (!rc)
		rc = identify(s, ro, err);
	if (!rc && ro)
		rc = exec(s, "PRAGMA cache_size=-65536", err);
	else if (!rc && !(rc = exec(s, "PRAGMA journal_mode=WAL", err)) && !(rc = exec(s, sql, err)) &&
		 !(rc = exec(s, "PRAGMA cache_size=-65536", err)))
		rc = layout_check(s, err);
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
