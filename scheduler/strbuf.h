/* strbuf.h: a growable string, and JSON string escaping into it. Used to build
 * the small JSON documents the store keeps (task lists, run conf). */
#ifndef SCHED_STRBUF_H
#define SCHED_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

void sb_putc(struct strbuf *b, char c);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_json_str(struct strbuf *b, const char *s);	/* "..." with escapes */
const char *sb_str(struct strbuf *b);	/* never NULL */
void sb_free(struct strbuf *b);

#endif
