/* json.h: the project's JSON writing helpers over jansson (the one JSON
 * library: every JSON text is read and written with it).
 *
 * Invariants: every function here returns a value (out of memory stops the
 * program, lib/xalloc.h); text that is not UTF-8 never makes a document
 * unwritable: each byte of an invalid sequence becomes U+FFFD, so a job name,
 * an id or a message from a file always reaches the output. Documents are
 * written compact (no blanks) with the keys in the order they were set, as
 * the outputs were before jansson (tests and users parse them). */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <jansson.h>
#include <stddef.h>

struct buf;

/* A JSON string of C text / of n bytes (NULs kept as \u0000). */
json_t *jx_str(const char *s);
json_t *jx_strn(const char *s, size_t n);
/* obj[key] = v, taking v's reference; a key that is not UTF-8 is repaired too. */
void jx_set(json_t *obj, const char *key, json_t *v);
/* The compact text of v, malloc'd, never NULL. */
char *jx_dump(const json_t *v);
/* Appends the compact text of v to b. */
void jx_buf(struct buf *b, const json_t *v);
/* Writes the compact text of v to f; -1 on a write error. */
int jx_fwrite(const json_t *v, void *f);

#endif
