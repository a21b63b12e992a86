/* rowstore_hbase.c: the row-store backend over an HBase REST ("Stargate")
 * server, "hbase://HOST:PORT[/TABLE]", as docs/protocols.md §2 documents it:
 * JSON bodies with base64 row keys, columns and values; a batch is one
 * multi-row PUT to /TABLE/fakerow; scans go through a stateful scanner
 * (POST /TABLE/scanner, GET its Location until 204, DELETE it) with the row
 * regex and value conditions sent as filter JSON, so the server filters.
 * Connection errors and 5xx answers are retried by http.c with backoff; the
 * text/plain error bodies are cut to their first line for the message. */
#include "jobs/common/rowstore_backend.h"
#include "lib/uri_redact.h"
#include "jobs/common/hbase_json.h"
#include "jobs/common/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hb {
	http_client *http;
	char base[300];	/* http://HOST:PORT */
	struct hbj_buf put;	/* the JSON of the last multi-row PUT, reused */
};

static const char *const json_hdrs[] = {"Accept: application/json",
					"Content-Type: application/json", NULL};
static const char *const accept_hdrs[] = {"Accept: application/json", NULL};
/* A multi-row PUT is megabytes: no Expect: 100-continue round trip first. */
static const char *const put_hdrs[] = {"Accept: application/json", "Content-Type: application/json",
				       "Expect:", NULL};

static void hb_close(struct rowstore *rs)
{
	struct hb *h = rs->impl;
	http_client_free(h->http);
	hbj_buf_free(&h->put);
	free(h);
}

/* The first line of an error body (HBase appends a Java stack trace). */
static void first_line(const http_response *r, char *out, size_t n)
{
	out[0] = '\0';
	if (!r->body)
		return;
	size_t k = strcspn(r->body, "\r\n");
	if (k >= n)
		k = n - 1;
	memcpy(out, r->body, k);
	out[k] = '\0';
	/* the exception line after it says more: "...Exception: message" */
	const char *next = r->body + k;
	next += strspn(next, "\r\n");
	if (*next && *next != '\t' && strncmp(next, "at ", 3) != 0 && k + 3 < n) {
		int m = (int)strcspn(next, "\r\n");
		snprintf(out + k, n - k, ": %.*s", m, next);
	}
}

/* Maps an HTTP status to a code and message naming the request. */
static int status_fail(const char *method, const char *url, const http_response *r,
		       struct rowstore_err *err)
{
	char line[400];
	first_line(r, line, sizeof line);
	int code = r->status == 404 ? ROWSTORE_ENOTFOUND
		 : r->status == 400 || r->status == 403 ? ROWSTORE_EUSAGE
		 : ROWSTORE_EIO;
	return rowstore_fail(err, code, "hbase %s %s: HTTP %ld%s%s%s", method, url, r->status,
			     line[0] ? " (" : "", line, line[0] ? ")" : "");
}

static int request(struct hb *h, const char *method, const char *url, const char *const *hdrs,
		   const char *body, size_t body_len, http_response *resp, struct rowstore_err *err)
{
	job_err je = {{0}};
	http_request rq = {.method = method, .url = url, .headers = hdrs, .body = body,
			   .body_len = body_len, .send_body = body != NULL};
	memset(resp, 0, sizeof *resp);
	if (http_do(h->http, &rq, resp, &je) != 0) {
		http_response_free(resp);
		return rowstore_fail(err, ROWSTORE_EIO, "hbase %s %s: %s", method, url, je.msg);
	}
	return ROWSTORE_OK;
}

static char *row_url(struct hb *h, const char *table, const char *row, const char *column)
{
	char *er = http_escape(row, 1);	/* '/' ':' ',' are reserved in row specs */
	char *ec = column ? http_escape(column, 0) : NULL;
	size_t n = strlen(h->base) + strlen(table) + strlen(er) + (ec ? strlen(ec) : 0) + 8;
	char *u = malloc(n);
	snprintf(u, n, "%s/%s/%s%s%s", h->base, table, er, ec ? "/" : "", ec ? ec : "");
	free(er);
	free(ec);
	return u;
}

static int hb_create(struct rowstore *rs, const char *table, const char *const *families,
		     size_t nfamilies, int if_missing, struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	char url[600];
	snprintf(url, sizeof url, "%s/%s/schema", h->base, table);
	http_response r;
	int rc = request(h, "GET", url, accept_hdrs, NULL, 0, &r, err);
	if (rc)
		return rc;
	long st = r.status;
	if (st == 200) {
		http_response_free(&r);
		return if_missing ? ROWSTORE_OK
				  : rowstore_fail(err, ROWSTORE_EEXISTS, "table '%s' already exists", table);
	}
	if (st != 404) {
		rc = status_fail("GET", url, &r, err);
		http_response_free(&r);
		return rc;
	}
	http_response_free(&r);
	struct hbj_buf b = {0};
	hbj_buf_adds(&b, "{\"name\":");
	hbj_buf_str(&b, table, strlen(table));
	hbj_buf_adds(&b, ",\"ColumnSchema\":[");
	for (size_t i = 0; i < nfamilies; i++) {
		hbj_buf_adds(&b, i ? ",{\"name\":" : "{\"name\":");
		hbj_buf_str(&b, families[i], strlen(families[i]));
		hbj_buf_adds(&b, "}");
	}
	hbj_buf_adds(&b, "]}");
	rc = request(h, "PUT", url, json_hdrs, b.s, b.len, &r, err);
	hbj_buf_free(&b);
	if (rc)
		return rc;
	if (r.status == 304)	/* lost a creation race */
		rc = if_missing ? ROWSTORE_OK
				: rowstore_fail(err, ROWSTORE_EEXISTS, "table '%s' already exists", table);
	else if (r.status != 200 && r.status != 201)
		rc = status_fail("PUT", url, &r, err);
	http_response_free(&r);
	return rc;
}

static int hb_put(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		  struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	struct hbj_buf *j = &h->put;
	j->len = 0;
	j->oom = 0;
	/* the strings' bytes as base64 plus the JSON around each cell: one allocation */
	hbj_buf_reserve(j, b->len / 3 * 4 + b->n * 80 + 64);
	hbj_buf_adds(j, "{\"Row\":[");
	int64_t now = rowstore_now_ms();
	char colbuf[512];
	for (size_t i = 0; i < b->n; i++) {
		const struct rowstore_bcell *c = &b->cells[i];
		int new_row = i == 0 || (c->row != b->cells[i - 1].row &&
					 strcmp(rowstore_bstr(b, b->cells[i - 1].row), rowstore_bstr(b, c->row)));
		if (new_row) {
			hbj_buf_adds(j, i ? "]},{\"key\":" : "{\"key\":");
			const char *k = rowstore_bstr(b, c->row);
			hbj_buf_b64(j, k, strlen(k));
			hbj_buf_adds(j, ",\"Cell\":[{\"column\":");
		} else {
			hbj_buf_adds(j, ",{\"column\":");
		}
		const char *fam = rowstore_bstr(b, c->family), *qual = rowstore_bstr(b, c->qualifier);
		size_t fl = strlen(fam), ql = strlen(qual);
		char *col = fl + 1 + ql <= sizeof colbuf ? colbuf : malloc(fl + 1 + ql);
		if (!col) {
			j->oom = 1;
			break;
		}
		memcpy(col, fam, fl);
		col[fl] = ':';
		memcpy(col + fl + 1, qual, ql);
		hbj_buf_b64(j, col, fl + 1 + ql);
		if (col != colbuf)
			free(col);
		hbj_buf_adds(j, ",\"timestamp\":");
		hbj_buf_i64(j, c->ts < 0 ? now : c->ts);
		hbj_buf_adds(j, ",\"$\":");
		hbj_buf_b64(j, rowstore_bstr(b, c->value), c->value_len);
		hbj_buf_adds(j, "}");
	}
	hbj_buf_adds(j, "]}]}");
	if (j->oom) {
		hbj_buf_free(j);
		return rowstore_fail(err, ROWSTORE_EIO, "out of memory");
	}
	char url[600];
	snprintf(url, sizeof url, "%s/%s/fakerow", h->base, table);
	http_response r;
	int rc = request(h, "PUT", url, put_hdrs, j->s, j->len, &r, err);
	if (j->cap > (64u << 20))	/* do not keep an unusually large one */
		hbj_buf_free(j);
	if (rc)
		return rc;
	if (r.status != 200)
		rc = status_fail("PUT", url, &r, err);
	http_response_free(&r);
	return rc;
}

/* Feeds the rows of a CellSet body into rb, emitting finished rows through f.
 * A row split across two scanner batches continues in rb. */
static int feed_cellset(const char *what, const http_response *r, struct rowstore_rowbuf *rb,
			const struct rowstore_filter *f, long limit, long *emitted,
			rowstore_row_fn fn, void *ctx, int *stop, struct rowstore_err *err)
{
	char msg[200];
	struct hbj *doc = hbj_parse(r->body ? r->body : "", r->body_len, msg, sizeof msg);
	if (!doc)
		return rowstore_fail(err, ROWSTORE_EIO, "hbase %s: bad JSON answer: %s", what, msg);
	const struct hbj *rows = hbj_get(doc, "Row");
	int rc = ROWSTORE_OK;
	for (size_t i = 0; rows && rows->type == HBJ_ARR && i < rows->n && !*stop && !rc; i++) {
		const struct hbj *row = &rows->items[i];
		const char *k64 = hbj_str(row, "key");
		size_t klen;
		char *key = k64 ? hbj_b64_decode(k64, strlen(k64), &klen) : NULL;
		if (!key) {
			rc = rowstore_fail(err, ROWSTORE_EIO, "hbase %s: row without a base64 key", what);
			break;
		}
		const char *cur = rowstore_rowbuf_key(rb);
		if (!cur || strcmp(cur, key) != 0) {
			if (cur) {
				int e = rowstore_rowbuf_emit(rb, f, fn, ctx, stop);
				*emitted += e > 0;
				if (limit > 0 && *emitted >= limit)
					*stop = 1;
			}
			if (!*stop)
				rowstore_rowbuf_start(rb, key, klen);
		}
		free(key);
		const struct hbj *cells = hbj_get(row, "Cell");
		for (size_t j = 0; !*stop && cells && cells->type == HBJ_ARR && j < cells->n; j++) {
			const struct hbj *c = &cells->items[j];
			const char *c64 = hbj_str(c, "column"), *v64 = hbj_str(c, "$");
			size_t cl, vl;
			char *col = c64 ? hbj_b64_decode(c64, strlen(c64), &cl) : NULL;
			char *val = hbj_b64_decode(v64 ? v64 : "", v64 ? strlen(v64) : 0, &vl);
			if (!col || !val) {
				free(col);
				free(val);
				rc = rowstore_fail(err, ROWSTORE_EIO, "hbase %s: cell with a bad column or value", what);
				break;
			}
			char *colon = memchr(col, ':', cl);
			size_t fl = colon ? (size_t)(colon - col) : cl;
			const char *q = colon ? colon + 1 : "";
			size_t ql = colon ? cl - fl - 1 : 0;
			rowstore_rowbuf_add(rb, col, fl, q, ql, hbj_int(c, "timestamp", 0), val, vl);
			free(col);
			free(val);
		}
	}
	hbj_free(doc);
	return rc;
}

static int table_exists(struct hb *h, const char *table, struct rowstore_err *err)
{
	char url[600];
	snprintf(url, sizeof url, "%s/%s/schema", h->base, table);
	http_response r;
	int rc = request(h, "GET", url, accept_hdrs, NULL, 0, &r, err);
	if (rc)
		return rc;
	if (r.status == 404)
		rc = rowstore_fail(err, ROWSTORE_ENOTFOUND, "table '%s' not found on %s", table, h->base);
	else if (r.status != 200)
		rc = status_fail("GET", url, &r, err);
	http_response_free(&r);
	return rc;
}

static int hb_get(struct rowstore *rs, const char *table, const char *row,
		  const char *const *columns, size_t ncolumns, rowstore_row_fn fn, void *ctx,
		  struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	struct rowstore_scan_opts o = {.columns = columns, .ncolumns = ncolumns};
	struct rowstore_filter f;
	int rc = rowstore_filter_init(&f, &o, err);
	if (rc)
		return rc;
	char *url = row_url(h, table, row, NULL);
	http_response r;
	rc = request(h, "GET", url, accept_hdrs, NULL, 0, &r, err);
	if (!rc) {
		if (r.status == 200) {
			struct rowstore_rowbuf rb = {0};
			long emitted = 0;
			int stop = 0;
			rc = feed_cellset(url, &r, &rb, &f, 1, &emitted, fn, ctx, &stop, err);
			if (!rc && !stop)
				rowstore_rowbuf_emit(&rb, &f, fn, ctx, &stop);
			rowstore_rowbuf_free(&rb);
		} else if (r.status == 404) {
			rc = table_exists(h, table, err);	/* a missing row is no error */
		} else {
			rc = status_fail("GET", url, &r, err);
		}
		http_response_free(&r);
	}
	free(url);
	rowstore_filter_free(&f);
	return rc;
}

static void filter_json(struct hbj_buf *fj, const struct rowstore_scan_opts *o, int first_key_only)
{
	/* PageFilter (last, so it counts rows the others let through) spares the
	 * server the rest of the range; HBase applies it per region, so the
	 * client still stops at the limit itself. */
	int page = o->limit > 0;
	int n = (o->row_regex && *o->row_regex) + (int)o->nwhere + first_key_only + page;
	if (n == 0)
		return;
	if (n > 1)
		hbj_buf_adds(fj, "{\"type\":\"FilterList\",\"op\":\"MUST_PASS_ALL\",\"filters\":[");
	int k = 0;
	if (o->row_regex && *o->row_regex) {
		hbj_buf_adds(fj, "{\"type\":\"RowFilter\",\"op\":\"EQUAL\",\"comparator\":"
				 "{\"type\":\"RegexStringComparator\",\"value\":");
		hbj_buf_str(fj, o->row_regex, strlen(o->row_regex));
		hbj_buf_adds(fj, "}}");
		k++;
	}
	for (size_t i = 0; i < o->nwhere; i++) {
		const struct rowstore_where *w = &o->where[i];
		const char *colon = strchr(w->column, ':');
		hbj_buf_adds(fj, k++ ? "," : "");
		hbj_buf_adds(fj, "{\"type\":\"SingleColumnValueFilter\",\"op\":\"EQUAL\",\"family\":");
		hbj_buf_b64(fj, w->column, (size_t)(colon - w->column));
		hbj_buf_adds(fj, ",\"qualifier\":");
		hbj_buf_b64(fj, colon + 1, strlen(colon + 1));
		hbj_buf_adds(fj, ",\"latestVersion\":true,\"ifMissing\":true,\"comparator\":");
		if (w->op == ROWSTORE_WHERE_REGEX) {
			hbj_buf_adds(fj, "{\"type\":\"RegexStringComparator\",\"value\":");
			hbj_buf_str(fj, w->value, strlen(w->value));
		} else {
			hbj_buf_adds(fj, "{\"type\":\"BinaryComparator\",\"value\":");
			hbj_buf_b64(fj, w->value, strlen(w->value));
		}
		hbj_buf_adds(fj, "}}");
	}
	if (first_key_only)
		hbj_buf_adds(fj, k++ ? ",{\"type\":\"FirstKeyOnlyFilter\"}" : "{\"type\":\"FirstKeyOnlyFilter\"}");
	if (page)
		hbj_buf_printf(fj, "%s{\"type\":\"PageFilter\",\"value\":\"%ld\"}", k++ ? "," : "", o->limit);
	if (n > 1)
		hbj_buf_adds(fj, "]}");
}

static int run_scan(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *o,
		    int first_key_only, rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	/* Validate everything here (same messages as sqlite); the server gets the
	 * row regex and conditions, the client only projects columns. */
	struct rowstore_filter check;
	int rc = rowstore_filter_init(&check, o, err);
	if (rc)
		return rc;
	rowstore_filter_free(&check);
	struct rowstore_scan_opts proj = {.columns = o->columns, .ncolumns = o->ncolumns};
	struct rowstore_filter f;
	if ((rc = rowstore_filter_init(&f, &proj, err)))
		return rc;

	struct hbj_buf b = {0}, fj = {0};
	hbj_buf_printf(&b, "{\"batch\":%d", o->batch > 0 ? o->batch : 1000);
	if (o->start_row) {
		hbj_buf_adds(&b, ",\"startRow\":");
		hbj_buf_b64(&b, o->start_row, strlen(o->start_row));
	}
	if (o->stop_row) {
		hbj_buf_adds(&b, ",\"endRow\":");
		hbj_buf_b64(&b, o->stop_row, strlen(o->stop_row));
	}
	if (o->ncolumns) {
		/* the where columns too: a SingleColumnValueFilter sees only scanned columns */
		hbj_buf_adds(&b, ",\"column\":[");
		for (size_t i = 0; i < o->ncolumns; i++) {
			hbj_buf_adds(&b, i ? "," : "");
			hbj_buf_b64(&b, o->columns[i], strlen(o->columns[i]));
		}
		for (size_t i = 0; i < o->nwhere; i++) {
			hbj_buf_adds(&b, ",");
			hbj_buf_b64(&b, o->where[i].column, strlen(o->where[i].column));
		}
		hbj_buf_adds(&b, "]");
	}
	filter_json(&fj, o, first_key_only);
	if (fj.len) {
		hbj_buf_adds(&b, ",\"filter\":");
		hbj_buf_str(&b, fj.s, fj.len);
	}
	hbj_buf_adds(&b, "}");
	hbj_buf_free(&fj);

	char url[600];
	snprintf(url, sizeof url, "%s/%s/scanner", h->base, table);
	http_response r;
	rc = request(h, "POST", url, json_hdrs, b.s, b.len, &r, err);
	hbj_buf_free(&b);
	if (rc) {
		rowstore_filter_free(&f);
		return rc;
	}
	const char *loc = http_response_header(&r, "Location");
	if (r.status != 201 || !loc) {
		rc = r.status == 201 ? rowstore_fail(err, ROWSTORE_EIO, "hbase POST %s: 201 without a Location", url)
				     : status_fail("POST", url, &r, err);
		http_response_free(&r);
		rowstore_filter_free(&f);
		return rc;
	}
	char *scanner = strdup(loc);
	http_response_free(&r);

	struct rowstore_rowbuf rb = {0};
	long emitted = 0;
	int stop = 0;
	while (!rc && !stop) {
		rc = request(h, "GET", scanner, accept_hdrs, NULL, 0, &r, err);
		if (rc)
			break;
		if (r.status == 204) {
			http_response_free(&r);
			break;
		}
		if (r.status != 200)
			rc = status_fail("GET", scanner, &r, err);
		else
			rc = feed_cellset(scanner, &r, &rb, &f, o->limit, &emitted, fn, ctx, &stop, err);
		http_response_free(&r);
	}
	if (!rc && !stop)
		rowstore_rowbuf_emit(&rb, &f, fn, ctx, &stop);
	rowstore_rowbuf_free(&rb);
	rowstore_filter_free(&f);
	/* always free the server's scanner, also after 204 (it is not freed by it) */
	struct rowstore_err ignored;
	if (request(h, "DELETE", scanner, accept_hdrs, NULL, 0, &r, &ignored) == ROWSTORE_OK)
		http_response_free(&r);
	free(scanner);
	return rc;
}

static int hb_scan(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *o,
		   rowstore_row_fn fn, void *ctx, struct rowstore_err *err)
{
	return run_scan(rs, table, o, 0, fn, ctx, err);
}

struct counter {
	uint64_t n;
	long limit;
};
static int count_row(const struct rowstore_row *row, void *ctx)
{
	(void)row;
	struct counter *c = ctx;
	c->n++;
	return c->limit > 0 && c->n >= (uint64_t)c->limit;
}

static int hb_count(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *o,
		    uint64_t *count, struct rowstore_err *err)
{
	struct counter c = {0, o->limit};
	/* without conditions or columns only the first cell of each row is needed */
	struct rowstore_scan_opts big = *o;
	if (big.batch <= 0)
		big.batch = 10000;
	int rc = run_scan(rs, table, &big, !o->nwhere && !o->ncolumns, count_row, &c, err);
	*count = c.n;
	return rc;
}

static int hb_delete(struct rowstore *rs, const char *table, const char *row, const char *column,
		     struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	char *url = row_url(h, table, row, column);
	http_response r;
	int rc = request(h, "DELETE", url, accept_hdrs, NULL, 0, &r, err);
	if (!rc) {
		if (r.status == 404)
			rc = table_exists(h, table, err);	/* deleting what is not there is OK */
		else if (r.status != 200)
			rc = status_fail("DELETE", url, &r, err);
		http_response_free(&r);
	}
	free(url);
	return rc;
}

static const struct rowstore_ops hb_ops = {
	.name = "hbase",
	.close = hb_close,
	.create_table = hb_create,
	.put = hb_put,
	.get = hb_get,
	.scan = hb_scan,
	.count = hb_count,
	.delete_ = hb_delete,
};

int rowstore_hbase_open(struct rowstore *rs, const char *rest, struct rowstore_err *err)
{
	const char *slash = strchr(rest, '/');
	size_t hl = slash ? (size_t)(slash - rest) : strlen(rest);
	const char *colon = memchr(rest, ':', hl);
	char full[URI_REDACT_MAX], rb[URI_REDACT_MAX];
	snprintf(full, sizeof full, "hbase://%s", rest);
	uri_redact(full, rb, sizeof rb);
	if (memchr(rest, '@', hl))
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "bad row store URI '%s': a user or password in the URI is not accepted "
				     "(HBase REST takes none)", rb);
	if (hl == 0 || !colon || colon == rest || colon + 1 == rest + hl || hl > 250)
		return rowstore_fail(err, ROWSTORE_EUSAGE,
				     "bad row store URI '%s': expected hbase://HOST:PORT[/TABLE]", rb);
	for (const char *p = colon + 1; p < rest + hl; p++)
		if (*p < '0' || *p > '9')
			return rowstore_fail(err, ROWSTORE_EUSAGE,
					     "bad row store URI '%s': port is not a number", rb);
	if (slash && slash[1])
		rs->default_table = strdup(slash + 1);
	struct hb *h = calloc(1, sizeof *h);
	snprintf(h->base, sizeof h->base, "http://%.*s", (int)hl, rest);
	http_opts ho = {.timeout_ms = rs->opts.timeout_ms, .retries = rs->opts.retries,
			.backoff_ms = rs->opts.retry_ms, .backoff_max_ms = 2000};
	job_err je = {{0}};
	h->http = http_client_new(&ho, &je);
	if (!h->http) {
		free(h);
		return rowstore_fail(err, ROWSTORE_EIO, "%s: %s", rb, je.msg);
	}
	rs->impl = h;
	rs->ops = &hb_ops;
	return ROWSTORE_OK;
}
