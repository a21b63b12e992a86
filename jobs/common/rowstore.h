/* rowstore.h: the row store client, one interface over two backends.
 *
 * The data model is HBase's: a table holds rows; a row key maps to cells named
 * family:qualifier, each cell carrying versions by timestamp (ms). Reads see the
 * newest version of each cell. Writing a cell again with the same timestamp
 * overwrites it, so a replayed record is idempotent.
 *
 * Backends, chosen by the URI given to rowstore_open():
 *   sqlite:PATH[?table=T]     embedded (default): one SQLite file, WAL mode, one
 *                             HBase-shaped SQL table per row-store table
 *   hbase://HOST:PORT[/T]     an HBase REST ("Stargate") server over libcurl
 * T is the default table, used when a call passes table == NULL.
 *
 * Errors are values: every call returns a ROWSTORE_* code and, when err is not
 * NULL, fills it with a message that names what failed. One handle is used by
 * one thread at a time. */
#ifndef JOBS_ROWSTORE_H
#define JOBS_ROWSTORE_H

#include <stddef.h>
#include <stdint.h>

enum rowstore_code {
	ROWSTORE_OK = 0,
	ROWSTORE_EUSAGE,	/* bad URI, table name, column, regex...: not worth a retry */
	ROWSTORE_ENOTFOUND,	/* no such table or column family */
	ROWSTORE_EEXISTS,	/* create of a table that exists */
	ROWSTORE_EIO,		/* storage or network failure, server busy: worth a retry */
};

struct rowstore_err {
	int code;		/* enum rowstore_code */
	char msg[512];
};

/* Timestamp meaning "the time of the write" (HBase: server time). */
#define ROWSTORE_TS_NOW ((int64_t)-1)

struct rowstore_opts {
	int retries;		/* hbase: extra tries on connect errors and 5xx; default 5 */
	long retry_ms;		/* first retry delay, doubled each time (max 2 s); default 100 */
	long timeout_ms;	/* hbase: per request; sqlite: busy_timeout; default 30000 */
	int readonly;		/* only reads: sqlite opens the file read-only and never
				 * creates, migrates or switches it to WAL (a reader must not
				 * change a file it was pointed at by mistake); hbase: none */
};

struct rowstore;

/* NULL on failure (err says why). opts may be NULL for the defaults. */
struct rowstore *rowstore_open(const char *uri, const struct rowstore_opts *opts,
			       struct rowstore_err *err);
void rowstore_close(struct rowstore *rs);
/* The default table named by the URI, or NULL. */
const char *rowstore_default_table(const struct rowstore *rs);
/* "sqlite" or "hbase". */
const char *rowstore_backend(const struct rowstore *rs);
/* True for codes worth retrying later (ROWSTORE_EIO). */
int rowstore_retryable(int code);

/* Creates TABLE with the column families given. When the table exists:
 * ROWSTORE_EEXISTS, unless if_missing, then ROWSTORE_OK (families unchanged). */
int rowstore_create_table(struct rowstore *rs, const char *table, const char *const *families,
			  size_t nfamilies, int if_missing, struct rowstore_err *err);

/* ---- writes: a batch of cells, written in one go ----
 * sqlite: one transaction. hbase: one multi-row PUT (cells grouped by row).
 * The batch copies every string it is given; reuse it with rowstore_batch_clear. */
struct rowstore_batch;
struct rowstore_batch *rowstore_batch_new(void);
void rowstore_batch_free(struct rowstore_batch *b);
void rowstore_batch_clear(struct rowstore_batch *b);
size_t rowstore_batch_cells(const struct rowstore_batch *b);
/* value is a C string. Returns ROWSTORE_OK, or ROWSTORE_EUSAGE for an empty
 * row key or family (message in err). */
int rowstore_batch_add(struct rowstore_batch *b, const char *row, const char *family,
		       const char *qualifier, int64_t ts_ms, const char *value,
		       struct rowstore_err *err);
int rowstore_batch_add_len(struct rowstore_batch *b, const char *row, const char *family,
			   const char *qualifier, int64_t ts_ms, const void *value,
			   size_t value_len, struct rowstore_err *err);
/* Durable (committed / acknowledged) when it returns ROWSTORE_OK. A put into an
 * unknown table or family fails with ROWSTORE_ENOTFOUND. */
int rowstore_put(struct rowstore *rs, const char *table, const struct rowstore_batch *b,
		 struct rowstore_err *err);

/* ---- reads ---- */
struct rowstore_cell {
	const char *family;
	const char *qualifier;
	int64_t ts;		/* ms */
	const char *value;	/* NUL-terminated as well */
	size_t value_len;
};
struct rowstore_row {
	const char *key;
	const struct rowstore_cell *cells;	/* sorted by family, then qualifier */
	size_t ncells;
};
/* Called once per row, in row-key order; the row is valid only during the call.
 * Return non-zero to stop the scan early (the call still returns ROWSTORE_OK). */
typedef int (*rowstore_row_fn)(const struct rowstore_row *row, void *ctx);

enum rowstore_where_op {
	ROWSTORE_WHERE_EQ,	/* the cell's newest value equals value */
	ROWSTORE_WHERE_REGEX,	/* value is an extended regex searched in the cell's value */
};
/* A value filter (HBase SingleColumnValueFilter, filterIfMissing): rows without
 * the column, or whose value does not match, are left out. */
struct rowstore_where {
	const char *column;	/* "family:qualifier" */
	enum rowstore_where_op op;
	const char *value;
};

struct rowstore_scan_opts {
	const char *start_row;		/* inclusive; NULL: from the first row */
	const char *stop_row;		/* exclusive; NULL: to the last row */
	long limit;			/* rows; 0: no limit */
	const char *const *columns;	/* "family" or "family:qualifier"; NULL: all */
	size_t ncolumns;
	const char *row_regex;		/* extended regex searched in the row key; NULL: all */
	const struct rowstore_where *where;	/* all must hold */
	size_t nwhere;
	int batch;			/* hbase: cells per scanner fetch; 0: 1000 */
};
/* Regexes are POSIX extended, searched anywhere in the subject like Java's
 * find() (anchor with ^ and $); \d \D \w \W \s \S are accepted as in Java. */

/* Calls fn zero or one time. columns as in rowstore_scan_opts (NULL: all). */
int rowstore_get(struct rowstore *rs, const char *table, const char *row,
		 const char *const *columns, size_t ncolumns, rowstore_row_fn fn, void *ctx,
		 struct rowstore_err *err);
/* opts may be NULL: the whole table. */
int rowstore_scan(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		  rowstore_row_fn fn, void *ctx, struct rowstore_err *err);
/* Rows the scan would return. */
int rowstore_count(struct rowstore *rs, const char *table, const struct rowstore_scan_opts *opts,
		   uint64_t *count, struct rowstore_err *err);

/* ---- deletes ----
 * column NULL: the whole row; "family": every cell of the family;
 * "family:qualifier": every version of that cell. Deleting what is not there is OK. */
int rowstore_delete(struct rowstore *rs, const char *table, const char *row, const char *column,
		    struct rowstore_err *err);

#endif
