/* base64.c: see base64.h. */
#include "jobs/common/base64.h"

#include "lib/buf.h"
#include "lib/xalloc.h"

#include <stdlib.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const void *data, size_t n, char *out)
{
	const unsigned char *p = data;
	char *o = out;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = b64[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return (size_t)(o - out);
}

static int b64v(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int b64_decode_to(const char *s, size_t n, char *out, size_t *outlen)
{
	while (n > 0 && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -1;
	size_t k = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64v(s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)((acc >> bits) & 0xFF);
		}
	}
	out[k] = '\0';
	*outlen = k;
	return 0;
}

char *b64_decode(const char *s, size_t n, size_t *outlen)
{
	char *out = xmalloc(n / 4 * 3 + 3);
	if (b64_decode_to(s, n, out, outlen) < 0) {
		free(out);
		return NULL;
	}
	return out;
}

void b64_buf_quoted(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, 4 * ((n + 2) / 3) + 3);
	b->s[b->len++] = '"';
	b->len += b64_encode(data, n, b->s + b->len);
	b->s[b->len++] = '"';
	b->s[b->len] = '\0';
}
