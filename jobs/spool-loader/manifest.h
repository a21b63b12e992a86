/* manifest.h: the partition manifest of spool-loader. It is the commit
 * point of a load: which source files (name, size, checksum) went into the
 * partition, which part files hold them, and where a committed batch's parts
 * were staged (so a crashed commit is rolled forward). Text, one record per
 * line, tab-separated:
 *   spool-loader-manifest 1
 *   wrk_date <YYYYMMDD>
 *   source <name> <size> <checksum hex> <kept lines> <rejected lines>
 *   part <name> <size>
 *   staging <dir name>          (the last committed batch, if any)
 * Published as _MANIFEST.<seq> (a new sequence number per commit; the highest
 * wins), so publishing never overwrites a file. */
#ifndef SPOOL_MANIFEST_H
#define SPOOL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"

typedef struct manifest_source {
	char *name;
	uint64_t size, checksum, kept, rejected;
} manifest_source;

typedef struct manifest_part {
	char *name;
	uint64_t size;
} manifest_part;

typedef struct manifest {
	char wrk_date[9];
	manifest_source *sources;
	size_t nsources;
	manifest_part *parts;
	size_t nparts;
	char *staging;
} manifest;

void manifest_init(manifest *m, const char *wrk_date);
void manifest_free(manifest *m);
/* Parses text (what = file name for messages). */
int manifest_parse(manifest *m, const char *text, size_t len, const char *what, job_err *e);
/* malloc'd text. */
char *manifest_format(const manifest *m, size_t *len);
int manifest_add_source(manifest *m, const char *name, uint64_t size, uint64_t checksum, uint64_t kept, uint64_t rejected);
int manifest_add_part(manifest *m, const char *name, uint64_t size);
const manifest_source *manifest_find_source(const manifest *m, const char *name);
int manifest_has_part(const manifest *m, const char *name);
/* The next part number: one more than the largest car-batch-log.<n>.log. */
unsigned manifest_next_part(const manifest *m);

/* The checksum of source files: a 64-bit hash over 8-byte words (fast, not
 * cryptographic; it tells a reused file name from the same file). */
typedef struct manifest_hash {
	uint64_t h, total;
	unsigned char tail[8];
	size_t ntail;
} manifest_hash;
void manifest_hash_init(manifest_hash *h);
void manifest_hash_update(manifest_hash *h, const void *data, size_t len);
uint64_t manifest_hash_final(manifest_hash *h);

#endif
