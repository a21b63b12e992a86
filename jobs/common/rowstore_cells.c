/* rowstore_cells.c: the JSON object of packed cells (see rowstore_cells.h).
 * Only what the writer here produces has to be read back, but the reader
 * takes any JSON string escape, so a text edited by hand still loads. */
#include "jobs/common/rowstore_cells.h"

#include "jobs/common/hbase_json.h"
#include "lib/buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static void put_str(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_reserve(b, n * 6 + 2);
	char *o = b->s + b->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*o++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	*o++ = '"';
	*o = '\0';	/* buf.h: s[len] is NUL */
	b->len = (size_t)(o - b->s);
}

void rs_cells_open(struct buf *b)
{
	buf_putc(b, '{');
}

void rs_cells_member(struct buf *b, const char *qual, size_t qlen, const void *val, size_t vlen)
{
	if (b->len && b->s[b->len - 1] != '{')
		buf_putc(b, ',');
	put_str(b, (const unsigned char *)qual, qlen);
	buf_putc(b, ':');
	put_str(b, val, vlen);
}

void rs_cells_close(struct buf *b)
{
	buf_putc(b, '}');
}

/* ---- reading ---- */

static void skip_ws(struct rs_cells_it *it)
{
	while (it->p < it->end && (*it->p == ' ' || *it->p == '\t' || *it->p == '\n' || *it->p == '\r'))
		it->p++;
}

/* Decodes the JSON string at it->p into out plus a NUL; *off and *len name it. */
static int get_str(struct rs_cells_it *it, struct buf *out, size_t *off, size_t *len)
{
	if (it->p >= it->end || *it->p != '"')
		return -1;
	const char *s = ++it->p;
	const char *q = s;
	while (q < it->end && *q != '"' && *q != '\\')
		q++;
	/* decoded length <= raw length: reserve once */
	const char *close = q;
	while (close < it->end && *close != '"')
		close += *close == '\\' ? 2 : 1;
	if (close >= it->end)
		return -1;
	buf_reserve(out, (size_t)(close - s) + 1);
	*off = out->len;
	char *o = out->s + out->len;
	memcpy(o, s, (size_t)(q - s));
	o += q - s;
	while (q < close) {
		if (*q != '\\') {
			*o++ = *q++;
			continue;
		}
		char e = q[1];
		q += 2;
		switch (e) {
		case '"': case '\\': case '/': *o++ = e; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp = 0;
			for (int k = 0; k < 4; k++) {
				int h = q < close ? hbj_hexval(*q++) : -1;
				if (h < 0)
					return -1;
				cp = cp * 16 + (unsigned)h;
			}
			if (cp <= 0xff) {	/* a byte, as the writer encodes them */
				*o++ = (char)cp;
			} else if (cp < 0x800) {	/* any other character: UTF-8 (fits: 6 raw bytes) */
				*o++ = (char)(0xC0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*o++ = (char)(0xE0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			return -1;
		}
	}
	*len = (size_t)(o - (out->s + out->len));
	*o = '\0';
	out->len += *len + 1;
	out->s[out->len] = '\0';	/* reserved above: decoded + NUL <= raw + 1 */
	it->p = close + 1;
	return 0;
}

int rs_cells_init(struct rs_cells_it *it, const char *text, size_t len)
{
	it->p = text;
	it->end = text + len;
	it->first = 1;
	skip_ws(it);
	if (it->p >= it->end || *it->p != '{')
		return -1;
	it->p++;
	return 0;
}

int rs_cells_next(struct rs_cells_it *it, struct buf *out, size_t *qoff, size_t *qlen,
		  size_t *voff, size_t *vlen)
{
	skip_ws(it);
	if (it->p < it->end && *it->p == '}')
		return 0;
	if (!it->first) {
		if (it->p >= it->end || *it->p != ',')
			return -1;
		it->p++;
		skip_ws(it);
	}
	it->first = 0;
	if (get_str(it, out, qoff, qlen))
		return -1;
	skip_ws(it);
	if (it->p >= it->end || *it->p != ':')
		return -1;
	it->p++;
	skip_ws(it);
	if (get_str(it, out, voff, vlen))
		return -1;
	return 1;
}
