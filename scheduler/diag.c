/* diag.c: the list of "file:line:column: message" diagnostics the DAG loader
 * fills, so one pass reports every problem of a file instead of the first. */
#include "scheduler/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *diag_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void diag_add(struct diag_list *l, const char *file, int line, int column, const char *fmt, ...)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct diag *items = realloc(l->items, cap * sizeof *items);
		if (!items)
			return;	/* out of memory: the diagnostic is lost, the list stays valid */
		l->items = items;
		l->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	char *f = diag_strdup(file ? file : "");
	if (!f) {
		free(msg);
		return;
	}
	struct diag *d = &l->items[l->n++];
	d->file = f;
	d->line = line;
	d->column = column;
	d->msg = msg;
}

char *diag_format(const struct diag *d)
{
	char *out = NULL;
	int r;
	if (d->line > 0 && d->column > 0)
		r = asprintf(&out, "%s:%d:%d: %s", d->file, d->line, d->column, d->msg);
	else if (d->line > 0)
		r = asprintf(&out, "%s:%d: %s", d->file, d->line, d->msg);
	else
		r = asprintf(&out, "%s: %s", d->file, d->msg);
	return r < 0 ? NULL : out;
}

void diag_list_clear(struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].file);
		free(l->items[i].msg);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
