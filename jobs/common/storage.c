/* storage.c: URI parsing and the backend-independent half of storage.h
 * (write buffering, whole-file helpers); the operations dispatch to
 * storage_local.c or storage_webhdfs.c. */
#include "jobs/common/storage_impl.h"
#include "lib/uri_redact.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_query(const char *q, storage_uri *u, job_err *e)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", q);
	char *save = NULL;
	for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		const char *v = eq ? eq + 1 : "";
		if (eq)
			*eq = 0;
		if (strcmp(kv, "user") == 0 || strcmp(kv, "user.name") == 0)
			snprintf(u->user, sizeof u->user, "%s", v);
		else if (strcmp(kv, "doas") == 0)
			snprintf(u->doas, sizeof u->doas, "%s", v);
		else if (strcmp(kv, "auth") == 0 && strcmp(v, "kerberos") == 0)
			u->kerberos = 1;
		else if (strcmp(kv, "insecure") == 0)
			u->insecure = strcmp(v, "0") != 0;
		else if (strcmp(kv, "retries") == 0 && isdigit((unsigned char)*v))
			u->retries = atoi(v);
		else if (strcmp(kv, "timeout") == 0 && isdigit((unsigned char)*v))
			u->timeout_s = atol(v);
		else {
			job_err_set(e, "unknown or bad URI parameter '%s%s%s' (known: user, doas, auth=kerberos, "
				    "retries, timeout, insecure)", kv, eq ? "=" : "",
				    eq && uri_secret_param(kv, strlen(kv)) ? "***" : v);
			return -1;
		}
	}
	return 0;
}

int storage_uri_parse(const char *uri, storage_uri *u, job_err *e)
{
	memset(u, 0, sizeof *u);
	u->retries = -1;
	if (!uri || !*uri) {
		job_err_set(e, "empty storage URI");
		return -1;
	}
	char rb[URI_REDACT_MAX];	/* uri as it may be logged */
	uri_redact(uri, rb, sizeof rb);
	const char *rest;
	if (uri_has_userinfo(uri)) {
		job_err_set(e, "'%s': a user or password in the URI is not accepted (WebHDFS takes "
			    "?user=NAME or ?auth=kerberos)", rb);
		return -1;
	}
	if (strncmp(uri, "webhdfs://", 10) == 0 || strncmp(uri, "swebhdfs://", 11) == 0) {
		u->kind = STORAGE_WEBHDFS;
		u->tls = uri[0] == 's';
		rest = uri + (u->tls ? 11 : 10);
		const char *slash = strchr(rest, '/'), *qm = strchr(rest, '?');
		const char *hend = slash ? slash : qm ? qm : rest + strlen(rest);
		if (qm && qm < hend)
			hend = qm;
		const char *colon = memchr(rest, ':', (size_t)(hend - rest));
		size_t hl = (size_t)((colon ? colon : hend) - rest);
		if (hl == 0 || hl >= sizeof u->host) {
			job_err_set(e, "'%s': missing host (webhdfs://HOST:PORT/path)", rb);
			return -1;
		}
		memcpy(u->host, rest, hl);
		u->host[hl] = 0;
		if (colon) {
			char *end;
			long p = strtol(colon + 1, &end, 10);
			if (end != hend || p <= 0 || p > 65535) {
				job_err_set(e, "'%s': bad port", rb);
				return -1;
			}
			u->port = (int)p;
		} else {
			u->port = u->tls ? 9871 : 9870;
		}
		const char *pstart = slash && (!qm || slash < qm) ? slash : NULL;
		size_t pl = pstart ? (size_t)((qm ? qm : pstart + strlen(pstart)) - pstart) : 0;
		if (pl >= sizeof u->path) {
			job_err_set(e, "'%s': path too long", rb);
			return -1;
		}
		if (pl) {
			memcpy(u->path, pstart, pl);
			u->path[pl] = 0;
		} else {
			strcpy(u->path, "/");
		}
		if (qm && parse_query(qm + 1, u, e) < 0) {
			job_err_prefix(e, "'%s'", rb);
			return -1;
		}
		if (!u->user[0] && !u->kerberos) {
			const char *env = getenv("USER");
			snprintf(u->user, sizeof u->user, "%s", env && *env ? env : "hdfs");
		}
	} else {
		u->kind = STORAGE_LOCAL;
		rest = uri;
		if (strncmp(uri, "file://", 7) == 0) {
			rest = uri + 7;
			if (rest[0] != '/') {
				job_err_set(e, "'%s': a file URI needs an absolute path (file:///dir)", rb);
				return -1;
			}
		} else if (strstr(uri, "://")) {
			job_err_set(e, "'%s': unknown scheme (use a path, file:///, webhdfs:// or swebhdfs://)", rb);
			return -1;
		}
		if (rest[0] == '/') {
			snprintf(u->path, sizeof u->path, "%s", rest);
		} else {
			char cwd[PATH_MAX];
			if (!getcwd(cwd, sizeof cwd)) {
				job_err_set(e, "cannot resolve relative path '%s'", rb);
				return -1;
			}
			if ((size_t)snprintf(u->path, sizeof u->path, "%s/%s", cwd, rest) >= sizeof u->path) {
				job_err_set(e, "'%s': path too long", rb);
				return -1;
			}
		}
	}
	/* no trailing slash (but keep "/") */
	size_t n = strlen(u->path);
	while (n > 1 && u->path[n - 1] == '/')
		u->path[--n] = 0;
	return 0;
}

storage *storage_open(const char *uri, job_err *e)
{
	storage *s = calloc(1, sizeof *s);
	if (!s) {
		job_err_set(e, "out of memory");
		return NULL;
	}
	if (storage_uri_parse(uri, &s->uri, e) < 0) {
		free(s);
		return NULL;
	}
	char rb[URI_REDACT_MAX];
	s->described = strdup(uri_redact(uri, rb, sizeof rb));
	if (s->uri.kind == STORAGE_LOCAL) {
		s->ops = &storage_local_ops;
	} else {
		s->ops = &storage_webhdfs_ops;
		if (storage_webhdfs_init(s, e) < 0) {
			free(s->described);
			free(s);
			return NULL;
		}
	}
	return s;
}

void storage_free(storage *s)
{
	if (!s)
		return;
	if (s->ops->free)
		s->ops->free(s);
	free(s->described);
	free(s);
}

const char *storage_root(const storage *s) { return s->uri.path; }
const char *storage_describe(const storage *s) { return s->described; }

char *storage_join(const char *a, const char *b)
{
	char *out = NULL;
	size_t al = strlen(a);
	int slash = al && a[al - 1] == '/';
	if (asprintf(&out, "%s%s%s", a, slash ? "" : "/", b[0] == '/' ? b + 1 : b) < 0)
		return NULL;
	return out;
}

int storage_mkdirs(storage *s, const char *path, job_err *e) { return s->ops->mkdirs(s, path, e); }
int storage_stat_path(storage *s, const char *path, storage_stat *st, job_err *e) { return s->ops->stat(s, path, st, e); }

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const storage_entry *)a)->name, ((const storage_entry *)b)->name);
}

int storage_list(storage *s, const char *path, storage_entry **out, size_t *n, job_err *e)
{
	*out = NULL;
	*n = 0;
	if (s->ops->list(s, path, out, n, e) < 0)
		return -1;
	if (*n)
		qsort(*out, *n, sizeof **out, entry_cmp);
	return 0;
}

void storage_list_free(storage_entry *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].name);
	free(l);
}

int storage_rename(storage *s, const char *src, const char *dst, job_err *e) { return s->ops->rename(s, src, dst, e); }
int storage_delete(storage *s, const char *path, int recursive, job_err *e) { return s->ops->del(s, path, recursive, e); }

storage_writer *storage_create(storage *s, const char *path, int overwrite, size_t buffer_size, job_err *e)
{
	return storage_create_flags(s, path, overwrite, buffer_size, 0, e);
}

storage_writer *storage_create_flags(storage *s, const char *path, int overwrite, size_t buffer_size, unsigned flags,
				     job_err *e)
{
	storage_writer *w = calloc(1, sizeof *w);
	if (!w) {
		job_err_set(e, "out of memory");
		return NULL;
	}
	w->s = s;
	w->fd = -1;
	w->overwrite = overwrite;
	w->flags = flags;
	w->cap = buffer_size ? buffer_size : (4u << 20);
	w->path = strdup(path);
	if (flags & STORAGE_DIRECT) {
		/* full buffers then stay eligible for direct writes */
		w->cap = storage_direct_round(w->cap);
		w->buf = aligned_alloc(STORAGE_DIRECT_ALIGN, w->cap);
	} else {
		w->buf = malloc(w->cap);
	}
	if (!w->path || !w->buf) {
		free(w->path);
		free(w->buf);
		free(w);
		job_err_set(e, "out of memory");
		return NULL;
	}
	if (s->ops->create(w, e) < 0) {
		free(w->path);
		free(w->buf);
		free(w);
		return NULL;
	}
	return w;
}

static int writer_flush(storage_writer *w, job_err *e)
{
	if (!w->len)
		return 0;
	if (w->s->ops->put(w, w->buf, w->len, e) < 0)
		return -1;
	w->written += w->len;
	w->len = 0;
	return 0;
}

int storage_write(storage_writer *w, const void *data, size_t len, job_err *e)
{
	const char *p = data;
	while (len) {
		if (w->len == 0 && len >= w->cap) {
			/* big piece: send directly */
			if (w->s->ops->put(w, p, len, e) < 0)
				return -1;
			w->written += len;
			return 0;
		}
		size_t n = w->cap - w->len < len ? w->cap - w->len : len;
		memcpy(w->buf + w->len, p, n);
		w->len += n;
		p += n;
		len -= n;
		if (w->len == w->cap && writer_flush(w, e) < 0)
			return -1;
	}
	return 0;
}

uint64_t storage_written(const storage_writer *w) { return w->written + w->len; }

static void writer_free(storage_writer *w)
{
	free(w->path);
	free(w->buf);
	free(w);
}

int storage_close(storage_writer *w, job_err *e)
{
	int rc = writer_flush(w, e);
	if (rc == 0)
		rc = w->s->ops->finish(w, e);
	else
		w->s->ops->abort(w);
	if (rc < 0)
		job_err_prefix(e, "%s", w->path);
	writer_free(w);
	return rc;
}

void storage_abort(storage_writer *w)
{
	if (!w)
		return;
	w->s->ops->abort(w);
	writer_free(w);
}

int storage_append(storage *s, const char *path, const void *data, size_t len, job_err *e)
{
	return s->ops->append(s, path, data, len, e);
}

storage_reader *storage_open_read(storage *s, const char *path, job_err *e)
{
	storage_reader *r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		free(r);
		job_err_set(e, "out of memory");
		return NULL;
	}
	r->s = s;
	r->fd = -1;
	if (s->ops->open_read(r, e) < 0) {
		free(r->path);
		free(r);
		return NULL;
	}
	return r;
}

long storage_read(storage_reader *r, void *buf, size_t len, job_err *e) { return r->s->ops->read(r, buf, len, e); }

void storage_close_read(storage_reader *r)
{
	if (!r)
		return;
	r->s->ops->close_read(r);
	free(r->path);
	free(r->buf);
	free(r);
}

int storage_read_all(storage *s, const char *path, char **data, size_t *len, job_err *e)
{
	storage_reader *r = storage_open_read(s, path, e);
	if (!r)
		return -1;
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (!b) {
			job_err_set(e, "out of memory");
			storage_close_read(r);
			return -1;
		}
		if (cap - n < 65536) {
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				continue;
			}
			b = nb;
			cap *= 2;
		}
		long got = storage_read(r, b + n, cap - n - 1, e);
		if (got < 0) {
			free(b);
			storage_close_read(r);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	storage_close_read(r);
	b[n] = 0;
	*data = b;
	*len = n;
	return 0;
}

int storage_write_file(storage *s, const char *path, const void *data, size_t len, int overwrite, job_err *e)
{
	storage_writer *w = storage_create(s, path, overwrite, len ? len : 1, e);
	if (!w)
		return -1;
	if (storage_write(w, data, len, e) < 0) {
		storage_abort(w);
		return -1;
	}
	return storage_close(w, e);
}
