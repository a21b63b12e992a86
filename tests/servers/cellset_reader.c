/* cellset_reader.c: see cellset_reader.h. */
#include "tests/servers/cellset_reader.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t used, cap;
	alignas(max_align_t) char data[];
};

/* What csr_parse returns points into one of these. */
struct root {
	struct chunk *chunks;
	struct csr v;
};

struct rd {
	const char *s;
	size_t n, i;
	char *err;
	size_t errlen;
	int depth;
	struct root *root;
	struct csr *stack;	/* members of the open containers */
	char **kstack;		/* and their names (objects) */
	size_t sn, scap, kn, kcap;
};

static void *arena_alloc(struct rd *r, size_t n)
{
	n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	struct chunk *c = r->root->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		if (c && c->cap * 2 > cap && c->cap < (16u << 20))	/* grow with the document */
			cap = c->cap * 2 > n ? c->cap * 2 : n;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = r->root->chunks;
		c->used = 0;
		c->cap = cap;
		r->root->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

static int fail(struct rd *r, const char *what)
{
	if (r->err && !r->err[0])
		snprintf(r->err, r->errlen, "at byte %zu: %s", r->i, what);
	return -1;
}

static void ws(struct rd *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
			       r->s[r->i] == '\r'))
		r->i++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int read_string(struct rd *r, char **out, size_t *outlen)
{
	r->i++;	/* opening quote */
	size_t start = r->i;
	while (r->i < r->n && r->s[r->i] != '"' && r->s[r->i] != '\\')
		r->i++;
	/* the decoded text is never longer than the raw one up to the closing quote */
	size_t end = r->i;
	while (end < r->n && r->s[end] != '"')
		end += r->s[end] == '\\' ? 2 : 1;
	char *o = arena_alloc(r, (end < r->n ? end : r->n) - start + 1);
	if (!o)
		return fail(r, "out of memory");
	size_t k = r->i - start;
	memcpy(o, r->s + start, k);
	while (r->i < r->n && r->s[r->i] != '"') {
		char c = r->s[r->i++];
		if ((unsigned char)c < 0x20)
			return fail(r, "control character in string");
		if (c != '\\') {
			o[k++] = c;
			continue;
		}
		if (r->i >= r->n)
			break;
		c = r->s[r->i++];
		switch (c) {
		case '"': case '\\': case '/': o[k++] = c; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'n': o[k++] = '\n'; break;
		case 'r': o[k++] = '\r'; break;
		case 't': o[k++] = '\t'; break;
		case 'u': {
			unsigned cp = 0;
			for (int j = 0; j < 4; j++) {
				int h = r->i < r->n ? hexval(r->s[r->i++]) : -1;
				if (h < 0)
					return fail(r, "bad \\u escape");
				cp = cp * 16 + (unsigned)h;
			}
			if (cp >= 0xD800 && cp < 0xDC00 && r->i + 6 <= r->n && r->s[r->i] == '\\' &&
			    r->s[r->i + 1] == 'u') {
				unsigned lo = 0;
				int okh = 1;
				for (int j = 0; j < 4; j++) {
					int h = hexval(r->s[r->i + 2 + j]);
					okh &= h >= 0;
					lo = lo * 16 + (unsigned)(h < 0 ? 0 : h);
				}
				if (okh && lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					r->i += 6;
				}
			}
			k += (size_t)utf8(o + k, cp);
			break;
		}
		default:
			return fail(r, "bad escape in string");
		}
	}
	if (r->i >= r->n)
		return fail(r, "unterminated string");
	r->i++;
	o[k] = '\0';
	*out = o;
	*outlen = k;
	return 0;
}

static int value(struct rd *r, struct csr *v);

static int push(struct rd *r, const struct csr *item, char *key, int is_obj)
{
	if (r->sn == r->scap) {
		size_t nc = r->scap ? r->scap * 2 : 64;
		struct csr *ns = realloc(r->stack, nc * sizeof *ns);
		if (!ns)
			return -1;
		r->stack = ns;
		r->scap = nc;
	}
	r->stack[r->sn++] = *item;
	if (is_obj) {
		if (r->kn == r->kcap) {
			size_t nc = r->kcap ? r->kcap * 2 : 64;
			char **nk = realloc(r->kstack, nc * sizeof *nk);
			if (!nk)
				return -1;
			r->kstack = nk;
			r->kcap = nc;
		}
		r->kstack[r->kn++] = key;
	}
	return 0;
}

/* Moves the members gathered since sbase/kbase into v, in the arena. */
static int close_container(struct rd *r, struct csr *v, size_t sbase, size_t kbase)
{
	v->n = r->sn - sbase;
	if (v->n) {
		v->items = arena_alloc(r, v->n * sizeof *v->items);
		if (!v->items)
			return fail(r, "out of memory");
		memcpy(v->items, r->stack + sbase, v->n * sizeof *v->items);
		if (v->type == CSR_OBJ) {
			v->keys = arena_alloc(r, v->n * sizeof *v->keys);
			if (!v->keys)
				return fail(r, "out of memory");
			memcpy(v->keys, r->kstack + kbase, v->n * sizeof *v->keys);
		}
	}
	r->sn = sbase;
	r->kn = kbase;
	r->depth--;
	return 0;
}

static int container(struct rd *r, struct csr *v, char close)
{
	size_t sbase = r->sn, kbase = r->kn;
	int obj = close == '}';
	r->i++;
	if (++r->depth > 64)
		return fail(r, "nested too deep");
	ws(r);
	if (r->i < r->n && r->s[r->i] == close) {
		r->i++;
		r->depth--;
		return 0;
	}
	for (;;) {
		ws(r);
		char *key = NULL;
		if (obj) {
			size_t kl;
			if (r->i >= r->n || r->s[r->i] != '"')
				return fail(r, "expected a member name");
			if (read_string(r, &key, &kl))
				return -1;
			ws(r);
			if (r->i >= r->n || r->s[r->i] != ':')
				return fail(r, "expected ':'");
			r->i++;
		}
		struct csr item;
		memset(&item, 0, sizeof item);
		if (value(r, &item))
			return -1;
		if (push(r, &item, key, obj))
			return fail(r, "out of memory");
		ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == close) {
			r->i++;
			return close_container(r, v, sbase, kbase);
		}
		return fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct rd *r, struct csr *v)
{
	ws(r);
	if (r->i >= r->n)
		return fail(r, "unexpected end");
	char c = r->s[r->i];
	if (c == '{') {
		v->type = CSR_OBJ;
		return container(r, v, '}');
	}
	if (c == '[') {
		v->type = CSR_ARR;
		return container(r, v, ']');
	}
	if (c == '"') {
		v->type = CSR_STR;
		return read_string(r, &v->str, &v->len);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t st = r->i;
		while (r->i < r->n && r->s[r->i] && strchr("+-0123456789.eE", r->s[r->i]))	/* not NUL: strchr finds the terminator */
			r->i++;
		v->type = CSR_NUM;
		v->len = r->i - st;
		v->str = arena_alloc(r, v->len + 1);
		if (!v->str)
			return fail(r, "out of memory");
		memcpy(v->str, r->s + st, v->len);
		v->str[v->len] = '\0';
		return 0;
	}
	static const struct { const char *w; enum csr_type t; int b; } lits[] = {
		{"true", CSR_BOOL, 1}, {"false", CSR_BOOL, 0}, {"null", CSR_NULL, 0}};
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(lits[k].w);
		if (r->n - r->i >= l && memcmp(r->s + r->i, lits[k].w, l) == 0) {
			v->type = lits[k].t;
			v->boolean = lits[k].b;
			r->i += l;
			return 0;
		}
	}
	return fail(r, "unexpected character");
}

void csr_free(struct csr *v)
{
	if (!v)
		return;
	struct root *root = (struct root *)((char *)v - offsetof(struct root, v));
	for (struct chunk *c = root->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(root);
}

struct csr *csr_parse(const char *text, size_t len, char *errbuf, size_t errlen)
{
	struct rd r = {.s = text, .n = len, .err = errbuf, .errlen = errlen};
	if (errbuf && errlen)
		errbuf[0] = '\0';
	r.root = calloc(1, sizeof *r.root);
	if (!r.root)
		return NULL;
	int ok = value(&r, &r.root->v) == 0;
	if (ok) {
		ws(&r);
		if (r.i != r.n) {
			fail(&r, "trailing characters");
			ok = 0;
		}
	}
	free(r.stack);
	free(r.kstack);
	if (ok)
		return &r.root->v;
	csr_free(&r.root->v);
	return NULL;
}

const struct csr *csr_get(const struct csr *v, const char *key)
{
	if (!v || v->type != CSR_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

const char *csr_str(const struct csr *v, const char *key)
{
	const struct csr *m = csr_get(v, key);
	return m && m->type == CSR_STR ? m->str : NULL;
}

int64_t csr_int(const struct csr *v, const char *key, int64_t def)
{
	const struct csr *m = csr_get(v, key);
	if (!m || (m->type != CSR_NUM && m->type != CSR_STR))
		return def;
	char *end;
	long long x = strtoll(m->str, &end, 10);
	return end == m->str ? def : (int64_t)x;
}
