/* rowstore_rowbuf.c: assembles one row from cells arriving one at a time (SQL
 * result rows, REST scanner batches that may split a row), keeping only the
 * newest version of each cell, then filters it and hands it to the caller.
 * Strings live in one arena addressed by offsets so growth never dangles. */
#include "jobs/common/rowstore_backend.h"

#include <stdlib.h>
#include <string.h>

void rowstore_rowbuf_free(struct rowstore_rowbuf *rb)
{
	free(rb->buf);
	free(rb->c);
	free(rb->view);
	memset(rb, 0, sizeof *rb);
}

static int put_str(struct rowstore_rowbuf *rb, const void *s, size_t n, size_t *off)
{
	if (rb->len + n + 1 > rb->cap) {
		size_t cap = rb->cap ? rb->cap : 1024;
		while (cap < rb->len + n + 1)
			cap *= 2;
		char *nb = realloc(rb->buf, cap);
		if (!nb)
			return -1;
		rb->buf = nb;
		rb->cap = cap;
	}
	*off = rb->len;
	if (n)
		memcpy(rb->buf + rb->len, s, n);
	rb->buf[rb->len + n] = '\0';
	rb->len += n + 1;
	return 0;
}

int rowstore_rowbuf_start(struct rowstore_rowbuf *rb, const char *key, size_t key_len)
{
	size_t off;
	rb->len = 0;
	rb->n = 0;
	rb->open = 1;
	return put_str(rb, key, key_len, &off);	/* the key sits at offset 0 */
}

const char *rowstore_rowbuf_key(const struct rowstore_rowbuf *rb)
{
	return rb->open ? rb->buf : NULL;
}

int rowstore_rowbuf_add(struct rowstore_rowbuf *rb, const char *family, size_t flen,
			const char *qualifier, size_t qlen, int64_t ts, const void *value,
			size_t vlen)
{
	if (rb->n > 0) {
		const struct rowstore_rbcell *p = &rb->c[rb->n - 1];
		const char *pf = rb->buf + p->family, *pq = rb->buf + p->qualifier;
		if (strlen(pf) == flen && memcmp(pf, family, flen) == 0 && strlen(pq) == qlen &&
		    memcmp(pq, qualifier, qlen) == 0)
			return 0;
	}
	if (rb->n == rb->ccap) {
		size_t cap = rb->ccap ? rb->ccap * 2 : 16;
		struct rowstore_rbcell *nc = realloc(rb->c, cap * sizeof *nc);
		if (!nc)
			return -1;
		rb->c = nc;
		rb->ccap = cap;
	}
	struct rowstore_rbcell *c = &rb->c[rb->n];
	if (put_str(rb, family, flen, &c->family) || put_str(rb, qualifier, qlen, &c->qualifier) ||
	    put_str(rb, value, vlen, &c->value))
		return -1;
	c->value_len = vlen;
	c->ts = ts;
	rb->n++;
	return 0;
}

int rowstore_rowbuf_emit(struct rowstore_rowbuf *rb, const struct rowstore_filter *f,
			 rowstore_row_fn fn, void *ctx, int *stop)
{
	*stop = 0;
	if (!rb->open)
		return 0;
	rb->open = 0;
	if (rb->n == 0)
		return 0;
	if (rb->n > rb->vcap) {
		struct rowstore_cell *nv = realloc(rb->view, rb->n * sizeof *nv);
		if (!nv)
			return -1;
		rb->view = nv;
		rb->vcap = rb->n;
	}
	for (size_t i = 0; i < rb->n; i++) {
		rb->view[i].family = rb->buf + rb->c[i].family;
		rb->view[i].qualifier = rb->buf + rb->c[i].qualifier;
		rb->view[i].value = rb->buf + rb->c[i].value;
		rb->view[i].value_len = rb->c[i].value_len;
		rb->view[i].ts = rb->c[i].ts;
	}
	struct rowstore_row row = {.key = rb->buf, .cells = rb->view, .ncells = rb->n};
	if (f) {
		if (!rowstore_filter_where_ok(f, &row))
			return 0;
		size_t k = 0;
		for (size_t i = 0; i < rb->n; i++)
			if (rowstore_filter_col_ok(f, rb->view[i].family, rb->view[i].qualifier))
				rb->view[k++] = rb->view[i];
		row.ncells = k;
		if (k == 0)
			return 0;
	}
	*stop = fn ? fn(&row, ctx) != 0 : 0;
	return 1;
}
