/* rowstore_backend.h: what rowstore.c shares with its backends (not for
 * users of the row store): the dispatch table, the handle, the batch layout,
 * error filling and the row-side filter helpers both backends apply.
 *
 * The arrows point one way: rowstore.c (the front) -> rowstore_sqlite.c,
 * rowstore_hbase.c (the backends) -> rowstore_shared.c (errors, clock, names),
 * rowstore_filter.c, rowstore_rowbuf.c, rowstore_cells.c. No backend calls a
 * function of rowstore.c, and the shared files call neither side. */
#ifndef JOBS_ROWSTORE_BACKEND_H
#define JOBS_ROWSTORE_BACKEND_H

#include <regex.h>
#include <stdarg.h>

#include "jobs/common/rowstore.h"

struct rowstore_ops {
	const char *name;
	void (*close)(struct rowstore *rs);
	int (*create_table)(struct rowstore *rs, const char *table, const char *const *families,
			    size_t nfamilies, int if_missing, struct rowstore_err *err);
	int (*put)(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		   struct rowstore_err *err);
	int (*get)(struct rowstore *rs, const char *table, const char *row,
		   const char *const *columns, size_t ncolumns, rowstore_row_fn fn, void *ctx,
		   struct rowstore_err *err);
	int (*scan)(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		    rowstore_row_fn fn, void *ctx, struct rowstore_err *err);
	/* may be NULL: counted through scan */
	int (*count)(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		     uint64_t *count, struct rowstore_err *err);
	int (*delete_)(struct rowstore *rs, const char *table, const char *row, const char *column,
		       struct rowstore_err *err);
};

struct rowstore {
	const struct rowstore_ops *ops;
	char *default_table;
	struct rowstore_opts opts;
	void *impl;
};

/* Backends' constructors: rest is the URI after "sqlite:" or "hbase://". */
int rowstore_sqlite_open(struct rowstore *rs, const char *rest, struct rowstore_err *err);
int rowstore_hbase_open(struct rowstore *rs, const char *rest, struct rowstore_err *err);

/* One batched cell: offsets into the batch's string buffer (stable across growth). */
struct rowstore_bcell {
	size_t row, family, qualifier, value;	/* offsets of NUL-terminated strings */
	size_t value_len;
	int64_t ts;
};
struct rowstore_batch {
	struct rowstore_bcell *cells;
	size_t n, cap;
	char *buf;
	size_t len, bufcap;
};
static inline const char *rowstore_bstr(const struct rowstore_batch *b, size_t off)
{
	return b->buf + off;
}

/* Fills err (when not NULL) and returns code. */
int rowstore_fail(struct rowstore_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int64_t rowstore_now_ms(void);
/* Table names: letters, digits, '_', '-', '.', 1-200 bytes. */
int rowstore_check_table(const char *table, struct rowstore_err *err);
/* Splits "fam[:qual]" into malloc'd parts (*qual NULL when no colon). */
int rowstore_split_column(const char *column, char **fam, char **qual, struct rowstore_err *err);

/* Compiled row-side filters of a scan, shared by the backends that filter
 * on the client side (sqlite) and the HBase REST test server's logic. */
struct rowstore_filter {
	int has_row_re;
	regex_t row_re;
	size_t nwhere;
	struct {
		char *family, *qualifier;
		int op;
		char *value;
		regex_t re;
	} *where;
	size_t ncols;
	struct {
		char *family, *qualifier;	/* qualifier NULL: whole family */
	} *cols;
};
int rowstore_filter_init(struct rowstore_filter *f, const struct rowstore_scan_opts *opts,
			 struct rowstore_err *err);
void rowstore_filter_free(struct rowstore_filter *f);
/* Row regex only (cheap, before reading the cells). */
int rowstore_filter_row_ok(const struct rowstore_filter *f, const char *key);
/* Where clauses against the full row (newest versions). */
int rowstore_filter_where_ok(const struct rowstore_filter *f, const struct rowstore_row *row);
/* Column projection of one cell. */
int rowstore_filter_col_ok(const struct rowstore_filter *f, const char *family, const char *qualifier);

/* A row being assembled from cells that arrive one by one (SQL rows, scanner
 * batches), then filtered and handed to the caller as a struct rowstore_row. */
struct rowstore_rowbuf {
	char *buf;
	size_t len, cap;
	struct rowstore_rbcell { size_t family, qualifier, value, value_len; int64_t ts; } *c;
	size_t n, ccap;
	struct rowstore_cell *view;
	size_t vcap;
	int open;
};
void rowstore_rowbuf_free(struct rowstore_rowbuf *rb);
/* Starts a new row (drops what was there). */
int rowstore_rowbuf_start(struct rowstore_rowbuf *rb, const char *key, size_t key_len);
const char *rowstore_rowbuf_key(const struct rowstore_rowbuf *rb);
/* Adds a cell; a cell with the family and qualifier of the previous one is an
 * older version and is skipped (cells arrive newest first). */
int rowstore_rowbuf_add(struct rowstore_rowbuf *rb, const char *family, size_t flen,
			const char *qualifier, size_t qlen, int64_t ts, const void *value,
			size_t vlen);
/* Applies the where clauses and the projection; when the row survives, calls
 * fn and returns 1 (*stop set from fn), else 0; -1 out of memory. Closes the row. */
int rowstore_rowbuf_emit(struct rowstore_rowbuf *rb, const struct rowstore_filter *f,
			 rowstore_row_fn fn, void *ctx, int *stop);

#endif
