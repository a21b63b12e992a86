/* storage.h: files named by URI, one small interface over the backends the
 * jobs write to and read from (docs/jobs-common.md "Storage URIs"):
 *   /abs/path, rel/path, file:///abs/path     local files (the default)
 *   webhdfs://HOST:PORT/path?user=NAME         WebHDFS or HttpFS (docs/protocols.md §1)
 *   swebhdfs://HOST:PORT/path?user=NAME        the same over TLS
 * Extra query keys: doas=USER, auth=kerberos (SPNEGO), retries=N,
 * timeout=SECONDS, insecure=1 (TLS without verification).
 * Paths given to the operations are absolute within the store (use
 * storage_join with storage_root). Renames never replace an existing target,
 * as on HDFS; a created file is durable once storage_close returns 0. */
#ifndef JOB_STORAGE_H
#define JOB_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"

typedef enum { STORAGE_LOCAL, STORAGE_WEBHDFS } storage_kind;

typedef struct storage_uri {
	storage_kind kind;
	int tls;		/* swebhdfs */
	char host[256];
	int port;
	char path[4096];	/* absolute for WebHDFS; as given (made absolute) for local */
	char user[128];
	char doas[128];
	int kerberos, insecure, retries;	/* retries -1: default */
	long timeout_s;
} storage_uri;

/* Parses a URI into u. Returns 0 or -1 with e saying what is wrong. */
int storage_uri_parse(const char *uri, storage_uri *u, job_err *e);

typedef struct storage storage;
typedef struct storage_writer storage_writer;
typedef struct storage_reader storage_reader;

typedef struct storage_stat {
	int exists, is_dir;
	uint64_t length;
	int64_t mtime_ms;
} storage_stat;

typedef struct storage_entry {
	char *name;		/* child name, not a path */
	int is_dir;
	uint64_t length;
} storage_entry;

storage *storage_open(const char *uri, job_err *e);
void storage_free(storage *s);
const char *storage_root(const storage *s);	/* the URI's path */
const char *storage_describe(const storage *s);	/* the URI as given, for logs */
/* "a" + "/" + "b", malloc'd. */
char *storage_join(const char *a, const char *b);

int storage_mkdirs(storage *s, const char *path, job_err *e);
/* *st->exists is 0 for a missing path (not an error). */
int storage_stat_path(storage *s, const char *path, storage_stat *st, job_err *e);
/* Children sorted by name; free with storage_list_free. A missing directory
 * is an error (e says so). */
int storage_list(storage *s, const char *path, storage_entry **out, size_t *n, job_err *e);
void storage_list_free(storage_entry *l, size_t n);
/* Fails when dst exists. */
int storage_rename(storage *s, const char *src, const char *dst, job_err *e);
/* A missing path is fine. */
int storage_delete(storage *s, const char *path, int recursive, job_err *e);

/* Streaming write of a new file (replacing one that exists when overwrite).
 * Data is buffered (buffer_size, 0: 4 MiB) and sent in large pieces. */
storage_writer *storage_create(storage *s, const char *path, int overwrite, size_t buffer_size, job_err *e);
/* storage_create with flags:
 * STORAGE_DIRECT: a large sequential write that will not be read back soon.
 *   The local backend opens the file O_DIRECT and sends every piece whose
 *   address, file offset and length are multiples of STORAGE_DIRECT_ALIGN
 *   straight to the disk (no page-cache copy, no write-back left for the
 *   closing fsync); the first piece that is not aligned (a file's tail) and
 *   all later ones go through the page cache, as does everything on a file
 *   system without O_DIRECT. Durability is unchanged: storage_close still
 *   fsyncs. Other backends ignore the flag. */
#define STORAGE_DIRECT 1u
#define STORAGE_DIRECT_ALIGN 4096u
/* n rounded up to a multiple of STORAGE_DIRECT_ALIGN (buffer sizes that stay
 * eligible for direct writes when full). */
static inline size_t storage_direct_round(size_t n)
{
	return (n + STORAGE_DIRECT_ALIGN - 1) / STORAGE_DIRECT_ALIGN * STORAGE_DIRECT_ALIGN;
}
storage_writer *storage_create_flags(storage *s, const char *path, int overwrite, size_t buffer_size, unsigned flags,
				     job_err *e);
int storage_write(storage_writer *w, const void *data, size_t len, job_err *e);
uint64_t storage_written(const storage_writer *w);
/* Flushes, makes durable, frees. Returns -1 (and still frees) on error. */
int storage_close(storage_writer *w, job_err *e);
/* Discards a writer: frees it and deletes the partial file. */
void storage_abort(storage_writer *w);

/* Appends to an existing file (WebHDFS APPEND; checked against the file's
 * length so a retried append never lands twice). */
int storage_append(storage *s, const char *path, const void *data, size_t len, job_err *e);

storage_reader *storage_open_read(storage *s, const char *path, job_err *e);
/* Returns bytes read, 0 at end, -1 on error. */
long storage_read(storage_reader *r, void *buf, size_t len, job_err *e);
void storage_close_read(storage_reader *r);
/* Whole small file into a NUL-terminated malloc'd buffer. */
int storage_read_all(storage *s, const char *path, char **data, size_t *len, job_err *e);
/* Creates path with data, durably (write to path, close). */
int storage_write_file(storage *s, const char *path, const void *data, size_t len, int overwrite, job_err *e);

#endif
