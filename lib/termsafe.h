/* termsafe.h: text that came from a file, the state store or a command line,
 * made safe to print on a terminal.
 *
 * Invariant: the output of termsafe_add() holds no byte a terminal acts on:
 * no C0 control (below 0x20) and no DEL (0x7f), no C1 control (U+0080 to
 * U+009F, and the raw bytes 0x80-0x9f some terminals take as C1), and no
 * byte that is not part of valid UTF-8. Each such byte is written as \xNN
 * (lower-case hex), as the daemon's log writes it; a backslash stays a
 * backslash, so names without control bytes print unchanged. Valid UTF-8
 * outside the C1 range passes as it is. This is the one terminal escaping of
 * the project: the printing layer of every program calls it on every string
 * it did not write itself. */
#ifndef BASE_TERMSAFE_H
#define BASE_TERMSAFE_H

#include "lib/buf.h"

/* Appends s, escaped, to b. */
void termsafe_add(struct buf *b, const char *s);

/* s escaped, in new memory (the caller frees it); NULL gives NULL. */
char *termsafe_dup(const char *s);

/* Writes s, escaped, into dst (cap > 0 bytes), cut at a whole character or
 * escape when it does not fit; always NUL-terminated; returns its length.
 * Allocates nothing and calls nothing but memcpy: usable in a child between
 * fork and exec. */
size_t termsafe_copy(char *dst, size_t cap, const char *s);

/* 1 when s needs no escaping (termsafe_add would copy it unchanged). */
int termsafe_is_clean(const char *s);

#endif
