/* base64.h: base64 (RFC 4648, standard alphabet, padded), both ways, as the
 * HBase REST protocol carries row keys, columns and values (docs/protocols.md
 * would say more; the JSON around them is read and written with jansson).
 *
 * Decoding also accepts the URL-safe alphabet ('-' and '_') and missing
 * padding; anything else is bad input. */
#ifndef JOBS_BASE64_H
#define JOBS_BASE64_H

#include <stddef.h>

struct buf;

/* out: room for 4*((n+2)/3)+1 bytes; NUL-terminated; returns the length. */
size_t b64_encode(const void *data, size_t n, char *out);
/* A malloc'd buffer, NUL-terminated, its length in *outlen; NULL on bad input. */
char *b64_decode(const char *s, size_t n, size_t *outlen);
/* The same into out (room for n/4*3+3 bytes); -1 on bad input. */
int b64_decode_to(const char *s, size_t n, char *out, size_t *outlen);
/* Appends the bytes as a quoted base64 JSON string: the alphabet needs no
 * JSON escaping, so the hot multi-row PUT is written without a JSON tree. */
void b64_buf_quoted(struct buf *b, const void *data, size_t n);

#endif
