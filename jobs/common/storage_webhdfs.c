/* storage_webhdfs.c: the WebHDFS/HttpFS backend of storage.h, following
 * docs/protocols.md §1: CREATE and APPEND in two steps (the NameNode's 307, then
 * the data to the Location, never followed automatically), namespace ops on
 * the NameNode, OPEN read in pieces with the redirect followed. Errors carry
 * the RemoteException's class and message. Non-idempotent steps (APPEND
 * data, RENAME) are checked against the file system after a failure, so a
 * retry never applies twice. */
#include "jobs/common/storage_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/http.h"
#include "lib/path.h"
#include "lib/xalloc.h"

#include <jansson.h>

#define WEBHDFS_READ_PIECE (8u << 20)

struct webhdfs {
	http_client *http;
	char base[512];		/* http://host:port/webhdfs/v1 */
	char auth[320];		/* &user.name=U&doas=D */
	int retries;
};

int storage_webhdfs_init(storage *s, job_err *e)
{
	struct webhdfs *w = calloc(1, sizeof *w);
	if (!w) {
		job_err_set(e, "out of memory");
		return -1;
	}
	http_opts o = { .retries = s->uri.retries, .spnego = s->uri.kerberos, .insecure = s->uri.insecure,
			.stall_timeout_s = s->uri.timeout_s };
	const char *bo = getenv("WEBHDFS_BACKOFF_MS");	/* tests shorten the waits */
	if (bo)
		o.backoff_ms = atol(bo);
	w->http = http_client_new(&o, e);
	if (!w->http) {
		free(w);
		return -1;
	}
	w->retries = s->uri.retries < 0 ? 4 : s->uri.retries;
	snprintf(w->base, sizeof w->base, "%s://%s:%d/webhdfs/v1", s->uri.tls ? "https" : "http", s->uri.host,
		 s->uri.port);
	int n = 0;
	if (s->uri.user[0]) {
		char *u = http_escape(s->uri.user, 1);
		n = snprintf(w->auth, sizeof w->auth, "&user.name=%s", u ? u : "");
		free(u);
	}
	if (s->uri.doas[0]) {
		char *d = http_escape(s->uri.doas, 1);
		snprintf(w->auth + n, sizeof w->auth - (size_t)n, "&doas=%s", d ? d : "");
		free(d);
	}
	s->impl = w;
	return 0;
}

static void webhdfs_free(storage *s)
{
	struct webhdfs *w = s->impl;
	if (!w)
		return;
	http_client_free(w->http);
	free(w);
}

static char *op_url(storage *s, const char *path, const char *op, const char *extra)
{
	struct webhdfs *w = s->impl;
	char *p = http_escape(path, 0), *u = NULL;
	if (!p)
		return NULL;
	if (asprintf(&u, "%s%s%s?op=%s%s%s", w->base, path[0] == '/' ? "" : "/", p, op, w->auth, extra ? extra : "") < 0)
		u = NULL;
	free(p);
	return u;
}

/* ---- the JSON of WebHDFS answers, read with jansson ------------------- */

/* The answer's document, or NULL when the body is not JSON. */
static json_t *wh_load(const char *body, size_t len)
{
	return body ? json_loadb(body, len, 0, NULL) : NULL;
}

/* The first member named key, depth first, anywhere in v: WebHDFS wraps its
 * answers differently per operation ({"FileStatus": {...}}, {"RemoteException":
 * {...}}, {"boolean": ...}) and only the member names matter here. The
 * recursion is bounded by jansson's parser depth limit. */
static const json_t *wh_find(const json_t *v, const char *key)
{
	if (json_is_object(v)) {
		const json_t *m = json_object_get(v, key);
		if (m)
			return m;
		const char *k;
		json_t *sub;
		json_object_foreach((json_t *)v, k, sub) {
			const json_t *f = wh_find(sub, key);
			if (f)
				return f;
		}
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			const json_t *f = wh_find(json_array_get(v, i), key);
			if (f)
				return f;
		}
	}
	return NULL;
}

/* A string member cut to size; -1 when absent or not a string. */
static int wh_string(const json_t *doc, const char *key, char *out, size_t size)
{
	const json_t *v = wh_find(doc, key);
	if (!json_is_string(v))
		return -1;
	snprintf(out, size, "%s", json_string_value(v));
	return 0;
}

static int wh_number(const json_t *doc, const char *key, long long *out)
{
	const json_t *v = wh_find(doc, key);
	if (json_is_integer(v)) {
		*out = (long long)json_integer_value(v);
		return 0;
	}
	/* jansson reads an integer too large for json_int_t as a real: take one
	 * only when it fits (converting one that does not is undefined) */
	double d = json_real_value(v);
	if (!json_is_real(v) || !(d >= -9.2e18 && d <= 9.2e18))
		return -1;
	*out = (long long)d;
	return 0;
}

/* {"boolean": true|false} of MKDIRS, RENAME, DELETE. */
static int wh_bool(const char *body, size_t len, int *out)
{
	json_t *doc = wh_load(body, len);
	const json_t *v = wh_find(doc, "boolean");
	int rc = json_is_boolean(v) ? (*out = json_is_true(v), 0) : -1;
	json_decref(doc);
	return rc;
}

/* The exception class of an error body, or "" */
static void remote_class(const http_response *r, char *cls, size_t size)
{
	cls[0] = 0;
	json_t *doc = wh_load(r->body, r->body_len);
	wh_string(doc, "exception", cls, size);
	json_decref(doc);
}

static int http_error(job_err *e, const char *what, const char *path, const http_response *r)
{
	char cls[128] = "", msg[512] = "";
	json_t *doc = wh_load(r->body, r->body_len);
	wh_string(doc, "exception", cls, sizeof cls);
	wh_string(doc, "message", msg, sizeof msg);
	json_decref(doc);
	if (cls[0])
		job_err_set(e, "webhdfs %s %s: HTTP %ld %s: %s", what, path, r->status, cls, msg);
	else
		job_err_set(e, "webhdfs %s %s: HTTP %ld%s%.200s", what, path, r->status, r->body_len ? ": " : "",
			    r->body ? r->body : "");
	return -1;
}

static int simple(storage *s, const char *method, const char *path, const char *op, const char *extra,
		  int send_body, http_response *resp, job_err *e)
{
	struct webhdfs *w = s->impl;
	char *url = op_url(s, path, op, extra);
	if (!url) {
		job_err_set(e, "out of memory");
		return -1;
	}
	static const char *hdrs[] = { "X-XSRF-HEADER: true", NULL };
	http_request rq = { .method = method, .url = url, .send_body = send_body, .headers = hdrs };
	int rc = http_do(w->http, &rq, resp, e);
	free(url);
	return rc;
}

static int webhdfs_mkdirs(storage *s, const char *path, job_err *e)
{
	http_response r = { 0 };
	int rc = simple(s, "PUT", path, "MKDIRS", "&permission=755", 1, &r, e);
	int b = 0;
	if (rc == 0 && (r.status != 200 || wh_bool(r.body, r.body_len, &b) < 0 || !b))
		rc = r.status != 200 ? http_error(e, "MKDIRS", path, &r)
				     : (job_err_set(e, "webhdfs MKDIRS %s: server answered false", path), -1);
	http_response_free(&r);
	return rc;
}

static int webhdfs_stat(storage *s, const char *path, storage_stat *st, job_err *e)
{
	memset(st, 0, sizeof *st);
	http_response r = { 0 };
	int rc = simple(s, "GET", path, "GETFILESTATUS", NULL, 0, &r, e);
	if (rc == 0) {
		if (r.status == 404) {
			rc = 0;
		} else if (r.status != 200 || !r.body) {
			rc = http_error(e, "GETFILESTATUS", path, &r);
		} else {
			char type[32] = "";
			long long len = 0, mt = 0;
			json_t *doc = wh_load(r.body, r.body_len);
			wh_string(doc, "type", type, sizeof type);
			wh_number(doc, "length", &len);
			wh_number(doc, "modificationTime", &mt);
			json_decref(doc);
			st->exists = 1;
			st->is_dir = strcmp(type, "DIRECTORY") == 0;
			st->length = (uint64_t)len;
			st->mtime_ms = mt;
		}
	}
	http_response_free(&r);
	return rc;
}

/* The entries of a LISTSTATUS answer ({"FileStatuses": {"FileStatus": [...]}}):
 * appended to *out. A FileStatus without pathSuffix (LISTSTATUS on a file) is
 * skipped; a body that is not JSON, or without a FileStatus array, is an error. */
static int webhdfs_parse_list(const char *body, size_t body_len, storage_entry **out, size_t *n, job_err *e)
{
	json_error_t je;
	json_t *doc = json_loadb(body, body_len, 0, &je);
	if (!doc) {
		job_err_set(e, "webhdfs LISTSTATUS: bad JSON answer: at byte %d: %s", je.position, je.text);
		return -1;
	}
	const json_t *arr = wh_find(doc, "FileStatus");
	if (!json_is_array(arr)) {
		json_decref(doc);
		job_err_set(e, "webhdfs LISTSTATUS: answer without a FileStatus array");
		return -1;
	}
	size_t cap = *n;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *st = json_array_get(arr, i);
		const char *name = json_string_value(json_object_get(st, "pathSuffix"));
		const char *type = json_string_value(json_object_get(st, "type"));
		const json_t *len = json_object_get(st, "length");
		if (!name || !name[0])
			continue;
		if (path_name_problem(name)) {
			/* a listed name is joined under the directory listed: one
			 * path component, whatever the server says */
			job_err_set(e, "webhdfs LISTSTATUS: entry name '%.64s' %s", name, path_name_problem(name));
			json_decref(doc);
			return -1;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[*n].name = xstrdup(name);
		(*out)[*n].is_dir = type && strcmp(type, "DIRECTORY") == 0;
		(*out)[*n].length = json_is_integer(len) ? (uint64_t)json_integer_value(len) : 0;
		(*n)++;
	}
	json_decref(doc);
	return 0;
}

static int webhdfs_list(storage *s, const char *path, storage_entry **out, size_t *n, job_err *e)
{
	http_response r = { 0 };
	int rc = simple(s, "GET", path, "LISTSTATUS", NULL, 0, &r, e);
	if (rc == 0 && (r.status != 200 || !r.body))
		rc = http_error(e, "LISTSTATUS", path, &r);
	if (rc == 0)
		rc = webhdfs_parse_list(r.body, r.body_len, out, n, e);
	http_response_free(&r);
	return rc;
}

static int webhdfs_rename(storage *s, const char *src, const char *dst, job_err *e)
{
	char *d = http_escape(dst, 1), *extra = NULL;
	if (!d || asprintf(&extra, "&destination=%s", d) < 0) {
		free(d);
		job_err_set(e, "out of memory");
		return -1;
	}
	free(d);
	http_response r = { 0 };
	int rc = simple(s, "PUT", src, "RENAME", extra, 1, &r, e);
	free(extra);
	int b = 0;
	if (rc == 0 && r.status != 200) {
		rc = http_error(e, "RENAME", src, &r);
	} else if (rc == 0 && (wh_bool(r.body, r.body_len, &b) < 0 || !b)) {
		/* false: source missing, target exists or its parent missing. After a
		 * retry the first attempt may have done it: check. */
		storage_stat a, z;
		job_err e2;
		if (r.attempts > 1 && webhdfs_stat(s, src, &a, &e2) == 0 && !a.exists &&
		    webhdfs_stat(s, dst, &z, &e2) == 0 && z.exists) {
			rc = 0;
		} else {
			job_err_set(e, "webhdfs RENAME %s -> %s: refused (source missing, target exists, or target's "
				    "parent missing)", src, dst);
			rc = -1;
		}
	}
	http_response_free(&r);
	return rc;
}

static int webhdfs_delete(storage *s, const char *path, int recursive, job_err *e)
{
	http_response r = { 0 };
	int rc = simple(s, "DELETE", path, "DELETE", recursive ? "&recursive=true" : "&recursive=false", 0, &r, e);
	if (rc == 0 && r.status != 200)
		rc = http_error(e, "DELETE", path, &r);	/* false (missing) is fine */
	http_response_free(&r);
	return rc;
}

/* Two-step write: step 1 to the NameNode for the DataNode's Location, step 2
 * the data there. */
static int two_step(storage *s, const char *method, const char *path, const char *op, const char *extra,
		    const void *data, size_t len, int retry_data, http_response *out, job_err *e)
{
	struct webhdfs *w = s->impl;
	http_response r = { 0 };
	int rc = simple(s, method, path, op, extra, 1, &r, e);
	if (rc < 0)
		return -1;
	char *loc = NULL;
	if (r.status == 307 || r.status == 302 || r.status == 301) {
		loc = r.location ? strdup(r.location) : NULL;
	} else if (r.status == 200 && r.body) {
		json_t *doc = wh_load(r.body, r.body_len);
		const char *l = json_string_value(wh_find(doc, "Location"));
		loc = l ? xstrdup(l) : NULL;
		json_decref(doc);
	}
	if (!loc) {
		rc = r.status >= 300 || r.status < 200 ? http_error(e, op, path, &r)
						       : (job_err_set(e, "webhdfs %s %s: no redirect Location in the "
								      "answer (HTTP %ld)", op, path, r.status), -1);
		http_response_free(&r);
		return rc;
	}
	http_response_free(&r);
	static const char *hdrs[] = { "Content-Type: application/octet-stream", "X-XSRF-HEADER: true", NULL };
	http_request rq = { .method = method, .url = loc, .headers = hdrs, .body = data, .body_len = len,
			    .send_body = 1, .no_retry = !retry_data };
	rc = http_do(w->http, &rq, out, e);
	free(loc);
	return rc;
}

static int webhdfs_create_now(storage_writer *wr, const void *data, size_t len, job_err *e)
{
	http_response r = { 0 };
	int rc = two_step(wr->s, "PUT", wr->path, "CREATE",
			  wr->overwrite ? "&overwrite=true&permission=644" : "&overwrite=false&permission=644", data, len,
			  1, &r, e);
	if (rc == 0 && r.status != 201 && r.status != 200) {
		char cls[128];
		remote_class(&r, cls, sizeof cls);
		storage_stat st;
		job_err e2;
		/* a retried CREATE whose first attempt landed */
		if (r.attempts > 1 && strcmp(cls, "FileAlreadyExistsException") == 0 &&
		    webhdfs_stat(wr->s, wr->path, &st, &e2) == 0 && st.exists && st.length == len)
			rc = 0;
		else
			rc = http_error(e, "CREATE", wr->path, &r);
	}
	http_response_free(&r);
	if (rc == 0)
		wr->created = 1;
	return rc;
}

static int webhdfs_append(storage *s, const char *path, const void *data, size_t len, job_err *e)
{
	struct webhdfs *w = s->impl;
	storage_stat before;
	if (webhdfs_stat(s, path, &before, e) < 0)
		return -1;
	if (!before.exists) {
		job_err_set(e, "webhdfs APPEND %s: file does not exist", path);
		return -1;
	}
	long wait = 200;
	for (int attempt = 0;; attempt++) {
		http_response r = { 0 };
		int rc = two_step(s, "POST", path, "APPEND", NULL, data, len, 0, &r, e);
		long status = r.status;
		if (rc == 0 && status == 200) {
			http_response_free(&r);
			return 0;
		}
		if (rc == 0 && status < 500) {
			rc = http_error(e, "APPEND", path, &r);
			http_response_free(&r);
			return rc;	/* 403/404: not transient */
		}
		http_response_free(&r);
		/* unknown outcome: did the data land? */
		storage_stat now;
		job_err e2;
		if (webhdfs_stat(s, path, &now, &e2) == 0) {
			if (now.length == before.length + len)
				return 0;
			if (now.length != before.length) {
				job_err_set(e, "webhdfs APPEND %s: failed part way (length %llu, expected %llu or %llu)",
					    path, (unsigned long long)now.length, (unsigned long long)before.length,
					    (unsigned long long)(before.length + len));
				return -1;
			}
		}
		if (attempt >= w->retries || http_backoff_sleep(wait) < 0) {
			if (rc == 0)
				job_err_set(e, "webhdfs APPEND %s: HTTP %ld after %d attempts", path, status, attempt + 1);
			return -1;
		}
		wait = wait * 2 > 5000 ? 5000 : wait * 2;
	}
}

static int webhdfs_wcreate(storage_writer *w, job_err *e)
{
	(void)w;
	(void)e;
	return 0;	/* created with its first data, or empty at finish */
}

static int webhdfs_put(storage_writer *w, const void *data, size_t len, job_err *e)
{
	if (!w->created)
		return webhdfs_create_now(w, data, len, e);
	return webhdfs_append(w->s, w->path, data, len, e);
}

static int webhdfs_finish(storage_writer *w, job_err *e)
{
	if (!w->created)
		return webhdfs_create_now(w, "", 0, e);
	return 0;	/* the DataNode acknowledged every piece */
}

static void webhdfs_abort(storage_writer *w)
{
	job_err e;
	if (w->created)
		webhdfs_delete(w->s, w->path, 0, &e);
}

static int webhdfs_open_read(storage_reader *r, job_err *e)
{
	storage_stat st;
	if (webhdfs_stat(r->s, r->path, &st, e) < 0)
		return -1;
	if (!st.exists || st.is_dir) {
		job_err_set(e, "webhdfs OPEN %s: %s", r->path, st.exists ? "is a directory" : "file does not exist");
		return -1;
	}
	r->length = st.length;
	return 0;
}

struct piece {
	char *buf;
	size_t len, cap;
};

static size_t piece_sink(const void *d, size_t n, void *ud)
{
	struct piece *p = ud;
	if (p->len + n > p->cap)
		return 0;
	memcpy(p->buf + p->len, d, n);
	p->len += n;
	return n;
}

static long webhdfs_read(storage_reader *r, void *buf, size_t len, job_err *e)
{
	struct webhdfs *w = r->s->impl;
	if (r->bpos == r->blen) {
		if (r->offset >= r->length)
			return 0;
		if (!r->buf && !(r->buf = malloc(WEBHDFS_READ_PIECE))) {
			job_err_set(e, "out of memory");
			return -1;
		}
		uint64_t want = r->length - r->offset < WEBHDFS_READ_PIECE ? r->length - r->offset : WEBHDFS_READ_PIECE;
		char extra[96];
		snprintf(extra, sizeof extra, "&offset=%llu&length=%llu", (unsigned long long)r->offset,
			 (unsigned long long)want);
		char *url = op_url(r->s, r->path, "OPEN", extra);
		if (!url) {
			job_err_set(e, "out of memory");
			return -1;
		}
		struct piece pc = { r->buf, 0, WEBHDFS_READ_PIECE };
		http_request rq = { .method = "GET", .url = url, .follow_redirects = 1, .sink = piece_sink, .sink_ud = &pc };
		http_response resp = { 0 };
		int rc = http_do(w->http, &rq, &resp, e);
		free(url);
		if (rc == 0 && resp.status != 200)
			rc = http_error(e, "OPEN", r->path, &resp);
		http_response_free(&resp);
		if (rc < 0)
			return -1;
		if (pc.len == 0) {
			job_err_set(e, "webhdfs OPEN %s: no data at offset %llu of %llu", r->path,
				    (unsigned long long)r->offset, (unsigned long long)r->length);
			return -1;
		}
		r->blen = pc.len;
		r->bpos = 0;
		r->offset += pc.len;
	}
	size_t n = r->blen - r->bpos < len ? r->blen - r->bpos : len;
	memcpy(buf, r->buf + r->bpos, n);
	r->bpos += n;
	return (long)n;
}

static void webhdfs_close_read(storage_reader *r) { (void)r; }

const struct storage_ops storage_webhdfs_ops = {
	.mkdirs = webhdfs_mkdirs,
	.stat = webhdfs_stat,
	.list = webhdfs_list,
	.rename = webhdfs_rename,
	.del = webhdfs_delete,
	.create = webhdfs_wcreate,
	.put = webhdfs_put,
	.finish = webhdfs_finish,
	.abort = webhdfs_abort,
	.append = webhdfs_append,
	.open_read = webhdfs_open_read,
	.read = webhdfs_read,
	.close_read = webhdfs_close_read,
	.free = webhdfs_free,
};
