/* hbase_json.h: the JSON and base64 of the HBase REST protocol (docs/protocols.md
 * §2), shared by the hbase:// row-store client and the HBase REST test server:
 * a small JSON reader (whole documents into a tree), a growing output buffer
 * with JSON string escaping, and base64 both ways. */
#ifndef JOBS_HBASE_JSON_H
#define JOBS_HBASE_JSON_H

#include <stddef.h>
#include <stdint.h>

enum hbj_type { HBJ_NULL, HBJ_BOOL, HBJ_NUM, HBJ_STR, HBJ_ARR, HBJ_OBJ };

struct hbj {
	enum hbj_type type;
	char *str;		/* HBJ_STR: decoded text; HBJ_NUM: the literal */
	size_t len;
	int boolean;
	struct hbj *items;	/* HBJ_ARR / HBJ_OBJ members */
	char **keys;		/* HBJ_OBJ member names */
	size_t n;
};

/* NULL on a syntax error, with "at byte N: what" in errbuf. */
struct hbj *hbj_parse(const char *text, size_t len, char *errbuf, size_t errlen);
/* Frees a whole document: only for what hbj_parse returned. */
void hbj_free(struct hbj *v);
/* Member of an object by name, or NULL (also when v is not an object). */
const struct hbj *hbj_get(const struct hbj *v, const char *key);
/* String member or NULL; number member as int64 (def when absent or not a number). */
const char *hbj_str(const struct hbj *v, const char *key);
int64_t hbj_int(const struct hbj *v, const char *key, int64_t def);

/* The value of one hex digit, -1 if c is not one. */
int hbj_hexval(char c);

struct hbj_buf {
	char *s;
	size_t len, cap;
	int oom;
};
void hbj_buf_add(struct hbj_buf *b, const void *data, size_t n);
void hbj_buf_adds(struct hbj_buf *b, const char *s);
void hbj_buf_printf(struct hbj_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A quoted, escaped JSON string. */
void hbj_buf_str(struct hbj_buf *b, const char *s, size_t n);
/* A quoted base64 JSON string of the bytes. */
void hbj_buf_b64(struct hbj_buf *b, const void *data, size_t n);
/* A decimal integer (no printf: it runs once per cell of a multi-row PUT). */
void hbj_buf_i64(struct hbj_buf *b, int64_t v);
/* Room for n more bytes, so a writer that knows its size grows the buffer once. */
void hbj_buf_reserve(struct hbj_buf *b, size_t n);
void hbj_buf_free(struct hbj_buf *b);

/* Base64 (standard alphabet, padded). Decoding returns a malloc'd buffer,
 * NUL-terminated, length in *outlen; NULL on bad input. */
size_t hbj_b64_encode(const void *data, size_t n, char *out);	/* out: 4*((n+2)/3)+1 bytes */
char *hbj_b64_decode(const char *s, size_t n, size_t *outlen);
/* The same into out (room for n/4*3+3 bytes); -1 on bad input. */
int hbj_b64_decode_to(const char *s, size_t n, char *out, size_t *outlen);

#endif
