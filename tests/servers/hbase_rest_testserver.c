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
 * usage: hbase-rest-testserver [--port N] [--port-file F] [--fail-every N] [--fail-first N] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/hbase_json.h"
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
		struct hbj_buf b = {0};
		hbj_buf_adds(&b, "{\"name\":");
		hbj_buf_str(&b, name, strlen(name));
		hbj_buf_adds(&b, ",\"ColumnSchema\":[");
		for (size_t i = 0; i < t->nfamilies; i++) {
			hbj_buf_adds(&b, i ? ",{\"name\":" : "{\"name\":");
			hbj_buf_str(&b, t->families[i], strlen(t->families[i]));
			hbj_buf_adds(&b, ",\"VERSIONS\":\"1\"}");
		}
		hbj_buf_adds(&b, "],\"IS_META\":\"false\"}");
		httpd_resp_body_take(r, "application/json", b.s, b.len);
		return;
	}
	if (strcmp(q->method, "PUT") && strcmp(q->method, "POST")) {
		r->status = 405;
		httpd_resp_printf(r, "text/plain", "Method Not Allowed: this test server does not drop tables\r\n");
		return;
	}
	if (!json_body(q, r))
		return;
	char msg[200];
	struct hbj *doc = hbj_parse(q->body, q->body_len, msg, sizeof msg);
	const struct hbj *cs = hbj_get(doc, "ColumnSchema");
	if (!doc || !cs || cs->type != HBJ_ARR || cs->n == 0) {
		hbj_free(doc);
		return bad_request(r, doc ? "schema without ColumnSchema" : msg);
	}
	if (t) {	/* HBase would alter the table; families here are fixed at create */
		hbj_free(doc);
		r->status = 200;
		return;
	}
	const char **fams = calloc(cs->n, sizeof *fams);
	for (size_t i = 0; i < cs->n; i++)
		fams[i] = hbj_str(&cs->items[i], "name");
	struct rowstore_err e;
	int rc = ROWSTORE_EUSAGE;
	for (size_t i = 0; i < cs->n; i++)
		if (!fams[i])
			goto out;
	rc = rowstore_create_table(s->rs, name, fams, cs->n, 0, &e);
	if (rc == ROWSTORE_OK) {
		s->tables = realloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
		struct table *nt = &s->tables[s->ntables++];
		nt->name = strdup(name);
		nt->nfamilies = cs->n;
		nt->families = calloc(cs->n, sizeof *nt->families);
		for (size_t i = 0; i < cs->n; i++)
			nt->families[i] = strdup(fams[i]);
		r->status = 201;
	}
out:
	if (rc == ROWSTORE_EUSAGE && fams && cs->n && !fams[cs->n - 1])
		bad_request(r, "column schema without a name");
	else if (rc)
		store_failed(r, &e);
	free(fams);
	hbj_free(doc);
}

/* ---- rows ---- */

/* base64 of a JSON member decoded into a scratch buffer that grows as needed;
 * NULL when absent or not base64. */
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
	return hbj_b64_decode_to(s64, n, *buf, len) == 0 ? *buf : NULL;
}

static void put_cellset(struct server *s, const httpd_req *q, httpd_resp *r, const char *table)
{
	if (!json_body(q, r))
		return;
	char msg[200];
	struct hbj *doc = hbj_parse(q->body, q->body_len, msg, sizeof msg);
	if (!doc)
		return bad_request(r, msg);
	const struct hbj *rows = hbj_get(doc, "Row");
	struct rowstore_batch *b = s->batch;
	struct rowstore_err e = {0};
	const char *bad = rows && rows->type == HBJ_ARR ? NULL : "body without a Row array";
	rowstore_batch_clear(b);
	for (size_t i = 0; !bad && i < rows->n; i++) {
		size_t kl, cl, vl = 0;
		char *key = b64_into(hbj_str(&rows->items[i], "key"), &s->kbuf, &s->kcap, &kl);
		const struct hbj *cells = hbj_get(&rows->items[i], "Cell");
		if (!key || !*key || !cells || cells->type != HBJ_ARR) {
			bad = "row without a base64 key or Cell array";
			break;
		}
		for (size_t j = 0; !bad && j < cells->n; j++) {
			const struct hbj *c = &cells->items[j];
			const char *v64 = hbj_str(c, "$");
			char *col = b64_into(hbj_str(c, "column"), &s->cbuf, &s->ccap, &cl);
			char *val = b64_into(v64 ? v64 : "", &s->vbuf, &s->vcap, &vl);
			char *colon = col ? strchr(col, ':') : NULL;
			if (!col || !colon || !val) {
				bad = "cell without a base64 family:qualifier column or value";
			} else {
				*colon = '\0';
				if (rowstore_batch_add_len(b, key, col, colon + 1, hbj_int(c, "timestamp", -1),
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
	hbj_free(doc);
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

static void row_json(struct hbj_buf *b, const struct rowstore_row *row)
{
	hbj_buf_adds(b, "{\"key\":");
	hbj_buf_b64(b, row->key, strlen(row->key));
	hbj_buf_adds(b, ",\"Cell\":[");
	char col[600];
	for (size_t i = 0; i < row->ncells; i++) {
		const struct rowstore_cell *c = &row->cells[i];
		int n = snprintf(col, sizeof col, "%s:%s", c->family, c->qualifier);
		hbj_buf_adds(b, i ? ",{\"column\":" : "{\"column\":");
		hbj_buf_b64(b, col, (size_t)n < sizeof col ? (size_t)n : sizeof col - 1);
		hbj_buf_printf(b, ",\"timestamp\":%lld,\"$\":", (long long)c->ts);
		hbj_buf_b64(b, c->value, c->value_len);
		hbj_buf_adds(b, "}");
	}
	hbj_buf_adds(b, "]}");
}

static int get_one(const struct rowstore_row *row, void *ctx)
{
	struct hbj_buf *b = ctx;
	hbj_buf_adds(b, "{\"Row\":[");
	row_json(b, row);
	hbj_buf_adds(b, "]}");
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
	struct hbj_buf b = {0};
	struct rowstore_err e;
	if (rowstore_get(s->rs, table, row, cols, ncols, get_one, &b, &e)) {
		hbj_buf_free(&b);
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

static char *b64arg(const struct hbj *doc, const char *key)
{
	const char *s = hbj_str(doc, key);
	size_t n;
	return s ? hbj_b64_decode(s, strlen(s), &n) : NULL;
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
	struct hbj *doc = hbj_parse(q->body, q->body_len, msg, sizeof msg);
	if (!doc)
		return bad_request(r, msg);
	struct hfilter f;
	int has_filter = 0;
	const char *fj = hbj_str(doc, "filter");
	if (fj && *fj) {
		if (hfilter_parse(fj, &f, msg, sizeof msg)) {
			hbj_free(doc);
			return bad_request(r, msg);
		}
		has_filter = 1;
	}
	char *start = b64arg(doc, "startRow"), *end = b64arg(doc, "endRow");
	const struct hbj *colv = hbj_get(doc, "column");
	char *cols[64];
	size_t ncols = 0;
	for (size_t i = 0; colv && colv->type == HBJ_ARR && i < colv->n && ncols < 64; i++) {
		size_t l;
		const char *c64 = colv->items[i].type == HBJ_STR ? colv->items[i].str : "";
		char *c = hbj_b64_decode(c64, strlen(c64), &l);
		if (c)
			cols[ncols++] = c;
	}
	struct scanner *sc = calloc(1, sizeof *sc);
	sc->table = strdup(table);
	sc->batch = hbj_int(doc, "batch", 0x7fffffff);	/* Integer.MAX_VALUE, as HBase */
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
	hbj_free(doc);
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
	struct hbj_buf b = {0};
	hbj_buf_adds(&b, "{\"Row\":[");
	size_t end = sc->pos + (size_t)sc->batch < sc->n ? sc->pos + (size_t)sc->batch : sc->n;
	for (size_t k = sc->pos; k < end; k++) {
		const struct scell *c = &sc->cells[k];
		if (k == sc->pos || strcmp(c->row, sc->cells[k - 1].row) != 0) {
			hbj_buf_adds(&b, k == sc->pos ? "{\"key\":" : "]},{\"key\":");
			hbj_buf_b64(&b, c->row, strlen(c->row));
			hbj_buf_adds(&b, ",\"Cell\":[");
		} else {
			hbj_buf_adds(&b, ",");
		}
		hbj_buf_adds(&b, "{\"column\":");
		hbj_buf_b64(&b, c->column, strlen(c->column));
		hbj_buf_printf(&b, ",\"timestamp\":%lld,\"$\":", c->ts);
		hbj_buf_b64(&b, c->value, c->vlen);
		hbj_buf_adds(&b, "}");
	}
	hbj_buf_adds(&b, "]}]}");
	sc->pos = end;
	httpd_resp_body_take(r, "application/json", b.s, b.len);
}

/* ---- routing ---- */

static void list_tables(struct server *s, const httpd_req *q, httpd_resp *r)
{
	if (!wants_json(q, r))
		return;
	struct hbj_buf b = {0};
	hbj_buf_adds(&b, "{\"table\":[");
	for (size_t i = 0; i < s->ntables; i++) {
		hbj_buf_adds(&b, i ? ",{\"name\":" : "{\"name\":");
		hbj_buf_str(&b, s->tables[i].name, strlen(s->tables[i].name));
		hbj_buf_adds(&b, "}");
	}
	hbj_buf_adds(&b, "]}");
	httpd_resp_body_take(r, "application/json", b.s, b.len);
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
