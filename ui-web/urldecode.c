/* urldecode.c: percent-decoding of URLs (server.h: web_decode). */
#include "ui-web/server.h"

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
			if (hi < 0 || lo < 0)
				return -1;
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
