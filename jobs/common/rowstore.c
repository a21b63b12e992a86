/* rowstore.c: the row store's front: URI dispatch to a backend, batches.
 * It calls the backends; they never call back into this file (what both
 * sides need is in rowstore_shared.c and rowstore_filter.c, see
 * rowstore_backend.h). */
#include "jobs/common/rowstore_backend.h"
#include "lib/uri_redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int ok(struct rowstore_err *err)
{
	if (err) {
		err->code = ROWSTORE_OK;
		err->msg[0] = '\0';
	}
	return ROWSTORE_OK;
}

int rowstore_retryable(int code)
{
	return code == ROWSTORE_EIO;
}

/* ---- open / dispatch ---- */

struct rowstore *rowstore_open(const char *uri, const struct rowstore_opts *opts,
			       struct rowstore_err *err)
{
	struct rowstore *rs = calloc(1, sizeof *rs);
	if (!rs) {
		rowstore_fail(err, ROWSTORE_EIO, "out of memory");
		return NULL;
	}
	rs->opts.retries = 5;
	rs->opts.retry_ms = 100;
	rs->opts.timeout_ms = 30000;
	if (opts) {
		if (opts->retries >= 0)
			rs->opts.retries = opts->retries;
		if (opts->retry_ms > 0)
			rs->opts.retry_ms = opts->retry_ms;
		if (opts->timeout_ms > 0)
			rs->opts.timeout_ms = opts->timeout_ms;
		rs->opts.readonly = opts->readonly;
	}
	int rc;
	char rb[URI_REDACT_MAX];
	if (!uri || !*uri)
		rc = rowstore_fail(err, ROWSTORE_EUSAGE, "empty row store URI");
	else if (strncmp(uri, "sqlite:", 7) == 0)
		rc = rowstore_sqlite_open(rs, uri + 7, err);
	else if (strncmp(uri, "hbase://", 8) == 0)
		rc = rowstore_hbase_open(rs, uri + 8, err);
	else
		rc = rowstore_fail(err, ROWSTORE_EUSAGE,
				   "bad row store URI '%s': expected sqlite:PATH or hbase://HOST:PORT[/TABLE]",
				   uri_redact(uri, rb, sizeof rb));
	if (rc != ROWSTORE_OK) {
		free(rs->default_table);
		free(rs);
		return NULL;
	}
	if (rs->default_table && rowstore_check_table(rs->default_table, err) != ROWSTORE_OK) {
		rs->ops->close(rs);
		free(rs->default_table);
		free(rs);
		return NULL;
	}
	ok(err);
	return rs;
}

void rowstore_close(struct rowstore *rs)
{
	if (!rs)
		return;
	rs->ops->close(rs);
	free(rs->default_table);
	free(rs);
}

const char *rowstore_default_table(const struct rowstore *rs)
{
	return rs->default_table;
}

const char *rowstore_backend(const struct rowstore *rs)
{
	return rs->ops->name;
}

static const char *pick_table(struct rowstore *rs, const char *table, struct rowstore_err *err,
			      int *rc)
{
	const char *t = table ? table : rs->default_table;
	*rc = rowstore_check_table(t, err);
	return t;
}

int rowstore_create_table(struct rowstore *rs, const char *table, const char *const *families,
			  size_t nfamilies, int if_missing, struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	if (nfamilies == 0)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "create %s: at least one column family", t);
	for (size_t i = 0; i < nfamilies; i++)
		if (!families[i] || !*families[i] || strchr(families[i], ':'))
			return rowstore_fail(err, ROWSTORE_EUSAGE,
					     "create %s: bad column family name '%s'", t,
					     families[i] ? families[i] : "");
	rc = rs->ops->create_table(rs, t, families, nfamilies, if_missing, err);
	return rc ? rc : ok(err);
}

int rowstore_put(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		 struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	if (b->n == 0)
		return ok(err);
	rc = rs->ops->put(rs, t, b, err);
	return rc ? rc : ok(err);
}

int rowstore_get(struct rowstore *rs, const char *table, const char *row,
		 const char *const *columns, size_t ncolumns, rowstore_row_fn fn, void *ctx,
		 struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	if (!row || !*row)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "get %s: empty row key", t);
	rc = rs->ops->get(rs, t, row, columns, ncolumns, fn, ctx, err);
	return rc ? rc : ok(err);
}

int rowstore_scan(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		  rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	struct rowstore_scan_opts none = {0};
	rc = rs->ops->scan(rs, t, opts ? opts : &none, fn, ctx, err);
	return rc ? rc : ok(err);
}

static int count_row(const struct rowstore_row *row, void *ctx)
{
	(void)row;
	++*(uint64_t *)ctx;
	return 0;
}

int rowstore_count(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		   uint64_t *count, struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	struct rowstore_scan_opts none = {0};
	*count = 0;
	if (rs->ops->count)
		rc = rs->ops->count(rs, t, opts ? opts : &none, count, err);
	else
		rc = rs->ops->scan(rs, t, opts ? opts : &none, count_row, count, err);
	return rc ? rc : ok(err);
}

int rowstore_delete(struct rowstore *rs, const char *table, const char *row, const char *column,
		    struct rowstore_err *err)
{
	int rc;
	const char *t = pick_table(rs, table, err, &rc);
	if (rc)
		return rc;
	if (!row || !*row)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "delete %s: empty row key", t);
	if (column && (!*column || *column == ':'))
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "delete %s: bad column '%s': expected FAMILY or FAMILY:QUALIFIER",
				     t, column);
	rc = rs->ops->delete_(rs, t, row, column, err);
	return rc ? rc : ok(err);
}

/* ---- batches ---- */

struct rowstore_batch *rowstore_batch_new(void)
{
	return calloc(1, sizeof(struct rowstore_batch));
}

void rowstore_batch_free(struct rowstore_batch *b)
{
	if (!b)
		return;
	free(b->cells);
	free(b->buf);
	free(b);
}

void rowstore_batch_clear(struct rowstore_batch *b)
{
	b->n = 0;
	b->len = 0;
}

size_t rowstore_batch_cells(const struct rowstore_batch *b)
{
	return b->n;
}

static int batch_str(struct rowstore_batch *b, const void *s, size_t n, size_t *off)
{
	if (b->len + n + 1 > b->bufcap) {
		size_t cap = b->bufcap ? b->bufcap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *nb = realloc(b->buf, cap);
		if (!nb)
			return -1;
		b->buf = nb;
		b->bufcap = cap;
	}
	*off = b->len;
	memcpy(b->buf + b->len, s, n);
	b->buf[b->len + n] = '\0';
	b->len += n + 1;
	return 0;
}

int rowstore_batch_add_len(struct rowstore_batch *b, const char *row, const char *family,
			   const char *qualifier, int64_t ts_ms, const void *value,
			   size_t value_len, struct rowstore_err *err)
{
	if (!row || !*row)
		return rowstore_fail(err, ROWSTORE_EUSAGE, "put: empty row key");
	if (!family || !*family || strchr(family, ':'))
		return rowstore_fail(err, ROWSTORE_EUSAGE, "put %s: bad column family '%s'", row,
				     family ? family : "");
	if (!qualifier)
		qualifier = "";
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		struct rowstore_bcell *nc = realloc(b->cells, cap * sizeof *nc);
		if (!nc)
			return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
		b->cells = nc;
		b->cap = cap;
	}
	struct rowstore_bcell *c = &b->cells[b->n];
	/* the same row as the previous cell shares its key: batches are row-major */
	if (b->n > 0 && strcmp(rowstore_bstr(b, b->cells[b->n - 1].row), row) == 0)
		c->row = b->cells[b->n - 1].row;
	else if (batch_str(b, row, strlen(row), &c->row))
		return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	/* and its family, so backends compare families by offset */
	if (b->n > 0 && strcmp(rowstore_bstr(b, b->cells[b->n - 1].family), family) == 0)
		c->family = b->cells[b->n - 1].family;
	else if (batch_str(b, family, strlen(family), &c->family))
		return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	if (batch_str(b, qualifier, strlen(qualifier), &c->qualifier) ||
	    batch_str(b, value ? value : "", value ? value_len : 0, &c->value))
		return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	c->value_len = value ? value_len : 0;
	c->ts = ts_ms;
	b->n++;
	return ok(err);
}

int rowstore_batch_add(struct rowstore_batch *b, const char *row, const char *family,
		       const char *qualifier, int64_t ts_ms, const char *value,
		       struct rowstore_err *err)
{
	return rowstore_batch_add_len(b, row, family, qualifier, ts_ms, value,
				      value ? strlen(value) : 0, err);
}
