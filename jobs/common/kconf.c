/* kconf.c: librdkafka properties from a file and from -X (kconf.h). Values may
 * be secrets: no message built here holds one. */
#include "jobs/common/kconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/xalloc.h"

/* Secrets do not linger in freed memory. */
static void wipe_free(char *s, size_t len)
{
	if (s)
		explicit_bzero(s, len);
	free(s);
}

static void wipe_buf(struct buf *b)
{
	if (b->s)
		explicit_bzero(b->s, b->len);
	buf_free(b);
}

static void kconf_push(struct kconf *k, const char *key, size_t klen, const char *val, size_t vlen)
{
	/* A later value of a key replaces the earlier one in place: librdkafka
	 * would do the same, and the order of first appearance is kept. */
	for (size_t i = 0; i < k->n; i++)
		if (strlen(k->keys[i]) == klen && memcmp(k->keys[i], key, klen) == 0) {
			wipe_free(k->vals[i], strlen(k->vals[i]));
			k->vals[i] = xstrndup(val, vlen);
			return;
		}
	k->keys = xrealloc(k->keys, (k->n + 1) * sizeof *k->keys);
	k->vals = xrealloc(k->vals, (k->n + 1) * sizeof *k->vals);
	k->keys[k->n] = xstrndup(key, klen);
	k->vals[k->n] = xstrndup(val, vlen);
	k->n++;
}

static int valid_key(const char *key, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Reads a whole small file into b; -1 with e (no content in the message). */
static int read_small_file(const char *what, const char *path, struct buf *b, job_err *e)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		job_err_set(e, "%s: cannot open '%s': %s", what, path, strerror(errno));
		return -1;
	}
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > KCONF_MAX_VALUE * 4) {
			fclose(f);
			job_err_set(e, "%s: '%s' is larger than %d bytes", what, path, KCONF_MAX_VALUE * 4);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		job_err_set(e, "%s: cannot read '%s'", what, path);
		return -1;
	}
	return 0;
}

int kconf_load_file(struct kconf *k, const char *path, job_err *e)
{
	struct buf b = BUF_INIT;
	if (read_small_file("--kafka-config", path, &b, e) < 0) {
		wipe_buf(&b);
		return -1;
	}
	int rc = 0;
	size_t lineno = 0;
	for (size_t at = 0; at < b.len && rc == 0;) {
		const char *line = b.s + at;
		const char *nl = memchr(line, '\n', b.len - at);
		size_t len = nl ? (size_t)(nl - line) : b.len - at;
		at += len + 1;
		lineno++;
		while (len && is_space(line[len - 1]))
			len--;
		while (len && is_space(*line)) {
			line++;
			len--;
		}
		if (len == 0 || line[0] == '#')
			continue;
		const char *eq = memchr(line, '=', len);
		size_t klen = eq ? (size_t)(eq - line) : 0;
		while (klen && is_space(line[klen - 1]))
			klen--;
		if (!eq || !valid_key(line, klen)) {
			job_err_set(e, "--kafka-config %s:%zu: not a 'key=value' line (keys are letters, digits, '.', '_', '-')",
				    path, lineno);
			rc = -1;
			break;
		}
		if (memchr(line, '\0', len)) {
			job_err_set(e, "--kafka-config %s:%zu: a NUL byte in the line", path, lineno);
			rc = -1;
			break;
		}
		const char *v = eq + 1, *end = line + len;
		while (v < end && is_space(*v))
			v++;
		kconf_push(k, line, klen, v, (size_t)(end - v));
	}
	wipe_buf(&b);
	return rc;
}

int kconf_add_arg(struct kconf *k, const char *flag, const char *kv, job_err *e)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : 0;
	if (!eq) {
		/* Not shown: it may be a secret that lost its "key=". */
		job_err_set(e, "%s: expected KEY=VALUE or KEY=@FILE (the argument is not shown)", flag);
		return -1;
	}
	if (!valid_key(kv, klen)) {
		job_err_set(e, "%s: '%.*s' is not a property name (letters, digits, '.', '_', '-')", flag,
			    (int)(klen < 64 ? klen : 64), kv);
		return -1;
	}
	if (eq[1] != '@') {
		kconf_push(k, kv, klen, eq + 1, strlen(eq + 1));
		return 0;
	}
	struct buf b = BUF_INIT;
	char what[128];
	snprintf(what, sizeof what, "%s %.*s=@", flag, (int)(klen < 64 ? klen : 64), kv);
	if (read_small_file(what, eq + 2, &b, e) < 0) {
		wipe_buf(&b);
		return -1;
	}
	size_t len = b.len;
	if (len && b.s[len - 1] == '\n')
		len--;
	if (len && b.s[len - 1] == '\r')
		len--;
	if (len > KCONF_MAX_VALUE || (len && memchr(b.s, '\0', len))) {
		job_err_set(e, "%s: '%s' holds a NUL byte or more than %d bytes", what, eq + 2, KCONF_MAX_VALUE);
		wipe_buf(&b);
		return -1;
	}
	kconf_push(k, kv, klen, len ? b.s : "", len);
	wipe_buf(&b);
	return 0;
}

int kconf_apply(const struct kconf *k, rd_kafka_conf_t *conf, job_err *e)
{
	for (size_t i = 0; i < k->n; i++) {
		char err[512];
		if (rd_kafka_conf_set(conf, k->keys[i], k->vals[i], err, sizeof err) != RD_KAFKA_CONF_OK) {
			int quoted = k->vals[i][0] && strstr(err, k->vals[i]) != NULL;
			job_err_set(e, "kafka property %s: %s", k->keys[i],
				    quoted ? "invalid value (not shown)" : err);
			return -1;
		}
	}
	return 0;
}

void kconf_free(struct kconf *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->keys[i]);
		wipe_free(k->vals[i], strlen(k->vals[i]));
	}
	free(k->keys);
	free(k->vals);
	k->keys = k->vals = NULL;
	k->n = 0;
}
