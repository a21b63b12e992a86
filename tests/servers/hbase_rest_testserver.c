/* hbase-rest-testserver: an HBase REST ("Stargate") server for tests, on
 * loopback, speaking the protocol as docs/protocols.md §2 documents it: JSON with
 * base64 keys, columns and values; schema GET/PUT/POST; multi-row PUT (and
 * the raw single-cell form); GET row; DELETE row/family/cell; stateful
 * scanners (POST -> 201 Location, GET batches of cells until 204, DELETE) with
 * filter JSON; text/plain error bodies "Not found" / "Bad request..." /
 * "Unavailable" followed by a Java-like exception line. Cells are kept in an
 * in-memory SQLite row store (our sqlite backend), which orders rows bytewise
 * and keeps versions like HBase. Faults: --fail-every N answers every Nth
 * request 503, --fail-first N the first N requests.
 *
 * JSON is read and written with jansson, except the multi-row PUT body, read
 * by tests/servers/cellset_reader.c (its header says why: the server is the
 * instrument of the HBase REST benchmarks).
 *
 * usage: hbase-rest-testserver [--port N] [--port-file F] [--fail-every N] [--fail-first N] */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/base64.h"
#include "tests/servers/cellset_reader.h"
#include "lib/buf.h"
#include "jobs/common/rowstore.h"
#include "tests/servers/hbase_filter.h"
#include "tests/servers/httpd.h"

struct table {
	char *name;
	char **families;
	size_t nfamilies;
};

struct scell {
	char *row, *column, *value;
	size_t vlen;
	long long ts;
};

struct scanner {
	char id[32];
	char *table;
	struct scell *cells;
	size_t n, cap, pos;
	long batch;
};

struct server {
	struct rowstore *rs;
	struct table *tables;
	size_t ntables;
	struct scanner **scanners;
	size_t nscanners;
	unsigned long long requests, next_scanner;
	long fail_every, fail_first;
	/* reused by every multi-row PUT */
	struct rowstore_batch *batch;
	char *kbuf, *cbuf, *vbuf;
	size_t kcap, ccap, vcap;
};

/* ---- errors as HBase REST sends them ---- */

static void err_body(httpd_resp *r, int status, const char *head, const char *exc, const char *msg)
{
	r->status = status;
	httpd_resp_printf(r, "text/plain", "%s\r\n%s: %s\r\n\tat org.apache.hadoop.hbase.rest (test server)\r\n",
			  head, exc, msg);
}
static void not_found(httpd_resp *r, const char *msg)
{
	err_body(r, 404, "Not found", "org.apache.hadoop.hbase.TableNotFoundException", msg);
}
static void bad_request(httpd_resp *r, const char *msg)
{
	char head[600];
	snprintf(head, sizeof head, "Bad request: %.500s", msg);
	err_body(r, 400, head, "java.lang.IllegalArgumentException", msg);
}
static void store_failed(httpd_resp *r, const struct rowstore_err *e)
{
	if (e->code == ROWSTORE_ENOTFOUND)
		err_body(r, 404, "Not found", "org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException", e->msg);
	else if (e->code == ROWSTORE_EUSAGE)
		bad_request(r, e->msg);
	else
		err_body(r, 503, "Unavailable", "java.io.IOException", e->msg);
}

static struct table *find_table(struct server *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].name, name) == 0)
			return &s->tables[i];
	return NULL;
}

static int wants_json(const httpd_req *q, httpd_resp *r)
{
	const char *a = httpd_header(q, "Accept");
	if (a && (strstr(a, "application/json") || strstr(a, "*/*")))
		return 1;
	r->status = 406;
	httpd_resp_printf(r, "text/plain", "Not Acceptable: this test server answers application/json only\r\n");
	return 0;
}

static int json_body(const httpd_req *q, httpd_resp *r)
{
	const char *ct = httpd_header(q, "Content-Type");
	if (ct && strncmp(ct, "application/json", 16) == 0)
		return 1;
	r->status = 415;
	httpd_resp_printf(r, "text/plain", "Unsupported Media Type: send Content-Type: application/json\r\n");
	return 0;
}

/* ---- schema ---- */

static void schema(struct server *s, const httpd_req *q, httpd_resp *r, const char *name)
{
	struct table *t = find_table(s, name);
	if (strcmp(q->method, "GET") == 0) {
		if (!wants_json(q, r))
			return;
		if (!t)
			return not_found(r, name);
		json_t *fams = json_array();
		for (size_t i = 0; i < t->nfamilies; i++)
			json_array_append_new(fams, json_pack("{s:s, s:s}", "name", t->families[i], "VERSIONS", "1"));
		json_t *doc = json_pack("{s:s, s:o, s:s}", "name", name, "ColumnSchema", fams, "IS_META", "false");
		char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(doc);
		httpd_resp_body_take(r, "application/json", text, strlen(text));
		return;
	}
	if (strcmp(q->method, "PUT") && strcmp(q->method, "POST")) {
		r->status = 405;
		httpd_resp_printf(r, "text/plain", "Method Not Allowed: this test server does not drop tables\r\n");
		return;
	}
	if (!json_body(q, r))
		return;
	json_error_t je;
	json_t *doc = json_loadb(q->body, q->body_len, 0, &je);
	const json_t *cs = json_object_get(doc, "ColumnSchema");
	size_t ncs = json_array_size(cs);
	if (!doc || ncs == 0) {
		json_decref(doc);
		return bad_request(r, doc ? "schema without ColumnSchema" : je.text);
	}
	if (t) {	/* HBase would alter the table; families here are fixed at create */
		json_decref(doc);
		r->status = 200;
		return;
	}
	const char **fams = calloc(ncs, sizeof *fams);
	for (size_t i = 0; i < ncs; i++)
		fams[i] = json_string_value(json_object_get(json_array_get(cs, i), "name"));
	struct rowstore_err e;
	int rc = ROWSTORE_EUSAGE;
	for (size_t i = 0; i < ncs; i++)
		if (!fams[i])
			goto out;
	rc = rowstore_create_table(s->rs, name, fams, ncs, 0, &e);
	if (rc == ROWSTORE_OK) {
		s->tables = realloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
		struct table *nt = &s->tables[s->ntables++];
		nt->name = strdup(name);
		nt->nfamilies = ncs;
		nt->families = calloc(ncs, sizeof *nt->families);
		for (size_t i = 0; i < ncs; i++)
			nt->families[i] = strdup(fams[i]);
		r->status = 201;
	}
out:
	if (rc == ROWSTORE_EUSAGE && fams && ncs && !fams[ncs - 1])
		bad_request(r, "column schema without a name");
	else if (rc)
		store_failed(r, &e);
	free(fams);
	json_decref(doc);
}

/* ---- rows ---- */

/* base64 text decoded into a scratch buffer that grows as needed; NULL when
 * absent or not base64. */
static char *b64_into(const char *s64, char **buf, size_t *cap, size_t *len)
{
	if (!s64)
		return NULL;
	size_t n = strlen(s64);
	if (n / 4 * 3 + 3 > *cap) {
		size_t c = n / 4 * 3 + 3 > 2 * *cap ? n / 4 * 3 + 3 : 2 * *cap;
		char *p = realloc(*buf, c);
		if (!p)
			return NULL;
		*buf = p;
		*cap = c;
	}
	return b64_decode_to(s64, n, *buf, len) == 0 ? *buf : NULL;
}

/* A multi-row PUT, read by the arena reader (cellset_reader.h says why). */
static void put_cellset(struct server *s, const httpd_req *q, httpd_resp *r, const char *table)
{
	if (!json_body(q, r))
		return;
	char msg[200];
	struct csr *doc = csr_parse(q->body, q->body_len, msg, sizeof msg);
	if (!doc)
		return bad_request(r, msg);
	const struct csr *rows = csr_get(doc, "Row");
	struct rowstore_batch *b = s->batch;
	struct rowstore_err e = {0};
	const char *bad = rows && rows->type == CSR_ARR ? NULL : "body without a Row array";
	rowstore_batch_clear(b);
	for (size_t i = 0; !bad && i < rows->n; i++) {
		size_t kl, cl, vl = 0;
		char *key = b64_into(csr_str(&rows->items[i], "key"), &s->kbuf, &s->kcap, &kl);
		const struct csr *cells = csr_get(&rows->items[i], "Cell");
		if (!key || !*key || !cells || cells->type != CSR_ARR) {
			bad = "row without a base64 key or Cell array";
			break;
		}
		for (size_t j = 0; !bad && j < cells->n; j++) {
			const struct csr *c = &cells->items[j];
			const char *v64 = csr_str(c, "$");
			char *col = b64_into(csr_str(c, "column"), &s->cbuf, &s->ccap, &cl);
			char *val = b64_into(v64 ? v64 : "", &s->vbuf, &s->vcap, &vl);
			char *colon = col ? strchr(col, ':') : NULL;
			if (!col || !colon || !val) {
				bad = "cell without a base64 family:qualifier column or value";
			} else {
				*colon = '\0';
				if (rowstore_batch_add_len(b, key, col, colon + 1, csr_int(c, "timestamp", -1),
							   val, vl, &e))
					bad = e.msg;
			}
		}
	}
	if (bad)
		bad_request(r, bad);
	else if (rowstore_put(s->rs, table, b, &e))
		store_failed(r, &e);
	else
		r->status = 200;
	rowstore_batch_clear(b);
	csr_free(doc);
}

/* PUT /table/row/fam:qual with a raw value (application/octet-stream). */
static void put_raw(struct server *s, const httpd_req *q, httpd_resp *r, const char *table,
		    const char *row, const char *column)
{
	const char *colon = strchr(column, ':');
	if (!colon)
		return bad_request(r, "raw put needs family:qualifier in the path");
	char *fam = strndup(column, (size_t)(colon - column));
	const char *ts = httpd_header(q, "X-Timestamp");
	struct rowstore_batch *b = rowstore_batch_new();
	struct rowstore_err e;
	if (rowstore_batch_add_len(b, row, fam, colon + 1, ts ? atoll(ts) : -1, q->body, q->body_len, &e) ||
	    rowstore_put(s->rs, table, b, &e))
		store_failed(r, &e);
	else
		r->status = 200;
	rowstore_batch_free(b);
	free(fam);
}

static void row_json(struct buf *b, const struct rowstore_row *row)
{
	buf_puts(b, "{\"key\":");
	b64_buf_quoted(b, row->key, strlen(row->key));
	buf_puts(b, ",\"Cell\":[");
	char col[600];
	for (size_t i = 0; i < row->ncells; i++) {
		const struct rowstore_cell *c = &row->cells[i];
		int n = snprintf(col, sizeof col, "%s:%s", c->family, c->qualifier);
		buf_puts(b, i ? ",{\"column\":" : "{\"column\":");
		b64_buf_quoted(b, col, (size_t)n < sizeof col ? (size_t)n : sizeof col - 1);
		buf_printf(b, ",\"timestamp\":%lld,\"$\":", (long long)c->ts);
		b64_buf_quoted(b, c->value, c->value_len);
		buf_puts(b, "}");
	}
	buf_puts(b, "]}");
}

static int get_one(const struct rowstore_row *row, void *ctx)
{
	struct buf *b = ctx;
	buf_puts(b, "{\"Row\":[");
	row_json(b, row);
	buf_puts(b, "]}");
	return 1;
}

/* The column part of a row spec: "fam:qual,fam2" -> list (in place). */
static size_t split_cols(char *spec, const char **cols, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(spec, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		cols[n++] = t;
	return n;
}

static void get_row(struct server *s, const httpd_req *q, httpd_resp *r, const char *table,
		    const char *row, char *colspec)
{
	if (!wants_json(q, r))
		return;
	const char *cols[64];
	size_t ncols = colspec ? split_cols(colspec, cols, 64) : 0;
	struct buf b = {0};
	struct rowstore_err e;
	if (rowstore_get(s->rs, table, row, cols, ncols, get_one, &b, &e)) {
		buf_free(&b);
		return store_failed(r, &e);
	}
	if (b.len == 0)
		return not_found(r, row);
	httpd_resp_body_take(r, "application/json", b.s, b.len);
}

static void delete_row(struct server *s, httpd_resp *r, const char *table, const char *row,
		       const char *column)
{
	struct rowstore_err e;
	if (rowstore_delete(s->rs, table, row, column, &e))
		return store_failed(r, &e);
	r->status = 200;
}

/* ---- scanners ---- */

struct scan_ctx {
	struct scanner *sc;
	const struct hfilter *f;
	long page, rows;
};

static int scan_row(const struct rowstore_row *row, void *ctx)
{
	struct scan_ctx *x = ctx;
	if (x->f && !hfilter_row(x->f, row))
		return 0;
	int first_only = x->f && hfilter_first_key_only(x->f);
	int key_only = x->f && hfilter_key_only(x->f);
	int any = 0;
	char col[600];
	for (size_t i = 0; i < row->ncells; i++) {
		if (x->f && !hfilter_cell(x->f, &row->cells[i]))
			continue;
		struct scanner *sc = x->sc;
		if (sc->n == sc->cap) {
			sc->cap = sc->cap ? sc->cap * 2 : 1024;
			sc->cells = realloc(sc->cells, sc->cap * sizeof *sc->cells);
		}
		snprintf(col, sizeof col, "%s:%s", row->cells[i].family, row->cells[i].qualifier);
		struct scell *c = &sc->cells[sc->n++];
		c->row = strdup(row->key);
		c->column = strdup(col);
		c->vlen = key_only ? 0 : row->cells[i].value_len;
		c->value = malloc(c->vlen + 1);
		memcpy(c->value, row->cells[i].value, c->vlen);
		c->ts = row->cells[i].ts;
		any = 1;
		if (first_only)
			break;
	}
	x->rows += any;
	return x->page && x->rows >= x->page;
}

static char *b64arg(const json_t *doc, const char *key)
{
	const json_t *v = json_object_get(doc, key);
	size_t n;
	return json_is_string(v) ? b64_decode(json_string_value(v), json_string_length(v), &n) : NULL;
}

static void scanner_free(struct scanner *sc)
{
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->cells[i].row);
		free(sc->cells[i].column);
		free(sc->cells[i].value);
	}
	free(sc->cells);
	free(sc->table);
	free(sc);
}

static void scanner_create(struct server *s, const httpd_req *q, httpd_resp *r, const char *table)
{
	if (!json_body(q, r))
		return;
	if (!find_table(s, table))
		return not_found(r, table);
	char msg[300];
	json_error_t je;
	json_t *doc = json_loadb(q->body, q->body_len, 0, &je);
	if (!doc)
		return bad_request(r, je.text);
	struct hfilter f;
	int has_filter = 0;
	const char *fj = json_string_value(json_object_get(doc, "filter"));
	if (fj && *fj) {
		if (hfilter_parse(fj, &f, msg, sizeof msg)) {
			json_decref(doc);
			return bad_request(r, msg);
		}
		has_filter = 1;
	}
	char *start = b64arg(doc, "startRow"), *end = b64arg(doc, "endRow");
	const json_t *colv = json_object_get(doc, "column");
	char *cols[64];
	size_t ncols = 0;
	for (size_t i = 0; i < json_array_size(colv) && ncols < 64; i++) {
		size_t l;
		const json_t *cv = json_array_get(colv, i);
		char *c = json_is_string(cv) ? b64_decode(json_string_value(cv), json_string_length(cv), &l) : NULL;
		if (c)
			cols[ncols++] = c;
	}
	struct scanner *sc = calloc(1, sizeof *sc);
	sc->table = strdup(table);
	const json_t *batch = json_object_get(doc, "batch");
	/* Integer.MAX_VALUE, as HBase, when absent */
	sc->batch = json_is_integer(batch) && json_integer_value(batch) < 0x7fffffff
		? (int)json_integer_value(batch) : 0x7fffffff;
	if (sc->batch <= 0)
		sc->batch = 0x7fffffff;
	struct rowstore_scan_opts o = {.start_row = start && *start ? start : NULL,
				       .stop_row = end && *end ? end : NULL,
				       .columns = (const char *const *)cols, .ncolumns = ncols};
	struct scan_ctx x = {sc, has_filter ? &f : NULL, has_filter ? hfilter_page(&f) : 0, 0};
	struct rowstore_err e;
	int rc = rowstore_scan(s->rs, table, &o, scan_row, &x, &e);
	if (rc) {
		store_failed(r, &e);
		scanner_free(sc);
	} else {
		snprintf(sc->id, sizeof sc->id, "%llu%08x", ++s->next_scanner, (unsigned)rand());
		s->scanners = realloc(s->scanners, (s->nscanners + 1) * sizeof *s->scanners);
		s->scanners[s->nscanners++] = sc;
		const char *host = httpd_header(q, "Host");
		char hbuf[64];
		if (!host) {
			snprintf(hbuf, sizeof hbuf, "127.0.0.1:%d", q->local_port);
			host = hbuf;
		}
		r->status = 201;
		httpd_resp_header(r, "Location", "http://%s/%s/scanner/%s", host, table, sc->id);
	}
	if (has_filter)
		hfilter_free(&f);
	for (size_t i = 0; i < ncols; i++)
		free(cols[i]);
	free(start);
	free(end);
	json_decref(doc);
}

static void scanner_op(struct server *s, const httpd_req *q, httpd_resp *r, const char *table,
		       const char *id)
{
	size_t i = 0;
	while (i < s->nscanners && !(strcmp(s->scanners[i]->id, id) == 0 &&
				     strcmp(s->scanners[i]->table, table) == 0))
		i++;
	if (strcmp(q->method, "DELETE") == 0) {
		if (i < s->nscanners) {
			scanner_free(s->scanners[i]);
			s->scanners[i] = s->scanners[--s->nscanners];
		}
		r->status = 200;
		return;
	}
	if (strcmp(q->method, "GET") != 0) {
		r->status = 405;
		return;
	}
	if (i == s->nscanners)
		return not_found(r, id);
	if (!wants_json(q, r))
		return;
	struct scanner *sc = s->scanners[i];
	if (sc->pos >= sc->n) {
		r->status = 204;	/* exhausted; the scanner stays until DELETE */
		return;
	}
	struct buf b = {0};
	buf_puts(&b, "{\"Row\":[");
	size_t end = sc->pos + (size_t)sc->batch < sc->n ? sc->pos + (size_t)sc->batch : sc->n;
	for (size_t k = sc->pos; k < end; k++) {
		const struct scell *c = &sc->cells[k];
		if (k == sc->pos || strcmp(c->row, sc->cells[k - 1].row) != 0) {
			buf_puts(&b, k == sc->pos ? "{\"key\":" : "]},{\"key\":");
			b64_buf_quoted(&b, c->row, strlen(c->row));
			buf_puts(&b, ",\"Cell\":[");
		} else {
			buf_puts(&b, ",");
		}
		buf_puts(&b, "{\"column\":");
		b64_buf_quoted(&b, c->column, strlen(c->column));
		buf_printf(&b, ",\"timestamp\":%lld,\"$\":", c->ts);
		b64_buf_quoted(&b, c->value, c->vlen);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}]}");
	sc->pos = end;
	httpd_resp_body_take(r, "application/json", b.s, b.len);
}

/* ---- routing ---- */

static void list_tables(struct server *s, const httpd_req *q, httpd_resp *r)
{
	if (!wants_json(q, r))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < s->ntables; i++)
		json_array_append_new(list, json_pack("{s:s}", "name", s->tables[i].name));
	json_t *doc = json_pack("{s:o}", "table", list);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	httpd_resp_body_take(r, "application/json", text, strlen(text));
}

static void handle(const httpd_req *q, httpd_resp *r, void *ud)
{
	struct server *s = ud;
	s->requests++;
	if ((s->fail_first && s->requests <= (unsigned long long)s->fail_first) ||
	    (s->fail_every && s->requests % (unsigned long long)s->fail_every == 0)) {
		err_body(r, 503, "Unavailable", "org.apache.hadoop.hbase.RegionTooBusyException",
			 "injected by --fail-every/--fail-first");
		return;
	}
	/* split the raw path into percent-decoded segments: keys may hold '/' */
	char *raw = strdup(q->target);
	char *qm = strchr(raw, '?');
	if (qm)
		*qm = '\0';
	char *seg[5] = {0};
	int n = 0;
	for (char *save = NULL, *t = strtok_r(raw, "/", &save); t && n < 5; t = strtok_r(NULL, "/", &save))
		seg[n++] = httpd_decode(t, 0);
	const char *m = q->method;
	if (n == 0)
		list_tables(s, q, r);
	else if (n == 2 && strcmp(seg[1], "schema") == 0)
		schema(s, q, r, seg[0]);
	else if (n == 2 && strcmp(seg[1], "scanner") == 0 && (!strcmp(m, "POST") || !strcmp(m, "PUT")))
		scanner_create(s, q, r, seg[0]);
	else if (n == 3 && strcmp(seg[1], "scanner") == 0)
		scanner_op(s, q, r, seg[0], seg[2]);
	else if (n >= 2 && !find_table(s, seg[0]))
		not_found(r, seg[0]);
	else if (n >= 2 && (!strcmp(m, "PUT") || !strcmp(m, "POST"))) {
		const char *ct = httpd_header(q, "Content-Type");
		if (n >= 3 && ct && strncmp(ct, "application/octet-stream", 24) == 0)
			put_raw(s, q, r, seg[0], seg[1], seg[2]);
		else
			put_cellset(s, q, r, seg[0]);
	} else if (n >= 2 && !strcmp(m, "GET"))
		get_row(s, q, r, seg[0], seg[1], n >= 3 ? seg[2] : NULL);
	else if (n >= 2 && !strcmp(m, "DELETE"))
		delete_row(s, r, seg[0], seg[1], n >= 3 ? seg[2] : NULL);
	else
		bad_request(r, "unsupported request");
	free(raw);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'}, {"port-file", required_argument, NULL, 'f'},
		{"fail-every", required_argument, NULL, 'e'}, {"fail-first", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	struct server s = {0};
	int port = 0, opt;
	const char *port_file = NULL;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'f': port_file = optarg; break;
		case 'e': s.fail_every = atol(optarg); break;
		case 'F': s.fail_first = atol(optarg); break;
		case 'h':
			puts("usage: hbase-rest-testserver [--port N] [--port-file F] [--fail-every N] [--fail-first N]");
			return 0;
		default:
			fprintf(stderr, "hbase-rest-testserver: bad option (see --help)\n");
			return 2;
		}
	}
	struct rowstore_err e;
	s.rs = rowstore_open("sqlite::memory:?sync=off", NULL, &e);
	if (!s.rs) {
		fprintf(stderr, "hbase-rest-testserver: %s\n", e.msg);
		return 1;
	}
	s.batch = rowstore_batch_new();
	httpd *h = httpd_new(handle, &s);
	if (httpd_listen(h, port, port_file) < 0)
		return 1;
	httpd_run(h);
	httpd_free(h);
	for (size_t i = 0; i < s.nscanners; i++)
		scanner_free(s.scanners[i]);
	free(s.scanners);
	for (size_t i = 0; i < s.ntables; i++) {
		for (size_t k = 0; k < s.tables[i].nfamilies; k++)
			free(s.tables[i].families[k]);
		free(s.tables[i].families);
		free(s.tables[i].name);
	}
	free(s.tables);
	rowstore_batch_free(s.batch);
	free(s.kbuf);
	free(s.cbuf);
	free(s.vbuf);
	rowstore_close(s.rs);
	fprintf(stderr, "hbase-rest-testserver: %llu requests\n", s.requests);
	return 0;
}
