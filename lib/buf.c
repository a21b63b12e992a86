/* buf.c: see buf.h for the invariants. */
#include "lib/buf.h"
#include "lib/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->s && b->cap - b->len >= extra)
		return;
	if (extra > SIZE_MAX / 2 - b->len)
		xalloc_die(SIZE_MAX);
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->len < extra)
		cap *= 2;
	b->s = xrealloc(b->s, cap + 1);
	b->cap = cap;
	b->s[b->len] = '\0';
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	buf_reserve(b, 0);
	int n = vsnprintf(b->s + b->len, b->cap - b->len + 1, fmt, ap);
	if (n < 0) {			/* an encoding error: nothing appended */
		va_end(again);
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n > b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

const char *buf_str(const struct buf *b)
{
	return b->s ? b->s : "";
}

char *buf_detach(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
