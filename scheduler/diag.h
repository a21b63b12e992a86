/* diag.h: a list of diagnostics ("file:line:column: message") collected while
 * loading DAG files, so every problem of a file is reported, not just the first. */
#ifndef SCHED_DIAG_H
#define SCHED_DIAG_H

#include <stddef.h>

struct diag {
	char *file;
	int line, column;	/* 1-based; 0 when unknown */
	char *msg;
};

struct diag_list {
	struct diag *items;
	size_t n, cap;
};

void diag_add(struct diag_list *l, const char *file, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "file:line:column: msg" (or "file: msg" when line is 0), malloc'd. */
char *diag_format(const struct diag *d);
void diag_list_clear(struct diag_list *l);	/* frees the items, keeps the list usable */

#endif
