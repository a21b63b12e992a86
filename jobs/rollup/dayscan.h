/* dayscan.h: status-day's read of one partition: its data files parsed into
 * one agg_table by up to `threads` threads. Each thread has its own storage
 * handle (an HTTP client for WebHDFS; the first one, on the calling thread,
 * uses the caller's), its own read buffer and its own table,
 * and takes the next file, the largest first; the tables are merged at the
 * end, and as they hold exact integer sums and minima the result does not
 * depend on which thread read what. An unparseable line is skipped and
 * counted (the first few logged with file and line); the first read error
 * stops every thread. */
#ifndef ROLLUP_DAYSCAN_H
#define ROLLUP_DAYSCAN_H

#include <stdint.h>

#include "jobs/common/job.h"
#include "jobs/common/storage.h"
#include "jobs/rollup/agg.h"

#define DAYSCAN_MAX_LOGGED 5	/* unparseable lines logged one by one, at most */

typedef struct dayscan_stats {
	int64_t records;	/* parsed and added */
	int64_t bad;		/* skipped: unparseable, or a line of 8 MiB */
	int64_t files;		/* read to the end */
	int threads;		/* used */
} dayscan_stats;

/* Whether a partition entry is a data file (not a directory, not _SUCCESS,
 * _MANIFEST.n or a hidden file). */
int dayscan_is_data(const storage_entry *f);

/* Reads the data files among files[0..n) of directory dir of storage in
 * (opened from src_uri, which the other threads open again) into `into`
 * (initialised by the caller). threads <= 0: one per CPU. 0, or -1 with e
 * naming the file. */
int dayscan_run(storage *in, const char *src_uri, const char *dir, const storage_entry *files, size_t n,
		int threads, agg_table *into, dayscan_stats *st, job_err *e);

#endif
