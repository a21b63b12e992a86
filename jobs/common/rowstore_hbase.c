/* rowstore_hbase.c: the row-store backend over an HBase REST ("Stargate")
 * server, "hbase://HOST:PORT[/TABLE]", as docs/protocols.md §2 documents it:
 * JSON bodies with base64 row keys, columns and values; a batch is one
 * multi-row PUT to /TABLE/fakerow; scans go through a stateful scanner
 * (POST /TABLE/scanner, GET its Location until 204, DELETE it) with the row
 * regex and value conditions sent as filter JSON, so the server filters.
 * Connection errors and 5xx answers are retried by http.c with backoff; the
 * text/plain error bodies are cut to their first line for the message.
 *
 * JSON is read and written with jansson, except the multi-row PUT: it holds
 * only base64 strings and integers, which need no escaping, so it is written
 * straight into a reused buffer (a jansson tree per cell costs several times
 * the whole PUT; tests/bench/bench_kafka2hbase.sh). */
#include "jobs/common/rowstore_backend.h"
#include "jobs/common/base64.h"
#include "lib/uri_redact.h"
#include "jobs/common/http.h"
#include "lib/buf.h"
#include "lib/xalloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hb {
	http_client *http;
	char base[300];	/* http://HOST:PORT */
	struct buf put;	/* the JSON of the last multi-row PUT, reused */
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
	buf_free(&h->put);
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
	json_t *fams = json_array();
	for (size_t i = 0; i < nfamilies; i++)
		json_array_append_new(fams, json_pack("{s:s}", "name", families[i]));
	json_t *schema = json_pack("{s:s, s:o}", "name", table, "ColumnSchema", fams);
	char *body = schema ? json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(schema);
	if (!body)	/* json_pack refuses text that is not UTF-8 */
		return rowstore_fail(err, ROWSTORE_EUSAGE, "hbase: table '%s' or a family name is not UTF-8", table);
	rc = request(h, "PUT", url, json_hdrs, body, strlen(body), &r, err);
	free(body);
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

/* A decimal integer without printf: it runs once per cell of a multi-row PUT. */
static void put_i64(struct buf *b, int64_t v)
{
	char tmp[24];
	int k = sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--k] = '-';
	buf_add(b, tmp + k, sizeof tmp - (size_t)k);
}

static int hb_put(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		  struct rowstore_err *err)
{
	struct hb *h = rs->impl;
	struct buf *j = &h->put;
	buf_reset(j);
	/* the strings' bytes as base64 plus the JSON around each cell: one allocation */
	buf_reserve(j, b->len / 3 * 4 + b->n * 80 + 64);
	buf_puts(j, "{\"Row\":[");
	int64_t now = rowstore_now_ms();
	char colbuf[512];
	for (size_t i = 0; i < b->n; i++) {
		const struct rowstore_bcell *c = &b->cells[i];
		int new_row = i == 0 || (c->row != b->cells[i - 1].row &&
					 strcmp(rowstore_bstr(b, b->cells[i - 1].row), rowstore_bstr(b, c->row)));
		if (new_row) {
			buf_puts(j, i ? "]},{\"key\":" : "{\"key\":");
			const char *k = rowstore_bstr(b, c->row);
			b64_buf_quoted(j, k, strlen(k));
			buf_puts(j, ",\"Cell\":[{\"column\":");
		} else {
			buf_puts(j, ",{\"column\":");
		}
		const char *fam = rowstore_bstr(b, c->family), *qual = rowstore_bstr(b, c->qualifier);
		size_t fl = strlen(fam), ql = strlen(qual);
		char *col = fl + 1 + ql <= sizeof colbuf ? colbuf : xmalloc(fl + 1 + ql);
		memcpy(col, fam, fl);
		col[fl] = ':';
		memcpy(col + fl + 1, qual, ql);
		b64_buf_quoted(j, col, fl + 1 + ql);
		if (col != colbuf)
			free(col);
		buf_puts(j, ",\"timestamp\":");
		put_i64(j, c->ts < 0 ? now : c->ts);
		buf_puts(j, ",\"$\":");
		b64_buf_quoted(j, rowstore_bstr(b, c->value), c->value_len);
		buf_puts(j, "}");
	}
	buf_puts(j, "]}]}");
	char url[600];
	snprintf(url, sizeof url, "%s/%s/fakerow", h->base, table);
	http_response r;
	int rc = request(h, "PUT", url, put_hdrs, j->s, j->len, &r, err);
	if (j->cap > (64u << 20))	/* do not keep an unusually large one */
		buf_free(j);
	if (rc)
		return rc;
	if (r.status != 200)
		rc = status_fail("PUT", url, &r, err);
	http_response_free(&r);
	return rc;
}

/* The string member key of object o, or NULL (absent or not a string). */
static const char *member_str(const json_t *o, const char *key, size_t *len)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/* Feeds the rows of a CellSet body into rb, emitting finished rows through f.
 * A row split across two scanner batches continues in rb. */
static int feed_cellset(const char *what, const http_response *r, struct rowstore_rowbuf *rb,
			const struct rowstore_filter *f, long limit, long *emitted,
			rowstore_row_fn fn, void *ctx, int *stop, struct rowstore_err *err)
{
	json_error_t je;
	json_t *doc = json_loadb(r->body ? r->body : "", r->body_len, 0, &je);
	if (!doc)
		return rowstore_fail(err, ROWSTORE_EIO, "hbase %s: bad JSON answer: at byte %d: %s", what,
				     je.position, je.text);
	const json_t *rows = json_object_get(doc, "Row");
	int rc = ROWSTORE_OK;
	for (size_t i = 0; i < json_array_size(rows) && !*stop && !rc; i++) {
		const json_t *row = json_array_get(rows, i);
		size_t k64len = 0, klen;
		const char *k64 = member_str(row, "key", &k64len);
		char *key = k64 ? b64_decode(k64, k64len, &klen) : NULL;
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
		const json_t *cells = json_object_get(row, "Cell");
		for (size_t j = 0; !*stop && j < json_array_size(cells); j++) {
			const json_t *c = json_array_get(cells, j);
			size_t c64len = 0, v64len = 0, cl, vl;
			const char *c64 = member_str(c, "column", &c64len), *v64 = member_str(c, "$", &v64len);
			char *col = c64 ? b64_decode(c64, c64len, &cl) : NULL;
			char *val = b64_decode(v64 ? v64 : "", v64len, &vl);
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
			const json_t *ts = json_object_get(c, "timestamp");
			rowstore_rowbuf_add(rb, col, fl, q, ql, json_is_integer(ts) ? json_integer_value(ts) : 0,
					    val, vl);
			free(col);
			free(val);
		}
	}
	json_decref(doc);
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

/* A base64 JSON string of n bytes. */
static json_t *b64_json(const void *data, size_t n)
{
	char *enc = xmalloc(4 * ((n + 2) / 3) + 1);
	size_t len = b64_encode(data, n, enc);
	json_t *v = json_stringn(enc, len);
	free(enc);
	return v;
}

/* The scanner's filter, or NULL for none; the caller checked every string
 * is UTF-8 (json_string refuses the others). */
static json_t *filter_json(const struct rowstore_scan_opts *o, int first_key_only)
{
	/* PageFilter (last, so it counts rows the others let through) spares the
	 * server the rest of the range; HBase applies it per region, so the
	 * client still stops at the limit itself. */
	json_t *list = json_array();
	if (o->row_regex && *o->row_regex)
		json_array_append_new(list, json_pack("{s:s, s:s, s:{s:s, s:s}}", "type", "RowFilter",
						      "op", "EQUAL", "comparator", "type",
						      "RegexStringComparator", "value", o->row_regex));
	for (size_t i = 0; i < o->nwhere; i++) {
		const struct rowstore_where *w = &o->where[i];
		const char *colon = strchr(w->column, ':');
		json_t *cmp = w->op == ROWSTORE_WHERE_REGEX
			? json_pack("{s:s, s:s}", "type", "RegexStringComparator", "value", w->value)
			: json_pack("{s:s, s:o}", "type", "BinaryComparator", "value",
				    b64_json(w->value, strlen(w->value)));
		json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o, s:b, s:b, s:o}",
						      "type", "SingleColumnValueFilter", "op", "EQUAL",
						      "family", b64_json(w->column, (size_t)(colon - w->column)),
						      "qualifier", b64_json(colon + 1, strlen(colon + 1)),
						      "latestVersion", 1, "ifMissing", 1, "comparator", cmp));
	}
	if (first_key_only)
		json_array_append_new(list, json_pack("{s:s}", "type", "FirstKeyOnlyFilter"));
	if (o->limit > 0) {
		char lim[32];
		snprintf(lim, sizeof lim, "%ld", o->limit);
		json_array_append_new(list, json_pack("{s:s, s:s}", "type", "PageFilter", "value", lim));
	}
	size_t n = json_array_size(list);
	json_t *one = n == 1 ? json_incref(json_array_get(list, 0)) : NULL;
	if (n == 1 || n == 0) {
		json_decref(list);
		return one;
	}
	return json_pack("{s:s, s:s, s:o}", "type", "FilterList", "op", "MUST_PASS_ALL", "filters", list);
}

/* The scanner's JSON body, NULL when a string in it is not UTF-8. */
static char *scanner_json(const struct rowstore_scan_opts *o, int first_key_only)
{
	json_t *doc = json_pack("{s:i}", "batch", o->batch > 0 ? o->batch : 1000);
	if (o->start_row)
		json_object_set_new(doc, "startRow", b64_json(o->start_row, strlen(o->start_row)));
	if (o->stop_row)
		json_object_set_new(doc, "endRow", b64_json(o->stop_row, strlen(o->stop_row)));
	if (o->ncolumns) {
		/* the where columns too: a SingleColumnValueFilter sees only scanned columns */
		json_t *cols = json_array();
		for (size_t i = 0; i < o->ncolumns; i++)
			json_array_append_new(cols, b64_json(o->columns[i], strlen(o->columns[i])));
		for (size_t i = 0; i < o->nwhere; i++)
			json_array_append_new(cols, b64_json(o->where[i].column, strlen(o->where[i].column)));
		json_object_set_new(doc, "column", cols);
	}
	char *body = NULL;
	int ok = 1;
	int has_filter = (o->row_regex && *o->row_regex) || o->nwhere || first_key_only || o->limit > 0;
	if (has_filter) {
		/* HBase REST takes the filter as a string holding its JSON */
		json_t *fj = filter_json(o, first_key_only);
		char *ftext = fj ? json_dumps(fj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(fj);
		ok = ftext && json_object_set_new(doc, "filter", json_string(ftext)) == 0;
		free(ftext);
	}
	if (ok)
		body = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return body;
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

	char *body = scanner_json(o, first_key_only);
	if (!body) {
		rowstore_filter_free(&f);
		return rowstore_fail(err, ROWSTORE_EUSAGE, "hbase scan: a row, column, regex or value is not UTF-8");
	}

	char url[600];
	snprintf(url, sizeof url, "%s/%s/scanner", h->base, table);
	http_response r;
	rc = request(h, "POST", url, json_hdrs, body, strlen(body), &r, err);
	free(body);
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
