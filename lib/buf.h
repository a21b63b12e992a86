/* buf.h: the project's one growable byte buffer.
 *
 * Invariants: len <= cap; when s is not NULL, s[len] == '\0' (so a buffer of
 * text is always a C string, and binary content may hold NULs before len);
 * a zeroed struct (BUF_INIT) is an empty buffer that owns nothing.
 * Growth doubles, so appending n bytes one at a time costs O(n).
 * Out of memory stops the program (lib/xalloc.h): no function here fails. */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len, cap;	/* cap counts the bytes usable before the NUL */
};

#define BUF_INIT { NULL, 0, 0 }

void buf_reserve(struct buf *b, size_t extra);	/* room for extra more bytes */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_putc(struct buf *b, char c);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_truncate(struct buf *b, size_t len);	/* len <= b->len */
void buf_reset(struct buf *b);			/* empty, memory kept */
const char *buf_str(const struct buf *b);	/* never NULL */
char *buf_detach(struct buf *b);		/* the caller's to free; never NULL; b is empty after */
void buf_free(struct buf *b);

#endif
