/* json.c: see json.h for the invariants. */
#include "lib/json.h"
#include "lib/buf.h"
#include "lib/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 15 significant digits: a real read from "%.6g" or "%.3f" text prints back as
 * that text (17 would show the binary rounding: 0.45200000000000001). */
#define JX_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

static json_t *must(json_t *v)
{
	if (!v)
		xalloc_die(0);
	return v;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

/* The length of the valid UTF-8 prefix of s. */
static size_t utf8_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_len(p + i, n - i);
		if (!l)
			break;
		i += l;
	}
	return i;
}

json_t *jx_strn(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = utf8_prefix(s, n);
	if (i == n)	/* checked above as strictly as jansson would */
		return must(json_stringn_nocheck(s, n));
	struct buf b = BUF_INIT;	/* repair: each bad byte becomes U+FFFD */
	buf_add(&b, s, i);
	while (i < n) {
		size_t l = utf8_len(p + i, n - i);
		if (l) {
			buf_add(&b, s + i, l);
			i += l;
		} else {
			buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	json_t *v = must(json_stringn_nocheck(b.s, b.len));
	buf_free(&b);
	return v;
}

json_t *jx_str(const char *s)
{
	return jx_strn(s, strlen(s));
}

void jx_set(json_t *obj, const char *key, json_t *v)
{
	size_t n = strlen(key);
	/* json_object_set_new drops v when it refuses the key: repair it first */
	json_t *k = utf8_prefix(key, n) == n ? NULL : jx_strn(key, n);
	if (json_object_set_new(obj, k ? json_string_value(k) : key, v) != 0)
		xalloc_die(0);
	json_decref(k);
}

char *jx_dump(const json_t *v)
{
	char *s = json_dumps(v, JX_FLAGS);
	if (!s)
		xalloc_die(0);
	return s;
}

static int to_buf(const char *p, size_t n, void *data)
{
	buf_add(data, p, n);
	return 0;
}

void jx_buf(struct buf *b, const json_t *v)
{
	if (json_dump_callback(v, to_buf, b, JX_FLAGS) != 0)
		xalloc_die(0);
}

int jx_fwrite(const json_t *v, void *f)
{
	/* one fwrite: json_dumpf writes every token with its own fwrite call,
	 * which was most of rowctl scan --json's time */
	struct buf b = BUF_INIT;
	jx_buf(&b, v);
	size_t n = fwrite(b.s, 1, b.len, f);
	int rc = n == b.len ? 0 : -1;
	buf_free(&b);
	return rc;
}
