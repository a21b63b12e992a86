/* rowstore_cells.h: the packed cells of the sqlite: backend. The cells one put
 * writes into one (row, family, timestamp) are kept together in one SQL row as
 * a JSON object {"qualifier":"value",...}: one B-tree entry per record instead
 * of one per cell (eight for a driver record), which is what makes batch puts
 * fast, while the sqlite3 shell can still unpack it (json_each) for a view
 * with one SQL row per cell.
 *
 * Strings are JSON strings made of bytes: printable ASCII stays as it is ('"'
 * and '\' escaped), every other byte b is written \u00bb, so any byte string
 * (NUL and non-UTF-8 included) goes in and comes back unchanged; the shell
 * shows such bytes as Latin-1 characters. */
#ifndef JOBS_ROWSTORE_CELLS_H
#define JOBS_ROWSTORE_CELLS_H

#include <stddef.h>

#include "lib/buf.h"

/* Writing an object into b (lib/buf.h: out of memory stops the program):
 * open, then member() per cell, then close. */
void rs_cells_open(struct buf *b);
void rs_cells_member(struct buf *b, const char *qual, size_t qlen, const void *val, size_t vlen);
void rs_cells_close(struct buf *b);

/* Reading one: init over the text, then next() until it returns 0. Each member
 * is decoded into out (qualifier, NUL, value, NUL) at the offsets returned.
 * next() returns 1 for a member, 0 at the end, -1 for malformed text. */
struct rs_cells_it {
	const char *p, *end;
	int first;
};
int rs_cells_init(struct rs_cells_it *it, const char *text, size_t len);
int rs_cells_next(struct rs_cells_it *it, struct buf *out, size_t *qoff, size_t *qlen,
		  size_t *voff, size_t *vlen);

#endif
