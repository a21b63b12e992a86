/* urldecode.c: percent-decoding of URLs (server.h: web_decode). */
#include "ui-web/server.h"

#include <string.h>

#include "lib/xalloc.h"

static int srv_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long web_decode(const char *src, size_t n, char *dst, bool plus_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (src[i] == '%') {
			int hi = i + 1 < n ? srv_hex(src[i + 1]) : -1;
			int lo = i + 2 < n ? srv_hex(src[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				dst[o] = '\0';	/* a string still: the log shows what came before */
				return -1;
			}
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus_space && src[i] == '+') {
			dst[o++] = ' ';
		} else {
			dst[o++] = src[i];
		}
	}
	dst[o] = '\0';
	return (long)o;
}

int web_parse_query(const char *q, struct web_query_pair **pairs, size_t *n)
{
	int rc = 0;
	const char *p = q;
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len) {
			const char *eq = memchr(p, '=', len);
			size_t klen = eq ? (size_t)(eq - p) : len;
			size_t vlen = eq ? len - klen - 1 : 0;
			struct web_query_pair pr;
			pr.name = xmalloc(klen + 1);
			pr.value = xmalloc(vlen + 1);
			long kn = web_decode(p, klen, pr.name, true);
			long vn = web_decode(eq ? eq + 1 : "", vlen, pr.value, true);
			*pairs = xrealloc(*pairs, (*n + 1) * sizeof **pairs);
			(*pairs)[(*n)++] = pr;
			if (kn < 0 || vn < 0 || (size_t)kn != strlen(pr.name) || (size_t)vn != strlen(pr.value))
				rc = -1;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return rc;
}
