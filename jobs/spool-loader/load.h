/* load.h: one run of the spool-loader, shared by its files: spool_loader.c
 * (main, the run's phases, reading sources into parts) and recover.c
 * (manifests, and bringing a partition in line with its newest manifest).
 * The exactly-once argument is at the top of spool_loader.c. */
#ifndef SPOOL_LOAD_H
#define SPOOL_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"
#include "jobs/common/publish.h"
#include "jobs/common/storage.h"
#include "jobs/spool-loader/filter.h"
#include "jobs/spool-loader/manifest.h"
#include "jobs/spool-loader/partq.h"
#include "jobs/spool-loader/spool_opts.h"

#define READ_BLOCK (4u << 20)
#define OUT_BLOCK (4u << 20)

struct source {
	char *name;
	uint64_t size;
	int64_t mtime_ns;
};

/* One load run. */
struct load {
	const struct spool_cfg *c;
	storage *st;
	char *root, *part_dir, *stage;	/* stage: where this batch's parts go */
	publish pub;			/* --replace: the new partition (jobs/common/publish.h) */
	char run_id[48];
	filter f;
	manifest old, m;		/* committed manifest, the one being built */
	unsigned old_seq;
	unsigned next_part;
	storage_writer *part;
	char part_name[64];
	uint64_t part_size;
	char *ob;
	size_t ob_len;
	char tail[16];			/* ",<wrk-date>\n", zero-padded */
	storage_writer *rejects;
	char *rb;			/* rejected lines not yet queued */
	size_t rb_len;
	partq *q;			/* the writer thread: parts and rejects */
	const char *cur_source;
	int failed;
	job_err err;
	uint64_t parts_written, bytes_written;
	/* the run's phases (spool_loader.c run()) */
	char pname[32];			/* wrk_date=D */
	char *P;			/* the partition: root/pname */
	int partition_exists;
	struct source *srcs;		/* the spool's complete files, by name */
	size_t nsrc, stopped_at;	/* stopped_at < nsrc: a signal stopped the reading */
	char **finish;			/* sources to delete/rename once committed */
	size_t nfinish;
	uint64_t loaded, skipped, bytes_read, rejected;
};

/* recover.c */
/* Loads the newest manifest of dir into m (empty when none); *seq its number. */
int spool_load_manifest(storage *st, const char *dir, const char *wrk_date, manifest *m, unsigned *seq, job_err *e);
/* Publishes m as dir/_MANIFEST.<seq>: written aside, renamed in (the commit point). */
int spool_write_manifest(storage *st, const char *dir, const manifest *m, unsigned seq, job_err *e);
/* Moves a staged rejects file into <dest>/_rejects/wrk_date=D/<name>; a
 * failure is logged, not fatal. */
void spool_publish_rejects(struct load *L, const char *staged, const char *name);
/* Brings partition dir P in line with its newest manifest m (number seq):
 * finishes the part renames of a committed batch, deletes uncommitted staging
 * and stale files. recovering: log what is finished as info. */
int spool_settle_partition(struct load *L, const char *P, const manifest *m, unsigned seq, int recovering,
			   job_err *e);

#endif
