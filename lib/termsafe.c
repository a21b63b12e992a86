/* termsafe.c: see termsafe.h for the invariant. */
#include "lib/termsafe.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Length of the valid, printable UTF-8 sequence at s (1 to 4), or 0 when
 * the byte at s must be escaped. */
static size_t printable_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;	/* C0, DEL, continuation bytes, overlong leads, beyond U+10FFFF */
	size_t n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	uint32_t cp = n == 2 ? (uint32_t)(c & 0x1f) : n == 3 ? (uint32_t)(c & 0x0f) : (uint32_t)(c & 0x07);
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (uint32_t)(s[i] & 0x3f);
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;	/* overlong */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;	/* surrogates are not UTF-8 */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;	/* C1 controls: CSI (U+009B) and friends */
	return n;
}

void termsafe_add(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = printable_len(p);
		if (n) {
			buf_add(b, p, n);
			p += n;
			continue;
		}
		char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
		buf_add(b, e, sizeof e);
		p++;
	}
}

size_t termsafe_copy(char *dst, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = printable_len(p);
		char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
		const void *from = n ? (const void *)p : (const void *)e;
		size_t w = n ? n : sizeof e;
		if (len + w >= cap)
			break;
		memcpy(dst + len, from, w);
		len += w;
		p += n ? n : 1;
	}
	dst[len] = '\0';
	return len;
}

char *termsafe_dup(const char *s)
{
	if (!s)
		return NULL;
	struct buf b = BUF_INIT;
	termsafe_add(&b, s);
	return buf_detach(&b);
}

int termsafe_is_clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p >= 0x20 && *p < 0x7f) {	/* printable ASCII: the usual byte, checked inline */
			p++;
			continue;
		}
		size_t n = printable_len(p);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}
